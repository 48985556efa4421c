"""Module 04 (Measure a disparity well): its findings hold on other data, its exercise answers are the
helpers' numbers, and its prose types no data number.

The notebook is run with papermill on datasets regenerated with another seed (``module_on_other_seed``);
every qualitative claim its text makes is recomputed there with ``helpers`` and checked both ways: the
planted structure still gives the finding, and the notebook's own words say so.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest

from helpers.agegaps import crude_and_standardized_gaps
from helpers.data import load_dataset
from helpers.disparities import gaps, inequality_indices, summary
from helpers.exercises import solution_value, what_if_gap_measures
from helpers.group_names import spell_out
from helpers.measures import age_standardize, exclusions, stratified_rates
from helpers.synth.hai import TARGETS
from module_support import module_notebook, outputs_text

NOTEBOOK = module_notebook("04")
REACH = {"White": 0.60, "Hispanic/Latino": 0.50}  # the notebook's what-if assumption (checked below)


def _load(data_dir: Path | None):
    screening_data = load_dataset("cancer_screening", data_dir=data_dir)
    hai = load_dataset("hai", data_dir=data_dir)
    screening = stratified_rates(screening_data, "screened", "race_ethnicity", denominator="eligible")
    infections = stratified_rates(
        hai, "infections", "race_ethnicity", denominator="patient_days", overall=True
    )
    return screening_data, hai, screening, infections


def _scenario(screening):
    now = screening.set_index("race_ethnicity")["rate"]
    hl, white = now["Hispanic/Latino"], now["White"]
    return what_if_gap_measures(
        screening,
        "Hispanic/Latino",
        hl + REACH["Hispanic/Latino"] * (1 - hl),
        "White",
        new_reference_rate=white + REACH["White"] * (1 - white),
    )


@pytest.fixture(scope="module")
def committed() -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOK, as_version=4)


@pytest.fixture(scope="module")
def other(module_on_other_seed, other_seed_data):
    return outputs_text(module_on_other_seed("04")), _load(other_seed_data)


# ----------------------------------------------------------------------------------------------
# Findings on the other seed
# ----------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_absolute_and_relative_measures_still_disagree_in_the_what_if(other) -> None:
    text, (_, _, screening, _) = other
    scenario = _scenario(screening)
    before, after = scenario.iloc[0], scenario.iloc[1]
    assert abs(after["abs_diff_points"]) < abs(before["abs_diff_points"])  # points shrink
    assert after["shortfall_ratio"] > before["shortfall_ratio"]  # ratio of not being screened grows
    assert "the gap in points shrinks" in text
    assert "the rate ratio of **not** being screened grows" in text
    assert f"{after['shortfall_ratio']:.2f}" in text and "The measures disagree" in text


@pytest.mark.slow
def test_the_adverse_outcome_ratio_is_further_from_one(other) -> None:
    text, (screening_data, _, screening, _) = other
    not_screened = stratified_rates(
        screening_data.assign(not_screened=screening_data["eligible"] - screening_data["screened"]),
        "not_screened",
        "race_ethnicity",
        denominator="eligible",
    )
    good = gaps(screening, reference="White").set_index("race_ethnicity")["rel_ratio"]["Hispanic/Latino"]
    bad = gaps(not_screened, reference="White").set_index("race_ethnicity")["rel_ratio"]["Hispanic/Latino"]
    assert good < 1 < bad and abs(bad - 1) > abs(good - 1)
    assert "is further from 1 than the ratio of the favourable one" in text
    assert f"rate ratio is {bad:.2f}" in text


@pytest.mark.slow
def test_white_patients_are_screened_most_so_the_reference_answers_hold(other) -> None:
    text, (_, _, screening, _) = other
    assert gaps(screening, reference="best")["reference_group"].iloc[0] == "White"
    by_overall = gaps(screening, reference="overall").set_index("race_ethnicity")["abs_diff"]
    assert by_overall["White"] > 0  # the multiple-choice answer "positive"
    by_white = gaps(screening, reference="White").set_index("race_ethnicity")["abs_diff"].drop("White")
    assert (by_white < 0).all()
    assert "Against White patients every other group has a negative difference" in text
    assert "picks White patients here, the same column as White" in text
    assert f"Positive ({by_overall['White'] * 100:+.1f} points)" in text


@pytest.mark.slow
def test_weighting_by_size_still_shrinks_the_index_of_disparity(other) -> None:
    text, (_, _, screening, _) = other
    unweighted = summary(screening, reference="best", weighted=False)
    weighted = summary(screening, reference="best", weighted=True)
    assert weighted["weighted_index_of_disparity"] < unweighted["index_of_disparity"]
    assert "The weighted index of disparity is smaller than the unweighted one" in text


@pytest.mark.slow
def test_screening_still_rises_from_the_most_to_the_least_deprived_decile(other, other_seed_data) -> None:
    text, _ = other
    patients = load_dataset("patients", data_dir=other_seed_data)
    by_decile = stratified_rates(patients, "crc_screened", "deprivation_decile", missing_outcome="exclude")
    indices = inequality_indices(by_decile.iloc[::-1])
    assert indices["order"][0] == "10" and indices["slope_index_of_inequality"] > 0
    sii = indices["slope_index_of_inequality"]
    assert f"screening rate rises by about {sii * 100:.1f} percentage" in text
    excluded = int(exclusions(by_decile)["rows"].sum())
    assert excluded > 0 and f"missing outcome 'crc_screened' {excluded}" in text  # never silently dropped


@pytest.mark.slow
def test_highest_infection_ratio_is_a_group_planted_with_a_higher_rate(other) -> None:
    text, (_, _, _, infections) = other
    g = gaps(infections, reference="White", higher_is_better=False)
    shown = g[~g["suppressed"] & (g["race_ethnicity"] != "Overall")]
    top = shown.loc[shown["rel_ratio"].idxmax()]
    planted_higher = {group for group, rate in TARGETS.items() if rate >= 1.3 * TARGETS["White"]}
    assert top["race_ethnicity"] in planted_higher
    assert top["rel_ratio"] > 1
    assert f"for {spell_out(top['race_ethnicity'])} patients: {top['rate'] * 1000:.1f} against" in text


@pytest.mark.slow
def test_age_standardisation_still_narrows_the_hispanic_latino_white_gap(other) -> None:
    text, (screening_data, _, _, _) = other
    std = age_standardize(screening_data, "screened", "race_ethnicity", denominator="eligible")
    table = crude_and_standardized_gaps(std, reference="White")
    hl = table.set_index("race_ethnicity").loc["Hispanic/Latino"]
    assert hl["crude_diff"] < hl["adjusted_diff"] < 0  # narrower, and still a gap
    assert 0 < hl["age_share"] < 1
    assert "age standardisation narrows the gap" in text
    assert "Age standardisation narrows the Hispanic or Latino–White gap" in " ".join(text.split())


@pytest.mark.slow
def test_paf_counts_on_the_other_seed_are_the_helpers_numbers(other) -> None:
    text, (_, hai, screening, infections) = other
    par = summary(screening, reference="best")["population_attributable_risk"]
    missed = par * screening["denominator"].sum()
    assert f"{missed:,.0f} patients" in text
    days = infections.loc[infections["race_ethnicity"] == "Overall", "denominator"].item()
    white = summary(infections, reference="White", higher_is_better=False)
    avoided = white["population_attributable_risk"] * days
    assert f"about {avoided:.0f} infections would not have happened" in text
    assert f"Over the {hai['month'].nunique()} months" in text


# ----------------------------------------------------------------------------------------------
# The committed notebook: answers are the helpers' numbers; no typed data numbers; no leaked solution
# ----------------------------------------------------------------------------------------------


def test_exercise_answers_equal_helpers_output_on_the_committed_data(committed) -> None:
    text = outputs_text(committed)
    screening = _load(None)[2]
    # numeric answer: screenings missed = PAR x eligible
    paf = summary(screening, reference="best")
    missed = paf["population_attributable_risk"] * screening["denominator"].sum()
    assert f"<strong>Answer:</strong> {round(missed):,} patients" in text
    # multiple choice on the reference: White minus the overall rate
    white_overall = gaps(screening, reference="overall").set_index("race_ethnicity").loc["White", "abs_diff"]
    assert f"<strong>Answer:</strong> B. Positive ({white_overall * 100:+.1f} points)" in text
    # multiple choice on the shrinking disparity: the numbers quoted are the what-if's
    before, after = _scenario(screening).iloc[0], _scenario(screening).iloc[1]
    a, b = abs(before["abs_diff_points"]), abs(after["abs_diff_points"])
    quoted = f"the gap fell from {a:.1f} to {b:.1f} points"
    assert quoted in text
    assert f"now {after['shortfall_ratio']:.2f} times as likely" in text
    assert "<strong>Answer:</strong> C. Both" in text


def test_code_exercise_solution_is_the_rate_ratio_and_never_runs_as_a_cell(committed) -> None:
    _, _, _, infections = _load(None)
    cells = [c for c in committed.cells if c.cell_type == "code"]
    check = next(c for c in cells if c.source.startswith("code_exercise("))
    assert "hide-input" in check.metadata.get("tags", []) and check.metadata["jupyter"]["source_hidden"]
    solution = re.search(r"solution='''(.*?)'''", check.source, re.S).group(1)
    value = solution_value(solution, "asian_ratio", {"gaps": gaps, "infections": infections})
    rates = infections.set_index("race_ethnicity")["rate"]
    assert value == pytest.approx(rates["Asian"] / rates["White"], rel=1e-12)
    assert value > 1  # the hospital's infection rate for Asian patients is above White patients'
    participant = [c for c in cells if c is not check and re.search(r"^asian_ratio\s*=", c.source, re.M)]
    assert len(participant) == 1 and re.search(r"^asian_ratio = None$", participant[0].source, re.M)
    for c in cells:  # the solution's own lines never appear in a cell that runs them
        if c is not check:
            assert 'table.loc[table["race_ethnicity"] == "Asian"' not in c.source
    outputs = json.dumps([c.get("outputs", []) for c in cells if c is not check])
    assert 'rel_ratio"].item()' not in outputs


def test_markdown_types_no_data_number(committed) -> None:
    """Percentages or decimals in prose would be typed numbers; only the what-if's assumptions may be."""
    prose = "\n".join(c.source for c in committed.cells if c.cell_type == "markdown")
    percents = set(re.findall(r"\d+(?:\.\d+)?%", prose))
    assert percents <= {f"{v:.0%}" for v in REACH.values()} | {"95%"}  # 95%: the confidence level
    assert {f"{v:.0%}" for v in REACH.values()} <= percents  # the what-if's assumptions are stated
    assert not re.findall(r"(?<![\w.])\d+\.\d+(?![\w.])", prose), "a decimal number is typed in the prose"
    setup = next(c.source for c in committed.cells if c.cell_type == "code" and "reach = {" in c.source)
    assert '"White": 0.60' in setup and '"Hispanic/Latino": 0.50' in setup


