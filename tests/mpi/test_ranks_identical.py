"""The same case on 1, 2 and 4 MPI ranks (4 oversubscribed on 2 cores)
writes identical datasets, bit for bit, and identical group attributes.

usage: test_ranks_identical.py CETWIN SOURCE_DIR CASE [GROUP]
                               [--ranks R1,R2,...] [--threads T1,T2,...]
                               [--set PATH=VALUE ...]
--ranks replaces the rank counts 1,2,4; --threads runs every rank count
with each OMP_NUM_THREADS (default: the environment's); --set is passed to
cetwin run."""
import os
import sys

import h5py
import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "cli"))
from cetwin_testlib import H5DS_REFERENCES, Checker, run, tmpdir  # noqa: E402

cetwin, source, case = sys.argv[1], sys.argv[2], sys.argv[3]
rest = sys.argv[4:]
group = rest.pop(0) if rest and not rest[0].startswith("--") else None
threads, sets, rank_counts = [None], [], [1, 2, 4]
while rest:
    option, value = rest.pop(0), rest.pop(0)
    if option == "--threads":
        threads = [int(t) for t in value.split(",")]
    elif option == "--ranks":
        rank_counts = [int(r) for r in value.split(",")]
    else:
        sets += ["--set", value]
c = Checker()
d = tmpdir()
files = {}
for t in threads:
    if t is not None:
        os.environ["OMP_NUM_THREADS"] = str(t)
    for ranks in rank_counts:
        out = os.path.join(d, f"r{ranks}t{t}.h5")
        args = ["run", os.path.join(source, case), "-o", out, "-q"] + sets
        code, _, err = run(cetwin, args, ranks=ranks)
        c.check(code == 0, f"{ranks} ranks, {t} threads: exit {code}\n{err}")
        files[(ranks, t)] = out


def collect(path, root):
    items = {}

    def visit(name, obj):
        if isinstance(obj, h5py.Dataset):
            items[name] = obj[...]
        for k, v in obj.attrs.items():
            if k not in H5DS_REFERENCES:  # object addresses, not content
                items[f"{name}@{k}"] = v

    with h5py.File(path, "r") as f:
        f[root].visititems(visit)
        for k, v in f[root].attrs.items():
            items[f"@{k}"] = v
    return items


root = group or "/"
first = files[(rank_counts[0], threads[0])]
base = collect(first, root) if os.path.exists(first) else {}
c.check(len(base) > 0, "nothing to compare")
for key, path in files.items():
    ranks = f"{key[0]} ranks, {key[1]} threads"
    if path == first or not os.path.exists(path):
        continue
    other = collect(path, root)
    c.check(sorted(other) == sorted(base), f"{ranks}: different objects")
    for name, value in base.items():
        if name not in other or name.startswith("input") or name in ("@mpi_ranks",
                                                                       "@omp_threads",
                                                                       "@created_utc",
                                                                       "@command_line",
                                                                       "@seconds",
                                                                       "@cpu_seconds"):
            continue
        a, b = np.asarray(value), np.asarray(other[name])
        if a.dtype == object or b.dtype == object:  # strings: compare the values
            same = a.shape == b.shape and a.tolist() == b.tolist()
        else:  # numbers: compare the bits
            same = a.shape == b.shape and a.dtype == b.dtype and a.tobytes() == b.tobytes()
        c.check(same, f"{ranks}: {name} differs")
c.finish()
