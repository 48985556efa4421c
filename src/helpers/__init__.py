"""Helpers for the Pursuing Equity Workbook.

Small, pure functions over tidy pandas DataFrames that a quality-improvement team can run on
its own data: stratified rates with confidence intervals and small-cell suppression
(:mod:`helpers.measures`), disparity measures (:mod:`helpers.disparities`), run and control
charts (:mod:`helpers.runcharts`), accessible figures (:mod:`helpers.plots`) in one
colour-blind-safe palette (:mod:`helpers.palette`), the synthetic datasets and a team's own CSV
(:mod:`helpers.data`, :mod:`helpers.synth`), widget exercises (:mod:`helpers.exercises`) and the
participant's saved workbook (:mod:`helpers.workbook`).

Submodules are imported on demand (``from helpers import measures``) so that importing the
package stays fast and has no side effects.
"""

__version__ = "0.1.0"
