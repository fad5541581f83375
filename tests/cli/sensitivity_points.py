"""The points of a sensitivity run (sensitivity.store_points) as a user
reads them: tests/cli/cases/sensitivity_points.yaml (Sobol', second order)
with and without the points, first order only, a shard, and with Morris.

- /sensitivity/sobol/points: one row per base row j (base_row = j), its
  model points in the order of row_kind (A, AB:GROUP..., BA:GROUP..., B);
  in an AB:GROUP row every factor takes its A setting but GROUP's, which
  take the B setting (BA the other way round); the prices are NaN; the
  mean over the A and B rows is /sensitivity/sobol/mean to the bit, and the
  first-order and total indices recomputed from the points are those of
  /sensitivity/sobol; a shard stores the full run's rows of its base rows;
  storing the points changes no other dataset.
- /sensitivity/morris/points: the metrics are /sensitivity/morris/outputs
  per trajectory and step; the settings are the design's unit coordinates
  on each factor's range, and consecutive steps move one group; without
  store_points the Morris results are the same.

usage: sensitivity_points.py CETWIN SOURCE_DIR"""
import math
import os
import sys

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from cetwin_testlib import check_same, group_items, run, run_all, setup  # noqa: E402

cetwin, source, _, d, c = setup()
case = os.path.join(source, "tests", "cli", "cases", "sensitivity_points.yaml")
MORRIS = ("sensitivity.morris={trajectories: 5, levels: 4, factors: [residue disposal, CAPEX, "
          "OPEX, prices, economics.discount_rate]}")


def cetwin_run(name, *sets):
    out = os.path.join(d, name)
    args = ["run", case, "-q", "-o", out]
    for s in sets:
        args += ["--set", s]
    code, _, err = run(cetwin, args)
    c.check(code == 0, f"{name}: exit {code}\n{err}")
    return out if code == 0 else None


def strings(ds):
    return list(ds.asstr()[...])


def factor_groups(f, names):
    """The group name of each factor of names (the points' factor axis)."""
    all_names = strings(f["sensitivity/factors/name"])
    groups = strings(f["sensitivity/groups"])
    group = f["sensitivity/factors/group"][...]
    return [groups[group[all_names.index(n)]] for n in names]


def check_sobol(path, second_order):
    with h5py.File(path, "r") as f:
        s = f["sensitivity/sobol"]
        p = s["points"]
        n, rows = int(s.attrs["base_rows"]), int(s.attrs["points_per_base_row"])
        groups, metrics = strings(s["groups"]), strings(f["sensitivity/metrics"])
        names = strings(p["factor_names"])
        kind = strings(p["row_kind"])
        base, y, x = p["base_row"][...], p["metrics"][...], p["factors"][...]
        want = (["A"] + [f"AB:{g}" for g in groups] +
                ([f"BA:{g}" for g in groups] if second_order else []) + ["B"])
        c.check(kind == want, f"row_kind {kind}, expected {want}")
        c.check(len(kind) == rows, f"{len(kind)} kinds of rows, {rows} points per base row")
        c.check(y.shape == (n, rows, len(metrics)) and x.shape == (n, rows, len(names)),
                f"shapes {y.shape} {x.shape}")
        c.check(np.array_equal(base, np.arange(n)), "base_row is not 0 .. N - 1")
        c.check(p["metrics"].attrs["dims"] == "base_row,row,metric" and
                list(p["metrics"].attrs["columns"]) == metrics, "metrics' attributes")
        c.check(p["factors"].attrs["dims"] == "base_row,row,factor", "factors' dims")
        c.check(p["base_row"].attrs["units"] == "1", "base_row's units")
        if kind != want or x.shape[1] != rows:
            return
        of = factor_groups(f, names)
        prices = [i for i, name in enumerate(names) if name == "prices"]
        others = [i for i in range(len(names)) if i not in prices]
        c.check(np.all(np.isnan(x[:, :, prices])) and np.all(np.isfinite(x[:, :, others])),
                "the prices are not NaN, or another setting is")
        a, b = x[:, 0, :], x[:, -1, :]
        for r, k in enumerate(kind[1:-1], 1):
            g = k.split(":", 1)[1]
            mine = np.array([gr == g for gr in of])
            base_row, other = (a, b) if k.startswith("AB:") else (b, a)
            expect = np.where(mine, other, base_row)
            c.check(np.array_equal(x[:, r, :], expect, equal_nan=True),
                    f"row {k}: the factors are not those of A/B with {g} swapped")
            c.check(g == "prices" or not np.array_equal(x[:, r, :], base_row, equal_nan=True),
                    f"row {k}: no factor moved")
        for m, name in enumerate(metrics):
            fa, fb = y[:, 0, m], y[:, -1, m]
            mean = math.fsum(np.concatenate([fa, fb])) / (2 * n)
            c.check(mean == s["mean"][m], f"{name}: mean of the A and B rows {mean!r}, "
                    f"/sensitivity/sobol/mean {s['mean'][m]!r}")
            var = math.fsum(np.concatenate([fa, fb]) ** 2) / (2 * n) - mean * mean
            for i, g in enumerate(groups):
                fab = y[:, 1 + i, m]
                first = (math.fsum(fb * (fab - fa)) - mean * math.fsum(fab - fa)) / n / var
                total = math.fsum((fa - fab) ** 2) / (2 * n) / var
                c.check(abs(first - s["first"][i, m]) < 1e-9,
                        f"{name}, {g}: S1 from the points {first}, stored {s['first'][i, m]}")
                c.check(abs(total - s["total"][i, m]) < 1e-9,
                        f"{name}, {g}: ST from the points {total}, stored {s['total'][i, m]}")


