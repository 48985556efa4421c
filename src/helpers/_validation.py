"""Input checks shared by the public helpers.

Every public function validates its input here, at the edge, so that a team running the
workbook on its own data gets one clear message that names the offending column, value or
row and says how to fix it, instead of a traceback from deep inside pandas.

The checks are small and general so that any module can use them::

    from helpers._validation import require_columns, require_numeric

    require_columns(df, ["race", "bp_controlled"], what="patients")

All errors are :class:`ValueError` or :class:`KeyError` subclasses (the project's contract).
:class:`ColumnNotFoundError` is a ``KeyError`` whose message prints as plain text (a bare
``KeyError`` shows its message in quotes), and :class:`WrongTypeError` is both a
``TypeError`` and a ``ValueError``.

Examples
--------
>>> import pandas as pd
>>> df = pd.DataFrame({"age": [40], "sex": ["F"], "race": ["Asian"]})
>>> require_columns(df, ["race_ethnicity"], what="patients")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
helpers._validation.ColumnNotFoundError: column 'race_ethnicity' not found ... (did you mean 'race'?)
"""

from __future__ import annotations

import difflib
from collections.abc import Hashable, Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "ColumnNotFoundError",
    "GroupNotFoundError",
    "WrongTypeError",
    "as_column_list",
    "did_you_mean",
    "format_rows",
    "format_values",
    "is_numeric_like",
    "require_binary",
    "require_choice",
    "require_columns",
    "require_dataframe",
    "require_finite",
    "require_group",
    "require_level",
    "require_no_missing",
    "require_nonempty",
    "require_nonnegative",
    "require_nonnegative_int",
    "require_not_greater",
    "require_numeric",
    "require_unique_rows",
]

_SHOW = 5  # how many offending rows or values a message lists before "and N more"


class ColumnNotFoundError(KeyError):
    """A column (or group label) that the caller named is not there.

    A ``KeyError``, so ``except KeyError`` works; unlike a bare ``KeyError`` its message
    prints as plain text rather than as a quoted repr.
    """

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class GroupNotFoundError(ColumnNotFoundError, ValueError):
    """A group label the caller named (a reference or focus group) is not in the table.

    A ``KeyError`` like a missing column, and a ``ValueError`` (the project's contract), so
    either ``except`` clause catches it. Raised by :func:`require_group` in every module, with
    one message shape: ``reference group 'Blak' not found in column 'race'; groups are: 'Black',
    'White' (did you mean 'Black'?)``.
    """


class WrongTypeError(TypeError, ValueError):
    """An argument has the wrong type (e.g. a list where a DataFrame is needed).

    Both a ``TypeError`` (the Python convention) and a ``ValueError`` (the project's
    contract), so either ``except`` clause catches it.
    """


# ---------------------------------------------------------------------------------------
# Formatting
# ---------------------------------------------------------------------------------------


def did_you_mean(value: Any, choices: Iterable[Any]) -> str:
    """Return ``" (did you mean 'x'?)"`` for the closest choice, or ``""`` if none is close.

    Matching is case-insensitive first, then by :func:`difflib.get_close_matches`.

    >>> did_you_mean("Race", ["age", "race"])
    " (did you mean 'race'?)"
    >>> did_you_mean("zzz", ["age", "race"])
    ''
    """
    labels = {str(c): c for c in choices}
    text = str(value)
    for label in labels:
        if label.casefold() == text.casefold() and label != text:
            return f" (did you mean {label!r}?)"
    close = difflib.get_close_matches(text, list(labels), n=1, cutoff=0.6)
    if not close:
        folded = {label.casefold(): label for label in labels}
        close = [folded[c] for c in difflib.get_close_matches(text.casefold(), list(folded), n=1)]
    if not close:  # 'race_ethnicity' -> 'race', 'bp' -> 'bp_controlled'
        key = text.casefold()
        related = [
            label
            for label in labels
            if len(label) > 1 and (label.casefold() in key or key in label.casefold())
        ]
        close = sorted(related, key=lambda label: (-len(label), label))[:1]
    return f" (did you mean {close[0]!r}?)" if close else ""


