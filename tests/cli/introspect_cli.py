"""Introspection: `cetwin params`, `cetwin metrics` and the plan `cetwin
validate` prints, on every shipped case; and the splitter trap (a variable
on one of a splitter's fractions is an input error, `shares:` are the
shares used and recorded).

1. Every path `cetwin params` lists for a shipped case is accepted by
   --set with its own value (one `validate` per case), and --set reaches
   the listed parameter (a changed value is listed back).
2. --match filters the listing as documented; no match is exit 1 naming
   the closest path; usage errors.
3. `cetwin metrics` of every case; its names and units are those of a
   simulate result.
4. The plans of `cetwin validate` hold their key lines, on 1 and more ranks.
5. The splitter trap in mc, robust optimize, optimize, sensitivity factors
   and sweeps; a Monte Carlo over a share records the share the flowsheet
   used.

usage: introspect_cli.py CETWIN SOURCE_DIR"""
import glob
import os
import re
import sys

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from cetwin_testlib import expect_input_error, run, run_all, setup  # noqa: E402

cetwin, source, _, work, c = setup()
configs = sorted(glob.glob(os.path.join(source, "configs", "*.yaml")))
c.check(len(configs) >= 9, f"shipped cases: {configs}")


def listing(args, what):
    """Runs `cetwin params ARGS`; returns (exit code, rows, header count,
    stderr): rows are (path, value, range, units) in order."""
    code, out, err = run(cetwin, ["params"] + args)
    rows, count = [], None
    for line in out.splitlines():
        m = re.match(r"# (\d+) of the (\d+) parameters of case", line)
        if m:
            count = int(m.group(1))
            continue
        if line.startswith("PATH "):
            continue
        m = re.match(r"(\S+)\s+(\S+)\s+(\[\S+, \S+\])\s+(.*)$", line)
        c.check(m is not None, f"{what}: unreadable line {line!r}")
        if m:
            rows.append(m.groups())
    return code, rows, count, err


def sets(pairs):
    args = []
    for path, value in pairs:
        args += ["--set", f"{path}={value}"]
    return args


# --- 1. every listed path is accepted by --set and reaches its parameter --------
listed = {}


def check_case(case):
    name = os.path.basename(case)
    code, rows, count, err = listing([case], name)
    c.check(code == 0, f"params {name}: exit {code}\n{err}")
    listed[name] = rows
    if not rows:
        c.check("describes no twin" in err and "--set accepts any key" in err,
                f"params {name}: no rows and no notice\n{err}")
        return
    paths = [r[0] for r in rows]
    c.check(count == len(rows), f"params {name}: header says {count}, {len(rows)} rows")
    c.check(len(set(paths)) == len(paths), f"params {name}: a path is listed twice")
    # each path with its own value, all in one process
    code, out, err = run(cetwin, ["validate", case] + sets((r[0], r[1]) for r in rows))
    c.check(code == 0 and "valid" in out, f"{name}: --set of every listed path with its own "
            f"value: exit {code}\n{err[-3000:]}")
    # a changed value reaches the parameter: every parameter without an upper
    # bound and with a known value takes 2 x + 1 (a splitter's fractions, which
    # must sum to 1, left alone)
    open_ended = [(r[0], repr(2 * float(r[1]) + 1)) for r in rows
                  if r[2].endswith(", inf]") and r[1] != "~"
                  and not re.search(r"\.fractions\[\d+\]$", r[0])]
    c.check(len(open_ended) > 5, f"{name}: few open-ended parameters to change")
    code, again, _, err = listing([case] + sets(open_ended), name + " with changes")
    changed = dict(open_ended)
    c.check(code == 0 and [r[0] for r in again] == paths,
            f"{name}: listing after --set: exit {code}\n{err[-2000:]}")
    wrong = [(r[0], r[1], changed.get(r[0])) for r, orig in zip(again, rows)
             if float(r[1] if r[1] != "~" else "nan") != float(changed.get(r[0], orig[1])
                                                              .replace("~", "nan"))
             and not (r[1] == "~" and orig[1] == "~")]
    c.check(not wrong, f"{name}: --set did not reach {wrong[:5]}")


run_all([lambda case=case: check_case(case) for case in configs])  # four at a time
c.check(sum(len(r) for r in listed.values()) > 1000, "shipped cases list parameters")

