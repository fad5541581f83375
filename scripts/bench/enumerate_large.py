#!/usr/bin/env python3
"""Enumeration of a large generated process library: time and peak memory.

Generates a library of N processes over C components (illustrative numbers,
not from any source: each process accepts a window of the main-component
fraction and concentrates it), runs `cetwin run` on it with maximum chain
length X on 1 and 2 MPI ranks, and prints wall time, peak resident memory
(from /usr/bin/time), process steps explored and the flowsheet counts.

usage: enumerate_large.py CETWIN [--processes 30] [--length 12] [--seed 1]
"""
import argparse
import os
import random
import re
import subprocess
import tempfile


def library(n, components, rng):
    lines = []
    for i in range(n):
        lo = rng.uniform(0.0, 0.9)
        hi = min(1.0, lo + rng.uniform(0.05, 0.3))
        lines.append(f"P{i:02d}:")
        lines.append(f"  name: generated process {i} (illustrative)")
        lines.append(f"  accept: {{M: [{lo:.4f}, {hi:.4f}]}}")
        lines.append("  split:")
        for k, comp in enumerate(components):
            keep = rng.uniform(0.85, 0.99) if k == 0 else rng.uniform(0.2, 0.95)
            lines.append(f"    {comp}: {{product: {keep:.4f}, waste1: {1 - keep:.4f}}}")
        lines.append(f"  consumption: {{electricity: {rng.uniform(100, 5000):.0f}}}")
    return "\n".join(lines) + "\n"


def case(components, length):
    fractions = ", ".join(f"{c}: {0.2 if i == 0 else 0.8 / (len(components) - 1):.6f}"
                          for i, c in enumerate(components))
    return f"""name: enumerate-large
analysis: enumerate
components: [{", ".join(components)}]
main_component: M
processes: !include library.yaml
feed:
  composition: {{{fractions}}}
  flow: 1
enumerate:
  target_purity: 0.999
  max_length: {length}
  max_stored: 1000
"""


def run(cetwin, path, out, ranks):
    env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")
    cmd = ["/usr/bin/time", "-v", "mpirun", "-n", str(ranks), "--oversubscribe", cetwin, "run",
           path, "-o", out]
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if p.returncode != 0:
        raise SystemExit(p.stderr)
    wall = re.search(r"Elapsed \(wall clock\) time.*: (.*)", p.stderr).group(1)
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr).group(1))
    nodes = re.search(r"(\d+) process steps explored", p.stderr).group(1)
    counts = re.search(r"final: (\d+), unprocessable: (\d+).*truncated: (\d+)", p.stdout)
    limited = "stopped at max_nodes" in p.stderr
    return wall, rss, nodes + (" (max_nodes reached)" if limited else ""), counts.groups()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cetwin")
    ap.add_argument("--processes", type=int, default=30)
    ap.add_argument("--length", type=int, default=12)
    ap.add_argument("--components", type=int, default=6)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    comps = ["M"] + [f"I{i}" for i in range(1, a.components)]
    d = tempfile.mkdtemp(prefix="cetwin-bench-")
    with open(os.path.join(d, "library.yaml"), "w") as f:
        f.write(library(a.processes, comps, rng))
    path = os.path.join(d, "case.yaml")
    with open(path, "w") as f:
        f.write(case(comps, a.length))
    print(f"{a.processes} processes, {a.components} components, X = {a.length}")
    for ranks in (1, 2):
        wall, rss, nodes, (fin, unp, trunc) = run(a.cetwin, path, os.path.join(d, "out.h5"), ranks)
        print(f"{ranks} rank(s): wall {wall}, peak RSS {rss / 1024:.1f} MiB (largest rank), "
              f"{nodes} steps, final {fin}, unprocessable {unp}, truncated {trunc}")


if __name__ == "__main__":
    main()
