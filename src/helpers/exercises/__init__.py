"""Widget exercises with instant feedback, each a thin view over a pure check/compute function.

Every exercise function returns an object that displays as a live ipywidgets view in
JupyterLab and as deterministic static HTML on the published book (no kernel needed). The
pure functions (``check_*``, ``*_measures``, ``score_*``, ``*_spec``) are what the tests call.

Question exercises
    :func:`multiple_choice`, :func:`numeric_answer`, :func:`reflection`
    (checks: :func:`check_multiple_choice`, :func:`check_numeric`).
"""

from helpers.exercises._base import Exercise, Feedback
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

__all__ = [
    "Exercise",
    "Feedback",
    "MultipleChoice",
    "NumericAnswer",
    "Reflection",
    "check_multiple_choice",
    "check_numeric",
    "multiple_choice",
    "numeric_answer",
    "parse_number",
    "reflection",
]
