"""Reading a scored self-assessment: which component is weakest, and which statements to start with.

:func:`weakest_components` reads the table that
:func:`helpers.exercises.score_self_assessment` returns; :func:`lowest_rated_items` lists the
statements of one component that were rated lowest, with what "fully implemented" looks like.
Both are pure, so a module can put their results into words ("start with …") that stay right
whatever the ratings are.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from helpers.exercises.assessment import SCALE

__all__ = ["lowest_rated_items", "weakest_components"]


def weakest_components(scores: pd.DataFrame, *, column: str = "mean_rating") -> list[str]:
    """The component(s) with the lowest score; several when they tie.

    Parameters
    ----------
    scores : pandas.DataFrame
        One row per component, as :func:`helpers.exercises.score_self_assessment` returns it
        (columns ``component`` and ``column``).
    column : str, default "mean_rating"
        The score to compare.

    Returns
    -------
    list of str
        The components at the lowest score, in the table's order (components with no score
        are left out).

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        If no component has a score yet.

    Example
    -------
    >>> scores = pd.DataFrame({"component": ["Strategy", "Structure", "Racism"],
    ...                        "mean_rating": [1.8, 2.4, float("nan")]})
    >>> weakest_components(scores)
    ['Strategy']
    """
    for name in ("component", column):
        if name not in scores.columns:
            raise KeyError(f"column {name!r} not found; columns are: {', '.join(map(str, scores.columns))}")
    rated = scores[scores[column].notna()]
    if rated.empty:
        raise ValueError("no component has a score yet: rate at least one statement first")
    lowest = float(rated[column].min())
    at_lowest = rated[[math.isclose(float(v), lowest, abs_tol=1e-9) for v in rated[column]]]
    return [str(c) for c in at_lowest["component"]]


def lowest_rated_items(
    responses: Mapping[str, Any],
    items: pd.DataFrame,
    component: str,
    *,
    scale: Sequence[str] = SCALE,
) -> pd.DataFrame:
    """The statements of one component that were rated lowest: where to start.

    Parameters
    ----------
    responses : mapping
        ``{item_id: rating}``, a rating 1–5 or the scale label (as for
        :func:`helpers.exercises.score_self_assessment`); unrated items are left out.
    items : pandas.DataFrame
        The item bank (``item_id, component, item`` and, if present, ``evidence_example``).
    component : str
        The component to look in, e.g. the first of :func:`weakest_components`.
    scale : sequence of str
        The rating labels, lowest first.

    Returns
    -------
    pandas.DataFrame
        ``item_id, item, rating, rating_label`` (and ``evidence_example`` when the bank has it),
        one row per statement at the component's lowest rating, in the bank's order.

    Raises
    ------
    KeyError
        If the component is not in the item bank.
    ValueError
        If a rating is not on the scale, or no statement of the component is rated.

    Example
    -------
    >>> bank = pd.DataFrame({"item_id": ["C1.1", "C1.2", "C2.1"],
    ...                      "component": ["Strategy", "Strategy", "Structure"],
    ...                      "item": ["Named in the plan.", "Has a budget.", "A council."]})
    >>> lowest_rated_items({"C1.1": 4, "C1.2": "Not started"}, bank, "Strategy")
      item_id           item  rating rating_label
    0    C1.2  Has a budget.       1  Not started
    """
    from helpers.exercises.assessment import _check_items, _rating

    bank = _check_items(items)
    names = list(dict.fromkeys(bank["component"].astype(str)))
    if component not in names:
        raise KeyError(f"component {component!r} is not in the item bank; components are: {names}")
    members = bank[bank["component"].astype(str) == component]
    ratings = [_rating(responses.get(str(i)), scale, str(i)) for i in members["item_id"]]
    rated = members.assign(rating=ratings).dropna(subset=["rating"])
    if rated.empty:
        raise ValueError(f"no statement of {component!r} is rated yet")
    lowest = rated[rated["rating"] == rated["rating"].min()]
    columns = ["item_id", "item", "rating"] + (["evidence_example"] if "evidence_example" in bank else [])
    out = lowest[columns].astype({"rating": "int64"}).reset_index(drop=True)
    out.insert(3, "rating_label", [scale[r - 1] for r in out["rating"]])
    return out
