"""cetwin_testlib — helpers for the Python tests: running the cetwin program
(optionally under mpirun) with a timeout, many runs at once, the check of
an input error (exit 1, one located message, no result file), crashes and
hangs recorded as failures, the content checksum record of a file, temporary folders,
the bit-for-bit comparison of a group of two result files, and the
numbers of a printed table read back in the units of the result file."""
import atexit
import concurrent.futures
import os
import shutil
import subprocess
import sys
import tempfile

# Sanitizer builds run several times slower: their tests set
# CETWIN_TEST_TIME_SCALE (tests/CMakeLists.txt), which stretches every wait.
TIME_SCALE = float(os.environ.get("CETWIN_TEST_TIME_SCALE", "1"))
# The waits after which a run of cetwin (or the end of a signalled run)
# counts as a hang, for every test (both stretched by TIME_SCALE):
# - TIMEOUT_S, any run: no run of the tests takes more than a few seconds on
#   a quiet machine, and a 2-core machine loaded 15 times over stretched runs
#   of 2 ranks (oversubscribed) about 35 times; it stays below the 300 s ctest
#   gives a whole test (CETWIN_TEST_TIMEOUT, tests/CMakeLists.txt), so that a
#   hang is reported with its command;
# - QUICK_TIMEOUT_S, runs on small files that take well under a second (the
#   tests that look for hangs over many damaged files), so that one hang is
#   still reported within the test's time.
TIMEOUT_S = 240 * TIME_SCALE
QUICK_TIMEOUT_S = 60 * TIME_SCALE

# The attributes in which HDF5 keeps the attachments of dimension scales:
# object references, which differ between files holding the same data.
H5DS_REFERENCES = ("DIMENSION_LIST", "REFERENCE_LIST")


def tmpdir():
    """A new temporary folder, removed when the test ends (kept with
    CETWIN_KEEP_TMP=1, to look at what a failing test left)."""
    path = tempfile.mkdtemp(prefix="cetwin-cli-")
    if not os.environ.get("CETWIN_KEEP_TMP"):
        atexit.register(shutil.rmtree, path, True)
    return path


# Open MPI's session files of this test's runs in a folder of its own: the
# singletons of tests running side by side share /tmp/ompi.HOST.UID/jf.0,
# and one removing it while another creates its own entry there fails the
# other's MPI_Init. run() gives each run a folder of its own below it (the
# isolated singletons of tests/CMakeLists.txt all take job family 0, so the
# concurrent runs of a test would share one otherwise).
os.environ.setdefault("OMPI_MCA_orte_tmpdir_base", tmpdir())


def mpirun():
    """Path of mpirun (Open MPI)."""
    path = shutil.which("mpirun") or shutil.which("mpiexec")
    if not path:
        sys.exit("mpirun not found")
    return path


def run(cetwin, args, ranks=0, cwd=None, timeout=TIMEOUT_S, merged=False):
    """Runs cetwin with args; ranks > 0 launches it under mpirun.
    Returns (exit code, stdout, stderr); with merged, stderr goes into the
    same pipe as stdout (as a batch job's one output file) and comes back
    as stdout. A hang (longer than timeout seconds) is a failure."""
    cmd = [cetwin] + list(args)
    if ranks:
        cmd = [mpirun(), "-n", str(ranks), "--oversubscribe"] + cmd
    sessions = tempfile.mkdtemp(dir=os.environ["OMPI_MCA_orte_tmpdir_base"])
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT if merged else subprocess.PIPE, text=True,
                           timeout=timeout, cwd=cwd, errors="replace",
                           env=dict(os.environ, OMPI_MCA_orte_tmpdir_base=sessions))
    except subprocess.TimeoutExpired:
        raise AssertionError("timed out (hang?): " + " ".join(cmd))
    return p.returncode, p.stdout, p.stderr or ""


# Runs at once in run_all(): a short run mostly waits rather than computes
# (for Open MPI to start it, and mpirun ends a job whose ranks exit with an
# error only after 2 s of its own waiting), so several overlap on 2 cores.
WORKERS = 4


def run_all(calls, workers=WORKERS):
    """Calls every function of calls (without arguments) on workers threads
    and returns their values in order; an exception is raised again. For a
    test's many independent short runs; each call writes files of its own
    (the checks of a Checker may be made from any thread)."""
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        jobs = [pool.submit(call) for call in calls]
        return [job.result() for job in jobs]


def crashed(code, err):
    """Whether a run ended by a signal or with sanitizer output."""
    return code < 0 or code >= 128 or "Sanitizer" in err or "Segmentation" in err


def attempt(c, cetwin, what, args, ranks=0, cwd=None, timeout=TIMEOUT_S):
    """run(), with a hang or a crash recorded on Checker c. Returns (exit
    code, stdout, stderr); the code is None after a hang."""
    try:
        code, stdout, err = run(cetwin, args, ranks=ranks, cwd=cwd, timeout=timeout)
    except AssertionError as e:
        c.check(False, f"{what}: {e}")
        return None, "", ""
    c.check(not crashed(code, err), f"{what}: exit {code} (a crash)\n{err[-2000:]}")
    return code, stdout, err


USERBLOCK = 512  # bytes at the start of every file cetwin writes: the checksum record
CHECKSUM_RECORD = b"cetwin-checksum"  # how the record starts


