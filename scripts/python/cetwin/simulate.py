"""Reader of /simulate, one evaluation of a network twin: units, the
stream table, unit balances, consumption, metrics (KPIs), parameters, the
Sankey edge list, and the fate of every component leaving the twin (what
the Metal Wheel and the Residue Wheel draw).

    res = cetwin.open("cu-zn-exchange.h5")
    sim = res.simulate
    sim.streams                  # one row per stream, flows per component
    sim.metric("recovery.Cu")    # one KPI
    sim.metal_wheel()            # per element: recovered / intermediate / lost

Fate of what leaves the twin, from the kind of the sink that receives it
(docs/analysis.md, "Network twins"): a market sink takes a product (the
element is recovered as a commodity), a valorisation sink an intermediate
product used elsewhere (valorised), an export sink an intermediate product
that leaves the system boundary otherwise (exported), a landfill sink
what is lost."""
import fnmatch

import numpy as np
import pandas as pd

from . import _h5

SINK_KINDS = ("market", "valorisation", "export", "landfill")
# Fate of the mass a sink of each kind receives, in Metal Wheel order.
FATES = {"market": "recovered", "valorisation": "valorised", "export": "exported",
         "landfill": "landfilled"}
INTERMEDIATE = ("valorised", "exported")

# The families of /simulate/metrics/family (docs/hdf5-schema.md); the key
# metrics are those of the first.
FAMILIES = ("headline", "detail", "unit", "cash_flow")
# The family of a metric in a file written before the families were
# recorded: the first pattern its name matches ('*' stands for any run of
# characters, dots included), headline when none does. The naming rule of
# the runs that wrote such files, as `cetwin info` applies it.
LEGACY_FAMILIES = (("mass.*", "detail"), ("production.*", "detail"),
                   ("recovery.*.*", "detail"), ("exergy.*.*", "unit"),
                   ("export.*.*", "detail"), ("cash.*", "cash_flow"), ("dcf.*", "cash_flow"))

# Chemical element symbols: the components of a twin that the Metal Wheel
# shows by default (not lumps such as Gangue, Matrix, Balance, Volatiles).
ELEMENTS = frozenset("""H He Li Be B C N O F Ne Na Mg Al Si P S Cl Ar K Ca Sc Ti V Cr Mn Fe
Co Ni Cu Zn Ga Ge As Se Br Kr Rb Sr Y Zr Nb Mo Tc Ru Rh Pd Ag Cd In Sn Sb Te I Xe Cs Ba La Ce
Pr Nd Pm Sm Eu Gd Tb Dy Ho Er Tm Yb Lu Hf Ta W Re Os Ir Pt Au Hg Tl Pb Bi Po At Rn Fr Ra Ac
Th Pa U Np Pu""".split())


