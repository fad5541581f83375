"""Which metrics the sensitivity tables print as percentages: those the
twin declares a share of a whole, as the Monte Carlo and optimize
summaries do. In configs/cu-zn-sensitivity.yaml recovery.Zn is a share and
gwp a quantity. A run with every method prints recovery.Zn's values as
percentages (the tornado's base, ends and swing, the break-even threshold,
Morris' mu*, its interval, mu and sigma, the parameter study's points, the
Sobol' mean and sd) and leaves gwp's, the spider's relative changes and
the Sobol' indices (fractions of the variance) as they were; the result
file records the flags (/sensitivity/metric_share) and `cetwin info`
reprints the run's tables exactly. A file without the flags (written
before them) is reprinted as those versions printed it, every metric as a
quantity. `cetwin merge` of parameter-study shards carries the flags and
refuses a shard whose flags differ from the first shard's or that records
none beside one that does.

usage: sensitivity_share.py CETWIN SOURCE_DIR"""
import math
import os
import shutil
import sys

import h5py

sys.path.insert(0, os.path.dirname(__file__))
from cetwin_testlib import run, setup, strip_checksum_record  # noqa: E402

cetwin, source, _, work, c = setup()
case = os.path.join(source, "configs", "cu-zn-sensitivity.yaml")
SHARE = "sensitivity/metric_share"
SWEEP = ("sensitivity.sweep={values: {network.units.leach.split.Zn.jarosite: "
         "[0.01, 0.03, 0.05]}}")
SMALL = ["--set", "sensitivity.morris={trajectories: 4, levels: 4, candidates: 0, resamples: 50}",
         "--set", "sensitivity.sobol={n: 64, replicates: 10}", "--set", SWEEP, "--set",
         "sensitivity.oat={spider: [-0.1, 0.1], "
         "break_even: {metric: recovery.Zn, threshold: 0.91}}"]


def out(name):
    return os.path.join(work, name)


def percent(x):
    """A share as the tables print it (cet_format_percent)."""
    return f"{100.0 * x:.4g} %"


def lines_after(text, head, n):
    """The n lines of text after the first that starts with head."""
    lines = text.splitlines()
    i = next((k for k, line in enumerate(lines) if line.startswith(head)), None)
    c.check(i is not None, f"no line starting with {head!r}\n{text}")
    return lines[i + 1:i + 1 + n] if i is not None else []


def tables(text):
    """The tables of a run or of `cetwin info`: from the first tornado to
    the end of the Sobol' convergence table."""
    lines = text.splitlines()
    start = next((k for k, line in enumerate(lines) if line.startswith("One factor")), len(lines))
    end = start
    while end < len(lines) and not lines[end].startswith(("result:", "(every")):
        end += 1
    return "\n".join(lines[start:end]).rstrip()


def copy(path, name):
    new = out(name)
    shutil.copyfile(path, new)
    return new


