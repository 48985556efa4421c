"""The project charter of module 09: aim, measures, changes, team and community partners.

A charter puts a team's equity project on one page, in the Model for Improvement's order: what
are we trying to accomplish (the aim), how will we know that a change is an improvement (the
measures), what changes will we test, who is on the team, and which community partners share the
work. :func:`check_charter` (pure) says which parts are missing and checks the aim with
:func:`helpers.exercises.check_aim_statement` (module 05's aim checker);
:func:`project_charter` is the widget, five text boxes and a *Save charter* button that saves the
charter to the workbook, so that :meth:`helpers.workbook.Workbook.export_report` puts it in the
team's report.

References
----------
Langley GJ, Moen RD, Nolan KM, Nolan TW, Norman CL, Provost LP. *The Improvement Guide.* 2nd ed.
San Francisco: Jossey-Bass; 2009 (the Model for Improvement).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from helpers.exercises._base import Exercise, Feedback, esc, exercise_box
from helpers.exercises._cards import static_card
from helpers.exercises._slot import AnswerSlot, restored_note
from helpers.exercises.aim import AimCheck, check_aim_statement
from helpers.exercises.questions import PRIVACY_NOTE

if TYPE_CHECKING:  # pragma: no cover
    from helpers.workbook import Workbook

__all__ = ["CHARTER_FIELDS", "CharterCheck", "ProjectCharter", "check_charter", "project_charter"]

CHARTER_FIELDS: dict[str, tuple[str, str]] = {
    "aim": (
        "Aim",
        "What are we trying to accomplish? The gap, the group and the reference group, from what to "
        "what, by when; no group gets worse.",
    ),
    "measures": (
        "Measures",
        "How will we know that a change is an improvement? The outcome measure stratified by group, a "
        "process measure, a balancing measure.",
    ),
    "changes": (
        "Changes",
        "What changes will we test first (the first PDSA cycles), and for whom?",
    ),
    "team": (
        "Team",
        "Who is on the team (roles, not names of patients): a sponsor, a leader, front-line staff, a "
        "data person, patients or family members with lived experience.",
    ),
    "partners": (
        "Community partners",
        "Which community organisations share the work, what they bring, and how results go back to "
        "the community.",
    ),
}
"""The charter's parts: ``key: (heading, prompt)``, in the Model for Improvement's order."""


@dataclass(frozen=True)
class CharterCheck:
    """The result of :func:`check_charter`.

    Attributes
    ----------
    charter : dict
        ``{heading: text}`` for the five parts, in order (stripped; "" when empty). This is
        what is saved to the workbook.
    missing : list of str
        The headings of the parts left empty.
    aim : AimCheck
        Module 05's check of the aim statement.
    """

    charter: dict[str, str]
    missing: list[str] = field(default_factory=list)
    aim: AimCheck | None = None

    @property
    def complete(self) -> bool:
        """True when every part is written and the aim has its five elements."""
        return not self.missing and self.aim is not None and self.aim.complete

    def feedback(self) -> Feedback:
        """One :class:`~helpers.exercises.Feedback`: what is still missing, the aim's first."""
        if all(not text for text in self.charter.values()):
            return Feedback(False, "Write each part of the charter, then save it.", valid=False)
        notes = []
        if self.aim is not None and not self.aim.complete:
            first = next(iter(self.aim.problems.values()))
            notes.append(f"Aim: {first}")
        if self.missing:
            notes.append("Still empty: " + ", ".join(self.missing) + ".")
        if not notes:
            return Feedback(True, "Every part is there, and the aim has all five elements.")
        return Feedback(False, " ".join(notes))


def check_charter(parts: Mapping[str, Any]) -> CharterCheck:
    """Check a project charter: which parts are empty, and whether the aim is complete.

    Parameters
    ----------
    parts : mapping
        The texts, keyed by the keys of :data:`CHARTER_FIELDS` (``aim``, ``measures``,
        ``changes``, ``team``, ``partners``) or by their headings; missing keys count as empty.

    Returns
    -------
    CharterCheck

    Raises
    ------
    ValueError
        If a key is neither a part's key nor its heading.

    Example
    -------
    >>> result = check_charter({"aim": "Narrow the gap in blood-pressure control between Black and "
    ...     "White patients from 10 to 5 percentage points by December 2026; no group gets worse.",
    ...     "measures": "BP control by race and ethnicity, monthly", "team": "Clinic lead, CHW"})
    >>> result.aim.complete, result.missing
    (True, ['Changes', 'Community partners'])
    >>> list(result.charter)
    ['Aim', 'Measures', 'Changes', 'Team', 'Community partners']
    """
    headings = {heading: key for key, (heading, _) in CHARTER_FIELDS.items()}
    texts: dict[str, str] = {}
    for name, value in parts.items():
        key = name if name in CHARTER_FIELDS else headings.get(str(name))
        if key is None:
            raise ValueError(
                f"{name!r} is not a part of the charter; use {list(CHARTER_FIELDS)} (or their headings)"
            )
        texts[key] = "" if value is None else str(value).strip()
    charter = {heading: texts.get(key, "") for key, (heading, _) in CHARTER_FIELDS.items()}
    missing = [heading for heading, text in charter.items() if not text]
    aim = check_aim_statement(charter["Aim"]) if charter["Aim"] else None
    return CharterCheck(charter=charter, missing=missing, aim=aim)


