"""The result file of every shipped case (configs/*.yaml, small sizes)
against the schema of docs/hdf5-schema.md: every numeric dataset has a
`units` attribute that parses (a unit, or a list of them, one per entry of
its trailing dimensions) and a `long_name`; every dataset names its axes
(`dims`) and every axis has an HDF5 dimension scale of its length; the
labels of a scale are unique; xarray (h5netcdf) opens every group with
every axis labelled; and the resolved case (root attribute
`resolved_config`) is plain YAML that, run again, gives the same datasets.

usage: result_schema.py CETWIN SOURCE_DIR"""
import os
import re
import sys

import h5py
import numpy as np

import yaml

from cetwin_testlib import Checker, check_same, group_items, run, tmpdir

# The shipped cases, each with sizes that run in seconds.
CASES = {
    "bonnin-pwb": [],
    "bonnin-pwb-network": [],
    "cu-zn-exchange": [],
    "cu-zn-reconcile": [],
    "socrates-eu-slag": [],
    "bollrich": ["mc.draws=2000", "mc.store_draws=true"],
    "bonnin-pwb-optimize": ["optimize.population=20", "optimize.generations=5",
                            "optimize.islands=2"],
    "bonnin-strategy": ["optimize.population=12", "optimize.generations=3",
                        "optimize.islands=1"],
    "bollrich-robust": ["robust.draws=16", "optimize.population=8", "optimize.generations=3"],
    "bollrich-sensitivity": ["sensitivity.sobol.n=64", "sensitivity.sobol.replicates=10",
                             "sensitivity.store_points=true"],
    "cu-zn-sensitivity": ["sensitivity.sobol.n=64", "sensitivity.sobol.replicates=10",
                          "sensitivity.morris.trajectories=4", "sensitivity.store_points=true"],
}

# Unit symbols of the result files (UDUNITS-2 names; CO2e marks a mass of
# CO2 equivalent, docs/hdf5-schema.md) and the SI prefixes used with them.
SYMBOLS = {"1", "t", "g", "mol", "EUR", "USD", "Wh", "W", "J", "a", "day", "h", "s", "month", "m",
           "l", "L", "CO2e"}
PREFIXES = ("", "k", "M", "G", "m")
TOKEN = re.compile(r"^([A-Za-z]+[0-9]?e?|1)(-?[0-9]+)?$")


def unit_parses(text):
    """Whether text is a product of known symbols with optional integer
    exponents, joined by spaces, '.' or '/' (UDUNITS syntax)."""
    if not isinstance(text, str) or not text.strip():
        return False
    for token in re.split(r"[ ./]+", text.strip()):
        m = TOKEN.match(token)
        if not m:
            return False
        sym = m.group(1)
        if not any(sym.startswith(p) and sym[len(p):] in SYMBOLS for p in PREFIXES):
            return False
    return True


def as_texts(value):
    a = np.asarray(value)
    return [v.decode() if isinstance(v, bytes) else str(v) for v in a.reshape(-1)], a.shape


def check_file(c, path, what):
    """The h5py checks of one result file."""
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if not isinstance(obj, h5py.Dataset):
                return
            where = f"{what}: /{name}"
            numeric = obj.dtype.kind in "fiu"
            attrs = obj.attrs
            if numeric:
                units = attrs.get("units")
                c.check(units is not None, f"{where}: no units")
                if units is not None:
                    texts, shape = as_texts(units)
                    bad = [u for u in texts if not unit_parses(u)]
                    c.check(not bad, f"{where}: units {bad[:3]} do not parse")
                    c.check(shape == () or tuple(shape) == obj.shape[len(obj.shape) - len(shape):],
                            f"{where}: units of shape {shape} for a dataset of {obj.shape}")
            c.check("long_name" in attrs, f"{where}: no long_name")
            is_scale = attrs.get("CLASS") in (b"DIMENSION_SCALE", "DIMENSION_SCALE")
            if not is_scale:
                dims = attrs.get("dims")
                c.check(dims is not None and len(dims.split(",")) == obj.ndim,
                        f"{where}: dims {dims!r} do not name its {obj.ndim} axes")
            for i, dim in enumerate(obj.dims):
                if is_scale:
                    break
                c.check(len(dim) >= 1, f"{where}: axis {i} has no dimension scale")
                if len(dim):
                    scale = dim[0]
                    c.check(scale.shape == (obj.shape[i],),
                            f"{where}: the scale {scale.name} of axis {i} has shape {scale.shape}")
            if is_scale and obj.dtype.kind == "O":
                labels = list(obj.asstr()[...])
                dup = sorted({x for x in labels if labels.count(x) > 1})
                c.check(not dup, f"{where}: labels {dup[:3]} are not unique")
        f.visititems(visit)


