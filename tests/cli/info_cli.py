"""`cetwin info` on every kind of result file (enumerate, simulate, mc,
optimize, robust optimize, sensitivity, reconcile, a merged file) and on checkpoints of
optimize, mc and sensitivity runs: how the file was made, the headline
tables equal to what the run printed and to the file's datasets, the
command that continues a checkpoint (run as printed), `--tree`, and files
that are not HDF5, not cetwin's, or truncated (exit 1, one message). Also:
the summaries' engineering units and percentages, the Monte Carlo's
compact scenario lines (the reference tables with --verbose) and the AR
price models of /prices/ar, printed with --verbose and listed by info.

usage: info_cli.py CETWIN SOURCE_DIR"""
import os
import shlex
import shutil
import sys

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from cetwin_testlib import run, setup, strip_checksum_record  # noqa: E402

cetwin, source, _, d, c = setup()


def path(name):
    return os.path.join(d, name)


def config(*parts):
    return os.path.join(source, *parts)


def block(text, first, last=None):
    """The lines of text from the one starting with first up to (not
    including) the first later line starting with last (or the end)."""
    lines = text.splitlines()
    start = next((i for i, l in enumerate(lines) if l.startswith(first)), None)
    if start is None:
        return None
    end = len(lines)
    if last is not None:
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith(last)), end)
    return "\n".join(lines[start:end]).rstrip()


def info(target, *extra):
    code, out, err = run(cetwin, ["info", target] + list(extra))
    c.check(code == 0, f"info {target} {extra}: exit {code}\n{err}")
    return out


def quantity(x, units):
    """What quantity.h prints for x in units (the prefixed units tested)."""
    scale = {"EUR": ("EUR", 0), "t/a": ("t", 0), "kWh/a": ("Wh", 1)}
    base, p = scale[units]
    rest = units[len(units.split("/")[0]):]
    while abs(x) >= 999.95 and p < 5:
        x /= 1000
        p += 1
    return f"{x:.4g} {['', 'k', 'M', 'G', 'T', 'P'][p]}{base}{rest}"


def run_case(name, args, what):
    code, out, err = run(cetwin, ["run"] + args + ["-o", path(name)])
    c.check(code == 0, f"{what}: exit {code}\n{err}")
    return out


def edited(name, new, edit):
    """A copy new of the result file name edited with h5py by edit(f)."""
    shutil.copy(path(name), path(new))
    with h5py.File(path(new), "a") as f:
        edit(f)
    strip_checksum_record(path(new))


def replaced(where, data):
    """An edit that puts data in place of the dataset where."""
    def edit(f):
        del f[where]
        f[where] = data
    return edit


def texts(values):
    """values as the variable-length strings cetwin writes."""
    return np.array(values, dtype=h5py.string_dtype())


def provenance(text, what, analysis, case):
    c.check(f": {analysis} of case '{case}'" in text, f"{what}: no analysis and case\n{text}")
    c.check("parallel configuration: 1 MPI rank x " in text and "seed " in text,
            f"{what}: no parallel configuration\n{text}")
    c.check("command: " in text and "(every dataset: cetwin info --tree" in text,
            f"{what}: no command or pointer to --tree\n{text}")


# --- enumerate and simulate -------------------------------------------------
enum_run = run_case("enum.h5", [config("configs", "bonnin-pwb.yaml")], "enumerate")
enum = info(path("enum.h5"))
provenance(enum, "enumerate", "enumerate", "bonnin-pwb")
# the final flowsheets, the unprocessable products, the truncated chains (a
# short maximum length makes some) and the closing counts, as the run printed
for name, extra in (("enum.h5", []), ("short.h5", ["--set", "enumerate.max_length=4"])):
    text_run = enum_run if not extra else run_case(name, [config("configs", "bonnin-pwb.yaml")] +
                                                   extra, "enumerate")
    text = enum if not extra else info(path(name))
    a, b = block(text_run, "Final flowsheets", "result:"), block(text, "Final flowsheets", "(every")
    c.check(a is not None and a == b,
            f"enumerate {extra}: info's tables differ from the run's\n{a}\n---\n{b}")
    title = "Truncated chains" if extra else "Unprocessable products (13)"
    c.check(b is not None and title in b and "\nfinal: " in b,
            f"enumerate {extra}: no '{title}' table or counts\n{b}")

