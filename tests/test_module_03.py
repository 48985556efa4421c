"""Module 03 (stratify to see gaps): its stated findings hold on other data, and it never shows 1-10.

The notebook's prose claims only what the planted structure of the data guarantees (planted gap
P1: the clinics control blood pressure less often for Black, Hispanic or Latino and Asian patients
than for White patients). Each claim is checked here with ``helpers`` on the datasets regenerated
with another seed, and the notebook itself is run on those datasets.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers.dashboard import equity_dashboard, reference_comparison, suppression_summary
from helpers.data import load_dataset
from helpers.disparities import gaps
from helpers.exercises import solution_value, stratifier_table
from helpers.measures import stratified_rates
from module_support import (
    cell_source,
    module_cells,
    module_notebook,
    outputs_text,
    widget_cell_keys,
)

NOTEBOOK = module_notebook("03")
P1_GROUPS = ["Black", "Hispanic/Latino", "Asian"]  # planted 9-11 points below White, large groups


@pytest.fixture(scope="module")
def other(other_seed_data: Path) -> dict[str, pd.DataFrame]:
    return {
        name: load_dataset(name, data_dir=other_seed_data)
        for name in ("patients", "hypertension_monthly", "cancer_screening")
    }


@pytest.fixture(scope="module")
def committed() -> dict[str, pd.DataFrame]:
    return {name: load_dataset(name) for name in ("patients", "hypertension_monthly", "cancer_screening")}


def _bp(patients: pd.DataFrame) -> pd.DataFrame:
    return stratified_rates(
        patients, "bp_controlled", "race_ethnicity", missing_outcome="exclude", overall=True
    )


def _tables(data: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Every counts table the notebook shows, recomputed with helpers as the notebook computes it."""
    patients = data["patients"]
    return {
        "bp": _bp(patients),
        "by_clinic": stratified_rates(
            patients, "bp_controlled", ["clinic", "race_ethnicity"], missing_outcome="exclude"
        ),
        "three_way": stratified_rates(
            patients,
            "bp_controlled",
            ["race_ethnicity", "preferred_language", "payer"],
            missing_outcome="exclude",
        ),
        "dashboard": equity_dashboard(
            {
                "Blood-pressure control": (patients, "bp_controlled"),
                "HbA1c control": (patients, "hba1c_controlled"),
                "Colorectal cancer screening": (data["cancer_screening"], "screened", "eligible"),
            },
            "race_ethnicity",
            reference="White",
        ),
        "screening_by_payer": stratifier_table(
            data["cancer_screening"], "screened", ["race_ethnicity", "payer"], denominator="eligible"
        ),
    }


# --------------------------------------------------------------------------------------------
# The module runs on other data, and its findings hold there
# --------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_module_runs_on_other_seed_and_states_the_planted_gaps(module_on_other_seed) -> None:
    executed = module_on_other_seed("03")
    text = outputs_text(executed)
    lower = re.search(r"less often for these groups of patients: ([^.]*)\.", text)
    assert lower, "the sentence naming the groups the clinics serve less well is missing"
    for name in ("Black", "Hispanic or Latino", "Asian"):
        assert name in lower.group(1)
    assert "complementary: hidden so that" in text
    assert text.count('<figure class="pe-figure">') >= 2


def test_planted_blood_pressure_gaps_hold_against_white_on_other_seed(other) -> None:
    table = gaps(_bp(other["patients"]), reference="White").set_index("race_ethnicity")
    for group in P1_GROUPS:
        assert table.loc[group, "abs_diff"] < 0
        assert table.loc[group, "abs_diff_ci_high"] < 0, f"{group}: interval for the gap includes 0"


def test_overall_rate_is_below_white_so_the_overall_reference_shrinks_the_black_gap(other, committed) -> None:
    # The reference quiz says the gap against the overall rate looks smaller than against White.
    for data in (other, committed):
        compare = reference_comparison(_bp(data["patients"]), "Black", ["overall", "White"])
        vs_overall, vs_white = compare["abs_diff"]
        assert vs_white < vs_overall < 0


def test_smallest_group_has_a_wider_interval_than_the_largest_on_other_seed(other) -> None:
    bp = _bp(other["patients"])
    groups = bp[~bp["suppressed"] & ~bp["race_ethnicity"].isin(["Overall", "Unknown", "Other"])]
    small = groups.loc[groups["denominator"].idxmin()]
    large = groups.loc[groups["denominator"].idxmax()]
    assert (small["ci_high"] - small["ci_low"]) > 3 * (large["ci_high"] - large["ci_low"])
    assert large["race_ethnicity"] == "White"  # the prose calls White patients the largest group


def test_interpreter_and_payer_gaps_named_in_the_prose_hold_on_other_seed(other) -> None:
    patients = other["patients"]
    by_need = stratified_rates(patients, "bp_controlled", "interpreter_needed", missing_outcome="exclude")
    need = by_need.assign(label=by_need["interpreter_needed"].astype(str)).set_index("label")
    assert need.loc["True", "ci_high"] < need.loc["False", "ci_low"]
    by_payer = stratified_rates(patients, "bp_controlled", "payer", missing_outcome="exclude").set_index(
        "payer"
    )
    for payer in ("Medicaid", "Uninsured"):
        assert by_payer.loc[payer, "ci_high"] < by_payer.loc["Commercial", "ci_low"]


