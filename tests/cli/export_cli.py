"""`cetwin export`: the tables of a result of every kind (enumerate,
simulate, optimize, robust optimize, mc, sensitivity) as CSV and TSV files
whose header (`name [unit]`), row labels and values equal the HDF5 data;
and its errors: an unknown dataset, a dataset that is not a table, an
output folder that cannot be written, an unknown format.

usage: export_cli.py CETWIN SOURCE_DIR"""
import csv
import math
import os
import sys

import h5py
import numpy as np

from cetwin_testlib import Checker, run, tmpdir
from result_schema import CASES

KINDS = ["bonnin-pwb", "socrates-eu-slag", "bonnin-pwb-optimize", "bollrich-robust", "bollrich",
         "cu-zn-sensitivity"]


def texts(values):
    return [v.decode() if isinstance(v, bytes) else str(v) for v in np.asarray(values).reshape(-1)]


def tables(path):
    """Every table of the file: numeric datasets of one or two axes that
    are not dimension scales."""
    found = []
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if (isinstance(obj, h5py.Dataset) and obj.dtype.kind in "fiu" and obj.ndim in (1, 2)
                    and obj.attrs.get("CLASS") is None):
                found.append(name)
        f.visititems(visit)
    return found


def same_number(text, value):
    x = float(text)
    return (math.isnan(x) and math.isnan(value)) or x == value


def check_table(c, path, name, out_dir, sep, ext):
    """The file of table name equals the dataset: header, labels, values."""
    file = os.path.join(out_dir, name.replace("/", ".") + ext)
    if not os.path.exists(file):
        c.check(False, f"{path}: no file for /{name}")
        return
    with open(file, newline="") as f:
        rows = list(csv.reader(f, delimiter=sep))
    with h5py.File(path, "r") as h:
        d = h[name]
        ncols = d.shape[1] if d.ndim == 2 else 1
        data = d[...].reshape(d.shape[0], ncols)
        row_scale = d.dims[0][0]
        want = [row_scale.name.rpartition("/")[2]]
        units = d.attrs.get("units")
        unit_list = texts(units) if units is not None else [None] * ncols
        per_row = d.ndim == 1 and np.asarray(units).ndim == 1
        if len(unit_list) == 1 and not per_row:
            unit_list = unit_list * ncols
        labels = (texts(d.dims[1][0][...]) if d.ndim == 2 else [name.rpartition("/")[2]])
        for lab, u in zip(labels, unit_list):
            want.append(f"{lab} [{u}]" if u is not None and not per_row else lab)
        if per_row:  # a unit per entry: a column of its own
            want.append("units")
        c.check(rows[0] == want, f"{path}: /{name}: header {rows[0][:4]} expected {want[:4]}")
        if per_row:
            c.check([r[-1] for r in rows[1:]] == unit_list, f"{path}: /{name}: units column")
            rows = [r[:-1] for r in rows]
        row_labels = texts(row_scale[...])
        c.check([r[0] for r in rows[1:]] == row_labels, f"{path}: /{name}: row labels differ")
        c.check(len(rows) == data.shape[0] + 1, f"{path}: /{name}: {len(rows) - 1} rows")
        ok = all(same_number(t, float(v)) for r, vals in zip(rows[1:], data)
                 for t, v in zip(r[1:], vals)) and all(len(r) == ncols + 1 for r in rows[1:])
        c.check(ok, f"{path}: /{name}: values differ from the HDF5 data")


def main():
    cetwin, source = sys.argv[1:3]
    c = Checker()
    work = tmpdir()
    results = {}
    for k, name in enumerate(KINDS):
        path = os.path.join(work, name + ".h5")
        args = ["run", os.path.join(source, "configs", name + ".yaml"), "-o", path, "-q"]
        for s in CASES[name]:
            args += ["--set", s]
        code, _, err = run(cetwin, args)
        c.check(code == 0, f"{name}: exit {code}\n{err[-1500:]}")
        if code != 0:
            continue
        results[name] = path
        tsv = k % 2 == 1
        out_dir = os.path.join(work, name + "-tables")
        os.mkdir(out_dir)
        fmt = ["--format", "tsv"] if tsv else []
        code, out, err = run(cetwin, ["export", path, "-o", out_dir] + fmt)
        c.check(code == 0, f"{name}: export: exit {code}\n{err}")
        names = tables(path)
        written = os.listdir(out_dir)
        c.check(len(written) == len(names), f"{name}: {len(written)} files for {len(names)} tables")
        for t in names:
            check_table(c, path, t, out_dir, "\t" if tsv else ",", ".tsv" if tsv else ".csv")

    # named tables only, a leading / or none
    path = results.get("bonnin-pwb-optimize")
    if path:
        one = os.path.join(work, "one")
        os.mkdir(one)
        code, out, err = run(cetwin, ["export", path, "optimize/front/metrics",
                                      "/optimize/front/design", "-o", one, "-q"])
        c.check(code == 0 and sorted(os.listdir(one)) == ["optimize.front.design.csv",
                                                          "optimize.front.metrics.csv"],
                f"named tables: exit {code}, files {os.listdir(one)}\n{err}")
        c.check(out == "", f"-q: printed {out!r}")
        with open(os.path.join(one, "optimize.front.design.csv")) as f:
            header = f.readline().strip().split(",")
        c.check(header[1].startswith("share.f1 ["), f"design columns named: {header}")
        bad = [
            (["export", path, "optimize/front/nothing", "-o", one],
             [path, "/optimize/front/nothing", "no dataset"]),
            (["export", path, "optimize/design/path", "-o", one],
             [path, "/optimize/design/path", "is not a table", "text"]),
            (["export", path, "optimize", "-o", one], [path, "no dataset '/optimize'"]),
            (["export", path, "-o", os.path.join(work, "missing")],
             ["-o '" + os.path.join(work, "missing") + "'", "No such file"]),
            (["export", path, "-o", path], ["-o '" + path + "'", "found a file"]),
            (["export", os.path.join(work, "none.h5")], ["none.h5"]),
            (["export", path, "--format", "xls"], ["--format expects csv or tsv", "'xls'"]),
            (["export"], ["cetwin export: missing RESULT.h5"]),
            (["export", path, "--set", "seed=1"], ["export takes a result file", "--set"]),
            (["info", path, "--format", "csv"], ["--format belongs to cetwin export"]),
        ]
        mc = results.get("bollrich")
        if mc:
            bad.append((["export", mc, "mc/draws/prices", "-o", one],
                        [mc, "/mc/draws/prices", "is not a table", "along 3"]))
        for args, fragments in bad:
            code, out, err = run(cetwin, args)
            text = out + err
            missing = [f for f in fragments if f not in text]
            c.check(code == 1, f"{' '.join(args[2:])}: exit {code}, expected 1\n{text}")
            c.check(not missing, f"{' '.join(args[2:])}: message lacks {missing}\n{text}")
    c.finish()


if __name__ == "__main__":
    main()
