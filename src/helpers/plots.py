"""Accessible figures for stratified equity data, run charts and control charts.

Every function here

* takes the data first, then keyword-only options, and ``ax=None`` (it makes its own figure
  when no axes are given);
* draws with one colour-blind-safe palette (Okabe–Ito, :mod:`helpers.palette`) and adds a
  marker or line style to every colour, so colour is never the only cue;
* puts the finding in the title, the unit on the axis, labels the reference group and shows
  suppressed strata as "suppressed (1–10)" instead of leaving them out;
* returns a :class:`Figure`: the matplotlib figure (``.fig``) and a one-sentence description
  (``.alt_text``) to use as alt text. In Jupyter the result displays as the picture.

Figures are made with :class:`matplotlib.figure.Figure` directly, not through ``pyplot``, so
nothing is left open, nothing is shown twice and no global state changes.

The numbers come from :mod:`helpers.runcharts` and :mod:`helpers.measures`; this module only
draws and describes.
"""

from __future__ import annotations

import base64
import html
import io
import math
import numbers
import textwrap
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure as MplFigure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyBboxPatch
from matplotlib.ticker import Formatter, MaxNLocator

from helpers import runcharts as rc
from helpers._docs import PLOT_PARAMS, RATES_PLOT_PARAMS, RUN_PARAMS, share_docs
from helpers._rates import by_columns, level_label, suppressed_label, table_settings
from helpers._validation import require_columns, require_dataframe, require_group
from helpers.palette import (
    LINESTYLES,
    MARKERS,
    NEUTRAL,
    OKABE_ITO,
    PALETTE,
    ROLE_COLORS,
    book_style,
    series_style,
)

__all__ = [
    "LINESTYLES",
    "MARKERS",
    "OKABE_ITO",
    "PALETTE",
    "Figure",
    "book_style",
    "driver_diagram",
    "gap_plot",
    "radar_plot",
    "run_chart",
    "spc_chart",
    "stratified_rates_plot",
]

WIDTH = 8.0  # inches: 800 px at 100 dpi, the width of the book's text column


# --------------------------------------------------------------------------------------------
# The result object
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Figure:
    """A finished chart: the matplotlib figure and a one-sentence description for alt text.

    In Jupyter the object displays as the picture (PNG), with ``alt_text`` as its text form.
    It also unpacks: ``fig, alt_text = run_chart(values)``.

    Attributes
    ----------
    fig : matplotlib.figure.Figure
        The figure (not registered with ``pyplot``; nothing to close).
    alt_text : str
        One sentence saying what the chart shows, with the key numbers.
    analysis : object, optional
        What the chart was computed from, e.g. the :class:`~helpers.runcharts.RunChartSignals`
        of a run chart or the :class:`~helpers.runcharts.ControlChart` of an SPC chart.

    Examples
    --------
    >>> result = run_chart([48, 52, 47, 53, 49, 51, 50, 54, 56, 55, 57, 58], baseline=7)
    >>> fig, alt = result
    >>> alt.startswith("Run chart of the measure over 12 points")
    True
    >>> result.to_png()[:4]
    b'\\x89PNG'
    """

    fig: MplFigure
    alt_text: str
    analysis: Any = field(default=None, repr=False)

    def __iter__(self) -> Iterator[Any]:
        yield self.fig
        yield self.alt_text

    def __repr__(self) -> str:
        return f"Figure(alt_text={self.alt_text!r})"

    @property
    def title(self) -> str:
        """The chart's title as shown (the finding), or "" if it has none.

        Examples
        --------
        >>> radar_plot({"A": 1, "B": 2, "C": 3}, title="Scores by component").title
        'Scores by component'
        """
        text = self.fig.get_suptitle()
        if text:
            return text
        for ax in self.fig.axes:
            for loc in ("left", "center", "right"):
                if ax.get_title(loc=loc):
                    return ax.get_title(loc=loc)
        return ""

    def to_png(self, *, dpi: int = 100) -> bytes:
        """The figure as PNG bytes, with the alt text stored as the image's description.

        Examples
        --------
        >>> len(radar_plot({"A": 1, "B": 2, "C": 3}).to_png()) > 1000
        True
        """
        buffer = io.BytesIO()
        self.fig.savefig(
            buffer,
            format="png",
            dpi=dpi,
            metadata={"Description": self.alt_text, "Software": "helpers.plots"},
        )
        return buffer.getvalue()

    def save(self, path: str | Path, *, dpi: int = 100) -> Path:
        """Write the figure to ``path`` (PNG, SVG or PDF by suffix); returns the path.

        For PNG the alt text is embedded as the image description; keep it next to the
        figure wherever you publish it, too.

        Examples
        --------
        >>> import pathlib, tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     out = radar_plot({"A": 1, "B": 2, "C": 3}).save(pathlib.Path(folder) / "radar.png")
        ...     out.name, out.stat().st_size > 1000
        ('radar.png', True)
        """
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix == ".png":
            path.write_bytes(self.to_png(dpi=dpi))
        elif suffix in {".svg", ".pdf"}:
            meta = {"Title": self.alt_text} if suffix == ".pdf" else {"Description": self.alt_text}
            self.fig.savefig(path, dpi=dpi, metadata=meta)
        else:
            raise ValueError(f"save as .png, .svg or .pdf, not {path.suffix or 'no suffix'!r}.")
        return path

    def to_html(self, *, caption: str | None = None, dpi: int = 100) -> str:
        """The figure as a self-contained HTML ``<figure>``: the PNG with its alt text, and a caption.

        This is what notebooks and the published book show, so every figure carries its text
        description (``alt``) and a visible caption (by default the chart's title, which states
        the finding) without any hand-written metadata.

        Examples
        --------
        >>> html = radar_plot({"A": 1, "B": 2, "C": 3}, title="Scores by component").to_html()
        >>> html.startswith('<figure class="pe-figure">'), 'alt="' in html, "<figcaption>" in html
        (True, True, True)
        """
        png = base64.b64encode(self.to_png(dpi=dpi)).decode("ascii")
        text = caption if caption is not None else (self.title or self.alt_text)
        return (
            '<figure class="pe-figure">'
            f'<img src="data:image/png;base64,{png}" alt="{html.escape(self.alt_text, quote=True)}">'
            f"<figcaption>{html.escape(text)}</figcaption>"
            "</figure>"
        )

    def _repr_mimebundle_(
        self, include: Any = None, exclude: Any = None
    ) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
        # text/html carries the alt text and caption into JupyterLab and the book (myst-nb prefers
        # it over image/png); image/png stays for front ends that cannot show HTML.
        png = base64.b64encode(self.to_png()).decode("ascii")
        return (
            {"text/html": self.to_html(), "image/png": png, "text/plain": self.alt_text},
            {"image/png": {"alt": self.alt_text}},
        )


# --------------------------------------------------------------------------------------------
# Small shared pieces
# --------------------------------------------------------------------------------------------


def _axes(
    ax: Axes | None, figsize: tuple[float, float], *, polar: bool = False
) -> tuple[MplFigure, Axes, bool]:
    """The axes to draw on: the caller's, or a new un-registered figure's (then ``own`` is True)."""
    if ax is None:
        fig = MplFigure(figsize=figsize, layout="constrained")
        ax = fig.add_subplot(projection="polar" if polar else None)
        return fig, ax, True
    if not isinstance(ax, Axes):
        raise ValueError(f"ax must be a matplotlib Axes, got {type(ax).__name__}.")
    if polar and ax.name != "polar":
        raise ValueError("radar_plot needs polar axes: create them with fig.add_subplot(projection='polar').")
    return _figure_of(ax), ax, False


def _figure_of(ax: Axes) -> MplFigure:
    """The root figure an Axes is drawn on (always set for axes made by matplotlib)."""
    fig = ax.get_figure(root=True)
    if not isinstance(fig, MplFigure):
        raise ValueError("ax is not on a figure; create it with fig.add_subplot().")
    return fig


def _title(ax: Axes, title: str, own: bool, *, width: int = 72) -> None:
    """The finding as a left-aligned title, wrapped so it never runs off the figure.

    On a figure made here it spans the whole figure (``suptitle``), so long group labels on
    the y axis do not push it off the right edge; on the caller's axes it is the axes title.
    """
    text = "\n".join(textwrap.wrap(title, width))
    if own:
        _figure_of(ax).suptitle(text, x=0.01, ha="left", fontsize=12, fontweight="bold")
    else:
        ax.set_title(text, loc="left")


def _fmt(value: float, *, percent: bool, decimals: int) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    if percent:
        return f"{value * 100:.{decimals}f}%"
    return f"{value:.{decimals}f}"


def _fmt_range(low: float, high: float, *, percent: bool, decimals: int) -> str:
    lo = _fmt(low, percent=False, decimals=decimals) if not percent else f"{low * 100:.{decimals}f}"
    hi = _fmt(high, percent=percent, decimals=decimals)
    return f"{lo}–{hi}"


def _default_decimals(values: Sequence[float], percent: bool) -> int:
    finite = [abs(v) for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))]
    if percent or not finite:
        return 0 if percent else 1
    biggest = max(finite)
    return 0 if biggest >= 100 else 1 if biggest >= 1 else 3


def _tick_decimals(values: Sequence[float], most: int = 3) -> int:
    """Fewest decimals that write every tick exactly: 0 for 30, 35, 40; 1 for 2.5, 5.0, 7.5.

    >>> _tick_decimals([30.0, 35.0, 40.0]), _tick_decimals([2.5, 5.0, 7.5]), _tick_decimals([])
    (0, 1, 0)
    """
    for d in range(most + 1):
        if all(abs(round(v, d) - v) < 1e-6 for v in values):
            return d
    return most


class _PercentTicks(Formatter):
    """Percent tick labels with as many decimals as the tick spacing needs (the same in every chart).

    ``scale`` is 100 when the axis holds proportions, 1 when it already holds percentages.
    ``decimals`` of the plotting functions sets the labels, legend and alt text, never the ticks.
    """

    def __init__(self, scale: float) -> None:
        self.scale = scale
        self.decimals = 0

    def format_ticks(self, values: Any) -> list[str]:
        self.decimals = _tick_decimals([float(v) * self.scale for v in values])
        return [self(v, i) for i, v in enumerate(values)]

    def __call__(self, x: float, pos: int | None = None) -> str:
        return f"{x * self.scale:.{self.decimals}f}%"


def _percent_axis(axis: Any, *, scale: float = 100) -> None:
    """Percent ticks on ``axis`` (see :class:`_PercentTicks`)."""
    axis.set_major_formatter(_PercentTicks(scale))


