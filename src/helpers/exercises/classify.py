"""Classification exercise: sort several items (policy excerpts, partnerships…) into categories.

The participant reads each item and chooses a category for it from a drop-down; *Check* marks
every item right or wrong and explains why, item by item. Module 07 uses it to audit fictional
policies for institutional racism (Jones's levels of racism); module 08 to place partnerships on
a spectrum of community participation.

The widget is a thin view over the pure function :func:`check_classification`, which tests call
directly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from helpers._docs import share_docs
from helpers.exercises._base import Exercise, Feedback, check_controls, esc, exercise_box
from helpers.exercises._cards import static_card
from helpers.exercises._docs import exercise_docs
from helpers.exercises._slot import AnswerSlot, restored_note

if TYPE_CHECKING:  # pragma: no cover
    from helpers.workbook import Workbook

__all__ = ["Classification", "ClassificationFeedback", "check_classification", "classification"]

_CHOOSE = "(choose)"


@dataclass(frozen=True)
class ClassificationFeedback:
    """The result of checking a whole classification.

    Attributes
    ----------
    items : dict of str to Feedback
        One :class:`~helpers.exercises.Feedback` per item, keyed by the item's id, in the
        order the items were given. An item not yet classified has ``valid=False``.
    n_correct, n_answered, n_items : int
        How many items are right, how many were classified, how many there are.

    Example
    -------
    >>> fb = check_classification({"a": "Fruit"}, answers={"a": "Fruit", "b": "Vegetable"},
    ...                           categories=["Fruit", "Vegetable"])
    >>> fb.n_correct, fb.n_answered, fb.n_items, fb.complete
    (1, 1, 2, False)
    """

    items: dict[str, Feedback]
    n_correct: int
    n_answered: int
    n_items: int

    @property
    def complete(self) -> bool:
        """True when every item is classified and right."""
        return self.n_correct == self.n_items

    @property
    def message(self) -> str:
        """One sentence summing up the result.

        Example
        -------
        >>> check_classification({}, answers={"a": "X"}, categories=["X", "Y"]).message
        'Choose a category for each item, then press Check.'
        """
        if self.n_answered == 0:
            return "Choose a category for each item, then press Check."
        if self.complete:
            return f"All {self.n_items} right."
        left = self.n_items - self.n_answered
        tail = f"; {left} not answered yet" if left else ""
        return f"{self.n_correct} of {self.n_items} right{tail}. Read the feedback under each item."


def _check_setup(
    items: Sequence[str] | None,
    answers: Mapping[str, str],
    categories: Sequence[str],
    explanations: Mapping[str, str] | None,
) -> list[str]:
    if isinstance(categories, str) or len(categories) < 2:
        raise ValueError(
            "categories must be a list of at least two labels, e.g. ['Institutional', 'Personal']"
        )
    if len(set(categories)) != len(categories):
        raise ValueError(f"categories must be different from each other; got {list(categories)}")
    if not answers:
        raise ValueError(
            "answers must map each item id to its right category, e.g. {'dress_code': 'Institutional'}"
        )
    wrong = {k: v for k, v in answers.items() if v not in categories}
    if wrong:
        raise ValueError(
            f"answers use categories that do not exist: {wrong}; categories are {list(categories)}"
        )
    ids = list(answers) if items is None else list(items)
    missing = [i for i in ids if i not in answers]
    if missing:
        raise ValueError(f"no right answer given for items {missing}")
    if explanations is not None:
        unknown = [k for k in explanations if k not in answers]
        if unknown:
            raise ValueError(f"explanations given for items that do not exist: {unknown}")
    return ids


def check_classification(
    chosen: Mapping[str, str | None],
    *,
    answers: Mapping[str, str],
    categories: Sequence[str],
    explanations: Mapping[str, str] | None = None,
) -> ClassificationFeedback:
    """Check a participant's category for every item and explain each one.

    Parameters
    ----------
    chosen : mapping of item id to category (or None)
        What the participant chose; items left out or None are "not answered yet".
    answers : mapping of item id to category
        The right category of every item (the order of the items).
    categories : sequence of str
        The categories offered.
    explanations : mapping of item id to str, optional
        Why each item belongs where it does; shown for right and wrong answers alike (a
        wrong answer also names the right category).

    Returns
    -------
    ClassificationFeedback
        Never raises for the participant's input: an unknown category is reported as
        ``valid=False`` for that item.

    Raises
    ------
    ValueError
        If the exercise itself is malformed (an answer that is not a category, fewer than
        two categories, an explanation for an unknown item).

    Example
    -------
    >>> fb = check_classification(
    ...     {"a": "Vegetable", "b": "Vegetable"},
    ...     answers={"a": "Fruit", "b": "Vegetable"},
    ...     categories=["Fruit", "Vegetable"],
    ...     explanations={"a": "A tomato is botanically a fruit."},
    ... )
    >>> fb.items["a"].correct, fb.items["a"].message
    (False, 'You chose Vegetable; the answer is Fruit. A tomato is botanically a fruit.')
    >>> fb.n_correct
    1
    """
    ids = _check_setup(None, answers, categories, explanations)
    why = dict(explanations or {})
    results: dict[str, Feedback] = {}
    n_correct = n_answered = 0
    for item in ids:
        choice = chosen.get(item)
        reason = why.get(item, "")
        if choice is None or choice == "" or choice == _CHOOSE:
            results[item] = Feedback(False, "Not answered yet.", valid=False)
            continue
        if choice not in categories:
            results[item] = Feedback(
                False, f"{choice!r} is not one of the categories: {', '.join(categories)}.", valid=False
            )
            continue
        n_answered += 1
        right = answers[item]
        if choice == right:
            n_correct += 1
            results[item] = Feedback(True, f"{right}. {reason}".strip())
        else:
            results[item] = Feedback(False, f"You chose {choice}; the answer is {right}. {reason}".strip())
    return ClassificationFeedback(results, n_correct, n_answered, len(ids))


class Classification(Exercise):
    """A classification exercise (returned by :func:`classification`).

    Attributes
    ----------
    choices : dict of str to ipywidgets.Dropdown
        One drop-down per item; set ``.choices[item].value`` to answer.
    check_button : ipywidgets.Button
        "Check"; ``.check_button.click()`` checks every item.
    item_feedback : dict of str to ipywidgets.HTML
        The feedback under each item.
    feedback : ipywidgets.HTML
        The summary line.
    """

    kind = "classification"
    choices: dict[str, widgets.Dropdown]
    check_button: widgets.Button
    item_feedback: dict[str, widgets.HTML]
    feedback: widgets.HTML
    saved: widgets.HTML


@share_docs(exercise=exercise_docs("the choices (a dict of item id to category)"))
def classification(
    question: str,
    items: Mapping[str, str],
    categories: Sequence[str],
    answers: Mapping[str, str],
    *,
    explanations: Mapping[str, str] | None = None,
    hint: str | None = None,
    workbook: Workbook | None = None,
    module: str | None = None,
    key: str | None = None,
) -> Classification:
    """Sort several items into categories, with feedback that explains every item.

    Parameters
    ----------
    question : str
        The task, e.g. "For each policy excerpt, choose the level of racism it risks."
    items : mapping of item id to text
        The items in the order shown: a short id (used to save answers) and the text the
        participant reads.
    categories : sequence of str
        The categories offered in every drop-down.
    answers : mapping of item id to category
        The right category of each item.
    explanations : mapping of item id to str, optional
        Why each item belongs where it does (shown after *Check*, and in the static answer key).
    hint : str, optional
        Shown by a "Show hint" button.
    {exercise.slot}

    Returns
    -------
    Classification
        Displays as the widget in JupyterLab and as static HTML (items, categories, a hint and
        a closed answer key) on the published book.

    Example
    -------
    >>> ex = classification(
    ...     "Fruit or vegetable?",
    ...     items={"a": "Tomato", "b": "Carrot"},
    ...     categories=["Fruit", "Vegetable"],
    ...     answers={"a": "Fruit", "b": "Vegetable"},
    ... )
    >>> ex.choices["a"].value = "Fruit"
    >>> ex.choices["b"].value = "Fruit"
    >>> ex.check_button.click()
    >>> "1 of 2 right" in ex.feedback.value
    True
    >>> ex.check({"a": "Fruit", "b": "Vegetable"}).complete
    True
    """
    if not isinstance(items, Mapping) or not items:
        raise ValueError("items must be a dict {item id: text}, e.g. {'dress_code': 'Hair must be…'}")
    extra = [k for k in answers if k not in items]
    if extra:
        raise ValueError(f"answers given for items that are not shown: {extra}")
    answers = {k: answers[k] for k in items if k in answers}
    _check_setup(list(items), answers, categories, explanations)
    cats = [str(c) for c in categories]
    why = dict(explanations or {})
    slot = AnswerSlot.of(workbook, module, key, label=question)

    def check(chosen: Mapping[str, str | None]) -> ClassificationFeedback:
        return check_classification(chosen, answers=answers, categories=cats, explanations=why)

    title = widgets.HTML(f'<p class="pe-question"><strong>{esc(question)}</strong></p>')
    choices: dict[str, widgets.Dropdown] = {}
    item_feedback: dict[str, widgets.HTML] = {}
    rows: list[widgets.Widget] = []
    for number, (item, text) in enumerate(items.items(), start=1):
        choices[item] = widgets.Dropdown(
            options=[_CHOOSE, *cats],
            value=_CHOOSE,
            description=f"Item {number}:",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="auto"),
        )
        item_feedback[item] = widgets.HTML("")
        rows += [
            widgets.HTML(f'<p class="pe-item"><strong>{number}.</strong> {esc(text)}</p>'),
            choices[item],
            item_feedback[item],
        ]
    parts = check_controls("Check every item", hint)
    check_button, feedback, saved = parts.check_button, parts.feedback, parts.saved
    controls, extras = parts.controls, parts.extras

    def current() -> dict[str, str | None]:
        return {item: (None if box.value == _CHOOSE else box.value) for item, box in choices.items()}

    def render() -> ClassificationFeedback:
        fb = check(current())
        for item, item_fb in fb.items.items():
            item_feedback[item].value = item_fb.to_html() if item_fb.valid else ""
        feedback.value = Feedback(fb.complete, fb.message, fb.n_answered > 0).to_html()
        return fb

    def submit(_: Any = None) -> None:
        fb = render()
        if slot.saving and fb.n_answered:
            saved.value = slot.save({k: v for k, v in current().items() if v is not None})

    previous = slot.restore(lambda value: isinstance(value, dict))
    if previous is not None:
        for item, value in previous.items():
            if item in choices and value in cats:
                choices[item].value = value
        if any(v in cats for v in previous.values()):
            render()
            saved.value = restored_note("answers")

    check_button.on_click(submit)
    box = exercise_box([title, *rows, widgets.HBox(controls), *extras, feedback, saved])
    static_text = f"Classification: {question}\n" + "\n".join(
        f"  {i}. {text}" for i, text in enumerate(items.values(), start=1)
    )
    ex = Classification(
        box,
        static_html=classification_card(
            question, items, cats, answers, explanations=why, hint=hint, saving=slot.saving
        ),
        static_text=static_text,
        check=check,
    )
    ex.choices = choices
    ex.check_button = check_button
    ex.item_feedback = item_feedback
    ex.feedback = feedback
    ex.saved = saved
    return ex


def classification_card(
    question: str,
    items: Mapping[str, str],
    categories: Sequence[str],
    answers: Mapping[str, str],
    *,
    explanations: Mapping[str, str] | None = None,
    hint: str | None = None,
    saving: bool = False,
) -> str:
    """The static card of a classification exercise (pure: inputs → HTML).

    The task, the categories and the numbered items; the hint, and in a closed ``<details>``
    each item's category with its explanation; then the run note. Parameters as for
    :func:`classification` (``saving``: whether the live exercise saves to the workbook).

    Example
    -------
    >>> card = classification_card("Fruit or vegetable?", {"a": "Tomato"}, ["Fruit", "Vegetable"],
    ...                            {"a": "Fruit"}, explanations={"a": "It has seeds."})
    >>> "<li>Tomato</li>" in card, "<summary>Show answers</summary><ol><li><strong>Fruit</strong>" in card
    (True, True)
    """
    why = dict(explanations or {})
    cat_list = "".join(f"<li>{esc(c)}</li>" for c in categories)
    item_list = "\n".join(f"<li>{esc(text)}</li>" for text in items.values())
    key_items = "".join(
        f"<li><strong>{esc(answers[item])}</strong>"
        + (f": {esc(why[item])}" if item in why else "")
        + "</li>"
        for item in items
    )
    return static_card(
        "classification",
        f"<strong>Question:</strong> {esc(question)}",
        f"<p>Categories:</p>\n<ul>{cat_list}</ul>\n<ol>\n{item_list}\n</ol>",
        saving=saving,
        hint=hint,
        reveal=("Show answers", f"<ol>{key_items}</ol>"),
    )
