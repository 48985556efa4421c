"""helpers.exercises.code: checked code exercises whose solution stays hidden and never overwrites."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.exercises import check_code_answer, code_exercise, solution_value
from helpers.workbook import Workbook

SOLUTION = "ratio = round(black / white, 2)"


def test_solution_runs_in_a_copy_and_never_overwrites_the_participants_variable() -> None:
    namespace = {"black": 41, "white": 55, "ratio": 0.5}
    assert solution_value(SOLUTION, "ratio", namespace) == 0.75
    assert namespace["ratio"] == 0.5
    assert "__builtins__" not in namespace


def test_solution_that_does_not_assign_the_name_is_a_module_error() -> None:
    with pytest.raises(ValueError, match="does not assign 'ratio'"):
        solution_value("x = 1", "ratio", {})


@pytest.mark.parametrize(
    ("given", "correct", "valid", "words"),
    [
        (0.75, True, True, "matches"),
        (0.7499999, True, True, "matches"),
        (None, False, False, "replace None"),
        (75, False, True, "looks like a percentage"),
        (-0.75, False, True, "wrong sign"),
        (0.8, False, True, "too high"),
        (0.7, False, True, "too low"),
        ("0.75", False, True, "expected a number"),
        (float("nan"), False, True, "not a finite number"),
    ],
)
def test_numeric_answers_get_feedback_that_says_what_is_off(given, correct, valid, words) -> None:
    feedback = check_code_answer("ratio", {"black": 41, "white": 55, "ratio": given}, SOLUTION)
    assert (feedback.correct, feedback.valid) == (correct, valid)
    assert words in feedback.message


def test_percentage_expected_and_proportion_given_is_diagnosed() -> None:
    feedback = check_code_answer("pct", {"pct": 0.745}, "pct = 74.5", tolerance=0.05)
    assert not feedback.correct
    assert "looks like a proportion" in feedback.message


def test_tables_are_compared_by_values_with_the_tolerance() -> None:
    data = pd.DataFrame({"group": ["A", "B"], "rate": [0.5, 0.25]})
    namespace = {"data": data, "table": data.assign(rate=[0.5, 0.2500001])}
    solution = "table = data.copy()"
    assert check_code_answer("table", namespace, solution, tolerance=1e-3).correct
    wrong_shape = check_code_answer("table", {**namespace, "table": data.head(1)}, solution)
    assert not wrong_shape.correct and "shape" in wrong_shape.message
    wrong_value = check_code_answer("table", {**namespace, "table": data.assign(rate=[0.5, 0.3])}, solution)
    assert not wrong_value.correct and "differs" in wrong_value.message


def test_strings_and_lists_are_compared_without_case_or_order() -> None:
    assert check_code_answer("g", {"g": "white "}, "g = 'White'").correct
    assert check_code_answer("gs", {"gs": ["B", "A"]}, "gs = ['A', 'B']").correct
    assert not check_code_answer("gs", {"gs": ["A"]}, "gs = ['A', 'B']").correct


def test_widget_reads_the_variable_anew_and_reveals_the_solution_only_after_an_attempt(tmp_path) -> None:
    namespace = {"black": 41, "white": 55, "ratio": None}
    workbook = Workbook(tmp_path / "wb.json")
    exercise = code_exercise(
        "ratio",
        solution=SOLUTION,
        namespace=namespace,
        explanation="41 / 55.",
        hint="Divide.",
        workbook=workbook,
        module="03",
        key="code_ratio",
    )
    assert exercise.solution_button.disabled
    assert exercise.solution_box.layout.display == "none"
    assert "replace None" in exercise.feedback.value
    assert workbook.get("03", "code_ratio") is None

    namespace["ratio"] = 0.7
    exercise.check_button.click()
    assert "Not quite" in exercise.feedback.value
    assert not exercise.solution_button.disabled
    assert workbook.get("03", "code_ratio") is False

    namespace["ratio"] = 0.75
    exercise.check_button.click()
    assert "Correct" in exercise.feedback.value
    assert workbook.get("03", "code_ratio") is True
    exercise.solution_button.click()
    assert exercise.solution_box.layout.display is None
    assert "round(black / white, 2)" in exercise.solution_box.value
    assert namespace["ratio"] == 0.75  # the solution never overwrote the participant's value


def test_static_view_hides_the_solution_in_a_closed_details_block() -> None:
    exercise = code_exercise("ratio", solution=SOLUTION, namespace={"black": 41, "white": 55, "ratio": None})
    html = exercise.static_html
    assert "<details><summary>Show solution</summary>" in html
    assert "<details open" not in html
    assert html.index("round(black / white, 2)") > html.index("<summary>Show solution</summary>")


def test_a_broken_solution_fails_when_the_module_is_written_not_when_the_participant_clicks() -> None:
    with pytest.raises(NameError):
        code_exercise("ratio", solution="ratio = missing / 2", namespace={"ratio": None})
    with pytest.raises(ValueError, match="variable name"):
        code_exercise("not a name", solution=SOLUTION, namespace={})
