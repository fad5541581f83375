"""analysis: sensitivity through the cetwin program:
  1. every bad sensitivity input exits 1 with one message naming the file,
     line and column, the key and what was expected, and leaves no result
     file, on one rank and under mpirun -n 2;
  2. a method set to false is left out (cetwin validate lists the rest);
     Morris runs without stored points too (on 1 and 2 ranks);
  3. the shards of a Sobol' run (with and without its stored points) and of
     a parameter study, run on 1 and 2 ranks, merge (in any order) into the
     bits of one run over all the points; a gap between shards, or points
     stored by some shards only, is merged with a warning;
  4. files that are not shards of one run are refused by cetwin merge with
     a message naming them, and no result file is left.

usage: sensitivity_cli.py CETWIN SOURCE_DIR"""
import os
import sys

import h5py

sys.path.insert(0, os.path.dirname(__file__))
from cetwin_testlib import (check_same, expect_input_error, group_items,  # noqa: E402
                            run, run_all, setup, strip_checksum_record)

cetwin, source, _, work, c = setup()
NETWORK = os.path.join(source, "configs", "networks", "cu-zn-exchange.yaml")
HEAD = f"""name: zinc
analysis: sensitivity
seed: 3
components: [Cu, Zn, Pb, Fe, Ag, In, Ge, Co, Ni, S, Gangue]
carriers: {{electricity: kWh/t, fuel: kWh/t}}
network: !include {NETWORK}
"""
FACTORS = """sensitivity:
  metrics: [recovery.Zn, production]
  factors:
    - {name: solution, path: network.units.leach.split.Zn.solution, low: 0.9, high: 0.99}
    - {name: jarosite, path: network.units.leach.split.Zn.jarosite, low: 0.01, high: 0.05}
    - {name: bleed, path: network.units.electrowinning.split.Zn.bleed, change: [-0.5, 1.0]}
"""


def out(name):
    return os.path.join(work, name)


def write_case(name, text):
    path = out(name)
    with open(path, "w") as f:
        f.write(text)
    return path


def line_of(text, marker):
    return next(i + 1 for i, s in enumerate(text.splitlines()) if marker in s)


# --- 1. bad input, located ----------------------------------------------------
# (methods and more, the marker of the line the message names, fragments)
NETWORK_ERRORS = [
    ("  oat: {}\n  sobl: {n: 64}\n", "sobl:",
     ["sensitivity.sobl", "unknown key", "did you mean 'sobol'"]),
    ("  groups: {zinc: [solution, nope]}\n  sobol: {n: 64}\n", "groups:",
     ["sensitivity.groups.zinc", "unknown factor 'nope' in group 'zinc'"]),
    ("    - {name: flat, path: network.units.leach.split.Zn.residue, low: 0.02, high: 0.02}\n"
     "  oat: {}\n", "name: flat", ["factor 'flat' needs a range of non-zero width"]),
    ("  sobol: {n: 0}\n", "sobol:", ["sensitivity.sobol.n", "found '0'"]),
    ("  oat: {}\n  sobol: {n: 64}\n  shard: {first: 0, count: 32}\n", "shard:",
     ["sensitivity.shard", "a shard splits the points of one sweep or one sobol run"]),
    ("  sobol: {n: 64, block: 16}\n  shard: {first: 8, count: 8}\n", "shard:",
     ["multiple of sobol.block (16), found 8"]),
    ("  oat: {break_even: {metric: production, threshold: 8.0e5, reference: {zz: 0.5}}}\n",
     "reference:", ["reference.zz", "expected a factor of the one-at-a-time analysis"]),
    ("  groups: {leach: [solution, jarosite]}\n  morris: {radial: true, trajectories: 4}\n",
     "radial:", ["sensitivity.morris.radial", "the radial design moves one factor at a time"]),
    # a mapping's place is that of its first key
    ("  oat: false\n", "metrics:", ["expected at least one method"]),
    ("  sweep: {values: {network.units.leach.split.Zn.solutio: [0.9, 0.95]}}\n", "solutio:",
     ["no parameter 'network.units.leach.split.Zn.solutio'",
      "closest: 'network.units.leach.split.Zn.solution'"]),
    ("  sweep: {grid: false, values: {network.units.leach.split.Zn.solution: [0.9, 0.95], "
     "network.units.leach.split.Zn.jarosite: [0.02]}}\n", "grid: false",
     ["one length, found 2 for", "and 1 for"]),
]


