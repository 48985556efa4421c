"""helpers.group_names is the one source of group names; categories and dashboard read it."""

from __future__ import annotations

import pandas as pd

from helpers import categories, dashboard, group_names
from helpers.group_names import GROUP_NAMES, is_race_ethnicity_column, spell_out


def test_one_mapping_behind_every_public_name() -> None:
    assert dict(categories.GROUP_NAMES) == dict(GROUP_NAMES)
    assert dashboard.FULL_GROUP_NAMES is GROUP_NAMES
    for label, name in GROUP_NAMES.items():
        assert categories.spell_out(pd.Series([label])).tolist() == [name]
        assert dashboard.group_name(label) == name == spell_out(label)
    assert set(GROUP_NAMES) == set(categories.GROUPS)


def test_the_omb_names() -> None:
    assert GROUP_NAMES["Other"] == "Some other race"
    assert GROUP_NAMES["AIAN"] == "American Indian or Alaska Native"
    assert all("/" not in name for name in GROUP_NAMES.values())


def test_only_race_and_ethnicity_columns_are_spelled_out() -> None:
    assert is_race_ethnicity_column("race_ethnicity") and is_race_ethnicity_column("Ethnicity")
    assert not is_race_ethnicity_column("preferred_language")
    assert spell_out("Other", column="preferred_language") == "Other"
    assert spell_out("Unknown", column="payer") == "Unknown"
    assert spell_out("Other", column="race") == "Some other race"
    languages = pd.DataFrame({"preferred_language": ["Spanish", "Other"], "rate": [0.5, 0.4]})
    kept = dashboard.spell_out_groups(languages, "preferred_language")
    assert kept["preferred_language"].tolist() == ["Spanish", "Other"]
    races = pd.DataFrame({"race_ethnicity": ["NHPI", "Other"], "rate": [0.5, 0.4]})
    named = dashboard.spell_out_groups(races, "race_ethnicity")
    spelled = ["Native Hawaiian or Other Pacific Islander", "Some other race"]
    assert named["race_ethnicity"].tolist() == spelled
    assert dashboard.name_list(["Spanish", "Other"], column="preferred_language") == "Spanish and Other"


def test_your_own_mapping_applies_to_any_column() -> None:
    assert group_names.spell_out("ES", {"ES": "Spanish"}, column="preferred_language") == "Spanish"
