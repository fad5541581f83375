"""The batch scripts of jobs/ on a real Slurm: a private single-node
cluster started with the slurm-local tool for this test and stopped at its
end, also on failure. The jobs run in a temporary folder:

  1. optimize.sbatch (srun, 2 ranks) with --time=1 and
     --signal=B:USR1@20: Slurm's own signal before the time limit makes the
     job checkpoint and requeue itself; after the requeue hold it continues
     from the checkpoint and its result equals, bit for bit, one
     uninterrupted run of the same optimisation (measured: when the signal
     came, how long the requeue held the job). The case file the job reads
     is shortened while the job is held, so that the continuation lasts
     seconds on a busy machine too.
  2. mc_array.sbatch (mpirun, 3 tasks of 2 ranks) and mc_merge.sbatch
     (--dependency=afterok): the task whose own job id is the array's id is
     sent `scancel --batch --signal=USR1` once it has written a periodic
     checkpoint; it alone requeues itself (the other tasks run once), the
     merge waits for its second run, and the merged result equals one
     uninterrupted run over all the draws.
  3. mc.sbatch (2 ranks): a plain `scancel` of a run under mpirun (the job
     stays cancelled, its last periodic checkpoint stays), a new submission
     (srun) continues from it; `scancel --batch --signal=TERM` makes that
     one checkpoint and stop (exit 3, no requeue); a third submission
     continues and ends with the result of one uninterrupted run.
  4. sensitivity_array.sbatch (2 tasks of 2 ranks, the Sobol' part of
     configs/cu-zn-sensitivity.yaml alone) and sensitivity_merge.sbatch:
     the merged indices equal one run over all the base rows.
Every successful job deletes its checkpoint.

usage: slurm_jobs.py CETWIN SOURCE_DIR

The tool is CETWIN_SLURM_LOCAL if set (`off` skips the test), else
/work/shared/tools/slurm-local (where the CI machine keeps it). Without it, or
when not run as root (the tool needs root), the test is skipped: exit 77. The
tool installs Slurm and munge with apt if they are missing."""
import calendar
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cli"))
import cetwin_testlib  # noqa: E402
from cetwin_testlib import Checker, check_same, group_items, mpirun  # noqa: E402

SKIP = 77
START = time.time()
cetwin, source = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
JOBS = os.path.join(source, "jobs")
cetwin_testlib.TIMEOUT_S = 600  # the reference runs share the machine with the jobs
c = Checker()

# A Monte Carlo of seconds whose stored draws hold both an input and a price
# path (configs/bollrich.yaml, one drawn parameter besides the Cu prices).
MC_SETS = ["-q", "--set", "uncertain=[{price: [Cu]}, {path: economics.discount_rate, "
           "distribution: uniform, min: 0.05, max: 0.1}]",
           "--set", "mc.metrics=[npv, cost_pv]", "--set", "mc.block=1024"]
SHARD_DRAWS, SHARDS = 80000, 3
# The Sobol' part of the network case: N = 4096 base rows in two shards.
SENSITIVITY_CASE = os.path.join(source, "configs", "cu-zn-sensitivity.yaml")
OPT_CASE = os.path.join(source, "tests", "regression", "optimize_small.yaml")
OPT_SETS = ["-q", "--set", "optimize.population=60"]
OPT_LONG = 2000000  # generations no run finishes before Slurm's signal (10-40 s)
FINAL = ("COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL", "OUT_OF_MEMORY",
         "PREEMPTED", "BOOT_FAIL", "DEADLINE")


SAY = threading.Lock()


def say(text):
    with SAY:
        print(f"[{time.time() - START:6.1f} s] {text}", flush=True)


def find_tool():
    """The slurm-local program, or None and why not."""
    given = os.environ.get("CETWIN_SLURM_LOCAL")
    if given == "off":
        return None, "CETWIN_SLURM_LOCAL=off"
    if given:
        if not os.access(given, os.X_OK):
            sys.exit(f"CETWIN_SLURM_LOCAL={given}: not an executable file")
        return os.path.abspath(given), None
    place = "/work/shared/tools/slurm-local"
    if os.access(place, os.X_OK):
        return os.path.realpath(place), None
    return None, f"no slurm-local at {place} (set CETWIN_SLURM_LOCAL)"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return str(s.getsockname()[1])


