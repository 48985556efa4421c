"""helpers.data_quality: completeness by group, its chart, and a suppressed cross-table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.data_quality import (
    completeness_display,
    completeness_plot,
    completeness_table,
    suppressed_crosstab,
)


def _clinics() -> pd.DataFrame:
    race = (
        ["White"] * 60 + ["Declined"] * 15 + ["Unknown"] * 25  # A: 100 patients
        + ["White"] * 80 + ["Unknown"] * 20  # B: 100 patients, nobody declined
        + ["White"] * 40 + ["Declined"] * 4 + ["Unknown"] * 16  # C: 60 patients, 4 declined
    )  # fmt: skip
    clinic = ["A"] * 100 + ["B"] * 100 + ["C"] * 60
    return pd.DataFrame({"clinic": pd.Categorical(clinic), "race": pd.Categorical(race)})


def test_completeness_keeps_each_non_answer_apart_with_hand_worked_shares() -> None:
    t = completeness_table(_clinics(), "race", "clinic").set_index("clinic")
    assert t.attrs["non_answers"] == ["Declined", "Unknown"]  # only labels the column has
    assert t.loc["A", "patients"] == 100
    assert t.loc["A", "Declined"] == pytest.approx(0.15)
    assert t.loc["A", "Unknown"] == pytest.approx(0.25)
    assert t.loc["A", "any"] == pytest.approx(0.40)
    assert t.loc["B", "Declined"] == 0  # zero is shown
    assert t.loc["B", "suppressed"] == ""


def test_completeness_hides_counts_1_to_10_and_the_total_that_would_reveal_them() -> None:
    t = completeness_table(_clinics(), "race", "clinic").set_index("clinic")
    assert np.isnan(t.loc["C", "Declined"])  # 4 people
    assert np.isnan(t.loc["C", "any"])  # else Declined = any - Unknown
    assert t.loc["C", "Unknown"] == pytest.approx(16 / 60)
    assert t.loc["C", "suppressed"] == "Declined, any"
    shown = completeness_display(completeness_table(_clinics(), "race", "clinic"))
    assert shown.loc["C", "Declined"] == "suppressed (1–10)"
    assert shown.loc["A", "any"] == "40.0%"


def test_completeness_hides_a_small_group_entirely_and_counts_blank_as_unknown() -> None:
    df = pd.DataFrame({"site": ["X"] * 24 + ["Y"] * 5, "race": ["White"] * 12 + [None] * 12 + ["White"] * 5})
    t = completeness_table(df, "race", "site", min_cell=11).set_index("site")
    assert pd.isna(t.loc["Y", "patients"]) and np.isnan(t.loc["Y", "any"])
    assert t.loc["X", "Unknown"] == pytest.approx(0.5)


def test_completeness_refuses_a_non_answer_the_column_never_uses() -> None:
    with pytest.raises(ValueError, match="'Not asked' never occur"):
        completeness_table(_clinics(), "race", "clinic", non_answers=["Not asked"])
    with pytest.raises(KeyError):
        completeness_table(_clinics(), "race", "site")


def test_completeness_plot_states_the_range_and_names_suppressed_groups() -> None:
    fig = completeness_plot(completeness_table(_clinics(), "race", "clinic"), what="race")
    assert fig.title == "Race is missing for 20% to 40% of patients, depending on clinic"
    assert "highest A 40% (Declined 15%, Unknown 25%)" in fig.alt_text
    assert "lowest B 20% (Declined 0%, Unknown 20%)" in fig.alt_text
    assert "1 group(s) suppressed (1–10)" in fig.alt_text


def test_crosstab_hides_small_cells_and_their_complements() -> None:
    df = pd.DataFrame(
        {
            "race": ["A"] * 50 + ["B"] * 40 + ["C"] * 30,
            "eth": ["H"] * 45 + ["N"] * 5 + ["H"] * 20 + ["N"] * 20 + ["H"] * 12 + ["N"] * 18,
        }
    )
    t = suppressed_crosstab(df, "race", "eth")
    assert t.loc["A", "N"] == "suppressed (1–10)"
    # Row A has one hidden cell: its other cell goes too; column N then needs a second hidden cell.
    assert t.loc["A", "H"] == "suppressed (complementary)"
    assert t.loc["C", "N"] == "suppressed (complementary)"  # the smaller of column N's others (18 < 20)
    assert t.loc["B", "N"] == "20"
    # Every row and column now has zero or at least two hidden cells.
    hidden = t.apply(lambda col: col.str.startswith("suppressed"))
    assert all(n != 1 for n in hidden.sum(axis=0)) and all(n != 1 for n in hidden.sum(axis=1))
