"""``workforce_survey``: one row per staff respondent, two anonymous survey waves.

Wave 1 is March 2023 (baseline), wave 2 March 2024, after a year of the health system's
anti-racism programme (reporting system, leader training). Waves are repeated cross-sections:
respondents cannot be linked across waves.

Planted: experienced discrimination (past 12 months) is far more common among Black, Asian,
Hispanic/Latino and other staff of colour than among White staff, and falls modestly for staff
of colour in wave 2; burnout is high in both waves and similar across race/ethnicity groups;
burnout and discrimination both raise the chance of intending to leave.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from . import _labels as labels
from ._planted import Planted, planted_group_values
from ._rng import calibrate_logit, draw_categorical, expit

__all__ = ["RESPONDENTS", "TARGETS", "generate_workforce_survey"]

RESPONDENTS = (2400, 2300)  # wave 1, wave 2

_ROLE_SHARE = np.array([0.10, 0.06, 0.30, 0.18, 0.08, 0.18, 0.10])
_RACE_GIVEN_ROLE = np.array(
    [
        # AIAN  Asian  Black  Hisp   NHPI   White  Multi  Other  Unk
        [0.003, 0.220, 0.060, 0.070, 0.002, 0.550, 0.020, 0.015, 0.060],  # Physician
        [0.003, 0.090, 0.090, 0.080, 0.002, 0.650, 0.020, 0.010, 0.055],  # APP
        [0.004, 0.090, 0.120, 0.090, 0.004, 0.600, 0.020, 0.010, 0.062],  # RN
        [0.006, 0.050, 0.300, 0.250, 0.004, 0.300, 0.030, 0.010, 0.050],  # MA / PCT
        [0.006, 0.040, 0.400, 0.300, 0.004, 0.180, 0.020, 0.010, 0.040],  # EVS / food
        [0.005, 0.050, 0.220, 0.160, 0.003, 0.480, 0.025, 0.010, 0.047],  # Admin
        [0.004, 0.140, 0.130, 0.100, 0.003, 0.530, 0.020, 0.010, 0.063],  # Other clinical
    ]
)
_WOMAN_SHARE = np.array([0.45, 0.75, 0.88, 0.85, 0.50, 0.80, 0.70])
_ROLE_DISCRIMINATION = np.array([0.2, 0.1, 0.3, 0.3, 0.1, -0.2, 0.0])
_ROLE_BURNOUT = np.array([0.2, 0.15, 0.35, 0.3, 0.0, -0.1, 0.0])
_ROLE_LEAVE = np.array([-0.2, 0.0, 0.3, 0.3, 0.1, -0.1, 0.0])
# Lower burnout among physicians of colour (Garcia et al. 2020), log-odds, by race/ethnicity.
_RACE_BURNOUT = np.array([0.0, -0.1, -0.15, -0.15, 0.0, 0.0, 0.0, 0.0, 0.1])

TARGETS: dict[str, dict[int, Any]] = {
    # Experienced discrimination at work in the past 12 months, by wave and race/ethnicity.
    "experienced_discrimination": {
        1: {"AIAN": 0.35, "Asian": 0.33, "Black": 0.45, "Hispanic/Latino": 0.30, "NHPI": 0.30,
            "White": 0.12, "Multiracial": 0.30, "Other": 0.25, "Unknown": 0.28},
        2: {"AIAN": 0.30, "Asian": 0.28, "Black": 0.38, "Hispanic/Latino": 0.26, "NHPI": 0.26,
            "White": 0.11, "Multiracial": 0.26, "Other": 0.22, "Unknown": 0.25},
    },
    # Burnout (single item >= 3) and intent to leave within two years, by wave.
    "burned_out": {1: 0.50, 2: 0.45},
    "intent_to_leave": {1: 0.32, 2: 0.28},
}  # fmt: skip

_BURNOUT_CUTS = np.array([-1.6, 0.0, 1.4, 2.6])  # P(item >= k) = expit(eta - cut[k-2])
_MI_CUTS = np.array([-2.0, -0.5, 0.5, 1.8])
_MI_OFFSET = {"mi_betrayal": 0.0, "mi_witnessed": 0.3, "mi_self": -0.6}


def _ordinal(rng: np.random.Generator, eta: np.ndarray, cuts: np.ndarray) -> np.ndarray:
    """Draw 1..len(cuts)+1 from a cumulative-logit model."""
    p_at_least = expit(eta[:, None] - cuts[None, :])
    u = rng.random(len(eta))[:, None]
    return 1 + (u < p_at_least).sum(axis=1)


def generate_workforce_survey(rng: np.random.Generator) -> tuple[pd.DataFrame, list[Planted]]:
    """Simulate ``workforce_survey`` and record its planted values.

    Examples
    --------
    >>> from helpers.synth._rng import child_rng
    >>> frame, planted = generate_workforce_survey(child_rng(2017, "workforce_survey"))
    >>> frame.groupby("wave").size().tolist()
    [2400, 2300]
    """
    wave = np.repeat([1, 2], RESPONDENTS)
    n = len(wave)
    role = draw_categorical(rng, np.broadcast_to(_ROLE_SHARE, (n, len(_ROLE_SHARE))))
    race = draw_categorical(rng, _RACE_GIVEN_ROLE[role])
    g = rng.random(n)
    woman = _WOMAN_SHARE[role]
    gender = np.where(g < woman, 0, np.where(g < woman + 0.01, 2, np.where(g > 0.97, 3, 1)))
    is_woman = (gender == 0).astype(float)

    # Discrimination: calibrate among respondents who answered, per wave x race/ethnicity.
    n_r = len(labels.RACE_ETHNICITY)
    answered = rng.random(n) >= 0.04
    disc_base = _ROLE_DISCRIMINATION[role] + 0.1 * is_woman
    codes = (wave - 1) * n_r + race
    targets = [TARGETS["experienced_discrimination"][w][grp] for w in (1, 2) for grp in labels.RACE_ETHNICITY]
    shift = calibrate_logit(disc_base[answered], codes[answered], targets)
    p_disc = expit(disc_base + shift[codes])
    disc = rng.random(n) < p_disc

    # Burnout (single item, 1-5): cumulative logit; calibrate P(>= 3) per wave.
    burn_base = _ROLE_BURNOUT[role] + _RACE_BURNOUT[race] + 0.6 * disc + 0.15 * rng.standard_normal(n)
    shift_b = calibrate_logit(burn_base, wave - 1, [TARGETS["burned_out"][w] for w in (1, 2)])
    eta = burn_base + shift_b[wave - 1]
    burnout = _ordinal(rng, eta, _BURNOUT_CUTS)
    p_burned = expit(eta - _BURNOUT_CUTS[1])
    burned_out = burnout >= 3

    # Moral injury items share a person-level factor linked to burnout and discrimination.
    person = 0.8 * (burnout - 3) / 2 + 0.5 * disc + 0.7 * rng.standard_normal(n)
    mi = {name: _ordinal(rng, person + off, _MI_CUTS) for name, off in _MI_OFFSET.items()}

    # Intent to leave within two years (burnout OR 2.57, Sinsky et al. 2021; discrimination OR 2).
    leave_base = _ROLE_LEAVE[role] + 0.94 * burned_out + 0.69 * disc
    shift_l = calibrate_logit(leave_base, wave - 1, [TARGETS["intent_to_leave"][w] for w in (1, 2)])
    p_leave = expit(leave_base + shift_l[wave - 1])
    leave = rng.random(n) < p_leave

    within = np.concatenate([np.arange(1, k + 1) for k in RESPONDENTS])
    disc_col = pd.array(np.where(answered, disc.astype(np.int64), -1), dtype="Int64")
    disc_col[~answered] = pd.NA
    frame = pd.DataFrame(
        {
            "respondent_id": pd.array(
                [f"W{w}-{i:04d}" for w, i in zip(wave, within, strict=True)], dtype="str"
            ),
            "wave": wave.astype(np.int64),
            "role": pd.Categorical.from_codes(role, categories=list(labels.ROLE)),
            "race_ethnicity": pd.Categorical.from_codes(race, categories=list(labels.RACE_ETHNICITY)),
            "gender": pd.Categorical.from_codes(gender, categories=list(labels.STAFF_GENDER)),
            "burnout": burnout.astype(np.int64),
            "burned_out": burned_out.astype(np.int64),
            "mi_betrayal": mi["mi_betrayal"].astype(np.int64),
            "mi_witnessed": mi["mi_witnessed"].astype(np.int64),
            "mi_self": mi["mi_self"].astype(np.int64),
            "intent_to_leave": leave.astype(np.int64),
            "experienced_discrimination": disc_col,
        }
    )
    planted = _planted(p_disc, p_burned, p_leave, answered, disc, wave, race, role)
    return frame, planted


def _planted(
    p_disc: np.ndarray,
    p_burned: np.ndarray,
    p_leave: np.ndarray,
    answered: np.ndarray,
    disc: np.ndarray,
    wave: np.ndarray,
    race: np.ndarray,
    role: np.ndarray,
) -> list[Planted]:
    out: list[Planted] = []
    common: dict[str, Any] = {"dataset": "workforce_survey", "denominator": None}
    for w in (1, 2):
        sel = answered & (wave == w)
        out += planted_group_values(
            gap_id="W1", outcome="experienced_discrimination", where=f"wave == {w}",
            population=f"wave {w} respondents who answered the item", by="race_ethnicity",
            labels=labels.RACE_ETHNICITY, probs=p_disc[sel], codes=race[sel], exact=True, **common,
        )  # fmt: skip
    out += planted_group_values(
        gap_id="W2", outcome="burned_out", where="", population="all respondents", by="wave",
        labels=("1", "2"), probs=p_burned, codes=wave - 1, exact=True, **common,
    )  # fmt: skip
    first = wave == 1
    out += planted_group_values(
        gap_id="W2-role", outcome="burned_out", where="wave == 1", population="wave 1 respondents",
        by="role", labels=labels.ROLE, probs=p_burned[first], codes=role[first], exact=False, **common,
    )  # fmt: skip
    out += planted_group_values(
        gap_id="W3", outcome="intent_to_leave", where="", population="all respondents", by="wave",
        labels=("1", "2"), probs=p_leave, codes=wave - 1, exact=True, **common,
    )  # fmt: skip
    sel = answered & first
    out += planted_group_values(
        gap_id="W3-discrimination", outcome="intent_to_leave", where="wave == 1",
        population="wave 1 respondents who answered the discrimination item",
        by="experienced_discrimination", labels=("0", "1"), probs=p_leave[sel],
        codes=disc[sel].astype(np.int64), exact=False, **common,
    )  # fmt: skip
    return out
