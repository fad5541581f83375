"""The cetwin program on network cases: every bad case of
tests/cli/cases/network_*.yaml fails with exit code 1 and a message naming
FILE:LINE:COL and the key (from validate, run, and run under mpirun -n 2,
printed once, no result file left behind); --set on an unknown path fails;
every shipped twin runs, exits 0 (also on 2 ranks) and writes a /simulate
group whose stream table, balances, metrics and Sankey list agree; a
library unit fed outside its acceptance window is warned about.

usage: network_cli.py CETWIN SOURCE_DIR"""
import os
import sys

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from cetwin_testlib import run, run_all, setup  # noqa: E402

cetwin, source, cases, work, c = setup()

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



def check_bad(name, fragments):
    path = os.path.join(cases, name)
    out = os.path.join(work, name + ".h5")
    for args, ranks in ((["validate", path], 0), (["run", path, "-o", out], 0),
                        (["run", path, "-o", out], 2)):
        code, stdout, stderr = run(cetwin, args, ranks=ranks, cwd=work)
        text = stdout + stderr
        missing = [f for f in fragments if f not in text]
        what = f"{' '.join(args)} on {ranks or 1} rank(s)"
        c.check(code == 1, f"{what}: exit code {code}, expected 1\n{text}")
        c.check(not missing, f"{what}: message lacks {missing}\n{text}")
        c.check(text.count("error:") == 1, f"{what}: the error is not printed once\n{text}")
        c.check(not os.path.exists(out) and not os.path.exists(out + ".partial"),
                f"{what}: a result file was left behind")


run_all([lambda item=item: check_bad(*item) for item in sorted(BAD.items())])  # four at a time

code, stdout, stderr = run(cetwin, ["run", os.path.join(source, "configs", "socrates-eu-slag.yaml"),
                                    "-o", os.path.join(work, "x.h5"),
                                    "--set", "network.units.copper_slag.flw=3"])
c.check(code == 1 and "--set network.units.copper_slag.flw=3" in stderr
        and "unknown key" in stderr, f"--set on an unknown path: exit {code}\n{stderr}")

for twin in ("socrates-eu-slag.yaml", "cu-zn-exchange.yaml", "bonnin-pwb-network.yaml"):
    for ranks in (0, 2):
        out_file = os.path.join(work, f"{ranks}-" + twin.replace(".yaml", ".h5"))
        code, stdout, stderr = run(cetwin, ["run", os.path.join(source, "configs", twin),
                                            "-o", out_file], ranks=ranks, cwd=work)
        c.check(code == 0 and stdout.count("Balance closure") == 1,
                f"{twin} on {ranks or 1} rank(s): exit {code}\n{stdout}{stderr}")
    # the header counts in words: "1 process", "1 recycle loop", not "1 processes"
    header = {"socrates-eu-slag.yaml": "network: 10 units (2 feeds, 1 process, 2 splitters, "
                                       "0 mixers, 5 sinks), 10 streams, 0 recycle loops\n",
              "cu-zn-exchange.yaml": "2 feeds, 9 processes, 1 splitter, 0 mixers, 10 sinks), "
                                     "29 streams, 1 recycle loop: [slag_fuming, "}.get(twin, "")
    c.check(header in stdout, f"{twin}: header {header!r} not in\n{stdout[:400]}")
    if code != 0:
        continue
    with h5py.File(out_file, "r") as f:
        g = f["simulate"]
        flow = g["streams/flow"][...]
        ne, nc = flow.shape
        c.check(ne == len(g["streams/name"]) and nc == len(g["components"]),
                f"{twin}: stream table shape {flow.shape}")
        c.check(g["streams/flow"].attrs["units"] == g.attrs["flow_units"],
                f"{twin}: stream table units")
        c.check(float(g.attrs["closure"]) <= 1e-9 and np.max(g["balance/closure"][...]) <= 1e-9,
                f"{twin}: closure {g.attrs['closure']}")
        total = g["sankey/flow"][...].sum()
        c.check(abs(total - flow[flow > 0].sum()) <= 1e-9 * total,
                f"{twin}: the Sankey flows do not add up to the stream table")
        names = list(g["metrics/name"].asstr()[...])
        c.check(len(names) == len(g["metrics/value"]) and "closure" in names,
                f"{twin}: metrics table")
        c.check(len(g["parameters/path"]) == len(g["parameters/value"]), f"{twin}: parameters")
        inflow = g["balance/inflow"][...]
        units = list(g["units/name"].asstr()[...])
        for e, (src, dst) in enumerate(zip(g["streams/from"].asstr(), g["streams/to"].asstr())):
            c.check(units.index(src) >= 0 and units.index(dst) >= 0, f"{twin}: stream {e} ends")
        sinks = [i for i, t in enumerate(g["units/type"].asstr()) if t == "sink"]
        feed = names.index("feed")
        c.check(abs(inflow[sinks].sum() - g["metrics/value"][feed]) <=
                1e-9 * g["metrics/value"][feed], f"{twin}: sinks do not receive the feeds")

