#!/bin/sh
# islands_speedup.sh — parallel speed-up of the island model on MPI ranks:
#   1. the library (bench_islands.c) on ZDT1 and DTLZ2, population 200 per
#      island, 400 generations: 2 islands on 1 rank, the same 2 islands on
#      2 ranks (bit-identical result), and 1 island of 400 on 1 rank (the
#      same number of evaluations in one population);
#   2. the driver on a twin: `cetwin run configs/bonnin-pwb-optimize.yaml`
#      (4 islands x 200 x 400) on 1 rank x 1 thread, 2 ranks x 1 thread and
#      1 rank x 2 threads (--bind-to none: mpirun binds a rank to one core
#      by default, which would put both threads on it), the wall time of the
#      generations as printed;
#   3. the same three layouts on the robust optimisation
#      configs/bollrich-robust.yaml (2 islands x 60 x 80 generations, every
#      design on 500 price draws), whose threads share the draws.
# Wall times, REPEATS each (best, median, worst); the machine's load is
# printed before every block because other jobs may share it.
#
# Usage: scripts/bench/islands_speedup.sh [BUILD_DIR]   (default: build-bench)
# Environment: REPEATS (default 5).
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
B=${1:-$ROOT/build-bench}
REPEATS=${REPEATS:-5}
export OMPI_ALLOW_RUN_AS_ROOT=${OMPI_ALLOW_RUN_AS_ROOT:-1}
export OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=${OMPI_ALLOW_RUN_AS_ROOT_CONFIRM:-1}

cmake -S "$ROOT" -B "$B/cetwin" -DCMAKE_BUILD_TYPE=Release -DCETWIN_BUILD_TESTS=OFF \
  -DCETWIN_BUILD_BENCH=ON >/dev/null
cmake --build "$B/cetwin" -j2 --target bench_islands cetwin >/dev/null
I="$B/cetwin/scripts/bench/bench_islands"
C="$B/cetwin/src/cetwin"

# Load average (lags) and the idle share of all cores over the last second.
load() {
  a=$(head -1 /proc/stat)
  sleep 1
  b=$(head -1 /proc/stat)
  echo "$a" "$b" | awk '{ for (i = 2; i <= 11; i++) { t1 += $i; t2 += $(i + 11) }
    printf "%.0f %% idle over 1 s", 100 * (($(16) + $(17)) - ($5 + $6)) / (t2 - t1) }'
  echo ", load average $(cut -d' ' -f1-3 /proc/loadavg)"
}

echo "# $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; $(gcc --version | head -1)"
for problem in zdt1 dtlz2; do
  echo "## $problem: $(load)"
  OMP_NUM_THREADS=1 mpirun -n 1 "$I" "$problem" 200 400 2 "$REPEATS" | tail -1
  OMP_NUM_THREADS=1 mpirun -n 2 "$I" "$problem" 200 400 2 "$REPEATS" | tail -1
  OMP_NUM_THREADS=1 mpirun -n 1 "$I" "$problem" 400 400 1 "$REPEATS" | tail -1
done

# The driver on CASE: wall time of the generations on 1 rank x 1 thread,
# 2 ranks x 1 thread and 1 rank x 2 threads.
driver() {
  echo "## cetwin run $1: $(load)"
  for layout in "1 1" "2 1" "1 2"; do
    set -- "$1" $layout
    times=""
    r=0
    while [ "$r" -lt "$REPEATS" ]; do
      t=$(mpirun -n "$2" --bind-to none "$C" run "$ROOT/$1" -o /tmp/cetwin-bench-driver.h5 \
            -q --threads "$3" | sed -n 's/.*evaluations in \([0-9.e+]*\) s.*/\1/p')
      times="$times $t"
      r=$((r + 1))
    done
    sorted=$(printf '%s\n' $times | sort -g)
    echo "cetwin run ranks=$2 threads=$3 best=$(echo "$sorted" | head -1)" \
      "median=$(echo "$sorted" | sed -n "$(((REPEATS + 1) / 2))p") worst=$(echo "$sorted" | tail -1)"
  done
  rm -f /tmp/cetwin-bench-driver.h5
}

driver configs/bonnin-pwb-optimize.yaml
driver configs/bollrich-robust.yaml
