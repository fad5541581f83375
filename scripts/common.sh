# common.sh — shared by scripts/quickstart.sh and scripts/test.sh: the
# Debian packages cetwin needs, their installation, and the CMake build.
# Source it; it defines functions only.

# Packages to build and run cetwin and its tests on Debian 12.
CETWIN_PACKAGES="build-essential cmake pkg-config openmpi-bin libopenmpi-dev \
libhdf5-openmpi-dev libgsl-dev libcmocka-dev libyaml-dev librandom123-dev \
python3 python3-h5py python3-numpy python3-matplotlib python3-xarray python3-h5netcdf \
python3-pandas python3-yaml python3-pip python3-venv python3-setuptools python3-wheel chromium \
r-base-core r-cran-hdf5r r-cran-yaml"

# Prints the packages of the list given that are not installed.
cetwin_missing_packages() {
  missing=""
  for p in "$@"; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    case "$status" in
      *"install ok installed"*) ;;
      *) missing="$missing $p" ;;
    esac
  done
  echo "$missing"
}

# Installs the missing packages when run as root; otherwise prints the one
# command to run and fails.
cetwin_ensure_packages() {
  missing=$(cetwin_missing_packages "$@")
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "cetwin needs these Debian packages; install them with:" >&2
    echo "  sudo apt-get install -y$missing" >&2
    return 1
  fi
  echo "installing:$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  # shellcheck disable=SC2086
  apt-get install -y -q --no-install-recommends $missing
}

# Lets Open MPI run as root (CI containers, root shells); harmless otherwise.
cetwin_mpi_env() {
  if [ "$(id -u)" -eq 0 ]; then
    export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
  fi
}

# cetwin_build BUILD_DIR BUILD_TYPE [extra cmake arguments]
cetwin_build() {
  dir=$1 type=$2
  shift 2
  cmake -S "$CETWIN_ROOT" -B "$dir" -DCMAKE_BUILD_TYPE="$type" "$@"
  cmake --build "$dir" -j "$(nproc)"
}
