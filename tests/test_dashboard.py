"""helpers.dashboard: the equity dashboard, reference comparison and suppression summary."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.dashboard import (
    dashboard_table,
    difference_words,
    equity_dashboard,
    gap_directions,
    group_name,
    name_list,
    reference_comparison,
    spell_out_groups,
    suppression_summary,
)
from helpers.disparities import gaps
from helpers.measures import exclusions, stratified_rates


def _patients() -> pd.DataFrame:
    """A: 60/80 controlled; B: 40/80; C: 5 of 8 (small); D: 30/60; 20 rows without the measure."""
    rows = (
        [("A", 1)] * 60
        + [("A", 0)] * 20
        + [("B", 1)] * 40
        + [("B", 0)] * 40
        + [("C", 1)] * 5
        + [("C", 0)] * 3
        + [("D", 1)] * 30
        + [("D", 0)] * 30
        + [("A", None)] * 20
    )
    return pd.DataFrame(rows, columns=["race", "ok"]).astype({"ok": "Int64"})


def _counts() -> pd.DataFrame:
    return pd.DataFrame(
        {"race": ["A", "B", "C", "D"], "done": [70, 35, 40, 20], "eligible": [100, 100, 80, 50]}
    )


def test_dashboard_gaps_are_group_minus_the_named_reference() -> None:
    board = equity_dashboard(
        {"Control": (_patients(), "ok"), "Screening": (_counts(), "done", "eligible")}, "race", reference="A"
    )
    control = board[board["measure"] == "Control"].set_index("race")
    assert control.loc["B", "abs_diff"] == pytest.approx(0.5 - 0.75)
    assert control.loc["A", "abs_diff"] == 0
    assert (board["reference_group"].dropna().astype(str).isin(["A", ""])).all()
    screening = board[board["measure"] == "Screening"].set_index("race")
    assert screening.loc["B", "abs_diff"] == pytest.approx(0.35 - 0.70)
    assert screening.loc["B", "abs_diff_ci_high"] < 0


def test_dashboard_hides_small_cells_and_records_exclusions() -> None:
    board = equity_dashboard({"Control": (_patients(), "ok")}, "race", reference="A")
    hidden = board[board["suppressed"]]
    assert set(hidden["race"]) >= {"C"}
    assert len(hidden) >= 2  # complementary suppression: C cannot be recovered from the total
    assert hidden["numerator"].isna().all() and hidden["rate"].isna().all()
    notes = exclusions(board)
    assert notes.loc[0, "rows"] == 20 and notes.loc[0, "column"] == "ok"


def test_dashboard_needs_measures_of_the_right_shape() -> None:
    with pytest.raises(ValueError, match="empty"):
        equity_dashboard({}, "race", reference="A")
    with pytest.raises(ValueError, match="must be"):
        equity_dashboard({"x": _patients()}, "race", reference="A")
    with pytest.raises(KeyError, match="Z"):
        equity_dashboard({"x": (_patients(), "ok")}, "race", reference="Z")


def test_dashboard_table_reads_rate_interval_and_signed_gap() -> None:
    board = equity_dashboard({"Screening": (_counts(), "done", "eligible")}, "race", reference="A")
    table = dashboard_table(board)
    assert list(table.index) == ["Screening (reference: A)"]
    assert list(table.columns) == ["A", "B", "C", "D"]
    assert table.loc["Screening (reference: A)", "A"].endswith("· reference")
    assert table.loc["Screening (reference: A)", "B"].startswith("35% (")
    assert "−35 pts (" in table.loc["Screening (reference: A)", "B"]
    controls = dashboard_table(equity_dashboard({"Control": (_patients(), "ok")}, "race", reference="A"))
    assert controls.loc["Control (reference: A)", "C"] == "suppressed (1–10)"
    with pytest.raises(KeyError, match="Q"):
        dashboard_table(board, groups=["Q"])


def test_reference_comparison_shows_the_same_gap_against_different_references() -> None:
    rates = stratified_rates(_counts(), "done", "race", denominator="eligible", overall=True)
    compare = reference_comparison(rates, "D", ["best", "overall", "C"])
    assert compare["reference_group"].tolist() == ["A", "Overall", "C"]
    assert compare["abs_diff"].tolist() == pytest.approx([0.4 - 0.7, 0.4 - 165 / 330, 0.4 - 0.5])
    with pytest.raises(KeyError, match="Z"):
        reference_comparison(rates, "Z", ["best"])


def test_reference_comparison_refuses_a_suppressed_group() -> None:
    rates = stratified_rates(_patients(), "ok", "race", missing_outcome="exclude")
    with pytest.raises(ValueError, match="suppressed"):
        reference_comparison(rates, "C", ["best"])


def test_suppression_summary_counts_strata_not_people() -> None:
    data = _patients().assign(lang=["en", "es"] * 124)
    summary = suppression_summary(data, "ok", [["race"], ["race", "lang"]])
    assert summary["strata"].tolist() == [4, 8]
    assert summary["strata_suppressed"].iloc[0] >= 2
    assert summary["strata_suppressed"].iloc[1] >= summary["strata_suppressed"].iloc[0]
    assert (summary["strata_shown"] + summary["strata_suppressed"] == summary["strata"]).all()
    assert set(summary.columns).isdisjoint({"numerator", "denominator"})
    assert 0 < summary["percent_people_shown"].iloc[0] < 100


def test_gap_directions_sorts_groups_by_their_interval() -> None:
    counts = pd.DataFrame(
        {"race": ["A", "B", "C", "D"], "x": [600, 400, 29, 800], "n": [1000, 1000, 50, 1000]}
    )
    table = gaps(stratified_rates(counts, "x", "race", denominator="n", overall=True), reference="A")
    assert gap_directions(table) == {"lower": ["B"], "higher": ["D"], "unclear": ["C"]}


def test_names_are_spelled_out_for_sentences_and_figures() -> None:
    assert group_name("NHPI") == "Native Hawaiian or Other Pacific Islander"
    assert group_name("Medicaid") == "Medicaid"
    assert name_list(["AIAN"]) == "American Indian or Alaska Native"
    assert name_list(["Black", "Asian"]) == "Black and Asian"
    assert name_list([], empty="none") == "none"
    rates = stratified_rates(
        _counts().assign(race=["AIAN", "Black", "NHPI", "White"]), "done", "race", denominator="eligible"
    )
    spelled = spell_out_groups(rates, "race")
    assert spelled["race"].tolist()[0] == "American Indian or Alaska Native"
    assert spelled.attrs["by"] == ["race"]
    with pytest.raises(KeyError, match="nope"):
        spell_out_groups(rates, "nope")


@pytest.mark.parametrize(
    ("difference", "words"),
    [(-0.0857, "9 percentage points lower"), (0.031, "3 percentage points higher"), (0.0004, "no different")],
)
def test_difference_words(difference: float, words: str) -> None:
    assert difference_words(difference) == words


def test_dashboard_table_names_the_threshold_the_dashboard_was_made_with() -> None:
    a = pd.DataFrame(
        {"race": ["A"] * 80 + ["C"] * 60 + ["B"] * 8, "ok": [1, 0] * 40 + [1, 1, 0] * 20 + [1, 0] * 4}
    )
    default = dashboard_table(equity_dashboard({"Control": (a, "ok")}, "race", reference="A"))
    assert default.loc["Control (reference: A)", "B"] == "suppressed (1–10)"
    board = equity_dashboard({"Control": (a, "ok")}, "race", reference="A", min_cell=9)
    assert board.attrs["min_cell"] == 9 and board.columns[:2].tolist() == ["measure", "race"]
    assert dashboard_table(board).loc["Control (reference: A)", "B"] == "suppressed (1–8)"
