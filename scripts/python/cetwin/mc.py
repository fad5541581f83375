"""The Monte Carlo reader (/mc of docs/hdf5-schema.md): the summary of
every recorded metric, the stored draws read lazily (chunk by chunk: a
file of 10^8 draws is never read whole), the uncertain variables, the
deterministic case and the scenarios with their metrics, cash-flow tables
and reference values, and the UNFC rating."""
import numpy as np
import pandas as pd

from . import _h5

# /mc/summary columns in the order a table shows them
SUMMARY_COLUMNS = ["mean", "sd", "se", "min", "p5", "p10", "p50", "p90", "p95", "max",
                   "prob_negative", "cvar5", "q_pessimistic", "n", "n_undefined",
                   "n_negative", "sum", "sum_sq"]

# rows read at once when streaming the draws
CHUNK_ROWS = 1 << 18


class MonteCarlo:
    """Reader of /mc. Frames carry their units (attrs["units"], or
    attrs["row_units"] where they differ by metric; see cetwin.unit_of)."""

    def __init__(self, result):
        self.result = result
        self.group = result.h5["mc"]
        self._draws = None

    @property
    def attrs(self):
        """The run's attributes (draws, first_draw, block, stopped, ...)."""
        return _h5.attributes(self.group)

    @property
    def metrics(self):
        """Names of the recorded metrics (mc.metrics), in case order."""
        return _h5.strings(self.group["summary/metrics"])

    @property
    def summary(self):
        """One row per metric: mean, sd, se, min, p5 ... p95, max,
        prob_negative, cvar5, q_pessimistic, counts and exact sums, and a
        column `units` (the metric's unit; unit_of(frame, col, metric)
        gives each column's, `1` for prob_negative and the counts) and
        `share` (True for a share of a whole, which `cetwin info` prints as
        a percentage: /mc/summary/share; a file without it takes every
        metric of unit `1` for a share, as `cetwin info` does)."""
        group = self.group["summary"]
        names = [c for c in SUMMARY_COLUMNS if c in group]
        frame = _h5.columns(group, names)
        frame["units"] = _h5.strings(group["units"])
        frame["share"] = _h5.shares(group, "share", f"{self.result.path}: /mc/summary/share",
                                    list(frame["units"]))
        frame.index.name = "metric"
        return frame

    @property
    def has_draws(self):
        return "draws" in self.group

    @property
    def draws(self):
        """The stored draws (mc.store_draws: true) as a lazy Draws object
        (one per reader: its chunk_rows setting and read counters are
        shared by the plots); AnalysisMissing when the run stored none."""
        if not self.has_draws:
            from .result import AnalysisMissing

            raise AnalysisMissing(
                f"{self.result.path}: no /mc/draws (run with mc.store_draws: true)")
        if self._draws is None:
            self._draws = Draws(self.group["draws"], self)
        return self._draws

    @property
    def variables(self):
        """The uncertain parameters: key path and kind, one row each; the
        stochastic price series are in attrs["prices"]."""
        group = self.group["variables"]
        frame = pd.DataFrame({"kind": _h5.strings(group["kind"])},
                             index=pd.Index(_h5.strings(group["path"]), name="variable"))
        frame.attrs["prices"] = _h5.strings(group["prices"]) if "prices" in group else []
        return frame

    @property
    def price_series(self):
        """Names of the price series drawn as stochastic paths."""
        return self.variables.attrs["prices"]

    def _summary_shares(self):
        """metric -> share flag of the summarised metrics (for the
        evaluations of a file written before they recorded their own)."""
        summary = self.summary
        return dict(zip(summary.index, summary["share"]))

    @property
    def deterministic(self):
        """The case at its own values (an Evaluation)."""
        return Evaluation(self.group["deterministic"], "deterministic", self._summary_shares,
                          self.result.path)

    @property
    def scenarios(self):
        """Names of the scenarios, in the file's order."""
        if "scenarios" not in self.group:
            return []
        return _h5.strings(self.group["scenarios/names"])

    def scenario(self, name):
        """One scenario's evaluation (an Evaluation)."""
        if name not in self.scenarios:
            raise KeyError(
                f"no scenario '{name}' (scenarios: {', '.join(self.scenarios) or 'none'})")
        return Evaluation(self.group["scenarios"][name], name, self._summary_shares,
                          self.result.path)

    def evaluations(self):
        """The deterministic case, then every scenario: a list of
        Evaluation."""
        return [self.deterministic] + [self.scenario(s) for s in self.scenarios]

    @property
    def scenario_metrics(self):
        """Every metric (rows) of the deterministic case and of each
        scenario (columns), the metric's `units` and `share` (as
        Evaluation.metrics gives them, from the first evaluation that has
        the metric)."""
        evals = self.evaluations()
        tables = [e.metrics for e in evals]
        frame = pd.concat([t["value"].rename(e.name) for e, t in zip(evals, tables)], axis=1)
        for col in ("units", "share"):
            each = pd.concat([t[col] for t in tables])
            frame[col] = each[~each.index.duplicated()].reindex(frame.index)
        frame.index.name = "metric"
        frame.columns.name = None
        return frame

    @property
    def has_unfc(self):
        return "unfc" in self.group

    @property
    def unfc(self):
        """The UNFC rating: one row per rated item (the case from its draws,
        then each project from its scenarios) with the factors, the E
        category, the NPVs rated and their sources; attrs["units"] for the
        NPVs, attrs["settings"] the group's attributes and
        attrs["case_factors"] the case's user-rated factors."""
        group = self.group["unfc"]
        names = ["viability", "uncertainty", "overall", "rated_factors", "mean_npv",
                 "mean_source", "pessimistic_npv", "pessimistic_source", "cost_pv"]
        frame = _h5.columns(group, [n for n in names if n in group])
        frame.index = pd.Index(_h5.strings(group["rated"]), name="rated")
        frame.attrs["settings"] = _h5.attributes(group)
        if "case_factors" in group:
            frame.attrs["case_factors"] = dict(zip(_h5.strings(group["case_factors"]),
                                                   _h5.strings(group["case_factor_ratings"])))
        return frame


    # the summary columns the report shows
    HEADLINE = ("mean", "sd", "p5", "p50", "p95", "prob_negative")

    def headline(self):
        """The report's tables: the summary (mean, sd, P5, median, P95,
        probability below zero per metric), each metric in the
        deterministic case and the scenarios, and the UNFC rating; a
        share's values in per cent, as `cetwin info` prints them."""
        summary = self.summary
        frame = summary[[c for c in self.HEADLINE if c in summary.columns]].copy()
        units = list(summary["units"])
        shares = list(summary["share"])
        values = [c for c in frame.columns if c != "prob_negative"]
        frame.attrs["row_units"] = {c: units for c in values}
        frame.attrs["units"] = {"prob_negative": "1"}
        frame = _h5.percent(frame, values, shares)
        out = [(f"Summary over {self.attrs.get('draws', len(frame))} draws", frame)]
        metrics = self.scenario_metrics
        metrics = metrics.loc[[m for m in summary.index if m in metrics.index]]
        if len(metrics):
            values = [c for c in metrics.columns if c not in ("units", "share")]
            metrics.attrs["row_units"] = {c: list(metrics["units"]) for c in values}
            metrics.attrs["units"] = {}
            metrics = _h5.percent(metrics[values], values, list(metrics["share"]))
            out.append(("Deterministic case and scenarios", metrics))
        if self.has_unfc:
            unfc = self.unfc
            out.append(("UNFC rating", unfc[[c for c in unfc.columns
                                             if c not in ("mean_source", "pessimistic_source")]]))
        return out


