"""Designs that cannot be priced, through the cetwin program: in
tests/cli/cases/unknown_optimize.yaml the smelting step chooses TEN or SKS,
whose consumptions Bonnin et al. (2015) Appendix A does not give (`~`).
An optimisation exits 0 (it used to stop with exit 2 on the NaN energy),
says in its summary how many evaluated designs reached the unknown
consumptions and writes the count (/optimize@evaluations_unknown_consumption),
with the same bits on 1 and 2 ranks and after a restart from a checkpoint;
every point of its front is feasible and smelts in TEN. A robust
optimisation of the case runs too. simulate of the SKS design warns and
reports unknown_consumption = infeasibility = 1 and energy NaN. When no
design can be priced, the hypervolume reference needs
optimize.reference_point (exit 1, said so), and with one the run ends with
an infeasible front whose energy is undefined.

usage: unknown_cli.py CETWIN SOURCE_DIR"""
import os
import re
import sys

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from cetwin_testlib import check_same, expect_input_error, group_items, run, setup  # noqa: E402

cetwin, source, cases, work, c = setup()
case = os.path.join(cases, "unknown_optimize.yaml")
COUNT = re.compile(r"infeasible: (\d+) of the run's (\d+) evaluated designs reach a unit whose "
                   r"consumptions are unknown \(unknown_consumption > 0\)")


def optimize(out, ranks=0, extra=()):
    """Runs the case; (exit code, stdout, stderr, the printed count)."""
    code, stdout, stderr = run(cetwin, ["run", case, "-o", out, "-q"] + list(extra), ranks=ranks,
                               cwd=work)
    m = COUNT.search(stdout)
    return code, stdout, stderr, (int(m.group(1)), int(m.group(2))) if m else None


outs = []
for ranks in (0, 2):
    out = os.path.join(work, f"opt{ranks}.h5")
    code, stdout, stderr, count = optimize(out, ranks)
    c.check(code == 0 and count is not None and 0 < count[0] < count[1] and count[1] == 2 * 12 * 7,
            f"optimize on {ranks or 1} rank(s): exit {code}, count {count}\n{stdout}{stderr}")
    if code != 0:
        continue
    outs.append(out)
    with h5py.File(out, "r") as f:
        g = f["optimize"]
        c.check(int(g.attrs["evaluations_unknown_consumption"]) == count[0],
                f"evaluations_unknown_consumption {g.attrs['evaluations_unknown_consumption']} "
                f"!= {count[0]}")
        x, fv, v = g["front/design"][...], g["front/objectives"][...], g["front/violation"][...]
        c.check(np.all(v == 0) and np.all(x[:, 0] == 1) and np.all(np.isfinite(fv)),
                f"front: violation {v}, chains {x[:, 0]}, objectives finite {np.isfinite(fv).all()}")
if len(outs) == 2:
    check_same(c, group_items(outs[0], "optimize"), group_items(outs[1], "optimize"),
               "designs with unknown consumptions on 1 and 2 ranks")

# interrupted after generation 3 (its periodic checkpoint), then continued:
# the count goes on from the checkpoint's
checkpoint = os.path.join(work, "ck.h5")
code, _, stderr, _ = optimize(os.path.join(work, "first.h5"), 0,
                              ["--set", f"optimize.checkpoint={{interval: 3, file: {checkpoint}}}"])
c.check(code == 0 and os.path.exists(checkpoint), f"checkpointed run: exit {code}\n{stderr}")
if os.path.exists(checkpoint) and outs:
    out = os.path.join(work, "restart.h5")
    code, stdout, stderr = run(cetwin, ["run", case, "-o", out, "-q", "--restart", checkpoint],
                               ranks=2, cwd=work)
    c.check(code == 0 and "continued from generation 3" in stdout,
            f"restart: exit {code}\n{stdout}{stderr}")
    if code == 0:
        check_same(c, group_items(outs[0], "optimize"), group_items(out, "optimize"),
                   "a restart from generation 3", skip=("@command_line",))

# robust: the draws of a design that cannot be priced are not evaluated
code, stdout, stderr, count = optimize(os.path.join(work, "robust.h5"), 0, [
    "--set", "uncertain=[{path: network.units.scrap.flow, distribution: uniform, min: 90, max: 110}]",
    "--set", "robust={draws: 8}"])
c.check(code == 0 and count is not None and count[0] > 0,
        f"robust optimisation: exit {code}, count {count}\n{stdout}{stderr}")

# simulate of the SKS design
sim = os.path.join(work, "sim.h5")
code, stdout, stderr = run(cetwin, ["run", case, "-o", sim, "--set", "analysis=simulate", "--set",
                                    "network.units.smelt.chain=2"], cwd=work)
c.check(code == 0 and "unit 'smelt' carries flow but its consumption of electricity is unknown"
        in stderr and "the design is infeasible (metric unknown_consumption = 1)" in stderr,
        f"simulate of SKS: exit {code}\n{stdout}{stderr}")
if code == 0:
    with h5py.File(sim, "r") as f:
        m = dict(zip(f["simulate/metrics/name"].asstr(), f["simulate/metrics/value"][...]))
    c.check(m["unknown_consumption"] == 1 and m["infeasibility"] == 1 and np.isnan(m["energy"]),
            f"simulate of SKS: unknown_consumption {m['unknown_consumption']}, infeasibility "
            f"{m['infeasibility']}, energy {m['energy']}")

# nothing can be priced: SKS alone
only = ["--set", "network.units.smelt.chains=[SKS]", "--set",
        "design=[{path: network.units.route.fractions, sum_to_one: true}]"]
expect_input_error(c, cetwin, ["run", case] + only,
                   ["no design of the initial population has a value of objective 'energy'",
                    "give optimize.reference_point"], os.path.join(work, "none.h5"), cwd=work)
out = os.path.join(work, "none.h5")
code, stdout, stderr, count = optimize(out, 0, only + ["--set",
                                                       "optimize.reference_point=[100000, 0]"])
c.check(code == 0 and count == (168, 168) and "none feasible" in stdout,
        f"nothing priced: exit {code}, count {count}\n{stdout}{stderr}")
if code == 0:
    with h5py.File(out, "r") as f:
        fv, v = f["optimize/front/objectives"][...], f["optimize/front/violation"][...]
        c.check(np.all(np.isnan(fv[:, 0])) and np.all(v > 0),
                f"nothing priced: energy {fv[:, 0]}, violation {v}")
c.finish()
