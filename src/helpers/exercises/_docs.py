"""The exercises' shared parameter docs, written once (fragments for :mod:`helpers._docs`).

An exercise's docstring names a fragment on a line of its own, ``{exercise.slot}``, and
:func:`helpers._docs.share_docs` fills it when the module is imported::

    @share_docs(exercise=exercise_docs(saves="the chosen option"))
    def multiple_choice(...):
        '''...
        {exercise.slot}
        '''

So the meaning of ``workbook=, module=, key=`` (``slot``), of a static card's ``saving`` and
result (``card``), and of the explorer's ``outcome`` and ``by`` (``outcome_by``) is stated in
one place and reads the same in every exercise's help; ``saves`` says what this exercise saves.
"""

from __future__ import annotations

from helpers._docs import DocstringComponents

__all__ = ["EXERCISE_DOCS", "exercise_docs"]

_FRAGMENTS: dict[str, str] = {
    "slot": """
        workbook, module, key : optional
            A :class:`~helpers.workbook.Workbook` and the answer's address in it (all three, or
            none; ``module`` and ``key`` without a workbook save nothing). What is saved:
            {saves}; it is put back when the notebook is reopened or run again.
        """,
    "card": """
        saving : bool, default False
            Whether the live exercise saves to the workbook (the site's note then says so).

        Returns
        -------
        str
            The card: deterministic HTML (no ids, dates or saved answers), the same on every run.
        """,
    "outcome_by": """
        outcome : str
            The 0/1 outcome column (or the numerator column, with a denominator).
        by : str or sequence of str
            One or two stratifiers (intersectional strata for two).
        """,
}


def exercise_docs(saves: str = "the answer") -> DocstringComponents:
    """The exercises' fragments, with ``{saves}`` (what this exercise saves) filled in.

    Example
    -------
    >>> exercise_docs("the chosen option")["slot"].splitlines()[-1].strip()
    'the chosen option; it is put back when the notebook is reopened or run again.'
    """
    return DocstringComponents({name: text.replace("{saves}", saves) for name, text in _FRAGMENTS.items()})


#: The fragments for functions that save nothing themselves (cards, the explorer's steps).
EXERCISE_DOCS = exercise_docs()