# --- 2. --match --------------------------------------------------------------------


def glob_regex(pattern):
    return re.compile("^" + "".join(".*" if ch == "*" else "." if ch == "?" else re.escape(ch)
                                    for ch in pattern) + "$")


bollrich = os.path.join(source, "configs", "bollrich.yaml")
network = os.path.join(source, "configs", "bonnin-pwb-network.yaml")
for case, pattern in ((bollrich, "prices.*.factor"), (bollrich, "economics.lines.*"),
                      (network, "*fractions[0]"), (network, "network.units.share.fractions[?]"),
                      (network, "*.split.Cu.*"), (bollrich, "*")):
    name = os.path.basename(case)
    code, rows, count, err = listing([case, "--match", pattern], f"{name} --match {pattern}")
    want = [r[0] for r in listed[name] if glob_regex(pattern).match(r[0])]
    c.check(code == 0 and want and [r[0] for r in rows] == want and count == len(want),
            f"{name} --match {pattern}: exit {code}, {len(rows)} rows, want {len(want)}\n{err}")
code, rows, _, _ = listing([network, "--match", "*fractions[0]"], "literal brackets")
c.check([r[0] for r in rows] == ["network.units.share.fractions[0]"], f"brackets: {rows}")
code, rows, _, err = listing([bollrich, "--match=price.Cu"], "no match")
c.check(code == 1 and not rows and "no parameter of case 'bollrich' matches 'price.Cu'" in err
        and "closest path: prices.Cu.factor" in err, f"no match: exit {code}\n{err}")
c.check("e.g. '*price.Cu*'" in err, f"no match: the hint wraps the pattern in '*'\n{err}")
# a pattern with wildcards of its own gets no '*...*' hint ('*nope**' helps nobody)
code, rows, _, err = listing([bollrich, "--match", "nope*"], "no match with a wildcard")
c.check(code == 1 and not rows and "matches 'nope*'" in err and "'*nope*" not in err
        and "closest path:" in err, f"no match with a wildcard: exit {code}\n{err}")
code, _, _, err = listing([os.path.join(source, "configs", "bonnin-pwb.yaml"), "--match", "*"],
                          "match without a twin")
c.check(code == 1 and "has no twin" in err, f"--match on an enumerate case: exit {code}\n{err}")
code, rows, _, err = listing([bollrich, "--set", "economics.discount_rate=0.2", "--match",
                              "economics.discount_rate"], "with --set")
c.check(code == 0 and rows and rows[0][1] == "0.2", f"params with --set: {rows}\n{err}")
for args, message in (
        (["params", bollrich, "--match"], "--match expects a pattern"),
        (["params", bollrich, "--match="], "--match expects a pattern"),
        (["metrics", bollrich, "--match", "*"], "unknown option '--match'"),
        (["validate", bollrich, "--match", "*"], "unknown option '--match'"),
        (["params", bollrich, "-o", "x.h5"], "params takes a case file and --set and --match "
         "only, found -o"),
        (["params", bollrich, "--threads", "2"], "found --threads"),
        (["metrics", bollrich, "--restart", "c.h5"], "metrics takes a case file and --set only, "
         "found --restart"),
        (["params"], "missing CASE.yaml"),
        (["metrics"], "missing CASE.yaml")):
    code, _, err = run(cetwin, args)
    c.check(code == 1 and message in err, f"{args}: exit {code}\n{err}")
# a bad case: the located message of validate, exit 1
for command in ("params", "metrics"):
    code, out, err = run(cetwin, [command, bollrich, "--set", "economics.contingency=-1"])
    c.check(code == 1 and "--set economics.contingency=-1: economics.contingency" in err
            and not out, f"{command} on a bad case: exit {code}\n{out}{err}")
    code, _, err = run(cetwin, [command, os.path.join(work, "missing.yaml")])
    c.check(code == 1 and "missing.yaml" in err, f"{command} on a missing file: {err}")
for command, words in (("params", ["--match GLOB", "'*' stands for any", "Exit codes"]),
                       ("metrics", ["units", "Exit codes"]),
                       ("validate", ["plan", "--threads"])):
    code, out, _ = run(cetwin, [command, "--help"])
    c.check(code == 0 and all(w in out for w in words), f"{command} --help: {out}")
