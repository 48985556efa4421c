"""Module 06 (test changes and see if the gap narrows): its findings hold on other data, its exercise
answers are the helpers' own output, and its solution stays hidden."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from helpers.data import load_dataset
from helpers.improvement import judge_change
from helpers.measures import stratified_rates
from helpers.runcharts import gap_series, p_chart, run_chart_signals, u_chart
from module_support import (
    cell_source,
    module_cells,
    module_notebook,
    outputs_text,
    widget_cell_keys,
)

NOTEBOOK = module_notebook("06")
CHANGE = pd.Timestamp("2023-07-01")  # the outreach programme's first month (datasets README, H2)
RULES = ("ihi", "anhoej")


def _committed_text() -> str:
    import nbformat

    return outputs_text(nbformat.read(NOTEBOOK, as_version=4))


class Findings:
    """What the notebook's sentences should say, computed with helpers on one data folder."""

    def __init__(self, data_dir: Path | str | None) -> None:
        hypertension = load_dataset("hypertension_monthly", data_dir=data_dir)
        hai = load_dataset("hai", data_dir=data_dir)
        self.monthly = stratified_rates(hypertension, "numerator", by="month", denominator="denominator")
        self.months = pd.DatetimeIndex(self.monthly["month"])
        self.baseline = int((self.months < CHANGE).sum())
        self.bw_gap = gap_series(
            hypertension, group="race_ethnicity", time="month", focus="Black", reference="White"
        )
        self.sp_gap = gap_series(
            hypertension, group="language", time="month", focus="Spanish", reference="English"
        )
        self.bw = {r: judge_change(self.bw_gap["abs_diff"], change_at=self.baseline, better="toward zero",
                                   rules=r) for r in RULES}  # fmt: skip
        self.sp = {r: judge_change(self.sp_gap["abs_diff"], change_at=self.baseline, better="toward zero",
                                   rules=r) for r in RULES}  # fmt: skip
        self.overall_rise = (
            self.monthly["rate"].iloc[self.baseline :].mean()
            - self.monthly["rate"].iloc[: self.baseline].mean()
        )
        medical = (
            hai[hai["unit"] == "Medical"]
            .groupby("month", observed=True)[["infections", "patient_days"]]
            .sum()
        )
        self.medical_months = pd.DatetimeIndex(medical.index)
        self.medical_u = u_chart(medical["infections"], medical["patient_days"], per=1000)
        by_group = stratified_rates(
            hypertension, "numerator", by=["month", "race_ethnicity"], denominator="denominator"
        )
        black = by_group[by_group["race_ethnicity"] == "Black"]
        self.black_p = p_chart(black["numerator"], black["denominator"], baseline=self.baseline)


@pytest.fixture(scope="module")
def committed() -> Findings:
    return Findings(None)


@pytest.fixture(scope="module")
def other(other_seed_data: Path) -> Findings:
    return Findings(other_seed_data)


# ---------------------------------------------------------------------------------------------
# The planted structure, on the other seed: what the prose may claim
# ---------------------------------------------------------------------------------------------


def test_the_outreach_programme_starts_after_a_baseline_of_18_months(other: Findings) -> None:
    assert other.baseline == 18  # months 1-18 (datasets README, H1-H2)


def test_black_white_gap_shows_a_shift_toward_zero_after_the_change_on_the_other_seed(
    other: Findings,
) -> None:
    for rules in RULES:
        judgement = other.bw[rules]
        assert judgement.better_side == "above", "the Black - White gap is negative at baseline"
        assert judgement.improved and not judgement.worsened, (rules, judgement.describe())
        assert all(last >= other.baseline for _, last, _ in judgement.improving_shifts)


def test_spanish_language_gap_shows_no_shift_toward_zero_on_the_other_seed(other: Findings) -> None:
    for rules in RULES:
        assert not other.sp[rules].improved, (rules, other.sp[rules].describe())


def test_overall_rate_is_higher_after_the_change_on_the_other_seed(other: Findings) -> None:
    assert other.overall_rise > 0


def test_u_chart_flags_the_medical_units_february_2023_cluster_on_the_other_seed(other: Findings) -> None:
    assert 13 in other.medical_u.outside  # month 14 (0-based position 13), planted A3
    assert other.medical_months[13] == pd.Timestamp("2023-02-01")


def test_black_patients_p_chart_signals_after_the_change_on_the_other_seed(other: Findings) -> None:
    assert any(i >= other.baseline for i in other.black_p.outside) or any(
        s.signal for s in other.black_p.run_signals
    )