def format_values(values: Iterable[Any], *, limit: int = 12, quote: bool = False) -> str:
    """Join values for a message, eliding after ``limit``.

    >>> format_values(range(20), limit=3)
    '0, 1, 2, ... (17 more)'
    >>> format_values(["a", "b"], quote=True)
    "'a', 'b'"
    """
    items = list(values)
    shown = [repr(v) if quote else str(v) for v in items[:limit]]
    text = ", ".join(shown)
    if len(items) > limit:
        text += f", ... ({len(items) - limit} more)"
    return text


def format_rows(index: Sequence[Hashable] | pd.Index, *, limit: int = _SHOW) -> str:
    """Describe offending rows by their index labels: ``"row 3"`` or ``"rows 3, 7 (and 2 more)"``.

    >>> format_rows([3])
    'row 3'
    >>> format_rows([3, 7, 9, 11], limit=2)
    'rows 3, 7 (and 2 more)'
    """
    labels = list(index)
    if len(labels) == 1:
        return f"row {labels[0]}"
    text = "rows " + ", ".join(str(v) for v in labels[:limit])
    if len(labels) > limit:
        text += f" (and {len(labels) - limit} more)"
    return text


def _example_values(series: pd.Series, mask: np.ndarray, *, limit: int = _SHOW) -> str:
    """Up to ``limit`` distinct offending values, quoted, for a message."""
    bad = pd.unique(series[mask].astype(object))
    return format_values(bad[:limit].tolist() + (["..."] if len(bad) > limit else []), quote=True).replace(
        "'...'", "..."
    )


# ---------------------------------------------------------------------------------------
# Arguments
# ---------------------------------------------------------------------------------------


def require_dataframe(data: Any, *, what: str = "data") -> pd.DataFrame:
    """Check that ``data`` is a pandas DataFrame; return it.

    >>> require_dataframe([1, 2], what="rates")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    helpers._validation.WrongTypeError: rates must be a pandas DataFrame, got list; ...
    """
    if not isinstance(data, pd.DataFrame):
        raise WrongTypeError(
            f"{what} must be a pandas DataFrame, got {type(data).__name__}; "
            "build one with pd.DataFrame(...) or read one with pd.read_csv(...)"
        )
    return data


def as_column_list(columns: Any, *, name: str = "by") -> list[str]:
    """Normalise a column argument (one name or a list of names) to a non-empty list.

    >>> as_column_list("race")
    ['race']
    >>> as_column_list(("race", "language"))
    ['race', 'language']
    """
    if isinstance(columns, str) or not isinstance(columns, Iterable):
        columns = [columns]
    out = list(columns)
    if not out:
        raise ValueError(f"{name} is empty; name at least one column, e.g. {name}='race'")
    seen: set[Any] = set()
    for col in out:
        if col in seen:
            raise ValueError(f"{name} names column {col!r} twice; list each column once")
        seen.add(col)
    return out


def require_columns(data: pd.DataFrame, columns: Iterable[Any], *, what: str = "data") -> None:
    """Check that every name in ``columns`` is a column of ``data``.

    Raises
    ------
    ColumnNotFoundError
        Naming the first missing column, listing the columns there are, and suggesting the
        closest name.
    """
    available = list(data.columns)
    for col in columns:
        if col not in data.columns:
            raise ColumnNotFoundError(
                f"column {col!r} not found in {what}; columns are: {format_values(available)}"
                f"{did_you_mean(col, available)}"
            )


def require_nonempty(data: pd.DataFrame, *, what: str = "data") -> None:
    """Check that ``data`` has at least one row."""
    if len(data) == 0:
        raise ValueError(
            f"{what} has no rows; check the file you loaded and any filter applied before this call"
        )


def require_choice(value: Any, choices: Iterable[str], *, name: str) -> str:
    """Check that ``value`` is one of ``choices`` (exact match); return it.

    >>> require_choice("wilson", ["wilson", "clopper-pearson"], name="method")
    'wilson'
    >>> require_choice("Wilson", ["wilson", "clopper-pearson"], name="method")
    Traceback (most recent call last):
    ...
    ValueError: method='Wilson' is not one of 'wilson', 'clopper-pearson' (did you mean 'wilson'?)
    """
    options = list(choices)
    if not isinstance(value, str) or value not in options:
        raise ValueError(
            f"{name}={value!r} is not one of {format_values(options, quote=True)}"
            f"{did_you_mean(value, options)}"
        )
    return value


