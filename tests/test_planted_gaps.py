"""Every planted gap is recovered from the committed files with helpers.measures.

``helpers.synth.planted_values()`` gives the *true* rate of every planted group: the mean of the
probabilities the generator drew from (calibrated to the documented target where ``exact``).
Here each one is estimated from the committed CSV with ``helpers.measures.stratified_rates`` (or
``age_standardize``), exactly as a participant would, and the true value must lie inside the
estimate's confidence interval. Differences between groups are checked the same way with
``helpers.disparities.gaps``.

There are a few hundred checks, so each interval is Bonferroni-adjusted
(``1 - 0.05 / n_checks``): if the files really contain the planted values, the chance that any
check fails by bad luck is below 5%. A generator that did not plant a gap (or planted it in the
wrong group or month) fails, because the true values are far outside those intervals (the
"detectable" tests show the gaps are large relative to their intervals).
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd
import pytest

from helpers import synth
from helpers.data import load_dataset
from helpers.disparities import gaps
from helpers.measures import age_standardize, stratified_rates

PLANTED = synth.planted_values()
RATE_ROWS = PLANTED[PLANTED["gap_id"] != "C1-age-standardised"]
STD_ROWS = PLANTED[PLANTED["gap_id"] == "C1-age-standardised"]
EXACT_GROUPS = PLANTED[PLANTED["exact"]].groupby(["gap_id", "where", "by"], sort=False)
WITH_WHITE = [key for key, g in EXACT_GROUPS if "White" in set(g["group"])]
N_CHECKS = len(PLANTED) + sum(len(EXACT_GROUPS.get_group(k)) - 1 for k in WITH_WHITE)
LEVEL = 1 - 0.05 / N_CHECKS


@cache
def dataset(name: str) -> pd.DataFrame:
    return load_dataset(name)


def rows_for(spec: pd.Series) -> pd.DataFrame:
    df = dataset(spec["dataset"])
    return df.query(spec["where"]) if spec["where"] else df


def labels(column: pd.Series) -> pd.Series:
    """Group labels as text, dates as YYYY-MM-DD, to match the planted ``group``."""
    if pd.api.types.is_datetime64_any_dtype(column):
        return column.dt.strftime("%Y-%m-%d")
    return column.astype(str)


def estimate(spec: pd.Series) -> pd.DataFrame:
    denominator = None if pd.isna(spec["denominator"]) else spec["denominator"]
    return stratified_rates(
        rows_for(spec),
        spec["outcome"],
        spec["by"],
        denominator=denominator,
        level=LEVEL,
        min_cell=0,  # checking, not displaying: no suppression
        missing_outcome="exclude" if denominator is None else "raise",
    )


def _id(gap_id: str, by: str, where: str) -> str:
    return f"{gap_id}[{by}{'|' + where if where else ''}]"


@pytest.mark.parametrize(
    "key",
    [tuple(k) for k in RATE_ROWS[["gap_id", "by", "where"]].drop_duplicates().itertuples(index=False)],
    ids=lambda k: _id(*k),
)
def test_every_planted_rate_is_inside_its_confidence_interval(key: tuple[str, str, str]) -> None:
    gap_id, by, where = key
    specs = RATE_ROWS[
        (RATE_ROWS["gap_id"] == gap_id) & (RATE_ROWS["by"] == by) & (RATE_ROWS["where"] == where)
    ]
    table = estimate(specs.iloc[0])
    table = table.assign(_label=labels(table[by]))
    misses = []
    for spec in specs.itertuples(index=False):
        row = table[table["_label"] == spec.group]
        assert len(row) == 1, f"{gap_id}: group {spec.group!r} not found in {spec.dataset} by {by}"
        low, high, rate = row[["ci_low", "ci_high", "rate"]].iloc[0]
        if not low <= spec.expected <= high:
            misses.append(
                f"{spec.group}: true {spec.expected:.4f}, estimate {rate:.4f} [{low:.4f}, {high:.4f}]"
            )
    assert not misses, f"{gap_id} ({where or 'all rows'}): " + "; ".join(misses)


def test_age_standardised_screening_rates_are_recovered() -> None:
    table = age_standardize(
        dataset("cancer_screening"),
        "screened",
        "race_ethnicity",
        denominator="eligible",
        level=LEVEL,
        min_cell=0,
    )
    table = table.assign(_label=labels(table["race_ethnicity"]))
    for spec in STD_ROWS.itertuples(index=False):
        row = table[table["_label"] == spec.group].iloc[0]
        assert row["ci_low"] <= spec.expected <= row["ci_high"], (
            spec.group,
            spec.expected,
            row["adjusted_rate"],
        )


@pytest.mark.parametrize("key", WITH_WHITE, ids=lambda k: _id(k[0], k[2], k[1]))
def test_planted_differences_from_white_are_inside_newcombe_intervals(key: tuple[str, str, str]) -> None:
    specs = EXACT_GROUPS.get_group(key)
    table = gaps(estimate(specs.iloc[0]), reference="White", level=LEVEL)
    table = table.assign(_label=labels(table[key[2]]))
    truth = specs.set_index("group")["expected"]
    for group, expected in truth.items():
        if group == "White":
            continue
        row = table[table["_label"] == group].iloc[0]
        diff = expected - truth["White"]
        assert row["abs_diff_ci_low"] <= diff <= row["abs_diff_ci_high"], (key, group, diff, row["abs_diff"])


# --- The headline gaps are large enough to see in the data (95% intervals exclude no gap) -----------


def _gap_row(dataset_name: str, outcome: str, by: str, group: str, *, where: str = "", denominator=None):
    df = dataset(dataset_name)
    df = df.query(where) if where else df
    rates = stratified_rates(df, outcome, by, denominator=denominator, missing_outcome="exclude")
    table = gaps(rates, reference="White", higher_is_better=outcome != "infections")
    return table[labels(table[by]) == group].iloc[0]


@pytest.mark.parametrize(
    ("dataset_name", "outcome", "by", "group", "where", "denominator"),
    [
        ("patients", "bp_controlled", "race_ethnicity", "Black", "hypertension", None),
        ("patients", "hba1c_controlled", "race_ethnicity", "Black", "diabetes", None),
        ("patients", "crc_screened", "race_ethnicity", "Hispanic/Latino", "45 <= age <= 75", None),
        (
            "hypertension_monthly",
            "numerator",
            "race_ethnicity",
            "Black",
            "month <= '2023-06-01'",
            "denominator",
        ),
        ("cancer_screening", "screened", "race_ethnicity", "Hispanic/Latino", "", "eligible"),
        ("workforce_survey", "experienced_discrimination", "race_ethnicity", "Black", "wave == 1", None),
        ("sdoh_screening", "food_insecurity", "race_ethnicity", "Black", "", "screened"),
        ("sdoh_screening", "screened", "race_ethnicity", "Unknown", "", "eligible"),
    ],
)
def test_headline_gaps_are_detectable(dataset_name, outcome, by, group, where, denominator) -> None:
    row = _gap_row(dataset_name, outcome, by, group, where=where, denominator=denominator)
    truth = PLANTED[
        (PLANTED["dataset"] == dataset_name) & (PLANTED["outcome"] == outcome) & (PLANTED["by"] == by)
        & (PLANTED["where"] == where) & PLANTED["exact"]
    ].set_index("group")["expected"]  # fmt: skip
    planted_sign = np.sign(truth[group] - truth["White"])
    assert planted_sign != 0
    assert np.sign(row["abs_diff_ci_low"]) == np.sign(row["abs_diff_ci_high"]) == planted_sign, row


def test_infection_rate_ratio_for_black_patients_excludes_one() -> None:
    row = _gap_row("hai", "infections", "race_ethnicity", "Black", denominator="patient_days")
    truth = synth.hai.TARGETS["Black"] / synth.hai.TARGETS["White"]
    assert row["rel_ratio_ci_low"] > 1
    assert row["rel_ratio_ci_low"] <= truth <= row["rel_ratio_ci_high"]


def test_outreach_narrows_the_black_white_gap() -> None:
    hm = dataset("hypertension_monthly")
    period = np.where(
        hm["month"] <= "2023-06-01", "before", np.where(hm["month"] >= "2023-09-01", "after", "ramp")
    )
    rates = stratified_rates(
        hm.assign(period=period).query("period != 'ramp'"), "numerator", ["period", "race_ethnicity"],
        denominator="denominator",
    )  # fmt: skip
    table = gaps(rates, reference="White", group="race_ethnicity")
    black = table[table["race_ethnicity"] == "Black"].set_index("period")
    # The gap is smaller after the programme, and Black patients' control rose significantly.
    assert abs(black.loc["after", "abs_diff"]) < abs(black.loc["before", "abs_diff"])
    before = rates[(rates["period"] == "before") & (rates["race_ethnicity"] == "Black")].iloc[0]
    after = rates[(rates["period"] == "after") & (rates["race_ethnicity"] == "Black")].iloc[0]
    assert after["ci_low"] > before["ci_high"]
    # ... while the Spanish-language gap did not close (planted: no change).
    lang = stratified_rates(
        hm.assign(period=period).query("period != 'ramp'"), "numerator", ["period", "language"],
        denominator="denominator",
    )  # fmt: skip
    spanish = lang[lang["language"] == "Spanish"].set_index("period")
    english = lang[lang["language"] == "English"].set_index("period")
    for p in ("before", "after"):
        assert spanish.loc[p, "ci_high"] < english.loc[p, "ci_low"]


def test_medical_unit_cluster_stands_out() -> None:
    hai = dataset("hai")
    medical = (
        hai[hai["unit"] == synth.hai.OUTBREAK_UNIT].groupby("month")[["infections", "patient_days"]].sum()
    )
    rate = medical["infections"] / medical["patient_days"]
    outbreak = pd.Timestamp("2022-01-01") + pd.DateOffset(months=synth.hai.OUTBREAK_MONTH - 1)
    assert rate.idxmax() == outbreak
