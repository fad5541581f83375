"""Convergence of an optimisation (/optimize/history): the hypervolume of
each island's front and their front sizes per generation, with the
generations of the migrations marked."""
import numpy as np

from . import plot
from ._style import BLACK, GREY, PALETTE, axis_label, figure


def _optimize(result):
    return "optimize" in result.h5 and "history" in result.h5["optimize"]


def hypervolume_unit(opt):
    """The unit of a hypervolume: the product of the objectives' units
    (the file stores 1)."""
    units = [u for u in opt.objectives["units"] if u not in ("", "1")]
    return " · ".join(units) or "1"


@plot(applies=_optimize)
def optimization_history(result, migrations=True):
    """Hypervolume (top) and feasible front size (bottom) of every island
    per generation, the best island's hypervolume in black; the
    generations with migrations as grey vertical lines."""
    opt = result.optimize
    hv = opt.hypervolume
    size = opt.front_size
    best = opt.history["hypervolume_best"]
    gens = np.asarray(hv.index, dtype=float)
    top_value = float(np.nanmax(np.abs(hv.to_numpy()))) if hv.size else 0.0
    power = 3 * int(np.floor(np.log10(top_value) / 3)) if top_value > 0 else 0
    factor = 10.0 ** power
    unit = hypervolume_unit(opt)
    if power != 0:
        unit = f"1e{power} {unit}"
    fig, (top, bottom) = figure(result, "hypervolume and front size per generation", 2, 1,
                                sharex=True, figsize=(8.5, 7.5))
    islands = list(hv.columns)
    for k, island in enumerate(islands):
        colour = PALETTE[k % (len(PALETTE) - 1)]  # black is the best island's
        top.plot(gens, hv[island] / factor, color=colour, linewidth=1.0, alpha=0.9,
                 label=f"island {island}")
        bottom.plot(gens, size[island], color=colour, linewidth=1.0, label=f"island {island}")
    top.plot(gens, best / factor, color=BLACK, linewidth=1.6, linestyle="--",
             label="best island")
    if migrations:
        table = opt.migrations
        when = sorted(set(int(g) for g in table["generation"])) if len(table) else []
        for g in when:
            for ax in (top, bottom):
                ax.axvline(g, color=GREY, linewidth=0.6, alpha=0.45, zorder=0)
        if when:
            top.plot([], [], color=GREY, linewidth=0.8,
                     label=f"migration ({len(when)} generations, {len(table)} transfers)")
    # the unit of a product of three objectives is long: on its own line
    top.set_ylabel(axis_label("hypervolume", unit).replace(" [", "\n[", 1), fontsize=9)
    bottom.set_ylabel("feasible front size [points]")
    bottom.set_xlabel("generation")
    ncol = 2 if len(islands) > 3 else 1
    top.legend(loc="lower right", fontsize=8, ncol=ncol, framealpha=0.9)
    bottom.legend(loc="lower right", fontsize=8, ncol=ncol, framealpha=0.9)
    for ax in (top, bottom):
        ax.grid(True, color=GREY, alpha=0.25, linewidth=0.5)
    bottom.set_xlim(gens.min(), gens.max())
    return fig
