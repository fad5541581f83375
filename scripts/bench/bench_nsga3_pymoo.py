#!/usr/bin/env python3
"""bench_nsga3_pymoo.py — pymoo's NSGA-III on the budget of bench_nsga3.c.

Runs pymoo's NSGA3 on DTLZ1 or DTLZ2 with M objectives: Das-Dennis
reference directions with Deb & Jain's (2014) divisions (12, 6, 3+2 for
M = 3, 5, 8), the population bench_nsga3 uses (the directions' count rounded
up to a multiple of 4), the same generations, SBX with probability 1 and
eta 30, polynomial mutation with eta 20 of every offspring and pymoo's
default 1/n per variable, seeds 1..SEEDS. pymoo's PM mutates an offspring
with probability 0.9 unless told; this script passes 1, bench_nsga3's
(and Deb & Jain's) setting, and -p P passes P (-p 0.9: pymoo's default;
compare with bench_nsga3 -p 0.9). For each run: CPU seconds (time.process_time,
the whole minimize call, one thread) and the IGD of the final
non-dominated points against the same targets as bench_nsga3 (the
reference directions mapped to the true front: scaled to sum 0.5 for
DTLZ1, to unit length for DTLZ2), mean of the nearest distances.

pymoo is not a Debian package; point PYTHONPATH at a pymoo source tree
(its pure-Python fallbacks are used). pymoo imports moocore, autograd,
cma, alive_progress and deprecated when it starts; where one of them is
missing a stand-in module is installed whose functions raise if called,
so any use of them by this benchmark would show as an error, not as a
silently different result.

Usage: PYTHONPATH=/path/to/pymoo bench_nsga3_pymoo.py [-p P] dtlz1|dtlz2 M GEN SEEDS
Prints one line in bench_nsga3's format:
  pymoo nsga3 <problem> M=.. pop=.. gen=.. seeds=.. pm=.. seconds=<median>
  igd=<best>/<median>/<worst>
"""
import importlib
import os
import sys
import time
import types

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402


def stand_in(name):
    """A module whose every attribute is a function that refuses to run."""
    module = types.ModuleType(name)

    def lookup(attribute):
        def unavailable(*args, **kwargs):
            raise RuntimeError(f"{name}.{attribute} is not installed")

        return unavailable

    module.__getattr__ = lookup
    return module


for optional in ("moocore", "autograd", "cma", "alive_progress", "deprecated"):
    try:
        importlib.import_module(optional)
    except ImportError:
        sys.modules[optional] = stand_in(optional)

from pymoo.config import Config  # noqa: E402

Config.warnings["not_compiled"] = False

from pymoo.algorithms.moo.nsga3 import NSGA3  # noqa: E402
from pymoo.operators.crossover.sbx import SBX  # noqa: E402
from pymoo.operators.mutation.pm import PM  # noqa: E402
from pymoo.optimize import minimize  # noqa: E402
from pymoo.problems import get_problem  # noqa: E402
from pymoo.util.nds.non_dominated_sorting import NonDominatedSorting  # noqa: E402
from pymoo.util.ref_dirs import get_reference_directions  # noqa: E402

DIVISIONS = {3: (12, 0), 5: (6, 0), 8: (3, 2), 10: (3, 2), 15: (2, 1)}


def reference_directions(m):
    outer, inner = DIVISIONS[m]
    layers = [get_reference_directions("das-dennis", m, n_partitions=outer)]
    if inner:
        centre = np.full(m, 1.0 / m)
        layer = get_reference_directions("das-dennis", m, n_partitions=inner)
        layers.append(0.5 * layer + 0.5 * centre)
    return np.vstack(layers)


def targets(problem, directions):
    if problem == "dtlz1":
        return 0.5 * directions / directions.sum(axis=1, keepdims=True)
    return directions / np.linalg.norm(directions, axis=1, keepdims=True)


def igd(target, points):
    distance = np.linalg.norm(target[:, None, :] - points[None, :, :], axis=2)
    return float(distance.min(axis=1).mean())


def main(argv):
    mutation = 1.0
    if len(argv) > 2 and argv[1] == "-p":
        try:
            mutation = float(argv[2])
        except ValueError:
            mutation = -1.0
        argv = argv[:1] + argv[3:]
    if len(argv) != 5 or argv[1] not in ("dtlz1", "dtlz2") or not 0 <= mutation <= 1:
        print(__doc__.strip().split("\n\n")[-1], file=sys.stderr)
        return 2
    problem_name, m, generations, seeds = argv[1], int(argv[2]), int(argv[3]), int(argv[4])
    directions = reference_directions(m)
    population = (len(directions) + 3) // 4 * 4
    n_var = m + (4 if problem_name == "dtlz1" else 9)
    problem = get_problem(problem_name, n_var=n_var, n_obj=m)
    goal = targets(problem_name, directions)
    seconds, quality = [], []
    for seed in range(1, seeds + 1):
        algorithm = NSGA3(ref_dirs=directions, pop_size=population,
                          crossover=SBX(prob=1.0, eta=30), mutation=PM(eta=20, prob=mutation))
        start = time.process_time()
        result = minimize(problem, algorithm, ("n_gen", generations), seed=seed, verbose=False)
        seconds.append(time.process_time() - start)
        objectives = result.pop.get("F")
        front = objectives[NonDominatedSorting().do(objectives, only_non_dominated_front=True)]
        quality.append(igd(goal, front))
    quality.sort()
    print(f"pymoo nsga3 {problem_name} M={m} pop={population} gen={generations} "
          f"seeds={seeds} pm={mutation:g} seconds={np.median(seconds):.3f} "
          f"igd={quality[0]:.3e}/{quality[len(quality) // 2]:.3e}/{quality[-1]:.3e}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
