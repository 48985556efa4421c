"""``hypertension_monthly``: blood-pressure control by month, clinic, race/ethnicity and language.

One row per month x clinic x race/ethnicity x language group that had patients (a combination
with no patients that month has no row). The denominator is the number of registry patients with
hypertension seen in that month; the numerator those whose last blood pressure in the month was
below 140/90.

The outreach programme for Black patients starts in month 19 (July 2023) and reaches full effect
in month 21: Black patients' control rises from 54% to 59%, halving the 10-point gap with White
patients. Nothing else changes, so the Spanish-language gap persists.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from . import _labels as labels
from ._planted import Planted, planted_group_values
from ._rng import calibrate_logit, expit
from .patients import TARGETS as PATIENT_TARGETS

__all__ = ["FIRST_MONTH", "INTERVENTION_MONTH", "N_MONTHS", "black_target", "generate_hypertension_monthly"]

FIRST_MONTH = "2022-01-01"
N_MONTHS = 36
INTERVENTION_MONTH = 19  # 1-based: July 2023

_CLINIC_SHARE = np.array([0.30, 0.22, 0.26, 0.22])
_RACE_SHARE = np.array([0.007, 0.05, 0.21, 0.13, 0.0035, 0.47, 0.017, 0.017, 0.076])
_RACE_TILT = np.array(
    [
        # AIAN Asian Black Hisp NHPI White Multi Other Unk
        [1.2, 0.7, 1.6, 1.5, 1.0, 0.6, 1.0, 1.2, 1.0],  # Eastside
        [1.0, 0.9, 1.1, 1.3, 1.2, 0.9, 1.0, 1.0, 1.0],  # Harbor
        [0.8, 1.5, 0.6, 0.6, 1.0, 1.3, 1.0, 0.9, 1.0],  # Northgate
        [1.0, 1.0, 0.8, 0.7, 0.8, 1.2, 1.0, 0.9, 1.0],  # Westview
    ]
)
# English / Spanish / Other, by race/ethnicity.
_LANG_SHARE = np.array(
    [
        [0.970, 0.003, 0.027],
        [0.660, 0.000, 0.340],
        [0.940, 0.002, 0.058],
        [0.580, 0.410, 0.010],
        [0.880, 0.000, 0.120],
        [0.975, 0.002, 0.023],
        [0.955, 0.020, 0.025],
        [0.850, 0.050, 0.100],
        [0.930, 0.030, 0.040],
    ]
)
_VISITS_PER_MONTH = 2600.0
_SEASON = np.array([1.05, 1.0, 1.05, 1.0, 1.0, 0.95, 0.9, 0.9, 1.0, 1.05, 1.0, 0.85])
_LANG_EFFECT = np.array([0.0, -0.45, -0.35])  # log-odds, interpreter-mediated (Kim et al. 2017)
_CLINIC_EFFECT = np.array([-0.15, -0.05, 0.15, 0.05])


def black_target(month: int) -> float:
    """Planted blood-pressure control for Black patients in month ``month`` (1-based).

    Examples
    --------
    >>> [black_target(m) for m in (1, 18, 19, 20, 21, 36)]
    [0.54, 0.54, 0.56, 0.58, 0.59, 0.59]
    """
    before = PATIENT_TARGETS["bp_controlled"]["Black"]
    ramp = {INTERVENTION_MONTH: 0.56, INTERVENTION_MONTH + 1: 0.58}
    if month < INTERVENTION_MONTH:
        return before
    return ramp.get(month, 0.59)


def generate_hypertension_monthly(rng: np.random.Generator) -> tuple[pd.DataFrame, list[Planted]]:
    """Simulate ``hypertension_monthly`` and record its planted values.

    Examples
    --------
    >>> from helpers.synth._rng import child_rng
    >>> frame, planted = generate_hypertension_monthly(child_rng(2017, "hypertension_monthly"))
    >>> frame["month"].nunique(), bool((frame["numerator"] <= frame["denominator"]).all())
    (36, True)
    """
    months = pd.date_range(FIRST_MONTH, periods=N_MONTHS, freq="MS")
    n_c, n_r, n_l = len(labels.CLINIC), len(labels.RACE_ETHNICITY), len(labels.LANGUAGE_GROUP)
    m_idx, c_idx, r_idx, l_idx = (
        a.ravel()
        for a in np.meshgrid(
            np.arange(N_MONTHS), np.arange(n_c), np.arange(n_r), np.arange(n_l), indexing="ij"
        )
    )
    race_share = _RACE_SHARE[None, :] * _RACE_TILT
    race_share /= race_share.sum(axis=1, keepdims=True)
    volume = _VISITS_PER_MONTH * _SEASON[months.month.to_numpy() - 1] * (1 + 0.003 * np.arange(N_MONTHS))
    lam = volume[m_idx] * _CLINIC_SHARE[c_idx] * race_share[c_idx, r_idx] * _LANG_SHARE[r_idx, l_idx]
    denominator = rng.poisson(lam)

    base = _LANG_EFFECT[l_idx] + _CLINIC_EFFECT[c_idx]
    targets = np.empty((n_r, N_MONTHS))
    for r, group in enumerate(labels.RACE_ETHNICITY):
        targets[r] = PATIENT_TARGETS["bp_controlled"][group]
    black = labels.RACE_ETHNICITY.index("Black")
    targets[black] = [black_target(m + 1) for m in range(N_MONTHS)]
    codes = r_idx * N_MONTHS + m_idx
    shift = calibrate_logit(base, codes, targets.ravel(), weights=denominator.astype(float))
    p = expit(base + shift[codes])
    numerator = rng.binomial(denominator, p)

    frame = pd.DataFrame(
        {
            "month": months[m_idx],
            "clinic": pd.Categorical.from_codes(c_idx, categories=list(labels.CLINIC)),
            "race_ethnicity": pd.Categorical.from_codes(r_idx, categories=list(labels.RACE_ETHNICITY)),
            "language": pd.Categorical.from_codes(l_idx, categories=list(labels.LANGUAGE_GROUP)),
            "numerator": numerator.astype(np.int64),
            "denominator": denominator.astype(np.int64),
        }
    )
    frame["month"] = frame["month"].astype("datetime64[us]")
    frame = frame[frame["denominator"] > 0].reset_index(drop=True)  # no row for an empty cell
    planted = _planted(p, denominator, m_idx, r_idx, l_idx)
    return frame, planted


def _planted(
    p: np.ndarray, denominator: np.ndarray, m_idx: np.ndarray, r_idx: np.ndarray, l_idx: np.ndarray
) -> list[Planted]:
    w = denominator.astype(float)
    before = m_idx < INTERVENTION_MONTH - 1
    after = m_idx >= INTERVENTION_MONTH + 1  # months 21-36: full effect
    first_after = pd.Timestamp(FIRST_MONTH) + pd.DateOffset(months=INTERVENTION_MONTH + 1)
    last_before = pd.Timestamp(FIRST_MONTH) + pd.DateOffset(months=INTERVENTION_MONTH - 2)
    common: dict[str, Any] = {
        "dataset": "hypertension_monthly",
        "outcome": "numerator",
        "denominator": "denominator",
    }
    out = planted_group_values(
        gap_id="H1", where=f"month <= '{last_before:%Y-%m-%d}'",
        population=f"months 1-{INTERVENTION_MONTH - 1} (before the outreach programme)",
        by="race_ethnicity", labels=labels.RACE_ETHNICITY, probs=p[before], codes=r_idx[before],
        weights=w[before], exact=True, **common,
    )  # fmt: skip
    out += planted_group_values(
        gap_id="H2", where=f"month >= '{first_after:%Y-%m-%d}'",
        population=f"months {INTERVENTION_MONTH + 2}-{N_MONTHS} (programme at full effect)",
        by="race_ethnicity", labels=labels.RACE_ETHNICITY, probs=p[after], codes=r_idx[after],
        weights=w[after], exact=True, **common,
    )  # fmt: skip
    out += planted_group_values(
        gap_id="H3", where="", population=f"all {N_MONTHS} months", by="language",
        labels=labels.LANGUAGE_GROUP, probs=p, codes=l_idx, weights=w, exact=False, **common,
    )  # fmt: skip
    return out
