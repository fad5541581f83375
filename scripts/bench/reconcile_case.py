#!/usr/bin/env python3
"""reconcile_case.py — writes a reconcile case of a generated network with
about STREAMS streams and C components, recycle loops and partial
measurements, for the reconciliation benchmark (run_reconcile.py) and the
test of a generated network (tests/cli/reconcile_generated.py).

The network: trains of a mixer and process units in line (each process
sends its product on, a residue to the landfill and, every fourth one, a
recycle back to its train's mixer), one feed per train, a splitter after
the third process of every train sending part of its product to the next
train's mixer (the last one's to an export), and the last product of each
train to a market. The true flows are the steady state of the split
factors (solved here with numpy, per component); the measurements are
drawn from a fixed random sequence: every MEASURED share of the streams
has its total measured (sd 2 %), an ASSAYED share of those (a third) also
the mass fractions of FRACTIONS components (3; sd 3 %) and a quarter of the
rest the flow of one component (sd 2 %). With --noise 0 the values are the true ones, else they
carry normal noise of their standard deviation times NOISE.

Usage: reconcile_case.py STREAMS OUT.yaml [--components C] [--measured F]
                         [--assayed F] [--fractions N] [--noise X] [--seed S]
                         [--truth OUT.json]
--truth writes as JSON the units that balance ("balanced") and, per stream
(UNIT.OUTLET), its units ("from", "to") and true total and component flows.
"""
import argparse
import json

import numpy as np


def build(streams, nc, rng):
    """Units and streams of a network of about `streams` streams."""
    per_train = 60  # streams of one train (about 2.6 per process)
    trains = max(1, round(streams / per_train))
    length = max(5, round((streams / trains - 4) / 2.25))
    units, edges = {}, []  # name -> description; (from, outlet, to)
    units["landfill"] = {"type": "sink", "kind": "landfill"}
    units["export"] = {"type": "sink", "kind": "export"}
    for t in range(trains):
        units[f"F{t}"] = {"type": "feed", "flow": 1000.0 * (1 + t % 3),
                          "composition": rng.dirichlet(np.ones(nc) * 2.0)}
        units[f"M{t}"] = {"type": "mixer"}
        units[f"market{t}"] = {"type": "sink", "kind": "market"}
        units[f"S{t}"] = {"type": "splitter", "outlets": ["stay", "move"],
                          "fractions": [0.85, 0.15]}
        edges.append((f"F{t}", "out", f"M{t}"))
        edges.append((f"M{t}", "out", f"P{t}_0"))
        for i in range(length):
            name = f"P{t}_{i}"
            recycle = i >= 3 and i % 4 == 3
            split = []
            for _ in range(nc):
                product = 0.6 + 0.35 * rng.random()
                back = 0.3 * rng.random() * (1 - product) if recycle else 0.0
                split.append({"product": product, "residue": 1 - product - back,
                              **({"recycle": back} if recycle else {})})
            units[name] = {"type": "process", "split": split}
            nxt = f"S{t}" if i == 2 else (f"P{t}_{i + 1}" if i + 1 < length else f"market{t}")
            edges.append((name, "product", nxt))
            edges.append((name, "residue", "landfill"))
            if recycle:
                edges.append((name, "recycle", f"M{t}"))
        edges.append((f"S{t}", "stay", f"P{t}_3"))
        edges.append((f"S{t}", "move", f"M{t + 1}" if t + 1 < trains else "export"))
    return units, edges


def steady_state(units, edges, nc):
    """Component flows [edges x nc]: the inflow x of every unit solves
    (I - S) x = f per component."""
    names = list(units)
    index = {n: i for i, n in enumerate(names)}
    nu = len(names)
    flows = np.zeros((len(edges), nc))
    for k in range(nc):
        a = np.eye(nu)
        f = np.zeros(nu)
        share = []
        for frm, outlet, to in edges:
            u = units[frm]
            if u["type"] == "feed":
                s = None
                f[index[to]] += u["flow"] * u["composition"][k]
            elif u["type"] == "process":
                s = u["split"][k][outlet]
            elif u["type"] == "splitter":
                s = u["fractions"][u["outlets"].index(outlet)]
            else:
                s = 1.0
            share.append(s)
            if s is not None:
                a[index[to], index[frm]] -= s
        x = np.linalg.solve(a, f)
        for e, (frm, _, _) in enumerate(edges):
            u = units[frm]
            flows[e, k] = u["flow"] * u["composition"][k] if share[e] is None else share[e] * x[index[frm]]
    return flows


