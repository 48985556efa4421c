"""One colour-blind-safe palette, markers and line styles for every figure in the book.

Colours are the eight of Okabe & Ito (2008), chosen so that people with any common form of
colour-vision deficiency can tell them apart. Colour is never the only cue: each series also
gets its own marker and line style (:func:`series_style`), and charts label lines in words.

Nothing here changes matplotlib's global settings. :func:`book_style` is a context manager
built on :func:`matplotlib.rc_context`: the book's font sizes (readable at 100% zoom, at least
10 pt) apply inside the ``with`` block and are undone when it ends. Every function in
:mod:`helpers.plots` draws inside it.

Examples
--------
>>> from helpers.palette import OKABE_ITO, PALETTE, series_style
>>> OKABE_ITO["blue"]
'#0072B2'
>>> series_style(1)
{'color': '#E69F00', 'marker': 's', 'linestyle': '--'}
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
    "PALETTE",
    "ROLE_COLORS",
    "book_style",
    "series_style",
]

#: The Okabe–Ito colours by name (Okabe M, Ito K. Color Universal Design, 2008).
OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

#: Order for data series: strongest contrast on white first; yellow (low contrast) last.
PALETTE: tuple[str, ...] = (
    OKABE_ITO["blue"],
    OKABE_ITO["orange"],
    OKABE_ITO["bluish_green"],
    OKABE_ITO["vermillion"],
    OKABE_ITO["reddish_purple"],
    OKABE_ITO["sky_blue"],
    OKABE_ITO["black"],
    OKABE_ITO["yellow"],
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
