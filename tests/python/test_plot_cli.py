"""scripts/cetwin-plot on the shipped cases' result files (one non-empty
image per figure, each plot a result gives written from the first
result that gives it; --list on every result), --only, --format, the
installed layout (no package beside the script), and its errors: a
missing file, a file that is not HDF5, an HDF5 file that is not a result,
an unknown plot, a plot that does not apply (exit 1 with a message) and a
plot that fails while drawing (exit 2). The script runs as a program
where only a program shows it (--help, the installed layout); the rest
calls its main in this process, and the images are
drawn once, at a low resolution (test_report draws every plot of every
result)."""
import contextlib
import io
import os
import shutil
import subprocess
import sys
import tempfile

import h5py
import numpy as np

import pkgtest
from pkgtest import check

import cetwin
import cetwin.plot as plot
from cetwin import cli

TOOL = os.path.join(pkgtest.SOURCE, "scripts", "cetwin-plot")


def run(*args, env=None):
    return subprocess.run([sys.executable, TOOL] + list(args), capture_output=True, text=True,
                          env=env)


def in_process(*args):
    """cetwin-plot's main in this process (the script's start-up once per
    call would be most of the test's time): (exit code, stdout, stderr);
    argparse's exits (usage errors) caught as the program's would be."""
    err, out = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        try:
            code = cli.plot_main(list(args))
        except SystemExit as exit_:
            code = exit_.code
    return subprocess.CompletedProcess(args, code, out.getvalue(), err.getvalue())


def plot_of(file, names, case):
    """The plot of names an image file belongs to: CASE-NAME.png, or
    CASE-NAME_SUFFIX.png for each figure of a plot that draws several (the
    longest name that fits); None for none."""
    stem = file[len(case) + 1:-len(".png")] if file.startswith(case + "-") else ""
    fits = [n for n in names if stem == n or stem.startswith(n + "_")]
    return max(fits, key=len) if fits and file.endswith(".png") else None


def every_result(folder):
    written = set()
    for path in pkgtest.results():
        with cetwin.open(path) as res:
            case, names = res.case, plot.available(res)
        p = in_process(path, "--list")
        check(p.returncode == 0 and [line.split()[0] for line in p.stdout.splitlines()] == names,
              f"{case}: --list {p.stdout!r} != {names}")
        if names and set(names) <= written:
            continue  # its plots were written from another result
        written |= set(names)
        out = os.path.join(folder, case)
        p = in_process(path, "-o", out, "--dpi", "30")
        check(p.returncode == 0, f"{case}: exit {p.returncode}\n{p.stderr}")
        files = sorted(os.listdir(out)) if os.path.isdir(out) else []
        owners = [plot_of(f, names, case) for f in files]
        check(None not in owners and set(owners) == set(names),
              f"{case}: files {files} != one or more per plot of {names}")
        for f in files:
            check(os.path.getsize(os.path.join(out, f)) > 1000, f"{case}: {f} is (nearly) empty")
            check(f"wrote {os.path.join(out, f)}" in p.stdout, f"{case}: no progress line for {f}")
        if not names:
            check("gives no plot" in p.stderr, f"{case}: no plot: {p.stderr}")


def options(folder):
    path = pkgtest.result("cu-zn-sensitivity")
    p = in_process(path, "--list")
    check(p.returncode == 0 and p.stdout.split("\n")[0].startswith("tornado "),
          f"--list: {p.stdout}")
    with cetwin.open(path) as res:
        check(len(p.stdout.strip().split("\n")) == len(plot.available(res)), "--list: one a line")
    out = os.path.join(folder, "svg")
    p = in_process(path, "-o", out, "--format", "svg", "--only", "sobol", "morris", "-q")
    check(p.returncode == 0 and p.stdout == "", f"--only -q: {p.returncode} {p.stdout}")
    check(sorted(os.listdir(out)) == ["cu-zn-sensitivity-morris.svg",
                                      "cu-zn-sensitivity-sobol.svg"], f"svg: {os.listdir(out)}")
    with open(os.path.join(out, "cu-zn-sensitivity-sobol.svg")) as f:
        check("<svg" in f.read(2000), "svg: not an SVG file")
    p = run("--help")
    check(p.returncode == 0 and "--only" in p.stdout and "--format" in p.stdout, "--help")
    # the installed layout: the script without the package beside it
    alone = os.path.join(folder, "bin")
    os.makedirs(alone)
    shutil.copy(TOOL, alone)
    env = dict(os.environ, PYTHONPATH=os.path.join(pkgtest.SOURCE, "scripts", "python"))
    p = subprocess.run([sys.executable, os.path.join(alone, "cetwin-plot"), path, "--list"],
                       capture_output=True, text=True, env=env)
    check(p.returncode == 0 and "sobol" in p.stdout, f"installed layout: {p.stderr}")
    env["PYTHONPATH"] = ""
    p = subprocess.run([sys.executable, os.path.join(alone, "cetwin-plot"), path, "--list"],
                       capture_output=True, text=True, env=env)
    check(p.returncode == 1 and "No module named 'cetwin'" in p.stderr,
          f"no package: {p.returncode} {p.stderr}")


def errors(folder):
    sens = pkgtest.result("bollrich-sensitivity")
    text = os.path.join(folder, "text.h5")
    with open(text, "w") as f:
        f.write("not HDF5\n")
    plain = os.path.join(folder, "plain.h5")
    with h5py.File(plain, "w") as f:
        f["x"] = np.arange(3)
    mc = pkgtest.result("bollrich")
    for args, message in (
            ([os.path.join(folder, "missing.h5")], "missing.h5: no such file"),
            ([folder], "is a directory"),
            ([text], "not an HDF5 file"),
            ([plain], "not a cetwin result file"),
            ([sens, "--only", "tornado", "bogus"], "unknown plot 'bogus' (plots this file gives: tornado, spider"),
            ([mc, "--only", "tornado"], "plot 'tornado' does not apply to"),
            ([sens, "--format", "gif"], "invalid choice: 'gif'"),
    ):
        p = in_process(*args, "-o", os.path.join(folder, "none"))
        check(p.returncode == 1 and message in p.stderr,
              f"{args}: exit {p.returncode}, stderr {p.stderr!r} lacks {message!r}")
        check("Traceback" not in p.stderr, f"{args}: a traceback\n{p.stderr}")
        check(not os.path.exists(os.path.join(folder, "none")), f"{args}: made the folder")


def failing_plot(folder):
    """A plot that raises: the others are written, the tool says which
    failed and exits 2."""

    @plot.plot(applies=lambda res: True)
    def broken(res):
        raise RuntimeError("drawing went wrong")

    try:
        p = in_process(pkgtest.result("cu-zn-sensitivity"), "-o", os.path.join(folder, "broken"),
                       "--dpi", "30", "--only", "broken", "tornado")
        check(p.returncode == 2, f"failing plot: exit {p.returncode}")
        check("plot broken failed: RuntimeError: drawing went wrong" in p.stderr,
              f"failing plot: {p.stderr}")
        check("1 plot(s) of 'cu-zn-sensitivity' written" in p.stdout,
              f"failing plot: the other {p.stdout}")
    finally:
        del plot.REGISTRY["broken"]


work = tempfile.mkdtemp(prefix="cetwin-plot-")
try:
    every_result(work)
    options(work)
    errors(work)
    failing_plot(work)
finally:
    shutil.rmtree(work)
pkgtest.finish()
