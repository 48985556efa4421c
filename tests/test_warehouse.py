"""helpers.warehouse: counting pushed down to DuckDB and a real PostgreSQL server equals the pandas path.

Every patient- or respondent-level and aggregated dataset of the workbook is written to Parquet and
CSV, opened lazily with DuckDB (the default backend) and loaded into a PostgreSQL server that a session
fixture starts from Debian's ``postgresql`` (``.ci/run`` installs it) in a temporary data directory on a
free localhost port, as an unprivileged user, and stops at the end. Without PostgreSQL installed those
tests skip, as the browser tests do without chromium. Spark tests are marked ``spark`` and skip when
pyspark is absent (see book/warehouse.md for the commands).
"""

from __future__ import annotations

import datetime as dt
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import ibis
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from helpers import measures, warehouse
from helpers.data import datasets_dir, load_dataset

DATASETS = datasets_dir()

# DuckDB 2.0 deprecates fetch_arrow_table(), which Ibis 12.0 still calls to read a schema or a result;
# harmless (the call works), and the only warning allowed here.
pytestmark = pytest.mark.filterwarnings(r"ignore:fetch_arrow_table\(\) is deprecated:DeprecationWarning")


def _patients() -> pd.DataFrame:
    """The workbook's patients, with missing group values planted in three columns (and a visit date)."""
    data = pd.read_csv(DATASETS / "patients.csv")
    rows = np.arange(len(data))
    data["race_ethnicity"] = data["race_ethnicity"].where(rows % 37 != 5, None)
    data["preferred_language"] = data["preferred_language"].where(rows % 101 != 7, None)
    data["payer"] = data["payer"].where(rows % 53 != 3, None)
    visit = pd.Timestamp("2022-01-01") + pd.to_timedelta((rows * 7919) % 1095, unit="D")
    data["visit_date"] = pd.Series(visit.date, dtype=object).where(rows % 97 != 11, None)
    return data


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each dataset as Parquet and CSV; patients with planted missing group values."""
    folder = tmp_path_factory.mktemp("warehouse-files")
    out = {}
    frames = {name: pd.read_csv(DATASETS / f"{name}.csv") for name in [*AGGREGATED_NAMES, "workforce_survey"]}
    frames["patients"] = _patients()
    for name, frame in frames.items():
        table = pa.Table.from_pandas(frame, preserve_index=False)
        pq.write_table(table, folder / f"{name}.parquet")
        frame.to_csv(folder / f"{name}.csv", index=False)
        out[name] = folder / name
    return out


@pytest.fixture(scope="module")
def duckdb_con() -> Iterator[ibis.BaseBackend]:
    con = ibis.duckdb.connect()
    yield con
    con.disconnect()


def _pandas_frame(files: dict[str, Path], name: str, kind: str) -> pd.DataFrame:
    path = files[name]
    return pd.read_parquet(f"{path}.parquet") if kind == "parquet" else pd.read_csv(f"{path}.csv")


def _duckdb_table(con: ibis.BaseBackend, files: dict[str, Path], name: str, kind: str) -> ibis.Table:
    path = f"{files[name]}.{kind}"
    return con.read_parquet(path) if kind == "parquet" else con.read_csv(path)


def assert_same(result: pd.DataFrame, expected: pd.DataFrame) -> None:
    """Exactly the pandas path's table: values, dtypes, order, suppression, attrs and exclusions."""
    pd.testing.assert_frame_equal(result, expected, check_exact=True)
    assert result.attrs == expected.attrs
    pd.testing.assert_frame_equal(measures.exclusions(result), measures.exclusions(expected))


# (outcome, by, options): several outcomes, one to three by columns, missing groups and outcomes.
PATIENT_CASES = [
    ("bp_controlled", "race_ethnicity", {"missing_outcome": "exclude"}),
    (
        "bp_controlled",
        ["race_ethnicity", "preferred_language"],
        {"missing_outcome": "exclude", "overall": True},
    ),
    (
        "bp_controlled",
        ["race_ethnicity", "preferred_language"],
        {"missing_outcome": "exclude", "missing": "exclude"},
    ),
    ("hba1c_controlled", ["payer", "sex", "age_group"], {"missing_outcome": "exclude", "method": "exact"}),
    ("crc_screened", ["race_ethnicity", "payer"], {"missing_outcome": "exclude", "min_cell": 0}),
    ("crc_screened", "interpreter_needed", {"missing_outcome": "exclude", "missing_label": "Not recorded"}),
    ("hypertension", ["deprivation_decile", "payer"], {"overall": True}),
    ("diabetes", ["race_ethnicity", "sex"], {"missing": "exclude", "level": 0.9}),
    ("hypertension", "clinic", {"protect_complement": False, "min_cell": 30}),
]


def _case_id(case: tuple) -> str:
    outcome, by, options = case
    return f"{outcome}-{'+'.join([by] if isinstance(by, str) else by)}-{'-'.join(map(str, options.values()))}"


