"""The Python package's entry point on every shipped case's result file:
cetwin.open, the provenance (attributes, resolved case, inputs,
overrides), the reading helpers against h5py, the errors of a missing
analysis and of a file that is not a result, and the plot registry."""
import os

import h5py
import numpy as np
import yaml

import pkgtest
from pkgtest import check, close

import cetwin
from cetwin import _h5


def provenance(path):
    with cetwin.open(path) as res, h5py.File(path, "r") as raw:
        name = os.path.basename(path)
        check(res.case == raw.attrs["case"], f"{name}: case")
        check(res.analysis in res.analyses or res.analysis not in cetwin.result.READERS,
              f"{name}: analysis {res.analysis} not among {res.analyses}")
        check(res.attrs["format_version"] == 2, f"{name}: format_version")
        config = res.config
        check(config == yaml.safe_load(raw.attrs["resolved_config"]), f"{name}: resolved config")
        check(config["name"] == res.case, f"{name}: config name")
        check(res.inputs.index[0].endswith(name.replace(".h5", ".yaml")),
              f"{name}: first input is the case: {res.inputs.index[0]}")
        check(len(res.overrides) == 0, f"{name}: overrides")
        check(res.case in repr(res), f"{name}: repr")
        for group in ("enumerate", "simulate", "mc", "optimize", "sensitivity"):
            if group not in raw:
                try:
                    res.reader(group)
                    check(False, f"{name}: reader of missing /{group} did not fail")
                except cetwin.AnalysisMissing as err:
                    check(f"no /{group}" in str(err), f"{name}: message {err}")


def helpers(path):
    with h5py.File(path, "r") as raw:
        summary = raw["mc/summary"]
        names = _h5.strings(summary["metrics"])
        check(_h5.labels(summary["mean"], 0) == names, "labels of /mc/summary/mean")
        frame = _h5.columns(summary, ["mean", "p5", "n"])
        close(frame["mean"], summary["mean"][...], "columns: mean")
        check(list(frame.index) == names, "columns: index")
        check(frame.attrs["units"]["n"] == "1", "columns: uniform unit")
        units = _h5.units(summary["mean"])
        check(cetwin.unit_of(frame, "mean", names[0]) == units[0], "unit_of per row")
        cash = raw["mc/deterministic/cash_flow/row_yearly"]
        table = _h5.table(cash)
        close(table.to_numpy(), cash[...], "table: values")
        check(list(table.columns) == [int(v) for v in raw["mc/deterministic/cash_flow/year"]],
              "table: year columns")
        check(table.index.name == "row" and table.columns.name == "year", "table: axis names")
        check(set(table.attrs["units"].values()) == {"EUR"}, "table: units")
        check(cetwin.unit_of(table, table.columns[0]) == "EUR", "unit_of uniform")


def not_a_result():
    path = os.path.join(pkgtest.RESULTS, "not-a-result.h5")
    with h5py.File(path, "w") as f:
        f["x"] = np.arange(3)
    try:
        cetwin.open(path)
        check(False, "a file that is not a result opened")
    except ValueError as err:
        check("not a cetwin result file" in str(err), f"message: {err}")
    os.remove(path)


def registry():
    import cetwin.plot as plot

    for path in pkgtest.results():
        with cetwin.open(path) as res:
            names = plot.available(res)
            check(all(n in plot.REGISTRY for n in names), f"{path}: registry")
            for n in names:
                check(callable(getattr(plot, n, None)), f"cetwin.plot.{n} not exported")


for result_path in pkgtest.results():
    provenance(result_path)
helpers(pkgtest.result("bollrich"))
not_a_result()
registry()
pkgtest.finish()
