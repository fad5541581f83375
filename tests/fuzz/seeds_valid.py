"""Checks that every seed of the fuzz_case harness (tests/fuzz/seeds/case)
is a valid case, read as the harness reads it: the text up to a line
"#--- data.csv" is the case file, what follows that line the file data.csv
next to it, and each line starting "#set " an override. A seed that a
reader rejects stops at its first error and no longer leads the fuzzer to
the reader it was written for.

usage: seeds_valid.py CETWIN SOURCE_DIR"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "cli"))
from cetwin_testlib import setup, run  # noqa: E402

DATA_MARK = "#--- data.csv\n"
SET_PREFIX = "#set "

cetwin, source, _, work, c = setup()
folder = os.path.join(source, "tests", "fuzz", "seeds", "case")
seeds = sorted(os.listdir(folder))
c.check(len(seeds) > 0, f"no seeds in {folder}")
for name in seeds:
    with open(os.path.join(folder, name), encoding="utf-8") as f:
        text = f.read()
    data = None
    at = text.find(DATA_MARK)
    while at > 0 and text[at - 1] != "\n":
        at = text.find(DATA_MARK, at + 1)
    if at >= 0:
        text, data = text[:at], text[at + len(DATA_MARK):]
    seed_dir = os.path.join(work, name)
    os.mkdir(seed_dir)
    case = os.path.join(seed_dir, "case.yaml")
    with open(case, "w", encoding="utf-8") as f:
        f.write(text)
    if data is not None:
        with open(os.path.join(seed_dir, "data.csv"), "w", encoding="utf-8") as f:
            f.write(data)
    overrides = []
    for line in text.splitlines():
        if line.startswith(SET_PREFIX):
            overrides += ["--set", line[len(SET_PREFIX):]]
    code, out, err = run(cetwin, ["validate", case] + overrides)
    c.check(code == 0 and "valid" in out, f"{name}: not a valid case (exit {code}):\n{err}")
    print(f"{name}: {out.splitlines()[0] if out else err.strip()}")
c.finish()