# the tables widen their name columns to the longest name: a sink and a
# stream longer than the columns' usual widths stay aligned; the counts
# are in words ("1 stream", "1 component")
long_case = os.path.join(work, "long_names.yaml")
FEED, MARKET = "feed_of_a_rather_long_descriptive_name", "market_for_the_product_of_that_feed"
with open(long_case, "w") as f:
    f.write(f"analysis: simulate\ncomponents: [A]\nnetwork:\n  units:\n"
            f"    {FEED}: {{type: feed, flow: 1, composition: {{A: 1}}}}\n"
            f"    {MARKET}: {{type: sink, kind: market}}\n"
            f"  streams:\n    - {{from: {FEED}, to: {MARKET}}}\n")
code, stdout, stderr = run(cetwin, ["run", long_case, "-o", os.path.join(work, "long.h5")], cwd=work)
c.check(code == 0 and "1 sink), 1 stream, 0 recycle loops" in stdout,
        f"long names: exit {code}, header\n{stdout}{stderr}")


def aligned(title, column, name):
    """The header and first row of the table after title: the row starts
    with name and its value ends where the header's column does."""
    lines = stdout.split(title, 1)[-1].splitlines()[1:3]
    if len(lines) < 2 or column not in lines[0] or not lines[1].startswith(f"  {name} "):
        return False
    end = lines[0].index(column) + len(column)
    return lines[1][end - 1] != " " and lines[1][end:end + 1] in (" ", "")


c.check(aligned("Largest streams:", "total", f"{FEED}.out -> {MARKET}"),
        f"long names: 'Largest streams' not aligned\n{stdout}")
c.check(aligned("Sinks (", "mass", MARKET), f"long names: 'Sinks' not aligned\n{stdout}")
code, text, err = run(cetwin, ["validate", long_case], cwd=work)
c.check(code == 0 and "(1 component, 2 units, 1 stream, 0 recycle loops, 2 parameters)" in text,
        f"validate, long names: exit {code}\n{text}{err}")

# A library process unit fed outside its process's acceptance window (the
# twin's diagnostics) is warned about, by unit and process, and the run
# goes on; at the case's own feed none is.
pwb = os.path.join(source, "configs", "bonnin-pwb-network.yaml")
window = "receives a composition outside the acceptance window of process"
code, stdout, stderr = run(cetwin, ["run", pwb, "-o", os.path.join(work, "window.h5"),
                                    "--set", "network.units.PWB.composition.Cu=0.6",
                                    "--set", "network.units.PWB.composition.Balance=0.3225"],
                           cwd=work)
c.check(code == 0 and f"unit 'f1_LSXEW' {window} LSXEW" in stderr,
        f"a feed outside LSXEW's window: exit {code}, no warning\n{stderr}")
code, stdout, stderr = run(cetwin, ["run", pwb, "-o", os.path.join(work, "inside.h5")], cwd=work)
c.check(code == 0 and window not in stderr, f"the case's own feed: exit {code}\n{stderr}")

c.finish()
