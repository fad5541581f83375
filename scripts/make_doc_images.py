#!/usr/bin/env python3
"""Refreshes the pictures of docs/analysis.md: runs every shipped case
(configs/*.yaml) with a cetwin binary, plus the examples below, and writes
docs/images/<case>-<plot>.png for every plot of the registry
(cetwin.plot) that each result gives and docs/analysis.md or README.md
shows (every one with --all).

Usage: scripts/make_doc_images.py CETWIN [--out DIR] [--dpi N] [--all] [--only CASE ...]
(use the Python that has h5py, pandas and matplotlib: /usr/bin/python3 on
Debian)."""
import argparse
import glob
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "scripts", "python"))
os.environ.setdefault("MPLBACKEND", "Agg")

# results no shipped case writes as it stands: name -> (case, --set overrides)
EXAMPLES = {
    "bollrich-draws": ("bollrich", ["mc.store_draws=true", "mc.draws=20000"]),
    "cu-zn-sweep": ("cu-zn-sensitivity", [
        "sensitivity.oat=false", "sensitivity.morris=false", "sensitivity.sobol=false",
        "sensitivity.sweep={values: {network.units.leach.split.Zn.solution: [0.9, 0.93, 0.96]},"
        " ranges: {network.units.electrowinning.split.Zn.bleed: {from: 0.005, to: 0.03, "
        "steps: 6}}}"]),
}


def runs(only):
    """(name, case file, overrides) of every run to make."""
    out = []
    for path in sorted(glob.glob(os.path.join(ROOT, "configs", "*.yaml"))):
        name = os.path.splitext(os.path.basename(path))[0]
        out.append((name, path, []))
    for name, (case, sets) in EXAMPLES.items():
        out.append((name, os.path.join(ROOT, "configs", case + ".yaml"), sets))
    return [r for r in out if not only or r[0] in only]


def shown():
    """Names of the pictures docs/analysis.md and README.md show."""
    names = set()
    for doc in ("docs/analysis.md", "README.md"):
        with open(os.path.join(ROOT, doc), encoding="utf-8") as f:
            names.update(re.findall(r"images/([\w.-]+\.png)", f.read()))
    return names


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("cetwin", help="the cetwin binary")
    parser.add_argument("--out", default=os.path.join(ROOT, "docs", "images"))
    parser.add_argument("--dpi", type=int, default=100)
    parser.add_argument("--only", nargs="+", metavar="CASE", help="only these cases")
    parser.add_argument("--all", action="store_true",
                        help="every plot, not only those the docs show")
    args = parser.parse_args()
    wanted = None if args.all else shown()

    import matplotlib.pyplot as plt

    import cetwin
    import cetwin.plot as plot

    os.makedirs(args.out, exist_ok=True)
    written = 0
    with tempfile.TemporaryDirectory(prefix="cetwin-doc-") as tmp:
        for name, case, sets in runs(args.only):
            result = os.path.join(tmp, name + ".h5")
            command = [args.cetwin, "run", case, "-o", result, "-q"]
            for value in sets:
                command += ["--set", value]
            p = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
            if p.returncode != 0:
                sys.exit(f"{name}: cetwin exit {p.returncode}\n{p.stderr}")
            with cetwin.open(result) as res:
                for full, fig in plot.draw_all(res):
                    path = os.path.join(args.out, f"{name}-{full}.png")
                    if wanted is not None and os.path.basename(path) not in wanted:
                        plt.close(fig)
                        continue
                    fig.savefig(path, dpi=args.dpi)
                    plt.close(fig)
                    written += 1
                    print(os.path.relpath(path, ROOT))
    print(f"{written} images in {os.path.relpath(args.out, ROOT)}")


main()
