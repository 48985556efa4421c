"""Shared pieces of the exercise widgets: feedback, the display object, static HTML helpers.

Every exercise function returns an :class:`Exercise`. Displaying it offers Jupyter two things
at once: the live ipywidgets view (JupyterLab renders it, with a kernel) and a deterministic,
self-contained ``text/html`` fallback (the published book renders it, without a kernel). The
fallback never contains model ids, dates, paths or saved answers, so it is identical on every
run and nbval can compare it byte for byte.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets

__all__ = ["Debouncer", "Exercise", "Feedback"]

WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json"
#: What JupyterLab shows where an exercise's live widget is not running (a notebook not yet run:
#: JupyterLab shows the static ``text/html`` of outputs it does not trust; a saved notebook
#: reopened: see :mod:`helpers.exercises.reopen`).
RUN_NOTE_LAB = "Run this cell (Shift+Enter) to answer here."
RUN_NOTE = "Run this notebook in JupyterLab to answer interactively."
RUN_NOTE_SAVED = (
    "Run this notebook in JupyterLab to answer interactively; your answer is saved to your workbook."
)
#: The model-id prefix of the frame every exercise is displayed in (see :meth:`Exercise.display_id`).
DISPLAY_ID_PREFIX = "pe-exercise-"


def run_note(saving: bool) -> str:
    """The deterministic note that ends every static fallback.

    Two lines: the one for JupyterLab (``pe-run-note-lab``, shown) and the one for the published
    site (``pe-run-note-site``, carrying ``hidden="hidden"``: JupyterLab's HTML sanitizer keeps
    the attribute with a value and drops a bare ``hidden``). The site's stylesheet swaps them
    (``.pe-run-note-lab {display: none}``, ``.pe-run-note-site[hidden] {display: block}``), so each
    reader sees the line meant for them.

    Example
    -------
    >>> lab, site = run_note(False).split("\\n")
    >>> lab
    '<p class="pe-run-note pe-run-note-lab"><em>Run this cell (Shift+Enter) to answer here.</em></p>'
    >>> site.startswith('<p class="pe-run-note pe-run-note-site" hidden="hidden"><em>Run this notebook')
    True
    """
    site = RUN_NOTE_SAVED if saving else RUN_NOTE
    return (
        f'<p class="pe-run-note pe-run-note-lab"><em>{esc(RUN_NOTE_LAB)}</em></p>\n'
        f'<p class="pe-run-note pe-run-note-site" hidden="hidden"><em>{esc(site)}</em></p>'
    )


@dataclass(frozen=True)
class Feedback:
    """The result of checking an answer.

    Attributes
    ----------
    correct : bool
        Whether the answer is right.
    message : str
        Why it is right or wrong, in plain language (shown to the participant).
    valid : bool, default True
        False when the input could not be judged at all (empty, not a number, not one of
        the options); ``correct`` is then False too.

    Example
    -------
    >>> Feedback(True, "Correct.").correct
    True
    """

    correct: bool
    message: str
    valid: bool = True

    def to_html(self) -> str:
        """Render as a small status block (icon + words, never colour alone).

        Example
        -------
        >>> Feedback(False, "Too high.").to_html()
        '<div class="pe-feedback pe-wrong" role="status"><strong>✘ Not quite.</strong> Too high.</div>'
        """
        if not self.valid:
            head, cls = "ℹ Check your answer.", "pe-invalid"
        elif self.correct:
            head, cls = "✔ Correct.", "pe-correct"
        else:
            head, cls = "✘ Not quite.", "pe-wrong"
        return (
            f'<div class="pe-feedback {cls}" role="status"><strong>{head}</strong> {esc(self.message)}</div>'
        )


def esc(value: Any) -> str:
    """HTML-escape any value (quotes included).

    Example
    -------
    >>> esc('<a href="x">')
    '&lt;a href=&quot;x&quot;&gt;'
    """
    return html.escape(str(value), quote=True)


def fmt_number(x: float) -> str:
    """Format a number for feedback: up to 6 significant digits, thousands separators.

    Example
    -------
    >>> fmt_number(41.2), fmt_number(1234567.0), fmt_number(0.1 + 0.2)
    ('41.2', '1.23457e+06', '0.3')
    """
    return f"{x:,.6g}"


def exercise_box(children: Sequence[widgets.Widget]) -> widgets.VBox:
    """The framed container every live exercise is drawn in."""
    box = widgets.VBox(
        children, layout=widgets.Layout(border="1px solid #ccc", padding="0.5em", margin="0.5em 0")
    )
    box.add_class("pe-exercise")
    return box


def details(summary: str, body_html: str) -> str:
    """Return a ``<details>`` block (revealable without JavaScript)."""
    return f"<details><summary>{esc(summary)}</summary>{body_html}</details>"


def static_block(kind: str, inner: str) -> str:
    """Wrap a static fallback in the exercise container (no ids, deterministic)."""
    return f'<div class="pe-exercise pe-exercise-{kind}">\n{inner}\n</div>'


LOCKED_TOOLTIP = "Answer first: the answer can be shown after your first try."


def toggle_button(
    description: str, target: widgets.Widget, *, shown_label: str, locked: bool = False
) -> widgets.Button:
    """A button that shows/hides ``target`` (keyboard: Tab to it, Enter or Space).

    With ``locked=True`` the button starts disabled (tooltip :data:`LOCKED_TOOLTIP`) and a click
    does nothing until :func:`unlock` is called — so an answer cannot be revealed before a first
    attempt.

    Example
    -------
    >>> box = widgets.HTML("Answer: B")
    >>> button = toggle_button("Show answer", box, shown_label="Hide answer", locked=True)
    >>> button.click(); box.layout.display
    'none'
    >>> unlock(button); button.click(); box.layout.display is None, button.description
    (True, 'Hide answer')
    """
    button = widgets.Button(description=description, tooltip=description, layout=widgets.Layout(width="auto"))
    target.layout.display = "none"
    if locked:
        button.disabled = True
        button.tooltip = LOCKED_TOOLTIP

    def toggle(_: widgets.Button) -> None:
        if button.disabled:
            return
        hidden = target.layout.display == "none"
        target.layout.display = None if hidden else "none"
        button.description = shown_label if hidden else description

    button.on_click(toggle)
    button._pe_description = description
    return button


def hint_toggle(hint: str) -> tuple[widgets.Button, widgets.HTML]:
    """The "Show hint" button and the hidden box it reveals.

    Example
    -------
    >>> button, box = hint_toggle("Divide the two rates.")
    >>> button.click(); box.layout.display is None, "Divide" in box.value
    (True, True)
    """
    box = widgets.HTML(f'<div class="pe-hint"><strong>Hint:</strong> {esc(hint)}</div>')
    return toggle_button("Show hint", box, shown_label="Hide hint"), box


@dataclass
class CheckControls:
    """The parts every "Check"-button exercise starts with (see :func:`check_controls`).

    Attributes
    ----------
    check_button : ipywidgets.Button
        "Check".
    feedback, saved : ipywidgets.HTML
        The feedback, and the save status under it.
    controls : list of ipywidgets.Widget
        The row of buttons: Check, then "Show hint" when there is a hint (append more).
    extras : list of ipywidgets.Widget
        The boxes the buttons reveal (the hint's).
    """

    check_button: widgets.Button
    feedback: widgets.HTML
    saved: widgets.HTML
    controls: list[widgets.Widget]
    extras: list[widgets.Widget]


def check_controls(tooltip: str, hint: str | None) -> CheckControls:
    """A "Check" button with ``tooltip``, empty feedback and status, and the hint toggle if any.

    Example
    -------
    >>> parts = check_controls("Check every item", "Read the item twice.")
    >>> [b.description for b in parts.controls], len(parts.extras)
    (['Check', 'Show hint'], 1)
    """
    check_button = widgets.Button(description="Check", tooltip=tooltip, layout=widgets.Layout(width="auto"))
    parts = CheckControls(check_button, widgets.HTML(""), widgets.HTML(""), [check_button], [])
    if hint:
        hint_button, hint_box = hint_toggle(hint)
        parts.controls.append(hint_button)
        parts.extras.append(hint_box)
    return parts


def unlock(button: widgets.Button) -> None:
    """Enable a button made with ``toggle_button(..., locked=True)`` (after a first attempt)."""
    button.disabled = False
    button.tooltip = getattr(button, "_pe_description", button.description)


_PNG_DATA = re.compile(r"data:image/png;base64,[A-Za-z0-9+/=]+")


def _widget_instances() -> dict[str, widgets.Widget]:
    """The live widgets of this kernel, by model id (ipywidgets' registry)."""
    from ipywidgets.widgets import widget as widget_module

    return widget_module._instances


class Exercise:
    """What every exercise function returns: a live widget plus a static fallback.

    Parameters
    ----------
    widget : ipywidgets.Widget
        The live view (a container).
    static_html : str
        Deterministic HTML shown where no kernel runs (the published book).
    static_text : str
        Deterministic plain text (terminals, nbval).
    check : callable, optional
        The exercise's pure check/compute function with its settings bound, so tests can
        call ``exercise.check(answer)`` directly.

    Attributes
    ----------
    widget : ipywidgets.Widget
        The container; its children are also available as named attributes on subclasses.
    """

    kind = "exercise"

    def __init__(
        self,
        widget: widgets.Widget,
        *,
        static_html: str,
        static_text: str,
        check: Callable[..., Any] | None = None,
    ) -> None:
        self.widget = widget
        self.static_html = static_html
        self.static_text = static_text
        self._check = check

    def check(self, *args: Any, **kwargs: Any) -> Any:
        """Call the exercise's pure check/compute function with its settings."""
        if self._check is None:
            raise TypeError(f"{type(self).__name__} has nothing to check")
        return self._check(*args, **kwargs)

    @property
    def display_id(self) -> str:
        """The model id of the frame this exercise is displayed in: stable across runs.

        It is derived from the deterministic static HTML (so the same exercise gets the same id
        on every run, in every kernel), which lets ``helpers.exercises.reopen.reopen_state``
        store, in the notebook, what a reopened notebook shows before the cell runs again.

        Example
        -------
        >>> from helpers.exercises import multiple_choice
        >>> a = multiple_choice("Q?", ["x", "y"], 0)
        >>> a.display_id == multiple_choice("Q?", ["x", "y"], 0).display_id
        True
        >>> a.display_id.startswith("pe-exercise-")
        True
        """
        # PNG bytes vary with the FreeType/Agg build: leave them out so every machine agrees.
        stable = _PNG_DATA.sub("data:image/png;base64,", self.static_html)
        digest = hashlib.sha256(stable.encode("utf-8")).hexdigest()[:24]
        return DISPLAY_ID_PREFIX + digest

    def _frame(self) -> widgets.Box:
        """A new frame (model id :attr:`display_id`) around the widget; an older one is closed.

        Displaying the same exercise again (re-running its cell) closes the previous frame first,
        so one kernel never holds two widgets with the same id.
        """
        old = _widget_instances().get(self.display_id)
        if old is not None:
            old.close()
        return widgets.Box([self.widget], model_id=self.display_id)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        data = dict(self._frame()._repr_mimebundle_())
        data["text/html"] = self.static_html
        data["text/plain"] = self.static_text
        if include:
            data = {k: v for k, v in data.items() if k in include}
        if exclude:
            data = {k: v for k, v in data.items() if k not in exclude}
        return data

    def _repr_html_(self) -> str:
        return self.static_html

    def __repr__(self) -> str:
        return self.static_text


def kernel_call_later() -> Callable[[float, Callable[[], None]], Any] | None:
    """``loop.call_later`` of the event loop running in this thread (the kernel's), or None."""
    import asyncio

    try:
        return asyncio.get_running_loop().call_later
    except RuntimeError:
        return None


class Debouncer:
    """Call ``action(value)`` once typing pauses: ``delay`` seconds after the last :meth:`push`.

    In a kernel the wait is a timer on the kernel's event loop (widget messages are handled on
    it, so no thread is involved); where no event loop runs (plain Python, tests, doctests)
    :meth:`push` acts at once. :meth:`flush` acts now on a pending value (the Save button).

    Parameters
    ----------
    action : callable
        Called with the last value pushed.
    delay : float, default 1.5
        Seconds of quiet before acting.
    call_later : callable, optional
        ``call_later(delay, callback)`` returning a handle with ``cancel()``; default: the running
        event loop's, if any.

    Example
    -------
    >>> saved = []
    >>> timers = []
    >>> class Timer:
    ...     def __init__(self, delay, callback): self.callback, self.cancelled = callback, False
    ...     def cancel(self): self.cancelled = True
    >>> def call_later(delay, callback):
    ...     timers.append(Timer(delay, callback)); return timers[-1]
    >>> d = Debouncer(saved.append, call_later=call_later)
    >>> d.push("Bl"); d.push("Blood pressure"); saved, d.pending
    ([], True)
    >>> timers[0].cancelled, timers[1].callback(); saved, d.pending
    (True, None)
    (['Blood pressure'], False)
    """

    def __init__(
        self,
        action: Callable[[Any], None],
        delay: float = 1.5,
        *,
        call_later: Callable[[float, Callable[[], None]], Any] | None = None,
    ) -> None:
        if delay < 0:
            raise ValueError(f"delay must be 0 seconds or more, got {delay}")
        self.action = action
        self.delay = delay
        self._call_later = call_later
        self._handle: Any = None
        self._value: tuple[Any] | None = None

    @property
    def pending(self) -> bool:
        """Whether a value waits to be acted on."""
        return self._value is not None

    def push(self, value: Any) -> None:
        """Note a new value; act on it once no other value comes for ``delay`` seconds."""
        self._value = (value,)
        self._cancel()
        call_later = self._call_later or kernel_call_later()
        if call_later is None:
            self.flush()
        else:
            self._handle = call_later(self.delay, self.flush)

    def flush(self) -> None:
        """Act now on the pending value, if any."""
        self._cancel()
        if self._value is None:
            return
        (value,) = self._value
        self._value = None
        self.action(value)

    def _cancel(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None
