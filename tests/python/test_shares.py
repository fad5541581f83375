"""The share flags of the metric tables (docs/analysis.md, "Shares"):
simulate's metrics, the Monte Carlo summary, deterministic case and
scenarios, the optimisation's objectives and robust metrics and the
sensitivity metrics give the flags the file records; a copy without them
(as files written before the flags) gets the rule of `cetwin info` (units
`1` means a share; a sensitivity file has none; a Monte Carlo evaluation
takes the summary's flag for a metric the summary records), checked
against the key metrics `cetwin info` prints in per cent;
a damaged flag dataset (too few flags, a flag other than 0 or 1) is a
ValueError naming it; the report's tables show a share in per cent, an
objective's too."""
import subprocess

import h5py
import matplotlib.pyplot as plt
import numpy as np

import pkgtest
from pkgtest import check, edited

import cetwin
import cetwin.plot as cplot
from cetwin import report


# case, flag dataset, the reader's flags of an open result, the metrics' units
CASES = [
    ("cu-zn-exchange", "simulate/metrics/share",
     lambda res: list(res.simulate.metrics["share"]), "simulate/metrics/units"),
    ("bollrich", "mc/summary/share",
     lambda res: list(res.mc.summary["share"]), "mc/summary/units"),
    ("bollrich", "mc/deterministic/metrics/share",
     lambda res: list(res.mc.deterministic.metrics["share"]), "mc/deterministic/metrics/units"),
    ("bollrich", "mc/scenarios/CRR1m/metrics/share",
     lambda res: list(res.mc.scenario("CRR1m").metrics["share"]),
     "mc/scenarios/CRR1m/metrics/units"),
    ("bollrich-robust", "optimize/objectives/share",
     lambda res: list(res.optimize.objectives["share"]), "optimize/objectives/units"),
    ("bollrich-robust", "optimize/robust/share",
     lambda res: list(res.optimize.robust["shares"].values()), "optimize/robust/units"),
    ("cu-zn-sensitivity", "sensitivity/metric_share",
     lambda res: list(res.sensitivity.metric_shares.values()), None),
]


def strings(ds):
    return [s.decode() if isinstance(s, bytes) else s for s in ds[...]]


def replaced(dataset, values):
    def edit(f):
        del f[dataset]
        f[dataset] = np.asarray(values, dtype=np.int64)
    return edit


def info_percent(path):
    """The key metrics `cetwin info` prints in per cent."""
    p = subprocess.run([pkgtest.CETWIN, "info", path], capture_output=True, text=True)
    check(p.returncode == 0, f"cetwin info {path}: exit {p.returncode}\n{p.stderr}")
    block = p.stdout.split("\nKey metrics:\n", 1)[-1].split("\n\n", 1)[0]
    return [line.split()[0] for line in block.splitlines() if line.rstrip().endswith(" %")]


def flags(case, dataset, read, units_path):
    path = pkgtest.result(case)
    with h5py.File(path, "r") as f:
        declared = [bool(v) for v in f[dataset][...]]
        units = strings(f[units_path]) if units_path else None
    with cetwin.open(path) as res:
        got = read(res)
    check(got == declared, f"{dataset}: {got}, the file has {declared}")
    check(any(declared) or dataset.startswith("optimize"), f"{dataset}: no share in {case}")

    # a file written before the flags: units `1` is a share, a
    # sensitivity file has none
    old = edited(path, "old", lambda f: f.__delitem__(dataset))
    with cetwin.open(old) as res:
        got = read(res)
    expect = [u == "1" for u in units] if units else [False] * len(declared)
    check(got == expect, f"{dataset} missing: {got}, expected {expect}")

    n = len(declared)
    for values, message in (([0] * (n + 1), f"/{dataset} holds {n + 1} flags for {n} "),
                            ([2] + [0] * (n - 1), f"/{dataset} holds 2; expected one of 0, 1"),
                            ([[0]] * n, f"/{dataset} has 2 axes; expected one flag per ")):
        with cetwin.open(edited(path, "damaged", replaced(dataset, values))) as res:
            try:
                read(res)
                check(False, f"a damaged {dataset} was read ({message})")
            except ValueError as err:
                check(message in str(err), f"damaged {dataset}: message {err}")