@pytest.mark.parametrize("kind", ["parquet", "csv"])
@pytest.mark.parametrize("case", PATIENT_CASES, ids=_case_id)
def test_duckdb_equals_pandas_on_patients(files, duckdb_con, kind: str, case: tuple) -> None:
    outcome, by, options = case
    expected = measures.stratified_rates(_pandas_frame(files, "patients", kind), outcome, by, **options)
    table = _duckdb_table(duckdb_con, files, "patients", kind)
    result = warehouse.stratified_rates(table, outcome, by, **options)
    assert_same(result, expected)


def test_patients_case_list_covers_missing_groups_and_outcomes(files) -> None:
    """The cases above really exercise exclusions of every kind (or equality would prove little)."""
    actions = set()
    for outcome, by, options in PATIENT_CASES:
        table = measures.stratified_rates(_pandas_frame(files, "patients", "parquet"), outcome, by, **options)
        actions |= {
            (a.split(" ")[0], "outcome" in r)
            for a, r in measures.exclusions(table)[["action", "reason"]].to_numpy()
        }
        assert not table.empty
    assert actions == {("counted", False), ("excluded", False), ("excluded", True)}


WORKFORCE_CASES = [
    ("burned_out", ["role", "race_ethnicity"], {}),
    ("intent_to_leave", ["wave", "gender"], {"overall": True}),
    (
        "experienced_discrimination",
        "race_ethnicity",
        {"method": "clopper-pearson", "missing_outcome": "exclude"},
    ),
]


@pytest.mark.parametrize("case", WORKFORCE_CASES, ids=_case_id)
def test_duckdb_equals_pandas_on_workforce_survey(files, duckdb_con, case: tuple) -> None:
    outcome, by, options = case
    expected = measures.stratified_rates(
        _pandas_frame(files, "workforce_survey", "parquet"), outcome, by, **options
    )
    result = warehouse.stratified_rates(
        _duckdb_table(duckdb_con, files, "workforce_survey", "parquet"), outcome, by, **options
    )
    assert_same(result, expected)


AGGREGATED_NAMES = ["cancer_screening", "hypertension_monthly", "sdoh_screening", "hai"]
AGGREGATED_CASES = [
    ("cancer_screening", "screened", "eligible", ["race_ethnicity", "payer"], {"overall": True}),
    ("cancer_screening", "screened", "eligible", ["age_group"], {}),
    ("hypertension_monthly", "numerator", "denominator", ["race_ethnicity", "language"], {}),
    ("hypertension_monthly", "numerator", "denominator", ["clinic"], {"method": "exact"}),
    ("sdoh_screening", "screened", "eligible", ["neighbourhood", "race_ethnicity"], {}),
    ("sdoh_screening", "any_need", "screened", ["deprivation_decile"], {}),
    ("hai", "infections", "patient_days", ["unit", "race_ethnicity"], {"min_cell": 0}),
]


@pytest.mark.parametrize("case", AGGREGATED_CASES, ids=lambda c: f"{c[0]}-{'+'.join(c[3])}")
def test_duckdb_equals_pandas_on_aggregated_datasets(files, duckdb_con, case: tuple) -> None:
    name, outcome, denominator, by, options = case
    expected = measures.stratified_rates(
        _pandas_frame(files, name, "parquet"), outcome, by, denominator=denominator, **options
    )
    table = _duckdb_table(duckdb_con, files, name, "parquet")
    result = warehouse.stratified_rates(table, outcome, by, denominator=denominator, **options)
    assert_same(result, expected)


def test_aggregated_missing_groups_are_recorded_as_in_pandas(duckdb_con) -> None:
    frame = pd.DataFrame(
        {
            "race": ["A", None, "B", None, "A"],
            "month": ["Jan", "Jan", "Jan", "Feb", "Feb"],
            "screened": [5, 3, 4, 0, 2],
            "eligible": [20, 9, 15, 4, 8],
        }
    )
    table = duckdb_con.create_table("aggregated_missing", pa.Table.from_pandas(frame), overwrite=True)
    for missing in ("stratum", "exclude"):
        expected = measures.stratified_rates(
            frame, "screened", "race", denominator="eligible", missing=missing
        )
        result = warehouse.stratified_rates(
            table, "screened", "race", denominator="eligible", missing=missing
        )
        assert_same(result, expected)


def test_aggregated_rows_repeating_a_cell_are_refused(duckdb_con) -> None:
    frame = pa.table({"race": ["A", "A", "B"], "screened": [1, 2, 3], "eligible": [5, 5, 5]})
    table = duckdb_con.create_table("aggregated_repeats", frame, overwrite=True)
    with pytest.raises(ValueError, match=r"1 row\(s\) of the table repeat a cell of 'race'"):
        warehouse.stratified_rates(table, "screened", "race", denominator="eligible")


def test_categories_keep_the_data_dictionary_order(files, duckdb_con) -> None:
    """load_dataset gives categorical columns; passing their categories gives the same table."""
    frame = load_dataset("patients")
    by = ["race_ethnicity", "preferred_language"]
    expected = measures.stratified_rates(frame, "bp_controlled", by, missing_outcome="exclude", overall=True)
    table = duckdb_con.read_csv(str(DATASETS / "patients.csv"))
    categories = {col: list(frame[col].cat.categories) for col in by}
    result = warehouse.stratified_rates(
        table, "bp_controlled", by, missing_outcome="exclude", overall=True, categories=categories
    )
    assert_same(result, expected)
    assert list(result["race_ethnicity"].cat.categories)[:2] == categories["race_ethnicity"][:2]


