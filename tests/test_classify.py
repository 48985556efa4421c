"""helpers.exercises.classify: sort items into categories, with feedback per item."""

from __future__ import annotations

from html import escape

import pytest

from helpers.exercises.classify import check_classification, classification
from helpers.workbook import Workbook

CATS = ["Institutional", "Personally mediated", "Internalised"]
ITEMS = {"dress": "Hair policy text", "joke": "A colleague's remark", "doubt": "I am not good enough"}
ANSWERS = {"dress": "Institutional", "joke": "Personally mediated", "doubt": "Internalised"}
WHY = {"dress": "A written rule.", "joke": "One person to another.", "doubt": "Self-doubt."}


def test_all_right_is_complete() -> None:
    fb = check_classification(ANSWERS, answers=ANSWERS, categories=CATS, explanations=WHY)
    assert fb.complete and fb.n_correct == 3 and fb.message == "All 3 right."
    assert fb.items["dress"].message == "Institutional. A written rule."


def test_wrong_item_names_the_right_category_and_explains() -> None:
    chosen = {**ANSWERS, "joke": "Institutional"}
    fb = check_classification(chosen, answers=ANSWERS, categories=CATS, explanations=WHY)
    assert not fb.complete and fb.n_correct == 2
    assert not fb.items["joke"].correct
    assert "the answer is Personally mediated" in fb.items["joke"].message
    assert "One person to another." in fb.items["joke"].message
    assert "2 of 3 right" in fb.message


def test_unanswered_and_unknown_choices_are_invalid_not_errors() -> None:
    fb = check_classification(
        {"dress": None, "joke": "Structural"}, answers=ANSWERS, categories=CATS, explanations=WHY
    )
    assert fb.n_answered == 0 and fb.n_correct == 0
    assert not fb.items["dress"].valid and not fb.items["joke"].valid and not fb.items["doubt"].valid
    assert "not one of the categories" in fb.items["joke"].message
    partial = check_classification({"dress": "Institutional"}, answers=ANSWERS, categories=CATS)
    assert "2 not answered yet" in partial.message


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"answers": {"dress": "Structural"}, "categories": CATS}, "do not exist"),
        ({"answers": ANSWERS, "categories": ["Only one"]}, "at least two"),
        ({"answers": ANSWERS, "categories": CATS, "explanations": {"other": "x"}}, "items that do not exist"),
        ({"answers": {}, "categories": CATS}, "answers must map"),
    ],
)
def test_malformed_exercises_raise(kwargs: dict, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        check_classification({}, **kwargs)


def test_widget_checks_every_item_and_saves_choices(tmp_path) -> None:
    wb = Workbook(tmp_path / "wb.json")
    ex = classification(
        "Which level?", ITEMS, CATS, ANSWERS, explanations=WHY, workbook=wb, module="07", key="levels"
    )
    ex.choices["dress"].value = "Institutional"
    ex.choices["joke"].value = "Internalised"
    ex.check_button.click()
    assert "✔" in ex.item_feedback["dress"].value
    assert "✘" in ex.item_feedback["joke"].value and "Personally mediated" in ex.item_feedback["joke"].value
    assert ex.item_feedback["doubt"].value == ""  # not answered: no item feedback yet
    assert wb.get("07", "levels") == {"dress": "Institutional", "joke": "Internalised"}
    # Reopening restores the saved choices and their feedback.
    again = classification(
        "Which level?", ITEMS, CATS, ANSWERS, explanations=WHY, workbook=wb, module="07", key="levels"
    )
    assert again.choices["joke"].value == "Internalised"
    assert "Your saved answers" in again.saved.value


def test_static_html_is_deterministic_and_keeps_the_answers_closed() -> None:
    a = classification("Which level?", ITEMS, CATS, ANSWERS, explanations=WHY, hint="Who acts?")
    b = classification("Which level?", ITEMS, CATS, ANSWERS, explanations=WHY, hint="Who acts?")
    assert a.static_html == b.static_html
    html = a.static_html
    assert "<details><summary>Show answers</summary>" in html
    # The answer key appears only inside the closed <details>.
    assert html.index("A written rule.") > html.index("Show answers")
    for text in ITEMS.values():
        assert escape(text) in html


def test_widget_refuses_answers_for_items_not_shown() -> None:
    with pytest.raises(ValueError, match="not shown"):
        classification("Q", {"dress": "x", "joke": "y"}, CATS, {**ANSWERS})