# every table a simulate run printed (key metrics, cash flow, sinks, largest
# streams, closure, exergy, flowsheet choices), character for character: the
# shipped simulate cases, a twin with flowsheet choices, an economics twin
# (whose info goes on with its price models, which the run prints with -v),
# a twin with an exchange unit
SIMULATE = (("sim.h5", [config("configs", "cu-zn-exchange.yaml")], "(every", "Exergy"),
            ("pwb.h5", [config("configs", "bonnin-pwb-network.yaml")], "(every", "Exergy"),
            ("slag.h5", [config("configs", "socrates-eu-slag.yaml")], "(every", "Exergy"),
            ("choice.h5", [config("tests", "cli", "cases", "choice_pwb.yaml")], "(every",
             "Flowsheet choices"),
            ("cash.h5", [config("configs", "bollrich.yaml"), "--set", "analysis=simulate"],
             "Price models", "Cash flow by group"),
            ("exchange.h5", [config("tests", "cli", "cases", "structural_optimize.yaml"), "--set",
                             "analysis=simulate"], "(every", "Balance closure"))
for name, args, last, title in SIMULATE:
    text_run = run_case(name, args, f"simulate {name}")
    text = info(path(name))
    a, b = block(text_run, "Key metrics", "result:"), block(text, "Key metrics", last)
    c.check(a is not None and a == b and f"\n{title}" in b,
            f"simulate {name}: info's tables differ from the run's\n{a}\n---\n{b}")
    if name == "choice.h5":
        choice_info = b
    if name in ("slag.h5", "cash.h5", "exchange.h5"):
        # a file written before /simulate/metrics/family: the families its
        # metric names had, so the same tables (per-sink, per-component,
        # per-exchange, per-unit and cash-flow metrics left out of the key
        # metrics)
        edited(name, "old_family.h5", lambda f: f.__delitem__("simulate/metrics/family"))
        old = block(info(path("old_family.h5")), "Key metrics", last)
        c.check(old == a, f"simulate {name} without metrics/family: info prints\n{old}\n---\n{a}")
# the key metrics are the file's headline family, whatever the names
with h5py.File(path("slag.h5"), "r") as f:
    n_slag = len(f["simulate/metrics/name"])
edited("slag.h5", "no_headline.h5", replaced("simulate/metrics/family", texts(["detail"] * n_slag)))
b = block(info(path("no_headline.h5")), "Key metrics", "Sinks")
c.check(b == "Key metrics:", f"simulate with no headline metric: info prints\n{b}")
sim = info(path("sim.h5"))
provenance(sim, "simulate", "simulate", "cu-zn-exchange")
for title in ("Sinks", "Largest streams", "Balance closure"):
    c.check(f"\n{title}" in sim, f"simulate: info prints no '{title}'\n{sim}")
# a file written before /simulate/choices/verdict: the tables without the choices
edited("choice.h5", "old_choice.h5", lambda f: f.__delitem__("simulate/choices/verdict"))
b = block(info(path("old_choice.h5")), "Key metrics", "(every")
c.check(b is not None and choice_info.startswith(b) and "Flowsheet choices" not in b,
        f"simulate without choices/verdict: info prints\n{b}")
# damaged datasets: exit 1 with one message naming the dataset
for name, where, bad in (("sim.h5", "simulate/streams/flow", np.zeros((2, 3))),
                         ("sim.h5", "simulate/units/type", np.array([b"sink"])),
                         ("cash.h5", "simulate/cash_flow/group_yearly", np.zeros((1, 2))),
                         ("choice.h5", "simulate/choices/chain", np.zeros(3, dtype=np.int64)),
                         ("slag.h5", "simulate/metrics/family", texts(["unit"] * (n_slag - 1))),
                         ("slag.h5", "simulate/metrics/family",
                          texts(["headline"] * (n_slag - 1) + ["per_sink"]))):
    edited(name, "bad.h5", replaced(where, bad))
    code, out, err = run(cetwin, ["info", path("bad.h5")])
    c.check(code == 1 and f"/{where}" in err and err.count("error:") == 1,
            f"info with a damaged {where}: exit {code}\n{err}")

# the reconcile summary, character for character: the culprit named, then
# set aside and the rest reconciled again
for name, extra in (("rec.h5", []), ("rec_drop.h5", ["--set", "reconcile.drop_gross_errors=true"])):
    text_run = run_case(name, [config("configs", "cu-zn-reconcile.yaml")] + extra, name)
    text = info(path(name))
    provenance(text, name, "reconcile", "cu-zn-reconcile")
    a, b = block(text_run, "reconcile:", "result:"), block(text, "reconcile:", "(every")
    line = "most likely culprit #20" if not extra else "set aside 1         #20"
    c.check(a is not None and a == b and line in b and "cu-zn-measurements.csv:" in b,
            f"reconcile {extra}: info's summary differs from the run's\n{a}\n---\n{b}")
