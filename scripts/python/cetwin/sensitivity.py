"""The /sensitivity reader: factors, the parameter study, the one-at-a-time
tornado and spider tables, the break-evens, Morris's and Sobol's indices
with their intervals and convergence, and the stored model points, as
pandas DataFrames labelled by factor, group and metric names, with the
units in attrs["units"] (docs/hdf5-schema.md, section /sensitivity).

Tables of one metric take `metric` (a name or an index; default the
first metric of the run)."""
import numpy as np
import pandas as pd

from . import _h5

METHODS = ("sweep", "oat", "break_even", "morris", "sobol")


class Sensitivity:
    """Reader of /sensitivity; see the module's text."""

    def __init__(self, result):
        self.result = result
        self.group = result.h5["sensitivity"]

    def __repr__(self):
        return (f"<cetwin sensitivity of '{self.result.case}': {', '.join(self.methods)}; "
                f"metrics {', '.join(self.metrics)}>")

    # --- what the run holds ----------------------------------------------------
    @property
    def attrs(self):
        """The attributes of /sensitivity (seed, quantiles, shard, ...)."""
        return _h5.attributes(self.group)

    @property
    def methods(self):
        """The methods the run wrote, among sweep, oat, break_even, morris,
        sobol."""
        return [m for m in METHODS if m in self.group]

    def has(self, method):
        return method in self.group

    @property
    def metrics(self):
        """The names of the metrics looked at."""
        return _h5.strings(self.group["metrics"])

    @property
    def metric_units(self):
        """metric name -> unit."""
        return dict(zip(self.metrics, _h5.strings(self.group["metric_units"])))

    @property
    def metric_shares(self):
        """metric name -> True for a share of a whole (a recovery, the IRR),
        whose values, swings, threshold and Morris effects `cetwin info`
        prints as percentages (/sensitivity/metric_share); every flag False
        in a file written before it, whose tables printed every metric as a
        quantity."""
        units = _h5.strings(self.group["metric_units"])
        return dict(zip(self.metrics, _h5.shares(
            self.group, "metric_share", f"{self.result.path}: /sensitivity/metric_share", units,
            legacy=False)))

    def metric_name(self, metric=None):
        """The name of a metric given by name or index (None: the first)."""
        names = self.metrics
        if metric is None:
            return names[0]
        if isinstance(metric, (int, np.integer)):
            if not 0 <= metric < len(names):
                raise IndexError(f"metric {metric}: the run has {len(names)} metrics")
            return names[metric]
        if metric not in names:
            raise KeyError(f"unknown metric '{metric}' (the run's metrics: {', '.join(names)})")
        return metric

    def _metric(self, metric):
        name = self.metric_name(metric)
        return self.metrics.index(name), name, self.metric_units[name]

    def _need(self, method):
        if method not in self.group:
            raise KeyError(f"{self.result.path}: the sensitivity run has no /sensitivity/{method} "
                           f"(it holds: {', '.join(self.methods) or 'none'})")
        return self.group[method]

    @property
    def groups(self):
        """The groups of factors (a factor not bound is a group of its own)."""
        return _h5.strings(self.group["groups"])

    @property
    def factors(self):
        """Every factor of the case, indexed by name: kind, moves, low,
        high, tornado_low, tornado_high (its settings at the ends of the
        tornado) and group. Settings are values, relative changes or band
        positions by kind, so their units are those of the factor's
        parameter (`1` for a relative change)."""
        g = self.group["factors"]
        names = _h5.strings(g["name"])
        ends = g["tornado_ends"][...]
        groups = self.groups
        frame = pd.DataFrame({
            "kind": _h5.strings(g["kind"]),
            "moves": _h5.strings(g["moves"]),
            "low": g["low"][...],
            "high": g["high"][...],
            "tornado_low": ends[:, 0],
            "tornado_high": ends[:, 1],
            "group": [groups[i] for i in g["group"][...]],
        }, index=pd.Index(names, name="factor"))
        frame.attrs["units"] = {}
        return frame

    # --- parameter study -------------------------------------------------------
    @property
    def sweep(self):
        """The parameter study: one row per point (index: the point's
        number in the study), a column per swept parameter (its key path)
        then one per metric (units in attrs["units"]; the parameters'
        units are those of the case). attrs: parameters, metrics, grid
        (True: every combination, the last parameter fastest), points."""
        g = self._need("sweep")
        paths = _h5.strings(g["paths"])
        metrics = self.metrics
        index = pd.Index(g["point"][...] if "point" in g else np.arange(g["values"].shape[0]),
                         name="point")
        frame = pd.DataFrame(g["values"][...], index=index, columns=paths)
        values = g["metrics"][...]
        for i, name in enumerate(metrics):
            frame[name] = values[:, i]
        frame.attrs["units"] = {m: u for m, u in self.metric_units.items()}
        frame.attrs["parameters"] = paths
        frame.attrs["metrics"] = metrics
        frame.attrs["grid"] = bool(g.attrs["grid"])
        frame.attrs["points"] = int(g.attrs["points"])
        return frame

    # --- one at a time ---------------------------------------------------------
    @property
    def oat_factors(self):
        """The names of the factors the one-at-a-time tables move, in the
        tables' order."""
        names = _h5.strings(self.group["factors/name"])
        return [names[i] for i in self._need("oat")["factors"][...]]

    @property
    def base(self):
        """The metrics at the base point (a Series, units in attrs)."""
        g = self._need("oat")
        series = pd.Series(g["base"][...], index=pd.Index(self.metrics, name="metric"),
                           name="base")
        series.attrs["units"] = self.metric_units
        return series

    def tornado(self, metric=None):
        """The tornado of one metric, one row per OAT factor in the file's
        order: setting_low, setting_high (the factor's settings at its
        ends), low, high (the metric there), swing (|high - low|) and rank
        (1: the largest swing). attrs: metric, base (the metric at the
        base point)."""
        g = self._need("oat")
        i, name, unit = self._metric(metric)
        t = g["tornado"]
        settings = t["settings"][...]
        values = t["values"][:, :, i]
        frame = pd.DataFrame({
            "setting_low": settings[:, 0],
            "setting_high": settings[:, 1],
            "low": values[:, 0],
            "high": values[:, 1],
            "swing": t["swing"][:, i],
            "rank": t["rank"][:, i],
        }, index=pd.Index(self.oat_factors, name="factor"))
        frame.attrs["units"] = {"low": unit, "high": unit, "swing": unit, "rank": "1"}
        frame.attrs["metric"] = name
        frame.attrs["base"] = float(g["base"][i])
        return frame

    def spider(self, metric=None, relative=False):
        """The spider table of one metric: index the relative changes of
        oat.spider, one column per OAT factor; the metric's values (NaN
        where the change leaves the factor's valid range), or with
        relative=True (metric - base) / |base|. attrs: metric, base."""
        g = self._need("oat")
        i, name, unit = self._metric(metric)
        s = g["spider"]
        data = s["relative" if relative else "values"][:, :, i]
        factors = self.oat_factors
        frame = pd.DataFrame(data.T, index=pd.Index(s["changes"][...], name="change"),
                             columns=pd.Index(factors, name="factor"))
        frame.attrs["units"] = {f: "1" if relative else unit for f in factors}
        frame.attrs["metric"] = name
        frame.attrs["base"] = float(g["base"][i])
        return frame

    @property
    def break_even(self):
        """The break-evens, one row per OAT factor: change (the relative
        change where the metric crosses the threshold; NaN: none in the
        range), setting, crossings, iterations, range_low, range_high, and
        reference (the published break-even, when the case gives them).
        attrs: metric, threshold, tolerance, source."""
        g = self._need("break_even")
        table = g["table"]
        cols = _h5.labels(table, 1)
        frame = pd.DataFrame(table[...], index=pd.Index(self.oat_factors, name="factor"),
                             columns=cols)
        for c in ("crossings", "iterations"):
            if c in frame:
                frame[c] = frame[c].astype("int64")
        frame.attrs["units"] = _h5.unit_map(cols, _h5.units(table))
        if "reference" in g:
            frame["reference"] = g["reference"][...]
            frame.attrs["units"]["reference"] = _h5.units(g["reference"])
        attrs = _h5.attributes(g)
        frame.attrs["metric"] = attrs.get("metric")
        frame.attrs["threshold"] = attrs.get("threshold")
        frame.attrs["tolerance"] = attrs.get("tolerance")
        if "reference" in g and "source" in g["reference"].attrs:
            frame.attrs["source"] = _h5.text(g["reference"].attrs["source"])
        return frame

    # --- Morris -----------------------------------------------------------------
    def morris(self, metric=None):
        """Morris's elementary effects of one metric, one row per group of
        morris.factors: mu_star, mu_star_conf (the half-width of its
        bootstrap interval), mu, sigma, in the metric's unit per unit of
        the factor's range. attrs: metric, settings (trajectories, levels,
        ...)."""
        g = self._need("morris")
        i, name, unit = self._metric(metric)
        cols = ["mu_star", "mu_star_conf", "mu", "sigma"]
        frame = pd.DataFrame({c: g[c][:, i] for c in cols},
                             index=pd.Index(_h5.strings(g["groups"]), name="group"))
        frame.attrs["units"] = {c: _h5.unit_list(g[c])[i] for c in cols}
        frame.attrs["metric"] = name
        frame.attrs["settings"] = _h5.attributes(g)
        return frame

    @property
    def morris_design(self):
        """The Morris design: one row per point, the unit coordinate of
        every factor moved, then the metrics there (attrs: units,
        trajectories, steps per trajectory)."""
        g = self._need("morris")
        names = _h5.strings(self.group["factors/name"])
        factors = [names[i] for i in g["factors"][...]]
        frame = pd.DataFrame(g["design"][...], columns=factors,
                             index=pd.Index(np.arange(g["design"].shape[0]), name="point"))
        outputs = g["outputs"][...]
        for i, m in enumerate(self.metrics):
            frame[m] = outputs[:, i]
        frame.attrs["units"] = dict({f: "1" for f in factors}, **self.metric_units)
        frame.attrs["factors"] = factors
        return frame

    # --- Sobol' -----------------------------------------------------------------
    def sobol(self, metric=None):
        """Sobol's indices of one metric, one row per group of
        sobol.factors: S1, S1_conf, ST, ST_conf (the half-widths of the
        bootstrap intervals; NaN without replicates). attrs: metric, mean,
        variance (of the metric over the A and B rows), settings."""
        g = self._need("sobol")
        i, name, unit = self._metric(metric)
        frame = pd.DataFrame({
            "S1": g["first"][:, i],
            "S1_conf": g["first_conf"][:, i],
            "ST": g["total"][:, i],
            "ST_conf": g["total_conf"][:, i],
        }, index=pd.Index(_h5.strings(g["groups"]), name="group"))
        frame.attrs["units"] = {c: "1" for c in frame.columns}
        frame.attrs["metric"] = name
        frame.attrs["mean"] = float(g["mean"][i])
        frame.attrs["variance"] = float(g["variance"][i])
        frame.attrs["mean_units"] = unit
        frame.attrs["variance_units"] = _h5.unit_list(g["variance"])[i]
        frame.attrs["settings"] = _h5.attributes(g)
        return frame

    def sobol_second(self, metric=None, conf=False):
        """The second-order indices S_ij (i < j; NaN elsewhere) of one
        metric as a group x group frame, or their half-widths with
        conf=True; None when the run did not compute them."""
        g = self._need("sobol")
        if "second" not in g:
            return None
        i, name, _ = self._metric(metric)
        groups = _h5.strings(g["groups"])
        frame = pd.DataFrame(g["second_conf" if conf else "second"][:, :, i],
                             index=pd.Index(groups, name="group"), columns=groups)
        frame.attrs["units"] = {c: "1" for c in groups}
        frame.attrs["metric"] = name
        return frame

    def convergence(self, metric=None):
        """The convergence table of one metric: index n (base rows), the
        columns a MultiIndex (index, group) with index S1 and ST: the
        point estimates from the first n base rows."""
        g = self._need("sobol")
        c = g["convergence"]
        i, name, _ = self._metric(metric)
        groups = _h5.strings(g["groups"])
        parts = {"S1": c["first"][:, :, i], "ST": c["total"][:, :, i]}
        frame = pd.concat({k: pd.DataFrame(v, columns=groups) for k, v in parts.items()},
                          axis=1, names=["index", "group"])
        frame.index = pd.Index(c["n"][...].astype("int64"), name="n")
        frame.attrs["units"] = {col: "1" for col in frame.columns}
        frame.attrs["metric"] = name
        return frame

    # --- stored points -------------------------------------------------------------
    def _points(self, method, outer):
        g = self._need(method)
        if "points" not in g:
            raise KeyError(f"{self.result.path}: no /sensitivity/{method}/points (run the case "
                           "with sensitivity.store_points: true)")
        p = g["points"]
        names = _h5.strings(p["factor_names"])
        x, y = p["factors"], p["metrics"]
        n_outer, n_inner = x.shape[0], x.shape[1]
        if outer == "base_row":
            first = p["base_row"][...]
            inner = _h5.strings(p["row_kind"])
            inner_name = "row"
        else:
            first = p["trajectory"][...]
            inner = list(range(n_inner))
            inner_name = "step"
        index = pd.MultiIndex.from_product([first, inner], names=[outer, inner_name])
        frame = pd.DataFrame(np.asarray(x[...]).reshape(n_outer * n_inner, len(names)),
                             index=index, columns=names)
        ys = np.asarray(y[...]).reshape(n_outer * n_inner, y.shape[2])
        for i, m in enumerate(self.metrics):
            frame[m] = ys[:, i]
        frame.attrs["units"] = dict(self.metric_units)
        frame.attrs["factors"] = names
        frame.attrs["metrics"] = self.metrics
        return frame

    @property
    def has_points(self):
        return any(m in self.group and "points" in self.group[m] for m in ("sobol", "morris"))

    @property
    def sobol_points(self):
        """Every model point of the Sobol' plan (store_points: true): a
        MultiIndex (base_row, row) with row the design's row kind (A,
        AB:GROUP, ..., B), the factors' settings (NaN for prices) then the
        metrics; SALib's X and Y are frame[attrs["factors"]] and
        frame[attrs["metrics"]]."""
        return self._points("sobol", "base_row")

    @property
    def morris_points(self):
        """Every step of every Morris trajectory (store_points: true): a
        MultiIndex (trajectory, step), the factors' settings then the
        metrics."""
        return self._points("morris", "trajectory")

    # --- for the report ---------------------------------------------------------------
    def headline(self):
        """The tables a report shows, as a list of (title, DataFrame); a
        share's values, swings, threshold and Morris effects in per cent,
        as `cetwin info` prints them."""
        shares = self.metric_shares
        out = [("Factors", self.factors)]
        if self.has("sweep"):
            out.append(("Parameter study",
                        _h5.percent(self.sweep, [m for m in self.metrics if shares[m]])))
        for metric in self.metrics if self.has("oat") else []:
            tornado = self.tornado(metric).sort_values("rank")
            if shares[metric]:
                tornado = _h5.percent(tornado, ["low", "high", "swing"])
            out.append((f"Tornado of {metric}", tornado))
        if self.has("break_even"):
            be = self.break_even
            threshold = f"{be.attrs['threshold']:g}"
            if shares.get(be.attrs["metric"]):
                threshold = f"{be.attrs['threshold'] * 100:g} %"
            out.append((f"Break-even of {be.attrs['metric']} = {threshold}", be))
        for metric in self.metrics if self.has("morris") else []:
            morris = self.morris(metric).sort_values("mu_star", ascending=False)
            if shares[metric]:
                morris = _h5.percent(morris, list(morris.columns))
            out.append((f"Morris: {metric}", morris))
        for metric in self.metrics if self.has("sobol") else []:
            out.append((f"Sobol' indices: {metric}",
                        self.sobol(metric).sort_values("ST", ascending=False)))
        return out
