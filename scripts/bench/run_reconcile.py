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
no free stream on these networks: see patch_dense); it runs only up to
OLD_MAX streams (its time grows with the cube of streams x components).
Both builds are Release, in build-bench/.

With --sparse-old COMMIT the older build is that commit's sparse method
as it is (no patch), run on every size, and with --rounds K the two builds
alternate K times per case (new, old, new, ...), so that a shared
machine's load falls on both alike; --measured and --assayed pass on to
reconcile_case.py (1 and 0.5: every stream measured). Each run prints
wall and CPU times (best and median of its repeats).

usage: run_reconcile.py [--sizes 100,300,1000,3000] [--repeat R]
                        [--old COMMIT] [--old-max N] [--no-old]
                        [--sparse-old COMMIT] [--rounds K]
                        [--measured F] [--assayed F]
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


def old_source(commit, where, patch=True):
    """The tree at commit with this bench_reconcile.c (and bench_case.h) added to its benchmarks
    (kept between runs: made again when the commit differs); patch: with the dense method's
    SVD replaced (below)."""
    stamp = os.path.join(where, ".bench-commit")
    if os.path.exists(stamp) and open(stamp).read() == commit + ("" if patch else " as is"):
        for name in ("bench_reconcile.c", "bench_case.h"):
            shutil.copy(os.path.join(HERE, name), os.path.join(where, "scripts", "bench"))
        return where
    if os.path.isdir(where):
        shutil.rmtree(where)
    os.makedirs(where)
    archive = subprocess.run(["git", "-C", ROOT, "archive", commit], check=True,
                             stdout=subprocess.PIPE).stdout
    subprocess.run(["tar", "-x", "-C", where], input=archive, check=True)
    if patch:
        patch_dense(os.path.join(where, "src", "model", "reconcile.c"))
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
        f.write(commit + ("" if patch else " as is"))
    return where


def patch_dense(model):
    """The dense method's singular value decompositions are GSL's one-sided Jacobi, which on the
    rank-deficient incidence matrices of these networks leaves the zero singular values at 1e-7
    (60 streams) to 1e-3 (100 streams) of the largest instead of rounding level, so it finds no
    free stream at all. It is timed with GSL's Golub-Reinsch decomposition
    (gsl_linalg_SV_decomp) in their place, the same cost class (O(m n^2)) and accurate."""
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


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="100,300,1000,3000")
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--old", default=OLD_DEFAULT)
    p.add_argument("--old-max", type=int, default=300)
    p.add_argument("--no-old", action="store_true")
    p.add_argument("--sparse-old", metavar="COMMIT")
    p.add_argument("--rounds", type=int, default=1)
    p.add_argument("--measured", type=float)
    p.add_argument("--assayed", type=float)
    a = p.parse_args()
    out = os.path.join(ROOT, "build-bench", "reconcile")
    os.makedirs(out, exist_ok=True)
    new = build(ROOT, os.path.join(ROOT, "build-bench", "cetwin"))
    old, old_label, old_max = None, "dense", a.old_max
    if a.sparse_old:
        src = old_source(a.sparse_old, os.path.join(out, "sparse-old-source"), patch=False)
        old, old_label, old_max = build(src, os.path.join(out, "sparse-old-build")), "old", None
    elif not a.no_old:
        src = old_source(a.old, os.path.join(out, "old-source"))
        old = build(src, os.path.join(out, "old-build"))
    subprocess.run("lscpu | grep -E '^(Model name|CPU\\(s\\)|L2 cache|L3 cache)'; "
                   "gcc --version | head -1", shell=True)
    options = []
    for name in ("measured", "assayed"):
        if getattr(a, name) is not None:
            options += [f"--{name}", str(getattr(a, name))]
    tag = "-full" if options else ""
    for n in (int(x) for x in a.sizes.split(",")):
        case = os.path.join(out, f"generated-{n}{tag}.yaml")
        subprocess.run([sys.executable, os.path.join(HERE, "reconcile_case.py"), str(n), case]
                       + options, check=True)
        with open("/proc/loadavg") as f:
            load = f.read().split()[0]
        print(f"load average {load}", flush=True)
        for _ in range(a.rounds):
            for label, prog in (("sparse", new), (old_label, old)):
                if prog is None or (label == "dense" and n > old_max):
                    continue
                repeat = a.repeat if label != "dense" else 1
                r = subprocess.run([prog, "--repeat", str(repeat), case], env=ENV,
                                   stdout=subprocess.PIPE, text=True)
                print(f"{label:7s}",
                      r.stdout.strip() if r.returncode == 0 else f"failed ({r.returncode})",
                      flush=True)


if __name__ == "__main__":
    main()