class Evaluation:
    """One evaluation of the twin: /mc/deterministic or /mc/scenarios/NAME
    (or any group with metrics/ and cash_flow/)."""

    def __init__(self, group, name, summary_shares=None, path=None):
        """summary_shares: a function giving metric -> share flag of the
        metrics a Monte Carlo summary records (the flags of a file written
        before the evaluations recorded theirs); path: the file's, for
        messages."""
        self.group = group
        self.name = name
        self._summary_shares = summary_shares
        self._path = path if path is not None else group.file.filename

    def __repr__(self):
        return f"<cetwin evaluation '{self.name}'>"

    @property
    def metrics(self):
        """Every metric of the twin: columns value, units and share (True
        for a share of a whole, which `cetwin info` prints as a percentage:
        metrics/share of the evaluation's group). A file written before the
        evaluations recorded their flags takes the flag of /mc/summary/share
        for a metric the summary records, and every other metric of unit
        `1` for a share, as `cetwin info` does."""
        frame = _h5.table(self.group["metrics/value"])
        frame.index.name = "metric"
        frame.attrs["units"] = {}
        units = list(frame["units"])
        group = self.group["metrics"]
        if "share" in group or self._summary_shares is None:
            frame["share"] = _h5.shares(group, "share", f"{self._path}: {group.name}/share",
                                        units)
        else:
            known = self._summary_shares()
            frame["share"] = [bool(known.get(m, u == "1")) for m, u in zip(frame.index, units)]
        return frame

    def value(self, metric):
        """One metric's value."""
        return float(self.metrics.loc[metric, "value"])

    @property
    def has_cash_flow(self):
        return "cash_flow" in self.group

    @property
    def cash_flow(self):
        """The cash-flow tables (a CashFlow)."""
        return CashFlow(self.group["cash_flow"])

    @property
    def reference(self):
        """The reference values of the scenario's metrics: reference,
        cetwin (the metric's value) and deviation ((cetwin - reference) /
        |reference|); attrs["source"] where they come from. An empty frame
        when the evaluation has none."""
        if "reference" not in self.group:
            return pd.DataFrame({"reference": [], "cetwin": [], "deviation": []})
        group = self.group["reference"]
        frame = _h5.columns(group, ["value", "deviation"])
        frame.index = pd.Index(_h5.strings(group["metric"]), name="metric")
        frame = frame.rename(columns={"value": "reference"})
        frame.attrs["row_units"]["reference"] = frame.attrs["row_units"].pop("value", None)
        metrics = self.metrics
        frame.insert(1, "cetwin", metrics["value"].reindex(frame.index).to_numpy())
        frame.attrs["row_units"]["cetwin"] = list(metrics["units"].reindex(frame.index))
        if frame.attrs["row_units"]["reference"] is None:
            frame.attrs["row_units"]["reference"] = frame.attrs["row_units"]["cetwin"]
        frame.attrs["source"] = _h5.text(self.group.attrs.get("reference_source", ""))
        return frame


