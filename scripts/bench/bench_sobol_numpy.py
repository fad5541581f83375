#!/usr/bin/python3
"""NumPy version of the Sobol' analysis of scripts/bench/bollrich-sobol.yaml,
written as a NumPy user would: the same design and estimators as cetwin's
`analysis: sensitivity` with `sobol:`, on the same model.

- Design (Saltelli): the points of scipy.stats.qmc.Sobol(d=2k, scramble=True),
  k the factors with a unit coordinate; A the first k columns, B the last k;
  per base row the model points A, AB_1 .. AB_g, B (AB_i: A with group i
  from B). The correlated price paths are one group without a coordinate:
  every base row draws two sets of paths (A's and B's), AB_prices takes B's.
- Factors mapped from unit coordinates: a `value` factor to low + u (high -
  low), a `scale` factor to the relative change c = low + u (high - low),
  which multiplies the cash-flow rows of every parameter it moves.
- Model: the NPV from cetwin's deterministic cash-flow table of the same
  twin (/mc/deterministic/cash_flow of a result file of the case's twin):
  each row of the table times the factors that move it (a line's unit
  value, the lines of a cash-flow group, the contingency of the lines that
  take the default one, the yearly flow a line follows, a price series'
  factor), the drawn price paths over their deterministic ones for the
  priced rows, discounted at the row's own rate (the discount rate is a
  factor); vectorised over the rows of a batch of base rows.
- Prices: AR(1) in level scale with shocks correlated by the Cholesky
  factor of the case's correlation matrix, drawn as bench_mc_numpy.py draws
  them.
- Estimators on the outputs centred by their mean (as cetwin's):
  S1_i = mean((f(B) - m)(f(AB_i) - f(A))) / V (Saltelli 2010),
  ST_i = mean((f(A) - f(AB_i))^2) / 2V (Jansen), m and V the mean and
  population variance of f(A) and f(B); R bootstrap replicates resample the
  base rows with numpy's generator, the interval is +- z sd of the
  replicates (z the normal quantile at (1 + level) / 2).

The CPU time is also split into the design, the price paths, the model,
the estimators with the bootstrap, and the rest (the copies of the AB
matrices, the loops), per model point.

usage: bench_sobol_numpy.py CASE.yaml DETERMINISTIC.h5 [N] [SEED] [--json]
Run with OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 for a one-core figure.
"""
import argparse
import json
import math
import os
import statistics
import time

import h5py
import numpy as np
import yaml
from scipy.stats import qmc

BATCH = 8192  # base rows evaluated together (13 model points each here)
PHASES = ("design", "price paths", "model", "estimators and bootstrap", "rest")
LIQUIDATION = " liquidation"


def load_yaml(path):
    """The YAML file with its !include values read (a list of files is
    merged into one mapping), relative to the file that names them."""
    here = os.path.dirname(os.path.abspath(path))

    class Loader(yaml.SafeLoader):
        pass

    def include(loader, node):
        if isinstance(node, yaml.SequenceNode):
            names = loader.construct_sequence(node)
        else:
            names = [loader.construct_scalar(node)]
        merged = {}
        for name in names:
            merged.update(load_yaml(os.path.join(here, name)))
        return merged

    Loader.add_constructor("!include", include)
    with open(path) as f:
        return yaml.load(f, Loader=Loader)


