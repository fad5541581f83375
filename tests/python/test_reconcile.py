"""cetwin.reconcile against h5py on the shipped cu-zn-reconcile result and
on a run of it with drop_gross_errors=true (the culprit set aside), and
the reconcile_adjustments plot on both."""
import os
import subprocess
import tempfile

import h5py
import numpy as np

import pkgtest
from pkgtest import check, close

import cetwin


def drop_run(folder):
    path = os.path.join(folder, "cu-zn-drop.h5")
    case = os.path.join(pkgtest.SOURCE, "configs", "cu-zn-reconcile.yaml")
    p = subprocess.run([pkgtest.CETWIN, "run", case, "-o", path, "-q", "--set",
                        "reconcile.drop_gross_errors=true"], capture_output=True, text=True,
                       cwd=pkgtest.SOURCE)
    if p.returncode != 0:
        raise SystemExit(f"drop run: exit {p.returncode}\n{p.stderr}")
    return path


def reader(path, culprit, dropped):
    tag = os.path.basename(path)
    with cetwin.open(path) as res, h5py.File(path, "r") as raw:
        g = raw["reconcile"]
        r = res.reconcile
        m = r.measurements
        for col in ("stream", "quantity", "units"):
            check(list(m[col]) == list(g["measurements"][col].asstr()[...]), f"{tag}: {col}")
        for col in ("measured", "sd", "reconciled", "reconciled_sd", "adjustment",
                    "normalised_adjustment"):
            close(m[col], g["measurements"][col][...], f"{tag}: {col}")
        close(m["redundant"], g["measurements/redundant"][...], f"{tag}: redundant")
        close(m["used"], g["measurements/used"][...], f"{tag}: used")
        close(m["observable"], np.isfinite(g["measurements/reconciled"][...]),
              f"{tag}: observable")
        check(cetwin.unit_of(m, "sd", 0) == "t/a" and cetwin.unit_of(m, "sd", len(m) - 1) == "1",
              f"{tag}: units by row")
        s = r.streams
        check(list(s.index) == list(g["streams/name"].asstr()[...]), f"{tag}: stream names")
        close(s["total"], g["streams/total"][...], f"{tag}: totals")
        close(s["total_sd"], g["streams/total_sd"][...], f"{tag}: total sds")
        close(s["components_determined"], g["streams/flow_observable"][...].sum(axis=1),
              f"{tag}: components determined")
        close(r.flows, g["streams/flow"][...], f"{tag}: flows")
        close(r.flows_sd, g["streams/flow_sd"][...], f"{tag}: flow sds")
        check(list(r.flows.columns) == list(g["components"].asstr()[...]), f"{tag}: components")
        t = r.global_test
        close([t["chi_square"], t["dof"], t["critical"], t["p_value"]],
              [g.attrs[k] for k in ("chi_square", "dof", "chi_square_critical", "p_value")],
              f"{tag}: global test")
        check(t["outcome"] == ("failed" if culprit is not None else "passed"),
              f"{tag}: outcome {t['outcome']}")
        close(r.critical, g.attrs["normalised_adjustment_critical"], f"{tag}: critical")
        c = r.culprit
        check((c is None) == (culprit is None), f"{tag}: culprit {c}")
        if c is not None:
            check((c.name, c["stream"], c["quantity"]) == culprit, f"{tag}: culprit {c.name}")
            check(abs(c["normalised_adjustment"]) > r.critical, f"{tag}: culprit beyond critical")
        d = r.dropped
        check(list(d["measurement"]) == dropped, f"{tag}: dropped {list(d['measurement'])}")
        if dropped:
            close(d["normalised_adjustment"], g["dropped/normalised_adjustment"][...],
                  f"{tag}: dropped adjustments")
            check(not m.loc[dropped, "used"].any(), f"{tag}: dropped used")
        titles = [title for title, _ in r.headline()]
        check(len(titles) == 3, f"{tag}: headline {titles}")
        summary = r.summary()
        check(summary.loc["set aside", "value"] == len(dropped), f"{tag}: summary set aside")


def plots(path):
    import matplotlib.pyplot as plt

    import cetwin.plot as plot

    with cetwin.open(path) as res:
        check("reconcile_adjustments" in plot.available(res), "reconcile plot not available")
        fig = plot.reconcile_adjustments(res)
        pkgtest.figure_ok(fig, f"reconcile_adjustments {os.path.basename(path)}",
                          need_units=False)
        plt.close(fig)


def main():
    shipped = pkgtest.result("cu-zn-reconcile")
    with tempfile.TemporaryDirectory() as folder:
        dropped = drop_run(folder)
        reader(shipped, (19, "electrowinning.zinc", "total"), [])
        reader(dropped, None, [19])
        for path in (shipped, dropped):
            plots(path)
    with cetwin.open(pkgtest.result("cu-zn-exchange")) as res:
        check("reconcile" not in res.analyses, "cu-zn-exchange lists reconcile")
    pkgtest.finish()


main()
