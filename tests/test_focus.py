"""helpers.exercises.focus: the weakest component(s) of a scored self-assessment and where to start."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from helpers.data import load_dataset
from helpers.exercises import score_self_assessment
from helpers.exercises.focus import lowest_rated_items, weakest_components


@pytest.fixture(scope="module")
def bank() -> pd.DataFrame:
    return load_dataset("self_assessment")


def test_weakest_is_the_minimum_and_ties_are_all_returned(bank) -> None:
    responses = dict.fromkeys(bank["item_id"], 3)
    responses.update({"C2.1": 1, "C4.1": 1})
    scores = score_self_assessment(responses, bank)
    assert weakest_components(scores) == [
        "Develop structure and processes",
        "Decrease institutional racism",
    ]
    responses["C4.2"] = 5
    assert weakest_components(score_self_assessment(responses, bank)) == ["Develop structure and processes"]


def test_unscored_components_are_ignored_and_none_scored_is_an_error(bank) -> None:
    scores = score_self_assessment({"C3.1": 2}, bank)
    assert weakest_components(scores) == ["Deploy specific strategies"]
    with pytest.raises(ValueError, match="no component has a score"):
        weakest_components(score_self_assessment({}, bank))
    with pytest.raises(KeyError, match="'mean_rating' not found"):
        weakest_components(scores.drop(columns="mean_rating"))


def test_lowest_rated_items_are_the_statements_at_the_components_minimum(bank) -> None:
    responses = {"C1.1": "Fully implemented and sustained", "C1.2": 1, "C1.3": 1, "C1.4": 2}
    out = lowest_rated_items(responses, bank, "Make health equity a strategic priority")
    assert out["item_id"].tolist() == ["C1.2", "C1.3"]
    assert out["rating_label"].tolist() == ["Not started", "Not started"]
    assert set(out.columns) >= {"item", "evidence_example"}
    mean = score_self_assessment(responses, bank).loc[0, "mean_rating"]
    assert out["rating"].min() < mean or math.isclose(out["rating"].min(), mean)


def test_lowest_rated_items_errors_name_the_problem(bank) -> None:
    with pytest.raises(KeyError, match="is not in the item bank"):
        lowest_rated_items({}, bank, "Strategy")
    with pytest.raises(ValueError, match="no statement"):
        lowest_rated_items({"C2.1": 3}, bank, "Decrease institutional racism")
    with pytest.raises(ValueError, match="not on the scale"):
        lowest_rated_items({"C4.1": "Sometimes"}, bank, "Decrease institutional racism")