def _labels_of(table: pd.DataFrame, by: Sequence[str]) -> list[str]:
    """Each row's stratum label as the data spell it ("2", "True", "Black · es")."""
    parts = [table[c].astype(object).map(str).tolist() for c in by]
    return [" · ".join(p) for p in zip(*parts, strict=True)]


def _display_value(column: str, value: Any) -> str:
    """A label a reader can place: numbers and yes/no values say which column they come from.

    >>> _display_value("deprivation_decile", 2), _display_value("interpreter_needed", True)
    ('deprivation decile 2', 'interpreter needed: yes')
    >>> _display_value("race", "Black")
    'Black'
    """
    name = str(column).replace("_", " ")
    if isinstance(value, bool | np.bool_):
        return f"{name}: {'yes' if value else 'no'}"
    if isinstance(value, numbers.Number) and not (isinstance(value, float) and math.isnan(value)):
        return f"{name} {value}"
    return str(value)


def _display_labels(table: pd.DataFrame, by: Sequence[str]) -> list[str]:
    """Each row's stratum label for ticks, titles and alt text (see :func:`_display_value`)."""
    parts = [[_display_value(c, v) for v in table[c].astype(object).tolist()] for c in by]
    return [" · ".join(p) for p in zip(*parts, strict=True)]


def _to_display(raw: list[str], shown: list[str], label: str | None) -> str | None:
    """The display form of a raw label (e.g. the reference group "2" → "deprivation decile 2")."""
    if label is None or label not in raw:
        return label
    return shown[raw.index(label)]


def _infer_by(data: pd.DataFrame, by: str | Sequence[str] | None) -> list[str]:
    """The ``by`` columns, read through the rates-table contract (:func:`helpers._rates.by_columns`)."""
    cols = by_columns(data, by)
    if not cols:
        raise ValueError(
            "could not tell which column names the groups; pass by='race_ethnicity' (or a list of columns)."
        )
    return cols


def _suppressed(data: pd.DataFrame) -> np.ndarray:
    if "suppressed" not in data.columns:
        return np.zeros(len(data), dtype=bool)
    return data["suppressed"].fillna(False).astype(bool).to_numpy()


def _complementary(data: pd.DataFrame) -> np.ndarray:
    """Rows hidden only to protect another small cell (``suppression_reason`` says so)."""
    if "suppression_reason" not in data.columns:
        return np.zeros(len(data), dtype=bool)
    reasons = data["suppression_reason"].fillna("").astype(str).str.strip().str.lower()
    return (reasons.str.startswith("complementary") & _suppressed(data)).to_numpy(dtype=bool)


def _hidden_texts(data: pd.DataFrame, min_cell: int) -> list[str | None]:
    """The label each hidden row shows: why it is hidden, never just a gap."""
    small, comp = _suppressed(data), _complementary(data)
    return [
        ("suppressed (protects a small cell)" if comp[i] else suppressed_label(min_cell))
        if small[i]
        else None
        for i in range(len(data))
    ]


def _suppression_words(data: pd.DataFrame, min_cell: int, noun: tuple[str, str]) -> str:
    """'2 strata suppressed (1–10)' or '1 stratum suppressed (1–10) and 1 more to protect it'."""
    comp = int(_complementary(data).sum())
    small = int(_suppressed(data).sum()) - comp
    if not small and not comp:
        return ""
    text = f"{small} {noun[0] if small == 1 else noun[1]} {suppressed_label(min_cell)}" if small else ""
    if comp:
        more = f"{comp} more to protect {'it' if small == 1 else 'them'}"
        text = (
            f"{text} and {more}"
            if text
            else f"{comp} {noun[0] if comp == 1 else noun[1]} suppressed to protect small groups"
        )
    return text


def _reference_of(data: pd.DataFrame) -> list[str]:
    """Distinct non-empty values of ``reference_group``."""
    if "reference_group" not in data.columns:
        return []
    values = data["reference_group"].dropna().astype(str).str.strip()
    return sorted(v for v in values.unique().tolist() if v)


def _numbers(data: pd.DataFrame, column: str) -> np.ndarray:
    """A column as floats (NaN allowed); text or other non-numbers raise, naming the row."""
    return rc._as_numbers(data[column].reset_index(drop=True), column)


def _check_intervals(
    labels: list[str], est: np.ndarray, low: np.ndarray, high: np.ndarray, what: str
) -> None:
    for i, label in enumerate(labels):
        if np.isnan(est[i]) or np.isnan(low[i]) or np.isnan(high[i]):
            continue
        tol = 1e-9 * max(1.0, abs(est[i]))
        if not low[i] - tol <= est[i] <= high[i] + tol:
            raise ValueError(
                f"{label}: the interval {low[i]:g} to {high[i]:g} does not contain the {what} {est[i]:g}; "
                "check that the low and high columns are not swapped."
            )


def _x_text(value: Any) -> str:
    if isinstance(value, pd.Timestamp | np.datetime64):
        ts = pd.Timestamp(value)
        return ts.strftime("%b %Y") if ts.day == 1 and ts.hour == 0 else ts.strftime("%d %b %Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass(frozen=True)
class _XAxis:
    """Where points go on the x axis and what a reader calls them.

    ``kind`` is "numbered" (no x given: points 1, 2, … at positions 1, 2, …), "numeric",
    "dates" or "category" (text labels at positions 0, 1, …).
    """

    positions: Any
    labels: list[str]
    kind: str

    def where(self, i: int) -> str:
        """How a sentence names point ``i``: "point 6" when numbered, else its label."""
        return f"point {self.labels[i]}" if self.kind == "numbered" else self.labels[i]

    def at(self, i: int | Sequence[int] | slice) -> Any:
        return np.asarray(self.positions, dtype=object if self.kind == "dates" else float)[i]

    def resolve(self, annotations: Mapping[Any, str] | None) -> list[tuple[Any, str]]:
        """(x position, text) for each annotation key (an x value, label or point number)."""
        out = []
        for key, text in (annotations or {}).items():
            pos = None
            if self.kind == "dates":
                try:
                    ts = pd.Timestamp(key)
                except (TypeError, ValueError):
                    ts = None
                if ts is not None and ts in set(self.positions):
                    pos = ts
            elif self.kind == "category":
                pos = self.labels.index(str(key)) if str(key) in self.labels else None
            elif isinstance(key, numbers.Real) and not isinstance(key, bool):
                pos = float(key) if any(float(key) == float(v) for v in self.positions) else None
            if pos is None:
                shown = ", ".join(self.labels[:5]) + (", …" if len(self.labels) > 5 else "")
                what = "point number" if self.kind == "numbered" else "x value"
                raise ValueError(f"annotation key {key!r} does not match any {what}; use one of: {shown}.")
            out.append((pos, str(text)))
        return out

    def style(self, ax: Axes) -> None:
        if self.kind == "category":
            n = len(self.labels)
            step = max(1, math.ceil(n / 12))
            ticks = list(range(0, n, step))
            ax.set_xticks(ticks, [self.labels[i] for i in ticks])
            if max(len(self.labels[i]) for i in ticks) > 5:
                for t in ax.get_xticklabels():
                    t.set_rotation(30)
                    t.set_horizontalalignment("right")
        elif self.kind == "numbered":
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            ax.set_xlabel("Point (time order)")
        elif self.kind == "dates":
            locator = AutoDateLocator(maxticks=12)
            ax.xaxis.set_major_locator(locator)
            ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))


def _x_axis(n: int, x: Any, values: Any = None) -> _XAxis:
    if x is None and isinstance(values, pd.Series) and not isinstance(values.index, pd.RangeIndex):
        x = values.index
    if x is None:
        return _XAxis(np.arange(1, n + 1), [str(i + 1) for i in range(n)], "numbered")
    xs = list(x)
    if len(xs) != n:
        raise ValueError(f"x has {len(xs)} labels but there are {n} values; give one label per point.")
    if isinstance(x, pd.DatetimeIndex) or all(isinstance(v, pd.Timestamp | np.datetime64) for v in xs):
        dates = pd.DatetimeIndex(xs)
        return _XAxis(dates, [_x_text(v) for v in dates], "dates")
    if all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in xs):
        return _XAxis(np.asarray(xs, dtype=float), [_x_text(v) for v in xs], "numeric")
    return _XAxis(np.arange(n), [str(v) for v in xs], "category")


