"""Config errors through the real program: each bad case must exit with
code 1 and a message naming file:line:column, the key, what was expected
and what was found; printed once (by rank 0) under mpirun -n 2, with no
hang and no result file (final or .partial) left behind. The cases run
four at a time (cetwin_testlib.run_all), each in a folder of its own.

usage: test_config_errors.py CETWIN SOURCE_DIR"""
import itertools
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from cetwin_testlib import Checker, expect_input_error, run, run_all, tmpdir  # noqa: E402

cetwin, source = sys.argv[1], sys.argv[2]
library = os.path.join(source, "configs", "processes", "copper-bonnin2015.yaml")

GOOD = """analysis: enumerate
components: [Cu, Fe, Zn, Pb, Sn, Balance]
main_component: Cu
processes: !include {library}
feed:
  composition: {{Cu: 0.22, Fe: 0.036, Zn: 0, Pb: 0.0155, Sn: 0.026, Balance: 0.7025}}
  flow: 5
  flow_units: t/day
  properties: {{size: 1.0e-4, moisture: 0}}
enumerate:
  max_length: 10
"""

ONE_PROCESS = """P:
  split:
    Cu: {{product: {cu_product}, waste1: 0.1}}
    Fe: {{product: 0.5, waste1: 0.5}}
"""

SMALL = """analysis: enumerate
components: [Cu, Fe]
main_component: Cu
processes: !include lib.yaml
feed:
  composition: {Cu: 0.5, Fe: 0.5}
  flow: 1
"""

# (name, case text, extra files, expected fragments of the message)
CASES = [
    ("missing key", GOOD.replace("  flow: 5\n", ""), {},
     ["case.yaml:6:3: feed: missing required key 'flow' (total mass flow, a positive number)"]),
    ("wrong type", GOOD.replace("flow: 5", "flow: five"), {},
     ["case.yaml:7:9: feed.flow: expected a number, found 'five'"]),
    ("unknown key", GOOD.replace("  max_length: 10", "  max_lenght: 10"), {},
     ["case.yaml:11:3: enumerate.max_lenght: unknown key (did you mean 'max_length'?"]),
    ("split factors not summing to 1", SMALL, {"lib.yaml": ONE_PROCESS.format(cu_product=0.5)},
     ["lib.yaml:3:9: processes.P.split.Cu: split factors of Cu sum to 0.6, expected 1 (within 0.002"]),
    ("negative fraction", SMALL, {"lib.yaml": ONE_PROCESS.format(cu_product=-0.9)},
     ["lib.yaml:3:19: processes.P.split.Cu.product: expected a number in [0, 1], found -0.9"]),
    ("negative feed fraction", GOOD.replace("Zn: 0,", "Zn: -0.01,"), {},
     ["case.yaml:6:42: feed.composition.Zn: expected a number in [0, 1], found -0.01"]),
    ("feed composition not summing to 1", GOOD.replace("Cu: 0.22", "Cu: 0.25"), {},
     ["case.yaml:6:16: feed.composition: mass fractions sum to 1.03, expected 1"]),
    ("empty library", SMALL, {"lib.yaml": "{}\n"},
     ["lib.yaml:1:1: processes: expected at least one process, found an empty mapping"]),
    ("X = 0", GOOD.replace("max_length: 10", "max_length: 0"), {},
     ["case.yaml:11:15: enumerate.max_length: expected an integer in [1, 64], found '0'"]),
    ("unknown key in the second file of an include list",
     GOOD.replace("enumerate:\n  max_length: 10\n", "enumerate: !include [e1.yaml, e2.yaml]\n"),
     {"e1.yaml": "max_length: 10\n", "e2.yaml": "# the target\ntarget_purty: 0.99\n"},
     ["e2.yaml:2:1: enumerate.target_purty: unknown key (did you mean 'target_purity'?"]),
    ("unreadable include", SMALL, {},
     ["case.yaml:4:12: cannot include 'lib.yaml'", "no file 'lib.yaml'"]),
    ("YAML syntax error", GOOD.replace("main_component: Cu", "main_component: [Cu"), {},
     ["case.yaml:", "YAML syntax error"]),
]

c = Checker()


def check_case(name, text, files, expected):
    d = tmpdir()
    with open(os.path.join(d, "case.yaml"), "w") as f:
        f.write(text.format(library=library) if "{library}" in text else text)
    for fname, ftext in files.items():
        with open(os.path.join(d, fname), "w") as f:
            f.write(ftext)
    case = os.path.join(d, "case.yaml")
    out = os.path.join(d, "out.h5")
    for ranks, args in ((2, ["run", case, "-o", out]), (0, ["validate", case])):
        code, stdout, stderr = run(cetwin, args, ranks=ranks)
        label = f"{name} ({'mpirun -n 2 ' if ranks else ''}{args[0]})"
        c.check(code == 1, f"{label}: exit code {code}, expected 1\n{stderr}")
        for frag in expected:
            c.check(frag in stderr, f"{label}: message lacks '{frag}':\n{stderr}")
        c.check(stderr.count("cetwin: error:") == 1,
                f"{label}: the error should be printed once:\n{stderr}")
        c.check(not os.path.exists(out) and not os.path.exists(out + ".partial"),
                f"{label}: a result file was left behind")


