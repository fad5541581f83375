"""The copper scrap strategy case of Bonnin et al. (2015) §2.2
(configs/bonnin-strategy.yaml), checked five ways:

1. PWB restriction: with W of the PWB composition of Table 3, everything
   sorted into the low-grade category, every category processed (d1 =
   sort, d3-d7 = process) and no exchange (d11, d12, d15, d17 = 0), all by
   --set, the low-grade flowsheet choice offers exactly the seven chains of
   Table 4, and each chain gives the cathode copper, carrier consumptions
   and residues per t of feed of the same flowsheet in the PWB network
   twin (configs/bonnin-pwb-network.yaml, that flowsheet alone) within a
   relative 1e-9: the low-grade chain's own product, W1 and consumptions,
   as its W1 goes on to the remaining scrap's chain. Of the §3.3 front's utopia the twin computes the
   flowrate coordinate: the most copper comes from ELEC+PS+A (flowsheet 2,
   Table 6's 304.5 t/month); cost and GWP are tabulated in the PWB case
   and computed from illustrative prices here, so they are not compared.
2. Exactness (reduced case tests/known/bonnin-strategy-reduced.yaml, the
   exchanges fixed at 0): every one of the 168 integer combinations of d1,
   d2, d4, d5 and the low-grade chain is evaluated (a grid sweep,
   analysis: sensitivity); every non-dominated objective vector among the
   feasible ones (the low-grade chain accepts its inflow, the low-grade
   scrap mixed with No.2's W1 when No.2 is processed) is on the NSGA-III
   front (relative 1e-9), and no front point is infeasible or dominated by
   a feasible combination.
3. The full case on 2 ranks prints a four-criteria front and its TOPSIS
   choice with every design variable, the structural ones by what they
   choose (outlet or chain, as /optimize/design/choices maps the values of
   /optimize/front/design), in parentheses where /optimize/front/no_effect
   says the variable has no effect there, and `cetwin info` prints the
   same rows.
4. The first variant (configs/bonnin-strategy-chain.yaml, Table 2 as
   printed): its starting design is feasible and sends copper to cathode
   through its five steps, its design has d1-d17 (d9 twice), each step
   chooses among the paper's ten processes in its order (chain k is
   process k), SKS smelting (no consumptions in Appendix A) is infeasible
   with cost and energy unknown, and the intermediate exchanges d13, d14,
   d16 import, export and, exporting more matte than the smelter makes,
   report a shortfall, with balances closed.
5. The second variant's cascade of wastes (configs/bonnin-strategy.yaml at
   its own design): the low-grade chain refines the low-grade scrap mixed
   with the W1 of No.2's chain (over 10 kt/a of copper), the remaining
   scrap's chain the remaining scrap mixed with the low-grade W1, each
   inflow equal to the sum of the streams that join to 1e-12; the slag
   landfill receives only the W1 of the cascade's end and of W processed
   directly, the melting sink no W1. The mixture is what the chain's
   windows judge: LSXEW refuses it (0.36 Cu) and accepts the low-grade
   scrap alone (No.2 discarded). A discarded low-grade category takes
   No.2's W1 with it to the landfill.

usage: bonnin_strategy.py CETWIN SOURCE_DIR"""
import os
import sys

import h5py
import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "cli"))
from cetwin_testlib import Checker, run, tmpdir  # noqa: E402

REL = 1e-9
TABLE4 = ["LSXEW", "ELEC+PS+A", "TEN+PS+A+ER", "NOR+DTB+ELEC+A", "ELEC*5+A",
          "TEN+ELEC*4+A", "NOR+ELEC*3+A+ER"]  # flowsheets 1-7 of Table 4
COMPONENTS = ["Cu", "Fe", "Zn", "Pb", "Sn", "Balance"]
PWB = [0.22, 0.036, 0, 0.0155, 0.026, 0.7025]
CATEGORIES = ["No1", "No2", "LGS", "Alloy", "Remainder"]
CRITERIA = ["criteria.cost", "criteria.gwp", "criteria.energy", "criteria.losses"]
COMPARED = ["mass.cathode", "consumption.electricity", "consumption.fuel",
            "consumption.oxygen", "consumption.silica", "mass.slag"]

