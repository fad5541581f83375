"""cetwin.mc and cetwin.prices on every shipped result with /mc or
/prices/ar and on a run with stored draws: every accessor against h5py,
units present, the lazy draws (read chunk by chunk, never whole: checked
by recording every read of the dataset), streamed histogram, ECDF and
exact quantiles against numpy and /mc/summary."""
import os
import tempfile

import h5py
import numpy as np

import pkgtest
from pkgtest import check, close

import cetwin
from cetwin.mc import SUMMARY_COLUMNS, Draws

VARIANTS = os.path.join(os.path.dirname(pkgtest.RESULTS), "mcopt-variants")


def strs(ds):
    """The strings of a dataset, read with h5py alone."""
    return [v.decode() if isinstance(v, bytes) else str(v) for v in ds[...]]


def summary(res, raw, name):
    s = res.mc.summary
    g = raw["mc/summary"]
    metrics = strs(g["metrics"])
    check(list(s.index) == metrics, f"{name}: summary metrics {list(s.index)}")
    check(list(s["units"]) == strs(g["units"]), f"{name}: summary units")
    for col in SUMMARY_COLUMNS:
        close(s[col], g[col][...], f"{name}: summary {col}")
    check(cetwin.unit_of(s, "mean", metrics[0]) == strs(g["units"])[0], f"{name}: unit of mean")
    check(cetwin.unit_of(s, "prob_negative") == "1", f"{name}: unit of prob_negative")
    check(res.mc.attrs["draws"] == int(raw["mc"].attrs["draws"]), f"{name}: attrs draws")


def evaluations(res, raw, name):
    mc = res.mc
    check(mc.scenarios == strs(raw["mc/scenarios/names"]) if "scenarios" in raw["mc"] else [],
          f"{name}: scenarios")
    table = mc.scenario_metrics
    for ev in mc.evaluations():
        path = "mc/deterministic" if ev.name == "deterministic" else f"mc/scenarios/{ev.name}"
        g = raw[path]
        m = ev.metrics
        check(list(m.index) == strs(g["metrics/name"]), f"{name}/{ev.name}: metric names")
        close(m["value"], g["metrics/value"][...], f"{name}/{ev.name}: metric values")
        check(list(m["units"]) == strs(g["metrics/units"]), f"{name}/{ev.name}: metric units")
        check(cetwin.unit_of(m, "value", "npv") == "EUR", f"{name}/{ev.name}: unit of npv")
        close(table.loc[list(m.index), ev.name], g["metrics/value"][...],
              f"{name}/{ev.name}: scenario_metrics")
        cf = ev.cash_flow
        c = g["cash_flow"]
        close(cf.yearly.to_numpy(), c["row_yearly"][...], f"{name}/{ev.name}: row_yearly")
        check(list(cf.yearly.index) == strs(c["rows"]), f"{name}/{ev.name}: rows")
        check(list(cf.yearly.columns) == [int(y) for y in c["year"][...]],
              f"{name}/{ev.name}: years")
        check(set(cf.yearly.attrs["units"].values()) == {"EUR"}, f"{name}/{ev.name}: units")
        close(cf.rows["discounted"], c["row_discounted"][...], f"{name}/{ev.name}: row totals")
        check(list(cf.rows["group"]) == strs(c["row_group"]), f"{name}/{ev.name}: row groups")
        close(cf.group_yearly.to_numpy(), c["group_yearly"][...], f"{name}/{ev.name}: groups")
        close(cf.groups["discounted"], c["group_discounted"][...], f"{name}/{ev.name}: group tot")
        check(cf.groups.attrs["units"]["discounted"] == "EUR", f"{name}/{ev.name}: group unit")
        for col in ("net_yearly", "discount_factor", "cumulative_discounted"):
            close(cf.net[col], c[col][...], f"{name}/{ev.name}: {col}")
        check(cf.net.attrs["units"]["net_yearly"] == "EUR", f"{name}/{ev.name}: net unit")
        if "reference" in g:
            r = ev.reference
            close(r["reference"], g["reference/value"][...], f"{name}/{ev.name}: reference")
            close(r["deviation"], g["reference/deviation"][...], f"{name}/{ev.name}: deviation")
            close(r["cetwin"], m["value"].reindex(r.index), f"{name}/{ev.name}: cetwin values")
            check(r.attrs["source"] == raw[path].attrs["reference_source"],
                  f"{name}/{ev.name}: reference source")
            check(cetwin.unit_of(r, "reference", "npv") == "EUR",
                  f"{name}/{ev.name}: reference unit")
    try:
        mc.scenario("no such scenario")
        check(False, f"{name}: unknown scenario accepted")
    except KeyError as err:
        check("no scenario" in str(err), f"{name}: message {err}")


