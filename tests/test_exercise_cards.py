"""Every exercise's static card is a pure function (inputs → HTML), tested on what matters.

The card is what the published site and a notebook not yet run in JupyterLab show. Each test
checks the question, the options lettered as the widget letters them, that the answer or
solution is only inside a closed ``<details>`` (revealed on click), the run-this-cell line for
JupyterLab, and that text from the author or the data is escaped, never read as markup.
"""

from __future__ import annotations

import pandas as pd
import pytest
from bs4 import BeautifulSoup, Tag

from helpers.categories import rates_by_rule
from helpers.exercises import (
    CHARTER_FIELDS,
    PDSA_FIELDS,
    SCALE,
    driver_diagram_spec,
    multiple_choice,
    select_all,
)
from helpers.exercises._base import RUN_NOTE, RUN_NOTE_LAB, RUN_NOTE_SAVED
from helpers.exercises._cards import letter, lettered, options_html, static_card
from helpers.exercises._figures import RenderedFigure
from helpers.exercises.aim import AIM_ELEMENTS, AIM_TEMPLATE, aim_card
from helpers.exercises.assessment import self_assessment_card
from helpers.exercises.category_rule import RULE_LABELS, category_rule_card
from helpers.exercises.charter import charter_card
from helpers.exercises.classify import classification_card
from helpers.exercises.code import code_card
from helpers.exercises.drivers import driver_diagram_card
from helpers.exercises.explorer import stratifier_explorer_card
from helpers.exercises.pdsa import pdsa_card
from helpers.exercises.questions import PRIVACY_NOTE, multiple_choice_card, numeric_card, reflection_card
from helpers.exercises.selectall import select_all_card
from helpers.exercises.team_data import team_data_card
from helpers.exercises.whatif import what_if_card

EVIL = '<script>alert("x")</script> & <b>bold</b>'


def soup_of(card: str) -> BeautifulSoup:
    return BeautifulSoup(card, "html.parser")


def assert_card(card: str, kind: str, *, saving: bool = False) -> BeautifulSoup:
    """The shape every card shares: one container of its kind, deterministic, the two run notes."""
    soup = soup_of(card)
    root = soup.find("div")
    assert isinstance(root, Tag) and root["class"] == ["pe-exercise", f"pe-exercise-{kind}"]
    assert soup.find("script") is None and soup.find(attrs={"id": True}) is None
    assert not soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])  # the page owns the outline
    lab = soup.find("p", class_="pe-run-note-lab")
    assert lab is not None and lab.get_text().startswith(RUN_NOTE_LAB)
    site = soup.find("p", class_="pe-run-note-site")
    assert site is not None and site["hidden"] == "hidden"
    if kind != "reflection":
        assert site.get_text() == (RUN_NOTE_SAVED if saving else RUN_NOTE)
    for details in soup.find_all("details"):
        assert details.find("summary") is not None
    return soup


def visible_text(card: str) -> str:
    """What a reader sees before opening anything: the card without its closed ``<details>``."""
    soup = soup_of(card)
    for details in soup.find_all("details"):
        if not details.has_attr("open"):
            details.decompose()
    return soup.get_text(" ")


def revealed(card: str, summary: str) -> str:
    """The text inside the closed ``<details>`` whose summary is ``summary`` (spaces folded)."""
    for details in soup_of(card).find_all("details"):
        if details.summary.get_text() == summary:
            assert not details.has_attr("open")
            details.summary.decompose()
            return " ".join(details.get_text(" ").split())
    raise AssertionError(f"no <details> {summary!r}")


# ============================================================================ the shared pieces
def test_letters_and_lettered_options() -> None:
    assert [letter(i) for i in (0, 1, 25, 26)] == ["A", "B", "Z", "27"]
    assert lettered(["x", "y"]) == ["A. x", "B. y"]
    items = [li.get_text() for li in soup_of(options_html(["<x>", "y"])).find_all("li")]
    assert items == ["A. <x>", "B. y"]


