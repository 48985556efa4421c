"""A "select all that apply" question: several options may be right, each with its explanation.

:func:`check_select_all` (pure) compares the options a participant ticked with the right set and
explains every ticked option; :func:`select_all` is the widget (one checkbox per option and a
*Check* button). Use it where a single best answer would hide the point, for example "which of
these does the strategic plan lack?", where several things are missing at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from helpers._docs import share_docs
from helpers.exercises._base import (
    Exercise,
    Feedback,
    check_controls,
    esc,
    exercise_box,
    toggle_button,
    unlock,
)
from helpers.exercises._cards import (
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

__all__ = ["SelectAll", "check_select_all", "select_all"]

#: At most this many options (one letter each, A–Z).
_MAX_OPTIONS = 26


def _options(options: Sequence[str]) -> list[str]:
    return option_list(
        options,
        question="a select-all question",
        example="['A budget', 'A named executive']",
        most=_MAX_OPTIONS,
    )


def _resolve(chosen: Iterable[str | int], opts: list[str], what: str) -> list[str]:
    """Options (by text or 0-based position) → their texts, in the order of ``opts``."""
    picked: set[str] = set()
    for item in chosen:
        if isinstance(item, int) and not isinstance(item, bool):
            if not 0 <= item < len(opts):
                raise ValueError(f"{what}: position {item} is out of range for {len(opts)} options (0-based)")
            picked.add(opts[item])
        elif str(item) in opts:
            picked.add(str(item))
        else:
            raise ValueError(f"{what}: {item!r} is not one of the options: {opts}")
    return [o for o in opts if o in picked]


def check_select_all(
    chosen: Iterable[str | int] | None,
    *,
    options: Sequence[str],
    answers: Iterable[str | int],
    explanations: Mapping[str, str] | Sequence[str] | None = None,
) -> Feedback:
    """Check a "select all that apply" answer and explain each option the participant ticked.

    The answer is right only when exactly the right options are ticked. The message explains
    every ticked option (right or not) and says how many right options are still missing,
    without naming them, so the participant can think again.

    Parameters
    ----------
    chosen : iterable of str or int, or None
        The ticked options (text or 0-based position); None or empty if nothing is ticked.
    options : sequence of str
        The options, in the order shown.
    answers : iterable of str or int
        The options that should be ticked (at least one).
    explanations : dict or list, optional
        Why each option should or should not be ticked: ``{option: text}`` or one per option.

    Returns
    -------
    Feedback
        ``valid=False`` when nothing is ticked (no exception).

    Raises
    ------
    ValueError
        For an author's mistake: unknown options in ``answers`` or ``explanations``, no right
        option, fewer than two options.

    Example
    -------
    >>> opts = ["A budget", "A named executive", "A values statement"]
    >>> fb = check_select_all(["A budget"], options=opts, answers=[0, 1],
    ...                       explanations=["Resources.", "Accountability.", "Words only."])
    >>> fb.correct, fb.message
    (False, 'A budget: Resources. You have 1 of the 2 right options; 1 more to find.')
    >>> check_select_all([1, 0], options=opts, answers=[0, 1]).correct
    True
    """
    opts = _options(options)
    right = _resolve(answers, opts, "answers")
    if not right:
        raise ValueError("answers must name at least one option")
    why = option_explanations(explanations, opts)
    try:
        ticked = _resolve(chosen or [], opts, "chosen")
    except ValueError as exc:
        return Feedback(False, str(exc), valid=False)
    if not ticked:
        return Feedback(False, "Tick every option that applies, then check.", valid=False)
    said = " ".join(f"{o}: {why[o]}" for o in ticked if o in why)
    hits = [o for o in ticked if o in right]
    wrong = [o for o in ticked if o not in right]
    missing = len(right) - len(hits)
    if not wrong and not missing:
        return Feedback(True, (said + " " if said else "") + "You found all of them.")
    parts = [said] if said else []
    if wrong:
        parts.append(
            f"{len(wrong)} of your ticks {'does' if len(wrong) == 1 else 'do'} not belong: read "
            f"{'its' if len(wrong) == 1 else 'their'} explanation{'' if len(wrong) == 1 else 's'}."
        )
    parts.append(
        f"You have {len(hits)} of the {len(right)} right options"
        + (f"; {missing} more to find." if missing else ".")
    )
    return Feedback(False, " ".join(parts))


class SelectAll(Exercise):
    """A "select all that apply" exercise (returned by :func:`select_all`).

    Attributes
    ----------
    boxes : dict of str to ipywidgets.Checkbox
        One checkbox per option; set ``.value = True`` to tick (as a click does).
    check_button : ipywidgets.Button
        "Check": checks the ticked options and, with a workbook, saves them.
    feedback : ipywidgets.HTML
        The feedback.
    """

    kind = "select-all"
    boxes: dict[str, widgets.Checkbox]
    check_button: widgets.Button
    feedback: widgets.HTML
    saved: widgets.HTML


@share_docs(exercise=exercise_docs("the ticked options"))
def select_all(
    question: str,
    options: Sequence[str],
    answers: Iterable[str | int],
    *,
    explanations: Mapping[str, str] | Sequence[str] | None = None,
    hint: str | None = None,
    workbook: Workbook | None = None,
    module: str | None = None,
    key: str | None = None,
) -> SelectAll:
    """A question where the participant ticks every option that applies, with explained feedback.

    *Check* runs :func:`check_select_all` and, with a workbook, saves the ticked options (a
    list of their texts); reopening the notebook ticks them again. "Show answer" reveals which
    options apply and why. On the published book the question, its options, the hint and a
    revealable answer are static HTML.

    Parameters
    ----------
    question : str
        The question (the widget adds "Select all that apply").
    options : sequence of str
        The options, in the order shown (labelled A, B, C… in the static view).
    answers : iterable of str or int
        The options that apply (text or 0-based position).
    explanations : dict or list, optional
        Why each option does or does not apply.
    hint : str, optional
        Shown by a "Show hint" button.
    {exercise.slot}

    Returns
    -------
    SelectAll

    Example
    -------
    >>> q = select_all("Which are absolute measures?", ["Rate difference", "Rate ratio", "Excess cases"],
    ...                answers=[0, 2], explanations=["Subtracts.", "Divides.", "Counts people."])
    >>> q.boxes["Rate difference"].value = True
    >>> q.check_button.click()
    >>> "1 more to find" in q.feedback.value
    True
    >>> q.check(["Rate difference", "Excess cases"]).correct
    True
    """
    opts = _options(options)
    right = _resolve(answers, opts, "answers")
    if not right:
        raise ValueError("answers must name at least one option")
    why = option_explanations(explanations, opts)
    slot = AnswerSlot.of(workbook, module, key, label=question)

    def check(chosen: Iterable[str | int] | None) -> Feedback:
        return check_select_all(chosen, options=opts, answers=right, explanations=why)

    title = widgets.HTML(
        f'<p class="pe-question"><strong>{esc(question)}</strong> <em>Select all that apply.</em></p>'
    )
    boxes = {
        o: widgets.Checkbox(value=False, description=label, indent=False, layout=widgets.Layout(width="auto"))
        for o, label in zip(opts, lettered(opts), strict=True)
    }
    parts = check_controls("Check the options you ticked", hint)
    check_button, feedback, saved = parts.check_button, parts.feedback, parts.saved
    controls, extras = parts.controls, parts.extras
    solution_box = widgets.HTML(
        f'<div class="pe-solution"><strong>Answer:</strong><ul>{_answer_items(opts, right, why)}</ul></div>'
    )
    reveal = toggle_button("Show answer", solution_box, shown_label="Hide answer", locked=True)
    controls.append(reveal)
    extras.append(solution_box)

    def ticked() -> list[str]:
        return [o for o, box in boxes.items() if box.value]

    def on_check(_: Any = None) -> None:
        chosen = ticked()
        fb = check(chosen)
        feedback.value = fb.to_html()
        if fb.valid:
            unlock(reveal)  # the answer can be shown after a first attempt, not before
        if slot.saving and fb.valid:
            saved.value = slot.save(chosen)

    previous = slot.restore(
        lambda value: isinstance(value, list) and bool(value) and all(p in opts for p in value)
    )
    if previous is not None:
        for p in previous:
            boxes[p].value = True
        feedback.value = check(previous).to_html()
        saved.value = restored_note("answer")
        unlock(reveal)
    check_button.on_click(on_check)
    box = exercise_box([title, *boxes.values(), widgets.HBox(controls), *extras, feedback, saved])
    static_text = f"Select all that apply: {question}\n" + "\n".join(f"  {o}" for o in lettered(opts))
    ex = SelectAll(
        box,
        static_html=select_all_card(question, opts, right, explanations=why, hint=hint, saving=slot.saving),
        static_text=static_text,
        check=check,
    )
    ex.boxes, ex.check_button, ex.feedback, ex.saved = boxes, check_button, feedback, saved
    return ex


def _answer_items(options: Sequence[str], answers: Sequence[str], why: Mapping[str, str]) -> str:
    """Every option, whether it applies, and why (the answer in the widget and on the card)."""
    return "".join(
        f"<li><strong>{esc(o)}</strong> ({'applies' if o in answers else 'does not apply'})"
        + (f": {esc(why[o])}" if o in why else "")
        + "</li>"
        for o in options
    )


@share_docs(exercise=EXERCISE_DOCS)
def select_all_card(
    question: str,
    options: Sequence[str],
    answers: Sequence[str],
    *,
    explanations: Mapping[str, str] | None = None,
    hint: str | None = None,
    saving: bool = False,
) -> str:
    """The static card of a select-all question (pure: inputs → HTML).

    The question, its options lettered as on the checkboxes, the hint, and in a closed
    ``<details>`` the letters that apply with every option's explanation; then the run note.

    Parameters
    ----------
    question : str
        The question.
    options : sequence of str
        The options, in the order shown.
    answers : sequence of str
        The options that apply (texts).
    explanations : mapping of option to str, optional
        Why each option does or does not apply.
    hint : str, optional
        The hint.
    {exercise.card}

    Example
    -------
    >>> card = select_all_card("Which count people?", ["Ratio", "Excess cases", "Cases"],
    ...                        ["Excess cases", "Cases"])
    >>> "<strong>Answer:</strong> B, C." in card
    True
    """
    letters = ", ".join(letter(list(options).index(o)) for o in answers)
    items = _answer_items(options, answers, dict(explanations or {}))
    return static_card(
        "select-all",
        f"<strong>Question:</strong> {esc(question)} <em>Select all that apply.</em>",
        options_html(options),
        saving=saving,
        hint=hint,
        reveal=("Show answer", f"<p><strong>Answer:</strong> {letters}.</p><ul>{items}</ul>"),
    )
