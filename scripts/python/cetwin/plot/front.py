"""Plots of the global Pareto front of /optimize: two objectives as a
scatter, three as a pairs matrix (and a 3-D view), more as parallel
coordinates; the TOPSIS best points highlighted, utopia and nadir marked,
points coloured by a design variable."""
import numpy as np

from . import plot
from ._style import BLACK, GREEN, GREY, VERMILLION, axis_label, figure, scaled

CMAP = "viridis"  # perceptually uniform, readable with colour-vision deficiencies


def _optimize(result):
    return "optimize" in result.h5


def _objective_count(result):
    return len(result.h5["optimize/objectives/sense"]) if _optimize(result) else 0


class _Front:
    """The front of a result prepared for plotting: objectives with their
    axis scaling and labels, TOPSIS order, utopia, nadir, the colouring."""

    def __init__(self, result, objectives=None, color_by=None):
        opt = result.optimize
        self.front = opt.front
        table = opt.objectives
        self.names = list(objectives) if objectives is not None else list(table.index)
        units = self.front.attrs["units"]
        self.units = [units.get(n) for n in self.names]
        self.factor, self.label = [], []
        for n, u in zip(self.names, self.units):
            factor, unit = scaled(np.concatenate([self.front[n], table.loc[n, ["utopia", "nadir"]]
                                                  .to_numpy(dtype=float)]), u,
                                  table.loc[n, "share"] if "share" in table else False)
            self.factor.append(factor)
            sense = table.loc[n, "sense"]
            arrow = "max" if sense == "maximize" else "min"
            self.label.append(axis_label(f"{n} ({arrow})", unit))
        self.utopia = table.loc[self.names, "utopia"].to_numpy(dtype=float)
        self.nadir = table.loc[self.names, "nadir"].to_numpy(dtype=float)
        self.rank = self.front["topsis_rank"].to_numpy()
        self.color_by = color_by or self._spread_variable(opt)
        if self.color_by in self.front.columns:
            self.color = self.front[self.color_by].to_numpy(dtype=float)
            self.color_unit = units.get(self.color_by)
        else:
            metrics = opt.front_metrics
            self.color = metrics[self.color_by].to_numpy(dtype=float)
            self.color_unit = metrics.attrs["units"].get(self.color_by)

    def _spread_variable(self, opt):
        """The design variable that varies most over the front (relative
        to its bounds): the default colouring."""
        design = opt.design
        best, spread = design.index[0], -1.0
        for name in design.index:
            width = design.loc[name, "upper"] - design.loc[name, "lower"]
            s = np.nanstd(self.front[name]) / width if width > 0 else 0.0
            if s > spread:
                best, spread = name, s
        return best

    def values(self, i):
        return self.front[self.names[i]].to_numpy(dtype=float) / self.factor[i]

    def colorbar(self, fig, mappable, ax):
        bar = fig.colorbar(mappable, ax=ax, shrink=0.9)
        bar.set_label(axis_label(self.color_by, self.color_unit))
        return bar


def _pair(ax, fr, i, j, top, legend=True):
    """Objective j (x) against objective i (y) on one axes."""
    x, y = fr.values(j), fr.values(i)
    order = np.argsort(-fr.rank)  # best drawn last, on top
    sc = ax.scatter(x[order], y[order], c=fr.color[order], cmap=CMAP, s=14, linewidths=0,
                    label="front point")
    best = fr.rank <= top
    ax.scatter(x[best], y[best], s=70, facecolors="none", edgecolors=BLACK, linewidths=1.3,
               label=f"TOPSIS top {top}")
    _rank_labels(ax, x, y, fr.rank, top)
    ax.scatter([fr.utopia[j] / fr.factor[j]], [fr.utopia[i] / fr.factor[i]], marker="*", s=160,
               color=GREEN, edgecolors=BLACK, linewidths=0.6, label="utopia", zorder=5)
    ax.scatter([fr.nadir[j] / fr.factor[j]], [fr.nadir[i] / fr.factor[i]], marker="X", s=90,
               color=VERMILLION, edgecolors=BLACK, linewidths=0.6, label="nadir", zorder=5)
    ax.set_xlabel(fr.label[j])
    ax.set_ylabel(fr.label[i])
    ax.grid(True, color=GREY, alpha=0.3, linewidth=0.5)
    if legend:
        ax.legend(loc="best", fontsize=8, framealpha=0.8)
    return sc