def check_xarray(c, path, what):
    """Every group with datasets opens in xarray, every axis named by a
    dimension scale of the group or of a group above it."""
    import xarray as xr
    groups, scales = [], {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Group) and any(isinstance(v, h5py.Dataset)
                                                   for v in obj.values()):
                groups.append(name)
            if isinstance(obj, h5py.Dataset) and obj.attrs.get("CLASS") is not None:
                parent = name.rpartition("/")[0]
                scales.setdefault(parent, set()).add(name.rpartition("/")[2])
        f.visititems(visit)
    for g in groups:
        above = set()
        parts = g.split("/")
        for k in range(len(parts) + 1):
            above |= scales.get("/".join(parts[:k]), set())
        try:
            with xr.open_dataset(path, group=g, engine="h5netcdf") as ds:
                for name, var in ds.variables.items():
                    unnamed = [d for d in var.dims if d not in above]
                    c.check(not unnamed, f"{what}: /{g}/{name}: axes {unnamed} have no scale")
        except Exception as e:  # noqa: BLE001 (any failure to open is the finding)
            c.check(False, f"{what}: xarray cannot open /{g}: {type(e).__name__}: {e}")


def check_names(c, path, what):
    """An optimize front names its objectives (metric.statistic in a robust
    run) and gives the units of its metrics' columns."""
    with h5py.File(path, "r") as f:
        if "optimize" not in f:
            return
        g = f["optimize"]
        names = list(g["objectives/name"].asstr()[...])
        metrics = list(g["objectives/metric"].asstr()[...])
        if "robust" in g:
            stats = list(g["objectives/statistic"].asstr()[...])
            want = [f"{m}.{s}" for m, s in zip(metrics, stats)]
        else:
            want = metrics
        c.check(names == want, f"{what}: objectives/name {names}, expected {want}")
        c.check(list(g["front/objectives"].attrs["columns"]) == names,
                f"{what}: front/objectives columns")
        units = list(g["front/metrics"].attrs["units"])
        c.check(len(units) == g["front/metrics"].shape[1], f"{what}: front/metrics units")


def check_resolved(c, cetwin, path, what, out):
    """The resolved case parses with PyYAML, and running it gives the
    analysis group of path again, bit for bit."""
    with h5py.File(path, "r") as f:
        text = f.attrs["resolved_config"]
        analysis = f.attrs["analysis"]
        overrides = list(zip(f["input/override_path"].asstr()[...],
                             f["input/override_value"].asstr()[...]))
    sets = CASES[what]
    c.check(overrides == [tuple(s.split("=", 1)) for s in sets],
            f"{what}: /input/override_path and override_value {overrides} for {sets}")
    try:
        tree = yaml.safe_load(text)
    except yaml.YAMLError as e:
        c.check(False, f"{what}: resolved_config does not parse: {e}")
        return
    c.check(isinstance(tree, dict) and tree.get("analysis") == analysis,
            f"{what}: resolved_config lacks analysis: {analysis}")
    case = os.path.join(out, what + "-resolved.yaml")
    with open(case, "w") as f:
        f.write(text)
    again = os.path.join(out, what + "-again.h5")
    code, _, err = run(cetwin, ["run", case, "-o", again, "-q"])
    c.check(code == 0, f"{what}: the resolved case fails: exit {code}\n{err[-2000:]}")
    if code == 0:
        # measurements/where names the file the run read them from
        check_same(c, group_items(path, analysis), group_items(again, analysis),
                   f"{what}: the resolved case's run", skip=("measurements/where",))


def main():
    cetwin, source = sys.argv[1:3]
    c = Checker()
    for u in ("t/a", "kWh/t", "EUR", "t CO2e/a", "1", "t a-1", "kWh t-1", "kEUR/month"):
        c.check(unit_parses(u), f"the unit check refuses {u}")
    for u in ("see units", "fraction", "", "units of the metric"):
        c.check(not unit_parses(u), f"the unit check accepts {u!r}")
    out = tmpdir()
    for name, sets in CASES.items():
        path = os.path.join(out, name + ".h5")
        args = ["run", os.path.join(source, "configs", name + ".yaml"), "-o", path, "-q"]
        for s in sets:
            args += ["--set", s]
        code, _, err = run(cetwin, args)
        c.check(code == 0, f"{name}: exit {code}\n{err[-2000:]}")
        if code != 0:
            continue
        check_file(c, path, name)
        check_xarray(c, path, name)
        check_names(c, path, name)
        check_resolved(c, cetwin, path, name, out)
    c.finish()


if __name__ == "__main__":
    main()
