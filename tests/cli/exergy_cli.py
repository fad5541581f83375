"""Exergy accounting (docs/user-guide.md, "Exergy"; docs/validation.md):
the smelter of tests/cli/cases/exergy_hand.yaml against its exergy balance
worked out by hand; every unit of the three shipped twins closes its
exergy balance (in = products + residues + destroyed) to 1e-9, its inflow
and outflow agree with the stream table and the specific exergies, its
carriers' exergy with the consumptions and factors, and the system totals
with the sinks; a case whose components or carriers lack exergy data, or
whose `exergy:` section is wrong, fails with a located message; exergy
metrics and parameters serve another analysis (a tornado of the
copper-zinc exchange against its closed form); a twin without `exergy:`
has no exergy metrics and no /simulate/exergy.

usage: exergy_cli.py CETWIN SOURCE_DIR"""
import os
import sys

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from cetwin_testlib import expect_input_error, run, setup  # noqa: E402

cetwin, source, _, work, c = setup()
hand = os.path.join(source, "tests", "cli", "cases", "exergy_hand.yaml")
TOL = 1e-9
GJ = {"kWh": 3.6e-3, "MWh": 3.6, "MJ": 1e-3, "GJ": 1.0}


def close(a, b, tol=TOL):
    return abs(a - b) <= tol * max(abs(a), abs(b), 1e-300)


def simulate(case, name, *args):
    out = os.path.join(work, name + ".h5")
    code, stdout, stderr = run(cetwin, ["run", case, "-o", out] + list(args))
    c.check(code == 0, f"{name}: exit {code}\n{stderr}")
    return out, stdout


def metrics_of(g):
    return dict(zip(g["metrics/name"].asstr()[...], g["metrics/value"][...]))


# ---- the smelter by hand ----
b_cu, b_sio2 = 134.2 / 63.546, 0.5                 # GJ/t
feed = 100 * (0.2 * b_cu + 0.8 * b_sio2)           # GJ/h
carriers = 500 * 100 * 3.6e-3 * 1.0                # kWh/t x t/h x GJ/kWh x factor
metal, slag = 18 * b_cu, 2 * b_cu + 80 * b_sio2
expected = {
    "exergy.feed": feed, "exergy.carriers": carriers, "exergy.input": feed + carriers,
    "exergy.destroyed": feed + carriers - metal - slag, "exergy.products": metal,
    "exergy.landfilled": slag, "exergy.valorised": 0.0, "exergy.exported": 0.0,
    "exergy.recovered": metal, "exergy.efficiency": metal / (feed + carriers),
    "exergy.smelter.in": feed + carriers, "exergy.smelter.products": metal,
    "exergy.smelter.residues": slag, "exergy.smelter.destroyed": carriers,
    "exergy.smelter.efficiency": metal / (feed + carriers),
}
path, stdout = simulate(hand, "hand")
with h5py.File(path, "r") as f:
    g = f["simulate"]
    m = metrics_of(g)
    units = dict(zip(g["metrics/name"].asstr()[...], g["metrics/units"].asstr()[...]))
    for name, value in expected.items():
        c.check(name in m and close(m[name], value, 1e-12),
                f"hand: {name} = {m.get(name)}, by hand {value}")
        c.check(units.get(name) == ("1" if name.endswith("efficiency") else "GJ/h"),
                f"hand: {name} in {units.get(name)}")
    c.check(np.allclose(g["exergy/specific"][...], [b_cu, b_sio2], rtol=1e-12, atol=0),
            f"hand: specific exergy {g['exergy/specific'][...]}")
    streams = dict(zip(g["streams/name"].asstr()[...], g["exergy/streams"][...]))
    c.check(close(streams["smelter.metal"], metal, 1e-12)
            and close(streams["smelter.slag"], slag, 1e-12)
            and close(streams["ore.out"], feed, 1e-12), f"hand: stream exergy {streams}")
c.check("Exergy" in stdout and "smelter" in stdout, f"hand: no exergy table\n{stdout}")


# ---- the shipped twins: every unit's balance closes ----
def parameter(g, path):
    paths = list(g["parameters/path"].asstr()[...])
    return g["parameters/value"][paths.index(path)]


