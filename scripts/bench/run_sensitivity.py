#!/usr/bin/python3
"""Sobol' benchmark: cetwin's Sobol' indices, the plain Monte Carlo of the
same twin and a NumPy version of the same design and estimators, side by
side in one run.

Cases: scripts/bench/bollrich-sobol.yaml (Bollrich CRR1, NPV; ten factors
and the correlated price paths as one more, 13 model points per base row,
N = 2^16 base rows, 100 bootstrap replicates), bollrich-sobol-mc.yaml
(every parameter those factors move drawn uniformly over the same range,
the same price paths; as many draws as the Sobol' run has model points)
and bollrich-sobol-floor.yaml (the same design, price models and
replicates on a near-empty cash flow: what the design, the price paths,
the estimator sums and the driver cost without the model). The Sobol' case
runs with each evaluation of `sensitivity.sobol.evaluation`: `model` (the
case's own, the general cash-flow model at every point) and `factored`
(the NPV from the rows' present values times the factors that scale them).
NumPy: bench_sobol_numpy.py on one core (OMP_NUM_THREADS=1,
OPENBLAS_NUM_THREADS=1), in its own process.

Before timing, the script checks that the Monte Carlo case draws what the
Sobol' factors move (same parameters, same ranges) and that the NumPy model
is the same calculation as cetwin's (its NPV against cetwin's spider values
of the same factors, to rounding).

cetwin is timed through the real `cetwin run` (every rank under
/usr/bin/time: CPU seconds and peak resident memory per rank). The rates
are marginal: a run of N base rows (or draws) minus a run of --small base
rows (the same number of model points), so that start-up, reading the case
and writing the file cancel and what remains is the model evaluations with
their design, price paths, estimator sums, bootstrap and reduction (for
the Monte Carlo: draws, statistics, reduction). The Monte Carlo's own
timing (/mc seconds and cpu_seconds) is printed next to it as a check of
the method. Rates per core come from CPU time summed over ranks and
threads (on a shared machine the CPU time counts the work, the wall time
also the waiting). Each configuration runs REPEAT times: best and spread
(best..worst).

usage: run_sensitivity.py [--cetwin PATH] [--n N] [--small N0] [--repeat R]
                          [--memory-n N1,N2,...]
Without --cetwin, cetwin is built in Release under build-bench/cetwin.
"""
import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time

import h5py

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SOBOL = os.path.join(HERE, "bollrich-sobol.yaml")
MC = os.path.join(HERE, "bollrich-sobol-mc.yaml")
FLOOR = os.path.join(HERE, "bollrich-sobol-floor.yaml")
NUMPY = os.path.join(HERE, "bench_sobol_numpy.py")
sys.path.insert(0, HERE)
import bench_sobol_numpy  # noqa: E402
from run_mc import build, machine  # noqa: E402

ENV = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
           OPENBLAS_NUM_THREADS="1")
XSUM_BYTES = 584  # sizeof(cet_xsum), sobol_indices.h
SPIDER = "sensitivity.oat={spider: [-0.3, -0.1, 0.2, 0.3]}"


def load():
    return " ".join(open("/proc/loadavg").read().split()[:3])


def cetwin_run(cetwin, case, out, sets, ranks, threads):
    """Runs cetwin; returns (wall seconds, CPU seconds of all ranks, peak
    RSS of each rank in MiB). Each rank runs under /usr/bin/time, which
    writes its figures to OUT.time.RANK."""
    stem = f"{out}.time"
    cmd = ["sh", "-c", '/usr/bin/time -o "$0.${OMPI_COMM_WORLD_RANK:-0}" -f "%U %S %M" "$@"',
           stem, cetwin, "run", case, "-o", out, "-q", "--threads", str(threads)]
    for s in sets:
        cmd += ["--set", s]
    if ranks > 1:
        cmd = ["mpirun", "-n", str(ranks), "--oversubscribe"] + cmd
    env = dict(ENV, OMP_NUM_THREADS=str(threads))
    start = time.perf_counter()
    p = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    if p.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({p.returncode}):\n{p.stderr}")
    cpu, rss = 0.0, []
    for rank in range(ranks):
        with open(f"{stem}.{rank}") as f:
            user, system, kib = f.read().split()[-3:]
        cpu += float(user) + float(system)
        rss.append(int(kib) / 1024)
    return wall, cpu, rss


