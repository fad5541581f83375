"""The readers of /enumerate and /simulate against h5py on every shipped
case that has them: the flowsheets (final, unprocessable, and truncated
from a run with a short maximum length), the stream table, unit balances,
consumption, metrics, parameters and Sankey edges, with their units; the
Metal Wheel's shares against hand sums over the stream table; the key
metrics against those `cetwin info` prints, on the shipped files, on a
copy whose families differ from what the names suggest and on a copy
without /simulate/metrics/family (as files written before it)."""
import os
import subprocess

import h5py
import numpy as np

import pkgtest
from pkgtest import check, close, edited

import cetwin


def strings(ds):
    return [s.decode() if isinstance(s, bytes) else s for s in ds[...]]


def enumeration(path, name):
    with cetwin.open(path) as res, h5py.File(path, "r") as raw:
        enum, g = res.enumerate, raw["enumerate"]
        check(enum.flow_units == g.attrs["flow_units"], f"{name}: flow_units")
        check(enum.attrs["main_component"] == g.attrs["main_component"], f"{name}: attrs")
        check(enum.processes == strings(g["processes"]), f"{name}: processes")
        close(enum.feed["mass"], g["feed/mass"][...], f"{name}: feed")
        check(enum.feed.attrs["units"]["mass"] == g.attrs["flow_units"], f"{name}: feed units")
        procs = strings(g["processes"])
        for kind in ("final", "unprocessable", "truncated"):
            sheets, h = enum.flowsheets(kind), g[kind]
            label = f"{name}/{kind}"
            check(len(sheets) == h.attrs["stored"], f"{label}: rows")
            check(sheets.attrs["found"] == h.attrs["found"], f"{label}: found")
            check(enum.counts.loc[kind, "found"] == h.attrs["found"], f"{label}: counts")
            check(list(sheets["chain"]) == strings(h["chain"]), f"{label}: chain")
            for col in ("purity", "recovery", "flow"):
                close(sheets[col], h[col][...], f"{label}: {col}")
                check(sheets.attrs["units"][col] == h[col].attrs["units"], f"{label}: {col} unit")
            carriers = strings(g["carriers"])
            close(sheets[carriers].to_numpy(), h["consumption"][...], f"{label}: consumption")
            units = list(h["consumption"].attrs["units"])
            check([sheets.attrs["units"][c] for c in carriers] == units,
                  f"{label}: consumption units {units}")
            steps = h["steps"][...]
            expect = [tuple(procs[i] for i in row if i >= 0) for row in steps]
            check(list(sheets["processes"]) == expect, f"{label}: processes of each chain")
            check(list(sheets["length"]) == [len(p) for p in expect], f"{label}: length")
            long = enum.steps(kind)
            check(len(long) == int((steps >= 0).sum()), f"{label}: steps rows")
            close(enum.product(kind).to_numpy(), h["product"][...], f"{label}: product")
            close(enum.fraction(kind).to_numpy(), h["fraction"][...], f"{label}: fraction")
            for outlet in strings(g["outlets"])[1:]:
                close(enum.waste(outlet, kind).to_numpy(), h[outlet][...],
                      f"{label}: {outlet}")
            check(list(enum.product(kind).columns) == strings(g["components"]),
                  f"{label}: product columns")
        try:
            enum.flowsheets("other")
            check(False, f"{name}: an unknown kind was accepted")
        except ValueError as err:
            check("unknown kind" in str(err), f"{name}: message {err}")
        try:
            enum.waste("product")
            check(False, f"{name}: outlet product taken as a waste")
        except ValueError as err:
            check("unknown outlet" in str(err), f"{name}: message {err}")


def truncated_run():
    """A run with a maximum length of 2 has truncated chains to read."""
    case = os.path.join(pkgtest.SOURCE, "configs", "bonnin-pwb.yaml")
    out = os.path.join(pkgtest.RESULTS, "short-chains.h5.tmp")
    subprocess.run([pkgtest.CETWIN, "run", case, "-o", out, "-q", "--set",
                    "enumerate.max_length=2"], check=True, cwd=pkgtest.SOURCE,
                   stdout=subprocess.DEVNULL)
    try:
        with cetwin.open(out) as res:
            sheets = res.enumerate.truncated
            check(len(sheets) > 0, "max_length 2: no truncated chains")
            check((sheets["length"] == 2).all(), "truncated chains of length 2")
            check(all(len(p) == 2 for p in sheets["processes"]), "truncated: processes")
        enumeration(out, "short-chains")
    finally:
        os.remove(out)