def without_checksum_record(data):
    """The bytes of a file cetwin wrote without its content checksum record
    (as files written before cetwin had one): only HDF5's checks remain."""
    data = bytearray(data)
    if data.startswith(CHECKSUM_RECORD):
        data[:USERBLOCK] = bytes(USERBLOCK)
    return data


def strip_checksum_record(path):
    """Takes the content checksum record out of a file edited with h5py after
    cetwin wrote it, so that cetwin reads it with HDF5's checks alone (as a
    file written before cetwin had the record) and its own checks of the
    content are what a test meets."""
    with open(path, "rb") as f:
        data = without_checksum_record(f.read())
    with open(path, "wb") as f:
        f.write(data)


def expect_input_error(c, cetwin, args, fragments, out, ranks=0, cwd=None, what=None):
    """Runs cetwin with args (-o out is added) and checks, on Checker c,
    that it exits 1 with one error message containing every fragment (a
    string, or a compiled regular expression that must match) and leaves
    neither out nor out.partial."""
    code, stdout, stderr = run(cetwin, args + ["-o", out], ranks=ranks, cwd=cwd)
    text = stdout + stderr
    what = f"{what or ' '.join(args)} on {ranks or 1} rank(s)"
    missing = [f for f in fragments if not (f.search(text) if hasattr(f, "search") else f in text)]
    c.check(code == 1, f"{what}: exit code {code}, expected 1\n{text}")
    c.check(not missing, f"{what}: message lacks {missing}\n{text}")
    c.check(text.count("error:") == 1, f"{what}: the error is not printed once\n{text}")
    c.check(not os.path.exists(out) and not os.path.exists(out + ".partial"),
            f"{what}: a result file was left behind")


def group_items(path, root="mc"):
    """Every dataset (its values) and attribute under root of the result
    file at path, and root's own attributes, by name; the run times left
    out."""
    import h5py
    items = {}

    def visit(name, obj):
        if isinstance(obj, h5py.Dataset):
            items[name] = obj[...]
        for k, v in obj.attrs.items():
            if k not in ("seconds", "cpu_seconds") + H5DS_REFERENCES:
                items[f"{name}@{k}"] = v

    with h5py.File(path, "r") as f:
        f[root].visititems(visit)
        for k, v in f[root].attrs.items():
            if k not in ("seconds", "cpu_seconds"):
                items[f"@{k}"] = v
    return items


def check_same(c, a, b, what, skip=()):
    """Checks on Checker c that the items a and b (group_items) are the same
    objects with the same bits, but for the names in skip."""
    import numpy as np
    c.check(sorted(a) == sorted(b), f"{what}: different objects "
            f"{sorted(set(a) ^ set(b))[:5]}")
    for k, v in a.items():
        if k not in b or k in skip:
            continue
        x, y = np.asarray(v), np.asarray(b[k])
        if x.dtype == object or y.dtype == object:
            ok = x.tolist() == y.tolist()
        else:
            ok = x.shape == y.shape and x.tobytes() == y.tobytes()
        c.check(ok, f"{what}: {k} differs")


# The prefixes printed tables scale money, masses and energies with
# (src/core/quantity.c), as powers of 1000.
PREFIX_POWER = {"": 0, "k": 1, "M": 2, "G": 3, "T": 4, "P": 5}


def _power(unit, base):
    """The power of 1000 unit holds over base ("MWh" over "kWh": 1)."""
    symbol = base[1:] if base[:1] in PREFIX_POWER and base[1:] else base
    if unit.endswith(symbol) and unit[:-len(symbol)] in PREFIX_POWER:
        lead = base[:-len(symbol)] if base != symbol else ""
        return PREFIX_POWER[unit[:-len(symbol)]] - PREFIX_POWER.get(lead, 0)
    raise ValueError(f"printed unit {unit!r} is not a scaled {base!r}")


def printed_cells(tokens):
    """The printed cells of a table row as (number, unit) pairs: "99.91 %",
    "4.95 MWh/day", "-" (no value: (nan, ""))."""
    cells, i = [], 0
    while i < len(tokens):
        if tokens[i] == "-":
            cells.append((float("nan"), ""))
            i += 1
        else:
            cells.append((float(tokens[i]), tokens[i + 1]))
            i += 2
    return cells


def printed_value(cell, units):
    """The value of a printed (number, unit) cell in units, the units of the
    result file ("t/day", "kWh/day", "1" for a share printed in %)."""
    number, shown = cell
    if shown == "%":
        return number / 100.0
    if not shown:
        return number
    lead, _, rest = units.partition("/")
    shown_lead, _, shown_rest = shown.partition("/")
    if rest != shown_rest:
        raise ValueError(f"printed unit {shown!r} is not a scaled {units!r}")
    return number * 1000.0 ** _power(shown_lead, lead)


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


def setup():
    """The start every test script run as SCRIPT CETWIN SOURCE_DIR shares:
    (cetwin, source, cases, work, checker), the program, the source tree,
    its tests/cli/cases folder, a fresh temporary folder and a Checker."""
    if len(sys.argv) < 3:
        print(f"usage: {os.path.basename(sys.argv[0])} CETWIN SOURCE_DIR", file=sys.stderr)
        sys.exit(2)
    cetwin, source = sys.argv[1], sys.argv[2]
    return cetwin, source, os.path.join(source, "tests", "cli", "cases"), tmpdir(), Checker()