def measurements(edges, flows, nc, a, rng):
    measured, assayed, fractions, noise = a.measured, a.assayed, a.fractions, a.noise
    out = []
    for e, (frm, outlet, _) in enumerate(edges):
        stream = f"{frm}.{outlet}"
        if rng.random() >= measured:
            continue
        total = flows[e].sum()
        out.append((stream, "total", total, 0.02 * total))
        kind = rng.random()
        if kind < assayed:
            for k in rng.choice(nc, size=min(fractions, nc), replace=False):
                x = flows[e, k] / total
                out.append((stream, f"fraction.C{k}", x, 0.03 * x))
        elif kind < assayed + (1 - assayed) / 4:
            k = int(rng.integers(nc))
            out.append((stream, f"flow.C{k}", flows[e, k], 0.02 * flows[e, k]))
    return [(s, q, v + noise * sd * rng.standard_normal(), sd) for s, q, v, sd in out]


def write(path, units, edges, meas, nc, streams):
    comps = [f"C{k}" for k in range(nc)]
    lines = [f"# Generated by scripts/bench/reconcile_case.py: about {streams} streams, {nc} "
             "components (synthetic, not a plant).",
             f"name: generated-reconcile-{streams}", "analysis: reconcile",
             f"components: [{', '.join(comps)}]",
             "carriers: {electricity: kWh/t}", "network:", "  units:"]
    for name, u in units.items():
        if u["type"] == "feed":
            comp = ", ".join(f"C{k}: {x:.17g}" for k, x in enumerate(u["composition"]))
            lines.append(f"    {name}: {{type: feed, flow: {u['flow']:.17g}, composition: {{{comp}}}}}")
        elif u["type"] == "process":
            lines += [f"    {name}:", "      type: process", "      split:"]
            for k, s in enumerate(u["split"]):
                lines.append(f"        C{k}: {{" + ", ".join(f"{o}: {x:.17g}" for o, x in s.items()) + "}")
        elif u["type"] == "splitter":
            lines.append(f"    {name}: {{type: splitter, outlets: [stay, move], fractions: "
                         f"[{u['fractions'][0]}, {u['fractions'][1]}]}}")
        elif u["type"] == "sink":
            lines.append(f"    {name}: {{type: sink, kind: {u['kind']}}}")
        else:
            lines.append(f"    {name}: {{type: {u['type']}}}")
    lines.append("  streams:")
    for frm, outlet, to in edges:
        src = frm if outlet == "out" else f"{frm}.{outlet}"
        lines.append(f"    - {{from: {src}, to: {to}}}")
    lines += ["reconcile:", "  source: synthetic measurements of the generated network",
              "  measurements:"]
    for s, q, v, sd in meas:
        lines.append(f"    - {{stream: {s}, quantity: {q}, value: {v:.17g}, sd: {sd:.17g}}}")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("streams", type=int)
    p.add_argument("out")
    p.add_argument("--components", type=int, default=10)
    p.add_argument("--measured", type=float, default=0.6)
    p.add_argument("--assayed", type=float, default=1 / 3)
    p.add_argument("--fractions", type=int, default=3)
    p.add_argument("--noise", type=float, default=1.0)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--truth")
    a = p.parse_args()
    rng = np.random.default_rng(a.seed)
    units, edges = build(a.streams, a.components, rng)
    flows = steady_state(units, edges, a.components)
    meas = measurements(edges, flows, a.components, a, rng)
    write(a.out, units, edges, meas, a.components, a.streams)
    if a.truth:
        with open(a.truth, "w") as f:
            json.dump({"balanced": [n for n, u in units.items()
                                    if u["type"] in ("process", "mixer", "splitter")],
                       "streams": {f"{frm}.{o}": {"from": frm, "to": to,
                                                  "total": float(flows[e].sum()),
                                                  "flow": [float(x) for x in flows[e]]}
                                   for e, (frm, o, to) in enumerate(edges)}}, f)
    print(f"{a.out}: {len(units)} units, {len(edges)} streams, {a.components} components, "
          f"{len(meas)} measurements")


if __name__ == "__main__":
    main()
