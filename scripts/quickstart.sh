#!/bin/sh
# quickstart.sh — from a fresh Debian 12 machine to a first result: installs
# the missing packages (as root; otherwise prints the apt-get line and
# stops), builds cetwin (Release) in build/, runs the PWB flowsheet
# enumeration (Bonnin et al. 2015) on 2 MPI ranks and prints where the
# result file is.
set -eu
CETWIN_ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$CETWIN_ROOT/scripts/common.sh"

cetwin_ensure_packages $CETWIN_PACKAGES
cetwin_build "$CETWIN_ROOT/build" Release
cetwin_mpi_env

mkdir -p "$CETWIN_ROOT/results"
out="$CETWIN_ROOT/results/bonnin-pwb.h5"
ranks=2
[ "$(nproc)" -lt 2 ] && ranks=1
echo
echo "Running: mpirun -n $ranks build/src/cetwin run configs/bonnin-pwb.yaml -o results/bonnin-pwb.h5"
echo
mpirun -n "$ranks" "$CETWIN_ROOT/build/src/cetwin" run "$CETWIN_ROOT/configs/bonnin-pwb.yaml" \
  -o "$out"
echo
echo "Summary of the result file: build/src/cetwin info results/bonnin-pwb.h5"
echo "Result file: $out"