# --- Sobol', second order: the points and what they reproduce --------------
stored = cetwin_run("stored.h5")
if stored:
    check_sobol(stored, True)
    with h5py.File(stored, "r") as f:
        c.check(f["sensitivity"].attrs["store_points"] == 1, "attribute store_points")
        c.check("morris" not in f["sensitivity"], "Morris without sensitivity.morris")

# storing the points changes nothing else
plain = cetwin_run("plain.h5", "sensitivity.store_points=false")
if stored and plain:
    with h5py.File(plain, "r") as f:
        c.check("points" not in f["sensitivity/sobol"], "points stored without store_points")
        c.check(f["sensitivity"].attrs["store_points"] == 0, "attribute store_points")
    a = {k: v for k, v in group_items(stored, "sensitivity").items()
         if not k.startswith("sobol/points") and k != "@store_points"}
    b = {k: v for k, v in group_items(plain, "sensitivity").items() if k != "@store_points"}
    check_same(c, a, b, "with and without store_points")

# first order only: no BA rows
first_only = cetwin_run("first.h5", "sensitivity.sobol.second_order=false")
if first_only:
    check_sobol(first_only, False)

# a shard stores the full run's rows of its base rows
shard = cetwin_run("shard.h5", "sensitivity.shard={first: 48, count: 48}")
if stored and shard:
    with h5py.File(stored, "r") as f, h5py.File(shard, "r") as g:
        p, q = f["sensitivity/sobol/points"], g["sensitivity/sobol/points"]
        c.check(np.array_equal(q["base_row"][...], np.arange(48, 96)), "shard's base_row")
        for k in ("metrics", "factors"):
            c.check(q[k][...].tobytes() == p[k][48:96].tobytes(), f"shard's {k}")

# every point is the model at its settings, however the run reached it: the
# points of a base row after the first (each set from the point before)
# evaluated afresh (analysis: simulate) give the same bits; without the
# prices, which a simulation cannot draw
RESIDUE, RATE = "economics.lines.residue_disposal.unit_value", "economics.discount_rate"
fresh = cetwin_run("fresh.h5", "sensitivity.sobol={n: 4, block: 4, second_order: false, "
                   f"replicates: 2, factors: [residue disposal, {RATE}]}}")
base = cetwin_run("base.h5", "analysis=simulate")


