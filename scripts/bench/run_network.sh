#!/bin/sh
# run_network.sh — builds cetwin in Release and measures network evaluations
# per second: the generated 50-unit, 10-component, 3-loop network and the
# shipped twins; then single recycle loops of 5 to 150 units, each solved
# by the dense LU and by the sparse elimination. Prints the machine (lscpu)
# first. Numbers go to docs/performance.md, section "Network evaluation".
#
# Usage: scripts/bench/run_network.sh [BUILD_DIR] [SECONDS]
# (BUILD_DIR defaults to build-bench/cetwin, the Release build moo_vs_pagmo.sh
# also uses; SECONDS per measurement defaults to 5)
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$here/build-bench/cetwin}
seconds=${2:-5}
cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=Release -DCETWIN_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" -j "$(nproc)" --target bench_network >/dev/null
lscpu | grep -E '^(Model name|CPU\(s\)|Thread\(s\) per core|Core\(s\) per socket|L2 cache|L3 cache)'
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
cd "$build"
./scripts/bench/bench_network --seconds "$seconds" --units 50 --components 10 --loops 3 \
  "$here/configs/socrates-eu-slag.yaml" "$here/configs/cu-zn-exchange.yaml" \
  "$here/configs/bonnin-pwb-network.yaml"
# The loop solvers: one train whose recycle closes a loop of about K units
# (the dense LU and the sparse elimination, every loop forced to each).
# With one train two of the three markets receive nothing: the reader's
# warnings about them are dropped.
for k in 5 8 12 16 24 32 48 64 100 150; do
  ./scripts/bench/bench_network --seconds "$seconds" --units $((k + 30)) --components 10 \
    --loops 1 --loop-length "$k" --write loop.yaml 2>/dev/null | tail -1
done
