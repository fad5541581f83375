"""The plots of enumerations and network twins on every shipped case they
apply to: flowsheets, the Sankey diagrams (total mass and per element),
the Metal Wheel and the Residue Wheel draw labelled, non-blank figures;
the Sankey layout keeps the twin's flows (every unit as wide as its
throughput, the recycle loops broken by recycle arcs only)."""
import importlib
import os

import matplotlib.pyplot as plt
import numpy as np

import pkgtest
from pkgtest import check, close

import cetwin
import cetwin.plot as plot

network = importlib.import_module("cetwin.plot.network")

MINE = {"flowsheets": "enumerate", "sankey": "simulate", "sankey_elements": "simulate",
        "metal_wheel": "simulate", "residue_wheel": "simulate"}


def figures(name, out):
    return out if isinstance(out, list) else [("", out)]


def layout_keeps_flows(res, name, fig, component=None):
    """Every drawn unit is as tall as its throughput, every stream is a
    band, and the forward bands form no cycle."""
    sim = res.simulate
    layout = fig.sankey_layout
    column = "total" if component is None else component
    streams = sim.streams
    inflow, outflow = sim.inflow, sim.outflow
    through = np.maximum(inflow.sum(axis=1) if component is None else inflow[component],
                         outflow.sum(axis=1) if component is None else outflow[component])
    for unit in layout.units:
        close(layout.nodes[unit]["value"], through[unit], f"{name}: throughput of {unit}",
              rtol=1e-9, atol=1e-9)
    drawn = sorted(e["stream"] for e in layout.edges)
    check(drawn == sorted(streams.index[streams[column] > 0]), f"{name}: streams drawn")
    # the forward bands are acyclic: the columns increase along each
    check(all(layout.col[e["target"]] > layout.col[e["source"]] for e in layout.forward),
          f"{name}: a forward band goes back")
    check(all(layout.col[e["target"]] <= layout.col[e["source"]] for e in layout.back),
          f"{name}: a recycle arc goes forward")
    for loop in sim.loops:
        inside = [e for e in layout.back if e["source"] in loop and e["target"] in loop]
        check(inside or not set(loop) <= set(layout.units),
              f"{name}: loop {loop} has no recycle arc")
    # bands are as wide as their flows
    for e in layout.edges:
        close(e["flow"], streams.loc[e["stream"], column], f"{name}: band {e['stream']}",
              rtol=1e-12)


ran = {k: 0 for k in MINE}
for path in pkgtest.results():
    case = os.path.basename(path)[:-3]
    with cetwin.open(path) as res:
        available = plot.available(res)
        for fname, group in MINE.items():
            expect = group in res.analyses
            if expect and fname == "metal_wheel":
                expect = len(res.simulate.metal_wheel()) > 0
            if expect and fname == "residue_wheel":
                expect = len(res.simulate.residues()) > 0
            if expect and fname == "sankey_elements":
                expect = len(network.major_elements(res)) > 0
            check((fname in available) == expect, f"{case}: {fname} applies: {available}")
            if fname not in available:
                continue
            for suffix, fig in figures(fname, getattr(plot, fname)(res)):
                label = f"{case}: {fname} {suffix}"
                pkgtest.figure_ok(fig, label)
                title = fig._suptitle.get_text() if fig._suptitle else ""
                check(res.case in title, f"{label}: title {title}")
                if fname.startswith("sankey"):
                    layout_keeps_flows(res, label, fig, suffix or None)
                plt.close(fig)
                ran[fname] += 1
        if "simulate" in res.analyses:
            comp = res.simulate.components[-1]
            fig = plot.sankey(res, comp)
            pkgtest.figure_ok(fig, f"{case}: sankey of {comp}")
            layout_keeps_flows(res, f"{case}: sankey of {comp}", fig, comp)
            plt.close(fig)
            majors = network.major_elements(res)
            check(majors and all(m in res.simulate.elements for m in majors),
                  f"{case}: major elements {majors}")
check(all(ran.values()), f"a plot never ran: {ran}")

# bonnin-pwb-network's feed holds no zinc: nothing to draw for it
with cetwin.open(pkgtest.result("bonnin-pwb-network")) as res:
    for call, arg, words in ((plot.sankey, "Zn", "no stream carries Zn"),
                             (plot.sankey, "no_such", "unknown component"),
                             (plot.metal_wheel, ["Zn"], "leaves the twin"),
                             (plot.metal_wheel, ["no_such"], "unknown component")):
        try:
            call(res, arg)
            check(False, f"{call.__name__}({arg}) drew")
        except (KeyError, ValueError) as err:
            check(words in str(err), f"{call.__name__}({arg}): message {err}")
pkgtest.finish()
