"""The twin calibrated from reconciled plant data (reconcile.write_parameters
and a case's `set:`), on the copper-zinc twin of configs/cu-zn-reconcile.yaml:

- the shipped case writes its parameter file, prints the table per unit
  (cetwin info prints it again, and refuses a damaged one) and stores
  /reconcile/parameters; a simulate of the same twin that includes
  the file (set: !include) sends each derived split factor's share of a
  unit's inflow to each outlet, and the feeds carry their reconciled totals;
- a plant whose split factors, splitter fractions and feeds differ from the
  case's (every one moved at random) is measured on every stream and
  component; reconciliation derives every parameter that has flow, each
  equal to the plant's, and a simulate with the file (as an include, and
  as --set options) gives the reconciled flows of every stream to 1e-9 of
  the largest flow;
- a parameter file that cannot be written: a missing folder is refused
  before the run (exit 1, no result file), a failure when writing is a
  runtime failure (exit 2) that leaves neither file, and a parameter file
  whose .partial exists (another run may be writing it) is an input error
  (exit 1) that leaves that file as it is.

usage: reconcile_params_cli.py CETWIN SOURCE_DIR"""
import os
import random
import sys

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from cetwin_testlib import expect_input_error, run, setup, strip_checksum_record  # noqa: E402

cetwin, source, _, work, c = setup()
case = os.path.join(source, "configs", "cu-zn-reconcile.yaml")
TOLERANCE = 1e-9  # simulated against reconciled flows, relative to the largest flow


def entries(path):
    """The PATH=VALUE entries of a parameter file."""
    with open(path) as f:
        return [line[2:].strip() for line in f if line.startswith("- ")]


def simulate_with(params, out, extra=()):
    """A simulate of the same twin (the shipped network with economics,
    configs/cu-zn-exchange.yaml) that includes the parameter file."""
    text = open(os.path.join(source, "configs", "cu-zn-exchange.yaml")).read()
    sim = os.path.join(work, "calibrated.yaml")
    with open(sim, "w") as f:
        f.write(text + f"\nset: !include {params}\n")
    env_path = os.path.join(source, "configs")
    os.environ["CETWIN_CONFIG_PATH"] = env_path
    return run(cetwin, ["run", sim, "-o", out, *extra])


def streams(path, group):
    with h5py.File(path) as f:
        g = f[group + "/streams"]
        return list(g["name"].asstr()[...]), g["flow"][...], g["total"][...]


# --- the shipped case --------------------------------------------------------------
params = os.path.join(work, "shipped.yaml")
out = os.path.join(work, "shipped.h5")
code, stdout, stderr = run(cetwin, ["run", case, "-o", out, "--set",
                                    f"reconcile.write_parameters={params}"])
c.check(code == 0 and "Parameters from the reconciled flows: 16 of 229 derived, written to"
        in stdout and "slag_fuming" in stdout and "negative reconciled flow (1)" in stdout,
        f"shipped case: exit {code}\n{stdout}{stderr}")
