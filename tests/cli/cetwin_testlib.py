"""cetwin_testlib — helpers for the Python tests: running the cetwin program
(optionally under mpirun) with a timeout, the check of an input error
(exit 1, one located message, no result file), and temporary folders."""
import os
import shutil
import subprocess
import sys
import tempfile

# Sanitizer builds run several times slower: their tests set
# CETWIN_TEST_TIME_SCALE (tests/CMakeLists.txt), which stretches every wait.
TIME_SCALE = float(os.environ.get("CETWIN_TEST_TIME_SCALE", "1"))
TIMEOUT_S = 120 * TIME_SCALE


def mpirun():
    """Path of mpirun (Open MPI)."""
    path = shutil.which("mpirun") or shutil.which("mpiexec")
    if not path:
        sys.exit("mpirun not found")
    return path


def run(cetwin, args, ranks=0, cwd=None):
    """Runs cetwin with args; ranks > 0 launches it under mpirun.
    Returns (exit code, stdout, stderr). A hang is a failure."""
    cmd = [cetwin] + list(args)
    if ranks:
        cmd = [mpirun(), "-n", str(ranks), "--oversubscribe"] + cmd
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT_S, cwd=cwd)
    except subprocess.TimeoutExpired:
        raise AssertionError("timed out (hang?): " + " ".join(cmd))
    return p.returncode, p.stdout, p.stderr


def tmpdir():
    return tempfile.mkdtemp(prefix="cetwin-cli-")


def expect_input_error(c, cetwin, args, fragments, out, ranks=0, cwd=None, what=None):
    """Runs cetwin with args (-o out is added) and checks, on Checker c,
    that it exits 1 with one error message containing every fragment and
    leaves neither out nor out.partial."""
    code, stdout, stderr = run(cetwin, args + ["-o", out], ranks=ranks, cwd=cwd)
    text = stdout + stderr
    what = f"{what or ' '.join(args)} on {ranks or 1} rank(s)"
    missing = [f for f in fragments if f not in text]
    c.check(code == 1, f"{what}: exit code {code}, expected 1\n{text}")
    c.check(not missing, f"{what}: message lacks {missing}\n{text}")
    c.check(text.count("error:") == 1, f"{what}: the error is not printed once\n{text}")
    c.check(not os.path.exists(out) and not os.path.exists(out + ".partial"),
            f"{what}: a result file was left behind")


class Checker:
    """Collects failures so one run reports all of them."""

    def __init__(self):
        self.failures = []

    def check(self, ok, what):
        if not ok:
            self.failures.append(what)
            print("FAIL:", what)

    def finish(self):
        if self.failures:
            print(f"{len(self.failures)} check(s) failed")
            sys.exit(1)
        print("all checks passed")
