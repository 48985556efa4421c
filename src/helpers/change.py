"""Change between two independent survey waves: in each group's rate, and in the gap to a reference.

Staff surveys, community surveys and annual snapshots are usually *repeated cross-sections*:
the people who answer in the second wave are not linked to those of the first. The questions a
team asks of two such waves are

* did the rate change in each group (wave 2 minus wave 1)? and
* did the gap between a group and the reference group change (the difference in differences)?

Both answers need an interval. This module gives them with the same method the workbook uses
for a single gap (:func:`helpers.disparities.gaps`): Wilson score intervals for each rate,
combined by the MOVER "square-and-add" rule (Newcombe 1998; Zou & Donner 2008). For the change
in a gap, four independent rates are combined (Newcombe 2001).

* :func:`change_in_gap` - the pure calculation from counts (a hand-checkable example below).
* :func:`change_in_gaps` - the same for every group of two :func:`~helpers.measures.stratified_rates`
  tables (one per wave), with suppressed groups left out and labelled.

Signs follow :func:`helpers.disparities.gaps`: a gap is *group rate minus reference rate*, a
change is *wave 2 minus wave 1*. So for a harm (experienced discrimination, burnout), a gap of
+0.30 means the group reports 30 percentage points more than the reference group, and a change
in the gap of -0.05 means that excess shrank by 5 points.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from helpers._validation import require_columns, require_dataframe, require_group, require_level
from helpers.measures import _wilson, _z

__all__ = ["change_in_gap", "change_in_gaps"]


def _counts(x: Any, n: Any, what: str) -> tuple[float, float]:
    try:
        x, n = float(x), float(n)
    except (TypeError, ValueError):
        raise ValueError(f"{what}: counts must be numbers, got {x!r} of {n!r}") from None
    if not (np.isfinite(x) and np.isfinite(n)) or n <= 0 or x < 0 or x > n:
        raise ValueError(
            f"{what}: need 0 <= numerator <= denominator and denominator > 0, got {x:g} of {n:g}"
        )
    return x, n


def _rate_and_limits(x: float, n: float, z: float) -> tuple[float, float, float]:
    low, high = _wilson(np.array([x]), np.array([n]), z)
    return x / n, float(low[0]), float(high[0])


def _combine(
    plus: list[tuple[float, float, float]], minus: list[tuple[float, float, float]]
) -> tuple[float, float, float]:
    """Estimate and MOVER limits of sum(plus rates) - sum(minus rates), each rate (p, low, high)."""
    estimate = sum(p for p, _, _ in plus) - sum(p for p, _, _ in minus)
    below = sum((p - lo) ** 2 for p, lo, _ in plus) + sum((hi - p) ** 2 for p, _, hi in minus)
    above = sum((hi - p) ** 2 for p, _, hi in plus) + sum((p - lo) ** 2 for p, lo, _ in minus)
    return estimate, estimate - float(np.sqrt(below)), estimate + float(np.sqrt(above))


def change_in_gap(
    group_before: tuple[float, float],
    reference_before: tuple[float, float],
    group_after: tuple[float, float],
    reference_after: tuple[float, float],
    *,
    level: float = 0.95,
) -> pd.Series:
    """The gap to a reference group in two independent waves, and how much it changed, with intervals.

    Parameters
    ----------
    group_before, reference_before, group_after, reference_after : tuple of (numerator, denominator)
        Counts for the group and the reference group in wave 1 ("before") and wave 2 ("after").
        The four samples must be independent (different people, as in two anonymous survey
        waves, or two groups).
    level : float, default 0.95
        Confidence level.

    Returns
    -------
    pandas.Series
        ``rate_before``, ``rate_after`` and ``change`` (group rate after minus before) with
        ``change_ci_low``/``change_ci_high``; ``reference_change`` likewise for the reference
        group; ``gap_before`` and ``gap_after`` (group minus reference) with their intervals;
        ``gap_change`` (gap after minus gap before, the difference in differences) with
        ``gap_change_ci_low``/``gap_change_ci_high``.

    Notes
    -----
    Each rate :math:`p` gets its Wilson score interval :math:`(l, u)`. A sum of independent
    rates with signs gets the MOVER limits (Zou & Donner 2008): the estimate minus the square
    root of the summed squared distances to the limits on the side that lowers it, and plus
    the same on the side that raises it. For one difference this is Newcombe's hybrid score
    interval (method 10 of Newcombe 1998), the interval of :func:`helpers.disparities.gaps`.
    For the difference in differences :math:`D = (p_{g2} - p_{r2}) - (p_{g1} - p_{r1})`,

    .. math::

        L = D - \\sqrt{(p_{g2}-l_{g2})^2 + (u_{r2}-p_{r2})^2 + (u_{g1}-p_{g1})^2 + (p_{r1}-l_{r1})^2}

    and :math:`U` symmetrically, which equals applying the square-and-add rule to the two
    gaps' Newcombe intervals (Newcombe 2001).

    Raises
    ------
    ValueError
        If a numerator is negative or above its denominator, a denominator is 0, or ``level``
        is not between 0 and 1.

    References
    ----------
    Newcombe RG. Interval estimation for the difference between independent proportions:
    comparison of eleven methods. Stat Med 1998;17:873-890.
    Newcombe RG. Estimating the difference between differences: measurement of additive scale
    interaction for proportions. Stat Med 2001;20:2885-2893.
    Zou GY, Donner A. Construction of confidence limits about effect measures: a general
    approach. Stat Med 2008;27:1693-1702.

    Examples
    --------
    A group reports a harm 45% (180 of 400) then 38% (152 of 400); the reference group 12%
    (120 of 1000) then 11% (110 of 1000). The gap falls from 33 to 27 points, a change of
    -6 points whose 95% interval runs from about -13.3 to +1.4 points:

    >>> out = change_in_gap((180, 400), (120, 1000), (152, 400), (110, 1000))
    >>> out[["gap_before", "gap_after", "gap_change"]].round(4).tolist()
    [0.33, 0.27, -0.06]
    >>> out[["gap_change_ci_low", "gap_change_ci_high"]].round(4).tolist()
    [-0.133, 0.0138]
    """
    z = _z(require_level(level))
    g1 = _rate_and_limits(*_counts(*group_before, "group_before"), z)
    r1 = _rate_and_limits(*_counts(*reference_before, "reference_before"), z)
    g2 = _rate_and_limits(*_counts(*group_after, "group_after"), z)
    r2 = _rate_and_limits(*_counts(*reference_after, "reference_after"), z)
    change = _combine([g2], [g1])
    ref_change = _combine([r2], [r1])
    gap1 = _combine([g1], [r1])
    gap2 = _combine([g2], [r2])
    did = _combine([g2, r1], [g1, r2])
    values = {
        "rate_before": g1[0],
        "rate_after": g2[0],
        "change": change[0],
        "change_ci_low": change[1],
        "change_ci_high": change[2],
        "reference_rate_before": r1[0],
        "reference_rate_after": r2[0],
        "reference_change": ref_change[0],
        "reference_change_ci_low": ref_change[1],
        "reference_change_ci_high": ref_change[2],
        "gap_before": gap1[0],
        "gap_before_ci_low": gap1[1],
        "gap_before_ci_high": gap1[2],
        "gap_after": gap2[0],
        "gap_after_ci_low": gap2[1],
        "gap_after_ci_high": gap2[2],
        "gap_change": did[0],
        "gap_change_ci_low": did[1],
        "gap_change_ci_high": did[2],
    }
    return pd.Series(values, dtype=float, name="change_in_gap")


_TABLE_COLUMNS = (
    "rate_before",
    "rate_after",
    "change",
    "change_ci_low",
    "change_ci_high",
    "gap_before",
    "gap_after",
    "gap_change",
    "gap_change_ci_low",
    "gap_change_ci_high",
)


def _group_column(table: pd.DataFrame, group: str | None, what: str) -> str:
    if group is not None:
        require_columns(table, [group], what=what)
        return group
    by = list(table.attrs.get("by", []))
    if len(by) != 1:
        raise ValueError(
            f"{what} must come from stratified_rates with one 'by' column, or name it with group="
        )
    return by[0]


def _shown(table: pd.DataFrame) -> pd.Series:
    if "suppressed" in table.columns:
        return ~table["suppressed"].astype(bool)
    return pd.Series(True, index=table.index)


def change_in_gaps(
    before: pd.DataFrame,
    after: pd.DataFrame,
    *,
    reference: str,
    group: str | None = None,
    level: float = 0.95,
) -> pd.DataFrame:
    """For every group, the change between two waves and the change in its gap to the reference.

    Parameters
    ----------
    before, after : pandas.DataFrame
        Rates tables from :func:`helpers.measures.stratified_rates` for wave 1 and wave 2,
        stratified by the same column (for example ``race_ethnicity``).
    reference : str
        The reference group's label (always named: no default). It must be shown (not
        suppressed) in both waves.
    group : str, optional
        The group column (default: the tables' single ``by`` column).
    level : float, default 0.95
        Confidence level.

    Returns
    -------
    pandas.DataFrame
        One row per group present in both tables (the reference last), with the group
        column, ``rate_before``, ``rate_after``, ``change`` and its interval, ``gap_before``,
        ``gap_after``, ``gap_change`` and its interval (all from :func:`change_in_gap`),
        ``reference_group``, and ``suppressed`` (True when the group is suppressed in either
        wave: its values are then NA, because its counts are not known to the reader). The
        reference row has its own change and gaps of 0.

    Raises
    ------
    KeyError
        If ``reference`` is not a group of both tables.
    ValueError
        If the reference is suppressed in a wave, or the tables cannot be read.

    Examples
    --------
    >>> from helpers.measures import stratified_rates
    >>> w1 = pd.DataFrame({"race": ["A", "B"], "x": [180, 120], "n": [400, 1000]})
    >>> w2 = pd.DataFrame({"race": ["A", "B"], "x": [152, 110], "n": [400, 1000]})
    >>> before = stratified_rates(w1, "x", "race", denominator="n")
    >>> after = stratified_rates(w2, "x", "race", denominator="n")
    >>> table = change_in_gaps(before, after, reference="B")
    >>> table[["race", "change", "gap_change"]].round(4).values.tolist()
    [['A', -0.07, -0.06], ['B', -0.01, 0.0]]
    """
    before = require_dataframe(before, what="before")
    after = require_dataframe(after, what="after")
    col_b = _group_column(before, group, "before")
    col_a = _group_column(after, group, "after")
    if col_b != col_a:
        raise ValueError(f"before is stratified by {col_b!r} and after by {col_a!r}; use the same column")
    col = col_b
    for name, table in (("before", before), ("after", after)):
        labels = table[col].astype(str).tolist()
        require_group(reference, labels, column=col, role=f"reference group (in {name})")
        row = table[table[col].astype(str) == reference].iloc[0]
        if bool(row.get("suppressed", False)):
            raise ValueError(
                f"the reference group {reference!r} is suppressed in {name}; choose a larger group"
            )
    b = before.assign(_label=before[col].astype(str), _shown=_shown(before)).set_index("_label")
    a = after.assign(_label=after[col].astype(str), _shown=_shown(after)).set_index("_label")
    labels = [g for g in b.index if g in a.index and g != "Overall" and g != reference] + [reference]
    ref_b = (float(b.loc[reference, "numerator"]), float(b.loc[reference, "denominator"]))
    ref_a = (float(a.loc[reference, "numerator"]), float(a.loc[reference, "denominator"]))
    rows = []
    for label in labels:
        shown = bool(b.loc[label, "_shown"]) and bool(a.loc[label, "_shown"])
        values = dict.fromkeys(_TABLE_COLUMNS, np.nan)
        if shown:
            out = change_in_gap(
                (float(b.loc[label, "numerator"]), float(b.loc[label, "denominator"])),
                ref_b,
                (float(a.loc[label, "numerator"]), float(a.loc[label, "denominator"])),
                ref_a,
                level=level,
            )
            values = {c: float(out[c]) for c in _TABLE_COLUMNS}
            if label == reference:
                values.update(gap_before=0.0, gap_after=0.0, gap_change=0.0)
                values.update(gap_change_ci_low=np.nan, gap_change_ci_high=np.nan)
        rows.append({col: label, **values, "reference_group": reference, "suppressed": not shown})
    result = pd.DataFrame(rows)
    thresholds = [t.attrs.get("min_cell") for t in (before, after) if t.attrs.get("min_cell") is not None]
    result.attrs = {  # the rates-table contract (helpers._rates): what the plots read
        "by": [col],
        "change_in_gaps": {"reference": reference, "level": float(level)},
        "measure": {"level": float(level)},
        **({"min_cell": max(int(m) for m in thresholds)} if thresholds else {}),
    }
    return result