edited("rec.h5", "old_rec.h5", lambda f: f.__delitem__("reconcile/measurements/where"))
text = info(path("old_rec.h5"))
c.check("electrowinning.zinc total (-): normalised" in text,
        f"reconcile without measurements/where: {block(text, '  most likely')}")
for where, bad in (("reconcile/measurements/used", np.zeros(3, dtype=np.int64)),
                   ("reconcile/streams/flow_observable", np.zeros((29, 2), dtype=np.int64)),
                   ("reconcile/dropped/measurement", np.array([48], dtype=np.int64))):
    edited("rec_drop.h5", "bad.h5", replaced(where, bad))
    code, out, err = run(cetwin, ["info", path("bad.h5")])
    c.check(code == 1 and f"/{where}" in err and err.count("error:") == 1,
            f"info with a damaged {where}: exit {code}\n{err}")
edited("rec.h5", "bad.h5", lambda f: f["reconcile"].attrs.__setitem__("culprit", np.int64(48)))
code, out, err = run(cetwin, ["info", path("bad.h5")])
c.check(code == 1 and "culprit 48 of 48" in err and err.count("error:") == 1,
        f"info with culprit out of range: exit {code}\n{err}")
with h5py.File(path("sim.h5"), "r") as f:
    names = [n.decode() if isinstance(n, bytes) else n for n in f["simulate/metrics/name"][...]]
    values = dict(zip(names, f["simulate/metrics/value"][...]))
for line, want in (("recovery.Zn", f"{100 * values['recovery.Zn']:.4g} %"),
                   ("production", quantity(values["production"], "t/a")),
                   ("energy", quantity(values["energy"], "kWh/a"))):
    row = [l.split(None, 1) for l in sim.splitlines() if l.split(None, 1)[:1] == [line]]
    c.check(row and row[0][1].strip() == want,
            f"simulate: {line} printed as {row[0][1] if row else None}, expected {want}")

# --- Monte Carlo: run, info, checkpoint, merge -----------------------------
MC = [config("configs", "bollrich.yaml"), "--set", "mc.draws=3000", "--set", "mc.block=200",
      "--set", "mc.checkpoint={interval: 5}"]
mc_run = run_case("mc.h5", MC, "mc")
mc = info(path("mc.h5"))
provenance(mc, "mc", "mc", "bollrich")
a, b = block(mc_run, "  scenario", "Monte Carlo summary"), block(mc, "  scenario", "Monte Carlo summary")
c.check(a is not None and a == b, f"mc: info's scenario lines differ from the run's\n{a}\n---\n{b}")
a = block(mc_run, "Monte Carlo summary", "result:")
b = block(mc, "Monte Carlo summary", "Price models")
c.check(a is not None and a == b, f"mc: info's summary and rating differ from the run's\n{a}\n---\n{b}")
c.check("reference: Suppes" not in mc_run and "NRR0     npv" not in mc_run,
        "mc: the reference tables are printed without --verbose")
c.check("  NRR0 " in mc_run and "(dcf.aftercare phase; 3 values)" in mc_run,
        f"mc: no compact line per scenario\n{mc_run}")
with h5py.File(path("mc.h5"), "r") as f:
    names = [n.decode() if isinstance(n, bytes) else n for n in f["mc/summary/metrics"][...]]
    mean = dict(zip(names, f["mc/summary/mean"][...]))
    irr_p5 = dict(zip(names, f["mc/summary/p5"][...]))["irr"]
npv_row = next((l for l in mc.splitlines() if l.startswith("  npv ")), "")
c.check(npv_row.split()[1:3] == quantity(mean["npv"], "EUR").split(),
        f"mc: npv mean printed as {npv_row}, expected {quantity(mean['npv'], 'EUR')}")
irr_row = next((l for l in mc.splitlines() if l.startswith("  irr ")), "")
c.check(f"{100 * irr_p5:.4g} %" in irr_row, f"mc: irr P5 not a percentage: {irr_row}")

