"""The capstone's tools: the practice export, the file-upload widget and the project charter.

Widget tests set the widgets' values and call the methods their buttons call (no browser, no
clicks); the pure function :func:`helpers.exercises.team_report` is tested on the messy-file
corpus in tests/test_module_09.py.
"""

from __future__ import annotations

import datetime
import stat
from pathlib import Path

import pytest

from helpers.data import load_dataset
from helpers.exercises import (
    CHARTER_FIELDS,
    COURSE_MAPPING,
    check_charter,
    course_export,
    project_charter,
    team_data_upload,
    team_report,
)
from helpers.exercises.team_data import PENDING_EVERY, RACE_CODES
from helpers.measures import stratified_rates
from helpers.workbook import Workbook

MESSY = Path(__file__).resolve().parent / "data" / "messy"
AIM = (
    "Narrow the gap in blood-pressure control between Black patients and White patients (the "
    "reference group) from 10 to 5 percentage points by December 2026; no group gets worse."
)


def upload(widget, path: Path) -> None:
    """Choose a file in the upload widget, as the browser does."""
    content = path.read_bytes()
    widget.upload.value = (
        {
            "name": path.name,
            "type": "text/csv",
            "size": len(content),
            "last_modified": datetime.datetime(2025, 1, 1),
            "content": memoryview(content),
        },
    )


# ============================================================================ the practice export
@pytest.fixture(scope="module")
def patients():
    return load_dataset("patients")


@pytest.fixture(scope="module")
def practice(patients, tmp_path_factory):
    folder = tmp_path_factory.mktemp("practice")
    export = course_export(patients, folder)
    return export, team_report(
        export, outcome="bp_controlled", by="race_ethnicity", reference="White", mapping_text=COURSE_MAPPING
    )


def test_the_practice_export_has_local_names_codes_and_encoding(practice) -> None:
    export, _ = practice
    blob = export.read_bytes()
    header = blob.split(b"\r\n", 1)[0]
    assert header == b"MRN;Clinic;Race/Eth;Pref Lang;BP <140/90"
    assert "Spanish/Español".encode("cp1252") in blob
    with pytest.raises(UnicodeDecodeError):
        blob.decode("utf-8")  # Windows-1252 on purpose: the reader must detect it


def test_the_mapping_recovers_the_datasets_own_rates_except_the_pending_rows(patients, practice) -> None:
    _, result = practice
    assert result.ok, result.problems_text()
    registry = patients[patients["hypertension"]].reset_index(drop=True)
    pending = (registry.index + 1) % PENDING_EVERY == 0
    expected = stratified_rates(registry[~pending], "bp_controlled", "race_ethnicity").set_index(
        "race_ethnicity"
    )
    got = result.tables["race_ethnicity"].set_index("race_ethnicity")
    for group in ("White", "Black", "Hispanic/Latino", "Asian"):
        assert got.loc[group, "numerator"] == expected.loc[group, "numerator"]
        assert got.loc[group, "denominator"] == expected.loc[group, "denominator"]
    prepared = result.prepared
    assert len(prepared.excluded) == int(pending.sum()) > 0
    assert set(prepared.excluded["reason"].str.contains("pending")) == {True}
    assert prepared.unmapped.empty  # every local code is in COURSE_MAPPING
    assert result.report.references["race_ethnicity"] == "White"


def test_every_local_race_code_is_mapped_or_read_as_missing() -> None:
    import yaml

    mapping = yaml.safe_load(COURSE_MAPPING)
    mapped = mapping["values"]["race_ethnicity"]
    for label, code in RACE_CODES.items():
        assert (mapped.get(code) == label) or (code in mapping["missing"] and label == "Unknown")


# ============================================================================ the upload widget
def test_the_widget_makes_the_report_from_an_uploaded_file_and_saves_it(tmp_path) -> None:
    widget = team_data_upload(folder=tmp_path)
    upload(widget, MESSY / "semicolon.csv")
    widget.outcome.value, widget.by.value, widget.reference.value = "bp", "race", "White"
    result = widget.make_report()
    assert result.ok and result.source == "semicolon.csv"
    assert "Gaps against White" in widget.output.value
    assert "<h1>" not in widget.output.value  # the report's headings sit under the notebook's
    assert not widget.save_button.disabled
    widget.save_as.value = "../outside/our report"  # a folder part is ignored: saved in `folder`
    path = widget.save_report()
    assert path == (tmp_path / "our report.html").absolute()
    assert path.read_text(encoding="utf-8") == result.html
    assert "Saved as our report.html" in widget.status.value