def check_twin(name, path):
    with h5py.File(path, "r") as f:
        g = f["simulate"]
        m = metrics_of(g)
        b = g["exergy/specific"][...]
        row = g["exergy/units"][...]
        inflow, outflow = g["balance/inflow"][...], g["balance/outflow"][...]
        unit = list(g["units/name"].asstr()[...])
        kind = list(g["units/type"].asstr()[...])
        sink = list(g["units/sink_kind"].asstr()[...])
        carrier = list(g["carriers"].asstr()[...])
        cunits = list(g["consumption"].attrs["carrier_units"])
        cons = g["consumption"][...]
        stream_ex = g["exergy/streams"][...]
        c.check(np.allclose(stream_ex, g["streams/flow"][...] @ b, rtol=1e-12, atol=0),
                f"{name}: stream exergy is not flow x specific exergy")
        factor = [parameter(g, f"exergy.carriers.{k}") for k in carrier]
        totals = dict(destroyed=0.0, market=0.0, valorisation=0.0, landfill=0.0, export=0.0)
        for u, uname in enumerate(unit):
            i, p, r, d = row[u]
            c.check(close(i, p + r + d), f"{name}: {uname}: in {i} != {p} + {r} + {d}")
            ex_carriers = 0.0
            if kind[u] == "process":
                ex_carriers = sum(cons[u, k] * factor[k] * GJ[cunits[k].split("/")[0]]
                                  for k in range(len(carrier)))
            c.check(close(i, inflow[u] @ b + ex_carriers),
                    f"{name}: {uname}: in {i}, from the inflow and carriers {inflow[u] @ b} + "
                    f"{ex_carriers}")
            c.check(close(p + r, outflow[u] @ b),
                    f"{name}: {uname}: out {p + r}, from the outflow {outflow[u] @ b}")
            if kind[u] == "sink":
                totals[sink[u]] += i
            else:
                totals["destroyed"] += d
            if kind[u] == "process":
                for k, term in enumerate(("in", "products", "residues", "destroyed")):
                    c.check(m[f"exergy.{uname}.{term}"] == row[u, k],
                            f"{name}: metric exergy.{uname}.{term} differs from the table")
        for key, metric in (("destroyed", "exergy.destroyed"), ("market", "exergy.products"),
                            ("valorisation", "exergy.valorised"),
                            ("landfill", "exergy.landfilled"), ("export", "exergy.exported")):
            c.check(close(m[metric], totals[key]), f"{name}: {metric} {m[metric]} != {totals[key]}")
        out = (m["exergy.products"] + m["exergy.valorised"] + m["exergy.landfilled"]
               + m["exergy.exported"] + m["exergy.destroyed"])
        c.check(close(m["exergy.input"], out),
                f"{name}: the system's exergy does not close: {m['exergy.input']} != {out}")
        c.check(m["exergy.destroyed"] > 0.0 and 0.0 < m["exergy.efficiency"] < 1.0,
                f"{name}: destroyed {m['exergy.destroyed']}, efficiency {m['exergy.efficiency']}")


for twin in ("socrates-eu-slag", "cu-zn-exchange", "bonnin-pwb-network"):
    path, stdout = simulate(os.path.join(source, "configs", twin + ".yaml"), twin)
    check_twin(twin, path)
    c.check("exergy balance" in stdout, f"{twin}: the summary has no exergy balance\n{stdout}")

# ---- exergy metrics and parameters in another analysis: a tornado of the
# copper-zinc exchange moving the fuel's exergy factor by +-10 % moves the
# destruction by 0.2 x the fuel's exergy (consumption x 0.0036 GJ/kWh x 1.06)
with open(os.path.join(source, "configs", "cu-zn-exchange.yaml")) as f:
    cuzn = f.read()
configs = os.path.abspath(os.path.join(source, "configs"))
cuzn = (cuzn.replace("analysis: simulate", "analysis: sensitivity")
        .replace("!include networks/", f"!include {configs}/networks/")
        .replace("!include exergy/", f"!include {configs}/exergy/"))
