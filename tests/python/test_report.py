"""scripts/cetwin-report on every shipped case's result file: the page is
self-contained (every image inline, no reference to anything outside it),
holds the provenance, a table of contents, the headline tables and one
image per plot of the registry; and the errors of the tool (exit 1 with
a message). test_report_browser opens a page in a browser."""
import contextlib
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile

import matplotlib.pyplot as plt

import pkgtest
from pkgtest import check

import cetwin
import cetwin.plot as plot
from cetwin import cli

TOOL = os.path.join(pkgtest.SOURCE, "scripts", "cetwin-report")
# attributes that load something: only data: URIs and in-page anchors are allowed
REFERENCE = re.compile(r"""\b(src|href|poster|action|data|srcset|background)\s*=\s*["']?([^"'\s>]*)""",
                       re.IGNORECASE)


def run(*args):
    return subprocess.run([sys.executable, TOOL] + list(args), capture_output=True, text=True)


def in_process(*args):
    """cetwin-report's main in this process: (exit code, stdout, stderr)."""
    err, out = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        code = cli.report_main(list(args))
    return subprocess.CompletedProcess(args, code, out.getvalue(), err.getvalue())


def self_contained(page, name):
    """No external reference: every src/href is data: or #anchor, no <link>,
    @import or url(...), and no http(s) address outside the text blocks
    (the case's own text may quote one)."""
    for attr, value in REFERENCE.findall(page):
        check(value.startswith("data:") or value.startswith("#"),
              f"{name}: external reference {attr}={value[:60]}")
    for pattern in (r"<link\b", r"@import", r"url\(", r"<iframe\b", r"<object\b", r"<embed\b"):
        check(not re.search(pattern, page, re.IGNORECASE), f"{name}: {pattern} in the page")
    outside = re.sub(r"<pre>.*?</pre>|<code>.*?</code>|<td[^>]*>.*?</td>", "", page, flags=re.S)
    check(not re.search(r"https?://", outside), f"{name}: an http(s) address in the page")


def counted(call):
    """call() with every plot of the registry counting what it draws:
    (call's value, the names of the plots drawn, the number of figures)."""
    drawn, figures = [], []
    saved = dict(plot.REGISTRY)

    def counting(name, func):
        def draw(res, *args, **kwargs):
            out = func(res, *args, **kwargs)
            drawn.append(name)
            figures.extend(out if isinstance(out, list) else [out])
            return out
        return draw

    plot.REGISTRY.update({name: (counting(name, func), applies)
                          for name, (func, applies) in saved.items()})
    try:
        return call(), drawn, len(figures)
    finally:
        plot.REGISTRY.update(saved)


def every_result(folder):
    pages = {}
    for i, path in enumerate(pkgtest.results()):
        with cetwin.open(path) as res:
            case, analyses, available = res.case, res.analyses, plot.available(res)
            if i == 0:  # the figures the script's page must hold, drawn here
                figures = len([name for name, fig in plot.draw_all(res)
                               if plt.close(fig) is None])
            commit = res.attrs["git_commit"]
        out = os.path.join(folder, case + ".html")
        # the script itself on the first; its main on the others, which
        # counts the figures its plots draw (every plot that applies, once)
        if i == 0:
            p = run(path, "-o", out)
        else:
            p, drawn, figures = counted(lambda: in_process(path, "-o", out))
            check(drawn == available, f"{case}: plots drawn {drawn}, expected {available}")
        check(p.returncode == 0, f"{case}: exit {p.returncode}\n{p.stderr}")
        check(f"wrote {out}" in p.stdout, f"{case}: progress {p.stdout}")
        with open(out, encoding="utf-8") as f:
            page = f.read()
        self_contained(page, case)
        check(f"<h1>{case}</h1>" in page, f"{case}: title")
        check(commit in page and "command line" in page and "resolved case" in page,
              f"{case}: provenance")
        check('<nav><h2>Contents</h2>' in page, f"{case}: table of contents")
        for name in analyses:
            check(f'id="tables-{name}"' in page, f"{case}: no tables of /{name}")
        check(page.count("<img ") == figures, f"{case}: {page.count('<img ')} images, "
              f"{figures} plots")
        check(not os.path.exists(out + ".partial"), f"{case}: partial file left")
        pages[case] = (out, figures)
    sens = pages["bollrich-sensitivity"][0]
    with open(sens, encoding="utf-8") as f:
        page = f.read()
    for title in ("Tornado of npv", "Break-even of npv = 0", "Sobol&#x27; indices: npv"):
        check(title in page, f"sensitivity tables: {title} missing")
    check('<span class="unit">[EUR]</span>' in page, "sensitivity tables: no unit in a header")
    # each reader's headline(), not the generic tables of its group
    for case, titles in {"cu-zn-exchange": ["Key metrics", "What leaves the twin, by sink"],
                         "bollrich": ["Summary over 200000 draws", "UNFC rating"],
                         "bonnin-pwb-optimize": ["best 10 of", "Objectives"],
                         "bonnin-pwb": ["Flowsheets found", "Final flowsheets (7 found)"],
                         "cu-zn-reconcile": ["most likely culprit", "Reconciled streams"]}.items():
        with open(pages[case][0], encoding="utf-8") as f:
            page = f.read()
        for title in titles:
            check(title in page, f"{case}: headline table {title!r} missing")
    return pages


def errors(folder):
    sens = pkgtest.result("bollrich-sensitivity")
    for args, message in (([os.path.join(folder, "missing.h5")], "no such file"),
                          ([sens, "-o", os.path.join(folder, "no", "r.html")], "does not exist"),
                          ([sens, "--bogus"], "unrecognized arguments: --bogus")):
        p = run(*args)
        check(p.returncode == 1 and message in p.stderr,
              f"{args}: exit {p.returncode}, {p.stderr!r} lacks {message!r}")


def failing_plot(folder):
    """A plot that raises: the page is written with the failure in its
    place and the other plots, and the tool exits 2."""

    @plot.plot(applies=lambda res: True)
    def broken(res):
        raise RuntimeError("drawing went wrong")

    try:
        out = os.path.join(folder, "broken.html")
        p = in_process(pkgtest.result("cu-zn-sensitivity"), "-o", out, "-q")
        check(p.returncode == 2 and "1 plot(s) failed: broken" in p.stderr,
              f"failing plot: exit {p.returncode} {p.stderr}")
        with open(out, encoding="utf-8") as f:
            page = f.read()
        check("The plot <b>broken</b> failed: RuntimeError: drawing went wrong" in page,
              "failing plot: no message on the page")
        check(page.count("<img ") == 5, "failing plot: the other plots")
    finally:
        del plot.REGISTRY["broken"]


work = tempfile.mkdtemp(prefix="cetwin-report-")
try:
    every_result(work)
    errors(work)
    failing_plot(work)
finally:
    shutil.rmtree(work)
pkgtest.finish()
