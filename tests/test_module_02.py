"""Module 02: its stated findings hold on data made with another seed, and its exercises are honest.

Each qualitative claim in the module's prose (or in words its code computes) is recomputed here
with ``helpers`` on the other seed's data, and the executed notebook must show the same words.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from helpers.categories import rates_by_rule
from helpers.data import load_dataset
from helpers.data_quality import completeness_table
from helpers.exercises import solution_value
from helpers.measures import stratified_rates
from module_support import (
    module_cells,
    module_notebook,
    outputs_text,
    widget_cell_keys,
)

NOTEBOOK = module_notebook("02")


@pytest.fixture(scope="module")
def other_patients(other_seed_data: Path) -> pd.DataFrame:
    return load_dataset("patients", data_dir=other_seed_data)


@pytest.fixture(scope="module")
def other_text(module_on_other_seed) -> str:
    return outputs_text(module_on_other_seed("02"))


def _pct(x: float) -> str:
    return f"{x:.0%}"


@pytest.mark.slow
def test_segregation_black_and_hispanic_patients_live_more_often_in_deprived_neighbourhoods(
    other_patients: pd.DataFrame, other_text: str
) -> None:
    data = other_patients.assign(most_deprived=(other_patients["deprivation_decile"] >= 8).astype(int))
    share = stratified_rates(data, "most_deprived", "race_ethnicity").set_index("race_ethnicity")["rate"]
    assert share["Black"] > share["White"] and share["Hispanic/Latino"] > share["White"]
    assert share["White"] == share.min()  # the figure's title names the lowest group
    assert (
        f"{_pct(share['Black'])} of Black patients and {_pct(share['Hispanic/Latino'])} of Hispanic or Latino"
        in other_text
    )
    by_clinic = stratified_rates(data, "most_deprived", "clinic").set_index("clinic")["rate"]
    assert by_clinic.idxmax() == "Eastside"  # the clinic of the most deprived neighbourhoods (by design)
    assert f"At {by_clinic.idxmax()}, {_pct(by_clinic.max())} of patients" in other_text


@pytest.mark.slow
def test_missing_race_is_mostly_unknown_and_worst_for_hispanic_patients(
    other_patients: pd.DataFrame, other_text: str
) -> None:
    by_clinic = completeness_table(other_patients, "race", "clinic")
    assert (by_clinic["Unknown"] > by_clinic["Declined"]).all()
    assert "At every clinic, 'Unknown' (a system failure) is more common than 'Declined'" in other_text
    worst = by_clinic.loc[by_clinic["any"].idxmax()]
    assert f"Race is missing for {_pct(worst['any'])} of patients at {worst['clinic']}" in other_text
    by_eth = completeness_table(other_patients, "race", "ethnicity").set_index("ethnicity")["any"]
    assert by_eth["Hispanic or Latino"] > 2 * by_eth["Not Hispanic or Latino"]
    assert (
        f"Race is missing for {_pct(by_eth['Hispanic or Latino'])} of patients recorded as Hispanic"
        in other_text
    )
    # "clinics that serve more Hispanic or Latino patients tend to have more missing race data"
    hispanic = (
        (other_patients["ethnicity"] == "Hispanic or Latino")
        .groupby(other_patients["clinic"], observed=True)
        .mean()
    )
    missing = by_clinic.set_index("clinic")["any"]
    assert missing[hispanic.idxmax()] > missing[hispanic.idxmin()]


@pytest.mark.slow
def test_sexual_orientation_is_not_asked_more_often_at_older_ages(
    other_patients: pd.DataFrame, other_text: str
) -> None:
    not_asked = completeness_table(other_patients, "sexual_orientation", "age_group").set_index("age_group")
    assert not_asked["Not asked"].iloc[-1] > not_asked["Not asked"].iloc[0]
    assert "staff ask older patients less often" in other_text
    merged = other_patients["sexual_orientation"].isin(["Declined", "Not asked"]).mean()
    assert f"for sexual orientation: {_pct(merged)} of all patients" in other_text
    assert not_asked["Not asked"].gt(not_asked["Declined"]).all()  # the quiz: most of 'Missing' is Not asked


@pytest.mark.slow
def test_some_other_race_is_still_mostly_hispanic(other_patients: pd.DataFrame, other_text: str) -> None:
    other = other_patients.loc[other_patients["race"] == "Some other race", "ethnicity"]
    share = (other == "Hispanic or Latino").mean()
    assert share > 0.5
    assert (
        f"{_pct(share)} of the patients recorded as 'Some other race' are Hispanic or Latino: most of them."
        in (other_text)
    )


@pytest.mark.slow
def test_race_only_rule_lowers_the_white_rate_and_hides_the_hispanic_group(
    other_patients: pd.DataFrame, other_text: str
) -> None:
    t = rates_by_rule(other_patients, "bp_controlled").set_index(["rule", "group"])
    white_hf, white_ro = t.loc[("hispanic_first", "White"), "rate"], t.loc[("race_only", "White"), "rate"]
    assert white_ro < white_hf
    assert "percentage points lower" in other_text
    assert f"It falls from {white_hf:.1%} to {white_ro:.1%}" in other_text  # the quiz's right option
    assert ("race_only", "Hispanic/Latino") not in t.index
    assert t.loc[("race_only", "Other"), "patients"] > t.loc[("hispanic_first", "Other"), "patients"]
    assert t.loc[("race_only", "White"), "patients"] > t.loc[("hispanic_first", "White"), "patients"]
    assert t.loc["any_mention", "share"].sum() > 1


def test_code_exercise_solution_matches_the_completeness_table_and_is_never_run() -> None:
    patients = load_dataset("patients")
    check_cell = next(c for c in module_cells("02") if "code_exercise(" in "".join(c["source"]))
    solution = re.search(r'solution="""(.*?)"""', "".join(check_cell["source"]), re.S).group(1)
    value = solution_value(solution, "harbor_missing", {"patients": patients})
    table = completeness_table(patients, "race", "clinic").set_index("clinic")
    assert value == pytest.approx(table.loc["Harbor", "any"])
    sources = ["".join(c["source"]) for c in module_cells("02") if c["cell_type"] == "code"]
    assert any("harbor_missing = None" in s for s in sources)
    assert not any(s.lstrip().startswith("harbor_missing = patients") for s in sources)
    assert sum("code_exercise(" in s for s in sources) == 1


def test_the_numeric_answer_is_computed_from_the_data() -> None:
    sources = ["".join(c["source"]) for c in module_cells("02") if c["cell_type"] == "code"]
    numeric = next(s for s in sources if "numeric_answer(" in s)
    assert 'answer=100 * (patients.loc[patients["race"] == "Some other race", "ethnicity"]' in numeric


def test_committed_outputs_show_figures_with_alt_text_and_suppressed_small_cells() -> None:
    cells = module_cells("02")
    figures = [
        "".join(o["data"]["text/html"])
        for c in cells
        for o in c.get("outputs", [])
        if "<figure" in "".join(o.get("data", {}).get("text/html", ""))
        and "pe-exercise" not in "".join(o.get("data", {}).get("text/html", ""))
    ]
    assert len(figures) >= 2
    assert all('alt="' in f and "<figcaption>" in f for f in figures)
    text = "\n".join(
        "".join(o.get("data", {}).get("text/html", "")) for c in cells for o in c.get("outputs", [])
    )
    assert "suppressed (1–10)" in text  # the race × ethnicity table hides its small cells


def test_widget_cells_are_hidden_and_keys_unique() -> None:
    keys = widget_cell_keys(module_cells("02"))
    assert len(keys) == len(set(keys)) >= 6
