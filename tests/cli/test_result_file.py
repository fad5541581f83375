"""The result file of the PWB enumeration is read with h5py and its numbers
match what the program printed; it carries the root attributes and units
of docs/hdf5-schema.md, and `cetwin info` summarises it. A run whose
OUT.h5.partial exists (another run writing the same output, or one that was
killed) leaves it as it is and stops with exit 1 and one message naming it,
on 1 and on 2 ranks; once it is removed, the run writes OUT.h5.

usage: test_result_file.py CETWIN SOURCE_DIR"""
import os
import sys

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from cetwin_testlib import printed_cells, printed_value, run, setup  # noqa: E402

cetwin, source, _, d, c = setup()
out = os.path.join(d, "pwb.h5")
code, stdout, stderr = run(cetwin, ["run", os.path.join(source, "configs", "bonnin-pwb.yaml"),
                                    "-o", out, "--set", "seed=7"], ranks=2)
c.check(code == 0, f"run failed: {code}\n{stderr}")
c.check(f"result: {out}" in stdout, "the result path is printed")
c.check(not os.path.exists(out + ".partial"), "no .partial file after success")


def table(lines, title):
    """Rows of the printed table that starts after the line beginning with title."""
    rows, inside = [], False
    for line in lines:
        if line.startswith(title):
            inside = True
            continue
        if inside:
            parts = line.split()
            if not parts:
                if rows:
                    break
                continue
            if parts[0].isdigit():
                rows.append(parts)
    return rows


lines = stdout.splitlines()
finals = table(lines, "Final flowsheets")
dead = table(lines, "Unprocessable products")
with h5py.File(out, "r") as f:
    root = f.attrs
    for key in ["format", "format_version", "cetwin_version", "git_commit", "created_utc",
                "command_line", "seed", "mpi_ranks", "omp_threads", "config", "case",
                "analysis"]:
        c.check(key in root, f"root attribute {key} missing")
    c.check(root["format"] == "cetwin-result", "format")
    c.check(int(root["seed"]) == 7, "seed from --set")
    c.check(int(root["mpi_ranks"]) == 2, "mpi_ranks")
    c.check("main_component: Cu" in root["config"], "config text stored")
    c.check(list(f["input/overrides"].asstr()[...]) == ["seed=7"], "overrides stored")
    files = list(f["input/files"].asstr()[...])
    c.check(len(files) == 2 and files[1].endswith("copper-bonnin2015.yaml"), "input files")
    g = f["enumerate"]
    fin = g["final"]
    chains = list(fin["chain"].asstr()[...])
    c.check(len(chains) == 7 == len(finals), f"7 final flowsheets, printed {len(finals)}")
    c.check(fin["product"].attrs["units"] == "t/day", "product units")
    c.check(list(fin["product"].attrs["columns"]) == ["Cu", "Fe", "Zn", "Pb", "Sn", "Balance"],
            "product columns")
    units = list(fin["consumption"].attrs["units"])  # one per carrier (column)
    c.check(len(units) == fin["consumption"].shape[1] and set(units) == {"kWh/day"},
            f"consumption units {units}")
    c.check(list(fin["consumption"].dims[1][0].asstr()[...]) ==
            list(fin["consumption"].attrs["columns"]), "carrier axis scale")
    c.check(int(fin.attrs["found"]) == 7, "found attribute")
    procs = list(g["processes"].asstr()[...])
    steps = fin["steps"][...]
    for i, row in enumerate(finals):
        c.check(row[1] == chains[i], f"chain {i}: printed {row[1]} file {chains[i]}")
        seq = [procs[s] for s in steps[i] if s >= 0]
        expanded = []
        for part in row[1].split("+"):
            name, _, times = part.partition("*")
            expanded += [name] * int(times or 1)
        c.check(seq == expanded, f"steps of {row[1]}: {seq}")
        # four significant digits (docs/user-guide.md, "How numbers are printed")
        cells = printed_cells(row[2:])
        printed = [printed_value(x, u) for x, u in zip(cells[:4], ["1", "1", "t/day", "t/day"])]
        stored = [fin["purity"][i], fin["recovery"][i], fin["flow"][i], fin["product"][i, 0]]
        c.check(np.allclose(printed, stored, rtol=5e-4, atol=0),
                f"{row[1]}: printed {printed}, stored {stored}")
        cons = [printed_value(x, u) for x, u in zip(cells[4:], units)]
        c.check(np.allclose(cons, fin["consumption"][i], rtol=5e-4, atol=0, equal_nan=True),
                f"{row[1]}: consumption printed {cons}, stored {fin['consumption'][i]}")
        balance = fin["product"][i] + fin["waste1"][i] + fin["waste2"][i]
        # the chain closes the balance up to the printed split sums (1.001 for TEN, ER Cu)
        c.check(np.all(balance <= g["feed/mass"][...] * 1.003 + 1e-12), f"{row[1]} balance")
    un = g["unprocessable"]
    c.check(len(dead) == 13 == un["chain"].shape[0], "13 unprocessable products")
    for i, row in enumerate(dead):
        c.check(row[1] == un["chain"].asstr()[i], f"unprocessable chain {i}")
        purity, flow = printed_cells(row[2:])
        c.check(np.isclose(printed_value(purity, "1"), un["purity"][i], rtol=5e-4, atol=0),
                f"unprocessable purity {i}")
        c.check(np.isclose(printed_value(flow, "t/day"), un["flow"][i], rtol=5e-4, atol=0),
                f"unprocessable flow {i}")
    c.check(g["truncated/chain"].shape == (0,), "no truncated chains")

code, info, _ = run(cetwin, ["info", out, "--tree"])
c.check(code == 0 and "/enumerate/final/product" in info and "mpi_ranks: 2" in info,
        f"cetwin info --tree: {code}\n{info}")
code, info, _ = run(cetwin, ["info", out])
c.check(code == 0 and "parallel configuration: 2 MPI ranks x" in info and
        "Final flowsheets (7)" in info, f"cetwin info: {code}\n{info}")

# --- an OUT.h5.partial that exists: another run's, or a killed run's --------------------------
case = os.path.join(source, "configs", "bonnin-pwb.yaml")
taken = os.path.join(d, "taken.h5")
other = b"the bytes another run is writing"
for ranks in (0, 2):
    with open(taken + ".partial", "wb") as f:
        f.write(other)
    code, stdout, stderr = run(cetwin, ["run", case, "-o", taken], ranks=ranks)
    text = stdout + stderr
    what = f"a run whose partial file exists, on {ranks or 1} rank(s)"
    c.check(code == 1, f"{what}: exit {code}, expected 1\n{text}")
    c.check(f"'{taken}.partial' exists: another run may be writing '{taken}'" in text
            and "remove it and run again" in text and text.count("error:") == 1,
            f"{what}: not one message naming the file and what to do\n{text}")
    with open(taken + ".partial", "rb") as f:
        c.check(f.read() == other, f"{what}: the partial file was changed")
    c.check(not os.path.exists(taken), f"{what}: {taken} was written")
os.remove(taken + ".partial")
code, _, stderr = run(cetwin, ["run", case, "-o", taken])
c.check(code == 0 and os.path.exists(taken) and not os.path.exists(taken + ".partial"),
        f"the run after the partial file was removed: exit {code}\n{stderr}")
c.finish()
