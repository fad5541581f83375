"""Checkpoint and restart of a long run under mpirun -n 2 (an optimisation,
a Monte Carlo or a sensitivity analysis): a run is started, and once its first periodic checkpoint
exists it is sent a signal:
  1. SIGUSR1 to mpirun (which passes it on to the ranks, as Slurm's
     --signal does through the batch script);
  2. SIGTERM to the ranks themselves (what srun and scancel deliver).
(SIGTERM to Open MPI's mpirun is mpirun's business: it may end the job
before passing the signal on, so it is not tested.) Each interrupted run
must exit 3, leave the checkpoint and no result file, and say how to
continue; the restarts (on 2 ranks with 2 threads, and on the second
restart rank count with 1 thread, the latter finding the partial result
file a killed run leaves, which it replaces, saying so) must exit 0 and
write GROUP datasets identical, bit for bit, to those of an uninterrupted
run on 2 ranks. An
optimisation is interrupted in a run of more generations than it reaches,
and it and the uninterrupted run go to a few generations beyond the
checkpoint's (a restart may set another generation count): the signal
cannot come after the run's end, and no run is longer than the test needs. A
restart on a rank count the checkpoint cannot continue on, or with another
seed (a sensitivity run: or without the points it keeps), is refused.

usage: restart.py CETWIN SOURCE_DIR GROUP CASE RANKS UNIT PERIODIC [--set PATH=VALUE ...]
GROUP is the result group compared (optimize, mc, sensitivity), CASE is
relative to SOURCE_DIR, RANKS the rank count of the second restart (1 for
an optimisation; 2 for a Monte Carlo or a sensitivity run, which continue on
the rank count that wrote their checkpoint), UNIT the word of the
interruption message ("after generation", "draws;", "points;"), PERIODIC
the --set of the periodic checkpoints the interrupted runs also write
(checkpoint settings may differ on restart), and the --set options make
the run last a few seconds (an optimisation: its generations are more than
it reaches before the signal)."""
import os
import signal
import subprocess
import sys
import time

import h5py

sys.path.insert(0, os.path.dirname(__file__))
from cetwin_testlib import TIMEOUT_S, Checker, mpirun, run, tmpdir  # noqa: E402

# generations an interrupted optimisation goes on for after its checkpoint's
# (several migrations: the cases tested migrate every 5 and 10 generations)
CONTINUED = 40
cetwin, source, group = sys.argv[1], sys.argv[2], sys.argv[3]
case = os.path.join(source, sys.argv[4])
second_ranks, unit = int(sys.argv[5]), sys.argv[6]
PERIODIC = ["--set", sys.argv[7]]
SETS = sys.argv[8:]
work = tmpdir()
c = Checker()


def datasets(path):
    items = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                items[name] = obj[...]
        f[group].visititems(visit)
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
    while not os.path.exists(checkpoint) and p.poll() is None and time.time() - start < TIMEOUT_S:
        time.sleep(0.005)
    c.check(p.poll() is None, f"{name}: the run ended before it could be interrupted")
    if how == "usr1-mpirun":
        p.send_signal(signal.SIGUSR1)
    else:
        for pid in children(p.pid):
            os.kill(pid, signal.SIGTERM)
    try:
        stdout, stderr = p.communicate(timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        for pid in children(p.pid):  # the ranks too: their run would go on for long
            os.kill(pid, signal.SIGKILL)
        p.kill()
        raise AssertionError(f"{name}: hangs after the signal")
    c.check(not os.path.exists(out) and not os.path.exists(out + ".partial"),
            f"{name}: an interrupted run left a result file")
    c.check(os.path.exists(checkpoint), f"{name}: no checkpoint")
    return p.returncode, stderr, out, checkpoint


def uninterrupted(name, sets):
    """GROUP's datasets of a run on 2 ranks (None if it fails)."""
    full = os.path.join(work, f"{name}.h5")
    code, _, err = run(cetwin, ["run", case, "-o", full, "-q", "--threads", "1"] + sets, ranks=2)
    c.check(code == 0, f"{name}: exit {code}\n{err}")
    return datasets(full) if code == 0 else None


def length(checkpoint):
    """The --set of the run's length for a restart from checkpoint and the
    uninterrupted run it is compared with: an optimisation goes CONTINUED
    generations beyond the checkpoint's, others run as given."""
    if group != "optimize" or not os.path.exists(checkpoint):
        return []
    with h5py.File(checkpoint, "r") as f:
        generation = int(f["optimize"].attrs["generation"])
    return ["--set", f"optimize.generations={generation + CONTINUED}"]


def restart(name, out, checkpoint, ranks, threads, left=False):
    """Restarts from checkpoint and compares with the uninterrupted run;
    with left, the partial result file of a killed run is there first and
    must be replaced, saying so (a warning: not with -q)."""
    if left:
        with open(out + ".partial", "wb") as f:
            f.write(b"what a killed run left")
    sets = SETS + length(checkpoint)
    code, _, err = run(cetwin, ["run", case, "-o", out, "--threads", str(threads),
                                "--restart", checkpoint] + ([] if left else ["-q"]) + sets,
                       ranks=ranks)
    c.check(code == 0, f"{name}: restart exit {code}\n{err}")
    c.check(not left or err.count(f"replaced '{out}.partial', left by the interrupted run") == 1,
            f"{name}: the partial result file left is not replaced once, saying so\n{err}")
    if tuple(sets) not in references:
        references[tuple(sets)] = uninterrupted(f"{name}-full", sets)
    reference = references[tuple(sets)]
    bad = identical(datasets(out), reference) if code == 0 and reference else ["no file"]
    c.check(not bad, f"{name}: restarted result differs from the uninterrupted one: {bad}")


references = {}  # GROUP's datasets of the uninterrupted runs, by their --set options

for name, how, ranks, threads in (("usr1", "usr1-mpirun", 2, 2),
                                  ("term", "term-ranks", second_ranks, 1)):
    code, err, out, checkpoint = interrupted(name, how)
    signame = "SIGUSR1" if how == "usr1-mpirun" else "SIGTERM"
    c.check(code == 3, f"{name}: exit {code}, expected 3\n{err}")
    c.check(f"interrupted by {signame}" in err and unit in err and
            f"--restart {checkpoint}" in err, f"{name}: message\n{err}")
    c.check(err.count("cetwin: notice: interrupted by") == 1 and "error:" not in err,
            f"{name}: the interruption is not reported once, as a notice\n{err}")
    # after the SIGTERM, as if the launcher had killed the ranks: a partial result file is left
    restart(name, out, checkpoint, ranks, threads, left=how == "term-ranks")

# a checkpoint continues only its own run, on a rank count it can continue on
refused = [(["--set", "seed=99"], 2, "differ" if group == "optimize" else "belongs to another run")]
if second_ranks == 2:
    refused.append(([], 1, "continue it on 2 ranks"))
if group == "sensitivity":  # the checkpoint holds the points kept, or none: flip the setting
    with open(case) as f:
        kept = any(line.strip() == "store_points: true" for line in f)
    kept = kept or "sensitivity.store_points=true" in SETS
    refused.append((["--set", f"sensitivity.store_points={'false' if kept else 'true'}"], 2,
                    "belongs to another run"))
for extra, ranks, fragment in refused:
    code, _, err = run(cetwin, ["run", case, "-o", os.path.join(work, "refused.h5"), "-q",
                                "--restart", checkpoint] + SETS + length(checkpoint) + extra,
                       ranks=ranks)
    c.check(code == 1 and fragment in err and err.count("error:") == 1,
            f"restart {extra} on {ranks} rank(s): exit {code}\n{err}")
c.finish()