# ---------------------------------------------------------------------------------------------
# The notebook run on the other seed says what the helpers compute there
# ---------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_module_on_other_seed_states_the_findings_its_data_give(
    module_on_other_seed, other: Findings
) -> None:
    text = outputs_text(module_on_other_seed("06"))
    assert "the rules find a shift" in text and "toward no gap after the change" in text
    assert "Spanish − English gap in blood-pressure control: the rules find no shift" in text
    label = lambda i: f"{other.months[i]:%b %Y}"  # noqa: E731 - the notebook's month_name
    for rules in RULES:
        assert other.bw[rules].describe(label=label) in text
        assert other.sp[rules].describe(label=label) in text
    assert f"{other.overall_rise * 100:.1f} percentage points higher after the change" in text
    flagged = ", ".join(f"{other.medical_months[i]:%B %Y} (month {i + 1})" for i in other.medical_u.outside)
    assert f"Outside the limits: {flagged}." in text
    assert "February 2023 (month 14)" in text
    # the exercises' answers follow the data: the gap quiz says "Yes", the trap quiz names option A
    assert "<strong>Answer:</strong> A. Yes: under both rule sets" in text
    assert "<strong>Answer:</strong> A. The Black–White gap narrowed" in text
    assert "<strong>Answer:</strong> 14 " in text


# ---------------------------------------------------------------------------------------------
# On the committed data: exercise answers are helpers output; numbers are printed, not typed
# ---------------------------------------------------------------------------------------------


def test_committed_outputs_state_the_helpers_findings(committed: Findings) -> None:
    text = _committed_text()
    label = lambda i: f"{committed.months[i]:%b %Y}"  # noqa: E731
    for rules in RULES:
        assert committed.bw[rules].describe(label=label) in text
    median_before = committed.bw_gap["abs_diff"].iloc[: committed.baseline].median()
    assert f"the median gap was {median_before * 100:.1f} percentage points" in text
    assert f"about {median_before / 2 * 100:.1f} percentage points" in text  # the prediction: half, signed


def test_gap_quiz_answer_is_the_option_the_rules_give(committed: Findings) -> None:
    narrowed = [committed.bw[r].improved for r in RULES]
    expected = "A. Yes" if all(narrowed) else "B. Partly" if any(narrowed) else "C. No"
    assert f"<strong>Answer:</strong> {expected}" in _committed_text()


def test_u_chart_quiz_answer_is_the_month_furthest_above_its_limit(committed: Findings) -> None:
    data = committed.medical_u.data
    top = int((data["value"] - data["ucl"]).idxmax())
    assert top in committed.medical_u.outside
    assert f"<strong>Answer:</strong> {top + 1} " in _committed_text()


def test_code_exercise_solution_gives_the_baseline_median_of_the_gap(committed: Findings) -> None:
    from helpers.exercises import solution_value

    check = next(c for c in module_cells("06") if "code_exercise(" in cell_source(c))
    solution = re.search(r'solution="""(.*?)"""', cell_source(check), re.S).group(1)
    value = solution_value(
        solution, "gap_median", {"run_chart_signals": run_chart_signals, "bw_gap": committed.bw_gap,
                                 "baseline": committed.baseline}
    )  # fmt: skip
    assert value == pytest.approx(committed.bw_gap["abs_diff"].iloc[: committed.baseline].median())
    assert value < 0  # Black minus White: the clinics control blood pressure for fewer Black patients


def test_solution_is_never_executed_and_shown_only_inside_a_closed_details_block() -> None:
    for cell in module_cells("06"):
        if cell["cell_type"] != "code":
            continue
        for line in cell_source(cell).splitlines():
            if re.match(r"\s*gap_median\s*=", line):
                assert line.strip().startswith("gap_median = None"), line
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            plain = "".join(data.get("text/plain", "")) + "".join(data.get("text/markdown", ""))
            assert "run_chart_signals(bw_gap" not in plain
            html = "".join(data.get("text/html", ""))
            if "run_chart_signals(bw_gap" in html:
                before = html[: html.index("run_chart_signals(bw_gap")]
                assert before.rfind("<details>") > before.rfind("</details>")


def test_run_limits_are_printed_from_the_helpers_never_typed_in_prose(committed: Findings) -> None:
    prose = "\n".join(cell_source(c) for c in module_cells("06") if c["cell_type"] == "markdown")
    for values in (committed.monthly["rate"], committed.bw_gap["abs_diff"], committed.sp_gap["abs_diff"]):
        for rules in RULES:
            s = run_chart_signals(values, rules, baseline=committed.baseline)
            for low, high in [s.runs_range] if s.runs_range else []:
                assert not re.search(rf"\b{low}\s*[–-]\s*{high}\b", prose)
            assert not re.search(rf"\b(limit|crossings)\D{{0,20}}\b{s.crossings_limit}\b", prose)
    assert "runs_range" in "".join(cell_source(c) for c in module_cells("06") if c["cell_type"] == "code")


def test_change_is_annotated_and_baseline_frozen_in_every_run_chart() -> None:
    code = [cell_source(c) for c in module_cells("06") if c["cell_type"] == "code"]
    charts = [src for src in code if "run_chart(" in src or "spc_chart(" in src or "gap_plot(" in src]
    assert len(charts) >= 4
    for src in charts:
        if "medical_u" not in src:  # the u-chart has no change to annotate
            assert "annotations={CHANGE:" in src, src
    for src in code:
        if "run_chart(" in src or "judge_change(" in src:
            assert "baseline=baseline" in src or "change_at=baseline" in src, src


def test_widget_cells_hide_their_input_and_use_unique_keys() -> None:
    keys = widget_cell_keys(module_cells("06"))
    assert len(keys) == len(set(keys)) >= 6
