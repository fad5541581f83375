#!/usr/bin/python3
"""Reconciliation benchmark: the sparse method and the dense one before it,
side by side in one run, on generated networks of 100 to 3000 streams.

Cases: scripts/bench/reconcile_case.py (trains of process units with
recycles, 10 components, totals of 60 % of the streams measured, a third of
those also assayed for three components, some component flows; normal
noise). What is timed is cet_reconcile_run alone (bench_reconcile.c: the
case is read and the twin's steady state computed first, nothing is
written), the best and the median of REPEAT runs per case. The dense
method is the source tree at OLD (default the commit before the sparse
method) with the same bench_reconcile.c built against it and GSL's
Golub-Reinsch SVD in place of its one-sided Jacobi SVD (with which it finds
no free stream on these networks: see old_source); it runs only up to
OLD_MAX streams (its time grows with the cube of streams x components).
Both builds are Release, in build-bench/.

usage: run_reconcile.py [--sizes 100,300,1000,3000] [--repeat R]
                        [--old COMMIT] [--old-max N] [--no-old]
"""
import argparse
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
OLD_DEFAULT = "58c41e1"  # the last commit with the dense reconciliation
ENV = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
           OMP_NUM_THREADS="1")


def build(source, build_dir):
    subprocess.run(["cmake", "-S", source, "-B", build_dir, "-DCMAKE_BUILD_TYPE=Release",
                    "-DCETWIN_BUILD_TESTS=OFF"], check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["cmake", "--build", build_dir, "-j2", "--target", "bench_reconcile"],
                   check=True, stdout=subprocess.DEVNULL)
    return os.path.join(build_dir, "scripts", "bench", "bench_reconcile")


def old_source(commit, where):
    """The tree at commit with this bench_reconcile.c (and bench_case.h) added to its benchmarks
    (kept between runs: made again when the commit differs)."""
    stamp = os.path.join(where, ".bench-commit")
    if os.path.exists(stamp) and open(stamp).read() == commit:
        for name in ("bench_reconcile.c", "bench_case.h"):
            shutil.copy(os.path.join(HERE, name), os.path.join(where, "scripts", "bench"))
        return where
    if os.path.isdir(where):
        shutil.rmtree(where)
    os.makedirs(where)
    archive = subprocess.run(["git", "-C", ROOT, "archive", commit], check=True,
                             stdout=subprocess.PIPE).stdout
    subprocess.run(["tar", "-x", "-C", where], input=archive, check=True)
    # Its singular value decompositions are GSL's one-sided Jacobi, which on the
    # rank-deficient incidence matrices of these networks leaves the zero singular
    # values at 1e-7 (60 streams) to 1e-3 (100 streams) of the largest instead of
    # rounding level, so the dense method finds no free stream at all. It is
    # timed with GSL's Golub-Reinsch decomposition (gsl_linalg_SV_decomp) in their
    # place, the same cost class (O(m n^2)) and accurate.
    model = os.path.join(where, "src", "model", "reconcile.c")
    with open(model) as f:
        text = f.read()
    helper = ("static int svd_gr(gsl_matrix *a, gsl_matrix *v, gsl_vector *s) {\n"
              "  gsl_vector *w = gsl_vector_alloc(s->size);\n"
              "  int status = w ? gsl_linalg_SV_decomp(a, v, s, w) : GSL_ENOMEM;\n"
              "  gsl_vector_free(w);\n  return status;\n}\n")
    text = text.replace("gsl_linalg_SV_decomp_jacobi(", "svd_gr(")
    text = text.replace("#include <math.h>", "#include <gsl/gsl_errno.h>\n#include <math.h>", 1)
    text = text.replace("static const char *const KIND_NAMES", helper + "static const char *const KIND_NAMES", 1)
    with open(model, "w") as f:
        f.write(text)
    bench = os.path.join(where, "scripts", "bench")
    for name in ("bench_reconcile.c", "bench_case.h"):
        shutil.copy(os.path.join(HERE, name), bench)
    with open(os.path.join(bench, "CMakeLists.txt")) as f:
        text = f.read()
    if "bench_reconcile" not in text:
        with open(os.path.join(bench, "CMakeLists.txt"), "a") as f:
            f.write("add_executable(bench_reconcile ${CMAKE_CURRENT_SOURCE_DIR}/bench_reconcile.c)\n"
                    "target_link_libraries(bench_reconcile PRIVATE cetwin_lib)\n")
    with open(stamp, "w") as f:
        f.write(commit)
    return where


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="100,300,1000,3000")
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--old", default=OLD_DEFAULT)
    p.add_argument("--old-max", type=int, default=300)
    p.add_argument("--no-old", action="store_true")
    a = p.parse_args()
    out = os.path.join(ROOT, "build-bench", "reconcile")
    os.makedirs(out, exist_ok=True)
    new = build(ROOT, os.path.join(ROOT, "build-bench", "cetwin"))
    old = None
    if not a.no_old:
        src = old_source(a.old, os.path.join(out, "old-source"))
        old = build(src, os.path.join(out, "old-build"))
    subprocess.run("lscpu | grep -E '^(Model name|CPU\\(s\\)|L2 cache|L3 cache)'; "
                   "gcc --version | head -1", shell=True)
    for n in (int(x) for x in a.sizes.split(",")):
        case = os.path.join(out, f"generated-{n}.yaml")
        subprocess.run([sys.executable, os.path.join(HERE, "reconcile_case.py"), str(n), case],
                       check=True)
        with open("/proc/loadavg") as f:
            load = f.read().split()[0]
        print(f"load average {load}", flush=True)
        for label, prog in (("sparse", new), ("dense", old)):
            if prog is None or (label == "dense" and n > a.old_max):
                continue
            r = subprocess.run([prog, "--repeat", str(a.repeat if label == "sparse" else 1), case],
                               env=ENV, stdout=subprocess.PIPE, text=True)
            print(f"{label:7s}", r.stdout.strip() if r.returncode == 0 else f"failed ({r.returncode})",
                  flush=True)


if __name__ == "__main__":
    main()
