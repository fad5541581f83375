"""The cetwin program on optimisation cases: every bad input exits 1 with one
message that names where the problem is (the case file's line and column,
or the --set), leaving no result file, also under mpirun -n 2; an island
count the rank count does not divide; --restart with a missing file, a
file that is not a checkpoint, a checkpoint of another case, a checkpoint
beyond the case's generations, and on an analysis without checkpoints;
runtime failures (a design the twin cannot evaluate, a checkpoint that
cannot be written) exit 2 without a result file; validate, help, and the
same /optimize datasets on 1 and 2 OpenMP threads.

usage: optimize_cli.py CETWIN SOURCE_DIR"""
import os
import sys

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
import cetwin_testlib as testlib  # noqa: E402
from cetwin_testlib import run, setup  # noqa: E402

cetwin, source, _, work, c = setup()
small = os.path.join(source, "tests", "regression", "optimize_small.yaml")
pwb = os.path.join(source, "configs", "bonnin-pwb-optimize.yaml")


def expect_input_error(args, fragments, ranks=0, what=None):
    testlib.expect_input_error(c, cetwin, args, fragments, os.path.join(work, "bad.h5"), ranks,
                               work, what or " ".join(args[2:]) or args[1])


# errors located in the case file
with open(small) as f:
    text = f.read()
bad_metric = os.path.join(work, "bad_metric.yaml")
with open(bad_metric, "w") as f:
    f.write(text.replace("{metric: energy, sense: minimize}", "{metric: enrgy, sense: minimize}"))
line = next(i + 1 for i, s in enumerate(text.splitlines()) if "metric: energy" in s)
for ranks in (0, 2):
    expect_input_error(["run", bad_metric], [f"bad_metric.yaml:{line}:", "objectives[1].metric",
                                             "no metric 'enrgy'", "closest: 'energy'"], ranks)
code, stdout, stderr = run(cetwin, ["validate", bad_metric])
c.check(code == 1 and "no metric 'enrgy'" in stderr, f"validate: exit {code}\n{stderr}")
bad_path = os.path.join(work, "bad_path.yaml")
with open(bad_path, "w") as f:
    f.write(text.replace("network.units.p.split.A.product", "network.units.p.splt.A.product"))
expect_input_error(["run", bad_path], ["bad_path.yaml:", "design[1].path",
                                       "no parameter of the twin at 'network.units.p.splt.A"
                                       ".product'"])
expect_input_error(["run", small, "--set", "design[1].bounds=[0.5, 1.5]"],
                   ["--set design[1].bounds=[0.5, 1.5]", "leave the valid range [0, 1]"])

# design variable names: given, one per parameter of a list, unique
for sets, fragments in (
        (["design[0].name=[a]"], ["design[0].name", "one name per parameter of the path (2), "
                                  "found 1"]),
        (["design[0].name=[a, a]"], ["design[0]", "design variable name 'a' is used twice"]),
        (["design[1].name=split.p"], ["design[1]", "name 'split.p' is used twice"]),
        (["design[1].name={a: 1}"], ["design[1].name", "expected a name, or a list of one name"]),
        (["design[1].name=[a, b]"], ["design[1].name", "(1), found 2"])):
    expect_input_error(["run", small] + [x for v in sets for x in ("--set", v)], fragments)
named = os.path.join(work, "named.h5")
code, out, err = run(cetwin, ["run", small, "-o", named, "-q", "--set", "design[1].name=purity",
                              "--set", "design[0].name=[to_p, to_q]"])
c.check(code == 0, f"named design variables: exit {code}\n{err}")
if code == 0:
    # the printed TOPSIS table, and cetwin info's, head the design columns
    # with the names and list each name's key path
    _, shown, _ = run(cetwin, ["info", named])
    for printed, what in ((out, "run"), (shown, "info")):
        header = next((line for line in printed.splitlines() if "closeness" in line), "")
        c.check(header.split()[-3:] == ["to_p", "to_q", "purity"],
                f"{what}: design columns of the TOPSIS table: {header}")
        c.check("purity = network.units.p.split.A.product" in printed,
                f"{what}: the name's key path is not listed:\n{printed}")
    with h5py.File(named, "r") as f:
        names = list(f["optimize/design/name"].asstr()[...])
        c.check(names == ["to_p", "to_q", "purity"], f"design/name {names}")
        c.check(list(f["optimize/front/design"].dims[1][0].asstr()[...]) == names,
                "the variable axis of front/design is labelled by the names")
        c.check(list(f["optimize/design/path"].asstr()[...])[2] == "network.units.p.split.A.product",
                "design/path keeps the paths")

