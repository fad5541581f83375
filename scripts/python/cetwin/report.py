"""cetwin-report's page: one self-contained HTML file of a result (the
stylesheet, a small script and every image inline as base64 PNG; nothing
is fetched from the network) with the provenance, the headline tables of
each analysis and every plot of the registry.

The tables of an analysis come from its reader's headline() (a list of
(title, DataFrame)); for a reader without one, from the small 1-D and 2-D
datasets of its group, with their units."""
import base64
import datetime
import html
import importlib
import io
import math
import os
import re
import shlex

import numpy as np

from . import __version__, _h5
from .result import READERS

# tables longer than this show their first MAX_ROWS rows
MAX_ROWS = 60
# a generic table: datasets of at most this many values, at most MAX_TABLES tables
MAX_VALUES = 600
MAX_TABLES = 30

STYLE = """
:root { --ink: #1d2733; --muted: #5b6b7b; --line: #d9e0e7; --band: #f4f7fa; --accent: #0072B2; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
header { background: var(--ink); color: #fff; padding: 28px 40px 22px; }
header h1 { margin: 0 0 4px; font-size: 26px; font-weight: 600; }
header p { margin: 0; color: #c9d4df; }
main { max-width: 1180px; margin: 0 auto; padding: 8px 40px 60px; }
nav { background: var(--band); border: 1px solid var(--line); border-radius: 6px;
  padding: 12px 20px; margin: 24px 0; }
nav h2 { font-size: 14px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted);
  margin: 0 0 6px; border: 0; padding: 0; }
nav ol { margin: 0; padding-left: 20px; columns: 2; column-gap: 40px; }
nav li { break-inside: avoid; }
nav ol ol { columns: 1; list-style: lower-alpha; font-size: 14px; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
h2 { font-size: 21px; font-weight: 600; margin: 36px 0 10px; padding-bottom: 4px;
  border-bottom: 2px solid var(--line); }
h3 { font-size: 16px; font-weight: 600; margin: 24px 0 6px; }
table { border-collapse: collapse; margin: 6px 0 12px; font-size: 13px;
  font-variant-numeric: tabular-nums; }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--line); text-align: right;
  vertical-align: top; }
th { background: var(--band); font-weight: 600; }
th:first-child, td:first-child { text-align: left; }
td.text, th.text { text-align: left; }
tbody tr:nth-child(even) { background: #fafbfc; }
.unit { color: var(--muted); font-weight: 400; font-size: 12px; }
.scroll { overflow-x: auto; max-width: 100%; }
.note { color: var(--muted); font-size: 13px; margin: 2px 0 10px; }
.error { color: #a33; border-left: 4px solid #D55E00; padding: 4px 12px; background: #fdf3ee; }
table.kv th { text-align: left; width: 190px; }
table.kv td { text-align: left; word-break: break-word; }
details { margin: 10px 0; border: 1px solid var(--line); border-radius: 6px; padding: 6px 12px; }
summary { cursor: pointer; font-weight: 600; }
pre { background: var(--band); padding: 12px; overflow-x: auto; font-size: 12px; line-height: 1.4;
  font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; }
code { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 13px; }
figure { margin: 16px 0 28px; }
figure img { max-width: 100%; height: auto; border: 1px solid var(--line); border-radius: 4px; }
figcaption { color: var(--muted); font-size: 13px; margin-top: 4px; }
footer { color: var(--muted); font-size: 12px; margin-top: 40px; border-top: 1px solid var(--line);
  padding-top: 8px; }
@media print { nav { display: none; } header { background: none; color: var(--ink); } }
"""

# sets <html data-images="ok"> once every image has loaded (or
# "broken N" / "pending N"), for readers and for the tests in a browser
SCRIPT = """
window.addEventListener("load", function () {
  var imgs = Array.prototype.slice.call(document.images);
  var bad = imgs.filter(function (i) { return !(i.complete && i.naturalWidth > 0); });
  document.documentElement.setAttribute("data-images",
      bad.length ? "broken " + bad.length : "ok");
  document.documentElement.setAttribute("data-image-count", String(imgs.length));
});
"""

TITLES = {
    "enumerate": "Enumeration",
    "simulate": "Network twin (simulate)",
    "mc": "Monte Carlo",
    "optimize": "Optimisation",
    "sensitivity": "Sensitivity analysis",
    "prices": "Price models",
    "reconcile": "Reconciliation",
}

PROVENANCE = [("case", "case"), ("analysis", "analysis"), ("cetwin version", "cetwin_version"),
              ("git commit", "git_commit"), ("command line", "command_line"),
              ("run at (UTC)", "created_utc"), ("MPI ranks", "mpi_ranks"),
              ("OpenMP threads", "omp_threads"), ("seed", "seed"),
              ("result format", "format_version"), ("shards merged", "shards")]