def parameter_base(case, path):
    """The case's value of the parameter at path (a price factor: 1)."""
    node = case
    for key in path.split("."):
        if key not in node and key == "factor":
            return 1.0
        node = node[key]
    return float(node)


def check_mc_case():
    """Exits unless the Monte Carlo case draws every parameter the Sobol'
    factors move, uniformly over the range the factor gives it, and the
    same price paths. Returns the number of parameters drawn."""
    sobol = bench_sobol_numpy.load_yaml(SOBOL)
    mc = bench_sobol_numpy.load_yaml(MC)
    lines = sobol["economics"]["lines"]
    want = {}
    for f in sobol["sensitivity"]["factors"]:
        moved = []  # (path, power)
        if "group" in f:
            for name, line in lines.items():
                if line["group"] == f["group"] and "unit_value" in line:
                    moved.append((f"economics.lines.{name}.unit_value", 1))
                    if line.get("kind") == "capex" and line.get("liquidation", 0) > 0:
                        moved.append((f"economics.lines.{name}.liquidation", -1))
        else:
            moved = [(p, 1) for p in f.get("paths", [f.get("path")])]
        for path, power in moved:
            if "change" in f:
                x = parameter_base(sobol, path)
                lo, hi = (x * (1 + c) if power == 1 else x / (1 + c) for c in f["change"])
            else:
                lo, hi = f["low"], f["high"]
            want[path] = (min(lo, hi), max(lo, hi))
    drawn = {u["path"]: (u["min"], u["max"]) for u in mc["uncertain"] if "path" in u}
    bad = [p for p in set(want) | set(drawn)
           if p not in want or p not in drawn or u_differs(want[p], drawn[p])]
    if bad or any(u.get("distribution", "uniform") != "uniform" for u in mc["uncertain"]):
        sys.exit(f"{MC} does not draw what {SOBOL} moves: {sorted(bad)}")
    prices = [u for u in sobol["uncertain"] if "price" in u]
    if prices != [u for u in mc["uncertain"] if "price" in u]:
        sys.exit(f"{MC} draws other price paths than {SOBOL}")
    if mc["prices"] != sobol["prices"] or mc["economics"] != sobol["economics"]:
        sys.exit(f"{MC} and {SOBOL} describe different twins")
    return len(drawn)


def u_differs(a, b):
    return any(abs(x - y) > 1e-9 * abs(x) for x, y in zip(a, b))


def timed(cetwin, tmp, label, case, key, full, small, ranks, threads, repeat, sets=()):
    """REPEAT runs of the full and the small plan, alternating, with the
    --set values sets; the marginal rates of each full run against the
    median small run."""
    out = os.path.join(tmp, f"{label}.h5")
    print(f"  {label} ({ranks} rank(s) x {threads} thread(s)): load {load()}", flush=True)
    runs = {"full": [], "small": []}
    for _ in range(repeat):
        for which, value in (("small", small), ("full", full)):
            o = out if which == "full" else os.path.join(tmp, "small.h5")
            runs[which].append(cetwin_run(cetwin, case, o, [f"{key}={value}", *sets], ranks,
                                          threads))
    wall0 = statistics.median(r[0] for r in runs["small"])
    cpu0 = statistics.median(r[1] for r in runs["small"])
    return {"walls": [r[0] - wall0 for r in runs["full"]],
            "cpus": [r[1] - cpu0 for r in runs["full"]],
            "whole_walls": [r[0] for r in runs["full"]],
            "rss": [max(r[2][i] for r in runs["full"]) for i in range(ranks)],
            "fixed": (wall0, cpu0), "cores": ranks * threads, "file": out}


def sobol_sizes(path):
    """Model points per base row, base rows, and the bytes of the packed
    accumulator (every bucket)."""
    with h5py.File(path, "r") as f:
        g = f["sensitivity/sobol"]
        return (int(g.attrs["points_per_base_row"]), int(g.attrs["base_rows"]),
                int(g["sums"].attrs["bytes"]), len(g["groups"]), int(g.attrs["replicates"]),
                int(g.attrs["block"]))


