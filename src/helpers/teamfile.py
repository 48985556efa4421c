"""Read a team's own data file — CSV, Excel or Parquet — as text, saying exactly what was read.

Exports from an EHR, a registry or a spreadsheet arrive in every shape: UTF-8 with or without a
byte-order mark, Windows-1252, semicolons or tabs, quoted line breaks, blank lines, repeated
column names, an Excel workbook saved with a ``.csv`` name. :func:`read_table` reads any of them
into a table of text (nothing is converted yet, so nothing is lost), keeps each row's line number
in the file, and records what it detected (format, encoding, delimiter) and everything it did.
Rows whose number of fields does not match the header are not dropped silently: they are
returned in ``RawTable.malformed`` with the reason. Problems that stop the file from being read
at all raise :class:`BadInputError`, which lists every problem found at once.

The file is only ever opened for reading.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = [
    "DEFAULT_MAX_BYTES",
    "MEMORY_PER_FILE_BYTE",
    "BadInputError",
    "Problem",
    "RawTable",
    "default_max_bytes",
    "read_table",
]

DEFAULT_MAX_BYTES = 2 * 1024**3
"""Largest file :func:`read_table` ever reads by default (2 GiB); on a machine with less memory the
default is lower (see :func:`default_max_bytes`). Above it the file is refused with a message
naming the limit, rather than exhausting the memory of a laptop or a shared hub."""

MEMORY_PER_FILE_BYTE = 10
"""Memory a read needs per byte of CSV, about: a 142 MB CSV of 1,000,000 rows peaks at 1.29 GiB in
``python -m helpers report`` (``benchmarks/results.md``), every value a Python string."""

_DELIMITERS = (",", ";", "\t", "|")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}
_SHOW = 5
_PROGRESS_EVERY = 250_000


@dataclass(frozen=True)
class Problem:
    """One problem with the input: where, what and how to fix it.

    Attributes
    ----------
    what : str
        What is wrong, in plain words.
    fix : str
        What to do about it.
    column : str, optional
        The column concerned.
    rows : tuple of int
        Line (CSV) or row (Excel, Parquet) numbers concerned, first ones only when many.
    n_rows : int
        How many rows are concerned in all.
    value : str, optional
        The offending value (the first one, when several rows share the problem).

    Example
    -------
    >>> print(Problem("is not a valid outcome", "code it 1/0 or yes/no", column="bp", rows=(3, 9),
    ...               n_rows=2, value="maybe"))
    column 'bp', lines 3, 9: 'maybe' is not a valid outcome. Fix: code it 1/0 or yes/no
    """

    what: str
    fix: str
    column: str | None = None
    rows: tuple[int, ...] = ()
    n_rows: int = 0
    value: str | None = None
    row_word: str = "line"

    def __str__(self) -> str:
        where = []
        if self.column is not None:
            where.append(f"column {self.column!r}")
        if self.rows:
            shown = ", ".join(str(r) for r in self.rows[:_SHOW])
            more = self.n_rows - min(len(self.rows), _SHOW)
            plural = "s" if self.n_rows > 1 else ""
            where.append(f"{self.row_word}{plural} {shown}" + (f" and {more:,} more" if more > 0 else ""))
        head = ", ".join(where)
        value = f"{self.value!r} " if self.value is not None else ""
        return f"{head + ': ' if head else ''}{value}{self.what}. Fix: {self.fix}"


class BadInputError(ValueError):
    """The input cannot be used as it is; ``problems`` lists every problem found, each with its fix.

    Example
    -------
    >>> err = BadInputError("team.csv", [Problem("the file is empty (0 bytes)", "export it again")])
    >>> print(err)
    team.csv: 1 problem found
    - the file is empty (0 bytes). Fix: export it again
    """

    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.source = source
        self.problems = list(problems)
        n = len(self.problems)
        lines = [f"{source}: {n} problem{'s' if n != 1 else ''} found", *(f"- {p}" for p in self.problems)]
        super().__init__("\n".join(lines))


@dataclass
class RawTable:
    """A team's file as read: every value as text, with what was detected.

    Attributes
    ----------
    frame : pandas.DataFrame
        One row per data row, every value a ``str`` ("" for an empty cell); the index (named
        ``line`` or ``row``) is the row's number in the file, the header being 1.
    source : str
        The file's name.
    format : str
        ``"csv"``, ``"xlsx"`` or ``"parquet"`` (from the content, not the name).
    all_columns : list of str, optional
        Every column of a CSV file when only some were kept (see :attr:`columns`).
    encoding, delimiter : str or None
        What was detected for a CSV file.
    malformed : pandas.DataFrame
        Rows set aside because their number of fields differs from the header's
        (``line``, ``reason``, ``text``).
    blank_lines : int
        Blank lines skipped.
    notes : list of str
        Everything else the reader did that a person should know.
    """

    frame: pd.DataFrame
    source: str
    format: str
    encoding: str | None = None
    delimiter: str | None = None
    malformed: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["line", "reason", "text"]))
    blank_lines: int = 0
    notes: list[str] = field(default_factory=list)
    sheet: str | None = None
    all_columns: list[str] | None = None

    @property
    def columns(self) -> list[str]:
        """Every column of the file (``frame`` may hold only those asked for with ``usecols``)."""
        return list(self.all_columns) if self.all_columns is not None else list(self.frame.columns)

    @property
    def row_word(self) -> str:
        """ "line" for a CSV file, "row" for a spreadsheet or Parquet file."""
        return "line" if self.format == "csv" else "row"

    def describe(self) -> list[str]:
        """What was read, one sentence per fact (for the report's first section).

        Example
        -------
        >>> t = RawTable(pd.DataFrame({"a": ["1"]}), "x.csv", "csv", encoding="UTF-8", delimiter=";")
        >>> t.describe()[0]
        'x.csv: a CSV file, encoding UTF-8, semicolon-separated; 1 data row and 1 column.'
        """
        kind = {"csv": "a CSV file", "xlsx": "an Excel workbook", "parquet": "a Parquet file"}[self.format]
        details = []
        if self.encoding:
            details.append(f"encoding {self.encoding}")
        if self.delimiter:
            details.append(f"{_DELIMITER_NAMES[self.delimiter]}-separated")
        if self.sheet:
            details.append(f"sheet {self.sheet!r}")
        n_rows, n_cols = len(self.frame), len(self.columns)
        facts = [
            f"{self.source}: {kind}{', ' + ', '.join(details) if details else ''}; "
            f"{n_rows:,} data row{'s' if n_rows != 1 else ''} and "
            f"{n_cols} column{'s' if n_cols != 1 else ''}."
        ]
        if self.blank_lines:
            facts.append(f"{self.blank_lines:,} blank line(s) skipped.")
        if len(self.malformed):
            facts.append(
                f"{len(self.malformed):,} {self.row_word}(s) set aside: their number of fields differs from "
                "the header's."
            )
        facts += self.notes
        return facts


def _available_memory() -> int | None:
    """Bytes of memory available to a new read, or None when the system does not say."""
    try:
        with open("/proc/meminfo", encoding="ascii") as handle:  # Linux: what can be used without swapping
            for line in handle:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    if os.name == "nt":  # pragma: no cover - Windows
        import ctypes

        class _Status(ctypes.Structure):
            _fields_ = [("length", ctypes.c_ulong), ("load", ctypes.c_ulong)] + [
                (name, ctypes.c_ulonglong)
                for name in ("total", "avail", "page_total", "page_avail", "virt_total", "virt_avail", "ext")
            ]

        status = _Status()
        status.length = ctypes.sizeof(_Status)
        if ctypes.windll.kernel32.GlobalMemoryStatusEx(ctypes.byref(status)):  # type: ignore[attr-defined]
            return int(status.avail)
        return None
    try:  # pragma: no cover - macOS and other POSIX systems: physical memory
        return int(os.sysconf("SC_PHYS_PAGES")) * int(os.sysconf("SC_PAGE_SIZE"))
    except (ValueError, OSError, AttributeError):  # pragma: no cover
        return None


def default_max_bytes() -> tuple[int, str]:
    """The largest file :func:`read_table` reads by default on this machine, and why.

    A read needs about :data:`MEMORY_PER_FILE_BYTE` bytes of memory per byte of file, so the
    limit is the memory available now divided by that, and never more than
    :data:`DEFAULT_MAX_BYTES`.

    Returns
    -------
    tuple of (int, str)
        The limit in bytes, and a phrase saying where it comes from (for the refusal message).

    Example
    -------
    >>> limit, why = default_max_bytes()
    >>> 0 < limit <= DEFAULT_MAX_BYTES and isinstance(why, str)
    True
    """
    available = _available_memory()
    if available is not None and available // MEMORY_PER_FILE_BYTE < DEFAULT_MAX_BYTES:
        limit = max(available // MEMORY_PER_FILE_BYTE, 1)
        return limit, (
            f"the memory this machine has available ({_size(available)}) divided by the "
            f"{MEMORY_PER_FILE_BYTE} bytes a read needs per byte of file"
        )
    return DEFAULT_MAX_BYTES, "the largest file read into memory by default"


def _size(n_bytes: float) -> str:
    """A file size for a message: "1.5 kB", "730 MB", "2.0 GB" (1 kB = 1,024 bytes).

    >>> _size(1024), _size(3 * 1024**2 + 1), _size(2 * 1024**3)
    ('1.0 kB', '3.0 MB', '2.0 GB')
    """
    for unit, scale in (("GB", 1024**3), ("MB", 1024**2), ("kB", 1024)):
        if n_bytes >= scale:
            value = n_bytes / scale
            return f"{value:,.1f} {unit}" if value < 100 else f"{value:,.0f} {unit}"
    return f"{int(n_bytes)} bytes"


def _sniff_format(head: bytes, path: Path) -> str:
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"PAR1"):
        return "parquet"
    if b"\x00" in head[:8192] and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise BadInputError(
            path.name,
            [
                Problem(
                    "is not a text (CSV) file: it contains binary data",
                    "export the data again as CSV (UTF-8), an Excel workbook (.xlsx) or Parquet; an old "
                    "Excel file (.xls) must be saved as .xlsx or CSV first",
                )
            ],
        )
    return "csv"


def _decode(blob: bytes) -> tuple[str, str, list[str]]:
    notes: list[str] = []
    if blob.startswith((b"\xff\xfe", b"\xfe\xff")):
        return blob.decode("utf-16"), "UTF-16", notes
    try:
        text = blob.decode("utf-8-sig")
        encoding = "UTF-8 with byte-order mark" if blob.startswith(b"\xef\xbb\xbf") else "UTF-8"
        return text, encoding, notes
    except UnicodeDecodeError as exc:
        line = blob[: exc.start].count(b"\n") + 1
        try:
            text, encoding = blob.decode("cp1252"), "Windows-1252"
        except UnicodeDecodeError:
            text, encoding = blob.decode("latin-1"), "Latin-1 (ISO-8859-1)"
        notes.append(
            f"The file is not UTF-8 (first non-UTF-8 byte on line {line}); it was read as {encoding}. "
            "Check accented letters in the tables; save the file as 'CSV UTF-8' to avoid this."
        )
        return text, encoding, notes


def _sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the same number (> 1) of fields, most fields first."""
    sample = "\n".join(text.splitlines()[:50])
    best, best_fields = ",", 1
    for delimiter in _DELIMITERS:
        try:
            rows = [
                r for r in csv.reader(io.StringIO(sample), delimiter=delimiter) if any(c.strip() for c in r)
            ]
        except csv.Error:
            continue
        if len(rows) > 1:
            rows = rows[:-1]  # the sample may cut the last row
        widths = {len(r) for r in rows}
        if len(widths) == 1 and (width := widths.pop()) > best_fields:
            best, best_fields = delimiter, width
    return best


def _dedupe_header(header: list[str], row_word: str, notes: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for i, name in enumerate(header, start=1):
        if not name.strip():
            notes.append(
                f"Column {i} of the header has no name; it is read as 'column {i}'. Give it a name in the "
                f"file, or map 'column {i}' to one."
            )
        name = name.strip() or f"column {i}"
        if name in seen:
            seen[name] += 1
            new = f"{name} ({seen[name]})"
            notes.append(
                f"The header repeats the column name {name!r}; its column {i} is read as {new!r}. Rename one "
                "of them in the file, or map the one you mean (the mapping file's columns:, or columns= in "
                "Python)."
            )
            name = new
        else:
            seen[name] = 1
        out.append(name)
    return out


def _read_csv(
    blob: bytes, path: Path, progress: Callable[[str], None] | None, usecols: Collection[str] | None
) -> RawTable:
    text, encoding, notes = _decode(blob)
    delimiter = _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header: list[str] | None = None
    header_line = 1
    keep: list[int] | None = None
    rows: list[list[str]] = []
    lines: list[int] = []
    malformed: list[dict[str, Any]] = []
    blank = 0
    last = 0
    try:
        for record in reader:
            start, last = last + 1, reader.line_num
            # A row is blank only if its first field is (checked first: it is much cheaper).
            if not record or (not record[0].strip() and all(not c.strip() for c in record)):
                blank += 1
                continue
            if header is None:
                header, header_line = _dedupe_header([h.strip() for h in record], "line", notes), start
                if usecols is not None:
                    keep = [i for i, name in enumerate(header) if name in usecols]
                continue
            if len(record) != len(header):
                malformed.append(
                    {
                        "line": start,
                        "reason": f"{len(record)} fields, but the header (line {header_line}) "
                        f"has {len(header)}",
                        "text": delimiter.join(record),
                    }
                )
                continue
            rows.append(record if keep is None else [record[i] for i in keep])
            lines.append(start)
            if progress is not None and len(rows) % _PROGRESS_EVERY == 0:
                progress(f"read {len(rows):,} rows of {path.name}")
    except csv.Error as exc:
        raise BadInputError(
            path.name,
            [
                Problem(
                    f"the file cannot be read as CSV ({exc})",
                    "look for a stray double quote: a quoted value must end with a quote, and a quote "
                    'inside a value is written twice ("")',
                    rows=(last + 1,),
                    n_rows=1,
                )
            ],
        ) from exc
    if header is None:
        raise BadInputError(
            path.name,
            [
                Problem(
                    "has a header line but no data rows" if blank else "has no header and no data",
                    "export the data again; check the export's filters",
                )
            ],
        )
    if not rows:
        raise BadInputError(
            path.name,
            [
                Problem(
                    "has a header but no data rows",
                    "export the data again; check the export's date range and filters",
                )
            ],
        )
    frame = pd.DataFrame(rows, columns=header if keep is None else [header[i] for i in keep], dtype=object)
    frame.index = pd.Index(lines, name="line")
    return RawTable(
        frame=frame,
        source=path.name,
        all_columns=header,
        format="csv",
        encoding=encoding,
        delimiter=delimiter,
        malformed=pd.DataFrame(malformed, columns=["line", "reason", "text"]),
        blank_lines=blank,
        notes=notes,
    )


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, pd.Timestamp):
        return (
            value.isoformat() if (value.hour or value.minute or value.second) else value.strftime("%Y-%m-%d")
        )
    if hasattr(value, "isoformat"):
        iso = value.isoformat()
        return iso[:10] if iso.endswith("T00:00:00") else iso
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        return repr(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _read_xlsx(path: Path, sheet: str | int | None, progress: Callable[[str], None] | None) -> RawTable:
    try:
        import openpyxl
    except ImportError as exc:  # pragma: no cover - pinned in requirements.txt
        raise BadInputError(
            path.name,
            [
                Problem(
                    "is an Excel workbook, but openpyxl is not installed",
                    "pip install openpyxl, or save the sheet as CSV",
                )
            ],
        ) from exc
    try:
        # Bytes, not the path: openpyxl refuses a workbook whose name ends in .csv.
        book = openpyxl.load_workbook(io.BytesIO(path.read_bytes()), read_only=True, data_only=True)
    except Exception as exc:  # a damaged or encrypted workbook
        raise BadInputError(
            path.name,
            [
                Problem(
                    f"cannot be opened as an Excel workbook ({exc})",
                    "open it in Excel and save it again as .xlsx or CSV UTF-8",
                )
            ],
        ) from exc
    names = book.sheetnames
    if sheet is None:
        chosen = names[0]
    elif isinstance(sheet, int) or (isinstance(sheet, str) and sheet.isdigit()):
        index = int(sheet)
        if not 1 <= index <= len(names):
            raise BadInputError(
                path.name,
                [
                    Problem(
                        f"has no sheet number {index} (it has {len(names)})",
                        f"give --sheet 1 to {len(names)} or a name: {names}",
                    )
                ],
            )
        chosen = names[index - 1]
    elif sheet in names:
        chosen = sheet
    else:
        raise BadInputError(path.name, [Problem(f"has no sheet called {sheet!r}", f"use one of {names}")])
    records = book[chosen].iter_rows(values_only=True)
    header: list[str] | None = None
    rows: list[list[str]] = []
    numbers: list[int] = []
    blank = 0
    for number, record in enumerate(records, start=1):
        cells = [_as_text(v) for v in record]
        if not any(c.strip() for c in cells):
            blank += 1
            continue
        if header is None:
            header = cells
            continue
        rows.append(
            cells + [""] * (len(header) - len(cells)) if len(cells) < len(header) else cells[: len(header)]
        )
        numbers.append(number)
        if progress is not None and len(rows) % _PROGRESS_EVERY == 0:
            progress(f"read {len(rows):,} rows of {path.name}")
    book.close()
    notes: list[str] = []
    if header is None or not rows:
        raise BadInputError(
            path.name,
            [
                Problem(
                    f"sheet {chosen!r} has no data rows",
                    "choose the sheet with the data (--sheet) or export it again",
                )
            ],
        )
    while header and not header[-1].strip():
        header.pop()
    rows = [r[: len(header)] for r in rows]
    header = _dedupe_header(header, "row", notes)
    frame = pd.DataFrame(rows, columns=header, dtype=object)
    frame.index = pd.Index(numbers, name="row")
    if len(names) > 1:
        notes.append(
            f"The workbook has {len(names)} sheets; sheet {chosen!r} was read (choose with --sheet)."
        )
    return RawTable(
        frame=frame, source=path.name, format="xlsx", blank_lines=blank, notes=notes, sheet=chosen
    )


def _read_parquet(path: Path) -> RawTable:
    try:
        import pyarrow.parquet as pq
    except ImportError as exc:  # pragma: no cover - pinned in requirements.txt
        raise BadInputError(
            path.name,
            [
                Problem(
                    "is a Parquet file, but pyarrow is not installed",
                    "pip install pyarrow, or export the data as CSV",
                )
            ],
        ) from exc
    try:
        table = pq.read_table(path).to_pandas()
    except Exception as exc:
        raise BadInputError(
            path.name, [Problem(f"cannot be read as Parquet ({exc})", "export it again")]
        ) from exc
    if table.empty:
        raise BadInputError(path.name, [Problem("has no data rows", "export the data again")])
    frame = pd.DataFrame(
        {str(c): [_as_text(v) for v in table[c].tolist()] for c in table.columns}, dtype=object
    )
    frame.index = pd.Index(range(2, len(frame) + 2), name="row")
    return RawTable(frame=frame, source=path.name, format="parquet")


def read_table(
    path: str | os.PathLike[str],
    *,
    sheet: str | int | None = None,
    max_bytes: int | None = None,
    progress: Callable[[str], None] | None = None,
    usecols: Collection[str] | None = None,
) -> RawTable:
    """Read a CSV, Excel (.xlsx) or Parquet file as text, detecting its format, encoding and delimiter.

    Parameters
    ----------
    path : str or path
        The file. Its format is read from its content, so an Excel workbook saved as
        ``.csv`` is still read (with a note).
    sheet : str or int, optional
        Excel only: the sheet's name or its number from 1 (default: the first sheet).
    max_bytes : int, optional
        Larger files are refused with a message naming the limit (default: what this machine's
        available memory allows, at most :data:`DEFAULT_MAX_BYTES`; see :func:`default_max_bytes`).
    progress : callable, optional
        Called with a short message every 250,000 rows (for long reads).
    usecols : collection of str, optional
        CSV only: keep only these columns (names as in the header; absent names are ignored),
        to save memory on wide exports. ``RawTable.columns`` still lists every column.

    Returns
    -------
    RawTable

    Raises
    ------
    BadInputError
        If the file is missing, empty, too large, binary, not valid CSV, or has no data rows;
        the error lists the problem(s) and how to fix each.

    Example
    -------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "team.csv"
    >>> _ = path.write_bytes("\\ufeffid;race;bp\\r\\n1;Black;yes\\r\\n\\r\\n2;White;no\\r\\n".encode("utf-8"))
    >>> table = read_table(path)
    >>> table.encoding, table.delimiter, table.blank_lines
    ('UTF-8 with byte-order mark', ';', 1)
    >>> table.frame.reset_index().values.tolist()
    [[2, '1', 'Black', 'yes'], [4, '2', 'White', 'no']]
    """
    path = Path(path)
    if not path.is_file():
        raise BadInputError(path.name, [Problem(f"no file at {path}", "check the path and the file name")])
    size = path.stat().st_size
    if size == 0:
        raise BadInputError(path.name, [Problem("the file is empty (0 bytes)", "export the data again")])
    limit, why = default_max_bytes() if max_bytes is None else (max_bytes, "the limit asked for")
    if size > limit:
        raise BadInputError(
            path.name,
            [
                Problem(
                    f"the file is {_size(size)}, more than the limit of {_size(limit)} ({why}) that "
                    "this machine can read into memory",
                    "let DuckDB count it in chunks without loading it (a CSV or Parquet file): python -m "
                    f"helpers report duckdb:// --sql \"SELECT * FROM '{path}'\" with the same options; or "
                    "export fewer columns (only the outcome, the groups and the date) or a shorter period; "
                    "or raise the limit (--max-megabytes on the command line, max_bytes= in Python) if the "
                    "machine has the memory",
                )
            ],
        )
    with path.open("rb") as handle:
        head = handle.read(8192)
    kind = _sniff_format(head, path)
    if kind == "xlsx":
        table = _read_xlsx(path, sheet, progress)
        if path.suffix.lower() == ".csv":
            table.notes.insert(0, f"{path.name} is named .csv but is an Excel workbook; it was read as one.")
        return table
    if kind == "parquet":
        return _read_parquet(path)
    if sheet is not None:
        raise BadInputError(path.name, [Problem("--sheet applies to Excel workbooks only", "leave it out")])
    return _read_csv(path.read_bytes(), path, progress, usecols)
