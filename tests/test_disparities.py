"""helpers.disparities: gaps and summary measures against published or hand-worked values.

Sources used below
------------------
* Newcombe RG (1998b). Interval estimation for the difference between independent proportions:
  comparison of eleven methods. Stat Med 17:873-890, Table II, method 10 (hybrid score
  interval without continuity correction), examples (a)-(h).
* Katz D, Baptista J, Azen SP, Pike MC (1978). Obtaining confidence intervals for the risk ratio
  in cohort studies. Biometrics 34:469-474 -- log method, se^2 = 1/x1 - 1/n1 + 1/x2 - 1/n2.
* Harper S, Lynch J (2005). Methods for Measuring Cancer Disparities. NCI Cancer Surveillance
  Monograph Series no. 6 (NIH Pub. 05-5777), and NCI's HD*Calc documentation -- definitions of
  the index of disparity (after Pearcy & Keppel 2002, Public Health Rep 117:273), between-group
  variance, Theil index, mean log deviation, population attributable risk, and the slope and
  relative indices of inequality (weighted regression on ridits; RII = SII / mean rate).
  The worked values below are computed by hand from those definitions, step by step.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from helpers.disparities import gaps, inequality_indices, summary
from helpers.measures import OVERALL_LABEL, stratified_rates


def two_groups(a: tuple[int, int], b: tuple[int, int], *, names=("x", "y")) -> pd.DataFrame:
    counts = pd.DataFrame({"g": list(names), "e": [a[0], b[0]], "n": [a[1], b[1]]})
    return stratified_rates(counts, "e", "g", denominator="n", min_cell=0)


# ----------------------------------------------------------------------------------------------
# gaps: the difference interval
# ----------------------------------------------------------------------------------------------

NEWCOMBE_TABLE_II_METHOD_10 = [
    # (x1, n1, x2, n2, lower, upper) -- Newcombe (1998b) Table II, 95% limits for p1 - p2.
    (56, 70, 48, 80, 0.0524, 0.3339),
    (9, 10, 3, 10, 0.1705, 0.8090),
    (6, 7, 2, 7, 0.0582, 0.8062),
    (5, 56, 0, 29, -0.0381, 0.1926),
    (0, 10, 0, 20, -0.1611, 0.2775),
    (0, 10, 0, 10, -0.2775, 0.2775),
    (10, 10, 0, 20, 0.6791, 1.0000),
    (10, 10, 0, 10, 0.6075, 1.0000),
]


@pytest.mark.parametrize(("x1", "n1", "x2", "n2", "low", "high"), NEWCOMBE_TABLE_II_METHOD_10)
def test_difference_interval_matches_newcombe_1998_table_ii(x1, n1, x2, n2, low, high):
    out = gaps(two_groups((x1, n1), (x2, n2)), reference="y")
    row = out.iloc[0]
    assert row["abs_diff"] == pytest.approx(x1 / n1 - x2 / n2)
    assert round(row["abs_diff_ci_low"], 4) == low
    assert round(row["abs_diff_ci_high"], 4) == high


def test_ratio_interval_log_method_by_hand():
    # Katz et al. (1978): RR = (56/70)/(48/80) = 4/3; se^2 = 1/56 - 1/70 + 1/48 - 1/80 = 0.0119048;
    # exp(log(4/3) -/+ 1.959964 * 0.109109) = 1.0766, 1.6512.
    out = gaps(two_groups((56, 70), (48, 80)), reference="y")
    row = out.iloc[0]
    assert row["rel_ratio"] == pytest.approx(4 / 3)
    assert round(row["rel_ratio_ci_low"], 4) == 1.0766
    assert round(row["rel_ratio_ci_high"], 4) == 1.6512


def test_ratio_with_zero_events_in_group_has_lower_limit_zero():
    # Zero cell: 0.5 added to both numerators, 1 to both denominators (Pettigrew et al. 1986):
    # log((0.5/31) / (20.5/101)) +/- 1.96 sqrt(1/0.5 - 1/31 + 1/20.5 - 1/101) -> upper 0.9698.
    out = gaps(two_groups((0, 30), (20, 100)), reference="y")
    row = out.iloc[0]
    assert row["rel_ratio"] == 0.0
    assert row["rel_ratio_ci_low"] == 0.0
    centre = math.log((0.5 / 31) / (20.5 / 101))
    se = math.sqrt(1 / 0.5 - 1 / 31 + 1 / 20.5 - 1 / 101)
    assert row["rel_ratio_ci_high"] == pytest.approx(math.exp(centre + 1.959964 * se), rel=1e-5)


def test_ratio_against_a_zero_reference_is_undefined():
    out = gaps(two_groups((5, 30), (0, 100)), reference="y")
    assert np.isnan(out.iloc[0]["rel_ratio"])
    assert np.isnan(out.iloc[0]["rel_ratio_ci_low"])


# ----------------------------------------------------------------------------------------------
# gaps: choosing the reference
# ----------------------------------------------------------------------------------------------


@pytest.fixture
def three() -> pd.DataFrame:
    counts = pd.DataFrame({"race": ["A", "B", "C"], "e": [30, 60, 90], "n": [100, 150, 200]})
    return stratified_rates(counts, "e", "race", denominator="n", overall=True, min_cell=0)


def test_reference_best_is_highest_rate_and_its_row_is_zero(three):
    out = gaps(three)
    assert set(out["reference_group"]) == {"C"}
    assert out["reference_rate"].iloc[0] == pytest.approx(0.45)
    c = out.set_index("race").loc["C"]
    assert c["abs_diff"] == 0.0 and c["rel_ratio"] == 1.0
    assert np.isnan(c["abs_diff_ci_low"]) and np.isnan(c["rel_ratio_ci_high"])
    a = out.set_index("race").loc["A"]
    assert a["abs_diff"] == pytest.approx(0.30 - 0.45)
    assert a["rel_ratio"] == pytest.approx(0.30 / 0.45)


def test_reference_best_when_lower_is_better(three):
    out = gaps(three, higher_is_better=False)
    assert set(out["reference_group"]) == {"A"}


def test_reference_overall_uses_the_overall_row(three):
    out = gaps(three, reference="overall")
    assert out["reference_rate"].iloc[0] == pytest.approx(180 / 450)
    assert out.set_index("race").loc[OVERALL_LABEL, "abs_diff"] == 0.0


def test_reference_mean_is_unweighted_mean_of_group_rates(three):
    out = gaps(three, reference="mean")
    assert out["reference_rate"].iloc[0] == pytest.approx((0.30 + 0.40 + 0.45) / 3)
    assert out["reference_group"].iloc[0] == "mean of groups"
    row = out.iloc[0]
    assert row["abs_diff_ci_low"] < row["abs_diff"] < row["abs_diff_ci_high"]


def test_reference_named_group_and_keywords_are_case_insensitive(three):
    out = gaps(three, reference="B")
    assert out["reference_rate"].iloc[0] == pytest.approx(0.4)
    pd.testing.assert_frame_equal(gaps(three, reference="Overall"), gaps(three, reference="overall"))


def test_gap_columns_and_attrs_echo_the_choice(three):
    out = gaps(three, reference="best", level=0.9)
    assert list(out.columns[-8:]) == [
        "reference_group",
        "reference_rate",
        "abs_diff",
        "abs_diff_ci_low",
        "abs_diff_ci_high",
        "rel_ratio",
        "rel_ratio_ci_low",
        "rel_ratio_ci_high",
    ]
    assert out.attrs["gaps"]["reference"] == "best"
    assert out.attrs["gaps"]["level"] == 0.9


def test_suppressed_groups_get_no_gap_and_cannot_be_best():
    counts = pd.DataFrame({"race": ["A", "B", "C"], "e": [40, 9, 50], "n": [100, 9, 120]})
    rates = stratified_rates(counts, "e", "race", denominator="n")
    out = gaps(rates).set_index("race")
    assert out.loc["B", "suppressed"]
    assert np.isnan(out.loc["B", "abs_diff"])
    assert out.loc["A", "reference_group"] != "B"


def test_gaps_within_each_value_of_another_by_column():
    counts = pd.DataFrame(
        {
            "race": ["A", "B", "A", "B"],
            "lang": ["en", "en", "es", "es"],
            "e": [50, 40, 20, 30],
            "n": [100, 100, 100, 100],
        }
    )
    rates = stratified_rates(counts, "e", ["race", "lang"], denominator="n", min_cell=0)
    out = gaps(rates, group="race")
    by_lang = out.groupby("lang")["reference_group"].first().to_dict()
    assert by_lang == {"en": "A", "es": "B"}
    assert out["abs_diff"].tolist() == pytest.approx([0.0, -0.1, -0.1, 0.0])


# ----------------------------------------------------------------------------------------------
# summary measures, worked by hand
# ----------------------------------------------------------------------------------------------


@pytest.fixture
def ab() -> pd.DataFrame:
    """A: 20/100 = 0.2, B: 120/300 = 0.4; population rate 140/400 = 0.35, shares 0.25/0.75."""
    counts = pd.DataFrame({"race": ["A", "B"], "e": [20, 120], "n": [100, 300]})
    return stratified_rates(counts, "e", "race", denominator="n", min_cell=0)


def test_summary_unweighted_by_hand(ab):
    s = summary(ab, reference="best", weighted=False)  # the explicit, documented alternative
    assert s["weighted"] is False
    # ID = mean(|0.2 - 0.4|, |0.4 - 0.4|) / 0.4 = 0.1 / 0.4
    assert s["index_of_disparity"] == pytest.approx(0.25)
    # weighted ID = (0.25 * 0.2 + 0.75 * 0) / 0.4
    assert s["weighted_index_of_disparity"] == pytest.approx(0.125)
    # unweighted mean m = 0.3; BGV = 0.5 * 0.1^2 + 0.5 * 0.1^2
    assert s["between_group_variance"] == pytest.approx(0.01)
    # Theil = 0.5 (2/3) ln(2/3) + 0.5 (4/3) ln(4/3) = -0.135155 + 0.191788
    assert s["theil_index"] == pytest.approx(0.0566330, abs=1e-7)
    # MLD = 0.5 ln(0.3/0.2) + 0.5 ln(0.3/0.4) = 0.202733 - 0.143841
    assert s["mean_log_deviation"] == pytest.approx(0.0588915, abs=1e-7)
    # Gini = (2 * 0.5 * 0.5 * 0.2) / (2 * 0.3)
    assert s["gini"] == pytest.approx(1 / 6)
    # PAR = 0.4 - 0.35; PAF = 0.05 / 0.35
    assert s["population_attributable_risk"] == pytest.approx(0.05)
    assert s["population_attributable_fraction"] == pytest.approx(1 / 7)


def test_summary_population_weighted_by_hand(ab):
    """The default weights by group size, as the published methods do.

    Harper & Lynch (2005, NCI monograph 6) and HD*Calc define BGV = sum p_j (r_j - mu)^2,
    T = sum p_j (r_j/mu) ln(r_j/mu), MLD = sum p_j ln(mu/r_j) and
    G = sum_i sum_j p_i p_j |r_i - r_j| / (2 mu), with p_j the population share; WHO's Handbook
    on health inequality monitoring (2013) and Schlotheuber & Hosseinpoor (2022) use the same
    population-share weights. The values below are worked by hand from those formulas.
    """
    s = summary(ab, reference="best")  # the default
    assert s["weighted"] is True
    pd.testing.assert_series_equal(s, summary(ab, reference="best", weighted=True))
    # m = 0.25 * 0.2 + 0.75 * 0.4 = 0.35; BGV = 0.25 * 0.15^2 + 0.75 * 0.05^2
    assert s["between_group_variance"] == pytest.approx(0.0075)
    # Theil = 0.25 (4/7) ln(4/7) + 0.75 (8/7) ln(8/7) = -0.079945 + 0.114455
    assert s["theil_index"] == pytest.approx(0.0345104, abs=1e-7)
    # MLD = 0.25 ln(0.35/0.2) + 0.75 ln(0.35/0.4) = 0.139904 - 0.100149
    assert s["mean_log_deviation"] == pytest.approx(0.0397554, abs=1e-7)
    # Gini = 2 * 0.25 * 0.75 * 0.2 / (2 * 0.35)
    assert s["gini"] == pytest.approx(0.075 / 0.7)
    # the index of disparity is unweighted whatever `weighted` says
    assert s["index_of_disparity"] == pytest.approx(0.25)
    assert s["weighted_index_of_disparity"] == pytest.approx(0.125)


def test_weighted_measures_are_the_between_group_part_of_the_individual_distribution(ab):
    """Population weights make each measure that of the 400 people, each given their group's rate.

    A check from the definitions, independent of the implementation: 100 people at 0.2 and 300
    at 0.4. numpy computes the variance, Theil, MLD and Gini of that vector directly.
    """
    people = np.repeat([0.2, 0.4], [100, 300])
    mu = people.mean()
    s = summary(ab)
    assert s["between_group_variance"] == pytest.approx(np.var(people))
    assert s["theil_index"] == pytest.approx(np.mean(people / mu * np.log(people / mu)))
    assert s["mean_log_deviation"] == pytest.approx(np.mean(np.log(mu / people)))
    gini = np.abs(people[:, None] - people[None, :]).mean() / (2 * mu)
    assert s["gini"] == pytest.approx(gini)
    unweighted = summary(ab, weighted=False)
    assert unweighted["between_group_variance"] != pytest.approx(np.var(people))


def test_reference_mean_is_the_unweighted_mean_whatever_weighted_says(ab):
    for weighted in (True, False):
        s = summary(ab, reference="mean", weighted=weighted)
        assert s["reference_rate"] == pytest.approx(0.30)  # (0.2 + 0.4) / 2, as gaps(reference="mean")
    assert gaps(ab, reference="mean")["reference_rate"].iloc[0] == pytest.approx(0.30)


@pytest.mark.parametrize(
    ("reference", "ref_rate", "id_value", "par"),
    [
        ("overall", 0.35, (0.15 + 0.05) / 2 / 0.35, 0.0),
        ("mean", 0.30, (0.1 + 0.1) / 2 / 0.30, 0.30 - 0.35),
        ("A", 0.20, (0.0 + 0.2) / 2 / 0.20, 0.20 - 0.35),
    ],
)
def test_summary_reference_choices_by_hand(ab, reference, ref_rate, id_value, par):
    s = summary(ab, reference=reference)
    assert s["reference"] == reference
    assert s["reference_rate"] == pytest.approx(ref_rate)
    assert s["index_of_disparity"] == pytest.approx(id_value)
    assert s["population_attributable_risk"] == pytest.approx(par)


def test_summary_when_lower_is_better(ab):
    s = summary(ab, higher_is_better=False)
    # best = A (0.2); PAR = 0.35 - 0.2 (excess events per person); PAF = 0.15 / 0.35
    assert s["reference_group"] == "A"
    assert s["population_attributable_risk"] == pytest.approx(0.15)
    assert s["population_attributable_fraction"] == pytest.approx(0.15 / 0.35)


def test_summary_echoes_choices_and_lists_required_measures(ab):
    s = summary(ab, reference="best", weighted=True)
    assert isinstance(s, pd.Series)
    for name in (
        "index_of_disparity",
        "weighted_index_of_disparity",
        "between_group_variance",
        "theil_index",
        "mean_log_deviation",
        "gini",
        "population_attributable_risk",
        "population_attributable_fraction",
    ):
        assert name in s.index
    assert s["reference"] == "best" and s["reference_group"] == "B"
    assert s["weighted"] is True
    assert s["n_groups"] == 2 and s["n_suppressed"] == 0


def test_summary_leaves_out_suppressed_groups_and_counts_them():
    counts = pd.DataFrame({"race": ["A", "B", "C", "D"], "e": [20, 120, 3, 4], "n": [100, 300, 9, 20]})
    s = summary(stratified_rates(counts, "e", "race", denominator="n"))
    assert s["n_groups"] == 2 and s["n_suppressed"] == 2
    assert s["index_of_disparity"] == pytest.approx(0.25)


def test_summary_population_rate_from_overall_row_or_noted_when_pooled():
    # C (3/9) is too small; A, the smallest other group, is hidden with it (complementary).
    counts = pd.DataFrame({"race": ["A", "B", "C", "D"], "e": [20, 120, 3, 60], "n": [100, 300, 9, 150]})
    with_total = summary(stratified_rates(counts, "e", "race", denominator="n", overall=True))
    assert with_total["n_suppressed"] == 2
    assert with_total["population_rate"] == pytest.approx(203 / 559)  # everyone, A and C included
    assert with_total["notes"] == ""
    pooled = summary(stratified_rates(counts, "e", "race", denominator="n"))
    assert pooled["population_rate"] == pytest.approx(180 / 450)  # the shown groups only
    assert "pools the 2 shown groups" in pooled["notes"]


def test_summary_notes_when_a_group_has_rate_zero():
    counts = pd.DataFrame({"race": ["A", "B"], "e": [0, 30], "n": [100, 100]})
    s = summary(stratified_rates(counts, "e", "race", denominator="n", min_cell=0))
    assert np.isnan(s["mean_log_deviation"])
    assert "mean_log_deviation" in s["notes"]
    assert s["theil_index"] == pytest.approx(0.5 * 2 * math.log(2))  # 0 ln 0 counts as 0


# ----------------------------------------------------------------------------------------------
# slope and relative indices of inequality
# ----------------------------------------------------------------------------------------------


@pytest.fixture
def ordered_rates() -> pd.DataFrame:
    counts = pd.DataFrame(
        {
            "income": pd.Categorical(["high", "low", "mid"], categories=["low", "mid", "high"], ordered=True),
            "e": [200, 20, 60],
            "n": [500, 200, 300],
        }
    )
    return stratified_rates(counts, "e", "income", denominator="n", min_cell=0)


def test_sii_rii_by_hand(ordered_rates):
    # Shares 0.2, 0.3, 0.5 (low, mid, high); rates 0.1, 0.2, 0.4; ridits 0.1, 0.35, 0.75.
    # Weighted means: x = 0.5, r = 0.28. Sxy = 0.2(-0.4)(-0.18) + 0.3(-0.15)(-0.08)
    # + 0.5(0.25)(0.12) = 0.033; Sxx = 0.2(0.16) + 0.3(0.0225) + 0.5(0.0625) = 0.07.
    out = inequality_indices(ordered_rates)
    assert out["slope_index_of_inequality"] == pytest.approx(0.033 / 0.07)
    assert out["relative_index_of_inequality"] == pytest.approx(0.033 / 0.07 / 0.28)
    assert out["order"] == ["low", "mid", "high"]
    assert "ridit" in out["variant"]


def test_sii_agrees_with_numpy_weighted_polyfit(ordered_rates):
    share = np.array([0.2, 0.3, 0.5])
    ridit = np.cumsum(share) - share / 2
    slope = np.polyfit(ridit, [0.1, 0.2, 0.4], 1, w=np.sqrt(share))[0]
    s = summary(ordered_rates, ordered=True)
    assert s["slope_index_of_inequality"] == pytest.approx(slope)


def test_sii_two_equal_groups_is_the_rate_difference_over_half():
    counts = pd.DataFrame({"income": ["1 low", "2 high"], "e": [20, 40], "n": [100, 100]})
    out = inequality_indices(stratified_rates(counts, "e", "income", denominator="n", min_cell=0))
    # ridits 0.25 and 0.75: slope = (0.4 - 0.2) / 0.5
    assert out["slope_index_of_inequality"] == pytest.approx(0.4)
    assert out["relative_index_of_inequality"] == pytest.approx(0.4 / 0.3)
