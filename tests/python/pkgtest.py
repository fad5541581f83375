"""pkgtest — helpers for the tests of the Python package: the command line
of every test (RESULTS_DIR SOURCE_DIR CETWIN), the result files of the
shipped cases, checks that collect failures instead of stopping at the
first, and the check of a drawn figure (labelled axes, non-blank canvas)."""
import glob
import os
import shutil
import sys

import numpy as np

RESULTS, SOURCE, CETWIN = sys.argv[1:4]
FAILURES = []


def results():
    """Paths of the result files of every shipped case, sorted."""
    paths = sorted(glob.glob(os.path.join(RESULTS, "*.h5")))
    if not paths:
        sys.exit(f"no result files in {RESULTS}: run the test python.results first")
    return paths


def result(case):
    """Path of the result file of one shipped case."""
    path = os.path.join(RESULTS, case + ".h5")
    if not os.path.exists(path):
        sys.exit(f"{path} is missing: run the test python.results first")
    return path


def edited(path, name, edit):
    """A copy of the result file path (NAME.h5 in a temporary folder),
    edited with h5py by edit(f), its checksum record stripped (as a file
    written before the checksums, which the edit would break)."""
    import h5py

    sys.path.insert(0, os.path.join(SOURCE, "tests", "cli"))
    from cetwin_testlib import strip_checksum_record, tmpdir

    new = os.path.join(tmpdir(), name + ".h5")
    shutil.copy(path, new)
    with h5py.File(new, "a") as f:
        edit(f)
    strip_checksum_record(new)
    return new


def check(condition, message):
    """Records a failure (and goes on) when condition is false."""
    if not condition:
        FAILURES.append(message)
        print("FAIL:", message)
    return condition


def close(actual, expected, message, rtol=0.0, atol=0.0):
    """Checks two arrays (or numbers) agree to the tolerances (exactly by
    default: the readers must return the numbers in the file)."""
    a = np.asarray(actual, dtype=float)
    b = np.asarray(expected, dtype=float)
    same = a.shape == b.shape and np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=True)
    return check(same, f"{message}: {a.ravel()[:6]} != {b.ravel()[:6]}")


def figure_ok(fig, name, need_units=True):
    """Checks a figure: every axes with data has labelled axes (with a unit
    in brackets where need_units), and the canvas is not blank."""
    fig.canvas.draw()
    pixels = np.asarray(fig.canvas.buffer_rgba(), dtype=float)[..., :3]
    check(pixels.std() > 5.0, f"{name}: blank canvas (pixel sd {pixels.std():.2f})")
    axes = [ax for ax in fig.axes if ax.has_data()]
    check(axes, f"{name}: no axes with data")
    if need_units:
        labels = [ax.get_xlabel() + " " + ax.get_ylabel() for ax in axes]
        check(any("[" in s for s in labels), f"{name}: no axis label with a unit: {labels}")


def finish():
    """Exits 1 when any check failed."""
    if FAILURES:
        print(f"{len(FAILURES)} check(s) failed")
        sys.exit(1)
    print("all checks passed")
