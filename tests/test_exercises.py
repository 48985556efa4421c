"""Tests for helpers.exercises: pure check functions, headless widgets, static fallbacks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import given
from hypothesis import strategies as st

from helpers.exercises import (
    BOOK_DATASETS,
    DATASET_CHOICES,
    PDSA_FIELDS,
    SCALE,
    ExplorerChoices,
    Feedback,
    check_multiple_choice,
    check_numeric,
    describe_what_if,
    driver_diagram_builder,
    driver_diagram_problems,
    driver_diagram_spec,
    explorer_choices,
    multiple_choice,
    numeric_answer,
    parse_driver_outline,
    parse_number,
    pdsa_compare,
    pdsa_missing,
    pdsa_planner,
    rates_mapping,
    reflection,
    score_self_assessment,
    self_assessment,
    stratified_table_html,
    stratifier_explorer,
    stratifier_table,
    what_if_gap,
    what_if_gap_measures,
)
from helpers.workbook import Workbook

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
OPTIONS = ["Rate ratio", "Rate difference", "Odds ratio"]
WHY = {
    "Rate ratio": "A ratio divides one rate by another.",
    "Rate difference": "A difference subtracts: 55% − 41% = 14 points.",
    "Odds ratio": "Odds are not rates.",
}


@pytest.fixture
def wb(tmp_path: Path) -> Workbook:
    return Workbook(tmp_path / "wb.json")


def assert_static_is_clean(html_text: str, tmp_path: Path | None = None) -> None:
    """Deterministic: no model ids, no dates, no paths."""
    assert "model_id" not in html_text
    assert not re.search(r"[0-9a-f]{32}", html_text)
    assert not re.search(r"\d{4}-\d{2}-\d{2}", html_text)
    if tmp_path is not None:
        assert str(tmp_path) not in html_text
    assert "/home/" not in html_text and "/tmp/" not in html_text


# ============================================================================ check_multiple_choice
def mc(choice: object) -> Feedback:
    return check_multiple_choice(choice, options=OPTIONS, answer="Rate difference", explanations=WHY)  # type: ignore[arg-type]


def test_mc_right_answer_explains() -> None:
    fb = mc("Rate difference")
    assert fb == Feedback(True, WHY["Rate difference"], True)


def test_mc_wrong_answer_explains_the_chosen_option() -> None:
    fb = mc("Odds ratio")
    assert not fb.correct and fb.valid
    assert fb.message == "Odds are not rates."


def test_mc_by_index_and_list_explanations() -> None:
    fb = check_multiple_choice(1, options=OPTIONS, answer=1, explanations=list(WHY.values()))
    assert fb.correct and "subtracts" in fb.message
    assert not check_multiple_choice(0, options=OPTIONS, answer=1).correct


@pytest.mark.parametrize("empty", [None, "", "   "])
def test_mc_nothing_chosen_is_invalid_not_an_error(empty: object) -> None:
    fb = mc(empty)
    assert not fb.correct and not fb.valid and "Choose" in fb.message


def test_mc_unknown_option_and_bad_index_are_invalid() -> None:
    assert not mc("Hazard ratio").valid
    assert "Hazard ratio" in mc("Hazard ratio").message
    assert not mc(7).valid


def test_mc_without_explanations_still_says_why() -> None:
    right = check_multiple_choice("b", options=["a", "b"], answer="b")
    wrong = check_multiple_choice("a", options=["a", "b"], answer="b")
    assert right.correct and "b" in right.message
    assert not wrong.correct and "hint" in wrong.message


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"options": ["only one"], "answer": "only one"}, "at least two"),
        ({"options": ["a", "a"], "answer": "a"}, "repeated"),
        ({"options": "ab", "answer": "a"}, "list of strings"),
        ({"options": ["a", "b"], "answer": "c"}, "not one of the options"),
        ({"options": ["a", "b"], "answer": 5}, "out of range"),
        ({"options": ["a", "b"], "answer": "a", "explanations": {"z": "?"}}, "do not exist"),
        ({"options": ["a", "b"], "answer": "a", "explanations": ["one"]}, "one entry per option"),
    ],
)
def test_mc_author_mistakes_raise_valueerror(kwargs: dict, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        check_multiple_choice("a", **kwargs)
    with pytest.raises(ValueError, match=match):
        multiple_choice("Q?", **kwargs)


# ============================================================================ check_numeric / parse_number
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("41", 41.0),
        (" 41.2 ", 41.2),
        ("-3", -3.0),
        ("\u22123", -3.0),
        ("1,234", 1234.0),
        ("1,234.5", 1234.5),
        ("41,5", 41.5),
        ("1e3", 1000.0),
        (".5", 0.5),
        (7, 7.0),
        (2.5, 2.5),
        ("abc", None),
        ("", None),
        ("4 1", 41.0),
        ("41%", None),
        ("nan", None),
        ("inf", None),
        (float("nan"), None),
        (True, None),
        ("1,23,4", None),
    ],
)
def test_parse_number(text: object, expected: float | None) -> None:
    assert parse_number(text) == expected  # type: ignore[arg-type]


def test_parse_number_strips_units() -> None:
    assert parse_number("41%", units="%") == 41.0
    assert parse_number("41 %", units="%") == 41.0
    assert parse_number("2.1 per 1,000 patient-days", units="per 1,000 patient-days") == 2.1
    assert parse_number("41 points", units="%") is None


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_parse_number_reads_any_float_repr(x: float) -> None:
    assert parse_number(repr(x)) == x


def test_numeric_right_with_and_without_units() -> None:
    for text in ("41", "41%", "41 %", "41.2", 41.2):
        fb = check_numeric(text, answer=41.2, units="%")
        assert fb.correct and fb.valid, text
    assert "exactly right" in check_numeric("41.2", answer=41.2).message
    assert "close enough" in check_numeric("41", answer=41.2).message


def test_numeric_wrong_says_which_way() -> None:
    high = check_numeric("45", answer=41.2, units="%")
    low = check_numeric("30", answer=41.2, units="%")
    assert not high.correct and high.valid and "too high" in high.message
    assert not low.correct and "too low" in low.message


def test_numeric_tolerance_boundaries() -> None:
    assert check_numeric("41.7", answer=41.2, tolerance=0.5).correct  # exactly on the edge (float-safe)
    assert not check_numeric("41.71", answer=41.2, tolerance=0.5).correct
    assert check_numeric("40.7", answer=41.2, tolerance=0.5).correct
    assert not check_numeric("41.3", answer=41.2, tolerance=0).correct
    assert check_numeric("41.2", answer=41.2, tolerance=0).correct


def test_numeric_relative_tolerance() -> None:
    assert check_numeric("1.36", answer=1.34, tolerance=0.02, relative=True).correct
    assert not check_numeric("1.37", answer=1.34, tolerance=0.02, relative=True).correct
    assert check_numeric("-1.36", answer=-1.34, tolerance=0.02, relative=True).correct


def test_numeric_proportion_for_percent_gets_a_helpful_message() -> None:
    fb = check_numeric("0.41", answer=41.2, units="%")
    assert not fb.correct and fb.valid and "proportion" in fb.message and "41 %" in fb.message


def test_numeric_percent_for_proportion_gets_a_helpful_message() -> None:
    fb = check_numeric("41", answer=0.412, tolerance=0.005)
    assert not fb.correct and "proportion" in fb.message and "0.41" in fb.message


@pytest.mark.parametrize("empty", [None, "", "   "])
def test_numeric_empty_is_invalid(empty: object) -> None:
    fb = check_numeric(empty, answer=1)  # type: ignore[arg-type]
    assert not fb.valid and not fb.correct and "Enter a number" in fb.message


def test_numeric_non_number_is_invalid_with_help_not_exception() -> None:
    fb = check_numeric("forty", answer=41.2, units="%")
    assert not fb.valid and "not a number" in fb.message and "%" in fb.message


def test_numeric_author_mistakes() -> None:
    with pytest.raises(ValueError, match="finite number"):
        check_numeric("1", answer=float("nan"))
    with pytest.raises(ValueError, match="tolerance"):
        check_numeric("1", answer=1, tolerance=-1)
    with pytest.raises(ValueError, match="finite number"):
        numeric_answer("Q?", "41")  # type: ignore[arg-type]


# ============================================================================ Feedback
def test_feedback_html_escapes_and_uses_words_not_only_colour() -> None:
    html_text = Feedback(False, "<b>no</b>").to_html()
    assert "&lt;b&gt;" in html_text and "Not quite" in html_text and 'role="status"' in html_text
    assert "Correct" in Feedback(True, "ok").to_html()
    assert "Check your answer" in Feedback(False, "?", valid=False).to_html()
    with pytest.raises(AttributeError):
        Feedback(True, "x").correct = False  # type: ignore[misc]


# ============================================================================ multiple_choice widget
def test_mc_widget_gives_feedback_and_saves(wb: Workbook) -> None:
    q = multiple_choice(
        "Which is absolute?",
        OPTIONS,
        "Rate difference",
        explanations=WHY,
        hint="Subtract.",
        workbook=wb,
        module="00",
        key="q1",
    )
    assert q.choice.value is None and q.feedback.value == ""
    q.choice.value = "Odds ratio"
    assert "Odds are not rates." in q.feedback.value and "Not quite" in q.feedback.value
    assert wb.get("00", "q1") == "Odds ratio"
    q.choice.value = "Rate difference"
    assert "Correct" in q.feedback.value
    assert "Saved" in q.saved.value
    assert Workbook(wb.path).get("00", "q1") == "Rate difference"
    assert Workbook(wb.path).answers("00")["label"].tolist() == ["Which is absolute?"]


def test_mc_widget_prefills_on_reopen(wb: Workbook) -> None:
    wb.save("00", "q1", "Rate ratio")
    q = multiple_choice(
        "Q?", OPTIONS, "Rate difference", explanations=WHY, workbook=Workbook(wb.path), module="00", key="q1"
    )
    assert q.choice.value == "Rate ratio"
    assert "A ratio divides" in q.feedback.value


def test_mc_widget_ignores_stale_saved_value(wb: Workbook) -> None:
    wb.save("00", "q1", "an option that no longer exists")
    q = multiple_choice("Q?", OPTIONS, "Rate difference", workbook=wb, module="00", key="q1")
    assert q.choice.value is None


def test_mc_widget_labels_hint_and_answer_toggles() -> None:
    q = multiple_choice("Q?", OPTIONS, 1, explanations=WHY, hint="Think subtraction.")
    assert q.choice.description == "Your answer:"
    buttons = [w for w in q.widget.children if hasattr(w, "children") for w in w.children]
    labels = [b.description for b in buttons]
    assert labels == ["Show hint", "Show answer"]
    hint_button, answer_button = buttons
    hint_box = next(w for w in q.widget.children if "Think subtraction" in str(getattr(w, "value", "") or ""))
    assert hint_box.layout.display == "none"
    hint_button.click()
    assert hint_box.layout.display is None and hint_button.description == "Hide hint"
    hint_button.click()
    assert hint_box.layout.display == "none"
    answer_box = next(w for w in q.widget.children if "pe-solution" in str(getattr(w, "value", "") or ""))
    # no answer before a first attempt: the button is disabled and a click shows nothing
    assert answer_button.disabled
    answer_button.click()
    assert answer_box.layout.display == "none"
    q.choice.value = "Odds ratio"  # a first (wrong) attempt unlocks it
    assert not answer_button.disabled
    answer_button.click()
    assert answer_box.layout.display is None and "Rate difference" in answer_box.value
    # the options carry the same letters as the static card and "Answer: B"
    labels = ["A. Rate ratio", "B. Rate difference", "C. Odds ratio"]
    assert q.choice.options == tuple(zip(labels, OPTIONS, strict=True))


def test_mc_check_passthrough() -> None:
    q = multiple_choice("Q?", OPTIONS, "Rate difference", explanations=WHY)
    assert q.check("Rate difference").correct
    assert not q.check(None).valid


def test_mc_save_needs_module_and_key(wb: Workbook) -> None:
    with pytest.raises(ValueError, match="module= and key="):
        multiple_choice("Q?", OPTIONS, 0, workbook=wb)


def test_mc_save_failure_is_shown_not_raised(wb: Workbook, monkeypatch: pytest.MonkeyPatch) -> None:
    q = multiple_choice("Q?", OPTIONS, 0, workbook=wb, module="00", key="q")

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("read-only file system")

    monkeypatch.setattr(wb, "save", broken)
    q.choice.value = OPTIONS[0]
    assert "Not saved" in q.saved.value and "read-only" in q.saved.value
    assert "Correct" in q.feedback.value


def test_mc_static_fallback(tmp_path: Path, wb: Workbook) -> None:
    q = multiple_choice(
        "Which <is> absolute?",
        OPTIONS,
        "Rate difference",
        explanations=WHY,
        hint="Subtract & see.",
        workbook=wb,
        module="00",
        key="q1",
    )
    q.choice.value = "Odds ratio"  # saved answers never leak into the static view
    bundle = q._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "text/html", WIDGET_MIME}
    # displayed in a frame with a stable id (see helpers.exercises.reopen) holding the widget
    frame_id = bundle[WIDGET_MIME]["model_id"]
    assert frame_id == q.display_id and frame_id.startswith("pe-exercise-")
    from ipywidgets.widgets.widget import _instances

    assert _instances[frame_id].children == (q.widget,)
    html_text = bundle["text/html"]
    assert_static_is_clean(html_text, tmp_path)
    soup = BeautifulSoup(html_text, "html.parser")
    assert soup.find("legend").get_text() == "Question: Which <is> absolute?"
    # letters written out, as in JupyterLab's radio buttons (its sanitizer drops <ol type="A">)
    options = soup.find("ul", class_="pe-options").find_all("li")
    assert [li.get_text() for li in options] == ["A. Rate ratio", "B. Rate difference", "C. Odds ratio"]
    assert soup.find("ol") is None
    summaries = [d.find("summary").get_text() for d in soup.find_all("details")]
    assert summaries == ["Hint", "Show answer"]
    answer = soup.find_all("details")[1].get_text()
    assert "B. Rate difference" in answer and "Odds are not rates." in answer
    assert "Subtract & see." in soup.get_text() and "&amp;" in html_text
    assert "saved to your workbook" in html_text
    assert (
        bundle["text/plain"]
        == "Multiple choice: Which <is> absolute?\n  A. Rate ratio\n  B. Rate difference\n  C. Odds ratio"
    )
    # deterministic: a second construction gives byte-identical static output
    again = multiple_choice(
        "Which <is> absolute?",
        OPTIONS,
        "Rate difference",
        explanations=WHY,
        hint="Subtract & see.",
        workbook=Workbook(wb.path),
        module="00",
        key="q1",
    )
    assert again._repr_mimebundle_()["text/html"] == html_text
    assert again.widget.model_id != q.widget.model_id
    # the same exercise again (its cell re-run) gets the same frame id; the old frame is closed
    assert again.display_id == frame_id and _instances[frame_id].children == (again.widget,)


def test_mimebundle_include_exclude() -> None:
    q = multiple_choice("Q?", ["a", "b"], 0)
    assert set(q._repr_mimebundle_(include={"text/html"})) == {"text/html"}
    assert WIDGET_MIME not in q._repr_mimebundle_(exclude={WIDGET_MIME})
    assert q._repr_html_() == q.static_html and repr(q) == q.static_text


# ============================================================================ numeric_answer widget
def test_numeric_widget_checks_on_enter_and_button_and_saves(wb: Workbook) -> None:
    q = numeric_answer(
        "BP control for Black patients?",
        41.2,
        units="%",
        hint="Look at the table.",
        solution="41.2% from the table above.",
        workbook=wb,
        module="00",
        key="n1",
    )
    q.entry.value = "50"
    assert "too high" in q.feedback.value
    assert wb.get("00", "n1") == "50"
    q.entry.value = "41%"
    assert "Correct" in q.feedback.value and "41.2% from the table above." in q.feedback.value
    assert Workbook(wb.path).get("00", "n1") == "41%"
    q.check_button.click()
    assert "Correct" in q.feedback.value


def test_numeric_widget_does_not_save_invalid_input(wb: Workbook) -> None:
    q = numeric_answer("Q?", 3, workbook=wb, module="00", key="n")
    q.entry.value = "three"
    assert "not a number" in q.feedback.value
    assert wb.get("00", "n") is None
    q.entry.value = ""
    q.check_button.click()
    assert "Enter a number" in q.feedback.value


def test_numeric_widget_prefills_on_reopen(wb: Workbook) -> None:
    wb.save("00", "n", "40")
    q = numeric_answer("Q?", 41.2, workbook=Workbook(wb.path), module="00", key="n")
    assert q.entry.value == "40"
    assert "too low" in q.feedback.value


def test_numeric_widget_controls_are_labelled() -> None:
    q = numeric_answer("Q?", 1.34, tolerance=0.02, relative=True, hint="h", solution="s")
    assert q.entry.description == "Your answer:"
    assert q.check_button.description == "Check"
    texts = [
        b.description
        for row in q.widget.children
        if hasattr(row, "children")
        for b in row.children
        if hasattr(b, "on_click")
    ]
    assert texts == ["Check", "Show hint", "Show solution"]
    assert q.check("1.35").correct


def test_numeric_static_fallback(tmp_path: Path, wb: Workbook) -> None:
    q = numeric_answer(
        "Share <controlled>?",
        41.2,
        units="%",
        hint="Table 1.",
        solution="Read row 2.",
        workbook=wb,
        module="00",
        key="n",
    )
    q.entry.value = "12"
    html_text = q._repr_mimebundle_()["text/html"]
    assert_static_is_clean(html_text, tmp_path)
    soup = BeautifulSoup(html_text, "html.parser")
    assert soup.find("legend").get_text() == "Question: Share <controlled>?"
    answer = soup.find_all("details")[-1]
    assert answer.find("summary").get_text() == "Show answer"
    assert "41.2 %" in answer.get_text() and "Read row 2." in answer.get_text()
    assert "12" not in soup.get_text().replace("41.2", "")
    assert q._repr_mimebundle_()["text/plain"] == "Numeric question: Share <controlled>? (answer in %)"


# ============================================================================ reflection widget
def test_reflection_saves_on_blur_and_button_and_prefills(wb: Workbook) -> None:
    r = reflection("What surprised you?", workbook=wb, module="00", key="surprise")
    assert r.text.description == "Your reflection:" and r.save_button.description == "Save"
    r.text.value = "The size of the gap <really>."
    assert wb.get("00", "surprise") == "The size of the gap <really>."
    assert "Saved" in r.status.value
    wb2 = Workbook(wb.path)
    r2 = reflection("What surprised you?", workbook=wb2, module="00", key="surprise")
    assert r2.text.value == "The size of the gap <really>."
    assert "saved" in r2.status.value.lower()
    r2.text.value = "Changed my mind."
    r2.save_button.click()
    assert Workbook(wb.path).get("00", "surprise") == "Changed my mind."
    assert Workbook(wb.path).answers("00")["label"].tolist() == ["What surprised you?"]


def test_reflection_empty_text_is_saved_too(wb: Workbook) -> None:
    r = reflection("P?", workbook=wb, module="00", key="k")
    r.text.value = "x"
    r.text.value = ""
    assert wb.get("00", "k") == ""


def test_reflection_without_workbook_says_not_saved() -> None:
    r = reflection("P?", workbook=None, module="00", key="k")
    r.save_button.click()
    assert "Not saved" in r.status.value


def test_reflection_static_fallback(tmp_path: Path, wb: Workbook) -> None:
    wb.save("00", "k", "private text")
    r = reflection("Who <else> should see this?", workbook=wb, module="00", key="k")
    bundle = r._repr_mimebundle_()
    html_text = bundle["text/html"]
    assert_static_is_clean(html_text, tmp_path)
    assert "private text" not in html_text and "private text" not in bundle["text/plain"]
    soup = BeautifulSoup(html_text, "html.parser")
    assert soup.find("legend").get_text() == "Reflect: Who <else> should see this?"
    assert "saved to your workbook" in soup.get_text()
    assert bundle["text/plain"] == "Reflection: Who <else> should see this?"
    assert WIDGET_MIME in bundle


def test_question_widgets_need_no_kernel_and_emit_nothing(
    wb: Workbook, capsys: pytest.CaptureFixture[str]
) -> None:
    q = multiple_choice("Q?", ["a", "b"], 0, workbook=wb, module="00", key="a")
    q.choice.value = "b"
    n = numeric_answer("N?", 1, workbook=wb, module="00", key="b")
    n.entry.value = "1"
    r = reflection("R?", workbook=wb, module="00", key="c")
    r.text.value = "t"
    out = capsys.readouterr()
    assert out.out == "" and out.err == ""
    assert Workbook(wb.path).to_dict() == {"00": {"a": "b", "b": "1", "c": "t"}}


# ============================================================================ PDSA planner


def test_pdsa_compare_numbers() -> None:
    lower = pdsa_compare("55%", "49 %", units="%")
    assert (lower.prediction, lower.result, lower.difference) == (55.0, 49.0, -6.0)
    assert "6 percentage points lower than predicted" in lower.message
    higher = pdsa_compare(10, 12.5)
    assert higher.difference == 2.5 and "2.5 higher" in higher.message
    same = pdsa_compare("50", "51", tolerance=1)
    assert "as predicted" in same.message


@pytest.mark.parametrize(
    ("prediction", "result", "direction", "words"),
    [
        # signed gaps, group − reference: a gap is as wide as its distance from zero
        ("-4", "-6", "wider", "2 percentage points wider than predicted"),
        ("-6", "-4", "narrower", "2 percentage points narrower than predicted"),
        ("4", "6", "wider", "2 percentage points wider than predicted"),
        ("6", "4", "narrower", "2 percentage points narrower than predicted"),
        ("-5.2", "-5.4", "wider", "0.2 percentage points wider than predicted"),
        ("-3", "0", "narrower", "3 percentage points narrower than predicted"),
        ("-3", "2", "reversed", "the group is now above the reference group"),
        ("3", "-2", "reversed", "the group is now below the reference group"),
        ("-3", "-3", "as predicted", "The gap (-3 percentage points) was as predicted"),
    ],
)
def test_pdsa_compare_gap_widens_or_narrows(prediction: str, result: str, direction: str, words: str) -> None:
    cmp = pdsa_compare(prediction, result, units="percentage points")
    assert cmp.direction == direction and words in cmp.message
    assert cmp.difference == pytest.approx(float(result) - float(prediction))  # still signed
    assert not any(w in cmp.message for w in (" higher ", " lower "))


def test_pdsa_compare_gap_is_explicit_or_read_from_points() -> None:
    # -6 against -4 is "lower" for a measure, "wider" for a gap
    assert pdsa_compare("-4", "-6").direction == "lower"
    assert pdsa_compare("-4", "-6", gap=True).direction == "wider"
    assert pdsa_compare("-4", "-6", units="pp").direction == "wider"
    assert pdsa_compare("-4", "-6", units="pp", gap=False).direction == "lower"
    assert pdsa_compare("55%", "49%", units="%").direction == "lower"  # a rate, not a gap
    assert pdsa_compare("a", "b").direction == ""


def test_pdsa_compare_text_and_missing() -> None:
    text = pdsa_compare("More patients will come back", "About the same")
    assert text.difference is None and "More patients will come back" in text.message
    assert "No prediction" in pdsa_compare("", "49").message
    assert "No prediction" in pdsa_compare(None, "49").message
    assert "Write down the result" in pdsa_compare("50", "  ").message


def test_pdsa_missing() -> None:
    assert pdsa_missing({}) == [title for title, _ in PDSA_FIELDS.values()]
    full = {name: "x" for name in PDSA_FIELDS}
    assert pdsa_missing(full) == []
    assert pdsa_missing({**full, "act": "  "}) == ["Act"]


def test_pdsa_planner_keeps_prediction_and_compares(wb: Workbook) -> None:
    p = pdsa_planner("Cycle 1: calls in Spanish", units="%", workbook=wb, module="06", key="pdsa1")
    assert all(f.description.endswith(":") for f in p.fields.values())
    p.keep_button.click()  # nothing to keep yet
    assert not p.fields["prediction"].disabled and "Write a prediction first" in p.status.value
    p.fields["change"].value = "Reminder calls in Spanish"
    p.fields["prediction"].value = "55%"
    p.keep_button.click()
    assert p.fields["prediction"].disabled and p.keep_button.description == "Prediction kept"
    p.fields["result"].value = "49%"
    assert "6 percentage points lower" in p.comparison.value
    p.fields["decision"].value = "Adapt"
    saved = Workbook(wb.path).get("06", "pdsa1")
    assert saved["prediction"] == "55%" and saved["prediction_kept"] is True
    assert saved["result"] == "49%" and saved["decision"] == "Adapt"
    assert p.record() == saved
    # reopen: everything pre-filled, prediction still locked
    again = pdsa_planner(
        "Cycle 1: calls in Spanish", units="%", workbook=Workbook(wb.path), module="06", key="pdsa1"
    )
    assert again.fields["change"].value == "Reminder calls in Spanish"
    assert again.fields["prediction"].disabled and again.fields["decision"].value == "Adapt"
    assert "6 percentage points lower" in again.comparison.value
    assert again.check("55", "49").difference == -6


def test_pdsa_static_fallback(tmp_path: Path, wb: Workbook) -> None:
    wb.save("06", "p", {"prediction": "secret"})
    p = pdsa_planner("Cycle <1>", workbook=wb, module="06", key="p")
    html_text = p._repr_mimebundle_()["text/html"]
    assert_static_is_clean(html_text, tmp_path)
    assert "secret" not in html_text
    soup = BeautifulSoup(html_text, "html.parser")
    assert soup.find("legend").get_text() == "PDSA planner: Cycle <1>"
    assert len(soup.find("ol").find_all("li")) == len(PDSA_FIELDS)
    assert html_text == pdsa_planner("Cycle <1>", workbook=wb, module="06", key="p").static_html


# ============================================================================ what-if gap
RATES = {"Black": 0.41, "Hispanic": 0.47, "White": 0.55}


def test_what_if_only_one_group_moves_all_measures_agree() -> None:
    t = what_if_gap_measures(RATES, "Black", 0.48, "White")
    assert t["scenario"].tolist() == ["now", "what if"]
    assert t["abs_diff_points"].round(6).tolist() == [-14.0, -7.0]
    assert t["rate_ratio"].round(4).tolist() == [round(0.41 / 0.55, 4), round(0.48 / 0.55, 4)]
    assert t["shortfall_ratio"].round(4).tolist() == [round(0.59 / 0.45, 4), round(0.52 / 0.45, 4)]
    text = describe_what_if(t)
    assert text.count("(narrower)") == 3 and "agree" in text


def test_what_if_both_improve_measures_disagree() -> None:
    t = what_if_gap_measures(RATES, "Black", 0.61, "White", new_reference_rate=0.75)
    text = describe_what_if(t)
    assert "(unchanged)" in text and "(narrower)" in text and "(wider)" in text
    assert "disagree" in text


def test_what_if_no_change() -> None:
    t = what_if_gap_measures(RATES, "Black", 0.41, "White")
    assert "Nothing changed" in describe_what_if(t)


def test_what_if_zero_denominators_are_nan_not_errors() -> None:
    t = what_if_gap_measures({"A": 0.5, "B": 1.0}, "A", 0.6, "B")
    assert t["shortfall_ratio"].isna().all()
    assert "cannot be computed" in describe_what_if(t)


def test_what_if_errors_name_the_problem() -> None:
    with pytest.raises(KeyError, match="Asian"):
        what_if_gap_measures(RATES, "Asian", 0.5, "White")
    with pytest.raises(KeyError, match="reference"):
        what_if_gap_measures(RATES, "Black", 0.5, "Martian")
    with pytest.raises(ValueError, match="between 0 and 1"):
        what_if_gap_measures(RATES, "Black", 41, "White")
    with pytest.raises(ValueError, match="different"):
        what_if_gap_measures(RATES, "White", 0.5, "White")


def test_rates_mapping_accepts_tables_and_skips_suppressed() -> None:
    import pandas as pd

    table = pd.DataFrame(
        {
            "race": ["Black", "White", "Other"],
            "rate": [0.41, 0.55, float("nan")],
            "suppressed": [False, False, True],
        }
    )
    assert rates_mapping(table) == {"Black": 0.41, "White": 0.55}
    assert rates_mapping(pd.Series({"a": 0.1, "b": 0.2})) == {"a": 0.1, "b": 0.2}
    with pytest.raises(ValueError, match="'rate' not found"):
        rates_mapping(pd.DataFrame({"race": ["a"]}))
    with pytest.raises(ValueError, match="group_col"):
        rates_mapping(pd.DataFrame({"race": ["a", "b"], "payer": ["x", "y"], "rate": [0.1, 0.2]}))
    with pytest.raises(ValueError, match="every rate must be a number"):
        rates_mapping({"a": "high", "b": 0.2})
    with pytest.raises(ValueError, match="at least two"):
        rates_mapping({"a": 0.1})


def test_what_if_widget_sliders_and_save(wb: Workbook) -> None:
    w = what_if_gap(RATES, reference="White", workbook=wb, module="04", key="whatif")
    assert w.group.value == "Black" and w.group_rate.value == 41 and w.reference_rate.value == 55
    assert w.group_rate.description == "Black rate (%):"
    assert "Nothing changed" in w.output.value
    w.group_rate.value = 61
    w.reference_rate.value = 75
    assert "disagree" in w.output.value
    assert Workbook(wb.path).get("04", "whatif") == {
        "group": "Black",
        "group_rate": 61.0,
        "reference_rate": 75.0,
    }
    w.group.value = "Hispanic"
    assert w.group_rate.value == 47 and w.group_rate.description == "Hispanic rate (%):"
    again = what_if_gap(RATES, reference="White", workbook=Workbook(wb.path), module="04", key="whatif")
    assert again.group.value == "Hispanic" and again.group_rate.value == 47
    assert again.check("Black", 0.5)["abs_diff_points"].round(6).tolist() == [-14.0, -5.0]


def test_what_if_static_fallback(tmp_path: Path) -> None:
    w = what_if_gap(RATES, reference="White", title="Raise <BP> control")
    html_text = w._repr_mimebundle_()["text/html"]
    assert_static_is_clean(html_text, tmp_path)
    soup = BeautifulSoup(html_text, "html.parser")
    assert soup.find("legend").get_text() == "What if: Raise <BP> control"
    tables = soup.find_all("table")
    assert len(tables) == 2 and "Worked example" in soup.get_text()
    assert "disagree" in soup.get_text()
    assert w.static_text == "What if: Raise <BP> control"


def test_what_if_widget_argument_errors() -> None:
    with pytest.raises(KeyError, match="reference"):
        what_if_gap(RATES, reference="Nobody")
    with pytest.raises(KeyError, match="non-reference"):
        what_if_gap(RATES, reference="White", group="White")


# ============================================================================ self-assessment
def bank():  # type: ignore[no-untyped-def]
    import pandas as pd

    return pd.DataFrame(
        {
            "item_id": ["C1.1", "C1.2", "C2.1", "C2.2", "C3.1"],
            "component": pd.Categorical(
                ["Strategy", "Strategy", "Structure", "Structure", "Racism"],
                categories=["Strategy", "Structure", "Racism"],
                ordered=True,
            ),
            "item": [
                "Equity is <named> in the plan.",
                "Aims are measurable.",
                "A council exists.",
                "Data are stratified.",
                "Policies were reviewed.",
            ],
        }
    )


def test_score_self_assessment_by_component_in_bank_order() -> None:
    scores = score_self_assessment({"C1.1": 5, "C1.2": "Planning", "C2.1": 1, "C3.1": None}, bank())
    assert scores["component"].tolist() == ["Strategy", "Structure", "Racism"]
    assert scores["n_items"].tolist() == [2, 2, 1]
    assert scores["n_answered"].tolist() == [2, 1, 0]
    assert scores["mean_rating"].iloc[0] == 3.5 and scores["mean_rating"].iloc[1] == 1.0
    assert scores["percent"].iloc[0] == 62.5 and scores["percent"].iloc[1] == 0.0
    assert scores["mean_rating"].isna().iloc[2] and scores["percent"].isna().iloc[2]


def test_score_self_assessment_empty_and_full() -> None:
    assert score_self_assessment({}, bank())["n_answered"].sum() == 0
    full = score_self_assessment({i: 5 for i in bank()["item_id"]}, bank())
    assert full["percent"].tolist() == [100.0, 100.0, 100.0]


@pytest.mark.parametrize(
    ("responses", "error", "match"),
    [
        ({"C9.9": 3}, KeyError, "unknown item"),
        ({"C1.1": 6}, ValueError, "outside 1–5"),
        ({"C1.1": 0}, ValueError, "outside 1–5"),
        ({"C1.1": 2.5}, ValueError, "whole number"),
        ({"C1.1": True}, ValueError, "whole number"),
        ({"C1.1": "Sort of"}, ValueError, "not on the scale"),
    ],
)
def test_score_self_assessment_rejects_bad_ratings(responses: dict, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        score_self_assessment(responses, bank())


def test_score_self_assessment_checks_the_bank() -> None:
    with pytest.raises(KeyError, match="missing"):
        score_self_assessment({}, bank().drop(columns="component"))
    with pytest.raises(ValueError, match="unique"):
        score_self_assessment({}, bank().assign(item_id=["a", "a", "b", "c", "d"]))


def test_self_assessment_with_the_real_item_bank() -> None:
    from helpers.synth.self_assessment import generate_self_assessment

    items = generate_self_assessment()
    scores = score_self_assessment({"C1.1": 4, "C5.5": 2}, items)
    assert len(scores) == 5 and scores["n_items"].tolist() == [5] * 5
    assert scores["mean_rating"].iloc[0] == 4.0 and scores["mean_rating"].iloc[4] == 2.0


def test_self_assessment_widget_saves_and_prefills(wb: Workbook) -> None:
    s = self_assessment(bank(), workbook=wb, module="01", key="sa")
    assert set(s.ratings) == {"C1.1", "C1.2", "C2.1", "C2.2", "C3.1"}
    assert s.ratings["C1.1"].description == "Rating for C1.1:"
    s.ratings["C1.1"].value = SCALE[4]
    s.ratings["C2.1"].value = SCALE[1]
    assert Workbook(wb.path).get("01", "sa") == {"C1.1": SCALE[4], "C2.1": SCALE[1]}
    assert "<table" in s.output.value and "5.0" in s.output.value
    again = self_assessment(bank(), workbook=Workbook(wb.path), module="01", key="sa")
    assert again.ratings["C1.1"].value == SCALE[4] and again.ratings["C3.1"].value == "(not answered)"


def test_self_assessment_show_draws_radar_and_saves_figure(wb: Workbook) -> None:
    pytest.importorskip("helpers.plots", reason="helpers.plots (issue 6) is not there yet")
    s = self_assessment(bank(), workbook=wb, module="01", key="sa")
    s.ratings["C1.1"].value = SCALE[3]
    s.show_button.click()
    soup = BeautifulSoup(s.output.value, "html.parser")
    img = soup.find("img")
    assert img is not None and img["src"].startswith("data:image/png;base64,") and img["alt"].strip()
    assert "sa_radar" in Workbook(wb.path).figures("01")


def test_charts_follow_the_words_in_a_running_kernel(wb: Workbook) -> None:
    """In a kernel (an event loop runs) a click sets its words at once and draws the chart after the
    handler returns, once, and saves those very PNG bytes; a newer click wins over a pending one."""
    import asyncio
    import base64

    pytest.importorskip("helpers.plots", reason="helpers.plots (issue 6) is not there yet")
    s = self_assessment(bank(), workbook=wb, module="01", key="sa")
    s.ratings["C1.1"].value = SCALE[3]
    b = driver_diagram_builder(workbook=wb, module="05", key="dd")
    b.aim.value, b.outline.value = AIM, "Outreach\n  Calls"
    e = stratifier_explorer({"patients": patients()})

    async def clicks() -> list[str]:
        seen = []
        s.show_button.click()
        b.draw_button.click()
        b.draw_button.click()  # a second Draw before the first is drawn: drawn (and saved) once
        e.by2.value = "language"
        seen += [s.output.value, b.output.value, e.output.value]
        await asyncio.sleep(0.01)
        return [*seen, s.output.value, b.output.value, e.output.value]

    words_s, words_b, words_e, chart_s, chart_b, chart_e = asyncio.run(clicks())
    assert "<table" in words_s and "<img" not in words_s and "Secondary driver" in words_b
    assert "<img" not in words_b and "× language" in words_e and "<img" not in words_e
    assert all(chart.count("<img") == 1 for chart in (chart_s, chart_b, chart_e))
    saved = Workbook(wb.path).figures()
    for module, key, shown in (("01", "sa_radar", chart_s), ("05", "dd_diagram", chart_b)):
        png = saved[module][key]["png_base64"]
        assert base64.b64decode(png)[:4] == b"\x89PNG" and f"base64,{png}" in shown  # the bytes shown


def test_self_assessment_static_fallback(tmp_path: Path) -> None:
    s = self_assessment(bank(), title="Where <are> we?")
    html_text = s._repr_mimebundle_()["text/html"]
    assert_static_is_clean(html_text, tmp_path)
    soup = BeautifulSoup(html_text, "html.parser")
    assert soup.find("legend").get_text() == "Self-assessment: Where <are> we?"
    assert [li.get_text() for li in soup.find("ol").find_all("li")] == list(SCALE)
    assert "C1.1. Equity is <named> in the plan." in soup.get_text()
    assert not soup.find(re.compile(r"^h\d$"))
    assert s.static_text == "Self-assessment: Where <are> we? (5 items)"


# ============================================================================ driver diagram
OUTLINE = """
Reliable blood-pressure measurement
  Staff trained in technique
    Monthly skills check
    Video refresher
  Validated cuffs in every room
