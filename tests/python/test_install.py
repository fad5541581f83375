"""The offline installation of the Python package as its README gives it
(Debian 12: a virtual environment that sees the Debian packages, pip
without network, build isolation or dependency resolution): install a
copy of scripts/python into a fresh venv, import it there (not from the
tree) and read a result file with it."""
import os
import shutil
import subprocess
import sys
import tempfile

import pkgtest
from pkgtest import check

# the commands of scripts/python/README.md, with VENV for the environment
VENV_COMMAND = "python3 -m venv --system-site-packages VENV"
PIP_COMMAND = "VENV/bin/pip install --no-index --no-build-isolation --no-deps scripts/python"


def readme_has_commands():
    with open(os.path.join(pkgtest.SOURCE, "scripts", "python", "README.md")) as f:
        text = f.read()
    for command in (VENV_COMMAND, PIP_COMMAND):
        check(command.replace("VENV", "~/cetwin-venv") in text,
              f"README.md does not give: {command}")


def install():
    with tempfile.TemporaryDirectory() as tmp:
        source = os.path.join(tmp, "scripts", "python")
        tree = os.path.join(os.path.abspath(pkgtest.SOURCE), "scripts", "python")
        shutil.copytree(tree, source,
                        ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
        venv = os.path.join(tmp, "venv")
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PIP_INDEX_URL")}
        env["PIP_NO_INDEX"] = "1"
        for command in (VENV_COMMAND, PIP_COMMAND):
            args = command.replace("VENV", venv).split()
            if args[0] == "python3":
                args[0] = sys.executable
            p = subprocess.run(args, cwd=tmp, env=env, capture_output=True, text=True)
            if not check(p.returncode == 0, f"{' '.join(args)}: exit {p.returncode}\n"
                         f"{p.stdout[-2000:]}\n{p.stderr[-2000:]}"):
                return
        probe = ("import sys, cetwin, cetwin.plot as p\n"
                 "print(cetwin.__file__)\n"
                 "r = cetwin.open(sys.argv[1])\n"
                 "print(round(float(r.mc.summary.loc['npv', 'mean'])))\n"
                 "print(','.join(sorted(p.REGISTRY)))\n")
        p = subprocess.run([os.path.join(venv, "bin", "python"), "-c", probe,
                            os.path.abspath(pkgtest.result("bollrich"))],
                           cwd=tmp, env=env, capture_output=True, text=True)
        if check(p.returncode == 0, f"import from the venv: {p.stderr[-2000:]}"):
            where, mean, plots = p.stdout.split("\n")[:3]
            check(where.startswith(venv), f"cetwin imported from {where}, not the venv")
            check(mean != "" and float(mean) != 0, f"npv mean {mean}")
            check("pareto_front" in plots.split(",") and "cash_flow" in plots.split(","),
                  f"plots of the installed package: {plots}")


readme_has_commands()
install()
pkgtest.finish()
