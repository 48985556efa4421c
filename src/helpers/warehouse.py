"""Count inside the warehouse, analyse the counts here: the helpers on a database or a cluster.

A health system's patient-level data usually lives in a warehouse (DuckDB, PostgreSQL - often
in the OMOP common data model -, Snowflake, Spark) and may not leave it. Stratified rates, gaps
and run charts need only counts per stratum (and per month), so this module pushes the counting
down to the warehouse as **one** ``GROUP BY`` through `Ibis <https://ibis-project.org>`_ and
brings back only the small table of strata. Intervals, small-cell suppression, gaps and summary
measures then run on that table through the same pandas functions as everywhere else in the
workbook, so the results equal the pandas path exactly.

* :func:`is_table_expression` - is this an Ibis table (rather than a pandas DataFrame)?
* :func:`strata_query` / :func:`strata_sql` - the ``GROUP BY`` that is sent, and its SQL.
* :func:`count_strata` - run it: one row per observed combination of the ``by`` values.
* :func:`stratified_rates` - :func:`helpers.measures.stratified_rates` on a warehouse table.
* :func:`rates_from_counts` - the same, from a table of counts per stratum already fetched.
* :func:`monthly_counts` - numerator and denominator per month and group, for run charts.

Only counts per stratum leave the warehouse; suppress small cells (the default ``min_cell=11``)
before anything is shown or shared. Ibis is imported only when a table expression is used, so
the rest of the package works without it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from helpers import measures
from helpers._validation import (
    as_column_list,
    format_values,
    require_choice,
    require_columns,
)

if TYPE_CHECKING:  # pragma: no cover
    import ibis.expr.types as ir

__all__ = [
    "count_strata",
    "is_table_expression",
    "monthly_counts",
    "rates_from_counts",
    "strata_query",
    "strata_sql",
    "stratified_rates",
]

#: Internal count columns of :func:`count_strata` (besides ``numerator`` and ``denominator``).
ROWS = "_rows"
MISSING_OUTCOME = "_missing_outcome"
_BAD = "_bad_values"
_COUNT_COLUMNS = ("numerator", "denominator", ROWS, MISSING_OUTCOME)


def is_table_expression(data: Any) -> bool:
    """Whether ``data`` is an Ibis table expression (a warehouse table or query), not a DataFrame.

    Never imports Ibis unless ``data`` comes from it, so it is cheap to call on every input.

    Examples
    --------
    >>> is_table_expression(pd.DataFrame({"a": [1]}))
    False
    >>> import ibis, pyarrow as pa
    >>> is_table_expression(ibis.memtable(pa.table({"a": [1]})))
    True
    """
    if not type(data).__module__.startswith("ibis."):
        return False
    import ibis.expr.types as ir

    return isinstance(data, ir.Table)


def _require_table(table: Any) -> ir.Table:
    if not is_table_expression(table):
        raise TypeError(
            f"table must be an Ibis table expression, got {type(table).__name__}; open one with e.g. "
            "ibis.duckdb.connect().read_parquet('visits.parquet') or ibis.connect(url).table('visits') "
            "(a pandas DataFrame goes to helpers.measures.stratified_rates directly)"
        )
    return table


def _fetch(expr: Any) -> pd.DataFrame:
    """Run a query and return its (small) result through Arrow, as ``pandas.read_parquet`` would."""
    return expr.to_pyarrow().to_pandas()


def _is_missing(column: Any) -> Any:
    """NULL, and NaN for floating columns (pandas counts both as missing)."""
    if column.type().is_floating():
        return column.isnull() | column.isnan()  # noqa: PD003 (an Ibis column, not pandas)
    return column.isnull()  # noqa: PD003 (an Ibis column, not pandas)


def _require_binary_type(table: ir.Table, outcome: str) -> None:
    dtype = table[outcome].type()
    if not (dtype.is_boolean() or dtype.is_numeric()):
        raise ValueError(
            f"outcome column {outcome!r} in the table must be 0/1 or True/False, but has type {dtype}; "
            f"recode it in the query, e.g. table.mutate({outcome}=(table.{outcome} == 'yes').cast('int8'))"
        )


def _outcome_counts(table: ir.Table, outcome: str, *, range_checked: bool = False) -> dict[str, Any]:
    """Aggregates of a patient-level 0/1 outcome, as cheap as DuckDB's own ``sum``/``count``.

    ``_bad_values`` is positive in a stratum with a value other than 0/1 (the rows are counted
    by :func:`_raise_bad_values` only then). A NaN outcome makes ``numerator`` NaN; the caller
    then runs :func:`_outcome_counts_nan_aware` instead. ``range_checked``: an integer outcome
    already found within 0..1 by :func:`_integer_outcome_in_range` needs no check per stratum.
    """
    import ibis

    _require_binary_type(table, outcome)
    column = table[outcome]
    dtype = column.type()
    if dtype.is_boolean() or (range_checked and dtype.is_integer()):
        n_bad = ibis.literal(0, "int64")
    else:
        n_bad = ibis.ifelse((column.min() < 0) | (column.max() > 1), 1, 0)
        if not dtype.is_integer():  # 0.5 is not a 0/1 outcome either
            n_bad = n_bad + column.count(where=(column > 0) & (column < 1))
    return {
        "numerator": column.sum().fill_null(0),
        "denominator": column.count(),
        MISSING_OUTCOME: table.count() - column.count(),
        _BAD: n_bad.fill_null(0),
    }


def _integer_outcome_in_range(table: ir.Table, outcome: str) -> bool:
    """Whether an integer outcome lies within 0..1 in the whole table: one ``MIN``/``MAX`` query.

    Checked once for the table instead of per stratum in the ``GROUP BY``: DuckDB answers it
    from a Parquet file's statistics, where the same check per stratum cost 1.28 times the bare
    ``GROUP BY`` at 100 M rows (``benchmarks/results.md``); a database without statistics scans
    one column once.
    """
    column = table[outcome]
    row = _fetch(table.aggregate(low=column.min(), high=column.max())).iloc[0]
    return bool((pd.isna(row["low"]) or row["low"] >= 0) and (pd.isna(row["high"]) or row["high"] <= 1))


def _outcome_counts_nan_aware(table: ir.Table, outcome: str) -> dict[str, Any]:
    """As :func:`_outcome_counts`, counting NaN as missing (as pandas does): a CASE per row."""
    import ibis

    column = table[outcome]
    missing = _is_missing(column)
    n_bad = ibis.ifelse(~missing & ~column.isin([0, 1]), 1, 0).sum().fill_null(0)
    return {
        "numerator": ibis.ifelse(missing, 0, column).sum().fill_null(0),
        "denominator": ibis.ifelse(missing, 0, 1).sum().fill_null(0),
        MISSING_OUTCOME: ibis.ifelse(missing, 1, 0).sum().fill_null(0),
        _BAD: n_bad,
    }


def _aggregated_counts(table: ir.Table, outcome: str, denominator: str) -> dict[str, Any]:
    """Aggregates of numerator and denominator columns, plus the count of rows that break the rules."""
    import ibis

    for col in (outcome, denominator):
        if not table[col].type().is_numeric():
            raise ValueError(
                f"column {col!r} in the table must hold counts (numbers), but has type {table[col].type()}"
            )
    num, den = table[outcome], table[denominator]
    bad = _is_missing(num) | _is_missing(den) | (num < 0) | (den < 0) | (num > den)
    return {
        "numerator": num.sum().fill_null(0),
        "denominator": den.sum().fill_null(0),
        MISSING_OUTCOME: ibis.literal(0).cast("int64"),
        _BAD: ibis.ifelse(bad, 1, 0).sum().fill_null(0),
    }


def _check_names(table: ir.Table, outcome: str, by: list[str], denominator: str | None) -> None:
    require_columns(table, [outcome, *by, *([denominator] if denominator is not None else [])], what="table")
    for col in by:
        if col in (outcome, denominator):
            raise ValueError(
                f"column {col!r} is both a group column (by) and the outcome/denominator; "
                "group by a different column"
            )
        if col in measures.MEASURE_COLUMNS or col in _COUNT_COLUMNS or col == _BAD:
            raise ValueError(
                f"group column {col!r} has the name of an output column; rename it in the query first, "
                f"e.g. table.rename({col}_group={col!r})"
            )


def strata_query(
    table: ir.Table,
    outcome: str,
    by: str | Sequence[str],
    *,
    denominator: str | None = None,
    nan_aware: bool = False,
    range_checked: bool = False,
) -> ir.Table:
    """The one ``GROUP BY`` that counts every stratum inside the warehouse (not yet run).

    Parameters
    ----------
    table
        An Ibis table expression: one row per person (``outcome`` is 0/1 or boolean, may be
        NULL) or, with ``denominator``, one row per aggregated cell.
    outcome, by, denominator
        As in :func:`helpers.measures.stratified_rates`.
    nan_aware
        Count a floating-point NaN outcome as missing, as pandas does (a ``CASE`` per row, so
        slower); :func:`count_strata` uses it only when the plain query finds a NaN.
    range_checked
        The caller has checked that an integer outcome lies within 0..1 in the whole table
        (:func:`count_strata` does, in one cheap query), so ``_bad_values`` is 0 without a
        ``MIN``/``MAX`` per stratum.

    Returns
    -------
    ibis.expr.types.Table
        One row per observed combination of the ``by`` values (NULL kept as its own group) with
        ``numerator`` (sum of the outcome over non-missing outcomes), ``denominator`` (number of
        non-missing outcomes, or the sum of ``denominator``), ``_rows`` (input rows),
        ``_missing_outcome`` (rows with a missing outcome) and ``_bad_values`` (positive if an
        outcome is not 0/1, or aggregated counts are missing, negative or numerator >
        denominator).

    Examples
    --------
    >>> import ibis, pyarrow as pa
    >>> t = ibis.memtable(pa.table({"race": ["A", "B", None], "screened": [1, 0, None]}))
    >>> sorted(strata_query(t, "screened", "race").columns)
    ['_bad_values', '_missing_outcome', '_rows', 'denominator', 'numerator', 'race']
    """
    table = _require_table(table)
    by_cols = as_column_list(by, name="by")
    _check_names(table, outcome, by_cols, denominator)
    if denominator is None:
        _require_binary_type(table, outcome)
        if nan_aware:
            metrics = _outcome_counts_nan_aware(table, outcome)
        else:
            metrics = _outcome_counts(table, outcome, range_checked=range_checked)
    else:
        metrics = _aggregated_counts(table, outcome, denominator)
    metrics[ROWS] = table.count()
    ordered = {k: metrics[k] for k in ("numerator", "denominator", ROWS, MISSING_OUTCOME, _BAD)}
    return table.group_by(by_cols).aggregate(**ordered)


def strata_sql(
    table: ir.Table,
    outcome: str,
    by: str | Sequence[str],
    *,
    denominator: str | None = None,
    dialect: str | None = None,
) -> str:
    """The SQL of :func:`strata_query`, as the warehouse receives it (``ibis.to_sql``).

    Parameters
    ----------
    dialect
        SQL dialect (``"duckdb"``, ``"postgres"``, ``"pyspark"``, ...); default: the table's
        own backend.

    Examples
    --------
    >>> import ibis, pyarrow as pa
    >>> t = ibis.table({"race": "string", "screened": "int8"}, name="patients")
    >>> print(strata_sql(t, "screened", "race", dialect="duckdb"))  # doctest: +ELLIPSIS
    SELECT
      ...
    FROM "patients" AS "t0"
    GROUP BY
      1
    """
    import ibis

    return str(ibis.to_sql(strata_query(table, outcome, by, denominator=denominator), dialect=dialect))


def _raise_bad_values(table: ir.Table, outcome: str, denominator: str | None, n_bad: int) -> None:
    if denominator is None:
        column = table[outcome]
        bad = table.filter(~_is_missing(column) & ~column.isin([0, 1]))
        n_bad = int(bad.count().to_pyarrow().as_py())
        examples = _fetch(bad.select(outcome).distinct().limit(5))[outcome].tolist()
        raise ValueError(
            f"outcome column {outcome!r} in the table must be 0/1 or True/False, but has {n_bad} row(s) "
            f"with other values, like {format_values(examples)}; for counts per group pass "
            "denominator='<column with the group sizes>', otherwise recode the outcome to 0/1"
        )
    raise ValueError(
        f"{n_bad} row(s) of the table have a missing or negative count in {outcome!r} or "
        f"{denominator!r}, or {outcome!r} greater than {denominator!r}; fix or filter them in the query first"
    )


def _require_unique_cells(table: ir.Table, outcome: str, denominator: str, n_rows: int) -> None:
    """Aggregated rows must not repeat a cell (the pandas path's rule): a second, small query."""
    keys = [c for c in table.columns if c not in (outcome, denominator)]
    if not keys:
        return
    n_cells = int(table.select(keys).distinct().count().to_pyarrow().as_py())
    if n_cells < n_rows:
        raise ValueError(
            f"{n_rows - n_cells} row(s) of the table repeat a cell of {format_values(keys, quote=True)}; "
            "aggregated input needs one row per cell, or the same people are counted twice; add them up "
            f"in the query first, e.g. table.group_by({keys!r}).aggregate({outcome}=table.{outcome}.sum(), "
            f"{denominator}=table.{denominator}.sum())"
        )


def count_strata(
    table: ir.Table,
    outcome: str,
    by: str | Sequence[str],
    *,
    denominator: str | None = None,
    missing_outcome: Literal["raise", "exclude"] = "raise",
) -> pd.DataFrame:
    """Run :func:`strata_query` in the warehouse and return the small table of strata.

    Parameters
    ----------
    table, outcome, by, denominator
        As in :func:`strata_query`.
    missing_outcome
        ``"raise"`` (default) refuses missing outcomes, as the pandas path does; ``"exclude"``
        counts them in ``_missing_outcome`` and leaves them out of the denominator.

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns (missing values as ``None``), ``numerator``, ``denominator``,
        ``_rows`` and ``_missing_outcome``, one row per observed combination, in no set order.

    Raises
    ------
    KeyError
        If a column is not in the table (the message suggests the closest name).
    ValueError
        If the outcome is not 0/1, has missing values with ``missing_outcome="raise"``, the
        counts of aggregated rows are invalid, or the table is empty.

    Examples
    --------
    >>> import ibis, pyarrow as pa
    >>> t = ibis.memtable(pa.table({"race": ["A", "A", "B", None], "screened": [1, 0, None, 1]}))
    >>> counts = count_strata(t, "screened", "race", missing_outcome="exclude")
    >>> print(counts.sort_values("race", na_position="last").to_string(index=False))
    race  numerator  denominator  _rows  _missing_outcome
       A          1            2      2                 0
       B          0            0      1                 1
    None          1            1      1                 0
    """
    table = _require_table(table)
    require_choice(missing_outcome, ("raise", "exclude"), name="missing_outcome")
    by_cols = as_column_list(by, name="by")
    query = strata_query(table, outcome, by_cols, denominator=denominator)  # checks the names first
    if denominator is None and table[outcome].type().is_integer():
        if not _integer_outcome_in_range(table, outcome):
            _raise_bad_values(table, outcome, denominator, 0)
        query = strata_query(table, outcome, by_cols, range_checked=True)
    counts = _fetch(query)
    if counts.empty:
        raise ValueError("table has no rows; check the table or query and any filter applied to it")
    if denominator is None and counts["numerator"].isna().any():  # a NaN outcome: count it as missing
        counts = _fetch(strata_query(table, outcome, by_cols, nan_aware=True))
    n_bad = int(counts[_BAD].sum())
    if n_bad:
        _raise_bad_values(table, outcome, denominator, n_bad)
    n_missing = int(counts[MISSING_OUTCOME].sum())
    if n_missing and missing_outcome == "raise":
        raise ValueError(
            f"outcome column {outcome!r} in the table has {n_missing} missing value(s); drop or fill "
            "them first, or pass missing_outcome='exclude' to leave them out (the count is reported by "
            "exclusions())"
        )
    if denominator is not None:
        _require_unique_cells(table, outcome, denominator, int(counts[ROWS].sum()))
    counts = counts.drop(columns=_BAD)
    for col in by_cols:
        values = counts[col].astype(object)
        counts[col] = values.where(values.notna(), None)
    for col in _COUNT_COLUMNS:
        counts[col] = counts[col].astype("int64" if denominator is None else "float64")
    return counts


def stratified_rates(
    table: ir.Table,
    outcome: str,
    by: str | Sequence[str],
    *,
    denominator: str | None = None,
    level: float = 0.95,
    method: measures.CIMethod = "wilson",
    min_cell: int | None = 11,
    overall: bool = False,
    missing: Literal["stratum", "exclude"] = "stratum",
    missing_label: str = "Unknown",
    missing_outcome: Literal["raise", "exclude"] = "raise",
    protect_complement: bool = True,
    categories: Mapping[str, Sequence[Any]] | None = None,
) -> pd.DataFrame:
    """:func:`helpers.measures.stratified_rates` on a warehouse table: count there, analyse here.

    The counting runs in the warehouse as one ``GROUP BY`` (:func:`count_strata`); only one row
    per stratum comes back. Intervals, suppression and the ``attrs`` the other helpers read
    (``gaps``, ``summary``, :func:`helpers.measures.exclusions`) are then computed by
    :func:`helpers.measures.stratified_rates` on those counts, so the result equals the pandas
    path on the same rows: the same strata, numbers, suppression and exclusion records.

    Parameters
    ----------
    table
        An Ibis table expression (a table or a query in DuckDB, PostgreSQL, Spark, ...).
    outcome, by, denominator, level, method, min_cell, overall, missing, missing_label, \
missing_outcome, protect_complement
        As in :func:`helpers.measures.stratified_rates`.
    categories
        Optional order of the labels of some ``by`` columns, e.g. from the data dictionary
        (``{"race_ethnicity": ["AIAN", "Asian", ...]}``): those columns come back categorical in
        that order, as a pandas DataFrame with categorical columns would. Other columns are
        sorted, with ``missing_label`` and ``"Overall"`` last.

    Returns
    -------
    pandas.DataFrame
        As :func:`helpers.measures.stratified_rates`.

    Raises
    ------
    TypeError
        If ``table`` is not an Ibis table expression.
    KeyError, ValueError
        As :func:`helpers.measures.stratified_rates`.

    Examples
    --------
    >>> import ibis, pyarrow as pa
    >>> t = ibis.memtable(pa.table({
    ...     "race": ["Black"] * 40 + ["White"] * 60 + [None] * 12,
    ...     "controlled": [1] * 16 + [0] * 24 + [1] * 33 + [0] * 27 + [1] * 6 + [0] * 6,
    ... }))
    >>> rates = stratified_rates(t, "controlled", "race", overall=True)
    >>> print(rates[["race", "numerator", "denominator", "rate", "suppressed"]].to_string())
          race  numerator  denominator      rate  suppressed
    0    Black       <NA>         <NA>       NaN        True
    1    White         33           60  0.550000       False
    2  Unknown       <NA>         <NA>       NaN        True
    3  Overall         55          112  0.491071       False
    >>> print(measures.exclusions(rates).to_string())
                             action column                   reason  rows  denominator
    0  counted in stratum 'Unknown'   race  missing value in 'race'    12         12.0
    """
    table = _require_table(table)
    by_cols = as_column_list(by, name="by")
    require_choice(missing, ("stratum", "exclude"), name="missing")
    counts = count_strata(table, outcome, by_cols, denominator=denominator, missing_outcome=missing_outcome)
    return rates_from_counts(
        counts,
        outcome,
        by_cols,
        denominator=denominator,
        level=level,
        method=method,
        min_cell=min_cell,
        overall=overall,
        missing=missing,
        missing_label=missing_label,
        protect_complement=protect_complement,
        categories=categories,
    )


def rates_from_counts(
    counts: pd.DataFrame,
    outcome: str,
    by: list[str],
    *,
    denominator: str | None = None,
    missing: Literal["stratum", "exclude"],
    missing_label: str,
    categories: Mapping[str, Sequence[Any]] | None = None,
    **options: Any,
) -> pd.DataFrame:
    """Stratified rates from the table of :func:`count_strata`: the step after the warehouse.

    Records exclusions as the pandas path does (rows and people per missing group value, and
    missing outcomes), drops strata left with no counted outcome, and hands the rest to
    :func:`helpers.measures.stratified_rates` as aggregated counts. Useful on its own when the
    counts come from SQL of your own with the same columns.

    Parameters
    ----------
    counts
        The ``by`` columns (missing as ``None``), ``numerator``, ``denominator``, ``_rows`` and
        ``_missing_outcome``, one row per combination of ``by`` values.
    outcome
        Name of the outcome (recorded in ``attrs`` and the exclusion records).
    by
        The group columns.
    denominator
        Name of the input's denominator column for aggregated input; ``None`` for patient rows.
    missing, missing_label, categories
        As in :func:`stratified_rates`.
    **options
        ``level``, ``method``, ``min_cell``, ``overall``, ``protect_complement``.

    Returns
    -------
    pandas.DataFrame
        As :func:`helpers.measures.stratified_rates`.

    Examples
    --------
    >>> counts = pd.DataFrame({
    ...     "race": ["A", "B", None], "numerator": [30, 25, 14], "denominator": [60, 50, 28],
    ...     "_rows": [60, 52, 28], "_missing_outcome": [0, 2, 0],
    ... })
    >>> rates = rates_from_counts(counts, "screened", ["race"], missing="stratum", missing_label="Unknown")
    >>> print(rates[["race", "numerator", "denominator", "rate"]].to_string())
          race  numerator  denominator  rate
    0        A         30           60   0.5
    1        B         25           50   0.5
    2  Unknown         14           28   0.5
    >>> print(measures.exclusions(rates)[["reason", "rows"]].to_string())
                          reason  rows
    0    missing value in 'race'    28
    1  missing outcome 'screened'     2
    """
    aggregated = denominator is not None
    _, notes = measures._handle_missing_groups(
        counts.copy(), by, missing=missing, missing_label=missing_label, aggregated=aggregated
    )
    kept = counts
    if missing == "exclude":
        kept = counts.loc[~counts[by].isna().any(axis=1).to_numpy()]
    if not aggregated:
        notes += measures._outcome_notes(kept, outcome)
    kept = kept.loc[(kept["denominator"] > 0).to_numpy()] if not aggregated else kept
    if kept.empty:
        raise ValueError(
            f"no rows left to count: all {int(counts[ROWS].sum())} rows were excluded (see the missing "
            f"values in {format_values(by, quote=True)}); use missing='stratum' to count them as "
            f"{missing_label!r}"
        )
    strata = kept[[*by, "numerator", "denominator"]].reset_index(drop=True)
    for col, order in (categories or {}).items():
        if col not in by:
            raise ValueError(f"categories names {col!r}, which is not a by column ({format_values(by)})")
        order = list(order)
        unknown = sorted({v for v in strata[col].dropna()} - set(order), key=str)
        if unknown:
            raise ValueError(
                f"column {col!r} has values that are not in categories[{col!r}]: {format_values(unknown)}"
            )
        strata[col] = pd.Categorical(strata[col], categories=order)
    table = measures.stratified_rates(
        strata,
        "numerator",
        by,
        denominator="denominator",
        missing=missing,
        missing_label=missing_label,
        **options,
    )
    table.attrs["exclusions"] = notes
    table.attrs["measure"]["outcome"] = outcome
    table.attrs["measure"]["denominator"] = denominator
    return table


def monthly_counts(
    table: ir.Table,
    outcome: str,
    by: str | Sequence[str],
    date: str,
    *,
    denominator: str | None = None,
    missing_label: str = "Unknown",
    missing_outcome: Literal["raise", "exclude"] = "raise",
) -> pd.DataFrame:
    """Numerator and denominator per month and group, counted in the warehouse (for run charts).

    One ``GROUP BY`` of the month (the date truncated to its first day) and the ``by`` columns;
    rows with no date are left out and counted. The result feeds
    :func:`helpers.runcharts.gap_series`, :func:`helpers.runcharts.p_chart` and the run charts.

    Parameters
    ----------
    table
        An Ibis table expression.
    outcome, by, denominator, missing_outcome
        As in :func:`stratified_rates`.
    date
        A date or timestamp column (a text column is cast to a date by the warehouse).
    missing_label
        Label for a missing group value.

    Returns
    -------
    pandas.DataFrame
        Columns ``month`` (a timestamp, the first day of the month), the ``by`` columns,
        ``numerator``, ``denominator`` and ``rate``, sorted by month then group;
        ``attrs["exclusions"]`` records rows left out (no date, missing outcome).

    Examples
    --------
    >>> import ibis, pyarrow as pa, datetime as dt
    >>> t = ibis.memtable(pa.table({
    ...     "visit": [dt.date(2024, 1, 5), dt.date(2024, 1, 20), dt.date(2024, 2, 2), None],
    ...     "clinic": ["East", "East", "East", "East"],
    ...     "controlled": [1, 0, 1, 1],
    ... }))
    >>> print(monthly_counts(t, "controlled", "clinic", "visit").to_string())
           month clinic  numerator  denominator  rate
    0 2024-01-01   East          1            2   0.5
    1 2024-02-01   East          1            1   1.0
    """
    table = _require_table(table)
    require_choice(missing_outcome, ("raise", "exclude"), name="missing_outcome")
    by_cols = as_column_list(by, name="by")
    require_columns(table, [date], what="table")
    if "month" in by_cols or date in by_cols:
        raise ValueError(f"the date column {date!r} (or 'month') cannot also be a group column (by)")
    column = table[date]
    if column.type().is_string():
        column = column.cast("date")
    elif not (column.type().is_date() or column.type().is_timestamp()):
        raise ValueError(f"date column {date!r} must hold dates, but has type {column.type()}")
    month = column.truncate("M").cast("date")
    no_date = int(table.filter(column.isnull()).count().to_pyarrow().as_py())  # noqa: PD003
    dated = table.filter(column.notnull()).mutate(month=month)  # noqa: PD004
    counts = count_strata(
        dated, outcome, ["month", *by_cols], denominator=denominator, missing_outcome=missing_outcome
    )
    notes = []
    if int(no_date):
        notes.append(measures._record("excluded", date, f"missing date {date!r}", no_date, no_date))
    n_missing = int(counts[MISSING_OUTCOME].sum())
    if n_missing:
        reason = f"missing outcome {outcome!r}"
        notes.append(measures._record("excluded", outcome, reason, n_missing, n_missing))
    for col in by_cols:
        counts[col] = counts[col].where(counts[col].notna(), missing_label)
    counts = counts.loc[(counts["denominator"] > 0).to_numpy()]
    counts = counts.groupby(["month", *by_cols], sort=True)[["numerator", "denominator"]].sum().reset_index()
    counts["month"] = pd.to_datetime(counts["month"]).astype("datetime64[ns]")
    counts["rate"] = counts["numerator"] / counts["denominator"]
    counts.attrs["exclusions"] = notes
    return counts