cetwin, source = sys.argv[1], sys.argv[2]
strategy = os.path.join(source, "configs", "bonnin-strategy.yaml")
network = os.path.join(source, "configs", "bonnin-pwb-network.yaml")
reduced = os.path.join(source, "tests", "known", "bonnin-strategy-reduced.yaml")
tmp = tmpdir()
c = Checker()


NET = {}  # per tag: streams {UNIT.OUTLET: flow per component}, inflow and consumption per unit


def simulate(case, sets, tag):
    """Runs the case as a simulation with the --set overrides; returns
    (stdout, {metric: value}) or (None, None) on failure, and keeps the
    stream flows, the units' inflows and their consumptions in NET[tag]."""
    out = os.path.join(tmp, tag + ".h5")
    args = ["run", case, "-o", out, "--set", "analysis=simulate"]
    for key, value in sets.items():
        args += ["--set", f"{key}={value}"]
    code, stdout, stderr = run(cetwin, args)
    c.check(code == 0, f"{tag}: exit {code}\n{stderr}")
    if code != 0:
        return None, None
    with h5py.File(out, "r") as f:
        g = f["simulate"]
        units = list(g["units/name"].asstr()[...])
        carriers = list(g["carriers"].asstr()[...])
        NET[tag] = {
            "streams": dict(zip(g["streams/name"].asstr()[...], g["streams/flow"][...])),
            "inflow": dict(zip(units, g["balance/inflow"][...])),
            "consumption": {u: dict(zip(carriers, row))
                            for u, row in zip(units, g["consumption"][...])}}
        names = list(g["metrics/metric"].asstr()[...])
        return stdout, dict(zip(names, g["metrics/value"][...]))


def close(a, b):
    return abs(a - b) <= REL * max(abs(a), abs(b), 1e-300)


# 1. PWB restriction
restrict = {"network.units.d1.choice": 1}
for k in range(3, 8):
    restrict[f"network.units.d{k}.choice"] = 0
for k in (11, 12, 15, 17):
    restrict[f"network.units.d{k}.net"] = 0
for comp, x in zip(COMPONENTS, PWB):
    restrict[f"network.units.W.composition.{comp}"] = x
    for cat in CATEGORIES:
        restrict[f"network.units.sort.split.{comp}.{cat}"] = 1 if cat == "LGS" else 0
flow = 5 * 365  # the PWB feed, 5 t/day, per year
restrict["network.units.W.flow"] = flow
chains = {}
cathode = {}
for chain in range(1, 8):
    stdout, m = simulate(strategy, dict(restrict, **{"network.units.LGS_fs.chain": chain}),
                         f"pwb{chain}")
    if m is None:
        continue
    line = [s for s in stdout.splitlines() if "LGS_fs" in s and f"chain {chain} of" in s]
    c.check(len(line) == 1, f"chain {chain}: no 'LGS_fs ... chain {chain} of 7' line:\n{stdout}")
    if not line:
        continue
    c.check(f"chain {chain} of 7:" in line[0], f"not 7 chains: {line[0]}")
    name = line[0].split(f"chain {chain} of 7:")[1].split(";")[0].strip()
    c.check("accepted" in line[0], f"chain {chain} refused: {line[0]}")
    # The low-grade chain's own outlets and consumptions: its W1 goes on to
    # the remaining scrap's chain (the second variant), whose cathode and
    # consumptions the network's totals include.
    net = NET[f"pwb{chain}"]
    chains[name] = dict({"mass.cathode": sum(net["streams"]["LGS_fs.product"]),
                         "mass.slag": sum(net["streams"]["LGS_fs.waste1"])},
                        **{f"consumption.{k}": v for k, v in net["consumption"]["LGS_fs"].items()})
    cathode[name] = chains[name]["mass.cathode"]
