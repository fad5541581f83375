"""Monte Carlo from the command line: configs/bollrich.yaml prints Table 3,
the summary and the UNFC rating and writes /mc; 1 and 2 ranks give the same
bits, with and without the stopping rule; input errors exit 1 and runtime
errors exit 2 with a located message and no result file (not even a
.partial); `cetwin merge` rebuilds one run from its shards bit for bit and
refuses shards of different sweeps.

usage: mc_cli.py CETWIN SOURCE_DIR"""
import os
import sys

import h5py

sys.path.insert(0, os.path.dirname(__file__))
from cetwin_testlib import check_same, group_items, run, setup  # noqa: E402

cetwin, source, _, d, c = setup()
case = os.path.join(source, "configs", "bollrich.yaml")
SMALL = ["--set", "mc.draws=3000", "--set", "mc.block=400"]
# Table 3's tolerances per line (docs/validation.md, test_bollrich_table3.c):
# relative to the printed value; asset liquidation to its printed precision.
TABLE3_REL_TOL = {"npv": 0.02, "dcf.CAPEX": 0.02, "dcf.residue disposal": 0.02,
                  "dcf.rehabilitation": 0.02, "dcf.OPEX": 0.05, "dcf.diesel": 0.05,
                  "dcf.electric energy": 0.05, "dcf.BaSO4": 0.002, "dcf.Cu": 0.002,
                  "dcf.Pb": 0.002, "dcf.Zn": 0.002, "dcf.Co": 0.002, "dcf.Ga": 0.002,
                  "dcf.In": 0.002}
TABLE3_ABS_TOL = {"dcf.asset liquidation": 0.05e6}  # EUR


def out(name):
    return os.path.join(d, name)


def no_files(path, what):
    c.check(not os.path.exists(path) and not os.path.exists(path + ".partial"),
            f"{what}: a result file was left behind")


# --- the case runs and prints what the issue asks -------------------------
# (the reference tables of every scenario are printed with --verbose)
code, stdout, err = run(cetwin, ["run", case, "-o", out("one.h5"), "--verbose"] + SMALL)
c.check(code == 0, f"bollrich: exit {code}\n{err}")
for text in ("NRR0     npv", "ERR2o    dcf.residue sales", "CRR1p    dcf.asset liquidation",
             "Monte Carlo summary: 3000 draws", "P(<0)", "CVaR5",
             "CRR1: (14) E3.1a from CRR1m", "E3.3a from CRR1p", "-> E a E3.3a",
             "ERR2: (14) E3.1a", "(15) E3.1a from ERR2p"):
    c.check(text in stdout, f"summary lacks '{text}'")
c.check("mc draws" in err, "no progress line on stderr")
with h5py.File(out("one.h5"), "r") as f:
    c.check(f.attrs["analysis"] == "mc", "root attribute analysis")
    names = list(f["mc/summary/metrics"].asstr()[...])
    c.check(names[0] == "npv" and f["mc/summary/n"][0] == 3000, "summary of npv")
    ref = f["mc/scenarios/CRR1m/reference"]
    lines = list(ref["metric"].asstr()[...])
    c.check(sorted(lines) == sorted(list(TABLE3_REL_TOL) + list(TABLE3_ABS_TOL)),
            f"CRR1m reference lines {lines}")
    for line, value, dev in zip(lines, ref["value"][...], ref["deviation"][...]):
        tol = TABLE3_ABS_TOL.get(line, TABLE3_REL_TOL.get(line, 0.0) * abs(value))
        c.check(abs(dev * value) <= tol,
                f"CRR1m {line}: {dev:+.2%} from Table 3 ({value:g}), tolerance {tol:g}")
    overall = list(f["mc/unfc/overall"].asstr()[...])
    c.check(overall[1:] == ["E3.3a", "E3.3a", "E3.1a"], f"UNFC overall {overall}")
    c.check("draws" not in f["mc"], "draws stored without mc.store_draws")
    c.check(any("prices-ar.yaml" in n for n in f["input/files"].asstr()[...]),
            "the included files are not recorded")

code, _, err = run(cetwin, ["run", case, "-o", out("two.h5")] + SMALL, ranks=2)
c.check(code == 0, f"2 ranks: exit {code}\n{err}")
if code == 0:
    check_same(c, group_items(out("one.h5")), group_items(out("two.h5")), "1 vs 2 ranks")

