"""Plots of a sensitivity run (/sensitivity): the tornado with the
break-evens, the spider plot, Morris's mu*-sigma plane, Sobol's S1 and ST
with their intervals, the convergence of Sobol's indices and the curves
of a parameter study. Each draws one panel per metric of the run (or the
metric asked for)."""
import numpy as np

from . import plot
from ._style import (BLACK, BLUE, GREY, ORANGE, VERMILLION, axis_label, line_styles, panels,
                     scaled)


def _has(method):
    def applies(result):
        return "sensitivity" in result.analyses and method in result.h5["sensitivity"]

    return applies


def _metrics(sens, metric):
    return sens.metrics if metric is None else [sens.metric_name(metric)]


def _axis(sens, name, values, unit):
    """The divisor and unit of metric name's values on an axis (scaled)."""
    return scaled(values, unit, sens.metric_shares.get(name, False))


def _percent(change):
    return f"{change * 100:+.0f} %"


def _setting(kind, value):
    """A factor's setting as text: a relative change in percent, a band
    position, or a value."""
    if kind == "scale":
        return _percent(value)
    return f"{value:+.2g}" if kind == "prices" else f"{value:.3g}"


@plot(applies=_has("oat"))
def tornado(result, metric=None):
    """The tornado of each metric: the metric with each factor at its low
    and high end, around the base point, the largest swing on top; the
    break-even of a factor (and the published one) written beside its bar."""
    sens = result.sensitivity
    names = _metrics(sens, metric)
    kinds = sens.factors["kind"]
    be = sens.break_even if sens.has("break_even") else None
    n_factors = len(sens.oat_factors)
    fig, axes = panels(result, "tornado (one factor at a time)", len(names), ncols=1,
                       width=10.0, height=1.2 + 0.42 * n_factors)
    for ax, name in zip(axes, names):
        t = sens.tornado(name).sort_values("swing")
        base = t.attrs["base"]
        factor, unit = _axis(sens, name, list(t["low"]) + list(t["high"]) + [base],
                             t.attrs["units"]["low"])
        y = np.arange(len(t))
        low, high, b = t["low"] / factor, t["high"] / factor, base / factor
        ax.barh(y, low - b, left=b, color=BLUE, height=0.7, label="factor at its low end")
        ax.barh(y, high - b, left=b, color=ORANGE, height=0.7, label="factor at its high end")
        shown = "" if unit in (None, "1") else unit
        ax.axvline(b, color=BLACK, lw=1.0, label=f"base: {b:.4g} {shown}".rstrip())
        ax.set_yticks(y, [f"{f}  ({_setting(kinds[f], lo)} .. {_setting(kinds[f], hi)})"
                          for f, lo, hi in zip(t.index, t["setting_low"], t["setting_high"])])
        ax.set_xlabel(axis_label(name, unit))
        ax.set_title(name, loc="left", fontsize="medium")
        if be is not None and be.attrs["metric"] == name:
            threshold = be.attrs["threshold"] / factor
            ax.axvline(threshold, color=VERMILLION, ls="--", lw=1.0,
                       label=f"break-even: {name} = {threshold:g} {shown}".rstrip())
            right = max(np.nanmax(np.maximum(low, high)), b)
            span = right - min(np.nanmin(np.minimum(low, high)), b, threshold)
            for yi, f in zip(y, t.index):
                change = be.loc[f, "change"]
                if not np.isfinite(change):
                    continue
                note = f"break-even at {_percent(change)}"
                setting = be.loc[f, "setting"]
                if kinds[f] == "value" and np.isfinite(setting):
                    note = f"break-even at {setting:.3g} ({_percent(change)})"
                ref = be.loc[f, "reference"] if "reference" in be else np.nan
                if np.isfinite(ref):
                    note += f" (published {_percent(ref)})"
                ax.annotate(note, (right + 0.02 * span, yi), va="center", fontsize="x-small",
                            color=VERMILLION)
            ax.set_xlim(right=right + 0.55 * span)
        ax.legend(loc="lower right", fontsize="small")
        ax.grid(axis="x", alpha=0.3)
    return fig


