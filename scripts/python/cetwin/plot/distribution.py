"""The distribution of a Monte Carlo metric (NPV by default): histogram and
empirical CDF streamed from the stored draws (never read whole), or,
without stored draws, the CDF through the quantiles of /mc/summary; P5,
P50, P95, CVaR 5 %, P(< 0), the deterministic case and the scenarios as
reference lines."""
import numpy as np

from . import plot
from ._style import (BLACK, BLUE, GREY, ORANGE, PURPLE, SKY, VERMILLION, axis_label, figure,
                     scaled)

QUANTILES = [("min", 0.0), ("p5", 0.05), ("p10", 0.10), ("p50", 0.50), ("p90", 0.90),
             ("p95", 0.95), ("max", 1.0)]
FINE = 16  # CDF bins per histogram bin


def _applies(result):
    if "mc" not in result.h5 or "summary" not in result.h5["mc"]:
        return False
    mc = result.h5["mc"]
    return "draws" in mc or bool(np.isfinite(mc["summary/p50"][...]).any())


def _default_metric(mc):
    names = mc.metrics
    return "npv" if "npv" in names else names[0]


@plot(applies=_applies)
def npv_distribution(result, metric=None, bins=60, scenarios=True):
    """Histogram (top) and empirical CDF (bottom) of one metric of a Monte
    Carlo run (default npv), from the stored draws chunk by chunk; without
    stored draws, the CDF through /mc/summary's quantiles. Marks P5, P50,
    P95, CVaR 5 %, zero with P(< 0), the deterministic value and, with
    scenarios, each scenario's value."""
    mc = result.mc
    metric = metric or _default_metric(mc)
    summary = mc.summary
    if metric not in summary.index:
        raise KeyError(f"no metric '{metric}' in /mc/summary (metrics: {', '.join(summary.index)})")
    s = summary.loc[metric]
    unit = s["units"]
    refs = _references(mc, metric, s, scenarios)
    extent = [s["min"], s["max"]] + [v for _, v, _ in refs]
    factor, shown = scaled(extent, unit, s.get("share", False))
    xlabel = axis_label(metric, shown)
    if mc.has_draws:
        draws = mc.draws
        fine_counts, fine_edges = draws.histogram(metric, bins=bins * FINE)
        counts = fine_counts.reshape(bins, FINE).sum(axis=1)
        edges = fine_edges[::FINE]
        n = int(fine_counts.sum())
        fig, (top, bottom) = figure(result, f"distribution of {metric} ({n} draws)", 2, 1,
                                    sharex=True, figsize=(8.5, 7.5))
        width = np.diff(edges) / factor
        top.bar(edges[:-1] / factor, counts / max(n, 1) / width, width=width, align="edge",
                color=SKY, edgecolor="white", linewidth=0.4, label="draws")
        top.set_ylabel(axis_label("density", f"1/{shown}" if shown not in (None, "1") else None))
        cdf = np.concatenate([[0.0], np.cumsum(fine_counts) / max(n, 1)])
        bottom.step(fine_edges / factor, cdf, where="post", color=BLUE, linewidth=1.4,
                    label="empirical CDF")
        axes = (top, bottom)
        source = "stored draws"
    else:
        fig, bottom = figure(result, f"distribution of {metric} (from /mc/summary, "
                             f"{int(s['n'])} draws)", figsize=(8.5, 5.0))
        xs = np.array([s[k] for k, _ in QUANTILES], dtype=float) / factor
        ps = np.array([p for _, p in QUANTILES])
        keep = np.isfinite(xs)
        bottom.plot(xs[keep], ps[keep], color=BLUE, marker="o", linewidth=1.2,
                    label="CDF through the stored quantiles")
        axes = (bottom,)
        source = "summary quantiles"
    bottom.set_ylabel("cumulative probability")
    bottom.set_xlabel(xlabel)
    bottom.set_ylim(0.0, 1.0)
    _mark(axes, s, refs, factor, shown)
    for ax in axes:
        ax.grid(True, color=GREY, alpha=0.25, linewidth=0.5)
    fig.text(0.01, 0.005, f"source: {source}", fontsize=7, color=GREY)
    return fig


