"""cetwin — read and plot the HDF5 result files of the cetwin simulator.

    import cetwin
    res = cetwin.open("bollrich.h5")
    res.mc.summary            # pandas DataFrame, units in .attrs["units"]
    cetwin.plot.npv_distribution(res)

See docs/analysis.md for a walk-through of every analysis."""
from ._h5 import unit_of
from .result import AnalysisMissing, Result, open

__all__ = ["open", "Result", "AnalysisMissing", "unit_of"]
__version__ = "0.1.0"


def __getattr__(name):
    # cetwin.plot imports matplotlib: only when it is used
    if name == "plot":
        import importlib

        return importlib.import_module("cetwin.plot")
    raise AttributeError(name)
