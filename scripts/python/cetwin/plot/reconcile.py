"""Reconciliation of plant data (/reconcile): the normalised adjustment of
every measurement that can be checked against the others, with the
critical value of the measurement test and the culprit marked."""
import numpy as np

from . import plot
from ._style import BLUE, GREY, ORANGE, VERMILLION, figure


def _reconcile(result):
    return "reconcile" in result.h5


@plot(applies=_reconcile)
def reconcile_adjustments(result):
    """Normalised adjustment (measured − reconciled over its standard
    deviation) of every redundant measurement, with the critical value of
    the measurement test as dashed lines; the most likely culprit in
    vermillion, others beyond the critical value in orange, the
    measurements set aside hatched at their value when set aside."""
    rec = result.reconcile
    m = rec.measurements
    value = m["normalised_adjustment"].to_numpy(dtype=float).copy()
    dropped = rec.dropped
    for i, na in zip(dropped["measurement"], dropped["normalised_adjustment"]):
        value[i] = na
    shown = [i for i in m.index if m.loc[i, "redundant"] or not m.loc[i, "used"]]
    culprit = rec.culprit
    critical = rec.critical
    fig, ax = figure(result, "normalised adjustments of the measurements",
                     figsize=(8.5, 1.6 + 0.27 * max(len(shown), 3)))
    y = np.arange(len(shown))[::-1]
    def colour(i):
        if culprit is not None and i == culprit.name:
            return VERMILLION
        if not m.loc[i, "used"]:
            return GREY
        return ORANGE if abs(value[i]) > critical else BLUE

    colours = [colour(i) for i in shown]
    bars = ax.barh(y, [value[i] for i in shown], color=colours, height=0.7)
    for bar, i in zip(bars, shown):
        if not m.loc[i, "used"]:
            bar.set_hatch("//")
            bar.set_edgecolor("white")
    ax.set_yticks(y, [f"#{i + 1} {m.loc[i, 'stream']} {m.loc[i, 'quantity']} "
                      f"[{m.loc[i, 'units']}]" for i in shown], fontsize=8)
    top = np.nanmax(np.abs([value[i] for i in shown] + [critical if np.isfinite(critical)
                                                         else 0.0, 1.0]))
    ax.set_xlim(-1.3 * top, 1.3 * top)
    if np.isfinite(critical):
        for sign in (-1, 1):
            ax.axvline(sign * critical, color=VERMILLION, linestyle="--", linewidth=1,
                       label=f"critical ±{critical:.3f} (Šidák, alpha = "
                             f"{rec.global_test['alpha']:g})" if sign > 0 else None)
    ax.axvline(0, color="black", linewidth=0.6)
    for bar, i in zip(bars, shown):
        note = ""
        if culprit is not None and i == culprit.name:
            note = "culprit"
        elif not m.loc[i, "used"]:
            note = "set aside"
        if note:
            width = bar.get_width()
            ax.annotate(note, (width, bar.get_y() + bar.get_height() / 2),
                        xytext=(4 if width >= 0 else -4, 0), textcoords="offset points",
                        ha="left" if width >= 0 else "right", va="center", fontsize=8,
                        color=VERMILLION if note == "culprit" else GREY)
    t = rec.global_test
    ax.set_title(f"global test {t['outcome']}: chi-square {t['chi_square']:.4g} on {t['dof']} "
                 f"degrees of freedom (critical {t['critical']:.4g});\n"
                 f"{len(m) - len(shown)} measurements cannot be improved (not shown)",
                 fontsize=8)
    ax.set_xlabel("normalised adjustment: (measured − reconciled) / its sd [1]")
    ax.set_ylim(-0.7, len(shown) - 0.3)
    ax.grid(axis="x", color="#e0e0e0", linewidth=0.6)
    ax.set_axisbelow(True)
    if np.isfinite(critical):
        ax.legend(loc="lower right", fontsize=8)
    return fig