class Cluster:
    """A private slurm-local cluster: its own folder, ports and 12 CPUs (the
    jobs of this test at once, oversubscribing the machine's cores)."""

    def __init__(self, tool, folder):
        self.tool = tool
        self.env = dict(os.environ, SLURM_LOCAL_DIR=folder, SLURM_LOCAL_CPUS="12",
                        SLURM_LOCAL_CTLD_PORT=free_port(), SLURM_LOCAL_SLURMD_PORT=free_port())
        self.env.setdefault("SLURM_LOCAL_WAIT", "600")  # includes installing Slurm with apt
        self.started = False

    def tool_run(self, what, timeout):
        return subprocess.run([self.tool, what], env=self.env, capture_output=True, text=True,
                              timeout=timeout)

    def start(self):
        t = time.time()
        p = self.tool_run("start", 900)
        self.started = True
        if p.returncode != 0:
            raise AssertionError(f"slurm-local start: exit {p.returncode}\n{p.stdout}{p.stderr}")
        conf = re.search(r"SLURM_CONF=(\S+)", self.tool_run("env", 60).stdout)
        say(f"cluster up in {time.time() - t:.1f} s: {p.stdout.strip().splitlines()[-1]}")
        return conf.group(1)

    def stop(self):
        if self.started:
            p = self.tool_run("stop", 300)
            say("cluster stopped" if p.returncode == 0 else
                f"slurm-local stop: exit {p.returncode}\n{p.stdout}{p.stderr}")


class Slurm:
    """sbatch, scancel and scontrol with this test's environment, and waits."""

    def __init__(self, conf, work):
        self.work = work
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith(("SLURM_", "SBATCH_", "SRUN_", "SALLOC_"))}
        self.env.update(SLURM_CONF=conf, CETWIN=cetwin, CETWIN_ROOT=source)
        self.ids = []

    def command(self, args):
        p = subprocess.run(args, env=self.env, capture_output=True, text=True, timeout=60)
        if p.returncode != 0:
            raise AssertionError(f"{' '.join(args)}: exit {p.returncode}\n{p.stderr}")
        return p.stdout

    def sbatch(self, script, options, env=None, args=()):
        """Submits jobs/SCRIPT in the work folder; returns its job id."""
        cmd = ["sbatch", "--parsable", f"--chdir={self.work}"] + options + \
              [os.path.join(JOBS, script)] + list(args)
        p = subprocess.run(cmd, env=dict(self.env, **(env or {})), capture_output=True,
                           text=True, timeout=60)
        if p.returncode != 0:
            raise AssertionError(f"sbatch {script}: exit {p.returncode}\n{p.stderr}")
        job = p.stdout.strip().split(";")[0]
        self.ids.append(job)
        say(f"submitted {script} as job {job}")
        return job

    def jobs(self, job):
        """Every record of job (one per array task): field -> value."""
        p = subprocess.run(["scontrol", "-o", "show", "job", job], env=self.env,
                           capture_output=True, text=True, timeout=60)
        return [dict(re.findall(r"(\S+?)=(\S*)", line)) for line in p.stdout.splitlines()
                if line.startswith("JobId=")]

    def job(self, job):
        records = self.jobs(job)
        return records[0] if records else {}

    def ended(self, job):
        records = self.jobs(job)
        return bool(records) and all(r.get("JobState") in FINAL for r in records)

    def wait_final(self, job, timeout=400):
        info = wait_for(lambda: (self.job(job).get("JobState") in FINAL) and self.job(job),
                        f"job {job} to end", timeout)
        say(f"job {job}: {info['JobState']}, exit {info['ExitCode']}, "
            f"restarts {info['Restarts']}")
        return info

    def cancel_all(self):
        active = [j for j in self.ids
                  if any(r.get("JobState") not in FINAL for r in self.jobs(j))]
        if active:
            subprocess.run(["scancel"] + active, env=self.env, timeout=60)