class Factor:
    """A factor of the case: its kind, range, and what it moves in the
    model (a mask over the cash-flow rows, or the discount rate)."""

    def __init__(self, spec, model):
        self.name = spec["name"]
        if "change" in spec:
            self.kind = "scale"
            self.low, self.high = spec["change"]
        else:
            self.kind = "value"
            self.low, self.high = spec["low"], spec["high"]
        self.discount = False
        self.mask = np.zeros(len(model.rows), dtype=bool)
        self.base = None  # value factors on the rows: the case's value
        if "group" in spec:
            # the unit values of the group's lines; a CAPEX line's liquidation
            # fraction moves by 1 / (1 + c), so its liquidation row stays
            self.mask[:] = [not liq and model.lines[line]["group"] == spec["group"]
                            for line, liq in model.row_line]
            return
        paths = spec["paths"] if "paths" in spec else [spec["path"]]
        for path in paths:
            self._add(path, model)

    def _add(self, path, model):
        part = path.split(".")
        if path == "economics.discount_rate" and self.kind == "value":
            self.discount = True
        elif path == "economics.contingency" and self.kind == "value":
            self.base = model.contingency
            self.mask |= [model.lines[line].get("contingency") == "default"
                          for line, _ in model.row_line]
        elif part[:2] == ["economics", "lines"] and part[3:] == ["unit_value"]:
            if self.kind != "scale":
                raise ValueError(f"{self.name}: unit values as scale factors only")
            self.mask |= [line == part[2] for line, _ in model.row_line]
        elif part[:2] == ["economics", "flows"] and part[3:] == ["per_year"]:
            if self.kind != "scale":
                raise ValueError(f"{self.name}: flows as scale factors only")
            self.mask |= [model.lines[line].get("flow") == part[2] for line, _ in model.row_line]
        elif part[0] == "prices" and part[2:] == ["factor"] and self.kind == "scale":
            self.mask |= [model.lines[line].get("price") == part[1] for line, _ in model.row_line]
        else:
            raise ValueError(f"{self.name}: {path} is not part of this NumPy model")

    def multiplier(self, u):
        """The factor of the masked rows at unit coordinates u."""
        x = self.low + u * (self.high - self.low)
        if self.kind == "scale":
            return 1.0 + x
        return (1.0 + x) / (1.0 + self.base)


class Model:
    def __init__(self, case_path, det_path):
        case = load_yaml(case_path)
        economics, prices = case["economics"], case["prices"]
        self.lines = economics["lines"]
        self.contingency = economics["contingency"]
        with h5py.File(det_path, "r") as f:
            g = f["mc/deterministic/cash_flow"]
            self.rows = list(g["rows"].asstr()[...])
            self.cash = g["row_yearly"][...]  # rows x years 0..horizon
        self.row_line = [(r[: -len(LIQUIDATION)], True) if r.endswith(LIQUIDATION) else (r, False)
                         for r in self.rows]
        self.years = self.cash.shape[1]
        # the drawn price paths: the series of `uncertain: [{price: [...]}]`
        self.series = [s for u in case["uncertain"] if "price" in u for s in u["price"]]
        corr = prices["correlation"]
        order = [corr["members"].index(s) for s in self.series]
        matrix = np.array(corr["matrix"])[np.ix_(order, order)]
        self.chol = np.linalg.cholesky(matrix)
        m = [prices[s] for s in self.series]
        if any(p.get("scale") != "level" or len(p["phi"]) != 1 for p in m):
            raise ValueError("this NumPy model draws AR(1) paths in level scale only")
        self.phi = np.array([p["phi"][0] for p in m])
        self.sigma = np.array([p["sigma"] for p in m])
        self.mu = np.array([p["long_run_mean"] for p in m])
        self.x0 = np.array([p["history"][-1] for p in m])
        t = np.arange(self.years)[:, None]
        self.mean_path = self.mu + self.phi ** t * (self.x0 - self.mu)  # years x series
        # rows priced by a drawn series: their cash per unit of price
        self.priced = [i for i, (line, _) in enumerate(self.row_line)
                       if self.lines[line].get("price") in self.series]
        self.priced_series = [self.series.index(self.lines[self.row_line[i][0]]["price"])
                              for i in self.priced]
        self.per_price = self.cash[self.priced] / self.mean_path[:, self.priced_series].T
        self.fixed = [i for i in range(len(self.rows)) if i not in self.priced]
        self.rate = economics["discount_rate"]
        sens = case["sensitivity"]
        if sens.get("groups"):
            raise ValueError("this NumPy model takes one group per factor (no sensitivity.groups)")
        self.factors = [Factor(f, self) for f in sens["factors"]]
        chosen = sens["sobol"].get("factors")
        if chosen:
            self.factors = [f for f in self.factors if f.name in chosen]
        self.groups = [f.name for f in self.factors] + ["prices"]
        self.n = sens["sobol"]["n"]
        self.replicates = sens["sobol"].get("replicates", 100)
        self.level = sens["sobol"].get("level", 0.95)
        self.seed = case.get("seed", 0)

    def draw_paths(self, rng, count):
        """count sets of correlated AR(1) paths: count x years x series."""
        steps = self.years - 1
        shocks = rng.standard_normal((count, steps, len(self.series))) @ self.chol.T
        x = np.empty((count, self.years, len(self.series)))
        x[:, 0, :] = self.x0
        intercept = (1.0 - self.phi) * self.mu
        for t in range(1, self.years):
            x[:, t, :] = intercept + self.phi * x[:, t - 1, :] + self.sigma * shocks[:, t - 1, :]
        return x

    def npv(self, u, paths):
        """NPV at unit coordinates u (points x factors) with price paths
        (points x years x series)."""
        mult = np.ones((u.shape[0], len(self.rows)))
        rate = np.full(u.shape[0], self.rate)
        for j, f in enumerate(self.factors):
            if f.discount:
                rate = f.low + u[:, j] * (f.high - f.low)
            else:
                mult[:, f.mask] *= f.multiplier(u[:, j])[:, None]
        disc = (1.0 + rate)[:, None] ** -np.arange(self.years)
        cash = mult[:, self.fixed] @ self.cash[self.fixed]
        cash += np.einsum("pr,ry,pyr->py", mult[:, self.priced], self.per_price,
                          paths[:, :, self.priced_series])
        return np.einsum("py,py->p", cash, disc)


