"""Writing the datasets: CSV bytes, ``datapackage.json``, and the generated documentation."""

from __future__ import annotations

import copy
import hashlib
import io
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from . import _labels as labels
from ._gaps import GAPS, REFERENCES
from ._schema import PACKAGE_META, RESOURCES

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = [
    "FileStats",
    "build_datapackage",
    "csv_bytes",
    "package_json",
    "render_datasets_page",
    "render_files_table",
    "render_planted_answers_page",
    "render_planted_table",
    "render_readme_sections",
    "render_shares",
    "resource_descriptor",
    "write_csv_chunks",
    "write_parquet_chunks",
]


def _field_map(name: str) -> dict[str, dict[str, Any]]:
    res = next(r for r in RESOURCES if r["name"] == name)
    return {f["name"]: f for f in res["fields"]}


@dataclass(frozen=True)
class FileStats:
    """Size, SHA-256, number of data rows and format (``"csv"`` or ``"parquet"``) of a written file."""

    size: int
    sha256: str
    rows: int
    format: str = "csv"

    @classmethod
    def of(cls, data: bytes) -> FileStats:
        """Statistics of CSV bytes (one header line)."""
        return cls(len(data), hashlib.sha256(data).hexdigest(), data.count(b"\n") - 1)


def write_csv_chunks(frames: Iterable[pd.DataFrame], name: str, path: Path) -> FileStats:
    """Write the CSV of dataset ``name`` from one or more frames (chunks), without holding it in memory."""
    digest, size, rows = hashlib.sha256(), 0, 0
    with path.open("wb") as fh:
        for i, frame in enumerate(frames):
            blob = csv_bytes(frame, name, header=i == 0)
            fh.write(blob)
            digest.update(blob)
            size += len(blob)
            rows += len(frame)
    return FileStats(size, digest.hexdigest(), rows)


def write_parquet_chunks(tables: Iterable[pa.Table], path: Path, *, compression: str = "zstd") -> FileStats:
    """Write Arrow tables (chunks with one schema) as one Parquet file, one row group per chunk.

    Only one chunk is in memory at a time. The categorical columns (Arrow dictionary arrays) are
    dictionary-encoded in the file, and read back as plain text columns — as a warehouse export's
    text columns would be — because the Arrow schema is not stored in the file.

    Parameters
    ----------
    tables
        The chunks, each a :class:`pyarrow.Table` with the same columns and types.
    path
        The file to write (replaced if it exists).
    compression
        Parquet compression codec (``"zstd"``, ``"snappy"``, ``"none"``, ...).

    Returns
    -------
    FileStats
        Size, SHA-256 (of the file as written) and number of rows.
    """
    import pyarrow.parquet as pq

    rows = 0
    writer: pq.ParquetWriter | None = None
    try:
        for table in tables:
            if writer is None:
                writer = pq.ParquetWriter(path, table.schema, compression=compression, store_schema=False)
            writer.write_table(table, row_group_size=max(table.num_rows, 1))
            rows += table.num_rows
    finally:
        if writer is not None:
            writer.close()
    if writer is None:
        raise ValueError(f"no rows to write to {path}")
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 22), b""):
            digest.update(block)
    return FileStats(path.stat().st_size, digest.hexdigest(), rows, "parquet")


def csv_bytes(frame: pd.DataFrame, name: str, *, header: bool = True) -> bytes:
    """The CSV file of dataset ``name``: UTF-8, ``\\n`` line endings, fixed text for every type.

    Booleans are written ``true``/``false``, dates ``YYYY-MM-DD``, missing values as empty
    fields; columns in dictionary order. The bytes depend only on the values, so equal frames
    give byte-identical files. ``header=False`` leaves out the header line (for later chunks).
    """
    fields = _field_map(name)
    missing = [c for c in fields if c not in frame.columns]
    if missing:
        raise ValueError(f"{name}: columns missing from the generated frame: {', '.join(missing)}")
    out: dict[str, Any] = {}
    for col, spec in fields.items():
        s = frame[col]
        if spec["type"] == "boolean":
            values = s.astype("boolean")
            text = np.where(values.fillna(False).to_numpy(dtype=bool), "true", "false")
            blank = np.asarray(values.isna().to_numpy(), dtype=bool)
            out[col] = pd.array(np.where(blank, np.array(None, dtype=object), text), dtype="str")
        elif spec["type"] == "date":
            out[col] = s.dt.strftime("%Y-%m-%d")
        else:
            out[col] = s
    buf = io.StringIO()
    pd.DataFrame(out).to_csv(buf, index=False, header=header, lineterminator="\n", na_rep="")
    return buf.getvalue().encode("utf-8")


