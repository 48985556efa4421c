"""``hai``: hospital-acquired infections and patient-days by unit, race/ethnicity and month.

One row per unit x race/ethnicity x month (36 months, January 2022 to December 2024) with
patient-days (a combination with no patients has no row).
Infections are Poisson counts with rate (per 1,000 patient-days) set by unit case-mix and by
race/ethnicity; the race/ethnicity rates are calibrated to documented targets (patients of
colour have higher rates, as reviewed by Chen et al. 2021). A cluster of infections in the
Medical unit in February 2023 (month 14) is a planted special cause for the u-chart exercises.
ICU patients more often have race "Unknown" (they are too ill to answer at registration).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from . import _labels as labels
from ._planted import Planted, planted_group_values
from ._rng import calibrate_log

__all__ = ["OUTBREAK_MONTH", "OUTBREAK_UNIT", "TARGETS", "generate_hai"]

FIRST_MONTH = "2022-01-01"
N_MONTHS = 36
OUTBREAK_UNIT = "Medical"
OUTBREAK_MONTH = 14  # 1-based: February 2023
_OUTBREAK_FACTOR = 2.5

# Target rate per 1,000 patient-days by race/ethnicity (White 2.0; rate ratios in README).
TARGETS: dict[str, float] = {
    "AIAN": 2.6, "Asian": 2.8, "Black": 2.6, "Hispanic/Latino": 2.6, "NHPI": 2.8,
    "White": 2.0, "Multiracial": 2.4, "Other": 2.0, "Unknown": 2.2,
}  # fmt: skip

_PATIENT_DAYS = np.array([1800.0, 2400.0, 7200.0, 4200.0])  # per 30.4-day month, by unit
_UNIT_EFFECT = np.log(np.array([2.5, 1.4, 1.0, 1.2]))
_RACE_SHARE = np.array([0.008, 0.05, 0.22, 0.15, 0.004, 0.44, 0.015, 0.018, 0.095])
_UNKNOWN_IN_ICU = 2.0


def generate_hai(rng: np.random.Generator) -> tuple[pd.DataFrame, list[Planted]]:
    """Simulate ``hai`` and record its planted values.

    Examples
    --------
    >>> from helpers.synth._rng import child_rng
    >>> frame, planted = generate_hai(child_rng(2017, "hai"))
    >>> frame["month"].nunique(), list(frame["unit"].cat.categories)
    (36, ['ICU', 'Step-down', 'Medical', 'Surgical'])
    """
    months = pd.date_range(FIRST_MONTH, periods=N_MONTHS, freq="MS")
    n_u, n_r = len(labels.UNIT), len(labels.RACE_ETHNICITY)
    u_idx, r_idx, m_idx = (
        x.ravel() for x in np.meshgrid(np.arange(n_u), np.arange(n_r), np.arange(N_MONTHS), indexing="ij")
    )
    share = np.tile(_RACE_SHARE, (n_u, 1))
    share[0, labels.RACE_ETHNICITY.index("Unknown")] *= _UNKNOWN_IN_ICU
    share /= share.sum(axis=1, keepdims=True)
    days_in_month = months.days_in_month.to_numpy(dtype=float)
    winter = np.isin(months.month.to_numpy(), [12, 1, 2]).astype(float) * 0.05
    lam = _PATIENT_DAYS[u_idx] * (days_in_month[m_idx] / 30.4) * (1 + winter[m_idx]) * share[u_idx, r_idx]
    patient_days = rng.poisson(lam)

    outbreak = (u_idx == labels.UNIT.index(OUTBREAK_UNIT)) & (m_idx == OUTBREAK_MONTH - 1)
    base = _UNIT_EFFECT[u_idx] + np.where(outbreak, np.log(_OUTBREAK_FACTOR), 0.0)
    targets = np.array([TARGETS[g] for g in labels.RACE_ETHNICITY]) / 1000.0
    shift = calibrate_log(base, r_idx, targets, patient_days.astype(float))
    rate = np.exp(base + shift[r_idx])  # per patient-day
    infections = rng.poisson(rate * patient_days)

    frame = pd.DataFrame(
        {
            "month": months[m_idx],
            "unit": pd.Categorical.from_codes(u_idx, categories=list(labels.UNIT)),
            "race_ethnicity": pd.Categorical.from_codes(r_idx, categories=list(labels.RACE_ETHNICITY)),
            "infections": infections.astype(np.int64),
            "patient_days": patient_days.astype(np.int64),
        }
    )
    frame["month"] = frame["month"].astype("datetime64[us]")
    frame = frame[frame["patient_days"] > 0].reset_index(drop=True)  # no row for an empty cell
    return frame, _planted(rate, patient_days, u_idx, r_idx, m_idx, months)


def _planted(
    rate: np.ndarray,
    patient_days: np.ndarray,
    u_idx: np.ndarray,
    r_idx: np.ndarray,
    m_idx: np.ndarray,
    months: pd.DatetimeIndex,
) -> list[Planted]:
    w = patient_days.astype(float)
    common: dict[str, Any] = {
        "dataset": "hai",
        "outcome": "infections",
        "denominator": "patient_days",
        "per": 1000,
    }
    out = planted_group_values(
        gap_id="A1", where="", population="all units, all 36 months", by="race_ethnicity",
        labels=labels.RACE_ETHNICITY, probs=rate, codes=r_idx, weights=w, exact=True, **common,
    )  # fmt: skip
    out += planted_group_values(
        gap_id="A2", where="", population="all 36 months", by="unit", labels=labels.UNIT,
        probs=rate, codes=u_idx, weights=w, exact=False, **common,
    )  # fmt: skip
    medical = u_idx == labels.UNIT.index(OUTBREAK_UNIT)
    out += planted_group_values(
        gap_id="A3", where=f"unit == '{OUTBREAK_UNIT}'", population="Medical unit, by month",
        by="month", labels=[f"{m:%Y-%m-%d}" for m in months], probs=rate[medical],
        codes=m_idx[medical], weights=w[medical], exact=False, **common,
    )  # fmt: skip
    return out
