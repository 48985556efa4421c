"""helpers.changeplot: the two-wave dumbbell chart and its alt text."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.change import change_in_gaps
from helpers.changeplot import change_in_gaps_plot, describe_change_in_gaps
from helpers.measures import stratified_rates


def _table() -> pd.DataFrame:
    w1 = pd.DataFrame(
        {"race": ["AIAN", "Black", "Hispanic/Latino", "White", "Asian"], "x": [3, 180, 60, 120, 20],
         "n": [8, 400, 200, 1000, 60]}
    )  # fmt: skip
    w2 = w1.assign(x=[4, 152, 50, 110, 22])
    return change_in_gaps(
        stratified_rates(w1, "x", "race", denominator="n"),
        stratified_rates(w2, "x", "race", denominator="n"),
        reference="White",
    )


def test_alt_text_spells_out_groups_names_reference_and_counts_suppressed() -> None:
    table = _table()
    alt, title = describe_change_in_gaps(table, measure="Experienced discrimination")
    assert "Hispanic or Latino 30% to 25%" in alt
    assert "reference group White 12% to 11%" in alt
    assert "Black, went from +33 to +27 percentage points (change -6" in alt
    hidden = int(table["suppressed"].sum())
    assert hidden >= 1 and f"{hidden} group" in alt
    assert "AIAN" not in alt  # suppressed groups are counted, not described
    assert title == "Experienced discrimination: the gap between Black and White went from +33 to +27 points"


def test_figure_labels_suppressed_rows_and_uses_shapes_for_waves() -> None:
    result = change_in_gaps_plot(_table(), measure="Harm")
    ax = result.fig.axes[0]
    texts = [t.get_text() for t in ax.texts]
    assert any(t.startswith("suppressed") for t in texts)
    markers = {line.get_marker() for line in ax.lines}
    assert {"o", "s", "D"} <= markers
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert "White (reference)" in ticks
    assert result.to_html().startswith('<figure class="pe-figure">')


def test_needs_a_change_in_gaps_table() -> None:
    with pytest.raises(KeyError):
        describe_change_in_gaps(pd.DataFrame({"race": ["A"]}), measure="Harm")


def _language_table(min_cell: int = 11, level: float = 0.95) -> pd.DataFrame:
    w1 = pd.DataFrame({"preferred_language": ["English", "Spanish", "Other", "Unknown"],
                       "x": [300, 90, 40, 3], "n": [1000, 300, 150, 20]})  # fmt: skip
    w2 = w1.assign(x=[280, 80, 35, 4])
    return change_in_gaps(
        stratified_rates(w1, "x", "preferred_language", denominator="n", min_cell=min_cell),
        stratified_rates(w2, "x", "preferred_language", denominator="n", min_cell=min_cell),
        reference="English",
        level=level,
    )


def test_only_race_and_ethnicity_labels_are_spelled_out() -> None:
    alt, _ = describe_change_in_gaps(_language_table(min_cell=0), measure="Harm")
    assert "Other 27% to 23%" in alt  # a language "Other", not "Some other race"
    assert "race" not in alt.lower()
    assert "Unknown 15% to 20%" in alt
    race_alt, _ = describe_change_in_gaps(_table(), measure="Harm")
    assert "Hispanic or Latino" in race_alt


def test_axis_label_is_neutral_by_default_and_can_be_named() -> None:
    table = _language_table()
    assert change_in_gaps_plot(table, measure="Harm").fig.axes[0].get_xlabel() == "Harm (percent)"
    named = change_in_gaps_plot(table, measure="Harm", xlabel="Harm (percent of patients)")
    assert named.fig.axes[0].get_xlabel() == "Harm (percent of patients)"


def test_level_and_threshold_come_from_the_tables() -> None:
    table = _language_table(min_cell=5, level=0.9)
    assert table.attrs["min_cell"] == 5
    alt, _ = describe_change_in_gaps(table, measure="Harm")
    assert "90% CI" in alt and "95% CI" not in alt
    assert "suppressed (1–4, or to protect one)" in alt
    figure = change_in_gaps_plot(table, measure="Harm")
    assert "suppressed (1–4, or to protect one)" in [t.get_text() for t in figure.fig.axes[0].texts]