def unreadable_case():
    code, _, stderr = run(cetwin, ["run", "/nonexistent/case.yaml"], ranks=2)
    c.check(code == 1 and "cannot read '/nonexistent/case.yaml'" in stderr,
            f"unreadable case: exit {code}\n{stderr}")


# the cases, and an unreadable case file itself
run_all([lambda case=case: check_case(*case) for case in CASES] + [unreadable_case])

# the good case validates
d = tmpdir()
with open(os.path.join(d, "case.yaml"), "w") as f:
    f.write(GOOD.format(library=library))
code, stdout, stderr = run(cetwin, ["validate", os.path.join(d, "case.yaml")])
c.check(code == 0 and "valid enumerate case" in stdout, f"good case: {code}\n{stdout}{stderr}")

# --set errors are located at the override
code, _, stderr = run(cetwin, ["validate", os.path.join(d, "case.yaml"),
                               "--set", "enumerate.target_purity=2"])
c.check(code == 1 and "--set enumerate.target_purity=2: enumerate.target_purity: expected a "
        "number in [1e-09, 1], found 2" in stderr, f"--set error: {code}\n{stderr}")

# Hostile inputs, generated here: each is one located input error on one
# and on two ranks (no crash, no hang), quickly.
MAX_DEPTH = 256  # docs/user-guide.md, "Limits"
HOSTILE_DEPTH = 100000  # crashed the recursive parser
good = os.path.join(d, "case.yaml")


def expect_hostile(name, args, fragments, folder=d):
    """A call for run_all: the input error on one and on two ranks."""
    out = os.path.join(folder, name.replace(" ", "_") + ".h5")
    return lambda: [expect_input_error(c, cetwin, ["run"] + args, fragments, out, ranks=ranks,
                                       what=name) for ranks in (0, 2)]


# nesting: in a file, in a --set value, in a --set path (the top-level
# mapping is the first level; a long override is quoted cut)
with open(os.path.join(d, "deep.yaml"), "w") as f:
    f.write("analysis: enumerate\nfeed: " + "[" * HOSTILE_DEPTH + "]" * HOSTILE_DEPTH + "\n")
hostile = [expect_hostile("deep file", [os.path.join(d, "deep.yaml")],
                         [f"deep.yaml:2:{len('feed: ') + MAX_DEPTH}: nesting deeper than "
                          f"{MAX_DEPTH} levels"])]
deep_value = "[" * 60000 + "]" * 60000  # within the 128 KiB of one argument
hostile.append(expect_hostile("deep --set value", [good, "--set", "enumerate=" + deep_value],
                              ["--set enumerate=[[[", f":1:{MAX_DEPTH}: nesting deeper than "
                               f"{MAX_DEPTH} levels"]))
deep_path = ".".join(["k"] * 50000) + "=1"
hostile.append(expect_hostile("deep --set path", [good, "--set", deep_path],
                              ["--set k.k.k.", f"...: nesting deeper than {MAX_DEPTH} levels"]))

# an include bomb: every file includes the next one 10 times, 7 files deep
# (10 million includes): the include beyond the 1000th is the error, in
# reading order
MAX_INCLUDES, MAX_INCLUDED_MIB = 1000, 64  # docs/user-guide.md, "Limits"
FANOUT, LEVELS = 10, 7
bomb = tmpdir()
for level in range(LEVELS + 1):
    name = "bomb.yaml" if level == 0 else f"l{level}.yaml"
    with open(os.path.join(bomb, name), "w") as f:
        f.write("analysis: enumerate\n" if level == 0 else "")
        for k in range(FANOUT if level < LEVELS else 0):
            f.write(f"k{k}: !include l{level + 1}.yaml\n")
        f.write("x: 1\n" if level == LEVELS else "")


def includes(name, level):
    """(file, line, column) of every !include below file name, in reading order."""
    first = 2 if level == 0 else 1
    for k in range(FANOUT):
        yield name, first + k, len("k0: ") + 1
        if level + 1 < LEVELS:
            yield from includes(f"l{level + 1}.yaml", level + 1)


name, line, col = next(itertools.islice(includes("bomb.yaml", 0), MAX_INCLUDES, None))
hostile.append(expect_hostile("include bomb", [os.path.join(bomb, "bomb.yaml")],
                              [f"{name}:{line}:{col}: cannot include 'l", "a case includes at "
                               f"most {MAX_INCLUDES} files (a file included twice counts twice)"],
                              folder=bomb))
# a file of just over half the text limit, included twice
with open(os.path.join(bomb, "big.yaml"), "w") as f:
    f.write("#" + "x" * (MAX_INCLUDED_MIB << 19) + "\nx: 1\n")
with open(os.path.join(bomb, "twice.yaml"), "w") as f:
    f.write("a: !include big.yaml\nb: !include big.yaml\n")
hostile.append(expect_hostile("included text", [os.path.join(bomb, "twice.yaml")],
                              ["twice.yaml:2:4: cannot include 'big.yaml': a case includes at "
                               f"most {MAX_INCLUDED_MIB} MiB of text"], folder=bomb))
run_all(hostile)
os.remove(os.path.join(bomb, "big.yaml"))  # not left in the temporary folder
c.finish()