c.check(sorted(chains) == sorted(TABLE4), f"chains {sorted(chains)} != Table 4 {sorted(TABLE4)}")
for i, name in enumerate(TABLE4):
    if name not in chains:
        continue
    fractions = "[" + ",".join("1" if j == i else "0" for j in range(7)) + "]"
    _, ref = simulate(network, {"network.units.share.fractions": fractions}, f"net{i + 1}")
    if ref is None:
        continue
    per_t = 1.0 / 5.0  # PWB network: 5 t/day
    for metric in COMPARED:
        mine = chains[name][metric] / flow
        theirs = ref[metric.replace("mass.slag", "mass.residue")] * per_t
        c.check(close(mine, theirs),
                f"flowsheet {i + 1} {name}: {metric} per t {mine:.12g} != PWB network {theirs:.12g}")
if cathode:
    best = max(cathode, key=cathode.get)
    c.check(best == "ELEC+PS+A", f"most copper from {best}, not ELEC+PS+A (flowsheet 2)")
    print("PWB restriction: cathode Cu per t of PWB by chain:",
          ", ".join(f"{n} {cathode[n] / flow:.6f}" for n in TABLE4 if n in cathode))

# 2. Exactness on the reduced case
out = os.path.join(tmp, "reduced.h5")
code, stdout, stderr = run(cetwin, ["run", reduced, "-o", out, "-q"], ranks=2)
c.check(code == 0, f"reduced optimize: exit {code}\n{stderr}")
if code == 0:
    with h5py.File(out, "r") as f:
        front = f["optimize/front/objectives"][...]
        c.check(not np.any(f["optimize/front/violation"][...]), "an infeasible front point")
    sweep = os.path.join(tmp, "sweep.h5")
    code, _, stderr = run(cetwin, ["run", reduced, "-o", sweep, "-q",
                                   "--set", "analysis=sensitivity"])
    c.check(code == 0, f"reduced sweep: exit {code}\n{stderr}")
    with h5py.File(sweep, "r") as f:
        g = f["sensitivity"]
        c.check(list(g["metrics"].asstr()[...]) == CRITERIA + ["infeasibility"],
                "sweep metrics")
        values = g["sweep/metrics"][...]
        c.check(values.shape[0] == 168, f"{values.shape[0]} combinations, not 168")
    # the chains that refuse their mixed inflow make infeasible designs,
    # which no front holds
    refused = values[:, 4] > 0
    c.check(0 < np.count_nonzero(refused) < len(values),
            f"{np.count_nonzero(refused)} of {len(values)} combinations infeasible")
    values = values[~refused, :4]
    dominated = [any(np.all(w <= v) and np.any(w < v) for w in values) for v in values]
    exact = {tuple(v) for v, d in zip(values, dominated) if not d}
    for v in exact:
        hit = any(all(close(a, b) for a, b in zip(v, p)) for p in front)
        c.check(hit, f"non-dominated combination {v} missing from the front")
    for p in front:
        c.check(not any(np.all(v <= p) and np.any(v < p) and
                        not all(close(a, b) for a, b in zip(v, p)) for v in values),
                f"front point {p} is dominated by a combination")
    print(f"reduced case: {len(values)} feasible combinations of 168, {len(exact)} "
          f"non-dominated objective vectors, front of {len(front)} points holds all of them")

# 3. The full case
code, stdout, stderr = run(cetwin, ["run", strategy, "-o", os.path.join(tmp, "full.h5")],
                           ranks=2)
c.check(code == 0, f"full case: exit {code}\n{stderr}")
for text in ["  NSGA-III: 4 islands", "Optimisation (NSGA-III)", "Global front", "TOPSIS", "criteria.losses", "d1_route",
             "d2_disposal", "d7_No1", "fs_W"]:
    c.check(text in stdout, f"full case summary lacks {text!r}:\n{stdout}")
