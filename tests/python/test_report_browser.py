"""A cetwin-report page opened in headless Chromium (Debian's chromium,
which scripts/common.sh installs), offline and with a fresh profile: every
image has loaded (the page's own script marks <html data-images="ok"> and
counts them), the console stays silent, and the screenshot of the page is
not blank, its lower part (the plots) neither."""
import os
import re
import shutil
import subprocess
import sys
import tempfile

import matplotlib.image as mpimg

import pkgtest
from pkgtest import check

import cetwin
import cetwin.plot as plot

TOOL = os.path.join(pkgtest.SOURCE, "scripts", "cetwin-report")
CHROMIUM = shutil.which("chromium")


def chromium(url, folder, *mode):
    profile = tempfile.mkdtemp(dir=folder)
    return subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--no-first-run", f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0"]
        + list(mode) + [url], capture_output=True, text=True, timeout=120, cwd=folder)


def browser(path, n_images, folder):
    name = os.path.basename(path)
    url = "file://" + os.path.abspath(path)
    p = chromium(url, folder, "--virtual-time-budget=10000", "--dump-dom")
    check(p.returncode == 0, f"{name}: chromium exit {p.returncode}\n{p.stderr[-2000:]}")
    html = re.search(r"<html[^>]*>", p.stdout)
    html = html.group(0) if html else ""
    check('data-images="ok"' in html, f"{name}: images not all loaded: {html}")
    check(f'data-image-count="{n_images}"' in html, f"{name}: image count: {html}")
    console = [line for line in p.stderr.split("\n") if ":CONSOLE" in line]
    check(not console, f"{name}: console messages: {console}")
    shot = os.path.join(folder, name + ".png")
    p = chromium(url, folder, f"--screenshot={shot}", "--window-size=1280,4000",
                 "--virtual-time-budget=5000")
    check(p.returncode == 0 and os.path.exists(shot), f"{name}: no screenshot\n{p.stderr[-2000:]}")
    if os.path.exists(shot):
        pixels = mpimg.imread(shot)[..., :3]
        check(pixels.shape[0] == 4000 and pixels.shape[1] == 1280, f"{name}: {pixels.shape}")
        check(pixels.std() > 0.1, f"{name}: blank screenshot (sd {pixels.std():.3f})")
        # the plots are drawn: the lower part of the page is not blank
        check(pixels[2000:].std() > 0.05 or n_images == 0, f"{name}: lower half blank")


def page(case, folder):
    """The report of a shipped case and its number of plots."""
    path = pkgtest.result(case)
    with cetwin.open(path) as res:
        n_images = len(list(plot.draw_all(res)))
    out = os.path.join(folder, case + ".html")
    p = subprocess.run([sys.executable, TOOL, path, "-o", out, "-q"], capture_output=True,
                       text=True)
    if p.returncode != 0:
        sys.exit(f"cetwin-report {case}: exit {p.returncode}\n{p.stderr}")
    return out, n_images


if CHROMIUM is None:
    sys.exit("chromium is not installed (scripts/common.sh installs it)")
work = tempfile.mkdtemp(prefix="cetwin-browser-")
try:
    browser(*page("cu-zn-sensitivity", work), work)
finally:
    shutil.rmtree(work)
pkgtest.finish()
