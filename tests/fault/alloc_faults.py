"""Allocation failures: small runs of simulate, mc, sensitivity and optimize
with one allocation of cetwin's own code failing after another (the
program cetwin-faults, tests/fault/alloc_fault.c). Each case runs once to
list the first allocation of every call site it reaches, then once per
chosen allocation with that one failing; then with the first allocation
under each function of TARGETS failing (the places of defects found and
fixed: they stay tested whatever the spread picks). Every such run must end by itself
(no signal, no hang) with exit 2, print one error message that says
it ran out of memory (or the C library's "Cannot allocate memory"), and
leave no result file (neither OUT.h5 nor OUT.h5.partial). One case runs on
2 ranks with the failure on one rank only: the other must not wait for it
forever.

The default is a short run: RUNS call sites per case, spread over the
sites in the order the run meets them. CETWIN_FAULT_SWEEP chooses more:
  CETWIN_FAULT_SWEEP=sites  every call site of every case (minutes)
  CETWIN_FAULT_SWEEP=all    every allocation of every case (hours)
CETWIN_FAULT_CASES=simulate,mc limits the cases. A failure names the
case and the allocation K; `CET_TEST_FAIL_ALLOC=K CET_TEST_FAIL_ALLOC_TRACE=1
cetwin-faults run ...` (the command printed) shows its stack.

usage: alloc_faults.py CETWIN_FAULTS SOURCE_DIR"""
import os
import re
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "cli"))
from cetwin_testlib import TIME_SCALE, crashed, mpirun, setup  # noqa: E402

RUNS = 12  # call sites tried per case in the short run
# cetwin's words, or the C library's for ENOMEM (strerror)
OUT_OF_MEMORY = re.compile(r"out of memory|Cannot allocate memory")
TIMEOUT_S = 60 * TIME_SCALE

cetwin, source, _, work, c = setup()
configs = os.path.join(source, "configs")
out = os.path.join(work, "out.h5")
sites_file = os.path.join(work, "sites.txt")
sweep = os.environ.get("CETWIN_FAULT_SWEEP", "")
only = [x for x in os.environ.get("CETWIN_FAULT_CASES", "").split(",") if x]

# (name, arguments of `run`, ranks)
CASES = [
    ("simulate", [os.path.join(configs, "bonnin-pwb-network.yaml")], 0),
    ("mc", [os.path.join(configs, "bollrich.yaml"), "--set", "mc.draws=200"], 0),
    ("sensitivity", [os.path.join(configs, "bollrich-sensitivity.yaml")], 0),
    ("optimize", [os.path.join(source, "tests", "regression", "optimize_small.yaml"),
                  "--set", "optimize.generations=3"], 0),
]
# The first allocation made under a function, where one failing was a
# defect (case, function, what it did before the fix): run in every mode.
TARGETS = [
    ("simulate", "cli_parse", "the command line lost: exit 0"),
    ("simulate", "cet_register_param", "exit 1, as if the case were wrong"),
    ("mc", "cet_price_set_create", "exit 1, as if the prices were wrong"),
    ("mc", "cet_engine_reduce", "MPI_Gather into NULL: SIGSEGV"),
    ("mc", "cet_axes_attach", "a result without its axes: exit 0"),
    ("sensitivity", "cet_drv_sa_settings", "the checkpoints dropped: exit 0"),
    ("optimize", "cet_drv_opt_gather_rows", "MPI_Gather into NULL: SIGSEGV"),
]
# The 2-rank case and the allocations it fails: on rank 1 in the loading,
# the building of the twin and the run, and on rank 0 in the run.
MPI_CASE = ("mc", CASES[1][1] + ["--set", "mc.block=32"], 2)
MPI_FAILS = [(1, 0.02), (1, 0.5), (1, 0.99), (0, 0.99)]
# Rank 1's first allocations in the loading of the case: its
# configuration, the buffer the case's files are broadcast into (rank 1
# returned without it while rank 0 broadcast: a hang), the first text.
MPI_LOAD = 3


def execute(args, ranks, env):
    """Runs cetwin-faults `run ARGS -o out` in its own process group
    (killed whole after a hang). Returns (exit code or None after a hang,
    stdout, stderr, command line)."""
    cmd = [cetwin, "run"] + args + ["-o", out, "--threads", "1"]
    if ranks:
        cmd = [mpirun(), "-n", str(ranks), "--oversubscribe"] + cmd
    full = dict(os.environ, OMP_NUM_THREADS="1", **env)
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         errors="replace", env=full, start_new_session=True)
    try:
        stdout, stderr = p.communicate(timeout=TIMEOUT_S)
        code = p.returncode
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        stdout, stderr = p.communicate()
        code = None
    shown = " ".join(f"{k}={v}" for k, v in env.items()) + " " + " ".join(cmd)
    return code, stdout, stderr, shown


