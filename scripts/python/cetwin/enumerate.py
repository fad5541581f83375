"""Reader of /enumerate: the flowsheets (process chains) that reach the
target purity, the chains whose last product no process accepts
(unprocessable) and those stopped at the maximum length (truncated), with
their purity, recovery, product flow and consumption by carrier.

    res = cetwin.open("bonnin-pwb.h5")
    res.enumerate.final            # one row per flowsheet, units in attrs
    res.enumerate.steps("final")   # one row per step of every chain"""
import numpy as np
import pandas as pd

from . import _h5

KINDS = ("final", "unprocessable", "truncated")


class Enumeration:
    """The /enumerate group of a result file."""

    def __init__(self, result):
        self.result = result
        self.group = result.h5["enumerate"]

    @property
    def attrs(self):
        """The group attributes (feed, main_component, flow_units,
        target_purity, max_length, mode, tolerance, nodes, ...)."""
        return _h5.attributes(self.group)

    @property
    def flow_units(self):
        return _h5.text(self.group.attrs["flow_units"])

    @property
    def main_component(self):
        return _h5.text(self.group.attrs["main_component"])

    @property
    def processes(self):
        """Process ids in library order (what `steps` indexes)."""
        return _h5.strings(self.group["processes"])

    @property
    def components(self):
        return _h5.strings(self.group["components"])

    @property
    def carriers(self):
        return _h5.strings(self.group["carriers"])

    @property
    def properties(self):
        return _h5.strings(self.group["properties"])

    @property
    def outlets(self):
        """Outlet names: `product` first, then the secondary outlets."""
        return _h5.strings(self.group["outlets"])

    @property
    def feed(self):
        """The feed: mass flow per component (column `mass`, flow units)."""
        return _h5.table(self.group["feed/mass"], index=self.components)

    @property
    def counts(self):
        """How many flowsheets of each kind were found and stored."""
        rows = {kind: (int(self.group[kind].attrs["found"]), int(self.group[kind].attrs["stored"]))
                for kind in KINDS}
        frame = pd.DataFrame.from_dict(rows, orient="index", columns=["found", "stored"])
        frame.index.name = "kind"
        frame.attrs["units"] = {"found": "1", "stored": "1"}
        return frame

    def _kind(self, kind):
        if kind not in KINDS:
            raise ValueError(f"unknown kind of flowsheet '{kind}' (known: {', '.join(KINDS)})")
        return self.group[kind]

    def flowsheets(self, kind="final"):
        """One row per stored flowsheet of a kind (final, unprocessable,
        truncated): chain, its process ids (tuple), length, purity,
        recovery, product flow and one column per consumption carrier.
        attrs["units"] maps every numeric column to its unit."""
        group = self._kind(kind)
        frame = _h5.columns(group, ["chain", "purity", "recovery", "flow"])
        frame.index.name = "flowsheet"
        procs = self.processes
        steps = group["steps"][...]
        frame.insert(1, "processes", [tuple(procs[i] for i in row if i >= 0) for row in steps])
        frame.insert(2, "length", (steps >= 0).sum(axis=1).astype(int) if steps.size
                     else np.zeros(len(frame), dtype=int))
        frame.attrs["units"]["length"] = "1"
        consumption = self.consumption(kind)
        for carrier in consumption.columns:
            frame[carrier] = consumption[carrier].to_numpy()
            frame.attrs["units"][carrier] = consumption.attrs["units"].get(carrier)
        frame.attrs["carriers"] = list(consumption.columns)
        frame.attrs["kind"] = kind
        frame.attrs["found"] = int(group.attrs["found"])
        return frame

    def headline(self):
        """The report's tables: how many flowsheets of each kind, and the
        final flowsheets (chain, length, purity, recovery, product flow,
        consumption per carrier)."""
        final = self.final
        return [("Flowsheets found", self.counts),
                (f"Final flowsheets ({final.attrs['found']} found)",
                 final.drop(columns=["processes"]))]

    @property
    def final(self):
        """The flowsheets that reach the target purity."""
        return self.flowsheets("final")

    @property
    def unprocessable(self):
        """The chains whose last product no process accepts."""
        return self.flowsheets("unprocessable")

    @property
    def truncated(self):
        """The chains stopped at the maximum length."""
        return self.flowsheets("truncated")

    def steps(self, kind="final"):
        """One row per step of every chain of a kind: flowsheet, position
        (0 = first), process id and the properties preprocessed before the
        step (a tuple of names)."""
        group = self._kind(kind)
        steps = group["steps"][...]
        pre = group["preprocessed"][...]
        procs, props = self.processes, self.properties
        rows = []
        for f, (row, bits) in enumerate(zip(steps, pre)):
            for pos, (index, mask) in enumerate(zip(row, bits)):
                if index < 0:
                    break
                names = tuple(p for k, p in enumerate(props) if int(mask) >> k & 1)
                rows.append((f, pos, procs[index], names))
        return pd.DataFrame(rows, columns=["flowsheet", "position", "process", "preprocessed"])

    def _table(self, kind, name):
        return _h5.table(self._kind(kind)[name])

    def product(self, kind="final"):
        """Mass flow per component of each flowsheet's product [flowsheet,
        component], in flow units."""
        return self._table(kind, "product")

    def fraction(self, kind="final"):
        """Mass fractions of each flowsheet's product."""
        return self._table(kind, "fraction")

    def waste(self, outlet, kind="final"):
        """Mass flow per component to a secondary outlet (waste1, ...),
        summed over each chain."""
        if outlet not in self.outlets[1:]:
            raise ValueError(f"unknown outlet '{outlet}' (secondary outlets: "
                             f"{', '.join(self.outlets[1:])})")
        return self._table(kind, outlet)

    def consumption(self, kind="final"):
        """Consumption per carrier summed over each chain [flowsheet,
        carrier]; NaN where a process has no published value."""
        return self._table(kind, "consumption")

    def product_properties(self, kind="final"):
        """Physical properties of each flowsheet's product."""
        return self._table(kind, "properties")