c.check(not os.path.exists(params + ".partial"), "a partial parameter file was left")
if code == 0:
    lines = entries(params)
    c.check(len(lines) == 16 and "network.units.pbag_route.fractions[0]=" in lines[-2],
            f"parameter file {lines}")
    with h5py.File(out) as f:
        g = f["reconcile/parameters"]
        derived = g["derived"][...] == 1
        c.check(derived.sum() == 16 and g.attrs["file"] == params,
                f"/reconcile/parameters: {derived.sum()} derived")
        path = list(g["path"].asstr()[...])
        value, kept = g["value"][...], g["case_value"][...]
        reason = list(g["reason"].asstr()[...])
        c.check(all((r == "derived") == d for r, d in zip(reason, derived))
                and np.array_equal(value[~derived], kept[~derived]),
                "kept parameters do not hold the case's values")
        unit, comp, outlet = (list(g[k].asstr()[...]) for k in ("unit", "component", "outlet"))
    # cetwin info prints the table as the run did, and refuses a damaged one
    code, info, stderr = run(cetwin, ["info", out])
    table = stdout[stdout.index("Parameters from"):stdout.index("result:")].rstrip()
    c.check(code == 0 and table in info, f"cetwin info: exit {code}\n{info}{stderr}")
    damaged = os.path.join(work, "damaged.h5")
    with open(out, "rb") as f, open(damaged, "wb") as g:
        g.write(f.read())
    with h5py.File(damaged, "a") as f:
        del f["reconcile/parameters/kind"]
        f["reconcile/parameters/kind"] = np.array([b"feed"] * 3)
    strip_checksum_record(damaged)
    code, _, stderr = run(cetwin, ["info", damaged])
    c.check(code == 1 and "/reconcile/parameters/kind" in stderr,
            f"info of a damaged /reconcile/parameters: exit {code}\n{stderr}")
    sim = os.path.join(work, "shipped-sim.h5")
    code, stdout, stderr = simulate_with(params, sim)
    c.check(code == 0, f"simulate with the parameter file: exit {code}\n{stderr}")
    if code == 0:
        names, flow, total = streams(sim, "simulate")
        rnames, rflow, rtotal = streams(out, "reconcile")
        with h5py.File(sim) as f:
            comps = list(f["simulate/components"].asstr()[...])
        for i in np.flatnonzero(derived):
            if outlet[i] and comp[i]:  # a process unit's split factor: its share
                k = comps.index(comp[i])
                mine = [j for j, n in enumerate(names) if n.startswith(unit[i] + ".")]
                share = flow[names.index(f"{unit[i]}.{outlet[i]}"), k] / flow[mine, k].sum()
                c.check(abs(share - value[i]) <= 1e-12, f"{path[i]}: simulated {share}")
            elif path[i].endswith(".flow"):  # a feed's total
                e = names.index(unit[i] + ".out")
                want = rtotal[rnames.index(unit[i] + ".out")]
                c.check(abs(total[e] - want) <= 1e-12 * want,
                        f"{path[i]}: simulated {total[e]}")

# --- a plant unlike the case, measured everywhere --------------------------------------
code, listing, stderr = run(cetwin, ["params", case, "--match", "network.units.*"])
c.check(code == 0, f"cetwin params: exit {code}\n{stderr}")
groups = {}
for line in listing.splitlines():
    words = line.split()
    if len(words) < 2 or not words[0].startswith("network.units."):
        continue
    p = words[0]
    if ".split." in p or ".composition." in p:
        groups.setdefault(p.rsplit(".", 1)[0], []).append((p, float(words[1])))
rng = random.Random(15)
plant = {}
for members in groups.values():
    moved = [(p, v * (1 + 0.3 * rng.uniform(-1, 1))) for p, v in members]
    total = sum(v for _, v in moved)
    plant.update({p: v / total for p, v in moved})
plant["network.units.cu_conc.flow"] = 800000 * 1.04
plant["network.units.zn_conc.flow"] = 500000 * 0.95
plant["network.units.pbag_route.fractions"] = None
sets = [f"{p}={v!r}" for p, v in plant.items() if v is not None]
sets.append("network.units.pbag_route.fractions=[0.62, 0.38]")
truth = os.path.join(work, "plant.h5")
code, _, stderr = run(cetwin, ["run", case, "-o", truth, "-q", "--set", "analysis=simulate"]
                      + [a for s in sets for a in ("--set", s)])
c.check(code == 0, f"the plant: exit {code}\n{stderr}")
names, pflow, _ = streams(truth, "simulate")
with h5py.File(truth) as f:
    comps = list(f["simulate/components"].asstr()[...])
csv = os.path.join(work, "plant.csv")
with open(csv, "w") as f:
    f.write("stream,quantity,value,sd\n")
    for e, n in enumerate(names):
        for k, comp in enumerate(comps):
            x = max(pflow[e, k], 0.0)
            f.write(f"{n},flow.{comp},{x!r},{max(0.01 * x, 1.0)!r}\n")
