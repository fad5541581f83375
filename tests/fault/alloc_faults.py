"""Allocation failures: small runs of simulate, mc, sensitivity, optimize,
enumerate and reconcile, merges of two Monte Carlo and of two sensitivity
shards, `info` and `export` of result files, `validate`, `params` and
`metrics` of cases, with one allocation of
cetwin's own code failing after another (the program cetwin-faults,
tests/fault/alloc_fault.c). Each case runs once to list the first
allocation of every call site it reaches, then once per chosen allocation
with that one failing; then with the first allocation under each function
of TARGETS failing (the places of defects found and fixed: they stay
tested whatever the spread picks). Every such run must end by itself (no
signal, no hang) with exit 2 and print one error message that says it ran
out of memory (or the C library's "Cannot allocate memory"; for merge,
info and export "out of memory in FUNCTION"). A run or a merge must leave
no result file (neither OUT.h5 nor OUT.h5.partial); an export may leave
the tables it finished, each equal to the one the run without failures
writes, and no other file. One case runs on 2 ranks with the failure on
one rank only: the other must not wait for it forever.

The runs are independent and spend most of their time starting MPI, not
computing: JOBS of them run side by side, each in a folder of its own.

The default is a short run: the number of call sites a case names, spread
over the sites in the order the run meets them (every site of info and
export, whose runs take a fraction of a second). CETWIN_FAULT_SWEEP
chooses more:
  CETWIN_FAULT_SWEEP=sites  every call site of every case (minutes)
  CETWIN_FAULT_SWEEP=all    every allocation of every case (hours)
CETWIN_FAULT_CASES=simulate,mc limits the cases (the names of CASES, and
mpi); CETWIN_FAULT_SITES=N tries N sites of every case in the short run;
CETWIN_FAULT_JOBS=N sets how many runs go side by side (default 4).
A failure names the case and the allocation K; the command printed, with
CET_TEST_FAIL_ALLOC_TRACE=1 added, shows its stack.

usage: alloc_faults.py CETWIN_FAULTS SOURCE_DIR"""
import concurrent.futures
import filecmp
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "cli"))
from cetwin_testlib import TIME_SCALE, crashed, mpirun, setup  # noqa: E402

# cetwin's words, or the C library's for ENOMEM (strerror)
OUT_OF_MEMORY = re.compile(r"out of memory|Cannot allocate memory")
# what merge, info and export must say: the function that ran out
NAMED = re.compile(r"out of memory in [a-z_][a-z0-9_]*")
TIMEOUT_S = 60 * TIME_SCALE
JOBS = int(os.environ.get("CETWIN_FAULT_JOBS", "4"))
SITES = int(os.environ.get("CETWIN_FAULT_SITES", "0"))  # 0: as each case says

cetwin, source, _, work, c = setup()
configs = os.path.join(source, "configs")
shards = os.path.join(source, "tests", "fuzz", "cases")
sweep = os.environ.get("CETWIN_FAULT_SWEEP", "")
only = [x for x in os.environ.get("CETWIN_FAULT_CASES", "").split(",") if x]
OUT = "{out}"  # in a command: the output of the run (a file, or export's folder)


def run_case(case, *more):
    return ["run", case, *more, "-o", OUT, "--threads", "1"]


def made(name):
    """A result file the merge, info and export cases read (INPUTS)."""
    return os.path.join(work, name)


