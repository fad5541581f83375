"""Damaged input files: a single flipped bit anywhere in a Monte Carlo shard
(merged with `cetwin merge`) or in a checkpoint (restarted with `--restart`)
either is refused (exit 1, one error message) or changes nothing (the
output's datasets and attributes equal, bit for bit, those of the undamaged
run); never exit 0 with another result, never a crash or a hang. `cetwin
info` on every damaged file exits 0 or 1.

The files carry a content checksum (in their userblock); with that record
removed, HDF5's own Fletcher32 checksums must still catch a flipped bit in
the data: a bit flipped in a chunk of a dataset that the merge or the
restart reads is refused with "checksum mismatch", the file and the
dataset named.

usage: corrupt_files.py CETWIN SOURCE_DIR"""
import functools
import os
import shutil
import sys

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from cetwin_testlib import (H5DS_REFERENCES, QUICK_TIMEOUT_S, USERBLOCK,  # noqa: E402
                            attempt, crashed, run, run_all, setup, without_checksum_record)

cetwin, source, _, work, c = setup()
SHARD_FLIPS, CHECKPOINT_FLIPS = 64, 48
NO_RECORD = " (no checksum record)"


def path(*names):
    return os.path.join(work, *names)


def bollrich(out, first, draws, ranks):
    code, _, err = run(cetwin, ["run", os.path.join(source, "configs", "bollrich.yaml"), "-q",
                                "-o", out, "--set", f"mc.first_draw={first}", "--set",
                                f"mc.draws={draws}", "--set", "mc.block=100", "--set",
                                "mc.store_draws=true"], ranks=ranks)
    c.check(code == 0, f"shard {out}: exit {code}\n{err}")


def contents(file, root="/", skip=("created_utc",)):
    """Every dataset and attribute under root, as bytes or lists."""
    items = {}

    def value(v):
        a = np.asarray(v)
        return a.tolist() if a.dtype == object else (a.dtype.str, a.shape, a.tobytes())

    def visit(name, obj):
        if isinstance(obj, h5py.Dataset):
            items[name] = value(obj[...])
        for k, v in obj.attrs.items():
            if k not in skip + H5DS_REFERENCES:
                items[f"{name}@{k}"] = value(v)

    with h5py.File(file, "r") as f:
        f[root].visititems(visit)
        for k, v in f[root].attrs.items():
            if k not in skip:
                items[f"@{k}"] = value(v)
    return items


def differences(a, b):
    return sorted(set(a) ^ set(b)) + sorted(k for k in a if k in b and a[k] != b[k])


def positions(size, n):
    """n bit positions spread over a file of size bytes (deterministic),
    and three in the checksum record."""
    stripe = size // n
    spread = [(k * stripe + (k * 2654435761) % stripe, (5 * k) % 8) for k in range(n)]
    return [(3, 1), (24, 2), (44, 0)] + spread


def flipped(original, byte, bit, folder, name, strip=False):
    data = bytearray(open(original, "rb").read())
    if strip:
        data = without_checksum_record(data)
    data[byte] ^= 1 << bit
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)
    return os.path.join(folder, name)


def judge(what, code, err, out, reference, root, must_refuse=None):
    """exit 1 with a message, or exit 0 with an output equal to the
    reference; must_refuse: fragments the message must hold (exit 1)."""
    if code not in (0, 1):
        c.check(crashed(code, err), f"{what}: exit {code}\n{err[-2000:]}")  # a crash: recorded
        return
    if code == 1:
        c.check(err.count("error:") == 1, f"{what}: exit 1 without one error message\n{err}")
        missing = [m for m in must_refuse or () if m not in err]
        c.check(not missing, f"{what}: the message lacks {missing}\n{err}")
        c.check(not os.path.exists(out), f"{what}: exit 1 left {out}")
        return
    c.check(must_refuse is None, f"{what}: exit 0, expected a checksum mismatch")
    bad = differences(contents(out, root), reference)
    c.check(not bad, f"{what}: exit 0 with another result: {bad[:5]}")


def info(what, file):
    for tree in ([], ["--tree"]):  # the summary and the structure listing
        code, _, err = attempt(c, cetwin, f"info {tree} on {what}", ["info", file] + tree,
                               timeout=QUICK_TIMEOUT_S)
        c.check(code in (0, 1, None), f"info {tree} on {what}: exit {code}\n{err[-2000:]}")


