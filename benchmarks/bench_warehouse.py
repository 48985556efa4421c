"""Benchmark: stratified rates counted inside DuckDB (helpers.warehouse) against DuckDB's own GROUP BY.

Makes patient-level rows with ``python -m helpers.synth --rows N --format parquet`` (streamed to
Parquet chunk by chunk, zstd, one row group per 250,000 rows; its wall time, CPU time, peak memory and
rows per second are reported), then times, each in a fresh process (so its peak memory is its own),
best of ``--repeat``, the three `by` columns ``race_ethnicity``, ``payer`` and ``age_group`` and the
outcome ``bp_controlled`` (about two thirds missing, so ``missing_outcome="exclude"``):

* **warehouse**: ``helpers.warehouse.stratified_rates`` on ``ibis.duckdb.connect().read_parquet(...)``
  — the Ibis ``GROUP BY`` in DuckDB, the strata back through Arrow, then intervals, suppression and
  the exclusion records in pandas;
* **duckdb-sql** (the baseline): DuckDB's own SQL counting the same things (``SELECT by…,
  sum(outcome), count(outcome), count(*) … FROM read_parquet(…) GROUP BY ALL``) into Arrow, and
  nothing else;
* **pandas**: ``pandas.read_parquet`` of the four columns, then ``helpers.measures.stratified_rates``
  (skipped with ``--no-pandas``, e.g. at 100 M rows, where it would need about 11.6 GiB: 1.36 GiB
  at 10 M and 3.64 GiB at 30 M rows measured, growing linearly; the text columns held in memory).

The clock runs inside each process around the work ("work": wall and CPU time of all threads, imports
and interpreter start-up excluded); the process's own wall time, CPU time and peak resident memory
(``os.wait4``; the largest over the repeats) are reported too. The counts of all three are checked
equal. Target (issue #18): warehouse ≤ 1.2 × duckdb-sql, peak memory under 4 GiB.

Usage::

    python benchmarks/bench_warehouse.py --rows 100000000 --no-pandas --workdir /big/disk   # issue #18
    python benchmarks/bench_warehouse.py --rows 10000000               # all three variants
    python benchmarks/bench_warehouse.py --parquet existing.parquet    # skip the generation

DuckDB gets ``--threads`` threads (default 2) and a ``--memory-limit`` (default 3GB) in both DuckDB
variants. 100 M rows make a Parquet file of about 0.6 GB in about 1.5 minutes of CPU on 2 cores
(``helpers.synth`` wrote 1.1 M rows per CPU-second at 100 M rows, peak 0.29 GiB; results.md). ``--json`` also writes
every figure to a file.

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
    con.raw_sql("SET enable_progress_bar = false")
    start, cpu = time.perf_counter(), time.process_time()
    table = con.read_parquet(path)
    rates = warehouse.stratified_rates(table, outcome, by, missing_outcome="exclude", min_cell=0)
    counts = {"|".join(map(str, k)): [int(n), int(d)] for k, n, d in
              zip(rates[by].itertuples(index=False), rates["numerator"], rates["denominator"])}
elif variant == "duckdb-sql":
    import duckdb
    con = duckdb.connect(config={"threads": threads, "memory_limit": memory})
    con.execute("SET enable_progress_bar = false")
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
print("RESULT " + json.dumps({"seconds": seconds, "work_cpu": time.process_time() - cpu, "counts": counts}))
""".replace("__BY__", repr(BY)).replace("__OUTCOME__", repr(OUTCOME))