class Simulation:
    """The /simulate group of a result file."""

    def __init__(self, result):
        self.result = result
        self.group = result.h5["simulate"]

    @property
    def attrs(self):
        """The group attributes (flow_units, unit_count, streams, loops,
        closure, closure_unit, closure_component, closure_tolerance)."""
        return _h5.attributes(self.group)

    @property
    def flow_units(self):
        return _h5.text(self.group.attrs["flow_units"])

    @property
    def components(self):
        return _h5.strings(self.group["components"])

    @property
    def elements(self):
        """The components that are chemical elements, in case order."""
        return [c for c in self.components if c in ELEMENTS]

    @property
    def carriers(self):
        return _h5.strings(self.group["carriers"])

    @property
    def units(self):
        """One row per unit (index: name): type (feed, process, splitter,
        mixer, sink), sink_kind (sinks only), process (library id) and loop
        (index of the recycle loop it belongs to, -1 for none)."""
        frame = _h5.columns(self.group["units"], ["type", "sink_kind", "process"])
        frame.index = pd.Index(_h5.strings(self.group["units/name"]), name="unit")
        member = {u: k for k, loop in enumerate(self.loops) for u in loop}
        frame["loop"] = [member.get(u, -1) for u in frame.index]
        return frame

    @property
    def loops(self):
        """The recycle loops: a list of lists of unit names, in solve order."""
        return [s.split(",") for s in _h5.strings(self.group["loops"])]

    @property
    def feeds(self):
        """The feed units' physical properties [feed, property] as the case
        gives them (NaN: not given)."""
        ds = self.group["feeds/properties"]
        frame = _h5.table(ds, index=_h5.strings(self.group["feeds/name"]))
        units = ds.attrs.get("property_units")
        if units is not None:
            frame.attrs["units"] = _h5.unit_map(list(frame.columns), _h5.units_value(units))
        return frame

    @property
    def streams(self):
        """The stream table, one row per stream (index: UNIT.OUTLET):
        from, outlet, to, total, then the mass flow of every component
        (flow units, in attrs["units"])."""
        group = self.group["streams"]
        frame = _h5.columns(group, ["from", "outlet", "to", "total"])
        frame.index = pd.Index(_h5.strings(group["name"]), name="stream")
        flows = _h5.table(group["flow"], index=frame.index)
        for c in flows.columns:
            frame[c] = flows[c].to_numpy()
        frame.attrs["units"].update(flows.attrs["units"])
        frame.attrs["components"] = list(flows.columns)
        return frame

    def _balance(self, name):
        ds = self.group["balance"][name]
        return _h5.table(ds, index=pd.Index(_h5.strings(self.group["units/name"]), name="unit"))

    @property
    def inflow(self):
        """Mass entering each unit [unit, component] (feed plus inlet
        streams; for sinks what they receive)."""
        return self._balance("inflow")

    @property
    def outflow(self):
        """Mass leaving each unit [unit, component] through its outlets;
        for sinks what they receive."""
        return self._balance("outflow")

    @property
    def closure(self):
        """Relative balance closure of each unit and component."""
        return self._balance("closure")

    @property
    def balances(self):
        """One row per unit: total inflow and outflow (flow units) and the
        largest relative closure error over the components."""
        inflow, outflow, closure = self.inflow, self.outflow, self.closure
        frame = pd.DataFrame({"inflow": inflow.sum(axis=1), "outflow": outflow.sum(axis=1),
                              "closure": closure.max(axis=1)})
        frame.attrs["units"] = {"inflow": self.flow_units, "outflow": self.flow_units,
                                "closure": "1"}
        return frame

    @property
    def consumption(self):
        """Consumption of every carrier by every unit [unit, carrier]."""
        ds = self.group["consumption"]
        return _h5.table(ds, index=pd.Index(_h5.strings(self.group["units/name"]), name="unit"))

    @property
    def metrics(self):
        """The KPIs of this evaluation (index: metric): value, unit,
        description, family (headline, detail, unit or cash_flow:
        docs/hdf5-schema.md) and share (True for a share of a whole: a
        recovery, the IRR, an efficiency, a usage rate; `cetwin info`
        prints it as a percentage). The family is the one the file records
        (/simulate/metrics/family); a file written before it was recorded
        gets the family the metric's name had in the runs that wrote such
        files (legacy_family), as `cetwin info` gives it. The share flags
        are /simulate/metrics/share; a file without it takes every metric
        of unit `1` for a share, as `cetwin info` does.
        unit_of(frame, "value", metric) gives a metric's unit."""
        group = self.group["metrics"]
        frame = _named_values(group, "name", "metric")
        where = f"{self.result.path}: /simulate/metrics"
        if "family" in group:
            frame["family"] = _h5.checked(_h5.strings(group["family"]), FAMILIES,
                                          f"{where}/family", "families", len(frame), "metrics")
        else:
            frame["family"] = [legacy_family(name) for name in frame.index]
        frame["share"] = _h5.shares(group, "share", f"{where}/share", list(frame["unit"]))
        return frame

    def metric(self, name):
        """The value of one metric."""
        metrics = self.metrics
        if name not in metrics.index:
            raise KeyError(f"no metric '{name}' in {self.result.path}")
        return float(metrics.loc[name, "value"])

    @property
    def parameters(self):
        """The parameters used (index: key path, what --set takes): value,
        unit."""
        return _named_values(self.group["parameters"], "path", "parameter")

    @property
    def sankey(self):
        """The Sankey edge list, one row per stream and component with
        positive flow: source, target, component, stream, flow."""
        frame = _h5.columns(self.group["sankey"], ["source", "target", "component", "stream",
                                                   "flow"])
        frame.index.name = "link"
        return frame

    def edges(self, component=None):
        """One row per stream with positive flow of `component` (the total
        mass when None): stream, source, target, flow (flow units)."""
        streams = self.streams
        column = "total" if component is None else component
        if column not in streams.columns or column in ("from", "outlet", "to"):
            raise KeyError(f"unknown component '{component}' (components: "
                           f"{', '.join(self.components)})")
        frame = pd.DataFrame({"source": streams["from"], "target": streams["to"],
                              "flow": streams[column].astype(float)})
        frame = frame[frame["flow"] > 0]
        frame.attrs["units"] = {"flow": self.flow_units}
        return frame

    def key_metrics(self):
        """The metrics a summary shows, those of family headline (as
        `cetwin run` and `cetwin info` print them): value, unit,
        description, family, share."""
        metrics = self.metrics
        frame = metrics[metrics["family"] == "headline"].copy()
        frame.attrs["units"] = {}
        frame.attrs["row_units"] = {"value": list(frame["unit"])}
        return frame

    def headline(self):
        """The report's tables: the key metrics (a share in per cent, as
        `cetwin info` prints it) and the sinks (kind, fate, the units
        sending to them, the mass received)."""
        sinks = self.sinks()
        table = sinks[["kind", "fate", "total"]].copy()
        table.insert(2, "sources", [", ".join(s) for s in sinks["sources"]])
        table.attrs["units"] = {"total": self.flow_units}
        metrics = self.key_metrics()
        metrics = _h5.percent(metrics, ["value"], list(metrics["share"]))
        return [("Key metrics", metrics.drop(columns=["unit", "family", "share"])),
                ("What leaves the twin, by sink", table)]

    # -- what leaves the twin ---------------------------------------------

    def sinks(self):
        """One row per sink unit: kind, fate (recovered, valorised,
        exported, landfilled), the units sending streams to it (sources)
        and the mass received per component (flow units)."""
        units = self.units
        sinks = units[units["type"] == "sink"]
        received = self.inflow.loc[sinks.index]
        streams = self.streams
        frame = pd.DataFrame({"kind": sinks["sink_kind"],
                              "fate": [FATES.get(k, "") for k in sinks["sink_kind"]],
                              "sources": [tuple(streams.loc[streams["to"] == s, "from"])
                                          for s in sinks.index],
                              "total": received.sum(axis=1)})
        for c in received.columns:
            frame[c] = received[c].to_numpy()
        frame.attrs["units"] = {c: self.flow_units for c in ["total", *received.columns]}
        frame.attrs["components"] = list(received.columns)
        return frame

    def fate(self, components=None):
        """Mass of every component leaving the twin by fate [component,
        fate] (recovered, valorised, exported, landfilled), in flow
        units."""
        sinks = self.sinks()
        components = self.components if components is None else list(components)
        unknown = [c for c in components if c not in self.components]
        if unknown:
            raise KeyError(f"unknown component {', '.join(unknown)} (components: "
                           f"{', '.join(self.components)})")
        frame = pd.DataFrame(0.0, index=pd.Index(components, name="component"),
                             columns=list(FATES.values()))
        for _, row in sinks.iterrows():
            if row["fate"]:
                frame[row["fate"]] += row[components].to_numpy(dtype=float)
        frame.attrs["units"] = {c: self.flow_units for c in frame.columns}
        return frame

    def metal_wheel(self, components=None):
        """The Metal Wheel: per element (by default the components that are
        chemical elements and leave the twin with positive mass), the share
        of what leaves the twin that is recovered (market), valorised and
        exported (the intermediate products) and landfilled (lost); each
        row sums to 1. Column `intermediate` = valorised + exported;
        attrs["destinations"] names the sinks of each fate."""
        if components is None:
            components = self.elements
        mass = self.fate(components)
        total = mass.sum(axis=1)
        shares = mass[total > 0].div(total[total > 0], axis=0)
        shares.insert(1, "intermediate", shares["valorised"] + shares["exported"])
        shares["mass"] = total[total > 0]
        shares.attrs["units"] = {**{c: "1" for c in shares.columns}, "mass": self.flow_units}
        sinks = self.sinks()
        shares.attrs["destinations"] = {fate: list(sinks.index[sinks["fate"] == fate])
                                        for fate in FATES.values()}
        return shares

    def residues(self):
        """The intermediate products and residues leaving the twin (every
        sink that is not a market, with positive mass): kind, fate,
        sources, total and mass per component (flow units). Their
        compositions are what the Residue Wheel shows."""
        sinks = self.sinks()
        return sinks[(sinks["kind"] != "market") & (sinks["total"] > 0)]


def legacy_family(name):
    """The family of metric `name` in a file without
    /simulate/metrics/family (LEGACY_FAMILIES)."""
    for pattern, family in LEGACY_FAMILIES:
        if fnmatch.fnmatchcase(name, pattern):
            return family
    return "headline"


def _named_values(group, key, axis):
    """A metrics- or parameters-like group (names, value, units[,
    description]) as a frame indexed by name with the value's unit per
    row."""
    names = _h5.strings(group[key])
    frame = pd.DataFrame({"value": np.asarray(group["value"][...], dtype=float),
                          "unit": _h5.strings(group["units"])},
                         index=pd.Index(names, name=axis))
    if "description" in group:
        frame["description"] = _h5.strings(group["description"])
    frame.attrs["units"] = {}
    frame.attrs["row_units"] = {"value": list(frame["unit"])}
    return frame
