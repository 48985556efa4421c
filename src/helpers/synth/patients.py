"""``patients``: one row per adult primary-care patient of the fictional health system.

The simulation runs in four steps, each documented in ``datasets/README.md``:

1. a *self-identified* group for every person (never written out), which drives age,
   neighbourhood, language, payer and chronic-condition risk;
2. the *recorded* race and ethnicity, including the "Declined", "Unknown" and "Some other race"
   answers that registration systems really produce, and the combined ``race_ethnicity`` derived
   from them with the rule in :func:`helpers.data.combine_race_ethnicity`;
3. SOGI answers, with "Not asked" and "Declined";
4. outcomes from logistic models whose race/ethnicity intercepts are calibrated so that the
   rate in every recorded ``race_ethnicity`` group equals the documented target exactly (in
   expectation), while language, payer, age and deprivation effects act within groups.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from . import _labels as labels
from ._planted import Planted, planted_group_values
from ._rng import calibrate_logit, child_rng, draw_coded, expit

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = [
    "CHUNK_ROWS",
    "COLUMNS",
    "DEFAULT_ROWS",
    "TARGETS",
    "generate_patients",
    "iter_patient_chunks",
    "iter_patient_tables",
]

DEFAULT_ROWS = 40_000
CHUNK_ROWS = 250_000  # bigger files are made (and written) in chunks, to keep memory small

# Self-identified groups (simulation only).
_LATENT = ("White", "Black", "Hispanic", "Asian", "AIAN", "NHPI", "Multiracial", "Other")
_LATENT_SHARE = np.array([0.515, 0.18, 0.18, 0.065, 0.008, 0.004, 0.03, 0.018])
W, B, H, A, AI, NH, MR, OT = range(8)

# Age ~ 18 + 82 * Beta(a, b), by self-identified group (Hispanic and Asian patients are younger).
_AGE_BETA = np.array(
    [[2.0, 2.4], [1.8, 2.6], [1.6, 2.9], [1.7, 2.7], [1.7, 2.7], [1.6, 2.9], [1.4, 3.0], [1.6, 2.8]]
)

# Recorded race given the self-identified group; columns follow labels.RACE.
_RACE_GIVEN_LATENT = np.array(
    [
        # AIAN  Asian  Black  NHPI   White  Multi  SOR    Decl   Unk
        [0.000, 0.000, 0.000, 0.000, 0.915, 0.000, 0.000, 0.030, 0.055],  # White
        [0.000, 0.000, 0.915, 0.000, 0.000, 0.000, 0.000, 0.030, 0.055],  # Black
        [0.015, 0.005, 0.030, 0.002, 0.340, 0.060, 0.330, 0.068, 0.150],  # Hispanic
        [0.000, 0.915, 0.000, 0.000, 0.000, 0.000, 0.000, 0.030, 0.055],  # Asian
        [0.880, 0.000, 0.000, 0.000, 0.035, 0.000, 0.000, 0.030, 0.055],  # AIAN
        [0.000, 0.030, 0.000, 0.885, 0.000, 0.000, 0.000, 0.030, 0.055],  # NHPI
        [0.000, 0.000, 0.040, 0.000, 0.060, 0.815, 0.000, 0.030, 0.055],  # Multiracial
        [0.000, 0.000, 0.000, 0.000, 0.000, 0.000, 0.915, 0.030, 0.055],  # Other
    ]
)
# Recorded ethnicity: Hispanic / Not Hispanic / Declined / Unknown.
_ETH_IF_HISPANIC = np.array([0.90, 0.00, 0.03, 0.07])
_ETH_IF_NOT = np.array([0.00, 0.93, 0.025, 0.045])

# Preferred language given the self-identified group; columns follow labels.LANGUAGE.
_LANG_GIVEN_LATENT = np.array(
    [
        # Eng   Spa    Chi    Vie    Hai    Ara    Rus    Por    ASL    Oth    Unk
        [0.966, 0.002, 0.000, 0.000, 0.000, 0.005, 0.012, 0.008, 0.001, 0.003, 0.003],  # White
        [0.935, 0.002, 0.000, 0.000, 0.040, 0.002, 0.000, 0.000, 0.001, 0.015, 0.005],  # Black
        [0.570, 0.415, 0.000, 0.000, 0.000, 0.000, 0.000, 0.002, 0.001, 0.004, 0.008],  # Hispanic
        [0.640, 0.000, 0.180, 0.120, 0.000, 0.000, 0.000, 0.000, 0.001, 0.050, 0.009],  # Asian
        [0.970, 0.003, 0.000, 0.000, 0.000, 0.000, 0.000, 0.000, 0.001, 0.020, 0.006],  # AIAN
        [0.880, 0.000, 0.000, 0.000, 0.000, 0.000, 0.000, 0.000, 0.001, 0.110, 0.009],  # NHPI
        [0.955, 0.020, 0.002, 0.002, 0.002, 0.002, 0.000, 0.000, 0.001, 0.010, 0.006],  # Multiracial
        [0.850, 0.050, 0.000, 0.000, 0.000, 0.050, 0.000, 0.005, 0.001, 0.035, 0.009],  # Other
    ]
)

# Residential segregation: log relative chance of living in a neighbourhood per decile step
# above the middle, by self-identified group.
_SEGREGATION = np.array([-0.9, 1.4, 1.1, 0.0, 0.8, 0.6, 0.3, 0.5])

# Calibrated targets: rate in each recorded race_ethnicity group (order of labels.RACE_ETHNICITY).
TARGETS: dict[str, dict[str, float]] = {
    # Blood pressure < 140/90 among patients with hypertension.
    "bp_controlled": {
        "AIAN": 0.53, "Asian": 0.53, "Black": 0.54, "Hispanic/Latino": 0.55, "NHPI": 0.54,
        "White": 0.64, "Multiracial": 0.58, "Other": 0.57, "Unknown": 0.60,
    },
    # HbA1c < 8% among patients with diabetes.
    "hba1c_controlled": {
        "AIAN": 0.55, "Asian": 0.66, "Black": 0.60, "Hispanic/Latino": 0.59, "NHPI": 0.58,
        "White": 0.70, "Multiracial": 0.64, "Other": 0.62, "Unknown": 0.65,
    },
    # Up to date with colorectal cancer screening, ages 45-75.
    "crc_screened": {
        "AIAN": 0.52, "Asian": 0.57, "Black": 0.64, "Hispanic/Latino": 0.55, "NHPI": 0.54,
        "White": 0.68, "Multiracial": 0.62, "Other": 0.58, "Unknown": 0.56,
    },
}  # fmt: skip


COLUMNS: tuple[str, ...] = (
    "patient_id", "age", "age_group", "sex", "gender_identity", "sexual_orientation", "race",
    "ethnicity", "race_ethnicity", "preferred_language", "interpreter_needed", "payer", "clinic",
    "neighbourhood", "deprivation_decile", "hypertension", "diabetes", "bp_controlled",
    "hba1c_controlled", "crc_screened",
)  # fmt: skip
"""The columns of ``patients``, in dictionary order."""

CATEGORIES: dict[str, tuple[str, ...]] = {
    "age_group": labels.AGE_GROUP,
    "sex": labels.SEX,
    "gender_identity": labels.GENDER_IDENTITY,
    "sexual_orientation": labels.SEXUAL_ORIENTATION,
    "race": labels.RACE,
    "ethnicity": labels.ETHNICITY,
    "race_ethnicity": labels.RACE_ETHNICITY,
    "preferred_language": labels.LANGUAGE,
    "payer": labels.PAYER,
    "clinic": labels.CLINIC,
    "neighbourhood": labels.NEIGHBOURHOOD,
}
"""The categories of every categorical column of ``patients``, in dictionary order."""


def _combined_codes(race_code: np.ndarray, eth_code: np.ndarray) -> np.ndarray:
    """Codes into labels.RACE_ETHNICITY from recorded race and ethnicity codes."""
    lookup = np.array([labels.RACE_ETHNICITY.index(labels.RACE_TO_COMBINED[r]) for r in labels.RACE])
    combined = lookup[race_code]
    return np.where(eth_code == 0, labels.RACE_ETHNICITY.index("Hispanic/Latino"), combined)


def _age_group_codes(age: np.ndarray) -> np.ndarray:
    return np.searchsorted(np.array(labels.AGE_BREAKS), age, side="right") - 1


def _payer_logits(old: np.ndarray, dep: np.ndarray, latent: np.ndarray) -> np.ndarray:
    """Log-weights of Commercial / Medicare / Medicaid / Uninsured / Other, one row per unit."""
    n = len(old)
    d = (dep - 5.5) / 4.5  # -1 (least deprived) .. +1 (most deprived)
    medicaid_g = np.array([0.0, 0.45, 0.45, 0.0, 0.6, 0.4, 0.2, 0.3])[latent]
    uninsured_g = np.array([0.0, 0.25, 0.9, 0.1, 0.5, 0.3, 0.1, 0.4])[latent]
    logits = np.zeros((n, 5))
    logits[:, 1] = -3.3 + 0.5 * d  # Medicare before 65 (disability)
    logits[:, 2] = -1.7 + 1.6 * d + medicaid_g
    logits[:, 3] = -2.7 + 0.9 * d + uninsured_g
    logits[:, 4] = -3.2
    logits[old, 0] = -1.9
    logits[old, 1] = 0.0
    logits[old, 2] = -3.5 + 0.8 * d[old]
    logits[old, 3] = -5.5
    logits[old, 4] = -3.0
    return logits


_DECILES = np.array(sorted({h[1] for h in labels.NEIGHBOURHOODS}), dtype=np.int64)


def _payer_codes(
    rng: np.random.Generator, age: np.ndarray, dep: np.ndarray, latent: np.ndarray
) -> np.ndarray:
    """Commercial / Medicare / Medicaid / Uninsured / Other, by age (65+), deprivation and group.

    The probabilities depend on the unit only through (group, decile, 65+), so they are computed
    once for each of those combinations and every unit draws from its combination's row.
    """
    n_latent, n_dec = len(_LATENT), len(_DECILES)
    grid_latent, grid_dec, grid_old = np.meshgrid(
        np.arange(n_latent), np.arange(n_dec), np.array([False, True]), indexing="ij"
    )
    table = np.exp(_payer_logits(grid_old.ravel(), _DECILES[grid_dec.ravel()], grid_latent.ravel()))
    codes = (latent * n_dec + np.searchsorted(_DECILES, dep)) * 2 + (age >= 65)
    return draw_coded(rng, table, codes)


def _sogi(rng: np.random.Generator, age: np.ndarray, sex: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Gender identity and sexual orientation codes, with Not asked / Declined."""
    n = len(age)
    gi = np.empty(n, dtype=np.int64)
    not_asked = rng.random(n) < (0.30 + 0.004 * (age - 18))
    declined = ~not_asked & (rng.random(n) < 0.05)
    disclosed = ~not_asked & ~declined
    young = np.where(age < 35, 2.0, np.where(age >= 55, 0.3, 1.0))
    u = rng.random(n)
    p_tw, p_tm, p_nb, p_other = 0.003, 0.003, 0.004 * young, 0.001
    cis = np.where(sex == 1, 1, np.where(sex == 0, 0, (rng.random(n) < 0.5).astype(np.int64)))
    code = np.where(u < p_tw, 2, np.where(u < p_tw + p_tm, 3, np.where(u < p_tw + p_tm + p_nb, 4, -1)))
    code = np.where((code == -1) & (u < p_tw + p_tm + p_nb + p_other), 5, code)
    code = np.where(code == -1, cis, code)
    gi[disclosed] = code[disclosed]
    gi[declined] = 6
    gi[not_asked] = 7

    so_not_asked = np.where(not_asked, rng.random(n) < 0.95, rng.random(n) < 0.08)
    r = rng.random(n)
    so_declined = ~so_not_asked & (r < 0.10)
    so_dont_know = ~so_not_asked & ~so_declined & (r < 0.11)
    u2 = rng.random(n)
    p_lg, p_bi, p_se = 0.022, 0.030 * young, 0.006
    so = np.where(u2 < p_lg, 1, np.where(u2 < p_lg + p_bi, 2, np.where(u2 < p_lg + p_bi + p_se, 3, 0)))
    so = np.where(so_dont_know, 4, so)
    so = np.where(so_declined, 5, so)
    so = np.where(so_not_asked, 6, so)
    return gi, so


