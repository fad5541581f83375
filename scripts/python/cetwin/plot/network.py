"""Sankey diagram of a network twin's flows, laid out in layers: units in
columns by their longest path from the feeds (every sink in the last
column), flows as bands whose width is proportional to the mass flow,
flows that skip columns routed through the columns between them, recycle
streams (edges back to an earlier unit) drawn as arcs below the diagram.
Sinks and the bands into them are coloured by the sink's kind."""
import math

import numpy as np
from matplotlib.patches import Patch, Polygon, Rectangle

from . import plot
from ._style import BLUE, INTERMEDIATE, LOST, PURPLE, RECOVERED, figure

INK = "#333333"
KIND_STYLE = {  # sink kind -> (colour, hatch)
    "market": (RECOVERED, None),
    "valorisation": (INTERMEDIATE, None),
    "export": (INTERMEDIATE, "///"),
    "landfill": (LOST, None),
}
KIND_LABEL = {
    "market": "to market (products)",
    "valorisation": "to valorisation",
    "export": "exported (leaves the boundary)",
    "landfill": "to landfill",
}
NODE_COLOUR = {"feed": BLUE, "process": "#4D4D4D", "splitter": "#8C8C8C", "mixer": "#8C8C8C"}
INTERNAL = "#A6A6A6"
RECYCLE = PURPLE

# Layout sizes in inches (the diagram is drawn in an axes whose data
# units are inches, so bands keep their width along curves).
NODE_WIDTH = 0.16
GAP = 0.22          # between units of a column
DUMMY_GAP = 0.035   # between flows passing through a column
LANE_GAP = 0.12     # between recycle arcs
MIN_NODE = 0.035    # drawn height of a unit with a tiny flow


def _has_simulate(result):
    return "simulate" in result.analyses