def require_group(
    label: Any, labels: Iterable[Any], *, column: Any, role: str = "group", extra: str = ""
) -> str:
    """Check that a group label is one of ``labels`` (compared as text); return it as text.

    >>> try:
    ...     require_group("Blak", ["Black", "White"], column="race", role="reference group")
    ... except KeyError as error:  # also a ValueError
    ...     print(error)
    reference group 'Blak' not found in column 'race'; groups are: 'Black', 'White' (did you mean 'Black'?)
    """
    shown = [str(v) for v in labels]
    text = " / ".join(map(str, label)) if isinstance(label, list | tuple) else str(label)
    if text in shown:
        return text
    where = (
        f"column(s) {format_values(column, quote=True)}"
        if isinstance(column, list | tuple)
        else f"column {column!r}"
    )
    raise GroupNotFoundError(
        f"{role} {text!r} not found in {where}; groups are: "
        f"{format_values(list(dict.fromkeys(shown)), quote=True)}{did_you_mean(text, shown)}{extra}"
    )


def require_level(level: Any, *, name: str = "level") -> float:
    """Check a confidence level is a number strictly between 0 and 1; return it as float.

    >>> require_level(95)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: level=95 must be a probability between 0 and 1, ... (did you mean level=0.95?)
    """
    if isinstance(level, bool) or not isinstance(level, int | float | np.integer | np.floating):
        raise ValueError(f"{name}={level!r} must be a number between 0 and 1, e.g. 0.95 for a 95% interval")
    value = float(level)
    if not 0.0 < value < 1.0:
        hint = f" (did you mean {name}={value / 100:g}?)" if 1.0 < value < 100.0 else ""
        raise ValueError(
            f"{name}={level!r} must be a probability between 0 and 1, e.g. 0.95 for a 95% interval{hint}"
        )
    return value


def require_nonnegative_int(value: Any, *, name: str, example: str = "11") -> int:
    """Check an argument is a whole number >= 0 (``None`` counts as 0); return it.

    >>> require_nonnegative_int(None, name="min_cell")
    0
    """
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 0:
        raise ValueError(f"{name}={value!r} must be a whole number >= 0, e.g. {name}={example}")
    return int(value)


# ---------------------------------------------------------------------------------------
# Column contents
# ---------------------------------------------------------------------------------------


def is_numeric_like(series: pd.Series) -> bool:
    """True for a numeric (or bool) dtype, or an object column whose values are all numbers.

    Text that looks like a number (``"12"``) does not count: it needs an explicit conversion.
    """
    if pd.api.types.is_numeric_dtype(series.dtype):
        return True
    if series.dtype != object:
        return False
    values = series.dropna()
    return all(isinstance(v, int | float | np.number | bool | np.bool_) for v in values)


def require_numeric(data: pd.DataFrame, column: Any, *, what: str = "data") -> None:
    """Check that a column holds numbers (bool counts as numeric; see :func:`is_numeric_like`).

    The message lists a few values that are not numbers and shows how to convert.
    """
    series = data[column]
    if is_numeric_like(series):
        return
    converted = pd.to_numeric(series.astype(object), errors="coerce")
    bad = converted.isna().to_numpy() & series.notna().to_numpy()
    examples = f"; e.g. {_example_values(series, bad)}" if bad.any() else ""
    raise ValueError(
        f"column {column!r} in {what} must be numeric but has dtype {series.dtype}{examples}; "
        f"convert it with data[{column!r}] = pd.to_numeric(data[{column!r}], errors='coerce') "
        "and decide what to do with the values that become missing"
    )


def _as_float(series: pd.Series) -> np.ndarray:
    """A numeric column as a float64 array, missing values as NaN."""
    return series.to_numpy(dtype=float, na_value=np.nan)


