"""Robust optimisation (configs/bollrich-robust.yaml) through the cetwin
program:
  1. every bad robust input exits 1 with one message naming where the
     problem is, and leaves no result file, also under mpirun -n 2;
  2. common random numbers: the statistics an optimisation reports for a
     front point are those a Monte Carlo of the same twin at that design
     and the same seed computes (mean, sd, p5, p95 of npv to 1e-12
     relative; CO2e exactly);
  3. with optimize.include_case_design the front holds the case's own
     design (CRR1: no scavenger, no offtake), which random designs miss;
     the case's own value outside a design variable's bounds is an input
     error;
  4. the network twin at the default design (no scavenger, no offtake) is
     the paper's CRR1: its Monte Carlo equals that of configs/bollrich.yaml
     with the same seed (mean, sd and percentiles of npv to 1e-9 relative).

usage: robust_cli.py CETWIN SOURCE_DIR"""
import os
import sys

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
import cetwin_testlib as testlib  # noqa: E402
from cetwin_testlib import run, setup  # noqa: E402

cetwin, source, _, work, c = setup()
robust = os.path.join(source, "configs", "bollrich-robust.yaml")
paper = os.path.join(source, "configs", "bollrich.yaml")
small = os.path.join(source, "tests", "regression", "optimize_small.yaml")
# a short optimisation: 2 islands x 12 individuals, 3 generations, 64 draws
SHORT = ["--set", "robust.draws=64", "--set", "optimize.population=12", "--set",
         "optimize.generations=3"]
DRAWS = 64


def expect_input_error(case, sets, fragments, ranks=0):
    testlib.expect_input_error(c, cetwin, ["run", case] + sets, fragments,
                               os.path.join(work, "bad.h5"), ranks, work, " ".join(sets) or case)


# --- 1. bad robust input -----------------------------------------------------
with open(robust) as f:
    lines = f.read().splitlines()
uncertain_line = next(i + 1 for i, s in enumerate(lines) if s.startswith("uncertain:"))
robust_line = next(i + 1 for i, s in enumerate(lines) if s.startswith("robust:"))
for ranks in (0, 2):
    expect_input_error(robust, ["--set", "robust=null"],
                       [f"bollrich-robust.yaml:{uncertain_line + 1}:", "uncertain",
                        "add robust: {draws: K}"], ranks)
expect_input_error(robust, ["--set", "uncertain=null"],
                   [f"bollrich-robust.yaml:{robust_line + 1}:", "robust",
                    "add uncertain: (as in analysis: mc), found none"])
for sets, fragments in (
        (["robust.draws=0"], ["--set robust.draws=0", "robust.draws",
                              "expected an integer in [1, 10000000], found '0'"]),
        (["robust.draws=2.5"], ["robust.draws", "found '2.5'"]),
        (["robust={draws: 5, drws: 3}"], ["robust.drws", "unknown key", "did you mean 'draws'"]),
        (["robust.seed=-1"], ["robust.seed", "found '-1'"]),
        (["objectives[0].statistic=p7"],
         ["objectives[0].statistic", "expected one of nominal, mean, sd, p5", "found 'p7'"]),
        (["objectives[1].statistic=mean"],
         ["bollrich-robust.yaml:", "objectives[1].metric",
          "metric 'npv' with statistic mean is already objective 0"]),
        (["robust.draws=1", "objectives[0].statistic=sd"],
         ["objectives[0].statistic", "statistic 'sd' needs at least 2 draws"]),
        (["uncertain=[]"], ["uncertain", "expected at least one uncertain variable"]),
        (["design[1]={path: economics.discount_rate, bounds: [0.05, 0.2]}",
          "uncertain=[{path: economics.discount_rate, distribution: uniform, min: 0.05, "
          "max: 0.2}]"],
         ["uncertain[0].path", "is design variable 2",
          "a parameter is either designed or uncertain, not both"]),
        # one fraction of a splitter drawn alone would be divided by the sum
        (["uncertain=[{path: 'network.units.scavenge.fractions[0]', distribution: uniform, "
          "min: 0, max: 1}]"],
         ["uncertain[0].path", "network.units.scavenge.fractions[0] is one of the fractions of "
          "a splitter", "network.units.scavenge.shares[K]"]),
        (["uncertain=[{price: [Cu, Zn, Cu]}]"], ["uncertain[0].price[2]",
                                                "price 'Cu' is listed twice"]),
):
    args = []
    for s in sets:
        args += ["--set", s]
    expect_input_error(robust, args, fragments)
expect_input_error(robust, ["--set", "robust.draws=0"], ["robust.draws"], ranks=2)
expect_input_error(small, ["--set", "optimize.include_case_design=true", "--set",
                          "design[1].bounds=[0.92, 0.95]"],
                   ["optimize.include_case_design", "design variable 2 "
                    "(network.units.p.split.A.product) is 0.9, outside its bounds [0.92, 0.95]"])
expect_input_error(small, ["--set", "optimize.include_case_design=yes please"],
                   ["optimize.include_case_design"])
# a statistic where there are no draws
expect_input_error(small, ["--set", "objectives[0].statistic=mean"],
                   ["objectives[0].statistic", "statistic 'mean' is taken over the draws of a "
                    "robust case"])
code, _, err = run(cetwin, ["validate", robust])
c.check(code == 0, f"validate {robust}: exit {code}\n{err}")