# --- a run with every method --------------------------------------------------
full = out("full.h5")
code, printed, err = run(cetwin, ["run", case, "-o", full, "--threads", "1"] + SMALL)
c.check(code == 0, f"run: exit {code}\n{err}")
if code == 0:
    with h5py.File(full, "r") as f:
        metrics = list(f["sensitivity/metrics"].asstr())
        share = f[SHARE][...].tolist() if SHARE in f else None
        units = f[SHARE].attrs.get("units") if SHARE in f else None
        base = f["sensitivity/oat/base"][...]
        values = f["sensitivity/oat/tornado/values"][...]
        swing = f["sensitivity/oat/tornado/swing"][...]
        rank = f["sensitivity/oat/tornado/rank"][...]
        sweep = f["sensitivity/sweep/metrics"][...]
        mean, variance = f["sensitivity/sobol/mean"][...], f["sensitivity/sobol/variance"][...]
        morris = {k: f[f"sensitivity/morris/{k}"][...] for k in ("mu_star", "mu")}
    c.check(metrics == ["recovery.Zn", "gwp"], f"metrics {metrics}")
    c.check(share == [1, 0] and units in ("1", b"1"), f"/{SHARE}: {share} (units {units!r})")

    # the tornado: base, values at the ends and swing of recovery.Zn in %
    head = "One factor at a time (tornado), the others at the base: "
    c.check(f"{head}recovery.Zn = {percent(base[0])}" in printed,
            f"tornado of recovery.Zn: base not {percent(base[0])}\n{printed}")
    rows = lines_after(printed, f"{head}recovery.Zn", len(rank) + 1)[1:]
    c.check(len(rows) == len(rank), f"tornado of recovery.Zn: rows {rows}")
    for n, line in enumerate(rows):
        i = list(rank[:, 0]).index(n + 1)
        want = " ".join(f"{percent(x):>16}" for x in (values[i, 0, 0], values[i, 1, 0],
                                                      swing[i, 0]))
        c.check(line.endswith(want), f"tornado of recovery.Zn, row {n + 1}: expected to end "
                f"with {want!r}, found {line!r}")
    gwp_rows = lines_after(printed, f"{head}gwp", len(rank) + 1)[1:]
    c.check(len(gwp_rows) == len(rank) and not any(r.endswith("%") for r in gwp_rows),
            f"tornado of gwp: printed in %\n{gwp_rows}")
    # the spider: changes in % of the base, as before
    spider = lines_after(printed, "Spider: change of recovery.Zn", len(rank) + 1)
    c.check(spider and not any(w == "%" for line in spider[1:] for w in line.split()[-2:]),
            f"spider of recovery.Zn: relative changes printed with %\n{spider}")
    # break-even: the threshold
    c.check(f"at which recovery.Zn = {percent(0.91)} (the others" in printed,
            f"break-even: threshold not {percent(0.91)}\n{printed}")
    # Morris: mu*, its interval, mu and sigma in percentage points
    top = lines_after(printed, "  recovery.Zn (effects in percentage points per unit", 2)
    k = int(morris["mu_star"][:, 0].argmax())
    c.check(len(top) == 2 and top[1].split().count("%") == 4 and percent(
        morris["mu_star"][k, 0]) in top[1] and percent(morris["mu"][k, 0]) in top[1],
        f"Morris of recovery.Zn: largest mu* {percent(morris['mu_star'][k, 0])}\n{top}")
    gwp_morris = lines_after(printed, "  gwp (effects in", 2)
    c.check(len(gwp_morris) == 2 and "%" not in gwp_morris[1], f"Morris of gwp: {gwp_morris}")
    # the parameter study: recovery.Zn in %, gwp not
    points = lines_after(printed, "Parameter study", len(sweep) + 1)[1:]
    c.check(len(points) == len(sweep), f"parameter study: rows {points}")
    for p, line in enumerate(points):
        c.check(percent(sweep[p, 0]) in line and line.split()[-1] != "%",
                f"parameter study, point {p}: expected {percent(sweep[p, 0])}, found {line!r}")
    # Sobol': mean and sd in %, the indices as fractions
    want = f"  recovery.Zn (mean {percent(mean[0])}, sd {percent(math.sqrt(variance[0]))}):"
    c.check(want in printed.splitlines(), f"Sobol' of recovery.Zn: expected {want!r}\n{printed}")
    gwp = [line for line in printed.splitlines() if line.startswith("  gwp (mean ")]
    c.check(len(gwp) == 1 and "%" not in gwp[0], f"Sobol' of gwp: mean or sd in % {gwp}")
    indices = lines_after(printed, want, 3)[1:]
    c.check(len(indices) == 2 and not any("%" in line for line in indices),
            f"Sobol' indices of recovery.Zn printed with %\n{indices}")

    # cetwin info: the same tables
    code, shown, err = run(cetwin, ["info", full])
    c.check(code == 0, f"info: exit {code}\n{err}")
    a, b = tables(printed), tables(shown)
    c.check(a and a == b, f"info's tables differ from the run's\n{a}\n---\n{b}")

    # a file written before the flags: every metric printed as a quantity
    old = copy(full, "old.h5")
    with h5py.File(old, "a") as f:
        if SHARE in f:
            del f[SHARE]
    strip_checksum_record(old)
    code, shown, err = run(cetwin, ["info", old])
    c.check(code == 0, f"info of a file without /{SHARE}: exit {code}\n{err}")
    c.check(f"{head}recovery.Zn = {base[0]:.4g}\n" in shown and
            f"  recovery.Zn (mean {mean[0]:.4g}, sd {math.sqrt(variance[0]):.4g}):" in shown,
            f"info of a file without /{SHARE}: recovery.Zn not as a fraction\n{shown}")

# --- shards of a parameter study ----------------------------------------------
ALONE = ["--set", "sensitivity.oat=false", "--set", "sensitivity.morris=false", "--set",
         "sensitivity.sobol=false", "--set", SWEEP]
shards = []
for first, count in ((0, 1), (1, 2)):
    path = out(f"s{first}.h5")
    code, _, err = run(cetwin, ["run", case, "-o", path, "-q", "--set",
                                f"sensitivity.shard={{first: {first}, count: {count}}}"] + ALONE)
    c.check(code == 0, f"shard {first}: exit {code}\n{err}")
    shards.append(path)
merged = out("merged.h5")
code, text, err = run(cetwin, ["merge"] + shards + ["-o", merged])
study = lines_after(printed, "Parameter study", 4)
c.check(code == 0 and study and study == lines_after(text, "Parameter study", 4),
        f"merge: exit {code}, expected the run's parameter study {study}\n{text}{err}")
if code == 0:
    with h5py.File(merged, "r") as f:
        c.check(SHARE in f and f[SHARE][...].tolist() == [1, 0], f"merged file: /{SHARE}")

# shard 1 with recovery.Zn's flag flipped, and either shard without flags
# (the merge takes the shards in the order of their points)
flipped = copy(shards[1], "flipped.h5")
none = [copy(s, f"none{i}.h5") for i, s in enumerate(shards)]
with h5py.File(flipped, "a") as f:
    if SHARE in f:
        f[SHARE][0] = 0
for path in none:
    with h5py.File(path, "a") as f:
        if SHARE in f:
            del f[SHARE]
for path in [flipped] + none:
    strip_checksum_record(path)
# shards without flags merge, printed as written
code, text, err = run(cetwin, ["merge"] + none + ["-o", out("merged-old.h5")])
c.check(code == 0 and "Parameter study" in text and "%" not in text,
        f"merge of shards without flags: exit {code}\n{text}{err}")
for files, fragment in (
        ([shards[0], flipped], f"/{SHARE}: expected the first shard's flags, found another for "
         "metric 'recovery.Zn'"),
        ([shards[0], none[1]], f"/{SHARE}: expected the dataset (as the first shard), found none"),
        ([none[0], shards[1]], f"/{SHARE}: expected none (as the first shard), found the dataset")):
    bad = out("bad.h5")
    code, _, err = run(cetwin, ["merge"] + files + ["-o", bad])
    c.check(code == 1 and fragment in err and os.path.basename(files[1]) in err,
            f"merge {[os.path.basename(p) for p in files]}: exit {code}, expected 1 with "
            f"{fragment!r}\n{err}")
    c.check(not os.path.exists(bad) and not os.path.exists(bad + ".partial"),
            "a refused merge left a result file")
c.finish()