class Clock:
    """CPU seconds per phase of PHASES; `rest` is what no phase claimed."""

    def __init__(self):
        self.seconds = dict.fromkeys(PHASES, 0.0)
        self.start = time.process_time()

    def timed(self, phase, call, *args):
        t = time.process_time()
        value = call(*args)
        self.seconds[phase] += time.process_time() - t
        return value

    def split(self):
        claimed = sum(v for k, v in self.seconds.items() if k != "rest")
        return dict(self.seconds, rest=time.process_time() - self.start - claimed)


def evaluate(model, seed, clock):
    """The outputs of every model point: N x (g + 2), columns A, AB_1 ..
    AB_g, B."""
    k, g, n = len(model.factors), len(model.groups), model.n
    points = clock.timed("design", qmc.Sobol(d=2 * k, scramble=True, seed=seed).random, n)
    rng = np.random.default_rng(seed)
    y = np.empty((n, g + 2))
    for lo in range(0, n, BATCH):
        a, b = points[lo:lo + BATCH, :k], points[lo:lo + BATCH, k:]
        paths = clock.timed("price paths", model.draw_paths, rng, 2 * a.shape[0])
        pa, pb = paths[0::2], paths[1::2]
        y[lo:lo + BATCH, 0] = clock.timed("model", model.npv, a, pa)
        for i in range(k):
            ab = a.copy()
            ab[:, i] = b[:, i]
            y[lo:lo + BATCH, 1 + i] = clock.timed("model", model.npv, ab, pa)
        y[lo:lo + BATCH, 1 + k] = clock.timed("model", model.npv, a, pb)  # AB_prices
        y[lo:lo + BATCH, g + 1] = clock.timed("model", model.npv, b, pb)
    return y


def indices(y):
    """S1 and ST of every group, the mean and variance, from outputs y."""
    fa, fb, fab = y[:, 0], y[:, -1], y[:, 1:-1]
    both = np.concatenate((fa, fb))
    m, v = both.mean(), both.var()
    first = ((fb - m)[:, None] * (fab - fa[:, None])).mean(axis=0) / v
    total = 0.5 * ((fa[:, None] - fab) ** 2).mean(axis=0) / v
    return first, total, m, v


def bootstrap(model, y, seed):
    """The replicates' S1 and ST: base rows resampled with replacement."""
    rng = np.random.default_rng(seed + 1)
    reps_first = np.empty((model.replicates, len(model.groups)))
    reps_total = np.empty_like(reps_first)
    for r in range(model.replicates):
        reps_first[r], reps_total[r], _, _ = indices(y[rng.integers(0, model.n, model.n)])
    return reps_first, reps_total


