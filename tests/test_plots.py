"""helpers.plots: structural tests of the figures (lines, labels, annotations), never pixels.

Each test inspects the matplotlib objects a function returns: the lines and their labels, the
legend, the texts and annotations, the markers that make colour not the only cue, the font
sizes (at least 10 pt, readable at 100% zoom) and the one-sentence alt text.
"""

from __future__ import annotations

import base64
import subprocess
import sys
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PathCollection, PolyCollection
from matplotlib.figure import Figure as MplFigure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyBboxPatch
from matplotlib.text import Annotation, Text

from helpers import palette, plots
from helpers import runcharts as rc

ALLOWED_COLOURS = {c.lower() for c in palette.PALETTE} | {palette.NEUTRAL.lower(), "#000000", "#dddddd"}


# ----------------------------------------------------------------------------------------------
# helpers
# ----------------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def no_pyplot_figures_left():
    before = set(plt.get_fignums())
    yield
    assert set(plt.get_fignums()) == before, "a plotting function left a pyplot figure open"


def texts(fig: MplFigure) -> list[str]:
    return [t.get_text() for t in fig.findobj(Text) if t.get_text() and t.get_visible()]


def legend_labels(fig: MplFigure) -> list[str]:
    legends = list(fig.legends) + [ax.get_legend() for ax in fig.axes if ax.get_legend() is not None]
    return [t.get_text() for legend in legends for t in legend.get_texts()]


def line(ax, label: str) -> Line2D:
    found = [ln for ln in ax.get_lines() if ln.get_label() == label]
    assert found, f"no line labelled {label!r}; lines: {[ln.get_label() for ln in ax.get_lines()]}"
    return found[0]


def collection(ax, label: str) -> PathCollection:
    found = [c for c in ax.collections if c.get_label() == label]
    assert found, f"no collection labelled {label!r}; have {[c.get_label() for c in ax.collections]}"
    return found[0]


def assert_accessible(result: plots.Figure) -> None:
    """The common contract: a Figure with one sentence of alt text, readable text, palette colours."""
    assert isinstance(result, plots.Figure)
    assert isinstance(result.fig, MplFigure)
    alt = result.alt_text
    assert alt.endswith(".") and (alt[0].isupper() or alt.startswith(("p-", "p'", "u-", "u'")))
    assert ". " not in alt, f"alt text should be one sentence: {alt!r}"
    result.fig.draw_without_rendering()
    small = [
        (t.get_text(), t.get_fontsize())
        for t in result.fig.findobj(Text)
        if t.get_text() and t.get_fontsize() < 10
    ]
    assert not small, f"text below 10 pt: {small}"
    for ln in result.fig.findobj(Line2D):
        colour = mpl.colors.to_hex(ln.get_color()).lower()
        if ln.get_visible() and ln.get_xydata().size:
            assert colour in ALLOWED_COLOURS or ln.get_linewidth() <= 1.0, f"off-palette colour {colour}"
    assert result.title, "every chart states its finding in the title"


RATES = pd.DataFrame(
    {
        "race": ["White", "Black", "Asian", "American Indian or Alaska Native", "Hispanic"],
        "numerator": [550, 410, 104, 4, 230],
        "denominator": [1000, 1000, 200, 9, 500],
        "rate": [0.55, 0.41, 0.52, np.nan, 0.46],
        "ci_low": [0.52, 0.38, 0.45, np.nan, 0.42],
        "ci_high": [0.58, 0.44, 0.59, np.nan, 0.50],
        "suppressed": [False, False, False, True, False],
        "suppression_reason": ["", "", "", "fewer than 11 in the group (denominator)", ""],
    }
)


# ----------------------------------------------------------------------------------------------
# The Figure result object
# ----------------------------------------------------------------------------------------------


def test_result_displays_as_png_with_alt_text_and_unpacks() -> None:
    result = plots.run_chart([48, 52, 47, 53, 49, 51, 50, 54, 56, 55, 57, 58])
    data, metadata = result._repr_mimebundle_()
    png = base64.b64decode(data["image/png"])
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert data["text/plain"] == result.alt_text
    assert metadata["image/png"]["alt"] == result.alt_text
    fig, alt = result
    assert fig is result.fig and alt == result.alt_text
    assert repr(result).startswith("Figure(alt_text='Run chart")
    assert b"helpers.plots" in result.to_png()  # the PNG carries its description metadata


def test_save_writes_png_svg_and_rejects_other_formats(tmp_path) -> None:
    result = plots.radar_plot({"A": 1, "B": 2, "C": 3})
    assert result.save(tmp_path / "r.png").stat().st_size > 0
    svg = result.save(tmp_path / "r.svg").read_text(encoding="utf-8")
    assert "<svg" in svg
    with pytest.raises(ValueError, match=r"\.png, \.svg or \.pdf"):
        result.save(tmp_path / "r.jpg")


