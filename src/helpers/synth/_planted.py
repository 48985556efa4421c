"""The record of planted values: what the generator put into the data, for tests and docs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from ._rng import weighted_group_mean

__all__ = ["Planted", "planted_frame", "planted_group_values"]


@dataclass(frozen=True)
class Planted:
    """One planted value: the true expected rate of ``outcome`` in one group of one dataset.

    Attributes
    ----------
    gap_id
        Identifier of the planted gap this value belongs to (e.g. ``"P1"``), as in
        ``datasets/README.md``.
    dataset, outcome, denominator
        Where to look: the numerator column and, for aggregated files, the denominator column
        (``None`` for a patient-level 0/1 outcome).
    where
        A :meth:`pandas.DataFrame.query` expression selecting the rows the value refers to
        (``""`` for all rows).
    population
        The same selection in words.
    by, group
        The stratifying column and the group.
    expected
        The true expected rate (a proportion, or events per unit of exposure): the mean of the
        simulated probabilities (or Poisson rates) of the units in the group.
    exact
        ``True`` when the generator calibrated the group to this documented target exactly;
        ``False`` when the value is the expectation implied by the other planted effects.
    per
        Display multiplier: 100 for percentages, 1000 for rates per 1,000 patient-days.
    """

    gap_id: str
    dataset: str
    outcome: str
    denominator: str | None
    where: str
    population: str
    by: str
    group: str
    expected: float
    exact: bool
    per: int = 100


def planted_group_values(
    *,
    gap_id: str,
    dataset: str,
    outcome: str,
    denominator: str | None,
    where: str,
    population: str,
    by: str,
    labels: Sequence[str],
    probs: np.ndarray,
    codes: np.ndarray,
    weights: np.ndarray | None = None,
    exact: bool,
    per: int = 100,
    skip_empty: bool = True,
) -> list[Planted]:
    """One :class:`Planted` per group: the (weighted) mean of the true probabilities in that group."""
    means = weighted_group_mean(np.asarray(probs, dtype=float), codes, len(labels), weights)
    out = []
    for label, value in zip(labels, means, strict=True):
        if skip_empty and np.isnan(value):
            continue
        out.append(
            Planted(
                gap_id=gap_id,
                dataset=dataset,
                outcome=outcome,
                denominator=denominator,
                where=where,
                population=population,
                by=by,
                group=str(label),
                expected=float(value),
                exact=exact,
                per=per,
            )
        )
    return out


def planted_frame(values: Sequence[Planted]) -> pd.DataFrame:
    """The planted values as a tidy DataFrame, one row per value."""
    columns = list(Planted.__dataclass_fields__)
    return pd.DataFrame([asdict(v) for v in values], columns=columns)
