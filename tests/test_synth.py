"""helpers.synth: reproducible, byte-identical datasets that look like a real health system's."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import synth
from helpers.data import combine_race_ethnicity, load_dataset
from helpers.synth._rng import (
    calibrate_log,
    calibrate_logit,
    draw_categorical,
    draw_coded,
    expit,
    weighted_group_mean,
)

COMMITTED = Path(__file__).resolve().parents[1] / "datasets"


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("regenerated")
    synth.write_datasets(out)
    return out


@pytest.fixture(scope="module")
def patients() -> pd.DataFrame:
    return load_dataset("patients")


# --- Reproducibility -------------------------------------------------------------------------------


def test_committed_files_are_exactly_what_the_generator_makes(regenerated: Path) -> None:
    names = sorted(p.name for p in regenerated.iterdir())
    assert names == sorted([f"{n}.csv" for n in synth.DATASET_NAMES] + ["datapackage.json"])
    for name in names:
        assert (COMMITTED / name).read_bytes() == (regenerated / name).read_bytes(), (
            f"datasets/{name} differs from what `python -m helpers.synth --out datasets/` makes; "
            "regenerate and commit it"
        )


def test_a_second_run_is_byte_identical(regenerated: Path, tmp_path: Path) -> None:
    synth.write_datasets(tmp_path)
    for path in regenerated.iterdir():
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


def test_csv_conventions(regenerated: Path) -> None:
    for path in regenerated.glob("*.csv"):
        blob = path.read_bytes()
        assert b"\r" not in blob and blob.endswith(b"\n"), path.name
        blob.decode("ascii")  # plain ASCII: opens the same in every spreadsheet program


def test_datasets_use_independent_random_streams() -> None:
    alone = synth.generate(["hai"]).frames["hai"]
    together = synth.generate().frames["hai"]
    pd.testing.assert_frame_equal(alone, together)


def test_another_seed_gives_other_data_with_the_same_planted_targets() -> None:
    a = synth.generate(["hypertension_monthly"]).frames["hypertension_monthly"]
    other = synth.generate(["hypertension_monthly"], seed=7)
    assert not a.equals(other.frames["hypertension_monthly"])
    exact = other.planted.query("gap_id == 'H1' and group in ['White', 'Black']").set_index("group")[
        "expected"
    ]
    assert exact.round(10).to_dict() == {"Black": 0.54, "White": 0.64}


def test_generated_frames_equal_what_load_dataset_returns() -> None:
    generated = synth.generate().frames
    for name in synth.DATASET_NAMES:
        pd.testing.assert_frame_equal(load_dataset(name), generated[name], check_exact=True, obj=name)


# --- Sizes -----------------------------------------------------------------------------------------


def test_sizes(patients: pd.DataFrame) -> None:
    assert 20_000 <= len(patients) <= 50_000
    for name in ("hypertension_monthly", "hai"):
        months = load_dataset(name)["month"].drop_duplicates().sort_values()
        assert len(months) == 36, name
        assert (months.diff().dropna().dt.days.between(28, 31)).all(), name
    total = sum(p.stat().st_size for p in COMMITTED.iterdir() if p.is_file())
    assert total < 15e6, f"committed data is {total / 1e6:.1f} MB"


def test_rows_option_scales_patients_into_another_folder(tmp_path: Path) -> None:
    written = synth.write_datasets(tmp_path, rows=1234)
    assert sorted(p.name for p in written) == ["datapackage.json", "patients.csv"]
    big = load_dataset("patients", data_dir=tmp_path)
    assert len(big) == 1234
    assert big["patient_id"].is_unique


def test_big_files_are_streamed_in_chunks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(synth.patients, "CHUNK_ROWS", 100)
    synth.write_datasets(tmp_path, rows=250)
    blob = (tmp_path / "patients.csv").read_bytes()
    assert blob.count(b"patient_id") == 1  # one header
    big = load_dataset("patients", data_dir=tmp_path)
    assert len(big) == 250 and big["patient_id"].is_unique
    assert big["patient_id"].iloc[[0, -1]].tolist() == ["P000001", "P000250"]
    package = (tmp_path / "datapackage.json").read_text(encoding="utf-8")
    assert f'"bytes": {len(blob)}' in package and '"rows": 250' in package
    with pytest.raises(ValueError, match="patients file only"):
        synth.write_datasets(tmp_path, names=["hai"], rows=10)


def _cells(frame: pd.DataFrame) -> dict[str, list[object]]:
    """Every column as a list of plain values, missing as None (to compare files of two formats)."""
    out = {}
    for col in frame.columns:
        values = frame[col].astype(object)
        out[col] = [None if pd.isna(v) else (v.item() if hasattr(v, "item") else v) for v in values]
    return out


def test_parquet_holds_the_values_of_the_csv_one_row_group_per_chunk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    monkeypatch.setattr(synth.patients, "CHUNK_ROWS", 100)
    synth.write_datasets(tmp_path / "csv", rows=250)
    written = synth.write_datasets(tmp_path / "parquet", rows=250, file_format="parquet")
    path = tmp_path / "parquet" / "patients.parquet"
    assert written == [path, tmp_path / "parquet" / "datapackage.json"]
    meta = pq.ParquetFile(path).metadata
    assert [meta.row_group(i).num_rows for i in range(meta.num_row_groups)] == [100, 100, 50]
    from_csv = load_dataset("patients", data_dir=tmp_path / "csv")
    from_parquet = pq.read_table(path).to_pandas()
    assert list(from_parquet.columns) == list(from_csv.columns)
    assert _cells(from_parquet) == _cells(from_csv)
    assert from_parquet["bp_controlled"].isna().sum() == from_csv["bp_controlled"].isna().sum() > 0
    package = json.loads((tmp_path / "parquet" / "datapackage.json").read_text(encoding="utf-8"))
    resource = package["resources"]
    assert [(r["path"], r["format"], r["rows"]) for r in resource] == [("patients.parquet", "parquet", 250)]
    assert resource[0]["bytes"] == path.stat().st_size
    assert resource[0]["hash"] == "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()


def test_parquet_is_deterministic_and_each_chunk_has_its_own_stream(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("pyarrow")
    monkeypatch.setattr(synth.patients, "CHUNK_ROWS", 100)
    a = synth.write_datasets(tmp_path / "a", rows=300, file_format="parquet")[0].read_bytes()
    b = synth.write_datasets(tmp_path / "b", rows=300, file_format="parquet")[0].read_bytes()
    assert a == b
    tables = list(synth.patients.iter_patient_tables(synth.SEED, 300))
    assert tables[0].column("patient_id")[0].as_py() == "P000001"
    assert tables[2].column("patient_id")[0].as_py() == "P000201"
    assert tables[0].column("age") != tables[1].column("age")  # chunks are not copies of each other
    longer = list(synth.patients.iter_patient_tables(synth.SEED, 350))  # chunk k depends only on k
    assert longer[1].equals(tables[1])


def test_parquet_needs_rows_and_never_replaces_the_committed_csv(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="give rows"):
        synth.write_datasets(tmp_path, file_format="parquet")
    with pytest.raises(ValueError, match="unknown format"):
        synth.write_datasets(tmp_path, rows=10, file_format="xlsx")
    with pytest.raises(ValueError, match="refusing to overwrite"):
        synth.write_datasets(COMMITTED, rows=synth.DEFAULT_ROWS, file_format="parquet")


def test_command_line_writes_parquet_and_reports_rows_per_second(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    assert synth.main(["--out", str(tmp_path), "--rows", "300", "--format", "parquet"]) == 0
    out = capsys.readouterr().out
    assert "patients.parquet" in out and "rows/s" in out
    assert pq.read_metadata(tmp_path / "patients.parquet").num_rows == 300


def test_refuses_to_overwrite_committed_data_with_other_sizes_or_seeds(capsys: pytest.CaptureFixture) -> None:
    before = {p.name: p.stat().st_mtime_ns for p in COMMITTED.iterdir()}
    with pytest.raises(ValueError, match="refusing to overwrite"):
        synth.write_datasets(COMMITTED, rows=500)
    with pytest.raises(ValueError, match="refusing to overwrite"):
        synth.write_datasets(COMMITTED, seed=1)
    with pytest.raises(SystemExit) as exc:
        synth.main(["--out", str(COMMITTED), "--rows", "10"])
    assert exc.value.code == 2
    assert "another folder" in capsys.readouterr().err
    assert {p.name: p.stat().st_mtime_ns for p in COMMITTED.iterdir()} == before


def test_command_line_writes_and_reports(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert synth.main(["--out", str(tmp_path), "--rows", "300"]) == 0
    out = capsys.readouterr().out
    assert "patients.csv" in out and "total" in out
    assert len(load_dataset("patients", data_dir=tmp_path)) == 300


def test_unknown_dataset_name_lists_the_valid_ones() -> None:
    with pytest.raises(ValueError, match="valid names are: patients, hypertension_monthly"):
        synth.generate(["patient"])
    with pytest.raises(ValueError, match="positive"):
        synth.generate(["patients"], rows=0)


# --- Categories look like a real health system's (issue requirement 3) ------------------------------


def test_race_and_ethnicity_follow_omb_with_realistic_unknowns(patients: pd.DataFrame) -> None:
    race = patients["race"].value_counts(normalize=True)
    omb_minimum = [
        "American Indian or Alaska Native",
        "Asian",
        "Black or African American",
        "Native Hawaiian or Other Pacific Islander",
        "White",
    ]
    assert list(patients["race"].cat.categories[:5]) == omb_minimum
    assert 0.05 <= race["Declined"] + race["Unknown"] <= 0.15
    assert 0.01 <= race["More than one race"] <= 0.06
    assert 0.02 <= race["Some other race"] <= 0.10
    assert set(patients["ethnicity"].cat.categories) == {
        "Hispanic or Latino",
        "Not Hispanic or Latino",
        "Declined",
        "Unknown",
    }
    # "Some other race" is mostly Hispanic/Latino patients, as in real registration data.
    sor = patients[patients["race"] == "Some other race"]
    assert (sor["ethnicity"] == "Hispanic or Latino").mean() > 0.5
    combined = patients["race_ethnicity"].value_counts(normalize=True)
    assert combined["White"] > 0.3  # the usual reference group exists, literally labelled "White"
    assert 0.03 <= combined["Unknown"] <= 0.12


def test_race_ethnicity_follows_the_documented_rule(patients: pd.DataFrame) -> None:
    derived = combine_race_ethnicity(patients["race"], patients["ethnicity"])
    pd.testing.assert_series_equal(derived, patients["race_ethnicity"])


def test_language_and_interpreter_need(patients: pd.DataFrame) -> None:
    non_english = ~patients["preferred_language"].isin(["English", "Unknown"])
    assert 0.05 <= non_english.mean() <= 0.25
    need = patients["interpreter_needed"]
    assert need[non_english].mean() > 0.7
    assert need[patients["preferred_language"] == "English"].mean() < 0.01
    assert 0 < need.isna().mean() < 0.05


def test_sogi_has_declined_and_not_asked(patients: pd.DataFrame) -> None:
    for col in ("gender_identity", "sexual_orientation"):
        shares = patients[col].value_counts(normalize=True)
        assert shares["Declined"] > 0.01, col
        assert 0.2 < shares["Not asked"] < 0.7, col
    assert patients["gender_identity"].isin(["Transgender woman", "Transgender man", "Nonbinary"]).sum() > 50


def test_small_cells_exist_for_suppression_exercises(patients: pd.DataFrame) -> None:
    cells = patients.groupby(["race_ethnicity", "preferred_language", "payer"], observed=True).size()
    assert ((cells > 0) & (cells < 11)).sum() >= 20
    nhpi_hypertensive = (patients["hypertension"] & (patients["race_ethnicity"] == "NHPI")).sum()
    assert 11 <= nhpi_hypertensive <= 200


def test_outcomes_are_blank_exactly_outside_their_denominators(patients: pd.DataFrame) -> None:
    assert (patients["bp_controlled"].notna() == patients["hypertension"]).all()
    assert (patients["hba1c_controlled"].notna() == patients["diabetes"]).all()
    eligible = patients["age"].between(45, 75)
    assert (patients["crc_screened"].notna() == eligible).all()


def test_age_group_matches_age(patients: pd.DataFrame) -> None:
    lower = patients["age_group"].astype(str).str.extract(r"^(\d+)")[0].astype(int)
    assert (patients["age"] >= lower).all()
    not_oldest = patients["age_group"] != "85+"
    assert (patients.loc[not_oldest, "age"] < lower[not_oldest] + 10).all()
    assert patients["age"].min() >= 18


def test_aggregated_counts_are_consistent() -> None:
    hm = load_dataset("hypertension_monthly")
    assert (hm["numerator"] <= hm["denominator"]).all() and (hm["denominator"] > 0).all()
    cs = load_dataset("cancer_screening")
    assert (cs["screened"] <= cs["eligible"]).all()
    sd = load_dataset("sdoh_screening")
    needs = ["food_insecurity", "housing_instability", "transportation", "utilities", "interpersonal_safety"]
    assert (sd["screened"] <= sd["eligible"]).all()
    assert (sd[needs].max(axis=1) <= sd["any_need"]).all() and (sd["any_need"] <= sd["screened"]).all()
    # eligible is counted from patients.csv, so the two files join.
    p = load_dataset("patients")
    counts = p.groupby(["neighbourhood", "race_ethnicity"], observed=True).size()
    joined = sd.set_index(["neighbourhood", "race_ethnicity"])["eligible"]
    assert counts.sort_index().tolist() == joined.sort_index().tolist()


def test_workforce_survey_items_are_on_their_scales() -> None:
    ws = load_dataset("workforce_survey")
    for col in ("burnout", "mi_betrayal", "mi_witnessed", "mi_self"):
        assert set(ws[col].unique()) == {1, 2, 3, 4, 5}, col
    assert ((ws["burnout"] >= 3) == (ws["burned_out"] == 1)).all()
    assert 0 < ws["experienced_discrimination"].isna().mean() < 0.1


def test_self_assessment_covers_the_five_components() -> None:
    items = load_dataset("self_assessment")
    assert items.groupby("component", observed=False).size().tolist() == [5, 5, 5, 5, 5]
    assert items["item"].str.len().min() > 20


# --- Calibration, the mechanism behind exact planted values -----------------------------------------


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n_rows=st.integers(1, 6),
    n_categories=st.integers(1, 7),
    zero_share=st.floats(0.0, 0.6),
)
def test_draw_coded_makes_the_draws_of_draw_categorical(
    seed: int, n_rows: int, n_categories: int, zero_share: float
) -> None:
    rng = np.random.default_rng(seed)
    table = rng.random((n_rows, n_categories)) * (rng.random((n_rows, n_categories)) >= zero_share)
    table[:, rng.integers(0, n_categories)] += 0.01  # every row has some weight
    codes = rng.integers(0, n_rows, 500)
    coded = draw_coded(np.random.default_rng(seed + 1), table, codes)
    full = draw_categorical(np.random.default_rng(seed + 1), table[codes])
    np.testing.assert_array_equal(coded, full)


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    targets=st.lists(st.floats(0.02, 0.98), min_size=1, max_size=5),
    spread=st.floats(0.0, 3.0),
)
def test_calibrate_logit_hits_every_target(seed: int, targets: list[float], spread: float) -> None:
    rng = np.random.default_rng(seed)
    n = 200
    codes = rng.integers(0, len(targets), n)
    base = spread * rng.standard_normal(n)
    weights = rng.integers(1, 50, n).astype(float)
    shift = calibrate_logit(base, codes, targets, weights)
    achieved = weighted_group_mean(expit(base + shift[codes]), codes, len(targets), weights)
    present = np.bincount(codes, minlength=len(targets)) > 0
    np.testing.assert_allclose(achieved[present], np.asarray(targets)[present], atol=1e-9)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), targets=st.lists(st.floats(1e-4, 0.1), min_size=1, max_size=4))
def test_calibrate_log_hits_every_rate(seed: int, targets: list[float]) -> None:
    rng = np.random.default_rng(seed)
    codes = rng.integers(0, len(targets), 100)
    base = rng.normal(0, 1, 100)
    exposure = rng.integers(1, 1000, 100).astype(float)
    shift = calibrate_log(base, codes, targets, exposure)
    achieved = weighted_group_mean(np.exp(base + shift[codes]), codes, len(targets), exposure)
    present = np.bincount(codes, minlength=len(targets)) > 0
    np.testing.assert_allclose(achieved[present], np.asarray(targets)[present], rtol=1e-9)
