"""Module 07 (workforce and institutional racism): its stated findings hold on other data.

The prose claims only what the planted structure of ``workforce_survey`` guarantees (W1: Black
staff report far more discrimination than White staff; W2: burnout is common in every role; W3:
staff who report discrimination intend to leave more often; and, by construction, they report
moral injury more often). Everything that may differ between seeds (which role is highest, whether
a gap's change is distinguishable from zero, how many cells are hidden) is computed in the
notebook, words included; these tests recompute each with ``helpers`` on the datasets regenerated
with another seed and check the notebook says exactly that there.
"""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pandas as pd
import pytest

from helpers.change import change_in_gaps
from helpers.data import load_dataset
from helpers.disparities import gaps
from helpers.exercises import solution_value
from helpers.measures import stratified_rates
from helpers.overlap import rates_side_by_side
from module_support import (
    ROOT,
    assert_module_outline,
    cell_source,
    flat_text,
    markdown_numbers,
    module_cells,
    module_headings,
    module_notebook,
    outputs_text,
    uncited_keys,
    widget_cell_keys,
)

NOTEBOOK = module_notebook("07")
FACULTY = ROOT / "book" / "faculty" / "07_workforce_racism.md"


# ---------------------------------------------------------------------- findings, recomputed
def _findings(survey: pd.DataFrame) -> dict:
    """Every number and word the notebook states, recomputed with helpers as the notebook does."""
    wave1 = survey[survey["wave"] == 1]
    out: dict = {}
    by_role = stratified_rates(wave1, "burned_out", "role")
    out["burnout_by_role"] = by_role[~by_role["suppressed"]].set_index("role")["rate"]
    four = rates_side_by_side(
        wave1.assign(betrayed=(wave1["mi_betrayal"] >= 4).astype(int)),
        {
            "burned_out": "Burnout",
            "betrayed": "Moral injury (betrayed by leaders)",
            "intent_to_leave": "Intent to leave",
            "experienced_discrimination": "Experienced discrimination",
        },
        "race_ethnicity",
    )
    shown = four[~four["suppressed"]]
    out["spread"] = shown.groupby("measure", sort=False)["rate"].agg(lambda r: r.max() - r.min())
    d1 = stratified_rates(wave1, "experienced_discrimination", "race_ethnicity", missing_outcome="exclude")
    out["gaps_w1"] = gaps(d1, reference="White").set_index("race_ethnicity")
    reported = wave1.assign(
        discrimination=wave1["experienced_discrimination"].map(
            {1: "Reported discrimination", 0: "Did not report"}
        ),
        betrayed=(wave1["mi_betrayal"] >= 4).astype(int),
    )
    for name in ("intent_to_leave", "betrayed"):
        table = stratified_rates(reported, name, "discrimination", missing="exclude")
        out[name] = gaps(table, reference="Did not report").set_index("discrimination")
    d2 = stratified_rates(
        survey[survey["wave"] == 2], "experienced_discrimination", "race_ethnicity", missing_outcome="exclude"
    )
    out["change"] = change_in_gaps(d1, d2, reference="White").set_index("race_ethnicity")
    out["fine"] = stratified_rates(
        survey[survey["wave"] == 2],
        "experienced_discrimination",
        ["role", "race_ethnicity", "gender"],
        missing_outcome="exclude",
    )
    out["by_wave"] = {
        m: gaps(stratified_rates(survey, m, "wave"), reference="1").set_index("wave").loc[2]
        for m in ("burned_out", "intent_to_leave")
    }
    return out


def _check_planted_claims(f: dict) -> None:
    """What the markdown prose states as fact (no numbers): it must hold on any seed."""
    # "Burnout is common in every role" (planted W2: 43-55% by role).
    assert (f["burnout_by_role"] >= 0.30).all(), f["burnout_by_role"]
    # Black staff report far more discrimination than White staff (planted W1: 45% vs 12%).
    black = f["gaps_w1"].loc["Black"]
    assert black["abs_diff_ci_low"] > 0.15
    # "discrimination goes with intent to leave and with lost trust in leaders" (W3; moral injury factor).
    for name in ("intent_to_leave", "betrayed"):
        assert f[name].loc["Reported discrimination", "abs_diff_ci_low"] > 0, name
    # Hispanic/Latino staff are always shown in both waves (the numeric exercise reads their row).
    assert not bool(f["change"].loc["Hispanic/Latino", "suppressed"])


