"""Parameter docs written once and shared between functions.

After seaborn's ``DocstringComponents`` (named fragments of numpydoc text) and pandas' ``@doc``
decorator (fill a docstring's placeholders when the function is defined). A function's
docstring names a fragment on a line of its own, ``{runs.rules}``, and :func:`share_docs`
replaces that line with the fragment, indented as the placeholder was. Only whole-line
``{group.name}`` placeholders are replaced, so other braces in a docstring (a dict in an
example, a set of choices such as ``{"ihi", "anhoej"}``) need no escaping, unlike
``str.format``; an unknown placeholder fails when the module is imported, not in the book.

>>> parts = DocstringComponents({"ax": '''
...     ax : matplotlib.axes.Axes, optional
...         Axes to draw on.
... '''})
>>> @share_docs(plot=parts)
... def f(ax=None):
...     '''Draw.
...
...     Parameters
...     ----------
...     {plot.ax}
...     '''
>>> print(f.__doc__.splitlines()[5])
        Axes to draw on.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Iterator, Mapping
from typing import TypeVar

__all__ = [
    "CONTROL_PARAMS",
    "PLOT_PARAMS",
    "RATES_PLOT_PARAMS",
    "RUN_PARAMS",
    "DocstringComponents",
    "share_docs",
]

F = TypeVar("F", bound=Callable[..., object])

_PLACEHOLDER = re.compile(r"^(?P<indent>[ \t]*)\{(?P<group>\w+)\.(?P<name>\w+)\}[ \t]*$", re.MULTILINE)


class DocstringComponents(Mapping[str, str]):
    """Named fragments of numpydoc text (each dedented, without surrounding blank lines).

    >>> DocstringComponents({"x": "  x : int\\n      A number."})["x"]
    'x : int\\n    A number.'
    """

    def __init__(self, fragments: Mapping[str, str]) -> None:
        self._fragments = {name: textwrap.dedent(text).strip("\n") for name, text in fragments.items()}

    def __getitem__(self, name: str) -> str:
        return self._fragments[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._fragments)

    def __len__(self) -> int:
        return len(self._fragments)


def fill_docstring(doc: str, groups: Mapping[str, Mapping[str, str]]) -> str:
    """``doc`` with every ``{group.name}`` line replaced by its fragment, indented alike.

    >>> fill_docstring("A.\\n\\n    {g.x}\\n", {"g": {"x": "x : int\\n    A number."}})
    'A.\\n\\n    x : int\\n        A number.\\n'
    >>> fill_docstring("    {g.y}", {"g": {}})
    Traceback (most recent call last):
    ...
    KeyError: 'the docstring names {g.y}, which is not a shared parameter doc'
    """

    def replace(match: re.Match[str]) -> str:
        group, name = match["group"], match["name"]
        try:
            text = groups[group][name]
        except KeyError:
            raise KeyError(
                f"the docstring names {{{group}.{name}}}, which is not a shared parameter doc"
            ) from None
        return textwrap.indent(text, match["indent"], lambda line: bool(line.strip()))

    return _PLACEHOLDER.sub(replace, doc)


def share_docs(**groups: Mapping[str, str]) -> Callable[[F], F]:
    """Decorator: fill the function's ``{group.name}`` placeholder lines from ``groups``.

    Returns the function itself (its ``__doc__`` filled), so signatures, doctests and
    introspection are untouched.
    """

    def decorate(func: F) -> F:
        if func.__doc__:
            func.__doc__ = fill_docstring(func.__doc__, groups)
        return func

    return decorate


# --------------------------------------------------------------------------------------------
# The shared fragments
# --------------------------------------------------------------------------------------------

#: Parameters every figure of :mod:`helpers.plots` takes.
PLOT_PARAMS = DocstringComponents(
    {
        "ax": """
            ax : matplotlib.axes.Axes, optional
                Axes to draw on; by default the function makes its own figure.
            """,
        "x": """
            x : sequence, optional
                Labels or dates for the points. Without it, points are numbered 1, 2, … on the axis.
            """,
        "measure_series": """
            measure : str, default "the measure"
                What is plotted, for the title and alt text (e.g. "blood-pressure control").
            """,
        "decimals_series": """
            decimals : int, optional
                Decimals of the centre-line labels and alt text (chosen from the data by default).
                Axis ticks show as many decimals as their spacing needs, as in every chart.
            """,
        "ylabel_title": """
            ylabel, title : str, optional
                Override the axis label (default "Percent" or the measure) and the finding-style title.
            """,
    }
)

#: Settings a plot of a rates table reads from the table (:mod:`helpers._rates`).
RATES_PLOT_PARAMS = DocstringComponents(
    {
        "min_cell": """
            min_cell : int, optional
                The suppression threshold, for the "suppressed (1–10)" label. Default: the one the
                table was made with (``attrs["min_cell"]``), else 11.
            """,
    }
)

#: The run-chart rules' options (:func:`helpers.runcharts.run_chart_signals`).
RUN_PARAMS = DocstringComponents(
    {
        "rules": """
            rules : {"ihi", "ihi-exact", "anhoej"}, default "ihi"
                The IHI run-chart rules (Perla et al.'s runs table), the same with the exact runs
                test, or the Anhøj rules (qicharts2).
            """,
        "baseline": """
            baseline : int, optional
                Freeze the centre line at the median of the first ``baseline`` points.
            """,
        "astronomical": """
            astronomical : bool, default False
                Also list candidate astronomical points (a judgement aid).
            """,
        "missing": """
            missing : {"raise", "drop"}, default "raise"
                A missing value in the series raises; ``"drop"`` leaves it out deliberately.
            """,
    }
)

#: The options shared by the Shewhart charts of :mod:`helpers.runcharts`.
CONTROL_PARAMS = DocstringComponents(
    {
        "counts": """
            numerators, denominators : sequence of numbers
                Counts per period (e.g. patients controlled, patients with hypertension).
            """,
        "baseline": """
            baseline : int, optional
                Compute the limits from the first ``baseline`` points and extend them.
            """,
        "change_points": """
            change_points : sequence of int, optional
                Positions where a documented change took effect; limits are recalculated from each
                period's own points.
            """,
        "rules": """
            rules : {"anhoej", "ihi", "ihi-exact"}, default "anhoej"
                Run tests applied to each period against its centre line.
            """,
    }
)
