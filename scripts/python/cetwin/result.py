"""The result object: an open cetwin result file, its provenance (root
attributes, the case as written and as resolved, the overrides) and one
reader per analysis group, created on first use."""
import importlib

import h5py
import pandas as pd

from . import _h5

# Group of the file -> (module, class) of its reader. Every reader takes
# the Result and reads lazily from result.h5[group].
READERS = {
    "enumerate": ("cetwin.enumerate", "Enumeration"),
    "simulate": ("cetwin.simulate", "Simulation"),
    "mc": ("cetwin.mc", "MonteCarlo"),
    "optimize": ("cetwin.optimize", "Optimization"),
    "sensitivity": ("cetwin.sensitivity", "Sensitivity"),
    "prices": ("cetwin.prices", "Prices"),
    "reconcile": ("cetwin.reconcile", "Reconciliation"),
}


class AnalysisMissing(KeyError):
    """The file holds no group of the analysis asked for."""

    def __str__(self):
        return self.args[0]


class Result:
    """A cetwin result file opened read-only (use as a context manager or
    call close()). Readers: .enumerate, .simulate, .mc, .optimize,
    .sensitivity, .prices, .reconcile; .analyses lists those the file holds."""

    def __init__(self, path):
        self.path = str(path)
        self.h5 = h5py.File(self.path, "r")
        if _h5.text(self.h5.attrs.get("format", "")) != "cetwin-result":
            name = self.path
            self.h5.close()
            raise ValueError(f"{name}: not a cetwin result file (no format = cetwin-result)")
        self._readers = {}

    def close(self):
        """Closes the file; the frames already read stay valid."""
        self.h5.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self):
        return (f"<cetwin result '{self.case}' ({self.analysis}) {self.path}: "
                f"{', '.join(self.analyses)}>")

    @property
    def attrs(self):
        """The root attributes as a dict of Python values (str, int)."""
        return _h5.attributes(self.h5)

    @property
    def case(self):
        """The case's name."""
        return _h5.text(self.h5.attrs["case"])

    @property
    def analysis(self):
        """The analysis the case ran (enumerate, simulate, mc, optimize,
        sensitivity, ...)."""
        return _h5.text(self.h5.attrs["analysis"])

    @property
    def format_version(self):
        return int(self.h5.attrs["format_version"])

    @property
    def analyses(self):
        """The reader names this file supports, in file order."""
        return [g for g in self.h5.keys() if g in READERS]

    @property
    def config_text(self):
        """The resolved case (includes expanded, --set applied) as YAML
        text; None for files before format_version 2."""
        value = self.h5.attrs.get("resolved_config")
        return None if value is None else _h5.text(value)

    @property
    def config(self):
        """The resolved case as a dict (needs PyYAML)."""
        text = self.config_text
        if text is None:
            return None
        import yaml

        return yaml.safe_load(text)

    @property
    def inputs(self):
        """The files read (the case first, then its includes) and their
        texts, as a DataFrame indexed by path."""
        group = self.h5["input"]
        return pd.DataFrame({"text": _h5.strings(group["texts"])},
                            index=pd.Index(_h5.strings(group["files"]), name="file"))

    @property
    def overrides(self):
        """The --set overrides in order: a DataFrame of path and value."""
        group = self.h5["input"]
        if "override_path" not in group:
            return pd.DataFrame({"path": [], "value": []})
        return pd.DataFrame({"path": _h5.strings(group["override_path"]),
                             "value": _h5.strings(group["override_value"])})

    def reader(self, name):
        """The reader of one analysis group (the same as the attribute)."""
        if name not in READERS:
            raise AnalysisMissing(f"unknown analysis '{name}' (known: {', '.join(READERS)})")
        if name not in self._readers:
            if name not in self.h5:
                raise AnalysisMissing(
                    f"{self.path}: no /{name} in this file (it holds: "
                    f"{', '.join(self.analyses) or 'no analysis'})")
            module, cls = READERS[name]
            self._readers[name] = getattr(importlib.import_module(module), cls)(self)
        return self._readers[name]

    def __getattr__(self, name):
        if name in READERS:
            return self.reader(name)
        raise AttributeError(name)


def open(path):  # noqa: A001 - the package's entry point is cetwin.open
    """Opens a cetwin result file (HDF5) for reading."""
    return Result(path)