def expect_error(name, case, fragments, what):
    """A call for run_all: the input error of case on one and on two ranks."""
    return lambda: [expect_input_error(c, cetwin, ["run", case], fragments, out(name), ranks,
                                       work, what) for ranks in (0, 2)]


errors = []  # run four at a time
for i, (methods, marker, fragments) in enumerate(NETWORK_ERRORS):
    text = HEAD + FACTORS + methods
    case = write_case(f"bad{i}.yaml", text)
    where = f"bad{i}.yaml:{line_of(text, marker)}:"
    errors.append(expect_error(f"bad{i}.h5", case, [where] + fragments, f"bad{i} ({marker})"))

# a price series both drawn with the correlated prices and moved freely
with open(os.path.join(source, "configs", "bollrich-sensitivity.yaml")) as f:
    bollrich = f.read().replace("!include [bollrich/", "!include [" +
                                os.path.join(source, "configs", "bollrich") + "/")
bollrich = bollrich.replace("bollrich/crr1.yaml", os.path.join(source, "configs", "bollrich",
                                                               "crr1.yaml"))
bollrich = bollrich.replace("!include bollrich/", "!include " +
                            os.path.join(source, "configs", "bollrich") + "/")
marker = "factors: [residue disposal, CAPEX, OPEX, discount rate, prices]"
c.check(marker in bollrich, "configs/bollrich-sensitivity.yaml: the Sobol' factors moved")
text = bollrich.replace(marker, "factors: [Cu price, prices]")
case = write_case("prices.yaml", text)
errors.append(expect_error("prices.h5", case,
                           [f"prices.yaml:{line_of(text, 'factors: [Cu price, prices]')}:",
                            "sensitivity.sobol.factors", "price series Cu is drawn with the "
                            "correlated prices (factor 'prices') and also moved freely by factor "
                            "'Cu price'"], "price series grouped and free"))
run_all(errors)

# --- 2. methods left out ---------------------------------------------------------
case = write_case("all.yaml", HEAD + FACTORS + "  oat: {}\n  morris: {trajectories: 4}\n"
                  "  sobol: {n: 256, block: 32}\n")
code, stdout, err = run(cetwin, ["validate", case, "--set", "sensitivity.oat=false", "--set",
                                 "sensitivity.morris=false"])
c.check(code == 0 and "methods: sobol (N = 256)" in stdout and "oat" not in stdout.split(
    "methods:")[1], f"validate with oat, morris false: exit {code}\n{stdout}{err}")

# Morris alone, without stored points: its rows are kept, with no extras
for ranks in (0, 2):
    code, _, err = run(cetwin, ["run", case, "-o", out("morris.h5"), "-q", "--set",
                                "sensitivity.oat=false", "--set", "sensitivity.sobol=false"],
                       ranks=ranks)
    c.check(code == 0, f"Morris without stored points on {ranks or 1} rank(s): exit {code}\n{err}")
    if code == 0:
        with h5py.File(out("morris.h5"), "r") as f:
            c.check("morris" in f["sensitivity"] and "points" not in f["sensitivity/morris"],
                    "Morris without stored points: /sensitivity/morris without points")

# N not a power of two: a warning naming where it is set
code, _, err = run(cetwin, ["validate", case, "--set", "sensitivity.sobol.n=1000"])
c.check(code == 0 and "--set sensitivity.sobol.n=1000: sensitivity.sobol.n: 1000 is not a power "
        "of two" in err and "(512 or 1024)" in err, f"N = 1000: exit {code}\n{err}")

