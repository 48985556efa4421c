"""Load the workbook's datasets, typed, and read a team's own CSV file safely.

* :func:`list_datasets` - the datasets, with one-line descriptions and sizes.
* :func:`load_dataset` - one dataset as a typed DataFrame: categories in dictionary order
  (ordered where the order means something, such as age bands), dates as dates, whole numbers
  as integers (nullable ``Int64`` where a value may be missing), booleans as booleans.
* :func:`data_dictionary` - a dataset's dictionary as a table (column, type, allowed values,
  meaning).
* :func:`validate` - check that a DataFrame matches a dataset's dictionary; the error names the
  column, the row, the bad value and how to fix it.
* :func:`read_team_csv` - read a team's own CSV file (or Excel workbook, or Parquet file) through
  the same reader as ``python -m helpers report`` (:func:`helpers.teamfile.read_table`): map its
  column names to the workbook's, check and type every mapped column, and report every excluded
  row with its reason (nothing is dropped silently). A file that cannot be read at all gives an
  error that names the line and the fix.
* :func:`combine_race_ethnicity` - the workbook's combined race/ethnicity category from
  separate race and ethnicity answers (the OMB two-question format).

Where the datasets are
----------------------
The folder is found in this order:

1. the ``data_dir`` argument of each function;
2. the environment variable ``PE_DATASETS_DIR``;
3. ``datasets/`` at the repository root (``src/helpers/../../datasets``).

The folder holds one CSV per dataset and ``datapackage.json``, the Frictionless Data Package that
is the data dictionary (``python -m helpers.synth --out DIR`` writes both).

Examples
--------
>>> from helpers.data import load_dataset
>>> patients = load_dataset("patients")
>>> patients["age_group"].cat.categories.tolist()
['15-24', '25-34', '35-44', '45-54', '55-64', '65-74', '75-84', '85+']
>>> str(patients["bp_controlled"].dtype)
'Int64'
"""

from __future__ import annotations

import difflib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from helpers._validation import ColumnNotFoundError, did_you_mean, format_values

__all__ = [
    "ENV_VAR",
    "DataValidationError",
    "MissingFileError",
    "TeamData",
    "UnknownDatasetError",
    "combine_race_ethnicity",
    "data_dictionary",
    "datasets_dir",
    "list_datasets",
    "load_dataset",
    "read_team_csv",
    "validate",
]

ENV_VAR = "PE_DATASETS_DIR"
_REPO_DATASETS = Path(__file__).resolve().parents[2] / "datasets"
_SHOW = 5  # offending rows or values listed before "and N more"
_MISSING_TOKENS = frozenset({"", "na", "n/a", "null", "none", "nan", "."})
_TRUE = frozenset({"true", "t", "yes", "y", "1"})
_FALSE = frozenset({"false", "f", "no", "n", "0"})


class DataValidationError(ValueError):
    """Data do not match the dictionary; the message names the column, row, value and the fix."""


class UnknownDatasetError(KeyError):
    """No dataset of that name; the message lists the valid names.

    A ``KeyError`` (so ``except KeyError`` works) whose message prints as plain text.
    """

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class MissingFileError(FileNotFoundError, ValueError):
    """A file or folder that should be there is not (both ``FileNotFoundError`` and ``ValueError``)."""


# ----------------------------------------------------------------------------------------------
# Finding and reading the package
# ----------------------------------------------------------------------------------------------


def datasets_dir(data_dir: str | os.PathLike[str] | None = None) -> Path:
    """The folder holding the datasets: ``data_dir``, else ``$PE_DATASETS_DIR``, else ``<repo>/datasets``.

    Raises
    ------
    MissingFileError
        If the folder or its ``datapackage.json`` does not exist.

    Examples
    --------
    >>> (datasets_dir() / "datapackage.json").is_file()
    True
    """
    if data_dir is not None:
        folder, how = Path(data_dir), "the data_dir argument"
    elif os.environ.get(ENV_VAR):
        folder, how = Path(os.environ[ENV_VAR]), f"the environment variable {ENV_VAR}"
    else:
        folder, how = _REPO_DATASETS, "the repository's datasets/ folder"
    if not (folder / "datapackage.json").is_file():
        raise MissingFileError(
            f"no datapackage.json in {folder} (from {how}); point data_dir or {ENV_VAR} at the folder "
            "with the datasets, or regenerate them with: python -m helpers.synth --out datasets/"
        )
    return folder


@lru_cache(maxsize=16)
def _read_package_cached(path: str, mtime_ns: int) -> str:
    return Path(path).read_text(encoding="utf-8")


def _package(data_dir: str | os.PathLike[str] | None = None) -> tuple[Path, dict[str, Any]]:
    folder = datasets_dir(data_dir)
    path = folder / "datapackage.json"
    text = _read_package_cached(str(path), path.stat().st_mtime_ns)
    return folder, json.loads(text)


