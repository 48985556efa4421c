"""Generate the workbook's synthetic datasets, reproducibly, with documented planted gaps.

Run from the repository root::

    python -m helpers.synth --out datasets/                     # every dataset, byte-identical
    python -m helpers.synth --out /tmp/big --rows 5000000       # a big patients file for benchmarks
    python -m helpers.synth --out /tmp/big --rows 100000000 --format parquet   # streamed to Parquet

Every dataset of the design (``patients``, ``hypertension_monthly``, ``cancer_screening``,
``hai``, ``workforce_survey``, ``sdoh_screening``, ``self_assessment``) is simulated from one
seed (:data:`SEED`); each dataset draws from its own random stream, so changing one leaves the
others untouched. The files are written with fixed formatting, so the same seed and numpy version
give byte-identical files. ``datasets/datapackage.json`` (a Frictionless Data Package, rendered
from :mod:`helpers.synth._schema`) is the data dictionary; :func:`render_datasets_page` renders
the book's page from it (what each file holds, no answers); :func:`render_planted_answers_page`
renders the facilitators' page of planted gaps and their true values; ``datasets/README.md``
records every modelling decision and the planted gaps with their sources.

Planted gaps are *exact in expectation*: each generator calibrates its models so that the mean of
the simulated probabilities in every documented group equals the documented target.
:func:`planted_values` returns those true values, one row per group, with the rows they refer
to, so a test (or a facilitator) can check that an analysis recovers them.

Examples
--------
>>> from helpers import synth
>>> data = synth.generate(names=["self_assessment"])
>>> data.frames["self_assessment"].shape
(25, 5)
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ._gaps import GAPS, REFERENCES, Gap
from ._package import (
    FileStats,
    build_datapackage,
    csv_bytes,
    package_json,
    render_datasets_page,
    render_planted_answers_page,
    render_planted_table,
    render_readme_sections,
    replace_marked,
    write_csv_chunks,
    write_parquet_chunks,
)
from ._planted import Planted, planted_frame
from ._rng import child_rng
from .cancer_screening import generate_cancer_screening
from .hai import generate_hai
from .hypertension import generate_hypertension_monthly
from .patients import CHUNK_ROWS, DEFAULT_ROWS, generate_patients, iter_patient_chunks, iter_patient_tables
from .sdoh import generate_sdoh_screening
from .self_assessment import generate_self_assessment
from .workforce import generate_workforce_survey

__all__ = [
    "DATASET_NAMES",
    "DEFAULT_ROWS",
    "FORMATS",
    "GAPS",
    "REFERENCES",
    "SEED",
    "Gap",
    "Planted",
    "Synthetic",
    "build_datapackage",
    "csv_bytes",
    "generate",
    "main",
    "planted_values",
    "readme_text",
    "render_datasets_page",
    "render_planted_answers_page",
    "render_planted_table",
    "update_readme",
    "write_datasets",
]

SEED = 2017
"""The fixed seed of the committed datasets (the year IHI launched Pursuing Equity)."""

DATASET_NAMES: tuple[str, ...] = (
    "patients",
    "hypertension_monthly",
    "cancer_screening",
    "hai",
    "workforce_survey",
    "sdoh_screening",
    "self_assessment",
)

FORMATS: tuple[str, ...] = ("csv", "parquet")
"""File formats :func:`write_datasets` writes (Parquet for the big ``patients`` file only)."""

REPO_ROOT = Path(__file__).resolve().parents[3]
COMMITTED_DIR = REPO_ROOT / "datasets"


@dataclass(frozen=True)
class Synthetic:
    """What :func:`generate` returns: the typed tables and the planted values."""

    frames: dict[str, pd.DataFrame]
    planted: pd.DataFrame
    seed: int = SEED
    rows: int = DEFAULT_ROWS


def _check_names(names: Iterable[str] | None) -> list[str]:
    if names is None:
        return list(DATASET_NAMES)
    names = [names] if isinstance(names, str) else list(names)
    unknown = [n for n in names if n not in DATASET_NAMES]
    if unknown:
        raise ValueError(
            f"unknown dataset(s) {', '.join(map(repr, unknown))}; valid names are: {', '.join(DATASET_NAMES)}"
        )
    return [n for n in DATASET_NAMES if n in names]


def generate(names: Iterable[str] | None = None, *, seed: int = SEED, rows: int | None = None) -> Synthetic:
    """Simulate datasets in memory.

    Parameters
    ----------
    names
        Datasets to make (default: all of :data:`DATASET_NAMES`).
    seed
        Master seed; :data:`SEED` reproduces the committed files.
    rows
        Number of patients in ``patients`` (default :data:`DEFAULT_ROWS`). ``sdoh_screening`` is
        always counted from a default-size ``patients`` so that it never changes with ``rows``.

    Returns
    -------
    Synthetic
        ``frames`` (name -> typed DataFrame, as :func:`helpers.data.load_dataset` returns it) and
        ``planted`` (one row per planted value; see :class:`Planted`).

    Raises
    ------
    ValueError
        For an unknown dataset name or a number of rows below 1.

    Examples
    --------
    >>> out = generate(names=["hai"])
    >>> sorted(out.frames), len(out.frames["hai"])
    (['hai'], 1296)
    """
    wanted = _check_names(names)
    n_rows = DEFAULT_ROWS if rows is None else int(rows)
    if n_rows < 1:
        raise ValueError(f"rows must be a positive number of patients, got {rows!r}")
    frames: dict[str, pd.DataFrame] = {}
    planted: list[Planted] = []
    default_patients: pd.DataFrame | None = None
    if "patients" in wanted:
        if n_rows <= CHUNK_ROWS:
            frames["patients"], values = generate_patients(child_rng(seed, "patients"), n_rows)
            planted += values
        else:  # made in chunks; the targets hold in each, the planted table is for one-pass sizes
            frames["patients"] = pd.concat(iter_patient_chunks(seed, n_rows), ignore_index=True)
    if "sdoh_screening" in wanted:
        if n_rows == DEFAULT_ROWS and "patients" in frames:
            default_patients = frames["patients"]
        else:
            default_patients, _ = generate_patients(child_rng(seed, "patients"), DEFAULT_ROWS)
    builders = {
        "hypertension_monthly": lambda: generate_hypertension_monthly(
            child_rng(seed, "hypertension_monthly")
        ),
        "cancer_screening": lambda: generate_cancer_screening(child_rng(seed, "cancer_screening")),
        "hai": lambda: generate_hai(child_rng(seed, "hai")),
        "workforce_survey": lambda: generate_workforce_survey(child_rng(seed, "workforce_survey")),
        "sdoh_screening": lambda: generate_sdoh_screening(
            child_rng(seed, "sdoh_screening"), default_patients
        ),
        "self_assessment": lambda: (generate_self_assessment(), []),
    }
    for name in wanted:
        if name == "patients":
            continue
        frame, values = builders[name]()
        frames[name] = frame
        planted += values
    frames = {n: frames[n] for n in wanted}
    return Synthetic(frames=frames, planted=planted_frame(planted), seed=seed, rows=n_rows)


def planted_values(*, seed: int = SEED) -> pd.DataFrame:
    """The true values of every planted gap, one row per group (see :class:`Planted` for columns).

    Examples
    --------
    >>> pv = planted_values()
    >>> row = pv.query("gap_id == 'P1' and group == 'White'").iloc[0]
    >>> row["dataset"], row["outcome"], row["where"], round(float(row["expected"]), 2)
    ('patients', 'bp_controlled', 'hypertension', 0.64)
    """
    return generate(seed=seed).planted


def _is_committed_dir(out: Path) -> bool:
    try:
        return out.resolve() == COMMITTED_DIR.resolve()
    except OSError:
        return False


def write_datasets(
    out: str | Path,
    names: Iterable[str] | None = None,
    *,
    seed: int = SEED,
    rows: int | None = None,
    file_format: str = "csv",
) -> list[Path]:
    """Write the data files and ``datapackage.json`` to the folder ``out``; return the paths written.

    With ``rows`` only the ``patients`` file (and a ``datapackage.json`` describing it) is written,
    for benchmarks, streamed chunk by chunk (``CHUNK_ROWS`` rows at a
    time, so memory stays small at any size). To protect the committed data, writing to the
    repository's ``datasets/`` folder is refused unless the seed is :data:`SEED`, ``rows`` is the
    default, the format CSV and every dataset is written.

    Parameters
    ----------
    out
        Folder to write to (created if needed).
    names
        Datasets to write (default: all, or ``patients`` only when ``rows`` is given).
    seed
        Master seed; :data:`SEED` reproduces the committed files.
    rows
        Number of patients: write ``patients`` only, with this many rows.
    file_format
        ``"csv"`` (default) or ``"parquet"`` (only with ``rows``: ``patients.parquet``, zstd, one
        row group per chunk, the same values as the CSV; needs ``pyarrow``).

    Returns
    -------
    list of pathlib.Path
        The files written, ``datapackage.json`` last.

    Raises
    ------
    ValueError
        When the call would overwrite the committed datasets with different data, for an unknown
        format, or for Parquet without ``rows``.
    """
    out = Path(out)
    if file_format not in FORMATS:
        raise ValueError(f"unknown format {file_format!r}; valid formats are: {', '.join(FORMATS)}")
    if rows is not None and names is None:
        names = ["patients"]
    wanted = _check_names(names)
    if _is_committed_dir(out) and (
        seed != SEED
        or (rows is not None and int(rows) != DEFAULT_ROWS)
        or wanted != list(DATASET_NAMES)
        or file_format != "csv"
    ):
        raise ValueError(
            f"refusing to overwrite the committed datasets in {COMMITTED_DIR} with a different seed, "
            "size, format or subset; write to another folder (e.g. --out /tmp/pe-benchmark) instead"
        )
    if file_format == "parquet" and rows is None:
        raise ValueError("Parquet is written for a patients file of a given size only; give rows (--rows N)")
    n_rows = DEFAULT_ROWS if rows is None else int(rows)
    if rows is not None:
        if wanted != ["patients"]:
            raise ValueError(f"rows= sizes the patients file only; leave it out to write {', '.join(wanted)}")
        if n_rows < 1:
            raise ValueError(f"rows must be a positive number of patients, got {rows!r}")
    out.mkdir(parents=True, exist_ok=True)
    files: dict[str, FileStats] = {}
    written = []
    if rows is not None and file_format == "parquet":
        path = out / "patients.parquet"
        files["patients"] = write_parquet_chunks(iter_patient_tables(seed, n_rows), path)
        written.append(path)
    elif rows is not None:  # patients only, streamed chunk by chunk (millions of rows for benchmarks)
        path = out / "patients.csv"
        files["patients"] = write_csv_chunks(iter_patient_chunks(seed, n_rows), "patients", path)
        written.append(path)
    else:
        data = generate(wanted, seed=seed)
        for name, frame in data.frames.items():
            path = out / f"{name}.csv"
            files[name] = write_csv_chunks([frame], name, path)
            written.append(path)
    pkg_path = out / "datapackage.json"
    pkg_path.write_bytes(package_json(build_datapackage(files)))
    written.append(pkg_path)
    return written


def readme_text(text: str, data: Synthetic, package: Mapping[str, Any]) -> str:
    """``text`` (the README) with its generated sections (between ``<!-- name:start/end -->``) redone."""
    sections = render_readme_sections(data.planted, package, data.frames["patients"])
    return replace_marked(text, sections)


def update_readme(path: str | Path, data: Synthetic, package: Mapping[str, Any]) -> None:
    """Rewrite the generated sections of ``datasets/README.md`` in place."""
    path = Path(path)
    new = readme_text(path.read_text(encoding="utf-8"), data, package)
    path.write_text(new, encoding="utf-8", newline="\n")


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m helpers.synth --out DIR [--rows N [--format parquet]] [--seed S] ...``.

    Prints every file written with its size and, for ``--rows``, the time taken and rows per second.
    """
    parser = argparse.ArgumentParser(
        prog="python -m helpers.synth",
        description="Generate the Pursuing Equity Workbook's synthetic datasets (byte-identical for a seed).",
    )
    parser.add_argument(
        "--out", required=True, type=Path, help="folder to write the CSV files and datapackage.json"
    )
    parser.add_argument(
        "--rows",
        type=int,
        default=None,
        help=f"patients only, with this many rows (default {DEFAULT_ROWS:,}); for benchmarks",
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="csv",
        dest="file_format",
        help="file format of the patients file made with --rows (default csv; parquet: zstd, streamed)",
    )
    parser.add_argument("--seed", type=int, default=SEED, help=f"master seed (default {SEED})")
    parser.add_argument(
        "--page",
        type=Path,
        default=None,
        help="also render the book page (e.g. book/datasets.md) from the new datapackage.json",
    )
    parser.add_argument(
        "--answers",
        type=Path,
        default=None,
        help="also render the facilitators' page of planted answers (e.g. book/faculty/planted-answers.md)",
    )
    parser.add_argument(
        "--readme",
        type=Path,
        default=None,
        help="also update the generated sections of this README (e.g. datasets/README.md)",
    )
    args = parser.parse_args(argv)  # fmt: skip
    start = time.perf_counter()
    try:
        paths = write_datasets(args.out, seed=args.seed, rows=args.rows, file_format=args.file_format)
    except ValueError as exc:
        parser.error(str(exc))
    seconds = time.perf_counter() - start
    total = 0
    for path in paths:
        size = path.stat().st_size
        total += size
        print(f"wrote {path} ({size / 1e6:.2f} MB)")
    print(f"total {total / 1e6:.2f} MB")
    if args.rows is not None:
        print(f"{args.rows:,} rows in {seconds:.1f} s ({args.rows / max(seconds, 1e-9):,.0f} rows/s)")
    if args.page is not None or args.readme is not None or args.answers is not None:
        import json

        if args.rows is not None:
            parser.error("--page, --answers and --readme document the full datasets; leave out --rows")
        package = json.loads((args.out / "datapackage.json").read_text(encoding="utf-8"))
        data = generate(seed=args.seed)
        if args.page is not None:
            args.page.write_text(render_datasets_page(package, data.planted), encoding="utf-8", newline="\n")
            print(f"wrote {args.page}")
        if args.answers is not None:
            args.answers.write_text(
                render_planted_answers_page(package, data.planted), encoding="utf-8", newline="\n"
            )
            print(f"wrote {args.answers}")
        if args.readme is not None:
            update_readme(args.readme, data, package)
            print(f"updated {args.readme}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