code, out, _ = run(cetwin, ["--help"])
c.check("cetwin params CASE.yaml [--match GLOB]" in out and "cetwin metrics CASE.yaml" in out,
        f"--help lists params and metrics\n{out}")

# --- 3. metrics -----------------------------------------------------------------------
metric_rows = {}
for case in configs:
    name = os.path.basename(case)
    code, out, err = run(cetwin, ["metrics", case])
    c.check(code == 0, f"metrics {name}: exit {code}\n{err}")
    lines = out.splitlines()
    if not lines:
        c.check("describes no twin" in err, f"metrics {name}: no notice\n{err}")
        continue
    m = re.match(r"# (\d+) metrics of case", lines[0])
    header = lines[1]
    c.check(m is not None and header.startswith("METRIC "), f"metrics {name}: header {lines[:2]}")
    start = header.index("UNITS")
    end = header.index("DESCRIPTION")
    rows = [(ln[:start].strip(), ln[start:end].strip(), ln[end:].strip()) for ln in lines[2:]]
    c.check(m is not None and int(m.group(1)) == len(rows) and all(r[0] and r[1] and r[2]
                                                                   for r in rows),
            f"metrics {name}: {len(rows)} rows\n{out[:2000]}")
    metric_rows[name] = rows
npv = [r for r in metric_rows.get("bollrich.yaml", []) if r[0] == "npv"]
c.check(npv and npv[0][1] == "EUR", f"bollrich npv: {npv}")
socrates = os.path.join(source, "configs", "socrates-eu-slag.yaml")
result = os.path.join(work, "socrates.h5")
code, _, err = run(cetwin, ["run", socrates, "-o", result, "-q"])
c.check(code == 0, f"simulate socrates: exit {code}\n{err}")
if code == 0:
    with h5py.File(result, "r") as f:
        names = [s.decode() for s in f["simulate/metrics/name"][...]]
        units = [s.decode() for s in f["simulate/metrics/units"][...]]
        ppaths = [s.decode() for s in f["simulate/parameters/path"][...]]
        pvalues = f["simulate/parameters/value"][...]
    rows = metric_rows.get("socrates-eu-slag.yaml", [])
    c.check([r[0] for r in rows] == names and [r[1] for r in rows] == [u or "-" for u in units],
            "metrics of socrates differ from /simulate/metrics")
    prow = listed["socrates-eu-slag.yaml"]
    c.check([r[0] for r in prow] == ppaths and
            all(float(r[1]) == v for r, v in zip(prow, pvalues)),
            "params of socrates differ from /simulate/parameters")

# --- 4. the plans of validate ------------------------------------------------------
PLANS = {
    "bonnin-pwb.yaml": ["plan:", "launch       1 MPI rank x 1 OpenMP thread; one process",
                        "feed         'PWB', 5 t/day of 6 components, main component Cu",
                        "enumerate    chains of at most 10 processes to purity 0.999"],
    "socrates-eu-slag.yaml": ["launch       1 MPI rank x 1 OpenMP thread; one evaluation",
                              "twin         10 units (2 feeds, 1 process, 2 splitters, 5 sinks), "
                              "10 streams, 0 recycle loops", "parameters   69", "metrics      149"],
    "bollrich.yaml": ["twin         no flowsheet network: economics only",
                      "economics    12 years from 2021, 9 price series",
                      "uncertain prices (stochastic paths, correlated shocks)",
                      "draws        200000 (indices 0..199999), seed 2021",
                      "blocks       49 blocks of 4096, 49 per rank", "scenario     NRR0"],
    "bonnin-pwb-optimize.yaml": [
        "launch       1 MPI rank x 1 OpenMP thread; 4 islands, 4 per rank",
        "design       network.units.share.fractions[6] in [0, 1], sum-to-one group 0",
        "objective    maximize usage.flowrate (nominal)",
        "generations  400 of 200 individuals per island, seed 1: 3.208e+05 twin evaluations"],
    "bollrich-robust.yaml": ["objective    maximize npv (p5)",
                             "robust       500 draws per design (common random numbers",
                             "design       network.units.sales.fractions[1] in [0, 1], "
                             "sum-to-one group 1"],
    "cu-zn-reconcile.yaml": ["launch       1 MPI rank x 1 OpenMP thread; one reconciliation",
                             "measurements 48: 24 total flows, 1 component flow, 23 fractions",
                             "read         1 listed in the case, 47 from ",
                             "method       weighted least squares on the balances, bilinear",
                             "tests        global chi-square and normalised adjustments at "
                             "alpha = 0.05"],
    "cu-zn-sensitivity.yaml": ["factor ", "leach Zn to residue ", "metrics      recovery.Zn, gwp",
                               "morris       10 factors, 20 trajectories on 4 levels",
                               "sobol        10 factors, N = 4096 base rows",
                               "sobol blocks 16 blocks of 256, 16 per rank"],
}
for case in configs:
    name = os.path.basename(case)
    code, out, err = run(cetwin, ["validate", case, "--threads", "1"])
    want = PLANS.get(name, ["plan:", "launch       1 MPI rank x 1 OpenMP thread"])
    missing = [w for w in want + ["plan:", "\n  launch "] if w not in out]
    c.check(code == 0 and not missing, f"validate {name}: exit {code}, lacks {missing}\n{out}")
