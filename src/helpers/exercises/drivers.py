"""The driver diagram builder: aim → primary drivers → secondary drivers → change ideas.

A team types its theory of change as an indented outline; :func:`parse_driver_outline` (pure)
reads it, :func:`driver_diagram_spec` (pure) validates it into a plain dict, and
:func:`driver_diagram_builder` is the widget, which draws :func:`helpers.plots.driver_diagram`.

Outline format (two spaces or a tab per level; a bullet ``-``/``*``/``•`` is allowed, and doubled
bullets such as ``--`` also go one level deeper)::

    Reliable BP measurement            <- primary driver (no indent)
      Staff trained in technique       <- secondary driver (one level in)
        Monthly skills check           <- change idea (two levels in)
      Validated cuffs in every room

References
----------
Bennett B, Provost L. What's your theory? Driver diagram serves as tool for building and
testing theories for improvement. *Quality Progress.* 2015;48(7):36–43.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from helpers._docs import share_docs
from helpers.exercises._base import Exercise, esc, exercise_box
from helpers.exercises._cards import static_card
from helpers.exercises._docs import EXERCISE_DOCS, exercise_docs
from helpers.exercises._figures import LatestChart, RenderedFigure, render_figure
from helpers.exercises._slot import AnswerSlot, restored_note

if TYPE_CHECKING:  # pragma: no cover
    from helpers.workbook import Workbook

__all__ = [
    "DriverDiagramBuilder",
    "driver_diagram_builder",
    "driver_diagram_problems",
    "driver_diagram_spec",
    "parse_driver_outline",
]

_BULLET = re.compile(r"^[-*•·]\s*")


def _level(raw: str, line_no: int) -> tuple[int, str]:
    expanded = raw.replace("\t", "  ")
    indent = len(expanded) - len(expanded.lstrip(" "))
    text = expanded.strip()
    bullets = 0
    while _BULLET.match(text):  # "- - idea" or "-- idea" count as deeper levels too
        text = _BULLET.sub("", text, count=1)
        bullets += 1
    level = indent // 2 + max(bullets - 1, 0)
    if level > 2:
        raise ValueError(
            f"line {line_no} ({text!r}) is indented {level} levels; use 0 for a primary driver, "
            "1 for a secondary driver and 2 for a change idea"
        )
    return level, text


def parse_driver_outline(text: str) -> list[dict[str, Any]]:
    """Read an indented outline into primary drivers, secondary drivers and change ideas.

    Parameters
    ----------
    text : str
        One item per line; indentation (2 spaces or a tab per level, or extra bullets) gives
        the level: 0 = primary driver, 1 = secondary driver, 2 = change idea. Blank lines
        are ignored.

    Returns
    -------
    list of dict
        ``[{"driver": str, "secondary": [{"driver": str, "changes": [str, ...]}, ...]}, ...]``.

    Raises
    ------
    ValueError
        When a line is indented deeper than a change idea, or a secondary driver / change
        idea comes before anything it could belong to (the message names the line).

    Example
    -------
    >>> parse_driver_outline('''
    ... Reliable measurement
    ...   Trained staff
    ...     Monthly skills check
    ... Outreach
    ... ''')  # doctest: +NORMALIZE_WHITESPACE
    [{'driver': 'Reliable measurement',
      'secondary': [{'driver': 'Trained staff', 'changes': ['Monthly skills check']}]},
     {'driver': 'Outreach', 'secondary': []}]
    """
    primaries: list[dict[str, Any]] = []
    for line_no, raw in enumerate(str(text).splitlines(), start=1):
        if not raw.strip():
            continue
        level, item = _level(raw, line_no)
        if not item:
            continue
        if level == 0:
            primaries.append({"driver": item, "secondary": []})
        elif level == 1:
            if not primaries:
                raise ValueError(
                    f"line {line_no} ({item!r}) is a secondary driver with no primary driver above it"
                )
            primaries[-1]["secondary"].append({"driver": item, "changes": []})
        else:
            if not primaries or not primaries[-1]["secondary"]:
                raise ValueError(
                    f"line {line_no} ({item!r}) is a change idea with no secondary driver above it"
                )
            primaries[-1]["secondary"][-1]["changes"].append(item)
    return primaries


def driver_diagram_spec(aim: str, drivers: str | Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Validate an aim and its drivers into the plain structure a driver diagram is drawn from.

    Parameters
    ----------
    aim : str
        The aim statement (what, for whom, by how much, by when).
    drivers : str or sequence of mapping
        An outline (see :func:`parse_driver_outline`) or the parsed structure.

    Returns
    -------
    dict
        ``{"aim": str, "primary": [{"driver", "secondary": [{"driver", "changes"}]}]}``,
        with surrounding whitespace stripped.

    Raises
    ------
    ValueError
        If the aim is empty, there is no primary driver, or an entry is empty or malformed.

    Example
    -------
    >>> spec = driver_diagram_spec("Close the BP-control gap for Black patients by 50% by Dec 2026",
    ...                            "Outreach\\n  Language-concordant calls\\n    Spanish-speaking call team")
    >>> spec["primary"][0]["secondary"][0]["changes"]
    ['Spanish-speaking call team']
    """
    if not isinstance(aim, str) or not aim.strip():
        raise ValueError("write the aim first: what will improve, for whom, by how much, by when")
    parsed = parse_driver_outline(drivers) if isinstance(drivers, str) else list(drivers)
    if not parsed:
        raise ValueError("add at least one primary driver (a line with no indent)")
    primary = []
    for i, p in enumerate(parsed, start=1):
        if not isinstance(p, Mapping) or not str(p.get("driver", "")).strip():
            raise ValueError(f"primary driver {i} has no text")
        secondary = []
        for j, s in enumerate(p.get("secondary", []) or [], start=1):
            if not isinstance(s, Mapping) or not str(s.get("driver", "")).strip():
                raise ValueError(f"secondary driver {j} under primary driver {i} has no text")
            changes = [str(c).strip() for c in (s.get("changes", []) or [])]
            if any(not c for c in changes):
                raise ValueError(f"an empty change idea under secondary driver {j} of primary driver {i}")
            secondary.append({"driver": str(s["driver"]).strip(), "changes": changes})
        primary.append({"driver": str(p["driver"]).strip(), "secondary": secondary})
    return {"aim": aim.strip(), "primary": primary}