def wait_for(condition, what, timeout):
    """Polls condition until it returns something true; a timeout fails."""
    end = time.time() + timeout
    while time.time() < end:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


LINE = re.compile(r"^(\S+Z) job (\S+) \((\d+)\) run (\d+) at (\d+)s: (.*)$")


def log_lines(path):
    """The lines the job scripts write: (UTC time, job, run, seconds, text)."""
    if not os.path.exists(path):
        return []
    with open(path, errors="replace") as f:
        found = [LINE.match(line.rstrip("\n")) for line in f]
    return [(calendar.timegm(time.strptime(m[1], "%Y-%m-%dT%H:%M:%SZ")), m[2], int(m[4]),
             int(m[5]), m[6]) for m in found if m]


def with_text(lines, text):
    return [line for line in lines if line[4].startswith(text)]


def log_has(path, text):
    return with_text(log_lines(path), text)


def starts(path):
    return with_text(log_lines(path), "start:")


def hold(path, what):
    """Seconds between the requeue and the next start in the log at path."""
    lines = log_lines(path)
    requeued = with_text(lines, "checkpoint written")
    restarted = [line for line in starts(path) if line[2] > 0]
    if requeued and restarted:
        seconds = restarted[0][0] - requeued[0][0]
        say(f"{what}: requeue hold {seconds:.0f} s")
        return seconds
    return None


def same_result(path, reference, group, what):
    c.check(os.path.exists(path), f"{what}: no result {path}")
    if os.path.exists(path):
        check_same(c, group_items(reference, group), group_items(path, group), what)


def no_checkpoints(work):
    left = [os.path.join(d, f) for d, _, files in os.walk(work) for f in files
            if ".checkpoint.h5" in f]
    c.check(not left, f"checkpoints left after success: {left}")


# ---- the three cases ---------------------------------------------------------