# --- 3. shards merge into one run ------------------------------------------------
SOBOL_ONLY = ["--set", "sensitivity.oat=false", "--set", "sensitivity.morris=false"]


def shard(name, first, count, ranks, extra=()):
    path = out(name)
    args = ["run", case, "-o", path, "-q"] + SOBOL_ONLY + list(extra)
    if count:
        args += ["--set", f"sensitivity.shard={{first: {first}, count: {count}}}"]
    code, _, err = run(cetwin, args, ranks=ranks)
    c.check(code == 0, f"{name}: exit {code}\n{err}")
    return path


def merge(files, name, fragment=None):
    path = out(name)
    code, stdout, err = run(cetwin, ["merge"] + files + ["-o", path])
    if fragment is None:
        c.check(code == 0, f"merge {name}: exit {code}\n{stdout}{err}")
    else:
        c.check(code == 1 and fragment in err, f"merge {name}: exit {code}, expected 1 with "
                f"'{fragment}'\n{err}")
        c.check(not os.path.exists(path) and not os.path.exists(path + ".partial"),
                f"merge {name}: a result file was left behind")
    return path, stdout + err


def one_run(name, args):
    code, _, err = run(cetwin, ["run", args[0], "-o", out(name), "-q"] + args[1:])
    c.check(code == 0, f"{name}: exit {code}\n{err}")


# the runs of sections 3 and 4, four at a time
POINTS = ["--set", "sensitivity.store_points=true"]
SWEEP = ["--set", "sensitivity.sobol=false", "--set",
         "sensitivity.sweep={values: {network.units.leach.split.Zn.solution: [0.9, 0.93, 0.96]},"
         " ranges: {network.units.electrowinning.split.Zn.bleed: {from: 0.005, to: 0.03, "
         "steps: 4}}}"]
simulate = write_case("sim.yaml", HEAD.replace("analysis: sensitivity", "analysis: simulate"))
(full, s0, s1, pfull, p0, p1, s2, sweep_full, w0, w1, seed9, fewer, _, _) = run_all([
    lambda: shard("sobol-full.h5", 0, 0, 2),
    lambda: shard("sobol-s0.h5", 0, 96, 1),
    lambda: shard("sobol-s1.h5", 96, 160, 2),
    lambda: shard("points-full.h5", 0, 0, 2, POINTS),
    lambda: shard("points-s0.h5", 0, 96, 2, POINTS),
    lambda: shard("points-s1.h5", 96, 160, 1, POINTS),
    lambda: shard("sobol-s2.h5", 192, 64, 1),
    lambda: shard("sweep-full.h5", 0, 0, 1, SWEEP),
    lambda: shard("sweep-s0.h5", 0, 5, 2, SWEEP),
    lambda: shard("sweep-s1.h5", 5, 7, 1, SWEEP),
    lambda: shard("sobol-seed9.h5", 96, 160, 1, ["--set", "seed=9"]),
    lambda: shard("sobol-r50.h5", 96, 160, 1, ["--set", "sensitivity.sobol.replicates=50"]),
    lambda: one_run("oat.h5", [case, "--set", "sensitivity.sobol=false", "--set",
                               "sensitivity.morris=false"]),
    lambda: one_run("sim.h5", [simulate])])

merged, text = merge([s1, s0], "sobol-merged.h5")
c.check("2 shards, 256 of 256 Sobol' base rows" in text, f"merge summary\n{text}")
check_same(c, group_items(full, "sensitivity"), group_items(merged, "sensitivity"),
           "Sobol' shards merged vs one run")
with h5py.File(merged, "r") as f:
    c.check(f.attrs["shards"] == 2 and list(f["merge/ranges"][1]) == [96, 160],
            "merged file: root attribute shards, /merge/ranges")

# with every point stored: the points concatenated; shards with and without
# their points merge into a file without any, with a warning
pmerged, text = merge([p1, p0], "points-merged.h5")
check_same(c, group_items(pfull, "sensitivity"), group_items(pmerged, "sensitivity"),
           "Sobol' shards with their points merged vs one run")