expect_input_error(["run", small, "--set", "optimize.checkpoint.file=" + os.path.join(work,
                                                                                    "bad.h5")],
                   ["optimize.checkpoint.file is the result file"], ranks=2)

# NSGA-III settings: an unknown algorithm (in the file and by --set),
# divisions without NSGA-III, a list of divisions of the wrong length, too
# many reference points, a population below the objectives' corners
bad_algorithm = os.path.join(work, "bad_algorithm.yaml")
with open(bad_algorithm, "w") as f:
    f.write(text.replace("  population: 24\n", "  population: 24\n  algorithm: nsga4\n"))
line = next(i + 1 for i, s in enumerate(text.splitlines()) if "population: 24" in s) + 1
expect_input_error(["run", bad_algorithm], [f"bad_algorithm.yaml:{line}:", "optimize.algorithm",
                                            "nsga2, nsga3", "'nsga4'"], ranks=2)
expect_input_error(["run", small, "--set", "optimize.algorithm=NSGA-III"],
                   ["--set optimize.algorithm=NSGA-III", "nsga2, nsga3"])
expect_input_error(["run", small, "--set", "optimize.divisions=4"],
                   ["--set optimize.divisions=4", "algorithm: nsga3", "found algorithm nsga2"])
expect_input_error(["run", small, "--set", "optimize.algorithm=nsga3", "--set",
                    "optimize.divisions=[3, 2, 1]"],
                   ["optimize.divisions", "[outer, inner]", "found a list of 3"])
expect_input_error(["run", small, "--set", "optimize.algorithm=nsga3", "--set",
                    "optimize.divisions=0"], ["optimize.divisions", "found '0'"])
expect_input_error(["run", small, "--set", "optimize.algorithm=nsga3", "--set",
                    "optimize.divisions=100000"],
                   ["optimize.divisions", "more than 10000000 reference points"])
expect_input_error(["run", pwb, "--set", "optimize.algorithm=nsga3", "--set",
                    "optimize.population=2"],
                   ["optimize.algorithm", "at least one individual per objective (3)",
                    "found 2"])

# islands the rank count does not divide: refused on every rank alike
expect_input_error(["run", small, "--set", "optimize.islands=3"],
                   ["--set optimize.islands=3: optimize.islands",
                    "3 islands cannot be shared by 2 MPI ranks"], ranks=2)
expect_input_error(["run", small], ["optimize_small.yaml:", "optimize.islands",
                                    "2 islands cannot be shared by 4 MPI ranks"], ranks=4)

# --restart errors
ok = os.path.join(work, "ok.h5")
code, stdout, stderr = run(cetwin, ["run", small, "-o", ok, "-q", "--set",
                                    "optimize.checkpoint={interval: 10}"])
c.check(code == 0 and os.path.exists(ok), f"small case: exit {code}\n{stderr}")
checkpoint = os.path.join(work, "ok.checkpoint.h5")
c.check(os.path.exists(checkpoint), "no periodic checkpoint beside the result file")
expect_input_error(["run", small, "--restart", os.path.join(work, "none.h5")],
                   ["cannot read checkpoint", "none.h5", "No such file"])
expect_input_error(["run", small, "--restart", ok],
                   ["ok.h5' is not a cetwin checkpoint (its format is 'cetwin-result'"])
expect_input_error(["run", pwb, "--restart", checkpoint],
                   ["ok.checkpoint.h5' (case 'optimize-small', generation",
                    "does not belong to case 'bonnin-pwb-optimize'"], ranks=2)
expect_input_error(["run", small, "--set", "objectives[2].sense=maximize", "--restart",
                    checkpoint], ["design variables, objectives or constraints differ"])
expect_input_error(["run", small, "--set", "seed=8", "--restart", checkpoint],
                   ["algorithm settings"])
