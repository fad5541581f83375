#!/bin/sh
# test.sh — installs what a fresh Debian 12 machine lacks, builds cetwin
# with warnings as errors, checks the formatting, and runs the whole test
# suite (ctest: unit, known, cli, mpi, regression, then slurm).
set -eu
CETWIN_ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$CETWIN_ROOT/scripts/common.sh"

cetwin_ensure_packages $CETWIN_PACKAGES clang-format
cetwin_build "$CETWIN_ROOT/build-test" RelWithDebInfo -DCETWIN_WERROR=ON \
  -DCETWIN_PYTHON=/usr/bin/python3
cetwin_mpi_env

echo "Checking the formatting (.clang-format)"
cd "$CETWIN_ROOT"
git ls-files '*.c' '*.h' | xargs clang-format --dry-run -Werror

cd "$CETWIN_ROOT/build-test"
ctest --output-on-failure --timeout 600 -LE slurm
# The jobs of jobs/ on a private single-node Slurm (tests/slurm, a few
# minutes; the slurm-local tool installs Slurm and munge with apt if they
# are missing): shown in full, with the times measured or why it is skipped.
ctest --output-on-failure -L slurm -V
