"""The equity aim statement builder: is the aim specific, measurable, time-bound, and fair?

An equity aim answers the Model for Improvement's first question ("What are we trying to
accomplish?") for a gap between groups. A good one reads like

    Narrow the gap in blood-pressure control between patients who prefer Spanish and patients
    who prefer English (the reference group) from 12 to 6 percentage points by December 2025;
    no group gets worse.

:func:`check_aim_statement` (pure) looks for the five elements such an aim needs and explains
each one that is missing; :func:`aim_statement_builder` is the widget, a text box with a
checklist that updates as the participant types.

The five elements
    ``measure``: names what is measured (blood-pressure control, screening, ...);
    ``numbers``: a baseline and a target (two numbers, e.g. "from 12 to 6 points");
    ``date``: by when (a year, e.g. "by December 2025");
    ``groups``: the group with the gap and the reference group it is compared with;
    ``guard``: a "no group gets worse" guard, so that a gap cannot be narrowed by letting the
    reference group's care slip.

The checks are deliberately simple word patterns: they coach the writing of an aim, they do not
judge whether the aim is wise. A team can extend the words it recognises with ``measures=`` and
``groups=``.

References
----------
Langley GJ, Moen RD, Nolan KM, Nolan TW, Norman CL, Provost LP. *The Improvement Guide: A
Practical Approach to Enhancing Organizational Performance.* 2nd ed. San Francisco: Jossey-Bass;
2009 (the Model for Improvement and its aim statements).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from helpers._docs import share_docs
from helpers.exercises._base import Exercise, Feedback, esc, exercise_box, toggle_button
from helpers.exercises._cards import static_card
from helpers.exercises._docs import EXERCISE_DOCS, exercise_docs
from helpers.exercises._slot import AnswerSlot, restored_note

if TYPE_CHECKING:  # pragma: no cover
    from helpers.workbook import Workbook

__all__ = [
    "AIM_ELEMENTS",
    "AIM_TEMPLATE",
    "AimCheck",
    "AimStatementBuilder",
    "aim_statement_builder",
    "check_aim_statement",
]

AIM_ELEMENTS: dict[str, str] = {
    "measure": "names the measure",
    "numbers": "gives a baseline and a target",
    "date": "says by when",
    "groups": "names the group and the reference group",
    "guard": "says no group gets worse",
}
"""The five elements of an equity aim, in the order they are checked, with a short label."""

AIM_TEMPLATE = (
    "Narrow the gap in [measure] between [group] and [reference group] from [baseline] to [target] "
    "percentage points by [month year]; no group gets worse."
)
"""A fill-in-the-blanks equity aim (the builder's "Start from the template" button)."""

MEASURE_WORDS: tuple[str, ...] = (
    "blood pressure", "blood-pressure", "hypertension", "bp", "control*", "hba1c", "a1c",
    "diabetes", "screen*", "mammogra*", "colonoscop*", "vaccin*", "immuni*", "readmission*",
    "infection*", "mortality", "death*", "wait time*", "waiting time*", "no-show*",
    "follow-up*", "visit*", "prenatal", "postpartum", "depression", "pain", "falls",
    "pressure injur*", "sepsis", "length of stay", "experience score*",
)  # fmt: skip
"""Words that name a measure (lower case; whole words, or word stems where marked ``*``)."""

GROUP_WORDS: tuple[str, ...] = (
    "american indian or alaska native", "native hawaiian or other pacific islander",
    "american indian", "alaska native", "aian", "asian", "black", "african american", "white",
    "hispanic", "latino", "latina", "latinx", "latine", "native hawaiian", "pacific islander",
    "nhpi", "multiracial", "more than one race", "middle eastern", "north african",
    "spanish", "english", "chinese", "mandarin", "cantonese", "vietnamese", "haitian creole",
    "creole", "arabic", "russian", "portuguese", "somali", "sign language", "asl",
    "limited english", "interpreter*", "medicaid", "medicare", "uninsured", "commercial insurance",
    "privately insured", "rural", "urban", "women", "men", "transgender", "nonbinary",
    "lesbian", "gay", "bisexual", "lgbtq*", "disabilit*", "deprived", "low-income", "low income",
    "high-income", "high income", "veterans", "older adults", "younger adults",
    "african-american",
)  # fmt: skip
"""Words that name a group of patients (lower case; whole words, or word stems where marked ``*``)."""

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_DATE_PATTERNS = (
    re.compile(r"\b\d{4}-\d{1,2}(-\d{1,2})?\b"),  # 2025-12-31, 2025-12
    re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b"),  # 12/31/2025
    re.compile(r"\b\d{1,2}/\d{4}\b"),  # 12/2025
    re.compile(
        rf"\b(\d{{1,2}}(st|nd|rd|th)?\s+)?({_MONTHS})\.?\s+(\d{{1,2}}(st|nd|rd|th)?,?\s+)?(19|20)\d{{2}}\b"
    ),
    re.compile(r"\b(q[1-4]|quarter [1-4]|fy|fiscal year)\s*(19|20)\d{2}\b"),
    re.compile(r"\b(19|20)\d{2}\b"),  # a bare year
)
_NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?!\w)")
_FROM_TO = re.compile(
    r"\bfrom\s+(\d+(?:\.\d+)?)\s*(?:%|percent|percentage points?|points?|pp)?\s+to\s+(\d+(?:\.\d+)?)"
)
_WORSE = r"(worse|fall|falls|drop|drops|declines?|decreases?|lower|loses?|slips?|left behind)"
_HOLDS = (
    r"(improves?|improving|improvement|stays?|holds?|maintain\w*|at least|no worse|not worse"
    r"|does not fall|do not fall|rises?)"
)
_GUARD_PATTERNS = tuple(
    re.compile(pattern)
    for pattern in (
        # "no group gets worse", "no patient group's rate falls"
        r"\bno\s+(\w+[\s-]+){0,6}?(group|one|patients?|population)\b[^.;]{0,60}?\b" + _WORSE + r"\b",
        # "without any group getting worse"
        r"\bwithout\s+(any|a|the)\s+(\w+[\s-]+){0,6}?(group|patients?|population)\b[^.;]{0,60}?\b"
        r"(worse|falling|dropping|declin\w*|decreas\w*|losing|slipping)\b",
        # "every group improves", "all groups stay at least where they are"
        r"\b(every|each|all)\s+(\w+[\s-]+){0,4}?groups?\b[^.;]{0,60}?\b" + _HOLDS + r"\b",
        # "no decline for any group"
        r"\b(no|not any)\s+(\w+[\s-]+){0,3}?(decline|decrease|drop|fall|worsening)\s+(in|for)\s+(any|a)\b",
        # "control does not fall for any group"
        r"\b(does not|do not|doesn't|don't|won't|will not|must not|should not)\s+"
        r"(fall|drop|decline|decrease|get worse|worsen)\s+(in|for)\s+any\b",
        # "control holds or rises for every group"
        r"\b(improves?|improving|holds?|holding|maintain\w*|rises?|no decline|no decrease|no worse)\b"
        r"[^.;]{0,60}?\b(every|each|all|any)\s+(\w+[\s-]+){0,3}?groups?\b",
    )
)

