#!/bin/sh
# run_network.sh — builds cetwin in Release and measures network evaluations
# per second: the generated 50-unit, 10-component, 3-loop network and the
# shipped twins. Prints the machine (lscpu) first. Numbers go to
# docs/performance.md, section "Network evaluation".
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
