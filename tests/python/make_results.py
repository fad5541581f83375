"""Runs every shipped case (configs/*.yaml) once into one folder, the
result files the tests of the Python and R packages read.
Usage: make_results.py CETWIN SOURCE_DIR OUT_DIR"""
import glob
import os
import subprocess
import sys


def main():
    cetwin, source, out = sys.argv[1:4]
    os.makedirs(out, exist_ok=True)
    for case in sorted(glob.glob(os.path.join(source, "configs", "*.yaml"))):
        name = os.path.splitext(os.path.basename(case))[0]
        target = os.path.join(out, name + ".h5")
        p = subprocess.run([cetwin, "run", case, "-o", target, "-q"], capture_output=True,
                           text=True, cwd=source)
        if p.returncode != 0:
            sys.exit(f"{name}: exit {p.returncode}\n{p.stderr}")
        print(f"{name}.h5")


main()