optimize = os.path.join(source, "configs", "bonnin-pwb-optimize.yaml")
code, out, err = run(cetwin, ["validate", optimize, "--threads", "2"], ranks=2)
c.check(code == 0 and "2 MPI ranks x 2 OpenMP threads; 4 islands, 2 per rank" in out
        and out.count("plan:") == 1, f"plan on 2 ranks: exit {code}\n{out}{err}")
code, out, err = run(cetwin, ["validate", optimize, "--threads", "1"], ranks=3)
c.check(code == 0 and "4 islands is not a multiple of 3 ranks" in out,
        f"plan on 3 ranks: exit {code}\n{out}{err}")
code, out, err = run(cetwin, ["validate", bollrich, "--threads", "1", "--set", "mc.draws=1000",
                              "--set", "mc.block=100"], ranks=4)
c.check(code == 0 and "blocks       10 blocks of 100, 2.5 per rank" in out,
        f"mc plan on 4 ranks: exit {code}\n{out}{err}")

# --- 5. the splitter trap ----------------------------------------------------------
SPLIT = """name: split
analysis: ANALYSIS
seed: 5
components: [A, B]
network:
  units:
    feed: {type: feed, flow: 100, composition: {A: 0.5, B: 0.5}}
    route: {type: splitter, outlets: [sold, dumped], SPLIT}
    market: {type: sink, kind: market}
    dump: {type: sink, kind: landfill}
  streams:
    - {from: feed, to: route}
    - {from: route.sold, to: market}
    - {from: route.dumped, to: dump}
"""
MC = """uncertain:
  - {path: 'PATH', distribution: uniform, min: 0, max: 1}
mc: {draws: 200, block: 50, store_draws: true, metrics: [production, residue_landfilled]}
"""


def split_case(name, split, path=None):
    """A case file: a feed split between a market and a landfill; with
    path, a Monte Carlo over that parameter, else a simulation."""
    text = SPLIT.replace("SPLIT", split).replace("ANALYSIS", "mc" if path else "simulate")
    if path:
        text += MC.replace("PATH", path)
    case = os.path.join(work, name)
    with open(case, "w") as f:
        f.write(text)
    return case, text


shares, _ = split_case("shares_mc.yaml", "shares: [0.5]", "network.units.route.shares[0]")
out = os.path.join(work, "shares.h5")
code, _, err = run(cetwin, ["run", shares, "-o", out, "-q"], ranks=2)
c.check(code == 0, f"mc over a share: exit {code}\n{err}")
if code == 0:
    with h5py.File(out, "r") as f:
        u = f["mc/draws/inputs"][:, 0]
        sold = f["mc/draws/metrics"][:, 0]
        dumped = f["mc/draws/metrics"][:, 1]
    # the recorded input is the share the flowsheet used
    c.check(np.allclose(sold, 100 * u, rtol=1e-12, atol=1e-9) and
            np.allclose(dumped, 100 * (1 - u), rtol=1e-12, atol=1e-9) and u.std() > 0.2,
            f"recorded shares {u[:4]} against sold/100 {sold[:4] / 100}")
fractions_mc, text = split_case("fractions_mc.yaml", "fractions: [0.5, 0.5]",
                                "network.units.route.fractions[0]")
