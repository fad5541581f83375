#!/usr/bin/env python3
"""layers.py — checks that every folder of src/ includes only what its layer
may include, as docs/architecture.md ("Layers") states it.

Usage: layers.py SOURCE_DIR

The rules are read from three tables of docs/architecture.md, so the map and
the check cannot drift apart:
  "Public headers by layer"     which layer owns each include/cetwin/*.h;
  "What each layer may include" the layers whose public headers a layer may
                                include and the libraries it may use (a
                                library "(only FILE, ...)" is allowed in
                                those files alone);
  "Known violations"            include edges that break the rules today;
                                the check does not follow them, and fails
                                when one of them is gone (take it off the
                                table then).
A file of src/FOLDER belongs to layer FOLDER. For every file (and every public
header, for the layer that owns it) the check follows #include through public
headers and the folder's own private headers, and fails on:
  - a public header of a layer it may not include, even indirectly;
  - a library header (mpi.h, hdf5.h, omp.h, yaml.h, gsl/, Random123/,
    cmocka.h) of a library it may not use, even indirectly;
  - a use of such a library (MPI_..., H5..., omp_...() or #pragma omp,
    yaml_..., gsl_...) in a file that may not use it;
  - a private header of another folder, or a public header including a
    private one;
  - a public header or a folder the tables do not place.
Before checking the tree, the script plants one violation of each kind in a
copy of it and fails unless every one is reported: the check itself is
tested on every run.
"""
import collections
import os
import re
import shutil
import sys
import tempfile

DOC = "docs/architecture.md"

# Library of a header included with <...>; the others are the C library,
# POSIX and compiler headers, which every layer may include.
LIBRARY_HEADERS = [
    (re.compile(r"mpi\.h$"), "MPI"),
    (re.compile(r"(hdf5\.h|H5\w*\.h)$"), "HDF5"),
    (re.compile(r"omp\.h$"), "OpenMP"),
    (re.compile(r"yaml\.h$"), "libyaml"),
    (re.compile(r"gsl/"), "GSL"),
    (re.compile(r"Random123/"), "Random123"),
    (re.compile(r"cmocka\.h$"), "cmocka"),
]

# What a use of a library looks like in code (comments, strings and
# #include lines removed first).
LIBRARY_USES = {
    "MPI": re.compile(r"\bMPI_\w+"),
    "HDF5": re.compile(r"\bH5[A-Z]\w*|\bhid_t\b|\bherr_t\b"),
    "OpenMP": re.compile(r"#\s*pragma\s+omp\b|\bomp_\w+\s*\(|\bomp_\w+_t\b"),
    "libyaml": re.compile(r"\byaml_\w+"),
    "GSL": re.compile(r"\bgsl_\w+"),
}

INCLUDE = re.compile(r'^[ \t]*#[ \t]*include[ \t]*([<"])([^>"]+)[>"]', re.M)
CODE_NOISE = re.compile(
    r"/\*.*?\*/|//[^\n]*|\"(?:\\.|[^\"\\\n])*\"|'(?:\\.|[^'\\\n])*'|^[ \t]*#[ \t]*include[^\n]*",
    re.S | re.M)


class MapError(Exception):
    """The tables of docs/architecture.md cannot be read."""


def table_after(lines, heading, may_be_empty=False):
    """Rows (lists of cells) of the first Markdown table under heading."""
    for start, line in enumerate(lines):
        if line.strip().lstrip("#").strip() == heading and line.startswith("#"):
            break
    else:
        raise MapError(f"{DOC}: no heading '{heading}'")
    rows = []
    for line in lines[start + 1:]:
        stripped = line.strip()
        if stripped.startswith("|"):
            cells = [c.strip() for c in stripped.strip("|").split("|")]
            if not all(re.fullmatch(r":?-+:?", c) for c in cells):
                rows.append(cells)
        elif rows or stripped.startswith("#"):
            break
    if len(rows) < 2 and not (may_be_empty and rows):
        raise MapError(f"{DOC}: no table under '{heading}'")
    return rows[1:]  # without the header row


def words(cell):
    """The comma-separated items of a cell, without backticks; '—' is none."""
    cell = cell.replace("`", "")
    return [w.strip() for w in cell.split(",") if w.strip() and w.strip() not in ("—", "-")]


