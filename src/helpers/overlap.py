"""Where social needs and clinical gaps overlap: one table and one heatmap across ordered groups.

A team that wants to partner with community organisations first asks where its patients' social
needs and its own clinical gaps are concentrated, and whether they are in the same places.

* :func:`needs_and_outcomes` - a tidy table of social-needs rates (from ``sdoh_screening``,
  aggregated counts) and clinical rates (from ``patients``, one row per patient) for every value of
  an ordered grouping such as the deprivation decile, each from
  :func:`helpers.measures.stratified_rates` (intervals, suppression, exclusions counted).
* :func:`describe_needs_and_outcomes` - a pure, one-sentence description (used as alt text).
* :func:`rates_side_by_side` - several 0/1 measures of one table by the same groups (for example a
  staff survey's burnout, moral injury, intent to leave and discrimination by race and ethnicity),
  and :func:`percent_table`, the same as a readable table of "rate (interval)" or "suppressed".
* :func:`needs_and_outcomes_heatmap` - the table as a heatmap a reader can read without colour:
  every cell prints its value, suppressed cells say "suppressed", and each column is shaded on
  its own scale (a single light-to-dark blue), because the measures have different ranges.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure as MplFigure

from helpers._rates import measure_rates, single_by_column, stack_measures
from helpers._validation import require_columns, require_dataframe
from helpers.measures import exclusions
from helpers.palette import NEUTRAL, OKABE_ITO, book_style
from helpers.plots import WIDTH, Figure, _title

__all__ = [
    "DEFAULT_NEEDS",
    "DEFAULT_OUTCOMES",
    "describe_needs_and_outcomes",
    "needs_and_outcomes",
    "needs_and_outcomes_heatmap",
    "percent_table",
    "rates_side_by_side",
]

#: Social-needs columns of ``sdoh_screening`` (counts among screened patients) and their names.
DEFAULT_NEEDS: Mapping[str, str] = {"any_need": "Any social need", "food_insecurity": "Food insecurity"}
#: Clinical outcome columns of ``patients`` (0/1, blank when not in the measure) and their names.
DEFAULT_OUTCOMES: Mapping[str, str] = {
    "bp_controlled": "Blood pressure controlled",
    "hba1c_controlled": "HbA1c controlled",
    "crc_screened": "Colorectal screening up to date",
}
_COLUMNS = ["numerator", "denominator", "rate", "ci_low", "ci_high", "suppressed"]


def _side_by_side(
    specs: Mapping[str, tuple[pd.DataFrame, str, str | None, str]], by: str, *, min_cell: int
) -> pd.DataFrame:
    """``{name: (data, column, denominator, source)}`` → the long table of every measure by ``by``.

    Each measure is :func:`helpers._rates.measure_rates` of its column; ``attrs`` record the
    grouping, the measures in order, each measure's exclusions and the threshold.
    """
    tables = {
        name: measure_rates(data, column, by, denominator=denominator, min_cell=min_cell)
        for name, (data, column, denominator, _) in specs.items()
    }
    sources = {name: spec[3] for name, spec in specs.items()}
    out = stack_measures(tables, by, _COLUMNS, source=sources)
    out.attrs = {
        "by": [by],
        "exclusions": {name: exclusions(table) for name, table in tables.items()},
        "measures": list(specs),
        "min_cell": min_cell,
    }
    return out


def needs_and_outcomes(
    screening: pd.DataFrame,
    patients: pd.DataFrame,
    *,
    by: str = "deprivation_decile",
    needs: Mapping[str, str] = DEFAULT_NEEDS,
    outcomes: Mapping[str, str] = DEFAULT_OUTCOMES,
    denominator: str = "screened",
    min_cell: int = 11,
) -> pd.DataFrame:
    """Social-needs and clinical rates side by side for every value of ``by``.

    Parameters
    ----------
    screening : pandas.DataFrame
        Aggregated screening counts (``sdoh_screening``): the ``needs`` columns are numerators
        over ``denominator``.
    patients : pandas.DataFrame
        One row per patient (``patients``): the ``outcomes`` columns are 0/1, blank when the
        patient is not in that measure (those rows are left out of that measure and counted in
        ``attrs["exclusions"]``).
    by : str, default "deprivation_decile"
        The grouping, present in both tables.
    needs, outcomes : mapping of column to display name
        Which measures to show, in order.
    denominator : str, default "screened"
        The denominator column of ``screening``.
    min_cell : int, default 11
        Suppression threshold, as in :func:`~helpers.measures.stratified_rates`.

    Returns
    -------
    pandas.DataFrame
        Long format: ``by``, ``measure`` (display name), ``source`` ("social need" or "clinical"),
        ``numerator``, ``denominator``, ``rate``, ``ci_low``, ``ci_high`` and ``suppressed``; one
        row per group and measure, measures in the order given. ``attrs["exclusions"]`` maps each
        measure to its :func:`~helpers.measures.exclusions` table.

    Raises
    ------
    KeyError
        If a column is missing from either table.

    Examples
    --------
    >>> screening = pd.DataFrame({"decile": [1, 2], "screened": [100, 100], "any_need": [20, 50]})
    >>> patients = pd.DataFrame({"decile": [1] * 60 + [2] * 60,
    ...                          "bp": [1] * 48 + [0] * 12 + [1] * 30 + [0] * 30})
    >>> t = needs_and_outcomes(screening, patients, by="decile", needs={"any_need": "Any need"},
    ...                        outcomes={"bp": "BP controlled"})
    >>> t[["decile", "measure", "rate"]].values.tolist()
    [[1, 'Any need', 0.2], [2, 'Any need', 0.5], [1, 'BP controlled', 0.8], [2, 'BP controlled', 0.5]]
    """
    screening = require_dataframe(screening, what="screening")
    patients = require_dataframe(patients, what="patients")
    require_columns(screening, [by, denominator, *needs], what="screening")
    require_columns(patients, [by, *outcomes], what="patients")
    specs = {
        **{name: (screening, column, denominator, "social need") for column, name in needs.items()},
        **{name: (patients, column, None, "clinical") for column, name in outcomes.items()},
    }
    return _side_by_side(specs, by, min_cell=min_cell)


def _wide(profile: pd.DataFrame) -> tuple[str, pd.DataFrame, list[str]]:
    require_dataframe(profile, what="profile")
    by = single_by_column(
        profile, what="profile", ignore=("measure", "source"), hint="pass the output of needs_and_outcomes"
    )
    require_columns(profile, [by, "measure", "rate", "suppressed"], what="profile")
    measures = list(profile.attrs.get("measures") or dict.fromkeys(profile["measure"]))
    shown = profile.assign(rate=profile["rate"].where(~profile["suppressed"].astype(bool)))
    wide = shown.pivot(index=by, columns="measure", values="rate")[measures]  # noqa: PD010
    return by, wide, measures


def describe_needs_and_outcomes(profile: pd.DataFrame) -> str:
    """One sentence: for every measure, its rate at the first and last group, and the direction.

    Parameters
    ----------
    profile : pandas.DataFrame
        Output of :func:`needs_and_outcomes`.

    Returns
    -------
    str

    Examples
    --------
    >>> screening = pd.DataFrame({"decile": [1, 2], "screened": [100, 100], "any_need": [20, 50]})
    >>> patients = pd.DataFrame({"decile": [1] * 60 + [2] * 60,
    ...                          "bp": [1] * 48 + [0] * 12 + [1] * 30 + [0] * 30})
    >>> t = needs_and_outcomes(screening, patients, by="decile", needs={"any_need": "Any need"},
    ...                        outcomes={"bp": "BP controlled"})
    >>> print(describe_needs_and_outcomes(t))  # doctest: +NORMALIZE_WHITESPACE
    Any need and BP controlled by decile, from decile 1 to decile 2: Any need rises from 20% to
    50%; BP controlled falls from 80% to 50%.
    """
    by, wide, measures = _wide(profile)
    name = by.replace("_", " ")
    first, last = wide.index[0], wide.index[-1]
    parts = []
    for m in measures:
        a, b = wide.loc[first, m], wide.loc[last, m]
        if np.isnan(a) or np.isnan(b):
            parts.append(f"{m} is suppressed at one end")
            continue
        word = "rises" if b > a else "falls" if b < a else "is the same"
        parts.append(f"{m} {word} from {a:.0%} to {b:.0%}")
    listed = ", ".join(measures[:-1]) + f" and {measures[-1]}" if len(measures) > 1 else measures[0]
    word = name.split()[-1]
    return f"{listed} by {name}, from {word} {first} to {word} {last}: " + "; ".join(parts) + "."


def _blend(fraction: float) -> tuple[float, float, float]:
    """White (0) to Okabe-Ito blue (1)."""
    blue = np.array([int(OKABE_ITO["blue"][i : i + 2], 16) / 255 for i in (1, 3, 5)])
    return tuple(1 - fraction * (1 - blue))


def needs_and_outcomes_heatmap(
    profile: pd.DataFrame, *, title: str | None = None, row_label: str | None = None
) -> Figure:
    """The table of :func:`needs_and_outcomes` as a heatmap with every value printed.

    Each column is shaded on its own scale, from its lowest value (white) to its highest (dark
    blue), so the pattern down each column is visible even though the measures differ in range;
    the printed values carry the numbers, so colour is never needed to read the chart. Text is
    black on every shade (at least 5:1 contrast). Suppressed cells read "suppressed".

    Parameters
    ----------
    profile : pandas.DataFrame
        Output of :func:`needs_and_outcomes`.
    title : str, optional
        The finding; by default "Social needs and clinical results by <grouping>".
    row_label : str, optional
        Label of the rows (default: the grouping's name).

    Returns
    -------
    helpers.plots.Figure

    Examples
    --------
    >>> screening = pd.DataFrame({"decile": [1, 2], "screened": [100, 100], "any_need": [20, 50]})
    >>> patients = pd.DataFrame({"decile": [1] * 60 + [2] * 60,
    ...                          "bp": [1] * 48 + [0] * 12 + [1] * 30 + [0] * 30})
    >>> t = needs_and_outcomes(screening, patients, by="decile", needs={"any_need": "Any need"},
    ...                        outcomes={"bp": "BP controlled"})
    >>> fig = needs_and_outcomes_heatmap(t)
    >>> sorted(text.get_text() for text in fig.fig.axes[0].texts)
    ['20%', '50%', '50%', '80%']
    """
    by, wide, measures = _wide(profile)
    alt = describe_needs_and_outcomes(profile)
    n_rows, n_cols = wide.shape
    with book_style():
        fig = MplFigure(figsize=(WIDTH, 1.6 + 0.42 * n_rows), layout="constrained")
        ax = fig.add_subplot()
        for j, m in enumerate(measures):
            col = wide[m].to_numpy(dtype=float)
            low, high = (
                np.nanmin(col) if np.isfinite(col).any() else 0,
                np.nanmax(col) if np.isfinite(col).any() else 1,
            )
            span = high - low if high > low else 1.0
            for i, value in enumerate(col):
                y = n_rows - 1 - i
                if np.isnan(value):
                    ax.add_patch(_cell(j, y, (1, 1, 1), hatch="//"))
                    ax.text(
                        j,
                        y,
                        "suppressed",
                        ha="center",
                        va="center",
                        fontsize=9,
                        style="italic",
                        color=NEUTRAL,
                    )
                    continue
                fraction = 0.85 * (value - low) / span
                ax.add_patch(_cell(j, y, _blend(fraction)))
                # Black text throughout: at least 5:1 contrast on the darkest shade (WCAG AA).
                ax.text(j, y, f"{value:.0%}", ha="center", va="center", fontsize=10, color="black")
        ax.set_xlim(-0.5, n_cols - 0.5)
        ax.set_ylim(-0.5, n_rows - 0.5)
        ax.set_xticks(range(n_cols), ["\n".join(_wrap(m)) for m in measures])
        ax.xaxis.tick_top()
        ax.set_yticks([n_rows - 1 - i for i in range(n_rows)], [str(v) for v in wide.index])
        ax.set_ylabel(row_label or by.replace("_", " ").capitalize())
        ax.set_xlabel("Within each column, darker shading = higher value; every value is printed")
        ax.grid(False)
        for side in ("top", "right", "bottom", "left"):
            ax.spines[side].set_visible(False)
        ax.tick_params(length=0)
        _title(ax, title or f"Social needs and clinical results by {by.replace('_', ' ')}", True)
    return Figure(fig, alt)


def _cell(x: float, y: float, colour: tuple[float, float, float], hatch: str | None = None) -> Any:
    """A heat-map cell (a matplotlib ``Rectangle``)."""
    from matplotlib.patches import Rectangle

    return Rectangle((x - 0.5, y - 0.5), 1, 1, facecolor=colour, edgecolor="white", linewidth=2, hatch=hatch)


def _wrap(text: str, width: int = 16) -> list[str]:
    import textwrap

    return textwrap.wrap(text, width) or [text]


def rates_side_by_side(
    data: pd.DataFrame,
    measures: Mapping[str, str],
    by: str,
    *,
    min_cell: int = 11,
) -> pd.DataFrame:
    """Several 0/1 measures of one patient- or person-level table, by the same groups.

    Each measure is :func:`~helpers.measures.stratified_rates` of its column (rows with a blank
    answer are left out of that measure only, and counted in ``attrs["exclusions"]``).

    Parameters
    ----------
    data : pandas.DataFrame
        One row per person.
    measures : mapping of column to display name
        The 0/1 columns, in the order to show them.
    by : str
        The grouping column.
    min_cell : int, default 11
        Suppression threshold.

    Returns
    -------
    pandas.DataFrame
        Long format, as :func:`needs_and_outcomes` (``source`` is "measure"); read it with
        :func:`percent_table`.

    Examples
    --------
    >>> staff = pd.DataFrame({"team": ["a"] * 40 + ["b"] * 40,
    ...                       "tired": [1] * 20 + [0] * 20 + [1] * 12 + [0] * 28,
    ...                       "leaving": [1] * 12 + [0] * 28 + [1] * 14 + [0] * 26})
    >>> t = rates_side_by_side(staff, {"tired": "Tired", "leaving": "Leaving"}, "team")
    >>> t[["team", "measure", "rate"]].values.tolist()
    [['a', 'Tired', 0.5], ['b', 'Tired', 0.3], ['a', 'Leaving', 0.3], ['b', 'Leaving', 0.35]]
    """
    data = require_dataframe(data, what="data")
    require_columns(data, [by, *measures], what="data")
    return _side_by_side(
        {name: (data, column, None, "measure") for column, name in measures.items()}, by, min_cell=min_cell
    )


def percent_table(profile: pd.DataFrame) -> pd.DataFrame:
    """A long rates table (:func:`rates_side_by_side`, :func:`needs_and_outcomes`) as text to read.

    Parameters
    ----------
    profile : pandas.DataFrame
        Long table with the grouping in ``attrs["by"]``.

    Returns
    -------
    pandas.DataFrame
        One row per group, one column per measure, each cell "45% (41–49%)" (the rate and its
        95% interval) or "suppressed".

    Examples
    --------
    >>> staff = pd.DataFrame({"team": ["a"] * 40 + ["b"] * 40,
    ...                       "tired": [1] * 20 + [0] * 20 + [1] * 12 + [0] * 28})
    >>> percent_table(rates_side_by_side(staff, {"tired": "Tired"}, "team"))["Tired"].tolist()
    ['50% (35–65%)', '30% (18–45%)']
    """
    by, _, measures = _wide(profile)
    text = [
        "suppressed" if bool(row.suppressed) else f"{row.rate:.0%} ({row.ci_low * 100:.0f}–{row.ci_high:.0%})"
        for row in profile.itertuples()
    ]
    shown = profile.assign(text=text)
    wide = shown.pivot(index=by, columns="measure", values="text")[measures]  # noqa: PD010
    wide.columns.name = None
    return wide