def test_gaps_and_summary_run_on_the_warehouse_table(files, duckdb_con) -> None:
    from helpers import disparities

    frame = _pandas_frame(files, "patients", "parquet")
    table = _duckdb_table(duckdb_con, files, "patients", "parquet")
    expected = measures.stratified_rates(frame, "bp_controlled", "race_ethnicity", missing_outcome="exclude")
    result = warehouse.stratified_rates(table, "bp_controlled", "race_ethnicity", missing_outcome="exclude")
    pd.testing.assert_frame_equal(
        disparities.gaps(result, reference="White"), disparities.gaps(expected, reference="White")
    )


def test_one_group_by_is_sent_and_only_strata_come_back(files, duckdb_con) -> None:
    table = _duckdb_table(duckdb_con, files, "patients", "parquet")
    by = ["race_ethnicity", "payer", "sex"]
    sql = warehouse.strata_sql(table, "bp_controlled", by)
    assert sql.count("GROUP BY") == 1 and sql.count("SELECT") == 1
    assert "patient_id" not in sql
    counts = warehouse.count_strata(table, "bp_controlled", by, missing_outcome="exclude")
    assert len(counts) <= 8 * 6 * 2 * 2 and len(counts) < 200
    assert int(counts["_rows"].sum()) == 40_000
    postgres_sql = warehouse.strata_sql(table, "bp_controlled", by, dialect="postgres")
    assert 'COUNT(*) - COUNT("t0"."bp_controlled")' in postgres_sql and "ISNAN" not in sql
    nan_aware = ibis.to_sql(
        warehouse.strata_query(table, "bp_controlled", by, nan_aware=True), dialect="postgres"
    )
    assert "CAST('NaN' AS DOUBLE PRECISION)" in str(nan_aware)


# ---------------------------------------------------------------------------------------------
# Monthly counts


def _pandas_monthly(
    frame: pd.DataFrame, outcome: str, by: list[str], date: str, denominator=None
) -> pd.DataFrame:
    frame = frame[frame[date].notna() & frame[outcome].notna()].copy()
    frame["month"] = pd.to_datetime(frame[date]).dt.to_period("M").dt.to_timestamp().astype("datetime64[ns]")
    for col in by:
        frame[col] = frame[col].astype(object).where(frame[col].notna(), "Unknown")
    if denominator is None:
        grouped = frame.groupby(["month", *by])[outcome].agg(numerator="sum", denominator="size")
    else:
        grouped = frame.groupby(["month", *by])[[outcome, denominator]].sum()
        grouped.columns = ["numerator", "denominator"]
    out = grouped.reset_index()
    out["rate"] = out["numerator"] / out["denominator"]
    return out


def test_monthly_counts_patient_level_equals_pandas(files, duckdb_con) -> None:
    frame = _pandas_frame(files, "patients", "parquet")
    table = _duckdb_table(duckdb_con, files, "patients", "parquet")
    by = ["race_ethnicity"]
    result = warehouse.monthly_counts(table, "bp_controlled", by, "visit_date", missing_outcome="exclude")
    expected = _pandas_monthly(frame, "bp_controlled", by, "visit_date")
    pd.testing.assert_frame_equal(
        result.reset_index(drop=True), expected, check_dtype=False, check_exact=True
    )
    assert len(result["month"].unique()) == 36
    notes = {r["reason"]: r["rows"] for r in result.attrs["exclusions"]}
    assert notes["missing date 'visit_date'"] == int(frame["visit_date"].isna().sum())
    dated = frame["visit_date"].notna()
    assert notes["missing outcome 'bp_controlled'"] == int((dated & frame["bp_controlled"].isna()).sum())


def test_monthly_counts_aggregated_equals_pandas(files, duckdb_con) -> None:
    frame = _pandas_frame(files, "hypertension_monthly", "csv")
    table = _duckdb_table(duckdb_con, files, "hypertension_monthly", "csv")
    result = warehouse.monthly_counts(
        table, "numerator", ["race_ethnicity"], "month", denominator="denominator"
    )
    expected = _pandas_monthly(frame, "numerator", ["race_ethnicity"], "month", denominator="denominator")
    pd.testing.assert_frame_equal(
        result.reset_index(drop=True), expected, check_dtype=False, check_exact=True
    )
    assert result.attrs["exclusions"] == []


def test_monthly_counts_feed_gap_series(files, duckdb_con) -> None:
    from helpers.runcharts import gap_series

    table = _duckdb_table(duckdb_con, files, "hypertension_monthly", "parquet")
    counts = warehouse.monthly_counts(
        table, "numerator", "race_ethnicity", "month", denominator="denominator"
    )
    series = gap_series(counts, group="race_ethnicity", time="month", focus="Black", reference="White")
    assert len(series) == 36


# ---------------------------------------------------------------------------------------------
# Errors: the same clear messages as the pandas path, raised before anything large is read


