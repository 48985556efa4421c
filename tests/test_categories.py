"""helpers.categories: the rules that combine race and ethnicity, checked against hand-worked values."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.categories import (
    GROUP_NAMES,
    GROUPS,
    RULES,
    assign_groups,
    describe_rule_change,
    rates_by_rule,
    spell_out,
)
from helpers.data import combine_race_ethnicity, load_dataset

# Six people, one of each kind the rules treat differently.
RACE = pd.Series(
    [
        "White",  # 0 non-Hispanic White
        "White",  # 1 Hispanic White
        "Some other race",  # 2 Hispanic, some other race
        "Unknown",  # 3 Hispanic, no race
        "Black or African American",  # 4 ethnicity declined
        "Some other race",  # 5 non-Hispanic, some other race
    ]
)
ETH = pd.Series(
    [
        "Not Hispanic or Latino",
        "Hispanic or Latino",
        "Hispanic or Latino",
        "Hispanic or Latino",
        "Declined",
        "Not Hispanic or Latino",
    ]
)

EXPECTED = {
    "hispanic_first": ["White", "Hispanic/Latino", "Hispanic/Latino", "Hispanic/Latino", "Black", "Other"],
    "race_only": ["White", "White", "Other", "Unknown", "Black", "Other"],
    "race_first": ["White", "White", "Hispanic/Latino", "Hispanic/Latino", "Black", "Other"],
}


@pytest.mark.parametrize("rule", sorted(EXPECTED))
def test_one_group_per_person_rules_match_hand_worked_groups(rule: str) -> None:
    out = assign_groups(RACE, ETH, rule)
    assert out.tolist() == EXPECTED[rule]
    assert out.index.tolist() == list(range(6))
    assert list(out.cat.categories) == list(GROUPS)


def test_any_mention_counts_a_person_in_every_group_named() -> None:
    out = assign_groups(RACE, ETH, "any_mention")
    pairs = list(zip(out.index, out.astype(str), strict=True))
    assert pairs == [
        (0, "White"),
        (1, "White"),
        (1, "Hispanic/Latino"),
        (2, "Other"),
        (2, "Hispanic/Latino"),
        (3, "Hispanic/Latino"),  # no race given: counted once, not also as Unknown
        (4, "Black"),
        (5, "Other"),
    ]


def test_hispanic_first_is_the_workbooks_rule_on_the_real_data() -> None:
    patients = load_dataset("patients")
    ours = assign_groups(patients["race"], patients["ethnicity"], "hispanic_first").astype(str)
    theirs = combine_race_ethnicity(patients["race"], patients["ethnicity"]).astype(str)
    assert ours.equals(theirs)
    assert ours.equals(patients["race_ethnicity"].astype(str))


def test_unknown_rule_and_bad_labels_are_refused_with_the_allowed_values() -> None:
    with pytest.raises(ValueError, match="race_only"):
        assign_groups(RACE, ETH, "hispanic_last")
    with pytest.raises(ValueError, match=r"'Caucasian'.*row 1"):
        assign_groups(pd.Series(["White", "Caucasian"]), ETH.iloc[:2], "race_only")
    with pytest.raises(ValueError, match="blank"):
        assign_groups(pd.Series(["White", None]), ETH.iloc[:2], "race_only")


def _tiny() -> pd.DataFrame:
    """40 non-Hispanic White (30 controlled), 20 Hispanic White (10), 20 Hispanic 'Some other race' (8),
    and 30 without hypertension (blank outcome)."""
    race = ["White"] * 60 + ["Some other race"] * 20 + ["White"] * 30
    eth = ["Not Hispanic or Latino"] * 40 + ["Hispanic or Latino"] * 40 + ["Not Hispanic or Latino"] * 30
    bp = [1] * 30 + [0] * 10 + [1] * 10 + [0] * 10 + [1] * 8 + [0] * 12 + [None] * 30
    return pd.DataFrame({"race": race, "ethnicity": eth, "bp": pd.array(bp, dtype="Int64")})


def test_rates_by_rule_hand_worked_sizes_and_rates() -> None:
    t = rates_by_rule(_tiny(), "bp", min_cell=0).set_index(["rule", "group"])
    # Hispanic first: White = the 40 + 30 non-Hispanic; Hispanic/Latino = 40 (18 controlled).
    assert t.loc[("hispanic_first", "White"), "patients"] == 70
    assert t.loc[("hispanic_first", "White"), "denominator"] == 40
    assert t.loc[("hispanic_first", "White"), "rate"] == pytest.approx(30 / 40)
    assert t.loc[("hispanic_first", "Hispanic/Latino"), "rate"] == pytest.approx(18 / 40)
    assert t.loc[("hispanic_first", "Hispanic/Latino"), "abs_diff"] == pytest.approx(18 / 40 - 30 / 40)
    # Race only: White = 90 people, 60 in the measure, 40 controlled; Other = 20 (8 controlled).
    assert t.loc[("race_only", "White"), "patients"] == 90
    assert t.loc[("race_only", "White"), "rate"] == pytest.approx(40 / 60)
    assert t.loc[("race_only", "Other"), "rate"] == pytest.approx(8 / 20)
    assert ("race_only", "Hispanic/Latino") not in t.index
    # Race first: only the 'Some other race' Hispanic patients become Hispanic/Latino.
    assert t.loc[("race_first", "Hispanic/Latino"), "patients"] == 20
    assert t.loc[("race_first", "White"), "rate"] == pytest.approx(40 / 60)
    # Any mention: the 40 Hispanic patients count twice; shares add up to (90 + 20 + 40) / 110.
    assert t.loc[("any_mention", "Hispanic/Latino"), "patients"] == 40
    assert t.loc[("any_mention", "White"), "patients"] == 90
    assert t.loc["any_mention", "share"].sum() == pytest.approx(150 / 110)
    assert t.loc[("hispanic_first", "White"), "abs_diff"] == 0


def test_rates_by_rule_reports_who_is_not_in_the_measure() -> None:
    t = rates_by_rule(_tiny(), "bp", rules="race_only", min_cell=0)
    assert t.attrs["not_in_measure"] == 30
    assert t.attrs["people"] == 110
    assert t["patients"].sum() == 110  # nobody is dropped from the group sizes


def test_rates_by_rule_hides_counts_from_1_to_10_but_shows_zero() -> None:
    df = pd.DataFrame(
        {
            "race": ["White"] * 50 + ["Asian"] * 12 + ["Black or African American"] * 5,
            "ethnicity": ["Not Hispanic or Latino"] * 67,
            "bp": [1] * 25 + [0] * 25 + [0] * 12 + [1] * 5,
        }
    )
    t = rates_by_rule(df, "bp", rules="race_only").set_index("group")
    assert not t.loc["White", "suppressed"] and t.loc["White", "rate"] == 0.5
    # Asian: 0 controlled of 12 - zero is shown.
    assert not t.loc["Asian", "suppressed"] and t.loc["Asian", "numerator"] == 0
    # Black: 5 people - everything hidden.
    assert t.loc["Black", "suppressed"]
    assert pd.isna(t.loc["Black", "patients"]) and pd.isna(t.loc["Black", "rate"])
    assert pd.isna(t.loc["Black", "share"]) and pd.isna(t.loc["Black", "abs_diff"])


def test_rates_by_rule_refuses_outcomes_that_are_not_0_or_1() -> None:
    df = pd.DataFrame({"race": ["White"] * 3, "ethnicity": ["Unknown"] * 3, "bp": [0, 1, 2]})
    with pytest.raises(ValueError, match="0/1"):
        rates_by_rule(df, "bp")
    with pytest.raises(KeyError):
        rates_by_rule(df, "bp_controlled")


def test_every_rule_is_described_and_covered() -> None:
    t = rates_by_rule(_tiny(), "bp", min_cell=0)
    assert list(t["rule"].cat.categories) == list(RULES)
    text = describe_rule_change(t, "race_only")
    assert text.startswith("Under the race-only rule the White group has 90 patients (20 more than")
    assert "percentage points lower" in text  # 66.7% against 75.0%
    assert "as many as" in describe_rule_change(t, "hispanic_first")


def test_spell_out_gives_full_names_in_group_order_and_refuses_unknown_labels() -> None:
    out = spell_out(pd.Series(["NHPI", "Other", "AIAN"], index=[5, 6, 7]))
    assert out.tolist() == [
        "Native Hawaiian or Other Pacific Islander",
        "Some other race",
        "American Indian or Alaska Native",
    ]
    assert out.index.tolist() == [5, 6, 7]
    assert list(out.cat.categories) == [GROUP_NAMES[g] for g in GROUPS]
    with pytest.raises(ValueError, match="'Latino'"):
        spell_out(pd.Series(["Latino"]))