class _Layout:
    """Columns, order and vertical positions of the units and of the
    flows of one Sankey diagram."""

    def __init__(self, units, kinds, edges):
        self.units = list(units)
        self.kinds = kinds            # unit -> type or sink kind
        self.edges = edges            # list of dict(source, target, flow, stream)
        self._split_back_edges()
        self._columns()
        self._dummies()

    # -- graph -----------------------------------------------------------
    def _split_back_edges(self):
        """Depth-first search from the feeds (case order): an edge to a
        unit still on the search path closes a recycle loop."""
        out = {u: [] for u in self.units}
        for e in self.edges:
            out[e["source"]].append(e)
        state = {u: 0 for u in self.units}   # 0 new, 1 on path, 2 done
        self.discovery = {}
        roots = [u for u in self.units if self.kinds[u] == "feed"]
        roots += [u for u in self.units if u not in roots]
        for root in roots:
            if state[root]:
                continue
            stack = [(root, iter(out[root]))]
            state[root] = 1
            self.discovery[root] = len(self.discovery)
            while stack:
                node, it = stack[-1]
                for e in it:
                    t = e["target"]
                    if state[t] == 1:
                        e["back"] = True
                    else:
                        e["back"] = False
                        if state[t] == 0:
                            state[t] = 1
                            self.discovery[t] = len(self.discovery)
                            stack.append((t, iter(out[t])))
                            break
                else:
                    state[node] = 2
                    stack.pop()
        self.forward = [e for e in self.edges if not e["back"]]
        self.back = [e for e in self.edges if e["back"]]

    def _columns(self):
        col = {u: 0 for u in self.units}
        preds = {u: [] for u in self.units}
        for e in self.forward:
            preds[e["target"]].append(e["source"])
        # longest path: relax in discovery order until nothing changes
        order = sorted(self.units, key=lambda u: self.discovery[u])
        for _ in range(len(order)):
            changed = False
            for u in order:
                best = max([col[p] + 1 for p in preds[u]] + [0])
                if best != col[u]:
                    col[u], changed = best, True
            if not changed:
                break
        sinks = [u for u in self.units if self.kinds[u] in KIND_STYLE]
        last = max([col[u] for u in self.units if u not in sinks] + [0]) + 1
        for u in sinks:
            col[u] = last
        self.col = col
        self.ncols = max(col.values()) + 1

    def _dummies(self):
        """Flows that skip columns get a waypoint in every column between."""
        self.nodes = {u: {"col": self.col[u], "dummy": False, "name": u} for u in self.units}
        for k, e in enumerate(self.forward):
            path = [e["source"]]
            for c in range(self.col[e["source"]] + 1, self.col[e["target"]]):
                name = ("dummy", k, c)
                self.nodes[name] = {"col": c, "dummy": True, "name": name}
                path.append(name)
            path.append(e["target"])
            e["path"] = path
        for n in self.nodes.values():
            n["in"], n["out"] = [], []
        for e in self.forward:
            for a, b in zip(e["path"], e["path"][1:]):
                self.nodes[a]["out"].append((b, e))
                self.nodes[b]["in"].append((a, e))
        for e in self.back:
            self.nodes[e["source"]].setdefault("back_out", []).append(e)
            self.nodes[e["target"]].setdefault("back_in", []).append(e)
        for name, n in self.nodes.items():
            if n["dummy"]:
                n["value"] = n["in"][0][1]["flow"]
            else:
                sums = [sum(e["flow"] for _, e in n["in"]) +
                        sum(e["flow"] for e in n.get("back_in", [])),
                        sum(e["flow"] for _, e in n["out"]) +
                        sum(e["flow"] for e in n.get("back_out", []))]
                n["value"] = max(sums)

    # -- order within columns ---------------------------------------------
    def order(self, sweeps=6):
        cols = [[] for _ in range(self.ncols)]

        def rank(name):
            n = self.nodes[name]
            if n["dummy"]:
                _, k, _ = name
                return self.discovery[self.forward[k]["source"]] + 0.5
            return self.discovery[name]

        for name in sorted(self.nodes, key=rank):
            cols[self.nodes[name]["col"]].append(name)
        pos = {}

        def number(c):
            for i, name in enumerate(cols[c]):
                pos[name] = i

        for c in range(self.ncols):
            number(c)
        for sweep in range(sweeps):
            rng = range(1, self.ncols) if sweep % 2 == 0 else range(self.ncols - 2, -1, -1)
            side = "in" if sweep % 2 == 0 else "out"
            for c in rng:
                def centre(name):
                    links = self.nodes[name][side]
                    weight = sum(e["flow"] for _, e in links)
                    if not links or weight <= 0:
                        return pos[name]
                    return sum(pos[o] * e["flow"] for o, e in links) / weight
                cols[c].sort(key=centre)
                number(c)
        self.cols = cols

    # -- vertical positions ---------------------------------------------
    def place(self, height, room):
        """Scale (inches per flow unit) and top of every node so that the
        fullest column and the recycle lanes fit in height inches, and the
        legs of the recycle arcs in the room (inches) between two
        columns."""
        back_total = sum(e["flow"] for e in self.back)
        lane_fixed = (LANE_GAP * (len(self.back) + 1) + 0.25) if self.back else 0.0
        best = math.inf
        for names in self.cols:
            gaps = sum(DUMMY_GAP if self.nodes[n]["dummy"] else GAP for n in names[1:])
            gaps += MIN_NODE * sum(not self.nodes[n]["dummy"] for n in names)
            total = sum(self.nodes[n]["value"] for n in names) + back_total
            if total > 0:
                best = min(best, max(height - gaps - lane_fixed, 0.2 * height) / total)
        legs = {}
        for e in self.back:
            for gap in (self.col[e["source"]], self.col[e["target"]] - 1):
                legs.setdefault(gap, []).append(e["flow"])
        for flows in legs.values():
            free = room - 0.1 - 0.05 * len(flows)
            if sum(flows) > 0 and free > 0:
                best = min(best, free / sum(flows))
        self.k = best if math.isfinite(best) else 1.0
        for n in self.nodes.values():
            n["h"] = max(n["value"] * self.k, 0.0 if n["dummy"] else MIN_NODE)
        tallest = max(sum(self.nodes[n]["h"] for n in names) +
                      sum(self._gap(a, b) for a, b in zip(names, names[1:]))
                      for names in self.cols)
        self.main = min(height - self.k * back_total - lane_fixed, 1.1 * tallest)
        self.height = self.main + self.k * back_total + lane_fixed
        for names in self.cols:
            self._stack(names, centre=True)
        for alpha in np.linspace(0.9, 0.1, 14):
            for c in range(1, self.ncols):
                self._relax(self.cols[c], "in", alpha)
            for c in range(self.ncols - 2, -1, -1):
                self._relax(self.cols[c], "out", alpha)

    def _gap(self, a, b):
        return DUMMY_GAP if self.nodes[a]["dummy"] or self.nodes[b]["dummy"] else GAP

    def _stack(self, names, centre=False):
        y = 0.0
        for i, name in enumerate(names):
            if i:
                y += self._gap(names[i - 1], name)
            self.nodes[name]["y"] = y
            y += self.nodes[name]["h"]
        if centre:
            shift = (self.main - y) / 2
            for name in names:
                self.nodes[name]["y"] += shift

    def _relax(self, names, side, alpha):
        for name in names:
            n = self.nodes[name]
            links = n[side]
            weight = sum(e["flow"] for _, e in links)
            if weight <= 0:
                continue
            target = sum((self.nodes[o]["y"] + self.nodes[o]["h"] / 2) * e["flow"]
                         for o, e in links) / weight
            n["y"] += (target - (n["y"] + n["h"] / 2)) * alpha
        self._resolve(names)

    def _resolve(self, names):
        """Pushes overlapping nodes of a column apart, keeping the order and
        the column within [0, main]."""
        y = 0.0
        for i, name in enumerate(names):
            n = self.nodes[name]
            low = y + (self._gap(names[i - 1], name) if i else 0.0)
            n["y"] = max(n["y"], low)
            y = n["y"] + n["h"]
        overflow = y - self.main
        if overflow > 0:
            bottom = self.main
            for i in range(len(names) - 1, -1, -1):
                n = self.nodes[names[i]]
                n["y"] = min(n["y"], bottom - n["h"])
                bottom = n["y"] - (self._gap(names[i - 1], names[i]) if i else 0.0)

    # -- where each band meets each node -----------------------------------
    def attach(self):
        """Top of every band at both ends of every hop. Recycle arcs nest:
        the shorter an arc, the higher its lane below the diagram and the
        closer its legs to the units; an outer arc leaves and enters its
        units above the inner ones."""
        arcs = sorted(self.back, key=lambda e: (self.col[e["source"]] - self.col[e["target"]],
                                                -e["flow"]))
        for lane, e in enumerate(arcs):
            e["lane"] = lane
        for end, side in (("source", "leg_out"), ("target", "leg_in")):
            reach = {}
            for e in arcs:
                c = self.col[e[end]]
                w = e["flow"] * self.k
                e[side] = reach.get(c, 0.1) + w / 2
                reach[c] = e[side] + w / 2 + 0.05
        for name, n in self.nodes.items():
            pad = max(0.0, (n["h"] - n["value"] * self.k) / 2)
            for side, at, back, back_at in (("out", "out_y", "back_out", "start_y"),
                                            ("in", "in_y", "back_in", "end_y")):
                y = n["y"] + pad
                for other, e in sorted(n[side], key=lambda oe: self._centre(oe[0])):
                    e.setdefault(at, {})[name] = y
                    y += e["flow"] * self.k
                for e in sorted(n.get(back, []), key=lambda e: -e["lane"]):
                    e[back_at] = y
                    y += e["flow"] * self.k

    def _centre(self, name):
        return self.nodes[name]["y"] + self.nodes[name]["h"] / 2


