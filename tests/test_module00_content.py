"""Module 00 teaches its objectives, renders in JupyterLab as on the site, and points to pages that exist.

Reads the committed notebook (its sources and stored outputs); nbval checks that the outputs are
what a fresh run gives.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from helpers.exercises import check_numeric

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "00_orientation.ipynb"
CELLS = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
PRIVACY = "Write about your team and your data, never about an identifiable patient or colleague."


def _source(cell: dict) -> str:
    return "".join(cell["source"])


def _markdown() -> list[str]:
    return [_source(c) for c in CELLS if c["cell_type"] == "markdown"]


def _code() -> list[dict]:
    return [c for c in CELLS if c["cell_type"] == "code"]


def _outputs_text(cell: dict) -> str:
    parts = []
    for out in cell.get("outputs", []):
        parts.append("".join(out.get("text", "")))
        for value in out.get("data", {}).values():
            if isinstance(value, list):
                parts.append("".join(value))
            elif isinstance(value, str):
                parts.append(value)
    return "\n".join(parts)


def test_no_raw_myst_that_jupyterlab_would_show_as_text() -> None:
    for text in _markdown():
        assert "```{" not in text, "a MyST directive shows as raw text in JupyterLab"
        roles = set(re.findall(r"\{([a-z-]+(?::[a-z]+)?)\}`", text))
        assert roles <= {"cite:p"}, f"MyST roles other than {{cite:p}} in module 00: {roles}"


def test_every_exercise_widget_is_a_scenario_not_recall_and_is_hidden_input() -> None:
    widget_call = re.compile(
        r"^(multiple_choice|numeric_answer|classification|code_exercise|reflection)\(", re.M
    )
    widget_cells = [c for c in _code() if widget_call.search(_source(c))]
    kinds = {widget_call.search(_source(c)).group(1) for c in widget_cells}
    assert {"multiple_choice", "numeric_answer", "classification", "code_exercise", "reflection"} <= kinds
    for cell in widget_cells:
        assert "hide-input" in cell["metadata"].get("tags", []), _source(cell)[:60]
        assert cell["metadata"].get("jupyter", {}).get("source_hidden") is True
    keys = re.findall(r'key="([^"]+)"', "\n".join(_source(c) for c in widget_cells))
    assert len(keys) == len(set(keys)) == len(widget_cells), keys
    # The old recall question (how many health systems in 2017) is gone.
    assert not any("How many US health systems" in _source(c) for c in _code())


def test_the_gap_question_uses_the_sign_convention_and_its_feedback_diagnoses_mix_ups() -> None:
    cell = next(c for c in _code() if _source(c).lstrip().startswith("second_group_rate"))
    source = _source(cell)
    assert "accept_sign=True" in source and "rates=(second_group_rate, second_reference_rate)" in source
    assert "answer=second_gap" in source
    group, reference = (int(x) for x in re.search(r"=\s*(\d+),\s*(\d+)", source).groups())
    gap = group - reference
    options = {"answer": gap, "units": "percentage points", "accept_sign": True, "rates": (group, reference)}
    assert check_numeric(str(gap), **options).correct
    assert check_numeric(str(-gap), **options).correct
    relative = f"{abs(100 * gap / reference):.0f}%"
    assert "relative difference" in check_numeric(relative, **options).message
    assert "proportion" in check_numeric(str(gap / 100), **options).message


def test_the_rate_ratio_exercise_keeps_its_solution_out_of_the_participants_cell() -> None:
    participant = next(c for c in _code() if _source(c).startswith("# Your turn"))
    assert re.search(r"^ratio = None$", _source(participant), re.M)
    check = next(c for c in _code() if _source(c).lstrip().startswith("code_exercise("))
    solution = re.search(r'solution="([^"]+)"', _source(check)).group(1)
    assert solution not in _source(participant)
    assert _outputs_text(participant).strip() == "", "ratio is None until the participant writes the code"
    # No executed cell computes the solution: only the check cell names it, as a string.
    assert [c for c in _code() if "round(group_rate / reference_rate, 2)" in _source(c)] == [check]


def test_every_reflection_has_the_privacy_sentence_above_it() -> None:
    for i, cell in enumerate(CELLS):
        if cell["cell_type"] == "code" and _source(cell).lstrip().startswith("reflection("):
            above = _source(CELLS[i - 1])
            assert CELLS[i - 1]["cell_type"] == "markdown" and PRIVACY in " ".join(above.split())


def test_framing_is_stated_with_the_framework_chapter_and_glossary_linked() -> None:
    text = " ".join(" ".join(_markdown()).split())
    for phrase in [
        "social and political categories, not biology",
        "systematic, avoidable and unjust",
        "system in the subject",
        "dismantle white supremacy culture",
        "equity and racial justice",
        "designed for 40 teams",
        "designed for 10 teams",
        "Genentech",
        "(../book/framework.md)",
        "(../book/glossary.md)",
    ]:
        assert phrase in text, phrase
    assert "](#ref-ihi2022pursuingrelease)" in text  # cited (a link to the reference list)


@pytest.mark.parametrize("pathway", ["00 → 01 → 02 → 03", "07 → 08 → 09", "04 → 05 → 06 → 09"])
def test_pathways_are_stated(pathway: str) -> None:
    assert pathway in " ".join(_markdown())


def test_whats_next_links_to_pages_that_exist_including_the_capstone() -> None:
    whats_next = next(t for t in _markdown() if t.startswith("## What's next"))
    links = re.findall(r"\]\(([^)#]+\.ipynb)\)", whats_next)
    assert "01_strategic_priority.ipynb" in links and "04_measure_disparity.ipynb" in links
    for link in links:
        assert (NOTEBOOK.parent / link).is_file(), link
    assert "09_capstone.ipynb" in links, "What's next links to the capstone, module 09"