def resource_descriptor(name: str, data: bytes | FileStats) -> dict[str, Any]:
    """The Data Package resource of one CSV or Parquet file: path, format, size, hash, rows, Table Schema."""
    stats = data if isinstance(data, FileStats) else FileStats.of(data)
    res = copy.deepcopy(next(r for r in RESOURCES if r["name"] == name))
    fields = res.pop("fields")
    primary_key = res.pop("primaryKey")
    extra = {k: res.pop(k) for k in list(res) if k not in ("name", "title", "description")}
    if stats.format == "parquet":
        return {
            "name": name,
            "type": "table",
            "path": f"{name}.parquet",
            "title": res["title"],
            "description": res["description"],
            "format": "parquet",
            "mediatype": "application/vnd.apache.parquet",
            "bytes": stats.size,
            "hash": "sha256:" + stats.sha256,
            "rows": stats.rows,
            "schema": {"fields": fields, "primaryKey": primary_key},
            **extra,
        }
    return {
        "name": name,
        "type": "table",
        "path": f"{name}.csv",
        "title": res["title"],
        "description": res["description"],
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "bytes": stats.size,
        "hash": "sha256:" + stats.sha256,
        "rows": stats.rows,
        "dialect": {"delimiter": ",", "lineTerminator": "\n", "header": True},
        "schema": {"fields": fields, "missingValues": [""], "primaryKey": primary_key},
        **extra,
    }


def build_datapackage(files: Mapping[str, bytes | FileStats]) -> dict[str, Any]:
    """The ``datapackage.json`` descriptor for the CSV files given (name -> bytes or stats), in order.

    Examples
    --------
    >>> pkg = build_datapackage({"self_assessment": b"item_id\\nC1.1\\n"})
    >>> [r["name"] for r in pkg["resources"]], pkg["resources"][0]["rows"]
    (['self_assessment'], 1)
    """
    order = [r["name"] for r in RESOURCES]
    unknown = sorted(set(files) - set(order))
    if unknown:
        raise ValueError(f"no dictionary for dataset(s) {', '.join(unknown)}; known: {', '.join(order)}")
    resources = [resource_descriptor(n, files[n]) for n in order if n in files]
    return {**copy.deepcopy(PACKAGE_META), "resources": resources}


def package_json(package: Mapping[str, Any]) -> bytes:
    """Serialise a descriptor the same way every time (2-space indent, UTF-8, final newline)."""
    return (json.dumps(package, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


# ----------------------------------------------------------------------------------------------
# Documentation rendered from the dictionary and the planted values
# ----------------------------------------------------------------------------------------------


def _md(text: Any) -> str:
    """Text safe inside a Markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def _allowed(spec: Mapping[str, Any]) -> str:
    cons = spec.get("constraints", {})
    cats = spec.get("categories")
    if cats and isinstance(cats[0], dict):
        return "; ".join(f"{c['value']} = {c['label']}" for c in cats)
    if cats:
        order = " < " if spec.get("categoriesOrdered") else ", "
        return order.join(f"`{c}`" for c in cats)
    if spec["type"] == "boolean":
        return "`true`, `false`"
    lo, hi = cons.get("minimum"), cons.get("maximum")
    if lo is not None and hi is not None:
        return f"{lo} to {hi}"
    if lo is not None:
        return f"{lo} or more"
    if cons.get("unique"):
        return "unique"
    if spec["type"] == "date":
        return "YYYY-MM-DD"
    return "text"


def _type_label(spec: Mapping[str, Any]) -> str:
    t = spec["type"]
    if not spec.get("constraints", {}).get("required", False):
        t += " (blank = missing)"
    return t


def _format_value(value: float, per: int) -> str:
    if per == 100:
        return f"{100 * value:.1f}%"
    return f"{per * value:.2f} per {per:,}"


def render_planted_table(planted: pd.DataFrame, *, gap_ids: list[str] | None = None) -> str:
    """A Markdown table of planted values: gap, rows, column and group, true value, exact or implied."""
    rows = planted if gap_ids is None else planted[planted["gap_id"].isin(gap_ids)]
    lines = [
        "| Gap | Dataset | Outcome | Rows | By | Group | True value | Kind |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows.itertuples(index=False):
        outcome = r.outcome if pd.isna(r.denominator) else f"{r.outcome} / {r.denominator}"
        kind = "exact" if r.exact else "implied"
        lines.append(
            f"| {r.gap_id} | {r.dataset} | `{_md(outcome)}` | {_md(r.population)} | `{r.by}` | "
            f"{_md(r.group)} | {_format_value(r.expected, r.per)} | {kind} |"
        )
    return "\n".join(lines) + "\n"


def _cite(keys: tuple[str, ...]) -> str:
    return "{cite:p}`" + ",".join(keys) + "`" if keys else ""


def render_gap_notes(dataset: str, *, myst: bool) -> str:
    """The planted gaps of one dataset, in words, with sources."""
    out = []
    for gap in (g for g in GAPS if g.dataset == dataset):
        source = gap.source
        if gap.refs:
            source += " " + (_cite(gap.refs) if myst else "(" + "; ".join(gap.refs) + ")")
        out.append(f"- **{gap.gap_id} · {gap.title}.** {gap.what} *Source:* {source}")
    return "\n".join(out) + "\n"


_SIMULATION_FRAMING = """\
**What a difference between groups means here.** Race and ethnicity are social and political
categories, not biology. Where a group's simulated prevalence or outcome differs from another
group's, the difference stands for the effect of racism and of the social conditions (housing,
income, insurance, language access, neighbourhood deprivation) reported in the cited literature,
not for anything inherent in the group {cite:p}`jones2000levels,bailey2017structural`. Read every
gap you find as what the fictional health system delivers to each group.
"""

_PAGE_INTRO = (
    """\
# Datasets

Every exercise in this workbook runs on synthetic data for a fictional US health system: a few
primary-care clinics, a hospital and its staff. **No real person is in any file.** The data were
simulated to look and behave like a real health system's, with the messy parts left in (race
recorded as "Some other race", "Declined" or "Unknown"; sexual orientation never asked; small groups
whose rates must be suppressed), and with **gaps planted on purpose**, so that every exercise has a
known answer. This page documents what each file holds; it does not give the answers away. The
planted gaps themselves (which groups, how large, when one narrows) are on a page for
facilitators, {doc}`faculty/planted-answers`: find them in the data first.

