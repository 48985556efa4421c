"""Helpers for the Pursuing Equity Workbook.

Small, pure functions over tidy pandas DataFrames that a quality-improvement team can run on
its own data: stratified rates with confidence intervals and small-cell suppression
(:mod:`helpers.measures`), disparity measures (:mod:`helpers.disparities`), run and control
charts (:mod:`helpers.runcharts`), accessible figures (:mod:`helpers.plots`) in one
colour-blind-safe palette (:mod:`helpers.palette`), the synthetic datasets and a team's own CSV
(:mod:`helpers.data`, :mod:`helpers.synth`), widget exercises (:mod:`helpers.exercises`) and the
participant's saved workbook (:mod:`helpers.workbook`). A team's own file becomes an equity report
with :mod:`helpers.teamfile` and :mod:`helpers.report` (``python -m helpers report``).

The modules' own tools: race and ethnicity combination rules (:mod:`helpers.categories`), data
completeness (:mod:`helpers.data_quality`), an equity dashboard (:mod:`helpers.dashboard`), crude and
age-standardised gaps (:mod:`helpers.agegaps`), judging a change by the run-chart rules
(:mod:`helpers.improvement`), change between two waves (:mod:`helpers.change`,
:mod:`helpers.changeplot`), where needs and gaps overlap (:mod:`helpers.overlap`) and group names
spelled out (:mod:`helpers.group_names`).

Submodules are imported on demand (``from helpers import measures``) so that importing the
package stays fast and has no side effects.
"""

__version__ = "0.1.0"
