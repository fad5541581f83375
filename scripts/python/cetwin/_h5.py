"""Reading helpers shared by the readers: strings, units, axis labels
(HDF5 dimension scales) and pandas frames built from labelled datasets,
following the reading rules of docs/hdf5-schema.md."""
import numpy as np
import pandas as pd


def text(value):
    """A string attribute or element as str (h5py gives bytes or str)."""
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, np.ndarray) and value.shape == ():
        return text(value[()])
    return str(value)


def attributes(obj):
    """The attributes of a file, group or dataset as a dict of Python
    values (str, int, float; arrays of strings as lists of str), without
    HDF5's dimension-scale bookkeeping."""
    out = {}
    for key, value in obj.attrs.items():
        if key in ("CLASS", "NAME", "REFERENCE_LIST", "DIMENSION_LIST"):
            continue
        if isinstance(value, (bytes, str)):
            value = text(value)
        elif isinstance(value, np.ndarray) and value.shape != () and value.dtype.kind in "OSU":
            value = [text(v) for v in value.ravel()]
        elif hasattr(value, "item") and getattr(value, "shape", ()) == ():
            value = value.item()
        out[key] = value
    return out


def strings(ds):
    """The strings of a string dataset as a list of str (an empty list is
    stored with one-byte fixed-length strings, see docs/hdf5-schema.md)."""
    if ds.shape == (0,):
        return []
    return [text(v) for v in ds[...].ravel()]


def units(ds):
    """The `units` attribute of a dataset: a str for every value, a numpy
    array of str (one per entry of the trailing axes) when they differ, or
    None when the dataset has none (string datasets)."""
    if "units" not in ds.attrs:
        return None
    return units_value(ds.attrs["units"])


def units_value(value):
    """A units attribute's value (of `units`, `carrier_units`,
    `property_units`) as units() gives it: a str, or an array of str."""
    if isinstance(value, np.ndarray) and value.shape != ():
        return np.vectorize(text, otypes=[object])(value)
    return text(value)


def long_name(ds):
    """The `long_name` of a dataset, or its last path component."""
    if "long_name" in ds.attrs:
        return text(ds.attrs["long_name"])
    return ds.name.rsplit("/", 1)[-1]


def dims(ds):
    """The names of the axes of a dataset (its `dims` attribute)."""
    if "dims" not in ds.attrs:
        return []
    return [d for d in text(ds.attrs["dims"]).split(",") if d]


def labels(ds, axis=-1):
    """The labels of one axis: the values of the dimension scale attached
    to it (str for names, int for numbered axes), or 0 ... n-1 when none
    is attached."""
    axis = axis % max(ds.ndim, 1)
    n = ds.shape[axis] if ds.ndim else 1
    try:
        scales = ds.dims[axis]
        if len(scales) > 0:
            scale = scales[0]
            if scale.dtype.kind in "OSU":
                return strings(scale)
            return [int(v) for v in scale[...]]
    except (KeyError, RuntimeError, ValueError):
        pass
    return list(range(n))


def unit_map(columns, value):
    """A mapping column -> unit for a units attribute that is one str or
    one str per column."""
    if value is None:
        return {}
    if isinstance(value, str):
        return {c: value for c in columns}
    flat = list(np.asarray(value, dtype=object).ravel())
    if len(flat) == len(columns):
        return dict(zip(columns, flat))
    return {}


def table(ds, index=None, columns=None):
    """A 2-D (or 1-D) dataset as a DataFrame labelled by its dimension
    scales; attrs carry `units` (column -> unit), `long_name` and `dims`.
    A 1-D dataset becomes one column named after the dataset."""
    data = ds[...]
    name = ds.name.rsplit("/", 1)[-1]
    if ds.ndim == 1:
        frame = pd.DataFrame({name: data}, index=index if index is not None else labels(ds, 0))
        unit = units(ds)
        frame.attrs["units"] = {name: unit} if isinstance(unit, str) else {}
        if unit is not None and not isinstance(unit, str):
            frame["units"] = list(unit)
    else:
        if ds.ndim != 2:
            raise ValueError(f"{ds.name}: {ds.ndim}-D dataset, use .array")
        cols = columns if columns is not None else labels(ds, 1)
        frame = pd.DataFrame(data, index=index if index is not None else labels(ds, 0),
                             columns=cols)
        frame.attrs["units"] = unit_map(cols, units(ds))
    axes = dims(ds)
    if axes:
        frame.index.name = axes[0]
        if ds.ndim == 2 and len(axes) > 1:
            frame.columns.name = axes[1]
    frame.attrs["long_name"] = long_name(ds)
    frame.attrs["dims"] = axes
    return frame