# --- 2. a front point's statistics are the Monte Carlo's at its design ------
front_file = os.path.join(work, "robust.h5")
code, stdout, err = run(cetwin, ["run", robust, "-o", front_file, "-q"] + SHORT, ranks=2)
c.check(code == 0, f"short robust run: exit {code}\n{err}")
c.check(f"same {DRAWS} draws" in stdout and "common random numbers" in stdout,
        f"the summary does not state the draws\n{stdout}")
with h5py.File(front_file, "r") as f:
    front = f["optimize/front"]
    design = front["design"][...]
    objectives = front["objectives"][...]
    stats = front["statistics"][...]
    paths = [p.decode() for p in f["optimize/design/path"][...]] \
        if "design/path" in f["optimize"] else None
    names = [s.decode() for s in f["optimize/robust/statistics"][...]]
    metrics = [m.decode() for m in f["optimize/robust/metrics"][...]]
    robust_attrs = dict(f["optimize/robust"].attrs)
    # the AR models the price paths of the draws come from
    ar_series = list(f["prices/ar/series"].asstr()[...]) if "prices/ar" in f else []
c.check(ar_series == ["BaSO4", "Cu", "Pb", "Zn", "Co", "Ga", "In", "diesel"],
        f"/prices/ar/series of a robust run: {ar_series}")
c.check(int(robust_attrs.get("draws", -1)) == DRAWS and int(robust_attrs.get("seed", -1)) == 2021,
        f"/optimize/robust attributes {robust_attrs}")
c.check(metrics == ["npv", "gwp"], f"/optimize/robust/metrics {metrics}")
c.check(stats.shape == (len(design), 2, len(names)), f"front statistics shape {stats.shape}")
# objectives: mean npv, p5 npv, mean gwp, taken from the statistics
c.check(np.array_equal(objectives[:, 0], stats[:, 0, names.index("mean")]) and
        np.array_equal(objectives[:, 1], stats[:, 0, names.index("p5")]) and
        np.array_equal(objectives[:, 2], stats[:, 1, names.index("mean")]),
        "the objectives are not the statistics they name")
if paths is None:
    paths = ["network.units.scavenge.fractions[0]", "network.units.scavenge.fractions[1]",
             "network.units.sales.fractions[0]", "network.units.sales.fractions[1]"]
picked = sorted({0, len(design) // 2, len(design) - 1})
for p in picked:
    x = design[p]
    sets = ["--set", "analysis=mc", "--set", f"mc={{draws: {DRAWS}, metrics: [npv, gwp]}}",
            "--set", f"network.units.scavenge.fractions=[{x[0]!r}, {x[1]!r}]",
            "--set", f"network.units.sales.fractions=[{x[2]!r}, {x[3]!r}]"]
    out = os.path.join(work, f"mc{p}.h5")
    code, _, err = run(cetwin, ["run", robust, "-o", out, "-q"] + sets)
    c.check(code == 0, f"Monte Carlo at front point {p}: exit {code}\n{err}")
    if code != 0:
        continue
    with h5py.File(out, "r") as f:
        s = f["mc/summary"]
        mc = {k: s[k][...] for k in ("mean", "sd", "p5", "p95")}
    for k in ("mean", "sd", "p5", "p95"):
        got, want = stats[p, 0, names.index(k)], mc[k][0]
        c.check(abs(got - want) <= 1e-12 * abs(want),
                f"front point {p}: npv {k} {got!r}, Monte Carlo {want!r}")
        c.check(stats[p, 1, names.index(k)] == mc[k][1],
                f"front point {p}: gwp {k} {stats[p, 1, names.index(k)]!r}, Monte Carlo "
                f"{mc[k][1]!r}")

# --- 3. the case's own design in the front -----------------------------------
crr1 = np.array([0.0, 1.0, 1.0, 0.0])
c.check(any(np.array_equal(x, crr1) for x in design),
        f"the case's own design {crr1} is not in the front of {len(design)} points")
without = os.path.join(work, "random.h5")
code, _, err = run(cetwin, ["run", robust, "-o", without, "-q", "--set",
                            "optimize.include_case_design=false"] + SHORT)
c.check(code == 0, f"short robust run without the case's design: exit {code}\n{err}")
if code == 0:
    with h5py.File(without, "r") as f:
        c.check(int(f["optimize"].attrs["include_case_design"]) == 0,
                "include_case_design attribute")
        c.check(not any(np.array_equal(x, crr1) for x in f["optimize/front/design"][...]),
                "random initial populations found the corner design: the check above "
                "cannot tell the option works")

# --- 4. at the default design the network twin is CRR1 ---------------------
runs = {}
for name, case, sets in (("network", robust, ["--set", "analysis=mc", "--set",
                                              "mc={draws: 500, metrics: [npv]}"]),
                         ("paper", paper, ["--set", "seed=2021", "--set", "mc.draws=500",
                                           "--set", "mc.metrics=[npv]", "--set",
                                           "scenarios=null", "--set", "unfc=null"])):
    out = os.path.join(work, f"crr1-{name}.h5")
    code, _, err = run(cetwin, ["run", case, "-o", out, "-q"] + sets)
    c.check(code == 0, f"CRR1 Monte Carlo ({name}): exit {code}\n{err}")
    if code == 0:
        with h5py.File(out, "r") as f:
            runs[name] = {k: f["mc/summary"][k][0] for k in ("mean", "sd", "p5", "p50", "p95")}
if len(runs) == 2:
    for k, want in runs["paper"].items():
        got = runs["network"][k]
        c.check(abs(got - want) <= 1e-9 * abs(want),
                f"CRR1 npv {k}: network twin {got!r}, configs/bollrich.yaml {want!r}")
c.finish()