def test_complementary_suppression_example_exists_on_other_seed(other) -> None:
    by_clinic = _tables(other)["by_clinic"]
    complementary = by_clinic["suppression_reason"].str.startswith("complementary")
    assert complementary.any()
    clinic = by_clinic.loc[complementary, "clinic"].iloc[0]
    primary = by_clinic[(by_clinic["clinic"] == clinic) & by_clinic["suppressed"] & ~complementary]
    assert len(primary) >= 1  # the complementary cell protects a primary one in the same clinic


def test_suppression_grows_as_stratifiers_are_added_on_other_seed(other) -> None:
    summary = suppression_summary(
        other["patients"],
        "bp_controlled",
        [
            ["race_ethnicity"],
            ["race_ethnicity", "preferred_language"],
            ["race_ethnicity", "preferred_language", "payer"],
        ],
    )
    suppressed = summary["strata_suppressed"].tolist()
    assert suppressed[0] < suppressed[1] < suppressed[2]
    assert summary["percent_strata_suppressed"].is_monotonic_increasing
    assert summary["percent_people_shown"].iloc[-1] < 100


# --------------------------------------------------------------------------------------------
# No count from 1 to 10 is ever shown
# --------------------------------------------------------------------------------------------


def _small(values: pd.Series) -> np.ndarray:
    v = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    return (v >= 1) & (v <= 10)


@pytest.mark.parametrize("seed", ["committed", "other"])
def test_no_table_the_notebook_shows_has_a_count_from_1_to_10(seed, request) -> None:
    data = request.getfixturevalue(seed)
    for name, table in _tables(data).items():
        shown = table[~table["suppressed"].astype(bool)]
        assert len(shown), name
        without = shown["denominator"].astype(float) - shown["numerator"].astype(float)
        for column, values in (
            ("numerator", shown["numerator"]),
            ("denominator", shown["denominator"]),
            ("denominator - numerator", without),
        ):
            assert not _small(values).any(), f"{name}: a shown {column} is between 1 and 10"
        hidden = table[table["suppressed"].astype(bool)]
        assert hidden["numerator"].isna().all() and hidden["denominator"].isna().all(), name


class _Tables(HTMLParser):
    """Cell texts of every HTML table in a string: a list of tables, each a list of rows."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self.tables and self.tables[-1]:
            self.tables[-1][-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


COUNT_HEADERS = {"numerator", "denominator", "n", "Events"}


def test_no_count_from_1_to_10_in_any_html_table_of_the_committed_notebook() -> None:
    checked = 0
    for cell in module_cells("03"):
        for out in cell.get("outputs", []):
            html = "".join(out.get("data", {}).get("text/html", ""))
            parser = _Tables()
            parser.feed(html)
            for table in parser.tables:
                header = next((row for row in table if set(row) & COUNT_HEADERS), None)
                if header is None:
                    continue
                for row in table[table.index(header) + 1 :]:
                    offset = len(row) - len(header)  # pandas puts the index in a leading <th>
                    for position, name in enumerate(header):
                        if name in COUNT_HEADERS and 0 <= position + offset < len(row):
                            value = row[position + offset].replace(",", "")
                            if re.fullmatch(r"\d+(\.0+)?", value):
                                checked += 1
                                assert not 1 <= float(value) <= 10, f"count {value} shown in column {name}"
    assert checked > 100  # the check really read the tables


# --------------------------------------------------------------------------------------------
# Exercises: answers from helpers, solutions never run or shown
# --------------------------------------------------------------------------------------------


def test_numeric_answer_is_the_number_of_suppressed_strata(committed) -> None:
    table = _tables(committed)["screening_by_payer"]
    source = next(cell_source(c) for c in module_cells("03") if "quiz_explorer_suppressed" in cell_source(c))
    assert 'answer=int(screening_by_payer["suppressed"].sum())' in source
    assert 0 < int(table["suppressed"].sum()) < len(table)


def test_code_exercise_solution_gives_the_gap_helpers_compute_and_stays_hidden(committed) -> None:
    bp = _bp(committed["patients"])
    cells = module_cells("03")
    check = next(c for c in cells if "code_exercise(" in cell_source(c))
    solution = re.search(r"solution=('''|\"\"\")(.*?)\1", cell_source(check), re.S).group(2)
    value = solution_value(solution, "asian_gap", {"bp": bp, "gaps": gaps})
    expected = gaps(bp, reference="White").set_index("race_ethnicity").loc["Asian", "abs_diff"]
    assert value == pytest.approx(expected)
    assert value < 0
    assert cell_source(check).splitlines()[0] == "code_exercise("
    participant = cells[cells.index(check) - 1]
    assert "asian_gap = None" in cell_source(participant)
    for cell in cells:
        if cell is not check:
            assert "asian_gap = table.loc" not in cell_source(cell)
        for out in cell.get("outputs", []):
            for mime, data in out.get("data", {}).items():
                if mime.startswith("text/"):
                    # the site shows the solution only inside a closed <details> block
                    visible = re.sub(r"<details>.*?</details>", "", "".join(data), flags=re.S)
                    assert "asian_gap = table.loc" not in visible


def test_widget_cells_are_hidden_and_keys_unique() -> None:
    keys = widget_cell_keys(module_cells("03"))
    assert len(keys) == len(set(keys)) >= 5


def test_no_group_is_compared_with_an_unnamed_reference() -> None:
    code = "\n".join(cell_source(c) for c in module_cells("03") if c["cell_type"] == "code")
    for call in re.findall(r"\bgaps\((\w[^)]*)\)", code):
        assert "reference=" in call, f"gaps({call}) does not name its reference"