# the AR price models: written, listed by info, printed with --verbose
with h5py.File(path("mc.h5"), "r") as f:
    g = f["prices/ar"]
    series = [n.decode() if isinstance(n, bytes) else n for n in g["series"][...]]
    c.check(series == ["BaSO4", "Cu", "Pb", "Zn", "Co", "Ga", "In", "diesel"],
            f"/prices/ar/series: {series}")
    c.check(np.all(g["order"][...] == 1), "/prices/ar/order: not the case's AR(1)")
    c.check(np.allclose(g["phi"][:, 0], 0.8) and np.all(np.isnan(g["phi"][:, 1:])),
            "/prices/ar/phi: not phi_1 = 0.8 and NaN beyond the order")
    c.check(abs(g["sigma"][0] - 7.8405) < 1e-9, f"/prices/ar/sigma[BaSO4] = {g['sigma'][0]}")
    corr = g["correlation"][...]
    c.check(np.allclose(corr, corr.T) and np.allclose(np.diag(corr), 1) and
            abs(corr[1, 2] - 0.6) < 1e-12, "/prices/ar/correlation is not the case's")
    bands = g["bands"][...]
    years = g["years"][...]
    c.check(bands.shape == (5, len(years), 8) and np.all(bands[0] <= bands[2]) and
            np.all(bands[2] <= bands[4]), "/prices/ar/bands: not lower <= mean <= upper")
    band_units = [u.decode() if isinstance(u, bytes) else u for u in g["bands"].attrs["units"]]
    price_units = [u.decode() if isinstance(u, bytes) else u for u in g["units"][...]]
    c.check(band_units == price_units, f"/prices/ar/bands: units {band_units}, not the series'")
    for name in ("phi", "sigma", "correlation", "bands", "order"):
        c.check("units" in g[name].attrs and "description" in g[name].attrs,
                f"/prices/ar/{name} has no units or description")
c.check("Price models" in mc and "BaSO4        AR(1) in level" in mc and
        "correlation of the shocks" in mc, f"info lists no price models\n{mc}")
c.check("Price models" not in mc_run, "the price models are printed without --verbose")
code, verbose_run, err = run(cetwin, ["run"] + MC + ["-o", path("mc-v.h5"), "--verbose"])
c.check(code == 0 and "Price models" in verbose_run and "phi_1 = 0.8" in verbose_run and
        "reference: Suppes" in verbose_run, f"--verbose prints no price models or references\n{err}")

# the checkpoint the run left: progress and the command that continues it
ck = path("mc.checkpoint.h5")
text = info(ck)
c.check("cetwin checkpoint" in text and "mc run" in text and "of 3000 draws done" in text,
        f"mc checkpoint: {text}")

# a merged file
shards = []
for i, (first, n) in enumerate(((0, 1200), (1200, 1800))):
    shards.append(path(f"shard{i}.h5"))
    run_case(f"shard{i}.h5", [config("configs", "bollrich.yaml"), "--set", f"mc.first_draw={first}",
                              "--set", f"mc.draws={n}", "--set", "mc.block=200"], f"shard {i}")
code, merge_out, err = run(cetwin, ["merge"] + shards + ["-o", path("merged.h5")])
c.check(code == 0, f"merge: exit {code}\n{err}")
merged = info(path("merged.h5"))
a, b = block(merge_out, "  metric", "result:"), block(merged, "  metric", "Price models")
c.check(a is not None and a == b, f"merged: info's summary differs from the merge's\n{a}\n---\n{b}")
# the merged file keeps the shards' price models, shown as for one run
c.check(block(merged, "Price models", "(every") == block(info(shards[0]), "Price models", "(every"),
        f"merged: info shows other price models than a shard's\n{merged}")

# --- optimize and robust optimize, and an optimize checkpoint --------------
OPT = [config("tests", "regression", "optimize_small.yaml"), "--set", "optimize.generations=20",
       "--set", "optimize.checkpoint={interval: 5}"]
opt_run = run_case("opt.h5", OPT, "optimize")
c.check(opt_run.startswith("cetwin optimize: case 'optimize-small'") and
        "parallel configuration:" in block(opt_run, "cetwin optimize", "Optimisation"),
        f"optimize does not start with its header\n{opt_run[:400]}")
opt = info(path("opt.h5"))
provenance(opt, "optimize", "optimize", "optimize-small")
a, b = block(opt_run, "Global front", "result:"), block(opt, "Global front", "(every")
c.check(a is not None and a == b, f"optimize: info's front differs from the run's\n{a}\n---\n{b}")
with h5py.File(path("opt.h5"), "r") as f:
    best = f["optimize/front/topsis_closeness"][0]
c.check(f"     1  {best:.6f}" in opt, f"optimize: TOPSIS rank 1 closeness {best:.6f} not shown")

rob_run = run_case("rob.h5", [config("configs", "bollrich-robust.yaml"), "--set", "robust.draws=16",
                              "--set", "optimize.population=12", "--set",
                              "optimize.generations=3"], "robust optimize")
rob = info(path("rob.h5"))
# the front, the TOPSIS table and the statistics at the best point; then
# the price models the draws come from
a, b = block(rob_run, "Global front", "result:"), block(rob, "Global front", "Price models")
c.check(a is not None and a == b, f"robust: info's front differs from the run's\n{a}\n---\n{b}")
c.check(b is not None and "Statistics over the 16 draws at the TOPSIS best point" in b,
        f"robust: info shows no statistics at the best point\n{b}")
