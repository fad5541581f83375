"""`cetwin merge` refuses shards that disagree with themselves or with each
other. Real shards of a small sweep (configs/bollrich.yaml with one
uncertain parameter besides its price paths, mc.store_draws true) are
copied and edited with h5py, one defect per copy: every dataset of
/mc/summary, /mc/draws, /mc/variables and /mc/unfc shortened, lengthened,
emptied, of the wrong type or rank, or missing; names and units that
disagree with the columns; share flags other than the first shard's;
draw indices, undefined counts and exact sums that disagree with the
summary; /mc attributes out of range (first_draw near 2^63 or negative,
flags other than 0 and 1, ...); 2-D price paths.
Each copy is merged after a valid shard (the lists of names and the
attributes also alone): exit 1, one message naming the copy and the
dataset, and neither the result nor a .partial left. Merges of valid shards
(with and without their draws, and with mc.quantiles false) equal one run
bit for bit, with the run's /prices and every dataset's dimension scales;
a shard whose draws end at 2^63 - 1 merges. A merge whose output's
.partial exists stops with exit 1 and leaves that file as it is.

usage: merge_shards.py CETWIN SOURCE_DIR"""
import os
import re
import shutil
import sys

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from cetwin_testlib import (check_same, expect_input_error, group_items,  # noqa: E402
                            run, setup, strip_checksum_record)

cetwin, source, _, d, c = setup()
case = os.path.join(source, "configs", "bollrich.yaml")
# every cetwin of this test is one MPI process: Open MPI then needs neither
# its runtime daemon nor network transports (a start 3 times faster)
for key, value in (("ess_singleton_isolated", "1"), ("btl", "self"), ("pml", "ob1")):
    os.environ.setdefault("OMPI_MCA_" + key, value)
SETS = ["-q", "--set", "uncertain=[{price: [BaSO4, Cu, Pb, Zn, Co, Ga, In, diesel]}, "
        "{path: economics.discount_rate, distribution: uniform, min: 0.05, max: 0.1}]",
        "--set", "mc.block=8"]
INT64_MAX = 2**63 - 1


def out(name):
    return os.path.join(d, name)


def shard(name, first, n, *more):
    """Runs the case over draws first .. first + n - 1 into name."""
    code, _, err = run(cetwin, ["run", case, "-o", out(name), "--set", f"mc.first_draw={first}",
                                "--set", f"mc.draws={n}"] + SETS + list(more))
    c.check(code == 0, f"shard {name}: exit {code}\n{err}")
    return out(name)


def merge_equals(shards, full, what, keep=lambda name: True):
    """Merges shards and checks the result against the run full (the items
    whose names keep accepts)."""
    path = out("merged.h5")
    for p in (path, path + ".partial"):
        if os.path.exists(p):
            os.remove(p)
    code, _, err = run(cetwin, ["merge"] + shards + ["-o", path, "-q"])
    c.check(code == 0, f"{what}: exit {code}\n{err}")
    if code == 0:
        x, y = group_items(full), group_items(path)
        check_same(c, {k: v for k, v in x.items() if keep(k)},
                   {k: v for k, v in y.items() if keep(k)}, what)


STORE = ["--set", "mc.store_draws=true"]
a = shard("a.h5", 0, 24, *STORE)
b = shard("b.h5", 24, 16, *STORE)
merge_equals([b, a], shard("full.h5", 0, 40, *STORE), "merged draws vs one run")
# a merge whose output's .partial exists (another merge may be writing it)
# stops and leaves it as it is
taken = out("taken.h5")
with open(taken + ".partial", "wb") as f:
    f.write(b"another merge's bytes")
code, _, err = run(cetwin, ["merge", a, b, "-o", taken])
with open(taken + ".partial", "rb") as f:
    kept = f.read() == b"another merge's bytes"
c.check(code == 1 and f"'{taken}.partial' exists: another run may be writing" in err
        and err.count("error:") == 1 and kept and not os.path.exists(taken),
        f"merge onto an existing partial file: exit {code}, kept {kept}\n{err}")


def scales(path):
    """The names of the dimension scales of every dataset of the file at
    path (references resolved in that file)."""
    found = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset) and not name.startswith("merge"):
                found[name] = [[s.name for s in dim.values()] for dim in obj.dims]
        f.visititems(visit)
    return found


# the rest of the run: the price models' fits, and every dataset's scales
# resolved in the merged file itself
check_same(c, group_items(out("full.h5"), "prices"), group_items(out("merged.h5"), "prices"),
           "/prices, merged vs one run")
full_scales, merged_scales = scales(out("full.h5")), scales(out("merged.h5"))
c.check(full_scales == merged_scales,
        "dimension scales, merged vs one run: " + str(sorted(
            k for k in set(full_scales) | set(merged_scales)
            if full_scales.get(k) != merged_scales.get(k))))