# Result files made first, without failures: (file, case, overrides).
INPUTS = [
    ("mc-a.h5", os.path.join(shards, "mc_shard.yaml"), []),
    ("mc-b.h5", os.path.join(shards, "mc_shard.yaml"), ["--set", "mc.first_draw=8"]),
    ("sobol-a.h5", os.path.join(shards, "sensitivity_shard.yaml"),
     ["--set", "sensitivity.shard={first: 0, count: 8}"]),
    ("sobol-b.h5", os.path.join(shards, "sensitivity_shard.yaml"),
     ["--set", "sensitivity.shard={first: 8, count: 8}"]),
    # and its checkpoint opt.checkpoint.h5
    ("opt.h5", os.path.join(source, "tests", "regression", "optimize_small.yaml"),
     ["--set", "optimize.generations=2", "--set", "optimize.checkpoint.interval=1"]),
]
# (name, command, ranks, what it writes: "file" (OUT), "tables" (export's
# folder OUT) or None, call sites tried in the short run: None for all,
# where the runs take a fraction of a second)
CASES = [
    ("simulate", run_case(os.path.join(configs, "bonnin-pwb-network.yaml")), 0, "file", 12),
    ("mc", run_case(os.path.join(configs, "bollrich.yaml"), "--set", "mc.draws=200"), 0, "file",
     12),
    ("sensitivity", run_case(os.path.join(configs, "bollrich-sensitivity.yaml")), 0, "file", 12),
    ("optimize", run_case(os.path.join(source, "tests", "regression", "optimize_small.yaml"),
                          "--set", "optimize.generations=3"), 0, "file", 12),
    ("enumerate", run_case(os.path.join(configs, "bonnin-pwb.yaml")), 0, "file", 4),
    ("reconcile", run_case(os.path.join(configs, "cu-zn-reconcile.yaml")), 0, "file", 4),
    ("merge-mc", ["merge", made("mc-a.h5"), made("mc-b.h5"), "-o", OUT], 0, "file", 4),
    ("merge-sensitivity", ["merge", made("sobol-a.h5"), made("sobol-b.h5"), "-o", OUT], 0, "file",
     4),
    ("info", ["info", made("sobol-a.h5"), "-v"], 0, None, None),
    ("info-checkpoint", ["info", made("opt.checkpoint.h5")], 0, None, None),
    ("export", ["export", made("mc-a.h5"), "-o", OUT], 0, "tables", None),
    ("validate", ["validate", os.path.join(configs, "bollrich-sensitivity.yaml")], 0, None, 4),
    ("params", ["params", os.path.join(configs, "cu-zn-exchange.yaml")], 0, None, 4),
    ("metrics", ["metrics", os.path.join(configs, "bollrich.yaml")], 0, None, 4),
]
BY_NAME = {case[0]: case for case in CASES}
NAMING = ("merge-mc", "merge-sensitivity", "info", "info-checkpoint", "export")
# The K-th allocation made under a function, where one failing was a
# defect (case, function, K, what it did before the fix): run in every
# mode.
TARGETS = [
    ("simulate", "cli_parse", 1, "the command line lost: exit 0"),
    ("simulate", "cet_register_param", 1, "exit 1, as if the case were wrong"),
    ("mc", "cet_price_set_create", 1, "exit 1, as if the prices were wrong"),
    ("mc", "cet_engine_reduce", 1, "MPI_Gather into NULL: SIGSEGV"),
    ("mc", "cet_axes_attach", 1, "a result without its axes: exit 0"),
    ("sensitivity", "cet_drv_sa_settings", 1, "the checkpoints dropped: exit 0"),
    ("optimize", "cet_drv_opt_gather_rows", 1, "MPI_Gather into NULL: SIGSEGV"),
    ("merge-mc", "cet_checksum_verify", 1, "exit 1, as if the shard were damaged"),
    ("merge-mc", "cet_result_read_attr_string", 1, "exit 1, not a cetwin result"),
    ("merge-mc", "cet_checksum_seal", 1, "the C library's words, no function named"),
    ("merge-sensitivity", "cet_result_copy", 1, "'cannot copy', no word of memory"),
]
# The 2-rank case and the allocations it fails: on rank 1 in the loading,
# the building of the twin and the run, and on rank 0 in the run.
MPI_CASE = ("mc on 2 ranks", BY_NAME["mc"][1] + ["--set", "mc.block=32"], 2, "file", 0)
MPI_FAILS = [(1, 0.02), (1, 0.5), (1, 0.99), (0, 0.99)]
# Rank 1's first allocations in the loading of the case: its
# configuration, the buffer the case's files are broadcast into (rank 1
# returned without it while rank 0 broadcast: a hang), the first text.
MPI_LOAD = 3

