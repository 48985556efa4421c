"""helpers.data: typed loading, the dataset list, validation and a team's own CSV."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import data, synth
from helpers._validation import ColumnNotFoundError
from helpers.data import (
    DataValidationError,
    MissingFileError,
    UnknownDatasetError,
    combine_race_ethnicity,
    data_dictionary,
    datasets_dir,
    list_datasets,
    load_dataset,
    read_team_csv,
    validate,
)

COMMITTED = Path(__file__).resolve().parents[1] / "datasets"
PACKAGE = json.loads((COMMITTED / "datapackage.json").read_text(encoding="utf-8"))
FIELDS = {r["name"]: r["schema"]["fields"] for r in PACKAGE["resources"]}


@pytest.fixture(scope="module")
def patients() -> pd.DataFrame:
    return load_dataset("patients")


# --- list_datasets / load_dataset --------------------------------------------------------------------


def test_list_datasets_names_describes_and_counts_every_dataset() -> None:
    listing = list_datasets()
    assert listing["name"].tolist() == list(synth.DATASET_NAMES)
    assert list(listing.columns) == ["name", "title", "description", "rows"]
    for row in listing.itertuples(index=False):
        assert "\n" not in row.description and row.description.endswith(".")
        assert 20 < len(row.description) < 250, row.name
        assert row.rows == len(load_dataset(row.name)), row.name


@pytest.mark.parametrize("name", synth.DATASET_NAMES)
def test_load_dataset_types_every_column_as_the_dictionary_says(name: str) -> None:
    df = load_dataset(name)
    assert list(df.columns) == [f["name"] for f in FIELDS[name]]
    for spec in FIELDS[name]:
        col = df[spec["name"]]
        required = spec["constraints"].get("required", False)
        cats = spec.get("categories")
        if spec["type"] == "string" and cats:
            assert isinstance(col.dtype, pd.CategoricalDtype), spec["name"]
            assert list(col.cat.categories) == cats, spec["name"]
            assert col.cat.ordered == spec["categoriesOrdered"], spec["name"]
        elif spec["type"] == "string":
            assert col.dtype == "str", spec["name"]
        elif spec["type"] == "integer":
            assert str(col.dtype) == ("int64" if required else "Int64"), spec["name"]
        elif spec["type"] == "boolean":
            assert str(col.dtype) == ("bool" if required else "boolean"), spec["name"]
        elif spec["type"] == "date":
            assert pd.api.types.is_datetime64_any_dtype(col), spec["name"]
        else:  # pragma: no cover - the dictionary uses only the types above
            pytest.fail(f"unexpected type {spec['type']}")


def test_load_dataset_keeps_missing_values_missing(patients: pd.DataFrame) -> None:
    assert patients["bp_controlled"].isna().sum() == (~patients["hypertension"]).sum()
    assert patients["interpreter_needed"].isna().any()
    raw = pd.read_csv(COMMITTED / "patients.csv", dtype=str, keep_default_na=False)
    assert (raw["bp_controlled"] == "").sum() == patients["bp_controlled"].isna().sum()


def test_unknown_dataset_lists_valid_names() -> None:
    with pytest.raises(UnknownDatasetError) as exc:
        load_dataset("patient")
    message = str(exc.value)
    assert "did you mean 'patients'" in message
    for name in synth.DATASET_NAMES:
        assert name in message
    assert isinstance(exc.value, KeyError)
    with pytest.raises(KeyError, match="valid names"):
        data_dictionary("nope")


def test_folder_from_argument_environment_or_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(data.ENV_VAR, raising=False)
    assert datasets_dir() == COMMITTED
    synth.write_datasets(tmp_path, names=["self_assessment"])
    assert datasets_dir(tmp_path) == tmp_path
    assert list_datasets(data_dir=tmp_path)["name"].tolist() == ["self_assessment"]
    monkeypatch.setenv(data.ENV_VAR, str(tmp_path))
    assert datasets_dir() == tmp_path
    with pytest.raises(UnknownDatasetError, match="valid names are: self_assessment"):
        load_dataset("patients")
    with pytest.raises(MissingFileError, match=data.ENV_VAR):
        datasets_dir(tmp_path / "nowhere")


def test_edited_file_gives_a_clear_error(tmp_path: Path) -> None:
    for name in ("datapackage.json", "hai.csv"):
        shutil.copy(COMMITTED / name, tmp_path / name)
    text = (tmp_path / "hai.csv").read_text(encoding="utf-8").replace(",ICU,", ",Intensive care,", 1)
    (tmp_path / "hai.csv").write_text(text, encoding="utf-8")
    with pytest.raises(DataValidationError, match=r"column 'unit', row 0: value 'Intensive care'"):
        load_dataset("hai", data_dir=tmp_path)
    (tmp_path / "hai.csv").unlink()
    with pytest.raises(MissingFileError, match=r"hai\.csv"):
        load_dataset("hai", data_dir=tmp_path)


def test_data_dictionary_lists_every_column_with_its_meaning() -> None:
    d = data_dictionary("patients")
    assert d["column"].tolist() == [f["name"] for f in FIELDS["patients"]]
    assert (d["description"].str.len() > 10).all()
    race = d.set_index("column").loc["race_ethnicity"]
    assert race["allowed_values"].startswith("AIAN, Asian, Black")


# --- validate --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", synth.DATASET_NAMES)
def test_committed_datasets_validate(name: str) -> None:
    df = load_dataset(name)
    assert validate(df, name) is df


def test_validate_names_column_row_value_and_fix(patients: pd.DataFrame) -> None:
    bad = patients.head(50).astype({"race_ethnicity": "object", "age": "float64"})
    bad.loc[7, "race_ethnicity"] = "white"
    bad.loc[9, "age"] = 230
    bad.loc[11, "age"] = 40.5
    bad.loc[12, "patient_id"] = bad.loc[13, "patient_id"]
    bad = bad.drop(columns=["payer"]).rename(columns={"clinic": "clinic_name"})
    with pytest.raises(DataValidationError) as exc:
        validate(bad, "patients")
    message = str(exc.value)
    assert "column 'payer' is missing" in message
    assert "column 'clinic' is missing" in message and "rename(columns={'clinic_name': 'clinic'})" in message
    assert "column 'race_ethnicity', row 7: 'white' is not an allowed value" in message
    assert "replace({'white': 'White'})" in message
    assert "column 'age', row 9: 230.0 is above the maximum 100" in message
    assert "column 'age', row 11: 40.5 is not a whole number" in message
    assert "column 'patient_id', row 12" in message and "repeated" in message


def test_validate_flags_missing_required_values_and_wrong_booleans(patients: pd.DataFrame) -> None:
    bad = patients.head(20).astype({"hypertension": "object", "sex": "object"})
    bad.loc[3, "hypertension"] = "yes"
    bad.loc[4, "sex"] = None
    with pytest.raises(DataValidationError) as exc:
        validate(bad, "patients")
    assert "column 'hypertension', row 3: 'yes' is not true/false" in str(exc.value)
    assert "column 'sex', row 4: None is missing" in str(exc.value)


def test_validate_accepts_untyped_values_that_fit() -> None:
    hm = load_dataset("hypertension_monthly").head(30)
    plain = hm.astype({"clinic": "object", "race_ethnicity": "object", "language": "object"})
    plain["month"] = plain["month"].dt.strftime("%Y-%m-%d")
    assert validate(plain, "hypertension_monthly") is plain


def test_validate_needs_a_dataframe() -> None:
    with pytest.raises(DataValidationError, match="needs a pandas DataFrame, got list"):
        validate([1, 2], "patients")


# --- combine_race_ethnicity ---------------------------------------------------------------------------


def test_combine_race_ethnicity_rule() -> None:
    race = pd.Series(["Black or African American", "White", "More than one race", "Unknown", "Asian", None])
    eth = pd.Series(["Hispanic or Latino", "Declined", "Not Hispanic or Latino", "Not Hispanic or Latino",
                     "Unknown", "Hispanic or Latino"])  # fmt: skip
    out = combine_race_ethnicity(race, eth)
    assert out.tolist() == ["Hispanic/Latino", "White", "Multiracial", "Unknown", "Asian", "Hispanic/Latino"]
    assert list(out.cat.categories) == FIELDS["patients"][8]["categories"]


def test_combine_race_ethnicity_rejects_unknown_labels() -> None:
    with pytest.raises(DataValidationError, match=r"race has value\(s\) 'Caucasian' \(row 1\)"):
        combine_race_ethnicity(pd.Series(["White", "Caucasian"]), pd.Series(["Unknown", "Unknown"]))


# --- read_team_csv -------------------------------------------------------------------------------------


def write(tmp_path: Path, text: str, name: str = "team.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


TEAM = (
    "MRN,Age,Race/Eth,Lang,BP controlled,Visit\n"
    "1,54,Black,English,yes,2024-03-01\n"
    "2,forty,White,English,no,2024-03-02\n"
    "3,61,white,Spanish,1,2024-03-03\n"
    "4,230,Asian,English,0,2024-03-04\n"
    "5,47,Caucasian,English,maybe,2024-13-01\n"
    "6,70,Hispanic/Latino,,NA,2024-03-06\n"
)
MAPPING = {
    "Age": "age",
    "Race/Eth": "race_ethnicity",
    "Lang": "preferred_language",
    "BP controlled": "bp_controlled",
}


def test_team_csv_maps_types_and_reports_every_excluded_row(tmp_path: Path) -> None:
    team = read_team_csv(write(tmp_path, TEAM), MAPPING)
    assert len(team.data) + len(team.excluded) == 6  # nothing dropped silently
    assert team.data.index.tolist() == [2, 4, 7]  # line numbers in the file (header is line 1)
    reasons = dict(zip(team.excluded["line"], team.excluded["reason"], strict=True))
    assert reasons[3] == "column 'age' (your 'Age'): 'forty' is not a number"
    assert reasons[5] == "column 'age' (your 'Age'): 230 is above the maximum 100"
    assert reasons[6] == "column 'bp_controlled' (your 'BP controlled'): 'maybe' is not 0 or 1"
    assert team.excluded.loc[team.excluded["line"] == 3, "Age"].item() == "forty"  # original values kept
    assert str(team.data["age"].dtype) == "Int64" and str(team.data["bp_controlled"].dtype) == "Int64"
    assert team.data["bp_controlled"].tolist()[:2] == [1, 1]
    assert pd.isna(team.data.loc[7, "bp_controlled"]) and pd.isna(team.data.loc[7, "preferred_language"])
    assert team.data.loc[4, "race_ethnicity"] == "White"  # 'white' relabelled, with a note
    notes = " | ".join(team.notes)
    assert "relabelled 'white' -> 'White'" in notes
    assert "'Caucasian'" not in notes  # that row was excluded for another reason
    assert "kept as text (not in the dictionary): 'MRN', 'Visit'" in notes
    assert "Read 6 data rows from team.csv: 3 kept, 3 excluded." in team.summary()
    assert repr(team) == team.summary()


def test_team_categories_outside_ours_are_kept_with_a_note_or_excluded_when_strict(tmp_path: Path) -> None:
    path = write(tmp_path, "race_ethnicity,bp_controlled\nCaucasian,1\nBlack,0\nCaucasian,0\n")
    team = read_team_csv(path)
    assert team.excluded.empty
    assert team.data["race_ethnicity"].tolist() == ["Caucasian", "Black", "Caucasian"]
    assert list(team.data["race_ethnicity"].cat.categories) == ["Black", "Caucasian"]
    assert any("'Caucasian' (2 rows)" in n for n in team.notes)
    strict = read_team_csv(path, strict_categories=True)
    assert strict.excluded["line"].tolist() == [2, 4]
    assert "is not one of the workbook's categories" in strict.excluded["reason"].iloc[0]


def test_team_dates_are_parsed_and_bad_dates_excluded(tmp_path: Path) -> None:
    path = write(tmp_path, "month,numerator,denominator\n2024-01-01,5,10\n2024-13-01,1,2\n2024-02-01,,4\n")
    team = read_team_csv(path, dataset="hypertension_monthly")
    assert pd.api.types.is_datetime64_any_dtype(team.data["month"])
    assert team.excluded["line"].tolist() == [3]
    assert "is not a date in YYYY-MM-DD form" in team.excluded["reason"].item()
    assert any("1 missing value(s) kept as missing" in n for n in team.notes)


@pytest.mark.parametrize(
    ("text", "match"),
    [
        # A file that cannot be read at all: DataValidationError naming the line and the fix.
        (
            'a,b\n1,"unclosed\n3,4\n',
            r"line 2: the file cannot be read as CSV .*Fix: look for a stray double quote",
        ),
        ("", r"team.csv: 1 problem found\n- the file is empty \(0 bytes\). Fix: export the data again"),
        ("a,b\n", r"has a header but no data rows. Fix: export the data again"),
        ("\x00\x01binary\x00", r"is not a text \(CSV\) file: it contains binary data"),
    ],
)
def test_unreadable_csv_names_the_problem_and_the_fix(tmp_path: Path, text: str, match: str) -> None:
    with pytest.raises(DataValidationError, match=match):
        read_team_csv(write(tmp_path, text), dataset=None)


def test_a_line_with_the_wrong_number_of_fields_is_excluded_with_its_line_and_text(tmp_path: Path) -> None:
    # Read by helpers.teamfile.read_table, as the report command and module 09 read it: the line is set
    # aside with its reason and its text (a participant sees which line to fix), never dropped silently,
    # and the rest of the file is still read.
    team = read_team_csv(write(tmp_path, "age,bp_controlled\n40,1\n50,0,extra\n60,1\n"))
    assert team.data.index.tolist() == [2, 4]
    assert team.excluded["line"].tolist() == [3]
    assert team.excluded["reason"].item() == "3 fields, but the header (line 1) has 2"
    assert team.excluded["text (file)"].item() == "50,0,extra"
    assert any("1 line(s) set aside because their number of fields differs" in n for n in team.notes)
    assert "Read 3 data rows from team.csv: 2 kept, 1 excluded." in team.summary()


def test_repeated_and_empty_column_names_are_renamed_with_a_note_and_can_be_mapped(tmp_path: Path) -> None:
    # The same rule as the report command: a repeated name is read as "name (2)", an empty one as
    # "column N", each with a note saying how to fix the file; nothing is thrown away.
    team = read_team_csv(write(tmp_path, "age,age,\n40,41,x\n"), {"age (2)": "age_at_visit"})
    assert list(team.data.columns) == ["age", "age_at_visit", "column 3"]
    assert team.data["age"].tolist() == [40] and team.data["column 3"].tolist() == ["x"]
    notes = " | ".join(team.notes)
    assert "repeats the column name 'age'; its column 2 is read as 'age (2)'" in notes
    assert "Column 3 of the header has no name; it is read as 'column 3'" in notes


def test_team_csv_reads_what_the_report_command_reads(tmp_path: Path) -> None:
    # One reader (helpers.teamfile.read_table) for the command line, module 09 and read_team_csv: the
    # messy corpus gives the same rows whichever way it is read.
    from helpers.teamfile import read_table

    messy = Path(__file__).resolve().parent / "data" / "messy"
    for name in ("utf8_bom.csv", "crlf.csv", "tab.csv", "quoted.csv", "blank_lines.csv", "excel_named.csv"):
        team = read_team_csv(messy / name, dataset=None)
        table = read_table(messy / name)
        assert team.data.index.tolist() == table.frame.index.tolist(), name
        assert list(team.data.columns) == list(table.frame.columns), name
        stripped = table.frame.apply(lambda c: c.str.strip())
        assert (team.data.astype(str).to_numpy() == stripped.to_numpy()).all(), name
    bom = read_team_csv(messy / "utf8_bom.csv", dataset=None)
    assert bom.data.columns[0] == "race"  # no byte-order mark glued to the name


def test_team_csv_refuses_a_file_over_the_size_limit_naming_it(tmp_path: Path, monkeypatch) -> None:
    import helpers.teamfile

    path = write(tmp_path, "age\n" + "40\n" * 2000)
    monkeypatch.setattr(helpers.teamfile, "DEFAULT_MAX_BYTES", 1024)
    limit = r"the file is 5\.9 kB, more than the limit of 1\.0 kB.*max_bytes="
    with pytest.raises(DataValidationError, match=limit):
        read_team_csv(path)


def test_team_csv_mapping_errors(tmp_path: Path) -> None:
    path = write(tmp_path, "Age,Race\n40,White\n")
    with pytest.raises(ColumnNotFoundError, match=r"column 'Agee' .* \(did you mean 'Age'\?\)"):
        read_team_csv(path, {"Agee": "age"})
    with pytest.raises(DataValidationError, match="maps several file columns to 'age'"):
        read_team_csv(path, {"Age": "age", "Race": "age"})
    with pytest.raises(MissingFileError, match="no file at"):
        read_team_csv(tmp_path / "missing.csv")
    team = read_team_csv(path, {"Race": "race_ethnicty"})
    assert any("did you mean 'race_ethnicity'" in n for n in team.notes)


def test_team_csv_with_semicolons_and_windows_encoding(tmp_path: Path) -> None:
    path = write(tmp_path, "age;race_ethnicity;name\n44;White;José\n", encoding="cp1252")
    team = read_team_csv(path)
    assert team.data["age"].tolist() == [44]
    assert team.data["name"].tolist() == ["José"]
    notes = " ".join(team.notes)
    assert "not UTF-8" in notes and "';'" in notes


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.one_of(st.integers(-5, 120).map(str), st.sampled_from(["", "x", "4.5", "NA"])),
            st.sampled_from(["0", "1", "yes", "no", "", "2", "maybe"]),
        ),
        min_size=1,
        max_size=40,
    )
)
def test_team_csv_never_drops_rows_silently(tmp_path_factory: pytest.TempPathFactory, rows) -> None:
    folder = tmp_path_factory.mktemp("team")
    text = "age,crc_screened\n" + "".join(f"{a},{c}\n" for a, c in rows)
    team = read_team_csv(write(folder, text))
    # A line with only empty fields (",", as spreadsheets export) is skipped, and the notes say so.
    blank = sum(1 for a, c in rows if a == "" and c == "")
    assert len(team.data) + len(team.excluded) == len(rows) - blank
    assert (f"{blank} blank line(s) skipped" in team.notes) == (blank > 0)
    assert (team.excluded["reason"].str.len() > 0).all()
    kept_age = team.data["age"].dropna()
    assert kept_age.between(18, 100).all()
    assert set(team.data["crc_screened"].dropna()) <= {0, 1}
    lines = [(i + 2, a, c) for i, (a, c) in enumerate(rows) if (a, c) != ("", "")]
    expected_bad = [
        line
        for line, a, c in lines
        if (a not in ("", "NA") and not (a.lstrip("-").isdigit() and 18 <= int(a) <= 100))
        or c in ("2", "maybe")
    ]
    assert team.excluded["line"].tolist() == expected_bad
    assert np.array_equal(team.data.index, [line for line, _, _ in lines if line not in expected_bad])