@pytest.fixture
def small_table(duckdb_con) -> ibis.Table:
    frame = pa.table(
        {
            "race": ["A", "B", "A", None],
            "score": [1, 2, 0, 1],
            "flag": ["yes", "no", "yes", "no"],
            "outcome": [1.0, None, 0.0, 1.0],
            "visit": [dt.date(2024, 1, 1)] * 4,
        }
    )
    return duckdb_con.create_table("small", frame, overwrite=True)


def test_nan_outcomes_count_as_missing_as_in_pandas(duckdb_con) -> None:
    """NaN (not NULL) in a float outcome: the NaN-aware query is sent and pandas' counts come back."""
    race = ["A"] * 30 + ["B"] * 30 + [None] * 15
    outcome = ([1.0, 0.0, float("nan")] * 25)[: len(race)]
    frame = pd.DataFrame({"race": race, "outcome": outcome})
    arrow = pa.table({"race": race, "outcome": pa.array(outcome, from_pandas=False)})
    table = duckdb_con.create_table("nan_outcomes", arrow, overwrite=True)
    assert int(table.outcome.isnan().sum().to_pyarrow().as_py()) == 25  # really NaN, not NULL
    for missing in ("stratum", "exclude"):
        expected = measures.stratified_rates(
            frame, "outcome", "race", missing_outcome="exclude", missing=missing
        )
        result = warehouse.stratified_rates(
            table, "outcome", "race", missing_outcome="exclude", missing=missing
        )
        assert_same(result, expected)


def test_fractional_outcome_is_refused(duckdb_con) -> None:
    table = duckdb_con.create_table(
        "fractional", pa.table({"race": ["A", "A", "B"], "outcome": [1.0, 0.5, 0.0]}), overwrite=True
    )
    with pytest.raises(
        ValueError, match=r"must be 0/1 or True/False, but has 1 row\(s\) with other values, like 0.5"
    ):
        warehouse.stratified_rates(table, "outcome", "race")


def test_unknown_column_suggests_the_closest_name(small_table) -> None:
    with pytest.raises(KeyError, match=r"column 'rac' not found in table.*did you mean 'race'"):
        warehouse.stratified_rates(small_table, "outcome", "rac", missing_outcome="exclude")


def test_outcome_that_is_not_zero_one_is_refused(small_table) -> None:
    with pytest.raises(
        ValueError, match=r"'score' in the table must be 0/1.*1 row\(s\) with other values, like 2"
    ):
        warehouse.stratified_rates(small_table, "score", "race")
    with pytest.raises(
        ValueError, match=r"'flag' in the table must be 0/1 or True/False, but has type string"
    ):
        warehouse.stratified_rates(small_table, "flag", "race")


def test_an_integer_outcome_is_range_checked_once_not_per_stratum(duckdb_con) -> None:
    # benchmarks/results.md: a MIN/MAX per stratum cost 1.28 x the bare GROUP BY at 100 M rows, so
    # count_strata checks an integer outcome's range in one whole-table query and then counts
    # without it; the public strata_query keeps its per-stratum check unless told otherwise.
    frame = pa.table({"race": ["A", "B", "A", None], "outcome": pa.array([1, 0, None, 1], pa.int8())})
    table = duckdb_con.create_table("integer_outcome", frame, overwrite=True)
    per_stratum = warehouse.strata_sql(table, "outcome", "race", dialect="duckdb")
    checked_once = str(
        ibis.to_sql(warehouse.strata_query(table, "outcome", "race", range_checked=True), dialect="duckdb")
    )
    assert "MIN(" in per_stratum and "MAX(" in per_stratum
    assert "MIN(" not in checked_once and "MAX(" not in checked_once
    counts = warehouse.count_strata(table, "outcome", "race", missing_outcome="exclude")
    by_race = counts.set_index(counts["race"].fillna("missing"))
    assert by_race.loc["A", ["numerator", "denominator", "_missing_outcome"]].tolist() == [1, 1, 1]
    assert by_race.loc["missing", ["numerator", "denominator"]].tolist() == [1, 1]


def test_missing_outcomes_raise_unless_excluded(small_table) -> None:
    with pytest.raises(ValueError, match=r"has 1 missing value\(s\).*missing_outcome='exclude'"):
        warehouse.stratified_rates(small_table, "outcome", "race")
    rates = warehouse.stratified_rates(small_table, "outcome", "race", missing_outcome="exclude", min_cell=0)
    assert measures.exclusions(rates)["reason"].tolist() == [
        "missing value in 'race'",
        "missing outcome 'outcome'",
    ]


def test_everything_excluded_says_so(small_table) -> None:
    only_missing = small_table.filter(small_table.race.isnull())  # noqa: PD003
    with pytest.raises(ValueError, match=r"no rows left to count: all 1 rows were excluded"):
        warehouse.stratified_rates(only_missing, "outcome", "race", missing="exclude")


def test_empty_table_and_bad_counts(small_table) -> None:
    with pytest.raises(ValueError, match="table has no rows"):
        warehouse.count_strata(small_table.filter(small_table.score > 5), "outcome", "race")
    with pytest.raises(ValueError, match=r"1 row\(s\) of the table .* 'score' greater than 'outcome'"):
        warehouse.count_strata(small_table, "score", "race", denominator="outcome")