def test_static_card_order_and_optional_parts() -> None:
    card = static_card(
        "numeric",
        "Q",
        "<p>body</p>",
        saving=True,
        extras=["<p>extra</p>"],
        hint="h",
        reveal=("Show", "<p>a</p>"),
    )
    soup = assert_card(card, "numeric", saving=True)
    order = [t.name for t in soup.find("div").find_all(recursive=False)]
    assert order == ["fieldset", "p", "details", "details", "p", "p"]
    bare = static_card("charter", None, "<p>body</p>", saving=False)
    assert soup_of(bare).find("fieldset") is None and "details" not in bare


# ============================================================================ question cards
OPTIONS = ["Rate ratio", "Rate <difference>", "Excess & cases"]
WHY = {"Rate ratio": "Divides.", "Rate <difference>": "Subtracts <it>.", "Excess & cases": "Counts."}


@pytest.mark.parametrize("saving", [False, True])
def test_multiple_choice_card(saving: bool) -> None:
    card = multiple_choice_card(
        EVIL, OPTIONS, "Rate <difference>", explanations=WHY, hint="Sub<tract>", saving=saving
    )
    soup = assert_card(card, "multiple-choice", saving=saving)
    assert soup.find("legend").get_text() == f"Question: {EVIL}"
    options = [li.get_text() for li in soup.find("ul", class_="pe-options").find_all("li")]
    widget = multiple_choice("Q", OPTIONS, 1)
    assert options == [label for label, _ in widget.choice.options] == lettered(OPTIONS)
    shown = visible_text(card)
    assert "Subtracts" not in shown and "(right)" not in shown and "Answer:" not in shown
    answer = revealed(card, "Show answer")
    assert "Answer: B. Rate <difference>" in answer and "Subtracts <it>." in answer
    assert "Sub<tract>" in revealed(card, "Hint")


def test_numeric_card() -> None:
    card = numeric_card(
        EVIL, -9, units="percentage points", accept_sign=True, hint="h", solution="Sub<tract>."
    )
    soup = assert_card(card, "numeric")
    assert soup.find("legend").get_text() == f"Question: {EVIL}"
    assert "Answer with a number in percentage points." in visible_text(card)
    assert "-9" not in visible_text(card) and "Sub<tract>." not in visible_text(card)
    answer = revealed(card, "Show answer")
    assert "-9 percentage points (answers within 0.5 are accepted; so is 9" in answer
    assert "Sub<tract>." in answer
    relative = revealed(numeric_card("Q", 0.75, relative=True, tolerance=0.1), "Show answer")
    assert "(answers within 10% are accepted)" in relative


def test_select_all_card_letters_match_the_checkboxes() -> None:
    card = select_all_card(EVIL, OPTIONS, ["Rate ratio", "Excess & cases"], explanations=WHY, saving=True)
    soup = assert_card(card, "select-all", saving=True)
    assert soup.find("legend").get_text() == f"Question: {EVIL} Select all that apply."
    options = [li.get_text() for li in soup.find("ul", class_="pe-options").find_all("li")]
    widget = select_all("Q", OPTIONS, [0, 2])
    assert options == [box.description for box in widget.boxes.values()]
    assert "applies" not in visible_text(card) and "Divides." not in visible_text(card)
    answer = revealed(card, "Show answer")
    assert "Answer: A, C." in answer and "Rate <difference> (does not apply): Subtracts <it>." in answer


def test_classification_card() -> None:
    card = classification_card(
        EVIL,
        {"a": "Tomato <red>", "b": "Carrot"},
        ["Fruit", "Veg & root"],
        {"a": "Fruit", "b": "Veg & root"},
        explanations={"a": "Seeds <inside>."},
        hint="Look inside.",
    )
    soup = assert_card(card, "classification")
    assert [li.get_text() for li in soup.find("fieldset").find("ol").find_all("li")] == [
        "Tomato <red>",
        "Carrot",
    ]
    assert [li.get_text() for li in soup.find("fieldset").find("ul").find_all("li")] == [
        "Fruit",
        "Veg & root",
    ]
    assert "Seeds" not in visible_text(card)
    assert revealed(card, "Show answers") == "Fruit : Seeds <inside>. Veg & root"


