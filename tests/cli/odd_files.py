"""Odd and damaged input files, made by hand with h5py:
- `cetwin info` on a file whose groups link back to themselves (and to the
  root) lists every object once and ends; soft and external links are
  shown, not followed;
- `cetwin info` reports an attribute it cannot or will not read (a damaged
  one, one of implausibly many values) and exits 1 after the listing;
- a damaged global heap (a string's size set to 8 GiB, which made HDF5 read
  far past its buffer) is refused by the content checksum (exit 1);
- `cetwin merge` and `cetwin run --restart` refuse, with exit 1 and a
  message, a dataset that claims more values than the file holds and an
  attribute holding a list where one value belongs (files without their
  checksum record, as older files are).

usage: odd_files.py CETWIN SOURCE_DIR"""
import os
import struct
import sys

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from cetwin_testlib import QUICK_TIMEOUT_S, attempt, setup, without_checksum_record  # noqa: E402

cetwin, source, _, d, c = setup()


def out(name):
    return os.path.join(d, name)


def attempt_run(what, args, cwd=None):
    return attempt(c, cetwin, what, args, cwd=cwd, timeout=QUICK_TIMEOUT_S)


def expect_refused(what, args, fragments, cwd=None):
    code, _, err = attempt_run(what, args, cwd)
    if code is None:
        return
    missing = [f for f in fragments if f not in err]
    c.check(code == 1 and not missing and err.count("error:") == 1,
            f"{what}: exit {code}, expected 1 with {missing}\n{err}")


def without_record(src, dst):
    """A copy of src without its checksum record (as an older file)."""
    with open(src, "rb") as f, open(dst, "wb") as g:
        g.write(without_checksum_record(f.read()))


# --- a hard-link cycle, soft and external links ------------------------------
cycle = out("cycle.h5")
with h5py.File(cycle, "w") as f:
    f.attrs["format"] = "cetwin-result"
    f.create_dataset("a/b/x", data=[1.0, 2.0, 3.0]).attrs["units"] = "t"
    f["a/b/loop"] = f["a"]
    f["a/self"] = f["a"]
    f["again"] = f["/"]
    f["a/soft"] = h5py.SoftLink("/a")
    f["a/ext"] = h5py.ExternalLink("other.h5", "/")
code, listing, err = attempt_run("info on a cycle", ["info", cycle, "--tree"])
if code is not None:
    lines = listing.splitlines()
    c.check(code == 0, f"info on a cycle: exit {code}\n{err}")
    c.check(lines.count("/a/") == 1 and lines.count("/a/b/") == 1,
            f"info on a cycle: the groups are not listed once\n{listing}")
    for text in ("/a/b/loop", "-> /a (the same object", "/again", "-> / (the same object",
                 "-> /a (soft link, not followed)", "-> other.h5:/ (external link, not followed)",
                 "/a/b/x"):
        c.check(text in listing, f"info on a cycle lacks '{text}'\n{listing}")

# --- attributes info cannot or will not read ---------------------------------
many = out("many.h5")
with h5py.File(many, "w", libver="latest") as f:  # dense attribute storage
    f.attrs["format"] = "cetwin-result"
    f.create_group("g").attrs.create("huge", np.zeros((1 << 20) + 1, np.int8))
    f["g"].attrs["fine"] = 7
code, listing, err = attempt_run("info with a huge attribute", ["info", many, "--tree"])
c.check(code == 1 and "values: not read, implausibly many" in listing and "fine: 7" in listing
        and "is damaged" in err and "attribute 'huge' of '/g'" in err,
        f"info with a huge attribute: exit {code}\n{listing}\n{err}")

broken = out("broken.h5")
with h5py.File(broken, "w") as f:
    f.attrs["format"] = "cetwin-result"
    f.create_group("g").attrs["zz"] = np.full(3, 0x1122334455667788, np.int64)
data = bytearray(open(broken, "rb").read())
at = data.find(struct.pack("<q", 0x1122334455667788))
# its dataspace (size, then maximum size) now claims 2^40 values
c.check(at > 16 and data[at - 16:at] == struct.pack("<QQ", 3, 3),
        "the attribute's extent is not found")
data[at - 16:at] = struct.pack("<QQ", 1 << 40, 1 << 40)
open(broken, "wb").write(data)
code, listing, err = attempt_run("info with a damaged attribute", ["info", broken, "--tree"])
c.check(code == 1 and "/g/" in listing and "is damaged" in err,
        f"info with a damaged attribute: exit {code}\n{listing}\n{err}")

# --- a string's size in the global heap set to 8 GiB --------------------------
result = out("pwb.h5")
code, _, err = attempt_run("enumerate", ["run", os.path.join(source, "configs", "bonnin-pwb.yaml"),
                                     "-q", "-o", result])
c.check(code == 0, f"enumerate: exit {code}\n{err}")
if code == 0:
    data = bytearray(open(result, "rb").read())
    heap = data.find(b"GCOL")
    c.check(heap > 0, "no global heap in the result file")
    # the first object of the collection: index, references, reserved, size
    data[heap + 16 + 8:heap + 16 + 16] = struct.pack("<Q", 1 << 33)
    damaged = out("pwb-heap.h5")
    open(damaged, "wb").write(data)
    for tree in ([], ["--tree"]):
        expect_refused(f"info {tree} with a damaged heap", ["info", damaged] + tree,
                       ["checksum mismatch: the file is corrupt", "pwb-heap.h5"])

# --- merge: implausible sizes, a list where one value belongs ------------------
shard = out("shard.h5")
code, _, err = attempt_run("shard", ["run", os.path.join(source, "configs", "bollrich.yaml"), "-q",
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
code, _, err = attempt_run("checkpoint", ["run", optimize, "-q", "-o", "first.h5", "--set",
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
