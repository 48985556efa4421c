"""Module 09 (capstone): its findings hold on other data, its team-file path is safe on messy input,
the charter reaches the exported workbook, and the notebook leaves nothing behind."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import nbformat
import pytest

from helpers.data import load_dataset
from helpers.exercises import COURSE_MAPPING, course_export, project_charter, solution_value, team_report
from helpers.exercises.citations import cited_keys
from helpers.runcharts import gap_series, run_chart_signals
from helpers.workbook import Workbook
from module_support import ROOT, module_notebook, outputs_text

NOTEBOOK = module_notebook("09")
MESSY = Path(__file__).resolve().parent / "data" / "messy"
CHANGE = "2023-07-01"  # the outreach programme's first month (datasets README, H2)
GOOD = [
    "crlf.csv",
    "utf8_bom.csv",
    "semicolon.csv",
    "tab.csv",
    "windows1252.csv",
    "quoted.csv",
    "data.parquet",
]
BAD = ["empty.csv", "header_only.csv", "binary.csv", "stray_quote.csv"]


def _committed() -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOK, as_version=4)


def _findings(data_dir: Path | None) -> dict[str, object]:
    """What the notebook's prose relies on, computed independently with helpers."""
    patients = load_dataset("patients", data_dir=data_dir)
    with tempfile.TemporaryDirectory() as folder:
        result = team_report(
            course_export(patients, folder),
            outcome="bp_controlled",
            by="race_ethnicity",
            reference="White",
            mapping_text=COURSE_MAPPING,
        )
    assert result.ok, result.problems_text()
    gaps = result.gaps["race_ethnicity"].set_index("race_ethnicity")
    hypertension = load_dataset("hypertension_monthly", data_dir=data_dir)
    bw = gap_series(hypertension, group="race_ethnicity", time="month", focus="Black", reference="White")
    baseline = int((bw["month"] < CHANGE).sum())
    return {
        "result": result,
        "gaps": gaps,
        "shift": run_chart_signals(bw["rate"], baseline=baseline).shift,
        "before": bw["abs_diff"].iloc[:baseline].median(),
        "after": bw["abs_diff"].iloc[baseline:].median(),
    }


@pytest.fixture(scope="module")
def other_run(module_on_other_seed) -> nbformat.NotebookNode:
    return module_on_other_seed("09")


@pytest.fixture(scope="module")
def other(other_seed_data) -> dict[str, object]:
    return _findings(other_seed_data)


# ============================================================================ findings on another seed
@pytest.mark.slow
def test_the_planted_findings_hold_on_another_seed(other_run, other) -> None:
    gaps = other["gaps"]
    # The prose says the clinics control blood pressure for fewer Black than White patients, and the
    # outreach narrowed the Black-White gap: planted (P1, H1, H2), so they must hold on any seed.
    assert gaps.loc["Black", "rate"] < gaps.loc["White", "rate"]
    assert gaps.loc["Hispanic/Latino", "abs_diff"] < 0  # the code exercise's explanation says negative
    assert abs(other["after"]) < abs(other["before"])
    text = outputs_text(other_run)
    black, white = gaps.loc["Black", "rate"], gaps.loc["White", "rate"]
    assert f"for {black:.0%} of Black patients and {white:.0%} of White patients" in text
    assert ("find a shift" if other["shift"] else "find no shift") in text
    assert "it narrowed." in text
    par = other["result"].report.summaries["race_ethnicity"]["population_attributable_risk"]
    assert par > 0 and "would rise from" in text and f"by {100 * par:.1f} percentage points" in text


@pytest.mark.slow
def test_the_module_writes_nothing_next_to_the_notebook(other_run) -> None:
    for name in ("registry_export.csv", "our-equity-project.html", "practice-equity-report.html"):
        assert not (NOTEBOOK.parent / name).exists()


# ============================================================================ the team-file path
@pytest.mark.parametrize("name", GOOD)
def test_a_good_file_gives_the_report_with_the_corpus_numbers(name: str) -> None:
    result = team_report((MESSY / name).read_bytes(), name, outcome="bp", by="race", reference="White")
    assert result.ok, result.problems_text()
    assert result.html.startswith("<!DOCTYPE html>") and "Gaps against White" in result.html
    rates = result.tables["race"].set_index("race")
    assert (rates.loc["Black", "numerator"], rates.loc["Black", "denominator"]) == (30, 50)
    assert (rates.loc["White", "numerator"], rates.loc["White", "denominator"]) == (40, 55)
    assert result.temporary_file is not None and not result.temporary_file.exists()
    assert not result.temporary_file.parent.exists()


