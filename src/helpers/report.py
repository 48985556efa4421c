"""The stratified equity report for a team's own file: ``python -m helpers report``.

The same steps the modules teach, on a team's own export: read the file whatever its shape
(:mod:`helpers.teamfile`), map local column names and codes to the report's (a YAML mapping file),
validate everything at once, then the stratified table with intervals and small-cell suppression,
the gaps against a named reference group, the summary measures, figures with alt text and
captions and, with a date column, monthly run charts per group and the gap over time. The result
is one self-contained HTML page (no scripts, fonts or images from elsewhere) that opens offline.

Nothing leaves the machine, and the input file is only ever opened for reading.

Pure steps, each testable alone: :func:`load_mapping` → :func:`prepare` → :func:`build_report`
→ :func:`render_report`; :func:`main` is the command line.

Example
-------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> rows = ["race,bp"] + ["Black,yes"] * 30 + ["Black,no"] * 20 + ["White,yes"] * 40 + ["White,no"] * 15
>>> _ = (folder / "team.csv").write_text("\\n".join(rows) + "\\n")
>>> main([str(folder / "team.csv"), "--outcome", "bp", "--by", "race", "--reference", "White",
...       "--out", str(folder / "report.html"), "--quiet"])
0
>>> "Gaps against White" in (folder / "report.html").read_text()
True
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import html
import io
import os
import re
import sys
import tempfile
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from helpers._validation import did_you_mean
from helpers.group_names import is_race_ethnicity_column, spell_out
from helpers.teamfile import (
    DEFAULT_MAX_BYTES,
    MEMORY_PER_FILE_BYTE,
    BadInputError,
    Problem,
    RawTable,
    read_table,
)

__all__ = [
    "MISSING_TOKENS",
    "OUTCOME_NO",
    "OUTCOME_YES",
    "DatabaseSource",
    "Prepared",
    "Report",
    "build_report",
    "column_name",
    "group_name",
    "is_database_url",
    "load_mapping",
    "main",
    "neutralise_formula",
    "open_database",
    "prepare",
    "prepare_database",
    "redact_url",
    "render_report",
    "write_csv",
]

OUTCOME_YES = ("1", "yes", "y", "true", "t")
"""Values read as "the outcome happened" (case-insensitive), unless the mapping file says otherwise."""
OUTCOME_NO = ("0", "no", "n", "false", "f")
"""Values read as "the outcome did not happen" (case-insensitive)."""
MISSING_TOKENS = ("", "na", "n/a", "null", "none", "nan", ".", "-")
"""Values read as missing (case-insensitive), plus any listed under ``missing:`` in the mapping."""
UNKNOWN_LABEL = "Unknown"
_SHOW = 5
_MAPPING_KEYS = {"columns", "values", "outcome", "missing"}
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_US_DATE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})(?:\s.*)?$")
_ISO_DATE = re.compile(r"^\s*\d{4}-\d{2}-\d{2}")
_SERIAL = re.compile(r"^\s*\d{4,5}(\.\d+)?\s*$")


# ============================================================================ mapping file
def load_mapping(path: str | os.PathLike[str] | None) -> dict[str, Any]:
    """Read and check a YAML mapping file (local column names and codes → the report's).

    The file may have four sections, all optional::

        columns:            # your column name: the name used on the command line
          "Race/Eth": race
          "BP <140/90": bp_controlled
        values:             # per column (the new name): your code: the category shown
          race:
            "2106-3": White
            "2054-5": Black
          language:
            "Spanish/Español": Spanish
        outcome:            # how your outcome column is coded (added to 1/0, yes/no, true/false)
          "yes": ["Controlled", "Y"]
          "no": ["Uncontrolled", "N"]
        missing: ["Not recorded", "?"]   # extra values read as missing

    Parameters
    ----------
    path : str or path, optional
        The YAML file; ``None`` gives an empty mapping.

    Returns
    -------
    dict
        ``{"columns": {...}, "values": {...}, "outcome": {"yes": [...], "no": [...]}, "missing": [...]}``.

    Raises
    ------
    BadInputError
        Listing every problem in the file (unknown sections, wrong shapes).

    Example
    -------
    >>> load_mapping(None)
    {'columns': {}, 'values': {}, 'outcome': {'yes': [], 'no': []}, 'missing': []}
    """
    empty: dict[str, Any] = {"columns": {}, "values": {}, "outcome": {"yes": [], "no": []}, "missing": []}
    if path is None:
        return empty
    import yaml

    path = Path(path)
    if not path.is_file():
        raise BadInputError(
            path.name, [Problem(f"no mapping file at {path}", "check the path given to --map")]
        )
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise BadInputError(
            path.name, [Problem(f"is not valid YAML ({exc})", "compare it with --help's example")]
        ) from exc
    raw = raw or {}
    problems: list[Problem] = []
    if not isinstance(raw, dict):
        raise BadInputError(
            path.name,
            [
                Problem(
                    "must be a set of sections (columns:, values:, outcome:, missing:)",
                    "compare it with the example in --help",
                )
            ],
        )
    for key in raw:
        if key not in _MAPPING_KEYS:
            problems.append(
                Problem(
                    f"has an unknown section {key!r}{did_you_mean(key, _MAPPING_KEYS)}",
                    "use only columns:, values:, outcome: and missing:",
                )
            )
    mapping = dict(empty)
    columns = raw.get("columns") or {}
    if not isinstance(columns, dict):
        problems.append(Problem("columns: must map your column names to new names", 'e.g. "Race/Eth": race'))
    else:
        mapping["columns"] = {str(k): str(v) for k, v in columns.items()}
    values = raw.get("values") or {}
    if not isinstance(values, dict) or not all(isinstance(v, dict) for v in values.values()):
        problems.append(
            Problem(
                "values: must give, for each column, your codes and their categories",
                'e.g. values: {race: {"2106-3": White}}',
            )
        )
    else:
        mapping["values"] = {
            str(c): {str(k).strip(): str(v) for k, v in codes.items()} for c, codes in values.items()
        }
    outcome = raw.get("outcome") or {}
    if not isinstance(outcome, dict) or set(map(str, outcome)) - {"yes", "no", "True", "False"}:
        problems.append(
            Problem("outcome: must have the lists yes: and no:", 'e.g. outcome: {"yes": ["Y"], "no": ["N"]}')
        )
    else:
        # YAML reads an unquoted yes/no key as a boolean.
        yes = outcome.get("yes", outcome.get(True, [])) or []
        no = outcome.get("no", outcome.get(False, [])) or []
        mapping["outcome"] = {
            "yes": [str(v).strip() for v in _as_list(yes)],
            "no": [str(v).strip() for v in _as_list(no)],
        }
        both = {v.lower() for v in mapping["outcome"]["yes"]} & {v.lower() for v in mapping["outcome"]["no"]}
        if both:
            problems.append(
                Problem(f"outcome: lists {sorted(both)} under both yes and no", "keep each value in one list")
            )
    missing = raw.get("missing") or []
    mapping["missing"] = [str(v).strip() for v in _as_list(missing)]
    if problems:
        raise BadInputError(path.name, problems)
    return mapping


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else [value]


# ============================================================================ preparing the data
@dataclass
class Prepared:
    """The team's rows, mapped, checked and typed, with everything that was set aside.

    Attributes
    ----------
    data : pandas.DataFrame
        Rows kept: ``outcome`` (0/1), the ``by`` columns (text; missing values read as
        "Unknown"), and ``month`` (first day of the month) when a date column was given.
        The index is the row's line number in the file.
    excluded : pandas.DataFrame
        Every row set aside: ``line`` and ``reason``.
    unmapped : pandas.DataFrame
        Values of a column that has a ``values:`` mapping but are not in it: ``column``,
        ``value``, ``rows`` (kept as their own group, never guessed).
    missing_shares : pandas.DataFrame
        For each ``by`` column, the rows whose value is missing or "Unknown", and their share.
    raw : RawTable
        The file as read (a :class:`DatabaseSource` for a database).
    outcome, by, date : str
        The column names (after mapping).
    notes : list of str
    table : Ibis table expression, optional
        For a database source (:func:`prepare_database`): the rows kept, as a query that the
        database counts (``outcome`` 0/1, the ``by`` columns, ``_month``). ``data`` is then empty
        and ``excluded`` has one row per reason: ``reason`` and ``rows``.
    rows_used : int, optional
        For a database source: the number of rows kept (counted in the database).
    """

    data: pd.DataFrame
    excluded: pd.DataFrame
    unmapped: pd.DataFrame
    missing_shares: pd.DataFrame
    raw: RawTable
    outcome: str
    by: list[str]
    date: str | None = None
    notes: list[str] = field(default_factory=list)
    table: Any = None
    rows_used: int | None = None

    def n_used(self) -> int:
        """Rows used for the rates (kept)."""
        return len(self.data) if self.rows_used is None else self.rows_used

    def n_excluded(self) -> int:
        """Rows set aside, with a reason."""
        if "rows" in self.excluded.columns:
            return int(self.excluded["rows"].sum())
        return len(self.excluded)


def _parse_dates(text: pd.Series, *, dayfirst: bool) -> tuple[pd.Series, dict[str, int]]:
    """ISO (2024-03-31), US (3/31/2024; day first with ``dayfirst``) and Excel serial (45382) dates."""
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    kinds: dict[str, int] = {}
    iso = text.str.match(_ISO_DATE)
    if iso.any():
        out[iso] = pd.to_datetime(text[iso].str.slice(0, 10), format="%Y-%m-%d", errors="coerce")
        kinds["ISO (YYYY-MM-DD)"] = int(out[iso].notna().sum())
    us = text.str.match(_US_DATE) & ~iso
    if us.any():
        fmt = "%d/%m/%Y" if dayfirst else "%m/%d/%Y"
        out[us] = pd.to_datetime(text[us].str.split().str[0], format=fmt, errors="coerce")
        kinds["day/month/year" if dayfirst else "US (month/day/year)"] = int(out[us].notna().sum())
    serial = text.str.match(_SERIAL) & ~iso & ~us
    if serial.any():
        days = pd.to_numeric(text[serial], errors="coerce")
        ok = days.between(1, 2958465)
        out[serial] = (_EXCEL_EPOCH + pd.to_timedelta(days.where(ok), unit="D")).to_numpy()
        kinds["Excel serial numbers"] = int(ok.sum())
    return out, kinds


def _column_problems(
    columns: Sequence[str],
    mapping: Mapping[str, Any],
    *,
    outcome: str,
    by: Sequence[str],
    date: str | None,
    what: str,
) -> list[Problem]:
    """Every problem with the column names asked for (the mapping's renames, --outcome, --by, --date)."""
    problems: list[Problem] = []
    renames = mapping.get("columns", {})
    available = [renames.get(c, c) for c in columns]
    for theirs in [t for t in renames if t not in columns]:
        problems.append(
            Problem(
                f"the mapping renames column {theirs!r}, which is not in the {what}"
                f"{did_you_mean(theirs, columns)}",
                "correct its name under columns:",
            )
        )
    wanted = [("--outcome", outcome), *[("--by", b) for b in by]] + ([("--date", date)] if date else [])
    for option, name in wanted:
        if name not in available:
            duplicates = [c for c in available if c.startswith(f"{name} (")]
            fix = (
                f"the header repeats {name!r}; rename one column in the file, or map {duplicates[0]!r}"
                if duplicates
                else f"name one of the {what}'s columns, or rename it in the mapping file"
            )
            problems.append(
                Problem(
                    f"{option} {name!r} is not a column of the {what}{did_you_mean(name, available)}; "
                    f"its columns are: {', '.join(map(repr, available[:20]))}",
                    fix,
                )
            )
    if len(set(by)) != len(by) or outcome in by:
        problems.append(
            Problem("the same column is given twice among --outcome and --by", "give each column once")
        )
    return problems


def prepare(
    raw: RawTable,
    *,
    outcome: str,
    by: Sequence[str],
    date: str | None = None,
    mapping: Mapping[str, Any] | None = None,
    strict: bool = False,
    dayfirst: bool = False,
) -> Prepared:
    """Map, check and type a team's table for the report; collect every problem at once.

    Parameters
    ----------
    raw : RawTable
        From :func:`helpers.teamfile.read_table`.
    outcome : str
        The 0/1 outcome column (after the mapping's column renames). 1/0, yes/no, y/n,
        true/false are read in any case, plus the mapping's ``outcome:`` lists.
    by : sequence of str
        The column(s) to stratify by.
    date : str, optional
        A date column, for monthly run charts (ISO, US or Excel serial dates).
    mapping : mapping, optional
        From :func:`load_mapping`.
    strict : bool, default False
        False: rows with an invalid outcome or date are set aside and reported. True: they
        are problems, and nothing is written.
    dayfirst : bool, default False
        Read 01/02/2024 as 1 February (default: US, 2 January).

    Returns
    -------
    Prepared

    Raises
    ------
    BadInputError
        Listing every problem (missing columns with suggestions, ambiguous columns, and with
        ``strict`` the invalid values with their line numbers), each with its fix.

    Example
    -------
    >>> frame = pd.DataFrame({"Race": ["Black", "white", "", "Asian"], "BP": ["Y", "N", "1", "maybe"]},
    ...                      index=pd.Index([2, 3, 4, 5], name="line"))
    >>> raw = RawTable(frame, "team.csv", "csv")
    >>> mapping = {"columns": {"Race": "race"}, "values": {"race": {"white": "White"}},
    ...            "outcome": {"yes": [], "no": []}, "missing": []}
    >>> prepared = prepare(raw, outcome="BP", by=["race"], mapping=mapping)
    >>> prepared.data.reset_index().values.tolist()
    [[2, 1, 'Black'], [3, 0, 'White'], [4, 1, 'Unknown']]
    >>> prepared.excluded.values.tolist()
    [[5, "outcome 'maybe' is not 1/0, yes/no or true/false"]]
    >>> prepared.unmapped.values.tolist()
    [['race', 'Black', 1]]
    """
    mapping = mapping or load_mapping(None)
    by = list(by)
    frame = raw.frame.rename(columns=mapping.get("columns", {}))
    word = raw.row_word
    problems: list[Problem] = []
    notes: list[str] = []
    problems += _column_problems(raw.columns, mapping, outcome=outcome, by=by, date=date, what="file")
    if problems:
        raise BadInputError(raw.source, problems)

    missing_tokens = {t.lower() for t in (*MISSING_TOKENS, *mapping.get("missing", []))}
    reasons = pd.Series("", index=frame.index, dtype=object)

    def add_reason(mask: pd.Series, why: pd.Series | str) -> None:
        nonlocal reasons
        joined = reasons.where(reasons == "", reasons + "; ") + why
        reasons = reasons.where(~mask, joined)

    # Outcome.
    text = frame[outcome].astype(str).str.strip()
    lowered = text.str.lower()
    yes = {v.lower() for v in (*OUTCOME_YES, *mapping["outcome"]["yes"])}
    no = {v.lower() for v in (*OUTCOME_NO, *mapping["outcome"]["no"])}
    numeric = pd.to_numeric(text, errors="coerce")
    value = pd.Series(np.nan, index=frame.index)
    value[lowered.isin(yes) | (numeric == 1)] = 1
    value[lowered.isin(no) | (numeric == 0)] = 0
    absent = lowered.isin(missing_tokens)
    invalid = value.isna() & ~absent
    add_reason(absent, "outcome missing")
    add_reason(invalid, "outcome '" + text + "' is not 1/0, yes/no or true/false")
    if strict and invalid.any():
        rows = tuple(int(i) for i in frame.index[invalid][:_SHOW])
        problems.append(
            Problem(
                "is not a valid outcome (1/0, yes/no, true/false)",
                "recode it, or list it under outcome: yes/no in the mapping file",
                column=outcome,
                rows=rows,
                n_rows=int(invalid.sum()),
                value=text[invalid].iloc[0],
                row_word=word,
            )
        )

    # Groups: missing → "Unknown"; mapped codes; unmapped values listed, never guessed.
    groups: dict[str, pd.Series] = {}
    leftovers: dict[str, pd.Series] = {}
    share_rows: list[dict[str, Any]] = []
    for column in by:
        labels = frame[column].astype(str).str.strip()
        is_missing = labels.str.lower().isin(missing_tokens)
        codes = mapping.get("values", {}).get(column)
        if codes:
            mapped = labels.map(codes)
            known_targets = set(codes.values())
            leftovers[column] = mapped.isna() & ~is_missing & ~labels.isin(known_targets)
            labels = mapped.fillna(labels)
        labels = labels.where(~is_missing, UNKNOWN_LABEL)
        groups[column] = labels
        n_unknown = int((labels == UNKNOWN_LABEL).sum())
        share_rows.append(
            {
                "column": column,
                "missing_or_unknown": n_unknown,
                "rows": len(labels),
                "share": n_unknown / len(labels) if len(labels) else np.nan,
            }
        )

    month = None
    if date:
        dates_text = frame[date].astype(str).str.strip()
        parsed, kinds = _parse_dates(dates_text, dayfirst=dayfirst)
        no_date = dates_text.str.lower().isin(missing_tokens)
        bad_date = parsed.isna() & ~no_date
        add_reason(no_date, "date missing")
        add_reason(
            bad_date, "date '" + dates_text + "' is not a date (YYYY-MM-DD, MM/DD/YYYY or an Excel serial)"
        )
        if strict and bad_date.any():
            problems.append(
                Problem(
                    "is not a date",
                    "use YYYY-MM-DD",
                    column=date,
                    rows=tuple(int(i) for i in frame.index[bad_date][:_SHOW]),
                    n_rows=int(bad_date.sum()),
                    value=dates_text[bad_date].iloc[0],
                    row_word=word,
                )
            )
        if kinds:
            notes.append("Dates read as " + ", ".join(f"{k} ({n:,} rows)" for k, n in kinds.items()) + ".")
        month = parsed.dt.to_period("M").dt.to_timestamp()
    if problems:
        raise BadInputError(raw.source, problems)

    keep = reasons == ""
    data = pd.DataFrame(
        {"outcome": value[keep].astype(int), **{c: groups[c][keep] for c in by}}, index=frame.index[keep]
    )
    if month is not None:
        data["month"] = month[keep]
    excluded = pd.DataFrame({"line": frame.index[~keep], "reason": reasons[~keep].to_numpy()})
    if len(raw.malformed):
        excluded = pd.concat([excluded, raw.malformed[["line", "reason"]]], ignore_index=True).sort_values(
            "line"
        )
    if data.empty:
        raise BadInputError(
            raw.source,
            [
                Problem(
                    "no row is left after setting aside rows with a missing or "
                    "invalid outcome" + (" or date" if date else ""),
                    f"check the coding of {outcome!r}; the first reasons: "
                    + "; ".join(excluded["reason"].head(3)),
                )
            ],
        )
    return Prepared(
        data=data,
        excluded=excluded.reset_index(drop=True),
        unmapped=pd.DataFrame(
            [
                {"column": column, "value": label, "rows": int(count)}
                for column, leftover in leftovers.items()
                for label, count in groups[column][leftover & keep].value_counts().items()
            ],
            columns=["column", "value", "rows"],
        ),
        missing_shares=pd.DataFrame(share_rows),
        raw=raw,
        outcome=outcome,
        by=by,
        date=date,
        notes=notes,
    )


# ============================================================================ a database source
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")
_DATE_PROBLEM = "is not a date (YYYY-MM-DD, MM/DD/YYYY or an Excel serial)"
_OUTCOME_REASON = "outcome '…' is not 1/0, yes/no or true/false"
_DATE_REASON = f"date '…' {_DATE_PROBLEM}"


@contextlib.contextmanager
def _quiet_ibis() -> Iterator[None]:
    """DuckDB 2.0 deprecates fetch_arrow_table(), which Ibis 12.0 still calls; harmless, so not shown."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", r"fetch_arrow_table\(\) is deprecated", DeprecationWarning)
        yield


def is_database_url(text: str) -> bool:
    """Whether ``text`` is a database URL (``scheme://…``) rather than a file name.

    Example
    -------
    >>> is_database_url("duckdb:///data/ehr.duckdb"), is_database_url("visits.csv")
    (True, False)
    """
    return bool(_URL.match(str(text)))


def redact_url(url: str) -> str:
    """The URL with its password replaced by ``***`` (for messages and the report).

    Example
    -------
    >>> redact_url("postgresql://analyst:s3cret@db.example.org:5432/ehr")
    'postgresql://analyst:***@db.example.org:5432/ehr'
    """
    return re.sub(r"^([^:/]+://[^:/@]+):[^@]*@", r"\1:***@", url)


@dataclass
class DatabaseSource(RawTable):
    """What was read from a database: where from, which table or query, how many rows were counted.

    Nothing but counts is read: ``frame`` stays empty.
    """

    url: str = ""
    table_name: str | None = None
    sql: str | None = None
    rows_counted: int = 0
    columns_used: list[str] = field(default_factory=list)
    by_month: bool = False
    connection: Any = field(default=None, repr=False)

    def close(self) -> None:
        """Close the connection to the database (the report is computed by then)."""
        if self.connection is not None:
            with contextlib.suppress(Exception):  # best effort: the report is already written or refused
                self.connection.disconnect()
            self.connection = None

    def describe(self) -> list[str]:
        """What was read, one sentence per fact (for the report's first section).

        Example
        -------
        >>> src = DatabaseSource(pd.DataFrame(), "duckdb:///ehr.duckdb", "database", url="duckdb:///ehr.duckdb",
        ...                      table_name="visits", rows_counted=12000, columns_used=["bp", "race"])
        >>> src.describe()[0]
        "duckdb:///ehr.duckdb: a database, table 'visits'; 12,000 rows counted in the database."
        """
        what = f"table {self.table_name!r}" if self.table_name else f"the rows of the query {self.sql}"
        facts = [f"{self.url}: a database, {what}; {self.rows_counted:,} rows counted in the database."]
        facts.append(
            "Only counts per group"
            + (" and month" if self.by_month else "")
            + " left the database (no row was read); columns used: "
            + ", ".join(map(repr, self.columns_used))
            + "."
        )
        return facts + self.notes


def _db_problem(source: str, what: str, fix: str, exc: BaseException | None = None) -> BadInputError:
    detail = ""
    if exc is not None:
        first = (str(exc).strip().splitlines() or [""])[0]
        detail = f" ({type(exc).__name__}: {first[:300]})"
    return BadInputError(source, [Problem(what + detail, fix)])


_URL_FIX = (
    "give a URL such as duckdb:///path/to/file.duckdb, duckdb:// (in memory, with --sql reading a file) or "
    "postgresql://user@host:5432/database; the password is best kept in ~/.pgpass, not on the command line"
)


def _table_names(con: Any) -> list[str]:
    """The database's tables and views, for a suggestion (empty when the backend cannot list them)."""
    try:
        return sorted(map(str, con.list_tables()))
    except Exception:  # DuckDB 2 with Ibis 12 cannot list: ask the SQL standard's catalogue instead
        pass
    try:
        query = "SELECT table_name FROM information_schema.tables WHERE table_schema NOT IN "
        query += "('information_schema', 'pg_catalog')"
        cursor = con.raw_sql(query)
        names = sorted(str(row[0]) for row in cursor.fetchall())
        if hasattr(cursor, "close"):
            cursor.close()
        return names
    except Exception:
        return []


def open_database(
    url: str, *, table: str | None = None, sql: str | None = None
) -> tuple[Any, DatabaseSource]:
    """Connect to a database with Ibis and open a table or a query, reading nothing yet.

    Parameters
    ----------
    url : str
        ``duckdb:///path/to/file.duckdb`` (opened read-only; it must exist), ``duckdb://`` (an
        in-memory DuckDB, for ``--sql`` that reads a CSV or Parquet file), ``postgresql://…``
        or any URL that ``ibis.connect`` knows.
    table : str, optional
        A table (or view) name, ``schema.table`` for another schema.
    sql : str, optional
        A SELECT query, run by the database. Give exactly one of ``table`` and ``sql``.

    Returns
    -------
    (ibis table expression, DatabaseSource)

    Raises
    ------
    BadInputError
        If the URL cannot be connected to, the DuckDB file does not exist, the table is not
        there (with the closest names) or the query fails, each with its fix.

    Example
    -------
    >>> expr, source = open_database("duckdb://", sql="SELECT 1 AS bp, 'Black' AS race")
    >>> expr.columns, source.url
    (('bp', 'race'), 'duckdb://')
    """
    shown = redact_url(url)
    if (table is None) == (sql is None):
        raise _db_problem(
            shown,
            "a database needs --table NAME or --sql QUERY (one of them)",
            'e.g. --table visits, or --sql "SELECT * FROM visits WHERE year = 2024"',
        )
    import ibis

    scheme = url.split("://", 1)[0].lower()
    try:
        if scheme == "duckdb":
            path = url.split("://", 1)[1].split("?", 1)[0]
            if path in ("", ":memory:"):
                con = ibis.duckdb.connect()
            else:
                if not Path(path).is_file():
                    raise _db_problem(
                        shown,
                        f"no DuckDB database file at {path}",
                        "check the path: duckdb:///absolute/path.duckdb or duckdb://relative.duckdb",
                    )
                con = ibis.duckdb.connect(database=path, read_only=True)
        else:
            con = ibis.connect(url)
    except BadInputError:
        raise
    except Exception as exc:  # any driver's error: a short message, never a traceback
        password = re.match(r"^[^:/]+://[^:/@]+:([^@]*)@", url)
        error = str(exc).replace(password.group(1), "***") if password and password.group(1) else exc
        raise _db_problem(
            shown,
            "cannot connect to the database",
            _URL_FIX,
            RuntimeError(error) if isinstance(error, str) else exc,
        ) from None
    source = DatabaseSource(
        frame=pd.DataFrame(),
        source=shown,
        format="database",
        url=shown,
        table_name=table,
        sql=sql,
        connection=con,
    )
    try:
        with _quiet_ibis():
            return _open_table_or_query(con, scheme, shown, table, sql), source
    except BaseException:
        source.close()
        raise


def _open_table_or_query(con: Any, scheme: str, shown: str, table: str | None, sql: str | None) -> Any:
    if table is not None:
        schema, _, name = table.rpartition(".")
        try:
            expr = con.table(name, database=schema) if schema else con.table(name)
        except Exception as exc:
            names = _table_names(con)
            listed = f"; its tables are: {', '.join(map(repr, names[:20]))}" if names else ""
            raise _db_problem(
                shown,
                f"has no table {table!r}{did_you_mean(table, names)}{listed}",
                "name a table or view with --table (schema.table for another schema), or "
                "give a query with --sql",
                exc,
            ) from None
    else:
        try:
            if scheme == "duckdb":  # a temporary view (Ibis 12 cannot read a DuckDB 2 query's schema)
                con.raw_sql(f"CREATE OR REPLACE TEMP VIEW pe_report_query AS {sql}")
                expr = con.table("pe_report_query")
            else:
                expr = con.sql(sql)
        except Exception as exc:
            raise _db_problem(
                shown,
                "the query given with --sql cannot be run",
                "check the SQL (run it in your database's own tool first); it must be a "
                "SELECT that returns one row per patient or visit",
                exc,
            ) from None
    return expr


def _outcome_codes(column: Any, yes: set[str], no: set[str], missing: set[str]) -> tuple[Any, Any, Any]:
    """0/1 (NULL otherwise), missing and invalid, as Ibis expressions: the file path's rules in SQL."""
    import ibis

    dtype = column.type()
    null = ibis.null().cast("int8")
    if dtype.is_boolean():
        return column.cast("int8"), column.isnull(), ibis.literal(False)  # noqa: PD003
    if dtype.is_numeric():
        absent = column.isnull()  # noqa: PD003
        if dtype.is_floating():
            absent = absent | column.isnan()
        code = ibis.ifelse(absent, null, ibis.ifelse(column == 1, 1, ibis.ifelse(column == 0, 0, null)))
        return code.cast("int8"), absent, ~absent & code.isnull()  # noqa: PD003
    if dtype.is_string():
        text = column.strip().lower()
        absent = column.isnull() | text.isin(sorted(missing))  # noqa: PD003
        is_yes = text.isin(sorted(yes)) | text.re_search(r"^\+?0*1(\.0*)?$")
        is_no = text.isin(sorted(no)) | text.re_search(r"^[+-]?0+(\.0*)?$") | text.re_search(r"^[+-]?\.0+$")
        code = ibis.ifelse(absent, null, ibis.ifelse(is_yes, 1, ibis.ifelse(is_no, 0, null)))
        return code.cast("int8"), absent, ~absent & code.isnull()  # noqa: PD003
    raise TypeError(str(dtype))


def _month_codes(column: Any, missing: set[str], *, dayfirst: bool) -> tuple[Any, Any, dict[str, Any]]:
    """First day of the month (NULL when absent or invalid), missing, and per date format a count flag."""
    import ibis

    dtype = column.type()
    if dtype.is_date() or dtype.is_timestamp():
        absent = column.isnull()  # noqa: PD003
        return column.truncate("M").cast("date"), absent, {}
    if not dtype.is_string():
        raise TypeError(str(dtype))
    text = column.strip()
    absent = column.isnull() | text.lower().isin(sorted(missing))  # noqa: PD003

    def part(flag: Any, pattern: str, group: int) -> Any:
        # CASE WHEN flag THEN the digits ELSE '0' END, so the cast never sees anything but digits.
        return ibis.ifelse(flag, text.re_extract(pattern, group), "0").cast("int32")

    iso_pattern = r"^(\d{4})-(\d{2})-(\d{2})"
    us_pattern = r"^(\d{1,2})/(\d{1,2})/(\d{4})(\s.*)?$"
    iso = text.re_search(iso_pattern)
    us = ~iso & text.re_search(us_pattern)
    serial = ~iso & ~us & text.re_search(r"^\d{4,5}(\.\d+)?$")
    year = ibis.ifelse(iso, part(iso, iso_pattern, 1), part(us, us_pattern, 3))
    first, second = part(us, us_pattern, 1), part(us, us_pattern, 2)
    month = ibis.ifelse(iso, part(iso, iso_pattern, 2), second if dayfirst else first)
    day = ibis.ifelse(iso, part(iso, iso_pattern, 3), first if dayfirst else second)
    leap = ((year % 4) == 0) & (((year % 100) != 0) | ((year % 400) == 0))
    last = ibis.cases((month == 2, ibis.ifelse(leap, 29, 28)), (month.isin([4, 6, 9, 11]), 30), else_=31)
    valid = (iso | us) & (year >= 1) & month.between(1, 12) & (day >= 1) & (day <= last)
    from_text = ibis.date(ibis.ifelse(valid, year, 2000), ibis.ifelse(valid, month, 1), 1)
    days = part(serial, r"^(\d{4,5})", 1)
    serial_ok = serial & days.between(1, 2958465)
    from_serial = (ibis.date(1899, 12, 30) + days.as_interval("D")).truncate("M").cast("date")
    null = ibis.null().cast("date")
    result = ibis.ifelse(valid, from_text, ibis.ifelse(serial_ok, from_serial, null))
    kinds = {
        "ISO (YYYY-MM-DD)": valid & iso,
        "day/month/year" if dayfirst else "US (month/day/year)": valid & us,
        "Excel serial numbers": serial_ok,
    }
    return ibis.ifelse(absent, null, result), absent, kinds


def _as_text(column: Any) -> Any:
    """A group column as the text a file export of it holds: a boolean reads "True"/"False".

    SQL casts a boolean to 'true'/'false', while a CSV written from the same table (pandas,
    Excel) holds "True"/"False"; the report must name the groups the same way on both paths.
    NULL stays NULL (it is counted as unknown).
    """
    import ibis

    if column.type().is_boolean():
        return ibis.cases((column, "True"), (~column, "False"), else_=ibis.null("string"))
    return column.cast("string").strip()


def prepare_database(
    expr: Any,
    source: DatabaseSource,
    *,
    outcome: str,
    by: Sequence[str],
    date: str | None = None,
    mapping: Mapping[str, Any] | None = None,
    strict: bool = False,
    dayfirst: bool = False,
) -> Prepared:
    """:func:`prepare` for a database table or query: the same rules, applied inside the query.

    Only the columns the report needs are selected; the mapping's column names and codes, the
    outcome's coding (1/0, yes/no, true/false and the mapping's lists), missing values and dates
    (ISO, US or Excel serial text, or DATE/TIMESTAMP columns) are applied in SQL; rows with a
    missing or invalid outcome or date are counted by reason and left out. What comes back is
    counts only: rows per reason, missing group values per column, unmapped codes with their
    number of rows. The rates and monthly counts are then counted by :mod:`helpers.warehouse`.

    Parameters
    ----------
    expr : Ibis table expression
        From :func:`open_database`.
    source : DatabaseSource
        From :func:`open_database`; its counts are filled in.
    outcome, by, date, mapping, strict, dayfirst
        As in :func:`prepare`.

    Returns
    -------
    Prepared
        With ``table`` (the query of the rows kept) and ``rows_used``; ``data`` is empty and
        ``excluded`` has ``reason`` and ``rows``.

    Raises
    ------
    BadInputError
        Every problem at once: columns not in the table (with the closest names), columns of
        the wrong type, and with ``strict`` invalid outcomes or dates (with a value and a count).

    Example
    -------
    >>> expr, source = open_database("duckdb://", sql="SELECT * FROM (VALUES ('Black', 'yes'), "
    ...     "('White', 'no'), (NULL, 'maybe')) AS t(race, bp)")
    >>> prepared = prepare_database(expr, source, outcome="bp", by=["race"])
    >>> prepared.rows_used, prepared.excluded.values.tolist()
    (2, [["outcome '…' is not 1/0, yes/no or true/false", 1]])
    """
    with _quiet_ibis():
        return _prepare_database(
            expr,
            source,
            outcome=outcome,
            by=list(by),
            date=date,
            mapping=mapping,
            strict=strict,
            dayfirst=dayfirst,
        )


def _prepare_database(
    expr: Any,
    source: DatabaseSource,
    *,
    outcome: str,
    by: list[str],
    date: str | None,
    mapping: Mapping[str, Any] | None,
    strict: bool,
    dayfirst: bool,
) -> Prepared:
    import ibis

    from helpers import warehouse

    mapping = mapping or load_mapping(None)
    renames = mapping.get("columns", {})
    columns = list(expr.columns)
    problems = _column_problems(columns, mapping, outcome=outcome, by=by, date=date, what="table")
    if problems:
        raise BadInputError(source.source, problems)
    theirs = {renames.get(c, c): c for c in columns}
    wanted = [outcome, *by, *([date] if date else [])]
    table = expr.select(**{name: expr[theirs[name]] for name in wanted})
    source.columns_used = [theirs[name] for name in wanted]
    source.by_month = date is not None

    missing = {t.lower() for t in (*MISSING_TOKENS, *mapping.get("missing", []))}
    yes = {v.lower() for v in (*OUTCOME_YES, *mapping["outcome"]["yes"])}
    no = {v.lower() for v in (*OUTCOME_NO, *mapping["outcome"]["no"])}
    try:
        code, outcome_absent, outcome_invalid = _outcome_codes(table[outcome], yes, no, missing)
    except TypeError as exc:
        problems.append(
            Problem(
                f"--outcome {outcome!r} has type {exc} in the table",
                "give a 0/1, yes/no or true/false column, or recode it in --sql",
            )
        )
    month = date_absent = None
    kinds: dict[str, Any] = {}
    if date:
        try:
            month, date_absent, kinds = _month_codes(table[date], missing, dayfirst=dayfirst)
        except TypeError as exc:
            problems.append(
                Problem(
                    f"--date {date!r} has type {exc} in the table",
                    "give a DATE, TIMESTAMP or text column, or convert it in --sql",
                )
            )
    if problems:
        raise BadInputError(source.source, problems)

    columns_out: dict[str, Any] = {"outcome": code}
    leftovers: dict[str, Any] = {}
    for column in by:
        text = _as_text(table[column])
        absent = table[column].isnull() | text.lower().isin(sorted(missing))  # noqa: PD003
        codes = mapping.get("values", {}).get(column)
        label = text
        if codes:
            label = text.substitute(codes, else_=text)
            leftovers[column] = ~absent & ~text.isin(sorted(codes)) & ~text.isin(sorted(set(codes.values())))
        columns_out[column] = ibis.ifelse(absent, UNKNOWN_LABEL, label)
    outcome_state = ibis.ifelse(outcome_absent, "missing", ibis.ifelse(outcome_invalid, "invalid", "ok"))
    date_state: Any = ibis.literal("ok")
    if month is not None:
        columns_out["_month"] = month
        date_state = ibis.ifelse(date_absent, "missing", ibis.ifelse(month.isnull(), "invalid", "ok"))  # noqa: PD003
    for i, column in enumerate(leftovers):
        columns_out[f"_left{i}"] = leftovers[column]
    coded = table.mutate(_outcome_state=outcome_state, _date_state=date_state, **columns_out)

    # Counts only: rows per reason, and missing group values and date formats over all rows.
    states = warehouse._fetch(coded.group_by(["_outcome_state", "_date_state"]).aggregate(rows=coded.count()))
    totals = warehouse._fetch(
        coded.aggregate(
            _all=coded.count(),
            **{f"_unknown{i}": (coded[c] == UNKNOWN_LABEL).sum().fill_null(0) for i, c in enumerate(by)},
            **{f"_kind{i}": flag.sum().fill_null(0) for i, flag in enumerate(kinds.values())},
        )
    ).iloc[0]
    n_all = int(totals["_all"])
    source.rows_counted = n_all
    if n_all == 0:
        raise BadInputError(source.source, [Problem("has no rows", "check the table, or the query's WHERE")])
    reasons: dict[str, int] = {}
    for row in states.to_dict("records"):
        parts = []
        if row["_outcome_state"] == "missing":
            parts.append("outcome missing")
        elif row["_outcome_state"] == "invalid":
            parts.append(_OUTCOME_REASON)
        if row["_date_state"] == "missing":
            parts.append("date missing")
        elif row["_date_state"] == "invalid":
            parts.append(_DATE_REASON)
        if parts:
            reasons["; ".join(parts)] = reasons.get("; ".join(parts), 0) + int(row["rows"])
    used = int(states.loc[(states["_outcome_state"] == "ok") & (states["_date_state"] == "ok"), "rows"].sum())

    if strict:
        for state_column, raw, what, fix in (
            (
                "_outcome_state",
                outcome,
                "is not a valid outcome (1/0, yes/no, true/false)",
                "recode it, or list it under outcome: yes/no in the mapping file",
            ),
            ("_date_state", date, _DATE_PROBLEM, "use YYYY-MM-DD, or a DATE column"),
        ):
            n_bad = int(states.loc[states[state_column] == "invalid", "rows"].sum())
            if raw and n_bad:
                bad = coded.filter(coded[state_column] == "invalid")
                top = warehouse._fetch(
                    bad.group_by(raw).aggregate(n=bad.count()).order_by(ibis.desc("n")).limit(1)
                )
                problems.append(
                    Problem(
                        f"{what} ({n_bad:,} row{'s' if n_bad != 1 else ''})",
                        fix,
                        column=raw,
                        value=str(top[raw].iloc[0]),
                    )
                )
        if problems:
            raise BadInputError(source.source, problems)
    if used == 0:
        raise BadInputError(
            source.source,
            [
                Problem(
                    "no row is left after setting aside rows with a missing or invalid outcome"
                    + (" or date" if date else ""),
                    f"check the coding of {outcome!r}; the reasons: " + "; ".join(list(reasons)[:3]),
                )
            ],
        )

    kept = coded.filter((coded["_outcome_state"] == "ok") & (coded["_date_state"] == "ok"))
    unmapped_rows: list[dict[str, Any]] = []
    for i, column in enumerate(leftovers):
        left = kept.filter(kept[f"_left{i}"])
        counts = warehouse._fetch(left.group_by(column).aggregate(rows=left.count()))
        counts = counts.sort_values(["rows", column], ascending=[False, True], kind="stable")
        unmapped_rows += [
            {"column": column, "value": v, "rows": int(n)}
            for v, n in zip(counts[column], counts["rows"], strict=True)
        ]
    notes: list[str] = []
    if kinds:
        found = {k: int(totals[f"_kind{i}"]) for i, k in enumerate(kinds)}
        if any(found.values()):
            notes.append(
                "Dates read as " + ", ".join(f"{k} ({n:,} rows)" for k, n in found.items() if n) + "."
            )
    excluded = pd.DataFrame(
        {"reason": list(reasons), "rows": list(reasons.values())}, columns=["reason", "rows"]
    )
    excluded = excluded.sort_values("rows", ascending=False, kind="stable").reset_index(drop=True)
    return Prepared(
        data=pd.DataFrame(columns=["outcome", *by]),
        excluded=excluded,
        unmapped=pd.DataFrame(unmapped_rows, columns=["column", "value", "rows"]),
        missing_shares=pd.DataFrame(
            [
                {
                    "column": c,
                    "missing_or_unknown": int(totals[f"_unknown{i}"]),
                    "rows": n_all,
                    "share": int(totals[f"_unknown{i}"]) / n_all,
                }
                for i, c in enumerate(by)
            ]
        ),
        raw=source,
        outcome=outcome,
        by=by,
        date=date,
        notes=notes,
        table=kept.select("outcome", *by, *(["_month"] if date else [])),
        rows_used=used,
    )


# ============================================================================ names for prose
def column_name(column: str) -> str:
    """A column's name for prose, captions and alt text: ``race_ethnicity`` → "race and ethnicity".

    Underscores become spaces; a column named for race and ethnicity together reads "race and
    ethnicity"; the abbreviations of clinical and equity data keep their capitals ("bp" → "BP",
    "sogi" → "SOGI"). Tables keep the column names of the data.

    Example
    -------
    >>> column_name("bp_controlled"), column_name("race_ethnicity"), column_name("Race/Eth")
    ('BP controlled', 'race and ethnicity', 'Race/Eth')
    """
    words = re.sub(r"\s+", " ", str(column).replace("_", " ")).strip()
    words = re.sub(r"\b[A-Za-z0-9]+\b", lambda m: _ABBREVIATIONS.get(m.group().lower(), m.group()), words)
    return re.sub(r"^(race)\s*(?:/|and|&| )\s*(ethnicity)$", r"\1 and \2", words, flags=re.IGNORECASE)


#: Lower-case words of column names that prose writes as abbreviations.
_ABBREVIATIONS = {
    "bp": "BP",
    "ed": "ED",
    "hai": "HAI",
    "hba1c": "HbA1c",
    "a1c": "A1c",
    "ldl": "LDL",
    "sdoh": "SDOH",
    "sogi": "SOGI",
    "icu": "ICU",
    "zip": "ZIP",
    "id": "ID",
}


def group_name(label: Any, column: str) -> str:
    """A group's name for prose, captions and alt text, through :func:`helpers.group_names.spell_out`.

    Race and ethnicity labels are spelled out ("AIAN" → "American Indian or Alaska Native");
    labels of other columns are kept as they are. Tables keep the data's short labels.

    Example
    -------
    >>> group_name("NHPI", "race"), group_name("Other", "language")
    ('Native Hawaiian or Other Pacific Islander', 'Other')
    """
    return spell_out(label, column=column)


def _sentence(text: str) -> str:
    """``text`` with its first letter in upper case (the rest unchanged: "BP" stays "BP")."""
    return text[:1].upper() + text[1:]


def _spelled_table(table: pd.DataFrame, column: str) -> tuple[pd.DataFrame, str]:
    """A copy of a rates or gaps table for figures: group labels and the column's name spelled out.

    Returns the copy and the new name of ``column`` (also recorded in ``attrs["by"]``).
    """
    name = column_name(column)
    out = table.rename(columns={column: name})
    out.attrs = {**table.attrs, "by": [name if b == column else b for b in table.attrs.get("by", [column])]}
    if is_race_ethnicity_column(column):
        for col in (name, "reference_group"):
            if col in out.columns:
                out[col] = out[col].astype(object).map(lambda v: v if pd.isna(v) else group_name(v, column))
    return out, name


# ============================================================================ computing
@dataclass
class Report:
    """Everything the report shows (computed; :func:`render_report` only lays it out)."""

    prepared: Prepared
    title: str
    rates: dict[str, pd.DataFrame]
    gaps: dict[str, pd.DataFrame]
    summaries: dict[str, pd.Series]
    references: dict[str, str]
    figures: list[tuple[str, Any]]
    monthly: pd.DataFrame | None = None
    signals: pd.DataFrame | None = None
    monthly_notes: list[str] = field(default_factory=list)
    level: float = 0.95
    min_cell: int = 11


def build_report(
    prepared: Prepared,
    *,
    reference: str | None = None,
    level: float = 0.95,
    min_cell: int = 11,
    title: str | None = None,
) -> Report:
    """Compute the stratified tables, gaps, summary measures, figures and (with dates) run charts.

    Parameters
    ----------
    prepared : Prepared
        From :func:`prepare`.
    reference : str, optional
        The reference group (a value of one of the ``by`` columns). Gaps for that column are
        measured against it; for other columns (and without it) against the best group, and
        the report says so.
    level : float, default 0.95
        Confidence level of the intervals.
    min_cell : int, default 11
        Counts from 1 to ``min_cell - 1`` are suppressed.
    title : str, optional
        The report's heading.

    Returns
    -------
    Report
    """
    from helpers.disparities import gaps as compute_gaps
    from helpers.disparities import summary
    from helpers.plots import gap_plot, stratified_rates_plot

    rates: dict[str, pd.DataFrame] = {}
    gap_tables: dict[str, pd.DataFrame] = {}
    summaries: dict[str, pd.Series] = {}
    references: dict[str, str] = {}
    figures: list[tuple[str, Any]] = []
    counted = {column: _count_rates(prepared, [column], level, min_cell) for column in prepared.by}
    if reference is not None and not any(reference in set(counted[c][c].astype(str)) for c in prepared.by):
        values = sorted({str(v) for c in prepared.by for v in counted[c][c]})
        raise BadInputError(
            prepared.raw.source,
            [
                Problem(
                    f"--reference {reference!r} is not a group in the data{did_you_mean(reference, values)}",
                    f"name one of: {', '.join(map(repr, values[:12]))}",
                )
            ],
        )
    for column in prepared.by:
        table = counted[column]
        rates[column] = table
        shown = table[~table["suppressed"]]
        ref = reference if reference is not None and reference in set(shown[column]) else "best"
        if len(shown) < 2:
            continue
        g = compute_gaps(table, reference=ref, level=level)
        gap_tables[column] = g
        summaries[column] = summary(table, reference=ref, weighted=True)
        references[column] = str(summaries[column]["reference_group"])
        measure, by_name = column_name(prepared.outcome), column_name(column)
        figures.append(
            (
                f"{_sentence(measure)} by {by_name}",
                stratified_rates_plot(
                    *_spelled_table(table, column),
                    reference=group_name(references[column], column),
                    measure=_sentence(measure),
                    level=level,
                    min_cell=min_cell,
                ),
            )
        )
        figures.append(
            (
                f"Gaps in {measure} by {by_name}",
                gap_plot(*_spelled_table(g, column), measure=_sentence(measure), min_cell=min_cell),
            )
        )
    if len(prepared.by) > 1:
        rates[" × ".join(prepared.by)] = _count_rates(prepared, prepared.by, level, min_cell)
    report = Report(
        prepared,
        title or f"Equity report: {prepared.outcome} by {', '.join(prepared.by)}",
        rates,
        gap_tables,
        summaries,
        references,
        figures,
        level=level,
        min_cell=min_cell,
    )
    if prepared.date:
        _monthly(report)
    return report


def _count_rates(prepared: Prepared, by: list[str], level: float, min_cell: int) -> pd.DataFrame:
    """Stratified rates of the rows kept: in pandas for a file, in the database for a database source."""
    if prepared.table is None:
        from helpers.measures import stratified_rates

        return stratified_rates(prepared.data, "outcome", by, level=level, min_cell=min_cell)
    from helpers import warehouse

    with _quiet_ibis():
        return warehouse.stratified_rates(
            prepared.table, "outcome", by, level=level, min_cell=min_cell, missing_outcome="exclude"
        )


def _monthly_counts(prepared: Prepared, column: str) -> pd.DataFrame:
    """Numerator and denominator per month and group (the first ``by`` column) of the rows kept."""
    if prepared.table is None:
        counts = (
            prepared.data.groupby(["month", column], observed=True)["outcome"]
            .agg(numerator="sum", denominator="size")
            .reset_index()
        )
        counts["rate"] = counts["numerator"] / counts["denominator"]
        return counts
    from helpers import warehouse

    with _quiet_ibis():
        counts = warehouse.monthly_counts(
            prepared.table, "outcome", column, "_month", missing_outcome="exclude"
        )
    return counts[["month", column, "numerator", "denominator", "rate"]]


def _monthly(report: Report) -> None:
    """Monthly rate per group (first ``by`` column), run-chart signals, and the gap series."""
    from helpers.plots import gap_plot, run_chart
    from helpers.runcharts import gap_series, run_chart_signals

    prepared = report.prepared
    column = prepared.by[0]
    counts = _monthly_counts(prepared, column)
    report.monthly = counts
    months = sorted(counts["month"].unique())
    signal_rows = []
    reference = report.references.get(column)
    for group, rows in counts.groupby(column, observed=True, sort=False):
        rows = rows.set_index("month").reindex(months)
        small = rows["numerator"].between(1, report.min_cell - 1) | (
            (rows["denominator"] - rows["numerator"]).between(1, report.min_cell - 1)
        )
        if rows["denominator"].isna().any() or small.any() or len(months) < 10:
            why = (
                "fewer than 10 months"
                if len(months) < 10
                else "a month with no rows"
                if rows["denominator"].isna().any()
                else f"a month with a count of 1–{report.min_cell - 1} (suppressed)"
            )
            name = group_name(group, column)
            report.monthly_notes.append(f"{_sentence(column_name(column))} {name}: no run chart ({why}).")
            continue
        name = group_name(group, column)
        sig = run_chart_signals(rows["rate"].to_numpy())
        signal_rows.append(
            {
                column: group,
                "months": len(rows),
                "median": sig.center,
                "shift": sig.shift,
                "trend": sig.trend,
                "runs_signal": sig.runs_signal,
                "signal": sig.signal,
                "finding": sig.describe(),
            }
        )
        measure = column_name(prepared.outcome)
        report.figures.append(
            (
                f"Monthly {measure}: {name}",
                run_chart(
                    rows["rate"].to_numpy(),
                    x=[m.strftime("%b %Y") for m in months],
                    percent=True,
                    measure=f"{measure} for {name}"
                    if is_race_ethnicity_column(column)
                    else f"{measure} for {name} ({column_name(column)})",
                ),
            )
        )
        if reference is not None and group != reference and f"{reference}" in set(map(str, counts[column])):
            spelled = counts.assign(
                **{column: counts[column].astype(object).map(lambda v: group_name(v, column))}
            )
            ref_name = group_name(reference, column)
            series = gap_series(spelled, group=column, time="month", focus=name, reference=ref_name)
            report.figures.append(
                (
                    f"Gap over time: {name} − {ref_name}",
                    gap_plot(series, time="month", measure=_sentence(measure), min_cell=report.min_cell),
                )
            )
    report.signals = pd.DataFrame(signal_rows)


# ============================================================================ HTML
_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;max-width:60rem;margin:2rem auto;
padding:0 1rem;line-height:1.5;color:#1b1b1b}
table{border-collapse:collapse;margin:1rem 0;font-variant-numeric:tabular-nums}
th,td{border:1px solid #bbb;padding:.25rem .6rem;text-align:left}th{background:#eef2f7}
caption{text-align:left;font-weight:600;padding:.25rem 0}
figure{margin:1.5rem 0}figure img{max-width:100%;height:auto}figcaption{font-size:.95rem}
.note{background:#fff8e6;border-left:4px solid #e69f00;padding:.5rem 1rem}
"""


def _esc(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _pct(x: Any) -> str:
    return "" if x is None or pd.isna(x) else f"{100 * float(x):.1f}%"


def _table_html(frame: pd.DataFrame, caption: str) -> str:
    head = "".join(f'<th scope="col">{_esc(c)}</th>' for c in frame.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{_esc(v)}</td>" for v in row) + "</tr>"
        for row in frame.itertuples(index=False)
    )
    return (
        f"<table><caption>{_esc(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )


def _rates_display(table: pd.DataFrame, by: Sequence[str], level: float) -> pd.DataFrame:
    out = table[list(by)].astype(str).copy()
    hidden = table["suppressed"].to_numpy()
    out["patients"] = [
        ("suppressed" if h else f"{int(d):,}") for h, d in zip(hidden, table["denominator"], strict=True)
    ]
    out["with outcome"] = [
        ("suppressed" if h else f"{int(n):,}") for h, n in zip(hidden, table["numerator"], strict=True)
    ]
    out["rate"] = ["suppressed (1–10)" if h else _pct(r) for h, r in zip(hidden, table["rate"], strict=True)]
    out[f"{level:.0%} interval"] = [
        "" if h else f"{_pct(lo)} to {_pct(hi)}"
        for h, lo, hi in zip(hidden, table["ci_low"], table["ci_high"], strict=True)
    ]
    return out


def _gaps_display(table: pd.DataFrame, column: str, level: float) -> pd.DataFrame:
    out = pd.DataFrame({column: table[column].astype(str)})
    hidden = table["suppressed"].to_numpy()

    def points(x: Any) -> str:
        if pd.isna(x):
            return ""
        value = round(100 * float(x), 1)
        return "0.0" if value == 0 else f"{value:+.1f}"

    out["absolute difference (percentage points)"] = [
        "suppressed" if h else points(d) for h, d in zip(hidden, table["abs_diff"], strict=True)
    ]
    out[f"{level:.0%} interval (points)"] = [
        "" if h or pd.isna(lo) else f"{points(lo)} to {points(hi)}"
        for h, lo, hi in zip(hidden, table["abs_diff_ci_low"], table["abs_diff_ci_high"], strict=True)
    ]
    out["rate ratio"] = [
        "suppressed" if h else ("" if pd.isna(r) else f"{float(r):.2f}")
        for h, r in zip(hidden, table["rel_ratio"], strict=True)
    ]
    return out


def _figure_html(caption: str, result: Any) -> str:
    import matplotlib.pyplot as plt

    fig, alt = result.fig, result.alt_text
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return (
        f'<figure><img src="data:image/png;base64,{data}" alt="{_esc(alt)}">'
        f"<figcaption><strong>{_esc(caption)}.</strong> {_esc(alt)}</figcaption></figure>"
    )


def render_report(report: Report) -> str:
    """Lay the report out as one self-contained HTML page (every value escaped).

    Parameters
    ----------
    report : Report
        From :func:`build_report`.

    Returns
    -------
    str
        An HTML5 document with its CSS inline and its figures as ``data:`` URIs.
    """
    p = report.prepared
    parts = [
        f"<h1>{_esc(report.title)}</h1>",
        '<p class="note">Made on this computer by <code>python -m helpers report</code>; nothing was sent '
        "anywhere. Counts from 1 to 10 are suppressed in every table and chart (0 is shown), and so is a "
        "second cell where needed so that a suppressed count cannot be worked out from a total. Check "
        "with your organisation before sharing it outside your team.</p>",
    ]
    parts.append(
        "<h2>What was read</h2><ul>"
        + "".join(f"<li>{_esc(s)}</li>" for s in p.raw.describe() + p.notes)
        + "</ul>"
    )
    kept = p.n_used()
    parts.append(f"<p>{kept:,} rows are used; {p.n_excluded():,} were set aside.</p>")
    if len(p.excluded) and "rows" in p.excluded.columns:  # a database: counts per reason
        rows = pd.DataFrame(
            {"reason": p.excluded["reason"], "rows": [f"{int(n):,}" for n in p.excluded["rows"]]}
        )
        parts.append("<h2>Rows set aside</h2>" + _table_html(rows, "Rows set aside, by reason"))
    elif len(p.excluded):
        generic = p.excluded["reason"].str.replace(r"'[^']*'", "'…'", regex=True)
        grouped = p.excluded.groupby(generic, sort=False)["line"]
        rows = pd.DataFrame(
            {
                "reason": list(grouped.groups),
                "rows": [f"{len(lines):,}" for _, lines in grouped],
                f"first {p.raw.row_word}s": [", ".join(map(str, lines.head(_SHOW))) for _, lines in grouped],
            }
        )
        rows = rows.iloc[np.argsort(-grouped.size().reindex(rows["reason"]).to_numpy(), kind="stable")]
        parts.append("<h2>Rows set aside</h2>" + _table_html(rows, "Rows set aside, by reason"))
    parts.append(
        "<h2>Missing or unknown group values</h2>"
        + _table_html(
            pd.DataFrame(
                {
                    "column": p.missing_shares["column"],
                    "missing or Unknown": [f"{n:,}" for n in p.missing_shares["missing_or_unknown"]],
                    "share of rows": [_pct(s) for s in p.missing_shares["share"]],
                }
            ),
            "Rows whose group is missing or Unknown (kept, as the group 'Unknown')",
        )
    )
    if len(p.unmapped):
        parts.append(
            "<h2>Values the mapping file does not map</h2><p>Kept as their own groups, never guessed. "
            "Add them under <code>values:</code> in the mapping file if they belong to a category.</p>"
            + _table_html(p.unmapped.astype(str), "Unmapped values and their number of rows")
        )
    for column, table in report.rates.items():
        by = [c.strip() for c in column.split("×")]
        heading = f"{_sentence(column_name(p.outcome))} by " + " × ".join(column_name(c) for c in by)
        parts.append(
            f"<h2>{_esc(heading)}</h2>"
            + _table_html(
                _rates_display(table, by, report.level),
                f"{p.outcome} by {column}: rate with its {report.level:.0%} Wilson interval",
            )
        )
        if column in report.gaps:
            ref = report.references[column]
            ref_name = group_name(ref, column)
            in_tables = f" ({ref} in the tables)" if ref_name != ref else ""
            parts.append(
                f"<h3>Gaps against {_esc(ref_name)}</h3><p>Each group's rate minus the rate of the "
                f"reference group, <strong>{_esc(ref_name)}</strong>{_esc(in_tables)} (negative: a lower "
                "rate), with the rate ratio.</p>"
                + _table_html(_gaps_display(report.gaps[column], column, report.level), f"Gaps against {ref}")
            )
            s = report.summaries[column]
            measures = pd.DataFrame(
                {
                    "measure": [
                        "index of disparity",
                        "between-group variance",
                        "Theil index",
                        "mean log deviation",
                        "population attributable fraction",
                    ],
                    "value": [
                        f"{s['index_of_disparity']:.3f}",
                        f"{s['between_group_variance']:.5f}",
                        f"{s['theil_index']:.5f}",
                        f"{s['mean_log_deviation']:.5f}",
                        f"{s['population_attributable_fraction']:.3f}",
                    ],
                }
            )
            parts.append(
                _table_html(
                    measures,
                    f"Summary measures across the groups of {column} (reference: {ref}; variance, Theil "
                    "and mean log deviation weighted by group size, as HD*Calc and WHO compute them)",
                )
            )
    if report.signals is not None and len(report.signals):
        parts.append(
            "<h2>Over time</h2>"
            + _table_html(report.signals.astype(str), "Run-chart signals per group (IHI rules)")
        )
    for note in report.monthly_notes:
        parts.append(f"<p>{_esc(note)}</p>")
    if report.figures:
        parts.append("<h2>Figures</h2>" + "".join(_figure_html(c, f) for c, f in report.figures))
    body = "\n".join(parts)
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_esc(report.title)}</title><style>{_CSS}</style></head><body><main>{body}</main></body></html>\n"
    )


# ============================================================================ writing files
def neutralise_formula(value: Any) -> Any:
    """Make a text value safe to open in a spreadsheet (no formula injection).

    A value starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by
    Excel as a formula; it is prefixed with an apostrophe. Numbers are left alone.

    Example
    -------
    >>> neutralise_formula('=HYPERLINK("http://x","y")'), neutralise_formula("+cmd"), neutralise_formula(-3)
    ('\\'=HYPERLINK("http://x","y")', "'+cmd", -3)
    """
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=path.parent, delete=False, suffix=".tmp"
    ) as tmp:
        tmp.write(text)
        tmp.flush()
        os.fsync(tmp.fileno())
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp.name, 0o666 & ~umask)  # as an ordinary new file would be, not the temp file's 0600
    os.replace(tmp.name, path)


def write_csv(table: pd.DataFrame, path: str | os.PathLike[str]) -> None:
    """Write a table as CSV with every text value neutralised (see :func:`neutralise_formula`).

    Example
    -------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> write_csv(pd.DataFrame({"group": ["=1+1", "White"], "n": [12, -4]}), out)
    >>> out.read_text()
    "group,n\\n'=1+1,12\\nWhite,-4\\n"
    """
    safe = table.copy()
    for column in safe.columns:
        if safe[column].dtype == object or isinstance(
            safe[column].dtype, pd.CategoricalDtype | pd.StringDtype
        ):
            safe[column] = safe[column].astype(object).map(neutralise_formula)
    safe.columns = [neutralise_formula(str(c)) for c in safe.columns]
    _atomic_write(Path(path), safe.to_csv(index=False, lineterminator="\n"))


# ============================================================================ command line
_EPILOG = """\
examples:
  python -m helpers report visits.csv --outcome bp_controlled --by race_ethnicity --out report.html
  python -m helpers report export.xlsx --sheet 2 --outcome "BP <140/90" --by Race --by Language \\
      --reference White --date "Visit date" --map mapping.yaml --out report.html

  a database (counted where it is: only counts per group and month leave it):
  python -m helpers report duckdb:///data/ehr.duckdb --table visits --outcome bp_controlled \\
      --by race_ethnicity --date visit_date --reference White --out report.html
  python -m helpers report postgresql://analyst@warehouse.example.org:5432/ehr \\
      --sql "SELECT * FROM visits WHERE visit_date >= DATE '2024-01-01'" \\
      --outcome bp_controlled --by race_ethnicity --map mapping.yaml --out report.html
  a CSV or Parquet file larger than memory, counted by DuckDB in chunks:
  python -m helpers report duckdb:// --sql "SELECT * FROM 'big_export.csv'" \\
      --outcome bp --by race --out report.html

mapping file (YAML), every section optional:
  columns:                 # your column name: the name used with --outcome/--by/--date
    "Race/Eth": race
  values:                  # per column: your code: the category to show
    race: {"2106-3": White, "2054-5": Black}
    language: {"Spanish/Español": Spanish}
  outcome: {"yes": ["Controlled"], "no": ["Uncontrolled"]}   # besides 1/0, yes/no, true/false
  missing: ["Not recorded"]                                 # extra values read as missing

exit codes: 0 report written; 2 bad input (every problem listed, nothing written); 1 unexpected failure.
The input file is never modified (a DuckDB file is opened read-only), and nothing is sent anywhere.
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m helpers report",
        description="Write the stratified equity report for your own file (CSV, Excel .xlsx or Parquet) "
        "or database table or query (counted in the database) "
        "as one self-contained HTML page: what was read, rows set aside, rates by group with intervals and "
        "small-cell "
        "suppression, gaps against a named reference group, summary measures and figures; with --date, "
        "monthly run charts per group and the gap over time.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "data",
        help="the file: CSV (any common encoding and delimiter), .xlsx or .parquet; or a database URL "
        "(duckdb:///file.duckdb, duckdb://, postgresql://user@host:port/db, any URL ibis.connect knows) "
        "with --table or --sql",
    )
    parser.add_argument(
        "--outcome",
        required=True,
        help="the 0/1 outcome column (1/0, yes/no, true/false), e.g. bp_controlled",
    )
    parser.add_argument(
        "--by",
        action="append",
        required=True,
        metavar="COL",
        help="a column to stratify by; repeat for several (e.g. --by race --by language)",
    )
    parser.add_argument(
        "--date",
        metavar="COL",
        help="a date column: adds monthly run charts per group (dates as "
        "YYYY-MM-DD, MM/DD/YYYY or Excel serial numbers)",
    )
    parser.add_argument(
        "--reference",
        metavar="GROUP",
        help="the reference group for the gaps, e.g. White "
        "(default: the group with the best rate; the report names it either way)",
    )
    parser.add_argument(
        "--map", metavar="MAP.yaml", help="a mapping file for local column names and codes (see below)"
    )
    parser.add_argument(
        "--sheet", help="Excel only: the sheet's name or number from 1 (default: the first sheet)"
    )
    source = parser.add_mutually_exclusive_group()
    source.add_argument(
        "--table",
        metavar="NAME",
        help="database only: the table or view to count (schema.table for another schema), e.g. visits",
    )
    source.add_argument(
        "--sql",
        metavar="QUERY",
        help="database only: a SELECT whose rows are counted, run by the database, e.g. "
        "\"SELECT * FROM visits WHERE clinic = 'East'\"",
    )
    parser.add_argument("--out", required=True, help="the HTML file to write, e.g. report.html")
    parser.add_argument(
        "--csv", metavar="FILE", help="also write the stratified table as CSV (spreadsheet-safe)"
    )
    parser.add_argument(
        "--level", type=float, default=0.95, help="confidence level of the intervals (default 0.95)"
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="treat an invalid outcome or date as an error instead of setting the row aside",
    )
    parser.add_argument(
        "--dayfirst", action="store_true", help="read 01/02/2024 as 1 February (default: US, 2 January)"
    )
    parser.add_argument(
        "--max-megabytes",
        type=float,
        default=None,
        help="refuse files larger than this (default: the memory available divided by "
        f"{MEMORY_PER_FILE_BYTE}, at most {DEFAULT_MAX_BYTES // 1024**2:,} MB)",
    )
    parser.add_argument("--quiet", action="store_true", help="print nothing but errors")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``python -m helpers report``; return the exit code (0 written, 2 bad input, 1 unexpected)."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help exits 0, a usage error exits 2
        return int(exc.code or 0)
    say: Callable[[str], None] = (lambda _m: None) if args.quiet else (lambda m: print(m, file=sys.stderr))
    opened: list[DatabaseSource] = []
    try:
        import matplotlib

        matplotlib.use("Agg")
        if not 0 < args.level < 1:
            raise BadInputError(
                "--level", [Problem(f"{args.level} is not between 0 and 1", "e.g. --level 0.95")]
            )
        mapping = load_mapping(args.map)
        options = {
            "outcome": args.outcome,
            "by": args.by,
            "date": args.date,
            "mapping": mapping,
            "strict": args.strict,
            "dayfirst": args.dayfirst,
        }
        database = is_database_url(args.data)
        if database:
            if args.sheet is not None:
                raise BadInputError("--sheet", [Problem("applies to Excel workbooks only", "leave it out")])
            say(f"counting in {redact_url(args.data)} …")
            expr, source = open_database(args.data, table=args.table, sql=args.sql)
            opened.append(source)
            prepared = prepare_database(expr, source, **options)
        else:
            if args.table is not None or args.sql is not None:
                raise BadInputError(
                    args.data,
                    [
                        Problem(
                            "--table and --sql apply to a database URL only, not to a file",
                            "leave them out, or give a URL such as duckdb:///path.duckdb",
                        )
                    ],
                )
            say(f"reading {args.data} …")
            theirs = {ours: mine for mine, ours in mapping["columns"].items()}
            wanted = [args.outcome, *args.by, *([args.date] if args.date else [])]
            raw = read_table(
                args.data,
                sheet=args.sheet,
                max_bytes=None if args.max_megabytes is None else int(args.max_megabytes * 1024**2),
                progress=say,
                usecols={theirs.get(name, name) for name in wanted},  # a wide export need not fill memory
            )
            prepared = prepare(raw, **options)
        say(f"computing the report on {prepared.n_used():,} rows …")
        report = build_report(prepared, reference=args.reference, level=args.level)
        out = Path(args.out)
        if not database and out.resolve() == Path(args.data).resolve():
            raise BadInputError(
                out.name, [Problem("--out would overwrite the input file", "choose another name")]
            )
        _atomic_write(out, render_report(report))
        if args.csv:
            first = next(iter(report.rates.values()))
            write_csv(first, args.csv)
        say(f"wrote {out}")
        return 0
    except BadInputError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except Exception as exc:  # the last resort: a short message, never a traceback for a participant
        print(
            f"unexpected failure ({type(exc).__name__}: {exc}). Nothing was written. Please report this "
            "with the command you ran (not the data).",
            file=sys.stderr,
        )
        return 1
    finally:
        for source in opened:
            source.close()
