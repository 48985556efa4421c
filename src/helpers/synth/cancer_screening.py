"""``cancer_screening``: colorectal cancer screening, eligible and screened, by group, payer and age band.

One row per race/ethnicity x payer x age band (45-54, 55-64, 65-74) with eligible patients, for
the 2024 measurement year. The crude screening rate of every race/ethnicity group is calibrated
to the same target as in ``patients``; because Hispanic/Latino, Asian and Multiracial patients
are younger, and the 45-54 band (which includes the newly eligible 45-49-year-olds) screens
least, part of their crude gap disappears after age standardisation -- a planted lesson for
module 04.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from . import _labels as labels
from ._planted import Planted, planted_group_values
from ._rng import calibrate_logit, expit, weighted_group_mean
from .patients import TARGETS as PATIENT_TARGETS

__all__ = ["generate_cancer_screening", "us2000_weights"]

_ELIGIBLE = 60_000
_RACE_SHARE = np.array([0.007, 0.065, 0.17, 0.15, 0.0035, 0.48, 0.02, 0.02, 0.085])
# Share of each race/ethnicity group in 45-54 / 55-64 / 65-74.
_AGE_SHARE = np.array(
    [
        [0.40, 0.35, 0.25],
        [0.42, 0.34, 0.24],
        [0.36, 0.37, 0.27],
        [0.46, 0.34, 0.20],
        [0.44, 0.34, 0.22],
        [0.30, 0.36, 0.34],
        [0.45, 0.33, 0.22],
        [0.42, 0.35, 0.23],
        [0.35, 0.35, 0.30],
    ]
)
# Payer (Commercial, Medicare, Medicaid, Uninsured, Other) under 65, by race/ethnicity.
_PAYER_UNDER_65 = np.array(
    [
        [0.50, 0.05, 0.30, 0.12, 0.03],
        [0.72, 0.03, 0.15, 0.06, 0.04],
        [0.58, 0.06, 0.26, 0.07, 0.03],
        [0.52, 0.03, 0.28, 0.14, 0.03],
        [0.55, 0.04, 0.28, 0.10, 0.03],
        [0.75, 0.04, 0.12, 0.05, 0.04],
        [0.65, 0.04, 0.20, 0.07, 0.04],
        [0.60, 0.04, 0.22, 0.10, 0.04],
        [0.66, 0.04, 0.18, 0.08, 0.04],
    ]
)
_PAYER_65_PLUS = np.array([0.10, 0.85, 0.02, 0.005, 0.025])
_AGE_EFFECT = np.array([-0.9, 0.0, 0.4])
_PAYER_EFFECT = np.array([0.0, 0.0, -0.3, -1.4, -0.1])


def us2000_weights(bands: tuple[str, ...] = labels.SCREENING_AGE_GROUP) -> np.ndarray:
    """2000 US standard population weights for ``bands``, normalised to sum to 1.

    Examples
    --------
    >>> np.round(us2000_weights(), 4).tolist()
    [0.468, 0.3028, 0.2292]
    """
    w = np.array([labels.US2000_STANDARD[b] for b in bands], dtype=float)
    return w / w.sum()


def generate_cancer_screening(rng: np.random.Generator) -> tuple[pd.DataFrame, list[Planted]]:
    """Simulate ``cancer_screening`` and record its planted values.

    Examples
    --------
    >>> from helpers.synth._rng import child_rng
    >>> frame, planted = generate_cancer_screening(child_rng(2017, "cancer_screening"))
    >>> list(frame["age_group"].cat.categories)
    ['45-54', '55-64', '65-74']
    """
    n_r, n_p, n_a = len(labels.RACE_ETHNICITY), len(labels.PAYER), len(labels.SCREENING_AGE_GROUP)
    r_idx, p_idx, a_idx = (
        x.ravel() for x in np.meshgrid(np.arange(n_r), np.arange(n_p), np.arange(n_a), indexing="ij")
    )
    payer_share = np.where((a_idx == 2), _PAYER_65_PLUS[p_idx], _PAYER_UNDER_65[r_idx, p_idx])
    lam = _ELIGIBLE * _RACE_SHARE[r_idx] * _AGE_SHARE[r_idx, a_idx] * payer_share
    eligible = rng.poisson(lam)
    base = _AGE_EFFECT[a_idx] + _PAYER_EFFECT[p_idx]
    targets = [PATIENT_TARGETS["crc_screened"][g] for g in labels.RACE_ETHNICITY]
    shift = calibrate_logit(base, r_idx, targets, weights=eligible.astype(float))
    p = expit(base + shift[r_idx])
    screened = rng.binomial(eligible, p)
    frame = pd.DataFrame(
        {
            "race_ethnicity": pd.Categorical.from_codes(r_idx, categories=list(labels.RACE_ETHNICITY)),
            "payer": pd.Categorical.from_codes(p_idx, categories=list(labels.PAYER)),
            "age_group": pd.Categorical.from_codes(
                a_idx, categories=list(labels.SCREENING_AGE_GROUP), ordered=True
            ),
            "eligible": eligible.astype(np.int64),
            "screened": screened.astype(np.int64),
        }
    )
    frame = frame[frame["eligible"] > 0].reset_index(drop=True)  # no row for an empty cell
    return frame, _planted(p, eligible, r_idx, p_idx, a_idx)


def _planted(
    p: np.ndarray, eligible: np.ndarray, r_idx: np.ndarray, p_idx: np.ndarray, a_idx: np.ndarray
) -> list[Planted]:
    w = eligible.astype(float)
    common: dict[str, Any] = {
        "dataset": "cancer_screening",
        "outcome": "screened",
        "denominator": "eligible",
        "where": "",
    }
    out = planted_group_values(
        gap_id="C1", population="all eligible adults 45-74 (crude rate)", by="race_ethnicity",
        labels=labels.RACE_ETHNICITY, probs=p, codes=r_idx, weights=w, exact=True, **common,
    )  # fmt: skip
    out += planted_group_values(
        gap_id="C2", population="all eligible adults 45-74", by="payer", labels=labels.PAYER,
        probs=p, codes=p_idx, weights=w, exact=False, **common,
    )  # fmt: skip
    # Age-standardised rate per group: weighted sum of expected age-specific rates.
    n_a = len(labels.SCREENING_AGE_GROUP)
    cell = r_idx * n_a + a_idx
    age_specific = weighted_group_mean(p, cell, len(labels.RACE_ETHNICITY) * n_a, w).reshape(-1, n_a)
    standardised = age_specific @ us2000_weights()
    for label, value in zip(labels.RACE_ETHNICITY, standardised, strict=True):
        out.append(
            Planted(
                gap_id="C1-age-standardised",
                population="eligible adults 45-74, age-standardised to the 2000 US standard population",
                by="race_ethnicity",
                group=label,
                expected=float(value),
                exact=False,
                **common,
            )
        )
    return out