def require_no_missing(data: pd.DataFrame, column: Any, *, what: str = "data", fix: str = "") -> None:
    """Check that a column has no missing values; ``fix`` is appended to the message."""
    mask = data[column].isna().to_numpy()
    if mask.any():
        raise ValueError(
            f"column {column!r} in {what} has {int(mask.sum())} missing value(s) "
            f"({format_rows(data.index[mask])})" + (f"; {fix}" if fix else "")
        )


def require_finite(data: pd.DataFrame, column: Any, *, what: str = "data") -> None:
    """Check that a numeric column has no missing or infinite values."""
    values = _as_float(data[column])
    bad = ~np.isfinite(values)
    if bad.any():
        raise ValueError(
            f"column {column!r} in {what} has {int(bad.sum())} missing or infinite value(s) "
            f"({format_rows(data.index[bad])}); every row needs a count: fill or drop these rows first"
        )


def require_nonnegative(data: pd.DataFrame, column: Any, *, what: str = "data") -> None:
    """Check that a numeric column has no negative values (missing values are ignored)."""
    values = _as_float(data[column])
    bad = values < 0
    if bad.any():
        raise ValueError(
            f"column {column!r} in {what} has negative value(s) {_example_values(data[column], bad)} "
            f"({format_rows(data.index[bad])}); counts cannot be negative: correct or drop these rows"
        )


def require_not_greater(data: pd.DataFrame, small: Any, large: Any, *, what: str = "data") -> None:
    """Check ``data[small] <= data[large]`` row by row (e.g. numerator <= denominator)."""
    lo = _as_float(data[small])
    hi = _as_float(data[large])
    bad = lo > hi
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"column {small!r} is larger than column {large!r} in {int(bad.sum())} row(s) of {what} "
            f"({format_rows(data.index[bad])}; e.g. {lo[first]:g} > {hi[first]:g}); a numerator counts "
            f"people in the denominator, so it cannot exceed it: check that {small!r} and {large!r} "
            "are not swapped"
        )


def require_binary(
    data: pd.DataFrame, column: Any, *, what: str = "data", allow_missing: bool = False
) -> None:
    """Check that a column is a 0/1 (or True/False) outcome.

    Parameters
    ----------
    allow_missing
        If False, missing values are an error too.
    """
    series = data[column]
    if not is_numeric_like(series):
        values = pd.unique(series.dropna().astype(object))
        raise ValueError(
            f"outcome column {column!r} in {what} must be 0/1 or True/False, but has dtype "
            f"{series.dtype} with values like {format_values(values[:_SHOW].tolist(), quote=True)}; "
            f"recode it, e.g. data[{column!r}] = data[{column!r}].map({{'yes': 1, 'no': 0}})"
        )
    if series.dtype == bool:
        return
    values = _as_float(series)
    missing = np.isnan(values)
    bad = ~(missing | (values == 0) | (values == 1))
    if bad.any():
        raise ValueError(
            f"outcome column {column!r} in {what} must be 0/1 or True/False, but has "
            f"{_example_values(series, bad)} ({format_rows(data.index[bad])}); for counts per group "
            "pass denominator='<column with the group sizes>', otherwise recode the outcome to 0/1"
        )
    if not allow_missing and missing.any():
        raise ValueError(
            f"outcome column {column!r} in {what} has {int(missing.sum())} missing value(s) "
            f"({format_rows(data.index[missing])}); drop or fill them first, or pass "
            "missing_outcome='exclude' to leave them out (the count is reported by exclusions())"
        )


def require_unique_rows(
    data: pd.DataFrame, columns: Sequence[Any], *, what: str = "data", fix: str = ""
) -> None:
    """Check that no two rows share the same values in ``columns``."""
    if not columns:
        return
    dup = data.duplicated(subset=list(columns), keep=False).to_numpy()
    if dup.any():
        first = data.loc[dup, list(columns)].iloc[0]
        key = ", ".join(f"{c}={first[c]!r}" for c in columns)
        raise ValueError(
            f"{int(dup.sum())} rows of {what} repeat the same stratum ({format_rows(data.index[dup])}; "
            f"e.g. {key})" + (f"; {fix}" if fix else "")
        )