# --- the undamaged files and runs -------------------------------------------
good = path("good")
os.makedirs(good)
bollrich(os.path.join(good, "s0.h5"), 0, 300, 2)  # /mc/draws written by 2 ranks with MPI-IO
bollrich(os.path.join(good, "s1.h5"), 300, 200, 1)
optimize = os.path.join(source, "tests", "regression", "optimize_small.yaml")
code, _, err = run(cetwin, ["run", optimize, "-q", "-o", os.path.join(good, "first.h5"),
                            "--set", "optimize.generations=10", "--set",
                            "optimize.checkpoint={interval: 5, file: cp.h5}"], cwd=good)
c.check(code == 0 and os.path.exists(os.path.join(good, "cp.h5")),
        f"checkpoint: exit {code}\n{err}")
MERGE = ["merge", "s0.h5", "s1.h5", "-o", "out.h5"]
RESTART = ["run", optimize, "-q", "-o", "out.h5", "--set", "optimize.generations=20",
           "--restart", "cp.h5"]
code, _, err = run(cetwin, MERGE, cwd=good)
c.check(code == 0, f"merge: exit {code}\n{err}")
merged = contents(os.path.join(good, "out.h5"))
os.rename(os.path.join(good, "out.h5"), os.path.join(good, "merged.h5"))
code, _, err = run(cetwin, RESTART, cwd=good)
c.check(code == 0, f"restart: exit {code}\n{err}")
restarted = contents(os.path.join(good, "out.h5"), "optimize", skip=("seconds", "cpu_seconds"))
if c.failures:
    c.finish()


def merge_case(k, byte, bit, strip=False, must=None):
    folder = path(f"shard{'-stripped' if strip else ''}{k}")
    os.makedirs(folder)
    shutil.copy(os.path.join(good, "s1.h5"), folder)
    damaged = flipped(os.path.join(good, "s0.h5"), byte, bit, folder, "s0.h5", strip)
    what = f"merge with bit {bit} of byte {byte} of s0.h5 flipped{NO_RECORD if strip else ''}"
    code, _, err = attempt(c, cetwin, what, MERGE, cwd=folder, timeout=QUICK_TIMEOUT_S)
    if code is not None:
        judge(what, code, err, os.path.join(folder, "out.h5"), merged, "/", must)
    info(what, damaged)


def restart_case(k, byte, bit, strip=False, must=None):
    folder = path(f"checkpoint{'-stripped' if strip else ''}{k}")
    flipped(os.path.join(good, "cp.h5"), byte, bit, folder, "cp.h5", strip)
    what = f"restart with bit {bit} of byte {byte} of cp.h5 flipped{NO_RECORD if strip else ''}"
    code, _, err = attempt(c, cetwin, what, RESTART, cwd=folder, timeout=QUICK_TIMEOUT_S)
    if code is not None:
        judge(what, code, err, os.path.join(folder, "out.h5"), restarted, "optimize", must)
    info(what, os.path.join(folder, "cp.h5"))


def chunk_cases(file, read):
    """(byte, dataset, must be refused) in the middle of the first chunk of
    the chunked datasets of file: those of read (the command reads them),
    and every eighth of the others."""
    cases = []
    with h5py.File(file, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset) and obj.chunks and obj.id.get_num_chunks():
                chunk = obj.id.get_chunk_info(0)
                cases.append((USERBLOCK + chunk.byte_offset + chunk.size // 2, "/" + name,
                              name in read))
        f.visititems(visit)
    others = [case for case in cases if not case[2]]
    return [case for case in cases if case[2]] + others[::8]


jobs = []  # run four at a time
size = os.path.getsize(os.path.join(good, "s0.h5"))
for k, (byte, bit) in enumerate(positions(size, SHARD_FLIPS)):
    jobs.append(functools.partial(merge_case, k, byte, bit))
size = os.path.getsize(os.path.join(good, "cp.h5"))
for k, (byte, bit) in enumerate(positions(size, CHECKPOINT_FLIPS)):
    jobs.append(functools.partial(restart_case, k, byte, bit))
# without the content checksum, HDF5's Fletcher32 checksums
DATA_READ = [("s0.h5", merge_case, {"mc/draws/metrics", "mc/draws/prices", "mc/draws/index",
                                    "mc/deterministic/metrics/value", "mc/summary/exact"}),
             ("cp.h5", restart_case, {"optimize/x", "optimize/f", "optimize/g",
                                      "optimize/migrations", "optimize/history/hypervolume"})]
for name, case, reads in DATA_READ:
    cases = chunk_cases(os.path.join(good, name), reads)
    c.check(sum(must for _, _, must in cases) == len(reads),
            f"{name} lacks chunked datasets: {[n for _, n, _ in cases]}")
    for k, (byte, dataset, must) in enumerate(cases):
        fragments = ["checksum mismatch", name, dataset] if must else None
        jobs.append(functools.partial(case, k, byte, 3, True, fragments))
run_all(jobs)
print(f"{len(jobs)} damaged files")
c.finish()