class CashFlow:
    """The cash-flow tables of one evaluation (a cash_flow group: of
    /mc/deterministic, /mc/scenarios/NAME or /simulate). Years are the
    project years (0 = the investment year); values in the twin's
    currency (attrs["units"])."""

    def __init__(self, group):
        self.group = group

    @property
    def currency(self):
        return _h5.units(self.group["row_yearly"])

    @property
    def years(self):
        return [int(y) for y in self.group["year"][...]]

    @property
    def yearly(self):
        """Cash of each row (lines and liquidation credits) per year: rows
        × years."""
        return _h5.table(self.group["row_yearly"])

    @property
    def rows(self):
        """One row per cash-flow row: its group and discounted total."""
        frame = _h5.table(self.group["row_discounted"])
        frame = frame.rename(columns={"row_discounted": "discounted"})
        frame.attrs["units"] = {"discounted": self.currency}
        frame.insert(0, "group", _h5.strings(self.group["row_group"]))
        return frame

    @property
    def group_yearly(self):
        """Cash of each group per year: groups × years."""
        return _h5.table(self.group["group_yearly"])

    @property
    def groups(self):
        """Discounted total of each group, in the file's group order."""
        frame = _h5.table(self.group["group_discounted"])
        frame = frame.rename(columns={"group_discounted": "discounted"})
        frame.attrs["units"] = {"discounted": self.currency}
        return frame

    @property
    def net(self):
        """Per year: net cash flow, discount factor and cumulative
        discounted net cash flow."""
        frame = _h5.columns(self.group, ["net_yearly", "discount_factor",
                                         "cumulative_discounted"])
        frame.index.name = "year"
        return frame


