"""Did a tested change improve a measure, or narrow a gap? The run-chart rules decide, not the eye.

A team that tests a change (a PDSA cycle, an outreach programme) freezes the centre line on the
months *before* the change and asks whether the months *after* it break the run-chart rules in
the direction it wanted. :func:`judge_change` does exactly that with
:func:`helpers.runcharts.run_chart_signals` and says, in words computed from the signals, whether
the measure improved, worsened or showed no signal of change. For a gap (group minus reference
group, e.g. from :func:`helpers.runcharts.gap_series`) use ``better="toward zero"``: the gap
narrows when its points move toward zero, whichever side of zero it started on.

The rule used: a change is judged an improvement when a *shift* (a run on one side of the
frozen baseline median longer than the rule set's limit) lies on the better side and reaches
into the points after the change. A shift is the run-chart rule that has a direction; trends,
runs and crossings are reported in the ``signals`` of the :class:`ChangeJudgement` for the reader
to weigh, but do not by themselves decide the direction.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from helpers.runcharts import Rules, RunChartSignals, _span, run_chart_signals

__all__ = ["ChangeJudgement", "judge_change"]

Better = Literal["higher", "lower", "toward zero"]


@dataclass(frozen=True)
class ChangeJudgement:
    """What the run-chart rules say about the points after a change.

    Attributes
    ----------
    signals : helpers.runcharts.RunChartSignals
        The full analysis against the baseline median (the first ``change_at`` points).
    change_at : int
        0-based position of the first point after the change (= number of baseline points).
    better_side : str
        ``"above"`` or ``"below"`` the baseline median: the side an improvement moves to.
    improving_shifts, worsening_shifts : tuple of (int, int, str)
        Shifts on the better / the other side that reach into the points after the change,
        as ``(first position, last position, side)``.
    improved, worsened : bool
        Whether there is at least one such shift.
    """

    signals: RunChartSignals
    change_at: int
    better_side: str
    improving_shifts: tuple[tuple[int, int, str], ...]
    worsening_shifts: tuple[tuple[int, int, str], ...]

    @property
    def improved(self) -> bool:
        """True when a shift on the better side reaches into the points after the change."""
        return bool(self.improving_shifts)

    @property
    def worsened(self) -> bool:
        """True when a shift on the worse side reaches into the points after the change."""
        return bool(self.worsening_shifts)

    @property
    def verdict(self) -> str:
        """``"improved"``, ``"worsened"``, ``"mixed"`` or ``"no signal"``."""
        if self.improved and self.worsened:
            return "mixed"
        if self.improved:
            return "improved"
        if self.worsened:
            return "worsened"
        return "no signal"

    def describe(self, *, label: Callable[[int], str] | None = None) -> str:
        """One sentence on the points after the change, computed from the signals.

        Parameters
        ----------
        label : callable, optional
            Turns a 0-based position into the text a reader sees (e.g. a month); points are
            counted from 1 by default.

        Returns
        -------
        str

        Examples
        --------
        >>> j = judge_change([6, 4, 6, 4, 6, 4, 9, 9, 9, 9, 9, 9], change_at=6, better="higher")
        >>> print(j.describe())
        A shift of 6 points above the baseline median (points 7–12) after the change: a signal of
        improvement.
        """

        def shift_words(shifts: tuple[tuple[int, int, str], ...]) -> str:
            return "; ".join(
                f"a shift of {sum(1 for p in self.signals.shift_points if a <= p <= b)} points {side} "
                f"the baseline median ({_span(a, b, label)})"  # "points 7–12", or "Jul 2023–Dec 2024"
                for a, b, side in shifts
            )

        if self.verdict == "no signal":
            return (
                f"No shift {self.better_side} or {_other(self.better_side)} the baseline median after "
                "the change: no signal of improvement."
            )
        parts = []
        if self.improving_shifts:
            parts.append(shift_words(self.improving_shifts))
        if self.worsening_shifts:
            parts.append(shift_words(self.worsening_shifts))
        tail = {
            "improved": "a signal of improvement",
            "worsened": "a signal that the measure got worse",
            "mixed": "signals in both directions",
        }[self.verdict]
        text = "; ".join(parts)
        return f"{text[:1].upper()}{text[1:]} after the change: {tail}."


def _other(side: str) -> str:
    return "below" if side == "above" else "above"


def judge_change(
    values: Sequence[float] | np.ndarray | pd.Series,
    *,
    change_at: int,
    better: Better,
    rules: Rules = "ihi",
) -> ChangeJudgement:
    """Judge the points after a change against the median of the points before it.

    Parameters
    ----------
    values : sequence of float or pandas.Series
        The measure (or gap) in time order, one value per period, with no missing values.
    change_at : int
        Number of points before the change (the frozen baseline), which is also the 0-based
        position of the first point after it. At least 1 and fewer than ``len(values)``.
    better : {"higher", "lower", "toward zero"}
        Which direction is an improvement. For a gap between two groups use ``"toward zero"``:
        the better side is above the baseline median when that median is below zero, and
        below it otherwise.
    rules : {"ihi", "anhoej"}, default "ihi"
        The rule set of :func:`helpers.runcharts.run_chart_signals`.

    Returns
    -------
    ChangeJudgement

    Raises
    ------
    ValueError
        If ``change_at`` is not a whole number between 1 and ``len(values) - 1``, ``better`` is
        not one of the choices, or the values fail :func:`~helpers.runcharts.run_chart_signals`.

    References
    ----------
    Perla RJ, Provost LP, Murray SK (2011). The run chart: a simple analytical tool for
    learning from variation in healthcare processes. BMJ Qual Saf 20:46–51.
    Anhøj J, Olesen AV (2014). Run charts revisited. PLoS ONE 9(11):e113825.

    Examples
    --------
    A gap of about −10 points for six months, then about −5 (the gap narrowed):

    >>> gap = [-0.10, -0.11, -0.09, -0.10, -0.12, -0.10, -0.05, -0.06, -0.04, -0.05, -0.06, -0.05]
    >>> j = judge_change(gap, change_at=6, better="toward zero")
    >>> j.better_side, j.improved, j.verdict
    ('above', True, 'improved')
    >>> judge_change([5, 6, 5, 6, 5, 6, 5, 6, 5, 6], change_at=5, better="higher").verdict
    'no signal'
    """
    if better not in ("higher", "lower", "toward zero"):
        raise ValueError(f"better={better!r} is not one of 'higher', 'lower', 'toward zero'.")
    n = len(values)
    if isinstance(change_at, bool) or not isinstance(change_at, numbers.Integral):
        raise ValueError(f"change_at must be a whole number of points, got {change_at!r}.")
    if not 1 <= change_at < n:
        raise ValueError(
            f"change_at={change_at} must leave points on both sides of the change: between 1 and {n - 1}."
        )
    signals = run_chart_signals(values, rules, baseline=int(change_at))
    if better == "higher":
        side = "above"
    elif better == "lower":
        side = "below"
    else:
        side = "above" if signals.center < 0 else "below"
    reaching = [s for s in signals.shifts if s[1] >= change_at]
    return ChangeJudgement(
        signals=signals,
        change_at=int(change_at),
        better_side=side,
        improving_shifts=tuple(s for s in reaching if s[2] == side),
        worsening_shifts=tuple(s for s in reaching if s[2] != side),
    )