@dataclass(frozen=True)
class _Simulated:
    """Simulated patients as numpy arrays, before they become a DataFrame or an Arrow table.

    ``columns`` maps every column but ``patient_id`` (in :data:`COLUMNS` order) to its values —
    category codes for the categorical columns — and its missing mask (``None`` when never missing);
    ``probabilities`` maps each outcome to the rows in its denominator and their true probabilities.
    """

    n: int
    columns: dict[str, tuple[np.ndarray, np.ndarray | None]]
    probabilities: dict[str, tuple[np.ndarray, np.ndarray]]


def _simulate(rng: np.random.Generator, n: int) -> _Simulated:
    """Draw ``n`` patients from ``rng`` (the order of the draws fixes the committed data)."""
    one_row = np.zeros(n, dtype=np.int64)
    latent = draw_coded(rng, _LATENT_SHARE, one_row)
    a, b = _AGE_BETA[latent, 0], _AGE_BETA[latent, 1]
    age = (18 + np.floor(82.999 * rng.beta(a, b))).astype(np.int64)
    age_group = _age_group_codes(age)
    sex = draw_coded(rng, np.array([0.560, 0.438, 0.002]), one_row)
    gi, so = _sogi(rng, age, sex)

    race = draw_coded(rng, _RACE_GIVEN_LATENT, latent)
    eth = draw_coded(rng, np.stack([_ETH_IF_NOT, _ETH_IF_HISPANIC]), (latent == H).astype(np.int64))
    race_eth = _combined_codes(race, eth)

    lang = draw_coded(rng, _LANG_GIVEN_LATENT, latent)
    english, asl, unknown_lang = 0, labels.LANGUAGE.index("American Sign Language"), len(labels.LANGUAGE) - 1
    u = rng.random(n)
    interp = np.where(lang == english, u < 0.002, np.where(lang == asl, True, u < 0.85))
    interp_missing = (rng.random(n) < 0.015) | ((lang == unknown_lang) & (rng.random(n) < 0.5))
    interp = np.where(lang == unknown_lang, u < 0.3, interp)

    deciles = np.array([h[1] for h in labels.NEIGHBOURHOODS], dtype=float)
    sizes = np.array([h[2] for h in labels.NEIGHBOURHOODS])
    hood_logits = np.log(sizes)[None, :] + _SEGREGATION[:, None] * ((deciles - 5.5) / 4.5)[None, :]
    hood = draw_coded(rng, np.exp(hood_logits), latent)
    dep = deciles[hood].astype(np.int64)
    home_clinic = np.array([labels.CLINIC.index(h[3]) for h in labels.NEIGHBOURHOODS])[hood]
    other_clinic = rng.integers(0, len(labels.CLINIC), n)
    clinic = np.where(rng.random(n) < 0.85, home_clinic, other_clinic)

    payer = _payer_codes(rng, age, dep, latent)
    d = (dep - 5.5) / 4.5

    # Chronic conditions (prevalence rises with age; higher among Black, Hispanic, AIAN, NHPI adults).
    htn_g = np.array([0.0, 0.6, 0.05, 0.0, 0.3, 0.3, 0.1, 0.1])[latent]
    htn = rng.random(n) < expit(-5.0 + 0.075 * age + htn_g + 0.2 * d)
    dm_g = np.array([0.0, 0.5, 0.55, 0.35, 0.8, 0.7, 0.2, 0.3])[latent]
    dm = rng.random(n) < expit(-5.1 + 0.045 * age + dm_g + 0.25 * d + 0.7 * htn)

    interp_eff = np.where(interp_missing, 0.0, interp.astype(float))
    payer_bp = np.array([0.0, 0.0, -0.25, -0.7, -0.1])[payer]
    age_bp = np.where(age < 45, -0.35, np.where(age >= 75, -0.1, 0.0))
    payer_crc = np.array([0.0, 0.0, -0.3, -1.4, -0.1])[payer]
    age_crc = np.where(age < 50, -1.2, np.where(age < 55, -0.4, np.where(age >= 65, 0.35, 0.0)))

    models = {
        "bp_controlled": (htn, age_bp - 0.43 * interp_eff + payer_bp - 0.15 * d - 0.2 * dm),
        "hba1c_controlled": (dm, np.where(age < 45, -0.4, 0.0) - 0.3 * interp_eff + 0.8 * payer_bp - 0.1 * d),
        "crc_screened": ((age >= 45) & (age <= 75), age_crc - 0.45 * interp_eff + payer_crc - 0.1 * d),
    }
    outcomes: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    probabilities: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for outcome, (eligible, base) in models.items():
        idx = np.flatnonzero(eligible)
        targets = [TARGETS[outcome][g] for g in labels.RACE_ETHNICITY]
        shift = calibrate_logit(base[idx], race_eth[idx], targets)
        p = expit(base[idx] + shift[race_eth[idx]])
        values = np.zeros(n, dtype=np.int64)
        values[idx] = (rng.random(len(idx)) < p).astype(np.int64)
        missing = np.ones(n, dtype=bool)
        missing[idx] = False
        outcomes[outcome] = (values, missing)
        probabilities[outcome] = (idx, p)

    columns: dict[str, tuple[np.ndarray, np.ndarray | None]] = {
        "age": (age, None),
        "age_group": (age_group, None),
        "sex": (sex, None),
        "gender_identity": (gi, None),
        "sexual_orientation": (so, None),
        "race": (race, None),
        "ethnicity": (eth, None),
        "race_ethnicity": (race_eth, None),
        "preferred_language": (lang, None),
        "interpreter_needed": (interp.astype(bool), interp_missing),
        "payer": (payer, None),
        "clinic": (clinic, None),
        "neighbourhood": (hood, None),
        "deprivation_decile": (dep, None),
        "hypertension": (htn, None),
        "diabetes": (dm, None),
        **outcomes,
    }
    return _Simulated(n, columns, probabilities)


