"""helpers.runcharts: every rule against worked examples with a named source.

Sources used below
------------------
* Perla RJ, Provost LP, Murray SK (2011). The run chart: a simple analytical tool for learning
  from variation in healthcare processes. BMJ Qual Saf 20:46-51 -- the four IHI rules and
  Table 1 (runs limits).
* Swed FS, Eisenhart C (1943). Tables for testing randomness of grouping in a sequence of
  alternatives. Ann Math Stat 14:66-87 -- the exact distribution of the number of runs and its
  5% critical values (also printed in Siegel 1956, Nonparametric Statistics, Table F).
* Anhøj J, Olesen AV (2014). Run charts revisited. PLoS ONE 9(11):e113825, and the qicharts2
  documentation -- longest run > round(log2(n) + 3), crossings < qbinom(0.05, n - 1, 0.5).
* Montgomery DC. Introduction to Statistical Quality Control (6th ed. 2009 onwards): Example 6.5
  (I-chart, mortgage-loan costs), Example 7.1 (p-chart, orange-juice cans), Example 7.x
  (u-chart, nonconformities in personal computers).
* Laney DB (2002). Improved control charts for attributes. Quality Engineering 14(4):531-537.
* Newcombe RG (1998). Interval estimation for the difference between independent proportions.
  Stat Med 17:873-890, Table II (method 10).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import runcharts as rc

# ----------------------------------------------------------------------------------------------
# helpers for building series with a known median
# ----------------------------------------------------------------------------------------------


ROOT = Path(__file__).resolve().parents[1]


def from_pattern(pattern: str, *, center: float = 10.0) -> list[float]:
    """'+' above the median, '-' below, '0' on it. Equal + and - counts keep the median at 10."""
    assert pattern.count("+") == pattern.count("-"), "pattern must balance to fix the median"
    step = {"+": 1.0, "-": -1.0, "0": 0.0}
    return [center + step[c] for c in pattern]


# ----------------------------------------------------------------------------------------------
# IHI rule 1: shift (Perla et al. 2011: 6 or more consecutive points on one side of the median;
# points on the median neither add to nor break a shift)
# ----------------------------------------------------------------------------------------------


def test_five_points_below_the_median_are_not_a_shift() -> None:
    values = from_pattern("+-+-+" + "-----" + "+-+-+" + "+++")
    r = rc.run_chart_signals(values)
    assert r.center == 10.0
    assert r.longest_run == 5
    assert r.longest_run_limit == 5
    assert r.shift is False
    assert r.shift_points == ()


def test_six_points_below_the_median_are_a_shift() -> None:
    values = from_pattern("+-+-+" + "------" + "+-+-+" + "++++")
    r = rc.run_chart_signals(values)
    assert r.longest_run == 6
    assert r.shift is True
    assert r.signal is True
    assert r.shift_points == (5, 6, 7, 8, 9, 10)
    assert r.shifts == ((5, 10, "below"),)


def test_a_point_on_the_median_does_not_break_a_shift() -> None:
    values = from_pattern("+-+-+" + "---0---" + "+-+-+" + "++++")
    r = rc.run_chart_signals(values)
    assert r.center == 10.0
    assert r.longest_run == 6
    assert r.shift is True
    assert 8 not in r.shift_points  # the point on the median is skipped, not counted
    assert r.shift_points == (5, 6, 7, 9, 10, 11)


def test_a_point_on_the_median_does_not_make_a_shift() -> None:
    values = from_pattern("+-+-+" + "--0---" + "+-+-+" + "+++")
    r = rc.run_chart_signals(values)
    assert r.longest_run == 5
    assert r.shift is False


def test_a_run_above_the_median_is_reported_as_above() -> None:
    values = from_pattern("-+-+--" + "++++++++" + "-+-+" + "------")
    r = rc.run_chart_signals(values)
    assert r.shifts == ((6, 13, "above"), (18, 23, "below"))
    text = r.describe()
    assert "a shift of 8 points above the median (points 7–14)" in text
    assert "a shift of 6 points below the median (points 19–24)" in text


# ----------------------------------------------------------------------------------------------
# IHI rule 2: trend (5 or more consecutive points all going up or all going down; like values
# are ignored: they neither make nor break a trend)
# ----------------------------------------------------------------------------------------------


def test_five_points_going_up_are_a_trend_four_are_not() -> None:
    trend = rc.run_chart_signals([5, 3, 1, 2, 3, 4, 5, 2, 4, 3])
    assert trend.trend is True
    assert trend.trend_points == (2, 3, 4, 5, 6)
    short = rc.run_chart_signals([5, 3, 1, 2, 3, 4, 2, 4, 3, 5])
    assert short.trend is False
    assert short.trend_points == ()


def test_five_points_going_down_are_a_trend() -> None:
    r = rc.run_chart_signals([1, 9, 8, 7, 6, 5, 7, 6, 8])
    assert r.trend is True
    assert r.trend_points == (1, 2, 3, 4, 5)


def test_ties_do_not_break_a_trend() -> None:
    # 1 2 3 3 4 5: five distinct rising values with a repeat in the middle -> still a trend
    r = rc.run_chart_signals([6, 1, 2, 3, 3, 4, 5, 2, 6, 4])
    assert r.trend is True
    assert r.trend_points == (1, 2, 3, 4, 5, 6)  # the tied point is part of the span


def test_ties_do_not_extend_a_trend() -> None:
    # 1 2 2 3 4: only four distinct rising values -> not a trend, although five points
    r = rc.run_chart_signals([6, 1, 2, 2, 3, 4, 1, 5, 3, 6])
    assert r.trend is False


def test_the_trend_rule_ignores_the_median() -> None:
    # the rising points straddle the median; the trend rule does not care
    r = rc.run_chart_signals([9, 10, 11, 12, 13, 11, 9, 12, 10, 13])
    assert r.trend is True


# ----------------------------------------------------------------------------------------------
# IHI rule 3: number of runs (Perla et al. 2011, Table 1; limits derived from Swed & Eisenhart)
# ----------------------------------------------------------------------------------------------


def test_runs_table_matches_perla_table_1_at_ten_points() -> None:
    # Perla, Provost & Murray 2011, Table 1: 10 useful points -> fewer than 3 runs is too few,
    # more than 9 is too many. Both the printed table and the exact test give it.
    assert rc.runs_limits(10) == (3, 9)
    assert rc.runs_limits(10, table="exact") == (3, 9)


SHARED_REFERENCE = ROOT.parent / "shared" / "reference" / "perla2011-runs-table.csv"


def _printed_table() -> pd.DataFrame:
    """Perla, Provost & Murray (2011) BMJ Qual Saf 20:46-51, Table 1, as transcribed in shared/reference
    (checked digit by digit against the journal's table; see shared/reference/README.md)."""
    if not SHARED_REFERENCE.is_file():
        pytest.skip(f"the project's reference copy of Perla et al.'s Table 1 is not at {SHARED_REFERENCE}")
    return pd.read_csv(SHARED_REFERENCE)


def test_ihi_runs_limits_are_perla_table_1_as_printed_for_every_length() -> None:
    printed = _printed_table()
    assert printed["useful_points"].tolist() == list(range(10, 61))
    for row in printed.itertuples():
        assert rc.runs_limits(row.useful_points) == (row.too_few_if_fewer_than, row.too_many_if_more_than)
    table = rc.runs_table()
    assert table[["n_useful", "lower", "upper"]].to_numpy().tolist() == printed.to_numpy().tolist()
    assert set(table["source"]) == {"Perla et al. 2011, Table 1"}


@pytest.mark.parametrize(
    ("n_useful", "printed"),
    [
        (20, (6, 16)),  # Perla et al. 2011, Table 1 (the exact 2.5%-per-tail test gives 7-15)
        (11, (3, 10)),  # printed; exact gives 4-9
        (56, (22, 35)),  # printed as is, though 35 breaks the symmetry of the even rows
        (59, (24, 38)),  # printed; exact gives 23-38
    ],
)
def test_printed_rows_that_differ_from_the_exact_test_are_kept_as_printed(n_useful, printed) -> None:
    assert rc.runs_limits(n_useful) == printed
    assert rc.runs_limits(n_useful, table="exact") != printed


def test_printed_and_exact_tables_agree_at_33_of_51_lengths() -> None:
    # shared/reference/README.md: "An exact test with at most 2.5% per tail agrees with the printed
    # table at 33 of the 51 lengths."
    printed = rc.runs_table(10, 60)
    exact = rc.runs_table(10, 60, table="exact")
    same = (printed[["lower", "upper"]] == exact[["lower", "upper"]]).all(axis=1)
    assert int(same.sum()) == 33


def test_beyond_sixty_points_the_ihi_rule_uses_the_exact_test_and_says_so() -> None:
    assert rc.runs_limits(61) == rc.runs_limits(61, table="exact")
    assert rc.runs_table(60, 61)["source"].tolist() == ["Perla et al. 2011, Table 1", "exact test"]
    values = from_pattern("+-" * 31)  # 62 useful points, alternating: far too many runs
    signals = rc.run_chart_signals(values)
    assert signals.runs_range == rc.runs_limits(62, table="exact")
    assert signals.runs_signal is True
    assert any("beyond Perla et al.'s table" in note for note in signals.notes)


def test_rule_sets_ihi_and_ihi_exact_differ_only_in_the_runs_limits() -> None:
    # 20 useful points with 6 runs: too few for the exact test (P = 0.019), not for the printed table.
    values = from_pattern("++++" + "----" + "++++" + "---" + "++" + "---")
    printed = rc.run_chart_signals(values)
    exact = rc.run_chart_signals(values, rules="ihi-exact")
    assert (printed.n_useful, printed.runs) == (20, 6)
    assert printed.runs_range == (6, 16) and printed.runs_signal is False
    assert exact.runs_range == (7, 15) and exact.runs_signal is True
    assert (printed.shift, printed.trend) == (exact.shift, exact.trend)


@pytest.mark.parametrize(
    ("half", "critical_low", "critical_high"),
    [
        (5, 2, 10),  # Swed & Eisenhart (1943); Siegel (1956) Table F: n1 = n2 = 5
        (10, 6, 16),  # n1 = n2 = 10
        (12, 7, 19),  # n1 = n2 = 12
        (15, 10, 22),  # n1 = n2 = 15
        (20, 14, 28),  # n1 = n2 = 20
    ],
)
def test_runs_limits_reproduce_swed_eisenhart_critical_values(half, critical_low, critical_high) -> None:
    # The published critical values reject when runs <= low or runs >= high (5%, two-sided).
    # The IHI wording is "fewer than lower" / "more than upper", so lower = low + 1, upper = high - 1.
    assert rc.runs_limits(2 * half, table="exact") == (critical_low + 1, critical_high - 1)


def test_runs_table_is_at_the_five_percent_level_and_as_wide_as_it_needs_to_be() -> None:
    table = rc.runs_table(10, 60, table="exact")
    assert table["n_useful"].tolist() == list(range(10, 61))
    assert (table["p_too_few"] <= 0.025 + 1e-12).all()
    assert (table["p_too_many"] <= 0.025 + 1e-12).all()
    for row in table.itertuples():
        pmf = rc._runs_pmf(row.n_useful // 2, row.n_useful - row.n_useful // 2)
        # one more run in either critical region would push that tail above 2.5%
        assert pmf[: row.lower + 1].sum() > 0.025
        assert pmf[row.upper :].sum() > 0.025
    # limits never shrink as the series grows
    assert table["lower"].is_monotonic_increasing
    assert table["upper"].is_monotonic_increasing


def test_runs_distribution_is_exact() -> None:
    # n1 = n2 = 2: arrangements ++--, +-+-, +--+, -++-, -+-+, --++ -> runs 2, 4, 3, 3, 4, 2
    pmf = rc._runs_pmf(2, 2)
    assert pmf[2] == pytest.approx(2 / 6)
    assert pmf[3] == pytest.approx(2 / 6)
    assert pmf[4] == pytest.approx(2 / 6)
    assert rc._runs_pmf(7, 9).sum() == pytest.approx(1.0)


def test_too_few_runs() -> None:
    values = from_pattern("+++++" + "-----" + "+++" + "---")  # 4 runs in 16 points; limits 5-13
    r = rc.run_chart_signals(values)
    assert (r.runs, r.crossings, r.runs_range) == (4, 3, (5, 13))
    assert r.crossings_limit == 4
    assert r.runs_signal is True
    assert r.runs_points == tuple(range(16))
    assert "too few runs (4; expected 5–13)" in r.describe()


def test_too_many_runs() -> None:
    values = from_pattern("+-" * 8)  # 16 runs in 16 points
    r = rc.run_chart_signals(values)
    assert r.runs == 16
    assert r.runs_signal is True
    assert "too many runs (16; expected 5–13)" in r.describe()


def test_runs_within_the_range_are_not_a_signal() -> None:
    values = from_pattern("+--++-+---++-+-+")
    r = rc.run_chart_signals(values)
    assert r.runs_range == (5, 13)
    assert 5 <= r.runs <= 13
    assert r.runs_signal is False
    assert r.signal is False
    assert r.describe() == "No signal (IHI run-chart rules): the variation looks random."


def test_runs_test_needs_ten_useful_points() -> None:
    values = from_pattern("+-+-0000+-")  # 10 points, 6 useful
    r = rc.run_chart_signals(values)
    assert r.n_useful == 6
    assert r.runs == 6
    assert r.runs_signal is None
    assert r.runs_range is None
    assert r.signal is None  # no rule fired, but not every rule could be applied
    assert any("runs test" in n and "at least 10" in n for n in r.notes)
    assert "No signal found, but not enough data for the runs test" in r.describe()


def test_fewer_than_ten_points_still_shows_a_shift() -> None:
    r = rc.run_chart_signals([1, 1, 1, 1, 1, 1, 5, 5, 5])  # median 1: six on it, three above
    assert r.center == 1.0
    assert r.n_useful == 3
    assert r.shift is None  # fewer than 6 useful points: the shift rule cannot be applied
    assert r.signal is None


def test_all_points_on_the_median() -> None:
    r = rc.run_chart_signals([4.0] * 12)
    assert r.n_useful == 0
    assert (r.shift, r.runs_signal, r.signal) == (None, None, None)
    assert r.trend is False  # twelve equal values have no trend
    assert r.longest_run is None and r.runs is None
    assert r.describe() == "Not enough data (IHI run-chart rules): all 12 points are on the median."


def test_floating_point_noise_counts_as_on_the_median() -> None:
    values = [0.1, 0.2, 0.3, 0.4, 0.5, 0.7, 0.2 + 0.1]  # 0.2 + 0.1 == 0.30000000000000004
    r = rc.run_chart_signals(values)
    assert r.center == pytest.approx(0.3)
    assert r.n_useful == 5


# ----------------------------------------------------------------------------------------------
# Baseline median, astronomical points, missing='drop'
# ----------------------------------------------------------------------------------------------


def test_frozen_baseline_median_is_extended() -> None:
    values = [48, 52, 47, 53, 49, 51, 50, 54, 56, 55, 57, 58]
    assert rc.run_chart_signals(values).shift is False
    r = rc.run_chart_signals(values, baseline=7)
    assert r.center == 50.0
    assert r.baseline == 7
    assert r.center_kind == "baseline median"
    assert r.shift_points == (5, 7, 8, 9, 10, 11)
    assert "above the baseline median" in r.describe()
    assert any("only 7 points" in n for n in r.notes)


def test_astronomical_points_are_a_judgement_aid_not_a_signal() -> None:
    values = [50, 52, 49, 51, 50, 53, 48, 51, 95, 50, 49, 52]
    plain = rc.run_chart_signals(values)
    assert plain.astronomical_points == ()
    r = rc.run_chart_signals(values, astronomical=True)
    assert r.astronomical_points == (8,)
    assert r.signal is plain.signal  # the screen does not change the probability-based verdict
    assert "possible astronomical point(s) at 9" in r.describe()


def test_missing_drop_keeps_original_positions() -> None:
    values = [1.0, 2.0, np.nan, 3.0, 4.0, 5.0, 6.0, 2.0, 1.0, 3.0, 2.0]
    r = rc.run_chart_signals(values, missing="drop")
    assert r.n == 10
    assert r.trend_points == (0, 1, 3, 4, 5, 6)  # position 2 was dropped, the rest keep theirs
    assert any("left out on request" in n for n in r.notes)


def test_decimal_and_numpy_values_are_numbers() -> None:
    from decimal import Decimal

    values = [Decimal("0.41"), np.float32(0.42), np.int64(1) / 2, 0.40, 0.43, 0.39, 0.44, 0.41]
    assert rc.run_chart_signals(values).n == 8


def test_series_input_and_list_input_agree() -> None:
    values = [48, 52, 47, 53, 49, 51, 50, 54, 56, 55, 57, 58]
    s = pd.Series(values, index=pd.date_range("2024-01-01", periods=12, freq="MS"), dtype="Int64")
    assert rc.run_chart_signals(s).to_dict() == rc.run_chart_signals(values).to_dict()


# ----------------------------------------------------------------------------------------------
# Anhøj rules (Anhøj & Olesen 2014; qicharts2): strictly longer / strictly fewer
# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "longest", "crossings"),
    [
        (10, 6, 2),
        (11, 6, 2),
        (12, 7, 3),
        (20, 7, 6),
        (24, 8, 8),  # qicharts2 vignette: 24 points -> longest run > 8 or crossings < 8
        (30, 8, 10),
        (46, 9, 17),
        (60, 9, 23),
        (100, 10, 41),
    ],
)
def test_anhoej_limits(n, longest, crossings) -> None:
    assert rc.anhoej_limits(n) == (longest, crossings)
    assert longest == round(math.log2(n) + 3)


def from_runs(lengths: list[int], *, first: str = "+") -> list[float]:
    """Build a balanced series from alternating run lengths (11 above, 9 below: median 10)."""
    signs, side = "", first
    for k in lengths:
        signs += side * k
        side = "-" if side == "+" else "+"
    return from_pattern(signs)


def test_anhoej_run_equal_to_the_limit_is_not_a_signal() -> None:
    # 24 useful points: limits longest run 8, crossings 8 (qicharts2 vignette)
    r = rc.run_chart_signals(from_runs([8, 2, 1, 2, 1, 2, 1, 2, 1, 4]), "anhoej")
    assert (r.n_useful, r.longest_run, r.longest_run_limit) == (24, 8, 8)
    assert (r.crossings, r.crossings_limit) == (9, 8)
    assert r.shift is False and r.runs_signal is False and r.signal is False
    assert r.trend is None  # not part of the Anhøj rules


def test_anhoej_run_one_longer_than_the_limit_is_a_signal() -> None:
    r = rc.run_chart_signals(from_runs([3, 9, 3, 1, 3, 1, 2, 1, 1], first="-"), "anhoej")
    assert (r.n_useful, r.longest_run, r.crossings) == (24, 9, 8)
    assert r.shift is True
    assert r.runs_signal is False  # 8 crossings: equal to the limit, not fewer
    assert r.shift_points == tuple(range(3, 12))
    assert r.shifts == ((3, 11, "above"),)


def test_anhoej_crossings_equal_to_the_limit_is_not_a_signal_one_fewer_is() -> None:
    at_limit = rc.run_chart_signals(from_runs([3, 3, 3, 3, 2, 3, 2, 3, 2]), "anhoej")
    assert (at_limit.crossings, at_limit.crossings_limit, at_limit.runs_signal) == (8, 8, False)
    fewer = rc.run_chart_signals(from_runs([3, 3, 3, 3, 3, 3, 3, 3]), "anhoej")
    assert (fewer.crossings, fewer.runs_signal, fewer.shift, fewer.signal) == (7, True, False, True)
    assert fewer.runs_range == (9, 24)
    assert "too few crossings (7; fewest expected 8)" in fewer.describe()


def test_anhoej_needs_ten_useful_points() -> None:
    r = rc.run_chart_signals([1, 2, 3, 4, 5, 6, 7, 8, 9], "anhoej")
    assert (r.shift, r.runs_signal, r.signal) == (None, None, None)


# ----------------------------------------------------------------------------------------------
# Stratified use: the same rules per group, and a gap series
# ----------------------------------------------------------------------------------------------


def test_signals_by_group() -> None:
    shift = [48, 52, 47, 53, 49, 51, 40, 39, 41, 38, 42, 37]
    random = [50, 52, 53, 49, 48, 51, 50, 47, 52, 53, 49, 48]
    short = [50, 52, 49]
    df = pd.DataFrame(
        {
            "month": list(range(12)) * 2 + [0, 1, 2],
            "race": ["Black"] * 12 + ["White"] * 12 + ["Asian"] * 3,
            "rate": shift + random + short,
        }
    ).sample(frac=1.0, random_state=1)  # shuffled: time= restores the order
    out = rc.run_chart_signals_by_group(df, "rate", "race", time="month")
    out = out.set_index("race")
    assert out.loc["Black", "shift"] == True  # noqa: E712 (nullable boolean)
    assert out.loc["White", "signal"] == False  # noqa: E712
    assert pd.isna(out.loc["Asian", "signal"])  # explicit "not enough data", not False
    assert str(out["signal"].dtype) == "boolean"
    assert str(out["runs_low"].dtype) == "Int64"
    assert "a shift of 6 points below the median (points 7–12)" in out.loc["Black", "description"]
    one = rc.run_chart_signals(shift)
    assert out.loc["Black", "center"] == one.center
    assert out.loc["Black", "shift_points"] == one.shift_points


def test_signals_by_group_with_several_group_columns() -> None:
    df = pd.DataFrame(
        {
            "race": ["A"] * 10 + ["A"] * 10,
            "language": ["English"] * 10 + ["Spanish"] * 10,
            "rate": list(range(10)) + [5] * 10,
        }
    )
    out = rc.run_chart_signals_by_group(df, "rate", ["race", "language"])
    assert out[["race", "language"]].to_numpy().tolist() == [["A", "English"], ["A", "Spanish"]]
    assert out["trend"].tolist() == [True, False]


NEWCOMBE_TABLE_II = [
    # (x1, n1, x2, n2, low, high): Newcombe 1998, Table II, method 10 (hybrid score)
    (56, 70, 48, 80, 0.0524, 0.3339),
    (9, 10, 3, 10, 0.1705, 0.8090),
    (6, 7, 2, 7, 0.0582, 0.8062),
    (5, 56, 0, 29, -0.0381, 0.1926),
]


@pytest.mark.parametrize(("x1", "n1", "x2", "n2", "low", "high"), NEWCOMBE_TABLE_II)
def test_gap_interval_reproduces_newcombe_1998(x1, n1, x2, n2, low, high) -> None:
    df = pd.DataFrame({"t": [1, 1], "g": ["focus", "ref"], "numerator": [x1, x2], "denominator": [n1, n2]})
    out = rc.gap_series(df, group="g", time="t", focus="focus", reference="ref")
    assert out.loc[0, "abs_diff"] == pytest.approx(x1 / n1 - x2 / n2)
    assert out.loc[0, "abs_diff_ci_low"] == pytest.approx(low, abs=5e-5)
    assert out.loc[0, "abs_diff_ci_high"] == pytest.approx(high, abs=5e-5)


def test_gap_series_sums_within_time_and_group_and_can_be_run_charted() -> None:
    rows = []
    for month in range(1, 13):
        for clinic in ("North", "South"):
            black = 40 if month <= 6 else 52
            rows.append(
                {"month": month, "clinic": clinic, "race": "Black", "numerator": black, "denominator": 100}
            )
            rows.append(
                {"month": month, "clinic": clinic, "race": "White", "numerator": 55, "denominator": 100}
            )
            rows.append(
                {"month": month, "clinic": clinic, "race": "Asian", "numerator": 60, "denominator": 100}
            )
    df = pd.DataFrame(rows)
    gaps = rc.gap_series(df, group="race", time="month", focus="Black", reference="White")
    assert gaps["month"].tolist() == list(range(1, 13))
    assert gaps["denominator"].eq(200).all()  # North + South
    assert gaps.loc[0, "abs_diff"] == pytest.approx(-0.15)
    assert gaps.loc[11, "abs_diff"] == pytest.approx(-0.03)
    assert (gaps["abs_diff_ci_low"] < gaps["abs_diff"]).all()
    assert (gaps["abs_diff"] < gaps["abs_diff_ci_high"]).all()
    assert list(gaps.columns[-3:]) == ["abs_diff", "abs_diff_ci_low", "abs_diff_ci_high"]
    r = rc.run_chart_signals(gaps["abs_diff"], baseline=6)
    assert r.shift is True  # the gap narrowed after month 6


# ----------------------------------------------------------------------------------------------
# Control charts
# ----------------------------------------------------------------------------------------------

MONTGOMERY_LOAN_COSTS = [310, 288, 297, 298, 307, 303, 294, 297, 308, 306,
                         294, 299, 297, 299, 314, 295, 293, 306, 301, 304]  # fmt: skip


def test_i_chart_reproduces_montgomery_example() -> None:
    # Montgomery, Example 6.5: x-bar = 300.5, MR-bar = 7.79, UCL = 321.22, LCL = 279.78
    chart = rc.i_chart(MONTGOMERY_LOAN_COSTS)
    assert chart.center == pytest.approx(300.5)
    assert chart.data["ucl"].iloc[0] == pytest.approx(321.22, abs=0.005)
    assert chart.data["lcl"].iloc[0] == pytest.approx(279.78, abs=0.005)
    assert chart.outside == ()
    assert "1.128" in chart.sigma_constant


def test_i_chart_sigma_constant_changes_the_fourth_decimal() -> None:
    assert round(rc.E2_EXACT, 6) == 2.659574
    exact = rc.i_chart(MONTGOMERY_LOAN_COSTS).data["ucl"].iloc[0]
    rounded = rc.i_chart(MONTGOMERY_LOAN_COSTS, e2=rc.E2_ROUNDED).data["ucl"].iloc[0]
    assert round(exact, 4) == 321.2167
    assert round(rounded, 4) == 321.22
    assert "2.66" in rc.i_chart(MONTGOMERY_LOAN_COSTS, e2=rc.E2_ROUNDED).sigma_constant


def test_i_chart_moving_range_screening() -> None:
    base = [10, 11, 10, 12, 11, 10, 11, 12, 10, 11, 12, 11, 10, 11, 12, 10, 11, 10, 12, 11]
    values = [*base[:10], 20, *base[10:]]
    plain = rc.i_chart(values, screen_moving_ranges=False)
    screened = rc.i_chart(values)  # the default, as qicharts2
    mr = np.abs(np.diff(values))
    mr_bar = mr.mean()
    kept = mr[mr < rc.D4 * mr_bar].mean()
    assert plain.data["ucl"].iloc[0] == pytest.approx(np.mean(values) + rc.E2_EXACT * mr_bar)
    assert screened.data["ucl"].iloc[0] == pytest.approx(np.mean(values) + rc.E2_EXACT * kept)
    assert (mr > rc.D4 * mr_bar).sum() == 2  # the two ranges either side of the wild point
    assert screened.data["ucl"].iloc[0] < plain.data["ucl"].iloc[0]  # no longer inflated by it
    assert "screened" in screened.sigma_constant
    assert "screened" not in plain.sigma_constant


def test_i_chart_default_matches_qicharts2_by_hand() -> None:
    """qicharts2's ``qic.i`` (R/helper.functions.R): amr = mean(|diff(y)|); drop ranges with
    mr >= 3.267 * amr; amr again; limits cl ± 3 * amr / 1.128, cl = mean(y).

    By hand for 10, 12, 11, 13, 12, 11, 10, 30: moving ranges 2, 1, 2, 1, 1, 1, 20, amr = 28/7 = 4;
    20 >= 3.267 * 4 = 13.068 is dropped, so amr = 8/6; cl = 109/8 = 13.625; sigma = (4/3)/1.128 =
    1.1820; UCL = 13.625 + 3 * 1.1820 = 17.1711, LCL = 10.0789. Unscreened, UCL would be
    13.625 + 2.6596 * 4 = 24.2633: one wild point would hide the two low ones.
    """
    values = [10, 12, 11, 13, 12, 11, 10, 30]
    chart = rc.i_chart(values)
    assert chart.center == pytest.approx(13.625)
    assert chart.data["ucl"].iloc[0] == pytest.approx(17.171099, abs=1e-6)
    assert chart.data["lcl"].iloc[0] == pytest.approx(10.078901, abs=1e-6)
    assert chart.outside == (0, 6, 7)  # 30 above 17.17; both 10s below 10.08
    plain = rc.i_chart(values, screen_moving_ranges=False)
    assert plain.outside == (7,)
    assert plain.data["ucl"].iloc[0] == pytest.approx(13.625 + 3 / 1.128 * 4)


MONTGOMERY_OJ_CANS = [12, 15, 8, 10, 4, 7, 16, 9, 14, 10, 5, 6, 17, 12, 22,
                      8, 10, 5, 13, 11, 20, 18, 24, 15, 9, 12, 7, 13, 9, 6]  # fmt: skip


def test_p_chart_reproduces_montgomery_example_7_1() -> None:
    # 30 samples of n = 50 cans: p-bar = 0.2313, UCL = 0.4102, LCL = 0.0524; samples 15 and 23 above
    chart = rc.p_chart(MONTGOMERY_OJ_CANS, [50] * 30)
    assert chart.center == pytest.approx(0.2313, abs=5e-5)
    assert chart.data["ucl"].iloc[0] == pytest.approx(0.4102, abs=5e-5)
    assert chart.data["lcl"].iloc[0] == pytest.approx(0.0524, abs=5e-5)
    assert chart.outside == (14, 22)
    assert chart.data.loc[[14, 22], "outside"].all()
    assert chart.signal is True
    assert "points 15, 23" in chart.describe()


def test_p_chart_limits_follow_each_denominator() -> None:
    x = [20, 45, 30, 100]
    n = [50, 100, 80, 200]
    chart = rc.p_chart(x, n)
    p_bar = sum(x) / sum(n)
    for i, ni in enumerate(n):
        half = 3 * math.sqrt(p_bar * (1 - p_bar) / ni)
        assert chart.data["ucl"].iloc[i] == pytest.approx(p_bar + half)
        assert chart.data["lcl"].iloc[i] == pytest.approx(p_bar - half)
    width = chart.data["ucl"] - chart.data["lcl"]
    assert width.iloc[0] > width.iloc[2] > width.iloc[1] > width.iloc[3]


def test_p_chart_limits_are_clipped_to_zero_and_one() -> None:
    chart = rc.p_chart([1, 0, 2, 1], [10, 10, 10, 10])
    assert (chart.data["lcl"] >= 0).all()
    assert chart.data["lcl"].eq(0).all()
    chart = rc.p_chart([9, 10, 10, 9], [10, 10, 10, 10])
    assert chart.data["ucl"].eq(1).all()
    assert chart.outside == ()


MONTGOMERY_PC_NONCONFORMITIES = [10, 12, 8, 14, 10, 16, 11, 7, 10, 15,
                                 9, 5, 7, 11, 12, 6, 8, 10, 7, 5]  # fmt: skip


def test_u_chart_reproduces_montgomery_example() -> None:
    # 20 samples of 5 computers: u-bar = 1.93, UCL = 3.79, LCL = 0.07
    chart = rc.u_chart(MONTGOMERY_PC_NONCONFORMITIES, [5] * 20)
    assert chart.center == pytest.approx(1.93)
    assert chart.data["ucl"].iloc[0] == pytest.approx(3.79, abs=0.005)
    assert chart.data["lcl"].iloc[0] == pytest.approx(0.07, abs=0.005)
    assert chart.outside == ()


def test_u_chart_per_thousand_and_varying_exposure() -> None:
    counts = [3, 8, 2, 4]
    days = [1200, 1500, 900, 1100]
    chart = rc.u_chart(counts, days, per=1000)
    u_bar = sum(counts) / sum(days)
    assert chart.center == pytest.approx(u_bar * 1000)
    for i, a in enumerate(days):
        assert chart.data["ucl"].iloc[i] == pytest.approx(1000 * (u_bar + 3 * math.sqrt(u_bar / a)))
    assert chart.data["value"].tolist() == pytest.approx(
        [1000 * c / a for c, a in zip(counts, days, strict=True)]
    )
    assert chart.run_signals[0].center == pytest.approx(chart.center)


def test_laney_p_chart_follows_laney_2002() -> None:
    x = np.array([4150, 4520, 3980, 4460, 4100, 4480], dtype=float)
    n = np.array([10000, 10200, 9900, 10100, 9800, 10050], dtype=float)
    chart = rc.laney_p_chart(x, n)
    # by hand, Laney (2002): z_i = (p_i - p-bar) / sigma_i, sigma_z = MR-bar(z) / 1.128,
    # limits p-bar +/- 3 sigma_i sigma_z
    p = x / n
    p_bar = x.sum() / n.sum()
    sigma_i = np.sqrt(p_bar * (1 - p_bar) / n)
    z = (p - p_bar) / sigma_i
    sigma_z = np.abs(np.diff(z)).mean() / 1.128
    assert chart.sigma_z[0] == pytest.approx(sigma_z)
    assert chart.data["ucl"].to_numpy() == pytest.approx(p_bar + 3 * sigma_i * sigma_z)
    assert chart.data["lcl"].to_numpy() == pytest.approx(p_bar - 3 * sigma_i * sigma_z)
    # over-dispersion: the ordinary p-chart flags half the months, Laney's none
    assert rc.p_chart(x, n).outside == (1, 2, 5)
    assert chart.outside == ()
    assert chart.chart == "p'"


def test_laney_limits_are_the_p_chart_limits_scaled_by_sigma_z() -> None:
    x = [30, 45, 38, 52, 41, 36, 48]
    n = [100, 110, 95, 120, 105, 98, 115]
    laney = rc.laney_p_chart(x, n)
    plain = rc.p_chart(x, n)
    half_laney = laney.data["ucl"] - laney.data["center"]
    half_plain = plain.data["ucl"] - plain.data["center"]
    assert (half_laney / half_plain).to_numpy() == pytest.approx(laney.sigma_z[0])


def test_laney_u_chart() -> None:
    counts = np.array([30, 52, 41, 25, 60, 38], dtype=float)
    days = np.array([10000] * 6, dtype=float)
    chart = rc.laney_u_chart(counts, days, per=1000)
    u_bar = counts.sum() / days.sum()
    sigma_i = np.sqrt(u_bar / days)
    z = (counts / days - u_bar) / sigma_i
    sigma_z = np.abs(np.diff(z)).mean() / 1.128
    assert chart.sigma_z[0] == pytest.approx(sigma_z)
    assert chart.data["ucl"].to_numpy() == pytest.approx(1000 * (u_bar + 3 * sigma_i * sigma_z))


def test_limits_recalculated_after_a_documented_change() -> None:
    before = [40, 42, 38, 41, 39, 43, 40, 42, 41, 39, 40, 38]
    after = [52, 55, 50, 53, 54, 51, 55, 52, 53, 50, 54, 52]
    x = before + after
    chart = rc.p_chart(x, [100] * 24, change_points=[12])
    assert chart.periods == ((0, 12), (12, 24))
    assert chart.centers == pytest.approx((sum(before) / 1200, sum(after) / 1200))
    assert chart.data["period"].tolist() == [0] * 12 + [1] * 12
    assert chart.data["center"].iloc[0] != chart.data["center"].iloc[12]
    assert chart.outside == ()  # each period judged against its own limits
    one = rc.p_chart(x, [100] * 24)
    assert one.signal is True  # one set of limits: the improvement shows as special cause
    assert len(chart.run_signals) == 2


def test_frozen_baseline_limits_are_extended_and_flag_the_improvement() -> None:
    before = [40, 42, 38, 41, 39, 43, 40, 42, 41, 39, 40, 38]
    after = [52, 55, 50, 53, 54, 51, 55, 52, 53, 50, 54, 52]
    chart = rc.p_chart([4 * x for x in before + after], [400] * 24, baseline=12)
    assert (chart.data["center"] == chart.center).all()
    assert chart.center == pytest.approx(sum(before) / 1200)
    assert chart.data["in_limits_calculation"].tolist() == [True] * 12 + [False] * 12
    assert chart.outside == tuple(range(12, 24))
    sig = chart.run_signals[0]
    assert sig.shift is True  # the run tests use the (frozen) centre line
    assert sig.center_kind == "centre line"
    assert 23 in sig.shift_points


def test_run_tests_on_a_control_chart_use_the_centre_line() -> None:
    values = [10, 12, 11, 9, 10, 12, 11, 9, 13, 14, 13, 14, 13, 14, 13, 14, 13, 14, 13, 14]
    chart = rc.i_chart(values)
    sig = chart.run_signals[0]
    assert sig.center == pytest.approx(np.mean(values))
    assert sig.rules == "anhoej"
    # 8 points below then 12 above the mean; limit round(log2(20) + 3) = 7
    assert sig.shifts == ((0, 7, "below"), (8, 19, "above"))
    assert (sig.crossings, sig.crossings_limit, sig.runs_signal) == (1, 6, True)
    assert chart.data["run_signal"].all()
    assert chart.outside == ()  # no point beyond the limits: only the run tests see the change
    ihi = rc.i_chart(values, rules="ihi").run_signals[0]
    assert ihi.rules == "ihi" and ihi.shift is True


def test_control_chart_description_is_plain_language() -> None:
    chart = rc.p_chart(MONTGOMERY_OJ_CANS, [50] * 30)
    assert chart.describe().startswith("p-chart: 2 points outside the control limits (points 15, 23)")
    quiet = rc.i_chart(MONTGOMERY_LOAN_COSTS)
    assert (
        quiet.describe() == "I-chart: no point outside the control limits; no run-test signal (Anhøj rules)."
    )


# ----------------------------------------------------------------------------------------------
# Properties that hold for any series
# ----------------------------------------------------------------------------------------------

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)