def _curve(x0, y0, x1, y1, steps=24):
    """Points of the smooth S-curve from (x0, y0) to (x1, y1)."""
    t = np.linspace(0.0, 1.0, steps)
    xm = (x0 + x1) / 2
    x = (1 - t) ** 3 * x0 + 3 * (1 - t) ** 2 * t * xm + 3 * (1 - t) * t ** 2 * xm + t ** 3 * x1
    y = (1 - t) ** 3 * y0 + 3 * (1 - t) ** 2 * t * y0 + 3 * (1 - t) * t ** 2 * y1 + t ** 3 * y1
    return np.column_stack([x, y])


def _rounded(points, radius, steps=10):
    """A polyline with its corners rounded (quadratic arcs of the given
    radius), as an array of points."""
    pts = [np.asarray(points[0], dtype=float)]
    for a, b, c in zip(points, points[1:], points[2:]):
        a, b, c = (np.asarray(p, dtype=float) for p in (a, b, c))
        d1 = (b - a) / max(np.linalg.norm(b - a), 1e-12)
        d2 = (c - b) / max(np.linalg.norm(c - b), 1e-12)
        first, last = np.array_equal(a, points[0]), np.array_equal(c, points[-1])
        r = min(radius, np.linalg.norm(b - a) / (1 if first else 2),
                np.linalg.norm(c - b) / (1 if last else 2))
        p0, p2 = b - d1 * r, b + d2 * r
        t = np.linspace(0, 1, steps)[:, None]
        pts.extend((1 - t) ** 2 * p0 + 2 * (1 - t) * t * b + t ** 2 * p2)
    pts.append(np.asarray(points[-1], dtype=float))
    return np.array(pts)


def _offset(line, half):
    """The outline of a band of half-width `half` around a centre line."""
    d = np.gradient(line, axis=0)
    d /= np.maximum(np.linalg.norm(d, axis=1, keepdims=True), 1e-12)
    normal = np.column_stack([-d[:, 1], d[:, 0]])
    return np.vstack([line + normal * half, (line - normal * half)[::-1]])