expect_input_error(["run", small, "--set", "network.units.q.consumption.electricity=11",
                    "--restart", checkpoint], ["twin (its parameters or metrics) differ"])
expect_input_error(["run", small, "--set", "optimize.generations=20", "--restart", checkpoint],
                   ["is at generation 30, beyond the 20 generations of this case"])
expect_input_error(["run", os.path.join(source, "configs", "bonnin-pwb-network.yaml"),
                    "--restart", checkpoint], ["--restart continues an interrupted run", "analysis simulate has no checkpoints"])
code, _, err = run(cetwin, ["validate", small, "--restart", checkpoint])
c.check(code == 1 and "validate takes a case file" in err, f"validate --restart: {code} {err}")

# runtime failures: exit 2, one message, no result file
for sets, fragments in (
        (["design=[{path: network.units.feed.composition.A, zero_below: 0.5}, "
          "{path: network.units.feed.composition.B, zero_below: 0.5}]"],
         ["mass fractions of feed 'feed' sum to 0", "evaluating the twin at design "
          "(network.units.feed.composition.A = 0, network.units.feed.composition.B = 0)"]),
        (["optimize.checkpoint={interval: 5, file: /nonexistent/x.h5}"],
         ["cannot write the checkpoint of generation 5 to /nonexistent/x.h5"])):
    out = os.path.join(work, "fail.h5")
    args = ["run", small, "-o", out]
    for v in sets:
        args += ["--set", v]
    for ranks in (0, 2):
        code, stdout, stderr = run(cetwin, args, ranks=ranks, cwd=work)
        missing = [f for f in fragments if f not in stderr]
        c.check(code == 2 and not missing and stderr.count("error:") == 1,
                f"{sets} on {ranks or 1} rank(s): exit {code}, lacks {missing}\n{stderr}")
        c.check(not os.path.exists(out) and not os.path.exists(out + ".partial"),
                f"{sets}: a result file was left behind")

# validate and help
code, stdout, _ = run(cetwin, ["validate", small])
c.check(code == 0 and "valid optimize case 'optimize-small'" in stdout, f"validate: {stdout}")
code, stdout, _ = run(cetwin, ["run", "--help"])
c.check(code == 0 and "--restart FILE" in stdout, "run --help lacks --restart")

# the same datasets on 1 and 2 OpenMP threads
files = []
for threads in (1, 2):
    out = os.path.join(work, f"t{threads}.h5")
    env_code, _, err = run(cetwin, ["run", small, "-o", out, "-q", "--threads", str(threads)])
    c.check(env_code == 0, f"--threads {threads}: exit {env_code}\n{err}")
    files.append(out)


def datasets(path):
    items = {}
    with h5py.File(path, "r") as f:
        f["optimize"].visititems(lambda name, obj: items.__setitem__(name, obj[...])
                                 if isinstance(obj, h5py.Dataset) else None)
    return items


if all(os.path.exists(p) for p in files):
    a, b = datasets(files[0]), datasets(files[1])
    c.check(sorted(a) == sorted(b), "different datasets on 1 and 2 threads")
    for name in a:
        same = (a[name].tolist() == b[name].tolist() if a[name].dtype == object
                else a[name].tobytes() == b[name].tobytes())
        c.check(same, f"/optimize/{name} differs between 1 and 2 threads")
    with h5py.File(files[0], "r") as f:
        g = f["optimize"]
        k = g.attrs["front_size"]
        c.check(g["front/design"].shape == (k, 3) and g["front/metrics"].shape[0] == k,
                "front shapes")
        c.check(list(g["front/topsis_rank"][...]) == list(range(1, k + 1)),
                "front rows are not in TOPSIS order")
        c.check(np.all(g["front/violation"][...] == 0), "infeasible points on the front")
        c.check(np.all(g["front/constraints"][...][:, 0] <= 20), "constraint broken on the front")
        c.check(g["history/hypervolume"].shape == (41, 2), "history shape")
        c.check(g["migrations"].shape == (16, 5), "8 migrations x 2 islands expected")
        c.check(list(g["design/path"].asstr()[...])[2] == "network.units.p.split.A.product",
                "design paths")
c.finish()
