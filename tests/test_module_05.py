"""Module 05 (plan improvement with an equity lens): its findings hold on other data, its exercises
are right, and its aim, figures and widgets follow the workbook's rules."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from helpers.change import change_in_gaps
from helpers.data import load_dataset
from helpers.disparities import gaps
from helpers.exercises import check_aim_statement, solution_value
from helpers.exercises.citations import cited_keys
from helpers.measures import stratified_rates
from module_support import ROOT, module_notebook, outputs_text

NOTEBOOK = module_notebook("05")
START = "2023-07-01"  # the outreach programme's first month (datasets README, H2)


def _committed() -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOK, as_version=4)


def _sources(nb: nbformat.NotebookNode, kind: str = "code") -> list[str]:
    return [c.source for c in nb.cells if c.cell_type == kind]


def _findings(data_dir: Path | None) -> dict[str, object]:
    """What the notebook's prose relies on, computed independently with helpers."""
    h = load_dataset("hypertension_monthly", data_dir=data_dir)
    before, after = h[h["month"] < START], h[h["month"] >= START]

    def rates(frame: pd.DataFrame, by: str | list[str]) -> pd.DataFrame:
        return stratified_rates(frame, "numerator", by, denominator="denominator")

    language = gaps(rates(before, "language"), reference="English").set_index("language")
    clinic = gaps(rates(before, ["clinic", "language"]), reference="English", group="language")
    spanish_clinics = clinic[clinic["language"] == "Spanish"].set_index("clinic")
    race = change_in_gaps(rates(before, "race_ethnicity"), rates(after, "race_ethnicity"), reference="White")
    lang = change_in_gaps(rates(before, "language"), rates(after, "language"), reference="English")
    overall = change_in_gaps(
        rates(before.assign(p="All"), "p"), rates(after.assign(p="All"), "p"), reference="All"
    ).iloc[0]
    return {
        "language": language,
        "largest": str(spanish_clinics["abs_diff"].idxmin()),
        "busiest": str(spanish_clinics["denominator"].idxmax()),
        "race": race.set_index("race_ethnicity"),
        "lang": lang.set_index("language"),
        "overall": overall,
    }


@pytest.fixture(scope="module")
def other_run(module_on_other_seed) -> nbformat.NotebookNode:
    return module_on_other_seed("05")


@pytest.fixture(scope="module")
def other(other_seed_data) -> dict[str, object]:
    return _findings(other_seed_data)


# --------------------------------------------------------------------------- findings on other data
@pytest.mark.slow
def test_language_gap_at_baseline_holds_on_other_seed(other_run, other) -> None:
    """Prose: the clinics control blood pressure less often for patients who prefer Spanish or
    another language than for patients who prefer English (the reference group)."""
    language = other["language"]
    for group in ("Spanish", "Other"):
        assert language.loc[group, "abs_diff_ci_high"] < 0, group
    text = outputs_text(other_run)
    spanish = language.loc["Spanish"]
    assert (
        f"controlled blood pressure for {spanish['rate']:.0%} of patients who prefer Spanish and "
        f"{spanish['reference_rate']:.0%} of patients who prefer English (the reference group): a gap of "
        f"{-100 * spanish['abs_diff']:.1f} percentage points"
    ) in text
    other_gap = -100 * language.loc["Other", "abs_diff"]
    assert f"{other_gap:.1f} percentage points below the same reference group" in text


@pytest.mark.slow
def test_worked_aim_uses_the_other_seeds_baseline_and_is_complete(other_run, other) -> None:
    baseline_gap = round(-100 * other["language"].loc["Spanish", "abs_diff"])
    text = outputs_text(other_run)
    match = re.search(r"> (Narrow the gap in blood-pressure control[^\n]*no group gets worse\.)", text)
    assert match, "the worked example aim is not in the outputs"
    aim = match.group(1)
    assert f"from {baseline_gap} to {round(baseline_gap / 2)} percentage points" in aim
    assert check_aim_statement(aim).complete


@pytest.mark.slow
def test_clinic_named_is_the_one_the_computation_picks_on_other_seed(other_run, other) -> None:
    text = outputs_text(other_run)
    assert f"The gap is largest at **{other['largest']}**" in text
    assert f"The gap for patients who prefer Spanish is largest at {other['largest']}" in text
    assert f"Bilingual community health worker calls at {other['largest']}" in text
    clinics = ["Eastside", "Harbor", "Northgate", "Westview"]
    if other["busiest"] != other["largest"]:
        assert f"{other['busiest']} sees the most patients who prefer Spanish" in text
    for clinic in clinics:
        if clinic not in (other["largest"], other["busiest"]):
            assert f"largest at **{clinic}**" not in text


@pytest.mark.slow
def test_programme_findings_hold_on_other_seed(other_run, other) -> None:
    """Prose: the programme for Black patients raised their control; the Spanish-language gap did not
    narrow (the programme did not reach it); an overall or targeted-group rate alone looked like
    success (both rose)."""
    race, lang, overall = other["race"], other["lang"], other["overall"]
    assert race.loc["Black", "change_ci_low"] > 0
    assert race.loc["Black", "gap_change_ci_low"] > 0  # the Black-White gap narrowed
    assert not lang.loc["Spanish", "gap_change_ci_low"] > 0  # the Spanish gap did not narrow
    assert overall["change"] > 0
    text = outputs_text(other_run)
    assert "it did not narrow. The programme was designed for Black patients" in text
    words = "rose" if overall["change_ci_low"] > 0 else "did not change beyond chance"
    assert f"Overall control {words}" in text
    fell = [g for g, row in race.iterrows() if row["change_ci_high"] < 0]
    if fell:
        assert f"Control fell, beyond chance, for: {', '.join(fell)}" in text
    else:
        assert "No group's control fell by more than chance would explain" in text