def test_a_dataframe_is_not_a_table_expression() -> None:
    frame = pd.DataFrame({"race": ["A"], "outcome": [1]})
    assert not warehouse.is_table_expression(frame)
    with pytest.raises(TypeError, match="must be an Ibis table expression, got DataFrame"):
        warehouse.stratified_rates(frame, "outcome", "race")


def test_group_column_named_like_an_output_column_is_refused(small_table) -> None:
    renamed = small_table.rename(numerator="race")
    with pytest.raises(ValueError, match="has the name of an output column"):
        warehouse.count_strata(renamed, "outcome", "numerator")


def test_monthly_counts_refuse_a_non_date(small_table) -> None:
    with pytest.raises(ValueError, match="date column 'score' must hold dates"):
        warehouse.monthly_counts(small_table, "outcome", "race", "score")


# ---------------------------------------------------------------------------------------------
# A real PostgreSQL server


def _postgres_bindir() -> str | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return os.path.dirname(found[-1])
    initdb = shutil.which("initdb")
    return os.path.dirname(initdb) if initdb else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A throwaway PostgreSQL server: initdb in a temporary folder, started on a free port, stopped after."""
    bindir = _postgres_bindir()
    if bindir is None:
        pytest.skip("PostgreSQL is not installed (.ci/run installs it: apt-get install postgresql)")
    base = Path(tempfile.mkdtemp(prefix="pe-postgres-"))
    data, sockets, log = base / "data", base / "sockets", base / "server.log"
    sockets.mkdir()
    as_user: list[str] = []
    if os.geteuid() == 0:  # the server refuses to run as root: run it as Debian's unprivileged 'postgres'
        as_user = ["runuser", "-u", "postgres", "--"]
        for path in (base, sockets):
            shutil.chown(path, "postgres")
    port = _free_port()

    def run(*args: str) -> None:
        done = subprocess.run(as_user + list(args), capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, f"{args[0]} failed:\n{done.stdout}\n{done.stderr}"

    run(f"{bindir}/initdb", "-D", str(data), "-U", "workbook", "--auth=trust", "-E", "UTF8", "--no-sync")
    options = f"-p {port} -k {sockets} -h 127.0.0.1 -F"
    run(f"{bindir}/pg_ctl", "-D", str(data), "-l", str(log), "-w", "-o", options, "start")
    try:
        yield f"postgres://workbook@127.0.0.1:{port}/postgres"
    finally:
        run(f"{bindir}/pg_ctl", "-D", str(data), "-w", "-m", "fast", "stop")
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="module")
def postgres_con(postgres_url: str, files) -> Iterator[ibis.BaseBackend]:
    con = ibis.connect(postgres_url)
    for name in ("patients", "cancer_screening", "hypertension_monthly"):
        frame = pd.read_parquet(f"{files[name]}.parquet")
        if name == "patients":
            frame["visit_date"] = pd.to_datetime(frame["visit_date"]).dt.date.astype(object)
        con.create_table(name, pa.Table.from_pandas(frame, preserve_index=False), overwrite=True)
    yield con
    con.disconnect()


@pytest.mark.parametrize("case", PATIENT_CASES, ids=_case_id)
def test_postgres_equals_pandas_on_patients(files, postgres_con, case: tuple) -> None:
    outcome, by, options = case
    expected = measures.stratified_rates(_pandas_frame(files, "patients", "parquet"), outcome, by, **options)
    result = warehouse.stratified_rates(postgres_con.table("patients"), outcome, by, **options)
    assert_same(result, expected)


@pytest.mark.parametrize("case", AGGREGATED_CASES[:4], ids=lambda c: f"{c[0]}-{'+'.join(c[3])}")
def test_postgres_equals_pandas_on_aggregated_datasets(files, postgres_con, case: tuple) -> None:
    name, outcome, denominator, by, options = case
    expected = measures.stratified_rates(
        _pandas_frame(files, name, "parquet"), outcome, by, denominator=denominator, **options
    )
    result = warehouse.stratified_rates(
        postgres_con.table(name), outcome, by, denominator=denominator, **options
    )
    assert_same(result, expected)


def test_postgres_monthly_counts_equal_duckdb(files, duckdb_con, postgres_con) -> None:
    args = ("bp_controlled", ["race_ethnicity", "payer"], "visit_date")
    on_postgres = warehouse.monthly_counts(postgres_con.table("patients"), *args, missing_outcome="exclude")
    on_duckdb = warehouse.monthly_counts(
        _duckdb_table(duckdb_con, files, "patients", "parquet"), *args, missing_outcome="exclude"
    )
    pd.testing.assert_frame_equal(on_postgres, on_duckdb, check_dtype=False, check_exact=True)
    assert on_postgres.attrs == on_duckdb.attrs


# ---------------------------------------------------------------------------------------------
# Spark (optional: pip install pyspark and a Java runtime; see book/warehouse.md)


@pytest.mark.spark
def test_spark_equals_pandas_on_patients(files) -> None:
    pyspark_sql = pytest.importorskip(
        "pyspark.sql", reason="pyspark is not installed (optional; book/warehouse.md)"
    )
    session = pyspark_sql.SparkSession.builder.master("local[2]").appName("workbook-tests").getOrCreate()
    try:
        con = ibis.pyspark.connect(session)
        table = con.read_parquet(f"{files['patients']}.parquet")
        for outcome, by, options in PATIENT_CASES[:3]:
            expected = measures.stratified_rates(
                _pandas_frame(files, "patients", "parquet"), outcome, by, **options
            )
            assert_same(warehouse.stratified_rates(table, outcome, by, **options), expected)
    finally:
        session.stop()


# ---------------------------------------------------------------------------------------------
# The book page shows the SQL that is really sent


def test_book_page_shows_the_current_sql() -> None:
    page = (Path(__file__).parents[1] / "book" / "warehouse.md").read_text(encoding="utf-8")
    shown = page.split("```sql\n", 1)[1].split("```", 1)[0].strip()
    schema = {"race_ethnicity": "string", "preferred_language": "string", "bp_controlled": "float64"}
    table = ibis.table(schema, name="patients")
    by = ["race_ethnicity", "preferred_language"]
    assert shown == warehouse.strata_sql(table, "bp_controlled", by, dialect="duckdb").strip()


def test_measures_stratified_rates_counts_inside_the_database_when_given_a_table(tmp_path) -> None:
    # The public entry point dispatches: an Ibis table is counted by one GROUP BY in the database, and
    # the result equals the pandas path on the same rows (issue #18, item 1).
    import ibis

    from helpers import measures

    frame = pd.DataFrame(
        {
            "group": ["A"] * 30 + ["B"] * 25 + [None] * 12,
            "outcome": [1, 0, 1] * 10 + [0, 1, None, 1, 0] * 5 + [1] * 12,
        }
    )
    frame.to_parquet(tmp_path / "visits.parquet")
    table = ibis.duckdb.connect().read_parquet(tmp_path / "visits.parquet")
    in_database = measures.stratified_rates(table, "outcome", "group", missing_outcome="exclude", min_cell=5)
    in_pandas = measures.stratified_rates(frame, "outcome", "group", missing_outcome="exclude", min_cell=5)
    pd.testing.assert_frame_equal(
        in_database.reset_index(drop=True), in_pandas.reset_index(drop=True), check_dtype=False
    )
    assert measures.exclusions(in_database).to_dict("records") == measures.exclusions(in_pandas).to_dict(
        "records"
    )


# ---------------------------------------------------------------------------------------------
# python -m helpers report on a database (issue #18, item 3): the same report as on a file


def _report_tables(path: Path) -> dict[str, object]:
    """What a report shows, minus what says where it was read from: every table, alt text and count."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    tables = {}
    for table in soup.find_all("table"):
        rows = [[c.get_text() for c in r.find_all(["td", "th"])] for r in table.find_all("tr")]
        caption = table.caption.get_text()
        if caption.startswith("Rows set aside"):  # a file also lists first lines; a database has none
            rows = sorted(tuple(r[:2]) for r in rows[1:])
        tables[caption] = rows
    paragraphs = [p.get_text() for p in soup.find_all("p")]
    return {
        "tables": tables,
        "alt": [img["alt"] for img in soup.find_all("img")],
        "captions": [f.figcaption.get_text(" ", strip=True) for f in soup.find_all("figure")],
        "used": next(p for p in paragraphs if "rows are used" in p),
        "notes": [p for p in paragraphs if "no run chart" in p],
        "dates": [li.get_text() for li in soup.find_all("li") if li.get_text().startswith("Dates read as")],
    }