def _draw_annotations(ax: Axes, items: list[tuple[Any, str]]) -> None:
    """Dotted vertical line and a label at the top for each annotated change (e.g. a PDSA cycle)."""
    if not items:
        return
    bottom, top = ax.get_ylim()
    ax.set_ylim(bottom, top + (top - bottom) * (0.22 + 0.12 * min(len(items) - 1, 2)))  # headroom for labels
    for k, (pos, text) in enumerate(items):
        ax.axvline(
            pos, color=NEUTRAL, linestyle=":", linewidth=1.4, marker="none", zorder=1, gid="annotation-line"
        )
        ax.annotate(
            "\n".join(textwrap.wrap(text, 24)),
            xy=(pos, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(3, -4 - 26 * (k % 3)),
            textcoords="offset points",
            ha="left",
            va="top",
            fontsize=10,
            color=OKABE_ITO["black"],
            bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none", "alpha": 0.9},
        )


def _legend(ax: Axes, own: bool) -> None:
    """Legend below the chart (own figure) or in the best free spot (caller's axes)."""
    handles, labels = ax.get_legend_handles_labels()
    if not handles:
        return
    if own:
        ncols = 2 if max(len(label) for label in labels) > 28 else 3
        _figure_of(ax).legend(handles, labels, loc="outside lower center", ncols=ncols)
    else:
        ax.legend(handles, labels, loc="best")


# --------------------------------------------------------------------------------------------
# Stratified rates and gaps
# --------------------------------------------------------------------------------------------


def _forest_axes(ax: Axes | None, n: int) -> tuple[MplFigure, Axes, bool]:
    return _axes(ax, (WIDTH, 1.6 + 0.45 * n))


def _hidden_label(ax: Axes, y: float, text: str) -> None:
    """The 'suppressed (1–10)' / 'no data' label at the left edge of a stratum's row."""
    ax.text(
        0.01,
        y,
        text,
        transform=ax.get_yaxis_transform(),
        ha="left",
        va="center",
        fontsize=10,
        style="italic",
        color=ROLE_COLORS["suppressed"],
        gid="suppressed-label",
    )


@dataclass(frozen=True)
class _RatesPlotData:
    """What :func:`stratified_rates_plot` draws and describes (made by :func:`_prepare_rates`)."""

    table: pd.DataFrame
    by: list[str]
    labels: list[str]  # display labels, in table order
    rate: np.ndarray
    low: np.ndarray
    high: np.ndarray
    hidden: np.ndarray  # suppressed, or no rate
    hidden_text: list[str | None]
    ref_label: str | None  # display label of the reference group
    order: list[int]  # rows top to bottom
    level: float
    min_cell: int

    @property
    def shown(self) -> list[int]:
        return [i for i in self.order if not self.hidden[i]]


def _prepare_rates(
    rates: pd.DataFrame,
    by: str | Sequence[str] | None,
    *,
    reference: Hashable | None,
    level: float | None,
    min_cell: int | None,
    sort: bool,
) -> _RatesPlotData:
    """Validate a rates table and read everything the plot needs from it (pure; no drawing).

    >>> t = pd.DataFrame({"decile": [1, 2], "rate": [0.4, 0.6], "ci_low": [0.3, 0.5],
    ...                   "ci_high": [0.5, 0.7]})
    >>> d = _prepare_rates(t, None, reference=2, level=None, min_cell=None, sort=True)
    >>> d.labels, d.ref_label, d.order, d.level
    (['decile 1', 'decile 2'], 'decile 2', [1, 0], 0.95)
    """
    require_dataframe(rates, what="rates")
    require_columns(rates, ["rate", "ci_low", "ci_high"], what="rates")
    if rates.empty:
        raise ValueError("rates has no rows; there is nothing to plot.")
    by_cols = _infer_by(rates, by)
    settings = table_settings(rates, level=level, min_cell=min_cell)
    table = rates.reset_index(drop=True)
    raw = _labels_of(table, by_cols)
    rate, low, high = (_numbers(table, c) for c in ("rate", "ci_low", "ci_high"))
    _check_intervals(raw, rate, low, high, "rate")
    hidden = _suppressed(table) | np.isnan(rate)
    display = _display_labels(table, by_cols)
    if reference is None and "reference_group" in table.columns:
        refs = _reference_of(table)
        reference = refs[0] if len(refs) == 1 else None
    ref_label = None
    if reference is not None:
        ref_label = " · ".join(map(str, reference)) if isinstance(reference, tuple) else str(reference)
        if ref_label not in raw and ref_label in display:
            ref_label = raw[display.index(ref_label)]
        require_group(ref_label, raw, column=by_cols if len(by_cols) > 1 else by_cols[0], role="reference")
    order = list(range(len(raw)))
    if sort:
        order.sort(key=lambda i: (hidden[i], 0.0 if hidden[i] else -rate[i]))
    return _RatesPlotData(
        table=table,
        by=by_cols,
        labels=display,
        rate=rate,
        low=low,
        high=high,
        hidden=hidden,
        hidden_text=_hidden_texts(table, settings.min_cell),
        ref_label=_to_display(raw, display, ref_label),
        order=order,
        level=settings.level,
        min_cell=settings.min_cell,
    )


def _describe_rates(d: _RatesPlotData, *, measure: str, percent: bool, decimals: int) -> tuple[str, str]:
    """The alt text and the finding-style title of a stratified-rates plot (pure).

    >>> t = pd.DataFrame({"race": ["A", "B"], "rate": [0.4, 0.6], "ci_low": [0.3, 0.5],
    ...                   "ci_high": [0.5, 0.7]})
    >>> t.attrs = {"measure": {"level": 0.9}}
    >>> d = _prepare_rates(t, None, reference=None, level=None, min_cell=None, sort=False)
    >>> alt, title = _describe_rates(d, measure="Control", percent=True, decimals=0)
    >>> alt
    'Control by race: highest B 60% (90% CI 50–70%), lowest A 40% (30–50%).'
    >>> title
    'Control ranges from 40% (A) to 60% (B)'
    """
    labels, rate, shown = d.labels, d.rate, d.shown
    by_name = " × ".join(d.by).replace("_", " ")

    def value(i: int) -> str:
        return _fmt(rate[i], percent=percent, decimals=decimals)

    def phrase(i: int, ci_words: bool) -> str:
        ci = _fmt_range(d.low[i], d.high[i], percent=percent, decimals=decimals)
        return f"{labels[i]} {value(i)} ({f'{level_label(d.level)} ' if ci_words else ''}{ci})"

    hi_i = max(shown, key=lambda i: rate[i]) if shown else None
    lo_i = min(shown, key=lambda i: rate[i]) if shown else None
    if hi_i is None or lo_i is None:
        finding = "no stratum can be shown"
    elif hi_i == lo_i:
        finding = f"only {phrase(hi_i, True)} can be shown"
    else:
        finding = f"highest {phrase(hi_i, True)}, lowest {phrase(lo_i, False)}"
    extras = [f"reference group {d.ref_label}"] if d.ref_label is not None else []
    hidden_words = _suppression_words(d.table, d.min_cell, ("stratum", "strata"))
    if hidden_words:
        extras.append(hidden_words)
    alt = f"{measure} by {by_name}: {finding}" + "".join(f"; {e}" for e in extras) + "."
    if hi_i is not None and lo_i is not None and hi_i != lo_i:
        title = f"{measure} ranges from {value(lo_i)} ({labels[lo_i]}) to {value(hi_i)} ({labels[hi_i]})"
    else:
        title = f"{measure} by {by_name}"
    return alt, title


def _draw_rates(
    ax: Axes, d: _RatesPlotData, *, measure: str, percent: bool, decimals: int, xlabel: str | None
) -> None:
    """Draw the dots, whiskers, reference line and suppressed labels of a stratified-rates plot."""
    labels, rate, low, high, order = d.labels, d.rate, d.low, d.high, d.order
    n = len(order)
    ys = {i: n - 1 - k for k, i in enumerate(order)}
    shown = d.shown
    plain = [i for i in shown if labels[i] != d.ref_label]
    if plain:
        ax.errorbar(
            rate[plain],
            [ys[i] for i in plain],
            xerr=[rate[plain] - low[plain], high[plain] - rate[plain]],
            fmt="o",
            color=ROLE_COLORS["data"],
            elinewidth=2,
            capsize=4,
            markersize=8,
            label=f"{measure} with {level_label(d.level)}",
        )
    ref_i = next((i for i in shown if labels[i] == d.ref_label), None)
    if ref_i is not None:
        ax.errorbar(
            [rate[ref_i]],
            [ys[ref_i]],
            xerr=[[rate[ref_i] - low[ref_i]], [high[ref_i] - rate[ref_i]]],
            fmt="D",
            color=ROLE_COLORS["reference"],
            elinewidth=2,
            capsize=4,
            markersize=9,
            label=f"Reference group ({d.ref_label})",
        )
        ax.axvline(
            rate[ref_i],
            color=ROLE_COLORS["reference"],
            linestyle="--",
            linewidth=1.5,
            zorder=1,
            label=f"Reference rate {_fmt(rate[ref_i], percent=percent, decimals=decimals)}",
        )
    for i in order:
        if d.hidden[i]:
            _hidden_label(ax, ys[i], d.hidden_text[i] or "no data")
    ticks = [f"{labels[i]} (reference)" if labels[i] == d.ref_label else labels[i] for i in order]
    ax.set_yticks([ys[i] for i in order], ticks)
    ax.set_ylim(-0.7, n - 0.3)
    if shown:
        left, right = float(np.nanmin(low[shown])), float(np.nanmax(high[shown]))
        pad = max((right - left) * 0.15, 0.02 if percent else abs(right) * 0.05 + 1e-9)
        left, right = left - pad, right + pad
        if d.hidden.any():  # room for the "suppressed" label at the left
            left -= (right - left) * 0.35
        if percent:
            left, right = max(0.0, left), min(1.0, right)
        ax.set_xlim(left, right)
    if percent:
        _percent_axis(ax.xaxis)
    ax.set_xlabel(xlabel or ("Percent" if percent else measure))
    ax.grid(axis="y", visible=False)


@share_docs(plot=PLOT_PARAMS, rates=RATES_PLOT_PARAMS)
def stratified_rates_plot(
    rates: pd.DataFrame,
    by: str | Sequence[str] | None = None,
    *,
    reference: Hashable | None = None,
    measure: str = "Rate",
    percent: bool = True,
    decimals: int = 0,
    min_cell: int | None = None,
    level: float | None = None,
    sort: bool = False,
    title: str | None = None,
    xlabel: str | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Dot-and-whisker chart of a rate for every stratum, with suppressed strata labelled.

    One row per stratum: the point is the rate, the line its confidence interval. The
    reference group is drawn as a diamond in a second colour, marked "(reference)" and with a
    dashed line at its rate; suppressed strata are listed as "suppressed (1–10)" (the range
    follows the table's threshold).

    Parameters
    ----------
    rates : pandas.DataFrame
        Output of :func:`helpers.measures.stratified_rates` (or :func:`helpers.disparities.gaps`):
        the ``by`` column(s), ``rate``, ``ci_low``, ``ci_high`` and optionally ``suppressed``.
    by : str or list of str, optional
        Column(s) naming the strata; by default the text columns that are not rate columns.
    reference : optional
        The reference group's label (for several ``by`` columns, the labels joined by " · ").
        Defaults to the ``reference_group`` column when present.
    measure : str, default "Rate"
        What is measured, for the title and alt text (e.g. "Blood-pressure control").
    percent : bool, default True
        Rates are proportions shown as percentages.
    decimals : int, default 0
        Decimals in labels, legend and alt text. Axis ticks show as many decimals as their
        spacing needs, in every chart, whatever ``decimals`` says.
    {rates.min_cell}
    level : float, optional
        Confidence level of the intervals (for the legend and alt text). Default: the one
        the table was made with (``rates.attrs["measure"]["level"]``), else 0.95.
    sort : bool, default False
        Sort strata by rate (highest first) instead of keeping the table's order.
    title, xlabel : str, optional
        Override the finding-style title and the axis label (default "Percent").
    {plot.ax}

    Returns
    -------
    Figure

    Raises
    ------
    KeyError
        If ``rate``, ``ci_low``, ``ci_high`` or a ``by`` column is missing.
    ValueError
        If ``reference`` is not one of the strata, or there are no rows.

    Examples
    --------
    >>> rates = pd.DataFrame({
    ...     "race": ["White", "Black", "Asian", "AIAN"],
    ...     "rate": [0.55, 0.41, 0.52, None],
    ...     "ci_low": [0.53, 0.39, 0.48, None],
    ...     "ci_high": [0.57, 0.43, 0.56, None],
    ...     "suppressed": [False, False, False, True],
    ... })
    >>> result = stratified_rates_plot(rates, reference="White", measure="Blood-pressure control",
    ...                                xlabel="Percent controlled")
    >>> print(result.alt_text)  # doctest: +NORMALIZE_WHITESPACE
    Blood-pressure control by race: highest White 55% (95% CI 53–57%), lowest Black 41%
    (39–43%); reference group White; 1 stratum suppressed (1–10).
    >>> result.title
    'Blood-pressure control ranges from 41% (Black) to 55% (White)'
    """
    data = _prepare_rates(rates, by, reference=reference, level=level, min_cell=min_cell, sort=sort)
    alt, default_title = _describe_rates(data, measure=measure, percent=percent, decimals=decimals)
    with book_style():
        fig, ax, own = _forest_axes(ax, len(data.order))
        _draw_rates(ax, data, measure=measure, percent=percent, decimals=decimals, xlabel=xlabel)
        _legend(ax, own)
        _title(ax, title if title is not None else default_title, own)
    return Figure(fig, alt, analysis=data.table)


def _gap_words(
    d: float, low: float, high: float, *, percent: bool, decimals: int, ref: str
) -> tuple[str, str]:
    """('15 percentage points lower than White', '11 to 19 lower') for a gap and its interval."""
    scale = 100 if percent else 1
    unit = " percentage points" if percent else ""
    tiny = 0.5 * 10 ** (-decimals)

    def size(v: float) -> str:
        return f"{abs(v) * scale:.{decimals}f}"

    def side(v: float) -> int:
        return 0 if abs(v) * scale < tiny else (1 if v > 0 else -1)

    main = (
        "the same as " + ref
        if side(d) == 0
        else f"{size(d)}{unit} {'higher' if d > 0 else 'lower'} than {ref}"
    )
    s_lo, s_hi = side(low), side(high)
    if s_lo == s_hi != 0:
        a, b = sorted((abs(low), abs(high)))
        ci = f"{a * scale:.{decimals}f} to {b * scale:.{decimals}f} {'higher' if s_lo > 0 else 'lower'}"
    else:

        def word(v: float, s: int) -> str:
            return "no difference" if s == 0 else f"{size(v)} {'higher' if s > 0 else 'lower'}"

        ci = f"{word(low, s_lo)} to {word(high, s_hi)}"
    return main, ci


@share_docs(plot=PLOT_PARAMS, rates=RATES_PLOT_PARAMS)
def gap_plot(
    gaps: pd.DataFrame,
    by: str | Sequence[str] | None = None,
    *,
    time: str | None = None,
    measure: str = "Rate",
    percent: bool = True,
    decimals: int = 0,
    min_cell: int | None = None,
    level: float | None = None,
    annotations: Mapping[Any, str] | None = None,
    title: str | None = None,
    label: str | None = None,
    ax: Axes | None = None,
) -> Figure:
    """The gap to the reference group: per group, or for one group over time.

    Without ``time``: one row per group of :func:`helpers.disparities.gaps` output, showing
    the difference from the reference (``abs_diff``) with its interval, a dashed line at zero
    labelled "no gap", the reference group marked and suppressed groups labelled. With
    ``time``: the gap series of :func:`helpers.runcharts.gap_series` as a line with its
    interval band, and optional annotations for the changes tested.

    Parameters
    ----------
    gaps : pandas.DataFrame
        Columns ``abs_diff``, ``abs_diff_ci_low``, ``abs_diff_ci_high`` and ``reference_group``
        (plus ``group`` for a gap series), optionally ``suppressed``.
    by : str or list of str, optional
        Group column(s) when ``time`` is not given (inferred by default).
    time : str, optional
        Time column: draw the gap over time.
    measure : str, default "Rate"
        What the rates measure, for the title and alt text.
    percent : bool, default True
        Rates are proportions; the gap is shown in percentage points.
    decimals : int, default 0
        Decimals in labels and alt text (percentage points when ``percent``).
    {rates.min_cell}
    level : float, optional
        Confidence level of the gap intervals, for the legend and alt text. Default: the one
        recorded by :func:`helpers.disparities.gaps` or :func:`helpers.runcharts.gap_series`,
        else 0.95.
    annotations : mapping, optional
        ``{time value: "PDSA 1: reminder calls"}`` (time mode).
    title, label : str, optional
        Override the title; ``label`` names the value axis (default "Difference from
        <reference> (percentage points)").
    {plot.ax}

    Returns
    -------
    Figure

    Raises
    ------
    KeyError
        If a needed column is missing.
    ValueError
        If the frame is empty, has more than one reference group, or (over time) more than
        one focus group.

    Examples
    --------
    >>> gaps = pd.DataFrame({
    ...     "month": [1, 2, 3, 4],
    ...     "group": "Black", "reference_group": "White",
    ...     "abs_diff": [-0.15, -0.12, -0.08, -0.04],
    ...     "abs_diff_ci_low": [-0.19, -0.16, -0.12, -0.08],
    ...     "abs_diff_ci_high": [-0.11, -0.08, -0.04, 0.0],
    ... })
    >>> result = gap_plot(gaps, time="month", measure="Blood-pressure control")
    >>> print(result.alt_text)  # doctest: +NORMALIZE_WHITESPACE
    Gap in blood-pressure control between Black and White over 4 time points: 15 percentage
    points lower than White at month 1 (95% CI 11 to 19 lower) and 4 percentage points lower
    than White at month 4 (95% CI 8 lower to no difference).
    """
    require_dataframe(gaps, what="gaps")
    require_columns(gaps, ["abs_diff", "abs_diff_ci_low", "abs_diff_ci_high", "reference_group"], what="gaps")
    if gaps.empty:
        raise ValueError("gaps has no rows; there is nothing to plot.")
    refs = _reference_of(gaps)
    if len(refs) != 1:
        raise ValueError(f"gaps must have one reference group, found {len(refs)}: {refs}.")
    ref = str(refs[0])
    by_cols: list[str] = []
    if time is None:
        by_cols = _infer_by(gaps, by)
        table = gaps.reset_index(drop=True)
        ref = _to_display(_labels_of(table, by_cols), _display_labels(table, by_cols), ref) or ref
    settings = table_settings(gaps, level=level, min_cell=min_cell, gaps=True)
    if label is None:
        label = f"Difference from {ref} (percentage points)" if percent else f"Difference from {ref}"
    common: dict[str, Any] = {
        "ref": ref,
        "measure": measure,
        "percent": percent,
        "decimals": decimals,
        "label": label,
        "ci": level_label(settings.level),
    }
    if time is not None:
        return _gap_over_time(gaps, time, annotations=annotations, title=title, ax=ax, **common)
    return _gap_by_group(gaps, by_cols, min_cell=settings.min_cell, title=title, ax=ax, **common)


def _gap_by_group(
    gaps: pd.DataFrame,
    by_cols: list[str],
    *,
    ref: str,
    measure: str,
    percent: bool,
    decimals: int,
    label: str,
    ci: str,
    min_cell: int,
    title: str | None,
    ax: Axes | None,
) -> Figure:
    table = gaps.reset_index(drop=True)
    labels = _display_labels(table, by_cols)
    scale = 100 if percent else 1
    d, lo, hi = (_numbers(table, c) for c in ("abs_diff", "abs_diff_ci_low", "abs_diff_ci_high"))
    _check_intervals(labels, d, lo, hi, "gap")
    suppressed = _suppressed(table)
    hidden_text = _hidden_texts(table, min_cell)
    is_ref = np.array([lab == ref for lab in labels])
    hidden = suppressed | (np.isnan(d) & ~is_ref)
    n = len(labels)
    ys = [n - 1 - i for i in range(n)]
    shown = [i for i in range(n) if not hidden[i] and not is_ref[i]]
    with book_style():
        fig, ax, own = _forest_axes(ax, n)
        if shown:
            ax.errorbar(
                d[shown] * scale,
                [ys[i] for i in shown],
                xerr=[(d[shown] - lo[shown]) * scale, (hi[shown] - d[shown]) * scale],
                fmt="o",
                color=ROLE_COLORS["data"],
                elinewidth=2,
                capsize=4,
                markersize=8,
                label=f"Gap with {ci}",
            )
        ax.axvline(
            0, color=ROLE_COLORS["reference"], linestyle="--", linewidth=1.5, label=f"No gap (same as {ref})"
        )
        for i in range(n):
            if is_ref[i]:
                ax.plot(
                    [0], [ys[i]], marker="D", color=ROLE_COLORS["reference"], markersize=9, linestyle="none"
                )
            elif hidden[i]:
                _hidden_label(ax, ys[i], hidden_text[i] or "no data")
        ax.set_yticks(ys, [f"{lab} (reference)" if is_ref[i] else lab for i, lab in enumerate(labels)])
        ax.set_ylim(-0.7, n - 0.3)
        ax.set_xlabel(label)
        ax.grid(axis="y", visible=False)
        _legend(ax, own)
        by_name = " × ".join(by_cols).replace("_", " ")
        if shown:
            widest = max(shown, key=lambda i: abs(d[i]))
            main, interval = _gap_words(
                d[widest], lo[widest], hi[widest], percent=percent, decimals=decimals, ref=ref
            )
            finding = f"the largest gap is {labels[widest]}, {main} ({ci} {interval})"
            if title is None:
                title = f"{measure} by {by_name}: {labels[widest]} is {main}"
        else:
            finding = "no gap can be shown"
            title = title or f"{measure} by {by_name}: gaps to {ref}"
        hidden_words = _suppression_words(table, min_cell, ("group", "groups"))
        extra = f"; {hidden_words}" if hidden_words else ""
        alt = f"Gap in {measure.lower()} to {ref} by {by_name}: {finding}{extra}."
        _title(ax, title, own)
    return Figure(fig, alt, analysis=table)


def _gap_over_time(
    gaps: pd.DataFrame,
    time: str,
    *,
    ref: str,
    measure: str,
    percent: bool,
    decimals: int,
    label: str,
    ci: str,
    annotations: Mapping[Any, str] | None,
    title: str | None,
    ax: Axes | None,
) -> Figure:
    require_columns(gaps, [time], what="gaps")
    table = gaps.sort_values(time).reset_index(drop=True)
    groups = table["group"].dropna().unique().tolist() if "group" in table.columns else []
    if len(groups) > 1:
        raise ValueError(f"a gap series shows one group; found {len(groups)}: {groups}. Filter to one first.")
    focus = str(groups[0]) if groups else "the group"
    scale = 100 if percent else 1
    d, lo, hi = (_numbers(table, c) for c in ("abs_diff", "abs_diff_ci_low", "abs_diff_ci_high"))
    axis = _x_axis(len(table), table[time])
    _check_intervals([f"{time} {lab}" for lab in axis.labels], d, lo, hi, "gap")
    when = [
        f"in {lab}" if axis.kind == "dates" else f"at {time.replace('_', ' ')} {lab}" for lab in axis.labels
    ]
    with book_style():
        fig, ax, own = _axes(ax, (WIDTH, 4.5))
        ax.fill_between(
            axis.positions,
            lo * scale,
            hi * scale,
            color=ROLE_COLORS["data"],
            alpha=0.18,
            lw=0,
            label=ci,
        )
        ax.plot(
            axis.positions,
            d * scale,
            color=ROLE_COLORS["data"],
            marker="o",
            ls="-",
            label=f"Gap: {focus} − {ref}",
        )
        ax.axhline(
            0, color=ROLE_COLORS["reference"], linestyle="--", linewidth=1.5, label=f"No gap (same as {ref})"
        )
        axis.style(ax)
        _draw_annotations(ax, axis.resolve(annotations))
        ax.set_ylabel(label)
        ax.set_xlabel(time.replace("_", " ").capitalize())
        _legend(ax, own)
        first = _gap_words(d[0], lo[0], hi[0], percent=percent, decimals=decimals, ref=ref)
        last = _gap_words(d[-1], lo[-1], hi[-1], percent=percent, decimals=decimals, ref=ref)
        alt = (
            f"Gap in {measure.lower()} between {focus} and {ref} over {len(table)} time points: "
            f"{first[0]} {when[0]} ({ci} {first[1]}) and {last[0]} {when[-1]} ({ci} {last[1]})."
        )
        if title is None:
            change = abs(d[-1]) - abs(d[0])
            verb = "narrowed" if change < 0 else "widened" if change > 0 else "did not change"
            unit = " points" if percent else ""
            title = (
                f"{measure}: the gap between {focus} and {ref} {verb} "
                f"from {abs(d[0]) * scale:.{decimals}f} to {abs(d[-1]) * scale:.{decimals}f}{unit}"
            )
        _title(ax, title, own)
    return Figure(fig, alt, analysis=table)


# --------------------------------------------------------------------------------------------
# Run charts and SPC charts
# --------------------------------------------------------------------------------------------


@share_docs(plot=PLOT_PARAMS, runs=RUN_PARAMS)
def run_chart(
    values: Sequence[float] | np.ndarray | pd.Series,
    *,
    x: Sequence[Any] | None = None,
    rules: rc.Rules = "ihi",
    baseline: int | None = None,
    astronomical: bool = False,
    missing: rc.Missing = "raise",
    annotations: Mapping[Any, str] | None = None,
    measure: str = "the measure",
    percent: bool = False,
    decimals: int | None = None,
    ylabel: str | None = None,
    title: str | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Run chart: the series, its median (or frozen baseline median) and the signals found.

    Signals of :func:`helpers.runcharts.run_chart_signals` are highlighted with their own
    colour *and* marker: shift points as vermillion diamonds, trend points as purple open
    triangles, possible astronomical points as black stars. Annotations mark the changes
    tested (e.g. PDSA cycles) with a dotted line and a label.

    Parameters
    ----------
    values : sequence of float or pandas.Series
        The measure in time order (a Series' index is used as ``x`` unless it is 0, 1, 2 …).
    {plot.x}
    {runs.rules}
    {runs.baseline}
    {runs.astronomical}
    {runs.missing}
    annotations : mapping, optional
        ``{x value: "PDSA 1: text reminders"}``; without ``x``, keys are point numbers (from 1).
    {plot.measure_series}
    percent : bool, default False
        Values are proportions shown as percentages.
    {plot.decimals_series}
    {plot.ylabel_title}
    {plot.ax}

    Returns
    -------
    Figure
        ``analysis`` holds the :class:`~helpers.runcharts.RunChartSignals`.

    Raises
    ------
    ValueError
        As :func:`helpers.runcharts.run_chart_signals`; also if ``x`` has the wrong length or
        an annotation key matches no point.

    References
    ----------
    Perla RJ, Provost LP, Murray SK (2011). BMJ Qual Saf 20:46–51.

    Examples
    --------
    >>> result = run_chart([48, 52, 47, 53, 49, 51, 50, 54, 56, 55, 57, 58], baseline=7,
    ...                    annotations={7: "PDSA 1"})
    >>> print(result.alt_text)  # doctest: +NORMALIZE_WHITESPACE
    Run chart of the measure over 12 points from 1 to 12 with the baseline median 50.0 (first 7
    points): the IHI run-chart rules find a shift of 6 points above the baseline median (points 6–12).
    >>> result.title
    'Shift: 6 points above the baseline median from point 6'
    """
    data = _prepare_run_chart(
        values,
        x=x,
        rules=rules,
        baseline=baseline,
        astronomical=astronomical,
        missing=missing,
        annotations=annotations,
        percent=percent,
        decimals=decimals,
    )
    alt, default_title = _describe_run_chart(data, measure=measure)
    with book_style():
        fig, ax, own = _axes(ax, (WIDTH, 4.5))
        _draw_run_chart(ax, data, measure=measure, annotations=annotations, ylabel=ylabel)
        _legend(ax, own)
        _title(ax, title if title is not None else default_title, own)
    return Figure(fig, alt, analysis=data.signals)


@dataclass(frozen=True)
class _RunChartData:
    """What :func:`run_chart` draws and describes (made by :func:`_prepare_run_chart`)."""

    ys: np.ndarray  # the values as given, missing points kept (NaN)
    signals: rc.RunChartSignals
    axis: _XAxis
    percent: bool
    decimals: int
    baseline: int | None

    def fmt(self, value: float) -> str:
        return _fmt(value, percent=self.percent, decimals=self.decimals)


def _prepare_run_chart(
    values: Sequence[float] | np.ndarray | pd.Series,
    *,
    x: Sequence[Any] | None,
    rules: rc.Rules,
    baseline: int | None,
    astronomical: bool,
    missing: rc.Missing,
    annotations: Mapping[Any, str] | None,
    percent: bool,
    decimals: int | None,
) -> _RunChartData:
    """Apply the run-chart rules, place the points and check the annotations (pure; no drawing).

    >>> d = _prepare_run_chart([0.4, 0.5, 0.45], x=["Jan", "Feb", "Mar"], rules="ihi", baseline=None,
    ...                        astronomical=False, missing="raise", annotations={"Feb": "PDSA 1"},
    ...                        percent=True, decimals=None)
    >>> d.signals.center, d.axis.labels, d.decimals, d.fmt(d.signals.center)
    (0.45, ['Jan', 'Feb', 'Mar'], 1, '45.0%')
    """
    signals = rc.run_chart_signals(
        values, rules, baseline=baseline, astronomical=astronomical, missing=missing
    )
    arr = rc._as_numbers(values, "values")
    axis = _x_axis(len(arr), x, values)
    axis.resolve(annotations)  # an annotation that matches no point is an error before anything is drawn
    return _RunChartData(
        ys=arr,
        signals=signals,
        axis=axis,
        percent=percent,
        decimals=_chart_decimals(arr, percent) if decimals is None else decimals,
        baseline=baseline,
    )


def _describe_run_chart(d: _RunChartData, *, measure: str) -> tuple[str, str]:
    """The alt text and the finding-style title of a run chart (pure).

    >>> d = _prepare_run_chart([48, 52, 47, 53, 49, 51, 50, 54, 56, 55, 57, 58], x=None, rules="ihi",
    ...                        baseline=None, astronomical=False, missing="raise", annotations=None,
    ...                        percent=False, decimals=None)
    >>> alt, title = _describe_run_chart(d, measure="visits")
    >>> print(alt)  # doctest: +NORMALIZE_WHITESPACE
    Run chart of visits over 12 points from 1 to 12 with median 52.5: the IHI run-chart rules find no
    signal (random variation).
    >>> title
    'Visits: no signal, only random variation'
    """
    signals, axis = d.signals, d.axis
    name = rc._RULE_NAMES[signals.rules]
    found = signals.findings(label=lambda i: axis.labels[i])
    if found:
        verdict = f"the {name} find " + "; ".join(found)
    elif signals.signal is False:
        verdict = f"the {name} find no signal (random variation)"
    else:
        reasons = [note for note in signals.notes if note.startswith("not enough data")]
        verdict = "no signal found, but " + (reasons[0] if reasons else "not every rule could be applied")
    centre_words = (
        f"the baseline median {d.fmt(signals.center)} (first {d.baseline} points)"
        if d.baseline is not None
        else f"median {d.fmt(signals.center)}"
    )
    alt = (
        f"Run chart of {measure} over {signals.n} points from {axis.labels[0]} to {axis.labels[-1]} "
        f"with {centre_words}: {verdict}."
    )
    return alt, _run_title(signals, axis.where, measure)


def _draw_run_chart(
    ax: Axes,
    d: _RunChartData,
    *,
    measure: str,
    annotations: Mapping[Any, str] | None,
    ylabel: str | None,
) -> None:
    """Draw the series, the (baseline) median, the signal markers and the annotated changes."""
    signals, axis, baseline = d.signals, d.axis, d.baseline
    n = len(d.ys)
    scale = 100 if d.percent else 1
    marks = d.ys * scale
    _draw_series(ax, axis, marks, measure)
    c = signals.center * scale
    centre: dict[str, Any] = {"color": ROLE_COLORS["center"], "zorder": 2, "marker": "none"}
    if baseline is not None:
        base_label = f"Baseline median {d.fmt(signals.center)} (first {baseline} points)"
        ax.plot(
            axis.at(slice(0, baseline)), [c] * baseline, linestyle="-", lw=1.8, label=base_label, **centre
        )
        if baseline < n:
            rest = axis.at(slice(baseline - 1, n))
            ax.plot(rest, [c] * len(rest), linestyle="--", lw=1.5, label="Baseline median extended", **centre)
    else:
        ax.plot(
            axis.at([0, -1]),
            [c, c],
            linestyle="--",
            lw=1.5,
            label=f"Median {d.fmt(signals.center)}",
            **centre,
        )
    rule = (
        "6 or more on one side"
        if signals.rules in rc.IHI_RULE_SETS
        else f"run longer than {signals.longest_run_limit}"
    )
    _mark_points(ax, axis, marks, signals.shift_points, _SHIFT_MARK, zorder=4, label=f"Shift ({rule})")
    _mark_points(
        ax, axis, marks, signals.trend_points, _TREND_MARK, zorder=5, label="Trend (5 or more up or down)"
    )
    _mark_points(
        ax,
        axis,
        marks,
        signals.astronomical_points,
        {"s": 220, "marker": "*", "color": OKABE_ITO["black"]},
        zorder=6,
        label="Possible astronomical point (judge)",
    )
    _style_time_axes(ax, axis, annotations, percent=d.percent, decimals=d.decimals)
    ax.set_ylabel(ylabel or ("Percent" if d.percent else _cap(measure)))


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


# Signal markers shared by run and control charts: colour *and* shape, so colour is never the only cue.
_SHIFT_MARK = {"s": 90, "marker": "D", "color": ROLE_COLORS["signal"]}
_TREND_MARK = {
    "s": 120,
    "marker": "^",
    "facecolors": "none",
    "edgecolors": ROLE_COLORS["trend"],
    "linewidths": 2,
}


def _chart_decimals(values: np.ndarray, percent: bool) -> int:
    """Default decimals for a time-series chart's labels (one more for percentages)."""
    return _default_decimals(list(values[~np.isnan(values)]), percent) + (1 if percent else 0)


def _draw_series(ax: Axes, axis: _XAxis, ys: np.ndarray, measure: str) -> None:
    """The measure in time order: dots joined by a line, above the centre lines."""
    ax.plot(
        axis.positions,
        ys,
        color=ROLE_COLORS["data"],
        marker="o",
        linestyle="-",
        label=_cap(measure),
        zorder=3,
    )


def _mark_points(
    ax: Axes,
    axis: _XAxis,
    ys: np.ndarray,
    points: Sequence[int],
    style: Mapping[str, Any],
    *,
    zorder: int,
    label: str,
) -> None:
    """Highlight the signal ``points`` (indices into ``ys``); nothing when there are none."""
    pts = list(points)
    if pts:
        ax.scatter(axis.at(pts), ys[pts], zorder=zorder, label=label, **style)


def _style_time_axes(
    ax: Axes, axis: _XAxis, annotations: Mapping[Any, str] | None, *, percent: bool, decimals: int
) -> None:
    """Ticks for the x axis, the annotated changes, and a percent y axis (values already × 100)."""
    axis.style(ax)
    _draw_annotations(ax, axis.resolve(annotations))
    if percent:
        _percent_axis(ax.yaxis, scale=1)


def _run_title(signals: rc.RunChartSignals, where: Callable[[int], str], measure: str) -> str:
    if signals.shifts:
        first, last, side = signals.shifts[-1]
        k = sum(1 for p in signals.shift_points if first <= p <= last)
        return f"Shift: {k} points {side} the {signals.center_kind} from {where(first)}"
    if signals.trend:
        first = signals.trend_points[0]
        return f"Trend: {len(signals.trend_points)} points in one direction from {where(first)}"
    if signals.runs_signal:
        if signals.rules in rc.IHI_RULE_SETS and signals.runs_range and signals.runs is not None:
            few = signals.runs < signals.runs_range[0]
            low, high = signals.runs_range
            return f"Too {'few' if few else 'many'} runs ({signals.runs}; expected {low}–{high})"
        expected = f"{signals.crossings_limit} or more expected"
        return f"Too few crossings of the centre line ({signals.crossings}; {expected})"
    if signals.signal is False:
        return f"{_cap(measure)}: no signal, only random variation"
    return f"{_cap(measure)}: not enough data to apply every rule"


_CHART_NAMES = {
    "i": "I-chart",
    "p": "p-chart",
    "p'": "Laney p'-chart",
    "u": "u-chart",
    "u'": "Laney u'-chart",
}


@share_docs(plot=PLOT_PARAMS)
def spc_chart(
    chart: rc.ControlChart,
    *,
    x: Sequence[Any] | None = None,
    annotations: Mapping[Any, str] | None = None,
    measure: str = "the measure",
    percent: bool | None = None,
    decimals: int | None = None,
    ylabel: str | None = None,
    title: str | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Control chart: points, centre line, limits that follow the denominators, and signals.

    Points beyond the limits are drawn as vermillion diamonds, points in a run-test signal as
    purple open triangles; each period after a documented change gets its own centre line and
    limits, separated by a dash-dot vertical line.

    Parameters
    ----------
    chart : helpers.runcharts.ControlChart
        From :func:`~helpers.runcharts.p_chart`, :func:`~helpers.runcharts.u_chart`,
        :func:`~helpers.runcharts.i_chart` or the Laney charts.
    {plot.x}
    annotations : mapping, optional
        ``{x value: text}`` (point numbers without ``x``), e.g. the change that started a period.
    {plot.measure_series}
    percent : bool, optional
        Show values as percentages (default: yes for p and p' charts).
    decimals : int, optional
        Decimals of the line labels and alt text; ticks as in :func:`run_chart`.
    {plot.ylabel_title}
    {plot.ax}

    Returns
    -------
    Figure
        ``analysis`` holds the chart.

    Raises
    ------
    ValueError
        If ``chart`` is not a ControlChart, ``x`` has the wrong length or an annotation key
        matches no point.

    Examples
    --------
    >>> from helpers.runcharts import p_chart
    >>> chart = p_chart([40, 42, 38, 41, 52, 55, 50, 53], [100] * 8, change_points=[4])
    >>> result = spc_chart(chart, measure="blood-pressure control", annotations={5: "Outreach starts"})
    >>> print(result.alt_text)  # doctest: +NORMALIZE_WHITESPACE
    p-chart of blood-pressure control over 8 points, centre line 40.2% then 52.5% from point 5:
    no point outside the control limits; runs tests: not enough data.
    """
    data = _prepare_spc(chart, x=x, annotations=annotations, percent=percent, decimals=decimals)
    alt, default_title = _describe_spc(data, measure=measure)
    with book_style():
        fig, ax, own = _axes(ax, (WIDTH, 4.5))
        _draw_spc(ax, data, measure=measure, annotations=annotations, ylabel=ylabel)
        _legend(ax, own)
        _title(ax, title if title is not None else default_title, own)
    return Figure(fig, alt, analysis=chart)


@dataclass(frozen=True)
class _SpcData:
    """What :func:`spc_chart` draws and describes (made by :func:`_prepare_spc`)."""

    chart: rc.ControlChart
    ys: np.ndarray  # the values, in the chart's units
    axis: _XAxis
    percent: bool
    decimals: int

    def fmt(self, value: float) -> str:
        return _fmt(value, percent=self.percent, decimals=self.decimals)


def _prepare_spc(
    chart: rc.ControlChart,
    *,
    x: Sequence[Any] | None,
    annotations: Mapping[Any, str] | None,
    percent: bool | None,
    decimals: int | None,
) -> _SpcData:
    """Check the chart, place the points and the annotations, choose the units (pure; no drawing).

    >>> d = _prepare_spc(rc.p_chart([40, 42, 38, 41], [100] * 4), x=None, annotations=None,
    ...                  percent=None, decimals=None)
    >>> d.percent, d.decimals, d.fmt(d.chart.center), d.axis.labels
    (True, 1, '40.2%', ['1', '2', '3', '4'])
    """
    if not isinstance(chart, rc.ControlChart):
        raise ValueError(
            f"spc_chart draws a ControlChart (from p_chart, u_chart, i_chart …), got {type(chart).__name__}."
        )
    ys = chart.data["value"].to_numpy(dtype=float)
    axis = _x_axis(len(ys), x)
    axis.resolve(annotations)  # an annotation that matches no point is an error before anything is drawn
    shown_percent = chart.chart in ("p", "p'") if percent is None else percent
    return _SpcData(
        chart=chart,
        ys=ys,
        axis=axis,
        percent=shown_percent,
        decimals=_chart_decimals(ys, shown_percent) if decimals is None else decimals,
    )


def _describe_spc(d: _SpcData, *, measure: str) -> tuple[str, str]:
    """The alt text and the finding-style title of a control chart (pure).

    >>> d = _prepare_spc(rc.i_chart([10.0, 11, 9, 10, 11, 9, 10, 30]), x=None, annotations=None,
    ...                  percent=None, decimals=None)
    >>> alt, title = _describe_spc(d, measure="waiting days")
    >>> print(alt)  # doctest: +NORMALIZE_WHITESPACE
    I-chart of waiting days over 8 points, centre line 12.5: 1 point outside the control limits
    (point 8); runs tests: not enough data.
    >>> title
    'Special cause: 1 point outside the limits'
    """
    chart, axis = d.chart, d.axis
    name = _CHART_NAMES[chart.chart]
    centres = " then ".join(
        d.fmt(c) + (f" from {axis.where(a)}" if k else "")
        for k, ((a, _b), c) in enumerate(zip(chart.periods, chart.centers, strict=True))
    )
    summary = chart.describe(label=lambda i: axis.labels[i]).split(": ", 1)[1]
    alt = f"{name} of {measure} over {len(d.ys)} points, centre line {centres}: {summary}"
    # findings say "points <labels>"
    return alt, _spc_title(chart, lambda i: axis.labels[i], measure, d.fmt)


def _draw_spc(
    ax: Axes,
    d: _SpcData,
    *,
    measure: str,
    annotations: Mapping[Any, str] | None,
    ylabel: str | None,
) -> None:
    """Draw the points, each period's centre line and limits, the signals and the changes."""
    chart, axis = d.chart, d.axis
    data = chart.data
    scale = 100 if d.percent else 1
    marks = d.ys * scale
    _draw_series(ax, axis, marks, measure)
    for k, (a, b) in enumerate(chart.periods):
        xs = axis.at(slice(a, b))
        steps: dict[str, Any] = {"drawstyle": "steps-mid", "zorder": 2, "marker": "none"}
        ax.plot(
            xs,
            data["center"].to_numpy(dtype=float)[a:b] * scale,
            color=ROLE_COLORS["center"],
            linestyle="-",
            lw=1.6,
            label="Centre line" if k == 0 else None,
            **steps,
        )
        limits = {"color": ROLE_COLORS["limits"], "linestyle": "--", "lw": 1.4, **steps}
        ax.plot(
            xs,
            data["ucl"].to_numpy(dtype=float)[a:b] * scale,
            label="Control limits (3 sigma)" if k == 0 else None,
            **limits,
        )
        ax.plot(xs, data["lcl"].to_numpy(dtype=float)[a:b] * scale, **limits)
        ax.annotate(
            d.fmt(chart.centers[k]),
            xy=(xs[-1], chart.centers[k] * scale),
            xytext=(4, 2),
            textcoords="offset points",
            fontsize=10,
            color=ROLE_COLORS["center"],
            va="bottom",
        )
        if k:
            ax.axvline(axis.at(a), color=NEUTRAL, linestyle="-.", linewidth=1.2, gid="change-point")
    _mark_points(ax, axis, marks, chart.outside, _SHIFT_MARK, zorder=5, label="Outside the limits")
    run_pts = np.flatnonzero(data["run_signal"].to_numpy(dtype=bool)).tolist()
    run_label = f"Run-test signal ({rc._RULE_NAMES[chart.rules]})"
    _mark_points(ax, axis, marks, run_pts, _TREND_MARK, zorder=4, label=run_label)
    _style_time_axes(ax, axis, annotations, percent=d.percent, decimals=d.decimals)
    per_words = f" per {chart.per:,.0f}" if chart.per != 1 else ""
    ax.set_ylabel(ylabel or ("Percent" if d.percent else f"{_cap(measure)}{per_words}"))


def _spc_title(
    chart: rc.ControlChart, lab: Callable[[int], str], measure: str, fmt: Callable[[float], str]
) -> str:
    k = len(chart.outside)
    if k:
        return f"Special cause: {k} point{'s' if k != 1 else ''} outside the limits"
    fired = [s for s in chart.run_signals if s.signal]
    if fired:
        found = fired[0].findings(label=lab)
        return f"Special cause: {found[0] if found else 'run-test signal'}"
    if len(chart.periods) > 1:
        return f"{_cap(measure)}: centre line moved from {fmt(chart.centers[0])} to {fmt(chart.centers[-1])}"
    return f"{_cap(measure)}: no special-cause signal"


# --------------------------------------------------------------------------------------------
# Radar plot
# --------------------------------------------------------------------------------------------


def _as_scores(data: Any, label: str | None, value: str | None, what: str) -> pd.Series:
    if isinstance(data, pd.Series):
        s = data
    elif isinstance(data, Mapping):
        s = pd.Series(dict(data))
    elif isinstance(data, pd.DataFrame):
        lab = label or next((c for c in data.columns if not pd.api.types.is_numeric_dtype(data[c])), None)
        val = value or next((c for c in data.columns if pd.api.types.is_numeric_dtype(data[c])), None)
        if lab is None or val is None:
            raise ValueError(
                f"{what}: name the label and score columns, e.g. label='component', value='score'."
            )
        require_columns(data, [lab, val], what=what)
        s = pd.Series(data[val].to_numpy(), index=data[lab].astype(str).to_numpy())
    else:
        raise ValueError(
            f"{what} must be a pandas Series, a dict or a DataFrame of component → score, "
            f"got {type(data).__name__}."
        )
    s.index = s.index.map(str)
    if s.index.duplicated().any():
        raise ValueError(f"{what}: component {s.index[s.index.duplicated()][0]!r} appears twice.")
    nums = rc._as_numbers(s, what)
    if np.isnan(nums).any():
        raise ValueError(
            f"{what}: component {s.index[np.isnan(nums)][0]!r} has no score; give it one (e.g. 0)."
        )
    return pd.Series(nums, index=s.index)


def radar_plot(
    scores: pd.Series | pd.DataFrame | Mapping[str, float],
    compare: pd.Series | pd.DataFrame | Mapping[str, float] | None = None,
    *,
    label: str | None = None,
    value: str | None = None,
    names: tuple[str, str] = ("Current", "Comparison"),
    min_value: float = 0.0,
    max_value: float | None = None,
    measure: str = "Score",
    title: str | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Radar (spider) chart of scores by component, optionally against a second series.

    The first series is a solid line with circles and a light fill; the comparison (e.g.
    "Before") is a dashed line with squares, so the two differ in more than colour.

    Parameters
    ----------
    scores : Series, dict or DataFrame
        Component → score (e.g. the five components of IHI's framework rated 1–4). A
        DataFrame needs a label column and a score column (``label=``, ``value=``).
    compare : Series, dict or DataFrame, optional
        A second set of scores for the same components.
    label, value : str, optional
        Column names when ``scores`` / ``compare`` are DataFrames.
    names : (str, str), default ("Current", "Comparison")
        Legend names of the two series.
    min_value, max_value : float
        The scale (``max_value`` defaults to the largest score rounded up).
    measure : str, default "Score"
        What the scores are, for the title and alt text.
    title : str, optional
    ax : matplotlib.axes.Axes, optional
        Must be polar (``fig.add_subplot(projection="polar")``).

    Returns
    -------
    Figure

    Raises
    ------
    ValueError
        With fewer than 3 components, non-numeric or missing scores, scores outside the
        scale, a comparison with different components, or non-polar axes.

    Examples
    --------
    >>> now = {"Make equity a strategic priority": 3, "Build infrastructure": 2,
    ...        "Address social determinants": 2.5, "Decrease institutional racism": 1.5,
    ...        "Partner with the community": 2}
    >>> before = dict.fromkeys(now, 2.0)
    >>> result = radar_plot(now, before, names=("2025", "2024"), min_value=1, max_value=4)
    >>> print(result.alt_text)  # doctest: +NORMALIZE_WHITESPACE
    Radar chart of score for 5 components on a 1–4 scale: highest Make equity a strategic
    priority 3, lowest Decrease institutional racism 1.5; compared with 2024, 2 higher, 1 lower,
    2 unchanged.
    """
    first = _as_scores(scores, label, value, "scores")
    if len(first) < 3:
        raise ValueError(
            f"a radar chart needs at least 3 components, got {len(first)}; use a bar chart instead."
        )
    second = None
    if compare is not None:
        second = _as_scores(compare, label, value, "compare")
        if set(second.index) != set(first.index):
            missing = sorted(set(first.index) ^ set(second.index))
            raise ValueError(
                f"scores and compare must have the same components; these differ: {', '.join(missing)}."
            )
        second = second.reindex(first.index)
    top = max(float(first.max()), float(second.max()) if second is not None else -math.inf)
    if max_value is None:
        max_value = float(math.ceil(top)) if top > min_value else min_value + 1
    for s, nm in ((first, "scores"), (second, "compare")):
        if s is None:
            continue
        bad = s[(s < min_value) | (s > max_value)]
        if len(bad):
            raise ValueError(
                f"{nm}: {bad.index[0]!r} is {bad.iloc[0]:g}, outside the scale {min_value:g}–{max_value:g}; "
                "set min_value/max_value."
            )
    comps = list(first.index)
    k = len(comps)
    angles = np.linspace(0, 2 * np.pi, k, endpoint=False)
    closed = np.concatenate([angles, angles[:1]])

    def ring(s: pd.Series) -> np.ndarray:
        v = s.to_numpy(dtype=float)
        return np.concatenate([v, v[:1]])

    def num(v: float) -> str:
        return f"{v:g}"

    with book_style():
        fig, ax, _own = _axes(ax, (7.0, 6.4), polar=True)
        polar: Any = ax  # a PolarAxes (checked by _axes); typed as Axes
        polar.set_theta_offset(np.pi / 2)
        polar.set_theta_direction(-1)
        s0, s1 = series_style(0), series_style(1)
        ax.plot(
            closed,
            ring(first),
            color=s0["color"],
            marker=s0["marker"],
            linestyle="-",
            linewidth=2.2,
            label=names[0],
        )
        ax.fill(closed, ring(first), color=s0["color"], alpha=0.12)
        if second is not None:
            ax.plot(
                closed,
                ring(second),
                color=s1["color"],
                marker=s1["marker"],
                linestyle="--",
                linewidth=2.2,
                label=names[1],
            )
        ax.set_xticks(angles, ["\n".join(textwrap.wrap(c, 16)) for c in comps])
        ax.set_ylim(min_value, max_value)
        step = 1 if max_value - min_value <= 10 else (max_value - min_value) / 5
        ax.set_yticks(np.arange(min_value, max_value + 1e-9, step))
        polar.set_rlabel_position(180 / k)
        ax.tick_params(axis="x", pad=10)
        if second is not None:
            ax.legend(loc="upper right", bbox_to_anchor=(1.15, 1.12))
        hi, lo = first.idxmax(), first.idxmin()
        alt = (
            f"Radar chart of {measure.lower()} for {k} components "
            f"on a {num(min_value)}–{num(max_value)} scale: "
            f"highest {hi} {num(first[hi])}, lowest {lo} {num(first[lo])}"
        )
        if second is not None:
            diff = first - second
            up, down = int((diff > 1e-9).sum()), int((diff < -1e-9).sum())
            alt += f"; compared with {names[1]}, {up} higher, {down} lower, {k - up - down} unchanged"
        alt += "."
        if title is None:
            title = f"{measure}: strongest in {hi} ({num(first[hi])}), weakest in {lo} ({num(first[lo])})"
        ax.set_title("\n".join(textwrap.wrap(title, 60)), pad=24)
    return Figure(
        fig,
        alt,
        analysis=pd.DataFrame({names[0]: first, **({names[1]: second} if second is not None else {})}),
    )


# --------------------------------------------------------------------------------------------
# Driver diagram
# --------------------------------------------------------------------------------------------

_LEVELS = ("aim", "primary", "secondary", "change")
_LEVEL_HEADERS = ("Aim", "Primary drivers", "Secondary drivers", "Change ideas")
_LEVEL_STYLE: tuple[dict[str, Any], ...] = (
    {"edgecolor": OKABE_ITO["black"], "linestyle": "-", "linewidth": 2.4},
    {"edgecolor": OKABE_ITO["blue"], "linestyle": "-", "linewidth": 1.8},
    {"edgecolor": OKABE_ITO["bluish_green"], "linestyle": "--", "linewidth": 1.8},
    {"edgecolor": OKABE_ITO["orange"], "linestyle": ":", "linewidth": 2.0},
)


@dataclass
class _Node:
    text: str
    level: int
    children: list[_Node] = field(default_factory=list)


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{where} has no text; every box in a driver diagram needs words.")
    return value.strip()


def _nodes(items: Any, level: int, where: str) -> list[_Node]:
    """Children at ``level`` from a mapping, a list of strings or a list of spec dicts."""
    if items is None:
        return []
    if level >= len(_LEVELS):
        raise ValueError(f"{where}: a driver diagram has 4 levels (aim, primary, secondary, change ideas).")
    out: list[_Node] = []
    if isinstance(items, Mapping):
        for key, sub in items.items():
            out.append(_Node(_text(key, where), level, _nodes(sub, level + 1, f"{where} → {key!r}")))
        return out
    if isinstance(items, str):
        return [_Node(_text(items, where), level)]
    if not isinstance(items, Sequence):
        raise ValueError(f"{where}: expected a dict or a list of drivers, got {type(items).__name__}.")
    for item in items:
        if isinstance(item, Mapping) and "driver" in item:
            sub = item.get("secondary", item.get("changes"))
            node = _Node(
                _text(item["driver"], where), level, _nodes(sub, level + 1, f"{where} → {item['driver']!r}")
            )
            out.append(node)
        elif isinstance(item, str):
            out.append(_Node(_text(item, where), level))
        else:
            raise ValueError(f"{where}: each entry must be text or a dict with 'driver', got {item!r}.")
    return out


def _tree_from_frame(frame: pd.DataFrame) -> _Node:
    require_columns(frame, ["level", "parent", "text"], what="driver diagram table")
    levels = (
        frame["level"]
        .astype(str)
        .str.strip()
        .str.lower()
        .replace(
            {
                "change idea": "change",
                "change ideas": "change",
                "primary driver": "primary",
                "secondary driver": "secondary",
            }
        )
    )
    bad = sorted(set(levels) - set(_LEVELS))
    if bad:
        raise ValueError(f"level must be one of {', '.join(_LEVELS)}; found {', '.join(bad)}.")
    aims = frame.loc[levels == "aim", "text"].tolist()
    if len(aims) != 1:
        raise ValueError(f"the table needs exactly one row with level 'aim', found {len(aims)}.")
    root = _Node(_text(aims[0], "the aim"), 0)
    by_text = {root.text: root}
    for lvl_i, lvl in enumerate(_LEVELS[1:], start=1):
        for _, row in frame[levels == lvl].iterrows():
            parent = by_text.get(str(row["parent"]).strip())
            if parent is None or parent.level != lvl_i - 1:
                raise ValueError(
                    f"{lvl} {row['text']!r} names parent {row['parent']!r}, "
                    f"which is not a {_LEVELS[lvl_i - 1]} in the table."
                )
            node = _Node(_text(row["text"], f"a {lvl} row"), lvl_i)
            parent.children.append(node)
            by_text[node.text] = node
    return root


def _driver_tree(aim: Any, primary_drivers: Any) -> _Node:
    if isinstance(aim, pd.DataFrame):
        if primary_drivers is not None:
            raise ValueError("pass either a table (level/parent/text) or aim and primary_drivers, not both.")
        return _tree_from_frame(aim)
    if isinstance(aim, Mapping) and "aim" in aim:
        if primary_drivers is not None:
            raise ValueError(
                "pass either a spec dict with 'aim' and 'primary', or aim and primary_drivers, not both."
            )
        return _Node(_text(aim["aim"], "the aim"), 0, _nodes(aim.get("primary"), 1, "primary drivers"))
    return _Node(_text(aim, "the aim"), 0, _nodes(primary_drivers, 1, "primary drivers"))


def driver_diagram(
    aim: str | Mapping[str, Any] | pd.DataFrame,
    primary_drivers: Mapping[str, Any] | Sequence[Any] | None = None,
    *,
    wrap: int = 20,
    title: str | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Left-to-right driver diagram: aim → primary drivers → secondary drivers → change ideas.

    Boxes hold wrapped text (10 pt) and are joined by elbow connectors. Each level has its own
    border style (solid, solid, dashed, dotted) and a column header, so the levels are clear
    without colour.

    Parameters
    ----------
    aim : str, dict or DataFrame
        The aim statement; or a spec ``{"aim": ..., "primary": [{"driver": ..., "secondary":
        [{"driver": ..., "changes": [...]}]}]}`` (as made by
        :func:`helpers.exercises.driver_diagram_spec`); or a tidy table with columns
        ``level`` (aim / primary / secondary / change), ``parent`` and ``text``.
    primary_drivers : dict or list, optional
        With a text aim: ``{primary: {secondary: [change ideas]}}``, ``{primary: [secondary]}``
        or a list of primary drivers.
    wrap : int, default 20
        Characters per line inside a box.
    title : str, optional
    ax : matplotlib.axes.Axes, optional
        Axes to draw on (the diagram sets its own limits and hides the axis).

    Returns
    -------
    Figure

    Raises
    ------
    ValueError
        For empty text, more than four levels, a table row whose parent is missing, or an
        unrecognised structure.

    Examples
    --------
    >>> result = driver_diagram(
    ...     "Raise blood-pressure control for Black patients from 41% to 55% by December 2026",
    ...     {"Reliable outreach": {"Language-concordant calls": ["Spanish-speaking call team"],
    ...                            "Reminder texts": ["Two-way texting pilot"]},
    ...      "Trusted care teams": {"Community health workers": ["CHW home visits"]}},
    ... )
    >>> print(result.alt_text)  # doctest: +NORMALIZE_WHITESPACE
    Driver diagram for the aim "Raise blood-pressure control for Black patients from 41% to 55%
    by December 2026": 2 primary drivers, 3 secondary drivers and 3 change ideas.
    """
    root = _driver_tree(aim, primary_drivers)
    layout = _layout_driver(root, wrap=wrap)
    with book_style():
        fig, ax, own = _axes(ax, layout.size)
        _draw_driver(ax, layout)
        if title:
            _title(ax, title, own, width=110)
    return Figure(fig, _describe_driver(root), analysis=root)


@dataclass(frozen=True)
class _DriverBox:
    """One box of a driver diagram, in data units (a column is 1 wide, a row 1 high)."""

    level: int  # 0 aim, 1 primary, 2 secondary, 3 change idea
    lines: tuple[str, ...]  # the wrapped text
    y: float  # centre
    height: float
    children: tuple[int, ...]  # positions of the child boxes in _DriverLayout.boxes


@dataclass(frozen=True)
class _DriverLayout:
    """Where every box of a driver diagram goes (made by :func:`_layout_driver`)."""

    boxes: tuple[_DriverBox, ...]  # the aim first, then depth first (the drawing order)
    ncols: int
    nrows: int  # one row per leaf
    row_in: float  # inches per row
    col_in: float = 2.1  # four levels fit the 8-inch text column at 100% zoom
    header_in: float = 0.6
    box_w: float = 0.88  # share of a column a box takes

    @property
    def size(self) -> tuple[float, float]:
        """The figure size in inches (at least 4 × 2)."""
        width = self.ncols * self.col_in
        height = self.nrows * self.row_in + self.header_in
        return max(width, 4.0), max(height, 2.0)


def _layout_driver(root: _Node, *, wrap: int) -> _DriverLayout:
    """Wrap every box's text and place the boxes: one row per leaf, a parent centred on its
    children, the row height set by the fullest box (pure; no drawing).

    >>> tree = _driver_tree("Aim", {"Outreach": ["Texts", "Calls"], "Access": None})
    >>> layout = _layout_driver(tree, wrap=20)
    >>> layout.ncols, layout.nrows, [(b.level, b.y) for b in layout.boxes]
    (3, 3, [(0, 1.5), (1, 1.0), (2, 0.5), (2, 1.5), (1, 2.5)])
    >>> layout.boxes[0].children
    (1, 4)
    """
    if wrap < 8:
        raise ValueError(f"wrap must be at least 8 characters, got {wrap}.")
    nodes = list(_iter_nodes(root))
    position = {id(node): k for k, node in enumerate(nodes)}
    leaves = [node for node in nodes if not node.children]  # top to bottom
    leaf_row = {id(node): i for i, node in enumerate(leaves)}
    span: dict[int, tuple[int, int]] = {}

    def place(node: _Node) -> tuple[int, int]:
        if not node.children:
            span[id(node)] = (leaf_row[id(node)],) * 2
        else:
            parts = [place(c) for c in node.children]
            span[id(node)] = (parts[0][0], parts[-1][1])
        return span[id(node)]

    place(root)
    # The aim is bold, so it gets fewer characters per line.
    lines = [tuple(textwrap.wrap(n.text, wrap - 4 if n.level == 0 else wrap) or [""]) for n in nodes]
    line_in = 10 / 72 * 1.3  # 10-pt text with 1.3 line spacing, in inches
    pad_in = 0.22
    need = [len(ls) * line_in + pad_in for ls in lines]
    row_in = max(0.75, *(need[k] / (span[id(n)][1] - span[id(n)][0] + 1) + 0.12 for k, n in enumerate(nodes)))
    boxes = tuple(
        _DriverBox(
            level=n.level,
            lines=lines[k],
            y=(span[id(n)][0] + span[id(n)][1] + 1) / 2,
            height=need[k] / row_in,
            children=tuple(position[id(c)] for c in n.children),
        )
        for k, n in enumerate(nodes)
    )
    return _DriverLayout(boxes=boxes, ncols=max(n.level for n in nodes) + 1, nrows=len(leaves), row_in=row_in)


def _draw_driver(ax: Axes, layout: _DriverLayout) -> None:
    """Draw the column headers, the boxes (a border style per level) and the elbow connectors."""
    row_in, box_w, header = layout.row_in, layout.box_w, layout.header_in
    ax.set_xlim(0, layout.ncols)
    ax.set_ylim(layout.nrows, -header / row_in)
    ax.set_axis_off()
    for c in range(layout.ncols):
        ax.text(
            c + 0.5,
            -header / row_in / 2,
            _LEVEL_HEADERS[c],
            ha="center",
            va="center",
            fontsize=11,
            fontweight="bold",
            color=OKABE_ITO["black"],
        )
    for box in layout.boxes:
        ax.add_patch(
            FancyBboxPatch(
                (box.level + (1 - box_w) / 2, box.y - box.height / 2),
                box_w,
                box.height,
                boxstyle="round,pad=0,rounding_size=0.05",
                facecolor="white",
                mutation_aspect=1 / row_in * layout.col_in,
                gid=f"box-{_LEVELS[box.level]}",
                **_LEVEL_STYLE[box.level],
            )
        )
        ax.text(
            box.level + 0.5,
            box.y,
            "\n".join(box.lines),
            ha="center",
            va="center",
            fontsize=10,
            linespacing=1.3,
            color=OKABE_ITO["black"],
            fontweight="bold" if box.level == 0 else "normal",
        )
        for k in box.children:
            child = layout.boxes[k]
            x_from = box.level + (1 + box_w) / 2
            x_to = child.level + (1 - box_w) / 2
            xm = (x_from + x_to) / 2
            ax.add_line(
                Line2D(
                    [x_from, xm, xm, x_to],
                    [box.y, box.y, child.y, child.y],
                    color=NEUTRAL,
                    linewidth=1.3,
                    gid="connector",
                    zorder=0,
                )
            )


def _describe_driver(root: _Node) -> str:
    """The alt text of a driver diagram: the aim and how many boxes each level has (pure).

    >>> _describe_driver(_driver_tree("Close the gap", {"Outreach": ["Texts", "Calls"]}))
    'Driver diagram for the aim "Close the gap": 1 primary driver, 2 secondary drivers and 0 change ideas.'
    """
    counts = [0, 0, 0, 0]
    for node in _iter_nodes(root):
        counts[node.level] += 1
    aim_text = root.text if len(root.text) <= 140 else root.text[:137].rstrip() + "…"
    parts = [
        f"{counts[1]} primary driver{'s' if counts[1] != 1 else ''}",
        f"{counts[2]} secondary driver{'s' if counts[2] != 1 else ''}",
        f"{counts[3]} change idea{'s' if counts[3] != 1 else ''}",
    ]
    return f'Driver diagram for the aim "{aim_text}": {parts[0]}, {parts[1]} and {parts[2]}.'


def _iter_nodes(node: _Node) -> Iterator[_Node]:
    yield node
    for child in node.children:
        yield from _iter_nodes(child)
