"""The command-line tools cetwin-plot (every plot a result file gives, as
image files) and cetwin-report (one self-contained HTML page). Both exit 1
with a message for bad input (a missing file, a file that is not a result,
an unknown plot) and 2 when drawing fails."""
import argparse
import os
import sys

FORMATS = ("png", "pdf", "svg")


class UsageError(Exception):
    """Bad input: the tool prints the message and exits 1."""


class _Parser(argparse.ArgumentParser):
    """argparse with the exit code of bad input (1, not argparse's 2)."""

    def error(self, message):
        self.print_usage(sys.stderr)
        self.exit(1, f"{self.prog}: {message}\n")


def _open(path):
    """Opens a result file, turning the ways it can fail into UsageError."""
    import cetwin

    if not os.path.exists(path):
        raise UsageError(f"{path}: no such file")
    if os.path.isdir(path):
        raise UsageError(f"{path}: is a directory, not a result file")
    try:
        return cetwin.open(path)
    except ValueError as err:
        raise UsageError(str(err)) from None
    except OSError as err:
        raise UsageError(f"{path}: not an HDF5 file ({err})") from None


def _run(tool, main, argv):
    os.environ.setdefault("MPLBACKEND", "Agg")
    try:
        return main(argv)
    except UsageError as err:
        print(f"{tool}: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _parser(prog, description, output, dpi):
    """The parser of either tool: the result file, -o/--output (metavar and
    help as given), --dpi (default and what it sets), -q/--quiet; the tool
    adds its own options to it."""
    p = _Parser(prog=prog, description=description)
    p.add_argument("result", metavar="RESULT.h5", help="a result file of cetwin run")
    p.add_argument("-o", "--output", **output)
    p.add_argument("--dpi", type=int, default=dpi[0],
                   help=f"resolution of {dpi[1]} (default: {dpi[0]})")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress lines")
    return p


def _plot_parser():
    p = _parser("cetwin-plot",
                "Writes every plot a cetwin result file gives (or those of --only) as "
                "image files named CASE-PLOT.FORMAT.",
                {"metavar": "DIR", "default": ".",
                 "help": "folder for the images (made when missing; default: .)"},
                (120, "PNG images"))
    p.add_argument("--format", choices=FORMATS, default="png", help="image format (default: png)")
    p.add_argument("--list", action="store_true",
                   help="list the plots the file gives, with what they show, and exit")
    p.add_argument("--only", nargs="+", metavar="NAME", help="draw only these plots")
    return p


def check_names(res, names):
    """The plot names asked for, checked against what the file gives."""
    from . import plot

    given = plot.available(res)
    for name in names:
        if name not in plot.REGISTRY:
            raise UsageError(f"unknown plot '{name}' (plots this file gives: "
                             f"{', '.join(given) or 'none'})")
        if name not in given:
            raise UsageError(f"plot '{name}' does not apply to {res.path} (it gives: "
                             f"{', '.join(given) or 'none'})")
    return names


def _plot_main(argv):
    args = _plot_parser().parse_args(argv)
    import matplotlib.pyplot as plt

    from . import plot

    with _open(args.result) as res:
        if args.list:
            for name in plot.available(res):
                print(f"{name:20s} {plot.describe(name)}")
            return 0
        names = check_names(res, args.only) if args.only else plot.available(res)
        if not names:
            print(f"cetwin-plot: {res.path} ({res.analysis}) gives no plot", file=sys.stderr)
            return 0
        try:
            os.makedirs(args.output, exist_ok=True)
        except OSError as err:
            raise UsageError(f"{args.output}: cannot make the folder ({err.strerror})") from None
        written, failed = 0, []
        for name, full, fig, err in plot.draw_each(res, names):
            if err is not None:
                failed.append(name)
                print(f"cetwin-plot: plot {name} failed: {type(err).__name__}: {err}",
                      file=sys.stderr)
                continue
            path = os.path.join(args.output, f"{res.case}-{full}.{args.format}")
            fig.savefig(path, dpi=args.dpi)
            plt.close(fig)
            written += 1
            if not args.quiet:
                print(f"wrote {path}")
        if not args.quiet:
            print(f"{written} plot(s) of '{res.case}' written to {args.output}")
    return _status("cetwin-plot", failed)


def _status(tool, failed):
    """The exit status after drawing: 2 (and the list) when plots failed."""
    if failed:
        print(f"{tool}: {len(failed)} plot(s) failed: {', '.join(failed)}", file=sys.stderr)
        return 2
    return 0


def plot_main(argv=None):
    """Entry point of cetwin-plot."""
    return _run("cetwin-plot", _plot_main, sys.argv[1:] if argv is None else argv)


def _report_parser():
    return _parser("cetwin-report",
                   "Writes one self-contained HTML page of a cetwin result file: provenance, "
                   "the headline tables and every plot (images inline, no network access "
                   "needed).",
                   {"metavar": "REPORT.html",
                    "help": "the page to write (default: RESULT.html beside the result)"},
                   (100, "the images"))


def _report_main(argv):
    args = _report_parser().parse_args(argv)
    from . import report

    out = args.output or os.path.splitext(args.result)[0] + ".html"
    folder = os.path.dirname(os.path.abspath(out))
    if not os.path.isdir(folder):
        raise UsageError(f"{out}: the folder {folder} does not exist")
    with _open(args.result) as res:
        progress = None if args.quiet else (lambda line: print(line, flush=True))
        page, failed = report.build(res, command=["cetwin-report"] + list(argv), dpi=args.dpi,
                                    progress=progress)
    partial = out + ".partial"
    with open(partial, "w", encoding="utf-8") as f:
        f.write(page)
    os.replace(partial, out)
    if not args.quiet:
        print(f"wrote {out} ({os.path.getsize(out) // 1024} KiB)")
    return _status("cetwin-report", failed)


def report_main(argv=None):
    """Entry point of cetwin-report."""
    return _run("cetwin-report", _report_main, sys.argv[1:] if argv is None else argv)