Outreach in the patient's language
\t- Calls by bilingual staff
\t\t- Spanish-speaking call team
"""
AIM = "Raise BP control for Black patients from 41% to 55% by December 2026"


def test_parse_driver_outline_levels_tabs_and_bullets() -> None:
    parsed = parse_driver_outline(OUTLINE)
    assert [p["driver"] for p in parsed] == [
        "Reliable blood-pressure measurement",
        "Outreach in the patient's language",
    ]
    assert parsed[0]["secondary"][0] == {
        "driver": "Staff trained in technique",
        "changes": ["Monthly skills check", "Video refresher"],
    }
    assert parsed[0]["secondary"][1] == {"driver": "Validated cuffs in every room", "changes": []}
    assert parsed[1]["secondary"] == [
        {"driver": "Calls by bilingual staff", "changes": ["Spanish-speaking call team"]}
    ]
    assert parse_driver_outline("- A\n-- B\n--- C") == [
        {"driver": "A", "secondary": [{"driver": "B", "changes": ["C"]}]}
    ]
    assert parse_driver_outline("   \n\n") == []


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("  orphan secondary", "line 1 .*no primary driver"),
        ("Primary\n    idea without secondary", "line 2 .*no secondary driver"),
        ("P\n  S\n    C\n      too deep", "line 4 .*indented 3 levels"),
    ],
)
def test_parse_driver_outline_errors_name_the_line(text: str, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        parse_driver_outline(text)


def test_driver_diagram_spec_validates() -> None:
    spec = driver_diagram_spec(f"  {AIM}  ", OUTLINE)
    assert spec["aim"] == AIM and len(spec["primary"]) == 2
    assert driver_diagram_spec(AIM, spec["primary"]) == spec  # structure in, same structure out
    with pytest.raises(ValueError, match="aim"):
        driver_diagram_spec("  ", OUTLINE)
    with pytest.raises(ValueError, match="at least one primary"):
        driver_diagram_spec(AIM, "")
    with pytest.raises(ValueError, match="primary driver 1 has no text"):
        driver_diagram_spec(AIM, [{"driver": " "}])
    with pytest.raises(ValueError, match="secondary driver 1 under primary driver 1"):
        driver_diagram_spec(AIM, [{"driver": "P", "secondary": [{"driver": ""}]}])
    with pytest.raises(ValueError, match="empty change idea"):
        driver_diagram_spec(AIM, [{"driver": "P", "secondary": [{"driver": "S", "changes": [" "]}]}])


def test_driver_diagram_problems_coach() -> None:
    notes = driver_diagram_problems(driver_diagram_spec(AIM, OUTLINE))
    assert notes == ["Secondary driver 'Validated cuffs in every room' has no change ideas yet."]
    vague = driver_diagram_problems(driver_diagram_spec("Better care", "P"))
    assert any("number or date" in n for n in vague) and any("no secondary" in n for n in vague)


def test_driver_builder_saves_text_and_draws(wb: Workbook) -> None:
    pytest.importorskip("helpers.plots", reason="helpers.plots (issue 6) is not there yet")
    b = driver_diagram_builder(workbook=wb, module="05", key="dd")
    assert b.aim.description == "Aim:" and b.draw_button.description == "Draw diagram"
    b.draw_button.click()
    assert "write the aim first" in b.output.value
    b.aim.value = AIM
    b.outline.value = OUTLINE
    assert Workbook(wb.path).get("05", "dd") == {"aim": AIM, "outline": OUTLINE}
    b.draw_button.click()
    soup = BeautifulSoup(b.output.value, "html.parser")
    assert soup.find("img") is not None and soup.find("img")["alt"].strip()
    assert "Validated cuffs in every room" in soup.get_text()  # the coaching note
    assert "dd_diagram" in Workbook(wb.path).figures("05")
    again = driver_diagram_builder(workbook=Workbook(wb.path), module="05", key="dd")
    assert again.aim.value == AIM and again.outline.value == OUTLINE


def test_driver_builder_static_fallback_draws_the_example(tmp_path: Path) -> None:
    pytest.importorskip("helpers.plots", reason="helpers.plots (issue 6) is not there yet")
    b = driver_diagram_builder(example_aim=AIM, example_outline=OUTLINE, title="Your <theory>")
    html_text = b._repr_mimebundle_()["text/html"]
    assert_static_is_clean(html_text.split("data:image/png;base64,")[0], tmp_path)
    soup = BeautifulSoup(html_text, "html.parser")
    assert soup.find("legend").get_text() == "Driver diagram: Your <theory>"
    assert soup.find("img")["alt"].strip()
    assert "Change idea: Spanish-speaking call team" in soup.get_text()
    plain = driver_diagram_builder(title="x")
    assert "<img" not in plain.static_html and "primary" in plain.static_html


# ============================================================================ stratifier explorer
def patients():  # type: ignore[no-untyped-def]
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(7)
    n = 600
    race = rng.choice(["Black", "White", "Asian"], n, p=[0.4, 0.5, 0.1])
    return pd.DataFrame(
        {
            "patient_id": [f"P{i:04d}" for i in range(n)],
            "race": pd.Categorical(race, categories=["White", "Black", "Asian"], ordered=True),
            "language": rng.choice(["English", "Spanish"], n),
            "age": rng.integers(18, 90, n),
            "bp_controlled": (rng.random(n) < np.where(race == "Black", 0.41, 0.55)).astype(int),
            "screened": rng.random(n) < 0.6,
        }
    )


def test_explorer_choices_infers_outcomes_and_stratifiers() -> None:
    choices = explorer_choices(patients())
    assert choices.outcomes == {"bp_controlled": None, "screened": None}
    assert choices.stratifiers == ["race", "language"]  # not ids (too many levels), not age (numeric)


def test_stratifier_table_one_and_two_stratifiers() -> None:
    data = patients()
    one = stratifier_table(data, "bp_controlled", "race")
    assert one["race"].astype(str).tolist() == ["White", "Black", "Asian"]
    assert {"rate", "ci_low", "ci_high", "suppressed"} <= set(one.columns)
    two = stratifier_table(data, "bp_controlled", ["race", "language"])
    assert len(two) == 6
    assert stratifier_table(data, "bp_controlled", ["race", "(none)"]).equals(one)


def test_stratifier_table_aggregated_with_denominator() -> None:
    import pandas as pd

    agg = pd.DataFrame({"payer": ["Medicaid", "Commercial"], "screened": [300, 700], "eligible": [600, 1000]})
    t = stratifier_table(agg, "screened", "payer", denominator="eligible")
    assert dict(zip(t["payer"], t["rate"].round(2), strict=True)) == {"Commercial": 0.7, "Medicaid": 0.5}


@pytest.mark.parametrize(
    ("by", "match"),
    [([], "one or two"), (["race", "language", "age"], "one or two"), (["race", "race"], "different")],
)
def test_stratifier_table_rejects_bad_stratifiers(by: list[str], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        stratifier_table(patients(), "bp_controlled", by)


def test_stratified_table_html_escapes_and_marks_suppression() -> None:
    import pandas as pd

    data = pd.DataFrame(
        {"group": ["<b>A</b>"] * 100 + ["B"] * 5 + ["C"] * 100, "y": [1, 0] * 50 + [1] * 5 + [0, 1] * 50}
    )
    html_text = stratified_table_html(stratifier_table(data, "y", "group"), caption="y by <group>")
    soup = BeautifulSoup(html_text, "html.parser")
    assert soup.find("caption").get_text() == "y by <group>"
    assert "<b>A</b>" in soup.get_text() and soup.find("b") is None
    assert "suppressed (fewer than 11" in soup.get_text()
    assert "50.0%" in soup.get_text()


def test_stratifier_explorer_widget(wb: Workbook) -> None:
    pytest.importorskip("helpers.plots", reason="helpers.plots (issue 6) is not there yet")
    import pandas as pd

    agg = pd.DataFrame(
        {
            "payer": ["Medicaid", "Commercial"] * 2,
            "band": ["50-64", "50-64", "65-75", "65-75"],
            "screened": [300, 700, 200, 500],
            "eligible": [600, 1000, 400, 800],
        }
    )
    ex = stratifier_explorer(
        {"patients": patients(), "screening": agg},
        choices={
            "screening": ExplorerChoices(outcomes={"screened": "eligible"}, stratifiers=["payer", "band"])
        },
        workbook=wb,
        module="03",
        key="explore",
    )
    assert [ex.dataset.description, ex.outcome.description, ex.by1.description] == [
        "Dataset:",
        "Outcome:",
        "Stratify by:",
    ]
    soup = BeautifulSoup(ex.output.value, "html.parser")
    assert soup.find("table") is not None and soup.find("img")["alt"].strip()
    ex.by2.value = "language"
    assert "bp_controlled by race × language" in ex.output.value
    assert Workbook(wb.path).get("03", "explore") == {
        "dataset": "patients",
        "outcome": "bp_controlled",
        "by": ["race", "language"],
    }
    ex.dataset.value = "screening"
    assert ex.outcome.value == "screened" and len(ex.outcome.options) == 1 and ex.by2.value == "(none)"
    assert "Medicaid" in ex.output.value
    again = stratifier_explorer(
        {"patients": patients(), "screening": agg},
        choices={
            "screening": ExplorerChoices(outcomes={"screened": "eligible"}, stratifiers=["payer", "band"])
        },
        workbook=Workbook(wb.path),
        module="03",
        key="explore",
    )
    assert again.dataset.value == "screening" and again.outcome.value == "screened"
    assert len(again.check("patients", "bp_controlled", ["race"])) == 3


def test_stratifier_explorer_static_fallback(tmp_path: Path) -> None:
    pytest.importorskip("helpers.plots", reason="helpers.plots (issue 6) is not there yet")
    ex = stratifier_explorer({"patients": patients()}, title="Explore <gaps>")
    html_text = ex._repr_mimebundle_()["text/html"]
    assert_static_is_clean(html_text.split("data:image/png;base64,")[0], tmp_path)
    soup = BeautifulSoup(html_text, "html.parser")
    assert soup.find("legend").get_text() == "Explore: Explore <gaps>"
    assert soup.find("table") is not None and soup.find("img")["alt"].strip()
    assert ex.static_text == "Stratifier explorer: Explore <gaps>"


def test_explorer_prepare_describe_draw_read_the_rates_table() -> None:
    """prepare_view (pure) -> describe_view (pure) -> draw_view; level, threshold and by columns come
    from the rates-table contract, so a 90% table with min_cell=5 says so, and an integer stratifier
    is drawn."""
    pytest.importorskip("helpers.plots", reason="helpers.plots (issue 6) is not there yet")
    import pandas as pd

    from helpers.exercises.explorer import ExplorerView, describe_view, draw_view, prepare_view
    from helpers.measures import stratified_rates

    data = patients().assign(decile=lambda d: (d.index % 4 + 1).astype(int))
    choices = ExplorerChoices(
        outcomes={"bp_controlled": None}, stratifiers=["decile"], labels={"bp_controlled": "BP"}
    )
    view = prepare_view(data, "bp_controlled", ["decile"], choices=choices, name="demo")
    assert view.caption == "BP by decile (demo)" and view.measure == "BP"
    assert view.table["decile"].tolist() == [1, 2, 3, 4]
    words = describe_view(view)
    assert words == describe_view(view) and "<img" not in words  # pure, and words only
    assert BeautifulSoup(words, "html.parser").find("th", scope="col").get_text() == "decile"
    chart = draw_view(view)
    assert chart.png[:4] == b"\x89PNG" and "decile" in chart.alt_text

    small = pd.DataFrame({"g": ["a"] * 30 + ["b"] * 4, "y": [1, 0] * 15 + [1, 0, 1, 0]})
    table = stratified_rates(small, "y", "g", level=0.9, min_cell=5)
    described = describe_view(ExplorerView(table, "Y", "Y by g"))
    soup = BeautifulSoup(described, "html.parser")
    assert [th.get_text() for th in soup.find_all("th", scope="col")] == [
        "g",
        "n",
        "Events",
        "Rate",
        "90% CI",
    ]
    cells = [td.get_text() for td in soup.find_all("td", colspan="4")]
    assert cells[1] == "suppressed (fewer than 5 in the group (denominator))"
    unexplained = describe_view(ExplorerView(table.assign(suppression_reason=""), "Y", "Y by g"))
    assert "suppressed (1–4)" in unexplained and "n < 11" not in unexplained  # the table's threshold


def test_stratifier_explorer_needs_something_to_offer() -> None:
    import pandas as pd

    with pytest.raises(ValueError, match="no 0/1 outcome"):
        stratifier_explorer({"x": pd.DataFrame({"a": [1.5, 2.5], "b": ["u", "v"]})})
    with pytest.raises(ValueError, match="at least one dataset"):
        stratifier_explorer([])


# ============================================================================ the published site
def _static_site_exercises():  # type: ignore[no-untyped-def]
    yield (
        "multiple choice",
        multiple_choice("Which <measure> subtracts?", OPTIONS, 1, explanations=WHY, hint="h"),
    )
    yield "numeric", numeric_answer("Share controlled?", 41.2, units="%", hint="h", solution="s")
    yield "reflection", reflection("What surprised you?", workbook=None, module="00", key="k")
    yield "pdsa", pdsa_planner("Cycle 1")
    yield "what-if", what_if_gap(RATES, reference="White")
    yield "self-assessment", self_assessment(bank())
    yield "driver diagram", driver_diagram_builder()
    try:
        import helpers.plots  # noqa: F401
    except ModuleNotFoundError:  # issue 6 not merged yet: the widgets that draw are checked when it is
        return
    yield "driver diagram example", driver_diagram_builder(example_aim=AIM, example_outline=OUTLINE)
    yield "explorer", stratifier_explorer({"patients": patients()})


@pytest.mark.slow
def test_every_widget_renders_static_html_on_a_built_page(tmp_path: Path) -> None:
    """Build a page the way the book does (myst-nb, the book's mime priorities, no kernel) and check
    that every exercise shows its static card: never an empty box or "Error displaying widget"."""
    import subprocess
    import sys

    import nbformat
    import yaml
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

    root = Path(__file__).resolve().parents[1]
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    overrides = config["sphinx"]["config"]["nb_mime_priority_overrides"]
    exercises = list(_static_site_exercises())
    nb = new_notebook(
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    )
    nb.cells.append(new_markdown_cell("# Exercises"))
    for name, ex in exercises:
        nb.cells.append(new_markdown_cell(f"## {name}"))
        cell = new_code_cell("exercise")
        cell.outputs = [new_output("display_data", data=ex._repr_mimebundle_())]
        nb.cells.append(cell)
    source = tmp_path / "src"
    source.mkdir()
    nbformat.write(nb, source / "index.ipynb")
    (source / "conf.py").write_text(
        'extensions = ["myst_nb"]\nnb_execution_mode = "off"\nexclude_patterns = ["_build"]\n'
        f"nb_mime_priority_overrides = {[tuple(o) for o in overrides]!r}\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-W", str(source), str(tmp_path / "html")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    page = (tmp_path / "html" / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(page, "html.parser")
    assert "Error displaying widget" not in soup.get_text()
    assert not soup.find("script", attrs={"type": "application/vnd.jupyter.widget-view+json"})
    cards = soup.select("div.pe-exercise")
    assert len(cards) == len(exercises)
    for (name, _), card in zip(exercises, cards, strict=True):
        assert card.find("legend") is not None and card.find("legend").get_text(strip=True), name
        assert len(card.get_text(" ", strip=True)) > 40, f"{name}: the static card is nearly empty"
    assert "Which <measure> subtracts?" in soup.get_text()


@pytest.mark.parametrize(
    "text", ["14", "14 pp", "14 points", "14 percentage points", "14%", "14 % points", "14 PP"]
)
def test_percentage_point_answers_accept_common_spellings(text: str) -> None:
    assert check_numeric(text, answer=14, units="percentage points").correct


@pytest.mark.parametrize("text", ["41 percent", "41 per cent", "41%"])
def test_percent_answers_accept_common_spellings(text: str) -> None:
    assert check_numeric(text, answer=41, units="%").correct
    assert not check_numeric("41 pp", answer=41, units="%").valid


# ============================================================================ with the book's own datasets
def test_stratifier_explorer_on_the_book_datasets(wb: Workbook) -> None:
    ex = stratifier_explorer(workbook=wb, module="03", key="explore")
    assert list(ex.dataset.options) == list(BOOK_DATASETS)
    assert ex.outcome.value == "bp_controlled" and ex.by1.value == "race_ethnicity"
    assert ex.outcome.options[0] == (
        "Blood pressure controlled (patients with hypertension)",
        "bp_controlled",
    )
    soup = BeautifulSoup(ex.output.value, "html.parser")
    assert (
        "Blood pressure controlled (patients with hypertension) by race_ethnicity"
        in soup.find("caption").get_text()
    )
    assert "rows excluded: missing outcome 'bp_controlled'" in soup.get_text()  # said, never silent
    ex.dataset.value = "cancer_screening"
    assert ex.outcome.value == "screened" and "Screened (of eligible)" in ex.output.value
    ex.dataset.value = "workforce_survey"
    ex.by1.value = "role"
    assert "Burned out by role" in ex.output.value
    assert Workbook(wb.path).get("03", "explore") == {
        "dataset": "workforce_survey",
        "outcome": "burned_out",
        "by": ["role"],
    }
    for name, choices in DATASET_CHOICES.items():  # every menu entry works on the real data
        for outcome in choices.outcomes:
            table = ex.check(name, outcome, [choices.stratifiers[0]])
            assert not table.empty and table["rate"].notna().any(), (name, outcome)


def test_self_assessment_loads_the_item_bank_by_default() -> None:
    s = self_assessment()
    assert len(s.ratings) == 25
    assert "Make health equity a strategic priority" in s.static_html
    assert s.check({"C1.1": 5})["mean_rating"].iloc[0] == 5.0


def test_numeric_without_solution_still_reveals_the_answer() -> None:
    q = numeric_answer("Q?", 14, units="percentage points")
    buttons = [
        b
        for row in q.widget.children
        if hasattr(row, "children")
        for b in row.children
        if hasattr(b, "on_click")
    ]
    assert [b.description for b in buttons] == ["Check", "Show answer"]
    box = next(w for w in q.widget.children if "pe-solution" in str(getattr(w, "value", "") or ""))
    assert box.layout.display == "none"
    assert buttons[1].disabled  # nothing revealed before a first attempt
    buttons[1].click()
    assert box.layout.display == "none"
    q.entry.value = "abc"  # not a number: not an attempt, still locked
    assert buttons[1].disabled
    q.entry.value = "20"
    assert not buttons[1].disabled
    buttons[1].click()
    assert box.layout.display is None and "14 percentage points" in box.value
