"""Crude and age-standardised gaps side by side: how much of a gap is the groups' age mix?

:func:`helpers.measures.age_standardize` gives every group a crude rate (what the system
delivers to the patients it actually has) and a directly age-standardised rate (what it would
deliver if every group had the same, standard, age mix). This module compares both with a
named reference group:

* :func:`crude_and_standardized_gaps` (pure) - per group, the crude and the standardised
  difference from the reference (group minus reference, as :func:`helpers.disparities.gaps`)
  and the share of the crude gap that the age mix accounts for;
* :func:`describe_crude_vs_standardized` (pure) - the one-sentence description (alt text);
* :func:`crude_vs_standardized_plot` - the chart, with every value printed.

References
----------
Klein RJ, Schoenborn CA. Age adjustment using the 2000 projected U.S. population. Healthy
People 2010 Statistical Notes, no. 20. NCHS; 2001.
Harper S, Lynch J. Methods for Measuring Cancer Disparities. NCI Cancer Surveillance
Monograph Series, Number 6; 2005.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from helpers._rates import single_by_column, suppressed_label, table_settings
from helpers._validation import require_columns, require_dataframe, require_group
from helpers.group_names import spell_out
from helpers.palette import NEUTRAL, ROLE_COLORS, book_style
from helpers.plots import Figure, _axes, _legend, _title

__all__ = ["crude_and_standardized_gaps", "crude_vs_standardized_plot", "describe_crude_vs_standardized"]

_NEEDED = ["crude_rate", "adjusted_rate"]


#: Columns :func:`crude_and_standardized_gaps` adds besides the rates-table contract's own.
_GAP_COLUMNS = ("crude_diff", "adjusted_diff", "age_share")


def _group_column(table: pd.DataFrame, group: str | None) -> str:
    return single_by_column(
        table,
        group,
        what="standardized",
        ignore=_GAP_COLUMNS,
        hint="pass group='race_ethnicity' (the by column of age_standardize)",
    )


def crude_and_standardized_gaps(
    standardized: pd.DataFrame, *, reference: str, group: str | None = None
) -> pd.DataFrame:
    """Crude and age-standardised difference of every group from a named reference group.

    Parameters
    ----------
    standardized : pandas.DataFrame
        The output of :func:`helpers.measures.age_standardize` (one ``by`` column).
    reference : str
        The reference group's label, e.g. ``"White"``. Always named: there is no default.
    group : str, optional
        The column naming the groups (default: the table's ``by`` column).

    Returns
    -------
    pandas.DataFrame
        One row per group, in the table's order: the group column, ``reference_group``,
        ``crude_rate``, ``adjusted_rate``, ``crude_diff`` and ``adjusted_diff`` (group minus
        reference, as proportions: multiply by 100 for percentage points), ``age_share``
        (the share of the crude difference that standardisation removes,
        ``1 - adjusted_diff / crude_diff``; NaN when the crude difference is 0), and
        ``suppressed``. Suppressed groups have NaN rates and differences; the reference row has
        differences of 0.

    Raises
    ------
    KeyError
        If a column is missing or ``reference`` is not a group.
    ValueError
        If the reference group is suppressed or has no standardised rate.

    Examples
    --------
    >>> std = pd.DataFrame({"group": ["A", "B"], "crude_rate": [0.50, 0.70],
    ...                     "adjusted_rate": [0.55, 0.65], "suppressed": [False, False]})
    >>> out = crude_and_standardized_gaps(std, reference="B", group="group")
    >>> out[["group", "crude_diff", "adjusted_diff", "age_share"]].round(2).to_dict("list")
    {'group': ['A', 'B'], 'crude_diff': [-0.2, 0.0], 'adjusted_diff': [-0.1, 0.0], 'age_share': [0.5, nan]}
    """
    table = require_dataframe(standardized, what="standardized")
    require_columns(table, _NEEDED, what="standardized (use age_standardize to make it)")
    col = _group_column(table, group)
    labels = table[col].astype(object).map(str).tolist()
    require_group(reference, labels, column=col, role="reference group")
    hidden = (
        table["suppressed"].fillna(False).to_numpy(dtype=bool)
        if "suppressed" in table.columns
        else np.zeros(len(table), dtype=bool)
    )
    crude = table["crude_rate"].to_numpy(dtype=float, na_value=np.nan)
    adjusted = table["adjusted_rate"].to_numpy(dtype=float, na_value=np.nan)
    crude = np.where(hidden, np.nan, crude)
    adjusted = np.where(hidden, np.nan, adjusted)
    i = labels.index(str(reference))
    if hidden[i] or not (math.isfinite(crude[i]) and math.isfinite(adjusted[i])):
        raise ValueError(
            f"reference group {reference!r} is suppressed or has no standardised rate, so nothing can be "
            "compared with it; choose a larger group"
        )
    crude_diff = crude - crude[i]
    adjusted_diff = adjusted - adjusted[i]
    with np.errstate(divide="ignore", invalid="ignore"):
        age_share = np.where(crude_diff != 0, 1.0 - adjusted_diff / crude_diff, np.nan)
    out = pd.DataFrame(
        {
            col: table[col].to_numpy(),
            "reference_group": str(reference),
            "crude_rate": crude,
            "adjusted_rate": adjusted,
            "crude_diff": crude_diff,
            "adjusted_diff": adjusted_diff,
            "age_share": age_share,
            "suppressed": hidden,
        }
    )
    out.attrs = {"by": [col], "reference": str(reference), "min_cell": table_settings(table).min_cell}
    return out


def _points(value: float, decimals: int) -> str:
    """-0.127 → '−12.7' (a true minus sign, read aloud as 'minus')."""
    text = f"{value * 100:+.{decimals}f}"
    return text.replace("-", "\u2212")


def _change_word(crude: float, adjusted: float) -> str:
    if math.isclose(abs(crude), abs(adjusted), abs_tol=1e-12):
        return "leaves"
    return "narrows" if abs(adjusted) < abs(crude) else "widens"


def describe_crude_vs_standardized(
    table: pd.DataFrame,
    *,
    measure: str = "Rate",
    decimals: int = 1,
    names: Mapping[str, str] | None = None,
) -> str:
    """One sentence for alt text: every group's crude and standardised difference, in points.

    Parameters
    ----------
    table : pandas.DataFrame
        The output of :func:`crude_and_standardized_gaps`.
    measure : str
        What the rates measure.
    decimals : int
        Decimals of the percentage points.
    names : mapping, optional
        Label → full name (default :data:`helpers.group_names.GROUP_NAMES`).

    Returns
    -------
    str

    Examples
    --------
    >>> std = pd.DataFrame({"group": ["AIAN", "B"], "crude_rate": [0.50, 0.70],
    ...                     "adjusted_rate": [0.55, 0.65], "suppressed": [False, False]})
    >>> t = crude_and_standardized_gaps(std, reference="B", group="group")
    >>> print(describe_crude_vs_standardized(t, measure="Screening"))  # doctest: +NORMALIZE_WHITESPACE
    Screening, difference from B (reference group) in percentage points, crude and then
    age-standardised: American Indian or Alaska Native −20.0 and −10.0 (standardisation narrows the
    gap).
    """
    col = _group_column(table, None)
    ref = spell_out(table["reference_group"].iloc[0], names)
    parts, hidden = [], []
    ref_label = str(table["reference_group"].iloc[0])
    for label, crude, adjusted, suppressed in zip(
        table[col], table["crude_diff"], table["adjusted_diff"], table["suppressed"], strict=True
    ):
        if str(label) == ref_label:
            continue
        name = spell_out(label, names)
        if suppressed or not math.isfinite(crude):
            hidden.append(name)
            continue
        word = _change_word(crude, adjusted)
        parts.append(
            f"{name} {_points(crude, decimals)} and {_points(adjusted, decimals)} "
            f"(standardisation {word} the gap)"
        )
    text = (
        f"{measure}, difference from {ref} (reference group) in percentage points, crude and then "
        f"age-standardised: " + "; ".join(parts)
    )
    if hidden:
        text += f"; {suppressed_label(table_settings(table).min_cell)}: {', '.join(hidden)}"
    return text + "."


def crude_vs_standardized_plot(
    table: pd.DataFrame,
    *,
    measure: str = "Rate",
    focus: str | None = None,
    decimals: int = 1,
    names: Mapping[str, str] | None = None,
    title: str | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Dot chart of every group's crude and age-standardised gap, with the values printed.

    Each group (the reference left out: its gap is 0 by definition) has two markers on one
    row: a circle for the crude difference and a diamond for the standardised one, joined by
    a line; each value is printed beside its marker. A dashed line at 0 is the reference
    group.

    Parameters
    ----------
    table : pandas.DataFrame
        The output of :func:`crude_and_standardized_gaps`.
    measure : str
        What the rates measure (title, axis and alt text).
    focus : str, optional
        A group whose change the default title states ("Age standardisation narrows the
        Hispanic or Latino–White gap …").
    decimals : int
        Decimals of the printed values.
    names : mapping, optional
        Label → full name for the axis and alt text (default
        :data:`helpers.group_names.GROUP_NAMES`).
    title : str, optional
        Override the title.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    Figure

    Raises
    ------
    KeyError
        If ``focus`` is not a group of the table.

    Examples
    --------
    >>> std = pd.DataFrame({"group": ["A", "B"], "crude_rate": [0.50, 0.70],
    ...                     "adjusted_rate": [0.55, 0.65], "suppressed": [False, False]})
    >>> t = crude_and_standardized_gaps(std, reference="B", group="group")
    >>> " ".join(crude_vs_standardized_plot(t, focus="A").title.split())  # the title wraps
    'Age standardisation narrows the A–B gap from −20.0 to −10.0 percentage points'
    """
    col = _group_column(table, None)
    ref_label = str(table["reference_group"].iloc[0])
    ref = spell_out(ref_label, names)
    rows = table[table[col].astype(object).map(str) != ref_label].reset_index(drop=True)
    labels = [str(v) for v in rows[col]]
    if focus is not None:
        require_group(focus, labels, column=col, role="focus group")
    crude = rows["crude_diff"].to_numpy(dtype=float)
    adjusted = rows["adjusted_diff"].to_numpy(dtype=float)
    shown = np.isfinite(crude) & np.isfinite(adjusted) & ~rows["suppressed"].to_numpy(dtype=bool)
    hidden = suppressed_label(table_settings(table).min_cell)  # the threshold the table was made with
    n = len(rows)
    with book_style():
        fig, ax, own = _axes(ax, (8.0, 0.55 * n + 2.2))
        ys = np.arange(n)[::-1]
        crude_colour, std_colour = ROLE_COLORS["data"], ROLE_COLORS["signal"]
        for k in range(n):
            if not shown[k]:
                ax.text(0.0, ys[k], f"  {hidden}", va="center", ha="left", fontsize=10,
                        style="italic", color=NEUTRAL)  # fmt: skip
                continue
            ax.plot(
                [crude[k] * 100, adjusted[k] * 100],
                [ys[k], ys[k]],
                color=NEUTRAL,
                linewidth=1.2,
                linestyle="-",
                marker="",
                zorder=1,
            )
        ax.plot(crude[shown] * 100, ys[shown], "o", color=crude_colour, markersize=8, linestyle="none",
                label="Crude difference", zorder=3)  # fmt: skip
        ax.plot(adjusted[shown] * 100, ys[shown], "D", color=std_colour, markersize=8, linestyle="none",
                label="Age-standardised difference (US 2000 standard)", zorder=3)  # fmt: skip
        values = np.concatenate([crude[shown], adjusted[shown], [0.0]]) * 100
        span = float(values.max() - values.min()) or 1.0
        for k in np.flatnonzero(shown).tolist():
            for v, colour, dy in ((crude[k], crude_colour, 0.28), (adjusted[k], std_colour, -0.30)):
                ax.text(v * 100, ys[k] + dy, _points(v, decimals), ha="center", va="center", fontsize=9,
                        color=colour)  # fmt: skip
        ax.axvline(0.0, color=ROLE_COLORS["reference"], linestyle="--", linewidth=1.5, zorder=0,
                   label=f"No gap: {ref} (reference group)")  # fmt: skip
        ax.set_xlim(float(values.min()) - 0.12 * span, float(values.max()) + 0.12 * span)
        ax.set_yticks(ys, [spell_out(label, names) for label in labels])
        ax.set_ylim(-0.7, n - 0.3)
        ax.set_xlabel(f"Difference from {ref} (percentage points)")
        ax.grid(axis="y", visible=False)
        _legend(ax, own)
        if title is None:
            if focus is not None:
                k = labels.index(str(focus))
                word = _change_word(crude[k], adjusted[k])
                verb = "leaves the" if word == "leaves" else f"{word} the"
                title = (
                    f"Age standardisation {verb} {spell_out(focus, names)}–{ref} gap from "
                    f"{_points(crude[k], decimals)} to {_points(adjusted[k], decimals)} percentage points"
                )
            else:
                title = f"{measure}: gaps with {ref}, crude and age-standardised"
        _title(ax, title, own)
    alt = describe_crude_vs_standardized(table, measure=measure, decimals=decimals, names=names)
    return Figure(fig, alt, analysis=table)
