"""Runs a case and compares every dataset and attribute of its result group
with a committed reference (a JSON file), bit for bit: numbers are stored as
exact hexadecimal floats, integers and strings as they are. With --update
the reference is rewritten from the run instead (review the diff before
committing it; tests/regression/README.md).

usage: check_reference.py CETWIN SOURCE_DIR CASE GROUP REFERENCE [--update]"""
import json
import os
import sys

import h5py
import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "cli"))
from cetwin_testlib import H5DS_REFERENCES, Checker, run, tmpdir  # noqa: E402

RANKS = 2  # the reference does not depend on it; 2 also exercises the gathers


def encode(value):
    a = np.asarray(value)
    if a.dtype == object or a.dtype.kind in "SU":
        items = [v.decode() if isinstance(v, bytes) else str(v) for v in a.reshape(-1)]
        return {"type": "str", "shape": list(a.shape), "data": items}
    if a.dtype.kind == "f":
        return {"type": "float", "shape": list(a.shape),
                "data": [float(v).hex() for v in a.reshape(-1)]}
    return {"type": "int", "shape": list(a.shape), "data": [int(v) for v in a.reshape(-1)]}


def collect(path, group):
    items = {}
    with h5py.File(path, "r") as f:
        g = f[group]
        for k, v in g.attrs.items():
            items[f"@{k}"] = encode(v)

        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                items[name] = encode(obj[...])
                for k, v in obj.attrs.items():
                    if k not in H5DS_REFERENCES:  # object addresses, not content
                        items[f"{name}@{k}"] = encode(v)
        g.visititems(visit)
    return items


cetwin, source, case, group, reference = sys.argv[1:6]
update = "--update" in sys.argv[6:]
c = Checker()
out = os.path.join(tmpdir(), "regression.h5")
code, _, err = run(cetwin, ["run", os.path.join(source, case), "-o", out, "-q"], ranks=RANKS)
c.check(code == 0, f"exit {code}\n{err}")
if code != 0:
    c.finish()
found = collect(out, group)
path = os.path.join(source, reference)
if update:
    with open(path, "w") as f:
        json.dump(found, f, indent=0, sort_keys=True)
        f.write("\n")
    print(f"wrote {path} ({len(found)} items)")
    sys.exit(0)
with open(path) as f:
    expected = json.load(f)
c.check(sorted(found) == sorted(expected),
        f"different items: missing {sorted(set(expected) - set(found))}, "
        f"new {sorted(set(found) - set(expected))}")
for name in sorted(set(found) & set(expected)):
    c.check(found[name] == expected[name], f"{name} differs from the reference")
c.finish()
