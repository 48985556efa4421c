"""Rules that turn separate race and ethnicity answers into groups, and what each rule changes.

Most health records ask race and Hispanic or Latino ethnicity as two questions (the 1997 OMB
format). To stratify a measure, a team must decide how the two answers become one set of
groups. That decision changes who is in each group, how large each group is, and each group's
rate. This module makes the decision explicit and comparable:

* :data:`RULES` - the rules, with a one-line description of each;
* :func:`assign_groups` - the group(s) each person falls into under one rule (pure, tested);
* :func:`rates_by_rule` - group sizes and the rate of an outcome under one or several rules;
* :func:`describe_rule_change` - in words, what one rule changes compared with another.

The rules
---------
``"hispanic_first"``
    The workbook's rule (:func:`helpers.data.combine_race_ethnicity`): Hispanic or Latino
    ethnicity first ("Hispanic/Latino", of any race), otherwise the recorded race.
``"race_only"``
    The race answer only; ethnicity is ignored, so there is no Hispanic/Latino group and a
    Hispanic or Latino patient recorded as White is counted as White.
``"race_first"``
    The recorded race wherever a race was given; "Hispanic/Latino" only for Hispanic or Latino
    patients whose race is "Some other race", "Declined" or "Unknown" (a common repair for the
    race question that did not fit them).
``"any_mention"``
    Every person counts in every group their answers name (race group *and* Hispanic/Latino),
    like the Census Bureau's "alone or in combination" counts. Group sizes then add up to more
    than the number of people. The data record "More than one race" without the races, so
    those people stay in "Multiracial".

References
----------
Office of Management and Budget. Revisions to the Standards for the Classification of Federal
Data on Race and Ethnicity. Federal Register 62:58782-58790, 1997.
Office of Management and Budget. Revisions to OMB's Statistical Policy Directive No. 15.
Federal Register 89:22182-22196, 2024.

Examples
--------
>>> import pandas as pd
>>> race = pd.Series(["White", "White", "Some other race", "Black or African American"])
>>> eth = pd.Series(["Not Hispanic or Latino", "Hispanic or Latino", "Hispanic or Latino",
...                  "Not Hispanic or Latino"])
>>> assign_groups(race, eth, "hispanic_first").tolist()
['White', 'Hispanic/Latino', 'Hispanic/Latino', 'Black']
>>> assign_groups(race, eth, "race_only").tolist()
['White', 'White', 'Other', 'Black']
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from helpers._validation import format_values, require_columns, require_dataframe
from helpers.group_names import GROUP_NAMES as _GROUP_NAMES
from helpers.synth import _labels

__all__ = [
    "GROUPS",
    "GROUP_NAMES",
    "RULES",
    "assign_groups",
    "describe_rule_change",
    "rates_by_rule",
    "spell_out",
]

#: The rules and what each does, in the order the workbook shows them.
RULES: dict[str, str] = {
    "hispanic_first": "Hispanic or Latino first (the workbook's rule): Hispanic or Latino patients of any "
    "race form one group; everyone else is grouped by recorded race.",
    "race_only": "Race only: the ethnicity answer is ignored; there is no Hispanic or Latino group.",
    "race_first": "Race first: the recorded race wherever one was given; Hispanic or Latino only for "
    "Hispanic or Latino patients recorded as 'Some other race' or with no race.",
    "any_mention": "Any mention (alone or in combination): each patient counts in every group their "
    "answers name, so a Hispanic or Latino patient recorded as White counts in both groups.",
}

#: Group labels, in display order (the categories of the workbook's ``race_ethnicity``).
GROUPS: tuple[str, ...] = _labels.RACE_ETHNICITY

#: The groups' names spelled out, for prose, figures and alt text (tables may use the short labels).
#: The same mapping as :data:`helpers.group_names.GROUP_NAMES`, the workbook's one source.
GROUP_NAMES: dict[str, str] = dict(_GROUP_NAMES)

_RACE_TO_GROUP: dict[str, str] = {
    "American Indian or Alaska Native": "AIAN",
    "Asian": "Asian",
    "Black or African American": "Black",
    "Native Hawaiian or Other Pacific Islander": "NHPI",
    "White": "White",
    "More than one race": "Multiracial",
    "Some other race": "Other",
    "Declined": "Unknown",
    "Unknown": "Unknown",
}
_ETHNICITY = ("Hispanic or Latino", "Not Hispanic or Latino", "Declined", "Unknown")
_HISPANIC = "Hispanic or Latino"
_NO_SPECIFIC_RACE = ("Some other race", "Declined", "Unknown")


def _check_rule(rule: str) -> str:
    if rule not in RULES:
        raise ValueError(
            f"rule {rule!r} is not known; choose one of {format_values(list(RULES), quote=True)}"
        )
    return rule


def _check_labels(series: pd.Series, allowed: Sequence[str], what: str) -> pd.Series:
    values = series.astype("object")
    bad = values.isna() | ~values.isin(list(allowed))
    if bad.any():
        shown = format_values(pd.unique(values[bad].astype(str)), quote=True)
        raise ValueError(
            f"{what} has value(s) {shown} (row {values.index[bad.to_numpy()][0]}) that are not workbook "
            f"labels; allowed: {format_values(allowed, quote=True)}. Recode them first, and record a "
            "missing answer as 'Unknown' rather than leaving it blank"
        )
    return values


def spell_out(groups: pd.Series) -> pd.Series:
    """The group labels with their names spelled out (:data:`GROUP_NAMES`), in the same order.

    Parameters
    ----------
    groups : pandas.Series
        Labels of the workbook's ``race_ethnicity`` (or of :func:`assign_groups`).

    Returns
    -------
    pandas.Series
        Categorical, with the categories in :data:`GROUPS` order, spelled out.

    Raises
    ------
    ValueError
        If a label is not one of :data:`GROUPS`.

    Examples
    --------
    >>> spell_out(pd.Series(["AIAN", "White", "Hispanic/Latino"])).tolist()
    ['American Indian or Alaska Native', 'White', 'Hispanic or Latino']
    """
    values = _check_labels(pd.Series(groups), GROUPS, "groups")
    names = [GROUP_NAMES[g] for g in GROUPS]
    return pd.Series(
        pd.Categorical(values.map(GROUP_NAMES), categories=names), index=values.index, name=values.name
    )


def assign_groups(race: pd.Series, ethnicity: pd.Series, rule: str) -> pd.Series:
    """The group each person falls into under ``rule`` (one row per person and group).

    Parameters
    ----------
    race, ethnicity : pandas.Series
        The workbook's ``race`` and ``ethnicity`` labels (see :func:`helpers.data.data_dictionary`),
        with the same index.
    rule : str
        One of :data:`RULES`.

    Returns
    -------
    pandas.Series
        Categorical with the categories :data:`GROUPS`, indexed like the input. Under
        ``"any_mention"`` a person who names two groups appears twice (the index repeats);
        under the other rules every person appears once.

    Raises
    ------
    ValueError
        For an unknown rule, or a label that is not one of the workbook's (blank included).

    Examples
    --------
    >>> race = pd.Series(["White", "Unknown", "More than one race"], index=[10, 11, 12])
    >>> eth = pd.Series(["Hispanic or Latino", "Hispanic or Latino", "Declined"], index=[10, 11, 12])
    >>> assign_groups(race, eth, "race_first").tolist()
    ['White', 'Hispanic/Latino', 'Multiracial']
    >>> out = assign_groups(race, eth, "any_mention")
    >>> list(zip(out.index, out))
    [(10, 'White'), (10, 'Hispanic/Latino'), (11, 'Hispanic/Latino'), (12, 'Multiracial')]
    """
    _check_rule(rule)
    race = _check_labels(pd.Series(race), list(_RACE_TO_GROUP), "race")
    ethnicity = _check_labels(pd.Series(ethnicity, index=race.index), _ETHNICITY, "ethnicity")
    by_race = race.map(_RACE_TO_GROUP)
    hispanic = (ethnicity == _HISPANIC).to_numpy()
    if rule == "hispanic_first":
        groups = by_race.where(~hispanic, "Hispanic/Latino")
    elif rule == "race_only":
        groups = by_race
    elif rule == "race_first":
        repair = hispanic & race.isin(_NO_SPECIFIC_RACE).to_numpy()
        groups = by_race.where(~repair, "Hispanic/Latino")
    else:  # any_mention: the race group (if a race was given) and Hispanic/Latino (if Hispanic)
        named_race = by_race != "Unknown"
        first = by_race[named_race | ~hispanic]
        second = pd.Series("Hispanic/Latino", index=race.index[hispanic])
        position = np.concatenate(
            [np.flatnonzero((named_race | ~hispanic).to_numpy()), np.flatnonzero(hispanic)]
        )
        order = np.argsort(position, kind="stable")
        groups = pd.concat([first, second]).iloc[order]
    return pd.Series(pd.Categorical(groups, categories=list(GROUPS)), index=groups.index, name="group")


def rates_by_rule(
    data: pd.DataFrame,
    outcome: str,
    *,
    rules: str | Sequence[str] = tuple(RULES),
    race: str = "race",
    ethnicity: str = "ethnicity",
    min_cell: int = 11,
) -> pd.DataFrame:
    """Group sizes and the rate of ``outcome`` in every group, under one or several rules.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per patient, with the race, ethnicity and outcome columns.
    outcome : str
        A 0/1 column; blank means "not in this measure's denominator" (e.g. ``bp_controlled``
        for patients without hypertension). Those patients still count in ``patients``.
    rules : str or sequence of str
        Rule(s) from :data:`RULES` (default: all, in order).
    race, ethnicity : str
        The columns with the race and ethnicity answers.
    min_cell : int, default 11
        Counts from 1 to ``min_cell - 1`` are hidden (NA) and the row marked ``suppressed``;
        0 is shown. A rate is hidden when its numerator, denominator or the number without
        the outcome is hidden.

    Returns
    -------
    pandas.DataFrame
        One row per rule and group that has at least one patient: ``rule``, ``group``,
        ``patients`` (people in the group), ``share`` (of all people; under
        ``"any_mention"`` the shares add up to more than 1), ``numerator``, ``denominator``
        (people in the measure), ``rate``, ``abs_diff`` (rate minus the White group's rate
        under the same rule; NA when either is hidden) and ``suppressed``.
        ``attrs["not_in_measure"]`` is the number of people with a blank outcome.

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        For an unknown rule, a label that is not the workbook's, or an outcome other than 0/1.

    Examples
    --------
    >>> df = pd.DataFrame({
    ...     "race": ["White"] * 30 + ["Some other race"] * 20,
    ...     "ethnicity": ["Not Hispanic or Latino"] * 15 + ["Hispanic or Latino"] * 35,
    ...     "controlled": [1] * 12 + [0] * 3 + [1] * 8 + [0] * 7 + [1] * 10 + [0] * 10,
    ... })
    >>> t = rates_by_rule(df, "controlled", rules=["hispanic_first", "race_only"], min_cell=0)
    >>> print(t[["rule", "group", "patients", "denominator", "rate"]].to_string(index=False))
              rule           group  patients  denominator     rate
    hispanic_first Hispanic/Latino        35           35 0.514286
    hispanic_first           White        15           15 0.800000
         race_only           White        30           30 0.666667
         race_only           Other        20           20 0.500000

    With the default ``min_cell=11`` the White group's 3 uncontrolled patients under the
    Hispanic-first rule would be hidden (a count from 1 to 10):

    >>> rates_by_rule(df, "controlled", rules="hispanic_first")["suppressed"].tolist()
    [False, True]
    """
    data = require_dataframe(data)
    require_columns(data, [race, ethnicity, outcome])
    rule_list = [rules] if isinstance(rules, str) else list(rules)
    for rule in rule_list:
        _check_rule(rule)
    values = pd.to_numeric(data[outcome].astype("Float64"), errors="coerce")
    present = values.notna().to_numpy()
    if not values[present].isin([0, 1]).all():
        raise ValueError(f"outcome {outcome!r} must hold 0/1 values (blank = not in the measure)")
    people = len(data)
    frames = []
    for rule in rule_list:
        groups = assign_groups(data[race], data[ethnicity], rule)
        value = values.reindex(groups.index).to_numpy(dtype=float, na_value=np.nan)
        frame = pd.DataFrame({"group": groups.to_numpy(), "value": value})
        frame["in_measure"] = ~np.isnan(value)
        frame["hit"] = np.nan_to_num(value) == 1
        counts = frame.groupby("group", observed=True).agg(
            patients=("value", "size"), denominator=("in_measure", "sum"), numerator=("hit", "sum")
        )
        counts = counts.reset_index()
        counts.insert(0, "rule", rule)
        frames.append(counts)
    table = pd.concat(frames, ignore_index=True)
    table["group"] = pd.Categorical(table["group"].astype(str), categories=list(GROUPS))
    table["share"] = table["patients"] / people
    with np.errstate(invalid="ignore", divide="ignore"):
        table["rate"] = np.where(table["denominator"] > 0, table["numerator"] / table["denominator"], np.nan)
    small = lambda s: (s >= 1) & (s < min_cell)  # noqa: E731
    hide_rate = (
        small(table["numerator"])
        | small(table["denominator"])
        | small(table["denominator"] - table["numerator"])
    )
    hide_patients = small(table["patients"])
    table["suppressed"] = (hide_rate | hide_patients).to_numpy()
    table["rate"] = table["rate"].where(~hide_rate)
    for column, hide in (("numerator", hide_rate), ("denominator", hide_rate), ("patients", hide_patients)):
        table[column] = pd.array(table[column].where(~hide), dtype="Int64")
    table["share"] = table["share"].where(~hide_patients)
    white = table[table["group"] == "White"].set_index("rule")["rate"]
    table["abs_diff"] = table["rate"] - table["rule"].map(white).astype(float)
    table["rule"] = pd.Categorical(table["rule"], categories=rule_list)
    table = table.sort_values(["rule", "group"], kind="stable").reset_index(drop=True)
    table = table[
        ["rule", "group", "patients", "share", "numerator", "denominator", "rate", "abs_diff", "suppressed"]
    ]
    table.attrs["not_in_measure"] = int((~present).sum())
    table.attrs["people"] = people
    return table


def describe_rule_change(
    table: pd.DataFrame, rule: str, *, baseline: str = "hispanic_first", group: str = "White"
) -> str:
    """One sentence: how ``group``'s size and rate under ``rule`` differ from ``baseline``.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`rates_by_rule` holding both rules.
    rule, baseline : str
        The rule to describe and the one to compare with.
    group : str, default "White"
        The group to follow.

    Returns
    -------
    str

    Examples
    --------
    >>> df = pd.DataFrame({
    ...     "race": ["White"] * 30,
    ...     "ethnicity": ["Not Hispanic or Latino"] * 15 + ["Hispanic or Latino"] * 15,
    ...     "controlled": [1] * 12 + [0] * 3 + [1] * 3 + [0] * 12,
    ... })
    >>> print(describe_rule_change(rates_by_rule(df, "controlled", min_cell=0), "race_only"))
    Under the race-only rule the White group has 30 patients (15 more than under the
    Hispanic-or-Latino-first rule) and its rate is 50% (30.0 percentage points lower).
    """
    names = {
        "hispanic_first": "Hispanic-or-Latino-first",
        "race_only": "race-only",
        "race_first": "race-first",
        "any_mention": "any-mention",
    }
    _check_rule(rule)
    _check_rule(baseline)
    rows = table[table["group"] == group].set_index("rule")
    name = GROUP_NAMES.get(group, group)
    for needed in (rule, baseline):
        if needed not in rows.index:
            return f"The {name} group has no patients under the {names[needed]} rule."
    now, then = rows.loc[rule], rows.loc[baseline]
    if pd.isna(now["patients"]) or pd.isna(then["patients"]):
        return f"The {name} group is too small to show under one of the rules (suppressed (1–10))."
    change = int(now["patients"]) - int(then["patients"])
    size = "as many as" if change == 0 else f"{abs(change):,} {'more' if change > 0 else 'fewer'} than"
    text = (
        f"Under the {names[rule]} rule the {name} group has {int(now['patients']):,} patients ({size} under "
        f"the {names[baseline]} rule)"
    )
    if pd.isna(now["rate"]) or pd.isna(then["rate"]):
        return text + "; its rate is suppressed (1–10)."
    diff = (now["rate"] - then["rate"]) * 100
    moved = (
        "the same"
        if round(diff, 1) == 0
        else f"{abs(diff):.1f} percentage points {'higher' if diff > 0 else 'lower'}"
    )
    return text + f" and its rate is {now['rate']:.0%} ({moved})."