def test_importing_plots_does_not_touch_global_style() -> None:
    code = (
        "import matplotlib as mpl; before = dict(mpl.rcParams); "
        "import helpers.plots, helpers.palette; "
        "assert dict(mpl.rcParams) == before, 'rcParams changed at import'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_drawing_does_not_leak_the_book_style() -> None:
    before = mpl.rcParams["font.size"], mpl.rcParams["axes.prop_cycle"]
    plots.stratified_rates_plot(RATES, reference="White")
    assert (mpl.rcParams["font.size"], mpl.rcParams["axes.prop_cycle"]) == before


# ----------------------------------------------------------------------------------------------
# Palette
# ----------------------------------------------------------------------------------------------


def test_palette_is_adapted_okabe_ito_with_markers_and_line_styles() -> None:
    # Contrast and colour-blind distances are tested in tests/test_site_contrast.py.
    assert len(palette.OKABE_ITO) == len(palette.OKABE_ITO_2008) == 8
    assert set(palette.PALETTE) == set(palette.OKABE_ITO.values())
    unchanged = {k for k, c in palette.OKABE_ITO.items() if palette.OKABE_ITO_2008.get(k) == c}
    assert unchanged == {"black", "blue", "bluish_green"}
    assert plots.PALETTE is palette.PALETTE and plots.MARKERS is palette.MARKERS
    assert len(set(palette.MARKERS)) == len(palette.MARKERS) == len(palette.PALETTE)
    assert len(palette.LINESTYLES) == len(palette.PALETTE)
    styles = [palette.series_style(i) for i in range(8)]
    # Never colour alone: every series has its own marker, and neighbours differ in line style.
    assert len({s["color"] for s in styles}) == len({s["marker"] for s in styles}) == 8
    assert all(styles[i]["linestyle"] != styles[i + 1]["linestyle"] for i in range(len(styles) - 1))
    assert palette.series_style(8) == palette.series_style(0)
    assert palette.PALETTE[0] == palette.ROLE_COLORS["data"]
    assert palette.PALETTE[-1] == palette.OKABE_ITO["lavender"]  # lowest contrast on white: used last
    for key in ("font.size", "xtick.labelsize", "ytick.labelsize", "legend.fontsize", "axes.labelsize"):
        assert palette.BOOK_RC[key] >= 10
    with palette.book_style():
        assert mpl.rcParams["font.size"] == 11
    with pytest.raises(ValueError):
        palette.series_style(-1)


# ----------------------------------------------------------------------------------------------
# stratified_rates_plot
# ----------------------------------------------------------------------------------------------


def test_stratified_rates_plot_structure() -> None:
    result = plots.stratified_rates_plot(
        RATES, reference="White", measure="Blood-pressure control", xlabel="Percent controlled"
    )
    assert_accessible(result)
    ax = result.fig.axes[0]
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert ticks == ["White (reference)", "Black", "Asian", "American Indian or Alaska Native", "Hispanic"]
    assert ax.get_xlabel() == "Percent controlled"
    assert "suppressed (1–10)" in texts(result.fig)  # shown, not omitted
    labels = legend_labels(result.fig)
    assert "Reference group (White)" in labels
    assert "Blood-pressure control with 95% CI" in labels
    assert line(ax, "Reference rate 55%").get_xdata()[0] == pytest.approx(0.55)
    assert result.title == "Blood-pressure control ranges from 41% (Black) to 55% (White)"
    assert result.alt_text == (
        "Blood-pressure control by race: highest White 55% (95% CI 52–58%), lowest Black 41% (38–44%); "
        "reference group White; 1 stratum suppressed (1–10)."
    )
    # the reference group differs by marker as well as colour
    markers = {c.get_label(): c for c in ax.containers}
    assert markers["Reference group (White)"].lines[0].get_marker() == "D"
    assert markers["Blood-pressure control with 95% CI"].lines[0].get_marker() == "o"
    assert ax.get_xticklabels()[1].get_text().endswith("%")


def test_stratified_rates_plot_reads_the_reference_from_gaps_output_and_sorts() -> None:
    gaps = RATES.assign(reference_group="White")
    result = plots.stratified_rates_plot(gaps, sort=True, min_cell=20)
    ticks = [t.get_text() for t in result.fig.axes[0].get_yticklabels()]  # top to bottom
    assert ticks[:4] == ["White (reference)", "Asian", "Hispanic", "Black"]
    assert ticks[-1] == "American Indian or Alaska Native"  # suppressed strata last
    assert "suppressed (1–19)" in texts(result.fig)


def test_stratified_rates_plot_intersectional_labels() -> None:
    df = pd.DataFrame(
        {
            "race": ["Black", "Black", "White"],
            "language": ["English", "Spanish", "English"],
            "rate": [0.4, 0.3, 0.55],
            "ci_low": [0.35, 0.2, 0.5],
            "ci_high": [0.45, 0.4, 0.6],
        }
    )
    result = plots.stratified_rates_plot(df, ["race", "language"], reference="White · English")
    ticks = {t.get_text() for t in result.fig.axes[0].get_yticklabels()}
    assert ticks == {"Black · English", "Black · Spanish", "White · English (reference)"}
    assert "by race × language" in result.alt_text


def test_stratified_rates_plot_on_given_axes() -> None:
    fig = MplFigure()
    ax = fig.add_subplot()
    result = plots.stratified_rates_plot(RATES, reference="White", ax=ax, title="My title")
    assert result.fig is fig
    assert ax.get_title(loc="left") == "My title"
    assert ax.get_legend() is not None  # on the caller's axes, the legend goes inside
    assert not fig.get_suptitle()


def test_stratified_rates_plot_errors() -> None:
    unknown = r"reference 'white' not found in column 'race'.*did you mean 'White'"
    with pytest.raises(ValueError, match=unknown):
        plots.stratified_rates_plot(RATES, reference="white")
    with pytest.raises(KeyError, match="ci_high"):
        plots.stratified_rates_plot(RATES.drop(columns="ci_high"))
    with pytest.raises(ValueError, match="no rows"):
        plots.stratified_rates_plot(RATES.iloc[:0])
    with pytest.raises(ValueError, match="by="):
        plots.stratified_rates_plot(RATES[["rate", "ci_low", "ci_high"]])
    with pytest.raises(ValueError, match="Axes"):
        plots.stratified_rates_plot(RATES, ax="not axes")


# ----------------------------------------------------------------------------------------------
# gap_plot
# ----------------------------------------------------------------------------------------------


def test_gap_plot_by_group() -> None:
    gaps = RATES.assign(
        reference_group="White",
        abs_diff=RATES["rate"] - 0.55,
        abs_diff_ci_low=RATES["rate"] - 0.60,
        abs_diff_ci_high=RATES["rate"] - 0.50,
    )
    result = plots.gap_plot(gaps, measure="Blood-pressure control")
    assert_accessible(result)
    ax = result.fig.axes[0]
    assert "No gap (same as White)" in legend_labels(result.fig)
    assert ax.get_xlabel() == "Difference from White (percentage points)"
    assert "White (reference)" in [t.get_text() for t in ax.get_yticklabels()]
    assert "suppressed (1–10)" in texts(result.fig)
    assert (
        "the largest gap is Black, 14 percentage points lower than White (95% CI 9 to 19 lower)"
        in result.alt_text
    )
    # the title says what the groups are (race), so it reads the same for clinics
    assert " ".join(result.title.split()) == (
        "Blood-pressure control by race: Black is 14 percentage points lower than White"
    )


def test_gap_plot_over_time_from_gap_series() -> None:
    rows = []
    for month in range(1, 13):
        rows += [
            {"month": month, "race": "Black", "numerator": 40 + month, "denominator": 100},
            {"month": month, "race": "White", "numerator": 55, "denominator": 100},
        ]
    series = rc.gap_series(pd.DataFrame(rows), group="race", time="month", focus="Black", reference="White")
    result = plots.gap_plot(
        series, time="month", measure="Blood-pressure control", annotations={7: "Outreach"}
    )
    assert_accessible(result)
    ax = result.fig.axes[0]
    assert any(isinstance(c, PolyCollection) and c.get_label() == "95% CI" for c in ax.collections)
    gap = line(ax, "Gap: Black − White")
    assert gap.get_marker() == "o"
    assert gap.get_ydata()[0] == pytest.approx(-14)
    assert ax.get_xlabel() == "Month"
    assert [a.get_text() for a in ax.texts if isinstance(a, Annotation)] == ["Outreach"]
    assert "narrowed from 14 to 3 points" in result.title.replace("\n", " ")
    assert "at month 1 (95% CI" in result.alt_text and "at month 12" in result.alt_text


def test_gap_plot_errors() -> None:
    bad = pd.DataFrame({"abs_diff": [0.1], "abs_diff_ci_low": [0.0], "abs_diff_ci_high": [0.2]})
    with pytest.raises(KeyError, match="reference_group"):
        plots.gap_plot(bad)
    two_refs = bad.assign(reference_group=["White"]).pipe(
        lambda d: pd.concat([d, d.assign(reference_group="Asian")])
    )
    with pytest.raises(ValueError, match="one reference group"):
        plots.gap_plot(two_refs.assign(race=["A", "B"]))
    series = bad.assign(reference_group="White", month=[1])
    two = pd.concat([series.assign(group="Black"), series.assign(group="Asian")])
    with pytest.raises(ValueError, match="shows one group"):
        plots.gap_plot(two, time="month")


# ----------------------------------------------------------------------------------------------
# run_chart
# ----------------------------------------------------------------------------------------------

VALUES = [48, 52, 47, 53, 49, 51, 50, 54, 56, 55, 57, 58]


def test_run_chart_median_line_and_no_signal() -> None:
    result = plots.run_chart(VALUES, measure="blood-pressure control")
    assert_accessible(result)
    ax = result.fig.axes[0]
    median = line(ax, "Median 52.5")
    assert set(median.get_ydata()) == {52.5}
    assert median.get_linestyle() == "--" and median.get_marker() in ("None", "none", "")
    data = line(ax, "Blood-pressure control")
    assert data.get_marker() == "o"
    assert list(data.get_ydata()) == VALUES
    assert len(ax.collections) == 0  # nothing highlighted
    assert ax.get_xlabel() == "Point (time order)"
    assert result.title == "Blood-pressure control: no signal, only random variation"
    assert isinstance(result.analysis, rc.RunChartSignals)
    assert "the IHI run-chart rules find no signal (random variation)" in result.alt_text


def test_run_chart_highlights_a_shift_with_its_own_marker_and_annotates_pdsa() -> None:
    result = plots.run_chart(VALUES, baseline=7, annotations={8: "PDSA 1: reminder calls"})
    assert_accessible(result)
    ax = result.fig.axes[0]
    line(ax, "Baseline median 50.0 (first 7 points)")
    extended = line(ax, "Baseline median extended")
    assert extended.get_linestyle() == "--"
    shift = collection(ax, "Shift (6 or more on one side)")
    assert len(shift.get_offsets()) == 6
    assert shift.get_offsets()[:, 0].tolist() == [6, 8, 9, 10, 11, 12]  # positions 5, 7..11, numbered from 1
    annotations = [a for a in ax.texts if isinstance(a, Annotation)]
    assert [a.get_text() for a in annotations] == ["PDSA 1: reminder calls"]
    assert any(ln.get_gid() == "annotation-line" and ln.get_xdata()[0] == 8 for ln in ax.get_lines())
    assert result.title == "Shift: 6 points above the baseline median from point 6"


def test_run_chart_trend_astronomical_and_dates() -> None:
    months = pd.date_range("2024-01-01", periods=14, freq="MS")
    series = pd.Series([5, 3, 1, 2, 3, 4, 5, 2, 4, 3, 12, 4, 2, 3], index=months)
    result = plots.run_chart(series, astronomical=True, annotations={"2024-06-01": "PDSA 2"})
    assert_accessible(result)
    ax = result.fig.axes[0]
    trend = collection(ax, "Trend (5 or more up or down)")
    assert len(trend.get_offsets()) == 5
    star = collection(ax, "Possible astronomical point (judge)")
    assert len(star.get_offsets()) == 1
    assert "from Jan 2024 to Feb 2025" in result.alt_text
    assert "(Mar 2024–Jul 2024)" in result.alt_text
    assert result.title == "Trend: 5 points in one direction from Mar 2024"


def test_run_chart_percent_axis_and_category_labels() -> None:
    labels = [f"Q{q} {y}" for y in (2023, 2024, 2025) for q in (1, 2, 3, 4)]
    values = [0.40, 0.42, 0.41, 0.39, 0.43, 0.40, 0.48, 0.50, 0.49, 0.51, 0.52, 0.50]
    result = plots.run_chart(
        values, x=labels, percent=True, measure="screening", annotations={"Q3 2024": "Mailed FIT"}
    )
    ax = result.fig.axes[0]
    assert ax.get_ylabel() == "Percent"
    result.fig.draw_without_rendering()
    assert all(t.get_text().endswith("%") for t in ax.get_yticklabels() if t.get_text())
    assert "Q1 2023" in [t.get_text() for t in ax.get_xticklabels()]
    assert "median 45.5%" in result.alt_text


def test_run_chart_not_enough_data_is_said_plainly() -> None:
    result = plots.run_chart([3, 1, 4, 1, 5])
    assert result.title == "The measure: not enough data to apply every rule"
    assert "no signal found, but not enough data" in result.alt_text


def test_run_chart_errors() -> None:
    with pytest.raises(ValueError, match="annotation key 40 does not match any point number"):
        plots.run_chart(VALUES, annotations={40: "too late"})
    with pytest.raises(ValueError, match="x has 3 labels but there are 12 values"):
        plots.run_chart(VALUES, x=["a", "b", "c"])
    with pytest.raises(ValueError, match="missing values"):
        plots.run_chart([1, 2, np.nan, 4])


def test_run_chart_anhoej() -> None:
    result = plots.run_chart([1] * 9 + [9] * 9 + [5], rules="anhoej")
    assert "Shift (run longer than 7)" in legend_labels(result.fig)
    assert "Anhøj rules" in result.alt_text


# ----------------------------------------------------------------------------------------------
# spc_chart
# ----------------------------------------------------------------------------------------------


def test_spc_chart_p_chart_with_change_point() -> None:
    before = [40, 42, 38, 41, 39, 43, 40, 42, 41, 39, 40, 38]
    after = [52, 55, 50, 53, 54, 51, 55, 52, 53, 50, 54, 52]
    chart = rc.p_chart(before + after, [100] * 24, change_points=[12])
    result = plots.spc_chart(chart, measure="blood-pressure control", annotations={13: "Outreach starts"})
    assert_accessible(result)
    ax = result.fig.axes[0]
    assert {"Centre line", "Control limits (3 sigma)", "Blood-pressure control"} <= set(
        legend_labels(result.fig)
    )
    centre_lines = [ln for ln in ax.get_lines() if ln.get_color() == "#000000" and ln.get_linestyle() == "-"]
    assert len(centre_lines) == 2  # one per period
    assert any(ln.get_gid() == "change-point" for ln in ax.get_lines())
    assert "40.2%" in texts(result.fig) and "52.6%" in texts(result.fig)
    assert [a.get_text() for a in ax.texts if isinstance(a, Annotation) and a.get_text() == "Outreach starts"]
    assert result.title == "Blood-pressure control: centre line moved from 40.2% to 52.6%"
    assert "centre line 40.2% then 52.6% from point 13" in result.alt_text


def test_spc_chart_flags_points_outside_varying_limits() -> None:
    counts = [
        12,
        15,
        8,
        10,
        4,
        7,
        16,
        9,
        14,
        10,
        5,
        6,
        17,
        12,
        22,
        8,
        10,
        5,
        13,
        11,
        20,
        18,
        24,
        15,
        9,
        12,
        7,
        13,
        9,
        6,
    ]
    chart = rc.p_chart(counts, [50] * 30)
    result = plots.spc_chart(chart, measure="nonconforming cans")
    ax = result.fig.axes[0]
    outside = collection(ax, "Outside the limits")
    assert outside.get_offsets()[:, 0].tolist() == [15, 23]
    assert result.title == "Special cause: 2 points outside the limits"
    assert "2 points outside the control limits (points 15, 23)" in result.alt_text
    varying = rc.p_chart([20, 45, 30, 100], [50, 100, 80, 200])
    ucl = line(plots.spc_chart(varying).fig.axes[0], "Control limits (3 sigma)")
    assert len(set(np.round(ucl.get_ydata(), 6))) == 4  # limits follow each denominator


def test_spc_chart_u_chart_units_and_run_signal() -> None:
    chart = rc.u_chart([2, 3, 2, 3, 2, 3, 2, 3, 2, 3, 6, 7, 6, 7, 6, 7, 6, 7, 6, 7], [1000] * 20, per=1000)
    result = plots.spc_chart(chart, measure="infections")
    ax = result.fig.axes[0]
    assert ax.get_ylabel() == "Infections per 1,000"
    assert "Run-test signal (Anhøj rules)" in legend_labels(result.fig)
    assert result.title.startswith("Special cause: a shift of 10 points")


def test_spc_chart_needs_a_control_chart() -> None:
    with pytest.raises(ValueError, match="draws a ControlChart"):
        plots.spc_chart(rc.run_chart_signals(VALUES))


# ----------------------------------------------------------------------------------------------
# radar_plot
# ----------------------------------------------------------------------------------------------

COMPONENTS = {
    "Make equity a strategic priority": 3.0,
    "Build infrastructure": 2.0,
    "Address multiple determinants": 2.5,
    "Eliminate racism": 1.5,
    "Partner with the community": 2.0,
}


def test_radar_plot_two_series_differ_by_line_style_and_marker() -> None:
    before = dict.fromkeys(COMPONENTS, 2.0)
    result = plots.radar_plot(COMPONENTS, before, names=("After", "Before"), min_value=1, max_value=4)
    assert_accessible(result)
    ax = result.fig.axes[0]
    assert ax.name == "polar"
    after_line, before_line = line(ax, "After"), line(ax, "Before")
    assert after_line.get_linestyle() != before_line.get_linestyle()
    assert after_line.get_marker() != before_line.get_marker()
    assert after_line.get_color() != before_line.get_color()
    assert len(after_line.get_ydata()) == 6  # closed ring: first point repeated
    assert legend_labels(result.fig) == ["After", "Before"]
    ticks = [t.get_text().replace("\n", " ") for t in ax.get_xticklabels()]
    assert ticks == list(COMPONENTS)
    assert ax.get_ylim() == (1.0, 4.0)
    assert "compared with Before, 2 higher, 1 lower, 2 unchanged" in result.alt_text


def test_radar_plot_accepts_the_exercise_frame() -> None:
    scores = pd.DataFrame(
        {"component": list(COMPONENTS), "items": 3, "mean_rating": list(COMPONENTS.values())}
    )
    result = plots.radar_plot(scores, label="component", value="mean_rating", max_value=5)
    assert result.fig.axes[0].get_ylim() == (0.0, 5.0)
    assert "on a 0–5 scale" in result.alt_text
    assert plots.radar_plot(pd.Series(COMPONENTS)).alt_text.startswith(
        "Radar chart of score for 5 components"
    )


def test_radar_plot_errors() -> None:
    with pytest.raises(ValueError, match="at least 3 components"):
        plots.radar_plot({"A": 1, "B": 2})
    with pytest.raises(ValueError, match="same components"):
        plots.radar_plot(COMPONENTS, {"A": 1, "B": 2, "C": 3})
    with pytest.raises(ValueError, match="outside the scale 1–4"):
        plots.radar_plot({"A": 1, "B": 2, "C": 5}, min_value=1, max_value=4)
    with pytest.raises(ValueError, match="has no score"):
        plots.radar_plot({"A": 1, "B": np.nan, "C": 3})
    with pytest.raises(ValueError, match="not a number"):
        plots.radar_plot({"A": 1, "B": "high", "C": 3})
    with pytest.raises(ValueError, match="polar axes"):
        plots.radar_plot(COMPONENTS, ax=MplFigure().add_subplot())


# ----------------------------------------------------------------------------------------------
# driver_diagram
# ----------------------------------------------------------------------------------------------

AIM = "Raise blood-pressure control for Black patients from 41% to 55% by December 2026"
DRIVERS = {
    "Reliable outreach": {
        "Language-concordant calls": ["Spanish-speaking call team", "Interpreter on every call"],
        "Reminder texts": ["Two-way texting pilot"],
    },
    "Trusted care teams": {"Community health workers": ["CHW home visits"]},
}


def boxes(fig: MplFigure) -> dict[str, int]:
    counts: dict[str, int] = {}
    for patch in fig.axes[0].patches:
        if isinstance(patch, FancyBboxPatch):
            counts[patch.get_gid()] = counts.get(patch.get_gid(), 0) + 1
    return counts


def test_driver_diagram_structure() -> None:
    result = plots.driver_diagram(AIM, DRIVERS)
    assert_accessible(result) if result.title else None
    assert boxes(result.fig) == {"box-aim": 1, "box-primary": 2, "box-secondary": 3, "box-change": 4}
    ax = result.fig.axes[0]
    connectors = [ln for ln in ax.get_lines() if ln.get_gid() == "connector"]
    assert len(connectors) == 2 + 3 + 4  # one per box except the aim
    for ln in connectors:
        assert ln.get_xdata()[0] < ln.get_xdata()[-1]  # left to right
    shown = texts(result.fig)
    assert {"Aim", "Primary drivers", "Secondary drivers", "Change ideas"} <= set(shown)
    assert "Spanish-speaking\ncall team" in shown  # wrapped, not cut
    assert all(len(part) <= 20 for t in shown for part in t.split("\n") if t not in ("Secondary drivers",))
    styles = {p.get_gid(): p.get_linestyle() for p in ax.patches}
    assert len(set(styles.values())) >= 3  # levels differ by border style, not colour alone
    assert result.alt_text == (
        f'Driver diagram for the aim "{AIM}": 2 primary drivers, 3 secondary drivers and 4 change ideas.'
    )
    assert not ax.axison


def test_driver_diagram_accepts_the_exercise_spec_and_a_tidy_table() -> None:
    spec = {
        "aim": AIM,
        "primary": [
            {
                "driver": "Reliable outreach",
                "secondary": [{"driver": "Reminder texts", "changes": ["Two-way texting"]}],
            },
            {"driver": "Affordable medicines", "secondary": []},
        ],
    }
    from_spec = plots.driver_diagram(spec)
    assert boxes(from_spec.fig) == {"box-aim": 1, "box-primary": 2, "box-secondary": 1, "box-change": 1}
    table = pd.DataFrame(
        {
            "level": ["aim", "primary", "primary", "secondary", "change"],
            "parent": ["", AIM, AIM, "Reliable outreach", "Reminder texts"],
            "text": [AIM, "Reliable outreach", "Affordable medicines", "Reminder texts", "Two-way texting"],
        }
    )
    from_table = plots.driver_diagram(table)
    assert from_table.alt_text == from_spec.alt_text
    only_primary = plots.driver_diagram("Better care", ["Outreach", "Access"])
    assert boxes(only_primary.fig) == {"box-aim": 1, "box-primary": 2}
    assert "Change ideas" not in texts(only_primary.fig)
    titled = plots.driver_diagram("Better care", ["Outreach", "Access"], title="Our theory of change")
    assert titled.title == "Our theory of change"


def test_driver_layout_is_pure_and_centres_parents_on_their_rows() -> None:
    tree = plots._driver_tree(AIM, DRIVERS)
    layout = plots._layout_driver(tree, wrap=20)
    assert (layout.ncols, layout.nrows) == (4, 4)  # one row per change idea (the leaves)
    assert [b.level for b in layout.boxes] == [0, 1, 2, 3, 3, 2, 3, 1, 2, 3]  # depth first
    assert layout.boxes[0].y == layout.nrows / 2  # the aim is centred on every row
    for box in layout.boxes:  # a parent sits between its first and last child
        if box.children:
            ys = [layout.boxes[k].y for k in box.children]
            assert min(ys) <= box.y <= max(ys)
        else:
            assert box.height < 1  # a leaf fits its row
        assert box.height * layout.row_in == pytest.approx(len(box.lines) * 10 / 72 * 1.3 + 0.22)
        assert all(len(line) <= (16 if box.level == 0 else 20) for line in box.lines)
    assert layout.boxes[0].lines[0] == "Raise blood-"  # the bold aim wraps 4 characters earlier
    assert layout.size == (4 * 2.1, 4 * layout.row_in + 0.6)
    narrow = plots._layout_driver(tree, wrap=10)
    assert narrow.row_in > layout.row_in  # more lines per box: taller rows
    assert plots._layout_driver(plots._driver_tree("A", None), wrap=20).size == (4.0, 2.0)
    with pytest.raises(ValueError, match="wrap must be at least 8"):
        plots._layout_driver(tree, wrap=7)


def test_driver_description_is_pure_and_shortens_a_long_aim() -> None:
    long_aim = "Close the gap " * 20
    text = plots._describe_driver(plots._driver_tree(long_aim, ["Outreach"]))
    assert text.startswith('Driver diagram for the aim "Close the gap') and '…": 1 primary driver,' in text
    assert text.endswith("0 secondary drivers and 0 change ideas.")


def test_driver_diagram_errors() -> None:
    with pytest.raises(ValueError, match="has no text"):
        plots.driver_diagram("  ", ["Outreach"])
    with pytest.raises(ValueError, match="4 levels"):
        plots.driver_diagram("Aim", {"P": {"S": {"C": ["too deep"]}}})
    table = pd.DataFrame({"level": ["aim", "secondary"], "parent": ["", "Nope"], "text": ["Aim", "S"]})
    with pytest.raises(ValueError, match="names parent 'Nope'"):
        plots.driver_diagram(table)
    with pytest.raises(ValueError, match="exactly one row with level 'aim'"):
        plots.driver_diagram(pd.DataFrame({"level": ["primary"], "parent": ["x"], "text": ["P"]}))
    with pytest.raises(ValueError, match="level must be one of"):
        plots.driver_diagram(pd.DataFrame({"level": ["goal"], "parent": [""], "text": ["G"]}))
    with pytest.raises(ValueError, match="not both"):
        plots.driver_diagram({"aim": "A", "primary": []}, ["P"])


# ----------------------------------------------------------------------------------------------
# Contract with helpers.measures / helpers.disparities output, and bad input
# ----------------------------------------------------------------------------------------------


def test_complementary_suppression_is_labelled_for_what_it_is() -> None:
    # helpers.measures hides a second stratum so the small one cannot be worked out from a total
    rates = RATES.copy()
    rates.loc[2, ["rate", "ci_low", "ci_high"]] = np.nan
    rates.loc[2, "suppressed"] = True
    rates.loc[2, "suppression_reason"] = (
        "complementary: hidden so that race=American Indian cannot be derived"
    )
    result = plots.stratified_rates_plot(rates)
    shown = texts(result.fig)
    assert "suppressed (1–10)" in shown
    assert "suppressed (protects a small cell)" in shown
    assert result.alt_text.endswith("1 stratum suppressed (1–10) and 1 more to protect it.")


def test_gaps_output_with_blank_reference_for_suppressed_rows() -> None:
    gaps = RATES.assign(
        reference_group=["White", "White", "White", "", "White"],
        abs_diff=RATES["rate"] - 0.55,
        abs_diff_ci_low=RATES["rate"] - 0.60,
        abs_diff_ci_high=RATES["rate"] - 0.50,
    )
    assert "White (reference)" in [t.get_text() for t in plots.gap_plot(gaps).fig.axes[0].get_yticklabels()]
    assert "reference group White" in plots.stratified_rates_plot(gaps).alt_text


def test_text_in_a_rate_column_is_an_error_not_a_blank_row() -> None:
    bad = RATES.astype({"rate": "object"})
    bad.loc[1, "rate"] = "41%"
    with pytest.raises(ValueError, match=r"rate\[1\] is '41%', which is not a number"):
        plots.stratified_rates_plot(bad)


def test_swapped_interval_columns_are_caught() -> None:
    swapped = RATES.rename(columns={"ci_low": "ci_high", "ci_high": "ci_low"})
    with pytest.raises(ValueError, match=r"White: the interval .* does not contain the rate 0.55"):
        plots.stratified_rates_plot(swapped)


def test_figures_display_as_html_with_alt_text_and_a_caption() -> None:
    """Notebooks and the book show figures through text/html: alt text and caption come with them."""
    import html as html_lib
    import re

    from helpers.plots import radar_plot

    figure = radar_plot({"Access <A&B>": 1, "B": 2, "C": 3}, title="Scores by component")
    bundle, metadata = figure._repr_mimebundle_()
    assert set(bundle) == {"text/html", "image/png", "text/plain"}
    assert bundle["text/plain"] == figure.alt_text
    assert metadata["image/png"]["alt"] == figure.alt_text
    page = bundle["text/html"]
    alt = re.search(r'alt="([^"]*)"', page).group(1)
    assert html_lib.unescape(alt) == figure.alt_text
    assert "<A&B>" not in page  # user-supplied labels are escaped
    assert re.search(r"<figcaption>Scores by component</figcaption>", page)
    captioned = figure.to_html(caption="Figure 1. Self-assessment")
    assert captioned.count("<figcaption>Figure 1. Self-assessment</figcaption>") == 1


def _tick_texts(axis) -> list[str]:
    axis.get_figure(root=True).canvas.draw()
    return [t.get_text() for t in axis.get_ticklabels() if t.get_text()]


def test_percent_ticks_follow_the_tick_spacing_not_decimals_in_every_chart() -> None:
    """``decimals`` sets labels and alt text; ticks read the same whatever it says (issue #16)."""
    figures = {d: plots.stratified_rates_plot(RATES, decimals=d) for d in (0, 2)}
    rate_ticks = {d: _tick_texts(f.fig.axes[0].xaxis) for d, f in figures.items()}
    assert rate_ticks[0] == rate_ticks[2]
    assert all(t.endswith("%") and "." not in t for t in rate_ticks[0])
    values = [0.52, 0.55, 0.53, 0.58, 0.6, 0.57, 0.59, 0.62, 0.61, 0.63, 0.6, 0.64]
    charts = {d: plots.run_chart(values, percent=True, decimals=d) for d in (1, 3)}
    run_ticks = {d: _tick_texts(c.fig.axes[0].yaxis) for d, c in charts.items()}
    assert run_ticks[1] == run_ticks[3]
    assert all(t.endswith("%") and "." not in t for t in run_ticks[1])
    assert "Median 59.5%" in legend_labels(charts[1].fig)
    assert "Median 59.500%" in legend_labels(charts[3].fig)
    plt.close("all")


def test_tick_decimals_show_half_steps() -> None:
    assert plots._tick_decimals([2.5, 5.0, 7.5]) == 1
    assert plots._tick_decimals([30.0, 40.0]) == 0


def test_stratified_rates_plot_prepare_and_describe_are_pure_steps() -> None:
    """prepare (reads the table) → describe (alt text, title) work without drawing anything."""
    table = pd.DataFrame(
        {
            "decile": [1, 2, 3],
            "rate": [0.4, 0.6, np.nan],
            "ci_low": [0.3, 0.5, np.nan],
            "ci_high": [0.5, 0.7, np.nan],
            "suppressed": [False, False, True],
        }
    )
    table.attrs = {"by": ["decile"], "min_cell": 5, "measure": {"level": 0.8}}
    before = set(plt.get_fignums())
    data = plots._prepare_rates(table, None, reference="decile 1", level=None, min_cell=None, sort=False)
    assert (data.level, data.min_cell, data.ref_label) == (0.8, 5, "decile 1")
    assert data.shown == [0, 1] and data.hidden_text[2] == "suppressed (1–4)"
    alt, title = plots._describe_rates(data, measure="Screening", percent=True, decimals=0)
    assert alt == (
        "Screening by decile: highest decile 2 60% (80% CI 50–70%), lowest decile 1 40% (30–50%); "
        "reference group decile 1; 1 stratum suppressed (1–4)."
    )
    assert title == "Screening ranges from 40% (decile 1) to 60% (decile 2)"
    assert set(plt.get_fignums()) == before


# ----------------------------------------------------------------------------------------------
# run_chart in steps: prepare (pure) -> draw -> describe (pure)
# ----------------------------------------------------------------------------------------------


def _run_data(values: Any, **options: Any) -> Any:
    settings: dict[str, Any] = {
        "x": None,
        "rules": "ihi",
        "baseline": None,
        "astronomical": False,
        "missing": "raise",
        "annotations": None,
        "percent": False,
        "decimals": None,
    }
    return plots._prepare_run_chart(values, **{**settings, **options})


def test_run_chart_prepare_is_pure_and_checks_annotations_before_drawing() -> None:
    dates = pd.date_range("2024-01-01", periods=12, freq="MS")
    d = _run_data([0.41 + 0.01 * i for i in range(12)], x=dates, percent=True, baseline=6)
    assert d.axis.kind == "dates" and d.axis.labels[0] == "Jan 2024"
    assert d.signals.center_kind == "baseline median" and d.signals.trend is True
    assert d.decimals == 1 and d.fmt(d.signals.center) == "43.5%"
    series = pd.Series([1.0, None, 3.0], index=["a", "b", "c"])
    kept = _run_data(series, missing="drop")
    assert np.isnan(kept.ys[1]) and kept.axis.labels == ["a", "b", "c"]  # the gap stays on the axis
    before = len(plt.get_fignums())
    with pytest.raises(ValueError, match="annotation key 99"):
        _run_data([1, 2, 3], annotations={99: "PDSA"})
    assert len(plt.get_fignums()) == before


def test_run_chart_describe_is_pure_and_names_points_by_their_labels() -> None:
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    d = _run_data([48, 52, 47, 53, 49, 51, 50, 54, 56, 55, 57, 58], x=months, baseline=7)
    alt, title = plots._describe_run_chart(d, measure="visits")
    assert alt == (
        "Run chart of visits over 12 points from Jan to Dec with the baseline median 50.0 (first 7 points): "
        "the IHI run-chart rules find a shift of 6 points above the baseline median (Jun–Dec)."
    )
    assert title == "Shift: 6 points above the baseline median from Jun"
    short_alt, short_title = plots._describe_run_chart(_run_data([3, 1, 4]), measure="the measure")
    assert "no signal found, but not enough data for the shift rule" in short_alt
    assert short_title == "The measure: not enough data to apply every rule"
    assert (
        plots.run_chart(
            [48, 52, 47, 53, 49, 51, 50, 54, 56, 55, 57, 58], x=months, baseline=7, measure="visits"
        ).alt_text
        == alt
    )


# ----------------------------------------------------------------------------------------------
# spc_chart in steps: prepare (pure) -> draw -> describe (pure)
# ----------------------------------------------------------------------------------------------


def test_spc_prepare_is_pure_and_checks_before_drawing() -> None:
    chart = rc.u_chart([3, 5, 2, 4], [1200, 1500, 900, 1100], per=1000)
    d = plots._prepare_spc(
        chart, x=["Q1", "Q2", "Q3", "Q4"], annotations={"Q3": "CHW"}, percent=None, decimals=None
    )
    assert d.percent is False and d.axis.kind == "category" and d.ys.tolist() == chart.data["value"].tolist()
    p = plots._prepare_spc(rc.p_chart([4, 5], [10, 10]), x=None, annotations=None, percent=None, decimals=0)
    assert p.percent is True and p.fmt(p.chart.center) == "45%"
    before = len(plt.get_fignums())
    with pytest.raises(ValueError, match="annotation key 'Q9'"):
        plots._prepare_spc(
            chart, x=["Q1", "Q2", "Q3", "Q4"], annotations={"Q9": "x"}, percent=None, decimals=None
        )
    with pytest.raises(ValueError, match="draws a ControlChart"):
        plots._prepare_spc([1, 2, 3], x=None, annotations=None, percent=None, decimals=None)  # type: ignore[arg-type]
    assert len(plt.get_fignums()) == before


def test_spc_describe_is_pure_and_names_each_period() -> None:
    chart = rc.p_chart([40, 42, 38, 41, 52, 55, 50, 53], [100] * 8, change_points=[4])
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug"]
    d = plots._prepare_spc(chart, x=months, annotations=None, percent=None, decimals=None)
    alt, title = plots._describe_spc(d, measure="control")
    assert alt.startswith("p-chart of control over 8 points, centre line 40.2% then 52.5% from May: ")
    assert title == "Control: centre line moved from 40.2% to 52.5%"
    assert plots.spc_chart(chart, x=months, measure="control").alt_text == alt