def test_code_card_keeps_the_solution_closed() -> None:
    card = code_card("ratio", "ratio = a < b", explanation="Compare <them>.", hint="Use <.")
    soup = assert_card(card, "code")
    assert soup.find("legend").find("code").get_text() == "ratio"
    assert "ratio = a" not in visible_text(card)
    solution = revealed(card, "Show solution")
    assert "ratio = a < b" in solution and "Compare <them>." in solution
    assert "Use <." in revealed(card, "Hint")


def test_reflection_card() -> None:
    card = reflection_card(EVIL)
    soup = assert_card(card, "reflection")
    assert soup.find("legend").get_text() == f"Reflect: {EVIL}"
    assert soup.find("p", class_="pe-privacy").get_text() == PRIVACY_NOTE
    assert "saved to your workbook" in soup.find("p", class_="pe-run-note-site").get_text()


# ============================================================================ tools
def test_aim_card_with_and_without_an_example() -> None:
    plain = aim_card(EVIL)
    soup = assert_card(plain, "aim-statement")
    assert soup.find("legend").get_text() == f"Aim builder: {EVIL}"
    assert len(soup.find("fieldset").find("ol").find_all("li")) == len(AIM_ELEMENTS)
    assert AIM_TEMPLATE in soup.get_text()
    example = (
        "Narrow the gap in blood-pressure control between patients who prefer Spanish and patients who "
        "prefer English (the reference group) from 12 to 6 percentage points by December 2025; no group "
        "gets worse."
    )
    worked = assert_card(aim_card("Aim", example=example, saving=True), "aim-statement", saving=True)
    assert f"Worked example: {example}" in worked.get_text()


def test_charter_card() -> None:
    soup = assert_card(charter_card(saving=True), "charter", saving=True)
    assert [dt.get_text() for dt in soup.find_all("dt")] == [h for h, _ in CHARTER_FIELDS.values()]
    assert soup.find("p", class_="pe-privacy").get_text() == PRIVACY_NOTE


def test_pdsa_card() -> None:
    soup = assert_card(pdsa_card(EVIL), "pdsa")
    assert soup.find("legend").get_text() == f"PDSA planner: {EVIL}"
    steps = [li.get_text() for li in soup.find("ol").find_all("li")]
    assert steps == [f"{label}. {question}" for label, question in PDSA_FIELDS.values()]


def test_what_if_card() -> None:
    card = what_if_card({"Black <x>": 0.41, "White": 0.55}, "Black <x>", "White", title=EVIL, saving=True)
    soup = assert_card(card, "what-if", saving=True)
    assert soup.find("legend").get_text() == f"What if: {EVIL}"
    assert "change the Black <x> and White rates" in soup.get_text()
    assert "both groups improve by 20 percentage points" in soup.get_text()
    capped = what_if_card({"A": 0.85, "B": 0.9}, "A", "B")
    assert "both groups improve by 10 percentage points" in soup_of(capped).get_text()


def test_category_rule_card() -> None:
    data = pd.DataFrame(
        {
            "race": ["White"] * 40,
            "ethnicity": ["Hispanic or Latino"] * 20 + ["Not Hispanic or Latino"] * 20,
            "bp_controlled": [1, 0] * 20,
        }
    )
    rules = ["hispanic_first", "race_only"]
    card = category_rule_card(rates_by_rule(data, "bp_controlled"), rules, measure="BP <control>", title=EVIL)
    soup = assert_card(card, "category-rule")
    assert [d.summary.get_text() for d in soup.find_all("details")] == [RULE_LABELS[r] for r in rules]
    assert [d.has_attr("open") for d in soup.find_all("details")] == [True, False]
    assert "bp <control> among patients" in soup.find("fieldset").find("p").get_text()


def test_self_assessment_card() -> None:
    bank = pd.DataFrame(
        {
            "item_id": ["C1.1", "C1.2", "C2.1"],
            "component": ["Strategy <1>", "Strategy <1>", "Structure"],
            "item": ["Equity is <named>.", "A budget.", "A council."],
        }
    )
    soup = assert_card(self_assessment_card(bank, title=EVIL), "self-assessment")
    assert [li.get_text() for li in soup.find("ol", class_="pe-scale").find_all("li")] == list(SCALE)
    assert [p.get_text() for p in soup.find_all("p", class_="pe-component")] == [
        "1. Strategy <1>",
        "2. Structure",
    ]
    assert "C1.1. Equity is <named>." in soup.get_text()