class Draws:
    """The stored draws of /mc/draws, read lazily: len(), column names,
    one column or a row range at a time, chunked iteration and streaming
    statistics (histogram, exact quantiles, empirical CDF) that hold one
    chunk in memory. rows_read and largest_read count what was read."""

    def __init__(self, group, mc=None, chunk_rows=CHUNK_ROWS):
        self.group = group
        self.mc = mc
        self.chunk_rows = int(chunk_rows)
        self._metrics = group["metrics"]
        self.metrics = _h5.labels(self._metrics, 1)
        self.inputs = _h5.labels(group["inputs"], 1) if "inputs" in group else []
        self.rows_read = 0
        self.largest_read = 0

    def __len__(self):
        return int(self._metrics.shape[0])

    def __repr__(self):
        return f"<cetwin draws: {len(self)} rows of {', '.join(self.columns)}>"

    @property
    def columns(self):
        """Names of every column: the metrics, then the inputs' paths."""
        return list(self.metrics) + list(self.inputs)

    @property
    def units(self):
        """column -> unit."""
        out = _h5.unit_map(self.metrics, _h5.units(self._metrics))
        if not out and self.mc is not None:
            summary = self.mc.summary
            out = dict(zip(summary.index, summary["units"]))
        if self.inputs:
            out.update(_h5.unit_map(self.inputs, _h5.units(self.group["inputs"])))
        return out

    def _where(self, name):
        if name in self.metrics:
            return self._metrics, self.metrics.index(name)
        if name in self.inputs:
            return self.group["inputs"], self.inputs.index(name)
        raise KeyError(f"no draws column '{name}' (columns: {', '.join(self.columns)})")

    def _read(self, ds, rows, col=None):
        n = rows.stop - rows.start
        self.rows_read += n
        self.largest_read = max(self.largest_read, n)
        return ds[rows, col] if col is not None else ds[rows]

    def _bounds(self, start, stop):
        n = len(self)
        start = 0 if start is None else int(start)
        stop = n if stop is None else min(int(stop), n)
        if start < 0 or start > stop:
            raise IndexError(f"rows {start}:{stop} outside 0:{n}")
        return start, stop

    def column(self, name, start=0, stop=None):
        """The values of one column for rows start to stop - 1 (a numpy
        array). Reading every row of a large file this way holds them all:
        use chunks() or the streaming helpers for those."""
        ds, j = self._where(name)
        start, stop = self._bounds(start, stop)
        return self._read(ds, slice(start, stop), j)

    def index(self, start=0, stop=None):
        """Draw indices (the keys of their random numbers) of rows start to
        stop - 1."""
        start, stop = self._bounds(start, stop)
        return self._read(self.group["index"], slice(start, stop))

    def frame(self, start=0, stop=None, columns=None):
        """Rows start to stop - 1 as a DataFrame indexed by draw."""
        start, stop = self._bounds(start, stop)
        columns = self.columns if columns is None else list(columns)
        data = {c: self.column(c, start, stop) for c in columns}
        frame = pd.DataFrame(data, index=pd.Index(self.index(start, stop), name="draw"))
        units = self.units
        frame.attrs["units"] = {c: units[c] for c in columns if c in units}
        return frame

    def chunks(self, columns=None, start=0, stop=None, rows=None):
        """Yields DataFrames of at most `rows` rows (chunk_rows by default)
        covering rows start to stop - 1 in order."""
        start, stop = self._bounds(start, stop)
        rows = self.chunk_rows if rows is None else int(rows)
        for lo in range(start, stop, rows):
            yield self.frame(lo, min(lo + rows, stop), columns)

    def _values(self, name, start=0, stop=None):
        """Yields the finite values of one column chunk by chunk."""
        ds, j = self._where(name)
        start, stop = self._bounds(start, stop)
        for lo in range(start, stop, self.chunk_rows):
            v = self._read(ds, slice(lo, min(lo + self.chunk_rows, stop)), j)
            yield v[np.isfinite(v)]

    def range(self, name):
        """(min, max) of the finite values of a column: from /mc/summary
        for a metric, else by one streaming pass."""
        if self.mc is not None and name in self.metrics:
            s = self.mc.summary
            if name in s.index and len(self) == self.mc.attrs.get("draws", -1):
                lo, hi = s.loc[name, "min"], s.loc[name, "max"]
                if np.isfinite(lo) and np.isfinite(hi):
                    return float(lo), float(hi)
        lo, hi = np.inf, -np.inf
        for v in self._values(name):
            if v.size:
                lo, hi = min(lo, v.min()), max(hi, v.max())
        return float(lo), float(hi)

    def histogram(self, name, bins=60, range=None):  # noqa: A002 - numpy's name
        """(counts, edges) of the finite values of a column, streamed
        chunk by chunk; range defaults to the column's (min, max)."""
        if range is None:
            range = self.range(name)
        lo, hi = range
        if not (np.isfinite(lo) and np.isfinite(hi)):
            return np.zeros(bins, dtype=np.int64), np.linspace(0.0, 1.0, bins + 1)
        if hi <= lo:
            lo, hi = lo - 0.5, hi + 0.5
        edges = np.linspace(lo, hi, bins + 1)
        counts = np.zeros(bins, dtype=np.int64)
        for v in self._values(name):
            counts += np.histogram(v, bins=edges)[0]
        return counts, edges

    def count(self, name):
        """Number of finite values of a column (streamed)."""
        return sum(v.size for v in self._values(name))

    def ecdf(self, name, x):
        """Fraction of the finite values <= each x (streamed)."""
        x = np.atleast_1d(np.asarray(x, dtype=float))
        below = np.zeros(x.shape, dtype=np.int64)
        n = 0
        for v in self._values(name):
            v = np.sort(v)
            below += np.searchsorted(v, x, side="right")
            n += v.size
        return below / n if n else np.full(x.shape, np.nan)

    def quantiles(self, name, probs, bins=4096, hold=1 << 22):
        """Exact quantiles (linear interpolation, type 7, as /mc/summary)
        of the finite values of a column with bounded memory: a streamed
        histogram locates the two order statistics each quantile needs,
        then one more pass keeps only the values in their bins (narrowed
        again while a bin holds more than `hold` values)."""
        probs = np.atleast_1d(np.asarray(probs, dtype=float))
        n = self.count(name)
        if n == 0:
            return np.full(probs.shape, np.nan)
        h = probs * (n - 1)
        ranks = sorted({int(np.floor(x)) for x in h} | {int(np.ceil(x)) for x in h})
        values = {r: self._order_statistic(name, r, bins, hold) for r in ranks}
        out = []
        for x in h:
            lo, hi = int(np.floor(x)), int(np.ceil(x))
            out.append(values[lo] + (x - lo) * (values[hi] - values[lo]))
        return np.array(out)

    def _order_statistic(self, name, rank, bins, hold):
        """The value of 0-based rank `rank` among the sorted finite values."""
        lo, hi = self.range(name)
        below = 0  # values < lo
        while True:
            if hi <= lo:
                return lo
            edges = np.linspace(lo, hi, bins + 1)
            counts = np.zeros(bins, dtype=np.int64)
            for v in self._values(name):
                v = v[(v >= lo) & (v <= hi)]
                counts += np.histogram(v, bins=edges)[0]
            cum = below + np.cumsum(counts)
            k = int(np.searchsorted(cum, rank, side="right"))
            k = min(k, bins - 1)
            b_lo, b_hi = edges[k], edges[k + 1]
            before = int(cum[k - 1]) if k > 0 else below
            if counts[k] <= hold or b_hi <= np.nextafter(b_lo, np.inf):
                last = k == bins - 1  # numpy's last bin is closed
                kept = []
                for v in self._values(name):
                    inside = (v >= b_lo) & ((v <= b_hi) if last else (v < b_hi))
                    kept.append(v[inside])
                kept = np.sort(np.concatenate(kept))
                return float(kept[rank - before])
            lo, hi, below = b_lo, b_hi, before
            # the narrower range must exclude the values at b_hi that
            # belong to the next bin: keep hi open by stepping below it
            if k < bins - 1:
                hi = np.nextafter(b_hi, -np.inf)
