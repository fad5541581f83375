"""The optimisation reader (/optimize of docs/hdf5-schema.md): the problem
(design variables, objectives, constraints by their names in the case),
the global front in TOPSIS order with its metrics, each island's final
front, the history of hypervolume and front size, the migrations, the
statistics of a robust run, and TOPSIS re-ranking of the front with other
weights (the same TOPSIS as src/moo/topsis.c)."""
import numpy as np
import pandas as pd

from . import _h5


class Optimization:
    """Reader of /optimize. Objective values are in their natural sense
    and units (a maximised metric is not negated)."""

    def __init__(self, result):
        self.result = result
        self.group = result.h5["optimize"]

    @property
    def attrs(self):
        """The run's attributes (algorithm, islands, population,
        generations, hypervolume, topsis_normalization, ...)."""
        return _h5.attributes(self.group)

    @property
    def design_names(self):
        return _h5.strings(self.group["design/name"])

    @property
    def objective_names(self):
        return _h5.strings(self.group["objectives/name"])

    @property
    def constraint_names(self):
        return _h5.strings(self.group["constraints/name"])

    def _problem(self, sub, names):
        group = self.group[sub]
        frame = _h5.columns(group, [n for n in names if n in group])
        axis = {"design": "variable", "objectives": "objective", "constraints": "constraint"}
        frame.index = pd.Index(_h5.strings(group["name"]), name=axis[sub])
        return frame

    @property
    def design(self):
        """The design variables, one row per name: path, units, lower,
        upper, integer, zero_below, group (-1: none)."""
        return self._problem("design", ["path", "units", "lower", "upper", "integer",
                                        "zero_below", "group"])

    @property
    def objectives(self):
        """The objectives, one row per name: metric, statistic (robust
        runs), units, sense, topsis_weight, reference_point, utopia,
        nadir, and share (True where the objective's metric is a share of a
        whole, which `cetwin info` prints as a percentage:
        /optimize/objectives/share; a file without it takes every
        objective of unit `1` for a share, as `cetwin info` does)."""
        frame = self._problem("objectives", ["metric", "statistic", "units", "sense",
                                             "topsis_weight", "reference_point", "utopia",
                                             "nadir"])
        frame["share"] = _h5.shares(self.group["objectives"], "share",
                                    f"{self.result.path}: /optimize/objectives/share",
                                    list(frame["units"]), items="objectives")
        return frame

    @property
    def constraints(self):
        """The constraints, one row per name: metric, statistic (robust
        runs), units, min, max."""
        return self._problem("constraints", ["metric", "statistic", "units", "min", "max"])

    def _points(self, sub):
        group = self.group[sub]
        design = _h5.table(group["design"], columns=self.design_names)
        objectives = _h5.table(group["objectives"], columns=self.objective_names)
        clash = set(design.columns) & set(objectives.columns)
        if clash:
            raise ValueError(f"design variables and objectives share names: {sorted(clash)}")
        frame = pd.concat([design, objectives], axis=1)
        frame.index.name = design.index.name
        frame.attrs["units"] = {**design.attrs["units"], **objectives.attrs["units"]}
        frame.attrs["design"] = list(design.columns)
        frame.attrs["objectives"] = list(objectives.columns)
        return frame

    @property
    def front(self):
        """The global front in TOPSIS order (row 0 has rank 1), indexed by
        point: the design variables and the objectives (columns named as
        in the case; attrs["design"], attrs["objectives"] list them), the
        constraints' values, violation, topsis_closeness, topsis_rank and
        island. attrs["units"] has every column's unit."""
        frame = self._points("front")
        group = self.group["front"]
        names = self.constraint_names
        if names:
            cons = _h5.table(group["constraints"], columns=names)
            attrs = frame.attrs
            frame = pd.concat([frame, cons], axis=1)
            frame.attrs = attrs
            frame.attrs["units"].update(cons.attrs["units"])
        frame.attrs["constraints"] = names
        for name in ("violation", "topsis_closeness", "topsis_rank", "island"):
            frame[name] = group[name][...]
            frame.attrs["units"][name] = _h5.units(group[name])
        return frame

    def _front_design(self):
        """The front's design variables alone (point x variable), indexed
        as `front`."""
        return _h5.table(self.group["front/design"], columns=self.design_names)

    @property
    def choices(self):
        """What each value of a structural design variable (a selector's
        outlet, a flowsheet choice's chain) chooses: {variable: {value:
        label}}, e.g. {"d1_route": {0: "process", 1: "sort", 2:
        "discard"}}; empty when the run has none (design/choices)."""
        if "choices" not in self.group["design"]:
            return {}
        found = {}
        for name, text in zip(self.design_names, _h5.strings(self.group["design/choices"])):
            if not text:
                continue
            entries = {}
            for item in text.split("; "):
                value, label = item.split(" ", 1)
                entries[int(value)] = label
            found[name] = entries
        return found

    @property
    def front_choices(self):
        """The front's structural design variables as what they choose
        (point x variable, strings; TOPSIS order as `front`)."""
        choices = self.choices
        design = self._front_design()
        return pd.DataFrame({name: [choices[name].get(int(round(v)), str(v))
                                    for v in design[name]] for name in choices},
                            index=design.index)

    @property
    def no_effect(self):
        """Which design variables had no effect at each front point
        (point x variable, bool): a selector or flowsheet choice whose
        inflow is zero there (front/no_effect); all False when the file
        has none (no structural design variable)."""
        design = self._front_design()
        group = self.group["front"]
        if "no_effect" not in group:
            return pd.DataFrame(False, index=design.index, columns=design.columns)
        return pd.DataFrame(group["no_effect"][...].astype(bool), index=design.index,
                            columns=design.columns)

    def headline(self, n=10):
        """The report's tables: the objectives (sense, TOPSIS weight,
        utopia, nadir) and the n best points of the front by TOPSIS, with
        the design variables and objectives named as in the case; a
        share's values in per cent, as `cetwin info` prints them."""
        objectives = self.objectives
        shares = list(objectives["share"])
        shown = [c for c in ("metric", "statistic", "units", "sense", "topsis_weight", "utopia",
                             "nadir") if c in objectives.columns]
        table = _h5.percent(objectives[shown], ["utopia", "nadir"], shares)
        table["units"] = ["%" if share else u for share, u in zip(shares, table["units"])]
        front = self.front
        cols = front.attrs["design"] + front.attrs["objectives"] + ["topsis_closeness"]
        top = front[cols].head(n).copy()
        top.index = pd.Index(front["topsis_rank"].head(n).astype(int), name="TOPSIS rank")
        top.attrs["units"] = {c: front.attrs["units"].get(c) for c in cols}
        top = top.rename(columns={"topsis_closeness": "closeness"})
        top.attrs["units"]["closeness"] = top.attrs["units"].pop("topsis_closeness")
        top = _h5.percent(top, [c for c, share in zip(objectives.index, shares) if share])
        return [("Objectives", table),
                (f"The front's best {len(top)} of {len(front)} points by TOPSIS", top)]

    @property
    def front_metrics(self):
        """Every metric of the twin at each front point (point × metric;
        in a robust run the nominal evaluation), units per metric."""
        return _h5.table(self.group["front/metrics"])

    @property
    def is_robust(self):
        return "robust" in self.group

    @property
    def front_statistics(self):
        """Robust runs: every statistic of every summarised metric over the
        draws at each front point, as a DataFrame indexed by point with
        columns (metric, statistic); attrs["units"] keyed the same way."""
        ds = self.group["front/statistics"]
        metrics = _h5.labels(ds, 1)
        stats = _h5.labels(ds, 2)
        data = ds[...]
        cols = pd.MultiIndex.from_product([metrics, stats], names=["metric", "statistic"])
        frame = pd.DataFrame(data.reshape(data.shape[0], -1), columns=cols,
                             index=pd.Index(_h5.labels(ds, 0), name="point"))
        units = np.broadcast_to(np.asarray(_h5.units(ds), dtype=object), data.shape[1:])
        frame.attrs["units"] = {c: units[i, j] for i, row in enumerate(metrics)
                                for j, c in enumerate((row, s) for s in stats)}
        return frame

    @property
    def robust(self):
        """Robust runs: the draws' settings (draws, seed, first_draw,
        draws_rule), the summarised metrics with their units ("metrics")
        and share flags ("shares": True for a share of a whole,
        /optimize/robust/share; a file without it takes every metric of
        unit `1` for a share), the uncertain variables and prices."""
        group = self.group["robust"]
        out = _h5.attributes(group)
        names, units = _h5.strings(group["metrics"]), _h5.strings(group["units"])
        out["metrics"] = dict(zip(names, units))
        out["shares"] = dict(zip(names, _h5.shares(
            group, "share", f"{self.result.path}: /optimize/robust/share", units)))
        out["statistics"] = _h5.strings(group["statistics"])
        out["variables"] = _h5.strings(group["variables/path"])
        out["prices"] = _h5.strings(group["variables/prices"])
        return out

    @property
    def islands(self):
        """Each island's final front (rank-0 individuals, copies kept):
        design variables, objectives, violation and island."""
        frame = self._points("islands")
        group = self.group["islands"]
        frame["violation"] = group["violation"][...]
        offset = group["offset"][...]
        frame["island"] = np.repeat(np.arange(len(offset) - 1), np.diff(offset))
        frame.attrs["units"].update({"violation": _h5.units(group["violation"]), "island": "1"})
        return frame

    def island_front(self, island):
        """One island's final front."""
        frame = self.islands
        return frame[frame["island"] == island]

    @property
    def hypervolume(self):
        """Hypervolume of each island's feasible front after each
        generation (generation × island; w.r.t. the reference point, in
        minimised objectives; unit the product of the objectives', stored
        as 1)."""
        return _h5.table(self.group["history/hypervolume"])

    @property
    def front_size(self):
        """Size of each island's feasible front (generation × island)."""
        return _h5.table(self.group["history/front_size"])

    @property
    def history(self):
        """Per generation: hypervolume_best (the largest island's),
        hypervolume_mean over the islands, front_size_max and
        front_size_total (summed over the islands)."""
        hv = self.hypervolume
        size = self.front_size
        frame = _h5.columns(self.group["history"], ["hypervolume_best"])
        frame["hypervolume_mean"] = hv.mean(axis=1).to_numpy()
        frame["front_size_max"] = size.max(axis=1).to_numpy()
        frame["front_size_total"] = size.sum(axis=1).to_numpy()
        frame.attrs["units"].update({k: "1" for k in ("hypervolume_mean", "front_size_max",
                                                      "front_size_total")})
        frame.index.name = "generation"
        return frame

    @property
    def migrations(self):
        """One row per migration and (destination, source) pair:
        generation, source, destination, migrants, in_front."""
        frame = _h5.table(self.group["migrations"])
        frame.index.name = "migration"
        return frame

    def rerank(self, weights=None, normalization=None, benefit=None, objectives=None):
        """Ranks the global front again by TOPSIS without re-running the
        optimisation. weights: a mapping objective -> weight or one weight
        per objective (scaled to sum 1; default: the case's
        topsis_weight); normalization: "vector" or "minmax" (default: the
        run's); benefit: objective names (or flags) that are better when
        larger (default: the maximised objectives); objectives: the
        columns ranked (default: every objective; any front or metrics
        column may be named). Returns the front with columns closeness and
        rank (1 = best), sorted by the new rank."""
        front = self.front
        names = list(objectives) if objectives is not None else self.objective_names
        values = []
        for n in names:
            if n in front.columns:
                values.append(front[n].to_numpy(dtype=float))
            else:
                values.append(self.front_metrics[n].to_numpy(dtype=float))
        f = np.column_stack(values)
        table = self.objectives
        if weights is None:
            if objectives is not None:
                raise ValueError("give the weights of the objectives chosen")
            w = table["topsis_weight"].to_numpy(dtype=float)
        elif isinstance(weights, dict):
            unknown = set(weights) - set(names)
            if unknown:
                raise KeyError(f"weights for unknown objectives {sorted(unknown)} "
                               f"(objectives: {', '.join(names)})")
            w = np.array([float(weights.get(n, 0.0)) for n in names])
        else:
            w = np.asarray(weights, dtype=float)
        if benefit is None:
            sense = dict(zip(table.index, table["sense"]))
            flags = [sense.get(n) == "maximize" for n in names]
        elif all(isinstance(b, (bool, np.bool_, int, np.integer)) for b in benefit) and \
                len(benefit) == len(names):
            flags = [bool(b) for b in benefit]
        else:
            flags = [n in set(benefit) for n in names]
        normalization = normalization or self.attrs.get("topsis_normalization", "vector")
        closeness, rank = topsis(f, w, flags, normalization)
        out = front.copy()
        out["closeness"] = closeness
        out["rank"] = rank
        out.attrs = dict(front.attrs)
        out.attrs["units"] = {**front.attrs["units"], "closeness": "1", "rank": "1"}
        return out.sort_values("rank", kind="stable")


