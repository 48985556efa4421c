"""The pieces every static card is built from (the card the site and an unrun notebook show).

A static card is deterministic HTML: the exercise's question in a ``<fieldset>``, its options
lettered A, B, C… exactly as the live widget letters them (:func:`lettered`), a hint and the
answer in closed ``<details>`` (revealed on click, no JavaScript), and the run note that says
"Run this cell (Shift+Enter) to answer here." in JupyterLab's untrusted view
(:func:`helpers.exercises._base.run_note`). :func:`static_card` assembles them; each exercise
has a pure ``*_card`` function (inputs → HTML) built on it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from helpers.exercises._base import details, esc, run_note, static_block

__all__ = [
    "fieldset",
    "letter",
    "lettered",
    "option_explanations",
    "option_list",
    "options_html",
    "static_card",
]

_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def letter(index: int) -> str:
    """The label of the option at 0-based ``index``: A, B, C… (numbers past Z), in every view.

    Example
    -------
    >>> letter(0), letter(25), letter(26)
    ('A', 'Z', '27')
    """
    return _LETTERS[index] if index < len(_LETTERS) else str(index + 1)


def lettered(options: Sequence[str]) -> list[str]:
    """The options as the widget and the static card both show them: "A. …", "B. …".

    Example
    -------
    >>> lettered(["Rate ratio", "Rate difference"])
    ['A. Rate ratio', 'B. Rate difference']
    """
    return [f"{letter(i)}. {o}" for i, o in enumerate(options)]


def option_list(options: Sequence[str], *, question: str, example: str, most: int | None = None) -> list[str]:
    """Check a question's options (a list of two or more different texts) and return them as str.

    ``question`` names the kind of question in the messages ("a select-all question"),
    ``example`` shows a right list, ``most`` caps how many there may be.

    Example
    -------
    >>> option_list(["Ratio", "Ratio"], question="a multiple-choice question", example="['A', 'B']")
    Traceback (most recent call last):
    ...
    ValueError: options must be different from each other; repeated: ['Ratio']
    """
    if isinstance(options, str) or not isinstance(options, Sequence):
        raise ValueError(f"options must be a list of strings, e.g. {example}")
    opts = [str(o) for o in options]
    if len(opts) < 2:
        raise ValueError(f"{question} needs at least two options; got {len(opts)}")
    if most is not None and len(opts) > most:
        raise ValueError(f"{question} takes at most {most} options; got {len(opts)}")
    repeated = sorted({o for o in opts if opts.count(o) > 1})
    if repeated:
        raise ValueError(f"options must be different from each other; repeated: {repeated}")
    return opts


def option_explanations(
    explanations: Mapping[str, str] | Sequence[str] | None, options: Sequence[str]
) -> dict[str, str]:
    """Why each option is right or wrong, as ``{option: text}`` (given as a dict or one per option).

    Example
    -------
    >>> option_explanations(["Divides.", "Subtracts."], ["Ratio", "Difference"])
    {'Ratio': 'Divides.', 'Difference': 'Subtracts.'}
    """
    if explanations is None:
        return {}
    if isinstance(explanations, Mapping):
        unknown = [k for k in explanations if k not in options]
        if unknown:
            raise ValueError(
                f"explanations given for options that do not exist: {unknown}; options are {list(options)}"
            )
        return {str(k): str(v) for k, v in explanations.items()}
    if isinstance(explanations, str) or len(explanations) != len(options):
        raise ValueError("explanations must be a dict {option: why} or a list with one entry per option")
    return {opt: str(text) for opt, text in zip(options, explanations, strict=True)}


def options_html(options: Sequence[str]) -> str:
    """The lettered options as an unbulleted list.

    The letters are written out (not ``<ol type="A">``): JupyterLab's HTML sanitizer drops the
    ``type`` attribute and would number the options 1, 2, 3 while the answer says "B".

    Example
    -------
    >>> print(options_html(["x", "<y>"]))
    <ul class="pe-options" style="list-style:none;padding-left:0">
    <li>A. x</li>
    <li>B. &lt;y&gt;</li>
    </ul>
    """
    items = "\n".join(f"<li>{esc(text)}</li>" for text in lettered(options))
    return f'<ul class="pe-options" style="list-style:none;padding-left:0">\n{items}\n</ul>'


def fieldset(legend_html: str, body_html: str = "") -> str:
    """A ``<fieldset>`` with its legend (already HTML) and body.

    Example
    -------
    >>> print(fieldset("<strong>Question:</strong> Why?", "<p>Answer with a number.</p>"))
    <fieldset>
    <legend><strong>Question:</strong> Why?</legend>
    <p>Answer with a number.</p>
    </fieldset>
    """
    body = f"{body_html}\n" if body_html else ""
    return f"<fieldset>\n<legend>{legend_html}</legend>\n{body}</fieldset>"


def static_card(
    kind: str,
    legend_html: str | None,
    body_html: str = "",
    *,
    saving: bool,
    extras: Sequence[str] = (),
    hint: str | None = None,
    reveal: tuple[str, str] | None = None,
) -> str:
    """Assemble a static card: fieldset, extras, hint, revealable answer, run note.

    Parameters
    ----------
    kind : str
        The exercise kind (the container's ``pe-exercise-<kind>`` class).
    legend_html : str or None
        The fieldset's legend (HTML); None for a card without a fieldset (``body_html`` as is).
    body_html : str
        What the fieldset holds.
    saving : bool
        Whether the live exercise saves to the workbook (the site's note says so).
    extras : sequence of str
        HTML blocks after the fieldset (a worked example).
    hint : str, optional
        Plain text in a closed "Hint" ``<details>``.
    reveal : (summary, html), optional
        The answer or solution, in a closed ``<details>`` with that summary.

    Returns
    -------
    str
        The card (deterministic HTML).

    Example
    -------
    >>> card = static_card("numeric", "Q?", "<p>Answer with a number.</p>", saving=False,
    ...                    hint="Divide.", reveal=("Show answer", "<p>4</p>"))
    >>> card.count("<details>"), "Run this cell (Shift+Enter) to answer here." in card
    (2, True)
    """
    parts = [fieldset(legend_html, body_html) if legend_html is not None else body_html, *extras]
    if hint:
        parts.append(details("Hint", f"<p>{esc(hint)}</p>"))
    if reveal is not None:
        parts.append(details(*reveal))
    parts.append(run_note(saving))
    return static_block(kind, "\n".join(parts))