def optimize_case(slurm, ref_dir):
    """Slurm's own signal before the time limit, requeue, continuation.

    The case file the job reads asks for more generations than any run
    does before the signal; while the requeued job is held, the file is
    rewritten to end soon after the checkpoint (a
    checkpoint continues to any generation count it has not passed), so
    the continuation is short whatever the machine's speed."""
    log = os.path.join(slurm.work, "opt.log")
    case = os.path.join(slurm.work, "opt-case.yaml")
    with open(OPT_CASE) as f:
        text = f.read()

    def write_case(generations):
        new, n = re.subn(r"(?m)^(\s+generations:\s*)\d+", rf"\g<1>{generations}", text)
        if n != 1:
            raise AssertionError(f"{OPT_CASE}: no single optimize.generations to change")
        with open(case, "w") as f:
            f.write(new)
    write_case(OPT_LONG)
    job = slurm.sbatch("optimize.sbatch",
                       ["-n", "2", "-c", "1", "--time=1", "--signal=B:USR1@20", f"--output={log}"],
                       env={"CASE": case, "OUT": "opt/optimize.h5"}, args=OPT_SETS)
    wait_for(lambda: log_has(log, "checkpoint written") or slurm.ended(job),
             "the optimisation's signal", 150)
    if not log_has(log, "checkpoint written"):
        raise AssertionError("the job ended before Slurm's signal")
    signal = log_has(log, "SIGUSR1")
    with open(log, errors="replace") as f:
        stopped = re.search(r"after generation (\d+)", f.read())
    if not stopped:
        raise AssertionError("the log does not say where the checkpoint stands")
    generations = int(stopped[1]) + max(2000, int(stopped[1]) // 2)
    write_case(generations)
    say(f"optimize: Slurm's USR1 came {signal[0][3] if signal else '?'} s after the start "
        f"(--time=1, @20), checkpoint at generation {stopped[1]}; the run ends at {generations}")
    reference = Reference(os.path.join(ref_dir, "optimize.h5"), [case] + OPT_SETS)
    # the continuation gets time to finish rather than a second signal
    slurm.command(["scontrol", "update", f"JobId={job}", "TimeLimit=10"])
    info = slurm.wait_final(job)
    c.check(info["JobState"] == "COMPLETED" and info["ExitCode"] == "0:0" and
            info["Restarts"] == "1", f"optimize: {info.get('JobState')} exit "
            f"{info.get('ExitCode')} after {info.get('Restarts')} requeue(s), expected one")
    runs = starts(log)
    c.check(len(runs) == 2 and "--restart" not in runs[0][4] and "--restart" in runs[1][4],
            f"optimize: the second run does not continue from the checkpoint: {runs}")
    c.check(len(signal) == 1, f"optimize: {len(signal)} SIGUSR1 line(s), expected 1")
    hold(log, "optimize")
    same_result(os.path.join(slurm.work, "opt", "optimize.h5"), reference(), "optimize",
                "optimize.sbatch after its time-limit signal and requeue vs one run")


def array_case(slurm, reference):
    """A requeued array task, the merge that waits for it."""
    array = slurm.sbatch("mc_array.sbatch", ["-n", "2", "-c", "1", f"--array=0-{SHARDS - 1}",
                                             "--time=5"],
                         env={"DRAWS": str(SHARD_DRAWS), "OUTDIR": "mc", "LAUNCHER": "mpirun"},
                         args=MC_SETS + ["--set", "mc.checkpoint.interval=8"])
    merge = slurm.sbatch("mc_merge.sbatch", [f"--dependency=afterok:{array}"],
                         env={"OUTDIR": "mc"})

    def running():
        tasks = [r for r in slurm.jobs(array) if "-" not in r.get("ArrayTaskId", "-")]
        return len(tasks) == SHARDS and tasks
    tasks = wait_for(running, "the array's tasks to start", 120)
    # the task whose own id is the array's: `scontrol requeue <its id>` would
    # requeue every task
    task = next((t["ArrayTaskId"] for t in tasks if t["JobId"] == array), tasks[-1]["ArrayTaskId"])
    log = os.path.join(slurm.work, f"cetwin-mc-{array}_{task}.log")
    checkpoint = os.path.join(slurm.work, "mc", f"shard-{task}.checkpoint.h5")
    wait_for(lambda: os.path.exists(checkpoint) or slurm.ended(f"{array}_{task}"),
             f"task {task}'s first checkpoint", 120)
    if not os.path.exists(checkpoint):
        raise AssertionError(f"task {task} ended before its first checkpoint")
    slurm.command(["scancel", "--batch", "--signal=USR1", f"{array}_{task}"])
    say(f"array: USR1 sent to task {array}_{task}")
    wait_for(lambda: log_has(log, "checkpoint written") or slurm.ended(f"{array}_{task}"),
             f"task {task} to requeue itself", 60)
    if not log_has(log, "checkpoint written"):
        raise AssertionError(f"task {task} did not checkpoint and requeue itself")

    def merge_or_failure():  # a failed task leaves the merge pending for ever
        return slurm.ended(merge) or any(t.get("JobState") in FINAL[1:]
                                         for t in slurm.jobs(array))
    wait_for(merge_or_failure, "the merge", 500)
    failed = [f"{t['ArrayTaskId']} {t['JobState']}" for t in slurm.jobs(array)
              if t.get("JobState") in FINAL[1:]]
    if failed:
        raise AssertionError(f"array tasks that did not complete: {failed}")
    info = slurm.wait_final(merge, 60)
    c.check(info["JobState"] == "COMPLETED", f"merge: {info['JobState']} exit {info['ExitCode']}")
    for t in slurm.jobs(array):
        i = t["ArrayTaskId"]
        runs = starts(os.path.join(slurm.work, f"cetwin-mc-{array}_{i}.log"))
        want = 2 if i == task else 1
        c.check(t["JobState"] == "COMPLETED" and t["Restarts"] == str(want - 1) and
                len(runs) == want, f"array task {i}: {t['JobState']}, {t['Restarts']} "
                f"requeue(s), {len(runs)} run(s); expected {want} run(s)")
        c.check(t["EndTime"] <= info["StartTime"],
                f"the merge started ({info['StartTime']}) before task {i} ended ({t['EndTime']})")
    runs = starts(log)
    c.check(len(runs) == 2 and "--restart" in runs[-1][4],
            f"array task {task}: the second run does not continue from its checkpoint")
    hold(log, f"array task {task}")
    same_result(os.path.join(slurm.work, "mc", "bollrich.h5"), reference(), "mc",
                "mc_array.sbatch + mc_merge.sbatch with a requeued task vs one run")


def single_mc_case(slurm, reference):
    """Plain scancel, resubmission, scancel --batch --signal=TERM, resubmission."""
    checkpoint = os.path.join(slurm.work, "single", "mc.checkpoint.h5")
    out = os.path.join(slurm.work, "single", "mc.h5")

    def submit(n, launcher):
        log = os.path.join(slurm.work, f"single-{n}.log")
        job = slurm.sbatch("mc.sbatch", ["-n", "2", "-c", "1", "--time=5", f"--output={log}"],
                           env={"DRAWS": str(SHARDS * SHARD_DRAWS), "OUT": "single/mc.h5",
                                "LAUNCHER": launcher},
                           args=MC_SETS + ["--set", "mc.store_draws=true",
                                           "--set", "mc.checkpoint.interval=32"])
        return job, log

    def stopped(job, log, how, state, code):
        slurm.wait_final(job)
        time.sleep(2)  # a requeue would show by now
        info = slurm.job(job)
        c.check(info["JobState"] == state and info["ExitCode"].startswith(code) and
                info["Restarts"] == "0", f"mc after {how}: {info['JobState']} exit "
                f"{info['ExitCode']}, {info['Restarts']} requeue(s); expected {state} {code}")
        c.check(log_has(log, "SIGTERM") and log_has(log, "stopped"),
                f"mc after {how}: the log does not say it stopped")
        c.check(os.path.exists(checkpoint), f"mc after {how}: no checkpoint")

    # mpirun ends its ranks on the SIGTERM of a plain scancel: what is left
    # is the last periodic checkpoint
    job, log = submit(1, "mpirun")
    wait_for(lambda: os.path.exists(checkpoint) or slurm.ended(job),
             "the Monte Carlo's first checkpoint", 120)
    slurm.command(["scancel", job])
    stopped(job, log, "a plain scancel", "CANCELLED", "")
    before = os.stat(checkpoint).st_mtime_ns
    job, log = submit(2, "srun")
    wait_for(lambda: os.stat(checkpoint).st_mtime_ns != before or slurm.ended(job),
             "a checkpoint of the second job", 120)
    slurm.command(["scancel", "--batch", "--signal=TERM", job])
    stopped(job, log, "scancel --batch --signal=TERM", "FAILED", "3:0")
    runs = starts(log)
    c.check(runs and "--restart" in runs[0][4], "mc: the resubmission did not continue")
    job, log = submit(3, "srun")
    info = slurm.wait_final(job)
    runs = starts(log)
    c.check(info["JobState"] == "COMPLETED" and runs and "--restart" in runs[0][4],
            f"mc, third submission: {info['JobState']}, runs {runs}")
    same_result(out, reference(), "mc", "mc.sbatch cancelled, stopped and resubmitted vs one run")


def sensitivity_case(slurm, reference):
    """The Sobol' run of a case in shards of an array, and their merge."""
    array = slurm.sbatch("sensitivity_array.sbatch", ["-n", "2", "-c", "1", "--array=0-1",
                                                      "--time=5"],
                         env={"CASE": SENSITIVITY_CASE, "COUNT": "2048",
                              "OUTDIR": "sensitivity", "LAUNCHER": "mpirun"}, args=["-q"])
    merge = slurm.sbatch("sensitivity_merge.sbatch", [f"--dependency=afterok:{array}"],
                         env={"OUTDIR": "sensitivity", "CASE": SENSITIVITY_CASE})
    info = slurm.wait_final(merge, 400)
    tasks = [f"{t['ArrayTaskId']} {t['JobState']}" for t in slurm.jobs(array)]
    c.check(info["JobState"] == "COMPLETED", f"sensitivity merge: {info['JobState']} exit "
            f"{info['ExitCode']}; tasks {tasks}")
    same_result(os.path.join(slurm.work, "sensitivity", "cu-zn-sensitivity.h5"), reference(),
                "sensitivity", "sensitivity_array.sbatch + sensitivity_merge.sbatch vs one run")


# ---- the reference runs --------------------------------------------------------


class Reference:
    """An uninterrupted run under mpirun -n 2, started at once; calling it
    (from any thread) waits for it and returns the result file."""

    def __init__(self, out, args):
        self.out = out
        self.lock = threading.Lock()
        cmd = [mpirun(), "-n", "2", "--oversubscribe", cetwin, "run"] + args + ["-o", out]
        self.p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                  text=True)

    def __call__(self):
        with self.lock:
            _, err = self.p.communicate(timeout=cetwin_testlib.TIMEOUT_S)
        if self.p.returncode != 0:
            raise AssertionError(f"reference {self.out}: exit {self.p.returncode}\n{err}")
        return self.out


