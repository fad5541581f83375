"""The cetwin program on flowsheet choice units: each bad case of
tests/cli/cases/choice_*_*.yaml (an unknown feed, a chain number out of
range, a feed no chain refines) fails with exit code 1 and one message
naming FILE:LINE:COL and the key (validate, run, run on 2 ranks), leaving
no result file; on the PWB feed every chain the unit can use gives the
numbers analysis: enumerate prints for that chain of the same feed
(product, wastes and consumptions, within 1e-12), and /simulate/choices
names the chain (units, long names and dimension scales as
result_schema.py checks them); a mixture outside the chain's windows runs, warns and
reports the design infeasible.

usage: choice_cli.py CETWIN SOURCE_DIR"""
import os
import sys

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from cetwin_testlib import expect_input_error, run, setup  # noqa: E402
from result_schema import check_file, check_xarray  # noqa: E402

cetwin, source, cases, work, c = setup()

BAD = {
    "choice_unknown_feed.yaml": [":14:44:", "network.units.refine.feed", "unknown feed 'scrap_a'",
                                 "a unit of type feed (scrap)"],
    "choice_chain_range.yaml": [":14:58:", "network.units.refine.chain",
                                "expected a chain number from 1 to 1", "1 REF", "found 2"],
    "choice_no_chain.yaml": [":14:44:", "network.units.refine.feed",
                             "no process chain of the library refines this feed to 0.999 Cu"],
}
for name, fragments in sorted(BAD.items()):
    path = os.path.join(cases, name)
    out = os.path.join(work, name + ".h5")
    code, stdout, stderr = run(cetwin, ["validate", path], cwd=work)
    c.check(code == 1 and all(f in stdout + stderr for f in fragments),
            f"validate {name}: exit {code}\n{stdout}{stderr}")
    for ranks in (0, 2) if name == "choice_unknown_feed.yaml" else (0,):
        expect_input_error(c, cetwin, ["run", path], fragments, out, ranks=ranks, cwd=work)

# the chains of the PWB feed as enumeration lists them, with the library
# renormalised as the network case reads it
enum = os.path.join(work, "enum.h5")
code, _, stderr = run(cetwin, ["run", os.path.join(source, "configs", "bonnin-pwb.yaml"), "-o", enum,
                               "-q", "--set", "renormalise_splits=true"], cwd=work)
c.check(code == 0, f"enumerate: exit {code}\n{stderr}")
with h5py.File(enum, "r") as f:
    final = f["enumerate/final"]
    chains = [s.decode() if isinstance(s, bytes) else s for s in final["chain"][()]]
    product, waste1, waste2 = final["product"][()], final["waste1"][()], final["waste2"][()]
    consumption = final["consumption"][()]
c.check(len(chains) == 7, f"enumeration found {len(chains)} chains, expected 7")


def close(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    scale = np.maximum(np.maximum(np.abs(a), np.abs(b)), 1e-300)
    return bool(np.all(np.abs(a - b) <= 1e-12 * np.maximum(scale, 1e-9)))


case = os.path.join(cases, "choice_pwb.yaml")
for k in range(1, len(chains) + 1):
    out = os.path.join(work, f"chain{k}.h5")
    code, stdout, stderr = run(cetwin, ["run", case, "-o", out, "--set",
                                        f"network.units.refine.chain={k}"], cwd=work)
    c.check(code == 0, f"chain {k}: exit {code}\n{stderr}")
    if code != 0:
        continue
    c.check(f"chain {k} of 7: {chains[k - 1]}; accepted" in stdout,
            f"chain {k}: the summary does not name {chains[k - 1]}\n{stdout}")
    with h5py.File(out, "r") as f:
        g = f["simulate"]
        names = [s.decode() if isinstance(s, bytes) else s for s in g["metrics/name"][()]]
        value = dict(zip(names, g["metrics/value"][()]))
        comps = [s.decode() if isinstance(s, bytes) else s for s in g["components"][()]]
        carriers = [s.decode() if isinstance(s, bytes) else s for s in g["carriers"][()]]
        label = g["choices/processes"][0]
        label = label.decode() if isinstance(label, bytes) else label
        c.check(label == chains[k - 1] and int(g["choices/chain"][0]) == k
                and int(g["choices/chains"][0]) == 7 and g["choices/acceptance"][0] == 0.0,
                f"chain {k}: /simulate/choices holds {label}, {g['choices/chain'][0]}")
    for sink, table in (("cathode", product), ("residue", waste1), ("gas", waste2)):
        got = [value[f"mass.{sink}.{x}"] for x in comps]
        c.check(close(got, table[k - 1]),
                f"chain {k} ({chains[k - 1]}): {sink} {got} != enumerate {table[k - 1]}")
    got = [value[f"consumption.{x}"] for x in carriers]
    c.check(close(got, consumption[k - 1]),
            f"chain {k} ({chains[k - 1]}): consumption {got} != enumerate {consumption[k - 1]}")
    c.check(value["infeasibility"] == 0.0 and value["closure"] <= 1e-12,
            f"chain {k}: infeasibility {value['infeasibility']}, closure {value['closure']}")
    if k == 1:  # units, long names and dimension scales of /simulate/choices
        check_file(c, out, "choice_pwb")
        check_xarray(c, out, "choice_pwb")
    if k == 2:  # a share as its definer declares it, a chain number as a number
        line = {x.split()[0]: x.split()[1:] for x in stdout.splitlines() if x.startswith("  ")}
        c.check(line.get("chain.refine") == ["2"] and line.get("recovery.Cu", [""])[-1] == "%",
                f"key metrics: chain.refine {line.get('chain.refine')}, "
                f"recovery.Cu {line.get('recovery.Cu')}")

# a feed diluted below the windows of chain 2, whose chains are still those
# of the nominal PWB feed (given inline): the run succeeds, warns, and
# reports the design infeasible
out = os.path.join(work, "diluted.h5")
code, stdout, stderr = run(cetwin, ["run", case, "-o", out, "--set",
                                    "network.units.refine.feed={composition: {Cu: 0.22, Fe: 0.036, "
                                    "Zn: 0, Pb: 0.0155, Sn: 0.026, Balance: 0.7025}, "
                                    "properties: {size: 1.0e-4, moisture: 0}}", "--set",
                                    "network.units.PWB.composition={Cu: 0.05, Fe: 0.036, Zn: 0, "
                                    "Pb: 0.0155, Sn: 0.026, Balance: 0.8725}"], cwd=work)
c.check(code == 0 and "chain 2 (ELEC+PS+A) does not accept the unit's inflow" in stderr
        and "receives Cu at a mass fraction of" in stderr
        and "the design is infeasible" in stderr and "not accepted" in stdout,
        f"a diluted inflow: exit {code}\n{stdout}{stderr}")
if code == 0:
    with h5py.File(out, "r") as f:
        acc = f["simulate/choices/acceptance"][0]
        # at least ELEC's: 0.05 Cu below its window from 0.1
        c.check(acc >= 0.1 - 0.05 - 1e-12, f"a diluted inflow: acceptance {acc}")
c.finish()