def _check_outputs_state(text: str, f: dict) -> None:
    """The notebook's computed sentences say what helpers give on the same data."""
    text = flat_text(text)
    rates = f["burnout_by_role"]
    most, least = rates.idxmax(), rates.idxmin()
    assert f"from {rates[least]:.0%} ({least.lower()}) to {rates[most]:.0%} ({most.lower()})" in text, (
        "burnout sentence"
    )
    spread = f["spread"]
    assert (
        f"differ most in **{spread.idxmax().lower()}** (a range of {spread.max() * 100:.0f} percentage"
        in text
    )
    assert f"least in **{spread.idxmin().lower()}** ({spread.min() * 100:.0f} points)" in text
    g = f["gaps_w1"]
    black, white = g.loc["Black"], g.loc["White"]
    assert (
        f"{black['rate']:.0%} of Black staff report discrimination at work in the past 12 months, "
        f"against {white['rate']:.0%} of White staff (the reference group)" in text
    )
    of_colour = g[~g["suppressed"] & ~g.index.isin(["White", "Unknown"])]
    every = "Every" if (of_colour["abs_diff_ci_low"] > 0).all() else "Not every"
    assert f"{every} group of colour large enough to show" in text
    leave = f["intent_to_leave"].loc["Reported discrimination"]
    assert f"{leave['rate']:.0%} of staff who reported discrimination intend to leave" in text
    b = f["change"].loc["Black"]
    assert f"a change of {b['gap_change'] * 100:+.1f} points" in text
    if b["gap_change_ci_high"] < 0:
        assert "the gap narrowed by more than chance alone would explain" in text
    elif b["gap_change_ci_low"] > 0:
        assert "the gap widened" in text
    else:
        assert "The interval includes zero" in text
    for measure, words in (("burned_out", "burned out"), ("intent_to_leave", "intending to leave")):
        row = f["by_wave"][measure]
        moved = (
            "fell"
            if row["abs_diff_ci_high"] < 0
            else "rose"
            if row["abs_diff_ci_low"] > 0
            else "did not change clearly"
        )
        assert f"The share of staff {words} {moved}: {row['reference_rate']:.0%} in wave 1" in text
    fine = f["fine"]
    assert f"the three-way table has {len(fine)} cells" in text
    # The numeric exercise's answer (static view) is the Hispanic/Latino change in gap from helpers.
    answer = round(float(f["change"].loc["Hispanic/Latino", "gap_change"]) * 100, 1)
    assert f"<strong>Answer:</strong> {answer:,.6g} percentage points" in unescape(text) or (
        f"Answer: {answer:,.6g} percentage points" in text
    )


@pytest.mark.slow
def test_module_runs_on_another_seed_and_its_findings_hold_there(
    module_on_other_seed, other_seed_data: Path
) -> None:
    survey = load_dataset("workforce_survey", data_dir=other_seed_data)
    findings = _findings(survey)
    _check_planted_claims(findings)
    executed = module_on_other_seed("07")
    _check_outputs_state(outputs_text(executed), findings)


def test_committed_outputs_state_what_helpers_give_on_the_committed_data() -> None:
    findings = _findings(load_dataset("workforce_survey"))
    _check_planted_claims(findings)
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    import nbformat

    _check_outputs_state(outputs_text(nbformat.from_dict(nb)), findings)


# ---------------------------------------------------------------------- the code exercise
def test_code_exercise_solution_is_never_run_in_the_notebook_and_is_right() -> None:
    cells = [c for c in module_cells("07") if c["cell_type"] == "code"]
    (participant,) = [c for c in cells if cell_source(c).startswith("# Your turn")]
    assert re.search(r"^n_shown = None$", cell_source(participant), re.M)
    (check,) = [c for c in cells if "code_exercise(" in cell_source(c)]
    assert cell_source(check).startswith("code_exercise(")  # the first line reveals nothing
    assert "hide-input" in check["metadata"]["tags"] and check["metadata"]["jupyter"]["source_hidden"]
    for cell in cells:  # no executed cell assigns the answer
        if cell is not check:
            for line in re.findall(r"^n_shown\s*=.*$", cell_source(cell), re.M):
                assert line.strip() == "n_shown = None", line
    # The solution appears in outputs only inside a closed <details> (static view) or the hidden widget box.
    for cell in cells:
        for out in cell.get("outputs", []):
            plain = "".join(out.get("data", {}).get("text/plain", ""))
            assert "int((~fine" not in plain
    survey = load_dataset("workforce_survey")
    fine = stratified_rates(
        survey[survey["wave"] == 2],
        "experienced_discrimination",
        ["role", "race_ethnicity", "gender"],
        missing_outcome="exclude",
    )
    solution = re.search(r'solution="""(.*?)"""', cell_source(check), re.S).group(1)
    value = solution_value(solution, "n_shown", {"fine": fine})
    assert value == int((~fine["suppressed"]).sum()) and 0 < value < len(fine)


# ---------------------------------------------------------------------- conventions
def test_widget_cells_are_hidden_and_keys_unique() -> None:
    keys = widget_cell_keys(module_cells("07"))
    assert len(keys) == len(set(keys)) >= 8


def test_markdown_states_no_data_numbers() -> None:
    for cell in module_cells("07"):
        if cell["cell_type"] == "markdown":
            assert not markdown_numbers(cell_source(cell)), cell_source(cell)[:80]


def test_headings_in_order_with_times() -> None:
    markdown = [cell_source(c) for c in module_cells("07") if c["cell_type"] == "markdown"]
    assert_module_outline(module_headings(markdown), "07", sections=5)


def test_every_citation_exists_in_a_bib_file() -> None:
    text = "".join(cell_source(c) for c in module_cells("07")) + FACULTY.read_text(encoding="utf-8")
    assert not uncited_keys(text)


def test_faculty_page_links_the_module_and_has_an_answer_key() -> None:
    page = FACULTY.read_text(encoding="utf-8")
    assert page.startswith("# Module 07 · Workforce and institutional racism: facilitator page")
    assert "{doc}`" in page and "../../notebooks/07_workforce_racism" in page
    for section in (
        "## Goals",
        "## Answer key",
        "## Exit ticket",
        "Run-sheet: 60 minutes",
        "Run-sheet: 90 minutes",
    ):
        assert section in page
    keys = set(re.findall(r'key="([^"]+)"', "".join(cell_source(c) for c in module_cells("07"))))
    for key in keys - {"reflection_policy_audit", "reflection_staff_data"}:
        assert f"`{key}`" in page, f"answer key misses {key}"