# --------------------------------------------------------------------------- committed notebook
def test_committed_outputs_match_helpers_on_the_workbook_data() -> None:
    ours = _findings(None)
    text = outputs_text(_committed())
    spanish = ours["language"].loc["Spanish"]
    assert f"a gap of {-100 * spanish['abs_diff']:.1f} percentage points" in text
    assert f"The gap is largest at **{ours['largest']}**" in text


def test_code_exercise_solution_equals_the_gap_from_helpers() -> None:
    nb = _committed()
    check = next(s for s in _sources(nb) if s.startswith('code_exercise(\n    "spanish_gap_points"'))
    solution = re.search(r"solution='''(.*?)'''", check, re.S).group(1)
    h = load_dataset("hypertension_monthly")
    by_language = stratified_rates(h[h["month"] < START], "numerator", "language", denominator="denominator")
    value = solution_value(solution, "spanish_gap_points", {"by_language": by_language})
    expected = 100 * gaps(by_language, reference="English").set_index("language").loc["Spanish", "abs_diff"]
    assert value == pytest.approx(expected)
    assert value < 0  # sign convention: group minus reference


def test_solution_is_never_executed_or_shown() -> None:
    nb = _committed()
    sources = _sources(nb)
    participant = [s for s in sources if s.startswith("# Your turn")]
    assert len(participant) == 1 and "spanish_gap_points = None" in participant[0]
    assert not any(s.startswith("spanish_rate = ") for s in sources)
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            shown = (
                "".join(out.get("text", ""))
                + "".join(data.get("text/plain", ""))
                + "".join(data.get("text/markdown", ""))
            )
            assert "english_rate = by_language" not in shown
            html = "".join(data.get("text/html", ""))
            if "english_rate = by_language" in html:  # the book's static view: inside a closed <details>
                before = html[: html.index("english_rate = by_language")]
                assert before.rfind("<details>") > before.rfind("</details>")
                assert "<details open" not in html
    check_cell = next(c for c in nb.cells if c.cell_type == "code" and c.source.startswith("code_exercise("))
    assert "hide-input" in check_cell.metadata.get("tags", [])


def test_widgets_are_hidden_and_have_unique_keys() -> None:
    nb = _committed()
    widgets = (
        "multiple_choice(",
        "classification(",
        "aim_statement_builder(",
        "code_exercise(",
        "driver_diagram_builder(",
        "reflection(",
    )
    keys = []
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.source.startswith(widgets):
            assert "hide-input" in cell.metadata.get("tags", []), cell.source[:40]
            assert cell.metadata.get("jupyter", {}).get("source_hidden") is True
            assert "workbook=workbook" in cell.source and "module=MODULE" in cell.source
            keys += re.findall(r'key="([^"]+)"', cell.source)
    assert len(keys) == len(set(keys)) >= 7
    kinds = {w for w in widgets if any(s.startswith(w) for s in _sources(nb))}
    assert kinds == set(widgets)


def test_at_least_two_figures_with_alt_text_and_caption() -> None:
    html = "\n".join(
        "".join(o.get("data", {}).get("text/html", ""))
        for c in _committed().cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
    )
    figure = r'<figure class="pe-figure"><img [^>]*alt="([^"]+)"[^>]*><figcaption>([^<]+)</figcaption>'
    figures = re.findall(figure, html)
    assert len(figures) >= 5
    for alt, caption in figures:
        assert len(alt) > 40 and caption.strip()
        assert "AIAN" not in alt and "NHPI" not in alt


def test_structure_headings_and_timing() -> None:
    nb = _committed()
    headings = [line for s in _sources(nb, "markdown") for line in s.splitlines() if line.startswith("#")]
    assert headings[0] == "# Module 05 · Plan improvement with an equity lens"
    assert sum(h.startswith("# ") for h in headings) == 1
    numbered = [h for h in headings if re.match(r"## \d", h)]
    assert len(numbered) >= 6 and all(re.search(r"\(\d+ min\)$", h) for h in numbered)
    minutes = sum(int(re.search(r"\((\d+) min\)$", h).group(1)) for h in numbered)
    assert 60 <= minutes <= 75
    for section in (
        "## Before you start",
        "## Summary",
        "## Reflect",
        "## What's next",
        "## Further reading",
    ):
        assert section in headings
    reflect = next(s for s in _sources(nb, "markdown") if s.startswith("## Reflect"))
    assert "never about an identifiable patient or colleague" in reflect


def test_markdown_cells_state_no_data_numbers() -> None:
    """Numbers from the data appear only in computed outputs; prose may name months, sections and
    the sources' own numbers."""
    for source in _sources(_committed(), "markdown"):
        for match in re.finditer(r"(?<!\d)(?!95%)\d+(\.\d+)?\s*%", source):  # 95% is the confidence level
            raise AssertionError(f"a percentage typed into prose: {match.group(0)!r} in {source[:60]!r}")


def test_citations_exist() -> None:
    keys: set[str] = set()
    for bib in [
        ROOT / "book/references.bib",
        ROOT / "book/_datasets_refs.bib",
        *sorted((ROOT / "book/bib").glob("*.bib")),
    ]:
        keys |= set(re.findall(r"@\w+\{([^,]+),", bib.read_text(encoding="utf-8")))
    texts = [*_sources(_committed(), "markdown"), (ROOT / "book/faculty/05_plan_improvement.md").read_text()]
    cited = {key for t in texts for key in cited_keys(t)}
    assert cited and cited <= keys, cited - keys


def test_parameters_cell_is_first_code_cell() -> None:
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    first = next(c for c in cells if c["cell_type"] == "code")
    assert "parameters" in first["metadata"].get("tags", [])
