"""The same case on 1, 2 and 4 MPI ranks (4 oversubscribed on 2 cores)
writes identical datasets, bit for bit, and identical group attributes.

usage: test_ranks_identical.py CETWIN SOURCE_DIR CASE [GROUP]"""
import os
import sys

import h5py
import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "cli"))
from cetwin_testlib import Checker, run, tmpdir  # noqa: E402

cetwin, source, case = sys.argv[1], sys.argv[2], sys.argv[3]
group = sys.argv[4] if len(sys.argv) > 4 else None
c = Checker()
d = tmpdir()
files = {}
for ranks in (1, 2, 4):
    out = os.path.join(d, f"r{ranks}.h5")
    code, _, err = run(cetwin, ["run", os.path.join(source, case), "-o", out, "-q"], ranks=ranks)
    c.check(code == 0, f"{ranks} ranks: exit {code}\n{err}")
    files[ranks] = out


def collect(path, root):
    items = {}

    def visit(name, obj):
        if isinstance(obj, h5py.Dataset):
            items[name] = obj[...]
        for k, v in obj.attrs.items():
            items[f"{name}@{k}"] = v

    with h5py.File(path, "r") as f:
        f[root].visititems(visit)
        for k, v in f[root].attrs.items():
            items[f"@{k}"] = v
    return items


root = group or "/"
base = collect(files[1], root) if os.path.exists(files[1]) else {}
c.check(len(base) > 0, "nothing to compare")
for ranks in (2, 4):
    if not os.path.exists(files[ranks]):
        continue
    other = collect(files[ranks], root)
    c.check(sorted(other) == sorted(base), f"{ranks} ranks: different objects")
    for name, value in base.items():
        if name not in other or name.startswith("input") or name in ("@mpi_ranks",
                                                                       "@created_utc",
                                                                       "@command_line"):
            continue
        a, b = np.asarray(value), np.asarray(other[name])
        if a.dtype == object or b.dtype == object:  # strings: compare the values
            same = a.shape == b.shape and a.tolist() == b.tolist()
        else:  # numbers: compare the bits
            same = a.shape == b.shape and a.dtype == b.dtype and a.tobytes() == b.tobytes()
        c.check(same, f"{ranks} ranks: {name} differs")
c.finish()