def _rank_labels(ax, x, y, rank, top):
    """Numbers the TOPSIS top points by rank; points closer than 8 % of
    the data range share one label ('2,3')."""
    span_x = np.ptp(x) or 1.0
    span_y = np.ptp(y) or 1.0
    labels = []  # [x, y, ranks]
    for k in sorted(np.flatnonzero(rank <= top), key=lambda i: rank[i]):
        for lab in labels:
            if abs(x[k] - lab[0]) < 0.08 * span_x and abs(y[k] - lab[1]) < 0.08 * span_y:
                lab[2].append(rank[k])
                break
        else:
            labels.append([x[k], y[k], [rank[k]]])
    for lx, ly, ranks in labels:
        ax.annotate(",".join(str(r) for r in ranks), (lx, ly), xytext=(-6, 7),
                    textcoords="offset points", fontsize=8, ha="right", va="bottom",
                    zorder=6, bbox={"boxstyle": "round,pad=0.15", "facecolor": "white",
                                    "edgecolor": "none", "alpha": 0.8})


@plot(applies=_optimize)
def pareto_front(result, objectives=None, color_by=None, top=5):
    """The global front: a scatter of two objectives, a pairs matrix of
    three, parallel coordinates of more. The TOPSIS top `top` points are
    circled and numbered by rank, utopia (star) and nadir (cross) marked,
    points coloured by `color_by` (a design variable or metric; default
    the design variable varying most over the front)."""
    fr = _Front(result, objectives, color_by)
    m = len(fr.names)
    if m > 3:
        return pareto_parallel(result, columns=fr.names, color_by=fr.color_by, top=top)
    if m == 1:
        fig, ax = figure(result, "front (one objective)")
        x = fr.values(0)
        ax.scatter(fr.color, x, c=fr.color, cmap=CMAP, s=14)
        ax.set_xlabel(axis_label(fr.color_by, fr.color_unit))
        ax.set_ylabel(fr.label[0])
        return fig
    if m == 2:
        fig, ax = figure(result, "Pareto front", figsize=(7.5, 5.5))
        sc = _pair(ax, fr, 1, 0, top)
        fr.colorbar(fig, sc, ax)
        return fig
    fig, axes = figure(result, "Pareto front (pairs of objectives)", m, m, figsize=(11, 10))
    sc = None
    for i in range(m):
        for j in range(m):
            ax = axes[i, j]
            if i == j:
                ax.hist(fr.values(i), bins=30, color=GREY, edgecolor="white")
                ax.set_xlabel(fr.label[i])
                ax.set_ylabel("front points")
            elif i > j:
                sc = _pair(ax, fr, i, j, top, legend=False)
            else:
                ax.axis("off")
    handles, labels = axes[1, 0].get_legend_handles_labels()
    axes[0, m - 1].legend(handles, labels, loc="center", fontsize=9, title=f"{len(fr.rank)} points")
    fr.colorbar(fig, sc, axes[:, -1].tolist())
    return fig


@plot(applies=lambda r: _objective_count(r) == 3)
def pareto_front_3d(result, objectives=None, color_by=None, top=5, elev=25, azim=-50):
    """The global front of three objectives in 3-D, TOPSIS top `top`,
    utopia and nadir marked, coloured by `color_by`."""
    fr = _Front(result, objectives, color_by)
    fig, ax = figure(result, "Pareto front (3-D view)", figsize=(8.5, 7),
                     subplot_kw={"projection": "3d"})
    x, y, z = fr.values(0), fr.values(1), fr.values(2)
    sc = ax.scatter(x, y, z, c=fr.color, cmap=CMAP, s=10, depthshade=False, label="front point")
    best = fr.rank <= top
    ax.scatter(x[best], y[best], z[best], s=70, facecolors="none", edgecolors=BLACK,
               linewidths=1.3, depthshade=False, label=f"TOPSIS top {top}")
    u = [fr.utopia[k] / fr.factor[k] for k in range(3)]
    n = [fr.nadir[k] / fr.factor[k] for k in range(3)]
    ax.scatter(*[[v] for v in u], marker="*", s=160, color=GREEN, edgecolors=BLACK,
               depthshade=False, label="utopia")
    ax.scatter(*[[v] for v in n], marker="X", s=90, color=VERMILLION, edgecolors=BLACK,
               depthshade=False, label="nadir")
    ax.set_xlabel(fr.label[0], labelpad=8)
    ax.set_ylabel(fr.label[1], labelpad=8)
    ax.set_zlabel(fr.label[2], labelpad=8)
    ax.view_init(elev=elev, azim=azim)
    ax.set_box_aspect(None, zoom=0.88)  # leaves room for the z label
    ax.legend(loc="upper left", fontsize=8)
    bar = fig.colorbar(sc, ax=ax, shrink=0.7, pad=0.08)
    bar.set_label(axis_label(fr.color_by, fr.color_unit))
    return fig


