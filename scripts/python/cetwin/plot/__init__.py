"""cetwin.plot — one function per plot, each taking a Result (and options)
and returning a matplotlib Figure.

Every plotting module of this package registers its functions with
@plot(applies=...), where applies(result) says whether a result file can
give that plot; cetwin-plot and cetwin-report draw every plot that
applies. A function may also return a list of (suffix, Figure) when it
draws one figure per item (per scenario, per metric)."""
import importlib
import pkgutil
import re

# name -> (function, applies)
REGISTRY = {}


def plot(applies):
    """Registers a plot function under its name."""

    def register(func):
        REGISTRY[func.__name__] = (func, applies)
        return func

    return register


def available(result):
    """The names of the plots the result supports, in registration order."""
    return [name for name, (_, applies) in REGISTRY.items() if applies(result)]


def draw_all(result, names=None):
    """Yields (name, Figure) for every plot the result supports, or for
    those of names (a plot drawing several figures yields name_suffix for
    each)."""
    for name in available(result) if names is None else names:
        out = REGISTRY[name][0](result)
        if isinstance(out, list):
            for suffix, fig in out:
                yield f"{name}_{suffix}", fig
        else:
            yield name, out


def draw_each(result, names=None):
    """Like draw_all, but a plot that raises does not stop the others:
    yields (name, full name, Figure, None), or (name, name, None, the
    exception) for a plot that failed (the tools report it and go on)."""
    for name in available(result) if names is None else names:
        try:
            for full, fig in draw_all(result, [name]):
                yield name, full, fig, None
        except Exception as err:  # noqa: BLE001 - handed to the caller
            yield name, name, None, err


def describe(name):
    """The first sentence of a plot function's docstring."""
    doc = (REGISTRY[name][0].__doc__ or name).strip()
    return " ".join(re.split(r"\.\s", doc + " ")[0].split()) + "."


def _load_modules():
    for info in pkgutil.iter_modules(__path__):
        if not info.name.startswith("_"):
            module = importlib.import_module(f"{__name__}.{info.name}")
            for name, (func, _) in REGISTRY.items():
                if func.__module__ == module.__name__:
                    globals()[name] = func


_load_modules()
