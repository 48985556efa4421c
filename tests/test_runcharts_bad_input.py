"""helpers.runcharts on bad input: a clear error or an explicit "not enough data", never a silent signal."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers import runcharts as rc

GOOD = [48, 52, 47, 53, 49, 51, 50, 54, 56, 55, 57, 58]


# ----------------------------------------------------------------------------------------------
# Non-numeric values
# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "fragment"),
    [
        ([1, 2, "n/a", 4], "values[2] is 'n/a', which is not a number"),
        (pd.Series(["0.4", "0.5"]), "values[0] is '0.4'"),
        ([1, True, 3], "values[1] is True"),
        ([1, [2, 3], 4], "values[1] is [2, 3]"),
    ],
)
def test_non_numeric_values_are_named(values, fragment) -> None:
    with pytest.raises(ValueError, match="not a number") as err:
        rc.run_chart_signals(values)
    assert fragment in str(err.value)
    assert "pd.to_numeric" in str(err.value)


def test_text_instead_of_a_series() -> None:
    with pytest.raises(ValueError, match="not the text"):
        rc.run_chart_signals("1, 2, 3")


def test_a_whole_table_instead_of_one_column() -> None:
    df = pd.DataFrame({"month": [1, 2], "rate": [0.4, 0.5]})
    with pytest.raises(ValueError, match=r"one column of numbers.*data\['rate'\]"):
        rc.run_chart_signals(df)


def test_two_dimensional_input() -> None:
    with pytest.raises(ValueError, match="one-dimensional"):
        rc.run_chart_signals(np.ones((3, 4)))


def test_infinite_value() -> None:
    with pytest.raises(ValueError, match=r"values\[1\] is infinite"):
        rc.run_chart_signals([1.0, np.inf, 2.0])


def test_empty_series() -> None:
    with pytest.raises(ValueError, match="no non-missing values"):
        rc.run_chart_signals([])


# ----------------------------------------------------------------------------------------------
# Missing values
# ----------------------------------------------------------------------------------------------


def test_nan_in_the_middle_raises_and_says_how_to_fix() -> None:
    values = [*GOOD[:5], np.nan, *GOOD[5:]]
    with pytest.raises(ValueError, match=r"missing values \(NaN\) at position\(s\) 5") as err:
        rc.run_chart_signals(values)
    assert "missing='drop'" in str(err.value)


def test_pandas_na_counts_as_missing() -> None:
    s = pd.Series([1, 2, None, 4], dtype="Int64")
    with pytest.raises(ValueError, match="position"):
        rc.run_chart_signals(s)
    assert rc.run_chart_signals(s, missing="drop").n == 3


def test_all_missing() -> None:
    with pytest.raises(ValueError, match="no non-missing values"):
        rc.run_chart_signals([np.nan, np.nan], missing="drop")


def test_bad_missing_option() -> None:
    with pytest.raises(ValueError, match="missing='ignore' is not one of"):
        rc.run_chart_signals(GOOD, missing="ignore")


def test_control_charts_do_not_skip_missing_periods() -> None:
    with pytest.raises(ValueError, match=r"numerators\[1\] is missing"):
        rc.p_chart([1, np.nan, 3], [10, 10, 10])
    with pytest.raises(ValueError, match="position"):
        rc.i_chart([1.0, np.nan, 3.0])


# ----------------------------------------------------------------------------------------------
# Denominators, lengths and counts
# ----------------------------------------------------------------------------------------------


def test_zero_denominator() -> None:
    with pytest.raises(ValueError, match=r"denominators\[2\] is 0; every denominator must be positive"):
        rc.p_chart([1, 2, 0, 4], [10, 10, 0, 10])


def test_zero_exposure() -> None:
    with pytest.raises(ValueError, match=r"exposure\[0\] is 0; every exposure must be positive"):
        rc.u_chart([0, 1], [0, 1000])
    with pytest.raises(ValueError, match="exposure"):
        rc.laney_u_chart([1, 2, 3], [100, -5, 100])


def test_unequal_lengths() -> None:
    with pytest.raises(ValueError, match="numerators has 3 values but denominators has 2"):
        rc.p_chart([1, 2, 3], [10, 10])
    with pytest.raises(ValueError, match="counts has 2 values but exposure has 3"):
        rc.u_chart([1, 2], [10, 10, 10])


def test_numerator_larger_than_denominator() -> None:
    with pytest.raises(ValueError, match="cannot exceed its denominator"):
        rc.laney_p_chart([5, 12, 5], [10, 10, 10])


def test_negative_count() -> None:
    with pytest.raises(ValueError, match="cannot be negative"):
        rc.u_chart([1, -1, 2], [10, 10, 10])


def test_bad_per() -> None:
    with pytest.raises(ValueError, match="per must be positive"):
        rc.u_chart([1, 2], [10, 10], per=0)


# ----------------------------------------------------------------------------------------------
# Fewer points than a rule needs
# ----------------------------------------------------------------------------------------------


def test_three_points_give_not_enough_data_for_every_rule() -> None:
    r = rc.run_chart_signals([1, 2, 3])
    assert (r.shift, r.trend, r.runs_signal, r.signal) == (None, None, None, None)
    assert len([n for n in r.notes if n.startswith("not enough data")]) == 3


def test_one_point() -> None:
    r = rc.run_chart_signals([5.0])
    assert r.n_useful == 0 and r.signal is None


def test_runs_limits_below_ten_points() -> None:
    with pytest.raises(ValueError, match="at least 10 points off the median, got 9"):
        rc.runs_limits(9)
    with pytest.raises(ValueError, match="whole number"):
        rc.runs_limits(10.5)


def test_anhoej_limits_bad_n() -> None:
    with pytest.raises(ValueError, match="positive whole number"):
        rc.anhoej_limits(0)


def test_i_chart_needs_two_points_per_period() -> None:
    with pytest.raises(ValueError, match=r"period 0 .* has 1 point"):
        rc.i_chart([5.0])
    with pytest.raises(ValueError, match=r"period 1 .* has 1 point"):
        rc.i_chart([1, 2, 3, 4], change_points=[3])


def test_laney_needs_two_points_and_some_variation() -> None:
    with pytest.raises(ValueError, match="has 1 point"):
        rc.laney_p_chart([5], [10])
    with pytest.raises(ValueError, match="sigma is 0"):
        rc.laney_p_chart([0, 0, 0], [10, 20, 30])


def test_short_control_chart_periods_are_trial_limits() -> None:
    chart = rc.p_chart([3, 4, 5], [10, 10, 10])
    assert any("trial limits" in n for n in chart.notes)
    assert chart.signal is None  # no point outside, but the run tests had too few points
    assert "runs tests: not enough data" in chart.describe()


# ----------------------------------------------------------------------------------------------
# Options
# ----------------------------------------------------------------------------------------------


def test_unknown_rule_set() -> None:
    with pytest.raises(ValueError, match="rules='western' is not one of 'ihi', 'ihi-exact', 'anhoej'"):
        rc.run_chart_signals(GOOD, "western")
    with pytest.raises(ValueError, match="rules="):
        rc.p_chart([1, 2], [10, 10], rules="nelson")


@pytest.mark.parametrize("baseline", [0, 13, -1])
def test_baseline_out_of_range(baseline) -> None:
    with pytest.raises(ValueError, match="baseline="):
        rc.run_chart_signals(GOOD, baseline=baseline)


def test_baseline_not_a_whole_number() -> None:
    with pytest.raises(ValueError, match="whole number"):
        rc.run_chart_signals(GOOD, baseline=6.5)
    with pytest.raises(ValueError, match="whole number"):
        rc.run_chart_signals(GOOD, baseline=True)


def test_baseline_and_change_points_together() -> None:
    with pytest.raises(ValueError, match=r"either baseline= .* or change_points="):
        rc.p_chart([1, 2, 3, 4], [10] * 4, baseline=2, change_points=[2])


@pytest.mark.parametrize("change_points", [[0], [4], [3, 2], [2, 2], [10]])
def test_bad_change_points(change_points) -> None:
    with pytest.raises(ValueError, match=r"change point|period"):
        rc.p_chart([1, 2, 3, 4], [10] * 4, change_points=change_points)


def test_bad_e2() -> None:
    with pytest.raises(ValueError, match="e2 must be positive"):
        rc.i_chart([1, 2, 3], e2=0)


# ----------------------------------------------------------------------------------------------
# Tidy-frame functions
# ----------------------------------------------------------------------------------------------


def test_by_group_missing_column_suggests_the_closest() -> None:
    df = pd.DataFrame({"race": ["A"] * 3, "rate": [1, 2, 3]})
    with pytest.raises(KeyError, match=r"column 'rates' not found.*did you mean 'rate'"):
        rc.run_chart_signals_by_group(df, "rates", "race")


def test_by_group_names_the_group_with_bad_values() -> None:
    df = pd.DataFrame({"race": ["A", "A", "B", "B"], "rate": [1.0, 2.0, 3.0, np.nan]})
    with pytest.raises(ValueError, match="group race='B': values has missing values"):
        rc.run_chart_signals_by_group(df, "rate", "race")


def test_by_group_duplicate_time_point() -> None:
    df = pd.DataFrame({"race": ["A"] * 3, "month": [1, 1, 2], "rate": [1, 2, 3]})
    with pytest.raises(ValueError, match="more than one row for month=1"):
        rc.run_chart_signals_by_group(df, "rate", "race", time="month")


def test_by_group_empty_frame() -> None:
    df = pd.DataFrame({"race": pd.Series([], dtype="str"), "rate": pd.Series([], dtype=float)})
    with pytest.raises(ValueError, match="no rows"):
        rc.run_chart_signals_by_group(df, "rate", "race")


def test_by_group_needs_a_dataframe() -> None:
    with pytest.raises(ValueError, match="must be a pandas DataFrame"):
        rc.run_chart_signals_by_group([1, 2, 3], "rate", "race")


def _gap_frame(**changes) -> pd.DataFrame:
    df = pd.DataFrame(
        {
            "month": [1, 1, 2, 2],
            "race": ["Black", "White", "Black", "White"],
            "numerator": [40, 55, 45, 56],
            "denominator": [100, 100, 100, 100],
        }
    )
    for col, values in changes.items():
        df[col] = values
    return df


def test_gap_zero_denominator() -> None:
    df = _gap_frame(denominator=[100, 0, 100, 100], numerator=[40, 0, 45, 56])
    with pytest.raises(ValueError, match="denominator for group 'White' at month=1 is 0"):
        rc.gap_series(df, group="race", time="month", focus="Black", reference="White")


def test_gap_group_absent_at_a_time_point() -> None:
    df = _gap_frame().iloc[:3]
    with pytest.raises(ValueError, match="group 'White' has no rows at month=2"):
        rc.gap_series(df, group="race", time="month", focus="Black", reference="White")


def test_gap_unknown_group() -> None:
    with pytest.raises(ValueError, match="reference group 'white' not found in column 'race'"):
        rc.gap_series(_gap_frame(), group="race", time="month", focus="Black", reference="white")


def test_gap_same_group_twice() -> None:
    with pytest.raises(ValueError, match="choose two different groups"):
        rc.gap_series(_gap_frame(), group="race", time="month", focus="Black", reference="Black")


def test_gap_missing_column() -> None:
    with pytest.raises(KeyError, match="did you mean 'denominator'"):
        rc.gap_series(
            _gap_frame(), group="race", time="month", focus="Black", reference="White", denominator="denom"
        )


def test_gap_numerator_above_denominator() -> None:
    df = _gap_frame(numerator=[140, 55, 45, 56])
    with pytest.raises(ValueError, match="must be between 0 and the denominator"):
        rc.gap_series(df, group="race", time="month", focus="Black", reference="White")


def test_gap_non_numeric_counts() -> None:
    df = _gap_frame()
    df["numerator"] = ["40", "55", "45", "56"]
    with pytest.raises(ValueError, match="not a number"):
        rc.gap_series(df, group="race", time="month", focus="Black", reference="White")


def test_gap_missing_count() -> None:
    df = _gap_frame(numerator=[40.0, np.nan, 45.0, 56.0])
    with pytest.raises(ValueError, match="numerator is missing in row 1"):
        rc.gap_series(df, group="race", time="month", focus="Black", reference="White")


def test_gap_bad_level() -> None:
    with pytest.raises(ValueError, match=r"level=.* must be a probability between 0 and 1"):
        rc.gap_series(_gap_frame(), group="race", time="month", focus="Black", reference="White", level=95)
