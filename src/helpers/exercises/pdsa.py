"""The PDSA planner: plan, predict, do, study, act — with the prediction kept and compared.

The pure functions are :func:`pdsa_compare` (prediction vs result) and :func:`pdsa_missing`
(what a cycle record still lacks); :func:`pdsa_planner` is a thin widget over them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from helpers._docs import share_docs
from helpers.exercises._base import Exercise, esc, exercise_box
from helpers.exercises._base import fmt_number as _fmt
from helpers.exercises._cards import static_card
from helpers.exercises._docs import exercise_docs
from helpers.exercises._slot import AnswerSlot, restored_note
from helpers.exercises.questions import parse_number

if TYPE_CHECKING:  # pragma: no cover
    from helpers.workbook import Workbook

__all__ = ["PDSA_FIELDS", "PdsaComparison", "PdsaPlanner", "pdsa_compare", "pdsa_missing", "pdsa_planner"]

#: The fields of one PDSA cycle, in order, with the question each answers (Langley et al.,
#: *The Improvement Guide*, 2009).
PDSA_FIELDS: dict[str, tuple[str, str]] = {
    "change": ("Change being tested", "What change are you testing, and for whom?"),
    "plan": (
        "Plan",
        "Who will do what, when and where? What data will you collect, stratified by which groups?",
    ),
    "prediction": ("Predict", "What do you predict will happen? Give a number if you can (e.g. 55%)."),
    "do": ("Do", "What happened when you ran the test? Note problems and surprises."),
    "result": ("Study: result", "What did the data show? Give the number you predicted, measured."),
    "study": (
        "Study: learning",
        "How did the result compare with your prediction, for each group? What did you learn?",
    ),
    "act": ("Act", "Adopt, adapt or abandon? What is the next cycle?"),
}
ACT_CHOICES = ("(not decided yet)", "Adopt", "Adapt", "Abandon")


@dataclass(frozen=True)
class PdsaComparison:
    """Prediction vs result for the Study step.

    Attributes
    ----------
    prediction, result : float or None
        The numbers read from the texts (None when a text holds no single number).
    difference : float or None
        ``result - prediction`` when both are numbers.
    message : str
        A plain-language comparison that prompts learning rather than judging.
    direction : str
        How the result compares: "as predicted", "higher" or "lower" for a measure; "wider",
        "narrower" or "reversed" for a gap; "" when there are no two numbers to compare.
    """

    prediction: float | None
    result: float | None
    difference: float | None
    message: str
    direction: str = ""


_POINTS = ("percentage points", "percentage point", "pp", "points", "% points")


def _is_gap_units(units: str | None) -> bool:
    """Whether ``units`` are those of a gap between two rates (percentage points)."""
    return bool(units) and str(units).strip().lower() in _POINTS


def _gap_words(p: float, r: float, u: str, du: str) -> tuple[str, str]:
    """(direction, sentence) for a predicted and a measured gap, both signed: group − reference.

    A gap is as wide as its distance from zero, whichever its sign: −6 is wider than −4, and
    a gap that changes sign has reversed (the group went from below the reference to above it,
    or back), which is neither "wider" nor "narrower".
    """
    if p * r < 0:
        side = "above" if r > 0 else "below"
        return "reversed", (
            f"The gap reversed: you predicted {_fmt(p)}{u}, the result was {_fmt(r)}{u} (the group is now "
            f"{side} the reference group)."
        )
    change = abs(r) - abs(p)
    direction = "wider" if change > 0 else "narrower"
    return direction, (
        f"The gap ({_fmt(r)}{u}) was {_fmt(abs(change))}{du} {direction} than predicted ({_fmt(p)}{u})."
    )


def pdsa_compare(
    prediction: str | float | None,
    result: str | float | None,
    *,
    units: str | None = None,
    tolerance: float = 0.0,
    gap: bool | None = None,
) -> PdsaComparison:
    """Compare what a team predicted with what it measured.

    Parameters
    ----------
    prediction, result : str, float or None
        The prediction (written before the test) and the result (after). Numbers are read
        with :func:`helpers.exercises.parse_number` (``"55%"`` works with ``units="%"``).
    units : str, optional
        Units for both numbers, e.g. ``"%"``.
    tolerance : float, default 0
        Differences up to this size count as "as predicted".
    gap : bool or None, default None
        Whether the numbers are gaps: signed differences, group − reference (as
        :func:`helpers.disparities.gaps` reports them). A gap is compared by its size: "wider" or
        "narrower" than predicted (or "reversed" when its sign changed), never "higher" or
        "lower", which would call a gap of −6 "lower" than −4 when it is wider. None (the default):
        a gap when ``units`` are percentage points.

    Returns
    -------
    PdsaComparison

    Example
    -------
    >>> c = pdsa_compare("55%", "49%", units="%")
    >>> c.difference
    -6.0
    >>> c.message.split(". ")[0]
    'The result (49 %) was 6 percentage points lower than predicted (55 %)'
    >>> pdsa_compare("-4", "-6", units="percentage points").message.split(". ")[0]
    'The gap (-6 percentage points) was 2 percentage points wider than predicted (-4 percentage points)'
    >>> pdsa_compare("More patients will return", "").message
    'Write down the result in Study, then compare it with your prediction.'
    """
    if prediction is None or (isinstance(prediction, str) and not prediction.strip()):
        return PdsaComparison(
            None,
            None,
            None,
            "No prediction was recorded. Predict before you test: it is how a PDSA cycle teaches.",
        )
    if result is None or (isinstance(result, str) and not result.strip()):
        return PdsaComparison(
            None, None, None, "Write down the result in Study, then compare it with your prediction."
        )
    p = parse_number(prediction, units=units)
    r = parse_number(result, units=units)
    u = f" {units.strip()}" if units and units.strip() else ""
    if p is None or r is None:
        return PdsaComparison(
            p,
            r,
            None,
            f"You predicted: “{str(prediction).strip()}”. You found: “{str(result).strip()}”. "
            "Where did they agree, where not, and why? Did the change work equally well for every group?",
        )
    diff = r - p
    du = " percentage points" if u == " %" else u
    is_gap = _is_gap_units(units) if gap is None else gap
    what = "gap" if is_gap else "result"
    if abs(diff) <= tolerance + 1e-12:
        direction = "as predicted"
        message = (
            f"The {what} ({_fmt(r)}{u}) was as predicted ({_fmt(p)}{u}). Your theory held up this time; "
            "test it under other conditions and for each group."
        )
    else:
        if is_gap:
            direction, said = _gap_words(p, r, u, du)
        else:
            direction = "higher" if diff > 0 else "lower"
            said = (
                f"The result ({_fmt(r)}{u}) was {_fmt(abs(diff))}{du} {direction} than predicted "
                f"({_fmt(p)}{u})."
            )
        message = f"{said} What explains the difference, and was it the same for every group?"
    return PdsaComparison(p, r, diff, message, direction)


def pdsa_missing(record: Mapping[str, Any]) -> list[str]:
    """Return the PDSA steps a cycle record has not filled in yet, in order.

    Parameters
    ----------
    record : mapping
        Field name → text, with the names in :data:`PDSA_FIELDS`.

    Returns
    -------
    list of str
        The missing steps' titles (empty when the cycle is complete).

    Example
    -------
    >>> pdsa_missing({"change": "Text reminders in Spanish", "plan": "Clinic A, 2 weeks"})
    ['Predict', 'Do', 'Study: result', 'Study: learning', 'Act']
    """
    missing = []
    for name, (title, _) in PDSA_FIELDS.items():
        value = record.get(name)
        if value is None or (isinstance(value, str) and (not value.strip() or value == ACT_CHOICES[0])):
            missing.append(title)
    return missing


class PdsaPlanner(Exercise):
    """The PDSA planner widget (returned by :func:`pdsa_planner`).

    Attributes
    ----------
    fields : dict of str to ipywidgets widget
        One input per :data:`PDSA_FIELDS` name (plus ``"decision"``, the Act dropdown).
    keep_button : ipywidgets.Button
        "Keep my prediction": locks the prediction so it cannot be rewritten after the test.
    comparison : ipywidgets.HTML
        The Study comparison (:func:`pdsa_compare`).
    """

    kind = "pdsa"
    fields: dict[str, widgets.Widget]
    keep_button: widgets.Button
    comparison: widgets.HTML
    status: widgets.HTML
    _record: Callable[[], dict[str, Any]]

    def record(self) -> dict[str, Any]:
        """The cycle as a plain dict (what is saved to the workbook)."""
        return self._record()


@share_docs(exercise=exercise_docs("the cycle (one dict, every field as it is entered)"))
def pdsa_planner(
    title: str = "Plan a PDSA cycle",
    *,
    units: str | None = None,
    workbook: Workbook | None = None,
    module: str | None = None,
    key: str | None = None,
) -> PdsaPlanner:
    """A PDSA cycle planner whose prediction is kept and compared with the result.

    Fill in the change, the plan and a prediction; press "Keep my prediction" to lock it
    (so it cannot be rewritten after the test). After the test, enter the result: the Study
    step shows the comparison (:func:`pdsa_compare`). With a workbook, every field is saved as
    it is entered (as one dict under ``key``) and pre-filled when the notebook is reopened.

    Parameters
    ----------
    title : str
        A heading, e.g. "Cycle 1: reminder calls in Spanish".
    units : str, optional
        Units of the predicted measure (e.g. ``"%"``).
    {exercise.slot}

    Returns
    -------
    PdsaPlanner

    Example
    -------
    >>> p = pdsa_planner("Cycle 1", units="%")
    >>> p.fields["prediction"].value = "55"
    >>> p.keep_button.click()
    >>> p.fields["prediction"].disabled
    True
    >>> p.fields["result"].value = "49"
    >>> "6 percentage points lower than predicted" in p.comparison.value
    True
    """
    slot = AnswerSlot.of(workbook, module, key, label=title)
    inputs: dict[str, widgets.Widget] = {}
    rows: list[widgets.Widget] = [widgets.HTML(f'<p class="pe-question"><strong>{esc(title)}</strong></p>')]
    layout = widgets.Layout(width="95%")
    style = {"description_width": "initial"}
    keep_button = widgets.Button(
        description="Keep my prediction",
        tooltip="Lock the prediction before you run the test",
        layout=widgets.Layout(width="auto"),
    )
    comparison = widgets.HTML("")
    status = widgets.HTML("")
    decision = widgets.Dropdown(
        options=list(ACT_CHOICES), value=ACT_CHOICES[0], description="Decision:", style=style
    )
    inputs["decision"] = decision
    locked = {"value": False}

    for name, (label, question) in PDSA_FIELDS.items():
        if name in ("change", "prediction", "result"):
            control: widgets.Widget = widgets.Text(
                description=f"{label}:",
                placeholder=question,
                continuous_update=False,
                style=style,
                layout=layout,
            )
        else:
            control = widgets.Textarea(
                description=f"{label}:",
                placeholder=question,
                continuous_update=False,
                rows=3,
                style=style,
                layout=layout,
            )
        inputs[name] = control
        rows.append(
            widgets.HTML(f'<p class="pe-pdsa-step"><strong>{esc(label)}.</strong> {esc(question)}</p>')
        )
        if name == "act":
            rows.append(decision)
        rows.append(control)
        if name == "prediction":
            rows.append(keep_button)
        if name == "result":
            rows.append(comparison)

    def record() -> dict[str, Any]:
        data: dict[str, Any] = {name: inputs[name].value for name in PDSA_FIELDS}
        data["decision"] = decision.value
        data["prediction_kept"] = locked["value"]
        return data

    def refresh_comparison() -> None:
        cmp = pdsa_compare(inputs["prediction"].value, inputs["result"].value, units=units)
        comparison.value = f'<div class="pe-feedback" role="status">{esc(cmp.message)}</div>'

    def lock() -> None:
        locked["value"] = True
        inputs["prediction"].disabled = True
        keep_button.disabled = True
        keep_button.description = "Prediction kept"

    def on_change(_: Any = None) -> None:
        refresh_comparison()
        if slot.saving:
            status.value = slot.save(record())

    def on_keep(_: widgets.Button) -> None:
        if not str(inputs["prediction"].value).strip():
            status.value = '<div class="pe-save" role="status">Write a prediction first, then keep it.</div>'
            return
        lock()
        on_change()

    previous = slot.restore(lambda value: isinstance(value, dict))
    if previous is not None:
        for name in PDSA_FIELDS:
            if isinstance(previous.get(name), str):
                inputs[name].value = previous[name]
        if previous.get("decision") in ACT_CHOICES:
            decision.value = previous["decision"]
        if previous.get("prediction_kept") and str(previous.get("prediction", "")).strip():
            lock()
        status.value = restored_note("cycle")
    refresh_comparison()

    for control in inputs.values():
        control.observe(on_change, names="value")
    keep_button.on_click(on_keep)
    rows.append(status)
    box = exercise_box(rows)

    static_html = pdsa_card(title, saving=slot.saving)
    ex = PdsaPlanner(
        box,
        static_html=static_html,
        static_text=f"PDSA planner: {title}",
        check=lambda prediction, result: pdsa_compare(prediction, result, units=units),
    )
    ex.fields = inputs
    ex.keep_button = keep_button
    ex.comparison = comparison
    ex.status = status
    ex._record = record
    return ex


def pdsa_card(title: str = "Plan a PDSA cycle", *, saving: bool = False) -> str:
    """The static card of the PDSA planner (pure: inputs → HTML).

    The steps of a cycle with the question each answers (:data:`PDSA_FIELDS`) and the rule
    that makes a cycle teach: predict before the test; then the run note.

    Example
    -------
    >>> card = pdsa_card("Cycle <1>")
    >>> "Cycle &lt;1&gt;" in card, card.count("<li>") == len(PDSA_FIELDS)
    (True, True)
    """
    steps = "\n".join(
        f"<li><strong>{esc(label)}.</strong> {esc(question)}</li>" for label, question in PDSA_FIELDS.values()
    )
    return static_card(
        "pdsa",
        f"<strong>PDSA planner:</strong> {esc(title)}",
        f"<ol>\n{steps}\n</ol>\n<p>Write your prediction <em>before</em> the test and keep it; in Study, "
        "compare it with the result for each group.</p>",
        saving=saving,
    )