@plot(applies=_has("oat"))
def spider(result, metric=None):
    """The spider plot of each metric: the metric against the relative
    change of each factor, one line per factor (gaps where a change leaves
    the factor's valid range)."""
    sens = result.sensitivity
    names = _metrics(sens, metric)
    be = sens.break_even if sens.has("break_even") else None
    fig, axes = panels(result, "spider plot (one factor at a time)", len(names), width=7.5,
                       height=5.0)
    for ax, name in zip(axes, names):
        s = sens.spider(name)
        base = s.attrs["base"]
        # the base point (change 0) belongs to every line
        s.loc[0.0] = base
        s = s.sort_index()
        factor, unit = _axis(sens, name, list(s.to_numpy().ravel()) + [base],
                             s.attrs["units"].get(s.columns[0]))
        x = s.index.to_numpy() * 100.0
        for col, (colour, ls, marker) in zip(s.columns, line_styles(len(s.columns))):
            ax.plot(x, s[col] / factor, color=colour, ls=ls, marker=marker, ms=3.5, lw=1.4,
                    label=col)
        ax.plot([0], [base / factor], "o", color=BLACK, ms=6, zorder=5)
        if be is not None and be.attrs["metric"] == name:
            ax.axhline(be.attrs["threshold"] / factor, color=VERMILLION, ls="--", lw=1.0)
        ax.axvline(0, color=GREY, lw=0.8)
        ax.set_xlabel(axis_label("change of the factor", "%"))
        ax.set_ylabel(axis_label(name, unit))
        ax.set_title(name, loc="left", fontsize="medium")
        ax.grid(alpha=0.3)
        ax.legend(fontsize="x-small", ncols=1 if len(s.columns) < 8 else 2, loc="best")
    return fig


@plot(applies=_has("morris"))
def morris(result, metric=None):
    """Morris's screening of each metric: sigma against mu* of every group
    of factors, mu*'s bootstrap interval as a bar, and the lines sigma/mu*
    = 0.1, 0.5 and 1 (nearly linear, monotonic, non-linear or
    interacting)."""
    sens = result.sensitivity
    names = _metrics(sens, metric)
    fig, axes = panels(result, "Morris screening (elementary effects)", len(names), width=7.0,
                       height=5.2)
    for ax, name in zip(axes, names):
        m = sens.morris(name)
        factor, unit = _axis(sens, name, list(m["mu_star"]) + list(m["sigma"]),
                             m.attrs["units"]["mu_star"])
        x, y, err = m["mu_star"] / factor, m["sigma"] / factor, m["mu_star_conf"] / factor
        right = float(max(np.nanmax(x + err), 1e-300)) * 1.15
        top = float(np.nanmax(y)) * 1.35 or right * 0.1
        for ratio, ls in ((1.0, "-"), (0.5, "--"), (0.1, ":")):
            ax.plot([0, right], [0, ratio * right], color=GREY, ls=ls, lw=0.9,
                    label=f"σ/μ* = {ratio:g}")
        ax.errorbar(x, y, xerr=err, fmt="o", color=BLUE, ecolor=BLUE, capsize=3, ms=6)
        # name the influential groups (mu* at least 5 % of the largest), at most 10
        order = [i for i in np.argsort(-x.to_numpy()) if x.iloc[i] >= 0.05 * x.max()][:10]
        for k, i in enumerate(sorted(order, key=lambda j: x.iloc[j])):
            far = x.iloc[i] > 0.7 * right  # name it on the left, inside the axes
            ax.annotate(m.index[i], (x.iloc[i], y.iloc[i]),
                        xytext=(-6 if far else 4, 6 if k % 2 else -11),
                        textcoords="offset points", fontsize="small",
                        ha="right" if far else "left")
        quiet = len(m) - len(order)
        if quiet:
            ax.annotate(f"{quiet} more near 0", (0.99, 0.02), xycoords="axes fraction",
                        fontsize="x-small", color=GREY, ha="right", va="bottom")
        ax.set_xlim(0, right)
        ax.set_ylim(0, top)
        ax.legend(loc="upper left", fontsize="x-small")
        shown = unit if unit not in (None, "", "1") else "1"
        ax.set_xlabel(f"μ* (mean |elementary effect|) [{shown}]")
        ax.set_ylabel(f"σ (sd of the elementary effects) [{shown}]")
        ax.set_title(f"{name} (per unit of each factor's range)", loc="left", fontsize="medium")
        ax.grid(alpha=0.3)
    return fig


@plot(applies=_has("sobol"))
def sobol(result, metric=None):
    """Sobol's first-order (S1) and total (ST) indices of each group, with
    their bootstrap intervals, the largest ST on top."""
    sens = result.sensitivity
    names = _metrics(sens, metric)
    n_groups = len(sens.sobol(names[0]))
    fig, axes = panels(result, "Sobol' indices (share of the variance)", len(names),
                       width=7.5, height=1.4 + 0.5 * n_groups)
    for ax, name in zip(axes, names):
        s = sens.sobol(name).sort_values("ST")
        y = np.arange(len(s))
        conf = {c: np.nan_to_num(s[f"{c}_conf"].to_numpy()) for c in ("S1", "ST")}
        ax.barh(y + 0.2, s["ST"], height=0.4, color=ORANGE, xerr=conf["ST"], capsize=3,
                label="total ST")
        ax.barh(y - 0.2, s["S1"], height=0.4, color=BLUE, xerr=conf["S1"], capsize=3,
                label="first order S1")
        ax.set_yticks(y, s.index)
        ax.axvline(0, color=BLACK, lw=0.8)
        ax.set_xlabel(axis_label("Sobol' index", "1") + " [1]")
        settings = s.attrs["settings"]
        ax.set_title(f"{name} (N = {settings.get('base_rows', '?')}, "
                     f"{100 * settings.get('level', 0.95):g} % intervals)", loc="left",
                     fontsize="medium")
        ax.legend(loc="lower right", fontsize="small")
        ax.grid(axis="x", alpha=0.3)
    return fig