if code == 0:
    with h5py.File(os.path.join(tmp, "full.h5"), "r") as f:
        names = list(f["optimize/design/name"].asstr()[...])
        choices = list(f["optimize/design/choices"].asstr()[...])
        best = f["optimize/front/design"][0]
        idle = f["optimize/front/no_effect"][0]  # in parentheses: no effect at the point
    c.check(choices[0] == "0 process; 1 sort; 2 discard", f"d1's choices: {choices[0]!r}")
    low = choices[names.index("fs_low_grade")].split("; ")
    c.check([x.split(" ", 1)[0] for x in low] == [str(i) for i in range(1, 8)] and
            sorted(x.split(" ", 1)[1] for x in low) == sorted(TABLE4),
            f"the low-grade chains: {low}")
    _, shown, _ = run(cetwin, ["info", os.path.join(tmp, "full.h5")])
    for printed, what in ((stdout, "run"), (shown, "info")):
        rows = {}  # the first block of rows: ranks 1-8
        for line in printed.splitlines():
            if line.startswith("  ") and line.split() and line.split()[0] in names:
                rows.setdefault(line.split()[0], line.split())
        for j, name in enumerate(names):
            row = rows.get(name)
            c.check(row is not None, f"{what}: no row of {name} in the TOPSIS choice:\n{printed}")
            if row is None:
                continue
            pairs = dict(item.split(" ", 1) for item in choices[j].split("; ")) if choices[j] else {}
            want = pairs.get(str(int(round(best[j]))), f"{best[j]:.6g}")
            want = f"({want})" if idle[j] else want
            c.check(row[1] == want, f"{what}: {name} at rank 1 printed {row[1]}, expected {want}")

# 4. The first variant: one chain in steps, the intermediates exchanged
chain_case = os.path.join(source, "configs", "bonnin-strategy-chain.yaml")
stdout, m = simulate(chain_case, {}, "variant1")
if m is not None:
    c.check(m["infeasibility"] == 0 and m["mass.cathode.Cu"] > 1e4 and m["closure"] <= 1e-12,
            f"first variant: infeasibility {m['infeasibility']}, cathode Cu "
            f"{m['mass.cathode.Cu']}, closure {m['closure']}")
    for step in ("s1", "s2", "s3", "s4", "s5"):
        c.check(f"\n  {step} " in stdout, f"first variant: no choice line of {step}")
    # d8-d10 range over the paper's ten processes in its order (Table 2's
    # bounds 1-10): the starting design is LSXEW (1), ELEC (4), PS (8), A (9)
    for step, line in (("s1", "chain 1 of 10: LSXEW"), ("s2", "chain 4 of 10: ELEC"),
                       ("s3", "chain 8 of 10: PS"), ("s4", "chain 9 of 10: A")):
        c.check(line in stdout, f"first variant: {step} is not {line}")
    c.check(m["unknown_consumption"] == 0, "first variant: the starting design is not priced")
    # SKS (7) smelting: Appendix A gives no consumptions, so the design
    # cannot be priced and is infeasible
    sks_out, sks = simulate(chain_case, {"network.units.s2.chain": 7}, "sks")
    if sks is not None:
        c.check("chain 7 of 10: SKS" in sks_out and sks["unknown_consumption"] == 1 and
                sks["infeasibility"] >= 1 and np.isnan(sks["criteria.cost"]) and
                np.isnan(sks["criteria.energy"]) and np.isfinite(sks["criteria.losses"]),
                f"SKS smelting: unknown_consumption {sks['unknown_consumption']}, infeasibility "
                f"{sks['infeasibility']}, cost {sks['criteria.cost']}")
    base = m["mass.cathode.Cu"]
    _, imp = simulate(chain_case, {"network.units.d16.net": 5000}, "blister")
    if imp is not None:
        # 5 kt of blister (98.5 % Cu) through A and ER (Cu product 0.99 and 0.863/1.001)
        c.check(close(imp["mass.cathode.Cu"] - base, 5000 * 0.985 * 0.99 * 0.863 / 1.001),
                f"blister import adds {imp['mass.cathode.Cu'] - base} t Cu")
        c.check(imp["import.d16"] == 5000 and imp["closure"] <= 1e-12, "blister import")
    _, out = simulate(chain_case, {"network.units.d14.net": -10000}, "matte")
    if out is not None:
        c.check(out["export.d14"] == 10000 and out["exchange_shortfall"] == 0 and
                out["mass.cathode.Cu"] < base and out["closure"] <= 1e-12,
                f"matte export: {out['export.d14']}, shortfall {out['exchange_shortfall']}")
    # the smelter's product is below 40 kt/a: exporting 40 kt of matte is short
    _, short = simulate(chain_case, {"network.units.d14.bounds": "[-50000, 10000]",
                                     "network.units.d14.net": -40000}, "short")
    if short is not None:
        c.check(short["exchange_shortfall"] > 0 and
                close(short["export.d14"] + short["exchange_shortfall"], 40000) and
                short["mass.cathode"] == 0 and short["closure"] <= 1e-12,
                f"matte beyond the flow: export {short['export.d14']}, shortfall "
                f"{short['exchange_shortfall']}")