def make_parquet(rows: int, workdir: Path) -> tuple[Path, dict[str, float] | None]:
    """``python -m helpers.synth --rows N --format parquet``, timed; an existing file is reused.

    Returns the Parquet file and the generation's wall and CPU seconds, peak resident memory (GiB)
    and rows per second (``None`` when the file was already there).
    """
    out = workdir / f"synth-{rows}"
    parquet = out / "patients.parquet"
    if parquet.exists():
        print(f"reusing {parquet}", flush=True)
        return parquet, None
    print(f"generating {rows:,} rows with helpers.synth (Parquet) ...", flush=True)
    command = [sys.executable, "-m", "helpers.synth", "--rows", str(rows), "--format", "parquet"]
    start = time.perf_counter()
    proc = subprocess.Popen([*command, "--out", str(out)])
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"helpers.synth failed with status {status}")
    stats = {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "peak_gib": usage.ru_maxrss / 1024**2,
        "rows_per_s": rows / wall,
    }
    print(
        f"generated in {wall:.1f} s wall, {stats['cpu']:.1f} s CPU ({stats['rows_per_s']:,.0f} rows/s), "
        f"peak {stats['peak_gib']:.2f} GiB",
        flush=True,
    )
    return parquet, stats


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
    result = json.loads(next(line for line in out.splitlines() if line.startswith("RESULT "))[7:])
    result.update(
        process_wall=time.perf_counter() - start,
        process_cpu=usage.ru_utime + usage.ru_stime,
        peak_gib=usage.ru_maxrss / 1024**2,
    )
    return result


def _commit() -> str:
    """The checked-out commit (short hash), or ``"unknown"`` outside a git checkout."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True,
            cwd=Path(__file__).resolve().parent,
        )  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--parquet", type=Path, help="an existing patients Parquet file (skips generation)")
    parser.add_argument("--workdir", type=Path, help="keep generated files here (default: a temp dir)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--memory-limit", default="3GB")
    parser.add_argument("--no-pandas", action="store_true", help="skip the pandas path (too big for memory)")
    parser.add_argument("--json", type=Path, help="also write every figure to this JSON file")
    args = parser.parse_args()

    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    load_start, commit = os.getloadavg(), _commit()  # the commit measured (others may commit meanwhile)
    print(f"{started}, commit {commit}, load average {load_start}", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-warehouse-") as tmp:
        generation = None
        if args.parquet:
            parquet = args.parquet
        else:
            parquet, generation = make_parquet(args.rows, args.workdir or Path(tmp))
        import pyarrow.parquet as pq

        meta = pq.read_metadata(parquet)
        print(f"{parquet}: {meta.num_rows:,} rows, {meta.num_row_groups} row groups, "
              f"{parquet.stat().st_size / 1024**2:,.0f} MiB", flush=True)  # fmt: skip
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
        load_end = os.getloadavg()
        print(f"{len(reference)} strata, counts equal in all variants; load average {load_end}")
        header = f"{'variant':<12}{'work s':>8}{'work CPU s':>12}{'process s':>11}{'process CPU s':>15}"
        print(f"{header}{'peak GiB':>10}{'÷ duckdb-sql (work s, CPU s)':>30}")
        base, base_cpu = best["duckdb-sql"]["seconds"], min(cpu["duckdb-sql"])
        for variant, r in best.items():
            print(
                f"{variant:<12}{r['seconds']:>8.2f}{r['work_cpu']:>12.2f}{r['process_wall']:>11.2f}"
                f"{r['process_cpu']:>15.2f}{peak[variant]:>10.2f}"
                f"{r['seconds'] / base:>20.2f}{min(cpu[variant]) / base_cpu:>10.2f}"
            )
        if args.json:
            figures = {
                variant: {
                    **{k: v for k, v in r.items() if k != "counts"},
                    "peak_gib": peak[variant],
                    "min_work_cpu": min(cpu[variant]),
                    "all_work_cpu": cpu[variant],
                    "ratio_wall": r["seconds"] / base,
                    "ratio_cpu": min(cpu[variant]) / base_cpu,
                }
                for variant, r in best.items()
            }
            record = {
                "started": started,
                "commit": commit,
                "load_start": load_start,
                "load_end": load_end,
                "rows": meta.num_rows,
                "row_groups": meta.num_row_groups,
                "parquet_bytes": parquet.stat().st_size,
                "strata": len(reference),
                "repeat": args.repeat,
                "generation": generation,
                "variants": figures,
            }
            args.json.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
