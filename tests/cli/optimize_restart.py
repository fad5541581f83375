"""Checkpoint and restart of an optimisation under mpirun -n 2 (DESIGN.md
§3, §6): a run is started, and once its first periodic checkpoint exists it
is sent a signal:
  1. SIGUSR1 to mpirun (which passes it on to the ranks, as Slurm's
     --signal does through the batch script);
  2. SIGTERM to the ranks themselves (what srun and scancel deliver).
(SIGTERM to Open MPI's mpirun is mpirun's business: it may end the job
before passing the signal on, so it is not tested.) Each interrupted run
must exit 3, leave the checkpoint and no result file, and say how to
continue; the restarts (on 2 ranks with 2 threads, and on 1 rank) must exit
0 and write /optimize datasets identical, bit for bit, to those of an
uninterrupted run on 2 ranks.

usage: optimize_restart.py CETWIN SOURCE_DIR [CASE --set PATH=VALUE ...]
CASE (relative to SOURCE_DIR) replaces tests/regression/optimize_small.yaml
and its --set options the default ones (10000 generations of 60)."""
import os
import signal
import subprocess
import sys
import time

import h5py

sys.path.insert(0, os.path.dirname(__file__))
from cetwin_testlib import TIME_SCALE, Checker, mpirun, run, tmpdir  # noqa: E402

WAIT_S = 60 * TIME_SCALE  # for the first checkpoint, and for the interrupted run to end
cetwin, source = sys.argv[1], sys.argv[2]
case = os.path.join(source, "tests", "regression", "optimize_small.yaml")
# long enough (a few seconds) that the signal lands mid-run
SETS = ["--set", "optimize.generations=10000", "--set", "optimize.population=60"]
if len(sys.argv) > 3:
    case, SETS = os.path.join(source, sys.argv[3]), sys.argv[4:]
# the interrupted runs also checkpoint every 50 generations, to show they run
# (checkpoint settings may differ on restart)
PERIODIC = ["--set", "optimize.checkpoint={interval: 50}"]
work = tmpdir()
c = Checker()


def datasets(path):
    items = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                items[name] = obj[...]
        f["optimize"].visititems(visit)
    return items


def identical(a, b):
    if sorted(a) != sorted(b):
        return ["different datasets"]
    bad = []
    for name in a:
        x, y = a[name], b[name]
        same = x.tolist() == y.tolist() if x.dtype == object else (
            x.shape == y.shape and x.dtype == y.dtype and x.tobytes() == y.tobytes())
        if not same:
            bad.append(name)
    return bad


def children(pid):
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def interrupted(name, how):
    """Starts a 2-rank run, signals it after its first checkpoint; returns
    (exit code, stderr, checkpoint path)."""
    out = os.path.join(work, f"{name}.h5")
    checkpoint = os.path.join(work, f"{name}.checkpoint.h5")
    cmd = [mpirun(), "-n", "2", "--oversubscribe", cetwin, "run", case, "-o", out,
           "--threads", "1"] + SETS + PERIODIC
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    start = time.time()
    while not os.path.exists(checkpoint) and p.poll() is None and time.time() - start < WAIT_S:
        time.sleep(0.005)
    c.check(p.poll() is None, f"{name}: the run ended before it could be interrupted")
    if how == "usr1-mpirun":
        p.send_signal(signal.SIGUSR1)
    else:
        for pid in children(p.pid):
            os.kill(pid, signal.SIGTERM)
    try:
        stdout, stderr = p.communicate(timeout=WAIT_S)
    except subprocess.TimeoutExpired:
        p.kill()
        raise AssertionError(f"{name}: hangs after the signal")
    c.check(not os.path.exists(out) and not os.path.exists(out + ".partial"),
            f"{name}: an interrupted run left a result file")
    c.check(os.path.exists(checkpoint), f"{name}: no checkpoint")
    return p.returncode, stderr, out, checkpoint


def restart(name, out, checkpoint, ranks, threads):
    code, _, err = run(cetwin, ["run", case, "-o", out, "-q", "--threads", str(threads),
                                "--restart", checkpoint] + SETS, ranks=ranks)
    c.check(code == 0, f"{name}: restart exit {code}\n{err}")
    bad = identical(datasets(out), reference) if code == 0 else ["no file"]
    c.check(not bad, f"{name}: restarted result differs from the uninterrupted one: {bad}")


full = os.path.join(work, "full.h5")
code, _, err = run(cetwin, ["run", case, "-o", full, "-q", "--threads", "1"] + SETS, ranks=2)
c.check(code == 0, f"uninterrupted run: exit {code}\n{err}")
reference = datasets(full)

for name, how, ranks, threads in (("usr1", "usr1-mpirun", 2, 2), ("term", "term-ranks", 1, 1)):
    code, err, out, checkpoint = interrupted(name, how)
    signame = "SIGUSR1" if how == "usr1-mpirun" else "SIGTERM"
    c.check(code == 3, f"{name}: exit {code}, expected 3\n{err}")
    c.check(f"interrupted by {signame} after generation" in err and
            f"--restart {checkpoint}" in err, f"{name}: message\n{err}")
    c.check(err.count("error:") == 1, f"{name}: the interruption is not reported once\n{err}")
    with h5py.File(checkpoint, "r") as f:
        stopped = int(f["optimize"].attrs["generation"])
    c.check(stopped > 0, f"{name}: checkpoint at generation {stopped}")
    restart(name, out, checkpoint, ranks, threads)
c.finish()
