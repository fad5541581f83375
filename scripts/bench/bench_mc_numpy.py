#!/usr/bin/python3
"""NumPy version of the Monte Carlo of scripts/bench/bollrich-crr1-ar1.yaml,
written as a NumPy user would: correlated AR(1) log-price paths of the seven
commodities over the 11 project years, vectorised over batches of draws, the
NPV of each draw, then the same summary cetwin prints (mean, sd, standard
error, P5/P10/P50/P90/P95, P(NPV < 0), CVaR 5 %).

The cash-flow weights come from cetwin's deterministic table of the same case
(/mc/deterministic/cash_flow of a result file), so both programs evaluate the
same model; the AR parameters and the correlation from the case file.

usage: bench_mc_numpy.py CASE.yaml DETERMINISTIC.h5 [DRAWS] [SEED]
Run with OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 for a one-core figure.
"""
import sys
import time

import h5py
import numpy as np
import yaml

BATCH = 100_000
START_YEAR = 2021


class _Loader(yaml.SafeLoader):
    """Reads the case, leaving !include values out (the prices have none)."""


_Loader.add_constructor("!include", lambda loader, node: None)


def load_model(case_path, det_path):
    case = yaml.load(open(case_path), Loader=_Loader)
    prices = case["prices"]
    corr = prices["correlation"]
    members = corr["members"]
    with h5py.File(det_path, "r") as f:
        g = f["mc/deterministic/cash_flow"]
        rows = g["row_group"].asstr()[...]
        yearly = g["row_yearly"][...]
        disc = g["discount_factor"][...]
    level = np.array([prices[c]["long_run_mean"] for c in members])
    # revenue rows at the deterministic (constant) levels: weight = cash / price
    weight = np.array([yearly[rows == c].sum(axis=0) for c in members]) / level[:, None]
    fixed = yearly.sum(axis=0) - (weight * level[:, None]).sum(axis=0)
    return {
        "members": members,
        "phi": np.array([prices[c]["phi"][0] for c in members]),
        "sigma": np.array([prices[c]["sigma"] for c in members]),
        "level": level,
        "chol": np.linalg.cholesky(np.array(corr["matrix"])),
        "fixed_npv": float(fixed @ disc),
        "wd": (weight * disc[None, :]).T,  # years x commodities
        "years": disc.size,
    }


def simulate(model, draws, seed):
    rng = np.random.default_rng(seed)
    phi, sigma, chol = model["phi"], model["sigma"], model["chol"]
    x0 = np.log(model["level"])
    intercept = (1.0 - phi) * x0
    steps = model["years"] - 1
    npv = np.empty(draws)
    done = 0
    while done < draws:
        b = min(BATCH, draws - done)
        shocks = rng.standard_normal((b, steps, x0.size)) @ chol.T
        x = np.empty((b, steps + 1, x0.size))
        x[:, 0, :] = x0
        for t in range(1, steps + 1):
            x[:, t, :] = intercept + phi * x[:, t - 1, :] + sigma * shocks[:, t - 1, :]
        npv[done:done + b] = model["fixed_npv"] + np.einsum("btc,tc->b", np.exp(x), model["wd"])
        done += b
    return npv


def summary(npv):
    q = np.percentile(npv, [5, 10, 50, 90, 95])
    tail = np.sort(npv)[: max(1, int(0.05 * npv.size))]
    sd = npv.std(ddof=1)
    return {"mean": npv.mean(), "sd": sd, "se": sd / np.sqrt(npv.size), "p5": q[0],
            "p10": q[1], "p50": q[2], "p90": q[3], "p95": q[4],
            "prob_negative": float((npv < 0).mean()), "cvar5": tail.mean()}


def run(case_path, det_path, draws, seed=1):
    """Returns (summary, wall seconds, CPU seconds)."""
    model = load_model(case_path, det_path)
    wall, cpu = time.perf_counter(), time.process_time()
    s = summary(simulate(model, draws, seed))
    return s, time.perf_counter() - wall, time.process_time() - cpu


def main():
    case, det = sys.argv[1], sys.argv[2]
    draws = int(sys.argv[3]) if len(sys.argv) > 3 else 1_000_000
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    s, wall, cpu = run(case, det, draws, seed)
    print(f"numpy: {draws} draws, {wall:.3f} s ({draws / wall:.4g} draws/s; {cpu:.3f} CPU s, "
          f"{draws / cpu:.4g} draws/s per core); mean NPV {s['mean']:.6g} (se {s['se']:.3g})")


if __name__ == "__main__":
    main()
