"""The structural units of a network through the cetwin program: a selector
with one outlet fails with exit code 1 and a message naming FILE:LINE:COL
and the key (validate, run, run under mpirun -n 2); --set of a selector's
index out of range or not an integer, an exchange's net flow outside its
bounds and `integer: false` on a selector's design variable fail the same
way; simulate writes incineration sinks, selectors and exchanges in
/simulate with the twin's balance closed; and a small optimisation over a
selector (categorical) and an exchange picks the right outlet on every
point of its front, never exports more than is made (the implicit
exchange_shortfall constraint), and gives the same bits on 1 and 2 ranks.

usage: structural_cli.py CETWIN SOURCE_DIR"""
import os
import sys

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from cetwin_testlib import (check_same, expect_input_error, group_items,  # noqa: E402
                            run, setup)

cetwin, source, cases, work, c = setup()
opt_case = os.path.join(cases, "structural_optimize.yaml")

bad = os.path.join(cases, "structural_selector_outlets.yaml")
for ranks in (0, 2):
    expect_input_error(c, cetwin, ["run", bad], [":7:38:", "network.units.route.outlets",
                                                 "a selector chooses among at least two outlets"],
                       os.path.join(work, "bad.h5"), ranks=ranks)
code, stdout, stderr = run(cetwin, ["validate", bad])
c.check(code == 1 and ":7:38:" in stderr, f"validate of a one-outlet selector: exit {code}\n{stderr}")

SETS = {
    "network.units.route.choice=3": ["--set network.units.route.choice=3",
                                     "expected an integer in [0, 2]"],
    "network.units.route.choice=1.5": ["network.units.route.choice",
                                       "expected an integer in [0, 2]"],
    "network.units.trade.net=-90": ["network.units.trade.net", "expected a number in [-80, 0]"],
    "design=[{path: network.units.route.choice, integer: false}]": [
        "design[0].integer", "takes integer values only"],
    "design=[{path: network.units.trade.net, categorical: true, bounds: [-10.5, 0]}]": [
        "design[0].bounds", "an integer variable needs integral bounds"],
}
for setting, fragments in SETS.items():
    expect_input_error(c, cetwin, ["run", opt_case, "--set", setting], fragments,
                       os.path.join(work, "set.h5"))

# simulate: everything incinerated, an export asked from nothing
sim = os.path.join(work, "sim.h5")
code, stdout, stderr = run(cetwin, ["run", opt_case, "-o", sim, "--set", "analysis=simulate",
                                    "--set", "network.units.route.choice=2",
                                    "--set", "network.units.trade.net=-5"])
c.check(code == 0 and "structural units: 1 selector, 1 exchange" in stdout,
        f"simulate: exit {code}\n{stdout}{stderr}")
if code == 0:
    with h5py.File(sim, "r") as f:
        g = f["simulate"]
        kinds = dict(zip(g["units/name"].asstr(), g["units/sink_kind"].asstr()))
        types = dict(zip(g["units/name"].asstr(), g["units/type"].asstr()))
        c.check(kinds["burn"] == "incineration" and types["route"] == "selector"
                and types["trade"] == "exchange", f"units: {kinds} {types}")
        m = dict(zip(g["metrics/name"].asstr(), g["metrics/value"][...]))
        c.check(m["residue_incinerated"] == 100 and m["cost.incineration"] == 15000
                and m["energy.incineration"] == -50000 and m["energy"] == -50000,
                f"incineration metrics {m}")
        c.check(m["exchange_shortfall"] == 5 and m["export.trade"] == 0,
                f"exchange metrics {m}")
        c.check(float(g.attrs["closure"]) <= 1e-12, f"closure {g.attrs['closure']}")

# optimize on 1 and 2 ranks
outs = []
for ranks in (0, 2):
    out = os.path.join(work, f"opt{ranks}.h5")
    code, stdout, stderr = run(cetwin, ["run", opt_case, "-o", out, "-q"], ranks=ranks)
    c.check(code == 0, f"optimize on {ranks or 1} rank(s): exit {code}\n{stdout}{stderr}")
    outs.append(out)
if all(os.path.exists(o) for o in outs):
    check_same(c, group_items(outs[0], "optimize"), group_items(outs[1], "optimize"),
               "optimize with a selector on 1 and 2 ranks")
    with h5py.File(outs[0], "r") as f:
        g = f["optimize"]
        x = g["front/design"][...]
        c.check(list(g["design/categorical"][...]) == [1, 0]
                and list(g["design/integer"][...]) == [1, 0], "categorical and integer flags")
        c.check(list(g["constraints/metric"].asstr()[...]) == ["exchange_shortfall"]
                and g["constraints/max"][0] == 0, "the implicit exchange_shortfall constraint")
        c.check(len(x) >= 5 and np.all(x[:, 0] == 1), f"the front's outlets: {x[:, 0]}")
        c.check(np.all(g["front/violation"][...] == 0), "an infeasible point on the front")
        names = list(g["front/metric"].asstr()[...])
        metrics = g["front/metrics"][...]
        export = metrics[:, names.index("export.trade")]
        c.check(np.all(export <= 62 + 1e-9) and np.max(export) > 40,
                f"exports beyond the 62 t/a made: {export}")
        c.check(np.all(metrics[:, names.index("exchange_shortfall")] == 0),
                "a front point asks to export more than is made")

c.finish()
