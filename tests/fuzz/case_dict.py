"""Writes (or checks) tests/fuzz/case.dict, the libFuzzer dictionary of the
case-loader harness: every word-like string literal of src/config and of
the analysis records, src/drivers/analyses.c (the config keys, section
names, analysis names and keyword values the readers look for), the
unit types (the `.info = {.name = "..."` of the unit kind records in
src/model, which the network reader accepts), the metric names of the public headers' CET_METRIC_* macros (npv, irr, ...:
the values objectives, constraints and mc.metrics name), plus the tokens
of the case syntax (YAML punctuation, !include, the harness's
"#set " override lines and its "#--- data.csv" line, after which comes the
CSV data file a `csv: data.csv` key reads, and the CSV dates and
percentages).

usage: case_dict.py SOURCE_DIR [--check]
  --check: exit 1, naming what differs, when case.dict is not what this
           script writes (the readers gained or lost a key)."""
import glob
import os
import re
import sys

SYNTAX = ["#set ", "#--- data.csv\n", "data.csv", "2020-02-29", "%", "!include ", ": ", "- ", "{", "}", "[", "]", ", ", "\n  ", "=", ".",
          "true", "false", "null", "~", "1e308", "-1", "0.5", "nan", ".inf", "&a ", "*a",
          "<<: ", "|", ">", "'", "\"", "#"]
WORD = re.compile(r'"([A-Za-z_][A-Za-z0-9_.]{1,40})"')
METRIC = re.compile(r'^\s*#\s*define\s+CET_METRIC_\w+\s+' + WORD.pattern)
UNIT_KIND = re.compile(r'\.info = \{\.name = ' + WORD.pattern)


def entries(source):
    words = set()
    paths = sorted(glob.glob(os.path.join(source, "src", "config", "*.c")))
    for path in paths + [os.path.join(source, "src", "drivers", "analyses.c")]:
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.lstrip().startswith(("/*", "*", "//", "#include")):
                    continue
                words.update(WORD.findall(line))
    for path in sorted(glob.glob(os.path.join(source, "src", "model", "*.c"))):
        with open(path, encoding="utf-8") as f:
            words.update(m.group(1) for m in map(UNIT_KIND.search, f) if m)
    for path in sorted(glob.glob(os.path.join(source, "include", "cetwin", "*.h"))):
        with open(path, encoding="utf-8") as f:
            words.update(m.group(1) for m in map(METRIC.match, f) if m)
    lines = ["# case.dict - libFuzzer dictionary of tests/fuzz/fuzz_case.c, written by",
             "# tests/fuzz/case_dict.py from the string literals of src/config, analyses.c,",
             "# the unit kinds of src/model and the CET_METRIC_* macros: do not edit."]
    lines += ['"%s"' % w for w in sorted(words)]
    lines += ['"%s"' % escape(t) for t in SYNTAX]
    return "\n".join(lines) + "\n"


def escape(token):
    """A dictionary value: backslash and quote escaped, other bytes outside
    printable ASCII as \\xNN (the escapes libFuzzer reads)."""
    out = ""
    for ch in token:
        if ch in '\\"':
            out += "\\" + ch
        elif " " <= ch <= "~":
            out += ch
        else:
            out += "\\x%02X" % ord(ch)
    return out


def main():
    source = sys.argv[1]
    path = os.path.join(source, "tests", "fuzz", "case.dict")
    text = entries(source)
    if "--check" in sys.argv[2:]:
        with open(path, encoding="utf-8") as f:
            old = f.read()
        if old != text:
            added = sorted(set(text.splitlines()) - set(old.splitlines()))
            removed = sorted(set(old.splitlines()) - set(text.splitlines()))
            sys.exit(f"{path} is out of date (run: python3 tests/fuzz/case_dict.py .)\n"
                     f"  missing: {added[:20]}\n  stale: {removed[:20]}")
        print(f"{path}: up to date ({len(text.splitlines()) - 2} entries)")
        return
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"wrote {path} ({len(text.splitlines()) - 2} entries)")


main()
