"""Benchmark: stratified rates counted inside DuckDB (helpers.warehouse) against DuckDB's own GROUP BY.

Makes patient-level rows with ``python -m helpers.synth --rows N`` (a CSV), converts them to Parquet
with DuckDB, then times, each in a fresh process (so its peak memory is its own), best of
``--repeat``, the three `by` columns ``race_ethnicity``, ``payer`` and ``age_group`` and the outcome
``bp_controlled`` (about two thirds missing, so ``missing_outcome="exclude"``):

* **warehouse**: ``helpers.warehouse.stratified_rates`` on ``ibis.duckdb.connect().read_parquet(...)``
  — the Ibis ``GROUP BY`` in DuckDB, the strata back through Arrow, then intervals, suppression and
  the exclusion records in pandas;
* **duckdb-sql** (the baseline): DuckDB's own SQL counting the same things (``SELECT by…,
  sum(outcome), count(outcome), count(*) … FROM read_parquet(…) GROUP BY ALL``) into Arrow, and
  nothing else;
* **pandas**: ``pandas.read_parquet`` of the four columns, then ``helpers.measures.stratified_rates``
  (skipped with ``--no-pandas``, e.g. at 100 M rows where the columns need several GiB).

The clock runs inside each process around the work ("work": wall and CPU time of all threads, imports
and interpreter start-up excluded); the process's own wall time, CPU time and peak resident memory
(``os.wait4``; the largest over the repeats) are reported too. The counts of all three are checked
equal. Target (issue #18): warehouse ≤ 1.2 × duckdb-sql, peak memory under 4 GiB.

Usage::

    python benchmarks/bench_warehouse.py --rows 10000000              # what benchmarks/README.md reports
    python benchmarks/bench_warehouse.py --rows 100000000 --no-pandas --workdir /big/disk
    python benchmarks/bench_warehouse.py --parquet existing.parquet   # skip the generation

DuckDB gets ``--threads`` threads (default 2) and a ``--memory-limit`` (default 3GB) in both DuckDB
variants. Generating 100 M rows with ``helpers.synth`` writes a CSV of about 15 GB and takes about an
hour on 2 cores; the Parquet file is about 10 times smaller.

This is a script, not a test: it is not collected by pytest.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BY = ["race_ethnicity", "payer", "age_group"]
OUTCOME = "bp_controlled"

CHILD = r"""
import json, sys, time
variant, path, threads, memory = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
by, outcome = __BY__, __OUTCOME__
import warnings
warnings.filterwarnings("ignore", message=r"fetch_arrow_table\(\) is deprecated")
if variant == "warehouse":
    import ibis
    from helpers import warehouse
    con = ibis.duckdb.connect(threads=threads, memory_limit=memory)
    start, cpu = time.perf_counter(), time.process_time()
    table = con.read_parquet(path)
    rates = warehouse.stratified_rates(table, outcome, by, missing_outcome="exclude", min_cell=0)
    counts = {"|".join(map(str, k)): [int(n), int(d)] for k, n, d in
              zip(rates[by].itertuples(index=False), rates["numerator"], rates["denominator"])}
elif variant == "duckdb-sql":
    import duckdb
    con = duckdb.connect(config={"threads": threads, "memory_limit": memory})
    start, cpu = time.perf_counter(), time.process_time()
    cols = ", ".join(by)
    result = con.sql(
        f"SELECT {cols}, sum({outcome}) AS n, count({outcome}) AS d, count(*) AS r, "
        f"count(*) - count({outcome}) AS m FROM read_parquet('{path}') GROUP BY ALL"
    ).arrow()
    result = result.read_all() if hasattr(result, "read_all") else result
    rows = result.to_pylist()
    counts = {"|".join(str(r[c]) for c in by): [int(r["n"]), int(r["d"])] for r in rows if r["d"]}
