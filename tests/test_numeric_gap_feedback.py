"""Gap questions: the sign convention and the percent / points / proportion mix-ups.

The workbook writes a gap as group rate minus reference rate (``helpers.disparities.gaps``).
``check_numeric(..., accept_sign=True, rates=(group, reference))`` accepts both signs with a
note on the convention, and names the measure a participant typed by mistake.
"""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.disparities import gaps
from helpers.exercises import check_numeric, numeric_answer

# The clinics control blood pressure for 41% of the group and 55% of the reference group.
GAP = {"answer": -14, "units": "percentage points", "accept_sign": True, "rates": (41, 55)}


def test_the_convention_is_the_one_gaps_computes() -> None:
    rates = pd.DataFrame(
        {
            "race_ethnicity": ["Black", "White"],
            "numerator": [41, 55],
            "denominator": [100, 100],
            "rate": [0.41, 0.55],
            "ci_low": [0.32, 0.45],
            "ci_high": [0.51, 0.64],
            "suppressed": [False, False],
        }
    )
    rates.attrs["by"] = ["race_ethnicity"]
    table = gaps(rates, reference="White", group="race_ethnicity")
    black = table.set_index("race_ethnicity").loc["Black", "abs_diff"]
    assert round(100 * float(black)) == GAP["answer"]


@pytest.mark.parametrize("typed", ["-14", "−14", "-14 pp", "-14 percentage points", "-14 points"])
def test_the_convention_sign_is_exactly_right(typed: str) -> None:
    fb = check_numeric(typed, **GAP)
    assert fb.correct and "exactly right" in fb.message


@pytest.mark.parametrize("typed", ["14", "14 points", "+14", "13.6"])
def test_the_opposite_sign_is_accepted_with_the_convention_explained(typed: str) -> None:
    fb = check_numeric(typed, **GAP)
    assert fb.correct
    assert "group rate minus reference rate" in fb.message
    assert "-14" in fb.message


def test_without_accept_sign_the_opposite_sign_is_wrong_but_explained() -> None:
    fb = check_numeric("14", answer=-14, units="percentage points")
    assert not fb.correct and fb.valid
    assert "opposite sign" in fb.message and "group rate minus reference rate" in fb.message


def test_a_wrong_size_is_still_wrong_with_either_sign() -> None:
    for typed in ["12", "-12", "16", "-16"]:
        fb = check_numeric(typed, **GAP)
        assert not fb.correct, typed
        assert "opposite sign" not in fb.message and "Right size" not in fb.message


@pytest.mark.parametrize("typed", ["25%", "25", "-25%", "25.5 %", "25 percent"])
def test_the_relative_difference_is_named_and_explained(typed: str) -> None:
    fb = check_numeric(typed, **GAP)
    assert not fb.correct and fb.valid
    assert "relative difference" in fb.message
    assert "percent, not percentage points" in fb.message
    assert "41 − 55 = -14" in fb.message


def test_the_rate_ratio_is_named() -> None:
    fb = check_numeric("0.75", **GAP)
    assert not fb.correct
    assert "rate ratio" in fb.message and "-14" in fb.message


@pytest.mark.parametrize("typed", ["-0.14", "0.14"])
def test_a_proportion_is_named_for_points(typed: str) -> None:
    fb = check_numeric(typed, **GAP)
    assert not fb.correct
    assert "proportion" in fb.message and "percentage points" in fb.message


def test_a_proportion_is_named_for_points_even_without_the_new_options() -> None:
    fb = check_numeric("-0.14", answer=-14, units="percentage points")
    assert not fb.correct and "proportion" in fb.message


def test_a_bare_percent_sign_is_accepted_with_a_note_on_points() -> None:
    fb = check_numeric("-14%", **GAP)
    assert fb.correct
    assert "percentage points, not %" in fb.message
    # "% points" is the right unit: no note.
    assert "not %" not in check_numeric("-14 % points", **GAP).message


def test_old_behaviour_is_unchanged_without_the_new_options() -> None:
    assert check_numeric("14", answer=14, units="percentage points").correct
    assert not check_numeric("-14", answer=14, units="percentage points").correct
    assert "too high" in check_numeric("20", answer=14, units="percentage points").message
    # Relative difference is not diagnosed without the rates.
    assert "relative difference" not in check_numeric("25", answer=-14, units="percentage points").message


def test_rates_that_are_not_a_pair_of_numbers_are_an_author_error() -> None:
    with pytest.raises(ValueError, match="rates"):
        check_numeric("1", answer=-14, rates=(41,))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="rates"):
        numeric_answer("Q?", -14, rates=("41", "55"))  # type: ignore[arg-type]


def test_the_widget_passes_the_options_through_and_says_so_on_the_site() -> None:
    q = numeric_answer("The gap?", -14, units="percentage points", accept_sign=True, rates=(41, 55))
    q.entry.value = "14"
    assert "group rate minus reference rate" in q.feedback.value
    q.entry.value = "25%"
    assert "relative difference" in q.feedback.value
    assert "so is 14" in q.static_html
