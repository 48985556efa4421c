"""Checked code exercises: the participant writes code, the workbook checks the value it made.

A module's "your turn" exercise is two cells. The participant's cell assigns a variable
(``answer = None`` until they replace ``None``); the next cell calls :func:`code_exercise`,
which compares that variable with the value the *solution code* produces on the same data.
The solution is a string: it is never run by *Run All* in the participant's namespace (it runs
in a copy, so it cannot overwrite what the participant wrote), it is never stored as a cell
output, and it is shown only after the participant has made an attempt (or in the static view
of the published book, inside a closed ``<details>`` block).

The pure function :func:`check_code_answer` is what the tests call.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
import numpy as np
import pandas as pd

from helpers._docs import share_docs
from helpers.exercises._base import (
    Exercise,
    Feedback,
    check_controls,
    esc,
    exercise_box,
    fmt_number,
    toggle_button,
)
from helpers.exercises._cards import static_card
from helpers.exercises._docs import exercise_docs
from helpers.exercises._slot import AnswerSlot

if TYPE_CHECKING:  # pragma: no cover
    from helpers.workbook import Workbook

__all__ = ["CodeExercise", "check_code_answer", "code_exercise", "solution_value"]

_NOT_YET = "Not answered yet: replace None in the cell above with your code, run that cell, then press Check."


def solution_value(solution: str, name: str, namespace: Mapping[str, Any]) -> Any:
    """Run ``solution`` in a copy of ``namespace`` and return the value it gives ``name``.

    The participant's own variables are untouched: the solution runs in a shallow copy of the
    namespace (solutions must not modify shared objects in place).

    Parameters
    ----------
    solution : str
        Python code that assigns ``name``.
    name : str
        The variable the exercise asks for.
    namespace : mapping
        The notebook's namespace (``globals()``).

    Returns
    -------
    object
        The value of ``name`` after the solution ran.

    Raises
    ------
    ValueError
        If the solution does not assign ``name`` (a mistake in the module, not the participant's).

    Example
    -------
    >>> solution_value("ratio = round(a / b, 2)", "ratio", {"a": 41, "b": 55})
    0.75
    """
    scratch = dict(namespace)
    scratch.pop(name, None)
    exec(compile(solution, f"<solution for {name}>", "exec"), scratch)
    if name not in scratch:
        raise ValueError(f"the solution code does not assign {name!r}; it must set that variable")
    return scratch[name]


def _close(given: float, expected: float, tolerance: float) -> bool:
    return math.isclose(given, expected, rel_tol=0.0, abs_tol=tolerance + 1e-12)


def _compare(given: Any, expected: Any, tolerance: float) -> tuple[bool, str]:
    """Return (right, why) for a participant's value against the expected one."""
    if isinstance(expected, pd.DataFrame | pd.Series):
        if not isinstance(given, type(expected)):
            return False, f"expected a {type(expected).__name__}, got a {type(given).__name__}."
        if given.shape != expected.shape:
            shapes = f"expected shape {expected.shape}, got {given.shape}"
            return False, f"{shapes}: check your filter or grouping."
        try:
            if isinstance(expected, pd.DataFrame):
                pd.testing.assert_frame_equal(
                    given.reset_index(drop=True),
                    expected.reset_index(drop=True),
                    check_dtype=False,
                    check_categorical=False,
                    atol=tolerance,
                    rtol=0,
                )
            else:
                pd.testing.assert_series_equal(
                    given.reset_index(drop=True),
                    expected.reset_index(drop=True),
                    check_dtype=False,
                    check_names=False,
                    check_categorical=False,
                    atol=tolerance,
                    rtol=0,
                )
        except AssertionError as exc:
            first = str(exc).strip().splitlines()[0]
            return False, f"the table differs from the expected one ({first})."
        return True, "the table matches."
    if isinstance(expected, bool | np.bool_):
        right = isinstance(given, bool | np.bool_) and bool(given) == bool(expected)
        return right, "" if right else "expected True or False; check the condition."
    if isinstance(expected, int | float | np.integer | np.floating):
        if isinstance(given, bool) or not isinstance(given, int | float | np.integer | np.floating):
            return False, f"expected a number, got {type(given).__name__} {given!r}."
        if not math.isfinite(float(given)):
            return False, f"{given} is not a finite number."
        g, e = float(given), float(expected)
        if _close(g, e, tolerance):
            return True, f"{fmt_number(g)} is right."
        if abs(e) <= 1 and _close(g / 100, e, tolerance):
            return False, f"{fmt_number(g)} looks like a percentage; the question asks for a proportion."
        if abs(e) > 1 and abs(g) <= 1 and _close(g * 100, e, tolerance):
            return False, f"{fmt_number(g)} looks like a proportion; the question asks for a percentage."
        if e != 0 and _close(-g, e, tolerance):
            return False, f"{fmt_number(g)} has the wrong sign: check which rate you subtracted from which."
        return False, f"{fmt_number(g)} is {'too high' if g > e else 'too low'}."
    if isinstance(expected, str):
        right = isinstance(given, str) and given.strip().casefold() == expected.strip().casefold()
        return right, "" if right else f"{given!r} is not the expected answer."
    if isinstance(expected, list | tuple | set):
        right = isinstance(given, list | tuple | set) and sorted(map(str, given)) == sorted(
            map(str, expected)
        )
        return right, "" if right else "the list does not hold the expected items."
    right = given == expected
    return bool(right), ""


def check_code_answer(
    name: str,
    namespace: Mapping[str, Any],
    solution: str,
    *,
    tolerance: float = 1e-6,
) -> Feedback:
    """Check the participant's variable ``name`` against the value the solution code gives.

    Parameters
    ----------
    name : str
        The variable the exercise asks the participant to assign.
    namespace : mapping
        The notebook's namespace (``globals()``), read at the moment of the check.
    solution : str
        Code that assigns ``name`` from the same data (see :func:`solution_value`).
    tolerance : float, default 1e-6
        Largest accepted absolute difference for numbers (and for every number in a table).

    Returns
    -------
    Feedback
        ``valid=False`` while the variable is still ``None`` or missing; for a wrong answer,
        what is off (a percentage for a proportion, the wrong sign, a table of another shape).

    Example
    -------
    >>> ns = {"a": 41, "b": 55, "ratio": 0.75}
    >>> check_code_answer("ratio", ns, "ratio = round(a / b, 2)").correct
    True
    >>> print(check_code_answer("ratio", {**ns, "ratio": 75}, "ratio = round(a / b, 2)").message)
    Your ratio is not the expected answer: 75 looks like a percentage; the question asks for a proportion. ...
    >>> check_code_answer("ratio", {**ns, "ratio": None}, "ratio = round(a / b, 2)").valid
    False
    """
    given = namespace.get(name)
    if given is None:
        return Feedback(False, _NOT_YET, valid=False)
    expected = solution_value(solution, name, namespace)
    right, why = _compare(given, expected, tolerance)
    if right:
        return Feedback(True, f"Your {name} matches the expected answer" + (f": {why}" if why else "."))
    detail = f": {why}" if why else "."
    return Feedback(False, f"Your {name} is not the expected answer{detail} Try again, or open the hint.")


class CodeExercise(Exercise):
    """A checked code exercise (returned by :func:`code_exercise`).

    Attributes
    ----------
    check_button : ipywidgets.Button
        "Check"; ``.check_button.click()`` checks the variable as it is now.
    feedback : ipywidgets.HTML
        The feedback.
    solution_button : ipywidgets.Button
        "Show solution", enabled after the first attempt.
    solution_box : ipywidgets.HTML
        The solution code and its explanation (hidden until asked for).
    """

    kind = "code"
    check_button: widgets.Button
    feedback: widgets.HTML
    solution_button: widgets.Button
    solution_box: widgets.HTML


@share_docs(exercise=exercise_docs("whether the last check was right"))
def code_exercise(
    name: str,
    *,
    solution: str,
    namespace: Mapping[str, Any],
    explanation: str = "",
    hint: str | None = None,
    tolerance: float = 1e-6,
    workbook: Workbook | None = None,
    module: str | None = None,
    key: str | None = None,
) -> CodeExercise:
    """Check the variable a participant assigned in the cell above, with a solution kept hidden.

    The widget checks at once (and again on *Check*, reading the variable anew, so a
    participant can edit their cell, run it and press *Check*). "Show solution" is enabled
    only after a first attempt (a value other than ``None``) and then shows the solution
    code and ``explanation``; the solution is never run in the participant's namespace.
    With a workbook, whether the last check was right is saved.

    Parameters
    ----------
    name : str
        The participant's variable, e.g. ``"black_rate"``.
    solution : str
        Code that assigns ``name`` from the notebook's data; its result is the expected value.
    namespace : mapping
        Pass ``globals()``.
    explanation : str
        Why the solution is right (shown with the solution).
    hint : str, optional
        Shown by a "Show hint" button (always available).
    tolerance : float
        See :func:`check_code_answer`.
    {exercise.slot}

    Returns
    -------
    CodeExercise

    Example
    -------
    >>> ns = {"a": 41, "b": 55, "ratio": None}
    >>> ex = code_exercise("ratio", solution="ratio = round(a / b, 2)", namespace=ns)
    >>> ex.solution_button.disabled
    True
    >>> ns["ratio"] = 0.75
    >>> ex.check_button.click()
    >>> "Correct" in ex.feedback.value, ex.solution_button.disabled
    (True, False)
    """
    if not name.isidentifier():
        raise ValueError(f"name must be a Python variable name, e.g. 'ratio'; got {name!r}")
    solution_value(solution, name, namespace)  # a broken solution fails when the module is written
    slot = AnswerSlot.of(workbook, module, key, label=f"code: {name}")

    def check() -> Feedback:
        return check_code_answer(name, namespace, solution, tolerance=tolerance)

    title = widgets.HTML(
        f'<p class="pe-question"><strong>Check your code:</strong> the value of <code>{esc(name)}</code> '
        "from the cell above.</p>"
    )
    parts = check_controls(f"Check the value of {name}", hint)
    check_button, feedback, saved = parts.check_button, parts.feedback, parts.saved
    controls, extras = parts.controls, parts.extras
    solution_box = widgets.HTML(_solution_html(solution, explanation))
    solution_button = toggle_button("Show solution", solution_box, shown_label="Hide solution")
    solution_button.disabled = True
    solution_button.tooltip = "Available after your first attempt"
    controls.append(solution_button)

    def run_check(_: Any = None) -> None:
        fb = check()
        feedback.value = fb.to_html()
        if fb.valid:
            solution_button.disabled = False
            solution_button.tooltip = "Show the solution"
            if slot.saving:
                saved.value = slot.save(bool(fb.correct))

    check_button.on_click(run_check)
    run_check()
    box = exercise_box([title, widgets.HBox(controls), *extras, solution_box, feedback, saved])

    ex = CodeExercise(
        box,
        static_html=code_card(name, solution, explanation=explanation, hint=hint, saving=slot.saving),
        static_text=f"Code exercise: assign {name} in the cell above.",
        check=check,
    )
    ex.check_button = check_button
    ex.feedback = feedback
    ex.solution_button = solution_button
    ex.solution_box = solution_box
    return ex


def _solution_html(solution: str, explanation: str) -> str:
    """The solution code and why it is right (the widget's hidden box and the card's reveal)."""
    return (
        f'<div class="pe-solution"><strong>Solution:</strong><pre><code>{esc(solution.strip())}</code></pre>'
        + (f"<p>{esc(explanation)}</p>" if explanation else "")
        + "</div>"
    )


def code_card(
    name: str, solution: str, *, explanation: str = "", hint: str | None = None, saving: bool = False
) -> str:
    """The static card of a code exercise (pure: inputs → HTML).

    What to assign, the hint, and the solution (code and explanation) in a closed
    ``<details>``; then the run note. Parameters as for :func:`code_exercise`.

    Example
    -------
    >>> card = code_card("ratio", "ratio = a / b", explanation="Divide.")
    >>> "assign <code>ratio</code>" in card, "<summary>Show solution</summary>" in card
    (True, True)
    """
    return static_card(
        "code",
        f"<strong>Your turn:</strong> assign <code>{esc(name)}</code> in the cell above; this box checks it.",
        saving=saving,
        hint=hint,
        reveal=("Show solution", _solution_html(solution, explanation)),
    )