def _messy_visits() -> pd.DataFrame:
    """The patients as a team's export: text outcome (Yes/no/blank, a few 'maybe'), local race codes,
    dates as ISO or US text with a few impossible ones; a patient_id so that no line of the CSV is blank."""
    data = _patients()
    rows = np.arange(len(data))
    outcome = data["bp_controlled"].map({1.0: "Yes", 0.0: "no"}).fillna("")
    outcome = outcome.where(rows % 211 != 3, "maybe")
    race = data["race_ethnicity"].replace({"White": "2106-3", "Black": "2054-5"})
    dates = pd.to_datetime(data["visit_date"])
    text = dates.dt.strftime("%Y-%m-%d").where(rows % 3 != 0, dates.dt.strftime("%m/%d/%Y"))
    text = text.where(dates.notna(), "").where(rows % 331 != 9, "2023-02-30")
    return pd.DataFrame(
        {
            "patient_id": data["patient_id"].astype(str),
            "race_ethnicity": race,
            "preferred_language": data["preferred_language"],
            "bp_controlled": outcome,
            "visit_date": text,
        }
    )


MAPPING_YAML = 'values:\n  race_ethnicity: {"2106-3": White, "2054-5": Black}\n'
REPORT_ARGS = ["--outcome", "bp_controlled", "--by", "race_ethnicity", "--by", "preferred_language",
               "--reference", "White", "--date", "visit_date", "--quiet"]  # fmt: skip