def _several_points(result):
    return _optimize(result) and result.h5["optimize/front/topsis_rank"].shape[0] > 1


@plot(applies=_several_points)
def pareto_parallel(result, columns=None, color_by=None, top=5):
    """Parallel coordinates of the front: one vertical axis per objective
    (default: every objective, then every design variable), each spanning
    the front's range (its minimum and maximum written at the ends, with
    the unit); lines coloured by `color_by`, the TOPSIS top `top` in black."""
    opt = result.optimize
    fr = _Front(result, None, color_by)
    front = fr.front
    if columns is None:
        columns = list(opt.objective_names) + list(opt.design_names)
    units = front.attrs["units"]
    constant = [c for c in columns if np.ptp(front[c].to_numpy(dtype=float)) == 0]
    columns = [c for c in columns if c not in constant]
    if not columns:
        raise ValueError(f"{result.path}: every column is constant over the front "
                         f"({len(front)} points): no parallel coordinates to draw")
    data = np.column_stack([front[c].to_numpy(dtype=float) for c in columns])
    lo, hi = data.min(axis=0), data.max(axis=0)
    span = np.where(hi > lo, hi - lo, 1.0)
    norm = (data - lo) / span
    fig, ax = figure(result, "Pareto front (parallel coordinates)",
                     figsize=(max(7.0, 1.25 * len(columns) + 2.5), 5.8))
    import matplotlib as mpl

    cmap = mpl.colormaps[CMAP]
    cnorm = mpl.colors.Normalize(np.nanmin(fr.color), np.nanmax(fr.color))
    xs = np.arange(len(columns))
    order = np.argsort(-fr.rank)
    for k in order:
        if fr.rank[k] > top:
            ax.plot(xs, norm[k], color=cmap(cnorm(fr.color[k])), alpha=0.35, linewidth=0.7)
    for k in np.flatnonzero(fr.rank <= top)[::-1]:
        ax.plot(xs, norm[k], color=BLACK, linewidth=2.0 if fr.rank[k] == 1 else 1.2,
                linestyle="-" if fr.rank[k] == 1 else "--",
                label="TOPSIS rank 1" if fr.rank[k] == 1 else None)
    ax.plot([], [], color=BLACK, linewidth=1.2, linestyle="--", label=f"TOPSIS ranks 2-{top}")
    for x in xs:
        ax.axvline(x, color=GREY, linewidth=0.8)
    for x, c in enumerate(columns):
        ax.annotate(_short(hi[x]), (x, 1.0), xytext=(0, 4), textcoords="offset points",
                    ha="center", va="bottom", fontsize=7)
        ax.annotate(_short(lo[x]), (x, 0.0), xytext=(0, -4), textcoords="offset points",
                    ha="center", va="top", fontsize=7)
    ax.set_xticks(xs)
    names = set(opt.objective_names)
    ax.set_xticklabels([axis_label(c + (" (objective)" if c in names else ""), units.get(c))
                        for c in columns], rotation=30, ha="right", fontsize=8)
    ax.set_ylim(-0.08, 1.08)
    ax.set_yticks([0, 0.5, 1])
    ax.set_ylabel("position in the front's range (0 = min, 1 = max)")
    title = None
    if constant:
        title = "constant over the front:\n" + "\n".join(
            f"{c} = {_short(front[c].iloc[0])}" for c in constant)
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8, frameon=False,
              title=title, title_fontsize=8)
    sm = mpl.cm.ScalarMappable(norm=cnorm, cmap=cmap)
    bar = fig.colorbar(sm, ax=ax, location="top", shrink=0.45, aspect=40, pad=0.02)
    bar.set_label(axis_label(fr.color_by, fr.color_unit))
    return fig


def _short(value):
    """A number written in at most about 6 characters for an axis end."""
    if value == 0:
        return "0"
    if abs(value) >= 1e5 or abs(value) < 1e-2:
        return f"{value:.2g}"
    return f"{value:.4g}"