def numpy_runs(det, n, repeat):
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    runs = []
    for _ in range(repeat):
        p = subprocess.run(["/usr/bin/python3", NUMPY, SOBOL, det, str(n), "--json"], env=env,
                           capture_output=True, text=True, check=True)
        runs.append(json.loads(p.stdout))
    return runs


def index_difference(model_file, factored_file):
    """The largest absolute difference of the first-order and total indices
    of two runs of the same design."""
    worst = 0.0
    with h5py.File(model_file, "r") as f, h5py.File(factored_file, "r") as g:
        for key in ("first", "total"):
            a, b = f["sensitivity/sobol"][key][...], g["sensitivity/sobol"][key][...]
            worst = max(worst, float(abs(a - b).max()))
    return worst


def compare(cetwin_file, res):
    """Per group: cetwin's and NumPy's S1 and ST with their half-widths, and
    whether they differ by less than the half-width of the difference
    (sqrt(h1^2 + h2^2), both at the case's level)."""
    with h5py.File(cetwin_file, "r") as f:
        g = f["sensitivity/sobol"]
        groups = list(g["groups"].asstr()[...])
        c = {k: g[k][...][:, 0] for k in ("first", "first_conf", "total", "total_conf")}
        mean, var = g["mean"][0], g["variance"][0]
    print(f"\nIndices of the NPV, cetwin (1 rank) and NumPy (other random numbers): "
          f"mean {mean / 1e6:.3f} / {res['mean'] / 1e6:.3f} MEUR, "
          f"sd {math.sqrt(var) / 1e6:.3f} / {res['sd'] / 1e6:.3f} MEUR")
    print(f"  {'group':20s} {'S1 cetwin':>16s} {'S1 NumPy':>16s} {'|d|/h':>6s} "
          f"{'ST cetwin':>16s} {'ST NumPy':>16s} {'|d|/h':>6s}")
    worst = 0.0
    for i, name in enumerate(groups):
        j = res["groups"].index(name)
        cells = []
        for k in ("first", "total"):
            a, ha, b, hb = c[k][i], c[k + "_conf"][i], res[k][j], res[k + "_conf"][j]
            h = math.hypot(ha, hb)
            ratio = abs(a - b) / h if h > 0 else (0.0 if a == b else math.inf)
            worst = max(worst, ratio)
            cells.append(f"{a:8.4f}+-{ha:6.4f} {b:8.4f}+-{hb:6.4f} {ratio:6.2f}")
        print(f"  {name:20s} " + " ".join(cells))
    verdict = "within" if worst <= 1.0 else "NOT within"
    print(f"  largest |difference| / half-width of the difference: {worst:.2f} "
          f"({verdict} the intervals)")