line = next(i + 1 for i, ln in enumerate(text.splitlines()) if "{path: " in ln)
TRAP = ["is one of the fractions of a splitter, which the twin divides by their sum",
        "network.units.route.shares[K]", "sum_to_one: true"]
for ranks in (0, 2):
    expect_input_error(c, cetwin, ["run", fractions_mc],
                       [f"fractions_mc.yaml:{line}:", "uncertain[0].path: "
                        "network.units.route.fractions[0] is one"] + TRAP,
                       os.path.join(work, "trap.h5"), ranks=ranks)
shares, _ = split_case("shares.yaml", "shares: [0.5]")
fractions, _ = split_case("fractions.yaml", "fractions: [0.5, 0.5]")
# the listing marks fractions (varied only whole), not shares
MARK = "(divided by the sum of its list: varied only whole)"
for case, path, marked in ((fractions, "network.units.route.fractions[1]", True),
                           (shares, "network.units.route.shares[0]", False)):
    code, rows, _, err = listing([case, "--match", "*route*"], path)
    c.check(code == 0 and [r[0] for r in rows][-1] == path and
            all((MARK in r[3]) == marked for r in rows), f"params of {path}: {rows}\n{err}")
FLOW = "{name: flow, path: network.units.feed.flow, change: [-0.1, 0.1]}"
UNCERTAIN = "uncertain=[{path: 'network.units.route.fractions[0]', distribution: uniform, " \
    "min: 0, max: 1}]"
for what, changes, fragments in (
        ("sensitivity factor",
         ["analysis=sensitivity", "sensitivity={factors: [{name: route, path: "
          "'network.units.route.fractions[1]', low: 0, high: 1}], metrics: [production], "
          "oat: {}}"], ["sensitivity.factors[0]", "fractions[1] is one of the fractions"]),
        ("sensitivity over an uncertain fraction",
         ["analysis=sensitivity", UNCERTAIN, "sensitivity={metrics: [production], oat: {}}"],
         ["uncertain[0].path", "fractions[0] is one of the fractions"]),
        ("sweep",
         ["analysis=sensitivity", f"sensitivity={{factors: [{FLOW}], metrics: [production], "
          "sweep: {values: {'network.units.route.fractions[0]': [0.2, 0.4]}}}"],
         ["sensitivity.sweep.values", "fractions[0] is one of the fractions"]),
        ("design",
         ["analysis=optimize", "design=[{path: 'network.units.route.fractions[0]', "
          "bounds: [0, 1]}]", "objectives=[{metric: production, sense: maximize}]"],
         ["design[0].path", "fractions[0] is one of the fractions"]),
        ("robust uncertain",
         ["analysis=optimize", "design=[{path: network.units.route.fractions, sum_to_one: true}]",
          "objectives=[{metric: production, sense: maximize, statistic: mean}]",
          "robust={draws: 4}", UNCERTAIN],
         ["uncertain[0].path", "fractions[0] is one of the fractions"])):
    expect_input_error(c, cetwin, ["run", fractions] + sets(x.split("=", 1) for x in changes),
                       fragments + TRAP[1:], os.path.join(work, "trap.h5"), what=what)
# the right ways are valid: shares in every analysis, a sum_to_one group of fractions
for what, case, changes in (
        ("sensitivity over a share", shares,
         ["analysis=sensitivity", "sensitivity={factors: [{name: route, path: "
          "'network.units.route.shares[0]', low: 0, high: 1}], metrics: [production], oat: {}, "
          "sweep: {values: {'network.units.route.shares[0]': [0.2, 0.4]}}}"]),
        ("design of a share", shares,
         ["analysis=optimize", "design=[{path: 'network.units.route.shares[0]', "
          "bounds: [0, 1]}]", "objectives=[{metric: production, sense: maximize}]"]),
        ("sum_to_one group of fractions", fractions,
         ["analysis=optimize", "design=[{path: network.units.route.fractions, "
          "sum_to_one: true}]", "objectives=[{metric: production, sense: maximize}]"])):
    code, out, err = run(cetwin, ["validate", case] + sets(x.split("=", 1) for x in changes))
    c.check(code == 0 and "valid" in out, f"{what}: exit {code}\n{err}")
c.finish()
