"""Reader of /reconcile, measured plant data adjusted by weighted least
squares to close the network's balances: the measurements (measured and
reconciled values, standard deviations before and after, normalised
adjustments, classification), the reconciled streams with their standard
deviations, the global chi-square test and the most likely culprit.

    res = cetwin.open("cu-zn-reconcile.h5")
    rec = res.reconcile
    rec.measurements             # one row per measurement, in the order read
    rec.global_test              # chi-square, dof, critical value, p, passed/failed
    rec.culprit                  # the measurement failing the test worst, or None
    rec.streams                  # reconciled totals with their sds"""
import numpy as np
import pandas as pd

from . import _h5


class Reconciliation:
    """The /reconcile group of a result file."""

    def __init__(self, result):
        self.result = result
        self.group = result.h5["reconcile"]

    @property
    def attrs(self):
        """The group attributes (source, csv, method, iterations, rank,
        dof, chi_square, alpha, culprit, ...; docs/hdf5-schema.md)."""
        return _h5.attributes(self.group)

    @property
    def components(self):
        return _h5.strings(self.group["components"])

    @property
    def flow_units(self):
        """The units of the stream flows."""
        return _h5.text(self.group["streams/total"].attrs["units"])

    @property
    def measurements(self):
        """One row per measurement (index: measurement, from 0, in the order
        read): stream, quantity, units, measured, sd, reconciled,
        reconciled_sd, adjustment (measured − reconciled),
        normalised_adjustment (NaN when it cannot be improved or was set
        aside), redundant, observable (its quantity is determined) and used
        (bool; False when set aside). The numbers' units differ by row:
        unit_of(frame, "measured", row) or the column units."""
        g = self.group["measurements"]
        values = ["measured", "sd", "reconciled", "reconciled_sd", "adjustment",
                  "normalised_adjustment"]
        frame = _h5.columns(g, ["stream", "quantity", "units", *values])
        frame.index.name = "measurement"
        frame["redundant"] = g["redundant"][...].astype(bool)
        frame["observable"] = np.isfinite(frame["reconciled"].to_numpy(dtype=float))
        frame["used"] = g["used"][...].astype(bool)
        units = list(frame["units"])
        frame.attrs["row_units"] = {c: units for c in values if c != "normalised_adjustment"}
        frame.attrs["units"] = {"normalised_adjustment": "1"}
        return frame

    @property
    def dropped(self):
        """The measurements set aside as gross errors (drop_gross_errors),
        in order: measurement (index), stream, quantity and the normalised
        adjustment it had when set aside. Empty when none."""
        m = self.measurements
        if "dropped" not in self.group:
            index, value = [], []
        else:
            index = [int(i) for i in self.group["dropped/measurement"][...]]
            value = list(self.group["dropped/normalised_adjustment"][...])
        frame = pd.DataFrame({"measurement": index,
                              "stream": [m.loc[i, "stream"] for i in index],
                              "quantity": [m.loc[i, "quantity"] for i in index],
                              "normalised_adjustment": np.asarray(value, dtype=float)})
        frame.index.name = "step"
        frame.attrs["units"] = {"normalised_adjustment": "1"}
        return frame

    @property
    def streams(self):
        """One row per stream (index: UNIT.OUTLET): total, total_sd,
        total_observable and the number of component flows determined
        (flow units in attrs["units"]); NaN where not determined."""
        g = self.group["streams"]
        frame = _h5.columns(g, ["total", "total_sd"])
        frame.index = pd.Index(_h5.strings(g["name"]), name="stream")
        frame["total_observable"] = g["total_observable"][...].astype(bool)
        frame["components_determined"] = g["flow_observable"][...].sum(axis=1).astype(int)
        return frame

    def _flows(self, name):
        g = self.group["streams"]
        return _h5.table(g[name], index=pd.Index(_h5.strings(g["name"]), name="stream"),
                         columns=self.components)

    @property
    def flows(self):
        """Reconciled component flows [stream, component] (NaN when not
        determined)."""
        return self._flows("flow")

    @property
    def flows_sd(self):
        """Their standard deviations [stream, component]."""
        return self._flows("flow_sd")

    @property
    def flows_observable(self):
        """[stream, component] True where the measurements determine the
        component flow."""
        frame = self._flows("flow_observable").astype(bool)
        frame.attrs["units"] = {}
        return frame

    @property
    def global_test(self):
        """The global test as a dict: chi_square, dof, critical (NaN when
        dof = 0), p_value, alpha, outcome ('passed', 'failed',
        'undefined')."""
        a = self.attrs
        return {"chi_square": float(a["chi_square"]), "dof": int(a["dof"]),
                "critical": float(a["chi_square_critical"]), "p_value": float(a["p_value"]),
                "alpha": float(a["alpha"]), "outcome": a["global_test"]}

    @property
    def critical(self):
        """The critical |normalised adjustment| of the measurement test
        (NaN when no measurement is redundant)."""
        return float(self.group.attrs["normalised_adjustment_critical"])

    @property
    def culprit(self):
        """The most likely culprit as a row of measurements (a Series, its
        name the index), or None when no measurement fails the test."""
        index = int(self.group.attrs["culprit"])
        return None if index < 0 else self.measurements.loc[index]

    def summary(self):
        """One row per figure of the run: method, iterations, measurements
        (used, redundant, not improvable, set aside), rank, the global test
        and the measurement test, the culprit."""
        a, m, t = self.attrs, self.measurements, self.global_test
        culprit = self.culprit
        rows = [
            ("method", a["method"], ""),
            ("iterations", a["iterations"], ""),
            ("measurements", len(m), ""),
            ("redundant", int(m["redundant"].sum()), ""),
            ("cannot be improved", int((~m["redundant"] & m["used"]).sum()), ""),
            ("set aside", int((~m["used"]).sum()), ""),
            ("rank", a["rank"], ""),
            ("chi-square", t["chi_square"], ""),
            ("degrees of freedom", t["dof"], ""),
            (f"chi-square critical (alpha = {t['alpha']:g})", t["critical"], ""),
            ("p-value", t["p_value"], ""),
            ("global test", t["outcome"], ""),
            ("critical |normalised adjustment|", self.critical, ""),
            ("most likely culprit",
             "none" if culprit is None else
             f"#{culprit.name + 1} {culprit['stream']} {culprit['quantity']} "
             f"({culprit['normalised_adjustment']:+.3f})", ""),
        ]
        frame = pd.DataFrame({"value": [r[1] for r in rows]},
                             index=pd.Index([r[0] for r in rows], name="item"))
        frame["value"] = frame["value"].astype(object)
        return frame

    def headline(self):
        """The report's tables: the summary, the redundant and set-aside
        measurements by |normalised adjustment|, the reconciled streams."""
        m = self.measurements
        checked = m[m["redundant"] | ~m["used"]].copy()
        checked["|na|"] = checked["normalised_adjustment"].abs()
        checked = checked.sort_values("|na|", ascending=False, na_position="first")
        shown = checked[["stream", "quantity", "units", "measured", "sd", "reconciled",
                         "reconciled_sd", "normalised_adjustment", "used"]].copy()
        shown.index = [f"#{i + 1}" for i in shown.index]
        shown.index.name = "measurement"
        shown = shown.rename(columns={"normalised_adjustment": "normalised"})
        shown.attrs = {"units": {"normalised": "1"}}
        streams = self.streams
        streams.attrs["units"] = {"total": self.flow_units, "total_sd": self.flow_units}
        return [("Reconciliation", self.summary()),
                ("Measurements that can be checked (largest |normalised adjustment| first)",
                 shown),
                (f"Reconciled streams ({self.flow_units})", streams)]