def _nice(value):
    """A round number near value (1, 2 or 5 times a power of ten)."""
    if value <= 0:
        return 0.0
    power = 10 ** math.floor(math.log10(value))
    for m in (1, 2, 5, 10):
        if m * power >= value * 0.75:
            return m * power
    return 10 * power


def _amount(value):
    if value >= 1000:
        return f"{value:,.0f}".replace(",", "\u2009")
    if value >= 10:
        return f"{value:.0f}"
    if value >= 0.01:
        return f"{value:.3g}"
    return f"{value:.2g}" if value > 0 else "0"


def _draw(result, component=None):
    sim = result.simulate
    units = sim.units
    kinds = {u: (units.loc[u, "sink_kind"] if units.loc[u, "type"] == "sink" else
                 units.loc[u, "type"]) for u in units.index}
    table = sim.edges(component)
    edges = [{"source": s, "target": t, "flow": float(f), "stream": name}
             for name, s, t, f in zip(table.index, table["source"], table["target"],
                                      table["flow"])]
    if not edges:
        raise ValueError(f"{result.path}: no stream carries {component}")
    used = {e["source"] for e in edges} | {e["target"] for e in edges}
    # the total-mass diagram shows every sink (an empty landfill tells too)
    keep = [u for u in units.index if u in used or (component is None and kinds[u] in KIND_STYLE)]
    layout = _Layout(keep, kinds, edges)
    layout.order()

    ncols = layout.ncols
    width = max(11.0, 1.55 * ncols + 3.2)
    height = 8.6
    what = "total mass" if component is None else component
    fig, ax = figure(result, f"Sankey diagram of the flows ({what})", figsize=(width, height),
                     layout=None)
    left_margin, right_margin = 1.5, 2.0
    bottom, top = 0.95, 0.55          # inches for legend and title
    diagram = height - bottom - top
    ax.set_position([0, bottom / height, 1, diagram / height])
    pitch = (width - left_margin - right_margin - NODE_WIDTH) / max(ncols - 1, 1)
    layout.place(diagram - 0.15, pitch - NODE_WIDTH - 0.15)
    layout.attach()
    xcol = [left_margin + c * pitch for c in range(ncols)]
    top_y = diagram - 0.05 - max(0.0, diagram - 0.15 - layout.height) / 2

    def Y(y):  # layout y (down from the top) -> axes y (inches up)
        return top_y - y

    # forward bands
    for e in layout.forward:
        kind = kinds[e["target"]]
        colour = KIND_STYLE[kind][0] if kind in KIND_STYLE else INTERNAL
        w = e["flow"] * layout.k
        top_pts = []
        for a, b in zip(e["path"], e["path"][1:]):
            na, nb = layout.nodes[a], layout.nodes[b]
            xa = xcol[na["col"]] + NODE_WIDTH
            xb = xcol[nb["col"]]
            ya = e["out_y"][a] if not na["dummy"] else na["y"]
            yb = e["in_y"][b] if not nb["dummy"] else nb["y"]
            if na["dummy"]:
                top_pts.append(np.array([[xcol[na["col"]], Y(ya)]]))
            top_pts.append(_curve(xa, Y(ya), xb, Y(yb)))
        line = np.vstack(top_pts)
        outline = np.vstack([line, (line - [0, w])[::-1]])
        ax.add_patch(Polygon(outline, closed=True, facecolor=colour, alpha=0.5,
                             edgecolor="none", zorder=1))

    # recycle arcs below the diagram
    lane = layout.main + 0.25
    for e in sorted(layout.back, key=lambda e: e["lane"]):
        w = e["flow"] * layout.k
        lane += w / 2
        xs = xcol[layout.col[e["source"]]] + NODE_WIDTH
        xt = xcol[layout.col[e["target"]]]
        ys = Y(e["start_y"] + w / 2)
        yt = Y(e["end_y"] + w / 2)
        radius = w / 2 + 0.06
        line = _rounded([(xs, ys), (xs + e["leg_out"], ys), (xs + e["leg_out"], Y(lane)),
                         (xt - e["leg_in"], Y(lane)), (xt - e["leg_in"], yt), (xt, yt)],
                        radius)
        ax.add_patch(Polygon(_offset(line, w / 2), closed=True, facecolor=RECYCLE, alpha=0.55,
                             edgecolor="none", zorder=2))
        ax.text((xs + xt) / 2, Y(lane) - w / 2 - 0.02, f"recycle {e['stream']} → {e['target']}"
                f"  {_amount(e['flow'])}", ha="center", va="top", fontsize=7, color=INK,
                zorder=5)
        lane += w / 2 + LANE_GAP

    # units and their labels
    for name in layout.units:
        n = layout.nodes[name]
        kind = kinds[name]
        colour, hatch = KIND_STYLE.get(kind, (NODE_COLOUR.get(kind, INK), None))
        x = xcol[n["col"]]
        ax.add_patch(Rectangle((x, Y(n["y"] + n["h"])), NODE_WIDTH, n["h"], facecolor=colour,
                               hatch=hatch, edgecolor=INK if hatch or kind == "valorisation"
                               else "none", linewidth=0.6, zorder=3))
        label = f"{name}  {_amount(n['value'])}"
        if n["col"] == 0:
            ax.text(x - 0.06, Y(n["y"] + n["h"] / 2), label, ha="right", va="center",
                    fontsize=8, color=INK, zorder=6)
        else:
            ax.text(x + NODE_WIDTH + 0.06, Y(n["y"] + n["h"] / 2), label, ha="left",
                    va="center", fontsize=8, color=INK, zorder=6,
                    bbox=dict(boxstyle="round,pad=0.12", fc="white", ec="none", alpha=0.75))

    # scale bar and legend
    biggest = max([layout.nodes[u]["value"] for u in layout.units] + [0.0])
    scale = _nice(0.1 * biggest)
    if scale > 0:
        h = scale * layout.k
        ax.add_patch(Rectangle((0.25, Y(layout.main) - 0.05 - h * 0 - 0.0), 0.12, -h,
                               facecolor=INTERNAL, alpha=0.8, edgecolor="none"))
        ax.text(0.42, Y(layout.main) - 0.05 - h / 2, f"{_amount(scale)} {sim.flow_units}",
                va="center", fontsize=7.5, color=INK)
    handles = [Patch(facecolor=KIND_STYLE[k][0], hatch=KIND_STYLE[k][1], edgecolor=INK
                     if KIND_STYLE[k][1] else "none", label=KIND_LABEL[k]) for k in KIND_STYLE]
    handles.append(Patch(facecolor=INTERNAL, alpha=0.6, label="between units"))
    if layout.back:
        handles.append(Patch(facecolor=RECYCLE, alpha=0.6, label="recycle (to an earlier unit)"))
    handles += [Patch(facecolor=NODE_COLOUR["feed"], label="feed"),
                Patch(facecolor=NODE_COLOUR["process"], label="process"),
                Patch(facecolor=NODE_COLOUR["splitter"], label="splitter / mixer")]
    fig.legend(handles=handles, loc="lower center", ncol=5, fontsize=8, frameon=False,
               bbox_to_anchor=(0.5, 0.005))
    lowest = min([Y(layout.main) - (scale * layout.k if scale > 0 else 0.0)] +
                 [p.get_xy()[:, 1].min() - 0.2 for p in ax.patches if isinstance(p, Polygon)])
    ax.set_xlim(0, width)
    ax.set_ylim(min(lowest - 0.25, 0), diagram)
    ax.set_aspect("equal", adjustable="datalim", anchor="N")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_xlabel(f"band width ∝ {what} flow [{sim.flow_units}]; labels: unit and its "
                  f"throughput [{sim.flow_units}]", fontsize=8.5, color=INK)
    fig.sankey_layout = layout
    return fig


@plot(applies=_has_simulate)
def sankey(result, component=None):
    """The flows of a network twin as a Sankey diagram: the total mass by
    default, or of one component. Sinks and the bands into them coloured
    by kind (market green, valorisation yellow, export yellow hatched,
    landfill red), recycle streams as arcs below the units."""
    return _draw(result, component)


def major_elements(result, share=0.05, limit=4):
    """The elements the twin produces most: those whose mass to market is
    at least `share` of all the elements' mass to market (at most `limit`,
    largest first)."""
    sim = result.simulate
    fate = sim.fate(sim.elements)
    market = fate["recovered"]
    total = market.sum()
    if total <= 0:
        return []
    chosen = market[market >= share * total].sort_values(ascending=False)
    return list(chosen.index[:limit])


def _has_elements(result):
    return _has_simulate(result) and len(major_elements(result)) > 0


@plot(applies=_has_elements)
def sankey_elements(result, components=None):
    """One Sankey diagram per major element of the twin (major_elements:
    the elements with at least 5 % of the mass sent to market), or per
    component given."""
    names = major_elements(result) if components is None else list(components)
    return [(c, _draw(result, c)) for c in names]