@plot(applies=_has("sobol"))
def sobol_convergence(result, metric=None):
    """Sobol's indices estimated from the first N base rows against N: ST
    solid, S1 dashed, one colour per group (the seven largest; the others
    grey); the final interval of ST as a bar."""
    sens = result.sensitivity
    names = _metrics(sens, metric)
    fig, axes = panels(result, "convergence of Sobol' indices", len(names), ncols=1,
                       width=9.5, height=4.4)
    for ax, name in zip(axes, names):
        c = sens.convergence(name)
        final = sens.sobol(name)
        n = c.index.to_numpy()
        groups = list(final.sort_values("ST", ascending=False).index)
        # the seven largest in colour (the palette's distinct colours), the rest grey
        shown, rest = groups[:7], groups[7:]
        for g, (colour, _, marker) in zip(shown, line_styles(len(shown))):
            ax.plot(n, c[("ST", g)], color=colour, marker=marker, ms=4, lw=1.5, label=g)
            ax.plot(n, c[("S1", g)], color=colour, ls="--", lw=1.0)
            conf = final.loc[g, "ST_conf"]
            if np.isfinite(conf):
                ax.errorbar([n[-1] * 1.08], [final.loc[g, "ST"]], yerr=[conf], color=colour,
                            capsize=3, lw=1.0)
        for k, g in enumerate(rest):
            ax.plot(n, c[("ST", g)], color=GREY, lw=0.8,
                    label=f"{len(rest)} more (ST ≤ {final.loc[g, 'ST']:.2g})" if k == 0 else None)
        ax.set_xscale("log", base=2)
        ax.set_xticks(n, [str(v) for v in n])
        ax.set_xlabel(axis_label("base rows N", "1") + " [1]")
        ax.set_ylabel(axis_label("Sobol' index (ST solid, S1 dashed)", "1") + " [1]")
        ax.set_title(name, loc="left", fontsize="medium")
        ax.grid(alpha=0.3)
        ax.legend(fontsize="x-small", loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return fig


@plot(applies=_has("sweep"))
def parameter_study(result, metric=None):
    """The parameter study: each metric against the swept parameter with
    the most values, one line per setting of the others (lists side by
    side: one line along the first parameter)."""
    sens = result.sensitivity
    names = _metrics(sens, metric)
    sweep = sens.sweep
    params = sweep.attrs["parameters"]
    if sweep.attrs["grid"]:
        x = max(params, key=lambda p: (sweep[p].nunique(), params.index(p)))
        others = [p for p in params if p != x]
    else:
        # the lists side by side: one line along the first parameter
        x, others = params[0], []
    fig, axes = panels(result, "parameter study", len(names), width=7.0, height=4.6)
    for ax, name in zip(axes, names):
        factor, unit = _axis(sens, name, list(sweep[name]), sweep.attrs["units"].get(name))
        if others:
            combos = list(sweep.groupby(others if len(others) > 1 else others[0], sort=True))
        else:
            combos = [((), sweep)]
        styles = line_styles(len(combos))
        for (key, part), (colour, ls, marker) in zip(combos, styles):
            key = key if isinstance(key, tuple) else (key,)
            label = ", ".join(f"{_short(p)} = {v:.4g}" for p, v in zip(others, key)) or None
            part = part.sort_values(x)
            ax.plot(part[x], part[name] / factor, color=colour, ls=ls, marker=marker, ms=4,
                    label=label)
        along = "" if sweep.attrs["grid"] or len(params) == 1 else \
            f"\n(moved side by side with {', '.join(_short(p) for p in params[1:])})"
        ax.set_xlabel(_short(x) + along)
        ax.set_ylabel(axis_label(name, unit))
        ax.set_title(f"{name} ({len(sweep)} points, "
                     f"{'every combination' if sweep.attrs['grid'] else 'side by side'})",
                     loc="left", fontsize="medium")
        ax.grid(alpha=0.3)
        if others:
            ax.legend(fontsize="x-small")
    return fig


def _short(path):
    """A key path without its leading network.units. (unit.split...), or
    its last three components."""
    if path.startswith("network.units."):
        return path[len("network.units."):]
    parts = path.split(".")
    return ".".join(parts[-3:]) if len(parts) > 3 else path


__all__ = ["tornado", "spider", "morris", "sobol", "sobol_convergence", "parameter_study"]