_MESSAGES = {
    "measure": (
        "Name the measure: say what will improve (for example 'blood-pressure control' or "
        "'colorectal cancer screening'), so that everyone counts the same thing."
    ),
    "numbers": (
        "Give a baseline and a target: where the gap is now and where you aim to take it, "
        "for example 'from 12 to 6 percentage points'. Without numbers no one can tell whether "
        "a change is an improvement."
    ),
    "numbers_one": (
        "Only one number found: give both the baseline (where the gap is now) and the target "
        "(where you aim to take it), for example 'from 12 to 6 percentage points'."
    ),
    "numbers_same": (
        "The baseline and the target are the same number: the target should say how much the gap will narrow."
    ),
    "date": (
        "Say by when, with a month and year (for example 'by December 2025'). A date turns a "
        "wish into a plan and tells the team when to judge the result."
    ),
    "groups_none": (
        "Name the groups: the group the system serves less well and the reference group it is "
        "compared with (for example 'between patients who prefer Spanish and patients who "
        "prefer English')."
    ),
    "groups_one": (
        "Name the reference group as well (only {found} found): a gap is always between two "
        "groups, and the reference group must be said, never assumed."
    ),
    "guard": (
        "Add a guard such as 'no group gets worse'. A gap can narrow because the reference "
        "group's care slips; that is not improvement. Say that every group's rate must hold "
        "or rise."
    ),
}