def _file_report(tmp_path: Path, frame: pd.DataFrame, *extra: str) -> dict[str, object]:
    from helpers.report import main

    frame.to_csv(tmp_path / "visits.csv", index=False)
    out = tmp_path / "from_file.html"
    assert main([str(tmp_path / "visits.csv"), *REPORT_ARGS, *extra, "--out", str(out)]) == 0
    return _report_tables(out)


def _database_report(tmp_path: Path, url: str, *extra: str) -> dict[str, object]:
    from helpers.report import main

    out = tmp_path / "from_database.html"
    assert main([url, *REPORT_ARGS, *extra, "--out", str(out)]) == 0
    return _report_tables(out)


@pytest.fixture(scope="module")
def duckdb_visits(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The messy visits as a table of a DuckDB file (text columns, as a staging table would hold them)."""
    path = tmp_path_factory.mktemp("duckdb-report") / "ehr.duckdb"
    con = ibis.duckdb.connect(str(path))
    con.create_table("visits", pa.Table.from_pandas(_messy_visits(), preserve_index=False))
    con.disconnect()
    return f"duckdb:///{path}"


def test_report_on_a_duckdb_table_equals_the_report_on_the_same_rows_as_a_file(
    tmp_path, duckdb_visits
) -> None:
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(MAPPING_YAML, encoding="utf-8")
    from_file = _file_report(tmp_path, _messy_visits(), "--map", str(mapping))
    from_database = _database_report(tmp_path, duckdb_visits, "--table", "visits", "--map", str(mapping))
    assert from_database == from_file
    # The comparison is not empty: rates, gaps, set-aside reasons, run charts and the gap over time.
    assert len(from_file["tables"]) >= 8 and len(from_file["alt"]) >= 6
    reasons = dict(from_file["tables"]["Rows set aside, by reason"])
    assert {"outcome missing", "date missing", "outcome '…' is not 1/0, yes/no or true/false"} <= set(reasons)
    assert any(c.startswith("Gap over time:") for c in from_file["captions"])
    assert "US (month/day/year)" in from_file["dates"][0]


def test_report_on_a_sql_query_counts_only_what_the_query_returns(tmp_path, duckdb_visits) -> None:
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(MAPPING_YAML, encoding="utf-8")
    visits = _messy_visits()
    subset = visits[visits["preferred_language"] != "Spanish"]
    from_file = _file_report(tmp_path, subset, "--map", str(mapping))
    query = "SELECT * FROM visits WHERE preferred_language IS DISTINCT FROM 'Spanish'"
    from_database = _database_report(tmp_path, duckdb_visits, "--sql", query, "--map", str(mapping))
    assert from_database == from_file


def test_a_boolean_group_column_is_named_as_a_file_export_names_it(tmp_path) -> None:
    # SQL casts a boolean to 'true'/'false'; a CSV of the same table holds True/False: the report
    # must name the groups (and count the missing ones) the same way on both paths.
    visits = _messy_visits()
    interpreter = (visits["preferred_language"] != "English").astype(object)
    visits["interpreter_needed"] = interpreter.where(np.arange(len(visits)) % 97 != 5, None)
    path = tmp_path / "typed.duckdb"
    con = ibis.duckdb.connect(str(path))
    con.create_table("visits", pa.Table.from_pandas(visits, preserve_index=False))
    assert con.table("visits").interpreter_needed.type().is_boolean()
    con.disconnect()
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(MAPPING_YAML, encoding="utf-8")
    extra = ("--by", "interpreter_needed", "--map", str(mapping))
    from_file = _file_report(tmp_path, visits, *extra)
    from_database = _database_report(tmp_path, f"duckdb:///{path}", "--table", "visits", *extra)
    assert from_database == from_file
    groups = {
        row[0] for caption, rows in from_file["tables"].items() if "interpreter" in caption for row in rows
    }
    assert {"True", "False"} <= groups and not {"true", "false"} & groups


def test_report_on_postgres_equals_the_report_on_the_same_rows_as_a_file(tmp_path, postgres_url) -> None:
    # Typed columns this time, as a warehouse holds them: a float outcome with NULLs, a DATE column.
    data = _patients()[["patient_id", "race_ethnicity", "preferred_language", "bp_controlled", "visit_date"]]
    con = ibis.connect(postgres_url)
    try:
        typed = data.assign(visit_date=pd.to_datetime(data["visit_date"]).dt.date.astype(object))
        con.create_table("report_visits", pa.Table.from_pandas(typed, preserve_index=False), overwrite=True)
    finally:
        con.disconnect()
    from_file = _file_report(tmp_path, data)
    from_table = _database_report(tmp_path, postgres_url, "--table", "report_visits")
    assert from_table == {**from_file, "dates": []}  # a DATE column needs no reading of formats
    from_sql = _database_report(tmp_path, postgres_url, "--sql", "SELECT * FROM report_visits")
    assert from_sql == from_table
    assert any(c.startswith("Monthly BP controlled:") for c in from_file["captions"])


def test_only_counts_leave_the_database(tmp_path, duckdb_visits, monkeypatch) -> None:
    # Every result fetched from the database is a small table of counts, never the rows.
    from helpers.report import main

    fetched: list[pd.DataFrame] = []
    real = warehouse._fetch

    def spy(expr):
        result = real(expr)
        fetched.append(result)
        return result

    monkeypatch.setattr(warehouse, "_fetch", spy)
    out, mapping = tmp_path / "r.html", tmp_path / "mapping.yaml"
    mapping.write_text(MAPPING_YAML, encoding="utf-8")
    assert (
        main([duckdb_visits, "--table", "visits", *REPORT_ARGS, "--map", str(mapping), "--out", str(out)])
        == 0
    )
    n_rows = len(_messy_visits())
    assert len(fetched) >= 5
    assert max(len(f) for f in fetched) < n_rows / 20
    for frame in fetched:
        assert "patient_id" not in frame.columns and "visit_date" not in frame.columns
        counted = {"rows", "numerator", "denominator", "_all", "n", "low", "high"}
        assert counted & set(frame.columns), list(frame.columns)


@pytest.mark.parametrize(
    ("target", "extra", "words"),
    [
        ("foo://somewhere/db", ["--table", "visits"], "cannot connect to the database"),
        ("duckdb:///no/such/ehr.duckdb", ["--table", "visits"], "no DuckDB database file at /no/such/"),
        ("DUCKDB", ["--table", "visit"], "has no table 'visit' (did you mean 'visits'?)"),
        ("DUCKDB", ["--sql", "SELEC * FROM visits"], "the query given with --sql cannot be run"),
        ("DUCKDB", [], "a database needs --table NAME or --sql QUERY"),
        ("DUCKDB", ["--table", "visits", "--sheet", "2"], "--sheet: 1 problem found"),
        ("FILE", ["--table", "visits"], "--table and --sql apply to a database URL only"),
    ],
)
def test_bad_database_input_exits_2_with_the_problem_and_no_traceback(
    tmp_path, capsys, duckdb_visits, target, extra, words
) -> None:
    from helpers.report import main

    source = {"DUCKDB": duckdb_visits, "FILE": str(DATASETS / "patients.csv")}.get(target, target)
    out = tmp_path / "r.html"
    code = main([source, "--outcome", "bp_controlled", "--by", "race_ethnicity", *extra, "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert words in err and "Fix:" in err and "Traceback" not in err
    assert not out.exists()


def test_missing_and_mistyped_columns_are_all_listed_at_once(tmp_path, capsys, duckdb_visits) -> None:
    from helpers.report import main

    args = [duckdb_visits, "--table", "visits", "--outcome", "bp_control", "--by", "race", "--by", "payer"]
    assert main([*args, "--out", str(tmp_path / "r.html")]) == 2
    err = capsys.readouterr().err
    assert "3 problems found" in err
    assert "--outcome 'bp_control' is not a column of the table (did you mean 'bp_controlled'?)" in err
    assert "--by 'race' is not a column of the table" in err and "--by 'payer'" in err
    args = [duckdb_visits, "--sql", "SELECT 1.5 AS x, DATE '2024-01-01' AS bp, 'A' AS g"]
    args += ["--outcome", "bp", "--by", "g", "--date", "x"]
    assert main([*args, "--out", str(tmp_path / "r.html")]) == 2
    err = capsys.readouterr().err
    assert "--outcome 'bp' has type date in the table" in err and "--date 'x' has type" in err


def test_a_password_in_the_url_is_never_shown(tmp_path, capsys) -> None:
    from helpers.report import main, redact_url

    url = "postgresql://analyst:s3cret-pw@127.0.0.1:1/ehr"  # port 1: the connection is refused at once
    args = [url, "--table", "visits", "--outcome", "bp", "--by", "race"]
    code = main([*args, "--out", str(tmp_path / "r.html")])
    err = capsys.readouterr().err
    assert code == 2 and "s3cret-pw" not in err and "postgresql://analyst:***@127.0.0.1:1/ehr" in err
    assert redact_url("duckdb:///a/b.duckdb") == "duckdb:///a/b.duckdb"


def test_strict_refuses_invalid_outcomes_with_a_value_and_a_count(tmp_path, capsys, duckdb_visits) -> None:
    from helpers.report import main

    args = [duckdb_visits, "--table", "visits", "--outcome", "bp_controlled", "--by", "race_ethnicity"]
    assert main([*args, "--strict", "--out", str(tmp_path / "r.html")]) == 2
    n_maybe = int((_messy_visits()["bp_controlled"] == "maybe").sum())
    err = capsys.readouterr().err
    what = "is not a valid outcome (1/0, yes/no, true/false)"
    assert f"column 'bp_controlled': 'maybe' {what} ({n_maybe} rows)" in err


def test_help_documents_the_database_options_with_an_example(capsys) -> None:
    from helpers.report import main

    assert main(["--help"]) == 0
    text = capsys.readouterr().out
    for words in ("--table NAME", "--sql QUERY", "postgresql://", "duckdb:///data/ehr.duckdb --table visits",
                  "only counts per group and month leave it"):  # fmt: skip
        assert words in text, words
