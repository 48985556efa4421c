"""Parameter docs the exercises share, written once (after seaborn's ``DocstringComponents``).

A docstring line that holds only ``{{name}}`` is replaced by the piece :data:`PIECES` ``[name]``,
indented as that line is; ``{saves}`` in a piece becomes what :func:`shared_docs` is told the
exercise saves. So the meaning of ``workbook=, module=, key=`` (and of a card's ``saving`` and result) is
stated in one place and reads the same in every exercise's help.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

__all__ = ["PIECES", "shared_docs"]

F = TypeVar("F", bound=Callable[..., object])

PIECES: dict[str, str] = {
    "slot": (
        "workbook, module, key : optional\n"
        "    Where to save {saves}: a :class:`~helpers.workbook.Workbook` and the answer's address in\n"
        "    it (all three, or none; ``module`` and ``key`` without a workbook save nothing). The saved\n"
        "    answer is put back when the notebook is reopened or run again."
    ),
    "card": (
        "saving : bool, default False\n"
        "    Whether the live exercise saves to the workbook (the site's note then says so).\n"
        "\n"
        "Returns\n"
        "-------\n"
        "str\n"
        "    The card: deterministic HTML (no ids, dates or saved answers), the same on every run."
    ),
    "dataset_by": (
        "outcome : str\n"
        "    The 0/1 outcome column (or the numerator column, with a denominator).\n"
        "by : str or sequence of str\n"
        "    One or two stratifiers (intersectional strata for two)."
    ),
}

_SLOT_LINE = re.compile(r"^(?P<indent>[ \t]*)\{\{(?P<name>\w+)\}\}[ \t]*$", re.MULTILINE)


def shared_docs(saves: str = "the answer") -> Callable[[F], F]:
    """Fill a function's ``{{piece}}`` lines with :data:`PIECES` (``{saves}`` filled in).

    Parameters
    ----------
    saves : str
        What the exercise saves, for the ``slot`` piece ("the chosen option").

    Returns
    -------
    callable
        A decorator that rewrites the docstring and returns the function unchanged otherwise.

    Example
    -------
    >>> @shared_docs(saves="the chosen option")
    ... def f():
    ...     '''Ask.
    ...
    ...     Parameters
    ...     ----------
    ...     {{slot}}
    ...     '''
    >>> print(f.__doc__.splitlines()[4])
        workbook, module, key : optional
    >>> "Where to save the chosen option:" in f.__doc__
    True
    """

    def fill(match: re.Match[str]) -> str:
        piece = PIECES[match["name"]].replace("{saves}", saves)
        return "\n".join(match["indent"] + line if line else "" for line in piece.splitlines())

    def apply(func: F) -> F:
        if func.__doc__:
            func.__doc__ = _SLOT_LINE.sub(fill, func.__doc__)
        return func

    return apply