@dataclass(frozen=True)
class AimCheck:
    """The result of :func:`check_aim_statement`.

    Attributes
    ----------
    text : str
        The aim as checked (surrounding whitespace removed).
    found : dict
        ``{element: bool}`` for every element of ``AIM_ELEMENTS``, in that order.
    problems : dict
        ``{element: message}`` for every missing element: what to add and why.
    groups : list of str
        The group words recognised, in the order they appear.
    numbers : list of float
        The numbers recognised as baseline/target candidates (dates left out).

    Example
    -------
    >>> check = check_aim_statement("Raise screening for Black patients by 2026")
    >>> check.complete, [e for e, ok in check.found.items() if not ok]
    (False, ['numbers', 'groups', 'guard'])
    """

    text: str
    found: dict[str, bool]
    problems: dict[str, str]
    groups: list[str] = field(default_factory=list)
    numbers: list[float] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """True when every element is there."""
        return not self.problems

    def feedback(self) -> Feedback:
        """The check as one :class:`~helpers.exercises.Feedback` (the first missing element first).

        Example
        -------
        >>> check_aim_statement("").feedback().valid
        False
        """
        if not self.text:
            return Feedback(False, "Write your aim in the box first.", valid=False)
        if self.complete:
            return Feedback(
                True,
                "Your aim names the measure, the group and the reference group, gives a baseline, "
                "a target and a date, and guards against any group getting worse.",
            )
        missing = len(self.problems)
        head = f"{missing} of {len(AIM_ELEMENTS)} elements still missing. "
        return Feedback(False, head + " ".join(self.problems.values()))


def _words_found(text: str, words: Iterable[str]) -> list[str]:
    """Words from ``words`` found in ``text`` (whole words; ``stem*`` as a word start), in order
    of appearance, without repeats. "non-Hispanic" does not count as "Hispanic"."""
    hits: list[tuple[int, str]] = []
    taken: list[tuple[int, int]] = []
    for word in sorted({w.strip().lower() for w in words if w and w.strip()}, key=len, reverse=True):
        stem = word.endswith("*")
        body = word.rstrip("*")
        pattern = r"(?<!\w)(?<!non-)" + re.escape(body) + ("" if stem else r"(?!\w)")
        for match in re.finditer(pattern, text):
            start, end = match.span()
            if any(start < b and a < end for a, b in taken):  # inside a longer word already found
                continue
            taken.append((start, end))
            hits.append((start, body))
    seen: list[str] = []
    for _, word in sorted(hits):
        if word not in seen:
            seen.append(word)
    return seen


def _strip_dates(text: str) -> tuple[str, bool]:
    found = False
    for pattern in _DATE_PATTERNS:
        text, n = pattern.subn(" ", text)
        found = found or n > 0
    return text, found


def check_aim_statement(
    text: str | None,
    *,
    measures: Iterable[str] | None = None,
    groups: Iterable[str] | None = None,
) -> AimCheck:
    """Check an equity aim for its five elements and explain each one that is missing.

    Parameters
    ----------
    text : str or None
        The aim statement.
    measures : iterable of str, optional
        Extra words that name a measure (added to ``MEASURE_WORDS``).
    groups : iterable of str, optional
        Extra words that name a group (added to ``GROUP_WORDS``), e.g. a neighbourhood.

    Returns
    -------
    AimCheck
        ``found`` per element, ``problems`` (element → message) for the missing ones, and
        ``feedback()`` for the widget. Never raises on odd input: ``None`` or an empty text
        gives every element missing and an invalid feedback.

    Notes
    -----
    The elements (``AIM_ELEMENTS``):

    * *measure*: a measure word (blood-pressure control, screening, HbA1c, ...);
    * *numbers*: at least two numbers that are not part of a date (a baseline and a target);
      if the aim says "from X to Y", X and Y must differ;
    * *date*: a year (``2025``, ``December 2025``, ``2025-12-31``, ``12/2025``, ``Q4 2025``);
    * *groups*: at least two different group words (the group and the reference group);
    * *guard*: a phrase such as "no group gets worse", "without any group's rate falling" or
      "every group improves".

    Examples
    --------
    >>> aim = ("Narrow the gap in blood-pressure control between patients who prefer Spanish and "
    ...        "patients who prefer English from 12 to 6 percentage points by December 2025; "
    ...        "no group gets worse.")
    >>> check_aim_statement(aim).complete
    True
    >>> check = check_aim_statement("Improve blood-pressure control for Spanish speakers by June 2025.")
    >>> for element, message in check.problems.items():
    ...     print(element, "->", message[:60])
    numbers -> Give a baseline and a target: where the gap is now and where
    groups -> Name the reference group as well (only spanish found): a gap
    guard -> Add a guard such as 'no group gets worse'. A gap can narrow
    """
    raw = "" if text is None else str(text).strip()
    lowered = " ".join(raw.lower().replace("’", "'").split())
    problems: dict[str, str] = {}

    measure_words = list(MEASURE_WORDS) + [m.lower() for m in (measures or [])]
    if not _words_found(lowered, measure_words):
        problems["measure"] = _MESSAGES["measure"]

    undated, has_date = _strip_dates(lowered)
    numbers = [float(m.group(0)) for m in _NUMBER.finditer(undated)]
    from_to = _FROM_TO.search(undated)
    if len(numbers) == 0:
        problems["numbers"] = _MESSAGES["numbers"]
    elif len(numbers) == 1:
        problems["numbers"] = _MESSAGES["numbers_one"]
    elif from_to and float(from_to.group(1)) == float(from_to.group(2)):
        problems["numbers"] = _MESSAGES["numbers_same"]

    if not has_date:
        problems["date"] = _MESSAGES["date"]

    group_words = list(GROUP_WORDS) + [g.lower() for g in (groups or [])]
    found_groups = _words_found(lowered, group_words)
    if not found_groups:
        problems["groups"] = _MESSAGES["groups_none"]
    elif len(found_groups) == 1:
        problems["groups"] = _MESSAGES["groups_one"].format(found=found_groups[0])

    if not any(p.search(lowered) for p in _GUARD_PATTERNS):
        problems["guard"] = _MESSAGES["guard"]

    ordered = {e: problems[e] for e in AIM_ELEMENTS if e in problems}
    return AimCheck(
        text=raw,
        found={e: e not in ordered for e in AIM_ELEMENTS},
        problems=ordered,
        groups=found_groups,
        numbers=numbers,
    )


