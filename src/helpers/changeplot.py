"""A figure of two survey waves: each group's rate before and after, with the reference group marked.

:func:`change_in_gaps_plot` draws the table of :func:`helpers.change.change_in_gaps` as a
"dumbbell" chart: one row per group, an open circle for wave 1, a filled square for wave 2, a
line between them, and the reference group as orange diamonds with dashed lines at its two
rates. Shapes as well as colours tell the waves apart; suppressed groups are labelled, never
left out. The alt text (from :func:`describe_change_in_gaps`, a pure function) names every
shown group's two rates and the change in the widest gap.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure as MplFigure

from helpers._rates import level_label, suppressed_label, table_settings
from helpers._validation import require_columns, require_dataframe
from helpers.group_names import spell_out
from helpers.palette import NEUTRAL, ROLE_COLORS, book_style
from helpers.plots import WIDTH, Figure, _hidden_label, _percent_axis, _title

__all__ = ["change_in_gaps_plot", "describe_change_in_gaps"]

_NEEDED = (
    "rate_before",
    "rate_after",
    "gap_before",
    "gap_after",
    "gap_change",
    "reference_group",
    "suppressed",
)


def _group_column(table: pd.DataFrame) -> str:
    by = list(table.attrs.get("by", []))
    if len(by) == 1 and by[0] in table.columns:
        return by[0]
    raise ValueError("table must come from helpers.change.change_in_gaps (its attrs name the group column)")


def _hidden_words(table: pd.DataFrame) -> str:
    """'suppressed (1–10, or to protect one)', with the threshold the rates were made with."""
    label = suppressed_label(table_settings(table).min_cell)
    return f"{label[:-1]}, or to protect one)" if label.endswith(")") else f"{label} (or to protect one)"


def _pct(value: float) -> str:
    return f"{value * 100:.0f}%"


def _points(value: float) -> str:
    text = f"{value * 100:+.0f}"
    return "0" if text in ("+0", "-0") else text


def describe_change_in_gaps(
    table: pd.DataFrame, *, measure: str, before: str = "wave 1", after: str = "wave 2"
) -> tuple[str, str]:
    """The alt text and the finding-style title for :func:`change_in_gaps_plot`.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`helpers.change.change_in_gaps`.
    measure : str
        What the rates measure, e.g. "Experienced discrimination".
    before, after : str
        Names of the two waves.

    Returns
    -------
    (str, str)
        The alt text (every shown group's two rates, the reference group, the widest gap
        and how it changed, and how many groups are suppressed) and the title.

    Examples
    --------
    >>> from helpers.change import change_in_gaps
    >>> from helpers.measures import stratified_rates
    >>> w1 = pd.DataFrame({"race": ["A", "B"], "x": [180, 120], "n": [400, 1000]})
    >>> w2 = pd.DataFrame({"race": ["A", "B"], "x": [152, 110], "n": [400, 1000]})
    >>> t = change_in_gaps(stratified_rates(w1, "x", "race", denominator="n"),
    ...                    stratified_rates(w2, "x", "race", denominator="n"), reference="B")
    >>> alt, title = describe_change_in_gaps(t, measure="Harm")
    >>> print(alt)  # doctest: +NORMALIZE_WHITESPACE
    Harm by race in wave 1 and wave 2: A 45% to 38%; reference group B 12% to 11%. The
    widest gap in wave 1, A, went from +33 to +27 percentage points (change -6, 95% CI -13 to +1).
    >>> title
    'Harm: the gap between A and B went from +33 to +27 points'
    """
    require_dataframe(table, what="table")
    require_columns(table, list(_NEEDED), what="table")
    col = _group_column(table)
    refs = table["reference_group"].dropna().astype(str).unique().tolist()
    if len(refs) != 1:
        raise ValueError(f"table must have one reference group, found {refs}")
    ref = refs[0]
    labels = table[col].astype(str).tolist()
    shown = ~table["suppressed"].astype(bool).to_numpy()
    is_ref = np.array([label == ref for label in labels])
    groups = [i for i in range(len(table)) if shown[i] and not is_ref[i]]
    ci = level_label(table_settings(table).level)
    by_name = "race and ethnicity" if col == "race_ethnicity" else col.replace("_", " ")
    # full names in prose and alt text - race/ethnicity labels only ("Other" stays "Other" for language)
    labels = [spell_out(label, column=col) for label in labels]
    ref = spell_out(ref, column=col)
    parts = [
        f"{labels[i]} {_pct(table['rate_before'].iloc[i])} to {_pct(table['rate_after'].iloc[i])}"
        for i in groups
    ]
    r = int(np.flatnonzero(is_ref)[0])
    ref_words = (
        f"reference group {ref} {_pct(table['rate_before'].iloc[r])} to {_pct(table['rate_after'].iloc[r])}"
    )
    alt = f"{measure} by {by_name} in {before} and {after}: " + "; ".join([*parts, ref_words]) + "."
    title = f"{measure} by {by_name} in {before} and {after}"
    if groups:
        w = max(groups, key=lambda i: abs(table["gap_before"].iloc[i]))
        row = table.iloc[w]
        alt += (
            f" The widest gap in {before}, {labels[w]}, went from {_points(row['gap_before'])} to "
            f"{_points(row['gap_after'])} percentage points (change {_points(row['gap_change'])}, {ci} "
            f"{_points(row['gap_change_ci_low'])} to {_points(row['gap_change_ci_high'])})."
        )
        title = (
            f"{measure}: the gap between {labels[w]} and {ref} went from {_points(row['gap_before'])} "
            f"to {_points(row['gap_after'])} points"
        )
    hidden = int((~shown).sum())
    if hidden:
        alt += (
            f" {hidden} {'group is' if hidden == 1 else 'groups are'} {_hidden_words(table)}."
        )
    return alt, title


def change_in_gaps_plot(
    table: pd.DataFrame,
    *,
    measure: str,
    before: str = "wave 1",
    after: str = "wave 2",
    title: str | None = None,
    xlabel: str | None = None,
) -> Figure:
    """Dumbbell chart of each group's rate in two waves, the reference group marked.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`helpers.change.change_in_gaps`.
    measure : str
        What the rates measure, for the title, axis and alt text.
    before, after : str
        Names of the two waves (legend and alt text).
    title : str, optional
        Override the finding-style title.
    xlabel : str, optional
        The axis label; default ``"<measure> (percent)"``. Name the population when it helps,
        e.g. ``xlabel="Experienced discrimination (percent of respondents)"``.

    Returns
    -------
    helpers.plots.Figure
        Displays as an HTML figure with alt text and caption.

    Examples
    --------
    >>> from helpers.change import change_in_gaps
    >>> from helpers.measures import stratified_rates
    >>> w1 = pd.DataFrame({"race": ["A", "B"], "x": [180, 120], "n": [400, 1000]})
    >>> w2 = pd.DataFrame({"race": ["A", "B"], "x": [152, 110], "n": [400, 1000]})
    >>> t = change_in_gaps(stratified_rates(w1, "x", "race", denominator="n"),
    ...                    stratified_rates(w2, "x", "race", denominator="n"), reference="B")
    >>> change_in_gaps_plot(t, measure="Harm").title
    'Harm: the gap between A and B went from +33 to +27 points'
    """
    alt, default_title = describe_change_in_gaps(table, measure=measure, before=before, after=after)
    col = _group_column(table)
    ref = str(table["reference_group"].dropna().iloc[0])
    labels = table[col].astype(str).tolist()
    shown = ~table["suppressed"].astype(bool).to_numpy()
    n = len(labels)
    ys = [n - 1 - i for i in range(n)]
    b = table["rate_before"].to_numpy(dtype=float)
    a = table["rate_after"].to_numpy(dtype=float)
    with book_style():
        fig = MplFigure(figsize=(WIDTH, 1.8 + 0.45 * n), layout="constrained")
        ax = fig.add_subplot()
        first = {"before": True, "after": True}
        for i in range(n):
            if not shown[i]:
                _hidden_label(ax, ys[i], _hidden_words(table))
                continue
            is_ref = labels[i] == ref
            colour = ROLE_COLORS["reference"] if is_ref else ROLE_COLORS["data"]
            ax.plot([b[i], a[i]], [ys[i], ys[i]], color=NEUTRAL, linestyle="-", linewidth=1.5, zorder=1)
            ax.plot(
                [b[i]], [ys[i]], marker="D" if is_ref else "o", markersize=9, linestyle="none",
                markerfacecolor="white", markeredgecolor=colour, markeredgewidth=2,
                label=before.capitalize() if first["before"] and not is_ref else None,
            )  # fmt: skip
            ax.plot(
                [a[i]], [ys[i]], marker="D" if is_ref else "s", markersize=9, linestyle="none", color=colour,
                label=after.capitalize() if first["after"] and not is_ref else None,
            )  # fmt: skip
            if not is_ref:
                first = {"before": False, "after": False}
        r = labels.index(ref)
        ax.axvline(b[r], color=ROLE_COLORS["reference"], linestyle=":", linewidth=1.2, zorder=0)
        ax.axvline(
            a[r], color=ROLE_COLORS["reference"], linestyle="--", linewidth=1.2, zorder=0,
            label=f"Reference group ({ref}): {before} dotted, {after} dashed",
        )  # fmt: skip
        ax.set_yticks(ys, [f"{lab} (reference)" if lab == ref else lab for lab in labels])
        ax.set_ylim(-0.7, n - 0.3)
        values = np.concatenate([b[shown], a[shown]])
        left, right = float(np.nanmin(values)), float(np.nanmax(values))
        pad = max((right - left) * 0.1, 0.02)
        left = max(0.0, left - pad - (right - left) * (0.45 if (~shown).any() else 0.0))
        ax.set_xlim(left, min(1.0, right + pad))
        _percent_axis(ax.xaxis)
        ax.set_xlabel(xlabel or f"{measure} (percent)")
        ax.grid(axis="y", visible=False)
        handles, names = ax.get_legend_handles_labels()
        fig.legend(handles, names, loc="outside lower center", ncols=2)
        _title(ax, title or default_title, True)
    return Figure(fig, alt)