# Folders of the runs side by side: each holds a run's output and Open
# MPI's session files (singletons sharing a folder remove each other's).
slots = queue.Queue()
for i in range(JOBS):
    slots.put(os.path.join(work, f"slot{i}"))


def output(slot, kind):
    return os.path.join(slot, "tables" if kind == "tables" else "out.h5")


def execute(case, env, slot):
    """Runs cetwin-faults with the command of case in its own process
    group (killed whole after a hang), its output in folder slot (made
    empty first). Returns (exit code or None after a hang, stdout, stderr,
    command line)."""
    _, args, ranks, kind, _ = case
    shutil.rmtree(slot, ignore_errors=True)
    os.makedirs(os.path.join(slot, "ompi"))
    if kind == "tables":
        os.makedirs(output(slot, kind))
    cmd = [cetwin] + [a.replace(OUT, output(slot, kind)) for a in args]
    if ranks:
        cmd = [mpirun(), "-n", str(ranks), "--oversubscribe"] + cmd
    full = dict(os.environ, OMP_NUM_THREADS="1", OMPI_MCA_orte_tmpdir_base=os.path.join(slot, "ompi"),
                **env)
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


def in_slot(job, *args):
    """Runs job(slot, *args) in a free folder."""
    slot = slots.get()
    try:
        return job(slot, *args)
    finally:
        slots.put(slot)


def side_by_side(job, items):
    """job(slot, *item) for every item, JOBS at a time; their results in
    the order of items."""
    with concurrent.futures.ThreadPoolExecutor(JOBS) as pool:
        return list(pool.map(lambda item: in_slot(job, *item), items))


def count_sites(slot, case):
    """Per rank, the first allocation of every call site the case reaches
    there (a list), and how many allocations it makes there; the checks
    (ok, text) of the run; the tables an export wrote, kept as reference."""
    name, _, ranks, kind, _ = case
    sites_file = os.path.join(slot, "sites.txt")
    code, _, err, shown = execute(case, {"CET_TEST_ALLOC_SITES": sites_file,
                                         "CET_TEST_ALLOC_COUNT": "1"}, slot)
    checks = [(code == 0, f"{name}: the run without failures exits {code}\n{shown}\n{tail(err)}")]
    firsts, totals, lines = {}, {}, []
    for rank in range(max(ranks, 1)):
        with open(f"{sites_file}.{rank}") as f:
            firsts[rank] = [int(line) for line in f if line.strip()]
    for line in err.splitlines():
        if line.startswith("cetwin-faults: rank") and line.endswith("allocations"):
            rank, totals[rank] = int(line.split()[2].rstrip(":")), int(line.split()[3])
            lines.append(f"{name}, rank {rank}: {totals[rank]} allocations from "
                         f"{len(firsts[rank])} call sites")
    reference = None
    if kind == "tables":
        reference = os.path.join(work, f"reference-{name}")
        shutil.copytree(output(slot, kind), reference)
    return firsts, totals, checks, lines, reference


def leftovers(slot, kind, reference):
    """What a failed run left that it must not: a result file or its
    .partial; for an export, a table that differs from the reference's,
    or a file the reference does not have."""
    out = output(slot, kind)
    if kind == "file":
        return [p for p in (out, out + ".partial") if os.path.exists(p)]
    if kind == "tables":
        return [f for f in sorted(os.listdir(out))
                if not os.path.exists(os.path.join(reference, f)) or
                not filecmp.cmp(os.path.join(out, f), os.path.join(reference, f), shallow=False)]
    return []