def aim_checklist_html(check: AimCheck) -> str:
    """The checklist as HTML: one line per element, ✔ or ✘ (never colour alone) and why.

    Example
    -------
    >>> html = aim_checklist_html(check_aim_statement("Raise screening by 2026"))
    >>> html.count("✔"), html.count("✘")
    (2, 3)
    """
    items = []
    for element, label in AIM_ELEMENTS.items():
        if check.found[element]:
            items.append(f'<li class="pe-aim-ok">✔ The aim {esc(label)}.</li>')
        else:
            items.append(
                f'<li class="pe-aim-missing">✘ <strong>Missing: it {esc(label)}.</strong> '
                f"{esc(check.problems[element])}</li>"
            )
    return f'<div role="status"><ul class="pe-aim-checklist">{"".join(items)}</ul></div>'


class AimStatementBuilder(Exercise):
    """The equity aim builder (returned by :func:`aim_statement_builder`).

    Attributes
    ----------
    text : ipywidgets.Textarea
        The aim; set ``.text.value`` to answer (as typing does).
    template_button : ipywidgets.Button
        "Start from the template": fills the box with ``AIM_TEMPLATE`` when it is empty.
    checklist : ipywidgets.HTML
        The five elements, each ✔ or ✘ with what to add and why.
    feedback : ipywidgets.HTML
        The overall verdict.
    """

    kind = "aim-statement"
    text: widgets.Textarea
    template_button: widgets.Button
    checklist: widgets.HTML
    feedback: widgets.HTML
    saved: widgets.HTML


