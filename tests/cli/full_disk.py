"""A full disk: a run whose result file or checkpoint does not fit on the
disk exits 2 with one message naming the file it could not write, leaves
no file behind (not even the .partial), and ends cleanly (HDF5 used to be
left with a half-closed file that crashed MPI_Finalize). The disk is a
small tmpfs mounted for the test: 64 KiB that not even the metadata of a
result fits in, 1 MiB that takes a Monte Carlo result but not its stored
draws (written by every rank with MPI-IO on 2 ranks), nor a sensitivity
result its stored Sobol' points (the same way), and 8 KiB for the
checkpoints of an optimisation. Where mounting is not permitted (not root,
no tmpfs) the test says so and is skipped (exit 77).

usage: full_disk.py CETWIN SOURCE_DIR"""
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
from cetwin_testlib import crashed, run, setup  # noqa: E402

SKIP = 77
cetwin, source, _, work, c = setup()
disk = os.path.join(work, "disk")
os.mkdir(disk)


def mount(size):
    p = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", disk],
                       capture_output=True, text=True)
    return p.returncode == 0, p.stderr.strip()


def umount():
    subprocess.run(["umount", disk], capture_output=True)


ok, why = mount("64k")
if not ok:
    print(f"SKIP: cannot mount a tmpfs on {disk} ({why or 'not permitted'})")
    sys.exit(SKIP)
umount()

bollrich = os.path.join(source, "configs", "bollrich.yaml")
optimize = os.path.join(source, "tests", "regression", "optimize_small.yaml")
STORE = ["--set", "mc.draws=3000", "--set", "mc.store_draws=true"]
POINTS = [os.path.join(source, "tests", "cli", "cases", "sensitivity_points.yaml"),
          "--set", "sensitivity.sobol.n=8192", "--set", "sensitivity.sobol.replicates=0"]
CHECKPOINT = ["--set", "optimize.checkpoint={interval: 5, file: DISK/cp.h5}"]
# (what, disk size, ranks, arguments, the file that cannot be written)
CASES = [
    ("enumerate", "16k", 1, [os.path.join(source, "configs", "bonnin-pwb.yaml")], "out.h5"),
    ("mc", "64k", 1, [bollrich, "--set", "mc.draws=2000"], "out.h5"),
    ("mc draws", "1m", 1, [bollrich] + STORE, "out.h5"),
    ("mc draws", "1m", 2, [bollrich] + STORE, "out.h5"),
    ("sobol points", "1m", 1, POINTS, "out.h5"),
    ("sobol points", "1m", 2, POINTS, "out.h5"),
    ("checkpoint", "8k", 1, [optimize] + CHECKPOINT, "cp.h5"),
    ("checkpoint", "8k", 2, [optimize] + CHECKPOINT, "cp.h5"),
]
try:
    for what, size, ranks, args, name in CASES:
        ok, why = mount(size)
        c.check(ok, f"mount {size}: {why}")
        if not ok:
            continue
        # the results of checkpointed runs go elsewhere: only the checkpoint meets the full disk
        out = os.path.join(disk if name == "out.h5" else work, "out.h5")
        args = [a.replace("DISK", disk) for a in args]
        code, stdout, err = run(cetwin, ["run"] + args + ["-o", out, "-q"], ranks=ranks)
        label = f"{what} on a {size} disk, {ranks} rank(s)"
        target = os.path.join(disk, name) + ".partial"
        c.check(code == 2, f"{label}: exit {code}, expected 2\n{err[-3000:]}")
        c.check(f"'{target}'" in err and ("cannot write" in err or "cannot create" in err),
                f"{label}: the message does not say that '{target}' could not be written\n{err}")
        c.check(err.count("error:") == 1, f"{label}: the error is not printed once\n{err}")
        c.check(not crashed(code, err) and "signal" not in err, f"{label}: crashed\n{err}")
        left = os.listdir(disk) + [f for f in ("out.h5", "out.h5.partial")
                                   if os.path.exists(os.path.join(work, f))]
        c.check(not left, f"{label}: files left behind: {left}")
        umount()
finally:
    umount()
c.finish()
