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
