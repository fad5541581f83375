#!/usr/bin/python3
"""NumPy baseline of bench_dcf: the same Monte Carlo step (7 correlated AR(1)
log-price paths over the 11 project years of the Bollrich CRR1 case, then the
NPV), vectorised over batches of draws, on one thread.

Usage: bench_dcf --dump case.json && bench_dcf_numpy.py case.json [DRAWS]

The case (discount factors, price-independent cash, price weights, AR
parameters, correlation) comes from bench_dcf's dump, so both programs
evaluate the same model. Set OMP_NUM_THREADS=1 / OPENBLAS_NUM_THREADS=1 for a
single-thread figure.
"""
import json
import sys
import time

import numpy as np

BATCH = 100_000


def main():
    case = json.load(open(sys.argv[1]))
    draws = int(sys.argv[2]) if len(sys.argv) > 2 else 2_000_000
    disc = np.array(case["discount"])
    fixed = np.array(case["fixed"])
    weight = np.array(case["weight"])  # price series x years
    n_commodities = len(case["level"])
    level = np.array(case["level"])
    sigma = np.array(case["sigma"])
    phi = case["phi"]
    chol = np.linalg.cholesky(np.array(case["correlation"]))
    years = disc.size
    # price-independent part, energy at constant prices included
    energy = np.array(case["energy_prices"])
    base = fixed @ disc + (weight[n_commodities:] * disc).sum(axis=1) @ energy
    wd = (weight[:n_commodities] * disc).T  # years x commodities
    intercept = (1.0 - phi) * np.log(level)
    rng = np.random.default_rng(1)

    start = time.perf_counter()
    done, total = 0, 0.0
    while done < draws:
        b = min(BATCH, draws - done)
        shocks = rng.standard_normal((b, years - 1, n_commodities)) @ chol.T
        x = np.empty((b, years, n_commodities))
        x[:, 0, :] = np.log(level)
        for t in range(1, years):
            x[:, t, :] = intercept + phi * x[:, t - 1, :] + sigma * shocks[:, t - 1, :]
        npv = base + np.einsum("btk,tk->b", np.exp(x), wd)
        total += npv.sum()
        done += b
    seconds = time.perf_counter() - start
    print(f"numpy paths+npv {draws / seconds:10.3g} draws/s  "
          f"({1e9 * seconds / draws:.1f} ns/draw, mean NPV {total / draws / 1e6:.2f} MEUR)")


if __name__ == "__main__":
    main()