def read_map(root):
    """(owner of each public header, rules per layer, known edges)."""
    with open(os.path.join(root, DOC), encoding="utf-8") as f:
        lines = f.read().splitlines()
    owner = {}
    for row in table_after(lines, "Public headers by layer"):
        layer = row[0].strip("`")
        for h in words(row[-1]):
            if h in owner:
                raise MapError(f"{DOC}: {h} is placed in {owner[h]} and in {layer}")
            owner[h] = layer
    rules = {}
    for row in table_after(lines, "What each layer may include"):
        layer = row[0].strip("`")
        layers = set(words(row[1])) | {layer}
        libraries, only = set(), collections.defaultdict(set)
        for m in re.finditer(r"(\w+)(?:\s*\(only ([^)]*)\))?", row[2].replace("`", "")):
            if m.group(2):
                for path in words(m.group(2)):
                    only[path].add(m.group(1))
            else:
                libraries.add(m.group(1))
        rules[layer] = (layers, libraries, only)
    known = set()
    for row in table_after(lines, "Known violations", may_be_empty=True):
        known.add((row[0].strip("`"), row[1].strip("`")))
    return owner, rules, known


def library_of(name):
    for pattern, library in LIBRARY_HEADERS:
        if pattern.search(name):
            return library
    return None


class Tree:
    """The include graph of src/ and include/cetwin/ under root."""

    def __init__(self, root):
        self.root = root
        self.files = []  # repository-relative paths of src/*/*.[ch]
        for folder in sorted(os.listdir(os.path.join(root, "src"))):
            path = os.path.join(root, "src", folder)
            if os.path.isdir(path):
                for name in sorted(os.listdir(path)):
                    if name.endswith((".c", ".h")):
                        self.files.append(f"src/{folder}/{name}")
        self.headers = sorted(n for n in os.listdir(os.path.join(root, "include/cetwin"))
                              if n.endswith(".h"))
        self.text = {}

    def read(self, rel):
        if rel not in self.text:
            with open(os.path.join(self.root, rel), encoding="utf-8") as f:
                self.text[rel] = f.read()
        return self.text[rel]

    def includes(self, rel):
        """(target, how) per #include of rel: target is a repository path or
        'lib:NAME'; how is the text as written."""
        out = []
        here = os.path.dirname(rel)
        for kind, name in INCLUDE.findall(self.read(rel)):
            if name.startswith("cetwin/"):
                out.append(("include/" + name, name))
            elif kind == "<":
                library = library_of(name)
                if library:
                    out.append(("lib:" + library, name))
            elif os.path.exists(os.path.join(self.root, here, name)):
                out.append((os.path.normpath(os.path.join(here, name)), name))
            elif os.path.exists(os.path.join(self.root, "src", name)):
                out.append(("src/" + name, name))
            else:
                out.append(("missing:" + name, name))
        return out


def layer_of(rel, owner):
    if rel.startswith("src/"):
        return rel.split("/")[1]
    return owner.get(os.path.basename(rel))


def check(root, owner=None, rules=None, known=None):
    """Problems found in the tree at root (a list of strings), and the known
    violations still present."""
    if owner is None:
        owner, rules, known = read_map(root)
    tree = Tree(root)
    problems = []
    for h in tree.headers:
        if h not in owner:
            problems.append(f"include/cetwin/{h}: no layer owns it (add it to the table "
                            f"'Public headers by layer' of {DOC})")
    for h in sorted(set(owner) - set(tree.headers)):
        problems.append(f"{DOC}: the header {h} placed in {owner[h]} does not exist")
    folders = sorted({f.split("/")[1] for f in tree.files})
    for folder in folders:
        if folder not in rules:
            problems.append(f"src/{folder}: no row for this folder in the table "
                            f"'What each layer may include' of {DOC}")
    present = set()

    def edges(rel):
        for target, how in tree.includes(rel):
            if (rel, how) in known:
                present.add((rel, how))
                continue
            yield target, how

    subjects = [f for f in tree.files if f.split("/")[1] in rules]
    subjects += [f"include/cetwin/{h}" for h in tree.headers if owner.get(h) in rules]
    for rel in subjects:
        layer = layer_of(rel, owner)
        layers, libraries, only = rules[layer]
        allowed_libraries = libraries | only.get(rel, set())
        # breadth-first over the includes, remembering how each was reached
        via, written = {rel: None}, {rel: rel}
        queue = collections.deque([rel])
        while queue:
            cur = queue.popleft()
            for target, how in edges(cur):
                if target in via:
                    continue
                via[target], written[target] = cur, how
                if target.startswith(("include/", "src/")) and \
                        (target.startswith("include/") or layer_of(target, owner) == layer):
                    queue.append(target)

        def chain(target):
            steps = []
            while target is not None:
                steps.append(written[target])
                target = via[target]
            return " -> ".join(reversed(steps))

        for target in via:
            if target == rel:
                continue
            if target.startswith("missing:"):
                problems.append(f"{via[target]}: includes \"{target[8:]}\", which is neither "
                                f"beside it nor under src/")
            elif target.startswith("lib:"):
                if target[4:] not in allowed_libraries:
                    problems.append(f"{rel}: layer {layer} may not use {target[4:]}, but "
                                    f"includes it: {chain(target)}")
            elif target.startswith("include/"):
                other = layer_of(target, owner)
                if other is not None and other not in layers:
                    problems.append(f"{rel}: layer {layer} may not include the headers of "
                                    f"{other}: {chain(target)}")
            elif target.startswith("src/"):
                if rel.startswith("include/"):
                    problems.append(f"{rel}: a public header includes the private header "
                                    f"{target}")
                elif layer_of(target, owner) != layer:
                    problems.append(f"{rel}: includes {target}, a private header of "
                                    f"src/{layer_of(target, owner)}")
        if rel.startswith("src/"):
            code = CODE_NOISE.sub(" ", tree.read(rel))
            for library, pattern in LIBRARY_USES.items():
                m = pattern.search(code)
                if m and library not in allowed_libraries:
                    problems.append(f"{rel}: layer {layer} may not use {library}, but uses "
                                    f"{m.group(0).strip()}")
    for rel, how in sorted(known):
        if (rel, how) not in present:
            problems.append(f"{DOC}: the known violation {rel} -> {how} is gone: take it off "
                            f"the table 'Known violations'")
    return list(dict.fromkeys(problems)), sorted(present)


