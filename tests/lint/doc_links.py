#!/usr/bin/env python3
"""doc_links.py — checks that README.md and docs/*.md point only at what
exists: every relative Markdown link names a file or folder of the source
tree, every #anchor a heading of its target (GitHub's anchors: the heading
in lower case, punctuation dropped, spaces as '-', '-1', '-2' for repeats),
and every path of the tree named in the prose (configs/..., src/...,
tests/..., with a file extension) exists.

Usage: doc_links.py SOURCE_DIR

Code blocks and `code spans` are not links; paths inside fenced code blocks
are examples (configs/x.yaml of an error message) and are not checked, nor
are paths with a placeholder (src/model/unit_NAME.c) or a wildcard.
Before checking the documents, the script plants a broken link, a broken
anchor and a missing path in a document of its own and fails unless each
is reported: the check itself is tested on every run.
"""
import glob
import os
import re
import sys
import tempfile

LINK = re.compile(r"\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
HEADING = re.compile(r"(#{1,6})\s+(.*?)\s*#*\s*$")
FENCE = re.compile(r"\s*(```|~~~)")
TREE_PATH = re.compile(r"(?<![\w/.$-])((?:configs|docs|jobs|scripts|src|include|tests|cmake)"
                       r"/[\w./+-]*\.[A-Za-z]\w*)")
PLACEHOLDER = re.compile(r"NAME|FOLDER|CASE|PLOT|KIND|\*")


def prose_lines(path):
    """The lines of a Markdown file, those of fenced code blocks blanked."""
    lines, fenced = [], False
    with open(path, encoding="utf-8") as f:
        for line in f.read().split("\n"):
            if FENCE.match(line):
                fenced = not fenced
                lines.append("")
            else:
                lines.append("" if fenced else line)
    return lines


def slug(heading):
    """GitHub's anchor of a heading."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading.replace("`", ""))
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")


def anchors(path, cache):
    """The anchors of the headings of a Markdown file."""
    if path not in cache:
        seen, found = {}, set()
        for line in prose_lines(path):
            m = HEADING.match(line)
            if m:
                s = slug(m.group(2))
                n = seen.get(s, 0)
                seen[s] = n + 1
                found.add(s if n == 0 else f"{s}-{n}")
        cache[path] = found
    return cache[path]


def check_file(path, root, cache, base=None):
    """The problems of one document, as 'FILE:LINE: what' lines; its links are
    relative to base (default: its own folder)."""
    problems = []
    base = base or os.path.dirname(path)
    rel = os.path.relpath(path, root)
    for number, line in enumerate(prose_lines(path), 1):
        text = re.sub(r"`[^`]*`", "", line)
        for m in LINK.finditer(text):
            target = m.group(1)
            if re.match(r"[a-z][a-z0-9+.-]*:", target):
                continue  # https:, mailto:
            file_part, _, anchor = target.partition("#")
            dest = os.path.normpath(os.path.join(base, file_part)) if file_part else path
            if not os.path.exists(dest):
                problems.append(f"{rel}:{number}: link to {target}: no such file")
            elif anchor and dest.endswith(".md") and anchor not in anchors(dest, cache):
                problems.append(f"{rel}:{number}: link to {target}: no heading with that anchor")
        for m in TREE_PATH.finditer(line):
            named = m.group(1).rstrip(".")
            if not PLACEHOLDER.search(named) and not os.path.exists(os.path.join(root, named)):
                problems.append(f"{rel}:{number}: {named}: no such file in the source tree")
    return problems


def documents(root):
    return [os.path.join(root, "README.md")] + sorted(glob.glob(os.path.join(root, "docs", "*.md")))


def self_test(root):
    """The planted problems the check does not report, and any report of
    what was not planted (neither when it works)."""
    plants = {"no such file": "see [the guide](docs/no-such-guide.md)",
              "no heading with that anchor": "see [the guide](docs/user-guide.md#no-such-section)",
              "no such file in the source tree": "as tests/cli/no_such_test.py checks"}
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "planted.md")
        with open(path, "w", encoding="utf-8") as f:
            f.write("# Planted\n\n" + "\n".join(plants.values()) +
                    "\n\nsee [the guide](docs/user-guide.md#the-case-file)\n\n"
                    "```\nconfigs/x.yaml and [a link](nowhere.md)\n```\n")
        # read as if it stood at the top of the tree, as README.md does
        problems = check_file(path, root, {}, base=root)
    return [f"'{what}' not reported" for what in plants
            if not any(what in p for p in problems)] + \
        [f"reported what was not planted: {p}" for p in problems
         if not any(what in p for what in plants)]


def main(argv):
    if len(argv) != 2:
        print("usage: doc_links.py SOURCE_DIR", file=sys.stderr)
        return 2
    root = os.path.abspath(argv[1])
    missed = self_test(root)
    for what in missed:
        print(f"doc_links.py does not work: {what}", file=sys.stderr)
    cache, problems = {}, []
    docs = documents(root)
    for path in docs:
        problems += check_file(path, root, cache)
    for p in problems:
        print(p, file=sys.stderr)
    if missed or problems:
        print(f"{len(problems)} broken link(s) or path(s) in README.md and docs/*.md",
              file=sys.stderr)
        return 1
    print(f"doc_links: the links and paths of {len(docs)} documents resolve")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
