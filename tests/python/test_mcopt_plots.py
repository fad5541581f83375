"""The Monte Carlo and optimisation plots (cetwin.plot.front, history,
distribution, cashflow) on every shipped result they apply to and on runs
with stored draws and with two and four objectives: each draws labelled
axes with units on a non-blank canvas, titled with the case name; the
distribution reads the draws in chunks; applies() refuses the results a
plot cannot draw."""
import os

import matplotlib.pyplot as plt

import pkgtest
from pkgtest import check, figure_ok

import cetwin
import cetwin.plot as cplot

VARIANTS = os.path.join(os.path.dirname(pkgtest.RESULTS), "mcopt-variants")
MINE = ["pareto_front", "pareto_front_3d", "pareto_parallel", "optimization_history",
        "npv_distribution", "cash_flow", "cash_flow_waterfall"]
# plots whose units are in the tick labels (one axis per column)
UNITS_IN_TICKS = {"pareto_parallel"}


def data_axes(fig):
    # the axes with data, without colour bars (their label is the colouring's)
    return [ax for ax in fig.axes if ax.has_data() and ax.get_label() != "<colorbar>"]


# the axis labels of each plot that must carry a unit in brackets
NEED_UNITS = {
    # the objectives' axes (one objective: the y axis)
    "pareto_front": lambda fig: [ax.get_xlabel() if len(data_axes(fig)) > 1 or
                                 "[" not in ax.get_ylabel() else ax.get_ylabel()
                                 for ax in data_axes(fig)],
    "pareto_front_3d": lambda fig: [fig.axes[0].get_xlabel(), fig.axes[0].get_ylabel(),
                                    fig.axes[0].get_zlabel()],
    "optimization_history": lambda fig: [fig.axes[0].get_ylabel()],
    "npv_distribution": lambda fig: [data_axes(fig)[-1].get_xlabel()],
    "cash_flow": lambda fig: [fig.axes[0].get_xlabel(), fig.axes[0].get_ylabel()],
    "cash_flow_waterfall": lambda fig: [fig.axes[0].get_ylabel()],
}


def figures(out):
    return out if isinstance(out, list) else [("", out)]


def draw(res, name, **kwargs):
    base = os.path.basename(res.path)
    out = getattr(cplot, name)(res, **kwargs)
    drawn = figures(out)
    check(drawn, f"{base} {name}: no figure")
    for suffix, fig in drawn:
        label = f"{base} {name} {suffix}".strip()
        parallel = name in UNITS_IN_TICKS or (name == "pareto_front" and
                                              len(res.optimize.objective_names) > 3)
        figure_ok(fig, label, need_units=not parallel)
        check(fig._suptitle is not None and res.case in fig._suptitle.get_text(),
              f"{label}: title without the case name")
        if not parallel:
            labels = NEED_UNITS[name](fig)
            check(labels and all("[" in t and t.endswith("]") for t in labels),
                  f"{label}: axis labels without a unit: {labels}")
        if parallel:
            ticks = [t.get_text() for ax in fig.axes for t in ax.get_xticklabels()]
            check(any("[" in t for t in ticks), f"{label}: no unit in the axis names {ticks}")
        plt.close(fig)
    return drawn


def every_plot(path, only=None):
    with cetwin.open(path) as res:
        names = [n for n in cplot.available(res) if n in MINE]
        h5 = res.h5
        expect = set()
        if "optimize" in h5:
            m = len(res.optimize.objective_names)
            expect |= {"pareto_front", "optimization_history"}
            if len(res.optimize.front) > 1:
                expect.add("pareto_parallel")
            if m == 3:
                expect.add("pareto_front_3d")
        if "mc" in h5:
            expect |= {"npv_distribution", "cash_flow", "cash_flow_waterfall"}
        check(set(names) == expect, f"{path}: plots {names}, expected {sorted(expect)}")
        for name in names if only is None else [n for n in names if n in only]:
            drawn = draw(res, name)
            if name.startswith("cash_flow"):
                evaluations = ["deterministic"] + res.mc.scenarios
                check([s for s, _ in drawn] == evaluations,
                      f"{path} {name}: one figure per evaluation {[s for s, _ in drawn]}")
        return names


