"""helpers.exercises.selectall: "select all that apply" with an explanation for every ticked option."""

from __future__ import annotations

import pytest

from helpers.exercises.selectall import check_select_all, select_all
from helpers.workbook import Workbook

OPTIONS = ["A budget", "A named executive", "A values statement", "A stratified measure"]
ANSWERS = ["A budget", "A named executive", "A stratified measure"]
WHY = ["Resources.", "Accountability.", "Words only.", "Shows the gap."]


def check(chosen):
    return check_select_all(chosen, options=OPTIONS, answers=ANSWERS, explanations=WHY)


def test_exactly_the_right_options_is_correct_in_any_order_and_by_position() -> None:
    assert check(["A stratified measure", "A budget", "A named executive"]).correct
    assert check([3, 0, 1]).correct
    assert "You found all of them" in check(ANSWERS).message


def test_missing_options_are_counted_but_not_named() -> None:
    feedback = check(["A budget"])
    assert not feedback.correct and feedback.valid
    assert "1 of the 3 right options; 2 more to find" in feedback.message
    assert "A named executive" not in feedback.message


def test_a_wrong_tick_is_explained_even_when_all_right_options_are_ticked() -> None:
    feedback = check([*ANSWERS, "A values statement"])
    assert not feedback.correct
    assert "A values statement: Words only." in feedback.message
    assert "1 of your ticks does not belong" in feedback.message


@pytest.mark.parametrize("empty", [None, [], ()])
def test_nothing_ticked_is_invalid_not_an_error(empty) -> None:
    feedback = check(empty)
    assert not feedback.valid and not feedback.correct


def test_unknown_choice_is_invalid_not_an_error() -> None:
    assert not check(["A mission statement"]).valid


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"options": ["only one"], "answers": [0]}, "at least two"),
        ({"options": ["a", "a"], "answers": [0]}, "repeated"),
        ({"options": ["a", "b"], "answers": []}, "at least one"),
        ({"options": ["a", "b"], "answers": ["c"]}, "not one of the options"),
        ({"options": ["a", "b"], "answers": [5]}, "out of range"),
        ({"options": ["a", "b"], "answers": [0], "explanations": ["x"]}, "one entry per option"),
        ({"options": ["a", "b"], "answers": [0], "explanations": {"c": "x"}}, "do not exist"),
    ],
)
def test_author_mistakes_raise(kwargs, match) -> None:
    with pytest.raises(ValueError, match=match):
        check_select_all(["a"], **kwargs)


def test_widget_checks_saves_and_ticks_the_saved_answer_again(tmp_path) -> None:
    workbook = Workbook(tmp_path / "wb.json")
    q = select_all(
        "What is missing?", OPTIONS, ANSWERS, explanations=WHY, workbook=workbook, module="01", key="missing"
    )
    q.check_button.click()
    assert "Tick every option" in q.feedback.value
    assert workbook.get("01", "missing") is None  # nothing ticked: nothing saved
    q.boxes["A budget"].value = True
    q.boxes["A values statement"].value = True
    q.check_button.click()
    assert "Not quite" in q.feedback.value and "Words only." in q.feedback.value
    assert workbook.get("01", "missing") == ["A budget", "A values statement"]
    again = select_all(
        "What is missing?", OPTIONS, ANSWERS, explanations=WHY, workbook=workbook, module="01", key="missing"
    )
    assert [o for o, box in again.boxes.items() if box.value] == ["A budget", "A values statement"]


def test_static_view_lists_options_and_hides_the_answer_in_details() -> None:
    q = select_all("What is missing?", OPTIONS, ANSWERS, explanations=WHY, hint="Think money.")
    html = q.static_html
    assert html.count("<li>") >= len(OPTIONS)
    assert "Select all that apply" in html
    assert "<details><summary>Hint</summary>" in html
    answer = html.split("<summary>Show answer</summary>")[1]
    assert "A, B, D." in answer
    assert "A values statement</strong> (does not apply): Words only." in answer
    assert (
        html
        == select_all("What is missing?", OPTIONS, ANSWERS, explanations=WHY, hint="Think money.").static_html
    )