mixed, text = merge([p0, s1], "points-mixed.h5")
c.check("1 of the 2 shards hold their points" in text, f"mixed points warning\n{text}")
with h5py.File(mixed, "r") as f:
    c.check("points" not in f["sensitivity/sobol"] and f["sensitivity"].attrs["store_points"] == 0,
            "mixed points: the merged file has none")

# a gap: the indices of the base rows there are
gap, text = merge([s0, s2], "sobol-gap.h5")
c.check("points 96..191 are in no shard" in text, f"gap warning\n{text}")
with h5py.File(gap, "r") as f:
    c.check(f["sensitivity"].attrs["shard_count"] == 160
            and f["sensitivity/sobol"].attrs["base_rows"] == 160,
            "gap: 160 base rows merged")

# a parameter study in shards
sweep_merged, text = merge([w0, w1], "sweep-merged.h5")
c.check("2 shards, 12 of 12 points of a parameter study" in text, f"sweep merge\n{text}")
# the study's tables carry their units: the metrics' and the swept parameters'
for name in (sweep_full, sweep_merged):
    with h5py.File(name, "r") as f:
        g = f["sensitivity/sweep"]
        c.check([str(u) for u in g["metrics"].attrs.get("units", [])]
                == list(f["sensitivity/metric_units"].asstr()[...])
                and [str(u) for u in g["values"].attrs.get("units", [])] == ["1", "1"],
                f"{os.path.basename(name)}: units of /sensitivity/sweep/metrics and values")
# the table's header names each swept parameter whole (it cut them to 14 characters)
c.check("Parameter study: 12 points (every combination of 2 parameters)\n       point "
        "network.units.leach.split.Zn.solution network.units.electrowinning.split.Zn.bleed "
        in text, f"sweep table header\n{text}")
check_same(c, group_items(sweep_full, "sensitivity"), group_items(sweep_merged, "sensitivity"),
           "sweep shards merged vs one run")

# --- 4. not shards of one run ----------------------------------------------------
oat = out("oat.h5")
# a shard whose sums are not those of its range (edited, its checksum record
# taken out so that cetwin's own checks are what it meets)
moved = out("sobol-moved.h5")
with open(s0, "rb") as f, open(moved, "wb") as g:
    g.write(f.read())
with h5py.File(moved, "r+") as f:
    f["sensitivity"].attrs["shard_first"] = 160
strip_checksum_record(moved)
# a shard without its range, and one that starts inside a block (edited likewise)
incomplete, unaligned = out("sobol-incomplete.h5"), out("sobol-unaligned.h5")
for path in (incomplete, unaligned):
    with open(s0, "rb") as f, open(path, "wb") as g:
        g.write(f.read())
with h5py.File(incomplete, "r+") as f:
    del f["sensitivity"].attrs["shard_count"]
with h5py.File(unaligned, "r+") as f:
    f["sensitivity"].attrs["shard_first"] = 1
for path in (incomplete, unaligned):
    strip_checksum_record(path)
BAD_MERGES = (
        ([moved], "expected the sums of blocks 5..7 (base rows 160..255), found others"),
        ([incomplete], "is not a complete sensitivity result"),
        ([unaligned], "shard_first: expected a multiple of the block (32), found 1"),
        ([s0, full], "overlap"),
        ([s0, seed9], "shards of one run share the seed"),
        ([s0, fewer], "/input/overrides differs"),
        ([s0, w1], "shards of one run hold one method"),
        ([oat], "only a parameter study (sweep) or a Sobol' run alone splits into shards"),
        ([s0, out("sim.h5")], "holds a simulate analysis, the first shard a sensitivity"),
        ([out("sim.h5"), s0], "whose runs do not split into shards"),
        ([s0, s0], "given twice"),
)
run_all([lambda k=k, files=files, fragment=fragment: merge(files, f"bad-merge{k}.h5", fragment)
         for k, (files, fragment) in enumerate(BAD_MERGES)])
c.finish()
