"""helpers.improvement: judging the points after a change against the frozen baseline median."""

from __future__ import annotations

import pytest

from helpers.improvement import judge_change
from helpers.runcharts import run_chart_signals

BEFORE = [6, 5, 6, 5, 6, 5, 6, 5, 6, 5]  # ends below the median, so a later shift starts after it


def test_a_shift_on_the_better_side_after_the_change_is_an_improvement() -> None:
    j = judge_change(BEFORE + [9] * 8, change_at=10, better="higher")
    assert j.improved and not j.worsened and j.verdict == "improved"
    assert j.improving_shifts == ((10, 17, "above"),)
    assert "signal of improvement" in j.describe()


def test_the_same_shift_is_a_worsening_when_lower_is_better() -> None:
    j = judge_change(BEFORE + [9] * 8, change_at=10, better="lower")
    assert j.worsened and not j.improved and j.verdict == "worsened"
    assert "got worse" in j.describe()


def test_random_looking_points_after_the_change_give_no_signal() -> None:
    j = judge_change([*BEFORE, 6, 5, 6, 5, 6, 5], change_at=10, better="higher")
    assert j.verdict == "no signal"
    assert j.describe().startswith("No shift above or below")


def test_a_shift_that_ends_before_the_change_does_not_count() -> None:
    values = [9, 9, 9, 9, 9, 9, 1, 2, 1, 2, 1, 2, 6, 5, 6, 5]
    signals = run_chart_signals(values, baseline=12)
    assert signals.shifts and all(last < 12 for _, last, _ in signals.shifts)
    assert judge_change(values, change_at=12, better="higher").verdict == "no signal"


@pytest.mark.parametrize(("gap", "side"), [(-0.10, "above"), (0.10, "below")])
def test_toward_zero_picks_the_side_from_the_sign_of_the_baseline_median(gap: float, side: str) -> None:
    narrowed = gap / 2
    values = [gap + d for d in (0.01, -0.01) * 5] + [narrowed] * 8
    j = judge_change(values, change_at=10, better="toward zero")
    assert j.better_side == side
    assert j.improved


def test_the_rule_set_is_passed_through() -> None:
    j = judge_change(BEFORE + [9] * 8, change_at=10, better="higher", rules="anhoej")
    assert j.signals.rules == "anhoej"
    assert j.signals.center == run_chart_signals(BEFORE + [9] * 8, "anhoej", baseline=10).center


def test_describe_uses_the_labels_given() -> None:
    j = judge_change(BEFORE + [9] * 8, change_at=10, better="higher")
    assert "(m11–m18)" in j.describe(label=lambda i: f"m{i + 1}")


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"change_at": 0, "better": "higher"}, "between 1 and"),
        ({"change_at": 18, "better": "higher"}, "between 1 and"),
        ({"change_at": 2.5, "better": "higher"}, "whole number"),
        ({"change_at": True, "better": "higher"}, "whole number"),
        ({"change_at": 5, "better": "up"}, "not one of"),
    ],
)
def test_bad_arguments_say_what_is_wrong(kwargs: dict, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        judge_change(BEFORE + [9] * 8, **kwargs)