"""
    + _SIMULATION_FRAMING
    + """
Load any dataset with one line; categories come back in the order listed below, dates as dates:

```python
from helpers.data import list_datasets, load_dataset

list_datasets()                      # name, title, description, rows
patients = load_dataset("patients")
```

**How the data were made.** `python -m helpers.synth --out datasets/` regenerates every file
from a fixed seed; a second run gives byte-identical files, and a test checks that the committed
files equal what the generator makes. The dictionary below is rendered from
`datasets/datapackage.json`, a [Frictionless Data Package](https://datapackage.org/) with one Table
Schema per file; `datasets/README.md` records every modelling decision.

**Categories.** Race and ethnicity follow the US Office of Management and Budget standards: two
questions (race, with the five minimum categories, and Hispanic or Latino ethnicity)
{cite:p}`omb1997standards`, as most health records still collect them, combined into one
`race_ethnicity` column for stratification, in the spirit of the 2024 revision's combined question
{cite:p}`omb2024spd15`. The short labels in that column (AIAN for American Indian or Alaska
Native, NHPI for Native Hawaiian or Other Pacific Islander) are for tables; the modules spell the
names out. Preferred language and interpreter need are recorded separately. Sexual
orientation and gender identity include "Declined" and "Not asked", at shares like those reported
by US health centres {cite:p}`grasso2019required,mcdowell2022sexual`. Age bands are those of the
2000 US standard population, so rates can be age-standardised {cite:p}`klein2001age`.
"""
)


def _dataset_section(res: Mapping[str, Any]) -> str:
    name = res["name"]
    lines = [
        f"## `{name}`: {res['title']}",
        "",
        res["description"],
        "",
        f"File `datasets/{res['path']}`: {res['rows']:,} rows, {len(res['schema']['fields'])} columns, "
        f'{res["bytes"] / 1e6:.2f} MB. Load it with `load_dataset("{name}")`. One row per '
        f"{' x '.join('`' + k + '`' for k in res['schema']['primaryKey'])}.",
        "",
        "### Dictionary",
        "",
        "| Column | Type | Allowed values | Meaning | How it was simulated |",
        "|---|---|---|---|---|",
    ]
    for spec in res["schema"]["fields"]:
        lines.append(
            f"| `{spec['name']}` | {_type_label(spec)} | {_md(_allowed(spec))} | {_md(spec['description'])} "
            f"| {_participant_simulation(spec)} |"
        )
    if "responseScale" in res:
        scale = "; ".join(f"{s['value']} = {s['label']}" for s in res["responseScale"])
        lines += ["", f"Response scale for every item: {scale}."]
    if any(g.dataset == name for g in GAPS):
        lines += [
            "",
            f"`{name}` holds gaps planted for the exercises; facilitators find them, with their true "
            "values and sources, in {doc}`faculty/planted-answers`.",
        ]
    return "\n".join(lines) + "\n"


_PLANTED_ID = re.compile(r"Planted gaps? ([A-Z][0-9](?:-[A-Z][0-9])?)")


def _holds_planted_gap(spec: Mapping[str, Any]) -> bool:
    return "Planted gap" in str(spec.get("simulation", ""))


def _participant_simulation(spec: Mapping[str, Any]) -> str:
    """How a column was simulated, for the participants' page: a planted gap is named, not sized."""
    if not _holds_planted_gap(spec):
        return _md(spec.get("simulation", ""))
    ids = _PLANTED_ID.findall(str(spec["simulation"]))
    which = f" ({', '.join(ids)})" if ids else ""
    return f"Holds a gap planted for the exercises{which}; its size is on the facilitators' page."


def _planted_section(res: Mapping[str, Any], planted: pd.DataFrame) -> str | None:
    name = res["name"]
    gaps = [g for g in GAPS if g.dataset == name]
    if not gaps:
        return None
    ids = sorted({p for p in planted["gap_id"] if p.split("-")[0] in {g.gap_id for g in gaps}})
    ordered = [i for g in gaps for i in ids if i == g.gap_id or i.startswith(g.gap_id + "-")]
    lines = [
        f"## `{name}`: {res['title']}",
        "",
        render_gap_notes(name, myst=True).rstrip(),
        "",
        f"True values of the planted gaps in `{name}`:",
        "",
        render_planted_table(planted, gap_ids=ordered).rstrip(),
    ]
    simulated = [spec for spec in res["schema"]["fields"] if _holds_planted_gap(spec)]
    if simulated:
        lines += [
            "",
            f"How the columns of `{name}` that hold a planted gap were simulated (the participants' "
            "page leaves these details out):",
            "",
            "| Column | How it was simulated |",
            "|---|---|",
        ]
        lines += [f"| `{spec['name']}` | {_md(spec['simulation'])} |" for spec in simulated]
    return "\n".join(lines) + "\n"


def _sources_section(*, effect_sizes: bool) -> str:
    used = sorted({k for g in GAPS for k in g.refs})
    others = sorted(set(REFERENCES) - set(used))
    if effect_sizes:
        return (
            "## Sources\n\nThe effect sizes above come from "
            + _cite(tuple(used))
            + ". Where no source is given, the value is an assumption chosen for teaching and says so.\n"
        )
    return (
        "## Sources\n\nThe differences between groups in the simulation follow published findings "
        + _cite(tuple(used))
        + "; the facilitators' page says which finding each one follows. "
        + "The categories, age bands, instruments and shares follow "
        + _cite(tuple(others))
        + ".\n"
    )


def render_datasets_page(package: Mapping[str, Any], planted: pd.DataFrame | None = None) -> str:
    """The book page ``book/datasets.md`` (MyST Markdown), rendered from the package.

    The page documents what each file holds (dictionary, sizes, how each column was simulated)
    and leaves the planted answers out: those are on the facilitators' page,
    :func:`render_planted_answers_page`. ``planted`` is accepted for backwards compatibility and
    not used.

    Examples
    --------
    >>> pkg = build_datapackage({"self_assessment": b"item_id\\nC1.1\\n"})
    >>> page = render_datasets_page(pkg)
    >>> page.startswith("# Datasets"), "True values" in page
    (True, False)
    """
    del planted  # the answers live on the facilitators' page
    parts = [_PAGE_INTRO]
    for res in package["resources"]:
        parts.append(_dataset_section(res))
    parts.append(_sources_section(effect_sizes=False))
    return "\n".join(parts)


_ANSWERS_INTRO = (
    """\
# Planted answers in the datasets

```{admonition} For facilitators
:class: warning
This page gives away the answers to the modules' exercises: which gaps were planted in the
synthetic data, how large they are, and when one narrows. Participants find them in the data
first; share this page after a session, not before.
```

The workbook's datasets (documented for everyone on {doc}`../datasets`) were generated with
**gaps planted on purpose**, each sized to resemble a published finding. This page lists every
planted gap in words, with its source, and the **true** value of every group: the mean of the
simulated probabilities of the people (or cells) in the group. Values marked *exact* were
calibrated to the documented target; *implied* values follow from the other planted effects. What
a participant computes from the files differs from the true value by sampling error only, and its
95% confidence interval usually covers it. `helpers.synth.planted_values()` returns the same
table as a DataFrame, and `tests/test_planted_gaps.py` checks that `helpers.measures` recovers
every value from the files.

"""
    + _SIMULATION_FRAMING
    + """
When you teach from these numbers, keep the system in the subject: "the clinics control blood
pressure for fewer Black patients than White patients" describes the care delivered; the planted
differences were chosen to stand for what racism, access and conditions produce in real health
systems, never for a trait of a group.
"""
)


def render_planted_answers_page(package: Mapping[str, Any], planted: pd.DataFrame) -> str:
    """The facilitators' page ``book/faculty/planted-answers.md``: every planted gap and its true values.

    Examples
    --------
    >>> pkg = build_datapackage({"self_assessment": b"item_id\\nC1.1\\n"})
    >>> empty = pd.DataFrame(columns=["gap_id"])
    >>> render_planted_answers_page(pkg, empty).splitlines()[0]
    '# Planted answers in the datasets'
    """
    parts = [_ANSWERS_INTRO]
    for res in package["resources"]:
        section = _planted_section(res, planted)
        if section:
            parts.append(section)
    parts.append(_sources_section(effect_sizes=True))
    return "\n".join(parts)


def render_files_table(package: Mapping[str, Any]) -> str:
    """Markdown table of the files in a package: name, rows, columns, size, title."""
    lines = ["| File | Rows | Columns | Size (MB) | What it holds |", "|---|---:|---:|---:|---|"]
    total = 0
    for res in package["resources"]:
        total += res["bytes"]
        lines.append(
            f"| `{res['path']}` | {res['rows']:,} | {len(res['schema']['fields'])} "
            f"| {res['bytes'] / 1e6:.2f} | {_md(res['title'])} |"
        )
    lines.append(f"| **total** | | | **{total / 1e6:.2f}** | |")
    return "\n".join(lines) + "\n"


_SHARE_COLUMNS = (
    "race",
    "ethnicity",
    "race_ethnicity",
    "preferred_language",
    "interpreter_needed",
    "gender_identity",
    "sexual_orientation",
    "payer",
    "age_group",
)


def render_shares(patients: pd.DataFrame) -> str:
    """Markdown list of the category shares in ``patients`` (for the data-quality discussion)."""
    out = []
    for col in _SHARE_COLUMNS:
        counts = patients[col].value_counts(dropna=False, sort=False)
        if isinstance(patients[col].dtype, pd.CategoricalDtype):
            counts = counts.reindex(list(patients[col].cat.categories), fill_value=0)
        parts = [f"{'blank' if pd.isna(k) else k} {100 * v / len(patients):.1f}%" for k, v in counts.items()]
        out.append(f"- `{col}`: " + "; ".join(parts))
    return "\n".join(out) + "\n"


def render_readme_sections(
    planted: pd.DataFrame, package: Mapping[str, Any], patients: pd.DataFrame
) -> dict[str, str]:
    """The generated parts of ``datasets/README.md``, keyed by marker name."""
    gaps = "\n".join(
        f"### {g.gap_id} · {g.title} (`{g.dataset}`)\n\n{g.what}\n\n*Source:* {g.source}"
        + (" [" + "; ".join(g.refs) + "]" if g.refs else "")
        + "\n"
        for g in GAPS
    )
    refs = "\n".join(f"- [{key}] {REFERENCES[key]}" for key in sorted(REFERENCES)) + "\n"
    return {
        "files": render_files_table(package),
        "shares": render_shares(patients),
        "planted-gaps": gaps,
        "planted-values": render_planted_table(planted),
        "references": refs,
    }


def replace_marked(text: str, sections: Mapping[str, str]) -> str:
    """Replace the text between ``<!-- name:start -->`` and ``<!-- name:end -->`` for every section.

    Examples
    --------
    >>> replace_marked("a <!-- x:start -->old<!-- x:end --> b", {"x": "new"})
    'a <!-- x:start -->\\nnew<!-- x:end --> b'
    """
    for name, body in sections.items():
        start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
        i, j = text.find(start), text.find(end)
        if i < 0 or j < i:
            raise ValueError(f"markers {start} ... {end} not found; add them where the section belongs")
        text = text[: i + len(start)] + "\n" + body + text[j:]
    return text


def race_ethnicity_table() -> str:
    """Markdown table of the combined race/ethnicity categories and their meaning."""
    lines = ["| `race_ethnicity` | Meaning |", "|---|---|"]
    lines += [f"| `{k}` | {v} |" for k, v in labels.RACE_ETHNICITY_MEANING.items()]
    return "\n".join(lines) + "\n"
