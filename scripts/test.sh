#!/bin/sh
# test.sh — installs what a fresh Debian 12 machine lacks, builds cetwin
# with warnings as errors, checks the formatting, and runs the test suite
# (ctest). docs/testing.md describes each run.
#
#   scripts/test.sh             the CI run: the whole suite (GCC, build-test/:
#                               unit, known, cli, mpi, regression), a short
#                               pass with AddressSanitizer and
#                               UndefinedBehaviorSanitizer (ctest -L sanitize)
#                               and each libFuzzer harness for 20 s (ctest -L
#                               fuzz) in build-sanitize/, then the Slurm test
#                               (label slurm) last
#   scripts/test.sh --sanitize  the whole suite but the Slurm test with the
#                               sanitizers, in build-sanitize/
#   scripts/test.sh --clang     the whole suite but the Slurm test built with
#                               Clang, in build-clang/
#
# The sanitizer build uses Clang when it can build libFuzzer programs (then
# the fuzz tests run too), else the default compiler; CC chooses another.
set -eu
CETWIN_ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$CETWIN_ROOT/scripts/common.sh"

mode=${1:-ci}
case "$mode" in
  ci | --sanitize | --clang) ;;
  *)
    echo "usage: scripts/test.sh [--sanitize | --clang]" >&2
    exit 2
    ;;
esac

cetwin_ensure_packages $CETWIN_PACKAGES clang-format
# Clang and its runtimes (sanitizers, libFuzzer): without them the fuzz
# tests are skipped, and --clang cannot run.
if ! cetwin_ensure_packages clang libclang-rt-dev; then
  echo "notice: Clang could not be installed; the fuzz tests are skipped" >&2
fi
cetwin_mpi_env

# cetwin_sanitize_build: configures and builds build-sanitize/ with
# AddressSanitizer and UndefinedBehaviorSanitizer.
cetwin_sanitize_build() {
  if [ -z "${CC:-}" ] && command -v clang > /dev/null; then
    export CC=clang
  fi
  cetwin_build "$CETWIN_ROOT/build-sanitize" RelWithDebInfo -DCETWIN_WERROR=ON \
    -DCETWIN_PYTHON=/usr/bin/python3 -DCETWIN_SANITIZE=address,undefined -DCETWIN_FUZZ=ON \
    -DCETWIN_BUILD_BENCH=OFF
  if ! grep -q '^CETWIN_HAVE_LIBFUZZER:INTERNAL=1' "$CETWIN_ROOT/build-sanitize/CMakeCache.txt"; then
    echo "notice: ${CC:-cc} cannot build libFuzzer programs: the fuzz tests are skipped" >&2
  fi
}

case "$mode" in
  --sanitize)
    cetwin_sanitize_build
    cd "$CETWIN_ROOT/build-sanitize"
    ctest --output-on-failure --timeout 3000 -j "$(nproc)" -LE slurm
    ;;
  --clang)
    CC=clang cetwin_build "$CETWIN_ROOT/build-clang" RelWithDebInfo -DCETWIN_WERROR=ON \
      -DCETWIN_PYTHON=/usr/bin/python3
    cd "$CETWIN_ROOT/build-clang"
    ctest --output-on-failure --timeout 600 -j "$(nproc)" -LE slurm
    ;;
  ci)
    cetwin_build "$CETWIN_ROOT/build-test" RelWithDebInfo -DCETWIN_WERROR=ON \
      -DCETWIN_PYTHON=/usr/bin/python3

    echo "Checking the formatting (.clang-format)"
    cd "$CETWIN_ROOT"
    git ls-files '*.c' '*.h' | xargs clang-format --dry-run -Werror

    cd "$CETWIN_ROOT/build-test"
    ctest --output-on-failure --timeout 600 -LE slurm

    echo "The sanitizer pass and the fuzz tests (build-sanitize/)"
    cetwin_sanitize_build
    cd "$CETWIN_ROOT/build-sanitize"
    ctest --output-on-failure --timeout 3000 -j "$(nproc)" -L '^sanitize$'
    ctest --output-on-failure --timeout 3000 -V -L '^fuzz$'

    # The jobs of jobs/ on a private single-node Slurm (tests/slurm, a few
    # minutes; the slurm-local tool installs Slurm and munge with apt if they
    # are missing): shown in full, with the times measured or why it is skipped.
    cd "$CETWIN_ROOT/build-test"
    ctest --output-on-failure -L slurm -V
    ;;
esac
