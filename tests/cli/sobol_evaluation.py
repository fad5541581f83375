#!/usr/bin/env python3
"""sensitivity.sobol.evaluation (model, factored, auto) on the Bollrich
Sobol' run of configs/bollrich-sensitivity.yaml: an unknown value and a
refused factored form are located input errors (one message, no result
file, also on two ranks); the factored and the model runs agree (indices
within 1e-12, every stored NPV within 1e-12 of the largest |NPV|); the
summary line, the attribute evaluation and `cetwin info` say which ran;
auto falls back to the model and says why; 1 rank, 2 ranks and 2 threads
give the same bits; `cetwin merge` refuses shards of different
evaluations and keeps the attribute of equal ones.

Usage: sobol_evaluation.py CETWIN SOURCE_DIR
"""
import os
import shutil
import sys

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from cetwin_testlib import (check_same, expect_input_error, group_items,  # noqa: E402
                            run, run_all, setup, strip_checksum_record)

cetwin, source, _, work, c = setup()
with open(os.path.join(source, "configs", "bollrich-sensitivity.yaml")) as f:
    BOLLRICH = f.read().replace("bollrich/", os.path.join(source, "configs", "bollrich") + "/")
MARKER = "    replicates: 100\n"
c.check(MARKER in BOLLRICH, "configs/bollrich-sensitivity.yaml: the Sobol' replicates")
SOBOL = ["-q", "--set", "sensitivity.oat=false", "--set", "sensitivity.morris=false", "--set",
         "sensitivity.sobol.n=64", "--set", "sensitivity.sobol.block=32"]
YEAR = "    - {name: renewal, path: economics.lines.slurry_pump.renewal_year, low: 5, high: 7}\n"
LEVEL = "    - {name: electricity level, path: prices.electricity.value, change: [-0.3, 0.3]}\n"
FACTORS_AT = "  oat:\n"


def out(name):
    return os.path.join(work, name)


def write_case(name, evaluation, factor="", sobol_factors=None):
    """Bollrich with 8 replicates, sobol.evaluation set (none: ""), a factor
    added and the Sobol' factors replaced; its path and text."""
    text = BOLLRICH.replace(MARKER, "    replicates: 8\n" +
                            (f"    evaluation: {evaluation}\n" if evaluation else ""))
    text = text.replace(FACTORS_AT, factor + FACTORS_AT, 1)
    if sobol_factors:
        text = text.replace("factors: [residue disposal, CAPEX, OPEX, discount rate, prices]",
                            f"factors: [{sobol_factors}]")
    path = out(name)
    with open(path, "w") as f:
        f.write(text)
    return path, text


def where(name, text):
    line = next(i + 1 for i, s in enumerate(text.splitlines()) if "evaluation:" in s)
    return f"{name}:{line}:"


# --- 1. input errors, located, on one and on two ranks ---------------------------
bad, bad_text = write_case("bad.yaml", "fast")
year, year_text = write_case("year.yaml", "factored", YEAR, "renewal, discount rate")
ERRORS = [(bad, [where("bad.yaml", bad_text), "sensitivity.sobol.evaluation",
                 "expected one of model, factored, auto, found 'fast'"], "unknown value"),
          (year, [where("year.yaml", year_text), "sensitivity.sobol.evaluation",
                  "the factored form does not apply: economics.lines.slurry_pump.renewal_year "
                  "moves a year of slurry_pump"], "factored, a year moved")]
calls = [lambda case=case, frags=frags, what=what, ranks=ranks: expect_input_error(
    c, cetwin, ["run", case] + SOBOL, frags, out(f"err{ranks}.{os.path.basename(case)}.h5"), ranks,
    work, what) for case, frags, what in ERRORS for ranks in (0, 2)]
# the metrics ask for the irr: refused before any point
irr = ["run", write_case("irr.yaml", "factored")[0]] + SOBOL + ["--set",
                                                               "sensitivity.metrics=[npv, irr]"]
calls.append(lambda: expect_input_error(c, cetwin, irr, ["sensitivity.sobol.evaluation",
                                                         "the metrics ask the economics for the "
                                                         "irr"], out("irr.h5"), 0, work, "irr"))


# --- 2. the runs -----------------------------------------------------------------
def one_run(name, case, extra=(), ranks=0):
    code, stdout, err = run(cetwin, ["run", case, "-o", out(name)] + SOBOL + list(extra),
                            ranks=ranks)
    c.check(code == 0, f"{name}: exit {code}\n{stdout}{err}")
    return stdout


model = write_case("model.yaml", "")[0]
factored = write_case("factored.yaml", "factored")[0]
auto = write_case("auto.yaml", "auto", LEVEL, "electricity level, discount rate")[0]
POINTS = ["--set", "sensitivity.store_points=true"]
RUNS = [("model.h5", model, POINTS + ["--threads", "1"], 0),
        ("factored.h5", factored, POINTS + ["--threads", "1"], 0),
        ("factored2.h5", factored, POINTS + ["--threads", "1"], 2),
        ("factored_t2.h5", factored, POINTS + ["--threads", "2"], 0),
        ("auto.h5", auto, ["--threads", "1"], 0)]
