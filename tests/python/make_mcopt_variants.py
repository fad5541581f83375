"""Runs shipped cases with --set overrides into result files that the
shipped results lack and the Monte Carlo and optimisation tests need:
stored draws, one, two and four objectives with other TOPSIS settings.
Usage: make_mcopt_variants.py CETWIN SOURCE_DIR OUT_DIR"""
import os
import subprocess
import sys

SMALL = ["optimize.generations=30", "optimize.population=40", "optimize.islands=2"]
VARIANTS = {
    # the draws stored, fewer of them
    "bollrich-draws": ("bollrich", ["mc.store_draws=true", "mc.draws=20000"]),
    # two objectives, min-max TOPSIS with unequal weights
    "pwb-two-objectives": ("bonnin-pwb-optimize", SMALL + [
        "objectives=[{metric: usage.cost, sense: minimize}, "
        "{metric: usage.flowrate, sense: maximize}]",
        "optimize.topsis={normalization: minmax, weights: [0.7, 0.3]}"]),
    # one objective: a front of one point
    "pwb-one-objective": ("bonnin-pwb-optimize", SMALL + [
        "objectives=[{metric: usage.cost, sense: minimize}]"]),
    # four objectives
    "pwb-four-objectives": ("bonnin-pwb-optimize", SMALL + [
        "objectives=[{metric: usage.cost, sense: minimize}, {metric: usage.gwp, sense: minimize}, "
        "{metric: usage.flowrate, sense: maximize}, {metric: usage.energy, sense: minimize}]",
        "optimize.topsis={normalization: vector, weights: [0.4, 0.1, 0.3, 0.2]}"]),
}


def main():
    cetwin, source, out = sys.argv[1:4]
    os.makedirs(out, exist_ok=True)
    for name, (case, sets) in VARIANTS.items():
        cmd = [cetwin, "run", os.path.join("configs", case + ".yaml"), "-q",
               "-o", os.path.join(out, name + ".h5")]
        for s in sets:
            cmd += ["--set", s]
        p = subprocess.run(cmd, capture_output=True, text=True, cwd=source)
        if p.returncode != 0:
            sys.exit(f"{name}: exit {p.returncode}\n{p.stderr}")
        print(f"{name}.h5")


main()
