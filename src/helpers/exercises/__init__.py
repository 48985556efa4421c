"""Widget exercises with instant feedback, each a thin view over a pure check/compute function.

Every exercise function returns an object that displays as a live ipywidgets view in
JupyterLab and as deterministic static HTML on the published book (no kernel needed). The
pure functions (``check_*``, ``*_measures``, ``score_*``, ``*_spec``) are what the tests call,
without a browser or a kernel.

Aim statements
    :func:`aim_statement_builder` coaches an equity aim element by element (pure check:
    :func:`check_aim_statement`).
Question exercises
    :func:`multiple_choice`, :func:`select_all`, :func:`numeric_answer`, :func:`reflection`
    (pure checks: :func:`check_multiple_choice`, :func:`check_select_all`, :func:`check_numeric`).
Classification exercises
    :func:`classification` sorts several items into categories with feedback per item (pure
    check: :func:`check_classification`).
Code exercises
    :func:`code_exercise` checks a variable the participant assigned against the value the
    hidden solution gives (pure check: :func:`check_code_answer`).
Your team's project (module 09)
    :func:`team_data_upload` makes the stratified equity report for a team's own file (pure:
    :func:`team_report`, the steps of ``python -m helpers report``); :func:`project_charter`
    writes the project charter (pure check: :func:`check_charter`).
Data and improvement tools
    :func:`category_rule_explorer` switches the rule that combines race and ethnicity
    (:func:`rule_table_html`, over ``helpers.categories.rates_by_rule``);
    :func:`stratifier_explorer` (:func:`stratifier_table`), :func:`what_if_gap`
    (:func:`what_if_gap_measures`, :func:`describe_what_if`), :func:`pdsa_planner`
    (:func:`pdsa_compare`), :func:`driver_diagram_builder` (:func:`parse_driver_outline`,
    :func:`driver_diagram_spec`), :func:`self_assessment` (:func:`score_self_assessment`; read the
    scores with :func:`weakest_components` and :func:`lowest_rated_items`).

The figures come from :mod:`helpers.plots`, the tables from :mod:`helpers.measures`, and the
item bank and datasets from :mod:`helpers.data`; those modules are imported only when an
exercise needs them.

The machinery every exercise shares lives in small private modules: ``_slot`` (restore a saved
answer, save a new one, through :mod:`helpers.workbook`), ``_cards`` (the static card: lettered
options, closed hint and answer, the "Run this cell" line), ``_figures`` (a chart rendered once,
its PNG bytes shown and saved, drawn after the words of the feedback), ``_docs`` (parameter docs
written once) and ``_base`` (feedback, the exercise object and its stable-id frame, which
``helpers.exercises.reopen`` relies on). Each exercise's static card is a pure ``*_card``
function in its module (e.g. ``questions.multiple_choice_card``).
"""

from helpers.exercises._base import Exercise, Feedback
from helpers.exercises.aim import AimCheck, AimStatementBuilder, aim_statement_builder, check_aim_statement
from helpers.exercises.assessment import SCALE, SelfAssessment, score_self_assessment, self_assessment
from helpers.exercises.category_rule import (
    RULE_LABELS,
    CategoryRuleExplorer,
    category_rule_explorer,
    rule_summary,
    rule_table_html,
)
from helpers.exercises.charter import (
    CHARTER_FIELDS,
    CharterCheck,
    ProjectCharter,
    check_charter,
    project_charter,
)
from helpers.exercises.classify import (
    Classification,
    ClassificationFeedback,
    check_classification,
    classification,
)
from helpers.exercises.code import CodeExercise, check_code_answer, code_exercise, solution_value
from helpers.exercises.drivers import (
    DriverDiagramBuilder,
    driver_diagram_builder,
    driver_diagram_problems,
    driver_diagram_spec,
    parse_driver_outline,
)
from helpers.exercises.explorer import (
    BOOK_DATASETS,
    DATASET_CHOICES,
    ExplorerChoices,
    StratifierExplorer,
    explorer_choices,
    stratified_table_html,
    stratifier_explorer,
    stratifier_table,
)
from helpers.exercises.focus import lowest_rated_items, weakest_components
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
from helpers.exercises.selectall import SelectAll, check_select_all, select_all
from helpers.exercises.team_data import (
    COURSE_MAPPING,
    TeamDataUpload,
    TeamReport,
    course_export,
    team_data_upload,
    team_report,
)
from helpers.exercises.whatif import (
    WhatIfGap,
    describe_what_if,
    rates_mapping,
    what_if_gap,
    what_if_gap_measures,
)

__all__ = [
    "BOOK_DATASETS",
    "CHARTER_FIELDS",
    "COURSE_MAPPING",
    "DATASET_CHOICES",
    "PDSA_FIELDS",
    "RULE_LABELS",
    "SCALE",
    "AimCheck",
    "AimStatementBuilder",
    "CategoryRuleExplorer",
    "CharterCheck",
    "Classification",
    "ClassificationFeedback",
    "CodeExercise",
    "DriverDiagramBuilder",
    "Exercise",
    "ExplorerChoices",
    "Feedback",
    "MultipleChoice",
    "NumericAnswer",
    "PdsaComparison",
    "PdsaPlanner",
    "ProjectCharter",
    "Reflection",
    "SelectAll",
    "SelfAssessment",
    "StratifierExplorer",
    "TeamDataUpload",
    "TeamReport",
    "WhatIfGap",
    "aim_statement_builder",
    "category_rule_explorer",
    "check_aim_statement",
    "check_charter",
    "check_classification",
    "check_code_answer",
    "check_multiple_choice",
    "check_numeric",
    "check_select_all",
    "classification",
    "code_exercise",
    "course_export",
    "describe_what_if",
    "driver_diagram_builder",
    "driver_diagram_problems",
    "driver_diagram_spec",
    "explorer_choices",
    "lowest_rated_items",
    "multiple_choice",
    "numeric_answer",
    "parse_driver_outline",
    "parse_number",
    "pdsa_compare",
    "pdsa_missing",
    "pdsa_planner",
    "project_charter",
    "rates_mapping",
    "reflection",
    "rule_summary",
    "rule_table_html",
    "score_self_assessment",
    "select_all",
    "self_assessment",
    "solution_value",
    "stratified_table_html",
    "stratifier_explorer",
    "stratifier_table",
    "team_data_upload",
    "team_report",
    "weakest_components",
    "what_if_gap",
    "what_if_gap_measures",
]