@settings(max_examples=150, deadline=None)
@given(st.lists(finite, min_size=1, max_size=60), st.sampled_from(["ihi", "anhoej"]))
def test_result_is_internally_consistent(values, rules) -> None:
    r = rc.run_chart_signals(values, rules)
    assert 0 <= r.n_useful <= r.n == len(values)
    if r.runs is not None:
        assert r.crossings == r.runs - 1
        assert 1 <= r.runs <= r.n_useful
        assert 1 <= r.longest_run <= r.n_useful
    if r.shift is not None:
        assert r.shift == (r.longest_run > r.longest_run_limit)
        assert bool(r.shift_points) == r.shift
    if r.runs_signal is not None and rules == "ihi":
        assert r.runs_signal == (r.runs < r.runs_range[0] or r.runs > r.runs_range[1])
    if r.runs_signal is not None and rules == "anhoej":
        assert r.runs_signal == (r.crossings < r.crossings_limit)
    flags = [r.shift, r.runs_signal] + ([r.trend] if rules == "ihi" else [])
    if any(f is True for f in flags):
        assert r.signal is True
    elif all(f is False for f in flags):
        assert r.signal is False
    else:
        assert r.signal is None
    for p in (*r.shift_points, *r.trend_points, *r.runs_points):
        assert 0 <= p < len(values)
    assert isinstance(r.describe(), str)


