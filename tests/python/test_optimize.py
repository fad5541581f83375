"""cetwin.optimize on every shipped result with /optimize and on runs with
two and four objectives and other TOPSIS settings: every accessor against
h5py, units present, design variables and objectives named as in the
case; rerank with the case's own weights reproduces the stored TOPSIS
ranks and closeness, other weights behave as TOPSIS must, bad weights
are refused."""
import os

import h5py
import numpy as np

import pkgtest
from pkgtest import check, close

import cetwin
from cetwin.optimize import topsis
from test_mc import strs

VARIANTS = os.path.join(os.path.dirname(pkgtest.RESULTS), "mcopt-variants")


def case_names(res):
    """Design variable and objective names as the case gives them: a
    design entry's `name`, else a splitter's fractions by UNIT.OUTLET;
    an objective's metric, with .STATISTIC in a robust run (mean when
    none is given)."""
    config = res.config
    design = []
    for entry in config["design"]:
        path = entry["path"]
        if "name" in entry:
            design.append(entry["name"])
        elif path.startswith("network.units.") and path.endswith(".fractions"):
            unit = path[len("network.units."):-len(".fractions")]
            design += [f"{unit}.{o}" for o in config["network"]["units"][unit]["outlets"]]
        else:
            design.append(path[len("network.units."):] if path.startswith("network.units.")
                          else path)
    robust = "robust" in config
    objectives = [o["metric"] + (f".{o.get('statistic', 'mean')}" if robust else "")
                  for o in config["objectives"]]
    return design, objectives


def problem(res, raw, name):
    opt = res.optimize
    g = raw["optimize"]
    design = strs(g["design/name"])
    objectives = strs(g["objectives/name"])
    check(opt.design_names == design, f"{name}: design names")
    check(opt.objective_names == objectives, f"{name}: objective names")
    case_design, case_objectives = case_names(res)
    check(objectives == case_objectives, f"{name}: objectives {objectives} not the case's "
          f"{case_objectives}")
    check(design == case_design, f"{name}: design {design} not the case's {case_design}")
    d = opt.design
    check(list(d.index) == design, f"{name}: design index")
    check(list(d["path"]) == strs(g["design/path"]), f"{name}: design paths")
    for col in ("lower", "upper", "zero_below", "group", "integer"):
        close(d[col], g["design/" + col][...], f"{name}: design {col}")
    o = opt.objectives
    for col in ("topsis_weight", "reference_point", "utopia", "nadir"):
        close(o[col], g["objectives/" + col][...], f"{name}: objectives {col}")
    check(list(o["sense"]) == strs(g["objectives/sense"]), f"{name}: senses")
    check(list(o["units"]) == strs(g["objectives/units"]), f"{name}: objective units")
    check(cetwin.unit_of(o, "utopia", objectives[0]) == strs(g["objectives/units"])[0],
          f"{name}: unit of utopia")
    check(list(opt.constraints.index) == strs(g["constraints/name"]), f"{name}: constraints")
    check(opt.attrs["front_size"] == g["front/design"].shape[0], f"{name}: attrs")


def front(res, raw, name):
    opt = res.optimize
    g = raw["optimize"]
    f = opt.front
    design = strs(g["design/name"])
    objectives = strs(g["objectives/name"])
    check(f.attrs["design"] == design and f.attrs["objectives"] == objectives,
          f"{name}: front attrs names")
    close(f[design].to_numpy(), g["front/design"][...], f"{name}: front design")
    close(f[objectives].to_numpy(), g["front/objectives"][...], f"{name}: front objectives")
    for col in ("violation", "topsis_closeness", "topsis_rank", "island"):
        close(f[col], g["front/" + col][...], f"{name}: front {col}")
    units = dict(zip(objectives, strs(g["objectives/units"])))
    units.update(zip(design, strs(g["design/units"])))
    check(all(f.attrs["units"][c] == u for c, u in units.items()), f"{name}: front units")
    check(list(f["topsis_rank"]) == list(range(1, len(f) + 1)), f"{name}: TOPSIS order")
    m = opt.front_metrics
    close(m.to_numpy(), g["front/metrics"][...], f"{name}: front metrics")
    check(list(m.columns) == strs(g["front/metric"]), f"{name}: metric names")
    check(list(m.attrs["units"].values()) == list(g["front/metrics"].attrs["units"]),
          f"{name}: metric units")
    i = opt.islands
    close(i[design].to_numpy(), g["islands/design"][...], f"{name}: island design")
    close(i[objectives].to_numpy(), g["islands/objectives"][...], f"{name}: island objectives")
    offset = g["islands/offset"][...]
    for k in range(len(offset) - 1):
        close(opt.island_front(k)[objectives].to_numpy(),
              g["islands/objectives"][offset[k]:offset[k + 1]], f"{name}: island {k}")
    close(opt.hypervolume.to_numpy(), g["history/hypervolume"][...], f"{name}: hypervolume")
    close(opt.front_size.to_numpy(), g["history/front_size"][...], f"{name}: front size")
    h = opt.history
    close(h["hypervolume_best"], g["history/hypervolume_best"][...], f"{name}: hv best")
    check(list(h.index) == list(g["history/generation"][...]), f"{name}: generations")
    close(h["front_size_total"], g["history/front_size"][...].sum(axis=1), f"{name}: total")
    mig = opt.migrations
    close(mig.to_numpy(), g["migrations"][...], f"{name}: migrations")
    check(list(mig.columns) == ["generation", "source", "destination", "migrants", "in_front"],
          f"{name}: migration columns {list(mig.columns)}")
    if "robust" in g:
        s = opt.front_statistics
        close(s.to_numpy(), g["front/statistics"][...].reshape(len(s), -1), f"{name}: statistics")
        metric = strs(g["front/summarised"])[0]
        check(s.attrs["units"][(metric, "mean")] == g["front/statistics"].attrs["units"][0][0],
              f"{name}: statistics units")
        check(s.attrs["units"][(metric, "prob_negative")] == "1", f"{name}: prob_negative unit")
        check(opt.robust["draws"] == g["robust"].attrs["draws"], f"{name}: robust draws")