def _frame(sim: _Simulated, first_id: int, width: int) -> pd.DataFrame:
    """The typed DataFrame (as :func:`helpers.data.load_dataset` returns it) of simulated patients."""
    ids = [f"P{i:0{width}d}" for i in range(first_id, first_id + sim.n)]
    data: dict[str, object] = {"patient_id": pd.array(ids, dtype="str")}
    for col, (values, missing) in sim.columns.items():
        if col in CATEGORIES:
            data[col] = pd.Categorical.from_codes(
                values, categories=list(CATEGORIES[col]), ordered=col == "age_group"
            )
        elif missing is None:
            data[col] = values
        elif values.dtype == bool:
            data[col] = pd.arrays.BooleanArray(values, missing.copy())
        else:
            data[col] = pd.arrays.IntegerArray(values, missing.copy())
    return pd.DataFrame(data)


def _arrow_table(sim: _Simulated, first_id: int, width: int) -> pa.Table:
    """The same patients as an Arrow table: categories as dictionary arrays, missing values as nulls."""
    import pyarrow as pa
    import pyarrow.compute as pc

    numbers = pc.cast(pa.array(np.arange(first_id, first_id + sim.n, dtype=np.int64)), pa.string())
    arrays = {"patient_id": pc.binary_join_element_wise("P", pc.utf8_lpad(numbers, width, "0"), "")}
    for col, (values, missing) in sim.columns.items():
        if col in CATEGORIES:
            arrays[col] = pa.DictionaryArray.from_arrays(
                pa.array(values.astype(np.int8)), pa.array(CATEGORIES[col], type=pa.string())
            )
        else:
            arrays[col] = pa.array(values, mask=missing)
    return pa.table(arrays)


