"""What participants meet in JupyterLab before and after a reopen, and the reflection's autosave (#14).

The browser side (JupyterLab really showing these) is in tests/test_jupyterlab_browser.py; these
are the pure parts.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from helpers.exercises import (
    code_exercise,
    multiple_choice,
    numeric_answer,
    reflection,
    select_all,
)
from helpers.exercises import questions as questions_module
from helpers.exercises._base import RUN_NOTE_LAB, Debouncer, run_note
from helpers.exercises.reopen import WIDGET_STATE_MIME, exercise_ids, main, reopen_state, run_line_state
from helpers.workbook import Workbook

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


# ============================================================================ static card notes
@pytest.mark.parametrize("saving", [False, True])
def test_static_card_tells_a_jupyterlab_reader_to_run_the_cell(saving: bool) -> None:
    soup = BeautifulSoup(run_note(saving), "html.parser")
    lab = soup.find("p", class_="pe-run-note-lab")
    site = soup.find("p", class_="pe-run-note-site")
    assert lab.get_text() == RUN_NOTE_LAB and not lab.has_attr("hidden")
    # the site's line is hidden by default (JupyterLab keeps the attribute); the site CSS swaps them
    assert site.has_attr("hidden") and "Run this notebook in JupyterLab" in site.get_text()
    assert ("saved to your workbook" in site.get_text()) is saving


def test_every_question_card_ends_with_the_lab_line(tmp_path: Path) -> None:
    wb = Workbook(tmp_path / "wb.json")
    cards = [
        multiple_choice("Q?", ["a", "b"], 0),
        numeric_answer("N?", 3),
        select_all("S?", ["a", "b", "c"], ["a"]),
        code_exercise("x", solution="x = 1", namespace={}),
    ]
    for card in cards:
        lab = BeautifulSoup(card.static_html, "html.parser").find("p", class_="pe-run-note-lab")
        assert lab is not None and lab.get_text() == RUN_NOTE_LAB, type(card).__name__
    assert "pe-exercise" in reflection("R?", workbook=wb, module="00", key="r").static_html


# ============================================================================ stable frame ids
def test_display_id_is_stable_across_runs_and_ignores_png_bytes() -> None:
    a = multiple_choice("Q?", ["a", "b"], 0)
    b = multiple_choice("Q?", ["a", "b"], 0)
    other = multiple_choice("Q?", ["a", "b"], 1)
    assert a.display_id == b.display_id != other.display_id
    a.static_html = a.static_html + '<img src="data:image/png;base64,AAAA">'
    b.static_html = b.static_html + '<img src="data:image/png;base64,BBBB">'
    assert a.display_id == b.display_id


def test_redisplay_closes_the_previous_frame() -> None:
    from ipywidgets.widgets.widget import _instances

    q = multiple_choice("Shown twice?", ["a", "b"], 0)
    first = _instances[q._repr_mimebundle_()[WIDGET_MIME]["model_id"]]
    second_id = q._repr_mimebundle_()[WIDGET_MIME]["model_id"]
    assert first.comm is None  # closed
    assert _instances[second_id] is not first and _instances[second_id].children == (q.widget,)
    assert q.widget.comm is not None  # the exercise itself stays open


# ============================================================================ reopen_state
def _notebook(*model_ids: str) -> dict:
    cells = [
        {
            "cell_type": "code",
            "id": f"c{i}",
            "metadata": {},
            "source": "",
            "execution_count": 1,
            "outputs": [
                {
                    "output_type": "display_data",
                    "metadata": {},
                    "data": {WIDGET_MIME: {"model_id": mid, "version_major": 2, "version_minor": 0}},
                }
            ],
        }
        for i, mid in enumerate(model_ids)
    ]
    cells.append({"cell_type": "markdown", "id": "m", "metadata": {}, "source": "text"})
    return {
        "cells": cells,
        "metadata": {"widgets": {WIDGET_STATE_MIME: {"state": {}, "version_major": 2, "version_minor": 0}}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def test_reopen_state_keeps_one_line_per_exercise_and_drops_the_rest() -> None:
    nb = reopen_state(_notebook("pe-exercise-a", "0123abcd", "pe-exercise-b", "pe-exercise-a"))
    state = nb["metadata"]["widgets"][WIDGET_STATE_MIME]["state"]
    assert sorted(state) == sorted(
        f"{m}{s}" for m in ("pe-exercise-a", "pe-exercise-b") for s in ("", "-layout", "-style")
    )
    line = state["pe-exercise-a"]
    assert line["model_name"] == "HTMLModel" and line["model_module"] == "@jupyter-widgets/controls"
    assert BeautifulSoup(line["state"]["value"], "html.parser").get_text() == RUN_NOTE_LAB
    assert line["state"]["layout"] == "IPY_MODEL_pe-exercise-a-layout"
    assert state["pe-exercise-a-style"]["model_name"] == "HTMLStyleModel"


def test_reopen_state_matches_what_ipywidgets_serialises() -> None:
    """The hand-written state has the shape ipywidgets itself stores for an HTML widget."""
    import ipywidgets as widgets
    from ipywidgets.widgets.widget_string import HTMLStyle

    mid = "pe-exercise-shape"
    real = widgets.HTML(
        "x",
        model_id=mid,
        layout=widgets.Layout(model_id=f"{mid}-layout"),
        style=HTMLStyle(model_id=f"{mid}-style"),
    )
    try:
        stored = widgets.Widget.get_manager_state(widgets=[real, real.layout, real.style])["state"]
    finally:
        real.close()
    ours = run_line_state(mid)
    for key, model in ours.items():
        assert {k: v for k, v in model.items() if k != "state"} == {
            k: v for k, v in stored[key].items() if k != "state"
        }
        assert set(model["state"]) <= set(stored[key]["state"])


def test_reopen_state_without_exercises_removes_widget_metadata() -> None:
    nb = reopen_state(_notebook("0123abcd"))
    assert "widgets" not in nb["metadata"]
    assert exercise_ids(nb) == []


def test_reopen_command_rewrites_files_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps(_notebook("pe-exercise-a")), encoding="utf-8")
    assert main([str(path)]) == 0
    assert "rewrote" in capsys.readouterr().out
    first = path.read_text(encoding="utf-8")
    assert main([str(path)]) == 0
    assert capsys.readouterr().out == "" and path.read_text(encoding="utf-8") == first
    import nbformat

    nbformat.validate(nbformat.reads(first, as_version=4))


def test_reopen_command_names_a_missing_notebook(tmp_path: Path) -> None:
    with pytest.raises(SystemExit):
        main([str(tmp_path / "nope.ipynb")])


# ============================================================================ Debouncer
class FakeLoop:
    def __init__(self) -> None:
        self.timers: list[FakeTimer] = []

    def call_later(self, delay: float, callback):
        self.timers.append(FakeTimer(delay, callback))
        return self.timers[-1]


class FakeTimer:
    def __init__(self, delay: float, callback) -> None:
        self.delay, self.callback, self.cancelled = delay, callback, False

    def cancel(self) -> None:
        self.cancelled = True


def test_debouncer_acts_once_on_the_last_value_after_the_pause() -> None:
    loop, done = FakeLoop(), []
    d = Debouncer(done.append, delay=2, call_later=loop.call_later)
    for value in ("B", "Bl", "Blood"):
        d.push(value)
    assert done == [] and d.pending
    assert [t.cancelled for t in loop.timers] == [True, True, False]
    assert all(t.delay == 2 for t in loop.timers)
    loop.timers[-1].callback()
    assert done == ["Blood"] and not d.pending
    d.flush()  # nothing pending: nothing done
    assert done == ["Blood"]


def test_debouncer_flush_acts_now_and_cancels_the_timer() -> None:
    loop, done = FakeLoop(), []
    d = Debouncer(done.append, call_later=loop.call_later)
    d.push("now")
    d.flush()
    assert done == ["now"] and loop.timers[0].cancelled


def test_debouncer_without_an_event_loop_acts_at_once() -> None:
    done: list[str] = []
    Debouncer(done.append).push("x")
    assert done == ["x"]


def test_debouncer_rejects_a_negative_delay() -> None:
    with pytest.raises(ValueError, match="delay"):
        Debouncer(print, delay=-1)


# ============================================================================ reflection autosave
def test_reflection_saves_after_a_pause_in_typing_without_a_click(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(questions_module, "SAVE_DELAY", 0.05)
    wb = Workbook(tmp_path / "wb.json")

    async def type_then_pause() -> tuple[object, str, object, str]:
        r = reflection("Which gap first?", workbook=wb, module="00", key="gap")
        r.text.value = "Blood"
        r.text.value = "Blood pressure"
        during = (Workbook(wb.path).get("00", "gap"), r.status.value)
        await asyncio.sleep(0.2)
        return (*during, Workbook(wb.path).get("00", "gap"), r.status.value)

    saved_during, status_during, saved_after, status_after = asyncio.run(type_then_pause())
    assert saved_during is None and "Saving when you pause" in status_during
    assert saved_after == "Blood pressure" and "Saved to your workbook." in status_after


def test_reflection_save_button_saves_a_pending_text_at_once(tmp_path: Path) -> None:
    wb = Workbook(tmp_path / "wb.json")

    async def type_then_click() -> object:
        r = reflection("Which gap first?", workbook=wb, module="00", key="gap")
        r.text.value = "Diabetes"
        assert r.debouncer.pending
        r.save_button.click()
        assert not r.debouncer.pending
        return Workbook(wb.path).get("00", "gap")

    assert asyncio.run(type_then_click()) == "Diabetes"


# ============================================================================ no answer before a try
def _button(ex: object, description: str):
    for row in ex.widget.children:  # type: ignore[attr-defined]
        for child in getattr(row, "children", ()):
            if getattr(child, "description", None) == description:
                return child
    raise AssertionError(f"no {description!r} button")


def _solution(ex: object):
    return next(w for w in ex.widget.children if "pe-solution" in str(getattr(w, "value", "")))  # type: ignore[attr-defined]


def test_select_all_answer_locked_until_a_first_check() -> None:
    s = select_all("S?", ["a", "b", "c"], ["a"])
    reveal = _button(s, "Show answer")
    reveal.click()
    assert reveal.disabled and _solution(s).layout.display == "none"
    s.check_button.click()  # nothing ticked: not an attempt
    assert reveal.disabled
    s.boxes["b"].value = True
    s.check_button.click()
    assert not reveal.disabled
    reveal.click()
    assert _solution(s).layout.display is None
    card = BeautifulSoup(s.static_html, "html.parser")
    assert [li.get_text() for li in card.find("ul", class_="pe-options").find_all("li")] == [
        "A. a",
        "B. b",
        "C. c",
    ]


def test_saved_answers_unlock_the_answer_on_reopen(tmp_path: Path) -> None:
    wb = Workbook(tmp_path / "wb.json")
    multiple_choice("Q?", ["a", "b"], 0, workbook=wb, module="00", key="q").choice.value = "b"
    numeric_answer("N?", 3, workbook=wb, module="00", key="n").entry.value = "4"
    again = Workbook(wb.path)
    assert not _button(
        multiple_choice("Q?", ["a", "b"], 0, workbook=again, module="00", key="q"), "Show answer"
    ).disabled
    assert not _button(numeric_answer("N?", 3, workbook=again, module="00", key="n"), "Show answer").disabled
    assert _button(numeric_answer("N?", 3, workbook=again, module="00", key="other"), "Show answer").disabled
