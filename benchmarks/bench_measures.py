"""Benchmark: stratified_rates + gaps + summary against a bare pandas groupby, in one run.

Generates patient-level rows in memory (seeded numpy), with three ``by`` columns (race and
ethnicity with about 2% missing, preferred language, payer) and a 0/1 outcome, then times

* **helpers**: ``stratified_rates(df, "controlled", by, overall=True)`` (counts, Wilson
  intervals, missing values as an "Unknown" stratum, small-cell and complementary
  suppression), then ``gaps(rates, group="race")`` and ``summary(rates, group=by)``;
* **baseline**: ``df.groupby(by, observed=True, sort=False, dropna=False)[outcome].agg(["sum",
  "count"])`` - the same numerators and denominators, and nothing else;

and prints both times (best of ``--repeat``), their ratio and the process's peak memory.
Targets (issue #4): ratio <= 1.5 at 10 M rows, and 10 M rows within 24 GiB.

Usage::

    python benchmarks/bench_measures.py                      # 1 M and 10 M rows
    python benchmarks/bench_measures.py --rows 1000000 --repeat 5 --by-dtype str

This is a script, not a test: it is not collected by pytest.
"""

from __future__ import annotations

import argparse
import gc
import platform
import resource
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from helpers.disparities import gaps, summary
from helpers.measures import stratified_rates

BY = ["race", "language", "payer"]
OUTCOME = "controlled"

RACE = ["American Indian or Alaska Native", "Asian", "Black", "Hispanic", "NHPI", "White", "Multiracial"]
RACE_P = [0.01, 0.06, 0.14, 0.19, 0.005, 0.565, 0.03]
LANGUAGE = ["English", "Spanish", "Chinese", "Vietnamese", "Other"]
LANGUAGE_P = [0.82, 0.12, 0.02, 0.01, 0.03]
PAYER = ["Commercial", "Medicare", "Medicaid", "Uninsured", "Other"]
PAYER_P = [0.45, 0.25, 0.2, 0.07, 0.03]


def make_rows(n: int, *, seed: int, by_dtype: str) -> pd.DataFrame:
    """Synthetic patient-level rows: three group columns and a 0/1 outcome with planted gaps."""
    rng = np.random.default_rng(seed)
    race = rng.choice(len(RACE), size=n, p=RACE_P)
    language = rng.choice(len(LANGUAGE), size=n, p=LANGUAGE_P)
    payer = rng.choice(len(PAYER), size=n, p=PAYER_P)
    base = np.array([0.45, 0.62, 0.48, 0.52, 0.5, 0.6, 0.55])[race]
    p = base - 0.04 * (language > 0) - 0.06 * (payer == 3)
    outcome = rng.random(n) < p
    race_codes = np.where(rng.random(n) < 0.02, -1, race)  # about 2% missing race
    columns: dict[str, Any] = {}
    for name, codes, labels in (
        ("race", race_codes, RACE),
        ("language", language, LANGUAGE),
        ("payer", payer, PAYER),
    ):
        cat = pd.Categorical.from_codes(codes, categories=labels)
        columns[name] = (
            cat if by_dtype == "category" else pd.array(np.asarray(cat, dtype=object), dtype="str")
        )
    columns[OUTCOME] = outcome
    return pd.DataFrame(columns)


def run_helpers(df: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
    rates = stratified_rates(df, OUTCOME, BY, overall=True)
    return rates, gaps(rates, group="race"), summary(rates, group=BY)


def run_baseline(df: pd.DataFrame) -> pd.DataFrame:
    return df.groupby(BY, observed=True, sort=False, dropna=False)[OUTCOME].agg(["sum", "count"])


def best_time(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def peak_memory_gib() -> float:
    """Peak resident set size of this process so far (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (2**30 if sys.platform == "darwin" else 2**20)


def check_same_counts(df: pd.DataFrame) -> None:
    """The two approaches must count the same people (else the timing comparison is moot)."""
    rates = stratified_rates(df, OUTCOME, BY, min_cell=0)
    base = run_baseline(df).reset_index()
    base["race"] = base["race"].astype(object).where(base["race"].notna(), "Unknown")
    mine = rates.astype({c: object for c in BY}).set_index(BY)[["numerator", "denominator"]].astype("int64")
    theirs = base.astype({c: object for c in BY}).set_index(BY)[["sum", "count"]].astype("int64")
    theirs.columns = ["numerator", "denominator"]
    pd.testing.assert_frame_equal(mine.sort_index(), theirs.sort_index())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per approach (best is kept)")
    parser.add_argument("--seed", type=int, default=20240404)
    parser.add_argument("--by-dtype", choices=["category", "str"], default="category")
    args = parser.parse_args(argv)

    print(
        f"python {platform.python_version()}, pandas {pd.__version__}, numpy {np.__version__}; "
        f"by columns as {args.by_dtype}; best of {args.repeat}"
    )
    header = ("rows", "strata", "helpers (s)", "groupby (s)", "ratio", "peak RSS (GiB)")
    widths = (12, 7, 12, 12, 7, 15)
    print(" ".join(f"{h:>{w}}" for h, w in zip(header, widths, strict=True)))
    for n in args.rows:
        df = make_rows(n, seed=args.seed, by_dtype=args.by_dtype)
        check_same_counts(df)
        run_helpers(df)  # warm-up (imports, caches)
        ours = best_time(lambda df=df: run_helpers(df), args.repeat)
        base = best_time(lambda df=df: run_baseline(df), args.repeat)
        strata = len(run_baseline(df))
        print(
            f"{n:>12,} {strata:>7} {ours:>12.3f} {base:>12.3f} {ours / base:>7.2f} {peak_memory_gib():>15.2f}"
        )
        del df
        gc.collect()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
