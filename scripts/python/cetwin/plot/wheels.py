"""The Metal Wheel and the Residue Wheel of a network twin (after Figure 2
of the SOCRATES policy brief): where every element leaving the twin ends
up (recovered as a commodity, kept in intermediate products, lost), and
what the intermediate products are made of."""
import math
import textwrap

import numpy as np
from matplotlib.colors import LogNorm
from matplotlib.patches import Patch, Wedge

from . import plot
from ._style import INTERMEDIATE, LOST, RECOVERED, figure

# Fate -> (colour, hatch, legend label)
FATE_STYLE = {
    "recovered": (RECOVERED, None, "recovered as a commodity (market)"),
    "valorised": (INTERMEDIATE, None, "intermediate product, valorised"),
    "exported": (INTERMEDIATE, "///", "intermediate product, exported"),
    "landfilled": (LOST, None, "lost (landfill)"),
}
EDGE = "white"
INK = "#333333"


def _has_elements(result):
    return "simulate" in result.analyses and len(result.simulate.metal_wheel()) > 0


def _has_residues(result):
    return "simulate" in result.analyses and len(result.simulate.residues()) > 0


def _sectors(n):
    """Start and end angles (degrees, counter-clockwise) of n equal
    sectors laid out clockwise from 12 o'clock."""
    step = 360.0 / n
    return [(90.0 - (i + 1) * step, 90.0 - i * step) for i in range(n)]


def _polar(r, angle):
    a = math.radians(angle)
    return r * math.cos(a), r * math.sin(a)


def _tangential(angle):
    """Text rotation that keeps a label along the ring readable."""
    rot = angle - 90.0
    rot = (rot + 180.0) % 360.0 - 180.0
    if rot > 90.0 or rot < -90.0:
        rot += 180.0
    return rot


def _wheel_axes(ax, extent=1.25):
    ax.set_aspect("equal")
    ax.set_xlim(-extent, extent)
    ax.set_ylim(-extent, extent)
    ax.axis("off")


def _percent(share):
    if share >= 0.995:
        return "100 %"
    if share >= 0.1:
        return f"{100 * share:.0f} %"
    if share >= 0.001:
        return f"{100 * share:.1f} %"
    return "<0.1 %" if share > 0 else "0 %"


@plot(applies=_has_elements)
def metal_wheel(result, components=None):
    """The Metal Wheel: per element, the share of what leaves the twin that
    is recovered as a metal commodity (market sinks, green), stays in
    intermediate products (valorisation and export sinks, yellow; hatched
    when exported) and is lost (landfill sinks, red). Left the ring, right
    the same shares as bars with the sinks of each fate."""
    sim = result.simulate
    shares = sim.metal_wheel(components)
    if shares.empty:
        raise ValueError(f"{result.path}: none of the components {components or sim.elements} "
                         "leaves the twin")
    fates = list(FATE_STYLE)
    names = list(shares.index)
    fig, (ax, bars) = figure(result, "Metal Wheel — fate of each element leaving the twin",
                             1, 2, figsize=(13, 6.6), width_ratios=[1.0, 1.05])
    _wheel_axes(ax)
    for name, (lo, hi) in zip(names, _sectors(len(names))):
        mid = 0.5 * (lo + hi)
        ax.add_patch(Wedge((0, 0), 0.74, lo, hi, width=0.30, facecolor="#EEEEEE",
                           edgecolor=EDGE, linewidth=2))
        x, y = _polar(0.59, mid)
        ax.text(x, y + 0.035, name, ha="center", va="center", fontsize=13, weight="bold",
                color=INK)
        ax.text(x, y - 0.06, _percent(shares.loc[name, "recovered"]), ha="center",
                va="center", fontsize=8.5, color=RECOVERED, weight="bold")
        start = hi
        for fate in fates:
            span = (hi - lo) * float(shares.loc[name, fate])
            if span <= 0:
                continue
            colour, hatch, _ = FATE_STYLE[fate]
            ax.add_patch(Wedge((0, 0), 1.02, start - span, start, width=0.25, facecolor=colour,
                               edgecolor=INK if hatch else EDGE, hatch=hatch,
                               linewidth=0.0 if hatch else 0.8))
            start -= span
        ax.add_patch(Wedge((0, 0), 1.02, lo, hi, width=0.25, facecolor="none",
                           edgecolor=EDGE, linewidth=2.5))
    ax.text(0, 0.05, "Metal", ha="center", va="center", fontsize=15, color=INK)
    ax.text(0, -0.1, "Wheel", ha="center", va="center", fontsize=15, color=INK)
    ax.text(0, -1.2, "inner ring: element (green: share recovered); outer ring: fate",
            ha="center", va="center", fontsize=8.5, color="#555555")

    y = np.arange(len(names))
    left = np.zeros(len(names))
    for fate in fates:
        colour, hatch, _ = FATE_STYLE[fate]
        width = 100.0 * shares[fate].to_numpy()
        bars.barh(y, width, left=left, color=colour, hatch=hatch,
                  edgecolor=INK if hatch else EDGE, linewidth=0.0 if hatch else 0.8,
                  height=0.72)
        for yi, (l, w) in enumerate(zip(left, width)):
            if w >= 7.0:
                bars.text(l + w / 2, yi, f"{w:.0f}", ha="center", va="center", fontsize=8,
                          color="white" if fate in ("recovered", "landfilled") else INK,
                          bbox=dict(boxstyle="round,pad=0.15", fc=INTERMEDIATE, ec="none")
                          if hatch else None)
        left += width
    bars.set_yticks(y, [f"{n}  ({_mass(shares.loc[n, 'mass'])} {sim.flow_units})"
                        for n in names])
    bars.invert_yaxis()
    bars.set_xlim(0, 100)
    bars.set_xlabel("share of the element leaving the twin [%]")
    bars.set_ylabel(f"element (mass leaving the twin [{sim.flow_units}])")
    bars.spines[["top", "right"]].set_visible(False)
    destinations = shares.attrs["destinations"]
    handles = []
    for fate in fates:
        colour, hatch, label = FATE_STYLE[fate]
        sinks = ", ".join(destinations[fate]) or "none"
        text = textwrap.fill(f"{label}: {sinks}", 62, subsequent_indent="    ")
        handles.append(Patch(facecolor=colour, hatch=hatch, edgecolor=INK if hatch else EDGE,
                             label=text))
    bars.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.45, -0.11), ncol=1,
                fontsize=8, frameon=False, title="fate (the sinks receiving it)",
                title_fontsize=8.5, alignment="left")
    return fig