def generate_patients(
    rng: np.random.Generator, rows: int = DEFAULT_ROWS, *, first_id: int = 1, id_width: int | None = None
) -> tuple[pd.DataFrame, list[Planted]]:
    """Simulate the ``patients`` table and record its planted values.

    Parameters
    ----------
    rng
        The dataset's own random generator (see :func:`helpers.synth._rng.child_rng`).
    rows
        Number of patients; the planted rates hold at any size.
    first_id, id_width
        Number of the first ``patient_id`` and digits in it (for files made in chunks).

    Returns
    -------
    (pandas.DataFrame, list of Planted)
        The typed table (as :func:`helpers.data.load_dataset` returns it) and the planted values.

    Examples
    --------
    >>> from helpers.synth._rng import child_rng
    >>> frame, planted = generate_patients(child_rng(2017, "patients"), rows=2000)
    >>> frame.shape
    (2000, 20)
    >>> bool(frame.loc[~frame["hypertension"], "bp_controlled"].isna().all())
    True
    """
    sim = _simulate(rng, int(rows))
    width = id_width if id_width is not None else max(6, len(str(sim.n)))
    frame = _frame(sim, first_id, width)
    return frame, _planted_values(frame, sim.probabilities)


_POPULATION = {
    "bp_controlled": ("hypertension", "patients with hypertension"),
    "hba1c_controlled": ("diabetes", "patients with diabetes"),
    "crc_screened": ("45 <= age <= 75", "patients aged 45-75"),
}
_GAP_ID = {"bp_controlled": "P1", "hba1c_controlled": "P2", "crc_screened": "P3"}