# shards of one input: the evaluation set on the command line
SHARDS = [(f"{e}{first}.h5", model,
           ["--threads", "1", "--set", f"sensitivity.shard={{first: {first}, count: 32}}",
            "--set", f"sensitivity.sobol.evaluation={e}"], 0)
          for e, first in (("factored", 0), ("factored", 32), ("model", 32))]
calls += [lambda r=r: one_run(*r) for r in RUNS + SHARDS]
results = run_all(calls)
printed = dict(zip([r[0] for r in RUNS], results[len(calls) - len(RUNS) - len(SHARDS):]))

# the factored and the model runs agree
with h5py.File(out("model.h5"), "r") as fm, h5py.File(out("factored.h5"), "r") as ff:
    for name in ("first", "total"):
        d = np.max(np.abs(fm[f"sensitivity/sobol/{name}"][...] -
                          ff[f"sensitivity/sobol/{name}"][...]))
        c.check(d <= 1e-12, f"indices {name}: factored and model differ by {d:g}")
    ym = fm["sensitivity/sobol/points/metrics"][...]
    yf = ff["sensitivity/sobol/points/metrics"][...]
    d = np.max(np.abs(ym - yf)) / np.max(np.abs(ym))
    c.check(ym.shape == yf.shape and d <= 1e-12,
            f"stored NPV: factored and model differ by {d:g} of the largest |NPV|")
    # the sums of the factored form round differently: its NPVs are not the model's bits
    c.check(not np.array_equal(ym, yf), "stored NPV: the factored run has the model's bits")
    for f, want in ((fm, "model"), (ff, "factored")):
        got = f["sensitivity/sobol"].attrs.get("evaluation")
        got = got.decode() if isinstance(got, bytes) else got
        c.check(got == want, f"/sensitivity/sobol attribute evaluation: {got}, expected {want}")
LINES = {"model.h5": "  evaluation: cash-flow model\n",
         "factored.h5": "  evaluation: factored cash flow (NPV agrees with the model to rounding)",
         "auto.h5": "  evaluation: cash-flow model (auto: the factored form does not apply: "
                    "prices.electricity.value moves the value of electricity)"}
for name, line in LINES.items():
    c.check(line in printed[name], f"{name}: the summary lacks {line!r}\n{printed[name]}")
with h5py.File(out("auto.h5"), "r") as f:
    c.check(f["sensitivity/sobol"].attrs.get("evaluation") in ("model", b"model"),
            "auto, refused: the attribute evaluation is not model")

# cetwin info prints it back
code, stdout, err = run(cetwin, ["info", out("factored.h5")])
c.check(code == 0 and "evaluation: factored cash flow" in stdout,
        f"info factored.h5: exit {code}\n{stdout}{err}")

# the factored form: the same bits on 1 rank, 2 ranks and 2 threads
one = group_items(out("factored.h5"), "sensitivity/sobol")
for name in ("factored2.h5", "factored_t2.h5"):
    check_same(c, one, group_items(out(name), "sensitivity/sobol"), f"factored.h5 and {name}")

# --- 3. merging shards -----------------------------------------------------------
# different settings are different inputs; a file whose attribute alone
# differs (edited by hand) is refused by the attribute
merged = out("merged.h5")
code, stdout, err = run(cetwin, ["merge", out("factored0.h5"), out("model32.h5"), "-o", merged])
c.check(code == 1 and "'sensitivity.sobol.evaluation=model' in the second" in err and
        not os.path.exists(merged), f"merge of a factored and a model shard: exit {code}\n{err}")
edited = out("edited32.h5")
shutil.copy(out("factored32.h5"), edited)
with h5py.File(edited, "r+") as f:
    f["sensitivity/sobol"].attrs["evaluation"] = "model"
strip_checksum_record(edited)
code, stdout, err = run(cetwin, ["merge", out("factored0.h5"), edited, "-o", merged])
c.check(code == 1 and "attribute evaluation: model, the first shard factored" in err and
        "not the same bits" in err and not os.path.exists(merged),
        f"merge of a shard whose attribute evaluation differs: exit {code}\n{stdout}{err}")
code, stdout, err = run(cetwin, ["merge", out("factored0.h5"), out("factored32.h5"), "-o", merged])
c.check(code == 0, f"merge of two factored shards: exit {code}\n{stdout}{err}")
if code == 0:
    with h5py.File(merged, "r") as f:
        c.check(f["sensitivity/sobol"].attrs.get("evaluation") in ("factored", b"factored"),
                "the merged file lacks the attribute evaluation of its shards")
c.finish()
