"""Cash-flow plots of an economics twin, one figure per evaluation (the
deterministic case and each scenario of /mc, or /simulate's): the yearly
cash flow by group as stacked bars with the net cash flow, and the
discounted group totals as a waterfall ending at the NPV (the shape of
the tailings paper's Table 3 and Figures S15-S17)."""
import numpy as np

from ..mc import Evaluation
from . import plot
from ._style import BLACK, BLUE, GREEN, GREY, PALETTE, VERMILLION, axis_label, figure, scaled

# stacked groups drawn in their own colour; the rest are summed as "other"
MAX_GROUPS = 7


def _evaluations(result):
    """(name, Evaluation) of every evaluation with a cash flow."""
    h5 = result.h5
    out = []
    if "mc" in h5 and "deterministic" in h5["mc"]:
        mc = result.mc
        out = [(e.name, e) for e in mc.evaluations() if e.has_cash_flow]
    elif "simulate" in h5 and "cash_flow" in h5["simulate"]:
        out = [("simulate", Evaluation(h5["simulate"], "simulate"))]
    return out


def _applies(result):
    h5 = result.h5
    return ("mc" in h5 and "deterministic/cash_flow" in h5["mc"]) or \
        ("simulate" in h5 and "cash_flow" in h5["simulate"])


def _pick(evaluations, name):
    if name is None:
        return evaluations
    chosen = [(n, e) for n, e in evaluations if n == name]
    if not chosen:
        raise KeyError(f"no evaluation '{name}' with a cash flow "
                       f"(evaluations: {', '.join(n for n, _ in evaluations)})")
    return chosen


def _groups(cf):
    """Group × year cash, the largest groups (by discounted magnitude)
    first, the smallest beyond MAX_GROUPS summed as 'other'; groups that
    are zero every year left out."""
    yearly = cf.group_yearly
    totals = cf.groups["discounted"].reindex(yearly.index)
    keep = yearly.index[(yearly.abs().sum(axis=1) > 0).to_numpy()]
    order = sorted(keep, key=lambda g: -abs(totals[g]))
    shown = order[:MAX_GROUPS] if len(order) > MAX_GROUPS + 1 else order
    rest = [g for g in order if g not in shown]
    table = yearly.loc[shown]
    if rest:
        table.loc[f"other ({len(rest)} groups)"] = yearly.loc[rest].sum(axis=0)
    return table


@plot(applies=_applies)
def cash_flow(result, evaluation=None):
    """Yearly cash flow by group as stacked bars (income above zero, costs
    below), the net cash flow as a black line and the cumulative
    discounted cash flow as a dashed line; one figure per evaluation (or
    only `evaluation`)."""
    out = []
    for name, ev in _pick(_evaluations(result), evaluation):
        cf = ev.cash_flow
        table = _groups(cf)
        net = cf.net
        years = np.asarray(cf.years)
        factor, unit = scaled(np.concatenate([table.to_numpy().ravel(), net.to_numpy().ravel()]),
                              cf.currency)
        fig, ax = figure(result, f"yearly cash flow by group, {name}", figsize=(9.5, 5.8))
        pos = np.zeros(len(years))
        neg = np.zeros(len(years))
        colours = PALETTE[:-1]
        for k, group in enumerate(table.index):
            v = table.loc[group].to_numpy(dtype=float) / factor
            colour = GREY if group.startswith("other (") else colours[k % len(colours)]
            up, down = np.clip(v, 0, None), np.clip(v, None, 0)
            ax.bar(years, up, bottom=pos, color=colour, width=0.8, label=group,
                   edgecolor="white", linewidth=0.3)
            ax.bar(years, down, bottom=neg, color=colour, width=0.8, edgecolor="white",
                   linewidth=0.3)
            pos += up
            neg += down
        ax.plot(years, net["net_yearly"] / factor, color=BLACK, marker="o", markersize=4,
                linewidth=1.4, label="net cash flow")
        ax.plot(years, net["cumulative_discounted"] / factor, color=BLACK, linestyle="--",
                linewidth=1.2, label="cumulative discounted")
        ax.axhline(0, color=BLACK, linewidth=0.6)
        ax.set_xlabel(axis_label("project year", "a"))
        ax.set_ylabel(axis_label("cash flow", unit))
        step = 1 if len(years) <= 15 else 5
        ax.set_xticks(years[::step])
        cum = net.to_numpy(dtype=float) / factor
        low = min(neg.min(), np.nanmin(cum), 0.0)
        high = max(pos.max(), np.nanmax(cum[:, [0, 2]]), 0.0)
        ax.set_ylim(low - 0.05 * (high - low or 1.0), high + 0.05 * (high - low or 1.0))
        ax.grid(True, axis="y", color=GREY, alpha=0.3, linewidth=0.5)
        ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8, frameon=False)
        out.append((name, fig))
    return out


@plot(applies=_applies)
def cash_flow_waterfall(result, evaluation=None):
    """The discounted total of every cash-flow group as a waterfall
    (income up in green, costs down in vermillion) ending at the NPV bar
    (blue); one figure per evaluation (or only `evaluation`)."""
    out = []
    for name, ev in _pick(_evaluations(result), evaluation):
        cf = ev.cash_flow
        groups = cf.groups["discounted"]
        groups = groups[groups != 0]
        values = groups.to_numpy(dtype=float)
        npv = float(values.sum())
        ends = np.concatenate([[0.0], np.cumsum(values)])
        factor, unit = scaled(np.concatenate([ends, [npv]]), cf.currency)
        n = len(values)
        fig, ax = figure(result, f"discounted cash flow by group, {name}",
                         figsize=(max(7.5, 0.55 * n + 3.0), 5.8))
        xs = np.arange(n + 1)
        colours = [GREEN if v >= 0 else VERMILLION for v in values]
        ax.bar(xs[:-1], values / factor, bottom=ends[:-1] / factor, color=colours, width=0.7,
               edgecolor=BLACK, linewidth=0.4)
        ax.bar([n], [npv / factor], color=BLUE, width=0.7, edgecolor=BLACK, linewidth=0.4)
        for k in range(n):  # connectors
            ax.plot([k + 0.35, k + 0.65], [ends[k + 1] / factor] * 2, color=GREY,
                    linewidth=0.8)
        span = (max(ends.max(), npv, 0) - min(ends.min(), npv, 0)) / factor or 1.0
        for k, v in enumerate(np.concatenate([values, [npv]])):
            top = (max(ends[k], ends[k + 1]) if k < n else max(npv, 0)) / factor
            ax.annotate(f"{v / factor:.3g}", (k, top + 0.01 * span), ha="center", va="bottom",
                        fontsize=7)
        metrics = ev.metrics
        label = "NPV"
        if "npv" in metrics.index and not np.isclose(metrics.loc["npv", "value"], npv,
                                                      rtol=1e-6, atol=1e-6 * abs(npv) + 1):
            label = "sum"
        ax.set_xticks(xs)
        ax.set_xticklabels(list(groups.index) + [label], rotation=40, ha="right", fontsize=8)
        ax.axhline(0, color=BLACK, linewidth=0.6)
        ax.set_ylabel(axis_label("discounted cash flow", unit))
        ax.set_xlabel("cash-flow group")
        ax.grid(True, axis="y", color=GREY, alpha=0.3, linewidth=0.5)
        ax.set_ylim(min(ends.min(), npv, 0) / factor - 0.05 * span,
                    max(ends.max(), npv, 0) / factor + 0.08 * span)
        out.append((name, fig))
    return out