def _planted_values(
    frame: pd.DataFrame, probabilities: dict[str, tuple[np.ndarray, np.ndarray]]
) -> list[Planted]:
    """Planted values by race/ethnicity (exact) and by language, interpreter need and payer (implied)."""
    out: list[Planted] = []
    for outcome, (idx, p) in probabilities.items():
        where, population = _POPULATION[outcome]
        common: dict[str, Any] = {
            "dataset": "patients",
            "outcome": outcome,
            "denominator": None,
            "where": where,
            "population": population,
        }
        race_codes = frame["race_ethnicity"].cat.codes.to_numpy().astype(np.int64)[idx]
        out += planted_group_values(
            gap_id=_GAP_ID[outcome], by="race_ethnicity", labels=labels.RACE_ETHNICITY,
            probs=p, codes=race_codes, exact=True, **common,
        )  # fmt: skip
        interp = frame["interpreter_needed"].to_numpy(dtype=float, na_value=np.nan)[idx]
        known = ~np.isnan(interp)
        out += planted_group_values(
            gap_id=_GAP_ID[outcome] + "-language", by="interpreter_needed", labels=("False", "True"),
            probs=p[known], codes=interp[known].astype(np.int64), exact=False, **common,
        )  # fmt: skip
        if outcome != "hba1c_controlled":
            payer_codes = frame["payer"].cat.codes.to_numpy().astype(np.int64)[idx]
            out += planted_group_values(
                gap_id=_GAP_ID[outcome] + "-payer", by="payer", labels=labels.PAYER,
                probs=p, codes=payer_codes, exact=False, **common,
            )  # fmt: skip
    return out