c.check("Price models" in rob, f"robust: info shows no price models\n{rob}")
c.check("npv.p5" in rob and "MEUR" in rob, "robust: objectives not labelled by statistic in MEUR")

ck = path("opt.checkpoint.h5")
text = info(ck)
c.check("optimize run" in text and "generation 15 done" in text, f"optimize checkpoint: {text}")
go_on = next((l.split("to continue: ", 1)[1] for l in text.splitlines() if "to continue: " in l), "")
c.check(go_on.endswith(f"--restart {ck}") and " run " in go_on,
        f"optimize checkpoint: no command to continue\n{text}")
code, out, err = run(shlex.split(go_on)[0], shlex.split(go_on)[1:])
c.check(code == 0 and "continuing from checkpoint" in err,
        f"the printed command does not continue the run: exit {code}\n{err}")

# --- sensitivity and its checkpoint ----------------------------------------
sa_run = run_case("sa.h5", [config("configs", "bollrich-sensitivity.yaml"), "--set",
                            "sensitivity.sobol.n=256", "--set", "sensitivity.sobol.block=32",
                            "--set", "sensitivity.checkpoint={interval: 2}"], "sensitivity")
sa = info(path("sa.h5"))
provenance(sa, "sensitivity", "sensitivity", "bollrich-sensitivity")
# every table the run printed (tornado, spider, break-even, Sobol' indices and
# their convergence) is printed again from the file, the same to the character
a, b = block(sa_run, "One factor at a time", "result:"), block(sa, "One factor at a time", "(every")
c.check(a is not None and a == b, f"sensitivity: info's tables differ from the run's\n{a}\n---\n{b}")
for title in ("Spider", "Break-even", "Sobol' indices", "  convergence of npv"):
    c.check(b is not None and title in b, f"sensitivity: info shows no '{title}' table\n{b}")
with h5py.File(path("sa.h5"), "r") as f:
    swing = f["sensitivity/oat/tornado/swing"][:, 0]
c.check(quantity(float(swing.max()), "EUR") in b.splitlines()[2],
        f"sensitivity: the largest swing {swing.max()} is not first\n{b}")
# Morris screening and a second metric (cu-zn-sensitivity)
morris_run = run_case("morris.h5", [config("configs", "cu-zn-sensitivity.yaml"), "--set",
                                    "sensitivity.sobol.n=64"], "morris")
morris = info(path("morris.h5"))
a, b = (block(morris_run, "One factor at a time", "result:"),
        block(morris, "One factor at a time", "(every"))
c.check(a is not None and a == b and "Morris screening" in b,
        f"sensitivity: info's Morris tables differ from the run's\n{a}\n---\n{b}")
text = info(path("sa.checkpoint.h5"))
c.check("sensitivity run, method sobol" in text and "of 256 points done" in text and
        "--restart" in text,
        f"sensitivity checkpoint: {text}")

# --- --tree keeps the structure listing -----------------------------------
tree = info(path("mc.h5"), "--tree")
c.check("cetwin result file" in tree and "/mc/summary/mean" in tree and
        "/prices/ar/phi" in tree, f"--tree: no structure listing\n{tree[:500]}")

# --- files info cannot summarise ------------------------------------------
with open(path("text.h5"), "w") as f:
    f.write("not an HDF5 file\n")
with h5py.File(path("other.h5"), "w") as f:
    f["x"] = np.arange(3)
with open(path("mc.h5"), "rb") as f:
    data = f.read()
with open(path("truncated.h5"), "wb") as f:
    f.write(data[:len(data) // 2])
for name, fragment in (("text.h5", "as an HDF5 file"),
                       ("other.h5", "not a cetwin result"),
                       ("truncated.h5", "truncated.h5"),
                       ("missing.h5", "missing.h5")):
    for extra in ([], ["--tree"]):
        code, out, err = run(cetwin, ["info", path(name)] + extra)
        c.check(code == 1 and fragment in err and err.count("error:") == 1,
                f"info {name} {extra}: exit {code}, expected 1 with one message naming it\n{err}")
code, out, err = run(cetwin, ["info", path("mc.h5"), "--set", "a=1"])
c.check(code == 1 and "info takes" in err, f"info with --set: exit {code}\n{err}")
code, out, err = run(cetwin, ["run", config("configs", "bollrich.yaml"), "--tree"])
c.check(code == 1 and "--tree" in err, f"run --tree: exit {code}\n{err}")
c.finish()
