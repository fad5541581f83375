#!/usr/bin/env python3
"""symbols.py — checks that every symbol the cetwin library exports carries
the project's prefix (docs/architecture.md, "Conventions", Names).

Usage: symbols.py NM LIBRARY

Every external symbol defined in LIBRARY (as `NM -g --defined-only` lists
it) must begin with `cet_` (functions, variables) or `CET_` (constant
tables). Private symbols shared by the files of one folder are prefixed
too (`cet_drv_` in src/drivers, ...), so a program or test linking the
library never meets an unprefixed name. The one exception is the lock the
compiler makes for a named OpenMP critical section
(`.gomp_critical_user_NAME`), whose NAME must carry the prefix.

Before it checks the library, the script runs its own rule on a listing
with a planted unprefixed symbol and fails unless that one is reported and
the prefixed ones are not: the check itself is tested on every run.
"""
import re
import subprocess
import sys

ALLOWED = re.compile(r"^(?:\.gomp_critical_user_)?(?:cet_|CET_)\w")
# Symbol types of external definitions: code, data, bss, read-only,
# common, weak and unique symbols.
DEFINED = set("TDBRCVWGSu")


def offenders(listing):
    """(object, symbol) of each unprefixed external definition in the
    output of `nm -g --defined-only` on an archive."""
    found, obj = [], "?"
    for line in listing.splitlines():
        line = line.strip()
        if line.endswith(":") and " " not in line:
            obj = line[:-1]
            continue
        parts = line.split()
        if len(parts) == 3 and parts[1] in DEFINED and not ALLOWED.match(parts[2]):
            found.append((obj, parts[2]))
    return found


def count(listing):
    """Number of external definitions in the listing."""
    return sum(1 for line in listing.splitlines()
               if len(line.split()) == 3 and line.split()[1] in DEFINED)


PLANTED = """
planted.c.o:
0000000000000000 T cet_fine
0000000000000010 R CET_FINE_TABLE
0000000000000000 B .gomp_critical_user_cet_fine
0000000000000020 T econ_of
0000000000000000 B .gomp_critical_user_lock
"""


def main(argv):
    if len(argv) != 3:
        print("usage: symbols.py NM LIBRARY", file=sys.stderr)
        return 2
    nm, library = argv[1], argv[2]
    planted = [s for _, s in offenders(PLANTED)]
    if planted != ["econ_of", ".gomp_critical_user_lock"]:
        print(f"symbols.py does not work: on the planted listing it reported {planted}",
              file=sys.stderr)
        return 1
    run = subprocess.run([nm, "-g", "--defined-only", library], capture_output=True,
                         text=True, check=False)
    if run.returncode != 0:
        print(f"symbols.py: {nm} failed on {library}: {run.stderr.strip()}", file=sys.stderr)
        return 1
    n = count(run.stdout)
    if n < 100:
        print(f"symbols.py: only {n} external definitions in {library}; is it the library?",
              file=sys.stderr)
        return 1
    bad = offenders(run.stdout)
    for obj, sym in bad:
        print(f"{library}({obj}): exported symbol '{sym}' lacks the cet_ prefix "
              "(make it static or prefix it; docs/architecture.md, Names)", file=sys.stderr)
    if bad:
        print(f"{len(bad)} unprefixed exported symbol(s)", file=sys.stderr)
        return 1
    print(f"symbols: the {n} symbols {library} exports all carry the cet_ prefix")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
