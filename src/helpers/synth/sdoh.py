"""``sdoh_screening``: health-related social-needs screening by neighbourhood and race/ethnicity.

One row per neighbourhood x race/ethnicity with eligible patients. ``eligible`` is the number of
adult patients in ``patients`` who live in the neighbourhood and belong to the group, so the two
files join on ``neighbourhood`` (and ``race_ethnicity``). Each screened patient is simulated
individually with five needs that share a person-level factor (needs cluster), then counted.

Planted: screening completion is much lower when race/ethnicity is "Unknown" (registration and
screening workflows fail together); food insecurity by race/ethnicity follows USDA household
food-security estimates for 2016-21; every need rises steeply with neighbourhood deprivation.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from . import _labels as labels
from ._planted import Planted, planted_group_values
from ._rng import calibrate_logit, expit

__all__ = ["DOMAINS", "TARGETS", "generate_sdoh_screening"]

DOMAINS = ("food_insecurity", "housing_instability", "transportation", "utilities", "interpersonal_safety")

TARGETS: dict[str, dict[str, float]] = {
    "screened": {
        "AIAN": 0.74, "Asian": 0.72, "Black": 0.76, "Hispanic/Latino": 0.73, "NHPI": 0.72,
        "White": 0.77, "Multiracial": 0.75, "Other": 0.70, "Unknown": 0.55,
    },
    # USDA ERS (2024), households 2016-21; "Other" and "Unknown" are assumptions.
    "food_insecurity": {
        "AIAN": 0.23, "Asian": 0.05, "Black": 0.21, "Hispanic/Latino": 0.17, "NHPI": 0.16,
        "White": 0.08, "Multiracial": 0.18, "Other": 0.14, "Unknown": 0.14,
    },
}  # fmt: skip

# Fixed intercepts and deprivation slopes (per unit of (decile - 5.5) / 4.5) of the other needs.
_INTERCEPT = {
    "housing_instability": -2.2,
    "transportation": -2.4,
    "utilities": -2.7,
    "interpersonal_safety": -3.6,
}
_SLOPE = {
    "food_insecurity": 1.1,
    "housing_instability": 1.0,
    "transportation": 0.9,
    "utilities": 0.8,
    "interpersonal_safety": 0.5,
}
_HOUSING_RACE = np.array([0.4, 0.0, 0.4, 0.3, 0.3, 0.0, 0.2, 0.1, 0.1])
_FACTOR = 0.8


def generate_sdoh_screening(
    rng: np.random.Generator, patients: pd.DataFrame
) -> tuple[pd.DataFrame, list[Planted]]:
    """Simulate ``sdoh_screening`` from the ``patients`` table and record its planted values.

    Examples
    --------
    >>> from helpers.synth._rng import child_rng
    >>> from helpers.synth.patients import generate_patients
    >>> patients, _ = generate_patients(child_rng(2017, "patients"), rows=5000)
    >>> frame, planted = generate_sdoh_screening(child_rng(2017, "sdoh_screening"), patients)
    >>> int(frame["eligible"].sum())
    5000
    """
    n_h, n_r = len(labels.NEIGHBOURHOOD), len(labels.RACE_ETHNICITY)
    h_code = patients["neighbourhood"].cat.codes.to_numpy().astype(np.int64)
    r_code = patients["race_ethnicity"].cat.codes.to_numpy().astype(np.int64)
    eligible = np.bincount(h_code * n_r + r_code, minlength=n_h * n_r)
    h_idx, r_idx = (x.ravel() for x in np.meshgrid(np.arange(n_h), np.arange(n_r), indexing="ij"))
    decile = np.array([h[1] for h in labels.NEIGHBOURHOODS])[h_idx]
    d = (decile - 5.5) / 4.5

    base_screen = 0.15 * d
    shift = calibrate_logit(
        base_screen, r_idx, [TARGETS["screened"][g] for g in labels.RACE_ETHNICITY], eligible
    )
    p_screen = expit(base_screen + shift[r_idx])
    screened = rng.binomial(eligible, p_screen)

    # One simulated person per screened patient.
    cell = np.repeat(np.arange(n_h * n_r), screened)
    person_d = d[cell]
    person_r = r_idx[cell]
    factor = rng.standard_normal(len(cell))
    probs: dict[str, np.ndarray] = {}
    for domain in DOMAINS:
        base = _SLOPE[domain] * person_d + _FACTOR * factor
        if domain == "food_insecurity":
            s = calibrate_logit(
                base, person_r, [TARGETS["food_insecurity"][g] for g in labels.RACE_ETHNICITY]
            )
            probs[domain] = expit(base + s[person_r])
        else:
            extra = _HOUSING_RACE[person_r] if domain == "housing_instability" else 0.0
            probs[domain] = expit(_INTERCEPT[domain] + base + extra)
    needs = {domain: rng.random(len(cell)) < probs[domain] for domain in DOMAINS}
    any_need = np.logical_or.reduce([needs[k] for k in DOMAINS])
    counts = {k: np.bincount(cell, weights=v, minlength=n_h * n_r).astype(np.int64) for k, v in needs.items()}

    frame = pd.DataFrame(
        {
            "neighbourhood": pd.Categorical.from_codes(h_idx, categories=list(labels.NEIGHBOURHOOD)),
            "deprivation_decile": decile.astype(np.int64),
            "race_ethnicity": pd.Categorical.from_codes(r_idx, categories=list(labels.RACE_ETHNICITY)),
            "eligible": eligible.astype(np.int64),
            "screened": screened.astype(np.int64),
            "any_need": np.bincount(cell, weights=any_need, minlength=n_h * n_r).astype(np.int64),
            **counts,
        }
    )
    frame = frame[frame["eligible"] > 0].reset_index(drop=True)  # no row for an empty cell
    # Expected chance of any need per simulated person (given the realised shared factor).
    p_any = 1 - np.prod([1 - probs[k] for k in DOMAINS], axis=0)
    planted = _planted(p_screen, eligible, r_idx, probs["food_insecurity"], person_r, p_any, decile[cell])
    return frame, planted


def _planted(
    p_screen: np.ndarray,
    eligible: np.ndarray,
    r_idx: np.ndarray,
    p_food: np.ndarray,
    person_r: np.ndarray,
    p_any: np.ndarray,
    person_decile: np.ndarray,
) -> list[Planted]:
    common: dict[str, Any] = {"dataset": "sdoh_screening", "where": ""}
    out = planted_group_values(
        gap_id="S1", outcome="screened", denominator="eligible", population="all eligible patients",
        by="race_ethnicity", labels=labels.RACE_ETHNICITY, probs=p_screen, codes=r_idx,
        weights=eligible.astype(float), exact=True, **common,
    )  # fmt: skip
    out += planted_group_values(
        gap_id="S2", outcome="food_insecurity", denominator="screened", population="screened patients",
        by="race_ethnicity", labels=labels.RACE_ETHNICITY, probs=p_food, codes=person_r, exact=True, **common,
    )  # fmt: skip
    out += planted_group_values(
        gap_id="S3", outcome="any_need", denominator="screened", population="screened patients",
        by="deprivation_decile", labels=[str(k) for k in range(1, 11)], probs=p_any,
        codes=person_decile - 1, exact=False, **common,
    )  # fmt: skip
    return out
