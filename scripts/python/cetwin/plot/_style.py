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
