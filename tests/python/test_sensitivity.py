"""cetwin.sensitivity against h5py on the shipped sensitivity cases and on
two more runs of cu-zn-sensitivity (a parameter study; stored points),
the errors of the reader, and every sensitivity plot on every result it
applies to (labelled axes with units, a non-blank canvas)."""
import os
import shutil
import subprocess
import tempfile

import h5py
import matplotlib.pyplot as plt

import pkgtest
from pkgtest import check, close

import cetwin
import cetwin.plot as plot

PLOTS = {"tornado": "oat", "spider": "oat", "morris": "morris", "sobol": "sobol",
         "sobol_convergence": "sobol", "parameter_study": "sweep"}


def names(ds):
    return list(ds.asstr()[...])


def has_sensitivity(path):
    with h5py.File(path, "r") as f:
        return "sensitivity" in f


def extra_results(folder):
    """cu-zn-sensitivity as a parameter study (every combination; lists side
    by side), and with stored points (small plans: a second each)."""
    case = os.path.join(pkgtest.SOURCE, "configs", "cu-zn-sensitivity.yaml")
    runs = {
        "sweep": ["--set", "sensitivity.sobol=false", "--set", "sensitivity.morris=false",
                  "--set", "sensitivity.sweep={values: {network.units.leach.split.Zn.solution: "
                  "[0.9, 0.93, 0.96]}, ranges: {network.units.electrowinning.split.Zn.bleed: "
                  "{from: 0.005, to: 0.03, steps: 4}}}"],
        "side": ["--set", "sensitivity.sobol=false", "--set", "sensitivity.morris=false",
                 "--set", "sensitivity.oat=false", "--set", "sensitivity.sweep={grid: false, "
                 "values: {network.units.leach.split.Zn.solution: [0.9, 0.93, 0.96], "
                 "network.units.electrowinning.split.Zn.bleed: [0.005, 0.01, 0.02]}}"],
        "points": ["--set", "sensitivity.store_points=true", "--set", "sensitivity.sobol.n=512",
                   "--set", "sensitivity.morris.trajectories=6", "--set", "sensitivity.oat=false"],
    }
    out = []
    for name, args in runs.items():
        path = os.path.join(folder, f"cu-zn-{name}.h5")
        p = subprocess.run([pkgtest.CETWIN, "run", case, "-o", path, "-q"] + args,
                           capture_output=True, text=True, cwd=pkgtest.SOURCE)
        if p.returncode != 0:
            raise SystemExit(f"{name}: exit {p.returncode}\n{p.stderr}")
        out.append(path)
    return out