else:
    import pandas as pd
    from helpers import measures
    start, cpu = time.perf_counter(), time.process_time()
    data = pd.read_parquet(path, columns=[*by, outcome])
    rates = measures.stratified_rates(data, outcome, by, missing_outcome="exclude", min_cell=0)
    counts = {"|".join(map(str, k)): [int(n), int(d)] for k, n, d in
              zip(rates[by].itertuples(index=False), rates["numerator"], rates["denominator"])}
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "work_cpu": time.process_time() - cpu, "counts": counts}))
""".replace("__BY__", repr(BY)).replace("__OUTCOME__", repr(OUTCOME))


def make_parquet(rows: int, workdir: Path) -> Path:
    """``python -m helpers.synth --rows N`` (CSV), converted to Parquet by DuckDB; reused if present."""
    parquet = workdir / f"patients-{rows}.parquet"
    if parquet.exists():
        return parquet
    csv_dir = workdir / f"synth-{rows}"
    if not (csv_dir / "patients.csv").exists():
        print(f"generating {rows:,} rows with helpers.synth ...", flush=True)
        subprocess.run(
            [sys.executable, "-m", "helpers.synth", "--rows", str(rows), "--out", str(csv_dir)], check=True
        )
    import duckdb

    print("converting to Parquet with DuckDB ...", flush=True)
    con = duckdb.connect(config={"threads": 2, "memory_limit": "3GB"})
    con.execute(
        f"COPY (SELECT * FROM read_csv('{csv_dir / 'patients.csv'}', header=true)) "
        f"TO '{parquet}' (FORMAT parquet, COMPRESSION zstd)"
    )
    return parquet


def run(variant: str, parquet: Path, threads: int, memory: str) -> dict:
    """One variant in a fresh process: its own timing, plus wall, CPU and peak RSS of the process."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, variant, str(parquet), str(threads), memory],
        stdout=subprocess.PIPE,
        text=True,
    )
    out = proc.stdout.read() if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    if status != 0:
        raise SystemExit(f"{variant} failed with status {status}")
    result = json.loads(out.strip().splitlines()[-1])
    result.update(
        process_wall=time.perf_counter() - start,
        process_cpu=usage.ru_utime + usage.ru_stime,
        peak_gib=usage.ru_maxrss / 1024**2,
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--parquet", type=Path, help="an existing patients Parquet file (skips generation)")
    parser.add_argument("--workdir", type=Path, help="keep generated files here (default: a temp dir)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--memory-limit", default="3GB")
    parser.add_argument("--no-pandas", action="store_true", help="skip the pandas path (too big for memory)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-warehouse-") as tmp:
        parquet = args.parquet or make_parquet(args.rows, args.workdir or Path(tmp))
        print(f"{parquet} ({parquet.stat().st_size / 1024**2:,.0f} MiB)")
        variants = ["warehouse", "duckdb-sql"] + ([] if args.no_pandas else ["pandas"])
        best: dict[str, dict] = {}
        peak: dict[str, float] = {}  # the largest over all repeats
        cpu: dict[str, list[float]] = {}  # work CPU seconds of every repeat (the ratio uses the least)
        for _ in range(args.repeat):
            for variant in variants:  # interleaved, so both sides of the ratio see the same load
                result = run(variant, parquet, args.threads, args.memory_limit)
                peak[variant] = max(peak.get(variant, 0.0), result["peak_gib"])
                cpu.setdefault(variant, []).append(result["work_cpu"])
                if variant not in best or result["seconds"] < best[variant]["seconds"]:
                    best[variant] = result
        reference = best["duckdb-sql"]["counts"]
        for variant, result in best.items():
            if result["counts"] != reference:
                raise SystemExit(f"{variant} counts differ from DuckDB's own GROUP BY")
        print(f"{len(reference)} strata, counts equal in all variants; load average {os.getloadavg()}")
        header = f"{'variant':<12}{'work s':>8}{'work CPU s':>12}{'process s':>11}{'process CPU s':>15}"
        print(f"{header}{'peak GiB':>10}{'÷ duckdb-sql (work s, CPU s)':>30}")
        base, base_cpu = best["duckdb-sql"]["seconds"], min(cpu["duckdb-sql"])
        for variant, r in best.items():
            print(
                f"{variant:<12}{r['seconds']:>8.2f}{r['work_cpu']:>12.2f}{r['process_wall']:>11.2f}"
                f"{r['process_cpu']:>15.2f}{peak[variant]:>10.2f}"
                f"{r['seconds'] / base:>20.2f}{min(cpu[variant]) / base_cpu:>10.2f}"
            )


if __name__ == "__main__":
    main()