def driver_diagram_problems(spec: Mapping[str, Any]) -> list[str]:
    """Coaching notes on a valid spec: drivers with nothing under them, a vague aim.

    Example
    -------
    >>> for note in driver_diagram_problems(driver_diagram_spec("Better care", "Outreach")):
    ...     print(note)
    The aim has no number or date: say by how much and by when.
    Primary driver 'Outreach' has no secondary drivers yet.
    """
    notes = []
    if not re.search(r"\d", spec["aim"]):
        notes.append("The aim has no number or date: say by how much and by when.")
    for p in spec["primary"]:
        if not p["secondary"]:
            notes.append(f"Primary driver {p['driver']!r} has no secondary drivers yet.")
        for s in p["secondary"]:
            if not s["changes"]:
                notes.append(f"Secondary driver {s['driver']!r} has no change ideas yet.")
    return notes


def _outline_html(spec: Mapping[str, Any]) -> str:
    """The diagram as nested lists (also the screen-reader version of the figure)."""

    def items(values: Sequence[str]) -> str:
        return "".join(f"<li>Change idea: {esc(v)}</li>" for v in values)

    primaries = "".join(
        f"<li>Primary driver: {esc(p['driver'])}"
        + (
            "<ul>"
            + "".join(
                f"<li>Secondary driver: {esc(s['driver'])}"
                + (f"<ul>{items(s['changes'])}</ul>" if s["changes"] else "")
                + "</li>"
                for s in p["secondary"]
            )
            + "</ul>"
            if p["secondary"]
            else ""
        )
        + "</li>"
        for p in spec["primary"]
    )
    return f'<ul class="pe-driver-outline"><li>Aim: {esc(spec["aim"])}<ul>{primaries}</ul></li></ul>'


def _diagram_image(spec: Mapping[str, Any]) -> RenderedFigure:
    """The diagram, drawn and rendered once (shown on the page and saved to the workbook)."""
    from helpers.plots import driver_diagram

    return render_figure(driver_diagram(spec), f"Driver diagram for the aim: {spec['aim']}")


def _notes_html(notes: Sequence[str]) -> str:
    """What the diagram still lacks (:func:`driver_diagram_problems`), as a status list."""
    if not notes:
        return ""
    items = "".join(f"<li>{esc(n)}</li>" for n in notes)
    return f'<div class="pe-feedback" role="status"><ul>{items}</ul></div>'


class DriverDiagramBuilder(Exercise):
    """The driver diagram builder (returned by :func:`driver_diagram_builder`).

    Attributes
    ----------
    aim : ipywidgets.Textarea
        The aim statement.
    outline : ipywidgets.Textarea
        Drivers and change ideas as an indented outline.
    draw_button : ipywidgets.Button
        "Draw diagram".
    output : ipywidgets.HTML
        The diagram (or what to fix).
    """

    kind = "driver-diagram"
    aim: widgets.Textarea
    outline: widgets.Textarea
    draw_button: widgets.Button
    output: widgets.HTML
    status: widgets.HTML


