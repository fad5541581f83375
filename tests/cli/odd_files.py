"""Odd and damaged input files, made by hand with h5py:
- `cetwin merge` and `cetwin run --restart` refuse, with exit 1 and a
  message, a dataset that claims more values than the file holds and an
  attribute holding a list where one value belongs (files without their
  checksum record, as older files are).

usage: odd_files.py CETWIN SOURCE_DIR"""
import os
import shutil
import sys

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from cetwin_testlib import Checker, run, tmpdir  # noqa: E402

cetwin, source = sys.argv[1], sys.argv[2]
c = Checker()
d = tmpdir()
TIMEOUT_S = 30
USERBLOCK = 512
RECORD = b"cetwin-checksum"


def out(name):
    return os.path.join(d, name)


def attempt(what, args, cwd=None):
    """(exit code, stdout, stderr); a hang or a crash is a failure."""
    try:
        code, stdout, err = run(cetwin, args, cwd=cwd, timeout=TIMEOUT_S)
    except AssertionError as e:
        c.check(False, f"{what}: {e}")
        return None, "", ""
    c.check(0 <= code < 128, f"{what}: exit {code} (a crash)\n{err[-2000:]}")
    return code, stdout, err


def expect_refused(what, args, fragments, cwd=None):
    code, _, err = attempt(what, args, cwd)
    if code is None:
        return
    missing = [f for f in fragments if f not in err]
    c.check(code == 1 and not missing and err.count("error:") == 1,
            f"{what}: exit {code}, expected 1 with {missing}\n{err}")


def without_record(src, dst):
    """A copy of src without its checksum record (as an older file)."""
    shutil.copy(src, dst)
    with open(dst, "r+b") as f:
        if f.read(len(RECORD)) == RECORD:
            f.seek(0)
            f.write(bytes(USERBLOCK))


# --- merge: implausible sizes, a list where one value belongs ------------------
shard = out("shard.h5")
code, _, err = attempt("shard", ["run", os.path.join(source, "configs", "bollrich.yaml"), "-q",
                                 "-o", shard, "--set", "mc.draws=100", "--set",
                                 "mc.store_draws=true"])
c.check(code == 0, f"shard: exit {code}\n{err}")
if code == 0:
    big = out("big-index.h5")
    without_record(shard, big)
    with h5py.File(big, "r+") as f:
        del f["mc/draws/index"]
        f.create_dataset("mc/draws/index", shape=(1 << 40,), dtype=np.int64, chunks=(1 << 16,))
    expect_refused("merge of a shard claiming 2^40 draws", ["merge", big, "-o", out("m1.h5")],
                   ["big-index.h5", "/mc/draws/index", "claims 1099511627776 values",
                    "the file is damaged"])
    listed = out("list-attr.h5")
    without_record(shard, listed)
    with h5py.File(listed, "r+") as f:
        f.attrs["analysis"] = ["mc", "mc"]
    expect_refused("merge of a shard whose analysis is a list", ["merge", listed, "-o",
                                                                 out("m2.h5")],
                   ["attribute 'analysis' of '/' is not a single text"])
    counts = out("list-count.h5")
    without_record(shard, counts)
    with h5py.File(counts, "r+") as f:
        f["mc"].attrs["draws"] = np.array([100, 100, 100], np.int64)
    expect_refused("merge of a shard whose draw count is a list", ["merge", counts, "-o",
                                                                   out("m3.h5")],
                   ["attribute 'draws' of '/mc' is not a single number"])

# --- restart: a migration log claiming 2^40 rows ------------------------------
optimize = os.path.join(source, "tests", "regression", "optimize_small.yaml")
code, _, err = attempt("checkpoint", ["run", optimize, "-q", "-o", "first.h5", "--set",
                                      "optimize.generations=10", "--set",
                                      "optimize.checkpoint={interval: 5, file: cp.h5}"], cwd=d)
c.check(code == 0, f"checkpoint: exit {code}\n{err}")
if code == 0:
    without_record(out("cp.h5"), out("big-cp.h5"))
    with h5py.File(out("big-cp.h5"), "r+") as f:
        del f["optimize/migrations"]
        f.create_dataset("optimize/migrations", shape=(1 << 40, 5), dtype=np.int64,
                         chunks=(1 << 12, 5))
    expect_refused("restart from a checkpoint claiming 2^40 migrations",
                   ["run", optimize, "-q", "-o", "again.h5", "--set", "optimize.generations=20",
                    "--restart", "big-cp.h5"],
                   ["big-cp.h5", "/optimize/migrations", "claims 5497558138880 values",
                    "the file is damaged"], cwd=d)
c.finish()
