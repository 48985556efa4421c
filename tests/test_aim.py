"""The equity aim checker (helpers.exercises.aim): each missing element is found and explained."""

from __future__ import annotations

import pytest

from helpers.exercises._base import Exercise
from helpers.exercises.aim import (
    AIM_ELEMENTS,
    AIM_TEMPLATE,
    aim_checklist_html,
    aim_statement_builder,
    check_aim_statement,
)
from helpers.workbook import Workbook

COMPLETE = (
    "Narrow the gap in blood-pressure control between patients who prefer Spanish and patients who "
    "prefer English (the reference group) from 12 to 6 percentage points by December 2025; no group "
    "gets worse."
)

GOOD_AIMS = [
    COMPLETE,
    "Raise colorectal cancer screening for American Indian or Alaska Native patients from 52% to 60% "
    "by 31 March 2026, closing the gap with White patients, without any group's rate falling.",
    "Reduce the Black-White gap in HbA1c control from 10 to 5 points by 2026-06-30 while control does "
    "not fall for any group.",
    "By Q4 2026, narrow the gap in flu vaccination between Medicaid and commercially insured patients "
    "(commercial insurance is the reference) from 15% to 8%, and every group improves or holds steady.",
    "Cut the difference in 30-day readmissions between patients with limited English and "
    "English-speaking patients from 4.5 to 2 points by 12/2026, with no patient group's rate getting worse.",
]

# Each bad aim lacks exactly one element (the key).
MISSING_ONE = {
    "measure": "Narrow the gap between patients who prefer Spanish and patients who prefer English from "
    "12 to 6 percentage points by December 2025; no group gets worse.",
    "numbers": "Narrow the gap in blood-pressure control between patients who prefer Spanish and patients "
    "who prefer English by December 2025; no group gets worse.",
    "date": "Narrow the gap in blood-pressure control between patients who prefer Spanish and patients "
    "who prefer English from 12 to 6 percentage points; no group gets worse.",
    "groups": "Narrow the gap in blood-pressure control for patients who prefer Spanish from 12 to 6 "
    "percentage points by December 2025; no group gets worse.",
    "guard": "Narrow the gap in blood-pressure control between patients who prefer Spanish and patients "
    "who prefer English from 12 to 6 percentage points by December 2025.",
}


@pytest.mark.parametrize("aim", GOOD_AIMS)
def test_a_complete_aim_passes(aim: str) -> None:
    check = check_aim_statement(aim)
    assert check.complete, check.problems
    assert all(check.found.values())
    feedback = check.feedback()
    assert feedback.correct and feedback.valid
    assert "reference group" in feedback.message


@pytest.mark.parametrize("element", list(MISSING_ONE))
def test_each_missing_element_is_found_alone(element: str) -> None:
    check = check_aim_statement(MISSING_ONE[element])
    assert list(check.problems) == [element]
    assert check.found[element] is False
    assert sum(check.found.values()) == len(AIM_ELEMENTS) - 1
    assert not check.feedback().correct


@pytest.mark.parametrize(
    ("element", "words"),
    [
        ("measure", ["measure", "blood-pressure control"]),
        ("numbers", ["baseline", "target"]),
        ("date", ["by when", "year"]),
        ("groups", ["reference group"]),
        ("guard", ["no group gets worse", "reference group's care slips"]),
    ],
)
def test_messages_explain_what_to_add_and_why(element: str, words: list[str]) -> None:
    message = check_aim_statement(MISSING_ONE[element]).problems[element]
    for word in words:
        assert word in message, (element, word, message)
    assert check_aim_statement(MISSING_ONE[element]).feedback().message.endswith(message)


def test_one_group_only_asks_for_the_reference_group_by_name() -> None:
    message = check_aim_statement(MISSING_ONE["groups"]).problems["groups"]
    assert "only spanish found" in message


def test_one_group_with_a_two_part_name_is_still_one_group() -> None:
    aim = (
        "Raise screening for American Indian or Alaska Native patients from 52% to 60% by 2026; "
        "no group gets worse."
    )
    check = check_aim_statement(aim)
    assert check.groups == ["american indian or alaska native"]
    assert list(check.problems) == ["groups"]


def test_non_hispanic_white_is_not_read_as_hispanic() -> None:
    check = check_aim_statement("screening for non-Hispanic White patients")
    assert check.groups == ["white"]


def test_only_one_number_is_not_a_baseline_and_a_target() -> None:
    check = check_aim_statement(
        "Narrow the gap in blood-pressure control between Spanish and English speakers to 6 points by "
        "2025; no group gets worse."
    )
    assert list(check.problems) == ["numbers"]
    assert "Only one number" in check.problems["numbers"]