@share_docs(
    exercise=exercise_docs('``{"aim", "outline"}`` as typed, and the drawn diagram (as ``<key>_diagram``)')
)
def driver_diagram_builder(
    *,
    example_aim: str | None = None,
    example_outline: str | None = None,
    title: str = "Build your driver diagram",
    workbook: Workbook | None = None,
    module: str | None = None,
    key: str | None = None,
) -> DriverDiagramBuilder:
    """Type an aim and an indented outline of drivers and change ideas; draw the diagram.

    Parameters
    ----------
    example_aim, example_outline : str, optional
        A worked example: drawn in the static view (published book) and shown as the
        placeholder text in JupyterLab.
    title : str
        The heading.
    {exercise.slot}

    Returns
    -------
    DriverDiagramBuilder

    Example
    -------
    >>> b = driver_diagram_builder()
    >>> b.aim.value = "Raise BP control for Black patients from 41% to 55% by Dec 2026"
    >>> b.outline.value = "Outreach\\n  Calls in the patient's language"
    >>> b.check(b.aim.value, b.outline.value)["primary"][0]["driver"]
    'Outreach'
    """
    slot = AnswerSlot.of(workbook, module, key, label=title)
    style = {"description_width": "initial"}
    aim = widgets.Textarea(
        description="Aim:",
        placeholder=example_aim or "What will improve, for whom, by how much, by when?",
        continuous_update=False,
        rows=2,
        style=style,
        layout=widgets.Layout(width="95%"),
    )
    outline = widgets.Textarea(
        description="Drivers and change ideas:",
        placeholder=example_outline
        or "Primary driver\n  Secondary driver (indent 2 spaces)\n    Change idea (indent 4 spaces)",
        continuous_update=False,
        rows=10,
        style=style,
        layout=widgets.Layout(width="95%"),
    )
    draw_button = widgets.Button(
        description="Draw diagram", tooltip="Draw the driver diagram", layout=widgets.Layout(width="auto")
    )
    output = widgets.HTML("")
    status = widgets.HTML("")

    def build(aim_text: str, outline_text: str) -> dict[str, Any]:
        return driver_diagram_spec(aim_text, outline_text)

    def on_text(_: Any) -> None:
        if slot.saving:
            status.value = slot.save({"aim": aim.value, "outline": outline.value})

    charts = LatestChart()

    def on_draw(_: widgets.Button) -> None:
        try:
            spec = build(aim.value, outline.value)
        except ValueError as exc:
            output.value = f'<div class="pe-feedback pe-invalid" role="alert">ℹ {esc(exc)}</div>'
            return
        notes = _notes_html(driver_diagram_problems(spec))
        output.value = notes  # what to fix at once; the diagram follows once it is drawn

        def draw() -> None:
            diagram = _diagram_image(spec)
            output.value = diagram.to_html() + notes
            failed = slot.save_figure("diagram", diagram, what="Diagram")
            if failed:
                status.value = failed

        charts.show(draw)

    previous = slot.restore(lambda value: isinstance(value, dict))
    if previous is not None:
        aim.value = str(previous.get("aim", "") or "")
        outline.value = str(previous.get("outline", "") or "")
        status.value = restored_note("diagram text")
    aim.observe(on_text, names="value")
    outline.observe(on_text, names="value")
    draw_button.on_click(on_draw)
    box = exercise_box(
        [
            widgets.HTML(
                f'<p class="pe-question"><strong>{esc(title)}</strong></p>'
                "<p>Write the aim, then one driver or idea per line: no indent for a primary driver, "
                "2 spaces for a secondary driver, 4 spaces for a change idea.</p>"
            ),
            aim,
            outline,
            draw_button,
            output,
            status,
        ],
    )

    example = None
    if example_aim and example_outline:
        spec = driver_diagram_spec(example_aim, example_outline)
        example = (spec, _diagram_image(spec))
    static_html = driver_diagram_card(title, example=example, saving=slot.saving)
    ex = DriverDiagramBuilder(
        box,
        static_html=static_html,
        static_text=f"Driver diagram: {title}",
        check=build,
    )
    ex.aim, ex.outline, ex.draw_button, ex.output, ex.status = aim, outline, draw_button, output, status
    return ex


@share_docs(exercise=EXERCISE_DOCS)
def driver_diagram_card(
    title: str = "Build your driver diagram",
    *,
    example: tuple[Mapping[str, Any], RenderedFigure] | None = None,
    saving: bool = False,
) -> str:
    """The static card of the driver diagram builder (pure: inputs → HTML).

    What to write, and a worked example (when given): its diagram and the same diagram as nested
    lists (the screen-reader version); then the run note.

    Parameters
    ----------
    title : str
        The heading.
    example : (spec, RenderedFigure), optional
        A worked example's :func:`driver_diagram_spec` and its rendered diagram.
    {exercise.card}

    Example
    -------
    >>> spec = driver_diagram_spec("Raise BP control", "Outreach\\n  Calls")
    >>> card = driver_diagram_card(example=(spec, RenderedFigure(b"\\x89PNG", "Driver diagram.")))
    >>> "<li>Primary driver: Outreach<ul><li>Secondary driver: Calls</li></ul></li>" in card
    True
    """
    body = (
        "<p>Write an aim (what will improve, for whom, by how much, by when), then list primary "
        "drivers, the secondary drivers under each, and change ideas to test.</p>"
    )
    if example is not None:
        spec, diagram = example
        body += f"\n<p><strong>Worked example:</strong></p>\n{diagram.to_html()}\n{_outline_html(spec)}"
    return static_card(
        "driver-diagram", f"<strong>Driver diagram:</strong> {esc(title)}", body, saving=saving
    )
