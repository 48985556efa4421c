"""Module 08 (community partnerships and social drivers): its stated findings hold on other data.

The prose claims only what the planted structure guarantees (S1: patients whose race and ethnicity
is unknown are screened least; S2: food insecurity is found more often among Black and Hispanic or
Latino patients than White patients; S3 and the patients' deprivation effects: social needs rise,
and the clinics' results fall, with neighbourhood deprivation). Everything else (which decile is
most extreme, the exact numbers) is computed in the notebook, words included; these tests
recompute each with ``helpers`` on the datasets regenerated with another seed.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from helpers.data import load_dataset
from helpers.disparities import gaps, inequality_indices
from helpers.exercises import solution_value
from helpers.measures import stratified_rates
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

NOTEBOOK = module_notebook("08")
FACULTY = ROOT / "book" / "faculty" / "08_community_partnerships.md"


def _findings(screening: pd.DataFrame, patients: pd.DataFrame) -> dict:
    out: dict = {}
    screened = stratified_rates(screening, "screened", "race_ethnicity", denominator="eligible")
    out["screened"] = screened[~screened["suppressed"]].set_index("race_ethnicity")["rate"]
    food = stratified_rates(screening, "food_insecurity", "race_ethnicity", denominator="screened")
    out["food"] = gaps(food, reference="White").set_index("race_ethnicity")
    needs = stratified_rates(screening, "any_need", "deprivation_decile", denominator="screened")
    out["needs"] = needs
    out["sii"] = {"needs": inequality_indices(needs)["slope_index_of_inequality"]}
    for outcome in ("bp_controlled", "hba1c_controlled", "crc_screened"):
        table = stratified_rates(patients, outcome, "deprivation_decile", missing_outcome="exclude")
        out[outcome] = table
        out["sii"][outcome] = inequality_indices(table)["slope_index_of_inequality"]
    out["most_deprived"] = sorted(
        screening.loc[screening["deprivation_decile"] == 10, "neighbourhood"].unique()
    )
    return out


def _check_planted_claims(f: dict) -> None:
    """What the markdown prose states as fact: it must hold on any seed."""
    recorded = f["screened"].drop("Unknown")
    assert f["screened"]["Unknown"] < recorded.min()  # S1: where registration fails, so does screening
    for group in ("Black", "Hispanic/Latino"):  # S2: the differences the prose explains
        assert f["food"].loc[group, "abs_diff_ci_low"] > 0, group
    # Summary: "Social needs follow deprivation and, in these data, so do the clinics' own results".
    assert f["sii"]["needs"] > 0
    for outcome in ("bp_controlled", "hba1c_controlled", "crc_screened"):
        assert f["sii"][outcome] < 0, outcome
    # The food sentence names White and Asian rows: both always shown.
    assert not f["food"].loc[["White", "Asian"], "suppressed"].any()


def _check_outputs_state(text: str, f: dict) -> None:
    text = flat_text(text)
    s = f["screened"]
    recorded = s.drop("Unknown")
    assert (
        f"between {recorded.min():.0%} and {recorded.max():.0%} of eligible patients in every recorded race "
        f"and ethnicity group, but {s['Unknown']:.0%} of patients whose race and ethnicity is unknown" in text
    )
    food = f["food"]
    assert f"against {food.loc['White', 'rate']:.0%} of White patients (the reference group)" in text
    assert f"{food.loc['Black', 'rate']:.0%} of Black" in text
    sii = f["sii"]
    assert f"SII {sii['needs'] * 100:+.1f} percentage points" in text
    assert f"SII {sii['bp_controlled'] * 100:+.1f} percentage points" in text
    assert "Social needs rise and blood-pressure control falls with neighbourhood deprivation" in text
    needs, bp = f["needs"], f["bp_controlled"]
    extreme = needs["rate"].idxmax() == needs.index[-1] and bp["rate"].idxmin() == bp.index[-1]
    names = " and ".join(f["most_deprived"])
    if extreme:
        assert f"The most deprived decile is {names}: there the clinics find the most social needs" in text
    else:
        assert f"The most deprived decile is {names}: needs rise and blood-pressure control falls" in text
    in_ten = round(needs["rate"].iloc[-1] * 10)
    assert f"about {in_ten} told us they face at least one of these" in text
    answer = round(float(sii["bp_controlled"]) * 100, 1)
    assert f"<strong>Answer:</strong> {answer:,.6g} percentage points" in text


@pytest.mark.slow
def test_module_runs_on_another_seed_and_its_findings_hold_there(
    module_on_other_seed, other_seed_data: Path
) -> None:
    f = _findings(
        load_dataset("sdoh_screening", data_dir=other_seed_data),
        load_dataset("patients", data_dir=other_seed_data),
    )
    _check_planted_claims(f)
    _check_outputs_state(outputs_text(module_on_other_seed("08")), f)


def test_committed_outputs_state_what_helpers_give_on_the_committed_data() -> None:
    f = _findings(load_dataset("sdoh_screening"), load_dataset("patients"))
    _check_planted_claims(f)
    _check_outputs_state(outputs_text(nbformat.read(NOTEBOOK, as_version=4)), f)


def test_code_exercise_solution_is_never_run_in_the_notebook_and_is_right() -> None:
    cells = [c for c in module_cells("08") if c["cell_type"] == "code"]
    (participant,) = [c for c in cells if cell_source(c).startswith("# Your turn")]
    assert re.search(r"^need_decile10 = None$", cell_source(participant), re.M)
    (check,) = [c for c in cells if "code_exercise(" in cell_source(c)]
    assert cell_source(check).startswith("code_exercise(")
    assert "hide-input" in check["metadata"]["tags"] and check["metadata"]["jupyter"]["source_hidden"]
    for cell in cells:
        if cell is not check:
            for line in re.findall(r"^need_decile10\s*=.*$", cell_source(cell), re.M):
                assert line.strip() == "need_decile10 = None", line
        for out in cell.get("outputs", []):
            assert 'deprivation_decile"] == 10, "rate"].item()' not in "".join(
                out.get("data", {}).get("text/plain", "")
            )
    screening = load_dataset("sdoh_screening")
    needs = stratified_rates(screening, "any_need", "deprivation_decile", denominator="screened")
    solution = re.search(r'solution="""(.*?)"""', cell_source(check), re.S).group(1)
    value = solution_value(solution, "need_decile10", {"needs_by_decile": needs})
    assert value == pytest.approx(needs["rate"].iloc[-1]) and 0 < value < 1


def test_widget_cells_are_hidden_and_keys_unique() -> None:
    keys = widget_cell_keys(module_cells("08"))
    assert len(keys) == len(set(keys)) >= 6


def test_markdown_states_no_data_numbers() -> None:
    for cell in module_cells("08"):
        if cell["cell_type"] == "markdown":
            assert not markdown_numbers(cell_source(cell)), cell_source(cell)[:80]


def test_headings_in_order_with_times() -> None:
    markdown = [cell_source(c) for c in module_cells("08") if c["cell_type"] == "markdown"]
    assert_module_outline(module_headings(markdown), "08", sections=5)


def test_every_citation_exists_in_a_bib_file() -> None:
    text = "".join(cell_source(c) for c in module_cells("08")) + FACULTY.read_text(encoding="utf-8")
    assert not uncited_keys(text)


def test_faculty_page_links_the_module_and_has_an_answer_key() -> None:
    page = FACULTY.read_text(encoding="utf-8")
    assert page.startswith("# Module 08 · Community partnerships and social drivers: facilitator page")
    assert "../../notebooks/08_community_partnerships" in page
    for section in (
        "## Goals",
        "## Answer key",
        "## Exit ticket",
        "Run-sheet: 60 minutes",
        "Run-sheet: 90 minutes",
    ):
        assert section in page
    keys = set(re.findall(r'key="([^"]+)"', "".join(cell_source(c) for c in module_cells("08"))))
    for key in keys - {"reflection_partnership"}:
        assert f"`{key}`" in page, f"answer key misses {key}"
