"""Widget exercises with instant feedback, each a thin view over a pure check/compute function.

Every exercise function returns an object that displays as a live ipywidgets view in
JupyterLab and as deterministic static HTML on the published book (no kernel needed). The
pure functions (``check_*``, ``*_measures``, ``score_*``, ``*_spec``) are what the tests call,
without a browser or a kernel.

Question exercises
    :func:`multiple_choice`, :func:`numeric_answer`, :func:`reflection`
    (pure checks: :func:`check_multiple_choice`, :func:`check_numeric`).
Improvement tools
    :func:`pdsa_planner` (:func:`pdsa_compare`), :func:`what_if_gap`
    (:func:`what_if_gap_measures`, :func:`describe_what_if`).
"""

from helpers.exercises._base import Exercise, Feedback
from helpers.exercises.pdsa import (
    PDSA_FIELDS,
    PdsaComparison,
    PdsaPlanner,
    pdsa_compare,
    pdsa_missing,
    pdsa_planner,
)
from helpers.exercises.questions import (
    MultipleChoice,
    NumericAnswer,
    Reflection,
    check_multiple_choice,
    check_numeric,
    multiple_choice,
    numeric_answer,
    parse_number,
    reflection,
)
from helpers.exercises.whatif import (
    WhatIfGap,
    describe_what_if,
    rates_mapping,
    what_if_gap,
    what_if_gap_measures,
)

__all__ = [
    "PDSA_FIELDS",
    "Exercise",
    "Feedback",
    "MultipleChoice",
    "NumericAnswer",
    "PdsaComparison",
    "PdsaPlanner",
    "Reflection",
    "WhatIfGap",
    "check_multiple_choice",
    "check_numeric",
    "describe_what_if",
    "multiple_choice",
    "numeric_answer",
    "parse_number",
    "pdsa_compare",
    "pdsa_missing",
    "pdsa_planner",
    "rates_mapping",
    "reflection",
    "what_if_gap",
    "what_if_gap_measures",
]
