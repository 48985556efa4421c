"""helpers.measures: every statistic against a hand-worked or published value with its source.

Sources used below
------------------
* Newcombe RG (1998a). Two-sided confidence intervals for the single proportion: comparison of
  seven methods. Stat Med 17:857-872, Table I: Wilson score (method 3) and Clopper-Pearson
  (method 5) limits for 81/263, 15/148, 0/20 and 1/29.
* Brown LD, Cai TT, DasGupta A (2001). Interval estimation for a binomial proportion. Stat Sci
  16:101-133 -- the Wilson interval's closed form and its 0/n behaviour (lower limit 0).
* Clopper-Pearson limits are also checked against scipy.stats.binomtest(...).proportion_ci(
  method="exact"), an independent implementation.
* Garwood F (1936). Fiducial limits for the Poisson distribution. Biometrika 28:437-442 -- exact
  95% limits for a Poisson count (x=0: 0-3.689; x=1: 0.0253-5.572; x=5: 1.623-11.668; x=10:
  4.795-18.390), reproduced in standard tables (e.g. Ulm K 1990, Am J Epidemiol 131:373).
  Fay & Feuer (1997, Stat Med 16:791-801, section 3) note that their gamma interval reduces
  to this exact interval when there is a single age group.
* Klein RJ, Schoenborn CA (2001). Age adjustment using the 2000 projected U.S. population.
  Healthy People 2010 Statistical Notes no. 20, NCHS, Table 2 -- the 11-group standard.
* CMS Cell Size Suppression Policy -- counts of 1 to 10 may not be shown, nor derived.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from helpers.measures import (
    OVERALL_LABEL,
    US2000_STANDARD,
    age_standardize,
    exclusions,
    proportion_ci,
    stratified_rates,
    suppress_small_cells,
    us2000_age_group,
)

# ----------------------------------------------------------------------------------------------
# proportion_ci
# ----------------------------------------------------------------------------------------------

# Newcombe (1998a) Table I, 95% limits to 4 decimals.
NEWCOMBE_WILSON = [
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0000, 0.1611),
    (1, 29, 0.0061, 0.1718),
]
NEWCOMBE_CLOPPER_PEARSON = [
    (81, 263, 0.2527, 0.3676),
    (15, 148, 0.0578, 0.1617),
    (0, 20, 0.0000, 0.1684),
    (1, 29, 0.0009, 0.1776),
]


@pytest.mark.parametrize(("x", "n", "low", "high"), NEWCOMBE_WILSON)
def test_wilson_matches_newcombe_1998_table_1(x, n, low, high):
    lo, hi = proportion_ci(x, n)
    assert round(float(lo), 4) == low
    assert round(float(hi), 4) == high


@pytest.mark.parametrize(("x", "n", "low", "high"), NEWCOMBE_CLOPPER_PEARSON)
def test_clopper_pearson_matches_newcombe_1998_table_1(x, n, low, high):
    lo, hi = proportion_ci(x, n, method="clopper-pearson")
    assert round(float(lo), 4) == low
    assert round(float(hi), 4) == high


def test_clopper_pearson_matches_scipy_binomtest_exact():
    xs = np.array([0, 1, 2, 7, 19, 50, 99, 100])
    ns = np.array([100, 100, 9, 40, 19, 200, 100, 100])
    lo, hi = proportion_ci(xs, ns, method="exact", level=0.9)
    for i, (x, n) in enumerate(zip(xs, ns, strict=True)):
        ref = stats.binomtest(int(x), int(n)).proportion_ci(confidence_level=0.9, method="exact")
        assert lo[i] == pytest.approx(ref.low, abs=1e-12)
        assert hi[i] == pytest.approx(ref.high, abs=1e-12)


def test_wilson_closed_form_brown_cai_dasgupta():
    # Brown, Cai & DasGupta (2001) eq. (4): centre (x + z^2/2)/(n + z^2), half-width
    # z sqrt(n)/(n + z^2) * sqrt(p(1-p) + z^2/(4n)). Worked here for x=3, n=10, 90% level.
    z = 1.6448536269514722
    x, n = 3, 10
    p = x / n
    centre = (x + z**2 / 2) / (n + z**2)
    half = z * np.sqrt(n) / (n + z**2) * np.sqrt(p * (1 - p) + z**2 / (4 * n))
    lo, hi = proportion_ci(x, n, level=0.90)
    assert float(lo) == pytest.approx(centre - half, abs=1e-12)
    assert float(hi) == pytest.approx(centre + half, abs=1e-12)


@pytest.mark.parametrize("method", ["wilson", "clopper-pearson"])
def test_zero_and_all_events_are_exact_at_the_ends(method):
    lo, hi = proportion_ci([0, 25], [25, 25], method=method)
    assert lo[0] == 0.0
    assert hi[1] == 1.0
    assert 0 < hi[0] < 1 and 0 < lo[1] < 1


def test_vectorised_shape_and_scalar_output():
    lo, hi = proportion_ci(np.array([[1, 2], [3, 4]]), 10)
    assert lo.shape == hi.shape == (2, 2)
    lo0, hi0 = proportion_ci(5, 10)
    assert np.ndim(hi0) == 0
    assert np.ndim(lo0) == 0 and isinstance(float(lo0), float)
    # Series with a missing count give a missing interval, the rest are computed.
    lo_s, hi_s = proportion_ci(pd.Series([1, None], dtype="Int64"), pd.Series([10, 10]))
    assert np.isnan(lo_s[1]) and np.isnan(hi_s[1]) and lo_s[0] > 0


def test_narrower_with_higher_level_and_wider_with_lower():
    lo90, hi90 = proportion_ci(30, 100, level=0.90)
    lo99, hi99 = proportion_ci(30, 100, level=0.99)
    assert lo99 < lo90 < 0.3 < hi90 < hi99


# ----------------------------------------------------------------------------------------------
# stratified_rates
# ----------------------------------------------------------------------------------------------


@pytest.fixture
def patients() -> pd.DataFrame:
    """Hand-countable: Black 16/40, White 33/60, Asian 20/25, plus 12 with race unknown (6 events)."""
    race = ["Black"] * 40 + ["White"] * 60 + ["Asian"] * 25 + [None] * 12
    outcome = [1] * 16 + [0] * 24 + [1] * 33 + [0] * 27 + [1] * 20 + [0] * 5 + [1] * 6 + [0] * 6
    return pd.DataFrame({"race": race, "controlled": outcome})


def test_patient_level_counts_by_hand(patients):
    out = stratified_rates(patients, "controlled", "race", min_cell=0)
    got = out.set_index("race")[["numerator", "denominator"]].astype(int)
    assert got.loc["Black"].tolist() == [16, 40]
    assert got.loc["White"].tolist() == [33, 60]
    assert got.loc["Asian"].tolist() == [20, 25]
    assert got.loc["Unknown"].tolist() == [6, 12]
    assert out.set_index("race").loc["White", "rate"] == pytest.approx(0.55)
    lo, hi = proportion_ci(33, 60)
    white = out.set_index("race").loc["White"]
    assert (white["ci_low"], white["ci_high"]) == (pytest.approx(float(lo)), pytest.approx(float(hi)))


def test_output_columns_and_dtypes_follow_the_contract(patients):
    out = stratified_rates(patients, "controlled", "race")
    assert list(out.columns) == [
        "race",
        "numerator",
        "denominator",
        "rate",
        "ci_low",
        "ci_high",
        "suppressed",
        "suppression_reason",
    ]
    assert out["suppressed"].dtype == bool
    assert str(out["numerator"].dtype) == "Int64"
    assert out.attrs["by"] == ["race"]


def test_sorted_labels_with_unknown_last_and_overall_row(patients):
    out = stratified_rates(patients, "controlled", "race", overall=True, min_cell=0)
    assert out["race"].tolist() == ["Asian", "Black", "White", "Unknown", OVERALL_LABEL]
    total = out.iloc[-1]
    assert (int(total["numerator"]), int(total["denominator"])) == (16 + 33 + 20 + 6, 137)


def test_categorical_order_and_dtype_are_preserved():
    order = ["White", "Black", "Asian", "Other"]
    df = pd.DataFrame(
        {
            "race": pd.Categorical(["Asian", "White", "Black", "Asian"] * 10, categories=order, ordered=True),
            "y": [1, 0] * 20,
        }
    )
    out = stratified_rates(df, "y", "race", overall=True, min_cell=0)
    assert out["race"].tolist() == ["White", "Black", "Asian", OVERALL_LABEL]
    assert isinstance(out["race"].dtype, pd.CategoricalDtype)
    assert list(out["race"].cat.categories) == [*order, OVERALL_LABEL]
    assert out["race"].cat.ordered


def test_intersectional_strata_only_observed_combinations():
    df = pd.DataFrame(
        {
            "race": ["A", "A", "B", "B", "B"] * 20,
            "language": ["en", "es", "en", "en", "en"] * 20,
            "y": [1, 0, 1, 1, 0] * 20,
        }
    )
    out = stratified_rates(df, "y", ["race", "language"], min_cell=0)
    assert out[["race", "language"]].to_numpy().tolist() == [["A", "en"], ["A", "es"], ["B", "en"]]
    assert out["numerator"].astype(int).tolist() == [20, 0, 40]
    assert out["denominator"].astype(int).tolist() == [20, 20, 60]


def test_many_high_cardinality_columns_match_a_pandas_groupby():
    # Four columns of 2,000 levels overflow a simple mixed-radix code, so the counting path
    # compresses codes on the way; pandas' own groupby is the independent reference.
    rng = np.random.default_rng(5)
    n = 20_000
    df = pd.DataFrame({f"c{i}": rng.integers(0, 2000, n) for i in range(4)})
    df["c1"] = df["c1"].astype(str)
    df["y"] = rng.random(n) < 0.3
    by = ["c0", "c1", "c2", "c3"]
    out = stratified_rates(df, "y", by, min_cell=0)
    ref = df.groupby(by)["y"].agg(["sum", "count"]).reset_index()
    merged = out.merge(ref, on=by, how="outer", indicator=True)
    assert (merged["_merge"] == "both").all()
    assert (merged["numerator"].astype(int) == merged["sum"]).all()
    assert (merged["denominator"].astype(int) == merged["count"]).all()


def test_aggregated_input_sums_rows_within_strata():
    # Two months per group: Black 12/30 + 18/30 = 30/60; White 40/80 + 50/70 = 90/150.
    monthly = pd.DataFrame(
        {
            "race": ["Black", "Black", "White", "White"],
            "month": [1, 2, 1, 2],
            "controlled": [12, 18, 40, 50],
            "eligible": [30, 30, 80, 70],
        }
    )
    out = stratified_rates(monthly, "controlled", "race", denominator="eligible", overall=True)
    assert out["numerator"].astype(int).tolist() == [30, 90, 120]
    assert out["denominator"].astype(int).tolist() == [60, 150, 210]
    assert out["rate"].tolist() == pytest.approx([0.5, 0.6, 120 / 210])


def test_boolean_and_nullable_outcomes_are_accepted():
    df = pd.DataFrame({"g": ["a"] * 20, "y": [True] * 12 + [False] * 8})
    assert int(stratified_rates(df, "y", "g", min_cell=0)["numerator"].iloc[0]) == 12
    df["y"] = df["y"].astype("boolean")
    assert int(stratified_rates(df, "y", "g", min_cell=0)["numerator"].iloc[0]) == 12


def test_missing_group_as_stratum_is_reported(patients):
    out = stratified_rates(patients, "controlled", "race", min_cell=0)
    notes = exclusions(out)
    assert notes.to_dict("records") == [
        {
            "action": "counted in stratum 'Unknown'",
            "column": "race",
            "reason": "missing value in 'race'",
            "rows": 12,
            "denominator": 12.0,
        }
    ]


def test_missing_group_excluded_with_count_and_reason(patients):
    out = stratified_rates(patients, "controlled", "race", missing="exclude", overall=True, min_cell=0)
    assert "Unknown" not in out["race"].tolist()
    assert int(out.iloc[-1]["denominator"]) == 125  # overall is over the same rows as the strata
    notes = exclusions(out)
    assert notes["action"].tolist() == ["excluded"]
    assert notes["rows"].tolist() == [12]
    assert "race" in notes["reason"].iloc[0]


def test_missing_in_several_columns_counted_once_per_row():
    df = pd.DataFrame(
        {
            "race": ["A"] * 20 + [None] * 3 + [None] * 2 + ["A"] * 4,
            "lang": ["en"] * 20 + ["en"] * 3 + [None] * 2 + [None] * 4,
            "y": [1] * 29,
        }
    )
    notes = exclusions(stratified_rates(df, "y", ["race", "lang"], missing="exclude", min_cell=0))
    counts = dict(zip(notes["reason"], notes["rows"], strict=True))
    assert counts == {
        "missing value in 'race'": 3,
        "missing value in 'lang'": 4,
        "missing value in 'race' and 'lang'": 2,
    }


def test_custom_missing_label_merges_with_an_existing_value():
    df = pd.DataFrame({"race": ["Unknown"] * 10 + [None] * 5 + ["A"] * 15, "y": [1] * 30})
    out = stratified_rates(df, "y", "race", min_cell=0)
    assert out.set_index("race").loc["Unknown", "denominator"] == 15


def test_missing_outcome_excluded_and_reported():
    df = pd.DataFrame({"g": ["a"] * 30, "y": [1.0] * 10 + [0.0] * 15 + [np.nan] * 5})
    out = stratified_rates(df, "y", "g", missing_outcome="exclude", min_cell=0)
    assert (int(out["numerator"].iloc[0]), int(out["denominator"].iloc[0])) == (10, 25)
    assert exclusions(out)[["column", "rows"]].to_numpy().tolist() == [["y", 5]]


def test_no_exclusions_gives_an_empty_report():
    df = pd.DataFrame({"g": ["a"] * 20, "y": [1] * 20})
    notes = exclusions(stratified_rates(df, "y", "g"))
    assert notes.empty and list(notes.columns) == ["action", "column", "reason", "rows", "denominator"]


def test_result_does_not_modify_the_input(patients):
    before = patients.copy()
    stratified_rates(patients, "controlled", "race", overall=True)
    pd.testing.assert_frame_equal(patients, before)


# ----------------------------------------------------------------------------------------------
# suppression
# ----------------------------------------------------------------------------------------------


def test_primary_suppression_cms_rule_1_to_10():
    t = pd.DataFrame(
        {
            "g": ["zero", "ten", "eleven", "small_den", "few_without"],
            "numerator": [0, 10, 11, 3, 95],
            "denominator": [500, 200, 200, 8, 100],
        }
    )
    out = suppress_small_cells(t, protect_complement=True)
    shown = dict(zip(out["g"], ~out["suppressed"], strict=True))
    assert shown["zero"]  # CMS: values of 1 to 10; zero may be shown
    assert not shown["ten"]
    assert not shown["small_den"]
    assert not shown["few_without"]  # 5 people without the outcome
    reasons = dict(zip(out["g"], out["suppression_reason"], strict=True))
    assert reasons["ten"] == "fewer than 11 with the outcome (numerator)"
    assert reasons["small_den"] == "fewer than 11 in the group (denominator)"
    assert "without the outcome" in reasons["few_without"]


def test_suppressed_rows_hide_counts_and_rates():
    df = pd.DataFrame({"g": ["a"] * 50 + ["b"] * 5 + ["c"] * 50, "y": [1, 0] * 52 + [1]})
    out = stratified_rates(df, "y", "g")
    b = out.set_index("g").loc["b"]
    assert b["suppressed"]
    assert pd.isna(b["numerator"]) and pd.isna(b["denominator"])
    assert np.isnan(b["rate"]) and np.isnan(b["ci_low"]) and np.isnan(b["ci_high"])


def test_complementary_suppression_single_column():
    # One small cell would be total minus the others; the smallest other cell is hidden too.
    t = pd.DataFrame(
        {"g": ["a", "b", "c", "d"], "numerator": [5, 30, 40, 50], "denominator": [50, 60, 90, 100]}
    )
    out = suppress_small_cells(t)
    assert out["suppressed"].tolist() == [True, True, False, False]
    assert out.loc[1, "suppression_reason"].startswith("complementary")
    assert "g=a" in out.loc[1, "suppression_reason"]


def test_no_complementary_needed_when_two_cells_are_already_hidden():
    t = pd.DataFrame({"g": ["a", "b", "c"], "numerator": [5, 4, 40], "denominator": [50, 60, 90]})
    out = suppress_small_cells(t)
    assert out["suppressed"].tolist() == [True, True, False]
    assert not any(r.startswith("complementary") for r in out["suppression_reason"])


def test_complementary_suppression_with_two_columns_protects_every_margin():
    # 2 x 3 table; only (B, y) is small. Its row (B), its column (y) and the grand total would
    # each reveal it, so at least one more cell must go in row B and in column y.
    t = pd.DataFrame(
        {
            "race": ["A", "A", "A", "B", "B", "B"],
            "lang": ["x", "y", "z", "x", "y", "z"],
            "numerator": [40, 50, 60, 45, 3, 70],
            "denominator": [100, 120, 140, 110, 90, 150],
        }
    )
    out = suppress_small_cells(t)
    hidden = out["suppressed"].to_numpy()
    assert hidden[4]
    for _, idx in out.groupby("race").groups.items():
        assert hidden[list(idx)].sum() != 1
    for _, idx in out.groupby("lang").groups.items():
        assert hidden[list(idx)].sum() != 1
    assert hidden.sum() != 1


def test_overall_row_takes_part_in_complementary_suppression():
    df = pd.DataFrame({"g": ["a"] * 100 + ["b"] * 60 + ["c"] * 8, "y": ([1, 0] * 84)})
    out = stratified_rates(df, "y", "g", overall=True)
    groups = out[out["g"] != OVERALL_LABEL]
    assert groups["suppressed"].sum() == 2  # c (n=8) and b, the smallest other group
    assert not out[out["g"] == OVERALL_LABEL]["suppressed"].iloc[0]


def test_min_cell_zero_turns_suppression_off():
    df = pd.DataFrame({"g": ["a"] * 3 + ["b"] * 20, "y": [1] * 23})
    out = stratified_rates(df, "y", "g", min_cell=0)
    assert not out["suppressed"].any()
    assert (out["suppression_reason"] == "").all()


def test_suppress_is_idempotent_and_keeps_earlier_reasons():
    t = pd.DataFrame(
        {"g": ["a", "b", "c", "d"], "numerator": [5, 30, 40, 50], "denominator": [50, 60, 90, 100]}
    )
    once = suppress_small_cells(t)
    twice = suppress_small_cells(once)
    pd.testing.assert_frame_equal(once, twice)


def test_no_visible_count_between_1_and_10_in_a_display_table():
    rng = np.random.default_rng(7)
    df = pd.DataFrame(
        {
            "race": rng.choice(["A", "B", "C", "D", "E"], 800, p=[0.6, 0.25, 0.1, 0.04, 0.01]),
            "lang": rng.choice(["en", "es", "zh"], 800, p=[0.8, 0.15, 0.05]),
            "y": rng.random(800) < 0.3,
        }
    )
    out = stratified_rates(df, "y", ["race", "lang"], overall=True)
    shown = out[~out["suppressed"]]
    for col in ("numerator", "denominator"):
        values = shown[col].astype(float)
        assert not ((values > 0) & (values < 11)).any()
    rest = shown["denominator"].astype(float) - shown["numerator"].astype(float)
    assert not ((rest > 0) & (rest < 11)).any()


# ----------------------------------------------------------------------------------------------
# age standardisation
# ----------------------------------------------------------------------------------------------


def test_us2000_standard_sums_to_one_million_klein_schoenborn_2001():
    # Klein & Schoenborn (2001), Table 2: 11 age groups, weights per 1,000,000.
    assert int(US2000_STANDARD.sum()) == 1_000_000
    assert len(US2000_STANDARD) == 11
    assert US2000_STANDARD["<1"] == 13818
    assert US2000_STANDARD["35-44"] == 162613
    assert US2000_STANDARD["85+"] == 15508


def test_us2000_age_group_bins():
    got = us2000_age_group(pd.Series([0, 0.5, 1, 4, 5, 14, 15, 24, 25, 84, 85, 99, np.nan])).tolist()
    assert got[:12] == [
        "<1",
        "<1",
        "1-4",
        "1-4",
        "5-14",
        "5-14",
        "15-24",
        "15-24",
        "25-34",
        "75-84",
        "85+",
        "85+",
    ]
    assert pd.isna(got[12])


@pytest.mark.parametrize(
    ("events", "low", "high"),
    # Garwood (1936) exact Poisson 95% limits for the count; divided by the population below.
    [(0, 0.0, 3.6889), (1, 0.0253, 5.5716), (5, 1.6235, 11.6683), (10, 4.7954, 18.3904)],
)
def test_fay_feuer_single_group_equals_exact_poisson(events, low, high):
    people = 1000
    counts = pd.DataFrame({"g": ["a"], "age_group": ["45-54"], "d": [events], "n": [people]})
    out = age_standardize(counts, "d", "g", denominator="n", min_cell=0)
    assert out["adjusted_rate"].iloc[0] == pytest.approx(events / people)
    assert out["ci_low"].iloc[0] * people == pytest.approx(low, abs=1e-4)
    assert out["ci_high"].iloc[0] * people == pytest.approx(high, abs=1e-4)


def test_direct_standardisation_by_hand_with_caller_standard():
    # Standard 60/40. Group a: 10/100 and 30/100 -> 0.6*0.1 + 0.4*0.3 = 0.18; crude 40/200 = 0.2.
    # Group b: 20/400 and 10/50 -> 0.6*0.05 + 0.4*0.2 = 0.11; crude 30/450.
    counts = pd.DataFrame(
        {
            "g": ["a", "a", "b", "b"],
            "band": ["young", "old", "young", "old"],
            "d": [10, 30, 20, 10],
            "n": [100, 100, 400, 50],
        }
    )
    standard = pd.Series({"young": 600, "old": 400})
    out = age_standardize(counts, "d", "g", age="band", standard=standard, denominator="n", min_cell=0)
    assert out["adjusted_rate"].tolist() == pytest.approx([0.18, 0.11])
    assert out["crude_rate"].tolist() == pytest.approx([0.2, 30 / 450])
    # Fay & Feuer (1997) eq. (5) variance for group a: 0.6^2*10/100^2 + 0.4^2*30/100^2 = 0.00084;
    # the gamma interval is wider than the normal one on the upper side and contains the rate.
    lo, hi = out.loc[0, ["ci_low", "ci_high"]]
    assert lo < 0.18 < hi
    assert hi - 0.18 > 0.18 - lo
    assert list(out.columns) == [
        "g",
        "numerator",
        "denominator",
        "crude_rate",
        "adjusted_rate",
        "ci_low",
        "ci_high",
        "suppressed",
        "suppression_reason",
    ]


def test_us2000_restricted_to_adult_bands_is_renormalised():
    ages = ["25-34", "45-54", "85+"]
    counts = pd.DataFrame({"g": ["a"] * 3, "age_group": ages, "d": [10, 20, 30], "n": [100, 100, 100]})
    out = age_standardize(counts, "d", "g", denominator="n", min_cell=0)
    w = US2000_STANDARD[ages] / US2000_STANDARD[ages].sum()
    assert out.attrs["standard"] == pytest.approx(dict(w))
    assert out["adjusted_rate"].iloc[0] == pytest.approx(float((w * [0.1, 0.2, 0.3]).sum()))


def test_age_standardize_patient_level_with_numeric_ages():
    rng = np.random.default_rng(3)
    age = rng.integers(18, 90, 4000)
    df = pd.DataFrame({"g": rng.choice(["a", "b"], 4000), "age": age, "y": rng.random(4000) < age / 100})
    out = age_standardize(df, "y", "g", age="age", overall=True)
    assert out["g"].tolist() == ["a", "b", OVERALL_LABEL]
    assert ((out["ci_low"] <= out["adjusted_rate"]) & (out["adjusted_rate"] <= out["ci_high"])).all()
    bands = set(out.attrs["standard"])
    assert bands == {"15-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75-84", "85+"}


def test_fay_feuer_upper_limit_capped_at_one_for_proportions():
    # One person in the older group: w_M = 0.5 / 1, so the gamma upper limit passes 1.
    counts = pd.DataFrame({"g": ["a", "a"], "band": ["young", "old"], "d": [30, 1], "n": [40, 1]})
    standard = pd.Series({"young": 1, "old": 1})
    out = age_standardize(counts, "d", "g", age="band", standard=standard, denominator="n", min_cell=0)
    assert out["adjusted_rate"].iloc[0] == pytest.approx(0.5 * 0.75 + 0.5 * 1.0)
    assert out["ci_high"].iloc[0] == 1.0
    assert out["ci_low"].iloc[0] < 0.875


def test_stratum_missing_an_age_band_has_no_adjusted_rate():
    counts = pd.DataFrame(
        {
            "g": ["a", "a", "b"],
            "age_group": ["25-34", "65-74", "25-34"],
            "d": [20, 30, 40],
            "n": [100, 100, 200],
        }
    )
    out = age_standardize(counts, "d", "g", denominator="n", min_cell=0)
    b = out.set_index("g").loc["b"]
    assert np.isnan(b["adjusted_rate"]) and b["suppressed"]
    assert "65-74" in b["suppression_reason"]
    assert b["crude_rate"] == pytest.approx(0.2)


def test_missing_age_group_rows_are_excluded_and_reported():
    df = pd.DataFrame({"g": ["a"] * 30, "age_group": ["25-34"] * 25 + [None] * 5, "y": [1, 0] * 15})
    out = age_standardize(df, "y", "g", min_cell=0)
    assert int(out["denominator"].iloc[0]) == 25
    assert exclusions(out)[["column", "rows"]].to_numpy().tolist() == [["age_group", 5]]
