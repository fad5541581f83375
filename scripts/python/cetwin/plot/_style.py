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

# units that take an SI prefix in front (EUR -> MEUR, t CO2e/a -> kt CO2e/a)
_PREFIXABLE = {"EUR", "USD", "t", "g", "J", "Wh", "W"}
_PREFIXES = [(1e9, "G"), (1e6, "M"), (1e3, "k")]


def scaled_unit(values, unit):
    """(factor, unit) to show values of a unit with an SI prefix when they
    are large: values / factor are in the returned unit (1e6, 'MEUR' for
    EUR values of tens of millions)."""
    if not unit or unit == "1":
        return 1.0, unit
    head = unit.replace("/", " ").split(" ")[0]
    if head not in _PREFIXABLE:
        return 1.0, unit
    finite = [abs(v) for v in values if v == v and abs(v) != float("inf")]
    top = max(finite) if finite else 0.0
    for factor, prefix in _PREFIXES:
        if top >= 10 * factor:
            return factor, prefix + unit
    return 1.0, unit


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