with open(chain_case) as f:
    text = f.read()
for k in range(1, 18):
    c.check(f"name: d{k}_" in text, f"first variant: no design variable d{k}")

# 5. The second variant's cascade of W1 wastes, at the case's own design
# (sorted, every category processed, nothing exchanged, low-grade chain
# ELEC+PS+A)


def joined(tag, unit, streams):
    """Checks that what reaches `unit` is the sum of `streams`, per
    component, to 1e-12 of the largest component flow."""
    net = NET[tag]
    want = sum(np.asarray(net["streams"][name]) for name in streams)
    got = np.asarray(net["inflow"][unit])
    scale = max(np.max(np.abs(want)), np.max(np.abs(got)), 1e-300)
    c.check(np.max(np.abs(got - want)) <= 1e-12 * scale,
            f"{tag}: inflow of {unit} {list(got)} != {' + '.join(streams)} {list(want)}")


_, m = simulate(strategy, {}, "cascade")
if m is not None:
    cu = COMPONENTS.index("Cu")
    w1 = NET["cascade"]["streams"]["No2_fs.waste1"]
    c.check(w1[cu] > 1e4, f"No.2's W1 carries {w1[cu]} t/a of copper, expected > 10 kt/a")
    joined("cascade", "LGS_fs", ["d12.out", "No2_fs.waste1"])
    joined("cascade", "Rem_fs", ["d11.out", "LGS_fs.waste1"])
    joined("cascade", "slag", ["W_fs.waste1", "Rem_fs.waste1"])
    joined("cascade", "melt", ["d6.process", "d7.process"])
    c.check(m["acceptance.LGS_fs"] == 0 and m["infeasibility"] == 0 and m["closure"] <= 1e-12,
            f"cascade: acceptance.LGS_fs {m['acceptance.LGS_fs']}, infeasibility "
            f"{m['infeasibility']}, closure {m['closure']}")
# LSXEW takes at most 0.35 Cu: it refines the low-grade scrap alone, not
# the low-grade scrap mixed with No.2's W1 (0.36 Cu)
lsxew = {"network.units.LGS_fs.chain": 1}
_, mixed = simulate(strategy, lsxew, "lsxew")
_, alone = simulate(strategy, dict(lsxew, **{"network.units.d5.choice": 1}), "lsxew_alone")
if mixed is not None and alone is not None:
    c.check(mixed["acceptance.LGS_fs"] > 0 and mixed["infeasibility"] > 0,
            f"LSXEW on the mixture: acceptance.LGS_fs {mixed['acceptance.LGS_fs']}")
    c.check(alone["acceptance.LGS_fs"] == 0, f"LSXEW on the low-grade scrap alone: "
            f"acceptance.LGS_fs {alone['acceptance.LGS_fs']}")
# A discarded low-grade category takes No.2's W1 with it to the landfill
_, m = simulate(strategy, {"network.units.d4.choice": 1}, "lgs_discarded")
if m is not None:
    joined("lgs_discarded", "landfill", ["d12.out", "No2_fs.waste1"])
    joined("lgs_discarded", "Rem_fs", ["d11.out"])
    c.check(m["closure"] <= 1e-12, f"LGS discarded: closure {m['closure']}")
c.finish()