class ProjectCharter(Exercise):
    """The charter widget (returned by :func:`project_charter`).

    Attributes
    ----------
    boxes : dict of ipywidgets.Textarea
        One per part, keyed as :data:`CHARTER_FIELDS`.
    save_button : ipywidgets.Button
    feedback, saved : ipywidgets.HTML
    """

    kind = "charter"
    boxes: dict[str, widgets.Textarea]
    save_button: widgets.Button
    feedback: widgets.HTML
    saved: widgets.HTML
    _save: Callable[[], CharterCheck]

    def save(self) -> CharterCheck:
        """Check the charter and save it to the workbook (as the *Save charter* button does)."""
        return self._save()


def project_charter(
    *,
    workbook: Workbook | None,
    module: str,
    key: str,
    aim_from: tuple[str, str] | None = ("05", "aim_equity"),
) -> ProjectCharter:
    """The project charter: five text boxes, checked and saved to the workbook as one answer.

    *Save charter* checks the charter with :func:`check_charter` (the aim with module 05's
    aim checker) and saves ``{heading: text}`` to the workbook, where the exported report shows
    it as a table. Reopening the notebook pre-fills the boxes; an empty aim box is pre-filled
    with the aim saved in module 05 (``aim_from``), if there is one.

    Parameters
    ----------
    workbook : Workbook or None
        Where to save (None: nothing is saved).
    module, key : str
        Where in the workbook.
    aim_from : (module, key), optional
        A saved aim to start from.

    Returns
    -------
    ProjectCharter

    Example
    -------
    >>> import tempfile, pathlib
    >>> from helpers.workbook import Workbook
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     wb = Workbook(pathlib.Path(tmp) / "wb.json")
    ...     c = project_charter(workbook=wb, module="09", key="charter")
    ...     c.boxes["team"].value = "Clinic manager (sponsor), two nurses, a community health worker"
    ...     _ = c.save()
    ...     wb.get("09", "charter")["Team"]
    'Clinic manager (sponsor), two nurses, a community health worker'
    """
    slot = AnswerSlot.of(workbook, module, key, label="Project charter")
    title = widgets.HTML(
        '<p class="pe-question"><strong>Your team\'s project charter.</strong> Write each part, then '
        "press <em>Save charter</em>.</p>"
    )
    privacy = widgets.HTML(f'<p class="pe-privacy"><em>{esc(PRIVACY_NOTE)}</em></p>')
    boxes: dict[str, widgets.Textarea] = {}
    rows: list[widgets.Widget] = []
    for part, (heading, prompt) in CHARTER_FIELDS.items():
        boxes[part] = widgets.Textarea(
            value="",
            placeholder=prompt,
            rows=3,
            continuous_update=False,
            layout=widgets.Layout(width="95%"),
        )
        rows += [widgets.HTML(f"<strong>{esc(heading)}</strong>"), boxes[part]]
    save_button = widgets.Button(description="Save charter", layout=widgets.Layout(width="auto"))
    feedback = widgets.HTML("")
    saved = widgets.HTML("")

    previous = slot.restore(lambda value: isinstance(value, dict))
    if previous is not None:
        headings = {h: k for k, (h, _) in CHARTER_FIELDS.items()}
        for heading, text in previous.items():
            if heading in headings and isinstance(text, str):
                boxes[headings[heading]].value = text
        saved.value = restored_note("charter")
    if not boxes["aim"].value and aim_from is not None:
        earlier = slot.restore_from(*aim_from)
        if isinstance(earlier, str) and earlier.strip():
            boxes["aim"].value = earlier.strip()

    def save() -> CharterCheck:
        result = check_charter({part: box.value for part, box in boxes.items()})
        feedback.value = result.feedback().to_html()
        if slot.saving and any(result.charter.values()):
            saved.value = slot.save(result.charter)
        return result

    save_button.on_click(lambda _b: save())
    box = exercise_box([title, privacy, *rows, save_button, feedback, saved])
    static_html = charter_card(saving=slot.saving)
    ex = ProjectCharter(
        box,
        static_html=static_html,
        static_text="Project charter: " + ", ".join(h for h, _ in CHARTER_FIELDS.values()),
        check=check_charter,
    )
    ex.boxes, ex.save_button, ex.feedback, ex.saved = boxes, save_button, feedback, saved
    ex._save = save
    return ex


def charter_card(*, saving: bool = False) -> str:
    """The static card of the project charter (pure: inputs → HTML).

    What the live exercise does, each part's heading and prompt (:data:`CHARTER_FIELDS`), the
    privacy note; then the run note.

    Example
    -------
    >>> card = charter_card()
    >>> card.count("<dt>") == len(CHARTER_FIELDS), "Save charter" in card
    (True, True)
    """
    items = "".join(
        f"<dt><strong>{esc(heading)}</strong></dt><dd>{esc(prompt)}</dd>"
        for heading, prompt in CHARTER_FIELDS.values()
    )
    return static_card(
        "charter",
        None,
        "<p><strong>Your team's project charter.</strong> In JupyterLab, a text box for each part; "
        "<em>Save charter</em> checks it (the aim with module 05's aim checker) and saves it to your "
        f"workbook.</p>\n<dl>{items}</dl>\n"
        f'<p class="pe-privacy"><em>{esc(PRIVACY_NOTE)}</em></p>',
        saving=saving,
    )