def _resource(name: Any, data_dir: str | os.PathLike[str] | None = None) -> tuple[Path, dict[str, Any]]:
    folder, pkg = _package(data_dir)
    names = [r["name"] for r in pkg["resources"]]
    if not isinstance(name, str) or name not in names:
        raise UnknownDatasetError(
            f"no dataset named {name!r}{did_you_mean(name, names)}; valid names are: {', '.join(names)} "
            "(list_datasets() describes each)"
        )
    return folder, next(r for r in pkg["resources"] if r["name"] == name)


def list_datasets(*, data_dir: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """The available datasets: ``name``, ``title``, ``description`` (one line) and ``rows``.

    Examples
    --------
    >>> list_datasets()["name"].tolist()  # doctest: +NORMALIZE_WHITESPACE
    ['patients', 'hypertension_monthly', 'cancer_screening', 'hai', 'workforce_survey',
     'sdoh_screening', 'self_assessment']
    """
    _, pkg = _package(data_dir)
    rows = []
    for res in pkg["resources"]:
        first_sentence = res.get("description", "").split(". ")[0].rstrip(".") + "."
        rows.append(
            {
                "name": res["name"],
                "title": res.get("title", res["name"]),
                "description": first_sentence,
                "rows": int(res.get("rows", -1)),
            }
        )
    return pd.DataFrame(rows, columns=["name", "title", "description", "rows"])


def data_dictionary(name: str, *, data_dir: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """A dataset's dictionary: one row per column with type, whether required, allowed values, meaning.

    Examples
    --------
    >>> d = data_dictionary("hypertension_monthly")
    >>> list(zip(d["column"], d["type"]))  # doctest: +NORMALIZE_WHITESPACE
    [('month', 'date'), ('clinic', 'string'), ('race_ethnicity', 'string'), ('language', 'string'),
     ('numerator', 'integer'), ('denominator', 'integer')]
    """
    _, res = _resource(name, data_dir)
    rows = []
    for spec in res["schema"]["fields"]:
        cons = spec.get("constraints", {})
        cats = spec.get("categories")
        if cats and isinstance(cats[0], dict):
            allowed = "; ".join(f"{c['value']} = {c['label']}" for c in cats)
        elif cats:
            allowed = ", ".join(cats)
        elif "minimum" in cons or "maximum" in cons:
            allowed = f"{cons.get('minimum', '')} to {cons.get('maximum', '')}".strip()
        else:
            allowed = ""
        rows.append(
            {
                "column": spec["name"],
                "type": spec["type"],
                "required": bool(cons.get("required", False)),
                "allowed_values": allowed,
                "description": spec.get("description", ""),
            }
        )
    return pd.DataFrame(rows)


# ----------------------------------------------------------------------------------------------
# Typing a column from its field descriptor
# ----------------------------------------------------------------------------------------------


def _is_missing_text(values: pd.Series, tokens: frozenset[str]) -> np.ndarray:
    text = values.astype("str").str.strip().str.lower()
    return (values.isna() | text.isin(tokens)).to_numpy()


def _categories(spec: Mapping[str, Any]) -> list[Any] | None:
    cats = spec.get("categories")
    if not cats:
        enum = spec.get("constraints", {}).get("enum")
        return list(enum) if enum is not None else None
    return [c["value"] if isinstance(c, dict) else c for c in cats]


def _typed_column(raw: pd.Series, spec: Mapping[str, Any], *, where: str) -> pd.Series:
    """Convert one column of CSV text to the dtype its field descriptor calls for.

    Raises :class:`DataValidationError` naming the first bad value, so a damaged file never
    turns into silent missing values.
    """
    name, kind = spec["name"], spec["type"]
    required = bool(spec.get("constraints", {}).get("required", False))
    missing = _is_missing_text(raw, frozenset({""}))
    text = raw.astype("str").where(~missing, None)
    bad: np.ndarray
    if kind == "string":
        cats = _categories(spec)
        if cats is None:
            return pd.Series(pd.array(text, dtype="str"), index=raw.index, name=name)
        bad = ~missing & ~text.isin(cats).to_numpy()
        if not bad.any():
            dtype = pd.CategoricalDtype(cats, ordered=bool(spec.get("categoriesOrdered", False)))
            return pd.Series(pd.Categorical(text, dtype=dtype), index=raw.index, name=name)
        fix = f"allowed values are {format_values(cats, quote=True)}"
    elif kind == "integer":
        numbers = pd.to_numeric(text, errors="coerce")
        bad = ~missing & (numbers.isna().to_numpy() | (numbers.fillna(0) % 1 != 0).to_numpy())
        if not bad.any():
            out = numbers.astype("Int64")
            if required and not missing.any():
                out = out.astype("int64")
            return out.rename(name)
        fix = "whole numbers only"
    elif kind == "number":
        numbers = pd.to_numeric(text, errors="coerce")
        bad = ~missing & numbers.isna().to_numpy()
        if not bad.any():
            return numbers.astype("float64").rename(name)
        fix = "numbers only"
    elif kind == "boolean":
        true_values = set(spec.get("trueValues", ["true"]))
        false_values = set(spec.get("falseValues", ["false"]))
        is_true, is_false = text.isin(true_values).to_numpy(), text.isin(false_values).to_numpy()
        bad = ~missing & ~is_true & ~is_false
        if not bad.any():
            out = pd.array(np.where(missing, None, is_true), dtype="boolean")
            series = pd.Series(out, index=raw.index, name=name)
            return series.astype(bool) if required and not missing.any() else series
        fix = f"use {format_values(sorted(true_values | false_values), quote=True)}"
    elif kind == "date":
        dates = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
        bad = ~missing & dates.isna().to_numpy()
        if not bad.any():
            return dates.astype("datetime64[us]").rename(name)
        fix = "dates as YYYY-MM-DD"
    else:
        raise DataValidationError(
            f"{where}: column {name!r} has type {kind!r}, which this reader does not know"
        )
    first = int(np.flatnonzero(bad)[0])
    raise DataValidationError(
        f"{where}: column {name!r}, row {raw.index[first]}: value {raw.iloc[first]!r} does not fit the "
        f"dictionary ({fix}); {int(bad.sum())} such row(s). The file may have been edited: regenerate it "
        "with python -m helpers.synth --out datasets/"
    )


def load_dataset(name: str, *, data_dir: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Load one of the workbook's datasets as a typed DataFrame.

    Parameters
    ----------
    name
        A dataset name (see :func:`list_datasets`), e.g. ``"patients"``.
    data_dir
        Folder with the CSV files and ``datapackage.json``; see the module notes for the default.

    Returns
    -------
    pandas.DataFrame
        Columns in dictionary order. Categorical columns list their categories in dictionary
        order (ordered for ordinal columns such as ``age_group``); dates are ``datetime64``;
        whole numbers ``int64``, or nullable ``Int64`` where values may be missing (e.g.
        ``bp_controlled`` is blank for patients without hypertension); booleans ``bool`` (or
        nullable ``boolean``).

    Raises
    ------
    UnknownDatasetError
        (a ``KeyError``) for an unknown name; the message lists the valid names.
    MissingFileError
        If the folder or the CSV file is missing.
    DataValidationError
        If the file does not match its dictionary (for example after a hand edit).

    Examples
    --------
    >>> hm = load_dataset("hypertension_monthly")
    >>> str(hm["month"].dtype), hm["month"].min().date().isoformat()
    ('datetime64[us]', '2022-01-01')
    >>> load_dataset("patient")  # doctest: +NORMALIZE_WHITESPACE
    Traceback (most recent call last):
    ...
    helpers.data.UnknownDatasetError: no dataset named 'patient' (did you mean 'patients'?); valid names
    are: patients, hypertension_monthly, cancer_screening, hai, workforce_survey, sdoh_screening,
    self_assessment (list_datasets() describes each)
    """
    folder, res = _resource(name, data_dir)
    path = folder / res["path"]
    if not path.is_file():
        raise MissingFileError(
            f"{path} is listed in datapackage.json but missing; regenerate it with "
            f"python -m helpers.synth --out {folder}"
        )
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8")
    fields = res["schema"]["fields"]
    expected = [f["name"] for f in fields]
    if list(raw.columns) != expected:
        raise DataValidationError(
            f"{path.name}: the columns are {format_values(raw.columns)} but the dictionary lists "
            f"{format_values(expected)}; regenerate the file with python -m helpers.synth --out {folder}"
        )
    columns = {f["name"]: _typed_column(raw[f["name"]], f, where=path.name) for f in fields}
    return pd.DataFrame(columns)


# ----------------------------------------------------------------------------------------------
# Validating a DataFrame against a dataset's dictionary
# ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Problem:
    column: str
    rows: pd.Index
    values: list[Any]
    what: str
    fix: str

    def message(self) -> str:
        first = self.rows[0]
        more = len(self.rows) - 1
        extra = ""
        if more:
            others = ", ".join(map(str, self.rows[1:_SHOW]))
            extra = (
                f" (and {more} more row{'s' if more > 1 else ''}: {others}{', ...' if more >= _SHOW else ''})"
            )
        shown = format_values([repr(v) for v in self.values], limit=_SHOW)
        return f"column {self.column!r}, row {first}: {shown} {self.what}{extra}. Fix: {self.fix}"


def _as_object(series: pd.Series) -> pd.Series:
    return series.astype("object").where(series.notna(), None)


def _check_column(series: pd.Series, spec: Mapping[str, Any]) -> list[_Problem]:
    name, kind = spec["name"], spec["type"]
    cons = spec.get("constraints", {})
    values = _as_object(series)
    present = values.notna().to_numpy()
    problems: list[_Problem] = []

    def add(mask: np.ndarray, what: str, fix: str) -> None:
        if mask.any():
            rows = series.index[mask]
            distinct = list(dict.fromkeys(values[mask].tolist()))[:_SHOW]
            problems.append(_Problem(name, rows, distinct, what, fix))

    if cons.get("required") and (~present).any():
        missing_rows = series.index[~present]
        problems.append(
            _Problem(name, missing_rows, [None], "is missing (the dictionary requires a value)",
                     f"fill it in, or drop the row(s): df = df.dropna(subset=[{name!r}])")
        )  # fmt: skip
    cats = _categories(spec)
    if kind == "string" and cats is not None:
        bad = present & ~values.isin(cats).to_numpy()
        example = next(iter(values[bad]), None)
        same = [c for c in cats if str(c).strip().lower() == str(example).strip().lower()]
        suggestion = repr(same[0]) if same else "<allowed value>"
        add(
            bad,
            f"is not an allowed value; allowed: {format_values(cats, quote=True)}",
            f"recode it, e.g. df[{name!r}] = df[{name!r}].replace({{{example!r}: {suggestion}}})",
        )
    elif kind in ("integer", "number"):
        numbers = pd.to_numeric(values, errors="coerce")
        not_number = present & numbers.isna().to_numpy()
        add(
            not_number,
            "is not a number",
            f"convert with pd.to_numeric(df[{name!r}], errors='coerce') and check",
        )
        ok = present & ~not_number
        if kind == "integer":
            fraction = ok & (numbers.fillna(0) % 1 != 0).to_numpy()
            add(fraction, "is not a whole number", f"round or correct the values in {name!r}")
            ok &= ~fraction
        if cats is not None:
            outside = ok & ~numbers.isin(cats).to_numpy()
            add(outside, f"is not an allowed code; allowed: {format_values(cats)}", f"recode {name!r}")
            ok &= ~outside
        lo, hi = cons.get("minimum"), cons.get("maximum")
        if lo is not None:
            add(ok & (numbers < lo).to_numpy(), f"is below the minimum {lo}", f"correct {name!r}")
        if hi is not None:
            add(ok & (numbers > hi).to_numpy(), f"is above the maximum {hi}", f"correct {name!r}")
    elif kind == "boolean":
        okay = values.map(lambda v: v is None or isinstance(v, (bool, np.bool_)) or v in (0, 1))
        add(
            present & ~okay.to_numpy(dtype=bool),
            "is not true/false",
            f"convert, e.g. df[{name!r}] = df[{name!r}].map({{'yes': True, 'no': False}})",
        )
    elif kind == "date" and not pd.api.types.is_datetime64_any_dtype(series):
        dates = pd.to_datetime(values, errors="coerce", format="ISO8601")
        add(present & dates.isna().to_numpy(), "is not a date",
            f"convert with pd.to_datetime(df[{name!r}], format='%Y-%m-%d')")  # fmt: skip
    if cons.get("unique"):
        dup = present & values.duplicated(keep=False).to_numpy()
        add(
            dup, "is repeated (each value must be unique)", f"remove duplicates: df.drop_duplicates({name!r})"
        )
    return problems


def validate(
    df: pd.DataFrame, dataset: str, *, data_dir: str | os.PathLike[str] | None = None
) -> pd.DataFrame:
    """Check that ``df`` matches the dictionary of ``dataset``; return ``df`` unchanged if it does.

    Every column of the dictionary must be present (extra columns are allowed) and every value
    must fit its column's type, allowed values, range, required-ness and uniqueness.

    Parameters
    ----------
    df
        The table to check (typed as :func:`load_dataset` returns it, or plain values).
    dataset
        The dataset whose dictionary applies, e.g. ``"patients"``.

    Returns
    -------
    pandas.DataFrame
        ``df`` itself, so the call can be chained.

    Raises
    ------
    DataValidationError
        (a ``ValueError``) listing every problem: the column, the first offending row (by
        index label), the bad values, how many rows, and how to fix it.
    UnknownDatasetError
        For an unknown dataset name.

    Examples
    --------
    >>> hm = load_dataset("hypertension_monthly")
    >>> validate(hm, "hypertension_monthly") is hm
    True
    >>> bad = hm.astype({"race_ethnicity": "object"})
    >>> bad.loc[3, "race_ethnicity"] = "Caucasian"
    >>> validate(bad, "hypertension_monthly")  # doctest: +NORMALIZE_WHITESPACE
    Traceback (most recent call last):
    ...
    helpers.data.DataValidationError: hypertension_monthly: 1 problem found
    - column 'race_ethnicity', row 3: 'Caucasian' is not an allowed value; allowed: 'AIAN', 'Asian',
    'Black', 'Hispanic/Latino', 'NHPI', 'White', 'Multiracial', 'Other', 'Unknown'. Fix: recode it,
    e.g. df['race_ethnicity'] = df['race_ethnicity'].replace({'Caucasian': <allowed value>})
    """
    if not isinstance(df, pd.DataFrame):
        raise DataValidationError(f"validate() needs a pandas DataFrame, got {type(df).__name__}")
    _, res = _resource(dataset, data_dir)
    fields = res["schema"]["fields"]
    names = [f["name"] for f in fields]
    absent = [n for n in names if n not in df.columns]
    lines: list[str] = []
    for col in absent:
        hint = did_you_mean(col, [c for c in df.columns if c not in names])
        close = difflib.get_close_matches(col, [str(c) for c in df.columns], n=1, cutoff=0.6)
        rename = f"df = df.rename(columns={{{close[0]!r}: {col!r}}})" if close else "add or rename the column"
        lines.append(f"- column {col!r} is missing{hint}. Fix: {rename}")
    for spec in fields:
        if spec["name"] in df.columns:
            lines += [f"- {p.message()}" for p in _check_column(df[spec["name"]], spec)]
    if lines:
        n = len(lines)
        head = f"{dataset}: {n} problem{'s' if n > 1 else ''} found"
        raise DataValidationError("\n".join([head, *lines]))
    return df


# ----------------------------------------------------------------------------------------------
# Combined race and ethnicity
# ----------------------------------------------------------------------------------------------


def combine_race_ethnicity(race: pd.Series, ethnicity: pd.Series) -> pd.Series:
    """One race/ethnicity category per person from the OMB two-question answers.

    Hispanic or Latino ethnicity comes first ("Hispanic/Latino", of any race); otherwise the
    recorded race gives the category ("White" means non-Hispanic White, and so on), "More than
    one race" gives "Multiracial", "Some other race" gives "Other", and "Declined" or "Unknown"
    race gives "Unknown". When ethnicity is unknown or declined, the recorded race is used.

    Parameters
    ----------
    race, ethnicity
        Series with the labels of the workbook's ``race`` and ``ethnicity`` columns.

    Returns
    -------
    pandas.Series
        Categorical, with the categories of ``race_ethnicity`` in dictionary order.

    Raises
    ------
    DataValidationError
        If a value is not one of the workbook's race or ethnicity labels (the message lists them).

    Examples
    --------
    >>> race = pd.Series(["White", "White", "Some other race", "Declined"])
    >>> eth = pd.Series(["Not Hispanic or Latino", "Hispanic or Latino", "Unknown", "Not Hispanic or Latino"])
    >>> combine_race_ethnicity(race, eth).tolist()
    ['White', 'Hispanic/Latino', 'Other', 'Unknown']
    """
    from helpers.synth import _labels

    race = pd.Series(race).astype("object")
    ethnicity = pd.Series(ethnicity, index=race.index).astype("object")
    for series, allowed, label in ((race, _labels.RACE, "race"), (ethnicity, _labels.ETHNICITY, "ethnicity")):
        bad = series.notna() & ~series.isin(allowed)
        if bad.any():
            raise DataValidationError(
                f"{label} has value(s) {format_values(series[bad].unique(), quote=True)} (row "
                f"{series.index[bad.to_numpy()][0]}) that are not workbook labels; allowed: "
                f"{format_values(allowed, quote=True)}. Recode them first (e.g. with .replace({{...}}))"
            )
    combined = race.map(_labels.RACE_TO_COMBINED).where(race.notna(), "Unknown")
    combined = combined.where(ethnicity != "Hispanic or Latino", "Hispanic/Latino")
    return pd.Series(
        pd.Categorical(combined, categories=list(_labels.RACE_ETHNICITY)),
        index=race.index,
        name="race_ethnicity",
    )


# ----------------------------------------------------------------------------------------------
# A team's own CSV
# ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TeamData:
    """What :func:`read_team_csv` returns.

    Attributes
    ----------
    data
        The rows kept, typed; the index is the line number in the file (the header is line 1).
    excluded
        One row per excluded line: ``line``, ``reason``, then the line's original values.
    notes
        Everything else the reader did that you should know (recoded labels, missing values
        kept, columns kept as text, encoding or delimiter used).
    path
        The file read.
    """

    data: pd.DataFrame
    excluded: pd.DataFrame
    notes: tuple[str, ...] = field(default_factory=tuple)
    path: Path | None = None

    def summary(self) -> str:
        """A short report: rows read, kept and excluded (with the commonest reasons), and the notes."""
        n_kept, n_out = len(self.data), len(self.excluded)
        name = self.path.name if self.path is not None else "the file"
        lines = [f"Read {n_kept + n_out:,} data rows from {name}: {n_kept:,} kept, {n_out:,} excluded."]
        if n_out:
            reasons = self.excluded["reason"].str.split("; ").explode().value_counts()
            lines.append("Excluded rows (see .excluded for every line):")
            lines += [f"  - {count:,} x {reason}" for reason, count in reasons.head(_SHOW).items()]
            if len(reasons) > _SHOW:
                lines.append(f"  - and {len(reasons) - _SHOW} other reason(s)")
        if self.notes:
            lines.append("Notes:")
            lines += [f"  - {note}" for note in self.notes]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return self.summary()


def _map_columns(
    header: list[str],
    columns: Mapping[str, str] | None,
    fields: Mapping[str, Mapping[str, Any]],
    notes: list[str],
) -> dict[str, str]:
    """Their column name -> our column name, for every column of the file."""
    mapping = dict(columns or {})
    for theirs in mapping:
        if theirs not in header:
            raise ColumnNotFoundError(
                f"column {theirs!r} (a key of columns=) is not in the file; its columns are: "
                f"{format_values(header)}{did_you_mean(theirs, header)}"
            )
    targets = list(mapping.values())
    repeated = sorted({t for t in targets if targets.count(t) > 1})
    if repeated:
        raise DataValidationError(
            f"columns= maps several file columns to {format_values(repeated, quote=True)}; "
            "map exactly one to each"
        )
    final = {h: mapping.get(h, h) for h in header}
    clash = sorted({t for t in final.values() if list(final.values()).count(t) > 1})
    if clash:
        raise DataValidationError(
            f"after renaming, two columns would be called {format_values(clash, quote=True)}; rename or "
            "leave out one of them in columns="
        )
    for theirs, ours in mapping.items():
        if fields and ours not in fields:
            notes.append(
                f"column {theirs!r} was renamed {ours!r}, which is not in the workbook's dictionary"
                f"{did_you_mean(ours, fields)}; kept as text"
            )
    unmatched = [h for h in header if h not in mapping and h not in fields]
    if fields and unmatched:
        notes.append(f"kept as text (not in the dictionary): {format_values(unmatched, quote=True)}")
    return final


def _coerce_team_column(
    raw: pd.Series, spec: Mapping[str, Any], label: str, strict_categories: bool, notes: list[str]
) -> tuple[pd.Series, pd.Series]:
    """Typed column and, per row, the reason it must be excluded ("" when fine)."""
    kind = spec["type"]
    cons = spec.get("constraints", {})
    text = raw.astype("str").str.strip()
    missing = text.str.lower().isin(_MISSING_TOKENS).to_numpy()
    reason = pd.Series("", index=raw.index, dtype="str")
    cats = _categories(spec)

    def flag(mask: np.ndarray, why: pd.Series | str) -> None:
        nonlocal reason
        if mask.any():
            reason = reason.where(~mask, why)

    if missing.any():
        notes.append(f"{label}: {int(missing.sum()):,} missing value(s) kept as missing")
    if kind == "integer" or kind == "number":
        lowered = text.str.lower()
        numbers = pd.to_numeric(text, errors="coerce")
        binary = cats is not None and set(cats) <= {0, 1}
        if binary:
            words = lowered.map(lambda v: 1 if v in _TRUE else (0 if v in _FALSE else np.nan))
            converted = numbers.isna() & words.notna() & ~pd.Series(missing, index=raw.index)
            if converted.any():
                notes.append(f"{label}: yes/no or true/false read as 1/0 in {int(converted.sum()):,} row(s)")
            numbers = numbers.fillna(words)
        bad = ~missing & numbers.isna().to_numpy()
        flag(bad, label + ": " + ("'" + text + "' is not " + ("0 or 1" if binary else "a number")))
        if kind == "integer":
            frac = ~missing & ~bad & (numbers.fillna(0) % 1 != 0).to_numpy()
            flag(frac, label + ": '" + text + "' is not a whole number")
            bad |= frac
        ok = ~missing & ~bad
        lo, hi = cons.get("minimum"), cons.get("maximum")
        if cats is not None:
            outside = ok & ~numbers.isin(cats).to_numpy()
            flag(outside, label + ": '" + text + f"' is not one of {format_values(cats)}")
            ok &= ~outside
        if lo is not None:
            flag(ok & (numbers < lo).to_numpy(), label + ": " + text + f" is below the minimum {lo}")
        if hi is not None:
            flag(ok & (numbers > hi).to_numpy(), label + ": " + text + f" is above the maximum {hi}")
        values = numbers.where(~pd.Series(missing, index=raw.index))
        typed = values.round().astype("Int64") if kind == "integer" else values.astype("float64")
        return typed.where(reason == "", pd.NA), reason
    if kind == "boolean":
        lowered = text.str.lower()
        is_true, is_false = lowered.isin(_TRUE).to_numpy(), lowered.isin(_FALSE).to_numpy()
        flag(~missing & ~is_true & ~is_false, label + ": '" + text + "' is not yes/no or true/false")
        typed = pd.Series(pd.array(np.where(is_true, True, np.where(is_false, False, None)),  # type: ignore[call-overload]
                                   dtype="boolean"),
                          index=raw.index)  # fmt: skip
        return typed, reason
    if kind == "date":
        dates = pd.to_datetime(
            text.where(~pd.Series(missing, index=raw.index)), errors="coerce", format="ISO8601"
        )
        flag(~missing & dates.isna().to_numpy(), label + ": '" + text + "' is not a date in YYYY-MM-DD form")
        return dates.astype("datetime64[us]"), reason
    # Text, possibly with allowed categories.
    values = text.where(~pd.Series(missing, index=raw.index), None)
    if cats is None:
        return pd.Series(pd.array(values, dtype="str"), index=raw.index), reason
    exact = values.isin(cats)
    by_lower = {str(c).lower(): c for c in cats}
    relabel = values.map(lambda v: by_lower.get(v.lower()) if isinstance(v, str) else None)
    fixable = ~exact & values.notna() & relabel.notna()
    if fixable.any():
        pairs = sorted({f"{a!r} -> {b!r}" for a, b in zip(values[fixable], relabel[fixable], strict=True)})
        n_fixed = int(fixable.sum())
        notes.append(
            f"{label}: relabelled {format_values(pairs, limit=6)} ({n_fixed:,} row(s); case or spacing)"
        )
        values = values.where(~fixable, relabel)
    unknown = values.notna() & ~values.isin(cats)
    if unknown.any():
        counts = values[unknown].value_counts()
        listed = ", ".join(f"{v!r} ({n:,} row{'s' if n != 1 else ''})" for v, n in counts.head(_SHOW).items())
        if strict_categories:
            flag(unknown.to_numpy(), label + ": '" + text + "' is not one of the workbook's categories")
        else:
            notes.append(
                f"{label}: value(s) not in the workbook's categories kept as their own groups: {listed}"
                f"{' and more' if len(counts) > _SHOW else ''}. To compare with the workbook's data, "
                "recode them with .replace({...}); the workbook's categories are "
                f"{format_values(cats, quote=True)}"
            )
    present = [c for c in cats if c in set(values.dropna())]
    extra = sorted(set(values.dropna()) - set(cats)) if not strict_categories else []
    dtype = pd.CategoricalDtype(present + extra, ordered=bool(spec.get("categoriesOrdered", False)))
    typed = pd.Series(pd.Categorical(values.where(reason == "", None), dtype=dtype), index=raw.index)
    return typed, reason


def read_team_csv(
    path: str | os.PathLike[str],
    columns: Mapping[str, str] | None = None,
    *,
    dataset: str | None = "patients",
    strict_categories: bool = False,
    data_dir: str | os.PathLike[str] | None = None,
) -> TeamData:
    """Read a team's own CSV file, map its columns to the workbook's names, check and type them.

    The file is read by :func:`helpers.teamfile.read_table`, the reader of ``python -m helpers
    report`` and of module 09's upload widget, so every way of reading a team's export is the
    same: UTF-8 with or without a byte-order mark, Windows-1252 or Latin-1 (with a note),
    comma, semicolon, tab or vertical-bar delimiters, quoted line breaks, CRLF, blank lines
    (skipped and counted), repeated or empty column names (renamed, with a note), an Excel
    workbook (first sheet) or Parquet file even under a ``.csv`` name, and files over
    :data:`helpers.teamfile.DEFAULT_MAX_BYTES` refused with a message naming the limit.

    Parameters
    ----------
    path
        The CSV file (UTF-8 preferred; see above for what else is read).
    columns
        ``{"their column": "our column"}``, e.g. ``{"Race/Eth": "race_ethnicity", "BP <140/90":
        "bp_controlled"}``. Columns already named as in the dictionary need no entry. A column
        name the header repeats is read as ``"name (2)"``, which can be mapped too.
    dataset
        Whose dictionary types and checks the mapped columns (default ``"patients"``);
        ``None`` reads every column as text.
    strict_categories
        ``False`` (default): labels outside the workbook's categories are kept as their own
        groups (with a note), because a team's categories need not match ours. ``True``: rows
        with such labels are excluded, with the reason.
    data_dir
        Where the dictionary is (see :func:`datasets_dir`).

    Returns
    -------
    TeamData
        ``.data`` (rows kept, typed, indexed by line number), ``.excluded`` (every excluded line
        with its reason and original values), ``.notes``, and ``.summary()``. A row is excluded
        when a value cannot be read as its column's type or is out of range (e.g. age "forty",
        a 0/1 outcome "maybe", a date "2023-13-01"), or when its number of fields differs from
        the header's (its text is then in the ``text (file)`` column); nothing is dropped
        silently.

    Raises
    ------
    MissingFileError
        If the file does not exist.
    DataValidationError
        If the file cannot be read at all: empty (0 bytes), no data rows, binary, larger than
        the limit, or not valid CSV (a stray quote: the message names the line); or if
        ``columns`` maps two columns to one name. The message lists each problem and its fix.
    helpers._validation.ColumnNotFoundError
        (a ``KeyError``) if a key of ``columns`` is not a column of the file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "team.csv").write_text(
    ...     "MRN,Age,Race/Eth,BP ok\\n1,54,Black,yes\\n2,forty,White,no\\n3,61,white,1\\n")
    >>> team = read_team_csv(folder / "team.csv", {"Age": "age", "Race/Eth": "race_ethnicity",
    ...                                             "BP ok": "bp_controlled"})
    >>> print(team.data[["age", "race_ethnicity", "bp_controlled"]].reset_index().to_string(index=False))
     line  age race_ethnicity  bp_controlled
        2   54          Black              1
        4   61          White              1
    >>> print(team.excluded[["line", "reason"]].to_string(index=False))
     line                                             reason
        3 column 'age' (your 'Age'): 'forty' is not a number
    """
    from helpers.teamfile import BadInputError, read_table

    path = Path(path)
    if not path.is_file():
        raise MissingFileError(f"no file at {path} (working folder: {Path.cwd()}); check the path and name")
    try:
        table = read_table(path)
    except BadInputError as exc:
        raise DataValidationError(str(exc)) from exc
    notes = _reader_notes(table)
    raw = table.frame
    header = list(raw.columns)
    fields: dict[str, dict[str, Any]] = {}
    if dataset is not None:
        _, res = _resource(dataset, data_dir)
        fields = {f["name"]: f for f in res["schema"]["fields"]}
    final = _map_columns(header, columns, fields, notes)
    raw.index = pd.Index(raw.index.to_numpy(), name="line")
    # First pass: why each row must be excluded. Second pass, on the rows kept: types and notes (so
    # that a note never describes a row that was excluded for another reason).
    labels = {t: f"column {final[t]!r}" + (f" (your {t!r})" if final[t] != t else "") for t in header}
    reasons = pd.Series("", index=raw.index, dtype="str")
    for theirs in header:
        if final[theirs] in fields:
            _, why = _coerce_team_column(
                raw[theirs], fields[final[theirs]], labels[theirs], strict_categories, []
            )
            reasons = reasons.where(why == "", np.where(reasons == "", why, reasons + "; " + why))
    bad = (reasons != "").to_numpy()
    kept_raw = raw.loc[~bad]
    typed: dict[str, pd.Series] = {}
    for theirs in header:
        ours = final[theirs]
        if ours in fields:
            typed[ours], _ = _coerce_team_column(
                kept_raw[theirs], fields[ours], labels[theirs], strict_categories, notes
            )
        else:
            text = kept_raw[theirs].astype("str").str.strip()
            typed[ours] = pd.Series(pd.array(text, dtype="str"), index=kept_raw.index)
    kept = pd.DataFrame(typed, index=kept_raw.index)
    renamed = {c: f"{c} (file)" for c in header if c in ("line", "reason", "text (file)")}
    original = raw.loc[bad].reset_index(drop=True).rename(columns=renamed)
    excluded = pd.concat(
        [pd.DataFrame({"line": raw.index[bad], "reason": reasons[bad].to_numpy()}), original], axis=1
    )
    if len(table.malformed):
        # Lines whose number of fields differs from the header's: set aside with their text.
        malformed = pd.DataFrame(
            {
                "line": table.malformed["line"].astype("int64").to_numpy(),
                "reason": table.malformed["reason"].astype(str).to_numpy(),
                "text (file)": table.malformed["text"].astype(str).to_numpy(),
            }
        )
        excluded = pd.concat([excluded, malformed], ignore_index=True).sort_values("line", kind="stable")
        excluded = excluded.reset_index(drop=True)
    return TeamData(data=kept, excluded=excluded, notes=tuple(notes), path=path)


def _reader_notes(table: Any) -> list[str]:
    """What :func:`helpers.teamfile.read_table` detected that a person should know, as notes."""
    notes: list[str] = []
    if table.format != "csv":
        kind = "an Excel workbook" + (f" (sheet {table.sheet!r})" if table.sheet else "")
        notes.append(f"the file was read as {kind if table.format == 'xlsx' else 'a Parquet file'}")
    if table.delimiter not in (None, ","):
        word = {";": "semicolons", "\t": "tabs", "|": "vertical bars"}[table.delimiter]
        notes.append(
            f"the columns are separated by {word} ({table.delimiter!r}), not commas; read accordingly"
        )
    if table.blank_lines:
        notes.append(f"{table.blank_lines} blank line(s) skipped")
    if len(table.malformed):
        notes.append(
            f"{len(table.malformed):,} line(s) set aside because their number of fields differs from the "
            "header's (see .excluded); a text value that contains the delimiter must be in double quotes"
        )
    notes += table.notes
    return notes
