"""Data quality by group: how complete demographic answers are, with small counts hidden.

Equity data are only as good as their collection. A measure stratified by race and ethnicity
is biased when the answers are missing more often for some patients than for others, so a team
checks completeness *by group* and *by site* before it trusts a stratified rate.

* :func:`completeness_table` - for each group (e.g. each clinic), the share of a demographic
  column that is each kind of non-answer ("Declined", "Unknown", "Not asked"), kept apart;
* :func:`completeness_plot` - the same as a stacked bar chart, with alt text;
* :func:`suppressed_crosstab` - a table of counts of one column by another, in which counts
  from 1 to 10 are hidden, with complementary suppression in rows and columns.

The three non-answers mean different things and are never merged: "Declined" is the patient's
choice; "Unknown" means nobody recorded an answer (a system failure); "Not asked" means the
question is not part of the process (a process gap).

Examples
--------
>>> import pandas as pd
>>> df = pd.DataFrame({"clinic": ["A"] * 40 + ["B"] * 40,
...                    "race": (["White"] * 30 + ["Declined"] * 10 + ["White"] * 20 + ["Unknown"] * 20)})
>>> t = completeness_table(df, "race", "clinic", min_cell=0)
>>> print(t[["clinic", "patients", "Declined", "Unknown", "any"]].to_string(index=False))
clinic  patients  Declined  Unknown  any
     A        40      0.25      0.0 0.25
     B        40      0.00      0.5 0.50
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from helpers._validation import format_values, require_columns, require_dataframe

__all__ = [
    "NON_ANSWERS",
    "completeness_display",
    "completeness_plot",
    "completeness_table",
    "suppressed_crosstab",
]

#: The non-answers the workbook's demographic columns use, in display order.
NON_ANSWERS: tuple[str, ...] = ("Declined", "Unknown", "Not asked")
SUPPRESSED = "suppressed (1–10)"
COMPLEMENTARY = "suppressed (complementary)"


def _small(counts: np.ndarray, min_cell: int) -> np.ndarray:
    return (counts >= 1) & (counts < min_cell)


def completeness_table(
    data: pd.DataFrame,
    column: str,
    by: str,
    *,
    non_answers: Sequence[str] | None = None,
    min_cell: int = 11,
) -> pd.DataFrame:
    """Share of ``column`` that is each non-answer, for every value of ``by``.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per patient.
    column : str
        The demographic column to check, e.g. ``"race"``.
    by : str
        The grouping, e.g. ``"clinic"`` or ``"ethnicity"``.
    non_answers : sequence of str, optional
        The labels that are not answers. Default: those of :data:`NON_ANSWERS` that are
        categories (or values) of ``column``. A blank cell is counted as "Unknown".
    min_cell : int, default 11
        A group's counts from 1 to ``min_cell - 1`` are hidden: the share is NA and the row
        names the hidden columns in ``suppressed``. 0 is shown.

    Returns
    -------
    pandas.DataFrame
        One row per group (in the order of ``by``'s categories): ``by``, ``patients``, one
        column per non-answer (its share of the group's patients), ``any`` (the share with any
        non-answer) and ``suppressed`` (the hidden columns, "" when none). A group of 1 to
        ``min_cell - 1`` patients is hidden entirely.

    Raises
    ------
    KeyError
        If ``column`` or ``by`` is missing.
    ValueError
        If ``non_answers`` names a label that never occurs and is not a category.

    Examples
    --------
    >>> df = pd.DataFrame({"site": ["A"] * 50, "race": ["White"] * 45 + ["Declined"] * 5})
    >>> print(completeness_table(df, "race", "site").to_string(index=False))
    site  patients  Declined  any    suppressed
       A        50       NaN  NaN Declined, any
    """
    data = require_dataframe(data)
    require_columns(data, [column, by])
    values = data[column]
    known = (
        list(values.cat.categories)
        if isinstance(values.dtype, pd.CategoricalDtype)
        else list(pd.unique(values.dropna()))
    )
    if non_answers is None:
        labels = [label for label in NON_ANSWERS if label in known]
        if values.isna().any() and "Unknown" not in labels:
            labels.append("Unknown")
    else:
        labels = list(non_answers)
        strange = [label for label in labels if label not in known and label != "Unknown"]
        if strange:
            raise ValueError(
                f"{format_values(strange, quote=True)} never occur in {column!r}; its values are "
                f"{format_values(known, quote=True)}"
            )
    text = values.astype("object").where(values.notna(), "Unknown")
    grouped = data[by]
    order = (
        list(grouped.cat.categories)
        if isinstance(grouped.dtype, pd.CategoricalDtype)
        else sorted(pd.unique(grouped.dropna()))
    )
    rows = []
    for group in order:
        mask = (grouped == group).to_numpy()
        n = int(mask.sum())
        if n == 0:
            continue
        counts = {label: int((text[mask] == label).sum()) for label in labels}
        counts["any"] = sum(counts.values())
        hidden = [k for k, c in counts.items() if _small(np.array([c]), min_cell)[0]]
        if len(hidden) == 1 and hidden != ["any"] and counts["any"] > 0:
            hidden.append("any")  # otherwise the hidden count = any - the others
        row: dict[str, object] = {
            by: group,
            "patients": n if not _small(np.array([n]), min_cell)[0] else pd.NA,
        }
        if pd.isna(row["patients"]):
            hidden = [*labels, "any"]
        for key, count in counts.items():
            row[key] = np.nan if key in hidden else count / n
        row["suppressed"] = ", ".join(k for k in [*labels, "any"] if k in hidden)
        rows.append(row)
    table = pd.DataFrame(rows, columns=[by, "patients", *labels, "any", "suppressed"])
    table["patients"] = table["patients"].astype("Int64")
    if isinstance(grouped.dtype, pd.CategoricalDtype):
        table[by] = pd.Categorical(table[by], categories=[g for g in order if g in set(table[by])])
    table.attrs["column"] = column
    table.attrs["non_answers"] = labels
    return table


def completeness_display(table: pd.DataFrame) -> pd.DataFrame:
    """A :func:`completeness_table` for display: counts with separators, shares as percentages.

    Hidden cells read "suppressed (1–10)"; the ``suppressed`` column is dropped and the groups
    become the index.

    Examples
    --------
    >>> df = pd.DataFrame({"site": ["A"] * 50 + ["B"] * 40,
    ...                    "race": ["White"] * 45 + ["Declined"] * 5 + ["White"] * 28 + ["Unknown"] * 12})
    >>> print(completeness_display(completeness_table(df, "race", "site")).to_string())
         patients          Declined Unknown               any
    site
    A          50 suppressed (1–10)    0.0% suppressed (1–10)
    B          40              0.0%   30.0%             30.0%
    """
    out = pd.DataFrame({table.columns[0]: table.iloc[:, 0].astype(str)})
    out["patients"] = [SUPPRESSED if pd.isna(v) else f"{int(v):,}" for v in table["patients"]]
    for column in [*table.attrs.get("non_answers", []), "any"]:
        out[column] = [SUPPRESSED if pd.isna(v) else f"{float(v):.1%}" for v in table[column]]
    return out.set_index(table.columns[0])


def completeness_plot(table: pd.DataFrame, *, what: str | None = None, title: str | None = None) -> Any:
    """Stacked horizontal bars: each group's share of every non-answer, with alt text.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`completeness_table`.
    what : str, optional
        What the answers are, for the title and alt text (default: the column's name).
    title : str, optional
        Override the finding-style title.

    Returns
    -------
    helpers.plots.Figure

    Examples
    --------
    >>> df = pd.DataFrame({"clinic": ["A"] * 40 + ["B"] * 40,
    ...                    "race": ["White"] * 28 + ["Declined"] * 12 + ["White"] * 20 + ["Unknown"] * 20})
    >>> fig = completeness_plot(completeness_table(df, "race", "clinic"), what="race")
    >>> print(fig.alt_text)  # doctest: +NORMALIZE_WHITESPACE
    Stacked bars of the share of patients whose race is Declined or Unknown, by clinic: highest
    B 50% (Declined 0%, Unknown 50%), lowest A 30% (Declined 30%, Unknown 0%).
    >>> fig.title
    'Race is missing for 30% to 50% of patients, depending on clinic'
    """
    from matplotlib.figure import Figure as MplFigure

    from helpers.palette import NEUTRAL, PALETTE, book_style
    from helpers.plots import Figure

    by = table.columns[0]
    labels = list(table.attrs.get("non_answers") or [c for c in table.columns if c in NON_ANSWERS])
    what = what or str(table.attrs.get("column", "the answer")).replace("_", " ")
    shown = table[table["any"].notna()].reset_index(drop=True)
    hidden = table[table["any"].isna()][by].astype(str).tolist()
    if shown.empty:
        raise ValueError("every group is suppressed; there is nothing to plot")
    hatches = ["", "//", "..", "xx"]
    names = shown[by].astype(str).tolist()
    with book_style():
        fig = MplFigure(figsize=(7.5, 0.55 * (len(names) + len(hidden)) + 1.8))
        ax = fig.subplots()
        left = np.zeros(len(shown))
        for i, label in enumerate(labels):
            share = shown[label].astype(float).fillna(0).to_numpy()
            ax.barh(names, share * 100, left=left * 100, color=PALETTE[i], hatch=hatches[i % 4],
                    edgecolor="white", label=label)  # fmt: skip
            left += share
        for y, total in enumerate(shown["any"].astype(float)):
            ax.text(total * 100 + 0.3, y, f"{total:.0%}", va="center", fontsize=10, color="black")
        for k, name in enumerate(hidden):
            ax.text(0.3, len(names) + k, f"{name}: {SUPPRESSED}", va="center", color=NEUTRAL)
        ax.invert_yaxis()
        ax.set_xlabel("Percent of patients")
        ax.set_xlim(0, max(shown["any"].astype(float)) * 100 * 1.18 + 1)
        ax.legend(title="Non-answer", loc="lower right")
        low, high = shown["any"].astype(float).idxmin(), shown["any"].astype(float).idxmax()
        heading = title or (
            f"{what[:1].upper() + what[1:]} is missing for {shown.loc[low, 'any']:.0%} to "
            f"{shown.loc[high, 'any']:.0%} of patients, depending on {str(by).replace('_', ' ')}"
        )
        ax.set_title(heading, loc="left", wrap=True)
        fig.tight_layout()

    def part(i: int) -> str:
        pieces = ", ".join(
            f"{label} {float(shown.loc[i, label]):.0%}" for label in labels if pd.notna(shown.loc[i, label])
        )
        return f"{names[i]} {float(shown.loc[i, 'any']):.0%} ({pieces})"

    alt = (
        f"Stacked bars of the share of patients whose {what} is {' or '.join(labels)}, by "
        f"{str(by).replace('_', ' ')}: highest {part(high)}, lowest {part(low)}"
    )
    if hidden:
        alt += f"; {len(hidden)} group(s) {SUPPRESSED}"
    return Figure(fig=fig, alt_text=alt + ".")


def suppressed_crosstab(data: pd.DataFrame, rows: str, columns: str, *, min_cell: int = 11) -> pd.DataFrame:
    """Counts of ``rows`` by ``columns`` for display, with counts from 1 to 10 hidden.

    No margins are shown. Complementary suppression: a row or column with exactly one hidden
    cell gets its smallest other non-zero cell hidden too, so that a hidden count cannot be
    worked out from a published total; repeated until no row or column has exactly one.

    Parameters
    ----------
    data : pandas.DataFrame
    rows, columns : str
        The two columns to cross.
    min_cell : int, default 11

    Returns
    -------
    pandas.DataFrame
        Text cells: counts with thousands separators, "suppressed (1–10)" for a small count, or
        "suppressed (complementary)" for a count hidden so that a small one cannot be worked out.

    Examples
    --------
    >>> df = pd.DataFrame({"race": ["A"] * 50 + ["B"] * 30, "eth": ["H"] * 45 + ["N"] * 5 + ["H"] * 30})
    >>> print(suppressed_crosstab(df, "race", "eth").to_string())
    eth                           H                  N
    race
    A    suppressed (complementary)  suppressed (1–10)
    B    suppressed (complementary)                  0

    The 5 is hidden (1 to 10); the 45 is hidden too, or it could be worked out from row A's
    total; then B's 30 is hidden, or the 45 could be worked out from column H's total.
    """
    data = require_dataframe(data)
    require_columns(data, [rows, columns])
    counts = pd.crosstab(data[rows], data[columns])
    values = counts.to_numpy()
    hide = _small(values, min_cell)
    changed = True
    while changed:
        changed = False
        for axis in (0, 1):
            for k in range(values.shape[1 - axis] if axis == 0 else values.shape[0]):
                line = hide[:, k] if axis == 0 else hide[k, :]
                vals = values[:, k] if axis == 0 else values[k, :]
                if line.sum() == 1:
                    candidates = [i for i in range(len(vals)) if not line[i] and vals[i] > 0]
                    if candidates:
                        pick = min(candidates, key=lambda i: (vals[i], i))
                        if axis == 0:
                            hide[pick, k] = True
                        else:
                            hide[k, pick] = True
                        changed = True
    primary = _small(values, min_cell)
    text = np.where(primary, SUPPRESSED, np.vectorize(lambda v: f"{v:,}")(values))
    text = np.where(hide & ~primary, COMPLEMENTARY, text)
    return pd.DataFrame(text, index=counts.index, columns=counts.columns)
