"""Question exercises: multiple choice, numeric answers and free-text reflections.

Each widget is a thin view over a pure function that tests (and curious participants) can call
directly: :func:`check_multiple_choice` and :func:`check_numeric`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from helpers._docs import share_docs
from helpers.exercises._base import (
    RUN_NOTE_LAB,
    Debouncer,
    Exercise,
    Feedback,
    esc,
    exercise_box,
    hint_toggle,
    static_block,
    toggle_button,
    unlock,
)
from helpers.exercises._base import (
    fmt_number as _fmt,
)
from helpers.exercises._cards import (
    fieldset,
    letter,
    lettered,
    option_explanations,
    option_list,
    options_html,
    static_card,
)
from helpers.exercises._docs import EXERCISE_DOCS, exercise_docs
from helpers.exercises._slot import AnswerSlot, restored_note

if TYPE_CHECKING:  # pragma: no cover
    from helpers.workbook import Workbook

__all__ = [
    "PRIVACY_NOTE",
    "SAVE_DELAY",
    "MultipleChoice",
    "NumericAnswer",
    "Reflection",
    "check_multiple_choice",
    "check_numeric",
    "multiple_choice",
    "numeric_answer",
    "parse_number",
    "reflection",
]

_WIDE = {"description_width": "initial"}


# ============================================================================ multiple choice
def _normalise_options(options: Sequence[str]) -> list[str]:
    return option_list(
        options, question="a multiple-choice question", example="['Absolute gap', 'Relative gap']"
    )


def _resolve_answer(answer: str | int, options: list[str]) -> str:
    if isinstance(answer, int) and not isinstance(answer, bool):
        if not 0 <= answer < len(options):
            raise ValueError(f"answer index {answer} is out of range for {len(options)} options (0-based)")
        return options[answer]
    if answer not in options:
        raise ValueError(f"answer {answer!r} is not one of the options: {options}")
    return str(answer)


def check_multiple_choice(
    choice: str | int | None,
    *,
    options: Sequence[str],
    answer: str | int,
    explanations: Mapping[str, str] | Sequence[str] | None = None,
) -> Feedback:
    """Check a multiple-choice answer and explain why it is right or wrong.

    Parameters
    ----------
    choice : str, int or None
        The option chosen (its text, or its 0-based position); None or "" if nothing chosen.
    options : sequence of str
        The options, in the order shown.
    answer : str or int
        The correct option (its text or 0-based position).
    explanations : dict or list, optional
        Why each option is right or wrong: ``{option: text}`` or one text per option.

    Returns
    -------
    Feedback
        ``correct`` and a ``message`` that includes the chosen option's explanation.
        Nothing chosen, or an unknown option, gives ``valid=False`` (no exception).

    Example
    -------
    >>> fb = check_multiple_choice("Relative", options=["Absolute", "Relative"], answer="Absolute",
    ...                            explanations={"Relative": "A ratio hides how many people are affected."})
    >>> fb.correct, fb.message
    (False, 'A ratio hides how many people are affected.')
    """
    opts = _normalise_options(options)
    right = _resolve_answer(answer, opts)
    why = option_explanations(explanations, opts)
    if choice is None or (isinstance(choice, str) and not choice.strip()):
        return Feedback(False, "Choose one of the options first.", valid=False)
    if isinstance(choice, int) and not isinstance(choice, bool):
        if not 0 <= choice < len(opts):
            return Feedback(
                False, f"There is no option number {choice}; choose one of the {len(opts)}.", False
            )
        choice = opts[choice]
    if choice not in opts:
        return Feedback(False, f"{choice!r} is not one of the options: {', '.join(opts)}.", valid=False)
    if choice == right:
        return Feedback(True, why.get(choice, f"“{right}” is the right answer."))
    return Feedback(False, why.get(choice, "That is not the best answer. Try again, or open the hint."))


class MultipleChoice(Exercise):
    """A multiple-choice exercise (returned by :func:`multiple_choice`).

    Attributes
    ----------
    choice : ipywidgets.RadioButtons
        The options; set ``.choice.value`` to answer (as a participant's click does).
    feedback : ipywidgets.HTML
        The feedback shown after an answer.
    """

    kind = "multiple-choice"
    choice: widgets.RadioButtons
    feedback: widgets.HTML
    saved: widgets.HTML


def _reveal_buttons(
    hint: str | None, solution_html: str, *, noun: str
) -> tuple[list[widgets.Widget], list[widgets.Widget]]:
    """The "Show hint" (when there is a hint) and "Show <noun>" buttons, and the boxes they reveal.

    The "Show <noun>" button is the last control and starts locked: :func:`unlock` it after the
    participant's first attempt.
    """
    controls: list[widgets.Widget] = []
    extras: list[widgets.Widget] = []
    if hint:
        hint_button, hint_box = hint_toggle(hint)
        controls.append(hint_button)
        extras.append(hint_box)
    solution_box = widgets.HTML(solution_html)
    controls.append(toggle_button(f"Show {noun}", solution_box, shown_label=f"Hide {noun}", locked=True))
    extras.append(solution_box)
    return controls, extras


@share_docs(exercise=exercise_docs("the chosen option"))
def multiple_choice(
    question: str,
    options: Sequence[str],
    answer: str | int,
    *,
    explanations: Mapping[str, str] | Sequence[str] | None = None,
    hint: str | None = None,
    workbook: Workbook | None = None,
    module: str | None = None,
    key: str | None = None,
) -> MultipleChoice:
    """A multiple-choice question with instant, explained feedback.

    Choosing an option checks it at once (:func:`check_multiple_choice`) and, with a
    workbook, saves it; reopening the notebook pre-selects the saved choice. A "Show answer"
    button reveals the right option and why. On the published book (no kernel) the question,
    its options, the hint and a revealable answer are shown as static HTML.

    Parameters
    ----------
    question : str
        The question.
    options : sequence of str
        The options, in the order shown (labelled A, B, C… in the static view).
    answer : str or int
        The correct option (text or 0-based position).
    explanations : dict or list, optional
        Why each option is right or wrong.
    hint : str, optional
        Shown by a "Show hint" button.
    {exercise.slot}

    Returns
    -------
    MultipleChoice
        Displays as the widget in JupyterLab and as static HTML elsewhere.

    Example
    -------
    >>> q = multiple_choice("Which measure is a difference?", ["Rate ratio", "Rate difference"],
    ...                     "Rate difference", explanations=["A ratio divides.", "It subtracts."])
    >>> q.choice.value = "Rate ratio"
    >>> "A ratio divides." in q.feedback.value
    True
    >>> q.check("Rate difference").correct
    True
    """
    opts = _normalise_options(options)
    right = _resolve_answer(answer, opts)
    why = option_explanations(explanations, opts)
    slot = AnswerSlot.of(workbook, module, key, label=question)

    def check(choice: str | int | None) -> Feedback:
        return check_multiple_choice(choice, options=opts, answer=right, explanations=why)

    title = widgets.HTML(f'<p class="pe-question"><strong>{esc(question)}</strong></p>')
    choice = widgets.RadioButtons(
        options=list(zip(lettered(opts), opts, strict=True)),
        value=None,
        description="Your answer:",
        style=_WIDE,
        layout=widgets.Layout(width="auto"),
    )
    feedback = widgets.HTML("")
    saved = widgets.HTML("")
    controls, extras = _reveal_buttons(
        hint,
        f'<div class="pe-solution"><strong>Answer:</strong> {esc(right)}'
        + (f" — {esc(why[right])}" if right in why else "")
        + "</div>",
        noun="answer",
    )

    reveal = controls[-1]
    previous = slot.restore(lambda value: value in opts)
    if previous is not None:
        choice.value = previous
        feedback.value = check(previous).to_html()
        saved.value = restored_note("answer")
        unlock(reveal)

    def on_change(change: dict[str, Any]) -> None:
        value = change["new"]
        fb = check(value)
        feedback.value = fb.to_html()
        if fb.valid:
            unlock(reveal)
        if value is not None and slot.saving:
            saved.value = slot.save(value)

    choice.observe(on_change, names="value")
    box = exercise_box(
        [title, choice, widgets.HBox(controls), *extras, feedback, saved],
    )
    static_html = multiple_choice_card(question, opts, right, explanations=why, hint=hint, saving=slot.saving)
    static_text = "Multiple choice: " + question + "\n" + "\n".join(f"  {o}" for o in lettered(opts))

    ex = MultipleChoice(box, static_html=static_html, static_text=static_text, check=check)
    ex.choice = choice
    ex.feedback = feedback
    ex.saved = saved
    return ex


@share_docs(exercise=EXERCISE_DOCS)
def multiple_choice_card(
    question: str,
    options: Sequence[str],
    answer: str,
    *,
    explanations: Mapping[str, str] | None = None,
    hint: str | None = None,
    saving: bool = False,
) -> str:
    """The static card of a multiple-choice question (pure: inputs → HTML).

    The question and its options lettered A, B, C… (as the widget letters them), the hint and
    the answer with every option's explanation in closed ``<details>``, then the run note.

    Parameters
    ----------
    question : str
        The question.
    options : sequence of str
        The options, in the order shown.
    answer : str
        The right option's text.
    explanations : mapping of option to str, optional
        Why each option is right or wrong.
    hint : str, optional
        The hint.
    {exercise.card}

    Example
    -------
    >>> card = multiple_choice_card("Which subtracts?", ["Ratio", "Difference"], "Difference")
    >>> "<li>B. Difference</li>" in card, "<strong>Answer:</strong> B. Difference" in card
    (True, True)
    """
    why = dict(explanations or {})
    why_items = "".join(
        f"<li><strong>{esc(o)}</strong>{' (right)' if o == answer else ''}: {esc(why[o])}</li>"
        for o in options
        if o in why
    )
    answer_html = f"<p><strong>Answer:</strong> {letter(list(options).index(answer))}. {esc(answer)}</p>" + (
        f"<ul>{why_items}</ul>" if why_items else ""
    )
    return static_card(
        "multiple-choice",
        f"<strong>Question:</strong> {esc(question)}",
        options_html(options),
        saving=saving,
        hint=hint,
        reveal=("Show answer", answer_html),
    )


# ============================================================================ numeric answer
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")


_PERCENT_ALIASES = ("%", "percent", "per cent")
_POINT_ALIASES = ("percentage points", "percentage point", "% points", "points", "point", "pts", "pp", "%")


def _unit_aliases(units: str) -> list[str]:
    """Ways a participant may write ``units`` after a number (lower case, longest first)."""
    u = units.strip().lower()
    aliases = {u} if u else set()
    if u in _PERCENT_ALIASES:
        aliases.update(_PERCENT_ALIASES)
    if u in _POINT_ALIASES[:-1]:  # a gap in points may be typed as "14%" (or "14 percent") too
        aliases.update(_POINT_ALIASES)
        aliases.update(_PERCENT_ALIASES)
    return sorted(aliases, key=len, reverse=True)


def parse_number(text: str | float | int, *, units: str | None = None) -> float | None:
    """Read a number the way a participant types it; return None if it is not a number.

    Accepts ``41``, ``41.2``, ``-3``, ``1,234`` (thousands), ``41,5`` (decimal comma),
    ``1e3``, a Unicode minus, and — when ``units`` is given — the units after the number
    (``41%``, ``41 %``, ``2.1 per 1,000``). Common spellings count too: ``percent`` for
    ``%``, and ``pp``, ``points`` or ``% points`` for ``percentage points``. Numbers
    (int/float) are returned as floats.

    Example
    -------
    >>> parse_number("41%", units="%"), parse_number("1,234"), parse_number("abc")
    (41.0, 1234.0, None)
    >>> parse_number("14 pp", units="percentage points")
    14.0
    """
    if isinstance(text, bool):
        return None
    if isinstance(text, int | float):
        value = float(text)
        return value if math.isfinite(value) else None
    s = str(text).strip().replace("\u2212", "-").replace("\u00a0", " ")
    if units:
        for alias in _unit_aliases(units):  # longest first, so "% points" wins over "points"
            if s.lower().endswith(alias):
                s = s[: len(s) - len(alias)].strip()
                break
    s = s.replace(" ", "")
    if _THOUSANDS.match(s):
        s = s.replace(",", "")
    elif _DECIMAL_COMMA.match(s):
        s = s.replace(",", ".")
    if not _NUMBER.match(s):
        return None
    value = float(s)
    return value if math.isfinite(value) else None


def _is_points(units: str | None) -> bool:
    """Whether ``units`` names percentage points (a difference between two rates in %)."""
    return units is not None and units.strip().lower() in _POINT_ALIASES[:-1]


def _typed_percent_sign(value: str | float | int | None) -> bool:
    """Whether the participant typed a bare ``%`` (or "percent") after the number, not "% points"."""
    if not isinstance(value, str):
        return False
    text = value.strip().lower()
    return text.endswith(("%", "percent", "per cent")) and not text.endswith(("% points", "% point"))


def _valid_rates(rates: Any) -> bool:
    """Whether ``rates`` is a pair of finite numbers."""
    return (
        isinstance(rates, tuple | list)
        and len(rates) == 2
        and all(isinstance(r, int | float) and not isinstance(r, bool) and math.isfinite(r) for r in rates)
    )


def _gap_diagnosis(number: float, rates: tuple[float, float], allowed: float, slack: float) -> str | None:
    """Name the measure a wrong answer to a gap question is (relative difference, rate ratio), if any."""
    group, ref = rates
    if ref == 0:
        return None
    diff = group - ref
    rel = 100 * diff / ref
    ratio = group / ref
    explain = (
        f"The question asks for the absolute difference in percentage points: group rate minus "
        f"reference rate, {_fmt(group)} − {_fmt(ref)} = {_fmt(diff)} percentage points."
    )
    if (
        abs(abs(number) - abs(rel)) <= max(allowed, 0.5) + slack
        and abs(abs(rel) - abs(diff)) > allowed + slack
    ):
        return (
            f"{_fmt(number)} looks like the relative difference in %: the gap as a share of the "
            f"reference rate ({_fmt(abs(diff))} ÷ {_fmt(ref)} ≈ {abs(rel):.0f}%). That is a percent, not "
            f"percentage points. {explain}"
        )
    if abs(number - ratio) <= 0.01 + slack and abs(ratio - diff) > allowed + slack:
        return (
            f"{_fmt(number)} is the rate ratio ({_fmt(group)} ÷ {_fmt(ref)} ≈ {ratio:.2f}), a relative "
            f"measure. {explain}"
        )
    return None


def check_numeric(
    value: str | float | int | None,
    *,
    answer: float,
    tolerance: float = 0.5,
    relative: bool = False,
    units: str | None = None,
    accept_sign: bool = False,
    rates: tuple[float, float] | None = None,
) -> Feedback:
    """Check a numeric answer within a tolerance, explaining what is off.

    Parameters
    ----------
    value : str, float, int or None
        What the participant entered (text is parsed with :func:`parse_number`).
    answer : float
        The right answer, in ``units``.
    tolerance : float, default 0.5
        Largest accepted distance from ``answer`` (inclusive). The default suits answers
        given to the nearest whole number (percentages, counts); set it for other scales.
    relative : bool, default False
        If True, ``tolerance`` is a fraction of ``answer`` (0.02 = within 2%).
    units : str, optional
        The units the answer is in, e.g. ``"%"`` or ``"per 1,000 patient-days"``. When given,
        the participant may type them after the number (``41`` and ``41%`` are both read as
        41). With ``units="%"``, an answer given as a proportion (``0.41``) is recognised and
        the feedback says to give a percentage; with ``units="percentage points"`` (or
        ``"points"``, ``"pp"``), a difference given as a proportion (``-0.14``) is recognised
        and the feedback says to give percentage points.
    accept_sign : bool, default False
        For a "gap" question, whose answer is an absolute difference. The workbook writes a
        gap as *group rate minus reference rate* (as :func:`helpers.disparities.gaps`
        computes ``abs_diff``), so a group that gets less of a good outcome has a negative
        gap. With ``accept_sign=True`` the opposite sign (``14`` for ``-14``) is accepted too,
        with a note on the convention; without it, the opposite sign is wrong and the
        feedback explains the convention.
    rates : (float, float), optional
        For a gap question, the group's rate and the reference group's rate, in %, whose
        difference is ``answer``. The feedback then recognises the two common mix-ups and
        says so: the **relative** difference in % (the gap divided by the reference rate:
        ``25%`` for 41% against 55%) instead of the difference in percentage points, and the
        rate ratio (``0.75``).

    Returns
    -------
    Feedback
        ``valid=False`` (and a message saying what to type) for empty or non-numeric input —
        never an exception.

    Example
    -------
    >>> check_numeric("41%", answer=41.2, units="%").correct
    True
    >>> check_numeric("0.41", answer=41.2, units="%").message
    'You entered a proportion (0.41); give the answer in %: 0.41 is 41 %.'
    >>> check_numeric("abc", answer=41.2).valid
    False

    A gap question: the clinics control blood pressure for 41% of the group and 55% of the
    reference group, so the gap is 41 − 55 = −14 percentage points.

    >>> gap = dict(answer=-14, units="percentage points", accept_sign=True, rates=(41, 55))
    >>> fb = check_numeric("14", **gap)
    >>> fb.correct, "group rate minus reference rate" in fb.message
    (True, True)
    >>> fb = check_numeric("25%", **gap)
    >>> fb.correct, "relative difference" in fb.message
    (False, True)
    >>> fb = check_numeric("-0.14", **gap)
    >>> fb.correct, "proportion" in fb.message
    (False, True)
    """
    if not isinstance(answer, int | float) or isinstance(answer, bool) or not math.isfinite(answer):
        raise ValueError(f"answer must be a finite number, got {answer!r}")
    if tolerance < 0:
        raise ValueError(f"tolerance must be 0 or more, got {tolerance}")
    unit_text = f" {units.strip()}" if units and units.strip() else ""
    if value is None or (isinstance(value, str) and not value.strip()):
        return Feedback(
            False, f"Enter a number{(' in' + unit_text) if unit_text else ''}, then press Enter.", False
        )
    number = parse_number(value, units=units)
    if number is None:
        example = f"41{unit_text.strip()}" if unit_text.strip() == "%" else "41.5"
        return Feedback(
            False,
            f"“{value}” is not a number. Type digits only, such as {example}"
            + (f" (the answer is in{unit_text})." if unit_text else "."),
            valid=False,
        )
    if rates is not None and not _valid_rates(rates):
        raise ValueError(f"rates must be (group rate, reference rate) in %, got {rates!r}")
    allowed = tolerance * abs(answer) if relative else tolerance
    slack = 1e-9 * max(1.0, abs(answer))  # so that a boundary value typed exactly still counts
    distance = abs(number - answer)
    sign_rule = (
        "the workbook writes a gap as group rate minus reference rate (as helpers.disparities.gaps "
        "does), so a group that gets less of a good outcome has a negative gap"
    )
    points_note = (
        " (A difference between two rates given in % is measured in percentage points, not %.)"
        if _is_points(units) and _typed_percent_sign(value)
        else ""
    )
    if distance <= allowed + slack:
        if distance <= slack:
            return Feedback(True, f"{_fmt(number)}{unit_text} is exactly right.{points_note}")
        return Feedback(
            True, f"{_fmt(number)}{unit_text} is close enough to {_fmt(answer)}{unit_text}.{points_note}"
        )
    flipped = answer != 0 and abs(number + answer) <= allowed + slack
    if flipped and accept_sign:
        return Feedback(
            True,
            f"Right size: {_fmt(number)}{unit_text} is the gap read the other way round. By convention "
            f"{sign_rule}: {_fmt(answer)}{unit_text}.{points_note}",
        )
    if flipped:
        return Feedback(
            False,
            f"Right size, opposite sign: {sign_rule}. Give {_fmt(answer)}{unit_text}.",
        )
    if units and units.strip() == "%" and abs(number) <= 1 and abs(number * 100 - answer) <= allowed + slack:
        return Feedback(
            False,
            f"You entered a proportion ({_fmt(number)}); give the answer in %: "
            f"{_fmt(number)} is {_fmt(number * 100)} %.",
        )
    if (
        _is_points(units)
        and abs(number) <= 1
        and (
            abs(number * 100 - answer) <= allowed + slack
            or (accept_sign and abs(number * 100 + answer) <= allowed + slack)
        )
    ):
        return Feedback(
            False,
            f"You entered a proportion ({_fmt(number)}); give the difference in percentage points: "
            f"{_fmt(number)} as a proportion is {_fmt(number * 100)} percentage points.",
        )
    if rates is not None:
        diagnosis = _gap_diagnosis(number, (float(rates[0]), float(rates[1])), allowed, slack)
        if diagnosis:
            return Feedback(False, diagnosis)
    if not units and abs(answer) <= 1 < abs(number) and abs(number / 100 - answer) <= allowed + slack:
        return Feedback(
            False,
            "That looks like a percentage; give the answer as a proportion: "
            f"{_fmt(number)}% is {_fmt(number / 100)}.",
        )
    direction = "too high" if number > answer else "too low"
    return Feedback(False, f"{_fmt(number)}{unit_text} is {direction}. Check your working, or open the hint.")


class NumericAnswer(Exercise):
    """A numeric-answer exercise (returned by :func:`numeric_answer`).

    Attributes
    ----------
    entry : ipywidgets.Text
        The answer box; setting ``.entry.value`` checks (as pressing Enter does).
    check_button : ipywidgets.Button
        "Check"; ``.check_button.click()`` checks the current text.
    feedback : ipywidgets.HTML
        The feedback.
    """

    kind = "numeric"
    entry: widgets.Text
    check_button: widgets.Button
    feedback: widgets.HTML
    saved: widgets.HTML


@share_docs(exercise=exercise_docs("the answer typed"))
def numeric_answer(
    question: str,
    answer: float,
    *,
    tolerance: float = 0.5,
    relative: bool = False,
    units: str | None = None,
    hint: str | None = None,
    solution: str | None = None,
    workbook: Workbook | None = None,
    module: str | None = None,
    key: str | None = None,
    accept_sign: bool = False,
    rates: tuple[float, float] | None = None,
) -> NumericAnswer:
    """A question answered with a number, checked within a tolerance.

    Pressing Enter (or the Check button) checks the answer with :func:`check_numeric` and,
    with a workbook, saves the text typed; reopening the notebook pre-fills it. Hint and
    solution buttons appear when ``hint``/``solution`` are given.

    Parameters
    ----------
    question : str
        The question.
    answer : float
        The right answer, in ``units``.
    tolerance, relative, units, accept_sign, rates :
        See :func:`check_numeric` (default: within 0.5, absolute). For a gap question pass
        ``accept_sign=True`` and ``rates=(group_rate, reference_rate)``: ``-14`` and ``14``
        are both accepted (with a note on the sign convention), and a relative difference,
        a rate ratio or a proportion typed by mistake is named in the feedback.
    hint : str, optional
        Shown by a "Show hint" button.
    solution : str, optional
        How to get the answer; shown by "Show solution" (with the answer) and after a right
        answer. Without it the button is "Show answer" and reveals the number.
    {exercise.slot}

    Returns
    -------
    NumericAnswer

    Example
    -------
    >>> q = numeric_answer("What share of Black patients have controlled BP?", 41.2, units="%")
    >>> q.entry.value = "41%"
    >>> "Correct" in q.feedback.value
    True
    >>> gap = numeric_answer("The gap, Hispanic or Latino patients against White patients?", -9,
    ...                      units="percentage points", accept_sign=True, rates=(55, 64))
    >>> gap.check("9").correct, gap.check("14%").correct
    (True, False)
    """
    if units is not None and not str(units).strip():
        units = None

    def check(value: str | float | int | None) -> Feedback:
        return check_numeric(
            value,
            answer=answer,
            tolerance=tolerance,
            relative=relative,
            units=units,
            accept_sign=accept_sign,
            rates=rates,
        )

    check(answer)  # validates answer and tolerance now, not at the first click
    slot = AnswerSlot.of(workbook, module, key, label=question)
    title = widgets.HTML(f'<p class="pe-question"><strong>{esc(question)}</strong></p>')
    entry = widgets.Text(
        value="",
        description="Your answer:",
        placeholder="type a number, then press Enter",
        continuous_update=False,
        style=_WIDE,
        layout=widgets.Layout(width="22em"),
    )
    unit_label = widgets.Label(units or "")
    check_button = widgets.Button(
        description="Check", tooltip="Check your answer", layout=widgets.Layout(width="auto")
    )
    feedback = widgets.HTML("")
    saved = widgets.HTML("")
    answer_text = f"{_fmt(answer)}{(' ' + units) if units else ''}"
    controls, extras = _reveal_buttons(
        hint,
        f'<div class="pe-solution"><strong>Answer:</strong> {esc(answer_text)}.'
        + (f" {esc(solution)}" if solution else "")
        + "</div>",
        noun="solution" if solution else "answer",
    )

    def render(text: str) -> Feedback:
        fb = check(text)
        extra = f" {solution}" if (fb.correct and solution) else ""
        feedback.value = Feedback(fb.correct, fb.message + extra, fb.valid).to_html()
        return fb

    reveal = controls[-1]

    def submit(text: str) -> None:
        fb = render(text)
        if fb.valid:
            unlock(reveal)
        if slot.saving and fb.valid:
            saved.value = slot.save(text.strip())

    previous = slot.restore(
        lambda value: isinstance(value, str | int | float) and not isinstance(value, bool)
    )
    if previous is not None:
        entry.value = str(previous)
        if render(entry.value).valid:
            unlock(reveal)
        saved.value = restored_note("answer")

    entry.observe(lambda change: submit(change["new"]), names="value")
    check_button.on_click(lambda _: submit(entry.value))
    box = exercise_box(
        [
            title,
            widgets.HBox([entry, unit_label, check_button]),
            widgets.HBox(controls),
            *extras,
            feedback,
            saved,
        ],
    )

    static_html = numeric_card(
        question,
        answer,
        tolerance=tolerance,
        relative=relative,
        units=units,
        hint=hint,
        solution=solution,
        accept_sign=accept_sign,
        saving=slot.saving,
    )
    static_text = f"Numeric question: {question}" + (f" (answer in {units})" if units else "")

    ex = NumericAnswer(box, static_html=static_html, static_text=static_text, check=check)
    ex.entry = entry
    ex.check_button = check_button
    ex.feedback = feedback
    ex.saved = saved
    return ex


def numeric_card(
    question: str,
    answer: float,
    *,
    tolerance: float = 0.5,
    relative: bool = False,
    units: str | None = None,
    hint: str | None = None,
    solution: str | None = None,
    accept_sign: bool = False,
    saving: bool = False,
) -> str:
    """The static card of a numeric question (pure: inputs → HTML).

    The question and the units to answer in; the hint, and the answer with the tolerance (and
    the other sign, for a gap that may be read either way round) in closed ``<details>``.
    Parameters as for :func:`numeric_answer`.

    Example
    -------
    >>> card = numeric_card("Share controlled?", 41.2, units="%")
    >>> "<p>Answer with a number in %.</p>" in card, "41.2 % (answers within 0.5 are accepted)" in card
    (True, True)
    """
    answer_text = f"{_fmt(answer)}{(' ' + units) if units else ''}"
    tol = f"{_fmt(tolerance * 100)}%" if relative else _fmt(tolerance)
    answer_html = (
        f"<p><strong>Answer:</strong> {esc(answer_text)} (answers within {esc(tol)} are accepted"
        + (
            f"; so is {esc(_fmt(-answer))}, the same gap read the other way round"
            if accept_sign and answer
            else ""
        )
        + ")</p>"
    )
    if solution:
        answer_html += f"<p>{esc(solution)}</p>"
    return static_card(
        "numeric",
        f"<strong>Question:</strong> {esc(question)}",
        f"<p>Answer with a number{esc(' in ' + units) if units else ''}.</p>",
        saving=saving,
        hint=hint,
        reveal=("Show answer", answer_html),
    )


# ============================================================================ reflection
PRIVACY_NOTE = (
    "Privacy: write about your team, your data and your ideas, never about an identifiable patient "
    "or colleague (no names, record numbers, dates of birth or details that could point to one "
    "person). Your workbook file may be shared with your team and exported as a report."
)
_PRIVACY_HTML = f'<p class="pe-privacy"><em>{esc(PRIVACY_NOTE)}</em></p>'
#: Seconds of quiet after the last keystroke before a reflection is saved.
SAVE_DELAY = 1.5
_TYPING_HTML = '<div class="pe-save pe-save-pending" role="status">Saving when you pause typing…</div>'


class Reflection(Exercise):
    """A free-text reflection (returned by :func:`reflection`).

    Attributes
    ----------
    text : ipywidgets.Textarea
        The text box; its value is saved :data:`SAVE_DELAY` seconds after typing pauses (which
        also covers leaving the box), and at once by the Save button.
    save_button : ipywidgets.Button
        "Save"; ``.save_button.click()`` saves the current text.
    status : ipywidgets.HTML
        "Saving when you pause typing…", then "Saved to your workbook." (or what went wrong).
    debouncer : Debouncer
        The pending save (``.debouncer.flush()`` saves it now).
    """

    kind = "reflection"
    text: widgets.Textarea
    save_button: widgets.Button
    status: widgets.HTML
    debouncer: Debouncer


def reflection(
    prompt: str,
    *,
    workbook: Workbook | None,
    module: str,
    key: str,
    placeholder: str = "Write your thoughts here. They are saved to your workbook.",
    rows: int = 5,
) -> Reflection:
    """A reflection prompt with a text box whose answer is saved to the workbook.

    Every keystroke reaches the kernel, and the text is saved once typing pauses for
    :data:`SAVE_DELAY` seconds (a :class:`~helpers.exercises._base.Debouncer`; so leaving the box
    saves it too, with no click) and at once when the Save button is pressed; a status line
    says "Saving when you pause typing…", then "Saved to your workbook.". Reopening the notebook pre-fills
    the box from the workbook. On the published book the prompt is shown with a note that
    answers are saved when the notebook runs in JupyterLab. Both views carry the privacy note
    (:data:`PRIVACY_NOTE`): a workbook file is shared with a team and exported as a report, so
    it must never hold details that identify a patient or a colleague.

    Parameters
    ----------
    prompt : str
        The reflection prompt.
    workbook : Workbook or None
        Where to save (None: the box works but nothing is saved, and the status says so).
    module, key : str
        Where in the workbook.
    placeholder : str
        Grey text shown in the empty box.
    rows : int, default 5
        Height of the box.

    Returns
    -------
    Reflection

    Example
    -------
    >>> import tempfile, pathlib
    >>> from helpers.workbook import Workbook
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     wb = Workbook(pathlib.Path(tmp) / "wb.json")
    ...     r = reflection("Which gap will you work on first?", workbook=wb, module="00", key="first_gap")
    ...     r.text.value = "Blood-pressure control for Black patients"
    ...     wb.get("00", "first_gap")
    'Blood-pressure control for Black patients'
    """
    slot = AnswerSlot.of(workbook, module, key, label=prompt)
    title = widgets.HTML(f'<p class="pe-question"><strong>{esc(prompt)}</strong></p>')
    privacy = widgets.HTML(_PRIVACY_HTML)
    text = widgets.Textarea(
        value="",
        description="Your reflection:",
        placeholder=placeholder,
        continuous_update=True,  # every keystroke reaches the kernel; saved once typing pauses
        rows=rows,
        style=_WIDE,
        layout=widgets.Layout(width="95%"),
    )
    save_button = widgets.Button(
        description="Save",
        tooltip="Save your reflection to your workbook now",
        layout=widgets.Layout(width="auto"),
    )
    status = widgets.HTML("")

    def save(value: str) -> None:
        if not slot.saving:
            status.value = '<div class="pe-save" role="status">Not saved: no workbook was given.</div>'
            return
        status.value = slot.save(value)

    debouncer = Debouncer(save, delay=SAVE_DELAY)

    def typed(value: str) -> None:
        debouncer.push(value)
        if debouncer.pending and status.value != _TYPING_HTML:
            status.value = _TYPING_HTML

    previous = slot.restore(lambda value: isinstance(value, str))
    if previous is not None:
        text.value = previous
        status.value = restored_note("reflection")

    text.observe(lambda change: typed(change["new"]), names="value")

    def save_now(_: widgets.Button) -> None:
        if debouncer.pending:
            debouncer.flush()
        else:
            save(text.value)

    save_button.on_click(save_now)
    box = exercise_box(
        [title, privacy, text, widgets.HBox([save_button, status])],
    )
    static_html = reflection_card(prompt)
    ex = Reflection(box, static_html=static_html, static_text=f"Reflection: {prompt}")
    ex.text = text
    ex.save_button = save_button
    ex.status = status
    ex.debouncer = debouncer
    return ex


def reflection_card(prompt: str) -> str:
    """The static card of a reflection (pure: prompt → HTML).

    The prompt, the privacy note, and what running the cell gives: a text box whose text is
    saved to the workbook (JupyterLab's line and the site's, one of them hidden by the site's CSS).

    Example
    -------
    >>> card = reflection_card("What <surprised> you?")
    >>> "What &lt;surprised&gt; you?" in card, "Run this cell (Shift+Enter) to answer here." in card
    (True, True)
    """
    return static_block(
        "reflection",
        fieldset(
            f"<strong>Reflect:</strong> {esc(prompt)}",
            f"{_PRIVACY_HTML}\n"
            f'<p class="pe-run-note pe-run-note-lab"><em>{esc(RUN_NOTE_LAB)} A text box appears; what you '
            "write is saved to your workbook and included in your exported report.</em></p>\n"
            '<p class="pe-run-note pe-run-note-site" hidden="hidden"><em>When you run this notebook in '
            "JupyterLab, a text box appears here; what you write is saved to your workbook and included "
            "in your exported report.</em></p>",
        ),
    )
