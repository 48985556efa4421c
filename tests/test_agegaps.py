"""helpers.agegaps: crude and age-standardised gaps with a named reference, their description and chart."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from helpers.agegaps import (
    crude_and_standardized_gaps,
    crude_vs_standardized_plot,
    describe_crude_vs_standardized,
)
from helpers.group_names import GROUP_NAMES, spell_out
from helpers.measures import age_standardize


def _std(labels, crude, adjusted, suppressed=None) -> pd.DataFrame:
    suppressed = suppressed or [False] * len(labels)
    return pd.DataFrame(
        {"g": labels, "crude_rate": crude, "adjusted_rate": adjusted, "suppressed": suppressed}
    )


@pytest.fixture
def younger_group() -> pd.DataFrame:
    """Same age-specific rates in both groups; group A is younger, so only its crude rate is lower."""
    return pd.DataFrame(
        {
            "group": ["A", "A", "B", "B"],
            "age_group": ["45-54", "65-74", "45-54", "65-74"],
            "screened": [300, 140, 100, 560],
            "eligible": [1000, 200, 1000 // 3, 800],
        }
    )


def test_standardisation_removes_a_gap_that_is_only_age(younger_group: pd.DataFrame) -> None:
    std = age_standardize(younger_group, "screened", "group", denominator="eligible")
    out = crude_and_standardized_gaps(std, reference="B")
    a = out.set_index("group").loc["A"]
    assert a["crude_diff"] < -0.1  # the younger group looks worse crude
    assert abs(a["adjusted_diff"]) < 0.01  # ...and not after standardisation
    assert a["age_share"] == pytest.approx(1.0, abs=0.05)
    b = out.set_index("group").loc["B"]
    assert b["crude_diff"] == 0 and b["adjusted_diff"] == 0 and math.isnan(b["age_share"])
    assert (out["reference_group"] == "B").all()


def test_differences_are_group_minus_reference() -> None:
    std = pd.DataFrame(
        {
            "g": ["X", "Y"],
            "crude_rate": [0.8, 0.6],
            "adjusted_rate": [0.7, 0.65],
            "suppressed": [False, False],
        }
    )
    out = crude_and_standardized_gaps(std, reference="Y", group="g")
    assert out.loc[0, "crude_diff"] == pytest.approx(0.2)
    assert out.loc[0, "adjusted_diff"] == pytest.approx(0.05)
    assert out.loc[0, "age_share"] == pytest.approx(0.75)


def test_suppressed_groups_have_no_numbers_and_are_named_in_the_description() -> None:
    std = pd.DataFrame(
        {
            "g": ["NHPI", "White", "Black"],
            "crude_rate": [np.nan, 0.7, 0.6],
            "adjusted_rate": [np.nan, 0.66, 0.58],
            "suppressed": [True, False, False],
        }
    )
    out = crude_and_standardized_gaps(std, reference="White", group="g")
    assert out["crude_diff"].isna().tolist() == [True, False, False]
    text = describe_crude_vs_standardized(out, measure="Screening")
    assert "suppressed (1–10): Native Hawaiian or Other Pacific Islander" in text
    assert "Black −10.0 and −8.0 (standardisation narrows the gap)" in text
    fig = crude_vs_standardized_plot(out, focus="Black")
    assert "narrows the Black–White gap" in " ".join(fig.title.split())
    assert fig.alt_text == text.replace("Screening", "Rate")


def test_a_widening_gap_is_called_so() -> None:
    std = _std(["A", "R"], [0.6, 0.7], [0.5, 0.7], [False, False])
    out = crude_and_standardized_gaps(std, reference="R", group="g")
    assert "widens" in describe_crude_vs_standardized(out)
    assert out.loc[0, "age_share"] == pytest.approx(-1.0)


def test_reference_must_exist_and_be_shown() -> None:
    std = pd.DataFrame(
        {
            "g": ["A", "R"],
            "crude_rate": [0.6, np.nan],
            "adjusted_rate": [0.5, np.nan],
            "suppressed": [False, True],
        }
    )
    with pytest.raises(KeyError, match="groups are: 'A', 'R'"):
        crude_and_standardized_gaps(std, reference="Q", group="g")
    with pytest.raises(ValueError, match="suppressed"):
        crude_and_standardized_gaps(std, reference="R", group="g")
    # Without attrs the grouping is inferred, as the rates-table contract does everywhere ...
    inferred = crude_and_standardized_gaps(std.drop(columns="suppressed"), reference="A")
    assert inferred["g"].tolist() == ["A", "R"] and inferred.attrs["by"] == ["g"]
    # ... and when two columns could name the groups, it says to name one.
    with pytest.raises(ValueError, match=r"found 'g', 'clinic'.*group="):
        crude_and_standardized_gaps(std.assign(clinic="x"), reference="A")


def test_plot_rejects_an_unknown_focus_group() -> None:
    std = pd.DataFrame(
        {
            "g": ["A", "R"],
            "crude_rate": [0.6, 0.7],
            "adjusted_rate": [0.65, 0.7],
            "suppressed": [False, False],
        }
    )
    out = crude_and_standardized_gaps(std, reference="R", group="g")
    with pytest.raises(KeyError, match="focus group 'Z'"):
        crude_vs_standardized_plot(out, focus="Z")


def test_group_names_spell_out_the_short_labels() -> None:
    assert spell_out("AIAN") == "American Indian or Alaska Native"
    assert spell_out("Hispanic/Latino") == "Hispanic or Latino"
    assert spell_out("X", {"X": "Group X"}) == "Group X"
    assert spell_out(3) == "3"
    assert all("/" not in name for name in GROUP_NAMES.values())


def test_the_suppression_words_follow_the_table_threshold() -> None:
    std = _std(["NHPI", "White", "Black"], [np.nan, 0.7, 0.6], [np.nan, 0.66, 0.58], [True, False, False])
    std.attrs = {"by": ["g"], "min_cell": 5}  # as age_standardize(..., min_cell=5) records it
    out = crude_and_standardized_gaps(std, reference="White")
    assert out.attrs["min_cell"] == 5
    text = describe_crude_vs_standardized(out, measure="Screening")
    assert "suppressed (1–4): Native Hawaiian" in text and "1–10" not in text
    fig = crude_vs_standardized_plot(out)
    shown = [t.get_text().strip() for t in fig.fig.axes[0].texts]
    assert "suppressed (1–4)" in shown and "suppressed (1–10)" not in shown