def check_failure(slot, case, what, k, env, reference):
    """One run with allocation k failing (the k-th under the function
    CET_TEST_FAIL_ALLOC_IN names, if env sets it); the checks (ok, text)
    of the header."""
    name, _, _, kind, _ = case
    code, stdout, err, shown = execute(case, dict(env, CET_TEST_FAIL_ALLOC=str(k)), slot)
    what = f"{what}, allocation {k} failing ({shown})"
    if code is None:
        return [(False, f"{what}: hangs (killed after {TIMEOUT_S:.0f} s)\n{tail(err)}")]
    text = stdout + err
    left = leftovers(slot, kind, reference)
    injected = f"allocation {k} (" in err or ("CET_TEST_FAIL_ALLOC_IN" in env and " fails\n" in err)
    said = (NAMED if name in NAMING else OUT_OF_MEMORY).search(text)
    return [
        (injected, f"{what}: allocation {k} was not reached (exit {code})\n{tail(err)}"),
        (not crashed(code, err), f"{what}: exit {code} (a crash)\n{tail(err)}"),
        (code == 2, f"{what}: exit {code}, expected 2 (a runtime failure)\n{tail(err)}"),
        (text.count("cetwin: error:") == 1, f"{what}: the error is not printed once\n{tail(err)}"),
        (said, f"{what}: the message does not say out of memory"
               f"{' in a function' if name in NAMING else ''}\n{tail(err)}"),
        (not left, f"{what}: left {left}"),
    ]


def make_input(slot, name, case, sets):
    """Writes the result file name of INPUTS; the check (ok, text)."""
    args = ["run", case, *sets, "-o", made(name), "--threads", "1", "-q"]
    code, _, err, shown = execute((name, args, 0, None, 0), {}, slot)
    return code == 0, f"making {name}: exit {code}\n{shown}\n{tail(err)}"


def spread(values, n):
    """n of values, evenly spaced, the first and the last among them."""
    if len(values) <= n:
        return list(values)
    return [values[round(i * (len(values) - 1) / (n - 1))] for i in range(n)]


start = time.monotonic()
cases = [case for case in CASES if not only or case[0] in only]
mpi = not only or "mpi" in only
# the inputs the cases read (opt.h5 for its opt.checkpoint.h5)
inputs = [i for i in INPUTS if any(a.startswith(made(i[0])[:-len(".h5")])
                                   for case in cases for a in case[1])]
for ok, text in side_by_side(make_input, inputs):
    c.check(ok, text)
counted = side_by_side(count_sites, [(case,) for case in cases + ([MPI_CASE] if mpi else [])])
for firsts, totals, checks, lines, _ in counted:
    for ok, text in checks:
        c.check(ok, text)
    for line in lines:
        print(line)

jobs = []  # (case, what, k, env, reference)
for case, (firsts, totals, _, _, reference) in zip(cases, counted):
    if sweep == "all":
        ks = range(1, totals[0] + 1)
    elif sweep == "sites" or (case[4] is None and not SITES):
        ks = firsts[0]
    else:
        ks = spread(firsts[0], SITES or case[4])
    jobs += [(case, case[0], k, {}, reference) for k in ks]
for name, function, k, before in TARGETS:
    if not only or name in only:
        jobs.append((BY_NAME[name], f"{name} (once {before})", k,
                     {"CET_TEST_FAIL_ALLOC_IN": function}, None))
if mpi:
    firsts = counted[-1][0]
    for fail_rank, where in MPI_FAILS:
        sites = firsts[fail_rank]
        k = sites[min(len(sites) - 1, int(where * len(sites)))]
        jobs.append((MPI_CASE, f"{MPI_CASE[0]}, rank {fail_rank}", k,
                     {"CET_TEST_FAIL_ALLOC_RANK": str(fail_rank)}, None))
    for k in range(1, MPI_LOAD + 1):
        jobs.append((MPI_CASE, f"{MPI_CASE[0]}, rank 1 loading", k,
                     {"CET_TEST_FAIL_ALLOC_RANK": "1", "CET_TEST_FAIL_ALLOC_IN": "cet_config_load"},
                     None))

for checks in side_by_side(check_failure, jobs):
    for ok, text in checks:
        c.check(ok, text)
print(f"{len(jobs)} runs with a failing allocation ({len(counted)} to count, {JOBS} side by side) "
      f"in {time.monotonic() - start:.1f} s")
c.finish()
