"""Figure colours pass WCAG 2.2 AA contrast where readers see them, and stay colour-blind safe.

Every figure of the book is drawn by ``helpers.plots`` inside ``helpers.palette.book_style`` on
an opaque white canvas, and the site shows it unfiltered on that white canvas in both modes
(``book/_static/workbook.css``; ``tests/test_site_browser.py`` checks the computed style in the
browser). So the background a figure's text and markers must contrast with is white in light
mode AND in dark mode, and the canvas itself must stand out from the dark page.

* text (labels, tick labels, captions drawn in the figure): at least 4.5:1 (WCAG 1.4.3);
* lines and markers (graphical objects needed to read the chart): at least 3:1 (WCAG 1.4.11).

The book's colours are Okabe–Ito adapted to reach 3:1 on white (``helpers/palette.py`` says how).
Darkening colours can make two of them look alike to a reader with a colour-vision deficiency, so
the last tests simulate deuteranopia, protanopia and tritanopia (Machado, Oliveira & Fernandes
2009, doi:10.1109/TVCG.2009.113) and require every pair of the book's colours to stay at least as
far apart in CIEDE2000 (Sharma, Wu & Dalal 2005, doi:10.1002/col.20070) as the closest pair of
the original Okabe–Ito palette. The last test draws four of the book's charts and checks the
colours actually on the canvas, so a colour hard-coded in a plotting function is caught too.
"""

from __future__ import annotations

import itertools
import math
import re
from pathlib import Path
from typing import Any

import matplotlib as mpl
import numpy as np
import pytest

from helpers import palette

ROOT = Path(__file__).resolve().parents[1]
WHITE = "#FFFFFF"
# pydata-sphinx-theme's page backgrounds (--pst-color-background).
LIGHT_PAGE = "#FFFFFF"
DARK_PAGE = "#121212"