def unfc(res, raw, name):
    if "unfc" not in raw["mc"]:
        return
    u = res.mc.unfc
    g = raw["mc/unfc"]
    check(list(u.index) == strs(g["rated"]), f"{name}: unfc rated")
    for col in ("viability", "uncertainty", "overall", "mean_source", "pessimistic_source"):
        check(list(u[col]) == strs(g[col]), f"{name}: unfc {col}")
    for col in ("mean_npv", "pessimistic_npv", "cost_pv"):
        close(u[col], g[col][...], f"{name}: unfc {col}")
        check(u.attrs["units"][col] == "EUR", f"{name}: unfc unit {col}")
    check(u.attrs["settings"]["neutral_fraction"] == g.attrs["neutral_fraction"],
          f"{name}: unfc settings")


def prices(res, raw, name):
    p = res.prices
    ar = raw["prices/ar"]
    series = strs(ar["series"])
    m = p.models
    check(list(m.index) == series, f"{name}: price series")
    for col in ("order", "intercept", "sigma", "aic", "n_eff", "first_year", "last_year"):
        close(m[col], ar[col][...], f"{name}: prices {col}")
    check(list(m["units"]) == strs(ar["units"]), f"{name}: price units")
    check(cetwin.unit_of(m, "sigma", series[0]) == strs(ar["units"])[0], f"{name}: sigma unit")
    close(p.phi.to_numpy(), ar["phi"][...], f"{name}: phi")
    close(p.correlation.to_numpy(), ar["correlation"][...], f"{name}: correlation")
    k = len(series) - 1
    b = p.bands(series[k])
    close(b.to_numpy(), ar["bands"][:, :, k].T, f"{name}: bands of {series[k]}")
    check(list(b.index) == [int(y) for y in ar["years"][...]], f"{name}: band years")
    check(b.attrs["units"]["mean"] == strs(ar["units"])[k], f"{name}: band unit")
    check(list(b.columns) == list(ar.attrs["bands"]), f"{name}: band names")
    close(p.coefficients(series[0]), ar["phi"][0, :int(ar["order"][0])], f"{name}: coefficients")
    check(len(p.all_bands) == ar["bands"].size, f"{name}: all_bands rows")