def simulation(path, name):
    with cetwin.open(path) as res, h5py.File(path, "r") as raw:
        sim, g = res.simulate, raw["simulate"]
        fu = g.attrs["flow_units"]
        check(sim.flow_units == fu and sim.attrs["unit_count"] == g.attrs["unit_count"],
              f"{name}: attrs")
        comps = strings(g["components"])
        check(sim.components == comps, f"{name}: components")
        units = sim.units
        check(list(units.index) == strings(g["units/name"]), f"{name}: unit names")
        check(list(units["type"]) == strings(g["units/type"]), f"{name}: unit types")
        check(list(units["sink_kind"]) == strings(g["units/sink_kind"]), f"{name}: sink kinds")
        loops = [s.split(",") for s in strings(g["loops"])]
        check(sim.loops == loops, f"{name}: loops")
        for k, loop in enumerate(loops):
            check((units.loc[loop, "loop"] == k).all(), f"{name}: loop membership")

        streams = sim.streams
        check(list(streams.index) == strings(g["streams/name"]), f"{name}: stream names")
        for col in ("from", "outlet", "to"):
            check(list(streams[col]) == strings(g[f"streams/{col}"]), f"{name}: streams {col}")
        close(streams["total"], g["streams/total"][...], f"{name}: streams total")
        close(streams[comps].to_numpy(), g["streams/flow"][...], f"{name}: stream flows")
        check(all(streams.attrs["units"][c] == fu for c in ["total", *comps]),
              f"{name}: stream units")

        for what in ("inflow", "outflow", "closure"):
            frame = getattr(sim, what)
            close(frame.to_numpy(), g[f"balance/{what}"][...], f"{name}: balance {what}")
            unit = "1" if what == "closure" else fu
            check(set(frame.attrs["units"].values()) == {unit}, f"{name}: {what} units")
        balances = sim.balances
        close(balances["inflow"], g["balance/inflow"][...].sum(axis=1), f"{name}: balances")
        close(balances["closure"], g["balance/closure"][...].max(axis=1), f"{name}: closure")
        consumption = sim.consumption
        close(consumption.to_numpy(), g["consumption"][...], f"{name}: consumption")
        check([consumption.attrs["units"][c] for c in strings(g["carriers"])] ==
              list(g["consumption"].attrs["units"]), f"{name}: consumption units")

        metrics = sim.metrics
        names = strings(g["metrics/name"])
        check(list(metrics.index) == names, f"{name}: metric names")
        close(metrics["value"], g["metrics/value"][...], f"{name}: metric values")
        check(list(metrics["family"]) == strings(g["metrics/family"]), f"{name}: metric families")
        for i in (0, len(names) // 2, len(names) - 1):
            check(cetwin.unit_of(metrics, "value", names[i]) == strings(g["metrics/units"])[i],
                  f"{name}: unit of {names[i]}")
        close(sim.metric("feed"), g["metrics/value"][names.index("feed")], f"{name}: feed")
        try:
            sim.metric("no_such_metric")
            check(False, f"{name}: an unknown metric was found")
        except KeyError as err:
            check("no metric" in str(err), f"{name}: message {err}")
        params = sim.parameters
        check(list(params.index) == strings(g["parameters/path"]), f"{name}: parameter paths")
        close(params["value"], g["parameters/value"][...], f"{name}: parameter values")
        check(list(params["unit"]) == strings(g["parameters/units"]), f"{name}: param units")

        sankey = sim.sankey
        for col in ("source", "target", "component", "stream"):
            check(list(sankey[col]) == strings(g[f"sankey/{col}"]), f"{name}: sankey {col}")
        close(sankey["flow"], g["sankey/flow"][...], f"{name}: sankey flow")
        check(sankey.attrs["units"]["flow"] == fu, f"{name}: sankey units")
        edges = sim.edges(comps[0])
        close(edges["flow"].sum(), sankey.loc[sankey["component"] == comps[0], "flow"].sum(),
              f"{name}: edges of {comps[0]} = Sankey links", rtol=1e-12)
        try:
            sim.edges("to")
            check(False, f"{name}: a stream column taken as a component")
        except KeyError as err:
            check("unknown component" in str(err), f"{name}: message {err}")

        wheel(sim, raw, name)


def wheel(sim, raw, name):
    """The Metal Wheel's shares sum to 1 and equal hand sums over the
    stream table (streams into the sinks of each kind)."""
    g = raw["simulate"]
    comps = strings(g["components"])
    unit_names = strings(g["units/name"])
    kind = dict(zip(unit_names, strings(g["units/sink_kind"])))
    to = strings(g["streams/to"])
    flow = g["streams/flow"][...]
    hand = {}
    for k in ("market", "valorisation", "export", "landfill"):
        rows = [i for i, t in enumerate(to) if kind.get(t) == k]
        hand[k] = flow[rows].sum(axis=0) if rows else np.zeros(len(comps))
    total = sum(hand.values())
    shares = sim.metal_wheel()
    check(len(shares) > 0, f"{name}: empty Metal Wheel")
    close(shares[["recovered", "valorised", "exported", "landfilled"]].sum(axis=1),
          np.ones(len(shares)), f"{name}: shares sum to 1", rtol=1e-12)
    close(shares["intermediate"], shares["valorised"] + shares["exported"],
          f"{name}: intermediate", rtol=1e-15)
    metrics = dict(zip(strings(g["metrics/name"]), g["metrics/value"][...]))
    for element in shares.index:
        j = comps.index(element)
        for fate, k in (("recovered", "market"), ("valorised", "valorisation"),
                        ("exported", "export"), ("landfilled", "landfill")):
            close(shares.loc[element, fate], hand[k][j] / total[j],
                  f"{name}: {fate} share of {element}", rtol=1e-12, atol=1e-15)
        close(shares.loc[element, "mass"], total[j], f"{name}: mass of {element}", rtol=1e-12)
        # everything fed leaves the twin: the recovered share is recovery.C
        close(shares.loc[element, "recovered"], metrics[f"recovery.{element}"],
              f"{name}: recovery.{element}", rtol=1e-9, atol=1e-12)
    check(set(shares.index) <= set(comps) and "Gangue" not in shares.index and
          "Balance" not in shares.index, f"{name}: wheel elements {list(shares.index)}")
    check(shares.attrs["units"]["recovered"] == "1", f"{name}: share units")
    residues = sim.residues()
    for sink in residues.index:
        rows = [i for i, t in enumerate(to) if t == sink]
        close(residues.loc[sink, comps].to_numpy(dtype=float), flow[rows].sum(axis=0),
              f"{name}: composition of {sink}", rtol=1e-12)
        check(kind[sink] != "market", f"{name}: {sink} is a market")


def info_key_metrics(path):
    """The names in the Key metrics table `cetwin info` prints for path."""
    p = subprocess.run([pkgtest.CETWIN, "info", path], capture_output=True, text=True)
    check(p.returncode == 0, f"cetwin info {path}: exit {p.returncode}\n{p.stderr}")
    block = p.stdout.split("\nKey metrics:\n", 1)[-1].split("\n\n", 1)[0]
    return [line.split()[0] for line in block.splitlines() if line.strip()]


def families(path, name):
    """key_metrics() are the metrics of family headline, the same cetwin
    info prints: those the file declares, whatever their names suggest,
    and in a file without the families those their names had."""
    with cetwin.open(path) as res:
        key = res.simulate.key_metrics()
        declared = list(res.simulate.metrics["family"])
    check(list(key.index) == info_key_metrics(path), f"{name}: key metrics {list(key.index)}")
    check((key["family"] == "headline").all() and len(key) < len(declared),
          f"{name}: key metrics of other families")

    # a file written before the families: each metric has the family of
    # its name, the one the run declares (cu-zn-exchange: gwp.fuel,
    # credit.sand and recovery.Gangue headline, mass.SINK detail)
    old = edited(path, "old", lambda f: f.__delitem__("simulate/metrics/family"))
    with cetwin.open(old) as res:
        metrics = res.simulate.metrics
        key = list(res.simulate.key_metrics().index)
    check(list(metrics["family"]) == declared, f"{name} without families: "
          f"{[(n, f) for n, f, d in zip(metrics.index, metrics['family'], declared) if f != d]}")
    check(key == info_key_metrics(old), f"{name} without families: key metrics {key}")


def set_families(f, rename):
    """Renames the family of the metrics named in rename (name: family)."""
    names = strings(f["simulate/metrics/name"])
    values = [rename.get(n, v) for n, v in zip(names, strings(f["simulate/metrics/family"]))]
    del f["simulate/metrics/family"]
    f["simulate/metrics/family"] = np.array(values, dtype=h5py.string_dtype())


def declared_families(path):
    """The file decides, whatever the names suggest: feed declared detail
    and a per-sink mass declared headline; and a damaged family dataset
    (an unknown family, too few families) is an error naming it."""
    swapped = edited(path, "swapped", lambda f: set_families(f, {"feed": "detail",
                                                                   "mass.jarosite_pond": "headline"}))
    with cetwin.open(swapped) as res:
        key = list(res.simulate.key_metrics().index)
        n = len(res.simulate.metrics)
    check("feed" not in key and "mass.jarosite_pond" in key and key == info_key_metrics(swapped),
          f"swapped families: key metrics {key}")

    def one_family(f):
        del f["simulate/metrics/family"]
        f["simulate/metrics/family"] = np.array(["detail"], dtype=h5py.string_dtype())

    for edit, message in ((lambda f: set_families(f, {"feed": "headlines"}),
                           "/simulate/metrics/family holds headlines; expected one of headline, "
                           "detail, unit, cash_flow"),
                          (one_family, f"/simulate/metrics/family holds 1 families for {n} metrics")):
        with cetwin.open(edited(path, "damaged", edit)) as res:
            try:
                res.simulate.key_metrics()
                check(False, f"a damaged metrics/family was read ({message})")
            except ValueError as err:
                check(message in str(err), f"damaged metrics/family: message {err}")


seen = set()
for result_path in pkgtest.results():
    case = os.path.basename(result_path)[:-3]
    with h5py.File(result_path, "r") as f:
        groups = set(f.keys())
    if "enumerate" in groups:
        enumeration(result_path, case)
        seen.add("enumerate")
    if "simulate" in groups:
        simulation(result_path, case)
        families(result_path, case)
        seen.add("simulate")
check(seen == {"enumerate", "simulate"}, f"no shipped result with /enumerate and /simulate: {seen}")
declared_families(pkgtest.result("cu-zn-exchange"))
truncated_run()
pkgtest.finish()