# --- percentiles found in selection passes: the bits of one pass -----------
for ranks, extra in ((1, []), (2, ["--set", "mc.store_draws=true"])):
    path = out(f"passes{ranks}.h5")
    code, stdout, err = run(cetwin, ["run", case, "-o", path, "--set", "mc.quantile_buffer=40"]
                            + SMALL + extra, ranks=ranks)
    # the draws are evaluated again (progress of each pass), or their rows
    # read again when they are kept
    c.check(code == 0 and " passes, " in stdout and ("selection pass 2" in err) == (not extra),
            f"selection passes, {ranks} ranks: exit {code}\n{stdout}\n{err}")
    if code == 0:
        got = {k: v for k, v in group_items(path).items()
               if not k.startswith("draws") and k != "@store_draws"}
        want = {k: v for k, v in group_items(out("one.h5")).items() if k != "@store_draws"}
        check_same(c, want, got, f"one pass vs selection passes, {ranks} ranks")
code, _, err = run(cetwin, ["run", case, "-o", out("nobuffer.h5"), "--set",
                            "mc.quantile_buffer=0"] + SMALL)
c.check(code == 1 and "mc.quantile_buffer: expected an integer in [1, " in err,
        f"mc.quantile_buffer=0: exit {code}\n{err}")
no_files(out("nobuffer.h5"), "mc.quantile_buffer=0")

# --- the stopping rule takes the same decision on any rank count -----------
STOP = SMALL + ["--set", "mc.stop={metric: npv, rse: 0.012, min_draws: 800}"]
results = []
for ranks in (1, 2):
    path = out(f"stop{ranks}.h5")
    code, stdout, err = run(cetwin, ["run", case, "-o", path, "-q"] + STOP, ranks=ranks)
    c.check(code == 0, f"stop rule, {ranks} ranks: exit {code}\n{err}")
    if code == 0:
        results.append(group_items(path))
if len(results) == 2:
    check_same(c, results[0], results[1], "stopping rule, 1 vs 2 ranks")
    c.check(results[0]["@stopped"] == 1 and results[0]["@draws"] < 3000,
            f"the rule did not stop: {results[0]['@draws']} draws")
    c.check(results[0]["@draws"] % 400 == 0, "stopped off a block boundary")

# --- input errors: exit 1, located message, no file -------------------------
ERRORS = [
    (["--set", "uncertain=[{path: economics.discount_rate, distribution: weibull}]"],
     "uncertain[0].distribution", "weibull"),
    (["--set", "uncertain=[{path: economics.lines.dredgr.unit_value, distribution: uniform, "
      "min: 1, max: 2}]"], "no parameter 'economics.lines.dredgr.unit_value'",
     "economics.lines.dredger.unit_value"),
    (["--set", "prices.correlation.matrix[1][0]=0.99", "--set",
      "prices.correlation.matrix[0][1]=0.99", "--set", "prices.correlation.matrix[1][2]=-0.99",
      "--set", "prices.correlation.matrix[2][1]=-0.99"], "prices.correlation",
     "not positive definite"),
    (["--set", "mc.metrics=[npv, nvp]"], "mc.metrics[1]: no metric 'nvp'", "npv"),
    (["--set", "unfc.projects.CRR1.pessimistic=CRR9"],
     "unfc.projects.CRR1.pessimistic: unknown scenario 'CRR9'", "(see scenarios:)"),
]
for sets, fragment, fragment2 in ERRORS:
    path = out("bad.h5")
    code, _, err = run(cetwin, ["run", case, "-o", path] + SMALL + sets)
    c.check(code == 1, f"{sets}: exit {code}, expected 1\n{err}")
    c.check(fragment in err and fragment2 in err,
            f"{sets}: message lacks '{fragment}' or '{fragment2}':\n{err}")
    c.check("bollrich" in err or "--set" in err, f"{sets}: message without a location:\n{err}")
    no_files(path, str(sets))

# a bad CSV history, named relative to the case file
bad_case = out("hist.yaml")
with open(out("zn.csv"), "w") as f:
    f.write("year,value\n2001,1.0\n2002,oops\n")