def structural(res, raw, name):
    """choices, front_choices and no_effect against the raw datasets."""
    opt = res.optimize
    g = raw["optimize"]
    design = strs(g["design/name"])
    texts = strs(g["design/choices"]) if "choices" in g["design"] else [""] * len(design)
    choices = opt.choices
    check(sorted(choices) == sorted(n for n, t in zip(design, texts) if t),
          f"{name}: structural variables {sorted(choices)}")
    for n, t in zip(design, texts):
        if t:
            check("; ".join(f"{v} {label}" for v, label in sorted(choices[n].items())) == t,
                  f"{name}: choices of {n}")
    labels = opt.front_choices
    values = g["front/design"][...]
    for n in choices:
        column = values[:, design.index(n)]
        check(list(labels[n]) == [choices[n][int(v)] for v in column],
              f"{name}: front labels of {n}")
    idle = opt.no_effect
    check(list(idle.columns) == design, f"{name}: no_effect columns")
    raw_idle = g["front/no_effect"][...] if "no_effect" in g["front"] else np.zeros(values.shape)
    check((idle.to_numpy() == raw_idle.astype(bool)).all(), f"{name}: no_effect values")
    return bool(choices)


def rerank(res, name):
    opt = res.optimize
    f = opt.front
    again = opt.rerank()
    check(list(again.index) == list(f.index), f"{name}: rerank order changed")
    close(again["rank"], f["topsis_rank"], f"{name}: rerank ranks")
    close(again["closeness"], f["topsis_closeness"], f"{name}: rerank closeness", rtol=1e-12,
          atol=1e-14)
    objectives = opt.objective_names
    sense = dict(zip(objectives, opt.objectives["sense"]))
    # all the weight on one objective: rank 1 is that objective's best
    for target in objectives:
        w = {n: (1.0 if n == target else 0.0) for n in objectives}
        r = opt.rerank(weights=w)
        best = f[target].max() if sense[target] == "maximize" else f[target].min()
        check(r[target].iloc[0] == best, f"{name}: weight on {target}: rank 1 has "
              f"{r[target].iloc[0]}, the best is {best}")
        check(sorted(r["rank"]) == list(range(1, len(f) + 1)), f"{name}: ranks a permutation")
    other = "minmax" if opt.attrs["topsis_normalization"] == "vector" else "vector"
    r = opt.rerank(normalization=other)
    check(set(r["rank"]) == set(range(1, len(f) + 1)), f"{name}: rerank {other}")
    for bad in ([1.0] * (len(objectives) + 1), [-1.0] + [1.0] * (len(objectives) - 1),
                [0.0] * len(objectives)):
        try:
            opt.rerank(weights=bad)
            check(False, f"{name}: weights {bad} accepted")
        except ValueError as err:
            check("weights" in str(err), f"{name}: message {err}")
    try:
        opt.rerank(weights={"no such objective": 1.0})
        check(False, f"{name}: unknown objective accepted")
    except KeyError as err:
        check("unknown objectives" in str(err), f"{name}: message {err}")


def topsis_by_hand():
    # a small example worked by hand: vector normalisation, equal weights,
    # criterion 0 a cost, criterion 1 a benefit
    f = np.array([[1.0, 4.0], [2.0, 2.0], [4.0, 1.0]])
    n0, n1 = np.sqrt(21.0), np.sqrt(21.0)
    v = f / np.array([n0, n1]) * 0.5
    ideal = np.array([v[:, 0].min(), v[:, 1].max()])
    anti = np.array([v[:, 0].max(), v[:, 1].min()])
    dp = np.linalg.norm(v - ideal, axis=1)
    dm = np.linalg.norm(v - anti, axis=1)
    c, r = topsis(f, [1, 1], [False, True], "vector")
    close(c, dm / (dp + dm), "topsis by hand: closeness", rtol=1e-15)
    check(list(r) == [1, 2, 3], f"topsis by hand: ranks {list(r)}")
    # equal points: closeness 1, ties by row
    c, r = topsis(np.ones((3, 2)))
    check(list(c) == [1.0, 1.0, 1.0] and list(r) == [1, 2, 3], "topsis ties")


with_choices = 0
for path in pkgtest.results() + [os.path.join(VARIANTS, v) for v in
                                 ("pwb-one-objective.h5", "pwb-two-objectives.h5",
                                  "pwb-four-objectives.h5")]:
    with cetwin.open(path) as result, h5py.File(path, "r") as h5:
        if "optimize" in h5:
            base = os.path.basename(path)
            problem(result, h5, base)
            front(result, h5, base)
            rerank(result, base)
            with_choices += structural(result, h5, base)
check(with_choices >= 2, f"structural design variables in {with_choices} results, "
      "expected the two strategy cases")
topsis_by_hand()
pkgtest.finish()