def rate_line(name, delta, evaluations, t, base_one, base_numpy, show_eff=True):
    """One line of the table: marginal rates (delta evaluations beyond the
    small run), and the rate of the whole run of `evaluations`."""
    best, worst = delta / min(t["walls"]), delta / max(t["walls"])
    per_core = delta / min(t["cpus"])
    eff = best / (t["cores"] * base_one) if show_eff and t["cores"] > 1 else float("nan")
    whole = evaluations / min(t["whole_walls"])
    rss = "/".join(f"{m:.0f}" for m in t["rss"])
    print(f"{name:34s} {best:11.4g} {worst:9.4g}..{best:<9.4g} {per_core:11.4g} "
          f"{per_core / base_numpy:8.2f} {eff:6.2f} {whole:11.4g} {rss:>12s}")
    return per_core


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--cetwin")
    p.add_argument("--n", type=int, default=65536, help="Sobol' base rows (power of 2)")
    p.add_argument("--small", type=int, default=1024, help="base rows of the subtracted run")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--memory-n", default="4096,16384",
                   help="further N for the memory table (one run each on 1 and 2 ranks)")
    a = p.parse_args()
    cetwin = a.cetwin or build()
    keep, _ = machine()
    print("\n".join(keep))
    print(f"load average before: {load()}")
    tmp = tempfile.mkdtemp(prefix="cetwin-bench-")

    drawn = check_mc_case()
    print(f"Monte Carlo case: {drawn} uniform parameters and the price paths, as the Sobol' "
          f"factors move them")
    det, oat = os.path.join(tmp, "det.h5"), os.path.join(tmp, "oat.h5")
    cetwin_run(cetwin, MC, det, ["mc.draws=1"], 1, 1)  # the table the NumPy model reads
    cetwin_run(cetwin, SOBOL, oat, [SPIDER, "sensitivity.sobol.n=256"], 1, 1)
    diff = bench_sobol_numpy.check_model(bench_sobol_numpy.Model(SOBOL, det), oat)
    print(f"NumPy model against cetwin's spider values: largest relative difference {diff:.1e}")
    if diff > 1e-12:
        sys.exit("the NumPy model is not cetwin's calculation")

    cetwin_run(cetwin, SOBOL, os.path.join(tmp, "probe.h5"), [f"sensitivity.sobol.n={a.small}"],
               1, 1)
    rows = sobol_sizes(os.path.join(tmp, "probe.h5"))[0]
    evaluations, small = a.n * rows, a.small * rows
    print(f"\nTimed runs ({a.repeat} each, with as many runs of the small plan):")
    sn, mn = "sensitivity.sobol.n", "mc.draws"
    t = {}
    factored = ["sensitivity.sobol.evaluation=factored"]
    for label, case, key, full, sm, ranks, threads, sets in (
            ("sobol-1x1", SOBOL, sn, a.n, a.small, 1, 1, ()),
            ("factored-1x1", SOBOL, sn, a.n, a.small, 1, 1, factored),
            ("mc-1x1", MC, mn, evaluations, small, 1, 1, ()),
            ("floor-1x1", FLOOR, sn, a.n, a.small, 1, 1, ()),
            ("sobol-2x1", SOBOL, sn, a.n, a.small, 2, 1, ()),
            ("factored-2x1", SOBOL, sn, a.n, a.small, 2, 1, factored),
            ("sobol-1x2", SOBOL, sn, a.n, a.small, 1, 2, ())):
        t[label] = timed(cetwin, tmp, label, case, key, full, sm, ranks, threads, a.repeat,
                         sets)
    print(f"  NumPy (1 core): load {load()}", flush=True)
    nruns = numpy_runs(det, a.n, a.repeat)
    print(f"load average after: {load()}")

    numpy_cpu = [r["cpu"] for r in nruns]
    numpy_wall = [r["wall"] for r in nruns]
    base_numpy = evaluations / min(numpy_cpu)
    delta = evaluations - small  # the model evaluations of a full run beyond a small one
    base_one = delta / min(t["sobol-1x1"]["walls"])
    print(f"\nN = {a.n} base rows x {rows} points = {evaluations} model evaluations "
          f"(Monte Carlo: as many draws); marginal rates over runs of {a.small} base rows, "
          f"best of {a.repeat} (spread: best..worst wall-clock rate)")
    print(f"{'implementation':34s} {'evals/s':>11s} {'spread':>19s} {'per core':>11s} "
          f"{'x NumPy':>8s} {'eff.':>6s} {'whole run':>11s} {'RSS/rank MiB':>12s}")
    print(f"{'':34s} {'(wall)':>11s} {'':19s} {'(CPU)':>11s} {'/core':>8s} {'':6s} "
          f"{'(wall)':>11s}")
    best, worst = evaluations / min(numpy_wall), evaluations / max(numpy_wall)
    print(f"{'NumPy (1 core)':34s} {best:11.4g} {worst:9.4g}..{best:<9.4g} {base_numpy:11.4g} "
          f"{1.0:8.2f} {float('nan'):6.2f} {'':>11s} {'':>12s}")
    names = {"sobol-1x1": "cetwin Sobol', 1 rank x 1 thread",
             "sobol-2x1": "cetwin Sobol', 2 ranks x 1 thread",
             "sobol-1x2": "cetwin Sobol', 1 rank x 2 threads",
             "factored-1x1": "cetwin Sobol' factored, 1 x 1",
             "factored-2x1": "cetwin Sobol' factored, 2 x 1",
             "mc-1x1": "cetwin Monte Carlo, 1 x 1",
             "floor-1x1": "cetwin Sobol', near-empty cash flow"}
    per_core = {}
    base_factored = delta / min(t["factored-1x1"]["walls"])
    for label in ("sobol-1x1", "sobol-2x1", "sobol-1x2", "factored-1x1", "factored-2x1",
                  "mc-1x1", "floor-1x1"):
        base = base_factored if label.startswith("factored") else base_one
        per_core[label] = rate_line(names[label], delta, evaluations, t[label], base,
                                    base_numpy, label not in ("mc-1x1", "floor-1x1"))
    with h5py.File(t["mc-1x1"]["file"], "r") as f:
        mc_wall, mc_cpu = f["mc"].attrs["seconds"], f["mc"].attrs["cpu_seconds"]
    print(f"(the Monte Carlo's own timing of its last run, /mc seconds and cpu_seconds: "
          f"{evaluations / mc_wall:.4g}/s wall, {evaluations / mc_cpu:.4g}/s per core)")
    for label in ("sobol-1x1", "sobol-2x1", "mc-1x1"):
        w0, c0 = t[label]["fixed"]
        print(f"(fixed cost of {names[label]}: {w0:.2f} s wall, {c0:.2f} CPU s)")

    eff2 = delta / min(t["sobol-2x1"]["walls"]) / (2 * base_one)
    print("\nTargets:")
    r = per_core["sobol-1x1"] / per_core["mc-1x1"]
    print(f"  Sobol' / Monte Carlo per core (1 x 1): {r:.2f} (target >= 0.90: "
          f"{'met' if r >= 0.9 else 'missed'})")
    for label, how in (("sobol-1x1", "the cash-flow model"), ("factored-1x1", "factored")):
        r = per_core[label] / base_numpy
        print(f"  cetwin Sobol' ({how}) / NumPy per core: {r:.2f} (target >= 10: "
              f"{'met' if r >= 10 else 'missed'})")
    floor = 1e6 / per_core["floor-1x1"]
    print(f"  (the near-empty cash flow, per point: {floor:.3f} us of CPU, "
          f"{per_core['floor-1x1'] / base_numpy:.2f} times NumPy; the Bollrich cash flow's "
          f"own work on top: {1e6 / per_core['sobol-1x1'] - floor:.3f} us)")
    fastest = min(nruns, key=lambda r: r["cpu"])
    print("  (NumPy's CPU time per model point in its best run: " + ", ".join(
        f"{k} {v / evaluations * 1e6:.3f} us" for k, v in fastest["phases"].items()) + ")")
    print(f"  2-rank efficiency: {eff2:.2f} (target >= 0.90: {'met' if eff2 >= 0.9 else 'missed'})")
    eff2 = delta / min(t["factored-2x1"]["walls"]) / (2 * base_factored)
    print(f"  2-rank efficiency, factored: {eff2:.2f}")
    print(f"  factored against the model: the indices differ by at most "
          f"{index_difference(t['sobol-1x1']['file'], t['factored-1x1']['file']):.1e}")

    compare(t["sobol-1x1"]["file"], nruns[-1])

    print("\nMemory per rank (peak resident set, MiB), the estimator sums as the user guide's "
          "model counts them\n(every bucket's exact sums, MiB) and their compact form in the "
          "file (MiB)")
    print(f"  {'N':>8s} {'evaluations':>12s} {'1 rank':>8s} {'2 ranks':>14s} "
          f"{'sums (model)':>12s} {'in the file':>12s}")
    sizes = [int(x) for x in a.memory_n.split(",") if x] + [a.n]
    for n in sizes:
        if n == a.n:
            one, two = t["sobol-1x1"]["rss"], t["sobol-2x1"]["rss"]
            packed = sobol_sizes(t["sobol-1x1"]["file"])
        else:
            o = os.path.join(tmp, f"mem-{n}.h5")
            one = cetwin_run(cetwin, SOBOL, o, [f"{sn}={n}"], 1, 1)[2]
            packed = sobol_sizes(o)
            two = cetwin_run(cetwin, SOBOL, o, [f"{sn}={n}"], 2, 1)[2]
        rows_, base_rows, nbytes, g, reps, block = packed
        terms = 2 + 3 * g
        blocks = -(-base_rows // block)
        buckets = (blocks - 1).bit_length() + 1
        model = buckets * (1 + terms + reps * (1 + terms)) * XSUM_BYTES + reps * blocks * 4
        print(f"  {n:8d} {n * rows_:12d} {one[0]:8.1f} {two[0]:6.1f}/{two[1]:<6.1f} "
              f"{model / 2**20:12.1f} {nbytes / 2**20:12.1f}")


if __name__ == "__main__":
    main()
