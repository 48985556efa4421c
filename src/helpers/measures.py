"""Stratified rates with confidence intervals, small-cell suppression and age standardisation.

The statistical core of the workbook: every module that shows a gap starts here, and teams
run the same functions on their own data.

* :func:`proportion_ci` - Wilson score (default) or Clopper-Pearson (exact) intervals,
  vectorised over arrays.
* :func:`stratified_rates` - one row per stratum (one or several ``by`` columns) from
  patient-level 0/1 outcomes or from aggregated numerator/denominator tables, with
  confidence intervals and small-cell suppression.
* :func:`suppress_small_cells` - primary and complementary suppression for any table with
  ``numerator`` and ``denominator`` columns.
* :func:`age_standardize` - direct age standardisation (US 2000 standard population or your
  own) with the Fay-Feuer gamma interval.
* :func:`exclusions` - which rows a table left out, or relabelled, and why.

Nothing here prints or warns: what a function did is in the table it returns (the
``suppressed`` and ``suppression_reason`` columns) and in ``table.attrs`` (read it with
:func:`exclusions`).

Conventions
-----------
* Rates are proportions between 0 and 1 (never multiplied by 100 or 1000; scaling for
  display belongs to the caller).
* Group labels are compared as given; a missing group value becomes the stratum
  ``missing_label`` ("Unknown") or is excluded and counted, as the caller chooses.
* The grand-total row, when asked for, has ``"Overall"`` in every ``by`` column.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats

from helpers._rates import (
    COUNT_COLUMNS,
    DERIVED_COLUMNS,
    FLAG_COLUMNS,
    GAP_COLUMNS,
    HIDDEN_WHEN_SUPPRESSED,
    by_columns,
    total_rows,
)
from helpers._rates import MEASURE_COLUMNS as MEASURE_COLUMNS
from helpers._rates import OVERALL_LABEL as _OVERALL_LABEL
from helpers._validation import (
    ColumnNotFoundError,
    as_column_list,
    did_you_mean,
    format_values,
    require_binary,
    require_choice,
    require_columns,
    require_dataframe,
    require_finite,
    require_level,
    require_nonempty,
    require_nonnegative,
    require_nonnegative_int,
    require_not_greater,
    require_numeric,
    require_unique_rows,
)

#: Label of the grand-total row that ``stratified_rates(..., overall=True)`` adds, in every ``by``
#: column (the rates-table contract, :mod:`helpers._rates`).
OVERALL_LABEL = _OVERALL_LABEL

__all__ = [
    "OVERALL_LABEL",
    "US2000_STANDARD",
    "age_standardize",
    "exclusions",
    "proportion_ci",
    "stratified_rates",
    "suppress_small_cells",
    "us2000_age_group",
]


US2000_STANDARD = pd.Series(
    [13818, 55317, 145565, 138646, 135573, 162613, 134834, 87247, 66037, 44842, 15508],
    index=pd.Index(
        ["<1", "1-4", "5-14", "15-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75-84", "85+"],
        name="age_group",
    ),
    name="us2000_per_million",
)
"""The 2000 U.S. standard population (Census P25-1130) in the 11 NCHS age groups, per 1,000,000.