def _mass(value):
    if value >= 1000:
        return f"{value:,.0f}".replace(",", "\u2009")
    if value >= 1:
        return f"{value:.3g}"
    return f"{value:.2g}"


RESIDUE_FATE = {"valorised": RECOVERED, "exported": INTERMEDIATE, "landfilled": LOST}


@plot(applies=_has_residues)
def residue_wheel(result):
    """The Residue Wheel: every intermediate product or residue leaving the
    twin (the sinks that are not markets) as a sector of the inner ring,
    coloured by what becomes of it (green valorised, yellow exported, red
    landfilled); the outer ring is its composition (mass fractions). Right:
    the composition as a table of mass fractions on a log colour scale,
    traces included."""
    sim = result.simulate
    residues = sim.residues()
    comps = [c for c in residues.attrs["components"] if residues[c].sum() > 0]
    fraction = residues[comps].div(residues["total"], axis=0)
    fig, (ax, table) = figure(result, "Residue Wheel — the intermediate products and their "
                              "composition", 1, 2, figsize=(13, 6.6),
                              width_ratios=[1.0, max(0.6, 0.09 * len(comps))])
    _wheel_axes(ax, 1.45)
    for name, (lo, hi) in zip(residues.index, _sectors(len(residues))):
        mid = 0.5 * (lo + hi)
        fate = residues.loc[name, "fate"]
        ax.add_patch(Wedge((0, 0), 0.62, lo, hi, width=0.24, facecolor=RESIDUE_FATE[fate],
                           edgecolor=EDGE, linewidth=2.5))
        x, y = _polar(1.07, mid)
        ax.text(x, y, f"{name.replace('_', ' ')}\n{_mass(residues.loc[name, 'total'])} "
                f"{sim.flow_units}", ha="left" if x > 0.05 else "right" if x < -0.05 else
                "center", va="bottom" if y > 0.05 else "top" if y < -0.05 else "center",
                fontsize=9, color=INK, weight="bold")
        start = hi
        for comp in fraction.columns[np.argsort(-fraction.loc[name].to_numpy())]:
            share = float(fraction.loc[name, comp])
            span = (hi - lo) * share
            if span <= 0:
                continue
            ax.add_patch(Wedge((0, 0), 1.0, start - span, start, width=0.36,
                               facecolor="#F7EFA0", edgecolor="#C9B800", linewidth=0.6))
            if span >= 9.0:
                xx, yy = _polar(0.82, start - span / 2)
                ax.text(xx, yy, f"{comp}\n{_percent(share)}", ha="center", va="center",
                        fontsize=7.5 if span < 18 else 8.5, color=INK,
                        rotation=_tangential(start - span / 2) if span < 25 else 0)
            start -= span
        ax.add_patch(Wedge((0, 0), 1.0, lo, hi, width=0.38, facecolor="none", edgecolor=EDGE,
                           linewidth=2.5))
    ax.text(0, 0.05, "Residue", ha="center", va="center", fontsize=13, color=INK)
    ax.text(0, -0.09, "Wheel", ha="center", va="center", fontsize=13, color=INK)
    ax.legend(handles=[Patch(facecolor=c, edgecolor=EDGE, label=f"{f} ({k})") for (f, c), k in
                       zip(RESIDUE_FATE.items(), ("valorisation sink", "export sink",
                                                  "landfill sink"))],
              loc="lower center", bbox_to_anchor=(0.5, -0.02), ncol=3, fontsize=8,
              frameon=False)

    values = 100.0 * fraction.to_numpy()
    positive = values[values > 0]
    norm = LogNorm(vmin=max(positive.min(), 1e-4), vmax=100.0) if positive.size else None
    shown = np.where(values > 0, values, np.nan)
    image = table.imshow(shown, cmap="cividis", norm=norm, aspect="auto")
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            v = values[i, j]
            text = "0" if v == 0 else (f"{v:.0f}" if v >= 10 else f"{v:.2g}")
            light = v > 0 and norm is not None and norm(v) < 0.55
            table.text(j, i, text, ha="center", va="center", fontsize=7.5,
                       color="white" if light else "black")
    table.set_xticks(range(len(comps)), comps, rotation=0 if len(comps) < 10 else 45)
    table.set_yticks(range(len(residues)), [n.replace("_", " ") for n in residues.index])
    table.set_xlabel("component — cells: mass fraction [%]")
    table.set_ylabel("intermediate product (sink)")
    table.tick_params(length=0)
    bar = fig.colorbar(image, ax=table, location="bottom", shrink=0.9, pad=0.02, aspect=40)
    bar.set_label("mass fraction [%] (log scale; blank = none)")
    return fig