def test_driver_diagram_card() -> None:
    plain = assert_card(driver_diagram_card(EVIL), "driver-diagram")
    assert plain.find("legend").get_text() == f"Driver diagram: {EVIL}" and plain.find("img") is None
    spec = driver_diagram_spec("Raise <BP>", "Outreach\n  Calls in <Spanish>\n    Texts")
    figure = RenderedFigure(b"\x89PNG", 'Driver diagram for the aim: Raise <BP> "now".')
    soup = assert_card(
        driver_diagram_card(example=(spec, figure), saving=True), "driver-diagram", saving=True
    )
    assert soup.find("img")["alt"] == figure.alt_text == soup.find("figcaption").get_text()
    outline = [
        li.get_text() for li in soup.find("ul", class_="pe-driver-outline").find_all("li", recursive=True)
    ]
    assert "Change idea: Texts" in outline and any(
        t.startswith("Secondary driver: Calls in <Spanish>") for t in outline
    )


def test_stratifier_explorer_card() -> None:
    card = stratifier_explorer_card(EVIL, ["patients", "<sdoh>"], "<table><tr><td>view</td></tr></table>")
    soup = assert_card(card, "explorer")
    assert soup.find("legend").get_text() == f"Explore: {EVIL}"
    assert "choose a dataset (patients, <sdoh>)" in soup.get_text()
    assert soup.find("td").get_text() == "view"  # the first view is given as HTML, kept as it is


def test_team_data_card() -> None:
    soup = assert_card(team_data_card(), "team-data")
    assert "Nothing leaves this computer." in soup.get_text()
    assert soup.find("fieldset") is None


# ============================================================================ the shared machinery
@pytest.mark.parametrize("name", ["_base", "_cards", "_docs", "_figures", "_slot"])
def test_the_machinery_examples_run(name: str) -> None:
    """The private modules' examples (test_docstring_examples runs the public modules only)."""
    import doctest
    import importlib

    module = importlib.import_module(f"helpers.exercises.{name}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


def test_answer_slot_restores_saves_and_reports_a_failed_save(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from helpers.exercises._slot import AnswerSlot
    from helpers.workbook import Workbook

    wb = Workbook(tmp_path / "wb.json")
    slot = AnswerSlot.of(wb, "03", "q1", label="Which?")
    assert slot.saving and slot.restore() is None
    assert "Saved to your workbook." in slot.save("B")
    assert slot.restore(lambda v: v in ("A", "B")) == "B"
    assert slot.restore(lambda v: v in ("A", "C")) is None  # an answer the exercise no longer offers
    assert Workbook(wb.path).get("03", "q1") == "B"
    with pytest.raises(ValueError, match="give workbook=, module= and key= together"):
        AnswerSlot.of(wb, "03", None)
    quiet = AnswerSlot.of(None, "03", "q1")
    assert not quiet.saving and quiet.restore() is None and quiet.save("A") == ""

    class Full(Workbook):
        def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            raise OSError("disk full")

        def save_figure(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            raise OSError("disk full")

    full = AnswerSlot.of(Full(tmp_path / "full.json"), "03", "q1")
    assert "⚠ Not saved: disk full" in full.save("A")
    assert "⚠ Chart not saved: disk full" in full.save_figure(
        "radar", RenderedFigure(b"\x89PNG", "A."), what="Chart"
    )


def test_a_rendered_figure_is_saved_with_the_bytes_shown(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import base64

    from helpers.exercises._figures import render_figure
    from helpers.exercises._slot import AnswerSlot
    from helpers.plots import radar_plot
    from helpers.workbook import Workbook

    shown = render_figure(radar_plot({"A": 1, "B": 2, "C": 3}), "Radar chart.")
    slot = AnswerSlot.of(Workbook(tmp_path / "wb.json"), "01", "sa")
    assert slot.save_figure("radar", shown, what="Chart") == ""
    saved = Workbook(tmp_path / "wb.json").figures("01")["sa_radar"]
    assert base64.b64decode(saved["png_base64"]) == shown.png and saved["alt_text"] == shown.alt_text
    assert f'base64,{saved["png_base64"]}"' in shown.to_html()