def relative_luminance(colour: str) -> float:
    """WCAG 2.2 relative luminance of an sRGB colour ``#RRGGBB``.

    >>> round(relative_luminance("#FFFFFF"), 3), round(relative_luminance("#000000"), 3)
    (1.0, 0.0)
    """
    rgb = mpl.colors.to_rgb(colour)
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours, from 1 to 21.

    >>> round(contrast("#000000", "#FFFFFF"), 1)
    21.0
    >>> round(contrast("#767676", "#FFFFFF"), 2)
    4.54
    """
    high, low = sorted([relative_luminance(a), relative_luminance(b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_contrast_formula_matches_wcag_reference_values() -> None:
    assert contrast("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)  # the classic "just fails"
    assert contrast("#767676", "#FFFFFF") == pytest.approx(4.54, abs=0.01)  # ... and "just passes"


def test_figures_are_drawn_on_an_opaque_white_canvas() -> None:
    with palette.book_style():
        assert mpl.colors.to_hex(mpl.rcParams["figure.facecolor"]).upper() == WHITE
        assert mpl.rcParams["savefig.facecolor"] in ("auto", "white", WHITE, WHITE.lower())
        assert mpl.rcParams["savefig.transparent"] is False
        assert mpl.colors.to_hex(mpl.rcParams["axes.facecolor"]).upper() == WHITE


def test_the_site_shows_figures_unfiltered_on_white_in_dark_mode() -> None:
    css = (ROOT / "book" / "_static" / "workbook.css").read_text(encoding="utf-8")
    rule = re.search(r'html\[data-theme="dark"\][^{]*figure\.pe-figure img\s*\{([^}]*)\}', css)
    assert rule is not None, "no dark-mode rule for figures in workbook.css"
    assert "filter: none" in rule.group(1) and "background-color: #fff" in rule.group(1)


@pytest.mark.parametrize("page", [LIGHT_PAGE, DARK_PAGE], ids=["light page", "dark page"])
def test_the_white_figure_canvas_stands_out_from_the_page_or_blends_with_it(page: str) -> None:
    # On the light page the canvas is the page; on the dark page it must be a clearly visible panel.
    ratio = contrast(WHITE, page)
    assert ratio == pytest.approx(1.0) or ratio >= 3.0, f"canvas vs page: {ratio:.2f}:1"


@pytest.mark.parametrize("page", [LIGHT_PAGE, DARK_PAGE], ids=["light page", "dark page"])
def test_the_books_focus_outlines_have_3_to_1_on_the_page(page: str) -> None:
    # WCAG 2.2 SC 1.4.11 (non-text contrast): a keyboard focus indicator needs 3:1 against what is
    # next to it, the page background in either mode.
    css = (ROOT / "book" / "_static" / "workbook.css").read_text(encoding="utf-8")
    outlines = re.findall(r"outline:\s*\d+px\s+\w+\s+(#[0-9a-fA-F]{6})", css)
    assert outlines, "workbook.css draws no focus outline"
    low = {c: round(contrast(c, page), 2) for c in outlines if contrast(c, page) < 3.0}
    assert not low, f"focus outlines below 3:1 on {page}: {low}"


def _text_colours() -> dict[str, str]:
    with palette.book_style():
        found = {key: mpl.colors.to_hex(mpl.rcParams[key]) for key in
                 ("text.color", "axes.labelcolor", "xtick.color", "ytick.color", "axes.titlecolor")
                 if mpl.rcParams[key] not in ("auto", "inherit")}  # fmt: skip
    # agegaps.gap_by_age_plot writes each value in its marker's colour (ROLE_COLORS data and signal).
    drawn_as_text = {f"ROLE_COLORS[{role!r}]": palette.ROLE_COLORS[role] for role in ("data", "signal")}
    return {**found, "NEUTRAL": palette.NEUTRAL, **drawn_as_text}


@pytest.mark.parametrize(("name", "colour"), sorted(_text_colours().items()))
def test_figure_text_has_at_least_4_5_to_1_on_the_canvas(name: str, colour: str) -> None:
    assert contrast(colour, WHITE) >= 4.5, f"{name} {colour}: {contrast(colour, WHITE):.2f}:1 on white"


def _graphical_colours() -> list[tuple[str, str]]:
    named = {f"PALETTE[{i}]": c for i, c in enumerate(palette.PALETTE)}
    named |= {f"OKABE_ITO[{name!r}]": c for name, c in palette.OKABE_ITO.items()}
    named |= {f"ROLE_COLORS[{role!r}]": c for role, c in palette.ROLE_COLORS.items()}
    return sorted(named.items())


@pytest.mark.parametrize(("name", "colour"), _graphical_colours())
def test_lines_and_markers_have_at_least_3_to_1_on_the_canvas(name: str, colour: str) -> None:
    ratio = contrast(colour, WHITE)
    assert ratio >= 3.0, f"{name} {colour}: {ratio:.2f}:1 on white (WCAG 1.4.11 needs 3:1)"


# ------------------------------------------------------------------------------------------------
# Colour-vision deficiency: the book's colours stay apart as seen by deuteranopes, protanopes and
# tritanopes.
# ------------------------------------------------------------------------------------------------

# Machado, Oliveira & Fernandes (2009), Table 1 (severity 1.0), applied to linear sRGB. The same
# matrices as colorspacious and colour-science ("Protanomaly"/"Deuteranomaly"/"Tritanomaly", 1.0).
MACHADO_2009: dict[str, np.ndarray] = {
    "normal vision": np.eye(3),
    "deuteranopia": np.array(
        [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]]
    ),
    "protanopia": np.array(
        [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]]
    ),
    "tritanopia": np.array(
        [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]]
    ),
}
# sRGB (D65) linear RGB to CIE XYZ (IEC 61966-2-1).
SRGB_TO_XYZ = np.array(
    [[0.4124564, 0.3575761, 0.1804375], [0.2126729, 0.7151522, 0.0721750], [0.0193339, 0.1191920, 0.9503041]]
)


def _linear(colour: str) -> np.ndarray:
    rgb = np.array(mpl.colors.to_rgb(colour))
    return np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)


def lab_as_seen(colour: str, vision: str) -> tuple[float, float, float]:
    """CIELAB (D65) of ``colour`` as simulated for ``vision`` (a key of :data:`MACHADO_2009`).

    >>> round(lab_as_seen("#FFFFFF", "deuteranopia")[0], 1), round(lab_as_seen("#000000", "tritanopia")[0], 1)
    (100.0, 0.0)
    """
    linear = np.clip(MACHADO_2009[vision] @ _linear(colour), 0.0, 1.0)
    xyz = SRGB_TO_XYZ @ linear / SRGB_TO_XYZ.sum(axis=1)
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return float(116 * f[1] - 16), float(500 * (f[0] - f[1])), float(200 * (f[1] - f[2]))


def ciede2000(lab1: tuple[float, float, float], lab2: tuple[float, float, float]) -> float:
    """CIEDE2000 colour difference (kL = kC = kH = 1), as written out by Sharma, Wu & Dalal (2005)."""
    (l1, a1, b1), (l2, a2, b2) = lab1, lab2
    c_mean = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_mean**7 / (c_mean**7 + 25**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = math.degrees(math.atan2(b2, a2p)) % 360 if c2p else 0.0
    dlp, dcp = l2 - l1, c2p - c1p
    dhp = 0.0 if c1p * c2p == 0 else (h2p - h1p + 180) % 360 - 180
    dhp_big = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dhp) / 2)
    lp_mean, cp_mean = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        hp_mean = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        hp_mean = (h1p + h2p) / 2
    else:
        hp_mean = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    h = math.radians(hp_mean)
    t = 1 - 0.17 * math.cos(h - math.radians(30)) + 0.24 * math.cos(2 * h)
    t += 0.32 * math.cos(3 * h + math.radians(6)) - 0.20 * math.cos(4 * h - math.radians(63))
    d_theta = 30 * math.exp(-(((hp_mean - 275) / 25) ** 2))
    r_c = 2 * math.sqrt(cp_mean**7 / (cp_mean**7 + 25**7))
    s_l = 1 + 0.015 * (lp_mean - 50) ** 2 / math.sqrt(20 + (lp_mean - 50) ** 2)
    s_c, s_h = 1 + 0.045 * cp_mean, 1 + 0.015 * cp_mean * t
    r_t = -math.sin(math.radians(2 * d_theta)) * r_c
    return math.sqrt((dlp / s_l) ** 2 + (dcp / s_c) ** 2 + (dhp_big / s_h) ** 2
                     + r_t * (dcp / s_c) * (dhp_big / s_h))  # fmt: skip


def closest_pair(colours: dict[str, str], vision: str) -> tuple[float, str, str]:
    """The smallest CIEDE2000 distance between two of ``colours`` as seen with ``vision``."""
    seen = {name: lab_as_seen(c, vision) for name, c in colours.items()}
    return min((ciede2000(seen[a], seen[b]), a, b) for a, b in itertools.combinations(seen, 2))


# Sharma, Wu & Dalal (2005), Table 1: pairs 1, 7, 13, 17, 25 and 34 with their published ΔE00.
SHARMA_2005 = [
    ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
    ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
    ((50.0, 2.5, 0.0), (56.0, -27.0, -3.0), 31.9030),
    ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
    ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ((2.0776, 0.0795, -1.1350), (0.9033, -0.0636, -0.5514), 0.9082),
]


@pytest.mark.parametrize(("lab1", "lab2", "expected"), SHARMA_2005)
def test_ciede2000_matches_sharma_2005_test_data(lab1, lab2, expected) -> None:
    assert ciede2000(lab1, lab2) == pytest.approx(expected, abs=1e-4)
    assert ciede2000(lab2, lab1) == pytest.approx(expected, abs=1e-4)


@pytest.mark.parametrize("vision", list(MACHADO_2009))
def test_the_simulations_keep_greys_grey(vision: str) -> None:
    # Each row of Machado's matrices sums to 1: white, black and greys are seen unchanged.
    assert MACHADO_2009[vision].sum(axis=1) == pytest.approx(np.ones(3), abs=1e-5)
    for grey in ("#FFFFFF", "#595959", "#000000"):
        assert ciede2000(lab_as_seen(grey, vision), lab_as_seen(grey, "normal vision")) < 0.1


def test_the_simulations_merge_what_they_should() -> None:
    # The classic confusions (matplotlib's tab:red, tab:green, tab:blue): red and green merge for a
    # deuteranope and come closer for a protanope (who sees red darker), not for a tritanope; blue
    # and green come close for a tritanope only.
    red, green, blue = "#D62728", "#2CA02C", "#1F77B4"

    def distance(a: str, b: str, vision: str) -> float:
        return ciede2000(lab_as_seen(a, vision), lab_as_seen(b, vision))

    assert distance(red, green, "normal vision") > 60 and distance(blue, green, "normal vision") > 45
    assert distance(red, green, "deuteranopia") < 10
    assert distance(red, green, "protanopia") < distance(red, green, "normal vision") / 2
    assert distance(red, green, "tritanopia") > 60
    assert distance(blue, green, "tritanopia") < distance(blue, green, "normal vision") / 3
    assert min(distance(blue, green, v) for v in ("deuteranopia", "protanopia")) > 45


def _book_colours() -> dict[str, str]:
    # Every colour a figure draws data with, plus the grey it draws limits and suppressed groups in.
    return {**palette.OKABE_ITO, "NEUTRAL": palette.NEUTRAL}


# Okabe–Ito's own closest pair in the worst view: the bar the book's colours must clear.
OKABE_ITO_CLOSEST = min(closest_pair(palette.OKABE_ITO_2008, v)[0] for v in MACHADO_2009)


def test_the_original_okabe_ito_palette_sets_the_bar() -> None:
    # 10.9: orange and reddish purple for a tritanope (a regression check on the simulation itself).
    assert pytest.approx(10.9, abs=0.05) == OKABE_ITO_CLOSEST
    assert closest_pair(palette.OKABE_ITO_2008, "tritanopia")[1:] == ("orange", "reddish_purple")


@pytest.mark.parametrize("vision", list(MACHADO_2009))
def test_every_pair_of_the_book_colours_stays_apart(vision: str) -> None:
    colours = _book_colours()
    assert len(set(colours.values())) == len(colours) == 9
    distance, a, b = closest_pair(colours, vision)
    assert distance >= OKABE_ITO_CLOSEST, (
        f"{a} {colours[a]} and {b} {colours[b]} are {distance:.1f} apart (CIEDE2000) under {vision}; "
        f"the original Okabe–Ito palette keeps every pair at least {OKABE_ITO_CLOSEST:.1f} apart"
    )


def test_darkening_okabe_ito_in_place_would_fail_the_distance_test() -> None:
    # Why three colours were changed rather than only darkened: orange and yellow darkened to 3:1
    # (same CIELAB hue) are nearly one colour for a deuteranope. The test above would catch it.
    darkened_orange, darkened_yellow = "#C68903", "#9F9803"
    assert contrast(darkened_orange, WHITE) >= 3.0 and contrast(darkened_yellow, WHITE) >= 3.0
    seen = [lab_as_seen(c, "deuteranopia") for c in (darkened_orange, darkened_yellow)]
    assert ciede2000(*seen) < 3 < OKABE_ITO_CLOSEST


def test_the_accessibility_page_lists_the_colours_the_figures_use() -> None:
    # book/accessibility.md explains the palette with a table; it must not drift from palette.py.
    page = (ROOT / "book" / "accessibility.md").read_text(encoding="utf-8")
    section = page[page.index("## Colours in figures") : page.index("## Known limitations")]
    rows = re.findall(r"^\| [a-z ]+ `(#[0-9A-F]{6})` \|[^|]*\| ([\d.]+):1 \|", section, flags=re.M)
    assert {c for c, _ in rows} == {*palette.OKABE_ITO.values(), palette.NEUTRAL}
    for colour, ratio in rows:
        assert float(ratio) == pytest.approx(contrast(colour, WHITE), abs=0.051), colour
    closest = min(closest_pair(_book_colours(), v)[0] for v in MACHADO_2009)
    assert f"at least {closest:.1f} CIEDE2000 units apart" in " ".join(section.split())
    assert f"closest pair is {OKABE_ITO_CLOSEST:.1f} apart" in " ".join(section.split())


# ------------------------------------------------------------------------------------------------
# Charts as drawn: what the plotting functions put on the canvas, not only what the palette lists.
# ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def charts() -> dict[str, Any]:
    """Four of the book's charts, drawn from small tables like those in tests/test_plots.py."""
    import pandas as pd

    from helpers import plots
    from helpers import runcharts as rc

    rates = pd.DataFrame(
        {
            "race": ["White", "Black", "Asian", "American Indian or Alaska Native", "Hispanic"],
            "numerator": [550, 410, 104, 4, 230],
            "denominator": [1000, 1000, 200, 9, 500],
            "rate": [0.55, 0.41, 0.52, np.nan, 0.46],
            "ci_low": [0.52, 0.38, 0.45, np.nan, 0.42],
            "ci_high": [0.58, 0.44, 0.59, np.nan, 0.50],
            "suppressed": [False, False, False, True, False],
        }
    )
    diff = rates["rate"] - 0.55
    gaps = rates.assign(reference_group="White", abs_diff=diff, abs_diff_ci_low=diff - 0.05,
                        abs_diff_ci_high=diff + 0.05)  # fmt: skip
    monthly = pd.DataFrame(
        [
            {"month": m, "race": race, "numerator": n, "denominator": 100}
            for m in range(1, 13)
            for race, n in (("Black", 40 + m), ("White", 55))
        ]
    )
    series = rc.gap_series(monthly, group="race", time="month", focus="Black", reference="White")
    values = [48, 52, 47, 53, 49, 51, 50, 54, 56, 55, 57, 58, 60, 61, 59, 90]
    return {
        "stratified_rates_plot": plots.stratified_rates_plot(rates, "race", reference="White"),
        "gap_plot by group": plots.gap_plot(gaps, measure="Blood-pressure control"),
        "gap_plot over time": plots.gap_plot(series, time="month", annotations={7: "Outreach"}),
        "run_chart": plots.run_chart(values, baseline=8, astronomical=True, annotations={9: "PDSA 1"}),
    }


