#!/usr/bin/python3
"""network_cli.py — the cetwin program on network cases: every bad case of
tests/cli/cases/network_*.yaml fails with exit code 1 and a message naming
FILE:LINE:COL and the key; every shipped twin runs, exits 0 and writes a
/simulate group whose balances close; --set on an unknown path fails.

Usage: network_cli.py CETWIN SOURCE_DIR WORK_DIR
"""
import os
import subprocess
import sys

import h5py
import numpy as np

CETWIN, SOURCE, WORK = sys.argv[1:4]
CASES = os.path.join(SOURCE, "tests", "cli", "cases")

# case file -> fragments the error message must contain
BAD = {
    "network_unknown_unit.yaml": [":9:24:", "network.streams[0].to", "unknown unit 'markt'",
                                  "did you mean 'market'"],
    "network_dangling_outlet.yaml": [":8:7:", "network.units.furnace",
                                     "outlet 'residue' of unit 'furnace' is not connected"],
    "network_unknown_outlet.yaml": [":15:14:", "network.streams[2].from",
                                    "has no outlet 'slag'"],
    "network_closed_loop.yaml": [":9:7:", "network.units.", "closed loop without exit"],
    "network_singular_loop.yaml": [":10:7:", "network.units.", "no exit for component B"],
    "network_unknown_key.yaml": [":7:46:", "network.units.split.fractons", "unknown key",
                                 "did you mean 'fractions'"],
}

failures = []


def run(args):
    p = subprocess.run([CETWIN] + args, cwd=WORK, capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout + p.stderr


for name, fragments in sorted(BAD.items()):
    path = os.path.join(CASES, name)
    for command in (["validate", path], ["run", path, "-o", name + ".h5"]):
        code, out = run(command)
        missing = [f for f in fragments if f not in out]
        if code != 1 or missing:
            failures.append(f"{' '.join(command)}: exit {code}, missing {missing}:\n{out}")
        if os.path.exists(os.path.join(WORK, name + ".h5")):
            failures.append(f"{name}: a result file was left behind")

code, out = run(["run", os.path.join(SOURCE, "configs", "socrates-eu-slag.yaml"), "-o", "x.h5",
                 "--set", "network.units.copper_slag.flw=3"])
if code != 1 or "--set network.units.copper_slag.flw=3" not in out or "unknown key" not in out:
    failures.append(f"--set on an unknown path: exit {code}:\n{out}")

for twin in ("socrates-eu-slag.yaml", "cu-zn-exchange.yaml", "bonnin-pwb-network.yaml"):
    out_file = os.path.join(WORK, twin.replace(".yaml", ".h5"))
    code, out = run(["run", os.path.join(SOURCE, "configs", twin), "-o", out_file])
    if code != 0 or "Balance closure" not in out:
        failures.append(f"{twin}: exit {code}:\n{out}")
        continue
    with h5py.File(out_file, "r") as f:
        g = f["simulate"]
        flow = g["streams/flow"][...]
        ne, nc = flow.shape
        if ne != len(g["streams/name"]) or nc != len(g["components"]):
            failures.append(f"{twin}: stream table shape {flow.shape}")
        if g["streams/flow"].attrs["units"] != g.attrs["flow_units"]:
            failures.append(f"{twin}: stream units")
        if float(g.attrs["closure"]) > 1e-9 or np.max(g["balance/closure"][...]) > 1e-9:
            failures.append(f"{twin}: closure {g.attrs['closure']}")
        total = g["sankey/flow"][...].sum()
        if abs(total - flow[flow > 0].sum()) > 1e-9 * total:
            failures.append(f"{twin}: Sankey flows do not add up to the stream table")
        names = [n.decode() for n in g["metrics/name"][...]]
        if len(names) != len(g["metrics/value"]) or "closure" not in names:
            failures.append(f"{twin}: metrics table")
        if len(g["parameters/path"]) != len(g["parameters/value"]):
            failures.append(f"{twin}: parameter table")

for message in failures:
    print("FAIL:", message)
print(f"{len(BAD)} bad cases, 3 twins: {len(failures)} failure(s)")
sys.exit(1 if failures else 0)