@settings(max_examples=75, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=100), min_size=10, max_size=40),
    st.floats(min_value=0.5, max_value=20),
    st.floats(min_value=-100, max_value=100),
)
def test_rules_do_not_depend_on_units(values, scale, shift) -> None:
    a = rc.run_chart_signals(values)
    b = rc.run_chart_signals([v * scale + shift for v in values])
    for field in (
        "n_useful",
        "longest_run",
        "runs",
        "shift",
        "trend",
        "runs_signal",
        "signal",
        "shift_points",
    ):
        assert getattr(a, field) == getattr(b, field), field


def test_book_page_lists_exactly_the_lengths_where_printed_and_exact_tables_differ() -> None:
    page = (ROOT / "book" / "reference" / "runcharts.md").read_text(encoding="utf-8")
    block = page.split("<!-- runs-table-differences:start -->")[1].split(
        "<!-- runs-table-differences:end -->"
    )[0]
    rows = [line.strip("|").split("|") for line in block.strip().splitlines()[2:]]
    printed = rc.runs_table(10, 60)
    exact = rc.runs_table(10, 60, table="exact")
    differ = printed[(printed[["lower", "upper"]] != exact[["lower", "upper"]]).any(axis=1)]
    assert [int(r[0]) for r in rows] == differ["n_useful"].tolist()
    for cells, p_row, e_row in zip(
        rows,
        differ.itertuples(),
        exact.set_index("n_useful").loc[differ["n_useful"]].itertuples(),
        strict=True,
    ):
        assert cells[1].strip() == f"{p_row.lower}–{p_row.upper}"
        assert cells[3].strip() == f"{e_row.lower}–{e_row.upper}"