@share_docs(exercise=exercise_docs("the aim text as it is typed"))
def aim_statement_builder(
    *,
    example: str | None = None,
    measures: Iterable[str] | None = None,
    groups: Iterable[str] | None = None,
    title: str = "Write your team's equity aim",
    workbook: Workbook | None = None,
    module: str | None = None,
    key: str | None = None,
) -> AimStatementBuilder:
    """A text box for an equity aim with a checklist that explains each missing element as you type.

    Parameters
    ----------
    example : str, optional
        A worked example aim, shown (with its checklist) in the static view of the published
        book and offered in JupyterLab under "Show a worked example".
    measures, groups : iterable of str, optional
        Extra measure and group words for :func:`check_aim_statement`.
    title : str
        The heading.
    {exercise.slot}

    Returns
    -------
    AimStatementBuilder

    Example
    -------
    >>> b = aim_statement_builder()
    >>> b.text.value = "Raise HbA1c control for Black patients from 60% to 70% by June 2026"
    >>> "Missing: it names the group and the reference group" in b.checklist.value
    True
    >>> b.check(b.text.value).found["numbers"]
    True
    """
    slot = AnswerSlot.of(workbook, module, key, label=title)
    extra_measures = list(measures or [])
    extra_groups = list(groups or [])

    def check(aim: str | None) -> AimCheck:
        return check_aim_statement(aim, measures=extra_measures, groups=extra_groups)

    if example is not None and not check(example).complete:
        missing = ", ".join(check(example).problems)
        raise ValueError(f"the worked example aim is missing: {missing}; give a complete example")

    heading = widgets.HTML(
        f'<p class="pe-question"><strong>{esc(title)}</strong></p>'
        "<p>Write one or two sentences. The checklist below updates as you type and says what "
        "each missing element is for.</p>"
    )
    text = widgets.Textarea(
        value="",
        placeholder=AIM_TEMPLATE,
        description="Aim:",
        continuous_update=True,
        rows=4,
        style={"description_width": "initial"},
        layout=widgets.Layout(width="95%"),
    )
    template_button = widgets.Button(
        description="Start from the template",
        tooltip="Fill the box with a fill-in-the-blanks aim",
        layout=widgets.Layout(width="auto"),
    )
    checklist = widgets.HTML(aim_checklist_html(check("")))
    feedback = widgets.HTML("")
    saved = widgets.HTML("")
    controls: list[widgets.Widget] = [template_button]
    extras: list[widgets.Widget] = []
    if example is not None:
        example_box = widgets.HTML(
            f'<div class="pe-solution"><strong>Worked example:</strong> {esc(example)}</div>'
        )
        controls.append(toggle_button("Show a worked example", example_box, shown_label="Hide the example"))
        extras.append(example_box)

    def show(value: str) -> None:
        result = check(value)
        checklist.value = aim_checklist_html(result)
        feedback.value = result.feedback().to_html() if value.strip() else ""

    def on_change(change: dict[str, Any]) -> None:
        show(change["new"])
        if slot.saving:
            saved.value = slot.save(change["new"])

    def on_template(_: widgets.Button) -> None:
        if not text.value.strip():
            text.value = AIM_TEMPLATE

    previous = slot.restore(lambda value: isinstance(value, str) and bool(value.strip()))
    if previous is not None:
        text.value = previous
        show(previous)
        saved.value = restored_note("aim")
    text.observe(on_change, names="value")
    template_button.on_click(on_template)
    box = exercise_box([heading, text, widgets.HBox(controls), *extras, checklist, feedback, saved])

    ex = AimStatementBuilder(
        box,
        static_html=aim_card(
            title, example=example, measures=extra_measures, groups=extra_groups, saving=slot.saving
        ),
        static_text=f"Aim builder: {title}",
        check=check,
    )
    ex.text, ex.template_button, ex.checklist, ex.feedback, ex.saved = (
        text,
        template_button,
        checklist,
        feedback,
        saved,
    )
    return ex


@share_docs(exercise=EXERCISE_DOCS)
def aim_card(
    title: str,
    *,
    example: str | None = None,
    measures: Iterable[str] = (),
    groups: Iterable[str] = (),
    saving: bool = False,
) -> str:
    """The static card of the aim builder (pure: inputs → HTML).

    The five elements of an equity aim, the template, and a worked example with its checklist
    (when given); then the run note.

    Parameters
    ----------
    title : str
        The heading.
    example : str, optional
        A worked example, shown with its checklist (:func:`check_aim_statement`).
    measures, groups : iterable of str
        Extra measure and group words for the example's checklist.
    {exercise.card}

    Example
    -------
    >>> card = aim_card("Write your aim")
    >>> card.count("<li>It "), "Template: <em>" in card
    (5, True)
    """
    elements = "".join(f"<li>It {esc(label)}.</li>" for label in AIM_ELEMENTS.values())
    extras = []
    if example is not None:
        checked = check_aim_statement(example, measures=list(measures), groups=list(groups))
        extras.append(
            f"<p><strong>Worked example:</strong> {esc(example)}</p>\n" + aim_checklist_html(checked)
        )
    return static_card(
        "aim-statement",
        f"<strong>Aim builder:</strong> {esc(title)}",
        f"<p>An equity aim has five elements:</p><ol>{elements}</ol>"
        f"<p>Template: <em>{esc(AIM_TEMPLATE)}</em></p>",
        saving=saving,
        extras=extras,
    )