def _references(mc, metric, s, scenarios):
    """(label, value, kind) of the deterministic case and the scenarios."""
    out = []
    table = mc.scenario_metrics if scenarios else None
    names = ["deterministic"] + (list(mc.scenarios) if scenarios else [])
    if table is None:
        det = mc.deterministic.metrics
        if metric in det.index:
            out.append(("deterministic", float(det.loc[metric, "value"]), "deterministic"))
        return out
    if metric not in table.index:
        return out
    for name in names:
        value = float(table.loc[metric, name])
        if np.isfinite(value):
            out.append((name, value, "deterministic" if name == "deterministic" else "scenario"))
    return out


def _fmt(value, unit):
    return f"{value:.3g} {unit}" if unit not in (None, "1") else f"{value:.3g}"


def _mark(axes, s, refs, factor, unit):
    """The statistics and the reference values as vertical lines; a text
    box with P(< 0)."""
    lines = [("P5", s["p5"], VERMILLION, "--"), ("P50", s["p50"], BLACK, "--"),
             ("P95", s["p95"], VERMILLION, "--"), ("CVaR 5 %", s["cvar5"], ORANGE, ":")]
    bottom = axes[-1]
    for k, (name, value, colour, style) in enumerate(lines):
        if not np.isfinite(value):
            continue
        for ax in axes:
            ax.axvline(value / factor, color=colour, linestyle=style, linewidth=1.3,
                       label=f"{name} = {_fmt(value / factor, unit)}" if ax is axes[0] else None)
    lo, hi = s["min"], s["max"]
    if np.isfinite(lo) and lo < 0 < hi:
        for ax in axes:
            ax.axvline(0.0, color=GREY, linewidth=1.0)
    ax0 = axes[0]
    ax0.plot([], [], " ", label=f"P(< 0) = {100 * s['prob_negative']:.2f} %")
    # reference values: short ticks at the top of the CDF panel, labelled
    ys = np.linspace(0.10, 0.40, 4)
    for k, (name, value, kind) in enumerate(_merge(refs, [lo, hi])):
        colour = PURPLE if kind == "scenario" else BLACK
        bottom.axvline(value / factor, ymin=0.0, ymax=1.0, color=colour, linewidth=0.8,
                       linestyle="-" if kind == "scenario" else "-.", alpha=0.7)
        bottom.annotate(name, (value / factor, ys[k % len(ys)]), xytext=(2, 0),
                        textcoords="offset points", fontsize=7.5, color=colour, rotation=90,
                        va="bottom", ha="left",
                        bbox={"boxstyle": "square,pad=0.1", "facecolor": "white",
                              "edgecolor": "none", "alpha": 0.75})
    if refs:
        bottom.plot([], [], color=PURPLE, linewidth=0.8, label="scenario")
        bottom.plot([], [], color=BLACK, linewidth=0.8, linestyle="-.", label="deterministic")
    ax0.legend(loc="upper left", fontsize=8, framealpha=0.9)
    if len(axes) > 1:
        bottom.legend(loc="upper left", fontsize=8, framealpha=0.9)


def _merge(refs, extent):
    """The reference values sorted, those closer than 1.5 % of the range
    they and `extent` span joined into one line labelled with every name."""
    values = [v for v in list(extent) + [r[1] for r in refs] if np.isfinite(v)]
    tol = 0.015 * (max(values) - min(values)) if values else 0.0
    out = []
    for name, value, kind in sorted(refs, key=lambda r: r[1]):
        if out and value - out[-1][1] <= tol:
            prev = out[-1]
            joined = "deterministic" if "deterministic" in (kind, prev[2]) else "scenario"
            out[-1] = (f"{prev[0]}, {name}", prev[1], joined)
        else:
            out.append((name, value, kind))
    return out
