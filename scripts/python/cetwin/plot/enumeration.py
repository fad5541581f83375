"""The flowsheets of an enumeration: each process chain as a row of
process boxes, beside bars of its purity, recovery and consumption."""
import numpy as np
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from . import plot
from ._style import BLUE, GREY, PALETTE, RECOVERED, VERMILLION, axis_label, figure

INK = "#333333"
TITLES = {
    "final": "flowsheets reaching the target purity",
    "unprocessable": "unprocessable chains (no process accepts the last product)",
    "truncated": "chains stopped at the maximum length",
}


def _has_enumerate(result):
    return "enumerate" in result.analyses


def _chain_panel(ax, sheets, steps, processes, feed):
    """Draws every chain as boxes joined by arrows, one row per flowsheet."""
    colour = {p: PALETTE[k % (len(PALETTE) - 1)] for k, p in enumerate(processes)}
    longest = max([len(p) for p in sheets["processes"]] + [1])
    pitch, width, height = 1.3, 1.0, 0.62
    for row, (index, procs) in enumerate(zip(sheets.index, sheets["processes"])):
        pre = steps[steps["flowsheet"] == index]["preprocessed"].tolist()
        ax.text(-0.25, row, feed, ha="right", va="center", fontsize=8, color=GREY,
                style="italic")
        x_prev = -0.2
        for pos, proc in enumerate(procs):
            x = pos * pitch
            ax.add_patch(FancyBboxPatch((x, row - height / 2), width, height,
                                        boxstyle="round,pad=0,rounding_size=0.12",
                                        facecolor=colour[proc] + "40", edgecolor=colour[proc],
                                        linewidth=1.4))
            ax.text(x + width / 2, row, proc, ha="center", va="center", fontsize=8.5,
                    color=INK, weight="bold")
            if pos < len(pre) and pre[pos]:
                ax.text(x + width / 2, row - height / 2 - 0.02, "+" + ",".join(pre[pos]),
                        ha="center", va="bottom", fontsize=6, color=GREY)
            ax.add_patch(FancyArrowPatch((x_prev, row), (x, row), arrowstyle="-|>",
                                         mutation_scale=8, color=GREY, linewidth=1))
            x_prev = x + width
        ax.add_patch(FancyArrowPatch((x_prev, row), (x_prev + 0.3, row), arrowstyle="-|>",
                                     mutation_scale=8, color=GREY, linewidth=1))
    ax.set_xlim(-1.4, longest * pitch + 0.2)
    ax.set_xticks([])
    ax.set_xlabel("process chain (feed → product)")
    for side in ("top", "right", "bottom"):
        ax.spines[side].set_visible(False)


def _draw(result, kind):
    enum = result.enumerate
    sheets = enum.flowsheets(kind)
    units = sheets.attrs["units"]
    attrs = enum.attrs
    carriers = sheets.attrs["carriers"]
    by_unit = {}
    for c in carriers:
        by_unit.setdefault(units[c], []).append(c)
    n = len(sheets)
    ncols = 3 + len(by_unit)
    ratios = [2.6, 1, 1] + [1.2] * len(by_unit)
    fig, axes = figure(result, f"{TITLES[kind]} — {len(sheets)} of {sheets.attrs['found']} "
                       f"found", 1, ncols, figsize=(4 + 2.6 * ncols, 1.6 + 0.42 * max(n, 3)),
                       sharey=True, width_ratios=ratios)
    chains, purity, recovery = axes[0], axes[1], axes[2]
    y = np.arange(n)
    _chain_panel(chains, sheets, enum.steps(kind), enum.processes, attrs["feed"])
    chains.set_yticks(y, [f"#{i}" for i in sheets.index])
    chains.set_ylim(n - 0.5, -0.5)
    chains.set_ylabel("flowsheet")

    main = attrs["main_component"]
    target = float(attrs["target_purity"])
    values = 100.0 * sheets["purity"].to_numpy()
    low = min(np.nanmin(values) if n else 100.0, 100.0 * target)
    floor = max(0.0, 100.0 - 1.6 * (100.0 - low)) if low > 90 else 0.0
    purity.barh(y, values - floor, left=floor, color=[
        RECOVERED if v >= 100.0 * target - 1e-9 else VERMILLION for v in values], height=0.6)
    purity.axvline(100.0 * target, color=INK, linestyle="--", linewidth=1)
    purity.text(100.0 * target, -0.5, f" target {100 * target:g} %", fontsize=7, va="bottom",
                ha="center", color=INK)
    purity.set_xlim(floor, 100.0)
    purity.set_xlabel(axis_label(f"purity ({main})", "%"))
    for yi, v in zip(y, values):
        purity.text(floor + 0.02 * (100 - floor), yi, f"{v:.3f}", va="center", fontsize=7,
                    color="white")

    rec = 100.0 * sheets["recovery"].to_numpy()
    recovery.barh(y, rec, color=BLUE, height=0.6)
    recovery.set_xlim(0, 100)
    recovery.set_xlabel(axis_label(f"recovery ({main})", "%"))
    for yi, v in zip(y, rec):
        recovery.text(min(v, 100) - 1, yi, f"{v:.1f}", va="center", ha="right", fontsize=7,
                      color="white")

    for ax, (unit, group) in zip(axes[3:], by_unit.items()):
        left = np.zeros(n)
        for k, c in enumerate(group):
            v = np.nan_to_num(sheets[c].to_numpy(dtype=float))
            ax.barh(y, v, left=left, color=PALETTE[k % len(PALETTE)], height=0.6, label=c)
            left += v
        missing = sheets[group].isna().any(axis=1).to_numpy()
        for yi in y[missing]:
            ax.text(left[yi], yi, " n/a", va="center", fontsize=7, color=GREY)
        ax.set_xlabel(axis_label("consumption", unit))
        ax.legend(fontsize=7, loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False,
                  ncol=min(3, len(group)), handlelength=1.2, columnspacing=0.8)
    for ax in axes[1:]:
        ax.tick_params(axis="y", length=0)
        ax.spines[["top", "right"]].set_visible(False)
        ax.grid(axis="x", color="#DDDDDD", linewidth=0.6)
        ax.set_axisbelow(True)
    return fig


@plot(applies=_has_enumerate)
def flowsheets(result):
    """Every stored flowsheet of each kind (final, then unprocessable and
    truncated when there are any): the process chain as boxes, and bars of
    purity (against the target), recovery and consumption by carrier. One
    figure per kind."""
    counts = result.enumerate.counts
    return [(kind, _draw(result, kind)) for kind in counts.index if counts.loc[kind, "stored"]]