def test_two_trends_are_reported_separately_never_merged() -> None:
    # a trend up at points 17-22 and a trend down at points 29-34 (1-based), with stable points between
    values = [50, 52, 49, 51, 50, 53, 48, 51, 50, 52, 49, 51, 50, 53, 48, 51,
              40, 42, 44, 46, 48, 50, 49, 51, 50, 52, 49, 51, 60, 58, 56, 54, 52, 50, 51]  # fmt: skip
    sig = rc.run_chart_signals(values, rules="ihi")
    assert sig.trends == ((16, 21, "up"), (28, 33, "down"))
    trends = [f for f in sig.findings() if "trend" in f]
    assert trends == ["a trend of 6 points up (points 17–22)", "a trend of 6 points down (points 29–34)"]
    months = pd.date_range("2022-01-01", periods=len(values), freq="MS")
    named = [f for f in sig.findings(label=lambda i: months[i].strftime("%b %Y")) if "trend" in f]
    assert named == [
        "a trend of 6 points up (May 2023–Oct 2023)",
        "a trend of 6 points down (May 2024–Oct 2024)",
    ]


# ----------------------------------------------------------------------------------------------
# The analysis in steps: runs about the line -> a rule set -> shift spans -> verdict (each pure)
# ----------------------------------------------------------------------------------------------