@pytest.mark.parametrize("name", BAD)
def test_a_bad_file_lists_its_problems_and_nothing_escapes(name: str) -> None:
    result = team_report((MESSY / name).read_bytes(), name, outcome="bp", by="race")
    assert not result.ok and result.html is None and result.problems
    text = result.problems_text()
    assert text.startswith(f"{name}: ") and "Fix:" in text and "Traceback" not in text
    if name == "empty.csv":  # refused before anything is written
        assert result.temporary_file is None
    else:
        assert not result.temporary_file.parent.exists()


def test_every_problem_is_listed_at_once_for_a_path_too() -> None:
    result = team_report(MESSY / "crlf.csv", outcome="BP", by=["Race", "clinic"], date="visit")
    assert [p.what.split(" ")[0] for p in result.problems] == ["--outcome", "--by", "--by", "--date"]
    assert result.temporary_file is None  # a path is read where it is, never copied


def test_a_bad_mapping_and_an_unexpected_failure_come_back_as_problems(monkeypatch) -> None:
    bad = team_report(MESSY / "crlf.csv", outcome="bp", by="race", mapping_text="colums:\n  a: b\n")
    assert "unknown section 'colums'" in bad.problems_text()

    import helpers.report

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(helpers.report, "build_report", broken)
    failed = team_report((MESSY / "crlf.csv").read_bytes(), "crlf.csv", outcome="bp", by="race")
    assert "unexpected failure (RuntimeError: disk on fire)" in failed.problems_text()
    assert not failed.temporary_file.parent.exists()


def test_saving_a_report_is_atomic_and_refused_without_one(tmp_path) -> None:
    result = team_report(MESSY / "crlf.csv", outcome="bp", by="race")
    out = result.save(tmp_path / "report")
    assert out.name == "report.html" and out.read_text(encoding="utf-8") == result.html
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]  # no temporary file left behind
    with pytest.raises(ValueError, match="no report to save"):
        team_report(MESSY / "empty.csv", outcome="bp", by="race").save(tmp_path / "x.html")


# ============================================================================ charter and export
def test_the_charter_is_saved_and_the_exported_workbook_contains_it(tmp_path) -> None:
    workbook = Workbook(tmp_path / "wb.json")
    workbook.save("03", "reflection", "Stratify the diabetes measure next")
    charter = project_charter(workbook=workbook, module="09", key="charter")
    charter.boxes["aim"].value = "Narrow the <b>gap</b> in screening by 2026"
    charter.boxes["partners"].value = "Neighbourhood food bank"
    charter.save()
    assert workbook.get("09", "charter")["Community partners"] == "Neighbourhood food bank"
    html = workbook.export_report(tmp_path / "report.html").read_text(encoding="utf-8")
    assert "Project charter" in html and "Neighbourhood food bank" in html
    assert "Narrow the &lt;b&gt;gap&lt;/b&gt; in screening by 2026" in html  # escaped
    assert "Stratify the diabetes measure next" in html  # the whole workbook, every module


# ============================================================================ the committed notebook
def test_the_code_exercise_answer_equals_the_helpers_value() -> None:
    committed = _findings(None)
    nb = _committed()
    check = next(c.source for c in nb.cells if c.source.startswith("code_exercise("))
    solution = re.search(r"solution='([^']*)'", check).group(1)
    value = solution_value(solution, "hispanic_gap", {"gaps": committed["result"].gaps["race_ethnicity"]})
    assert value == pytest.approx(100 * committed["gaps"].loc["Hispanic/Latino", "abs_diff"])
    assert value < 0


def test_the_committed_sentences_match_the_committed_data() -> None:
    committed = _findings(None)
    text = outputs_text(_committed())
    gaps = committed["gaps"]
    black, white = gaps.loc["Black", "rate"], gaps.loc["White", "rate"]
    assert f"for {black:.0%} of Black patients and {white:.0%} of White patients" in text
    assert f"a gap of {100 * (black - white):+.1f} percentage points" in text
    assert f"It set aside {len(committed['result'].prepared.excluded):,} rows" in text


def test_no_solution_is_executed_and_no_path_or_time_is_stored() -> None:
    nb = _committed()
    code = [c for c in nb.cells if c.cell_type == "code"]
    participant = next(c for c in code if c.source.startswith("# Your turn"))
    assert "hispanic_gap = None" in participant.source and "abs_diff" not in participant.source
    text = outputs_text(nb)
    assert "/tmp/" not in text and str(Path.home()) not in text
    assert not re.search(r"\d{2}:\d{2}:\d{2}", text)


def test_every_citation_exists_in_a_bib_file() -> None:
    nb = _committed()
    keys = {key for cell in nb.cells if cell.cell_type == "markdown" for key in cited_keys(cell.source)}
    bib = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "book").rglob("*.bib"))
    assert keys and all(re.search(rf"@\w+\{{{re.escape(k)},", bib) for k in keys), keys