Source: Klein RJ, Schoenborn CA. Age adjustment using the 2000 projected U.S. population.
Healthy People 2010 Statistical Notes, no. 20. Hyattsville, MD: National Center for Health
Statistics; January 2001 (Table 2, distribution #1). The weights sum to exactly 1,000,000.
"""

_US2000_EDGES = (0, 1, 5, 15, 25, 35, 45, 55, 65, 75, 85)  # lower bound (years) of each band above

CIMethod = Literal["wilson", "clopper-pearson", "exact"]
_CI_METHODS = ("wilson", "clopper-pearson", "exact")
_MISSING_POLICIES = ("stratum", "exclude")
_MISSING_OUTCOME_POLICIES = ("raise", "exclude")

# The rates-table contract (column names, ``by`` inference, the total row) lives in _rates.
_COUNT_COLUMNS = COUNT_COLUMNS
_GAP_COLUMNS = GAP_COLUMNS
_DERIVED_COLUMNS = DERIVED_COLUMNS
_FLAG_COLUMNS = FLAG_COLUMNS
_HIDDEN_WHEN_SUPPRESSED = HIDDEN_WHEN_SUPPRESSED
_by_columns = by_columns
_total_rows = total_rows


# =======================================================================================
# Confidence intervals for a proportion
# =======================================================================================


def _float_array(values: Any, name: str) -> np.ndarray:
    """Numbers (scalar, list, array, Series) as a float64 array; missing values become NaN."""
    if isinstance(values, pd.Series | pd.Index | pd.api.extensions.ExtensionArray):
        try:
            return np.asarray(values.to_numpy(dtype=float, na_value=np.nan))
        except (TypeError, ValueError):
            pass
    else:
        try:
            return np.asarray(values, dtype=float)
        except (TypeError, ValueError):
            pass
    raise ValueError(f"{name} must be numbers (counts); got {str(values)[:80]!r}; convert with pd.to_numeric")


def _position(flat_index: int, shape: tuple[int, ...]) -> str:
    if not shape:
        return ""
    return f" at position {np.unravel_index(flat_index, shape) if len(shape) > 1 else flat_index}"


def _check_counts(x: np.ndarray, n: np.ndarray) -> None:
    """Validate numerator/denominator arrays for :func:`proportion_ci`."""
    checks = (
        (x < 0, "numerator is negative", "counts cannot be negative"),
        (n < 0, "denominator is negative", "counts cannot be negative"),
        (n == 0, "denominator is 0", "a rate needs at least one person; leave empty groups out"),
        (x > n, "numerator is larger than the denominator", "check the two are not swapped"),
    )
    for bad, what, fix in checks:
        if bad.any():
            i = int(np.flatnonzero(bad.ravel())[0])
            raise ValueError(
                f"{what}{_position(i, bad.shape)} (numerator={x.ravel()[i]:g}, "
                f"denominator={n.ravel()[i]:g}); {fix}"
            )


def _z(level: float) -> float:
    return float(stats.norm.ppf(0.5 + level / 2.0))


def proportion_ci(
    numerator: Any,
    denominator: Any,
    *,
    method: CIMethod = "wilson",
    level: float = 0.95,
) -> tuple[np.ndarray, np.ndarray]:
    """Confidence interval for a proportion ``numerator / denominator``, vectorised.

    Parameters
    ----------
    numerator, denominator
        Counts: scalars or array-likes of the same (broadcastable) shape. Missing values
        (NaN) give a NaN interval.
    method
        ``"wilson"`` (default): the Wilson score interval without continuity correction,
        recommended for routine use by Brown, Cai & DasGupta (2001) because its coverage
        stays close to the nominal level even for small groups and rates near 0 or 1.
        ``"clopper-pearson"`` (alias ``"exact"``): the exact interval from beta quantiles;
        it guarantees at least nominal coverage and is therefore wider.
    level
        Confidence level, a probability (0.95 for a 95% interval).

    Returns
    -------
    (low, high)
        Two float arrays with the shape of the broadcast inputs (numpy scalars for scalar
        input), each within [0, 1]. A rate of 0/n has ``low == 0`` and n/n has
        ``high == 1`` exactly.

    Raises
    ------
    ValueError
        If a count is negative, a denominator is 0, a numerator exceeds its denominator,
        the inputs are not numbers, or ``method``/``level`` are not valid.

    References
    ----------
    Wilson EB. Probable inference, the law of succession, and statistical inference.
    J Am Stat Assoc 1927;22:209-212.
    Clopper CJ, Pearson ES. The use of confidence or fiducial limits illustrated in the case
    of the binomial. Biometrika 1934;26:404-413.
    Newcombe RG. Two-sided confidence intervals for the single proportion: comparison of
    seven methods. Stat Med 1998;17:857-872 (method 3 is Wilson, method 5 Clopper-Pearson).
    Brown LD, Cai TT, DasGupta A. Interval estimation for a binomial proportion.
    Stat Sci 2001;16:101-133.

    Examples
    --------
    Newcombe's (1998) example of 81 events in 263:

    >>> low, high = proportion_ci(81, 263)
    >>> print(f"{low:.4f} to {high:.4f}")
    0.2553 to 0.3662
    >>> low, high = proportion_ci([0, 15], [20, 148], method="clopper-pearson")
    >>> low.round(4).tolist(), high.round(4).tolist()
    ([0.0, 0.0578], [0.1684, 0.1617])
    """
    method = require_choice(method, _CI_METHODS, name="method")  # type: ignore[assignment]
    level = require_level(level)
    x = _float_array(numerator, "numerator")
    n = _float_array(denominator, "denominator")
    try:
        x, n = np.broadcast_arrays(x, n)
    except ValueError:
        raise ValueError(
            f"numerator (shape {x.shape}) and denominator (shape {n.shape}) must have the same length"
        ) from None
    _check_counts(x, n)
    valid = ~(np.isnan(x) | np.isnan(n))
    low = np.full(x.shape, np.nan)
    high = np.full(x.shape, np.nan)
    xv, nv = x[valid], n[valid]
    if method == "wilson":
        lo, hi = _wilson(xv, nv, _z(level))
    else:
        lo, hi = _clopper_pearson(xv, nv, 1.0 - level)
    low[valid] = np.where(xv == 0, 0.0, np.clip(lo, 0.0, 1.0))
    high[valid] = np.where(xv == nv, 1.0, np.clip(hi, 0.0, 1.0))
    return low[()], high[()]


def _wilson(x: np.ndarray, n: np.ndarray, z: float) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval (no continuity correction); inputs already validated."""
    z2 = z * z
    centre = (x + z2 / 2.0) / (n + z2)
    half = z / (n + z2) * np.sqrt(np.maximum(x * (n - x) / n, 0.0) + z2 / 4.0)
    return centre - half, centre + half


def _mover_difference(
    p1: Any, l1: Any, u1: Any, p2: Any, l2: Any, u2: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``p1 - p2`` with the MOVER "square-and-add" interval from the two rates' own intervals.

    With Wilson intervals this is Newcombe's (1998) hybrid score interval (his method 10);
    the one implementation that :func:`helpers.disparities.gaps` and
    :func:`helpers.runcharts.gap_series` share (:mod:`helpers.change` applies the same rule
    to four rates).
    """
    d = np.asarray(p1, dtype=float) - np.asarray(p2, dtype=float)
    low = d - np.sqrt((np.asarray(p1) - l1) ** 2 + (u2 - np.asarray(p2)) ** 2)
    high = d + np.sqrt((u1 - np.asarray(p1)) ** 2 + (np.asarray(p2) - l2) ** 2)
    return d, np.atleast_1d(low), np.atleast_1d(high)


def _newcombe_difference(
    x1: Any, n1: Any, x2: Any, n2: Any, level: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``x1/n1 - x2/n2`` with Newcombe's (1998) hybrid score interval (method 10).

    >>> d, lo, hi = _newcombe_difference(56, 70, 48, 80, 0.95)  # Newcombe's example (a)
    >>> [round(float(v), 4) for v in (d, lo[0], hi[0])]
    [0.2, 0.0524, 0.3339]
    """
    x1, n1, x2, n2 = (np.asarray(v, dtype=float) for v in (x1, n1, x2, n2))
    l1, u1 = proportion_ci(x1, n1, method="wilson", level=level)
    l2, u2 = proportion_ci(x2, n2, method="wilson", level=level)
    return _mover_difference(x1 / n1, l1, u1, x2 / n2, l2, u2)


def _clopper_pearson(x: np.ndarray, n: np.ndarray, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """Clopper-Pearson interval from beta quantiles; the 0/n and n/n ends are set by the caller."""
    low = stats.beta.ppf(alpha / 2.0, np.where(x > 0, x, 1.0), np.where(x > 0, n - x + 1.0, 1.0))
    high = stats.beta.ppf(1.0 - alpha / 2.0, np.where(x < n, x + 1.0, 1.0), np.where(x < n, n - x, 1.0))
    return np.asarray(low, dtype=float), np.asarray(high, dtype=float)


# =======================================================================================
# Counting strata (fast path over big patient-level data)
# =======================================================================================


@dataclass(frozen=True)
class _Encoded:
    """One ``by`` column as integer codes; code ``len(labels)`` marks a missing value."""

    codes: np.ndarray
    labels: list[Any]
    dtype: pd.CategoricalDtype | None


def _encode(series: pd.Series) -> _Encoded:
    if isinstance(series.dtype, pd.CategoricalDtype):
        codes = series.cat.codes.to_numpy().astype(np.int64)
        labels = list(series.cat.categories)
        dtype: pd.CategoricalDtype | None = series.dtype
    else:
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
        codes = codes.astype(np.int64, copy=False)
        labels = list(uniques)
        dtype = None
    codes[codes < 0] = len(labels)
    return _Encoded(codes, labels, dtype)


def _combine(encoded: Sequence[_Encoded], n_rows: int) -> tuple[np.ndarray, int, list[tuple[str, Any]]]:
    """Mix per-column codes into one code per row (mixed radix), compressing when it grows.

    Returns the combined codes, their range, and the steps needed to decode a combined code.
    """
    combined = encoded[0].codes
    size = len(encoded[0].labels) + 1
    steps: list[tuple[str, Any]] = []
    for enc in encoded[1:]:
        radix = len(enc.labels) + 1
        if size * radix > 2**40:
            dense, uniques = pd.factorize(combined)
            steps.append(("compress", np.asarray(uniques)))
            combined, size = dense.astype(np.int64), len(uniques)
        combined = combined * radix + enc.codes
        steps.append(("mix", radix))
        size *= radix
    if size > 4 * n_rows + 1024:
        dense, uniques = pd.factorize(combined)
        steps.append(("compress", np.asarray(uniques)))
        combined, size = dense.astype(np.int64), len(uniques)
    return combined, size, steps


def _decode(groups: np.ndarray, steps: list[tuple[str, Any]], n_columns: int) -> list[np.ndarray]:
    """Per-column codes of combined group codes (inverse of :func:`_combine`)."""
    out: list[np.ndarray] = []
    g = groups.astype(np.int64)
    for kind, payload in reversed(steps):
        if kind == "compress":
            g = payload[g]
        else:
            out.append(g % payload)
            g = g // payload
    out.append(g)
    out.reverse()
    assert len(out) == n_columns
    return out


def _outcome_values(data: pd.DataFrame, outcome: str, *, allow_missing: bool) -> np.ndarray:
    require_binary(data, outcome, what="data", allow_missing=allow_missing)
    return data[outcome].to_numpy(dtype=float, na_value=np.nan)


def _count_strata(
    data: pd.DataFrame,
    outcome: str,
    by: list[str],
    denominator: str | None,
    *,
    missing_outcome: str,
) -> tuple[pd.DataFrame, list[_Encoded]]:
    """Numerator, denominator and row counts per observed combination of ``by`` values.

    One pass of ``np.bincount`` over integer codes; no Python loop over rows. Missing group
    values are kept as ``None`` labels for the caller to relabel or exclude.
    """
    encoded = [_encode(data[col]) for col in by]
    codes, size, steps = _combine(encoded, len(data))
    rows = np.bincount(codes, minlength=size)
    observed = np.flatnonzero(rows)
    if denominator is None:
        values = _outcome_values(data, outcome, allow_missing=missing_outcome == "exclude")
        missing = np.isnan(values)
        if missing.any():
            n_missing: np.ndarray = np.bincount(codes, weights=missing, minlength=size)[observed]
            values = np.where(missing, 0.0, values)
        else:
            n_missing = np.zeros(len(observed))
        num = np.bincount(codes, weights=values, minlength=size)[observed]
        den = rows[observed] - n_missing
    else:
        num = np.bincount(codes, weights=data[outcome].to_numpy(dtype=float), minlength=size)[observed]
        den = np.bincount(codes, weights=data[denominator].to_numpy(dtype=float), minlength=size)[observed]
        n_missing = np.zeros(len(observed))
    table = {}
    for col, enc, col_codes in zip(by, encoded, _decode(observed, steps, len(by)), strict=True):
        labels = np.empty(len(enc.labels) + 1, dtype=object)
        labels[: len(enc.labels)] = enc.labels
        labels[-1] = None
        table[col] = labels[col_codes]
    table.update(
        numerator=num,
        denominator=den,
        _rows=rows[observed].astype(float),
        _missing_outcome=n_missing,
    )
    return pd.DataFrame(table), encoded


def _record(action: str, column: str, reason: str, rows: float, people: float) -> dict[str, Any]:
    return {
        "action": action,
        "column": column,
        "reason": reason,
        "rows": int(rows),
        "denominator": float(people),
    }


def _handle_missing_groups(
    strata: pd.DataFrame, by: list[str], *, missing: str, missing_label: str, aggregated: bool
) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """Relabel missing group values as ``missing_label``, or drop them; record what was done."""
    notes: list[dict[str, Any]] = []
    isna = strata[by].isna()
    any_na = isna.any(axis=1).to_numpy()
    if not any_na.any():
        return strata, notes
    people = strata["denominator"] + (0 if aggregated else strata["_missing_outcome"])
    if missing == "stratum":
        for col in by:
            mask = isna[col].to_numpy()
            if mask.any():
                notes.append(
                    _record(
                        f"counted in stratum {missing_label!r}",
                        col,
                        f"missing value in {col!r}",
                        strata.loc[mask, "_rows"].sum(),
                        people[mask].sum(),
                    )
                )
        strata = strata.copy()
        for col in by:
            strata[col] = strata[col].where(~isna[col], missing_label)
        grouped = strata.groupby(by, sort=False, dropna=False)
        strata = grouped[["numerator", "denominator", "_rows", "_missing_outcome"]].sum().reset_index()
        return strata, notes
    pattern = isna[any_na].apply(lambda row: tuple(c for c in by if row[c]), axis=1)
    for cols in sorted(set(pattern), key=lambda t: (len(t), [by.index(c) for c in t])):
        mask = np.zeros(len(strata), dtype=bool)
        mask[np.flatnonzero(any_na)[(pattern == cols).to_numpy()]] = True
        names = " and ".join(repr(c) for c in cols)
        notes.append(
            _record(
                "excluded",
                ", ".join(cols),
                f"missing value in {names}",
                strata.loc[mask, "_rows"].sum(),
                people[mask].sum(),
            )
        )
    return strata.loc[~any_na].reset_index(drop=True), notes


def _category_order(labels: Iterable[Any], enc: _Encoded, *, tail: Sequence[str]) -> list[Any]:
    """Order of a ``by`` column's labels: the input's categories if categorical, else sorted
    values; labels in ``tail`` (missing label, "Overall") that are not categories go last."""
    labels = list(labels)
    present = set(labels)
    if enc.dtype is not None:
        categories = list(enc.dtype.categories)
        known = set(categories)
        return categories + [t for t in tail if t in present and t not in known]
    values = [v for v in dict.fromkeys(labels) if v not in tail]
    try:
        order = sorted(values)
    except TypeError:
        order = sorted(values, key=str)
    return order + [t for t in tail if t in present]


def _build_by_column(values: np.ndarray, order: list[Any], enc: _Encoded) -> pd.Series:
    """The output ``by`` column: categorical (same order) if the input was, else plain values."""
    if enc.dtype is not None:
        return pd.Series(pd.Categorical(values, categories=order, ordered=enc.dtype.ordered))
    return pd.Series(list(values))


# =======================================================================================
# Suppression
# =======================================================================================


def _small(count: np.ndarray, min_cell: int) -> np.ndarray:
    """A count of 1 to ``min_cell - 1`` (CMS: "values of 1 to 10"); 0 and NaN are not small."""
    with np.errstate(invalid="ignore"):
        return (count > 0) & (count < min_cell)


def _primary_reasons(num: np.ndarray, den: np.ndarray, min_cell: int, protect_complement: bool) -> list[str]:
    """Why each row must be hidden ("" if it may be shown). A small denominator says it all;
    otherwise a small numerator and/or a small number without the outcome."""
    small_den = _small(den, min_cell)
    small_num = _small(num, min_cell)
    small_rest = _small(den - num, min_cell) if protect_complement else np.zeros(len(num), dtype=bool)
    texts = (
        f"fewer than {min_cell} in the group (denominator)",
        f"fewer than {min_cell} with the outcome (numerator)",
        f"fewer than {min_cell} without the outcome (denominator - numerator)",
    )
    reasons = []
    for i in range(len(num)):
        if small_den[i]:
            reasons.append(texts[0])
        else:
            flags = (small_num[i], small_rest[i])
            reasons.append("; ".join(t for t, bad in zip(texts[1:], flags, strict=True) if bad))
    return reasons


def _describe_row(labels: list[list[str]], names: list[str], i: int) -> str:
    return ", ".join(f"{c}={col[i]}" for c, col in zip(names, labels, strict=True))


def _lines(codes: np.ndarray, members: np.ndarray, total: int | None) -> list[tuple[np.ndarray, int | None]]:
    """Sets of rows that add up to a total a reader could know: the grand total, and every
    total of a table by fewer ``by`` columns (all rows sharing the values of a subset).

    ``codes`` has one integer column per ``by`` column (rows = table rows).
    """
    out: list[tuple[np.ndarray, int | None]] = [(members, total)]
    n_cols = codes.shape[1]
    sub = codes[members]
    for r in range(1, n_cols):
        for subset in combinations(range(n_cols), r):
            _, ids = np.unique(sub[:, list(subset)], axis=0, return_inverse=True)
            ids = ids.ravel()
            order = np.argsort(ids, kind="stable")
            bounds = np.flatnonzero(np.diff(ids[order])) + 1
            for chunk in np.split(order, bounds):
                if len(chunk) > 1:
                    out.append((members[chunk], None))
    return out


def _complementary(
    hidden: np.ndarray,
    reasons: list[str],
    num: np.ndarray,
    den: np.ndarray,
    keys: pd.DataFrame,
    is_total: np.ndarray,
    *,
    min_cell: int,
    protect_complement: bool,
) -> None:
    """Hide further cells until no hidden cell can be recovered by subtraction (in place).

    For every set of rows that adds up to a known total, a single hidden cell could be
    recovered as the total minus the others; so while a set has exactly one hidden cell and
    its total is known (shown in the table, or not itself small), the visible cell with the
    smallest denominator is hidden too. Repeats until nothing changes.
    """
    names = list(keys.columns)
    labels = [[str(v) for v in keys[c].tolist()] for c in names]
    codes = np.column_stack([pd.factorize(np.asarray(col, dtype=object))[0] for col in labels])
    members = np.flatnonzero(~is_total)
    totals = np.flatnonzero(is_total)
    lines = _lines(codes, members, int(totals[0]) if len(totals) else None)
    # A margin not in the table is known unless it is itself small (then it is hidden wherever
    # it is published, by the same rule). Counts do not change, so this is computed once.
    line_num = np.array([np.nansum(num[line]) for line, _ in lines])
    line_den = np.array([np.nansum(den[line]) for line, _ in lines])
    margin_small = np.array(
        [bool(r) for r in _primary_reasons(line_num, line_den, min_cell, protect_complement)]
    )
    sort_den = np.nan_to_num(den, nan=np.inf)
    changed = True
    while changed:
        changed = False
        for (line, total), small in zip(lines, margin_small, strict=True):
            n_hidden = int(hidden[line].sum())
            total_known = (not hidden[total]) if total is not None else not small
            needs = (n_hidden == 1 and total_known) or (n_hidden == 0 and total is not None and hidden[total])
            if not needs:
                continue
            visible = line[~hidden[line]]
            if len(visible) == 0:
                continue
            pick = visible[np.lexsort((visible, sort_den[visible]))[0]]
            protected = line[hidden[line]]
            target = _describe_row(labels, names, int(protected[0])) if len(protected) else "the total"
            hidden[pick] = True
            reasons[pick] = (
                f"complementary: hidden so that {target} cannot be recovered by subtraction from a total"
            )
            changed = True


def _as_count_dtype(values: np.ndarray, hidden: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """Counts as nullable integers (or nullable floats if not whole numbers), NA where hidden."""
    finite = values[~hidden & np.isfinite(values)]
    whole = bool(np.all(finite == np.round(finite)))
    arr = pd.array(np.where(hidden, np.nan, values), dtype="Float64")
    arr[hidden] = pd.NA
    return arr.astype("Int64") if whole else arr


def suppress_small_cells(
    table: pd.DataFrame,
    *,
    min_cell: int | None = 11,
    by: str | Sequence[str] | None = None,
    protect_complement: bool = True,
) -> pd.DataFrame:
    """Hide small counts, and enough other cells that no hidden count can be worked out.

    Primary suppression: a row is hidden when its numerator, its denominator or (with
    ``protect_complement``) the number without the outcome, ``denominator - numerator``, is
    between 1 and ``min_cell - 1`` - the CMS cell-size rule ("no cell containing a value of
    1 to 10 can be reported") at the default ``min_cell=11``. Zero counts are shown.

    Complementary (secondary) suppression: a single hidden cell in a set of rows whose total
    a reader knows could be recovered by subtraction. The sets are the whole table (the
    grand total, assumed public unless it is itself small) and, with several ``by`` columns,
    every group of rows sharing the values of some of the ``by`` columns (the totals of a
    table by fewer columns). In any such set with exactly one hidden cell, the visible cell
    with the smallest denominator is hidden too, repeatedly until no set has exactly one.
    This is the standard heuristic for tables with margins (Hundepool et al. 2012, ch. 4); it
    does not defend against every linear-programming attack on many linked tables.

    Hidden rows keep their labels; their counts, rates and intervals become NA,
    ``suppressed`` is True and ``suppression_reason`` says why ("" for shown rows).

    Parameters
    ----------
    table
        Any table with ``numerator`` and ``denominator`` columns, e.g. from
        :func:`stratified_rates` with ``min_cell=0``. Rows already marked ``suppressed``
        stay hidden.
    min_cell
        Smallest count that may be shown; ``0`` or ``None`` turns primary suppression off.
    by
        The columns that label the strata. Default: as recorded by :func:`stratified_rates`,
        otherwise every column that is not a count, rate, interval or flag. A row with
        ``"Overall"`` in every ``by`` column is the grand total.
    protect_complement
        Also hide rows where fewer than ``min_cell`` people did *not* have the outcome
        (e.g. 95 of 100 reveals 5 people).

    Returns
    -------
    pandas.DataFrame
        A copy of ``table`` with nullable integer ``numerator``/``denominator``, NA rates
        and intervals in hidden rows, and the columns ``suppressed`` and
        ``suppression_reason``.

    Raises
    ------
    KeyError
        If ``numerator`` or ``denominator`` (or a ``by`` column) is missing.
    ValueError
        If counts are not numeric, or ``min_cell`` is not a whole number >= 0.

    References
    ----------
    Centers for Medicare & Medicaid Services. CMS Cell Size Suppression Policy (values of
    1 to 10 may not be displayed, nor values from which they could be derived).
    Hundepool A, Domingo-Ferrer J, Franconi L, et al. Statistical Disclosure Control.
    Wiley; 2012. Chapter 4 (magnitude and frequency tables; secondary suppression).

    Examples
    --------
    >>> t = pd.DataFrame({"race": ["A", "B", "C"], "numerator": [40, 4, 30],
    ...                   "denominator": [100, 50, 80]})
    >>> out = suppress_small_cells(t)
    >>> out[["race", "numerator", "suppressed"]]
      race  numerator  suppressed
    0    A         40       False
    1    B       <NA>        True
    2    C       <NA>        True
    >>> print(out.loc[2, "suppression_reason"])
    complementary: hidden so that race=B cannot be recovered by subtraction from a total
    """
    table = require_dataframe(table, what="table")
    attrs = table.attrs
    table = table.copy(deep=False)
    table.attrs = {}  # pandas deep-copies attrs on every operation: keep the work cheap
    require_columns(table, _COUNT_COLUMNS, what="the table")
    for col in _COUNT_COLUMNS:
        require_numeric(table, col, what="the table")
    min_cell = require_nonnegative_int(min_cell, name="min_cell")
    by_cols = _by_columns(table, by, attrs=attrs)
    num = table["numerator"].to_numpy(dtype=float, na_value=np.nan)
    den = table["denominator"].to_numpy(dtype=float, na_value=np.nan)
    if "suppressed" in table.columns:
        already = table["suppressed"].fillna(False).to_numpy(dtype=bool)
        old = table.get("suppression_reason", pd.Series("", index=table.index)).fillna("").astype(str)
    else:
        already = np.zeros(len(table), dtype=bool)
        old = pd.Series("", index=table.index)
    reasons = _primary_reasons(num, den, min_cell, protect_complement) if min_cell else [""] * len(table)
    reasons = [o if a else r for a, o, r in zip(already, old.tolist(), reasons, strict=True)]
    hidden = already | np.array([bool(r) for r in reasons], dtype=bool)
    if by_cols and hidden.any():
        keys = table[by_cols].reset_index(drop=True)
        _complementary(
            hidden,
            reasons,
            num,
            den,
            keys,
            _total_rows(table, by_cols),
            min_cell=max(min_cell, 1),
            protect_complement=protect_complement,
        )
    out = table.copy()
    out["numerator"] = _as_count_dtype(num, hidden)
    out["denominator"] = _as_count_dtype(den, hidden)
    for col in _HIDDEN_WHEN_SUPPRESSED:
        if col in out.columns:
            out[col] = out[col].to_numpy(dtype=float, na_value=np.nan)
            out.loc[hidden, col] = np.nan
    out["suppressed"] = hidden
    out["suppression_reason"] = pd.array(reasons, dtype="str")
    out.attrs = {**attrs, "by": by_cols, "min_cell": min_cell}
    return out


# =======================================================================================
# Stratified rates
# =======================================================================================


def _validate_rates_args(
    data: Any,
    outcome: Any,
    by: Any,
    denominator: Any,
    *,
    level: Any,
    method: Any,
    min_cell: Any,
    missing: Any,
    missing_outcome: Any,
    extra_columns: Sequence[str] = (),
) -> tuple[pd.DataFrame, list[str], float, int]:
    """Shared argument checks for :func:`stratified_rates` and :func:`age_standardize`."""
    data = require_dataframe(data, what="data")
    by_cols = as_column_list(by, name="by")
    require_choice(method, _CI_METHODS, name="method")
    require_choice(missing, _MISSING_POLICIES, name="missing")
    require_choice(missing_outcome, _MISSING_OUTCOME_POLICIES, name="missing_outcome")
    level = require_level(level)
    min_cell = require_nonnegative_int(min_cell, name="min_cell")
    needed = [outcome, *by_cols, *([denominator] if denominator is not None else []), *extra_columns]
    require_columns(data, needed, what="data")
    for col in by_cols:
        if col in (outcome, denominator):
            raise ValueError(
                f"column {col!r} is both a group column (by) and the outcome/denominator; "
                "group by a different column"
            )
        if col in MEASURE_COLUMNS:
            raise ValueError(
                f"group column {col!r} has the name of an output column; rename it first, "
                f"e.g. data.rename(columns={{{col!r}: '{col}_group'}})"
            )
    require_nonempty(data, what="data")
    return data, by_cols, level, min_cell


def _validate_aggregated(data: pd.DataFrame, numerator: str, denominator: str) -> None:
    for col in (numerator, denominator):
        require_numeric(data, col, what="data")
        require_finite(data, col, what="data")
        require_nonnegative(data, col, what="data")
    require_not_greater(data, numerator, denominator, what="data")
    keys = [c for c in data.columns if c not in (numerator, denominator)]
    require_unique_rows(
        data,
        keys,
        what="data",
        fix=(
            "aggregated input needs one row per stratum, or the same people are counted twice; "
            f"drop repeated rows with data.drop_duplicates() or add them up first with "
            f"data.groupby({keys!r}, as_index=False)[[{numerator!r}, {denominator!r}]].sum()"
        ),
    )


def _check_zero_denominators(strata: pd.DataFrame, by: list[str], denominator: str | None) -> pd.DataFrame:
    zero = (strata["denominator"] <= 0).to_numpy()
    if not zero.any():
        return strata
    if denominator is None:  # patient-level: every outcome in the stratum was missing and excluded
        return strata.loc[~zero].reset_index(drop=True)
    row = strata.loc[zero].iloc[0]
    label = ", ".join(f"{c}={row[c]!r}" for c in by)
    raise ValueError(
        f"stratum {label} has denominator 0 in column {denominator!r} ({int(zero.sum())} such strata), so "
        f"its rate is undefined; drop empty rows first, e.g. data[data[{denominator!r}] > 0]"
    )


def _finish_by_columns(
    strata: pd.DataFrame, by: list[str], encoded: list[_Encoded], *, missing_label: str, overall: bool
) -> pd.DataFrame:
    """Sort strata (categorical order, else sorted labels; missing label last) and type ``by`` columns."""
    tail = [missing_label, OVERALL_LABEL] if overall else [missing_label]
    columns = {}
    sort_keys = []
    for col, enc in zip(by, encoded, strict=True):
        values = strata[col].to_numpy(dtype=object)
        labels = list(values) + ([OVERALL_LABEL] if overall else [])
        order = _category_order(labels, enc, tail=tail)
        rank = {v: i for i, v in enumerate(order)}
        sort_keys.append(np.array([rank[v] for v in values], dtype=np.int64))
        columns[col] = (values, order)
    perm = np.lexsort(sort_keys[::-1]) if sort_keys else np.arange(len(strata))
    strata = strata.iloc[perm].reset_index(drop=True)
    for col, enc in zip(by, encoded, strict=True):
        values, order = columns[col]
        strata[col] = _build_by_column(values[perm], order, enc)
    return strata


def _append_overall(strata: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    total = {col: OVERALL_LABEL for col in by}
    total.update({c: strata[c].sum() for c in ("numerator", "denominator", "_rows", "_missing_outcome")})
    row = pd.DataFrame([total])
    for col in by:
        if isinstance(strata[col].dtype, pd.CategoricalDtype):
            row[col] = pd.Categorical(row[col], dtype=strata[col].dtype)
    return pd.concat([strata, row], ignore_index=True)


def _outcome_notes(strata: pd.DataFrame, outcome: str) -> list[dict[str, Any]]:
    n = strata["_missing_outcome"].sum()
    if n <= 0:
        return []
    return [_record("excluded", outcome, f"missing outcome {outcome!r}", n, n)]


def stratified_rates(
    data: pd.DataFrame,
    outcome: str,
    by: str | Sequence[str],
    *,
    denominator: str | None = None,
    level: float = 0.95,
    method: CIMethod = "wilson",
    min_cell: int | None = 11,
    overall: bool = False,
    missing: Literal["stratum", "exclude"] = "stratum",
    missing_label: str = "Unknown",
    missing_outcome: Literal["raise", "exclude"] = "raise",
    protect_complement: bool = True,
) -> pd.DataFrame:
    """Rate of an outcome in every stratum, with confidence intervals and small-cell suppression.

    Works on patient-level data (one row per person, ``outcome`` is 0/1 or True/False) and
    on aggregated tables (``outcome`` holds numerators and ``denominator`` names the column
    of denominators; rows are added up within each stratum, e.g. over months or clinics).

    Parameters
    ----------
    data
        The data, one row per person or per aggregated cell.
    outcome
        Column with the 0/1 outcome (patient level) or with the numerators (aggregated).
    by
        One column, or several for intersectional strata (e.g. ``["race", "language"]``).
    denominator
        Column with the denominators for aggregated input; leave out for patient-level data.
    level, method
        Confidence level and interval method, as in :func:`proportion_ci`.
    min_cell
        Small-cell threshold for :func:`suppress_small_cells` (default 11, the CMS rule);
        ``0`` turns suppression off - only for internal analysis, never for display.
    overall
        Add a grand-total row (every ``by`` column reads ``"Overall"``) computed from the
        same rows as the strata.
    missing
        What to do with a missing group value (NaN/None in a ``by`` column):
        ``"stratum"`` (default) counts it in a stratum labelled ``missing_label``;
        ``"exclude"`` leaves the row out. Either way the number of rows is recorded and
        can be read with :func:`exclusions` - never silently.
    missing_label
        Label of the stratum for missing group values (placed last).
    missing_outcome
        Patient level only: ``"raise"`` (default) refuses missing outcomes; ``"exclude"``
        leaves those rows out and records how many.
    protect_complement
        Passed to :func:`suppress_small_cells`.

    Returns
    -------
    pandas.DataFrame
        One row per stratum (only combinations that occur), in the order of the input's
        categories (categorical ``by`` columns keep their dtype and order) or sorted, with
        ``missing_label`` and ``"Overall"`` last. Columns: the ``by`` columns, then
        ``numerator``, ``denominator`` (nullable integers), ``rate``, ``ci_low``,
        ``ci_high``, ``suppressed`` (bool) and ``suppression_reason`` ("" if shown).
        ``result.attrs`` records ``by``, the settings (``attrs["measure"]``) and the
        exclusions (``attrs["exclusions"]``; read them with :func:`exclusions`).

    Raises
    ------
    KeyError
        If a named column is not in ``data`` (the message suggests the closest name).
    ValueError
        If ``data`` is empty; the outcome is not 0/1 or has missing values; counts are
        negative, missing, non-numeric, or a numerator exceeds its denominator; a stratum's
        denominator is 0; aggregated rows repeat a stratum; or an option is invalid.

    References
    ----------
    Wilson (1927) and Clopper & Pearson (1934): see :func:`proportion_ci`.
    CMS Cell Size Suppression Policy: see :func:`suppress_small_cells`.

    Examples
    --------
    >>> df = pd.DataFrame({
    ...     "race": ["Black"] * 40 + ["White"] * 60 + [None] * 12,
    ...     "controlled": [1] * 16 + [0] * 24 + [1] * 33 + [0] * 27 + [1] * 6 + [0] * 6,
    ... })
    >>> rates = stratified_rates(df, "controlled", "race", overall=True)
    >>> print(rates[["race", "numerator", "denominator", "rate", "suppressed"]].to_string())
          race  numerator  denominator      rate  suppressed
    0    Black       <NA>         <NA>       NaN        True
    1    White         33           60  0.550000       False
    2  Unknown       <NA>         <NA>       NaN        True
    3  Overall         55          112  0.491071       False

    Six of the 12 people with no recorded race had the outcome (fewer than 11), so that row
    is hidden; Black is hidden too, or the Unknown counts could be worked out from the
    overall row:

    >>> for reason in rates["suppression_reason"]:
    ...     print(reason or "-")
    complementary: hidden so that race=Unknown cannot be recovered by subtraction from a total
    -
    fewer than 11 with the outcome (numerator); fewer than 11 without the outcome (denominator - numerator)
    -
    >>> print(exclusions(rates).to_string())
                             action column                   reason  rows  denominator
    0  counted in stratum 'Unknown'   race  missing value in 'race'    12         12.0
    """
    from helpers import warehouse  # imported here: helpers.warehouse imports this module

    if warehouse.is_table_expression(data):  # count inside the database; only the strata come back
        return warehouse.stratified_rates(
            data,
            outcome,
            by,
            denominator=denominator,
            level=level,
            method=method,
            min_cell=min_cell,
            overall=overall,
            missing=missing,
            missing_label=missing_label,
            missing_outcome=missing_outcome,
            protect_complement=protect_complement,
        )
    data, by_cols, level, min_cell = _validate_rates_args(
        data,
        outcome,
        by,
        denominator,
        level=level,
        method=method,
        min_cell=min_cell,
        missing=missing,
        missing_outcome=missing_outcome,
    )
    if denominator is not None:
        _validate_aggregated(data, outcome, denominator)
    strata, encoded = _count_strata(data, outcome, by_cols, denominator, missing_outcome=missing_outcome)
    strata, notes = _handle_missing_groups(
        strata, by_cols, missing=missing, missing_label=missing_label, aggregated=denominator is not None
    )
    if denominator is None:
        notes += _outcome_notes(strata, outcome)
    strata = _check_zero_denominators(strata, by_cols, denominator)
    if strata.empty:
        raise ValueError(
            f"no rows left to count: all {len(data)} rows were excluded (see the missing values in "
            f"{format_values(by_cols, quote=True)}); use missing='stratum' to count them as {missing_label!r}"
        )
    strata = _finish_by_columns(strata, by_cols, encoded, missing_label=missing_label, overall=overall)
    if overall:
        strata = _append_overall(strata, by_cols)
    table = _rates_table(strata, by_cols, method=method, level=level)
    table.attrs = {
        "by": by_cols,
        "exclusions": notes,
        "measure": {
            "function": "stratified_rates",
            "outcome": outcome,
            "denominator": denominator,
            "method": "clopper-pearson" if method == "exact" else method,
            "level": level,
            "missing": missing,
            "missing_label": missing_label,
        },
    }
    return suppress_small_cells(table, min_cell=min_cell, by=by_cols, protect_complement=protect_complement)


def _rates_table(strata: pd.DataFrame, by: list[str], *, method: str, level: float) -> pd.DataFrame:
    num = strata["numerator"].to_numpy(dtype=float)
    den = strata["denominator"].to_numpy(dtype=float)
    low, high = proportion_ci(num, den, method=method, level=level)  # type: ignore[arg-type]
    table = strata[by].copy()
    table["numerator"] = num
    table["denominator"] = den
    table["rate"] = num / den
    table["ci_low"] = low
    table["ci_high"] = high
    return table


def exclusions(table: pd.DataFrame) -> pd.DataFrame:
    """What a table left out or relabelled, and why.

    :func:`stratified_rates` and :func:`age_standardize` never drop rows silently: each
    group of rows that was excluded (missing group value with ``missing="exclude"``,
    missing outcome with ``missing_outcome="exclude"``, missing age group) or counted in
    the ``missing_label`` stratum is recorded in ``table.attrs["exclusions"]``. This function
    returns that record as a DataFrame.

    Parameters
    ----------
    table
        A table returned by :func:`stratified_rates` or :func:`age_standardize` (or
        derived from one: pandas keeps ``attrs`` through filtering and copying).

    Returns
    -------
    pandas.DataFrame
        Columns ``action`` ("excluded" or "counted in stratum 'Unknown'"), ``column``,
        ``reason``, ``rows`` (input rows) and ``denominator`` (people: equal to rows for
        patient-level data, the sum of the denominator column for aggregated data). Empty
        when nothing was excluded or relabelled.

    Raises
    ------
    ValueError
        If ``table`` is not a DataFrame.

    Examples
    --------
    >>> df = pd.DataFrame({"race": ["A", None, "A"], "flu_shot": [1, 0, 0]})
    >>> table = stratified_rates(df, "flu_shot", "race", missing="exclude", min_cell=0)
    >>> print(exclusions(table).to_string())
         action column                   reason  rows  denominator
    0  excluded   race  missing value in 'race'     1          1.0
    """
    table = require_dataframe(table, what="table")
    records = table.attrs.get("exclusions", [])
    columns = ["action", "column", "reason", "rows", "denominator"]
    out = pd.DataFrame(list(records), columns=columns)
    return out.astype({"rows": "int64", "denominator": "float64"})


# =======================================================================================
# Age standardisation
# =======================================================================================


def us2000_age_group(age: Any) -> pd.Series:
    """Ages in years -> the 11 age groups of :data:`US2000_STANDARD` (ordered categorical).

    Parameters
    ----------
    age
        Ages in completed years (array-like); missing stays missing.

    Returns
    -------
    pandas.Series
        Ordered categorical with categories ``"<1", "1-4", ..., "85+"``.

    Raises
    ------
    ValueError
        If an age is negative or not a number.

    Examples
    --------
    >>> us2000_age_group([0, 4, 18, 64, 85, 101]).tolist()
    ['<1', '1-4', '15-24', '55-64', '85+', '85+']
    """
    values = _float_array(age, "age")
    if (values < 0).any():
        raise ValueError(f"age has negative values (e.g. {values[values < 0][0]:g}); ages must be years >= 0")
    bins = [*_US2000_EDGES, np.inf]
    cut = pd.cut(values, bins=bins, right=False, labels=list(US2000_STANDARD.index), ordered=True)
    index = age.index if isinstance(age, pd.Series) else None
    return pd.Series(cut, index=index, name=getattr(age, "name", "age_group"))


def _standard_weights(standard: Any) -> pd.Series:
    """The standard population as weights summing to 1, indexed by age-group label (str)."""
    if isinstance(standard, str):
        require_choice(standard, ["us2000"], name="standard")
        weights = US2000_STANDARD.astype(float)
    elif isinstance(standard, pd.Series | dict):
        weights = pd.Series(standard, dtype=object)
        numeric = pd.to_numeric(weights, errors="coerce")
        if numeric.isna().any() or (numeric < 0).any() or numeric.sum() <= 0:
            raise ValueError(
                "standard must give a non-negative number (population or weight) for every age "
                f"group, with a positive total; got {format_values(weights.tolist())}"
            )
        weights = numeric.astype(float)
    else:
        raise ValueError(
            f"standard must be 'us2000' or a pandas Series of weights indexed by age group; got "
            f"{type(standard).__name__}"
        )
    weights.index = weights.index.map(str)
    if weights.index.has_duplicates:
        twice = weights.index[weights.index.duplicated()]
        raise ValueError(f"standard lists an age group twice: {format_values(twice)}; list each group once")
    return weights / weights.sum()


def _fay_feuer(
    rates: np.ndarray, weights: np.ndarray, events: np.ndarray, people: np.ndarray, level: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Directly standardised rates and Fay-Feuer gamma limits, one row per stratum.

    ``rates``, ``events``, ``people`` have shape (strata, bands); ``weights`` (bands,) sums to 1.
    """
    w_over_n = weights / people
    adjusted = (rates * weights).sum(axis=1)
    variance = (w_over_n**2 * events).sum(axis=1)
    w_max = w_over_n.max(axis=1)
    alpha = 1.0 - level
    with np.errstate(divide="ignore", invalid="ignore"):
        low = np.where(
            adjusted > 0,
            stats.gamma.ppf(alpha / 2.0, np.where(adjusted > 0, adjusted**2 / variance, 1.0))
            * np.where(adjusted > 0, variance / adjusted, 0.0),
            0.0,
        )
        shape_hi = (adjusted + w_max) ** 2 / (variance + w_max**2)
        scale_hi = (variance + w_max**2) / (adjusted + w_max)
        high = stats.gamma.ppf(1.0 - alpha / 2.0, shape_hi) * scale_hi
    return adjusted, low, high


def _age_labels(data: pd.DataFrame, age: str, standard: Any) -> pd.DataFrame:
    """Bin a numeric age column into US 2000 groups when the standard is 'us2000'."""
    series = data[age]
    if isinstance(series.dtype, pd.CategoricalDtype) or not pd.api.types.is_numeric_dtype(series.dtype):
        return data
    if isinstance(standard, str) and standard == "us2000":
        return data.assign(**{age: us2000_age_group(series)})
    raise ValueError(
        f"column {age!r} holds numbers but the standard is indexed by age-group labels; "
        f"bin the ages into the standard's groups first, e.g. with pd.cut(data[{age!r}], ...)"
    )


def age_standardize(
    data: pd.DataFrame,
    outcome: str,
    by: str | Sequence[str],
    *,
    age: str = "age_group",
    standard: str | pd.Series = "us2000",
    denominator: str | None = None,
    level: float = 0.95,
    min_cell: int | None = 11,
    overall: bool = False,
    missing: Literal["stratum", "exclude"] = "stratum",
    missing_label: str = "Unknown",
    missing_outcome: Literal["raise", "exclude"] = "raise",
    protect_complement: bool = True,
) -> pd.DataFrame:
    """Directly age-standardised rates with the Fay-Feuer gamma confidence interval.

    For each stratum, the age-specific rates ``d_a / n_a`` are averaged with the standard
    population's weights ``w_a`` (summing to 1): ``adjusted = sum_a w_a d_a / n_a``. The
    interval is Fay & Feuer's (1997) gamma interval, with variance
    ``v = sum_a w_a^2 d_a / n_a^2`` and ``w_M = max_a w_a / n_a``:
    ``lower = G^{-1}(alpha/2; y^2/v, v/y)`` and
    ``upper = G^{-1}(1 - alpha/2; (y+w_M)^2/(v+w_M^2), (v+w_M^2)/(y+w_M))``, where
    ``G^{-1}(p; shape, scale)`` is the gamma quantile. With a single age group it is the
    exact Poisson interval. It is conservative, and very wide when an age group has only a few
    people (``w_M`` is then large); because the rates here are proportions, the upper limit
    is capped at 1.

    Which age groups are used: the standard is restricted to the age groups present in the
    data and re-normalised to sum to 1 (the workbook's synthetic data are adults only, so
    the US 2000 groups under 15 drop out and 15-24 stands for 18-24). The weights used are
    echoed in ``result.attrs["standard"]``. A stratum with no one in one of those age groups
    has no adjusted rate (it is flagged with the reason). To use a different standard pass
    your own weights.

    Parameters
    ----------
    data, outcome, by, denominator, level, min_cell, overall, missing, missing_label, \
missing_outcome, protect_complement
        As in :func:`stratified_rates`. Suppression applies to each stratum's total counts.
    age
        Column with the age group of each row, labelled as the standard's index
        (``"<1", "1-4", "5-14", "15-24", ..., "85+"`` for US 2000). A numeric column of ages
        in years is binned with :func:`us2000_age_group` when ``standard="us2000"``. Rows
        with a missing age group are excluded and recorded (see :func:`exclusions`).
    standard
        ``"us2000"`` (:data:`US2000_STANDARD`) or a pandas Series of populations or weights
        indexed by age-group label (any positive scale; normalised to sum to 1).

    Returns
    -------
    pandas.DataFrame
        One row per stratum: the ``by`` columns, ``numerator``, ``denominator``,
        ``crude_rate``, ``adjusted_rate``, ``ci_low``, ``ci_high`` (for the adjusted rate),
        ``suppressed`` and ``suppression_reason``.

    Raises
    ------
    KeyError
        If a column is missing or the data have an age group the standard does not list.
    ValueError
        As :func:`stratified_rates`, and for an invalid ``standard``.

    References
    ----------
    Fay MP, Feuer EJ. Confidence intervals for directly standardized rates: a method based
    on the gamma distribution. Stat Med 1997;16:791-801.
    Klein RJ, Schoenborn CA. Age adjustment using the 2000 projected U.S. population.
    Healthy People 2010 Statistical Notes, no. 20. NCHS; 2001.

    Examples
    --------
    >>> counts = pd.DataFrame({
    ...     "group": ["A", "A", "B", "B"],
    ...     "age_group": ["25-34", "65-74", "25-34", "65-74"],
    ...     "events": [20, 60, 40, 15],
    ...     "people": [400, 200, 800, 50],
    ... })
    >>> out = age_standardize(counts, "events", "group", denominator="people")
    >>> out[["group", "crude_rate", "adjusted_rate"]].round(4)
      group  crude_rate  adjusted_rate
    0     A      0.1333         0.1319
    1     B      0.0647         0.1319

    The crude rates differ only because group B is younger; standardised to the same age
    mix (the US 2000 weights of the two age groups, re-normalised), the rates are equal.
    >>> out.attrs["standard"]  # doctest: +ELLIPSIS
    {'25-34': 0.6724..., '65-74': 0.3275...}
    """
    data, by_cols, level, min_cell = _validate_rates_args(
        data,
        outcome,
        by,
        denominator,
        level=level,
        method="wilson",
        min_cell=min_cell,
        missing=missing,
        missing_outcome=missing_outcome,
        extra_columns=[age],
    )
    if age in by_cols or age in (outcome, denominator):
        raise ValueError(f"age column {age!r} cannot also be a by, outcome or denominator column")
    weights_all = _standard_weights(standard)
    if denominator is not None:
        _validate_aggregated(data, outcome, denominator)
    data = _age_labels(data, age, standard)
    strata, encoded = _count_strata(
        data, outcome, [*by_cols, age], denominator, missing_outcome=missing_outcome
    )
    no_age = strata[age].isna().to_numpy()
    notes: list[dict[str, Any]] = []
    if no_age.any():
        people = strata.loc[no_age, "denominator"] + (
            0 if denominator is not None else strata.loc[no_age, "_missing_outcome"]
        )
        notes.append(
            _record(
                "excluded", age, f"missing age group {age!r}", strata.loc[no_age, "_rows"].sum(), people.sum()
            )
        )
        strata = strata.loc[~no_age].reset_index(drop=True)
    strata[age] = strata[age].map(str)
    unknown = sorted(set(strata[age]) - set(weights_all.index))
    if unknown:
        raise ColumnNotFoundError(
            f"age group(s) {format_values(unknown, quote=True)} in column {age!r} are not in the standard, "
            f"whose groups are {format_values(weights_all.index, quote=True)}"
            f"{_did_you_mean_any(unknown, weights_all.index)}; recode the age groups to match, or pass "
            "standard=pd.Series({...}) with weights for your own groups"
        )
    strata, more = _handle_missing_groups(
        strata,
        [*by_cols, age],
        missing=missing,
        missing_label=missing_label,
        aggregated=denominator is not None,
    )
    notes += more
    if denominator is None:
        notes += _outcome_notes(strata, outcome)
    bands = [b for b in weights_all.index if b in set(strata[age])]
    weights = (weights_all[bands] / weights_all[bands].sum()).to_numpy()
    return _standardized_table(
        strata,
        by_cols,
        encoded[: len(by_cols)],
        age=age,
        bands=bands,
        weights=weights,
        level=level,
        min_cell=min_cell,
        overall=overall,
        missing_label=missing_label,
        protect_complement=protect_complement,
        notes=notes,
        settings={"function": "age_standardize", "outcome": outcome, "denominator": denominator, "age": age},
    )


def _did_you_mean_any(values: Iterable[Any], choices: Iterable[Any]) -> str:
    choices = list(choices)
    for v in values:
        hint = did_you_mean(v, choices)
        if hint:
            return hint
    return ""


def _standardized_table(
    strata: pd.DataFrame,
    by: list[str],
    encoded: list[_Encoded],
    *,
    age: str,
    bands: list[str],
    weights: np.ndarray,
    level: float,
    min_cell: int,
    overall: bool,
    missing_label: str,
    protect_complement: bool,
    notes: list[dict[str, Any]],
    settings: dict[str, Any],
) -> pd.DataFrame:
    count_columns = ["numerator", "denominator", "_rows", "_missing_outcome"]
    totals = strata.groupby(by, sort=False, dropna=False)[count_columns].sum().reset_index()
    keys = _check_zero_denominators(totals, by, settings["denominator"])
    keys = _finish_by_columns(keys, by, encoded, missing_label=missing_label, overall=overall)
    if overall:
        keys = _append_overall(keys, by)
    events, people = _band_matrix(strata, keys, by, age, bands)
    with np.errstate(divide="ignore", invalid="ignore"):
        rates = events / people
        adjusted, low, high = _fay_feuer(
            np.nan_to_num(rates), weights, events, np.where(people > 0, people, 1), level
        )
    empty_band = (people <= 0).any(axis=1)
    num = keys["numerator"].to_numpy(dtype=float)
    den = keys["denominator"].to_numpy(dtype=float)
    table = keys[by].copy()
    table["numerator"] = num
    table["denominator"] = den
    table["crude_rate"] = num / den
    table["adjusted_rate"] = np.where(empty_band, np.nan, adjusted)
    table["ci_low"] = np.where(empty_band, np.nan, low)
    # The age-specific rates are proportions, so the adjusted rate is too: cap the (Poisson-based)
    # upper limit at 1, which it can pass when some age groups have very few people.
    table["ci_high"] = np.where(empty_band, np.nan, np.minimum(high, 1.0))
    table.attrs = {
        "by": by,
        "exclusions": notes,
        "standard": dict(zip(bands, weights.tolist(), strict=True)),
        "measure": {**settings, "level": level, "interval": "Fay-Feuer gamma"},
    }
    out = suppress_small_cells(table, min_cell=min_cell, by=by, protect_complement=protect_complement)
    flag = empty_band & ~out["suppressed"].to_numpy()
    if flag.any():
        reasons = out["suppression_reason"].to_numpy(dtype=object)
        for i in np.flatnonzero(flag):
            missing_bands = [b for b, n in zip(bands, people[i], strict=True) if n <= 0]
            reasons[i] = (
                f"no adjusted rate: no one in age group(s) {format_values(missing_bands, quote=True)}; "
                "pool strata or pass a standard without those groups"
            )
        out["suppressed"] = out["suppressed"].to_numpy() | flag
        out["suppression_reason"] = pd.array(reasons.tolist(), dtype="str")
    return out


def _band_matrix(
    strata: pd.DataFrame, keys: pd.DataFrame, by: list[str], age: str, bands: list[str]
) -> tuple[np.ndarray, np.ndarray]:
    """Events and people per (stratum, age group); the "Overall" row sums all strata."""
    band_pos = {b: j for j, b in enumerate(bands)}
    key_pos: dict[tuple[Any, ...], int] = {}
    for i, row in enumerate(keys[by].astype(object).itertuples(index=False, name=None)):
        key_pos[row] = i
    events = np.zeros((len(keys), len(bands)))
    people = np.zeros((len(keys), len(bands)))
    overall = key_pos.get(tuple(OVERALL_LABEL for _ in by))
    for row in strata[[*by, age, "numerator", "denominator"]].itertuples(index=False, name=None):
        *key, band, d, n = row
        j = band_pos[band]
        pos = key_pos.get(tuple(key))
        if pos is not None:
            events[pos, j] += d
            people[pos, j] += n
        if overall is not None:
            events[overall, j] += d
            people[overall, j] += n
    return events, people