def reader(path):
    tag = os.path.basename(path)
    with cetwin.open(path) as res, h5py.File(path, "r") as raw:
        g = raw["sensitivity"]
        s = res.sensitivity
        metrics = names(g["metrics"])
        check(s.metrics == metrics, f"{tag}: metrics")
        units = dict(zip(metrics, names(g["metric_units"])))
        check(s.metric_units == units, f"{tag}: metric units")
        check(s.methods == [m for m in ("sweep", "oat", "break_even", "morris", "sobol")
                            if m in g], f"{tag}: methods {s.methods}")
        f = s.factors
        factor_names = names(g["factors/name"])
        check(list(f.index) == factor_names, f"{tag}: factor names")
        close(f["low"], g["factors/low"][...], f"{tag}: factors low")
        close(f["tornado_high"], g["factors/tornado_ends"][:, 1], f"{tag}: tornado ends")
        check(list(f["kind"]) == names(g["factors/kind"]), f"{tag}: kinds")
        groups = names(g["groups"])
        check(list(f["group"]) == [groups[i] for i in g["factors/group"][...]], f"{tag}: groups")
        for i, m in enumerate(metrics):
            unit = units[m]
            if "oat" in g:
                oat = [factor_names[k] for k in g["oat/factors"][...]]
                t = s.tornado(m)
                check(list(t.index) == oat, f"{tag}: tornado factors")
                close(t[["low", "high"]].to_numpy(), g["oat/tornado/values"][:, :, i],
                      f"{tag}: tornado values {m}")
                close(t["swing"], g["oat/tornado/swing"][:, i], f"{tag}: swing {m}")
                close(t["rank"], g["oat/tornado/rank"][:, i], f"{tag}: rank {m}")
                close(t[["setting_low", "setting_high"]].to_numpy(),
                      g["oat/tornado/settings"][...], f"{tag}: settings")
                check(t.attrs["units"]["swing"] == unit, f"{tag}: tornado unit {m}")
                check(t.attrs["base"] == g["oat/base"][i], f"{tag}: base {m}")
                sp = s.spider(m)
                close(sp.to_numpy(), g["oat/spider/values"][:, :, i].T, f"{tag}: spider {m}")
                close(sp.index, g["oat/spider/changes"][...], f"{tag}: spider changes")
                close(s.spider(m, relative=True).to_numpy(), g["oat/spider/relative"][:, :, i].T,
                      f"{tag}: spider relative {m}")
                check(sp.attrs["units"][oat[0]] == unit, f"{tag}: spider unit")
                close(s.base, g["oat/base"][...], f"{tag}: base")
            if "morris" in g:
                mo = s.morris(m)
                check(list(mo.index) == names(g["morris/groups"]), f"{tag}: morris groups")
                for col in ("mu_star", "mu_star_conf", "mu", "sigma"):
                    close(mo[col], g[f"morris/{col}"][:, i], f"{tag}: morris {col} {m}")
                check(mo.attrs["units"]["mu_star"] == unit, f"{tag}: morris unit {m}")
            if "sobol" in g:
                so = s.sobol(m)
                check(list(so.index) == names(g["sobol/groups"]), f"{tag}: sobol groups")
                for col, key in (("S1", "first"), ("S1_conf", "first_conf"), ("ST", "total"),
                                 ("ST_conf", "total_conf")):
                    close(so[col], g[f"sobol/{key}"][:, i], f"{tag}: sobol {col} {m}")
                check(so.attrs["mean"] == g["sobol/mean"][i], f"{tag}: sobol mean")
                c = s.convergence(m)
                close(c.index, g["sobol/convergence/n"][...], f"{tag}: convergence n")
                close(c["ST"].to_numpy(), g["sobol/convergence/total"][:, :, i],
                      f"{tag}: convergence ST {m}")
                close(c["S1"].to_numpy(), g["sobol/convergence/first"][:, :, i],
                      f"{tag}: convergence S1 {m}")
                check((s.sobol_second(m) is None) == ("second" not in g["sobol"]),
                      f"{tag}: second order")
        if "break_even" in g:
            be = s.break_even
            cols = names(g["break_even/column"])
            close(be[cols].to_numpy(), g["break_even/table"][...], f"{tag}: break-even table")
            check(be.attrs["metric"] == g["break_even"].attrs["metric"], f"{tag}: be metric")
            if "reference" in g["break_even"]:
                close(be["reference"], g["break_even/reference"][...], f"{tag}: be reference")
        if "sweep" in g:
            sw = s.sweep
            paths = names(g["sweep/paths"])
            close(sw[paths].to_numpy(), g["sweep/values"][...], f"{tag}: sweep values")
            close(sw[metrics].to_numpy(), g["sweep/metrics"][...], f"{tag}: sweep metrics")
            close(sw.index, g["sweep/point"][...], f"{tag}: sweep points")
            check(sw.attrs["grid"] == bool(g["sweep"].attrs["grid"]), f"{tag}: sweep grid")
            check(sw.attrs["units"] == units, f"{tag}: sweep units")
        if "morris" in g:
            d = s.morris_design
            close(d[metrics].to_numpy(), g["morris/outputs"][...], f"{tag}: morris outputs")
            close(d[d.attrs["factors"]].to_numpy(), g["morris/design"][...], f"{tag}: design")
        for method, outer in (("sobol", "base_row"), ("morris", "trajectory")):
            if method in g and "points" in g[method]:
                p = g[f"{method}/points"]
                frame = getattr(s, f"{method}_points")
                x, y = p["factors"][...], p["metrics"][...]
                close(frame[frame.attrs["factors"]].to_numpy(), x.reshape(-1, x.shape[2]),
                      f"{tag}: {method} points factors")
                close(frame[metrics].to_numpy(), y.reshape(-1, y.shape[2]),
                      f"{tag}: {method} points metrics")
                check(frame.index.names[0] == outer, f"{tag}: {method} points index")
                if method == "sobol":
                    kinds = names(p["row_kind"])
                    check(list(frame.loc[int(p["base_row"][0])].index) == kinds,
                          f"{tag}: row kinds")
        return s


def errors(path):
    with cetwin.open(path) as res:
        s = res.sensitivity
        for call, text in ((lambda: s.tornado("nope"), "unknown metric 'nope'"),
                           (lambda: s.sobol(7), "metric 7: the run has"),
                           (lambda: s.sweep, "no /sensitivity/sweep"),
                           (lambda: s.sobol_points, "sensitivity.store_points: true")):
            try:
                call()
                check(False, f"no error for {text}")
            except (KeyError, IndexError) as err:
                check(text in str(err), f"message '{err}' lacks '{text}'")


# the axis that carries a metric's values, per plot of metric values
METRIC_AXIS = {"tornado": "x", "spider": "y", "morris": "x", "parameter_study": "y"}


def plots(path):
    with cetwin.open(path) as res:
        given = plot.available(res)
        shares = res.sensitivity.metric_shares if "sensitivity" in res.h5 else {}
        for name, method in PLOTS.items():
            applies = method in res.h5.get("sensitivity", {})
            check((name in given) == applies, f"{path}: {name} applies {name in given}")
            if applies:
                fig = getattr(plot, name)(res)
                pkgtest.figure_ok(fig, f"{os.path.basename(path)} {name}")
                check(res.case in fig._suptitle.get_text(), f"{name}: title from the case")
                # a share of a whole (recovery.Zn) in per cent, as cetwin info prints it
                for ax in fig.axes if name in METRIC_AXIS else []:
                    metric = ax.get_title(loc="left").split(" ")[0]
                    if metric in shares:
                        label = ax.get_xlabel() if METRIC_AXIS[name] == "x" else ax.get_ylabel()
                        check(label.endswith("[%]") == bool(shares[metric]),
                              f"{os.path.basename(path)} {name}: {metric} on '{label}'")
                plt.close(fig)


folder = tempfile.mkdtemp(prefix="cetwin-sens-")
try:
    paths = [p for p in pkgtest.results() if has_sensitivity(p)]
    check(len(paths) >= 2, f"shipped sensitivity cases: {paths}")
    paths += extra_results(folder)
    for path in paths:
        reader(path)
    errors(pkgtest.result("bollrich-sensitivity"))
    for path in pkgtest.results() + paths[-3:]:
        plots(path)
finally:
    shutil.rmtree(folder)
pkgtest.finish()