def scenario(name, function, *args):
    """Runs a case in its own thread; an exception is a failure."""
    def body():
        try:
            function(*args)
        except Exception as e:  # noqa: BLE001 (every failure is reported)
            c.check(False, f"{name}: {e}")
    thread = threading.Thread(target=body, name=name)
    thread.start()
    return thread


def show_logs(work, cluster_dir):
    for name in sorted(os.listdir(work)):
        if name.endswith(".log"):
            with open(os.path.join(work, name), errors="replace") as f:
                lines = f.readlines()
            print(f"----- {name} (last 25 lines)\n" + "".join(lines[-25:]))
    log = os.path.join(cluster_dir, "log", "slurmctld.log")
    if os.path.exists(log):
        with open(log, errors="replace") as f:
            print("----- slurmctld.log (last 25 lines)\n" + "".join(f.readlines()[-25:]))


def main():
    tool, why = find_tool()
    if not tool:
        print(f"SKIPPED: the Slurm job tests need slurm-local: {why}")
        return SKIP
    if os.geteuid() != 0:
        print("SKIPPED: slurm-local runs its cluster as root; this test is not root")
        return SKIP
    # Open MPI refuses root without these (in the jobs too: sbatch passes them on)
    os.environ.update(OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")
    work = tempfile.mkdtemp(prefix="cetwin-slurm-")
    os.chmod(work, 0o755)  # munged wants its socket's folder reachable by all
    cluster_dir = os.path.join(work, "cluster")
    cluster = Cluster(tool, cluster_dir)
    slurm = None
    say(f"slurm-local: {tool}; jobs in {work}")
    try:
        slurm = Slurm(cluster.start(), work)
        ref_dir = os.path.join(work, "reference")
        os.mkdir(ref_dir)
        mc_ref = Reference(os.path.join(ref_dir, "mc.h5"),
                           [os.path.join(source, "configs", "bollrich.yaml"), "--set",
                            f"mc.draws={SHARDS * SHARD_DRAWS}", "--set", "mc.store_draws=true"] +
                           MC_SETS)
        sensitivity_ref = Reference(os.path.join(ref_dir, "sensitivity.h5"),
                                    [SENSITIVITY_CASE, "-q", "--set", "sensitivity.oat=false",
                                     "--set", "sensitivity.morris=false"])
        threads = [scenario("optimize", optimize_case, slurm, ref_dir),
                   scenario("array", array_case, slurm, mc_ref),
                   scenario("mc", single_mc_case, slurm, mc_ref),
                   scenario("sensitivity", sensitivity_case, slurm, sensitivity_ref)]
        for thread in threads:
            thread.join()
        no_checkpoints(work)
    except Exception as e:  # noqa: BLE001
        c.check(False, str(e))
    finally:
        if slurm:
            slurm.cancel_all()
        cluster.stop()
    say(f"test took {time.time() - START:.0f} s")
    if c.failures:
        show_logs(work, cluster_dir)
        print(f"the jobs' folder is kept: {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    c.finish()
    return 0


if __name__ == "__main__":
    sys.exit(main())
