#!/bin/sh
# moo_vs_pagmo.sh — builds cetwin (Release, with its benchmarks) and the
# pagmo2 benchmark of scripts/bench/pagmo, then runs cetwin and pagmo2 (Debian libpagmo-dev) side by
# side on the same problems, parameters and point sets:
#   1. NSGA-II on ZDT1 (30 variables) and DTLZ2 (3 objectives, 12
#      variables), population 200, 400 generations, crossover 0.9 (genes
#      0.5), eta_c = eta_m = 20, every child mutated with per-gene rate 1/n;
#      CPU seconds per run and mean final hypervolume (reference 1.1) over
#      SEEDS seeds; cetwin with pagmo's one-shot crowding truncation (the
#      same algorithm) and with its default iterative truncation;
#   2. non-dominated filter and full sort of N uniform random 3-objective
#      points against pagmo's fast_non_dominated_sorting (O(M N^2) time and
#      memory): pagmo up to 20,000 points, 50,000 only with PAGMO_FULL=1
#      (about a minute and 3 GB; otherwise extrapolate by N^2);
#   3. exact 3-D hypervolume of 10,000 points, uniform in the cube and on
#      the unit sphere (all non-dominated).
# Every time is CPU time of the single-threaded process (robust when the
# machine is shared; docs/performance.md records results).
#
# Usage: scripts/bench/moo_vs_pagmo.sh [BUILD_DIR]     (default: build-bench)
# Environment: SEEDS (default 10), PAGMO_FULL=1.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
B=${1:-$ROOT/build-bench}
SEEDS=${SEEDS:-10}
export OMP_NUM_THREADS=1

cmake -S "$ROOT" -B "$B/cetwin" -DCMAKE_BUILD_TYPE=Release -DCETWIN_BUILD_TESTS=OFF \
  -DCETWIN_BUILD_BENCH=ON >/dev/null
cmake --build "$B/cetwin" -j2 --target bench_cetwin >/dev/null
cmake -S "$ROOT/scripts/bench/pagmo" -B "$B/pagmo" >/dev/null
cmake --build "$B/pagmo" -j2 >/dev/null
C="$B/cetwin/scripts/bench/bench_cetwin"
P="$B/pagmo/bench_pagmo"

echo "# $(lscpu | sed -n 's/^Model name: *//p'), $(lscpu | sed -n 's/^CPU(s): *//p') cores; $(gcc --version | head -1)"
echo "# pagmo $(sed -n 's/#define PAGMO_VERSION "\(.*\)"/\1/p' /usr/include/pagmo/config.hpp)"
echo "## NSGA-II, 200 x 400, $SEEDS seeds"
for problem in zdt1 dtlz2; do
  "$C" nsga2 "$problem" 200 400 "$SEEDS" crowding
  "$C" nsga2 "$problem" 200 400 "$SEEDS" iterative
  "$P" nsga2 "$problem" 200 400 "$SEEDS"
done
echo "## non-dominated sorting, uniform 3-objective points"
for n in 1000 5000 10000 20000; do
  "$C" ndsort "$n" 5
  "$P" ndsort "$n" 1
done
"$C" ndsort 50000 5
if [ "${PAGMO_FULL:-0}" = 1 ]; then
  "$P" ndsort 50000 1
fi
echo "## 3-D hypervolume, 10,000 points"
for points in uniform sphere; do
  "$C" hv 10000 "$points" 30
  "$P" hv 10000 "$points" 30
done
