"""The command line explains itself and rejects bad usage with exit code 1:
--help of the program and of each command, --version, unknown commands and
options, missing arguments, options a command does not use, and `cetwin
info` on something that is not a result file.

usage: test_command_line.py CETWIN SOURCE_DIR"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
from cetwin_testlib import Checker, run, tmpdir  # noqa: E402

cetwin = sys.argv[1]
c = Checker()

code, out, _ = run(cetwin, ["--help"])
c.check(code == 0 and "cetwin run CASE.yaml" in out and "Exit codes" in out, "--help")
# every analysis is listed with its summary
for analysis in ("enumerate", "simulate", "optimize", "mc", "sensitivity"):
    c.check(f"\n  {analysis} " in out, f"--help lists analysis {analysis}")
code, out2, _ = run(cetwin, [])
c.check(code == 0 and out2 == out, "no arguments prints the help")
for cmd, words in (("run", ["--set PATH=VALUE", "--threads", "--output"]),
                   ("validate", ["without running"]), ("info", ["FILE.h5", "--tree", "checkpoint"]),
                   ("merge", ["sensitivity.shard", "mc.first_draw"])):
    code, out, _ = run(cetwin, [cmd, "--help"])
    c.check(code == 0 and all(w in out for w in words), f"{cmd} --help")
    code, out3, _ = run(cetwin, ["help", cmd])
    c.check(code == 0 and out3 == out, f"help {cmd}")
# the user guide's table of options ("The command line") and `cetwin run --help`
# name the same options
with open(os.path.join(sys.argv[2], "docs", "user-guide.md"), encoding="utf-8") as f:
    table = f.read().split("\n## The command line\n\n", 1)[1].split("\n\n", 1)[0]
documented = {o for row in re.findall(r"^\| `([^`]*)`", table, re.M)
              for o in re.findall(r"--?[a-z][\w-]*", row)}
code, out, _ = run(cetwin, ["run", "--help"])
helped = {o for row in re.findall(r"^  (-\S+(?: \S+)*?)(?:  |$)", out, re.M)
          for o in re.findall(r"--?[a-z][\w-]*", row)}
c.check(code == 0 and documented and documented == helped,
        f"run options: only in the user guide {sorted(documented - helped)}, "
        f"only in --help {sorted(helped - documented)}")
code, out, _ = run(cetwin, ["--version"])
c.check(code == 0 and out.startswith("cetwin 0.") and "commit" in out, "--version")

BAD = [
    (["frobnicate"], "unknown command 'frobnicate'"),
    (["run"], "missing CASE.yaml"),
    (["run", "a.yaml", "--frob"], "unknown option '--frob'"),
    (["run", "a.yaml", "--set", "novalue"], "--set expects PATH=VALUE"),
    (["run", "a.yaml", "--threads", "0"], "--threads expects a positive integer"),
    (["run", "a.yaml", "b.yaml"], "unexpected argument 'b.yaml'"),
    (["run", "a.yaml", "-o"], "-o expects a file name"),
    (["info"], "missing RESULT.h5"),
    (["validate", "a.yaml", "-o", "x.h5"], "validate takes a case file"),
    (["validate", "a.yaml", "--restart", "c.h5"],
     "validate takes a case file, --set and --threads only, found --restart"),
    (["info", "r.h5", "--restart", "c.h5"], "info takes a result or checkpoint file, --tree and -v only, found --restart"),
    (["info", "r.h5", "--set", "a=1"], "info takes a result or checkpoint file, --tree and -v only, found --set"),
    (["merge", "s.h5", "-o", "m.h5", "--restart", "c.h5"],
     "merge takes SHARD.h5 files and -o OUT.h5 only, found --restart"),
    (["merge", "s.h5", "-o", "m.h5", "--threads", "2"], "found --threads"),
    (["merge", "s.h5", "-o", "m.h5", "--set", "a=1"], "found --set"),
    (["merge", "s.h5"], "-o OUT.h5 only, found no -o"),
]
for args, message in BAD:
    code, _, err = run(cetwin, args)
    c.check(code == 1 and message in err, f"{args}: exit {code}, stderr {err!r}")

d = tmpdir()
text = os.path.join(d, "plain.txt")
with open(text, "w") as f:
    f.write("not a result\n")
code, _, err = run(cetwin, ["info", text])
c.check(code == 1 and "cannot open" in err, f"info on a text file: {code} {err}")

# Where stdout and stderr share one file (a Slurm job's output), the
# progress lines come in program order and as whole lines: after the
# summary's heading, before the tables printed after the work.
case = os.path.join(sys.argv[2], "configs", "bollrich-sensitivity.yaml")
code, out, _ = run(cetwin, ["run", case, "-o", os.path.join(d, "merged.h5"), "--set",
                            "sensitivity.sobol.n=256"], merged=True)
lines = out.splitlines()
progress = [i for i, line in enumerate(lines) if "cetwin: sensitivity" in line]
c.check(code == 0 and progress and all(lines[i].startswith("cetwin: sensitivity")
                                       for i in progress),
        f"merged output: a progress line cut into a line of the summary\n{out[-3000:]}")
heading = next((i for i, line in enumerate(lines) if line.startswith("cetwin sensitivity:")), None)
tornado = next((i for i, line in enumerate(lines) if line.startswith("One factor at a time")), None)
c.check(heading is not None and tornado is not None and heading < progress[0] < tornado,
        f"merged output: progress out of program order (heading {heading}, first progress "
        f"{progress[:1]}, tornado {tornado})\n{out[:3000]}")
c.finish()