def esc(value):
    return html.escape(str(value), quote=True)


def slug(text):
    return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-") or "section"


def fmt(value):
    """A cell as text: numbers to 4 significant digits (from 10 000 on whole,
    with thousands separators), NaN as a dash."""
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (int, np.integer)):
        return f"{int(value):,}"
    if isinstance(value, (float, np.floating)):
        if math.isnan(value):
            return "–"
        if math.isinf(value):
            return "∞" if value > 0 else "−∞"
        if abs(value) >= 1e4 and abs(value) < 1e15:
            return f"{value:,.0f}"
        return f"{value:.4g}"
    return str(value)


def table_html(frame):
    """A DataFrame as an HTML table; the units of its columns (attrs
    "units") in the header, those that differ by row (attrs "row_units")
    after each value."""
    units = frame.attrs.get("units", {}) or {}
    row_units = frame.attrs.get("row_units", {}) or {}
    shown = frame.iloc[:MAX_ROWS]
    index_name = " / ".join(str(n) for n in frame.index.names if n is not None) or ""
    head = [f"<th>{esc(index_name)}</th>"]
    for col, dtype in zip(frame.columns, frame.dtypes):
        label = " ".join(str(c) for c in col) if isinstance(col, tuple) else str(col)
        unit = units.get(col)
        tail = f' <span class="unit">[{esc(unit)}]</span>' if unit not in (None, "") else ""
        cls = "" if dtype.kind in "biuf" else ' class="text"'
        head.append(f"<th{cls}>{esc(label)}{tail}</th>")
    rows = []
    for pos, (key, row) in enumerate(shown.iterrows()):
        key = " / ".join(fmt(k) for k in key) if isinstance(key, tuple) else fmt(key)
        cells = [f"<td>{esc(key)}</td>"]
        for col in frame.columns:
            value = row[col]
            text = fmt(value)
            per_row = row_units.get(col)
            if per_row is not None and per_row[pos] not in (None, "", "1") and text != "–":
                text += f" {per_row[pos]}"
            numeric = isinstance(value, (int, float, np.integer, np.floating))
            cls = "" if numeric else ' class="text"'
            cells.append(f"<td{cls}>{esc(text)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    more = ""
    if len(frame) > MAX_ROWS:
        more = f'<p class="note">… and {len(frame) - MAX_ROWS} more rows (read them with the ' \
               f'Python package).</p>'
    return (f'<div class="scroll"><table><thead><tr>{"".join(head)}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>{more}')


def kv_table(pairs):
    rows = "".join(f"<tr><th>{esc(k)}</th><td>{v}</td></tr>" for k, v in pairs)
    return f'<table class="kv">{rows}</table>'


# --- the tables of an analysis ------------------------------------------------------------
def reader_tables(result, name):
    """(title, DataFrame) of an analysis: its reader's headline(), or the
    generic tables of its group."""
    module = READERS.get(name, (None,))[0]
    try:
        if module is not None:
            importlib.import_module(module)
            reader = result.reader(name)
            if hasattr(reader, "headline"):
                return reader.headline()
    except ImportError:
        pass
    return generic_tables(result.h5[name])


def _is_scale(ds):
    return _h5.text(ds.attrs.get("CLASS", b"")) == "DIMENSION_SCALE"


def generic_tables(group):
    """The small 1-D datasets of each subgroup side by side (one table per
    shared axis), then every small 2-D dataset, labelled by the files'
    scales and with their units."""
    out = []
    groups = [group]
    group.visititems(lambda _, obj: groups.append(obj) if hasattr(obj, "keys") else None)
    for g in groups:
        by_axis = {}
        for key, ds in g.items():
            if hasattr(ds, "keys") or _is_scale(ds) or ds.size > MAX_VALUES or ds.size == 0:
                continue
            if ds.ndim == 1:
                if ds.dtype.kind in "OSU" and _h5.strings(ds) == _h5.labels(ds, 0):
                    continue  # a list of names that is also its axis's labels
                by_axis.setdefault(tuple(_h5.dims(ds)) or (key,), []).append(key)
            elif ds.ndim == 2 and ds.dtype.kind in "fiu":
                frame = _h5.table(ds)
                out.append((f"{ds.name}: {frame.attrs['long_name']}", frame))
        for axis, names in by_axis.items():
            frame = _h5.columns(g, names)
            where = g.name if g.name != "/" else ""
            out.append((f"{where} by {axis[0]}", frame))
        if len(out) >= MAX_TABLES:
            break
    return out[:MAX_TABLES]


# --- the page ----------------------------------------------------------------------------------
def _png(fig, dpi):
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def provenance_html(result):
    attrs = result.attrs
    pairs = []
    for label, key in PROVENANCE:
        if key in attrs:
            value = attrs[key]
            value = " ".join(map(str, value)) if isinstance(value, list) else value
            shown = f"<code>{esc(value)}</code>" if key in ("command_line", "git_commit") \
                else esc(value)
            pairs.append((label, shown))
    parts = [kv_table(pairs)]
    overrides = result.overrides
    if len(overrides):
        parts.append("<h3>Overrides (--set)</h3>")
        rows = "".join(f"<tr><td><code>{esc(p)}</code></td><td class='text'><code>{esc(v)}"
                       f"</code></td></tr>" for p, v in zip(overrides["path"], overrides["value"]))
        parts.append(f"<table><thead><tr><th>path</th><th>value</th></tr></thead>"
                     f"<tbody>{rows}</tbody></table>")
    else:
        parts.append('<p class="note">No overrides (--set) were given.</p>')
    if "input" in result.h5:
        files = list(dict.fromkeys(result.inputs.index))
        parts.append("<p class='note'>Files read: " + ", ".join(f"<code>{esc(f)}</code>"
                                                               for f in files) + "</p>")
    if "config" in attrs:
        parts.append("<details><summary>The case as written</summary>"
                     f"<pre>{esc(attrs['config'])}</pre></details>")
    text = result.config_text
    if text is not None:
        parts.append("<details><summary>The resolved case (includes expanded, overrides "
                     f"applied)</summary><pre>{esc(text)}</pre></details>")
    return "\n".join(parts)


def build(result, command=None, dpi=100, progress=None):
    """The report page of an open Result as HTML text, and the names of
    the plots that failed (each shown as an error box on the page)."""
    import matplotlib.pyplot as plt

    from . import plot

    say = progress or (lambda line: None)
    sections = [("provenance", "Provenance", provenance_html(result))]
    for name in result.analyses:
        say(f"tables of /{name}")
        body = []
        for title, frame in reader_tables(result, name):
            body.append(f"<h3>{esc(title)}</h3>{table_html(frame)}")
        if body:
            sections.append((f"tables-{name}", f"{TITLES.get(name, name)}: tables",
                             "\n".join(body)))
    figures, failed = [], []
    for name, full, fig, err in plot.draw_each(result):
        say(f"plot {full}")
        if err is not None:
            failed.append(name)
            figures.append(f'<p class="error">The plot <b>{esc(name)}</b> failed: '
                           f"{esc(type(err).__name__)}: {esc(err)}</p>")
            continue
        figures.append(
            f'<figure id="plot-{slug(full)}"><img alt="{esc(full)}" '
            f'src="data:image/png;base64,{_png(fig, dpi)}"><figcaption><b>{esc(full)}'
            f"</b>: {esc(plot.describe(name))}</figcaption></figure>")
        plt.close(fig)
    if figures:
        sections.append(("plots", "Plots", "\n".join(figures)))
    names = re.findall(r'<figure id="(plot-[^"]+)"><img alt="([^"]+)"', "\n".join(figures))
    sub = "".join(f'<li><a href="#{fid}">{alt}</a></li>' for fid, alt in names)
    toc = "".join(f'<li><a href="#{sid}">{esc(title)}</a>'
                  + (f"<ol>{sub}</ol>" if sid == "plots" and sub else "") + "</li>"
                  for sid, title, _ in sections)
    body = "\n".join(f'<section id="{sid}"><h2>{esc(title)}</h2>\n{content}</section>'
                     for sid, title, content in sections)
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    made = shlex.join(command) if command else "cetwin.report.build"
    analyses = ", ".join(TITLES.get(a, a) for a in result.analyses) or "no analysis"
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(result.case)}: cetwin report</title>
<style>{STYLE}</style>
<script>{SCRIPT}</script>
</head>
<body>
<header><h1>{esc(result.case)}</h1>
<p>cetwin {esc(result.analysis)} result · {esc(analyses)} · {esc(os.path.basename(result.path))}</p>
</header>
<main>
<nav><h2>Contents</h2><ol>{toc}</ol></nav>
{body}
<footer>Made by <code>{esc(made)}</code> (cetwin Python package {esc(__version__)}) on {now}
from {esc(os.path.abspath(result.path))}.</footer>
</main>
</body>
</html>
"""
    return page, failed


__all__ = ["build", "table_html", "generic_tables", "reader_tables"]
