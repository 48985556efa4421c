"""One colour-blind-safe palette, markers and line styles for every figure in the book.

The colours start from the eight of Okabe & Ito (2008), chosen so that people with any common
form of colour-vision deficiency (CVD) can tell them apart. Three of those eight (orange, sky
blue, yellow) are too light to draw with on a white canvas: WCAG 2.2 asks for 3:1 contrast for
lines and markers (success criterion 1.4.11) and they have 2.25, 2.31 and 1.32. Darkening them
in place does not work, because Okabe–Ito tells orange, yellow and vermillion apart by
lightness: darkened to 3:1, orange and yellow become one colour for deuteranopes and protanopes.
So :data:`OKABE_ITO` keeps three of the original colours (black, blue, bluish green), darkens
three and replaces two:

* **orange** keeps its hue and is darkened to 3.2:1;
* **vermillion** is darkened to 5.0:1 (from 3.9:1), so that it stays apart from the darker orange;
* **reddish purple** is muted and darkened to 4.7:1 (from 3.06:1), to stay apart from the darker
  orange under tritanopia;
* **sky blue** and **yellow** are replaced by **lavender** (3.1:1) and **brown** (8.9:1).

How they were chosen: orange keeps its CIELAB hue, with lightness (and, to stay in sRGB, chroma)
lowered; the others were searched on a grid of sRGB colours (steps of 8) with at least 3:1 on
white, measuring distances in CIEDE2000 units as seen with normal vision and under simulated deuteranopia,
protanopia and tritanopia (Machado, Oliveira & Fernandes, 2009, severity 1). Vermillion and
reddish purple are the grid colours nearest their originals whose distance to every other colour
of the book, :data:`NEUTRAL` included, is at least 11 in all four views; lavender and brown are the
grid colours farthest from all the others. The closest pair of the result is 11.3 apart (orange
and vermillion, seen by a deuteranope); Okabe–Ito's own closest pair under the same simulations
is 10.9 apart (orange and reddish purple, tritanopia), so the book's colours are at least as easy
to tell apart as the palette they replace. ``tests/test_site_contrast.py`` checks all of this:
contrast, and the smallest distance in each view.

Colour is never the only cue: each series also gets its own marker and line style
(:func:`series_style`), and charts label lines in words.

Nothing here changes matplotlib's global settings. :func:`book_style` is a context manager
built on :func:`matplotlib.rc_context`: the book's font sizes (readable at 100% zoom, at least
10 pt) apply inside the ``with`` block and are undone when it ends. Every function in
:mod:`helpers.plots` draws inside it.

References
----------
Okabe M, Ito K (2008). *Color Universal Design (CUD): how to make figures and presentations that
are friendly to colorblind people.* https://jfly.uni-koeln.de/color/

Machado GM, Oliveira MM, Fernandes LAF (2009). A physiologically-based model for simulation of
color vision deficiency. *IEEE Transactions on Visualization and Computer Graphics* 15(6):1291–8.
doi:10.1109/TVCG.2009.113

Sharma G, Wu W, Dalal EN (2005). The CIEDE2000 color-difference formula: implementation notes,
supplementary test data, and mathematical observations. *Color Research & Application*
30(1):21–30. doi:10.1002/col.20070

W3C (2023). *Web Content Accessibility Guidelines (WCAG) 2.2*, success criteria 1.4.3 (text,
4.5:1) and 1.4.11 (non-text contrast, 3:1). https://www.w3.org/TR/WCAG22/

Examples
--------
>>> from helpers.palette import OKABE_ITO, PALETTE, series_style
>>> OKABE_ITO["blue"]
'#0072B2'
>>> series_style(1)
{'color': '#C28500', 'marker': 's', 'linestyle': '--'}
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import matplotlib as mpl
from cycler import cycler

__all__ = [
    "BOOK_RC",
    "LINESTYLES",
    "MARKERS",
    "NEUTRAL",
    "OKABE_ITO",
    "OKABE_ITO_2008",
    "PALETTE",
    "ROLE_COLORS",
    "book_style",
    "series_style",
]

#: The eight colours as Okabe & Ito (2008) published them: the source, not for drawing on white
#: (orange, sky blue and yellow have less than 3:1 contrast with it).
OKABE_ITO_2008: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

#: The book's colours by name: Okabe–Ito adapted to a white canvas (see the module's notes).
#: Every one has at least 3:1 contrast with white; the comment gives the ratio.
OKABE_ITO: dict[str, str] = {
    "black": "#000000",  # 21:1, unchanged
    "orange": "#C28500",  # 3.2:1, darkened from #E69F00 (2.25:1)
    "lavender": "#8890B8",  # 3.1:1, replaces sky blue #56B4E9 (2.31:1)
    "bluish_green": "#009E73",  # 3.4:1, unchanged
    "brown": "#684028",  # 8.9:1, replaces yellow #F0E442 (1.32:1)
    "blue": "#0072B2",  # 5.2:1, unchanged
    "vermillion": "#B85000",  # 5.0:1, darkened from #D55E00 (3.9:1) to stay apart from orange
    "reddish_purple": "#A06080",  # 4.7:1, muted from #CC79A7 (3.1:1) to stay apart from orange
}

#: Order for data series: the colours of the original order first; the lowest contrast last.
PALETTE: tuple[str, ...] = (
    OKABE_ITO["blue"],
    OKABE_ITO["orange"],
    OKABE_ITO["bluish_green"],
    OKABE_ITO["vermillion"],
    OKABE_ITO["reddish_purple"],
    OKABE_ITO["brown"],
    OKABE_ITO["black"],
    OKABE_ITO["lavender"],
)

#: Markers paired with :data:`PALETTE`, so series differ in shape as well as colour.
MARKERS: tuple[str, ...] = ("o", "s", "^", "D", "v", "P", "X", "*")

#: Line styles paired with :data:`PALETTE` (solid first).
LINESTYLES: tuple[str | tuple[int, tuple[int, ...]], ...] = (
    "-",
    "--",
    "-.",
    ":",
    (0, (5, 1)),
    (0, (3, 1, 1, 1, 1, 1)),
    (0, (1, 3)),
    "-",
)

#: Dark grey for reference lines and secondary text; 7.0:1 contrast on white (WCAG AAA).
NEUTRAL = "#595959"

#: The meaning each colour carries in every chart, so a reader learns it once.
ROLE_COLORS: dict[str, str] = {
    "data": OKABE_ITO["blue"],
    "reference": OKABE_ITO["orange"],
    "signal": OKABE_ITO["vermillion"],
    "trend": OKABE_ITO["reddish_purple"],
    "center": OKABE_ITO["black"],
    "limits": NEUTRAL,
    "suppressed": NEUTRAL,
    "comparison": OKABE_ITO["orange"],
}

#: Matplotlib settings applied by :func:`book_style`: text at least 10 pt, the palette with
#: markers and line styles as the default cycle, light grid, no top/right spines.
BOOK_RC: dict[str, Any] = {
    "font.size": 11,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.labelsize": 11,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "legend.fontsize": 10,
    "legend.title_fontsize": 10,
    "figure.titlesize": 12,
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "axes.prop_cycle": cycler(color=list(PALETTE))
    + cycler(marker=list(MARKERS))
    + cycler(linestyle=list(LINESTYLES)),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#DDDDDD",
    "grid.linewidth": 0.8,
    "axes.axisbelow": True,
    "axes.edgecolor": NEUTRAL,
    "axes.labelcolor": OKABE_ITO["black"],
    "xtick.color": NEUTRAL,
    "ytick.color": NEUTRAL,
    "lines.linewidth": 2.0,
    "lines.markersize": 7,
    "legend.frameon": False,
    "svg.fonttype": "none",
}


def series_style(i: int) -> dict[str, Any]:
    """Colour, marker and line style for the ``i``-th data series (cycling after 8).

    Parameters
    ----------
    i : int
        Position of the series (0 for the first).

    Returns
    -------
    dict
        ``{"color", "marker", "linestyle"}``, ready to pass to ``ax.plot(**style)``.

    Raises
    ------
    ValueError
        If ``i`` is negative.

    Examples
    --------
    >>> series_style(0)
    {'color': '#0072B2', 'marker': 'o', 'linestyle': '-'}
    """
    if i < 0:
        raise ValueError(f"series index must be 0 or more, got {i}.")
    k = i % len(PALETTE)
    return {"color": PALETTE[k], "marker": MARKERS[k], "linestyle": LINESTYLES[k]}


@contextmanager
def book_style() -> Iterator[None]:
    """Draw with the book's style inside a ``with`` block; global settings are restored after.

    Returns
    -------
    contextmanager
        Use as ``with book_style(): ...``.

    Examples
    --------
    >>> import matplotlib as mpl
    >>> before = mpl.rcParams["font.size"]
    >>> with book_style():
    ...     mpl.rcParams["font.size"]
    11.0
    >>> mpl.rcParams["font.size"] == before
    True
    """
    with mpl.rc_context(BOOK_RC):  # type: ignore[arg-type]
        yield
