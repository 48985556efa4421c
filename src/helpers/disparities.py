"""Disparity measures: gaps between groups, and summary indices of disparity.

* :func:`gaps` - for every group, the absolute difference and the rate ratio to a
  reference, each with a confidence interval.
* :func:`summary` - one number per summary measure (index of disparity, between-group
  variance, Theil index, mean log deviation, Gini, population attributable risk and
  fraction; slope and relative indices of inequality for ordered groups).
* :func:`inequality_indices` - the slope and relative indices of inequality on their own.

The input is a rates table from :func:`helpers.measures.stratified_rates`. Suppressed
groups are left out of every comparison (their rates are not known to the reader) and
counted in the output.

The reference is always an explicit choice, echoed in the output, because the published
literature disagrees: Healthy People measures disparities from the best group rate, others
from the population rate or the mean of the group rates.

``reference`` may be

* ``"best"`` (default) - the group with the highest rate, or the lowest when
  ``higher_is_better=False``;
* ``"mean"`` - the mean of the group rates (unweighted in :func:`gaps`; in
  :func:`summary` weighted by group size when ``weighted=True``);
* ``"overall"`` - the population rate (the table's ``"Overall"`` row, or all shown groups
  pooled);
* any group label, e.g. ``"White"``.

The keywords are matched case-insensitively and take precedence over group labels.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from helpers._rates import GAP_COLUMNS as _GAP_COLUMNS
from helpers._rates import OVERALL_LABEL, table_settings
from helpers._rates import by_columns as _by_columns
from helpers._rates import total_rows as _total_rows
from helpers._validation import (
    as_column_list,
    format_values,
    require_columns,
    require_dataframe,
    require_group,
    require_level,
    require_numeric,
)
from helpers.measures import _mover_difference, _wilson, _z

__all__ = ["REFERENCE_KEYWORDS", "gaps", "inequality_indices", "summary"]

REFERENCE_KEYWORDS = ("best", "mean", "overall")
"""Reference choices that are not group labels."""

_SII_VARIANT = (
    "HD*Calc: weighted least-squares regression of group rates on the midpoint of each group's "
    "cumulative population share (ridit), weights = population shares; RII = SII / mean rate"
)


# =======================================================================================
# Reading a rates table
# =======================================================================================


@dataclass(frozen=True)
class _Layout:
    """Which columns of a rates table name the groups, and which split it into panels."""

    by: list[str]
    group: list[str]
    other: list[str]


@dataclass(frozen=True)
class _Table:
    """The arrays every measure needs, read once from the rates table."""

    x: np.ndarray  # numerators (NaN where hidden)
    n: np.ndarray  # denominators (NaN where hidden)
    shown: np.ndarray  # rate visible (not suppressed, finite)
    labels: np.ndarray  # group label of each row, as text ("A" or "A / en" for several columns)
    total: np.ndarray  # the Overall row


def _layout(rates: Any, group: Any, *, function: str) -> tuple[pd.DataFrame, _Layout, dict[str, Any]]:
    """Validate a rates table; return a light copy without attrs (pandas deep-copies attrs on
    every operation), the column layout, and the original attrs."""
    rates = require_dataframe(rates, what="rates")
    attrs = rates.attrs
    rates = rates.copy(deep=False)
    rates.attrs = {}
    require_columns(
        rates, ["numerator", "denominator", "rate"], what="rates (use stratified_rates to make it)"
    )
    for col in ("numerator", "denominator", "rate"):
        require_numeric(rates, col, what="rates")
    by = _by_columns(rates, attrs=attrs)
    if group is None:
        if len(by) != 1:
            listed = format_values(by, quote=True)
            raise ValueError(
                f"rates has {len(by)} group columns ({listed}); say which one names the groups to compare, "
                f"e.g. {function}(rates, group={by[0]!r}) compares them within each value of the others"
                if by
                else "rates has no column naming the groups; pass the output of stratified_rates"
            )
        groups = list(by)
    else:
        groups = as_column_list(group, name="group")
        require_columns(rates, groups, what="rates")
        for col in groups:
            if col not in by:
                by.append(col)
    return rates, _Layout(by=by, group=groups, other=[c for c in by if c not in groups]), attrs


def _read(rates: pd.DataFrame, layout: _Layout) -> _Table:
    rate = rates["rate"].to_numpy(dtype=float, na_value=np.nan)
    shown = np.isfinite(rate)
    if "suppressed" in rates.columns:
        shown &= ~rates["suppressed"].fillna(False).to_numpy(dtype=bool)
    parts = [rates[c].astype(object).map(str).to_numpy(dtype=object) for c in layout.group]
    labels = parts[0] if len(parts) == 1 else np.array([" / ".join(t) for t in zip(*parts, strict=True)])
    return _Table(
        x=rates["numerator"].to_numpy(dtype=float, na_value=np.nan),
        n=rates["denominator"].to_numpy(dtype=float, na_value=np.nan),
        shown=shown,
        labels=np.asarray(labels, dtype=object),
        total=_total_rows(rates, layout.by),
    )


def _panels(rates: pd.DataFrame, layout: _Layout, total: np.ndarray) -> list[np.ndarray]:
    """Row positions of each panel (one per combination of the non-group ``by`` columns)."""
    members = np.flatnonzero(~total)
    if not layout.other or len(members) == 0:
        return [members]
    ids = rates.iloc[members].groupby(layout.other, sort=False, observed=True, dropna=False).ngroup()
    ids = ids.to_numpy()
    return [members[ids == g] for g in range(int(ids.max()) + 1)]


@dataclass(frozen=True)
class _Reference:
    label: str
    rate: float
    low: float
    high: float
    var_log: float  # variance of log(rate), for the log-method ratio interval
    x: float  # numerator (NaN for "mean")
    n: float  # denominator (NaN for "mean")
    row: int | None  # table row that is the reference, if any


def _is_keyword(reference: Any) -> str | None:
    if isinstance(reference, str) and reference.casefold() in REFERENCE_KEYWORDS:
        return reference.casefold()
    return None


def _resolve_reference(
    t: _Table,
    rows: np.ndarray,
    layout: _Layout,
    reference: Any,
    *,
    higher_is_better: bool,
    z: float,
) -> _Reference:
    """The reference rate of one panel (``rows`` are the panel's group rows)."""
    visible = rows[t.shown[rows]]
    keyword = _is_keyword(reference)
    if keyword == "best":
        r = t.x[visible] / t.n[visible]
        row = int(visible[int(np.argmax(r) if higher_is_better else np.argmin(r))])
        return _count_reference(str(t.labels[row]), t, row, z)
    if keyword == "mean":
        x, n = t.x[visible], t.n[visible]
        p = x / n
        m = float(np.mean(p))
        var = float(np.sum(p * (1 - p) / n)) / len(p) ** 2
        half = z * np.sqrt(var)
        var_log = var / m**2 if m > 0 else np.nan
        low, high = max(m - half, 0.0), min(m + half, 1.0)
        return _Reference("mean of groups", m, low, high, var_log, np.nan, np.nan, None)
    if keyword == "overall":
        total = np.flatnonzero(t.total)
        if not layout.other and len(total):
            row = int(total[0])
            if not t.shown[row]:
                raise ValueError(
                    "reference='overall' but the Overall row is suppressed (too few people); "
                    "choose reference='best' or a group label"
                )
            return _count_reference(OVERALL_LABEL, t, row, z)
        if len(visible) < len(rows):
            raise ValueError(
                "reference='overall' needs the population rate, but some groups are suppressed so it "
                "cannot be worked out from the table; make the table with stratified_rates(..., "
                "overall=True), or choose reference='best' or a group label"
            )
        x, n = float(np.sum(t.x[rows])), float(np.sum(t.n[rows]))
        return _reference_from_counts(OVERALL_LABEL, x, n, z, row=None)
    labels = [str(v) for v in t.labels[rows]]
    wanted = " / ".join(str(v) for v in reference) if isinstance(reference, list | tuple) else str(reference)
    require_group(
        wanted,
        labels,
        column=layout.group if len(layout.group) > 1 else layout.group[0],
        role="reference group",
        extra=f"; or use one of {format_values(REFERENCE_KEYWORDS, quote=True)}",
    )
    row = int(rows[labels.index(wanted)])
    if not t.shown[row]:
        raise ValueError(
            f"reference group {wanted!r} is suppressed (too few people to show its rate), so nothing "
            "can be compared with it; choose reference='best', 'overall' or a larger group"
        )
    return _count_reference(wanted, t, row, z)


def _count_reference(label: str, t: _Table, row: int, z: float) -> _Reference:
    return _reference_from_counts(label, float(t.x[row]), float(t.n[row]), z, row=row)


def _reference_from_counts(label: str, x: float, n: float, z: float, *, row: int | None) -> _Reference:
    low, high = _wilson(np.array([x]), np.array([n]), z)
    low0 = 0.0 if x == 0 else float(low[0])
    high0 = 1.0 if x == n else float(high[0])
    return _Reference(label, x / n, low0, high0, float(_var_log(x, n)), x, n, row)


def _var_log(x: Any, n: Any) -> Any:
    """Variance of log(x/n) for a binomial count: 1/x - 1/n (Katz et al. 1978)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return 1.0 / np.asarray(x, dtype=float) - 1.0 / np.asarray(n, dtype=float)


# =======================================================================================
# Gaps
# =======================================================================================


def gaps(
    rates: pd.DataFrame,
    *,
    reference: str = "best",
    group: str | Sequence[str] | None = None,
    level: float | None = None,
    higher_is_better: bool = True,
) -> pd.DataFrame:
    """Absolute and relative gap between every group and a reference, with confidence intervals.

    Parameters
    ----------
    rates
        A table from :func:`helpers.measures.stratified_rates`.
    reference
        ``"best"`` (default), ``"mean"``, ``"overall"`` or a group label; see the module
        documentation. Suppressed groups cannot be the reference.
    group
        Column(s) naming the groups to compare. Default: the table's single ``by``
        column. With several ``by`` columns, name one (e.g. ``group="race"``) and the gaps
        are computed within each value of the others (e.g. within each language), each
        with its own reference.
    level
        Confidence level of the intervals. Default: the level the rates were computed at
        (``rates.attrs["measure"]["level"]``, recorded by
        :func:`helpers.measures.stratified_rates`), else 0.95.
    higher_is_better
        Whether a higher rate is better (screening, control: True) or worse (infections:
        False); decides which group is ``"best"``.

    Returns
    -------
    pandas.DataFrame
        ``rates`` with the columns ``reference_group``, ``reference_rate``, ``abs_diff``
        (``rate - reference_rate``), ``abs_diff_ci_low``, ``abs_diff_ci_high``,
        ``rel_ratio`` (``rate / reference_rate``), ``rel_ratio_ci_low`` and
        ``rel_ratio_ci_high``. The reference group's own row has a difference of 0 and a
        ratio of 1 with no interval; suppressed rows have NA. ``attrs["gaps"]`` records
        the choices and methods.

    Notes
    -----
    *Difference*: Newcombe's hybrid score interval (method 10 of Newcombe 1998), which
    combines the two groups' Wilson score intervals :math:`(l_i, u_i)`:
    :math:`d - \\sqrt{(p_1-l_1)^2 + (u_2-p_2)^2}` to
    :math:`d + \\sqrt{(u_1-p_1)^2 + (p_2-l_2)^2}`. For ``reference="mean"`` the mean's
    interval is the normal one (its variance is :math:`\\sum p_j(1-p_j)/n_j / J^2`),
    combined the same way (the MOVER method, Zou & Donner 2008).

    *Ratio*: the log method (Katz et al. 1978): :math:`\\log(p_1/p_2) \\pm z\\,se` with
    :math:`se^2 = 1/x_1 - 1/n_1 + 1/x_2 - 1/n_2` (delta method for the mean). When a
    group has no events, 0.5 is added to both numerators and 1 to both denominators for
    the interval only (Pettigrew et al. 1986) and the lower limit is 0; when the reference
    rate is 0 the ratio is undefined (NA).

    Both intervals treat the group and the reference as independent. With
    ``reference="overall"`` or ``"mean"`` the group is part of the reference, so the
    true interval is narrower: these intervals are conservative.

    Raises
    ------
    KeyError
        If ``reference`` is not a group label nor a keyword (the message lists the groups),
        or a column is missing.
    ValueError
        If the reference group is suppressed, ``level`` is not a probability, or the table
        has several group columns and ``group`` is not given.

    References
    ----------
    Newcombe RG. Interval estimation for the difference between independent proportions:
    comparison of eleven methods. Stat Med 1998;17:873-890.
    Zou GY, Donner A. Construction of confidence limits about effect measures: a general
    approach. Stat Med 2008;27:1693-1702.
    Katz D, Baptista J, Azen SP, Pike MC. Obtaining confidence intervals for the risk
    ratio in cohort studies. Biometrics 1978;34:469-474.
    Pettigrew HM, Gart JJ, Thomas DG. The bias and higher cumulants of the logarithm of a
    binomial variate. Biometrika 1986;73:425-435.

    Examples
    --------
    Newcombe's (1998) example (a): 56/70 against 48/80.

    >>> from helpers.measures import stratified_rates
    >>> counts = pd.DataFrame({"arm": ["a", "b"], "events": [56, 48], "n": [70, 80]})
    >>> rates = stratified_rates(counts, "events", "arm", denominator="n")
    >>> g = gaps(rates, reference="b")
    >>> g.loc[0, ["abs_diff", "abs_diff_ci_low", "abs_diff_ci_high"]].astype(float).round(4).tolist()
    [0.2, 0.0524, 0.3339]
    >>> round(float(g.loc[0, "rel_ratio"]), 4)
    1.3333
    """
    rates, layout, attrs = _layout(rates, group, function="gaps")
    if level is None:  # the level the rates were computed at (the rates-table contract)
        level = table_settings(None, attrs=attrs).level
    level = require_level(level)
    z = _z(level)
    t = _read(rates, layout)
    cols = {c: np.full(len(rates), np.nan) for c in _GAP_COLUMNS if c != "reference_group"}
    ref_labels = np.full(len(rates), "", dtype=object)
    panels = _panels(rates, layout, t.total)
    if not any(t.shown[rows].any() for rows in panels):
        raise ValueError(_all_suppressed_message(t))
    total = np.flatnonzero(t.total)
    for rows in panels:
        if not t.shown[rows].any():
            continue
        ref = _resolve_reference(t, rows, layout, reference, higher_is_better=higher_is_better, z=z)
        targets = rows if layout.other else np.concatenate([rows, total]).astype(int)
        _fill_gaps(cols, ref_labels, targets[t.shown[targets]], ref, t.x, t.n, z)
    out = rates.copy()
    for name in _GAP_COLUMNS:
        out[name] = pd.array(ref_labels.tolist(), dtype="str") if name == "reference_group" else cols[name]
    out.attrs = dict(attrs)
    out.attrs["gaps"] = {
        "reference": reference,
        "group": layout.group,
        "level": float(level),
        "higher_is_better": higher_is_better,
        "difference_interval": "Newcombe hybrid score (MOVER with Wilson intervals)",
        "ratio_interval": "log method (Katz et al. 1978)",
    }
    return out


def _fill_gaps(
    cols: dict[str, np.ndarray],
    ref_labels: np.ndarray,
    rows: np.ndarray,
    ref: _Reference,
    x: np.ndarray,
    n: np.ndarray,
    z: float,
) -> None:
    """Write the gap columns for ``rows`` against ``ref`` (in place)."""
    xr, nr = x[rows], n[rows]
    p = xr / nr
    low, high = _wilson(xr, nr, z)
    low = np.where(xr == 0, 0.0, low)
    high = np.where(xr == nr, 1.0, high)
    d, d_low, d_high = _mover_difference(p, low, high, ref.rate, ref.low, ref.high)
    cols["reference_rate"][rows] = ref.rate
    ref_labels[rows] = ref.label
    cols["abs_diff"][rows] = d
    cols["abs_diff_ci_low"][rows] = d_low
    cols["abs_diff_ci_high"][rows] = d_high
    ratio_lo, ratio_hi = _ratio_interval(xr, nr, ref, z)
    with np.errstate(divide="ignore", invalid="ignore"):
        cols["rel_ratio"][rows] = np.where(ref.rate > 0, p / ref.rate, np.nan)
    cols["rel_ratio_ci_low"][rows] = ratio_lo
    cols["rel_ratio_ci_high"][rows] = ratio_hi
    if ref.row is not None and ref.row in set(rows.tolist()):
        r = ref.row
        cols["abs_diff"][r], cols["rel_ratio"][r] = 0.0, 1.0
        for c in ("abs_diff_ci_low", "abs_diff_ci_high", "rel_ratio_ci_low", "rel_ratio_ci_high"):
            cols[c][r] = np.nan


def _ratio_interval(x: np.ndarray, n: np.ndarray, ref: _Reference, z: float) -> tuple[np.ndarray, np.ndarray]:
    """Log-method interval for ``(x/n) / ref.rate``; see :func:`gaps` for zero counts."""
    if ref.rate <= 0:
        return np.full(len(x), np.nan), np.full(len(x), np.nan)
    zero = (x == 0) | (ref.x == 0)
    xc, nc = np.where(zero, x + 0.5, x), np.where(zero, n + 1.0, n)
    if np.isnan(ref.x):  # mean of groups: delta method
        centre_ref = np.full(len(x), np.log(ref.rate))
        var_ref = np.full(len(x), ref.var_log)
    else:
        xrc = np.where(zero, ref.x + 0.5, ref.x)
        nrc = np.where(zero, ref.n + 1.0, ref.n)
        centre_ref = np.log(xrc / nrc)
        var_ref = _var_log(xrc, nrc)
    with np.errstate(divide="ignore", invalid="ignore"):
        centre = np.log(xc / nc) - centre_ref
        se = np.sqrt(_var_log(xc, nc) + var_ref)
        low = np.exp(centre - z * se)
        high = np.exp(centre + z * se)
    low = np.where(x == 0, 0.0, low)
    return low, high


def _all_suppressed_message(t: _Table) -> str:
    return (
        f"all {int((~t.total).sum())} groups in rates are suppressed (too few people "
        "to show), so there is nothing to compare; pool groups or time periods, or use fewer by columns"
    )


# =======================================================================================
# Summary measures
# =======================================================================================


def _ridit_regression(rates: np.ndarray, shares: np.ndarray) -> float:
    """Slope of the weighted least-squares line of rate on ridit (HD*Calc's SII)."""
    shares = shares / shares.sum()
    ridit = np.cumsum(shares) - shares / 2.0
    x_bar = np.sum(shares * ridit)
    r_bar = np.sum(shares * rates)
    return float(np.sum(shares * (ridit - x_bar) * (rates - r_bar)) / np.sum(shares * (ridit - x_bar) ** 2))


@dataclass(frozen=True)
class _GroupData:
    labels: list[str]
    x: np.ndarray
    n: np.ndarray
    rate: np.ndarray
    n_suppressed: int
    population_rate: float
    rows: np.ndarray
    panel: np.ndarray


def _summary_groups(rates: pd.DataFrame, layout: _Layout, t: _Table, *, function: str) -> _GroupData:
    panels = _panels(rates, layout, t.total)
    if len(panels) > 1:
        col = layout.other[0]
        example = rates.iloc[panels[0][0]][col]
        raise ValueError(
            f"{function} compares one set of groups, but rates has {len(panels)} sets (one per value of "
            f"{format_values(layout.other, quote=True)}); select one first, e.g. "
            f"rates[rates[{col!r}] == {example!r}], or compare every combination with "
            f"group={layout.by!r}"
        )
    rows = panels[0]
    visible = rows[t.shown[rows]]
    if len(visible) == 0:
        raise ValueError(_all_suppressed_message(t))
    if len(visible) < 2:
        raise ValueError(
            f"{function} needs at least two groups with rates shown, but only {t.labels[visible[0]]!r} is "
            f"shown ({len(rows) - len(visible)} suppressed); pool groups or time periods to have fewer "
            "small groups"
        )
    x, n = t.x[visible], t.n[visible]
    total = np.flatnonzero(t.total)
    if len(total) and t.shown[total[0]] and not layout.other:
        population_rate = float(t.x[total[0]] / t.n[total[0]])
    else:
        population_rate = float(x.sum() / n.sum())
    return _GroupData(
        labels=[str(v) for v in t.labels[visible]],
        x=x,
        n=n,
        rate=x / n,
        n_suppressed=int(len(rows) - len(visible)),
        population_rate=population_rate,
        rows=visible,
        panel=rows,
    )


def _safe_ratio(num: float, den: float, what: str, notes: list[str]) -> float:
    """``num / den``; 0 when both are 0 (no disparity), NaN with a note when only ``den`` is."""
    if den != 0:
        return num / den
    if num == 0:
        return 0.0
    notes.append(f"{what} undefined (division by a rate of 0)")
    return float("nan")


def _measures(
    g: _GroupData, ref_rate: float, *, weighted: bool, higher_is_better: bool, notes: list[str]
) -> dict[str, float]:
    r = g.rate
    share = g.n / g.n.sum()
    w = share if weighted else np.full(len(r), 1.0 / len(r))
    m = float(np.sum(w * r))
    mu = g.population_rate
    dev_ref = np.abs(r - ref_rate)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(r > 0, r / m, 0.0) if m > 0 else np.zeros(len(r))
        theil = float(np.sum(w * np.where(r > 0, ratio * np.log(np.where(r > 0, ratio, 1.0)), 0.0)))
    if (r == 0).any() and m > 0:
        mld = float("nan")
        notes.append("mean_log_deviation undefined: a group has a rate of 0")
    else:
        mld = float(np.sum(w * np.log(m / r))) if m > 0 else 0.0
    gini_num = float(np.sum(np.outer(w, w) * np.abs(r[:, None] - r[None, :])))
    par = (ref_rate - mu) if higher_is_better else (mu - ref_rate)
    return {
        "index_of_disparity": _safe_ratio(float(np.mean(dev_ref)), ref_rate, "index_of_disparity", notes),
        "weighted_index_of_disparity": _safe_ratio(
            float(np.sum(share * dev_ref)), ref_rate, "weighted_index_of_disparity", notes
        ),
        "between_group_variance": float(np.sum(w * (r - m) ** 2)),
        "theil_index": theil,
        "mean_log_deviation": mld,
        "gini": _safe_ratio(gini_num, 2.0 * m, "gini", notes),
        "population_attributable_risk": float(par),
        "population_attributable_fraction": _safe_ratio(
            float(par), mu, "population_attributable_fraction", notes
        ),
    }


def summary(
    rates: pd.DataFrame,
    *,
    reference: str = "best",
    weighted: bool = True,
    higher_is_better: bool = True,
    ordered: bool = False,
    group: str | Sequence[str] | None = None,
) -> pd.Series:
    """Summary measures of disparity across all groups, with the choices they rest on.

    With group rates :math:`r_j`, group sizes :math:`n_j`, population shares
    :math:`p_j = n_j / N`, the population rate :math:`\\mu` (the table's Overall row, or
    the shown groups pooled), the reference rate :math:`r_{ref}`, group weights
    :math:`w_j` (:math:`p_j` if ``weighted`` else :math:`1/J`) and their weighted mean
    :math:`m = \\sum_j w_j r_j`:

    ========================================  ================================================
    ``index_of_disparity``                    :math:`\\frac{1}{J}\\sum_j |r_j - r_{ref}| / r_{ref}`
                                              (Pearcy & Keppel 2002; HD*Calc; J counts every
                                              group, the reference included)
    ``weighted_index_of_disparity``           :math:`\\sum_j p_j |r_j - r_{ref}| / r_{ref}`
    ``between_group_variance``                :math:`\\sum_j w_j (r_j - m)^2`
    ``theil_index``                           :math:`\\sum_j w_j (r_j/m) \\ln(r_j/m)`
    ``mean_log_deviation``                    :math:`\\sum_j w_j \\ln(m / r_j)`
    ``gini``                                  :math:`\\sum_i\\sum_j w_i w_j |r_i - r_j| / (2m)`
    ``population_attributable_risk``          :math:`r_{ref} - \\mu` (:math:`\\mu - r_{ref}` when
                                              lower is better): how much the population rate
                                              would improve if every group had the reference rate
    ``population_attributable_fraction``      ``population_attributable_risk`` :math:`/ \\mu`
    ``slope_index_of_inequality``             (``ordered=True``) see :func:`inequality_indices`
    ``relative_index_of_inequality``          (``ordered=True``) SII / mean rate
    ========================================  ================================================

    The default, ``weighted=True``, follows the published methods analysts compare
    against: NCI's HD*Calc, Harper & Lynch (2005) and WHO's health equity monitoring
    (Schlotheuber & Hosseinpoor 2022) weight the between-group variance, Theil index, mean
    log deviation and Gini by population share :math:`p_j`, so that :math:`m` is the
    population rate of the groups shown. ``weighted=False`` is the explicit alternative
    that treats every group equally (:math:`w_j = 1/J`; a small group counts as much as a
    large one) - a choice to state in any report that uses it. ``weighted`` never changes
    the index of disparity, which is always unweighted (Pearcy & Keppel 2002), nor the
    weighted index of disparity, which is always population-weighted, nor the ``"mean"``
    reference, which is always the unweighted mean of the group rates (as in :func:`gaps`;
    the population-weighted mean is ``"overall"``). Values are raw (not multiplied by 100
    or 1000). Every measure is 0 when all groups have the same rate.

    Parameters
    ----------
    rates
        A table from :func:`helpers.measures.stratified_rates`. Suppressed groups are left
        out (their count is reported as ``n_suppressed``).
    reference
        ``"best"`` (default), ``"mean"`` (the unweighted mean of the group rates),
        ``"overall"`` (:math:`\\mu`) or a group label; used by the index of disparity and the
        population attributable risk and fraction.
    weighted
        Weight groups by population share in the variance, Theil, MLD and Gini (default,
        as HD*Calc, Harper & Lynch and WHO do); ``False`` weights every group equally.
    higher_is_better
        Whether a higher rate is better; decides ``"best"`` and the sign of the
        attributable risk.
    ordered
        The groups have a natural order (income, deprivation decile): add the slope and
        relative indices of inequality. Order as in :func:`inequality_indices`.
    group
        Column naming the groups, as in :func:`gaps`.

    Returns
    -------
    pandas.Series
        Indexed by name: ``reference`` (as asked), ``reference_group``, ``reference_rate``,
        ``weighted``, ``higher_is_better``, ``n_groups``, ``n_suppressed``,
        ``population_rate``, the measures above, and ``notes`` (why a measure is NA, if
        one is).

    Raises
    ------
    ValueError
        If all groups (or all but one) are suppressed, or the table holds several sets of
        groups.
    KeyError
        If the reference group is not in the table.

    References
    ----------
    Harper S, Lynch J. Methods for Measuring Cancer Disparities: Using Data Relevant to
    Healthy People 2010 Cancer-Related Objectives. NCI Cancer Surveillance Monograph
    Series, Number 6. NIH Pub. No. 05-5777. Bethesda, MD: National Cancer Institute; 2005.
    National Cancer Institute. Health Disparities Calculator (HD*Calc), version 2.0.
    Pearcy JN, Keppel KG. A summary measure of health disparity. Public Health Rep
    2002;117:273-280.
    Keppel K, Pamuk E, Lynch J, et al. Methodological issues in measuring health
    disparities. Vital Health Stat 2. 2005;(141):1-16.
    Schlotheuber A, Hosseinpoor AR. Summary measures of health inequality: a review of
    existing measures and their application. Int J Environ Res Public Health
    2022;19:3697 (the definitions of WHO's Health Equity Assessment Toolkit and its
    ``healthequal`` R package).
    World Health Organization. Handbook on health inequality monitoring: with a special
    focus on low- and middle-income countries. Geneva: WHO; 2013.

    Examples
    --------
    >>> rates = pd.DataFrame({"race": ["A", "B"], "numerator": [20, 120],
    ...                       "denominator": [100, 300]})
    >>> rates["rate"] = rates["numerator"] / rates["denominator"]
    >>> s = summary(rates, reference="best")
    >>> s[["reference", "reference_group", "reference_rate"]].tolist()
    ['best', 'B', 0.4]
    >>> round(s["index_of_disparity"], 4), round(s["population_attributable_risk"], 4)
    (0.25, 0.05)
    """
    rates, layout, _ = _layout(rates, group, function="summary")
    if ordered:
        rates = _in_group_order(rates, layout)
    t = _read(rates, layout)
    g = _summary_groups(rates, layout, t, function="summary")
    notes: list[str] = []
    keyword = _is_keyword(reference)
    if keyword == "overall":
        ref_label, ref_rate = OVERALL_LABEL, g.population_rate
    elif keyword == "mean":  # unweighted whatever `weighted` says, as in gaps(reference="mean")
        ref_label, ref_rate = "mean of groups", float(np.mean(g.rate))
    else:
        ref = _resolve_reference(t, g.panel, layout, reference, higher_is_better=higher_is_better, z=1.96)
        ref_label, ref_rate = ref.label, ref.rate
    values: dict[str, Any] = {
        "reference": reference,
        "reference_group": ref_label,
        "reference_rate": ref_rate,
        "weighted": bool(weighted),
        "higher_is_better": bool(higher_is_better),
        "n_groups": len(g.rate),
        "n_suppressed": g.n_suppressed,
        "population_rate": g.population_rate,
    }
    if g.n_suppressed and not (t.total.any() and t.shown[t.total].any() and not layout.other):
        notes.append(
            f"population_rate pools the {len(g.rate)} shown groups only ({g.n_suppressed} suppressed); "
            "make the table with overall=True to use everyone"
        )
    values.update(_measures(g, ref_rate, weighted=weighted, higher_is_better=higher_is_better, notes=notes))
    if ordered:
        sii, rii = _sii_rii(g, notes)
        values.update(
            slope_index_of_inequality=sii,
            relative_index_of_inequality=rii,
            inequality_index_variant=_SII_VARIANT,
        )
    values["notes"] = "; ".join(notes)
    out = pd.Series(values, dtype=object, name="summary")
    out.attrs = {"by": layout.by, "group": layout.group}
    return out


def _sii_rii(g: _GroupData, notes: list[str]) -> tuple[float, float]:
    sii = _ridit_regression(g.rate, g.n)
    mean = float(np.sum(g.n * g.rate) / np.sum(g.n))
    return sii, _safe_ratio(sii, mean, "relative_index_of_inequality", notes)


def inequality_indices(rates: pd.DataFrame, *, group: str | None = None) -> pd.Series:
    """Slope and relative indices of inequality for ordered groups (income, deprivation decile).

    The variant computed is HD*Calc's: each group is placed at the midpoint of its range in
    the cumulative population distribution (its ridit, from 0 for the start of the first
    group to 1 for the end of the last), and the group rates are regressed on these
    midpoints by least squares weighted by population share. The slope index of inequality
    (SII) is the slope: the difference in rate between the two ends of the order (an
    absolute measure, in rate units). The relative index of inequality is RII = SII / mean
    rate (HD*Calc; 0 when there is no gradient). This is not the ratio form
    (predicted rate at the top / at the bottom) used by some authors.

    Groups are taken in the order of the group column's categories if it is categorical,
    otherwise in the order of the rows (which :func:`~helpers.measures.stratified_rates`
    sorts). Put the most disadvantaged group first: a positive SII then means the rate
    rises with advantage. Suppressed groups are left out of the regression.

    Parameters
    ----------
    rates
        A table from :func:`helpers.measures.stratified_rates`.
    group
        The column with the ordered groups (default: the single ``by`` column).

    Returns
    -------
    pandas.Series
        ``slope_index_of_inequality``, ``relative_index_of_inequality``, ``order`` (the
        groups as used), ``n_suppressed`` and ``variant``.

    References
    ----------
    Harper S, Lynch J. Methods for Measuring Cancer Disparities. NCI monograph, 2005.
    Pamuk ER. Social class inequality in mortality from 1921 to 1972 in England and Wales.
    Popul Stud 1985;39:17-31.

    Examples
    --------
    Two equal-sized groups with rates 0.2 and 0.4 sit at ridits 0.25 and 0.75, so the
    slope is 0.2 / 0.5 = 0.4 and RII = 0.4 / 0.3:

    >>> rates = pd.DataFrame({"income": ["low", "high"], "numerator": [20, 40],
    ...                       "denominator": [100, 100], "rate": [0.2, 0.4]})
    >>> out = inequality_indices(rates)
    >>> round(out["slope_index_of_inequality"], 6), round(out["relative_index_of_inequality"], 6)
    (0.4, 1.333333)
    """
    rates, layout, _ = _layout(rates, group, function="inequality_indices")
    rates = _in_group_order(rates, layout)
    g = _summary_groups(rates, layout, _read(rates, layout), function="inequality_indices")
    notes: list[str] = []
    sii, rii = _sii_rii(g, notes)
    return pd.Series(
        {
            "slope_index_of_inequality": sii,
            "relative_index_of_inequality": rii,
            "order": g.labels,
            "n_suppressed": g.n_suppressed,
            "variant": _SII_VARIANT,
            "notes": "; ".join(notes),
        },
        dtype=object,
        name="inequality_indices",
    )


def _in_group_order(rates: pd.DataFrame, layout: _Layout) -> pd.DataFrame:
    col = layout.group[0]
    if len(layout.group) == 1 and isinstance(rates[col].dtype, pd.CategoricalDtype):
        codes = rates[col].cat.codes.to_numpy()
        total = _total_rows(rates, layout.by)
        codes = np.where(total, np.iinfo(np.int64).max, codes)
        return rates.iloc[np.argsort(codes, kind="stable")]
    return rates