def test_figures_have_alt_text_and_captions(committed) -> None:
    figures = [
        "".join(out["data"]["text/html"])
        for c in committed.cells
        if c.cell_type == "code"
        for out in c.get("outputs", [])
        if '<figure class="pe-figure">' in "".join(out.get("data", {}).get("text/html", ""))
    ]
    assert len(figures) >= 2
    for html in figures:
        alt = re.search(r'alt="([^"]+)"', html).group(1)
        assert len(alt) > 40 and "<figcaption>" in html
        assert "AIAN" not in alt and "NHPI" not in alt  # group names spelled out in alt text


def test_sections_add_up_to_the_stated_time_and_widget_keys_are_unique(committed) -> None:
    headings = [line for c in committed.cells if c.cell_type == "markdown" for line in c.source.splitlines()]
    minutes = [int(m) for h in headings if h.startswith("## ") for m in re.findall(r"\((\d+) min\)", h)]
    assert sum(minutes) == 75 and "about 75 minutes" in "\n".join(headings)
    keys = re.findall(r'key="([^"]+)"', "\n".join(c.source for c in committed.cells if c.cell_type == "code"))
    assert len(keys) == len(set(keys)) >= 5


def test_every_widget_cell_hides_its_input(committed) -> None:
    widgets = ("multiple_choice(", "numeric_answer(", "what_if_gap(", "code_exercise(", "reflection(")
    cells = [c for c in committed.cells if c.cell_type == "code" and any(w in c.source for w in widgets)]
    assert len(cells) >= 6
    for cell in cells:
        assert "hide-input" in cell.metadata.get("tags", []), cell.source[:60]
        assert cell.metadata.get("jupyter", {}).get("source_hidden") is True, cell.source[:60]