def _drawn_colours(fig: Any) -> tuple[set[str], set[str]]:
    """(text colours, line and marker colours) of what is visible on ``fig``."""
    from matplotlib.collections import LineCollection, PathCollection
    from matplotlib.lines import Line2D
    from matplotlib.text import Text

    fig.draw_without_rendering()
    grid = {id(g) for ax in fig.axes for g in (*ax.xaxis.get_gridlines(), *ax.yaxis.get_gridlines())}
    text = {
        mpl.colors.to_hex(t.get_color())
        for t in fig.findobj(Text)
        if t.get_visible() and t.get_text().strip()
    }
    marks: set[str] = set()
    for ln in fig.findobj(Line2D):
        if not ln.get_visible() or id(ln) in grid or not ln.get_xydata().size:
            continue
        if ln.get_linestyle() not in ("None", "none", "") and ln.get_linewidth() > 1.0:
            marks.add(mpl.colors.to_hex(ln.get_color()))
        if ln.get_marker() not in (None, "None", "none", ""):
            marks |= {
                mpl.colors.to_hex(ln.get_markeredgecolor()),
                mpl.colors.to_hex(ln.get_markerfacecolor()),
            }
    for c in fig.findobj(lambda a: isinstance(a, (PathCollection, LineCollection))):
        if c.get_visible() and len(c.get_offsets()) + len(c.get_paths()):
            for rgba in (*c.get_edgecolor(), *c.get_facecolor()):
                if rgba[3] > 0.5:
                    marks.add(mpl.colors.to_hex(rgba))
    return text, marks - {WHITE.lower()}  # a white fill is an open (hollow) marker


CHARTS = ["stratified_rates_plot", "gap_plot by group", "gap_plot over time", "run_chart"]


@pytest.mark.parametrize("chart", CHARTS)
def test_charts_as_drawn_pass_contrast(charts: dict[str, Any], chart: str) -> None:
    # Every visible text at least 4.5:1 on the white canvas; every line (wider than 1 pt; thinner
    # ones are gridlines and whiskers' caps) and every marker's edge and fill at least 3:1.
    assert sorted(charts) == sorted(CHARTS)
    text, marks = _drawn_colours(charts[chart].fig)
    low_text = {c: round(contrast(c, WHITE), 2) for c in text if contrast(c, WHITE) < 4.5}
    low_marks = {c: round(contrast(c, WHITE), 2) for c in marks if contrast(c, WHITE) < 3.0}
    assert not low_text, f"{chart}: text below 4.5:1 on white: {low_text}"
    assert not low_marks, f"{chart}: lines or markers below 3:1 on white: {low_marks}"
    assert marks, f"{chart}: nothing drawn?"
