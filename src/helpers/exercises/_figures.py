"""Drawing a figure once: render to PNG bytes, then reuse them for the page and the workbook.

An exercise that answers with a chart (the stratifier explorer, the driver diagram, the
self-assessment's radar) shows it inline as an HTML ``<figure>`` and saves the same picture to
the participant's workbook. :func:`render_figure` renders the PNG once (one ``savefig``, no
``bbox_inches="tight"`` second pass for figures laid out when they were made, as every
:mod:`helpers.plots` figure is), closes the figure, and returns a :class:`RenderedFigure` whose
bytes serve both: :meth:`RenderedFigure.to_html` for the page and
:meth:`helpers.exercises._slot.AnswerSlot.save_figure` for the workbook. :func:`after_feedback`
draws it after the words of the feedback have reached the page.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from helpers.exercises._base import esc, kernel_call_later

__all__ = ["LatestChart", "RenderedFigure", "after_feedback", "figure_png", "render_figure"]


def after_feedback(action: Callable[[], None]) -> None:
    """Run ``action`` (drawing a chart) once the feedback already set has been sent.

    In a kernel, ``action`` is queued on the kernel's event loop: the widget handler returns, the
    words it set (a table, what to fix) reach the page at once, and the chart follows when it is
    drawn. Where no event loop runs (plain Python, tests, doctests) it runs now.

    Example
    -------
    >>> done = []
    >>> after_feedback(lambda: done.append("chart"))
    >>> done
    ['chart']
    """
    call_later = kernel_call_later()
    if call_later is None:
        action()
    else:
        call_later(0, action)


def figure_png(fig: Any, *, dpi: int = 100) -> bytes:
    """Render a matplotlib figure to PNG bytes with a single draw where possible.

    A figure with a layout engine (``layout="constrained"``, as :mod:`helpers.plots` makes them)
    is saved as laid out; only a figure without one is trimmed with ``bbox_inches="tight"``
    (which draws it twice). No "Software" stamp, so the bytes depend on the drawing alone.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure.
    dpi : int, default 100
        Resolution.

    Returns
    -------
    bytes
        The PNG image.

    Example
    -------
    >>> from matplotlib.figure import Figure
    >>> figure_png(Figure(figsize=(1, 1), layout="constrained"))[:4]
    b'\\x89PNG'
    """
    buffer = io.BytesIO()
    trim: dict[str, Any] = {} if fig.get_layout_engine() is not None else {"bbox_inches": "tight"}
    fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None}, **trim)
    return buffer.getvalue()


class LatestChart:
    """Draw an exercise's chart after its words, and only the latest one asked for.

    Each :meth:`show` supersedes the ones before it: a chart still waiting to be drawn when a
    newer click comes in is never drawn (nor saved), so a quick second click costs one drawing,
    and an older chart never replaces a newer view.

    Example
    -------
    >>> drawn = []
    >>> charts = LatestChart()
    >>> charts.show(lambda: drawn.append("first"), defer=False)
    >>> charts.cancel()  # e.g. the words changed again: a chart still waiting is not drawn
    >>> drawn
    ['first']
    """

    def __init__(self) -> None:
        self._latest = 0

    def cancel(self) -> None:
        """Forget any chart still waiting to be drawn."""
        self._latest += 1

    def show(self, draw: Callable[[], None], *, defer: bool = True) -> None:
        """Draw with ``draw()``: after the feedback already set (``defer``), or now."""
        self._latest += 1
        ticket = self._latest

        def run() -> None:
            if ticket == self._latest:
                draw()

        if defer:
            after_feedback(run)
        else:
            run()


@dataclass(frozen=True)
class RenderedFigure:
    """A chart rendered once: its PNG bytes and the sentence that describes it.

    Attributes
    ----------
    png : bytes
        The image (what the page shows and the workbook saves).
    alt_text : str
        One sentence saying what the chart shows (its ``alt`` and caption).

    Example
    -------
    >>> html = RenderedFigure(b"\\x89PNG", "A <chart>.").to_html()
    >>> 'src="data:image/png;base64,iVBORw==" alt="A &lt;chart&gt;."' in html
    True
    """

    png: bytes
    alt_text: str

    def to_html(self) -> str:
        """An accessible ``<figure>``: the image inline, its alt text as ``alt`` and as caption."""
        uri = "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")
        return (
            f'<figure class="pe-figure"><img src="{uri}" alt="{esc(self.alt_text)}" '
            f'style="max-width:100%;height:auto"><figcaption>{esc(self.alt_text)}</figcaption></figure>'
        )


def render_figure(result: Any, alt_text: str) -> RenderedFigure:
    """Render a plotting result once and close it.

    Parameters
    ----------
    result : helpers.plots.Figure or matplotlib.figure.Figure
        What a plot function returned (its ``.fig`` and ``.alt_text`` are used when present).
    alt_text : str
        The description to use when ``result`` carries none.

    Returns
    -------
    RenderedFigure

    Example
    -------
    >>> from helpers.plots import radar_plot
    >>> shown = render_figure(radar_plot({"A": 1, "B": 2, "C": 3}), "Radar chart.")
    >>> shown.png[:4], shown.alt_text.startswith("Radar")
    (b'\\x89PNG', True)
    """
    import matplotlib.pyplot as plt

    fig = getattr(result, "fig", result)
    alt = getattr(result, "alt_text", None) or alt_text
    try:
        return RenderedFigure(figure_png(fig), str(alt))
    finally:
        plt.close(fig)
