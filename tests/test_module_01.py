"""Module 01 (make equity a strategic priority): what its prose claims holds, on the committed data
and on the datasets regenerated with another seed."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from helpers.data import load_dataset
from helpers.exercises import score_self_assessment
from helpers.exercises.focus import lowest_rated_items, weakest_components
from module_support import ROOT, module_notebook, outputs_text

NOTEBOOK = module_notebook("01")
FIVE_COMPONENTS = [
    "Make health equity a strategic priority",
    "Develop structure and processes",
    "Deploy specific strategies",
    "Decrease institutional racism",
    "Develop community partnerships",
]


@pytest.fixture(scope="module")
def committed() -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOK, as_version=4)


def _code(nb: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [c for c in nb.cells if c.cell_type == "code"]


def _markdown(nb: nbformat.NotebookNode) -> list[str]:
    # the prose, without the generated reference list (its DOIs and page numbers are not data)
    return [
        c.source
        for c in nb.cells
        if c.cell_type == "markdown" and "reference-list" not in c.metadata.get("tags", [])
    ]


def _examples(nb: nbformat.NotebookNode) -> tuple[dict, dict]:
    """The fictional ratings exactly as the notebook defines them (its own cells, run here alone)."""
    namespace: dict = {}
    for name in ("example_now", "example_later"):
        (cell,) = [c for c in _code(nb) if f"{name} = {{" in c.source]
        lines = [line for line in cell.source.splitlines() if not line.startswith("scores_")]
        lines = [line for line in lines if not line.startswith(("change", "risen_most"))]
        exec("\n".join(lines), namespace)
    return namespace["example_now"], namespace["example_later"]


def _stated_findings(items, now: dict, later: dict) -> dict:
    scores_now = score_self_assessment(now, items)
    scores_later = score_self_assessment(later, items)
    change = scores_later["mean_rating"] - scores_now["mean_rating"]
    return {
        "weakest_now": weakest_components(scores_now),
        "weakest_later": weakest_components(scores_later),
        "risen": int((change > 0).sum()),
        "risen_most": scores_later.loc[change.idxmax(), "component"],
        "start_here": lowest_rated_items(now, items, weakest_components(scores_now)[0]),
    }


def _check_outputs_state(text: str, found: dict) -> None:
    (weakest,) = found["weakest_now"]
    assert f"rates itself lowest on **{weakest}**" in text
    assert f"So the first work in **{weakest}**" in text
    assert f"(right): Right: this works on {weakest}, the component the example rates lowest" in text
    for item in found["start_here"]["item"]:
        assert f"- {item} For example:" in text
    (later,) = found["weakest_later"]
    assert f"A year later the weakest component is **{later}**, no longer {weakest}" in text
    assert (
        f"rates itself higher in {found['risen']} of 5 components, most of all in {found['risen_most']}"
        in (text.replace("\n", " "))
    )


# ------------------------------------------------------------------------------------ other seed
@pytest.mark.slow
def test_module_runs_on_another_seed_and_states_what_the_example_gives_there(
    module_on_other_seed, other_seed_data: Path
) -> None:
    executed = module_on_other_seed("01")
    items = load_dataset("self_assessment", data_dir=other_seed_data)
    found = _stated_findings(items, *_examples(executed))
    _check_outputs_state(outputs_text(executed), found)


def test_item_bank_on_another_seed_still_has_all_five_components(other_seed_data: Path) -> None:
    items = load_dataset("self_assessment", data_dir=other_seed_data)
    counts = items.groupby("component", observed=True)["item_id"].count()
    assert counts.index.tolist() == FIVE_COMPONENTS
    assert (counts >= 3).all()  # enough statements per component for a mean and a radar chart
    assert items["item_id"].str.match(r"^C[1-5]\.\d+$").all()


# ------------------------------------------------------------------------------------ committed data
def test_committed_outputs_state_what_helpers_give_on_the_committed_data(committed) -> None:
    found = _stated_findings(load_dataset("self_assessment"), *_examples(committed))
    _check_outputs_state(outputs_text(committed), found)


def test_the_worked_example_tells_the_story_the_prose_tells(committed) -> None:
    """The prose says: weakest is component 1, where the system has spoken in public but has no aims with
    owners, no accountability and no stratified review; a year later those statements rose."""
    items = load_dataset("self_assessment")
    now, later = _examples(committed)
    found = _stated_findings(items, now, later)
    assert found["weakest_now"] == ["Make health equity a strategic priority"]
    assert found["start_here"]["item_id"].tolist() == ["C1.2", "C1.3", "C1.5"]
    assert now["C1.1"] > found["start_here"]["rating"].max()  # said in public
    assert all(
        later[i] > now[i] for i in ("C1.2", "C1.3", "C1.4", "C1.5")
    )  # aims, accountability, money, dashboard
    assert found["weakest_later"] != found["weakest_now"]
    assert set(now) == set(items["item_id"]) == set(later)  # every statement is rated, once
    assert all(1 <= v <= 5 for v in [*now.values(), *later.values()])


def test_the_fictional_plan_is_labelled_short_and_lacks_what_the_answer_key_says(committed) -> None:
    (plan,) = [m for m in _markdown(committed) if "Fictional excerpt" in m]
    quoted = "\n".join(line[1:].strip() for line in plan.splitlines() if line.startswith(">"))
    words = len(re.findall(r"[A-Za-z][A-Za-z'’-]*", quoted))
    assert 150 <= words <= 250, words
    assert "**fictional**" in plan
    for place in ("Eastside", "Harbor", "Northgate", "Westview", "hospital"):
        assert place in quoted
    lower = quoted.lower()
    assert "equity guide" in lower and "by the end of 2027" in lower and "equity council" in lower  # present
    for absent in (
        "stratif",
        "race",
        "ethnic",
        "language",
        "budget",
        "fund",
        "accountab",
        "sponsor",
        "officer",
        "advis",
        "co-design",
        "partner",
    ):
        assert absent not in lower, absent  # missing, as the select-all answer says


def test_exercise_answers_are_the_ones_the_prose_and_faculty_page_explain(committed) -> None:
    (select_cell,) = [c for c in _code(committed) if c.source.startswith("select_all(")]
    static = "".join(select_cell.outputs[0]["data"]["text/html"])
    assert "<p><strong>Answer:</strong> B, C, D, F.</p>" in static
    (mc_cell,) = [c for c in _code(committed) if 'key="quiz_board_dashboard"' in c.source]
    assert "<p><strong>Answer:</strong> B." in "".join(mc_cell.outputs[0]["data"]["text/html"])
    faculty = (ROOT / "book" / "faculty" / "01_strategic_priority.md").read_text(encoding="utf-8")
    assert "B, C, D, F" in faculty


def test_solution_is_never_run_as_a_cell_and_widgets_are_hidden_with_unique_keys(committed) -> None:
    code = _code(committed)
    assert not [c for c in code if "idxmin" in c.source and not c.source.startswith("code_exercise(")]
    (participant,) = [c for c in code if c.source.startswith("# Your turn")]
    assert re.search(r"^weakest = None$", participant.source, re.M) and not participant.outputs
    (check,) = [c for c in code if c.source.startswith("code_exercise(")]
    assert "scores_now.loc" not in outputs_text(nbformat.v4.new_notebook(cells=[check])).split("<summary>")[0]
    widget_cells = [c for c in code if "workbook=workbook" in c.source]
    assert len(widget_cells) == 7
    for cell in widget_cells:
        assert "hide-input" in cell.metadata.get("tags", []) and cell.metadata["jupyter"]["source_hidden"]
    keys = [re.search(r'key="([^"]+)"', c.source).group(1) for c in widget_cells]
    assert len(set(keys)) == len(keys) and "commitment" in keys


def test_commitment_prompt_asks_what_who_and_by_when(committed) -> None:
    (cell,) = [c for c in _code(committed) if 'key="commitment"' in c.source]
    prompt = cell.source.lower()
    assert "what will your organisation commit to" in prompt
    assert "who is accountable" in prompt and "by when" in prompt


def test_markdown_states_no_data_number(committed) -> None:
    """Numbers from the data appear only in outputs: no decimals or percentages in the prose."""
    for text in _markdown(committed):
        prose = re.sub(r"`C\d\.\d`", "", text.replace("LD.04.03.08", ""))  # a standard and item ids
        assert not re.search(r"\d+\.\d+|\d\s*%", prose), prose[:200]