# without the draws, a merge has the moments only (no percentiles, no rating)
MOMENTS = ("summary/n", "summary/n_undefined", "summary/n_negative", "summary/exact",
           "summary/mean", "summary/sd", "summary/se", "summary/min", "summary/max",
           "summary/sum", "summary/sum_sq", "summary/prob_negative", "@draws", "@first_draw")
merge_equals([shard("am.h5", 0, 24), shard("bm.h5", 24, 16)], shard("fullm.h5", 0, 40),
             "merged moments vs one run", keep=lambda name: name in MOMENTS)
NO_QUANTILES = ["--set", "mc.quantiles=false", "--set", "unfc=~"] + STORE
merge_equals([shard("q0.h5", 0, 24, *NO_QUANTILES), shard("q1.h5", 24, 16, *NO_QUANTILES)],
             shard("fullq.h5", 0, 40, *NO_QUANTILES), "mc.quantiles false, merged vs one run")

# merge uses no checkpoint (nor --set, --threads): refused, nothing written
code, _, err = run(cetwin, ["merge", a, b, "--restart", out("c.h5"), "-o", out("restart.h5")])
c.check(code == 1 and "found --restart" in err and not os.path.exists(out("restart.h5")),
        f"merge --restart: exit {code}\n{err}")

# --- one defect per copy of b ----------------------------------------------
count = 0


def hostile(what, change, dataset, alone=False, first=a):
    """Copies b, applies change(f) to the copy and merges it after first (and
    alone): exit 1 with one message naming the copy and dataset (the word
    must not run on, /mc/summary/n is not /mc/summary/n_undefined)."""
    global count
    count += 1
    bad = out(f"bad{count}.h5")
    shutil.copy(b, bad)
    with h5py.File(bad, "r+") as f:
        change(f)
    strip_checksum_record(bad)
    word = re.compile(re.escape(dataset) + r"(?![\w])")
    for files in ([first, bad], [bad]) if alone else ([first, bad],):
        expect_input_error(c, cetwin, ["merge"] + files, [bad, word], out("bad-merge.h5"),
                           what=f"{what} ({len(files)} shard(s))")


def replace(path, data):
    """A change: the dataset at path replaced by data."""
    def change(f):
        del f[path]
        if data.dtype.kind in "OSU":
            f.create_dataset(path, data=data.astype(object), dtype=h5py.string_dtype())
        else:
            f.create_dataset(path, data=data)
    return change


def remove(path):
    def change(f):
        del f[path]
    return change


def set_attr(obj, name, value):
    def change(f):
        f[obj].attrs[name] = value
    return change


def variants(v):
    """Hostile versions of the values v of a dataset, by name."""
    with np.errstate(invalid="ignore"):
        other = (np.zeros(v.shape[0]) if v.dtype.kind in "OSU"
                 else v.astype(np.float64 if v.dtype.kind in "iu" else np.int64))
    rank = v.reshape(v.shape[0], -1) if v.ndim == 3 else v.reshape(-1) if v.ndim == 2 \
        else v.reshape(-1, 1)
    out = {"shortened": v[:-1], "lengthened": np.concatenate([v, v[-1:]]), "emptied": v[:0],
           "of the wrong type": other, "of the wrong rank": rank}
    if v.ndim >= 2:
        out["narrowed"] = v[:, :-1]
        out["widened"] = np.concatenate([v, v[:, -1:]], axis=1)
    return out


LISTS_ALONE = ["summary/metrics", "summary/units", "variables/path", "variables/kind",
               "variables/prices"]
with h5py.File(b, "r") as f:
    datasets = []
    # the dimension scales made for the axes (no description) are not read: a
    # merge makes its own
    f["mc"].visititems(lambda name, obj: datasets.append(name) if isinstance(obj, h5py.Dataset)
                       and name.split("/")[0] in ("summary", "draws", "variables", "unfc")
                       and ("CLASS" not in obj.attrs or "description" in obj.attrs) else None)
    values = {name: f["mc"][name][...] for name in datasets}
c.check(len(datasets) == 41, f"the shard holds {len(datasets)} datasets in /mc, expected 41")
for name in datasets:
    path = "/mc/" + name
    for how, v in variants(values[name]).items():
        hostile(f"{path} {how}", replace(path, v), path, alone=name in LISTS_ALONE)
    hostile(f"{path} missing", remove(path), path, alone=name in LISTS_ALONE)

# names and units longer than every column
both = [values["summary/metrics"].tolist() + [b"npv2"], values["summary/units"].tolist() + [b"1"]]
hostile("names and units longer than the columns",
        lambda f: [replace(p, np.array(v, dtype=object))(f)
                   for p, v in zip(("/mc/summary/metrics", "/mc/summary/units"), both)],
        "/mc/summary/metrics", alone=True)

# share flags other than the first shard's (a metric's flag flipped)
hostile("share flags not the first shard's",
        replace("/mc/summary/share", 1 - values["summary/share"]), "/mc/summary/share")

# shapes the variants above leave alone
prices = values["draws/prices"]
hostile("price paths a year shorter than the other shard's",
        replace("/mc/draws/prices", prices[:, :, :-1]), "/mc/draws/prices")