def _chunks(seed: int, rows: int) -> Iterator[tuple[_Simulated, int, int]]:
    """Simulated chunks of the ``patients`` table with the number of their first row and the id width.

    Up to ``CHUNK_ROWS`` rows this is one chunk from the dataset's stream (``"patients"``);
    larger tables are made chunk by chunk, chunk ``k`` from its own stream ``"patients/k"``.
    """
    rows = int(rows)
    if rows <= CHUNK_ROWS:
        yield _simulate(child_rng(seed, "patients"), rows), 1, max(6, len(str(rows)))
        return
    width = max(6, len(str(rows)))
    for k, start in enumerate(range(0, rows, CHUNK_ROWS)):
        n = min(CHUNK_ROWS, rows - start)
        yield _simulate(child_rng(seed, f"patients/{k}"), n), start + 1, width


def iter_patient_chunks(seed: int, rows: int) -> Iterator[pd.DataFrame]:
    """The ``patients`` table in chunks of at most ``CHUNK_ROWS`` rows (for very large files).

    Up to ``CHUNK_ROWS`` rows this is one chunk, identical to :func:`generate_patients` with the
    dataset's stream. Larger files are made chunk by chunk, each from its own stream (seeded with the
    chunk's number, so any chunk can be made on its own and the output never depends on how it is
    consumed) and each calibrated to the same targets, so the planted rates hold in every chunk and
    overall, and memory stays small whatever the size.

    Examples
    --------
    >>> sizes = [len(chunk) for chunk in iter_patient_chunks(2017, CHUNK_ROWS + 10)]
    >>> sizes == [CHUNK_ROWS, 10]
    True
    """
    for sim, first_id, width in _chunks(seed, rows):
        yield _frame(sim, first_id, width)


def iter_patient_tables(seed: int, rows: int) -> Iterator[pa.Table]:
    """The same chunks as :func:`iter_patient_chunks`, as Arrow tables (for writing Parquet).

    The values are those of :func:`iter_patient_chunks` for the same ``seed`` and ``rows``; the
    categorical columns are dictionary arrays and missing values are nulls. Needs ``pyarrow``.

    Examples
    --------
    >>> table = next(iter_patient_tables(2017, 1000))
    >>> table.num_rows, table.column_names[:3]
    (1000, ['patient_id', 'age', 'age_group'])
    """
    for sim, first_id, width in _chunks(seed, rows):
        yield _arrow_table(sim, first_id, width)