def test_runs_about_skips_points_on_the_line_and_keeps_positions() -> None:
    from helpers.runcharts import _runs_about

    r = _runs_about(np.array([5.0, 6, 5, 4, 4, 6]), np.array([0, 2, 3, 4, 7, 9]), 5.0)
    assert r.useful_pos.tolist() == [2, 4, 7, 9]  # positions in the series passed, not 0..n
    assert r.encoded == ((0, 1, 1), (1, 3, -1), (3, 4, 1))
    assert (r.n, r.n_useful, r.longest, r.runs, r.crossings) == (6, 4, 2, 3, 2)
    empty = _runs_about(np.array([2.0, 2.0]), np.arange(2), 2.0)
    assert (empty.n_useful, empty.longest, empty.runs, empty.crossings) == (0, None, None, None)


def test_rule_sets_alone() -> None:
    from helpers.runcharts import _anhoej_rules, _ihi_rules, _runs_about, _shift_spans

    values = np.array([1.0, 2, 1, 2, 1, 2, 3, 3, 3, 3, 3, 3])
    r = _runs_about(values, np.arange(12), 2.0)  # four 2s on the line: 8 useful points
    ihi = _ihi_rules(values, np.arange(12), r, rules="ihi")
    assert ihi.shift is True and ihi.runs_signal is None and ihi.trend is False
    assert any("runs test" in note for note in ihi.notes) and ihi.applicable == (True, False, None)
    assert _shift_spans(r, ihi.longest_limit) == ([6, 7, 8, 9, 10, 11], [(6, 11, "above")])
    anhoej = _anhoej_rules(r)  # fewer than 10 useful points: nothing tested, and it says so
    assert anhoej.applicable == (None, None) and anhoej.longest_limit is None
    assert len(anhoej.notes) == 2 and "trend rule" in anhoej.notes[0]