cuzn += """
sensitivity:
  metrics: [exergy.destroyed, exergy.efficiency]
  factors:
    - {name: fuel, path: exergy.carriers.fuel, change: [-0.1, 0.1]}
    - {name: Cu, path: exergy.table.species.Cu.exergy, change: [-0.1, 0.1]}
  oat: {spider: [-0.1, 0.1]}
"""
tornado = os.path.join(work, "tornado.yaml")
with open(tornado, "w") as f:
    f.write(cuzn)
path, _ = simulate(tornado, "tornado")
with h5py.File(os.path.join(work, "cu-zn-exchange.h5"), "r") as f:
    fuel = metrics_of(f["simulate"])["consumption.fuel"]
with h5py.File(path, "r") as f:
    swing = f["sensitivity/oat/tornado/swing"][...]
c.check(close(swing[0, 0], 0.2 * fuel * 3.6e-3 * 1.06, 1e-12),
        f"tornado: swing of exergy.destroyed {swing[0, 0]}, by hand {0.2 * fuel * 3.6e-3 * 1.06}")
c.check(abs(swing[1, 0]) < 1e-9 * 0.2 * fuel and swing[1, 1] > 0.0,
        f"tornado: Cu's exergy moves the destruction ({swing[1, 0]}) or not the efficiency")

# ---- a twin without exergy: no exergy metrics, no /simulate/exergy ----
plain = os.path.join(work, "plain.yaml")
with open(hand) as f:
    text = f.read()
with open(plain, "w") as f:
    f.write(text[:text.index("exergy:")])
path, stdout = simulate(plain, "plain")
with h5py.File(path, "r") as f:
    names = list(f["simulate/metrics/name"].asstr()[...])
    c.check(not any(n.startswith("exergy.") for n in names) and "exergy" not in f["simulate"],
            "plain: exergy results without an exergy section")
c.check("Exergy" not in stdout, "plain: an exergy table without an exergy section")

# ---- bad exergy sections ----
HAND_EXERGY = text[text.index("exergy:"):]
BAD = {
    "no_species": (("  components: {SiO2: 0.5}", "  components: {}"),
                   [":24:3:", "exergy", "component 'SiO2' has no chemical exergy",
                    "species 'SiO2' is in neither"]),
    "unknown_species": (("{SiO2: 0.5}", "{SiO2: quartz}"),
                        [":26:22:", "exergy.components.SiO2", "species 'quartz'"]),
    "unknown_component": (("{SiO2: 0.5}", "{SiO2: 0.5, Au: 1}"),
                          ["exergy.components.Au", "unknown component 'Au'"]),
    "no_factor": (("  carriers: {electricity: 1.0}\n", ""),
                  ["exergy", "carrier 'electricity' (kWh/t) has no exergy factor"]),
    "negative_factor": (("{electricity: 1.0}", "{electricity: -1}"),
                        ["exergy.carriers.electricity", "expected a number >= 0"]),
    "no_molar_mass": (("{exergy: 134.2, molar_mass: 63.546}", "{exergy: 134.2}"),
                      ["exergy.species.Cu", "molar_mass"]),
    "zero_molar_mass": (("molar_mass: 63.546", "molar_mass: 0"),
                        ["exergy.species.Cu.molar_mass", "molar mass > 0"]),
    "unknown_key": (("  species:", "  specis: {}\n  species:"),
                    ["exergy.specis", "unknown key"]),
    "products_outlet": (("  carriers:", "  products: {smelter: [metal, matte]}\n  carriers:"),
                        ["exergy.products.smelter[1]", "no outlet 'matte'", "metal, slag"]),
    "products_unit": (("  carriers:", "  products: {market: [metal]}\n  carriers:"),
                      ["exergy.products.market", "'market' is not a process or flowsheet choice unit"]),
    "table_species": (("  species:", "  table: {source: x}\n  species:"),
                      ["exergy.table", "species"]),
}
for name, ((old, new), fragments) in sorted(BAD.items()):
    c.check(old in text, f"{name}: the hand case has no '{old}'")
    bad = os.path.join(work, f"bad_{name}.yaml")
    with open(bad, "w") as f:
        f.write(text.replace(old, new, 1))
    expect_input_error(c, cetwin, ["run", bad], fragments, os.path.join(work, f"bad_{name}.h5"),
                       what=name)

c.finish()