def test_the_year_and_day_of_a_date_are_not_counted_as_baseline_or_target() -> None:
    check = check_aim_statement(
        "Narrow the gap in blood-pressure control between Spanish and English speakers by 31 December "
        "2025; no group gets worse."
    )
    assert check.numbers == []
    assert list(check.problems) == ["numbers"]


def test_same_baseline_and_target_is_flagged() -> None:
    check = check_aim_statement(COMPLETE.replace("from 12 to 6", "from 12 to 12"))
    assert list(check.problems) == ["numbers"]
    assert "same number" in check.problems["numbers"]


def test_a_day_and_month_without_a_year_is_not_a_date() -> None:
    check = check_aim_statement(COMPLETE.replace("December 2025", "31 December"))
    assert "date" in check.problems


@pytest.mark.parametrize(
    "guard",
    [
        "no group gets worse",
        "no group's control rate falls",
        "without any group getting worse",
        "with no decline for any group",
        "and control holds or rises for every group",
        "and every group improves",
        "with no group left behind",
    ],
)
def test_guard_phrasings(guard: str) -> None:
    aim = MISSING_ONE["guard"].rstrip(".") + ", " + guard + "."
    assert check_aim_statement(aim).complete, guard


@pytest.mark.parametrize(
    "not_a_guard",
    ["and the gap closes", "so that Spanish-speaking patients do better", "while costs fall"],
)
def test_phrases_that_are_not_a_guard(not_a_guard: str) -> None:
    aim = MISSING_ONE["guard"].rstrip(".") + ", " + not_a_guard + "."
    assert "guard" in check_aim_statement(aim).problems


def test_empty_and_none_are_invalid_not_errors() -> None:
    for text in ("", "   ", None):
        check = check_aim_statement(text)
        assert list(check.problems) == list(AIM_ELEMENTS)
        assert check.feedback().valid is False


def test_the_template_itself_is_not_a_complete_aim() -> None:
    check = check_aim_statement(AIM_TEMPLATE)
    assert {"measure", "numbers", "date", "groups"} <= set(check.problems)


def test_team_words_extend_measures_and_groups() -> None:
    aim = (
        "Narrow the gap in timely prenatal care between Riverside and Hilltop neighbourhoods from 20 to 10 "
        "points by June 2026; no group gets worse."
    )
    assert "groups" in check_aim_statement(aim).problems
    assert check_aim_statement(aim, groups=["Riverside", "Hilltop"]).complete


def test_checklist_marks_each_element_with_a_symbol_not_colour_only() -> None:
    html = aim_checklist_html(check_aim_statement(MISSING_ONE["date"]))
    assert html.count("✔") == len(AIM_ELEMENTS) - 1
    assert html.count("✘") == 1
    assert "Missing: it says by when" in html


def test_widget_updates_checklist_and_feedback_as_typed() -> None:
    builder = aim_statement_builder()
    assert isinstance(builder, Exercise)
    builder.text.value = MISSING_ONE["guard"]
    assert "Missing: it says no group gets worse" in builder.checklist.value
    assert "Not quite" in builder.feedback.value
    builder.text.value = COMPLETE
    assert "✘" not in builder.checklist.value
    assert "Correct" in builder.feedback.value


def test_template_button_fills_only_an_empty_box() -> None:
    builder = aim_statement_builder()
    builder.template_button.click()
    assert builder.text.value == AIM_TEMPLATE
    builder.text.value = "my own words"
    builder.template_button.click()
    assert builder.text.value == "my own words"


def test_static_view_is_deterministic_and_shows_the_worked_example() -> None:
    first = aim_statement_builder(example=COMPLETE).static_html
    second = aim_statement_builder(example=COMPLETE).static_html
    assert first == second
    assert "Worked example" in first and "✘" not in first
    for label in AIM_ELEMENTS.values():
        assert label in first


def test_an_incomplete_worked_example_is_refused() -> None:
    with pytest.raises(ValueError, match="guard"):
        aim_statement_builder(example=MISSING_ONE["guard"])


def test_aim_is_saved_and_restored(tmp_path) -> None:
    workbook = Workbook(tmp_path / "wb.json")
    builder = aim_statement_builder(workbook=workbook, module="05", key="aim")
    builder.text.value = COMPLETE
    assert workbook.get("05", "aim") == COMPLETE
    again = aim_statement_builder(workbook=Workbook(tmp_path / "wb.json"), module="05", key="aim")
    assert again.text.value == COMPLETE
    assert "✘" not in again.checklist.value