with open(bad_case, "w") as f:
    f.write(f"name: hist\nanalysis: mc\neconomics: !include {source}/configs/bollrich/nrr0.yaml\n"
            "prices:\n  Zn: {model: ar, csv: zn.csv}\n")
code, _, err = run(cetwin, ["run", bad_case, "-o", out("hist.h5")])
c.check(code == 1 and "prices.Zn.csv" in err and "zn.csv:3:" in err,
        f"bad CSV: exit {code}\n{err}")
no_files(out("hist.h5"), "bad CSV")

# a runtime failure (a drawn renewal year that is not a whole year): exit 2
for ranks in (1, 2):
    path = out(f"runtime{ranks}.h5")
    code, _, err = run(cetwin, ["run", case, "-o", path] + SMALL + [
        "--set", "uncertain=[{path: economics.lines.pipeline.renewal_year, distribution: "
        "discrete, values: [5.5]}]"], ranks=ranks)
    c.check(code == 2 and "draw 0" in err and "whole number" in err,
            f"runtime error, {ranks} ranks: exit {code}\n{err}")
    no_files(path, f"runtime error, {ranks} ranks")

# --- merge -----------------------------------------------------------------
STORE = ["--set", "mc.store_draws=true", "--set", "mc.block=500"]
code, _, err = run(cetwin, ["run", case, "-o", out("full.h5"), "-q", "--set", "mc.draws=3000"]
                   + STORE, ranks=2)
c.check(code == 0, f"full run: exit {code}\n{err}")
shards = [("s0.h5", 0, 1200, 2), ("s1.h5", 1200, 1000, 1), ("s2.h5", 2200, 800, 2)]
for name, first, n, ranks in shards:
    code, _, err = run(cetwin, ["run", case, "-o", out(name), "-q", "--set",
                                f"mc.first_draw={first}", "--set", f"mc.draws={n}"] + STORE,
                       ranks=ranks)
    c.check(code == 0, f"shard {name}: exit {code}\n{err}")
code, stdout, err = run(cetwin, ["merge", out("s2.h5"), out("s0.h5"), out("s1.h5"), "-o",
                                 out("merged.h5")])
c.check(code == 0 and "3 shards, 3000 draws" in stdout, f"merge: exit {code}\n{stdout}\n{err}")
if code == 0:
    check_same(c, group_items(out("full.h5")), group_items(out("merged.h5")), "merged vs one run")

code, _, err = run(cetwin, ["run", case, "-o", out("seed.h5"), "-q", "--set", "seed=9", "--set",
                            "mc.first_draw=3000", "--set", "mc.draws=100"] + STORE)
MERGE_ERRORS = [
    ([out("s0.h5"), out("seed.h5")], "share the seed"),
    ([out("s0.h5"), out("full.h5")], "overlap"),
    ([out("s0.h5"), out("s0.h5")], "given twice"),
    ([out("s0.h5"), os.path.join(d, "nothere.h5")], "cannot open"),
]
for files, fragment in MERGE_ERRORS:
    path = out("badmerge.h5")
    code, _, err = run(cetwin, ["merge"] + files + ["-o", path])
    c.check(code == 1 and fragment in err, f"merge {files}: exit {code}\n{err}")
    no_files(path, f"merge {files}")
code, _, err = run(cetwin, ["merge", out("s0.h5")])
c.check(code == 1 and "-o OUT.h5" in err, f"merge without -o: exit {code}\n{err}")
# simulate on a twin of economics alone prints and writes its cash-flow table
sim = out("nrr0.yaml")
with open(sim, "w") as f:
    f.write(f"name: nrr0\nanalysis: simulate\neconomics: !include {source}/configs/bollrich/nrr0.yaml\n")
code, stdout, err = run(cetwin, ["run", sim, "-o", out("nrr0.h5")])
c.check(code == 0 and "Cash flow by group" in stdout and "closure & leachate phase" in stdout,
        f"simulate economics: exit {code}\n{stdout}\n{err}")
if code == 0:
    with h5py.File(out("nrr0.h5"), "r") as f:
        npv = f["simulate/cash_flow/cumulative_discounted"][-1]
        c.check(abs(npv / 1e6 + 124.57) < 0.01, f"simulate NRR0 NPV {npv}")

code, stdout, _ = run(cetwin, ["validate", case])
c.check(code == 0 and "7 scenarios" in stdout, f"validate: {stdout}")
c.finish()