def analyse(model, seed):
    clock = Clock()
    y = evaluate(model, seed, clock)
    first, total, mean, variance = clock.timed("estimators and bootstrap", indices, y)
    reps_first, reps_total = clock.timed("estimators and bootstrap", bootstrap, model, y, seed)
    z = statistics.NormalDist().inv_cdf(0.5 * (1.0 + model.level))
    return {"groups": model.groups, "first": first, "total": total,
            "first_conf": z * reps_first.std(axis=0, ddof=1),
            "total_conf": z * reps_total.std(axis=0, ddof=1),
            "mean": mean, "sd": math.sqrt(variance), "evaluations": y.size,
            "phases": clock.split()}


def run(case_path, det_path, n=None, seed=None):
    """Returns (results, wall seconds, CPU seconds) of the design, the
    model evaluations, the estimates and the bootstrap."""
    model = Model(case_path, det_path)
    if n:
        model.n = n
    seed = model.seed if seed is None else seed
    wall, cpu = time.perf_counter(), time.process_time()
    res = analyse(model, seed)
    return res, time.perf_counter() - wall, time.process_time() - cpu


def check_model(model, oat_path):
    """The largest relative difference between this model's NPV and
    cetwin's spider values (/sensitivity/oat/spider of a run of the same
    case with the prices at their deterministic paths): the same
    calculation gives rounding differences only."""
    with h5py.File(oat_path, "r") as f:
        every = f["sensitivity/factors/name"].asstr()[...]
        names = [every[i] for i in f["sensitivity/oat/factors"][...]]
        changes = f["sensitivity/oat/spider/changes"][...]
        values = f["sensitivity/oat/spider/values"][...][:, :, 0]
        base = f["sensitivity/oat/base"][0]
    own = [f.name for f in model.factors]

    def unit(f, x):
        return (x - f.low) / (f.high - f.low)

    u0 = np.array([[unit(f, 0.0 if f.kind == "scale" else model.rate if f.discount else f.base)
                    for f in model.factors]])
    paths = model.mean_path[None, :, :]
    worst = abs(model.npv(u0, paths)[0] - base) / abs(base)
    for i, name in enumerate(names):
        if name not in own:
            continue
        j = own.index(name)
        f = model.factors[j]
        for c, change in enumerate(changes):
            u = u0.copy()
            x = change if f.kind == "scale" else (model.rate if f.discount else f.base) * (1 + change)
            u[0, j] = unit(f, x)
            worst = max(worst, abs(model.npv(u, paths)[0] - values[i, c]) / abs(values[i, c]))
    return worst


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("case")
    p.add_argument("deterministic", help="a result file with /mc/deterministic/cash_flow")
    p.add_argument("n", type=int, nargs="?", help="base rows (default: sobol.n of the case)")
    p.add_argument("seed", type=int, nargs="?", help="default: the case's seed")
    p.add_argument("--json", action="store_true", help="the results as one JSON line")
    a = p.parse_args()
    res, wall, cpu = run(a.case, a.deterministic, a.n, a.seed)
    e = res["evaluations"]
    if a.json:
        out = {k: (v.tolist() if isinstance(v, np.ndarray) else v) for k, v in res.items()}
        print(json.dumps(dict(out, wall=wall, cpu=cpu)))
        return
    print(f"numpy: {e} model evaluations, {wall:.3f} s ({e / wall:.4g}/s; {cpu:.3f} CPU s, "
          f"{e / cpu:.4g}/s per core); NPV mean {res['mean']:.6g}, sd {res['sd']:.4g}")
    print("  CPU time per model point: " + ", ".join(
        f"{k} {v / e * 1e6:.3f} us" for k, v in res["phases"].items()))
    print(f"  {'group':24s} {'S1':>8s} {'+-':>7s} {'ST':>8s} {'+-':>7s}")
    for i, name in enumerate(res["groups"]):
        print(f"  {name:24s} {res['first'][i]:8.4f} {res['first_conf'][i]:7.4f} "
              f"{res['total'][i]:8.4f} {res['total_conf'][i]:7.4f}")


if __name__ == "__main__":
    main()
