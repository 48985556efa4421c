"""Where an exercise's answer lives: restore it from the workbook, save it back, say so.

Every exercise that saves takes the trio ``workbook=, module=, key=`` (all three, or none).
:meth:`AnswerSlot.of` checks the trio once; the slot then restores the saved answer
(:meth:`AnswerSlot.restore`, with the exercise's own test of what counts as a valid answer),
saves a new one (:meth:`AnswerSlot.save`, returning the status line shown under the exercise
instead of raising inside a widget callback), and saves a rendered figure
(:meth:`AnswerSlot.save_figure`). A slot without a workbook restores nothing and saves nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from helpers.exercises._base import esc

if TYPE_CHECKING:  # pragma: no cover
    from helpers.exercises._figures import RenderedFigure
    from helpers.workbook import Workbook

__all__ = ["AnswerSlot", "check_target", "restored_note", "save_quietly"]

#: The errors a save can meet (a full disk, a locked or unwritable file, a value JSON cannot hold).
SAVE_ERRORS = (OSError, ValueError, TimeoutError)


def check_target(workbook: Workbook | None, module: str | None, key: str | None) -> bool:
    """Validate the (workbook, module, key) trio; return True when answers should be saved.

    Example
    -------
    >>> check_target(None, "03", "q1")
    False
    """
    if workbook is None:
        return False  # module/key without a workbook simply means "not saved"
    if not module or not key:
        raise ValueError(
            "to save answers give workbook=, module= and key= together, e.g. "
            "workbook=wb, module='03', key='q1'"
        )
    return True


def save_quietly(
    workbook: Workbook | None,
    module: str | None,
    key: str | None,
    value: Any,
    *,
    label: str | None = None,
) -> str:
    """Save to the workbook and return a short status note (HTML) instead of raising in a callback.

    Exceptions inside widget callbacks would vanish into the browser console, so a failed save
    is shown to the participant next to the exercise.

    Example
    -------
    >>> save_quietly(None, "03", "q1", "B")
    ''
    """
    if workbook is None or not module or not key:
        return ""
    try:
        workbook.save(module, key, value, label=label)
    except SAVE_ERRORS as exc:
        return f'<div class="pe-save pe-save-failed" role="alert">⚠ Not saved: {esc(exc)}</div>'
    return '<div class="pe-save" role="status">Saved to your workbook.</div>'


def restored_note(what: str) -> str:
    """The status line under an exercise whose saved answer was put back.

    Example
    -------
    >>> restored_note("answer")
    '<div class="pe-save" role="status">Your saved answer.</div>'
    """
    return f'<div class="pe-save" role="status">Your saved {esc(what)}.</div>'


@dataclass(frozen=True)
class AnswerSlot:
    """One exercise's place in the workbook (or no place: nothing restored, nothing saved).

    Attributes
    ----------
    workbook : Workbook or None
        Where answers go; None when the exercise does not save.
    module, key : str
        The answer's address in the workbook ("" when not saving).
    label : str or None
        The question or title, stored with the answer for the exported report.

    Example
    -------
    >>> import tempfile, pathlib
    >>> from helpers.workbook import Workbook
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     slot = AnswerSlot.of(Workbook(pathlib.Path(tmp) / "wb.json"), "03", "q1", label="Which?")
    ...     first = slot.restore()
    ...     note = slot.save("B")
    ...     first, note.endswith("Saved to your workbook.</div>"), slot.restore(lambda v: v in "ABC")
    (None, True, 'B')
    >>> AnswerSlot.of(None, None, None).saving
    False
    """

    workbook: Workbook | None
    module: str = ""
    key: str = ""
    label: str | None = None

    @classmethod
    def of(
        cls, workbook: Workbook | None, module: str | None, key: str | None, *, label: str | None = None
    ) -> AnswerSlot:
        """Check the ``workbook=, module=, key=`` trio (all three, or no workbook) and bind it."""
        if not check_target(workbook, module, key):
            return cls(None, "", "", label)
        return cls(workbook, str(module), str(key), label)

    @property
    def saving(self) -> bool:
        """Whether answers are restored and saved."""
        return self.workbook is not None

    def restore(self, accept: Callable[[Any], bool] | None = None) -> Any:
        """The saved answer, or None when nothing is saved here or ``accept(answer)`` is False.

        ``accept`` is the exercise's test of an answer it can show (an option that still exists,
        a dict, a string…): an answer saved by an older version of the notebook is ignored, not
        shown wrongly.
        """
        if self.workbook is None:
            return None
        value = self.workbook.get(self.module, self.key)
        if value is None or (accept is not None and not accept(value)):
            return None
        return value

    def restore_from(self, module: str, key: str) -> Any:
        """Another saved answer of the same workbook (e.g. module 05's aim for the charter)."""
        return None if self.workbook is None else self.workbook.get(module, key)

    def save(self, value: Any) -> str:
        """Save ``value``; return the status line (HTML; "" when this slot does not save)."""
        return save_quietly(self.workbook, self.module, self.key, value, label=self.label)

    def save_figure(self, suffix: str, figure: RenderedFigure, *, what: str) -> str:
        """Save a rendered figure as ``<key>_<suffix>``; return a failure note (HTML) or "".

        The PNG bytes are the ones already shown on the page (rendered once). ``what`` names the
        figure in the note ("Chart", "Diagram").
        """
        if self.workbook is None:
            return ""
        try:
            self.workbook.save_figure(self.module, f"{self.key}_{suffix}", figure.png, figure.alt_text)
        except SAVE_ERRORS as exc:
            return (
                f'<div class="pe-save pe-save-failed" role="alert">⚠ {esc(what)} not saved: {esc(exc)}</div>'
            )
        return ""
