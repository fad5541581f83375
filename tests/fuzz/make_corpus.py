"""Makes the seeds of the result-file harnesses in a build folder, with the
cetwin program of that build: small real result files for fuzz_info (an
enumeration, a simulation, a Monte Carlo, a sensitivity analysis) and, for
fuzz_merge, two shards of one sweep of tests/fuzz/cases/mc_shard.yaml, two
of one Sobol' run of tests/fuzz/cases/sensitivity_shard.yaml and two of
one parameter study of tests/fuzz/seeds/case/sweep_shard.yaml (the first
of each seeds its corpus, the second is the shard every input is merged
with). Also empties the
folders into which the harnesses write the inputs they find, so that each
run of `ctest -L fuzz` starts from these seeds (the artifacts, the inputs
that failed or hit a defect of HDF5, are kept).

usage: make_corpus.py CETWIN SOURCE_DIR OUT_DIR"""
import os
import shutil
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "cli"))
from cetwin_testlib import run  # noqa: E402

cetwin, source, out = sys.argv[1], sys.argv[2], sys.argv[3]
shard_case = os.path.join(source, "tests", "fuzz", "cases", "mc_shard.yaml")
sobol_case = os.path.join(source, "tests", "fuzz", "cases", "sensitivity_shard.yaml")
sweep_case = os.path.join(source, "tests", "fuzz", "seeds", "case", "sweep_shard.yaml")
folders = {name: os.path.join(out, name) for name in
           ("info-seeds", "merge-seeds", "merge-other", "merge_sensitivity-seeds",
            "merge_sweep-seeds", "case-found", "info-found", "merge-found",
            "merge_sensitivity-found", "merge_sweep-found")}
for path in folders.values():
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)

sim = os.path.join(out, "simulate.yaml")
with open(sim, "w") as f:
    f.write("name: fuzz-simulate\nanalysis: simulate\n"
            f"economics: !include {source}/configs/bollrich/nrr0.yaml\n")
RUNS = [
    (os.path.join(source, "configs", "bonnin-pwb.yaml"), "info-seeds", "enumerate.h5",
     ["--set", "enumerate.max_length=3"]),
    (sim, "info-seeds", "simulate.h5", []),
    (shard_case, "info-seeds", "mc.h5", []),
    (shard_case, "merge-seeds", "shard-a.h5", []),
    (shard_case, "merge-other", "shard-b.h5", ["--set", "mc.first_draw=8"]),
    (sobol_case, "info-seeds", "sensitivity.h5", []),
    (sobol_case, "merge_sensitivity-seeds", "sobol-a.h5",
     ["--set", "sensitivity.shard={first: 0, count: 8}"]),
    (sobol_case, "merge-other", "sobol-b.h5", ["--set", "sensitivity.shard={first: 8, count: 8}"]),
    (sweep_case, "merge_sweep-seeds", "sweep-a.h5",
     ["--set", "sensitivity.shard={first: 0, count: 3}"]),
    (sweep_case, "merge-other", "sweep-b.h5", ["--set", "sensitivity.shard={first: 3, count: 3}"]),
]
failed = 0
for case, folder, name, sets in RUNS:
    path = os.path.join(folders[folder], name)
    code, _, err = run(cetwin, ["run", case, "-o", path, "-q"] + sets)
    if code != 0:
        print(f"{name}: cetwin run exited {code}\n{err}")
        failed += 1
    else:
        print(f"{path}: {os.path.getsize(path)} bytes")
sys.exit(1 if failed else 0)
