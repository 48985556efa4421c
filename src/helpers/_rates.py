"""The rates-table contract: one place that knows what a rates table is.

A *rates table* is what :func:`helpers.measures.stratified_rates` returns (and what
:func:`helpers.disparities.gaps`, :func:`helpers.runcharts.gap_series` and the plots read):

* the ``by`` columns, one per stratifier, in the order given (any dtype: text, categorical,
  integer, boolean);
* the measure columns :data:`MEASURE_COLUMNS` (counts, rate and interval, the gap columns
  added by :func:`helpers.disparities.gaps`, and the suppression flags);
* optionally a grand-total row with :data:`OVERALL_LABEL` in every ``by`` column;
* ``table.attrs``: ``"by"`` (the ``by`` columns), ``"min_cell"`` (the suppression
  threshold), ``"measure"`` (a dict with ``"level"`` and ``"method"`` among others) and
  ``"exclusions"``.

Every module reads those through the functions here - :func:`by_columns`,
:func:`total_rows` and :func:`table_settings` - so a table made with ``level=0.9`` or
``min_cell=5`` is drawn and described with those settings, not with the defaults.

>>> import pandas as pd
>>> t = pd.DataFrame({"decile": [1, 2], "rate": [0.4, 0.5], "ci_low": [0.3, 0.4],
...                   "ci_high": [0.5, 0.6]})
>>> by_columns(t)
['decile']
>>> table_settings(t)
RatesSettings(level=0.95, min_cell=11, method='wilson')
>>> suppressed_label(11)
'suppressed (1–10)'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from helpers._validation import as_column_list, require_columns, require_level

__all__ = [
    "DEFAULT_LEVEL",
    "DEFAULT_METHOD",
    "DEFAULT_MIN_CELL",
    "MEASURE_COLUMNS",
    "OVERALL_LABEL",
    "RatesSettings",
    "by_columns",
    "level_label",
    "measure_rates",
    "single_by_column",
    "stack_measures",
    "suppressed_label",
    "table_settings",
    "total_rows",
]

OVERALL_LABEL = "Overall"
"""Label of the grand-total row in every ``by`` column."""

DEFAULT_LEVEL = 0.95
DEFAULT_MIN_CELL = 11
DEFAULT_METHOD = "wilson"

COUNT_COLUMNS = ("numerator", "denominator")
GAP_COLUMNS = (
    "reference_group",
    "reference_rate",
    "abs_diff",
    "abs_diff_ci_low",
    "abs_diff_ci_high",
    "rel_ratio",
    "rel_ratio_ci_low",
    "rel_ratio_ci_high",
)
"""The columns :func:`helpers.disparities.gaps` adds to a rates table."""
DERIVED_COLUMNS = ("rate", "ci_low", "ci_high", "crude_rate", "adjusted_rate", *GAP_COLUMNS)
FLAG_COLUMNS = ("suppressed", "suppression_reason")
MEASURE_COLUMNS = (*COUNT_COLUMNS, *DERIVED_COLUMNS, *FLAG_COLUMNS)
"""Every column a rates table may carry besides its ``by`` columns."""
HIDDEN_WHEN_SUPPRESSED = tuple(c for c in DERIVED_COLUMNS if c not in ("reference_group", "reference_rate"))
# Columns some tables carry that are settings or series keys, never strata.
_NOT_BY = {*MEASURE_COLUMNS, "level", "method"}


@dataclass(frozen=True)
class RatesSettings:
    """The settings a rates table was made with (read from ``table.attrs``)."""

    level: float = DEFAULT_LEVEL
    min_cell: int = DEFAULT_MIN_CELL
    method: str = DEFAULT_METHOD


def by_columns(table: pd.DataFrame, by: Any = None, *, attrs: dict[str, Any] | None = None) -> list[str]:
    """The ``by`` columns of a rates table: as given, as recorded in ``attrs``, else inferred.

    Inference keeps every column that is not a measure column, a setting or private
    (``_``-prefixed), whatever its dtype - so integer and boolean stratifiers count.

    >>> t = pd.DataFrame({"smoker": [True, False], "rate": [0.2, 0.3]})
    >>> by_columns(t)
    ['smoker']
    >>> t.attrs["by"] = ["smoker"]
    >>> by_columns(t, "rate")
    ['rate']
    """
    if by is not None:
        cols = as_column_list(by)
        require_columns(table, cols, what="the table")
        return cols
    recorded = (table.attrs if attrs is None else attrs).get("by")
    if isinstance(recorded, list | tuple) and recorded and all(c in table.columns for c in recorded):
        return list(recorded)
    return [c for c in table.columns if c not in _NOT_BY and not str(c).startswith("_")]


def total_rows(table: pd.DataFrame, by: Sequence[str]) -> np.ndarray:
    """Boolean mask of the grand-total rows (:data:`OVERALL_LABEL` in every ``by`` column).

    >>> t = pd.DataFrame({"race": ["A", "Overall"], "rate": [0.1, 0.2]})
    >>> total_rows(t, ["race"]).tolist()
    [False, True]
    """
    if not by:
        return np.zeros(len(table), dtype=bool)
    mask = np.ones(len(table), dtype=bool)
    for col in by:
        series = table[col]
        if isinstance(series.dtype, pd.CategoricalDtype):
            categories = series.cat.categories
            if OVERALL_LABEL not in categories:
                return np.zeros(len(table), dtype=bool)
            mask &= series.cat.codes.to_numpy() == categories.get_loc(OVERALL_LABEL)
        else:
            mask &= np.asarray(series.to_numpy(dtype=object) == OVERALL_LABEL, dtype=bool)
    return mask


def table_settings(
    table: pd.DataFrame | None,
    *,
    level: float | None = None,
    min_cell: int | None = None,
    gaps: bool = False,
    attrs: dict[str, Any] | None = None,
) -> RatesSettings:
    """The confidence level, suppression threshold and interval method of a table.

    An explicit ``level`` or ``min_cell`` wins; otherwise the value recorded in
    ``table.attrs`` by :func:`helpers.measures.stratified_rates` (or ``gap_series``), else
    the defaults (0.95, 11, "wilson"). With ``gaps=True`` the level is that of the gap
    intervals (``attrs["gaps"]["level"]``, recorded by :func:`helpers.disparities.gaps`)
    when there is one. ``attrs`` replaces ``table.attrs`` (for callers that stripped them).

    >>> t = pd.DataFrame({"rate": [0.5]})
    >>> t.attrs = {"min_cell": 5, "measure": {"level": 0.9, "method": "clopper-pearson"}}
    >>> table_settings(t)
    RatesSettings(level=0.9, min_cell=5, method='clopper-pearson')
    >>> table_settings(t, level=0.99).level
    0.99
    """
    if attrs is None:
        attrs = {} if table is None else (table.attrs or {})
    recorded = attrs.get("measure")
    measure: dict[str, Any] = recorded if isinstance(recorded, dict) else {}
    recorded_level = measure.get("level", attrs.get("level"))
    gap_attrs = attrs.get("gaps")
    if gaps and isinstance(gap_attrs, dict) and gap_attrs.get("level") is not None:
        recorded_level = gap_attrs["level"]
    recorded_min = attrs.get("min_cell")
    lv = require_level(level if level is not None else (recorded_level or DEFAULT_LEVEL))
    if min_cell is None:
        min_cell = DEFAULT_MIN_CELL if recorded_min is None else int(recorded_min)
    method = str(measure.get("method", attrs.get("method", DEFAULT_METHOD)))
    return RatesSettings(level=lv, min_cell=int(min_cell), method=method)


def suppressed_label(min_cell: int) -> str:
    """The project's words for a suppressed cell: "suppressed (1–10)" at ``min_cell=11``.

    >>> suppressed_label(5)
    'suppressed (1–4)'
    >>> suppressed_label(2)
    'suppressed (1)'
    >>> suppressed_label(0)
    'suppressed'
    """
    top = int(min_cell) - 1
    if top < 1:
        return "suppressed"
    return "suppressed (1)" if top == 1 else f"suppressed (1–{top})"


def level_label(level: float) -> str:
    """'95% CI', '90% CI', '99.5% CI'.

    >>> level_label(0.9), level_label(0.995)
    ('90% CI', '99.5% CI')
    """
    pct = round(level * 100, 4)
    text = f"{pct:.0f}" if pct == int(pct) else f"{pct:g}"
    return f"{text}% CI"


def single_by_column(
    table: pd.DataFrame,
    group: str | None = None,
    *,
    what: str = "the table",
    ignore: Iterable[str] = (),
    hint: str = "pass the grouping column by name",
) -> str:
    """The one ``by`` column of a table stratified by a single column.

    ``group`` wins when given (it must be a column of ``table``); otherwise the table's
    :func:`by_columns` (recorded in ``attrs``, else inferred), leaving out the ``ignore``
    columns (measure columns a module adds that the contract does not know).

    Raises
    ------
    KeyError
        If ``group`` is not a column (:class:`helpers._validation.ColumnNotFoundError`).
    ValueError
        If there is not exactly one ``by`` column; the message ends with ``hint``.

    >>> t = pd.DataFrame({"race": ["A", "B"], "rate": [0.4, 0.5], "share": [1.0, 2.0]})
    >>> single_by_column(t, ignore=["share"])
    'race'
    >>> t.attrs["by"] = ["race"]
    >>> single_by_column(t)
    'race'
    """
    if group is not None:
        require_columns(table, [group], what=what)
        return group
    skip = set(ignore)
    cols = [c for c in by_columns(table) if c not in skip]
    if len(cols) != 1:
        found = ", ".join(repr(c) for c in cols) or "none"
        raise ValueError(f"cannot tell which column of {what} names the groups (found {found}); {hint}")
    return str(cols[0])


def measure_rates(
    data: pd.DataFrame,
    outcome: str,
    by: str | Sequence[str],
    *,
    denominator: str | None = None,
    **options: Any,
) -> pd.DataFrame:
    """:func:`helpers.measures.stratified_rates` of one measure of a multi-measure table.

    The one rule every multi-measure table follows: with a ``denominator`` the rows are counts
    (``outcome`` over ``denominator``); without one they are people with a 0/1 ``outcome``, and
    a person whose outcome is blank is not in that measure (left out, and counted in
    ``attrs["exclusions"]``). ``options`` go to ``stratified_rates`` (``level``, ``min_cell``...).

    >>> people = pd.DataFrame({"team": ["a", "a", "b"], "ok": [1, None, 0]})
    >>> measure_rates(people, "ok", "team", min_cell=0)[["team", "denominator"]].values.tolist()
    [['a', 1], ['b', 1]]
    """
    from helpers.measures import stratified_rates  # imported here: helpers.measures imports this module

    missing_outcome: Literal["raise", "exclude"] = "exclude" if denominator is None else "raise"
    return stratified_rates(
        data, outcome, by, denominator=denominator, missing_outcome=missing_outcome, **options
    )


def stack_measures(
    tables: Mapping[str, pd.DataFrame], by: str, columns: Sequence[str], **constants: Any
) -> pd.DataFrame:
    """Rates tables of several measures, grouped the same way, as one long table.

    Columns: ``by``, ``measure`` (the key of ``tables``), the ``constants`` (the same value on
    every row, e.g. ``source="clinical"``; or a mapping from measure to value), then
    ``columns``; measures in the order given, groups in each table's order. The parts'
    ``attrs`` are not carried over: the caller records what the long table holds.

    >>> a = pd.DataFrame({"g": ["x", "y"], "rate": [0.1, 0.2]})
    >>> b = pd.DataFrame({"g": ["x", "y"], "rate": [0.3, 0.4]})
    >>> stack_measures({"A": a, "B": b}, "g", ["rate"], source={"A": "need", "B": "clinical"})
       g measure    source  rate
    0  x       A      need   0.1
    1  y       A      need   0.2
    2  x       B  clinical   0.3
    3  y       B  clinical   0.4
    """
    if not tables:
        raise ValueError("there are no measures to put side by side; give at least one")
    parts = []
    for name, table in tables.items():
        part = table[[by, *columns]].copy()
        part.attrs = {}
        part.insert(1, "measure", name)
        for k, (key, value) in enumerate(constants.items(), start=2):
            part.insert(k, key, value[name] if isinstance(value, Mapping) else value)
        parts.append(part)
    return pd.concat(parts, ignore_index=True)
