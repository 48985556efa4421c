"""The category-rule explorer: a thin view over helpers.categories.rates_by_rule."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from helpers.categories import rates_by_rule
from helpers.exercises.category_rule import category_rule_explorer, rule_summary, rule_table_html
from helpers.workbook import Workbook


def _data() -> pd.DataFrame:
    race = ["White"] * 60 + ["Some other race"] * 30 + ["Black or African American"] * 30
    eth = ["Not Hispanic or Latino"] * 40 + ["Hispanic or Latino"] * 50 + ["Not Hispanic or Latino"] * 30
    bp = ([1] * 28 + [0] * 12) + ([1] * 8 + [0] * 12) + ([1] * 15 + [0] * 15) + ([1] * 15 + [0] * 15)
    return pd.DataFrame({"race": race, "ethnicity": eth, "bp_controlled": bp})


def test_table_shows_sizes_rates_and_the_difference_from_white() -> None:
    html = rule_table_html(rates_by_rule(_data(), "bp_controlled"), "hispanic_first", measure="BP control")
    assert "<td>White</td><td>40</td><td>33.3%</td><td>40</td><td>70.0%</td><td>reference group</td>" in html
    # Black: 50% - 70% = -20 points; Hispanic/Latino: 23/50 = 46% → -24 points.
    assert "<td>Black</td><td>30</td><td>25.0%</td><td>30</td><td>50.0%</td><td>−20.0</td>" in html
    assert "<td>Hispanic/Latino</td><td>50</td>" in html and "<td>−24.0</td>" in html
    assert "add up to" not in html
    assert "add up to 142%" in rule_table_html(rates_by_rule(_data(), "bp_controlled"), "any_mention")


def test_summary_names_what_changes() -> None:
    t = rates_by_rule(_data(), "bp_controlled")
    assert "no Hispanic or Latino group" in rule_summary(t, "race_only")
    assert "has 30 patients instead of 50" in rule_summary(t, "race_first")
    assert "same size" in rule_summary(t, "any_mention")
    assert "workbook's rule" in rule_summary(t, "hispanic_first")


def test_switching_the_rule_changes_the_view_and_is_saved(tmp_path) -> None:
    wb = Workbook(tmp_path / "wb.json")
    ex = category_rule_explorer(_data(), workbook=wb, module="02", key="rules")
    assert "Hispanic or Latino first" in ex.output.value
    ex.rule.value = "race_only"
    assert "no Hispanic or Latino group" in ex.output.value
    assert wb.get("02", "rules") == "race_only"
    again = category_rule_explorer(_data(), workbook=Workbook(tmp_path / "wb.json"), module="02", key="rules")
    assert again.rule.value == "race_only"
    assert again.check("race_only")["group"].astype(str).tolist() == ["Black", "White", "Other"]


def test_static_view_shows_every_rule_and_is_deterministic() -> None:
    one, two = category_rule_explorer(_data()), category_rule_explorer(_data())
    assert one.static_html == two.static_html
    assert one.static_html.count("<details") == 4
    assert not re.search(r"[0-9a-f]{32}", one.static_html)  # no widget model ids


def test_unknown_rule_in_table_is_refused() -> None:
    with pytest.raises(ValueError, match="not in the table"):
        rule_table_html(rates_by_rule(_data(), "bp_controlled", rules="race_only"), "race_first")