def topsis(f, weights=None, benefit=None, normalization="vector"):
    """TOPSIS closeness and rank of the rows of f (points × criteria), as
    src/moo/topsis.c computes them (docs: include/cetwin/topsis.h):
    each column normalised (vector: x / ||x||2; minmax: (x - min) /
    (max - min); a zero norm gives 0), weighted (weights scaled to sum 1),
    distances to the ideal and anti-ideal point (benefit columns: larger
    is better), closeness d- / (d+ + d-) (1 when both are 0), rank 1 = the
    largest closeness, ties by row. Returns (closeness, rank)."""
    f = np.asarray(f, dtype=float)
    if f.ndim != 2 or f.shape[0] == 0 or f.shape[1] == 0:
        raise ValueError(f"TOPSIS needs points x criteria, found shape {f.shape}")
    n, m = f.shape
    if not np.all(np.isfinite(f)):
        raise ValueError("TOPSIS criteria must be finite")
    w = np.ones(m) if weights is None else np.asarray(weights, dtype=float)
    if w.shape != (m,) or not np.all(np.isfinite(w)) or np.any(w < 0) or w.sum() <= 0:
        raise ValueError(f"TOPSIS needs {m} finite weights >= 0 with a positive sum, found {w}")
    b = np.zeros(m, dtype=bool) if benefit is None else np.asarray(benefit, dtype=bool)
    if normalization not in ("vector", "minmax"):
        raise ValueError(f"unknown TOPSIS normalisation '{normalization}' (vector or minmax)")
    w = w / w.sum()
    lo, hi = f.min(axis=0), f.max(axis=0)
    if normalization == "vector":
        norm = np.sqrt(np.cumsum(f * f, axis=0)[-1])  # summed in order, as the C code
        shift = np.zeros(m)
    else:
        norm = hi - lo
        shift = lo
    scale = np.divide(w, norm, out=np.zeros(m), where=norm > 0)
    v = (f - shift) * scale
    vlo, vhi = (lo - shift) * scale, (hi - shift) * scale
    ideal = np.where(b, vhi, vlo)
    anti = np.where(b, vlo, vhi)
    dp = np.sqrt(((v - ideal) ** 2).sum(axis=1))
    dm = np.sqrt(((v - anti) ** 2).sum(axis=1))
    total = dp + dm
    closeness = np.divide(dm, total, out=np.ones(n), where=total > 0)
    order = np.argsort(-closeness, kind="stable")
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(1, n + 1)
    return closeness, rank