def test_the_widget_lists_every_problem_and_cannot_save_without_a_report(tmp_path) -> None:
    widget = team_data_upload(folder=tmp_path)
    assert "no file has been chosen" in widget.make_report().problems_text()
    upload(widget, MESSY / "crlf.csv")
    widget.outcome.value, widget.by.value = "BP", "Race, Payer"
    result = widget.make_report()
    assert not result.ok and len(result.problems) == 3  # three columns not found, all listed at once
    assert widget.output.value.count("<li>") == 3 and "Traceback" not in widget.output.value
    assert widget.save_button.disabled
    assert widget.save_report() is None and "Make the report first" in widget.status.value
    assert list(tmp_path.iterdir()) == []


def test_the_widget_takes_a_mapping_typed_in_its_text_area(tmp_path) -> None:
    widget = team_data_upload(folder=tmp_path)
    upload(widget, MESSY / "local_codes.csv")
    widget.outcome.value, widget.by.value = "bp", "race"
    widget.mapping.value = (MESSY / "local_codes.yaml").read_text(encoding="utf-8")
    result = widget.make_report()
    assert result.ok, result.problems_text()
    rates = result.tables["race"].set_index("race")
    assert (rates.loc["Black", "numerator"], rates.loc["Black", "denominator"]) == (30, 50)


def test_the_widgets_static_view_explains_it_and_warns_about_public_services() -> None:
    html = team_data_upload()._repr_html_()
    assert "Nothing leaves this computer" in html and "Binder" in html and "Colab" in html
    assert html == team_data_upload()._repr_html_()  # deterministic


# ============================================================================ the charter
def test_check_charter_names_the_empty_parts_and_checks_the_aim() -> None:
    result = check_charter({"aim": "Improve blood pressure", "team": "Nurse lead"})
    assert result.missing == ["Measures", "Changes", "Community partners"]
    assert result.aim is not None and not result.aim.complete
    assert not result.complete and "Aim:" in result.feedback().message
    full = check_charter({key: AIM if key == "aim" else "written" for key in CHARTER_FIELDS})
    assert full.complete and full.feedback().correct
    with pytest.raises(ValueError, match="not a part of the charter"):
        check_charter({"budget": "none"})


def test_the_charter_widget_saves_to_the_workbook_and_prefills_from_module_05(tmp_path) -> None:
    workbook = Workbook(tmp_path / "wb.json")
    workbook.save("05", "aim_equity", AIM)
    charter = project_charter(workbook=workbook, module="09", key="charter")
    assert charter.boxes["aim"].value == AIM
    assert workbook.get("09", "charter") is None  # nothing is saved before Save charter
    charter.boxes["partners"].value = "A faith-based blood-pressure programme"
    result = charter.save()
    saved = workbook.get("09", "charter")
    assert saved["Aim"] == AIM and saved["Community partners"] == "A faith-based blood-pressure programme"
    assert result.missing == ["Measures", "Changes", "Team"]
    assert "Saved to your workbook" in charter.saved.value
    again = project_charter(workbook=Workbook(tmp_path / "wb.json"), module="09", key="charter")
    assert again.boxes["partners"].value == "A faith-based blood-pressure programme"


def test_the_uploaded_bytes_live_only_in_a_private_temporary_folder(monkeypatch, tmp_path) -> None:
    import helpers.teamfile

    seen: dict[str, object] = {}
    real = helpers.teamfile.read_table

    def spy(path, **kwargs):
        path = Path(path)
        seen["exists"] = path.exists()
        seen["mode"] = stat.S_IMODE(path.parent.stat().st_mode)
        seen["folder"] = path.parent
        return real(path, **kwargs)

    monkeypatch.setattr(helpers.teamfile, "read_table", spy)
    monkeypatch.chdir(tmp_path)
    result = team_report((MESSY / "crlf.csv").read_bytes(), "crlf.csv", outcome="bp", by="race")
    assert result.ok
    assert seen["exists"] and seen["mode"] == 0o700
    assert not Path(seen["folder"]).exists()  # the folder and the copy are gone
    assert list(tmp_path.iterdir()) == []  # nothing was written next to the notebook
