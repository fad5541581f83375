"""Which metrics the tables print as percentages: those the twin declares a
share of a whole, not every metric in units 1. In
tests/cli/cases/unknown_optimize.yaml unknown_consumption (a count of
units) and infeasibility (a sum of violations) are numbers in units 1,
recovery.Cu a share. A Monte Carlo summary, a robust optimisation's
objectives, TOPSIS table and statistics print the numbers as numbers and
the share as a percentage (they printed `100 %` for a count of 1); the
result file records the flags (/mc/summary/share,
/optimize/objectives/share, /optimize/robust/share) and `cetwin info`
prints the same rows. A file without them (written before they were
recorded) is read taking every metric in units 1 for a share; a flag
other than 0 and 1 is a damaged file (info and merge: exit 1, naming it).

usage: share_cli.py CETWIN SOURCE_DIR"""
import os
import sys

import h5py

sys.path.insert(0, os.path.dirname(__file__))
from cetwin_testlib import run, setup, strip_checksum_record  # noqa: E402

cetwin, source, cases, work, c = setup()
case = os.path.join(cases, "unknown_optimize.yaml")
UNCERTAIN = "uncertain=[{path: network.units.scrap.flow, distribution: uniform, min: 90, max: 110}]"
METRICS = ("recovery.Cu", "unknown_consumption", "infeasibility")  # a share, two numbers


def rows(text):
    """The table rows of text that name a metric of METRICS (or, a robust
    objective, METRIC.STATISTIC), each as its list of words."""
    found = []
    for line in text.splitlines():
        words = line.split()
        if line.startswith("  ") and words and (words[0] in METRICS or
                                                words[0].rsplit(".", 1)[0] in METRICS):
            found.append(words)
    return found


def check_rows(text, what, expect_numbers=True):
    """Checks on c that every row of text naming a number metric has no %
    (or, expect_numbers False, has one) and every recovery.Cu row has one;
    returns the rows."""
    found = rows(text)
    c.check(len(found) >= 2, f"{what}: no metric rows\n{text}")
    for words in found:
        share = words[0].startswith("recovery.Cu")
        want = share or not expect_numbers
        c.check(("%" in words) == want,
                f"{what}: {words[0]} printed {'without' if want else 'with'} %: {' '.join(words)}")
    return found


def info(path):
    code, out, err = run(cetwin, ["info", path])
    c.check(code == 0, f"info {path}: exit {code}\n{err}")
    return out


def without(path, new, datasets):
    """A copy new of the result file path without datasets (a file written
    before they were recorded)."""
    with open(path, "rb") as f, open(new, "wb") as g:
        g.write(f.read())
    with h5py.File(new, "a") as f:
        for d in datasets:
            del f[d]
    strip_checksum_record(new)


# --- Monte Carlo of the SKS design: unknown_consumption = infeasibility = 1
mc = os.path.join(work, "mc.h5")
code, out, err = run(cetwin, ["run", case, "-o", mc, "--set", "analysis=mc", "--set",
                              "network.units.smelt.chain=2", "--set", UNCERTAIN, "--set",
                              "mc={draws: 16, metrics: [recovery.Cu, unknown_consumption, "
                              "infeasibility]}"], cwd=work)
c.check(code == 0, f"mc: exit {code}\n{err}")
if code == 0:
    printed = check_rows(out, "mc summary")
    c.check(any(w[0] == "unknown_consumption" and w[1] == "1" for w in printed),
            f"mc summary: unknown_consumption's mean is not 1: {printed}")
    with h5py.File(mc, "r") as f:
        share = dict(zip(f["mc/summary/metrics"].asstr(), f["mc/summary/share"][...])
                     if "mc/summary/share" in f else {})
    c.check(share == {"recovery.Cu": 1, "unknown_consumption": 0, "infeasibility": 0},
            f"/mc/summary/share: {share}")
    c.check(check_rows(info(mc), "mc info") == printed, "mc info: rows differ from the run's")
    old = os.path.join(work, "mc_old.h5")
    without(mc, old, [d for d in ["mc/summary/share"] if share])
    check_rows(info(old), "mc info of a file without /mc/summary/share", expect_numbers=False)
    # a flag other than 0 and 1 is a damaged file: info and merge say where
    bad = os.path.join(work, "mc_bad_share.h5")
    without(mc, bad, [])
    with h5py.File(bad, "a") as f:
        f["mc/summary/share"][1] = 2
    for args in (["info", bad], ["merge", bad, "-o", os.path.join(work, "bad_merged.h5")]):
        code, _, err = run(cetwin, args, cwd=work)
        c.check(code == 1 and "/mc/summary/share: expected 0 or 1" in err and
                "found 2 at 1" in err and not os.path.exists(os.path.join(work, "bad_merged.h5")),
                f"{args[0]} of a share flag 2: exit {code}\n{err}")

# --- robust optimisation: objectives, TOPSIS rows, statistics
opt = os.path.join(work, "robust.h5")
code, out, err = run(cetwin, ["run", case, "-o", opt, "-q", "--set", UNCERTAIN, "--set",
                              "robust={draws: 4}", "--set", "optimize.generations=2", "--set",
                              "objectives=[{metric: recovery.Cu, sense: maximize, statistic: mean}, "
                              "{metric: unknown_consumption, sense: minimize, statistic: p95}]"],
                     cwd=work)
c.check(code == 0, f"robust optimize: exit {code}\n{err}")
if code == 0:
    printed = check_rows(out, "robust optimize")
    # the objectives (2 rows) and the statistics (2 rows)
    c.check(len(printed) == 4, f"robust optimize: rows {printed}")
    topsis = [line.split() for line in out.splitlines() if line.startswith("     1  ")]
    c.check(len(topsis) == 1 and topsis[0].count("%") == 1,
            f"robust optimize: TOPSIS best row {topsis}: one share, one number")
    with h5py.File(opt, "r") as f:
        obj, rob = ([f[d][...].tolist() if d in f else None for d in
                     ("optimize/objectives/share", "optimize/robust/share")])
    c.check(obj == [1, 0] and rob == [1, 0],
            f"/optimize/objectives/share {obj}, /optimize/robust/share {rob}")
    text = info(opt)
    c.check(check_rows(text, "optimize info") == printed,
            f"optimize info: rows differ from the run's\n{text}")
    c.check([line.split() for line in text.splitlines() if line.startswith("     1  ")] == topsis,
            f"optimize info: TOPSIS best row differs from the run's\n{text}")
    old = os.path.join(work, "robust_old.h5")
    without(opt, old, [d for d, v in (("optimize/objectives/share", obj),
                                      ("optimize/robust/share", rob)) if v is not None])
    check_rows(info(old), "optimize info of a file without the share flags", expect_numbers=False)
c.finish()
