"""Properties of helpers.measures and helpers.disparities that must hold for any data (hypothesis).

* Rates lie in [0, 1] and every interval contains its rate.
* More data (same proportion) gives a narrower interval.
* Every summary measure is 0 when all groups have the same rate.
* Results do not depend on the order of the rows.
* Patient-level and aggregated input give the same table.
* Display tables show no count from 1 to 10, and never exactly one hidden group.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.disparities import gaps, summary
from helpers.measures import OVERALL_LABEL, proportion_ci, stratified_rates

METHODS = ["wilson", "clopper-pearson"]
LEVELS = [0.8, 0.9, 0.95, 0.99]
FAST = settings(deadline=None, max_examples=60)
SLOW = settings(deadline=None, max_examples=25)


@st.composite
def counts(draw, max_n: int = 5000) -> tuple[int, int]:
    n = draw(st.integers(1, max_n))
    return draw(st.integers(0, n)), n


@st.composite
def group_counts(draw, min_groups: int = 2, max_groups: int = 6) -> pd.DataFrame:
    """An aggregated table: one row per group with events <= people."""
    k = draw(st.integers(min_groups, max_groups))
    rows = [draw(counts(max_n=400)) for _ in range(k)]
    return pd.DataFrame(
        {
            "group": [f"g{i}" for i in range(k)],
            "events": [x for x, _ in rows],
            "people": [n for _, n in rows],
        }
    )


def expand(table: pd.DataFrame) -> pd.DataFrame:
    """Aggregated counts -> one row per person with a 0/1 outcome."""
    groups = np.repeat(table["group"].to_numpy(), table["people"].to_numpy())
    outcome = np.concatenate(
        [
            np.r_[np.ones(x, dtype=int), np.zeros(n - x, dtype=int)]
            for x, n in zip(table["events"], table["people"], strict=True)
        ]
    )
    return pd.DataFrame({"group": groups, "y": outcome})


# ----------------------------------------------------------------------------------------------
# intervals
# ----------------------------------------------------------------------------------------------


@FAST
@given(counts(), st.sampled_from(METHODS), st.sampled_from(LEVELS))
def test_interval_within_0_1_and_contains_the_rate(xn, method, level):
    x, n = xn
    lo, hi = proportion_ci(x, n, method=method, level=level)
    assert 0.0 <= lo <= x / n <= hi <= 1.0


@FAST
@given(counts(max_n=2000), st.integers(2, 20), st.sampled_from(METHODS))
def test_interval_narrower_with_more_data(xn, k, method):
    x, n = xn
    lo1, hi1 = proportion_ci(x, n, method=method)
    lo2, hi2 = proportion_ci(k * x, k * n, method=method)
    assert hi2 - lo2 < hi1 - lo1


# ----------------------------------------------------------------------------------------------
# stratified rates
# ----------------------------------------------------------------------------------------------


@SLOW
@given(group_counts(), st.sampled_from(METHODS))
def test_rates_within_0_1_and_intervals_contain_them(table, method):
    out = stratified_rates(
        table, "events", "group", denominator="people", method=method, overall=True, min_cell=0
    )
    rate = out["rate"].to_numpy()
    assert ((rate >= 0) & (rate <= 1)).all()
    assert ((out["ci_low"] <= out["rate"]) & (out["rate"] <= out["ci_high"])).all()


@SLOW
@given(group_counts(), st.randoms(use_true_random=False))
def test_patient_level_equals_aggregated_and_ignores_row_order(table, rnd):
    aggregated = stratified_rates(table, "events", "group", denominator="people", overall=True)
    people = expand(table)
    order = list(range(len(people)))
    rnd.shuffle(order)
    shuffled = people.iloc[order].reset_index(drop=True)
    patient_level = stratified_rates(shuffled, "y", "group", overall=True)
    pd.testing.assert_frame_equal(patient_level, aggregated, check_dtype=False)


@SLOW
@given(group_counts(min_groups=3), st.randoms(use_true_random=False))
def test_gaps_and_summary_ignore_row_order(table, rnd):
    order = list(range(len(table)))
    rnd.shuffle(order)
    a = stratified_rates(table, "events", "group", denominator="people", min_cell=0)
    b = stratified_rates(table.iloc[order], "events", "group", denominator="people", min_cell=0)
    pd.testing.assert_frame_equal(a, b)
    if a["rate"].max() > 0:
        pd.testing.assert_frame_equal(gaps(a), gaps(b))
    sa, sb = summary(a, weighted=True), summary(b, weighted=True)
    for name in ("theil_index", "between_group_variance", "gini", "index_of_disparity"):
        assert sa[name] == pytest.approx(sb[name], nan_ok=True)


@SLOW
@given(group_counts(max_groups=8))
def test_display_table_never_shows_1_to_10_nor_a_lone_hidden_group(table):
    out = stratified_rates(table, "events", "group", denominator="people", overall=True)
    shown = out[~out["suppressed"]]
    num = shown["numerator"].astype(float)
    den = shown["denominator"].astype(float)
    for values in (num, den, den - num):
        assert not ((values > 0) & (values < 11)).any()
    groups = out[out["group"] != OVERALL_LABEL]
    total_shown = not out[out["group"] == OVERALL_LABEL]["suppressed"].iloc[0]
    if total_shown:
        assert groups["suppressed"].sum() != 1
    assert out.loc[out["suppressed"], "rate"].isna().all()


# ----------------------------------------------------------------------------------------------
# summary measures
# ----------------------------------------------------------------------------------------------

MEASURES = [
    "index_of_disparity",
    "weighted_index_of_disparity",
    "between_group_variance",
    "theil_index",
    "mean_log_deviation",
    "gini",
    "population_attributable_risk",
    "population_attributable_fraction",
    "slope_index_of_inequality",
    "relative_index_of_inequality",
]


@FAST
@given(
    st.integers(1, 20),
    st.data(),
    st.lists(st.integers(1, 60), min_size=2, max_size=7),
    st.booleans(),
    st.sampled_from(["best", "mean", "overall", "g0"]),
    st.booleans(),
)
def test_all_summary_measures_are_zero_when_rates_are_equal(b, data, sizes, weighted, reference, higher):
    a = data.draw(st.integers(0, b))
    table = pd.DataFrame(
        {
            "group": [f"g{i}" for i in range(len(sizes))],
            "events": [a * m for m in sizes],
            "people": [b * m for m in sizes],
        }
    )
    rates = stratified_rates(table, "events", "group", denominator="people", overall=True, min_cell=0)
    s = summary(rates, reference=reference, weighted=weighted, higher_is_better=higher, ordered=True)
    for name in MEASURES:
        assert s[name] == pytest.approx(0.0, abs=1e-12), name
    assert s["notes"] == ""