params = os.path.join(work, "plant.yaml")
out = os.path.join(work, "plant-reconciled.h5")
code, stdout, stderr = run(cetwin, ["run", case, "-o", out, "--set", f"reconcile.csv={csv}",
                                    "--set", "reconcile.measurements=[]", "--set",
                                    f"reconcile.write_parameters={params}"])
c.check(code == 0, f"reconcile of the plant: exit {code}\n{stdout}{stderr}")
if code == 0:
    with h5py.File(out) as f:
        g = f["reconcile/parameters"]
        path = list(g["path"].asstr()[...])
        value, derived = g["value"][...], g["derived"][...] == 1
        reason = list(g["reason"].asstr()[...])
    c.check(all(r in ("derived", "no inflow") for r in reason),
            f"not derived: {sorted(set(reason))}")
    wrong = [(p, v, plant[p]) for p, v, d in zip(path, value, derived)
             if d and p in plant and abs(v - plant[p]) > 1e-9 * max(1.0, plant[p])]
    c.check(not wrong, f"derived parameters unlike the plant's: {wrong[:5]}")
    pbag = [v for p, v in zip(path, value) if p.startswith("network.units.pbag_route.")]
    c.check(np.allclose(pbag, [0.62, 0.38], rtol=0, atol=1e-9), f"pbag_route {pbag}")
    rnames, rflow, _ = streams(out, "reconcile")
    scale = np.abs(rflow).max()
    for how, extra, params_file in (
            ("set: !include", (), params),
            ("--set options", tuple(f"--set={e}" for e in entries(params)), "/dev/null")):
        sim = os.path.join(work, f"plant-sim-{len(extra)}.h5")
        if params_file == "/dev/null":
            empty = os.path.join(work, "empty.yaml")
            with open(empty, "w") as f:
                f.write("[]\n")
            params_file = empty
        code, _, stderr = simulate_with(params_file, sim, extra)
        c.check(code == 0, f"simulate, {how}: exit {code}\n{stderr}")
        if code == 0:
            snames, sflow, _ = streams(sim, "simulate")
            worst = np.abs(sflow - rflow).max() / scale
            c.check(snames == rnames and worst <= TOLERANCE,
                    f"simulate, {how}: flows differ from the reconciled ones by {worst:.3g} "
                    "of the largest")

# --- parameter files that cannot be written ---------------------------------------------
expect_input_error(c, cetwin, ["run", case, "--set",
                               f"reconcile.write_parameters={work}/none/p.yaml"],
                   ["reconcile.write_parameters", "expected a file in an existing, writable "
                    "folder", "No such file or directory"], os.path.join(work, "bad.h5"))
blocked = os.path.join(work, "blocked.yaml")
os.mkdir(blocked + ".partial")
out = os.path.join(work, "blocked.h5")
code, stdout, stderr = run(cetwin, ["run", case, "-o", out, "--set",
                                    f"reconcile.write_parameters={blocked}"])
c.check(code == 2 and f"cannot create '{blocked}.partial'" in stderr
        and not os.path.exists(out) and not os.path.exists(out + ".partial")
        and not os.path.exists(blocked), f"unwritable parameter file: exit {code}\n{stderr}")
# a parameter file another run may be writing (its .partial exists) is left as it is
taken = os.path.join(work, "taken.yaml")
with open(taken + ".partial", "w") as f:
    f.write("- another run's line\n")
out = os.path.join(work, "taken.h5")
code, stdout, stderr = run(cetwin, ["run", case, "-o", out, "--set",
                                    f"reconcile.write_parameters={taken}"])
with open(taken + ".partial") as f:
    kept = f.read() == "- another run's line\n"
c.check(code == 1 and f"'{taken}.partial' exists: another run may be writing '{taken}'" in stderr
        and kept and not os.path.exists(taken) and not os.path.exists(out)
        and not os.path.exists(out + ".partial"),
        f"parameter file whose partial file exists: exit {code}, kept {kept}\n{stderr}")

c.finish()