hostile("exact sums a word short", replace("/mc/summary/exact", values["summary/exact"][:, :, :-1]),
        "/mc/summary/exact")
hostile("no /mc/draws with store_draws 1", remove("/mc/draws"), "/mc/draws", alone=True)
hostile("/mc/summary/n a scalar", replace("/mc/summary/n", np.array(16)), "/mc/summary/n")
hostile("/mc/draws/prices of 4 dimensions", replace("/mc/draws/prices", prices[..., None]),
        "/mc/draws/prices")
hostile("/mc/draws/metrics of more values than memory can address",
        lambda f: (remove("/mc/draws/metrics")(f),
                   f.create_dataset("/mc/draws/metrics", shape=(2**40, 2**40), chunks=(1, 1),
                                    dtype=np.float64)),
        "/mc/draws/metrics")

# values that disagree with the rest of the shard
index = values["draws/index"]
hostile("draw indices off by one", replace("/mc/draws/index", index + 1), "/mc/draws/index")
metrics = values["draws/metrics"].copy()
metrics[3, 0] = np.nan
hostile("an undefined draw the summary does not count", replace("/mc/draws/metrics", metrics),
        "/mc/summary/n_undefined")
counts = values["summary/n"].copy()
counts[0] = -1
hostile("a negative count", replace("/mc/summary/n", counts), "/mc/summary/n")
negative = values["summary/n"].copy() + 1
hostile("more negative values than values", replace("/mc/summary/n_negative", negative),
        "/mc/summary/n_negative")
for word, value in ((5, 2**40), (72, 7), (71, -2**40)):
    exact = values["summary/exact"].copy()
    exact[0, 1, word] = value
    hostile(f"exact sums not normalised (word {word})", replace("/mc/summary/exact", exact),
            "/mc/summary/exact")
ratings = values["unfc/overall"].copy()
ratings[1] = b"X9"
hostile("a rating that is none", replace("/mc/unfc/overall", ratings), "/mc/unfc/overall")

# attributes of /mc out of range or inconsistent
ATTRS = [("first_draw", -3), ("first_draw", INT64_MAX - 15), ("first_draw", INT64_MAX),
         ("draws", 0), ("draws", -16), ("draws", INT64_MAX), ("draws_requested", 15),
         ("draws_requested", INT64_MAX), ("stopped", 2), ("block", 0), ("store_draws", 2),
         ("store_draws", 0), ("quantiles", -1), ("pessimistic_quantile", 1.5),
         ("pessimistic_quantile", np.nan), ("pessimistic_quantile", 0.05), ("seconds", -1.0),
         ("cpu_seconds", np.inf), ("first_draw", "24"), ("draws", 16.0)]
for name, value in ATTRS:
    hostile(f"/mc attribute {name} = {value!r}", set_attr("/mc", name, value), name, alone=True)
a_more = out("a-more.h5")
shutil.copy(a, a_more)
with h5py.File(a_more, "r+") as f:
    f["mc"].attrs["draws_requested"] = 2**62
strip_checksum_record(a_more)
hostile("the draws requested by both shards 2^63", set_attr("/mc", "draws_requested", 2**62),
        "draws_requested", first=a_more)
hostile("/mc attribute block differs from the other shard's", set_attr("/mc", "block", 4),
        "block")
hostile("/mc attribute quantiles 0 with a rating", set_attr("/mc", "quantiles", 0), "quantiles",
        alone=True)
hostile("no /mc/unfc in one shard", remove("/mc/unfc"), "/mc/unfc")
hostile("/mc/unfc attribute pessimistic_quantile differs from /mc's",
        set_attr("/mc/unfc", "pessimistic_quantile", 0.05), "/mc/unfc", alone=True)
hostile("first_draw + draws = 2^63, the indices up to 2^63 - 1",
        lambda f: (set_attr("/mc", "first_draw", INT64_MAX - 15)(f),
                   replace("/mc/draws/index", INT64_MAX - 15 + np.arange(16, dtype=np.int64))(f)),
        "first_draw", alone=True)

# the draws of a run that end at the largest index merge
edge = out("edge.h5")
shutil.copy(b, edge)
first = INT64_MAX - 16
with h5py.File(edge, "r+") as f:
    f["mc"].attrs["first_draw"] = first
    replace("/mc/draws/index", first + np.arange(16, dtype=np.int64))(f)
strip_checksum_record(edge)
code, stdout, err = run(cetwin, ["merge", edge, "-o", out("edge-merged.h5")])
c.check(code == 0 and f"16 draws ({first}..{INT64_MAX - 1})" in stdout,
        f"draws ending at 2^63 - 2: exit {code}\n{stdout}\n{err}")
if code == 0:
    with h5py.File(out("edge-merged.h5"), "r") as f:
        c.check(f["mc"].attrs["first_draw"] == first and f["mc/draws/index"][-1] == INT64_MAX - 1,
                "draws ending at 2^63 - 2: the merged range")
print(f"{count} hostile shards")
c.finish()