def stored_draws(path):
    name = os.path.basename(path)
    with cetwin.open(path) as res, h5py.File(path, "r") as raw:
        mc = res.mc
        d = mc.draws
        d.chunk_rows = 3000  # several chunks
        g = raw["mc/draws"]
        metrics = strs(raw["mc/summary/metrics"])
        check(len(d) == g["metrics"].shape[0], f"{name}: len(draws)")
        check(d.metrics == metrics, f"{name}: draws columns {d.metrics}")
        check(d.units["npv"] == "EUR", f"{name}: draws units")
        all_npv = g["metrics"][:, 0]
        close(d.column("npv", 100, 200), all_npv[100:200], f"{name}: column slice")
        close(d.index(5, 9), g["index"][5:9], f"{name}: index slice")
        frame = d.frame(10, 20)
        close(frame.to_numpy(), g["metrics"][10:20], f"{name}: frame")
        check(list(frame.index) == list(g["index"][10:20]), f"{name}: frame index")
        chunks = list(d.chunks(columns=["npv"]))
        check(len(chunks) == -(-len(d) // 3000), f"{name}: chunk count {len(chunks)}")
        close(np.concatenate([c["npv"].to_numpy() for c in chunks]), all_npv, f"{name}: chunks")
        counts, edges = d.histogram("npv", bins=40)
        ref, _ = np.histogram(all_npv, bins=edges)
        close(counts, ref, f"{name}: streamed histogram")
        close(edges[[0, -1]], [all_npv.min(), all_npv.max()], f"{name}: histogram range")
        close(d.ecdf("npv", [0.0, 5e7]), [(all_npv <= 0).mean(), (all_npv <= 5e7).mean()],
              f"{name}: ecdf")
        # exact quantiles, as /mc/summary holds them (type 7), for every metric
        s = mc.summary
        for k, metric in enumerate(metrics):
            v = g["metrics"][:, k]
            v = v[np.isfinite(v)]
            q = d.quantiles(metric, [0.05, 0.1, 0.5, 0.9, 0.95], bins=64, hold=500)
            close(q, np.quantile(v, [0.05, 0.1, 0.5, 0.9, 0.95]), f"{name}: quantiles {metric}")
            close(q, s.loc[metric, ["p5", "p10", "p50", "p90", "p95"]].to_numpy(dtype=float),
                  f"{name}: quantiles {metric} against /mc/summary", rtol=1e-12)
        check(d.largest_read <= 3000, f"{name}: largest read {d.largest_read} rows")
        try:
            d.column("no such column")
            check(False, f"{name}: unknown draws column accepted")
        except KeyError as err:
            check("no draws column" in str(err), f"{name}: message {err}")


class Spy:
    """A dataset that records the rows of every read."""

    def __init__(self, ds):
        self.ds = ds
        self.reads = []

    def __getattr__(self, name):
        return getattr(self.ds, name)

    def __getitem__(self, key):
        rows = key[0] if isinstance(key, tuple) else key
        n = len(range(*rows.indices(self.ds.shape[0]))) if isinstance(rows, slice) else None
        self.reads.append(n)
        return self.ds[key]


def lazy_draws():
    """A draws group of 1.5 million rows: every statistic reads it in
    chunks of at most chunk_rows, never whole."""
    n, chunk = 1_500_000, 1 << 16
    rng = np.random.default_rng(7)
    values = np.round(rng.normal(3.0, 2.0, n), 3)  # rounded: many ties
    values[::97] = np.nan
    values[:1000] = 1.25  # a heavy tie inside one bin
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "draws.h5")
        with h5py.File(path, "w") as f:
            g = f.create_group("draws")
            g.create_dataset("index", data=np.arange(n, dtype=np.int64), chunks=(chunk,))
            ds = g.create_dataset("metrics", data=values[:, None], chunks=(chunk, 1))
            ds.attrs["units"] = "EUR"
            ds.attrs["columns"] = ["npv"]
        with h5py.File(path, "r") as f:
            d = Draws(f["draws"], chunk_rows=chunk)
            spy = Spy(d._metrics)
            d._metrics = spy
            finite = values[np.isfinite(values)]
            probs = [0.0, 0.025, 0.05, 0.5, 0.95, 1.0]
            name = d.metrics[0]
            q = d.quantiles(name, probs, hold=20_000)
            close(q, np.quantile(finite, probs), "lazy: exact quantiles")
            counts, edges = d.histogram(name, bins=50)
            close(counts, np.histogram(finite, bins=edges)[0], "lazy: histogram")
            check(d.count(name) == finite.size, "lazy: count")
            check(spy.reads and None not in spy.reads, "lazy: reads not by row ranges")
            check(max(spy.reads) <= chunk, f"lazy: a read of {max(spy.reads)} rows "
                  f"(chunk {chunk}, dataset {n})")
            check(d.largest_read == max(spy.reads), "lazy: largest_read")
            print(f"lazy draws: {len(spy.reads)} reads of at most {max(spy.reads)} rows "
                  f"of {n}")


def main():
    for path in pkgtest.results():
        with cetwin.open(path) as result, h5py.File(path, "r") as h5:
            base = os.path.basename(path)
            if "mc" in h5:
                summary(result, h5, base)
                evaluations(result, h5, base)
                unfc(result, h5, base)
                check(not result.mc.has_draws, f"{base}: draws")
                try:
                    result.mc.draws
                    check(False, f"{base}: draws of a run without them")
                except cetwin.AnalysisMissing as err:
                    check("store_draws" in str(err), f"{base}: message {err}")
            if "prices" in h5 and "ar" in h5["prices"]:
                prices(result, h5, base)
    stored_draws(os.path.join(VARIANTS, "bollrich-draws.h5"))
    lazy_draws()
    pkgtest.finish()


if __name__ == "__main__":
    main()