def mc_evaluations_without_flags():
    """The deterministic case and the scenarios of a Monte Carlo file
    without their own flags but with the summary's: a summarised metric
    has the summary's flag (irr declared no share there: not one), any
    other the unit rule (dcf.CAPEX given units `1`: a share); the
    scenario_metrics table has the flags too."""
    path = pkgtest.result("bollrich")
    with cetwin.open(path) as res:
        det = res.mc.deterministic.metrics
        table = res.mc.scenario_metrics
        check(list(table["share"].reindex(det.index)) == list(det["share"])
              and list(table.index[table["share"]]) == ["irr"], "scenario_metrics: share")

    def edit(f):
        for g in ["mc/deterministic"] + [f"mc/scenarios/{s}" for s in
                                         strings(f["mc/scenarios/names"])]:
            del f[g + "/metrics/share"]
        names = strings(f["mc/summary/metrics"])
        replaced("mc/summary/share", [0] * len(names))(f)
        value = f["mc/deterministic/metrics/value"]
        units = list(value.attrs["units"])
        units[strings(f["mc/deterministic/metrics/name"]).index("dcf.CAPEX")] = "1"
        value.attrs["units"] = units
    with cetwin.open(edited(path, "mc-old", edit)) as res:
        m = res.mc.deterministic.metrics
        check(not m.loc["irr", "share"] and m.loc["dcf.CAPEX", "share"]
              and list(m.index[m["share"]]) == ["dcf.CAPEX"],
              f"mc evaluation without flags: shares {list(m.index[m['share']])}")
        s = res.mc.scenario("CRR1m").metrics
        check(not s["share"].any(), f"scenario without flags: shares {list(s.index[s['share']])}")


def old_simulate_like_info():
    """Without /simulate/metrics/share the key metrics in per cent are
    those `cetwin info` prints so (every metric of units `1`)."""
    old = edited(pkgtest.result("cu-zn-exchange"), "old-info",
                 lambda f: f.__delitem__("simulate/metrics/share"))
    with cetwin.open(old) as res:
        key = res.simulate.key_metrics()
    shares = list(key.index[key["share"]])
    check(shares == info_percent(old) and "closure" in shares,
          f"without metrics/share: shares {shares}, cetwin info {info_percent(old)}")


def cell(page, row, text):
    return f"<td>{row}</td><td>{text}</td>" in page


def page_of(path):
    with cetwin.open(path) as res:
        return {title: report.table_html(frame) for title, frame in
                report.reader_tables(res, res.analysis)}


def report_tables():
    """A recovery and the IRR in per cent, as `cetwin info` prints them;
    a quantity as it was; an objective that is a share in per cent."""
    path = pkgtest.result("cu-zn-exchange")
    with h5py.File(path, "r") as f:
        names = strings(f["simulate/metrics/name"])
        value = dict(zip(names, f["simulate/metrics/value"][...]))
    tables = page_of(path)
    key = tables["Key metrics"]
    recovery = report.fmt(value["recovery.Cu"] * 100)
    check(cell(key, "recovery.Cu", f"{recovery} %") and "recovery.Cu" in info_percent(path),
          f"key metrics: recovery.Cu not {recovery} %")
    check(cell(key, "feed", f"{report.fmt(value['feed'])} t/a"), "key metrics: feed")

    tables = page_of(pkgtest.result("bollrich"))
    summary = next(t for title, t in tables.items() if title.startswith("Summary over"))
    check("<td>irr</td><td>128.2 %</td>" in summary, "mc summary: irr not in per cent")
    check("<td>irr</td><td>128.2 %</td>" in tables["Deterministic case and scenarios"],
          "mc scenarios: irr not in per cent")

    tables = page_of(pkgtest.result("cu-zn-sensitivity"))
    check('swing <span class="unit">[%]</span>' in tables["Tornado of recovery.Zn"],
          "sensitivity: the tornado of recovery.Zn not in per cent")
    check('mu_star <span class="unit">[%]</span>' in tables["Morris: recovery.Zn"],
          "sensitivity: the Morris effects of recovery.Zn not in per cent")
    check('swing <span class="unit">[t CO2e/a]</span>' in tables["Tornado of gwp"],
          "sensitivity: the tornado of gwp")

    # an objective declared a share (the shipped runs have none)
    path = pkgtest.result("bollrich-robust")
    share = edited(path, "objective-share", replaced("optimize/objectives/share", [0, 0, 1]))
    with h5py.File(path, "r") as f:
        nadir = f["optimize/objectives/nadir"][2]
    tables = page_of(share)
    objectives = tables["Objectives"]
    best = next(t for title, t in tables.items() if title.startswith("The front's best"))
    check(f"<td>{report.fmt(nadir * 100)} %</td>" in objectives,
          "objectives: the share's nadir not in per cent")
    check('gwp.mean <span class="unit">[%]</span>' in best, "front: the share not in per cent")
    # and the front's plot draws it in per cent on its axis
    with cetwin.open(share) as res:
        fig = cplot.pareto_front(res)
        labels = [ax.get_xlabel() for ax in fig.axes] + [ax.get_ylabel() for ax in fig.axes]
        check(any(label.startswith("gwp.mean") and label.endswith("[%]") for label in labels),
              f"front plot: the share's axis {labels}")
        plt.close(fig)


for args in CASES:
    flags(*args)
mc_evaluations_without_flags()
old_simulate_like_info()
report_tables()
pkgtest.finish()
