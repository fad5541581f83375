"""The look shared by every plot: the colour-blind-safe palette (Okabe &
Ito), axis labels with units, figure titles from the case name."""
import matplotlib.pyplot as plt

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every
# common colour-vision deficiency.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442",
           "#000000"]
BLUE, ORANGE, GREEN, VERMILLION, SKY, PURPLE, YELLOW, BLACK = PALETTE
GREY = "#999999"
# Metal Wheel / Residue Wheel colours: recovered, intermediate, lost
RECOVERED, INTERMEDIATE, LOST = "#009E73", "#F0E442", "#D55E00"


def axis_label(name, unit):
    """'name [unit]'; just the name when the unit is missing or 1."""
    if unit in (None, "", "1"):
        return name
    return f"{name} [{unit}]"


def figure(result, title, nrows=1, ncols=1, **kwargs):
    """A new figure with subplots, titled '<case>: <title>'. Returns
    (fig, axes) like plt.subplots."""
    kwargs.setdefault("layout", "constrained")
    fig, axes = plt.subplots(nrows, ncols, **kwargs)
    fig.suptitle(f"{result.case}: {title}")
    return fig, axes

# symbols a prefix k, M, G may be put before (the first symbol of a unit)
_PREFIXABLE = {"EUR", "USD", "GBP", "CHF", "t", "g", "Wh", "J", "W"}


def scaled(values, unit, share=False):
    """Values and their unit rescaled for an axis: (factor, unit) such
    that values / factor stay below 1000 in magnitude, with an SI prefix
    on the unit's first symbol where it takes one (EUR -> MEUR, t CO2e/a
    -> kt CO2e/a), else written as '1e6 unit'. A share of a whole (share
    true: a recovery, the IRR, as the file declares it) in per cent, as
    `cetwin info` prints it."""
    import numpy as np

    if share is not None and share == share and bool(share):  # NaN: no flag
        return 0.01, "%"

    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    top = float(np.max(np.abs(v))) if v.size else 0.0
    power = 0
    while power < 9 and top >= 1000.0 * 10.0 ** power:
        power += 3
    if power == 0 or unit in (None, ""):
        return 1.0, unit
    factor = 10.0 ** power
    first = unit.split(" ")[0].split("/")[0]
    if first in _PREFIXABLE:
        return factor, {3: "k", 6: "M", 9: "G"}[power] + unit
    if unit == "1":
        return factor, f"1e{power}"
    return factor, f"1e{power} {unit}"


def line_styles(n):
    """n distinct (colour, linestyle, marker) for lines: the palette but its
    yellow, then the same dashed, then dotted."""
    styles = ["-", "--", ":", "-."]
    markers = ["o", "s", "^", "D", "v", "P", "X", "*"]
    colours = [c for c in PALETTE if c != YELLOW]  # too pale for a line on white
    out = []
    for i in range(n):
        k = i // len(colours)
        out.append((colours[i % len(colours)], styles[k % len(styles)],
                    markers[(i + k) % len(markers)]))
    return out


def panels(result, title, n, ncols=2, width=6.4, height=4.2, **kwargs):
    """A figure of n panels (one per metric, say) in up to ncols columns;
    returns (fig, list of n axes), the unused axes removed."""
    ncols = max(1, min(ncols, n))
    nrows = (n + ncols - 1) // ncols
    fig, axes = figure(result, title, nrows, ncols, squeeze=False,
                       figsize=(width * ncols, height * nrows), **kwargs)
    flat = list(axes.ravel())
    for ax in flat[n:]:
        ax.remove()
    return fig, flat[:n]