def simulated(name, residue, rate):
    """npv and cost_pv of a simulation at the residue disposal's unit value
    and the discount rate."""
    out = cetwin_run(name, "analysis=simulate", f"{RESIDUE}={residue!r}", f"{RATE}={rate!r}")
    if not out:
        return None
    with h5py.File(out, "r") as f:
        names = strings(f["simulate/metrics/name"])
        return [f["simulate/metrics/value"][names.index(m)] for m in ("npv", "cost_pv")]


if fresh and base:
    with h5py.File(base, "r") as f:
        paths = strings(f["simulate/parameters/path"])
        unit_value = f["simulate/parameters/value"][paths.index(RESIDUE)]
    with h5py.File(fresh, "r") as f:
        p = f["sensitivity/sobol/points"]
        names, kinds = strings(p["factor_names"]), strings(p["row_kind"])
        x, y = p["factors"][1], p["metrics"][1]
    change, rate = x[:, names.index("residue disposal")], x[:, names.index(RATE)]
    got = run_all([lambda r=r: simulated(f"point{r}.h5", float(unit_value * (1.0 + change[r])),
                                         float(rate[r])) for r in range(len(kinds))])
    for r, k in enumerate(kinds):
        c.check(got[r] is not None and np.array(got[r]).tobytes() == y[r].tobytes(),
                f"base row 1, row {k}: stored {list(y[r])}, evaluated afresh {got[r]}")


# --- Morris: each trajectory's points ---------------------------------------
morris = cetwin_run("morris.h5", MORRIS)
# without them (the engine keeps Morris's rows all the same: the run wrote
# the factors' settings through a null pointer and crashed), the same results
morris_plain = cetwin_run("morris-plain.h5", MORRIS, "sensitivity.store_points=false")
if morris and morris_plain:
    a = {k: v for k, v in group_items(morris, "sensitivity").items()
         if not k.startswith(("sobol/points", "morris/points")) and k != "@store_points"}
    b = {k: v for k, v in group_items(morris_plain, "sensitivity").items() if k != "@store_points"}
    check_same(c, a, b, "Morris with and without store_points")
if morris:
    with h5py.File(morris, "r") as f:
        m, p = f["sensitivity/morris"], f["sensitivity/morris/points"]
        t, steps = int(m.attrs["trajectories"]), len(m["groups"]) + 1
        names = strings(p["factor_names"])
        x, y, u = p["factors"][...], p["metrics"][...], m["design"][...]
        c.check(np.array_equal(p["trajectory"][...], np.arange(t)), "trajectory")
        c.check(x.shape == (t, steps, len(names)), f"factors' shape {x.shape}")
        c.check(y.reshape(t * steps, -1).tobytes() == m["outputs"][...].tobytes(),
                "metrics are not /sensitivity/morris/outputs")
        all_names = strings(f["sensitivity/factors/name"])
        kinds = strings(f["sensitivity/factors/kind"])
        x, u = x.reshape(t * steps, -1), u
        for a, name in enumerate(names):
            i = all_names.index(name)
            low, high = f["sensitivity/factors/low"][i], f["sensitivity/factors/high"][i]
            ends = f["sensitivity/factors/tornado_ends"][i]
            if kinds[i] in ("scale", "value"):
                want = low + u[:, a] * (high - low)
            elif kinds[i] == "prices":
                want = 2 * u[:, a] - 1
            else:  # a distribution at the grid's ends: the tornado's quantiles
                want = np.where(u[:, a] == 0, ends[0], np.where(u[:, a] == 1, ends[1], x[:, a]))
            c.check(np.allclose(x[:, a], want, rtol=1e-12, atol=1e-12),
                    f"Morris settings of {name} are not its design coordinates")
        of = factor_groups(f, names)
        x = x.reshape(t, steps, -1)
        for j in range(t):
            for s in range(steps - 1):
                moved = {of[a] for a in range(len(names)) if x[j, s, a] != x[j, s + 1, a]}
                c.check(len(moved) == 1, f"trajectory {j}, step {s}: groups moved {moved}")
c.finish()
