"""Reconciliation of a generated network of about 300 streams, 10
components, recycle loops and partial measurements (the totals of 85 % of
the streams, of most of them the fractions of 6 components, of some one
component's flow; scripts/bench/reconcile_case.py,
the benchmark's generator) with noise-free measurements: the global test's
chi-square vanishes, every flow the measurements determine is the true flow
(to 1e-9 of the largest), most flows are determined, and every unit balances every component whose
flows in and out are all determined to 1e-9 of the largest flow.

usage: reconcile_generated.py CETWIN SOURCE_DIR"""
import json
import os
import subprocess
import sys

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from cetwin_testlib import Checker, run, tmpdir  # noqa: E402

cetwin, source = sys.argv[1], sys.argv[2]
work = tmpdir()
c = Checker()
case, truth, out = (os.path.join(work, n) for n in ("case.yaml", "truth.json", "out.h5"))
subprocess.run([sys.executable, os.path.join(source, "scripts", "bench", "reconcile_case.py"),
                "300", case, "--measured", "0.85", "--assayed", "0.8", "--fractions", "6",
                "--noise", "0", "--truth", truth],
               check=True, stdout=subprocess.DEVNULL)
with open(truth) as f:
    true = json.load(f)
code, stdout, stderr = run(cetwin, ["run", case, "-o", out])
c.check(code == 0, f"exit {code}\n{stderr}")
if code == 0:
    with h5py.File(out) as f:
        g = f["reconcile"]
        names = list(g["streams/name"].asstr()[...])
        flow = g["streams/flow"][...]
        observable = g["streams/flow_observable"][...].astype(bool)
        chi_square = g.attrs["chi_square"]
    exact = np.array([true["streams"][n]["flow"] for n in names])
    top = np.abs(exact).max()
    c.check(len(names) == len(true["streams"]) > 250, f"{len(names)} streams")
    c.check(chi_square < 1e-12 * len(names), f"chi-square {chi_square}")
    c.check(np.array_equal(observable, ~np.isnan(flow)), "flow_observable and NaN flows disagree")
    c.check(observable.mean() > 0.5, f"only {observable.mean():.0%} of the flows determined")
    error = np.abs(flow[observable] - exact[observable]).max() / top
    c.check(error < 1e-9, f"reconciled flows differ from the true ones by {error:.3g} of the largest")
    # balances of the components whose flows into and out of a unit are all determined
    index = {n: i for i, n in enumerate(names)}
    net = {u: np.zeros(flow.shape[1]) for u in true["balanced"]}
    known = {u: np.ones(flow.shape[1], bool) for u in true["balanced"]}
    for n, s in true["streams"].items():
        x = flow[index[n]]
        for u, sign in ((s["to"], 1.0), (s["from"], -1.0)):
            if u in net:
                net[u] += np.where(observable[index[n]], sign * x, 0.0)
                known[u] &= observable[index[n]]
    closed = np.concatenate([np.abs(net[u][known[u]]) for u in net])
    c.check(closed.size > 500, f"only {closed.size} unit balances with every flow determined")
    worst = closed.max() / top if closed.size else np.inf
    c.check(worst < 1e-9, f"a unit's balance is off by {worst:.3g} of the largest flow")
c.finish()