def columns(group, names=None, index_axis=None):
    """Several 1-D datasets of a group that share one axis, side by side as
    the columns of a DataFrame indexed by that axis's labels. Columns whose
    units differ by row keep them in attrs["row_units"][column] (a list);
    the others in attrs["units"][column]."""
    if names is None:
        names = [k for k, v in group.items()
                 if hasattr(v, "shape") and v.ndim == 1 and not _is_scale(v)
                 and (index_axis is None or dims(v) == [index_axis])]
    first = group[names[0]]
    frame = pd.DataFrame(index=labels(first, 0))
    axes = dims(first)
    if axes:
        frame.index.name = axes[0]
    frame.attrs["units"] = {}
    frame.attrs["row_units"] = {}
    for name in names:
        ds = group[name]
        frame[name] = strings(ds) if ds.dtype.kind in "OSU" else ds[...]
        unit = units(ds)
        if isinstance(unit, str):
            frame.attrs["units"][name] = unit
        elif unit is not None:
            frame.attrs["row_units"][name] = list(unit)
    return frame


def _is_scale(ds):
    return text(ds.attrs.get("CLASS", b"")) == "DIMENSION_SCALE"


def unit_of(frame, column, row=None):
    """The unit of a column of a frame made by this package (of one row
    when the column's units differ by row), or None."""
    if column in frame.attrs.get("units", {}):
        return frame.attrs["units"][column]
    per_row = frame.attrs.get("row_units", {}).get(column)
    if per_row is not None:
        if row is None:
            raise ValueError(f"the units of '{column}' differ by row: give the row")
        return per_row[list(frame.index).index(row)]
    if "units" in frame.columns and row is not None:
        return frame.loc[row, "units"]
    return None


def unit_list(ds, n=None):
    """The units of the entries of a dataset's last axis as a list of n
    str (a single unit repeated, or the per-entry list); None entries when
    the dataset has no `units`."""
    n = ds.shape[-1] if n is None else n
    value = units(ds)
    if value is None or isinstance(value, str):
        return [value] * n
    flat = list(np.asarray(value, dtype=object).ravel())
    return flat if len(flat) == n else [None] * n


def checked(values, allowed, where, what, n, items):
    """values (one per item) when there are n of them and each is one of
    allowed; else a ValueError naming the dataset (where) that holds
    them: "WHERE holds 3 WHAT for 5 ITEMS", "WHERE holds X; expected one
    of ..."."""
    values = list(values)
    if len(values) != n:
        raise ValueError(f"{where} holds {len(values)} {what} for {n} {items}")
    unknown = sorted({str(v) for v in values if v not in allowed})
    if unknown:
        raise ValueError(f"{where} holds {', '.join(unknown)}; expected one of "
                         f"{', '.join(map(str, allowed))}")
    return values


def shares(group, name, where, units, legacy=True, items="metrics"):
    """The share flags of a group's metrics (a list of bool, one per entry
    of units): the 0/1 dataset group[name] (/simulate/metrics/share,
    /mc/summary/share, /mc/deterministic/metrics/share and a scenario's,
    /optimize/objectives/share, /optimize/robust/share,
    /sensitivity/metric_share) checked by checked(). In a file written
    before it (docs/hdf5-schema.md): True where the metric's unit is `1`,
    as `cetwin info` decides; with legacy=False (an old /sensitivity)
    every flag False. where names the dataset in errors."""
    if name not in group:
        return [legacy and u == "1" for u in units]
    ds = group[name]
    if ds.ndim != 1:
        raise ValueError(f"{where} has {ds.ndim} axes; expected one flag per "
                         f"{items.rstrip('s')}")
    values = checked(ds[...], (0, 1), where, "flags", len(units), items)
    return [bool(v == 1) for v in values]


def percent(frame, columns, rows=None):
    """frame with the values of `columns` in per cent (x 100, unit `%`),
    as `cetwin info` prints a share: of every row (the column's unit in
    attrs["units"]), or of the rows where the list of bool `rows` is True
    (their units in attrs["row_units"]). Returns a copy."""
    out = frame.copy()
    out.attrs = {k: dict(v) if isinstance(v, dict) else v for k, v in frame.attrs.items()}
    units = out.attrs.setdefault("units", {})
    row_units = out.attrs.setdefault("row_units", {})
    for col in columns:
        if rows is None:
            out[col] = out[col].astype(float) * 100
            units[col] = "%"
            continue
        mask = np.asarray(rows, dtype=bool)
        if not mask.any():
            continue
        per_row = list(row_units.get(col) or [units.pop(col, None)] * len(out))
        values = out[col].to_numpy(dtype=float, copy=True)
        values[mask] *= 100
        out[col] = values
        row_units[col] = ["%" if m else u for m, u in zip(mask, per_row)]
    return out
