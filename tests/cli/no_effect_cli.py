"""Which design variables had no effect at a front point, through the cetwin
program, on the copper scrap strategy case (configs/bonnin-strategy.yaml,
small sizes): /optimize/front/no_effect [point, variable] holds 1 exactly
where a variable sets the outlet of a selector or the chain of a flowsheet
choice unit that receives no flow at that point, as the design's own
routes imply (W is refined directly only when d1 processes it; a category
reaches its selector d3-d7 when d1 sorts, its exchange imports or the
chain of the category above it sends its W1 there; the low-grade
flowsheet works only when d4 processes what reaches it; d2 only when
something is discarded), and 0 for every exchange flow; the printed
design rows of the TOPSIS points show exactly those values in parentheses,
with the legend, and at least one is marked; `cetwin info` prints the same
rows.

usage: no_effect_cli.py CETWIN SOURCE_DIR"""
import os
import re
import sys

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from cetwin_testlib import run, setup  # noqa: E402

cetwin, source, cases, work, c = setup()
case = os.path.join(source, "configs", "bonnin-strategy.yaml")
out = os.path.join(work, "strategy.h5")
SETS = ["optimize.population=20", "optimize.generations=6", "optimize.islands=2",
        "optimize.topsis.top=1000"]
args = ["run", case, "-o", out, "-q"]
for s in SETS:
    args += ["--set", s]
code, stdout, stderr = run(cetwin, args)
c.check(code == 0, f"the strategy case: exit {code}\n{stdout}{stderr}")
if code != 0:
    c.finish()

LEGEND = "  (value): no effect at that point: the selector or flowsheet choice it sets"


def design_rows(text):
    """The printed design rows of the TOPSIS points: {(rank, variable):
    cell}, from every block of the table."""
    cells, ranks = {}, []
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if "design variables of these points" in line),
                 len(lines))
    for line in lines[start + 1:]:
        if line.startswith("  design variable"):
            ranks = [int(r) for r in re.findall(r"rank (\d+)", line)]
        elif line.startswith("  ") and not line.startswith("  (") and ranks:
            tokens = line.split()
            for rank, cell in zip(ranks, tokens[1:-1]):
                cells[(rank, tokens[0])] = cell
        elif line.strip() and not line.startswith("  "):
            break
    return cells


def section(text):
    """The printed summary from the TOPSIS table to the end of the legend."""
    at = text.find("TOPSIS (")
    end = text.find(LEGEND, at)
    return text[at:text.find("\n", end) if end >= 0 else len(text)]


with h5py.File(out, "r") as f:
    g = f["optimize"]
    names = list(g["design/name"].asstr()[...])
    x = g["front/design"][...]
    d = g["front/no_effect"]
    idle = d[...]
    violation = g["front/violation"][...]
    c.check(d.shape == x.shape and d.dtype.kind == "i" and d.attrs["units"] == "1"
            and d.attrs["dims"] == "point,variable" and "long_name" in d.attrs
            and list(d.attrs["columns"]) == names,
            f"front/no_effect: shape {d.shape}, dtype {d.dtype}, attributes {dict(d.attrs)}")

# what each point's own routes imply (d1: 0 process, 1 sort, 2 discard;
# d2-d7: 0 process, 1 discard; a category reaches its selector when W is
# sorted (each category holds some of W), when its exchange imports, or
# when the category above it (CATEGORIES' order) is processed: the W1 of
# the No.2 chain goes to the low-grade scrap, that of the low-grade chain
# to the remainder; configs/networks/bonnin-strategy.yaml)
col = {n: j for j, n in enumerate(names)}
CATEGORIES = {"d7_No1": ("d17_No1_IE", None), "d6_alloy": (None, None),
              "d5_No2": ("d15_No2_IE", None), "d4_low_grade": ("d12_low_grade_IE", "d5_No2"),
              "d3_remainder": ("d11_remainder_IE", "d4_low_grade")}
expected = np.zeros_like(idle)
checked = 0
for k in range(len(x)):
    if violation[k] != 0:  # an export beyond the inflow: the routes do not say it
        continue
    checked += 1
    p = {n: x[k, j] for n, j in col.items()}
    sort = p["d1_route"] == 1
    reach = {}
    for s, (e, above) in CATEGORIES.items():
        cascade = above is not None and reach[above] and p[above] == 0
        reach[s] = sort or (e is not None and p[e] > 0) or cascade
    discarded = p["d1_route"] == 2 or any(reach[s] and p[s] == 1 for s in CATEGORIES)
    want = {"fs_W": p["d1_route"] != 0,
            "fs_low_grade": not (reach["d4_low_grade"] and p["d4_low_grade"] == 0),
            "d2_disposal": not discarded}
    want.update({s: not reach[s] for s in CATEGORIES})
    for n, j in col.items():
        expected[k, j] = int(want.get(n, False))
    c.check(np.array_equal(idle[k], expected[k]),
            f"point {k}: design {dict(zip(names, x[k]))}\n no_effect {dict(zip(names, idle[k]))}"
            f"\n expected  {dict(zip(names, expected[k]))}")
c.check(checked >= 5 and idle.sum() > 0, f"{checked} feasible points, {idle.sum()} marks")

# the printed rows: in parentheses exactly where the file says no effect
cells = design_rows(stdout)
with h5py.File(out, "r") as f:
    g_rank = f["optimize/front/topsis_rank"][...]
c.check(len(cells) == idle.size, f"{len(cells)} printed cells for {idle.size} values")
marked = 0
for (rank, name), cell in cells.items():
    k = int(np.nonzero(g_rank == rank)[0][0])
    shown = cell.startswith("(") and cell.endswith(")")
    marked += shown
    c.check(shown == bool(idle[k, col[name]]),
            f"rank {rank}, {name}: printed {cell}, no_effect {idle[k, col[name]]}")
c.check(marked > 0 and LEGEND in stdout, f"{marked} marked cells; legend printed: "
        f"{LEGEND in stdout}\n{stdout}")

# cetwin info prints what the run printed
code, info, err = run(cetwin, ["info", out, "--verbose"])
c.check(code == 0 and section(info) == section(stdout),
        f"cetwin info: exit {code}\n{section(info)}\n--- the run printed\n{section(stdout)}\n{err}")
c.finish()
