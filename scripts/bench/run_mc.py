#!/usr/bin/python3
"""Monte Carlo benchmark, cetwin and NumPy side by side in one run.

Case: scripts/bench/bollrich-crr1-ar1.yaml (Bollrich CRR1, the seven
commodity prices as correlated AR(1) log-paths over 11 years, NPV per draw).
cetwin is measured through the real `cetwin run` on the case file (the
draws, their statistics and the reduction; not start-up or the file), on
1 rank x 1 thread, 2 ranks x 1 thread and 1 rank x 2 threads; NumPy
(bench_mc_numpy.py) on one core. Each configuration runs REPEAT times:
the table gives the best run and the spread (best..worst), wall-clock rates
and rates per core from the CPU time (on a shared machine the CPU time
counts the work, the wall time also the waiting).

usage: run_mc.py [--cetwin PATH] [--draws N] [--repeat R]
Without --cetwin, cetwin is built in Release under build-bench/cetwin.
"""
import argparse
import os
import subprocess
import sys
import tempfile

import h5py

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CASE = os.path.join(HERE, "bollrich-crr1-ar1.yaml")
sys.path.insert(0, HERE)
import bench_mc_numpy  # noqa: E402

ENV = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
           OPENBLAS_NUM_THREADS="1")


def build():
    build_dir = os.path.join(ROOT, "build-bench", "cetwin")
    subprocess.run(["cmake", "-S", ROOT, "-B", build_dir, "-DCMAKE_BUILD_TYPE=Release",
                    "-DCETWIN_BUILD_TESTS=OFF"], check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["cmake", "--build", build_dir, "-j2", "--target", "cetwin"], check=True,
                   stdout=subprocess.DEVNULL)
    return os.path.join(build_dir, "src", "cetwin")


def cetwin_run(cetwin, out, draws, ranks, threads):
    cmd = [cetwin, "run", CASE, "-o", out, "-q", "--set", f"mc.draws={draws}"]
    if ranks > 1:
        cmd = ["mpirun", "-n", str(ranks), "--oversubscribe"] + cmd
    env = dict(ENV, OMP_NUM_THREADS=str(threads))
    subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL)
    with h5py.File(out, "r") as f:
        g = f["mc"]
        mean = f["mc/summary/mean"][0]
        return float(g.attrs["seconds"]), float(g.attrs["cpu_seconds"]), float(mean)


def machine():
    lines = subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines()
    keep = [l for l in lines if l.split(":")[0] in ("Model name", "CPU(s)", "Thread(s) per core")]
    load = open("/proc/loadavg").read().split()[:3]
    return keep, load


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--cetwin")
    p.add_argument("--draws", type=int, default=1_000_000)
    p.add_argument("--repeat", type=int, default=3)
    a = p.parse_args()
    cetwin = a.cetwin or build()
    keep, load = machine()
    print("\n".join(keep))
    print(f"load average before: {' '.join(load)}")
    tmp = tempfile.mkdtemp(prefix="cetwin-bench-")
    det = os.path.join(tmp, "det.h5")
    cetwin_run(cetwin, det, 1, 1, 1)  # the deterministic table the NumPy version reads

    rows = []
    walls, cpus = [], []
    for _ in range(a.repeat):
        s, wall, cpu = bench_mc_numpy.run(CASE, det, a.draws)
        walls.append(wall)
        cpus.append(cpu)
        numpy_mean, numpy_se = s["mean"], s["se"]
    rows.append(("NumPy (1 core)", 1, walls, cpus, numpy_mean))
    for ranks, threads in ((1, 1), (2, 1), (1, 2)):
        walls, cpus = [], []
        for _ in range(a.repeat):
            wall, cpu, mean = cetwin_run(cetwin, os.path.join(tmp, "mc.h5"), a.draws, ranks,
                                         threads)
            walls.append(wall)
            cpus.append(cpu)
        rows.append((f"cetwin {ranks} rank(s) x {threads} thread(s)", ranks * threads, walls, cpus,
                     mean))

    n = a.draws
    base_numpy = n / min(rows[0][3])
    base_one = n / min(rows[1][2])
    print(f"\n{n} draws, best of {a.repeat} (spread: best..worst wall-clock rate)")
    print(f"{'implementation':34s} {'draws/s (wall)':>15s} {'spread':>21s} "
          f"{'draws/s per core (CPU)':>23s} {'x NumPy/core':>13s} {'efficiency':>11s} "
          f"{'mean NPV':>12s}")
    for name, cores, walls, cpus, mean in rows:
        best, worst = n / min(walls), n / max(walls)
        per_core = n / min(cpus)  # CPU time sums every rank and thread
        eff = best / (cores * base_one) if cores > 1 else 1.0
        print(f"{name:34s} {best:15.4g} {worst:10.4g}..{best:<10.4g} {per_core:23.4g} "
              f"{per_core / base_numpy:13.2f} {eff if name.startswith('cetwin') else float('nan'):11.2f}"
              f" {mean:12.6g}")
    print(f"\nNumPy mean NPV {numpy_mean:.6g} +- {numpy_se:.3g} (other random numbers)")
    print(f"load average after: {' '.join(open('/proc/loadavg').read().split()[:3])}")


if __name__ == "__main__":
    main()