# One planted violation per rule: (file, text appended, what the report on
# that file must say).
PLANTS = [
    ("src/model/twin.c", "#include <mpi.h>\n", "layer model may not use MPI"),
    ("src/model/network.c", "#include <hdf5.h>\n", "layer model may not use HDF5"),
    ("src/config/read_feed.c", '#include "cetwin/drivers.h"\n',
     "layer config may not include the headers of drivers"),
    ("src/config/read_library.c", "static void f(void) { MPI_Barrier(0); }\n",
     "layer config may not use MPI, but uses MPI_Barrier"),
    ("src/drivers/mc.c", "#include <hdf5.h>\n", "layer drivers may not use HDF5"),
    ("src/engine/team.c", '#include "cetwin/twin.h"\n',
     "layer engine may not include the headers of model"),
    ("src/io/info.c", '#include "cetwin/twin.h"\n',
     "layer io may not include the headers of model"),
    ("include/cetwin/process.h", '#include "cetwin/result.h"\n',
     "layer model may not include the headers of io"),
    ("src/sa/groups.c", '#include "moo/bitset.h"\n', "a private header of src/moo"),
    ("src/moo/pareto.c", "static int g(void) { return omp_get_thread_num(); }\n",
     "layer moo may not use OpenMP"),
]


def self_test(root):
    """Plants every violation of PLANTS in a copy of the tree and returns the
    ones the check misses (none when the check works)."""
    with tempfile.TemporaryDirectory() as tmp:
        for part in ("src", "include", "docs"):
            shutil.copytree(os.path.join(root, part), os.path.join(tmp, part))
        for rel, text, _ in PLANTS:
            with open(os.path.join(tmp, rel), "a", encoding="utf-8") as f:
                f.write(text)
        problems, _ = check(tmp)
    return [(rel, expect) for rel, _, expect in PLANTS
            if not any(p.startswith(f"{rel}: ") and expect in p for p in problems)]


def main(argv):
    if len(argv) != 2:
        print("usage: layers.py SOURCE_DIR", file=sys.stderr)
        return 2
    root = argv[1]
    try:
        missed = self_test(root)
        problems, present = check(root)
    except MapError as e:
        print(f"layers.py: {e}", file=sys.stderr)
        return 1
    for rel, expect in missed:
        print(f"layers.py does not work: a planted violation in {rel} ({expect}) "
              f"was not reported", file=sys.stderr)
    for p in problems:
        print(p, file=sys.stderr)
    for rel, how in present:
        print(f"known violation ({DOC}): {rel} includes {how}")
    if missed:
        print(f"the check missed {len(missed)} of {len(PLANTS)} planted violations",
              file=sys.stderr)
    if problems:
        print(f"{len(problems)} layering problem(s); the rules are in {DOC}", file=sys.stderr)
    if missed or problems:
        return 1
    print(f"layers: {len(Tree(root).files)} files of src/ keep to the layers of {DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