@pytest.mark.parametrize("rules", ["ihi", "ihi-exact", "anhoej"])
def test_the_steps_agree_with_the_rules_on_random_series(rules: str) -> None:
    rng = np.random.default_rng(16)
    for _ in range(200):
        n = int(rng.integers(1, 40))
        values = rng.integers(0, 5, n).astype(float)  # many ties and points on the median
        sig = rc.run_chart_signals(values, rules, baseline=int(rng.integers(1, n + 1)))  # type: ignore[arg-type]
        if sig.runs is not None:
            assert sig.crossings == sig.runs - 1 and sig.n_useful >= sig.runs
        if sig.shift is not None:
            assert sig.shift == (sig.longest_run is not None and sig.longest_run > sig.longest_run_limit)
            assert bool(sig.shift_points) == sig.shift
        flags = (sig.shift, sig.trend, sig.runs_signal) if rules != "anhoej" else (sig.shift, sig.runs_signal)
        expected = True if True in flags else False if all(f is False for f in flags) else None
        assert sig.signal is expected


def test_chart_periods_alone() -> None:
    from helpers.runcharts import _chart_periods

    periods, est = _chart_periods(10, baseline=4, change_points=(), min_points=2)
    assert periods == [(0, 10)] and est[0].tolist() == [0, 1, 2, 3]  # frozen on the first 4, extended
    periods, est = _chart_periods(10, baseline=None, change_points=[4, 7], min_points=2)
    assert periods == [(0, 4), (4, 7), (7, 10)] and [e.tolist()[0] for e in est] == [0, 4, 7]
    with pytest.raises(ValueError, match="not both"):
        _chart_periods(10, baseline=4, change_points=[5], min_points=2)
    with pytest.raises(ValueError, match="between 2 and the number of points"):
        _chart_periods(10, baseline=1, change_points=(), min_points=2)