def tail(err):
    """The end of a run's stderr, to show with a failure."""
    return "\n".join(err.strip().splitlines()[-8:])


def clean():
    for name in (out, out + ".partial"):
        if os.path.exists(name):
            os.remove(name)


def first_allocations(name, args, ranks):
    """Per rank, the first allocation of every call site the case reaches
    there (a list), and how many allocations it makes there."""
    code, _, err, shown = execute(args, ranks, {"CET_TEST_ALLOC_SITES": sites_file,
                                                "CET_TEST_ALLOC_COUNT": "1"})
    c.check(code == 0, f"{name}: the run without failures exits {code}\n{shown}\n{tail(err)}")
    clean()
    firsts, totals = {}, {}
    for rank in range(max(ranks, 1)):
        with open(f"{sites_file}.{rank}") as f:
            firsts[rank] = [int(line) for line in f if line.strip()]
    for line in err.splitlines():
        if line.startswith("cetwin-faults: rank") and line.endswith("allocations"):
            rank, totals[rank] = int(line.split()[2].rstrip(":")), int(line.split()[3])
            print(f"{name}, rank {rank}: {totals[rank]} allocations from "
                  f"{len(firsts[rank])} call sites")
    return firsts, totals


def spread(values, n):
    """n of values, evenly spaced, the first and the last among them."""
    if len(values) <= n:
        return list(values)
    return [values[round(i * (len(values) - 1) / (n - 1))] for i in range(n)]


def check_failure(name, k, args, ranks, env):
    """One run with allocation k failing (the k-th under the function
    CET_TEST_FAIL_ALLOC_IN names, if env sets it); the checks of the
    header."""
    clean()
    code, stdout, err, shown = execute(args, ranks, dict(env, CET_TEST_FAIL_ALLOC=str(k)))
    what = f"{name}, allocation {k} failing ({shown})"
    text = stdout + err
    left = [p for p in (out, out + ".partial") if os.path.exists(p)]
    clean()
    if code is None:
        c.check(False, f"{what}: hangs (killed after {TIMEOUT_S:.0f} s)\n{tail(err)}")
        return
    injected = f"allocation {k} (" in err or ("CET_TEST_FAIL_ALLOC_IN" in env and " fails\n" in err)
    c.check(injected, f"{what}: allocation {k} was not reached (exit {code})\n{tail(err)}")
    c.check(not crashed(code, err), f"{what}: exit {code} (a crash)\n{tail(err)}")
    c.check(code == 2, f"{what}: exit {code}, expected 2 (a runtime failure)\n{tail(err)}")
    c.check(text.count("cetwin: error:") == 1,
            f"{what}: the error is not printed once\n{tail(err)}")
    c.check(OUT_OF_MEMORY.search(text),
            f"{what}: the message does not say out of memory\n{tail(err)}")
    c.check(not left, f"{what}: left {left}")


start = time.monotonic()
runs = 0
for name, args, ranks in CASES:
    if only and name not in only:
        continue
    firsts, totals = first_allocations(name, args, ranks)
    if sweep == "all":
        ks = range(1, totals[0] + 1)
    elif sweep == "sites":
        ks = firsts[0]
    else:
        ks = spread(firsts[0], RUNS)
    for k in ks:
        check_failure(name, k, args, ranks, {})
        runs += 1

for name, function, before in TARGETS:
    if not only or name in only:
        args = next(a for n, a, _ in CASES if n == name)
        check_failure(f"{name} (once {before})", 1, args, 0, {"CET_TEST_FAIL_ALLOC_IN": function})
        runs += 1

if not only or "mpi" in only:
    name, args, ranks = MPI_CASE
    firsts = first_allocations(f"{name} on {ranks} ranks", args, ranks)[0]
    for fail_rank, where in MPI_FAILS:
        sites = firsts[fail_rank]
        k = sites[min(len(sites) - 1, int(where * len(sites)))]
        check_failure(f"{name} on {ranks} ranks, rank {fail_rank}", k, args, ranks,
                      {"CET_TEST_FAIL_ALLOC_RANK": str(fail_rank)})
        runs += 1
    for k in range(1, MPI_LOAD + 1):
        check_failure(f"{name} on {ranks} ranks, rank 1 loading", k, args, ranks,
                      {"CET_TEST_FAIL_ALLOC_RANK": "1", "CET_TEST_FAIL_ALLOC_IN": "cet_config_load"})
        runs += 1

print(f"{runs} runs with a failing allocation in {time.monotonic() - start:.1f} s")
c.finish()