def options():
    """The options: colouring, objectives chosen, a metric, one scenario;
    the distribution of stored draws is read in chunks."""
    with cetwin.open(os.path.join(VARIANTS, "bollrich-draws.h5")) as res:
        fig = cplot.npv_distribution(res, metric="dcf.Zn")
        check(len([ax for ax in fig.axes if ax.has_data()]) == 2,
              "with draws: histogram and CDF")
        check("MEUR" in fig.axes[-1].get_xlabel(), f"unit: {fig.axes[-1].get_xlabel()}")
        plt.close(fig)
        (_, fig), = cplot.cash_flow(res, evaluation="NRR0")
        plt.close(fig)
        try:
            cplot.cash_flow(res, evaluation="nothing")
            check(False, "cash flow of an unknown evaluation")
        except KeyError as err:
            check("no evaluation" in str(err), f"message: {err}")
    with cetwin.open(pkgtest.result("bonnin-pwb-optimize")) as res:
        fig = cplot.pareto_front(res, color_by="share.f3", top=3)
        bars = [ax.get_ylabel() for ax in fig.axes]
        check("share.f3" in bars, f"colour bar label: {bars}")
        plt.close(fig)
        fig = cplot.pareto_front(res, objectives=["usage.cost", "usage.flowrate"],
                                 color_by="usage.energy")
        check(any("usage.energy" in ax.get_ylabel() for ax in fig.axes), "colour by a metric")
        figure_ok(fig, "two objectives chosen")
        plt.close(fig)
    with cetwin.open(pkgtest.result("bollrich")) as res:
        fig = cplot.npv_distribution(res)
        check(len([ax for ax in fig.axes if ax.has_data()]) == 1, "without draws: the CDF only")
        plt.close(fig)
        # a share of a whole (the IRR) in per cent, as cetwin info prints it
        fig = cplot.npv_distribution(res, metric="irr")
        label = fig.axes[-1].get_xlabel()
        check(label == "irr [%]", f"the IRR's axis: {label}")
        p50 = [t.get_text() for t in fig.axes[0].get_legend().get_texts() if t.get_text()
               .startswith("P50")]
        expect = f"P50 = {res.mc.summary.loc['irr', 'p50'] * 100:.3g} %"
        check(p50 == [expect], f"the IRR's P50: {p50}, expected {expect}")
        plt.close(fig)


def chunked_distribution():
    """The distribution plot reads the stored draws in chunks: with a
    chunk smaller than the draws, no read of the dataset (recorded by a
    spy in its place) is larger than a chunk."""
    from test_mc import Spy

    with cetwin.open(os.path.join(VARIANTS, "bollrich-draws.h5")) as res:
        draws = res.mc.draws
        draws.chunk_rows = 4096
        spy = Spy(draws._metrics)
        draws._metrics = spy
        n = len(draws)
        plt.close(cplot.npv_distribution(res))
    check(spy.reads and None not in spy.reads and max(spy.reads) <= 4096 < n,
          f"the distribution read {max(spy.reads or [0])} rows at once of {n}")
    check(sum(spy.reads) >= n, f"the distribution read {sum(spy.reads)} rows of {n}")


shipped = set()
for result_path in pkgtest.results():
    shipped |= set(every_plot(result_path))
every_plot(os.path.join(VARIANTS, "bollrich-draws.h5"), only=["npv_distribution"])
for variant in ("pwb-one-objective.h5", "pwb-two-objectives.h5", "pwb-four-objectives.h5"):
    every_plot(os.path.join(VARIANTS, variant))
check(shipped == set(MINE) - {"pareto_front_3d"} or shipped == set(MINE),
      f"plots drawn on the shipped results: {sorted(shipped)}")
options()
chunked_distribution()
pkgtest.finish()
