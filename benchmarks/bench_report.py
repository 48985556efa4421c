"""Benchmark: a 1 M-row CSV to a finished equity report, against DuckDB reading the same file, in one run.

Makes a patient-level CSV with ``python -m helpers.synth --rows N`` (20 columns, about 150 MB for
1 M rows), then times, best of ``--repeat``, each in a fresh process (so the peak memory is that
command's own):

* **report**: ``python -m helpers report patients.csv --outcome bp_controlled --by race_ethnicity
  --by preferred_language --reference White --out report.html`` — read, validate, stratify, gaps,
  summary measures, figures and the HTML page;
* **baseline**: DuckDB's CSV reader on the same file, counting the same strata
  (``SELECT race_ethnicity, preferred_language, sum(bp_controlled), count(bp_controlled) FROM
  read_csv(...) GROUP BY ALL``) — the fastest way this machine has to get the counts out of that
  file, and nothing else.

It prints wall time, CPU time (user + system, less sensitive to other jobs on a shared machine) and
peak resident memory of each, and the ratio report / baseline. Target (issue #13): the report in
under 30 s on 2 cores.

Usage::

    python benchmarks/bench_report.py                 # 1 M rows, best of 3
    python benchmarks/bench_report.py --rows 200000 --repeat 1

This is a script, not a test: it is not collected by pytest.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPORT = [
    "--outcome", "bp_controlled", "--by", "race_ethnicity", "--by", "preferred_language",
    "--reference", "White", "--quiet",
]  # fmt: skip
DUCKDB = """
import sys, duckdb
rows = duckdb.sql(
    "SELECT race_ethnicity, preferred_language, sum(bp_controlled) AS n, count(bp_controlled) AS d "
    f"FROM read_csv('{sys.argv[1]}', header=true) GROUP BY ALL"
).fetchall()
assert rows
"""


def timed(command: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak RSS (GiB) of one command in a fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, after.ru_maxrss / 1024**2  # ru_maxrss: the largest child so far, in KiB


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        synth = [sys.executable, "-m", "helpers.synth", "--out", str(folder), "--rows", str(args.rows)]
        subprocess.run(synth, check=True, capture_output=True)
        data = folder / "patients.csv"
        size_mb = data.stat().st_size / 1024**2
        # The baseline first: ru_maxrss of children only grows, so the report's peak is read after it.
        baseline = min((timed([sys.executable, "-c", DUCKDB, str(data)]) for _ in range(args.repeat)),
                       key=lambda t: t[0])  # fmt: skip
        out = folder / "report.html"
        command = [sys.executable, "-m", "helpers", "report", str(data), *REPORT, "--out", str(out)]
        report = min((timed(command) for _ in range(args.repeat)), key=lambda t: t[0])
    print(f"{args.rows:,} rows, {size_mb:.0f} MB CSV, best of {args.repeat}")
    print(f"{'':10} {'wall (s)':>9} {'CPU (s)':>8} {'peak RSS (GiB)':>15}")
    print(f"{'report':10} {report[0]:9.2f} {report[1]:8.2f} {report[2]:15.2f}")
    print(f"{'duckdb':10} {baseline[0]:9.2f} {baseline[1]:8.2f} {baseline[2]:15.2f}")
    print(f"ratio report / duckdb: wall {report[0] / baseline[0]:.1f}, CPU {report[1] / baseline[1]:.1f}")
    print(f"target: report under 30 s -> {'met' if report[0] < 30 else 'MISSED'}")


if __name__ == "__main__":
    main()
