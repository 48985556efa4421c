"""An equity dashboard: several measures by group, with intervals and the gap to a named reference.

What a team shows its board after stratifying: one row per measure, one column per group, each
cell the group's rate with its confidence interval and its gap to the reference group. The
pieces are pure functions over the tables of :mod:`helpers.measures` and
:mod:`helpers.disparities`, so small counts stay suppressed and the reference is always named.

* :func:`equity_dashboard` - the tidy table: every measure, every group, rate, interval, gap.
* :func:`dashboard_table` - the same as a board would read it (measures in rows, groups in
  columns, one text cell each).
* :func:`reference_comparison` - one group's gap against several references side by side.
* :func:`suppression_summary` - how many strata a table must hide as stratifiers are added.
* :func:`gap_directions` - which groups' gap intervals lie below zero, above it, or include it.
* :func:`group_name` and :func:`name_list` - group labels spelled out for sentences.
* :func:`difference_words` - an absolute difference in words ("9 percentage points lower").
* :func:`spell_out_groups` - the same table with group labels spelled out, for figures and
  their alt text ("AIAN" becomes "American Indian or Alaska Native").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from helpers._rates import (
    measure_rates,
    single_by_column,
    stack_measures,
    suppressed_label,
    table_settings,
)
from helpers._validation import require_columns, require_group
from helpers.disparities import gaps
from helpers.group_names import GROUP_NAMES, is_race_ethnicity_column, spell_out

__all__ = [
    "FULL_GROUP_NAMES",
    "dashboard_table",
    "difference_words",
    "equity_dashboard",
    "gap_directions",
    "group_name",
    "name_list",
    "reference_comparison",
    "spell_out_groups",
    "suppression_summary",
]

#: The datasets' short race/ethnicity labels → the names used in figures, alt text and prose
#: (the workbook's one mapping, :data:`helpers.group_names.GROUP_NAMES`).
FULL_GROUP_NAMES: Mapping[str, str] = GROUP_NAMES

_DASHBOARD_COLUMNS = (
    "numerator",
    "denominator",
    "rate",
    "ci_low",
    "ci_high",
    "reference_group",
    "reference_rate",
    "abs_diff",
    "abs_diff_ci_low",
    "abs_diff_ci_high",
    "suppressed",
    "suppression_reason",
)


def _measure_spec(name: str, spec: Any) -> tuple[pd.DataFrame, str, str | None]:
    if not isinstance(spec, tuple | list) or len(spec) not in (2, 3):
        raise ValueError(
            f"measure {name!r} must be (data, outcome) or (data, numerator, denominator); got {spec!r:.80}"
        )
    data, outcome, *rest = spec
    if not isinstance(data, pd.DataFrame):
        raise ValueError(f"measure {name!r}: the first item must be a DataFrame, got {type(data).__name__}")
    return data, str(outcome), (str(rest[0]) if rest and rest[0] is not None else None)


def equity_dashboard(
    measures: Mapping[str, Any],
    by: str,
    *,
    reference: str,
    level: float = 0.95,
    min_cell: int = 11,
) -> pd.DataFrame:
    """Rates, intervals and gaps to a named reference for several measures, one row per measure × group.

    Parameters
    ----------
    measures
        ``{"Blood-pressure control": (patients, "bp_controlled"), "Screening": (counts,
        "screened", "eligible")}``: a display name for each measure, with its data and outcome
        column (patient-level 0/1; rows with a missing outcome are not in the measure's
        denominator and are left out and recorded), or its numerator and denominator columns
        (aggregated counts). Measures where a lower rate is better are not supported.
    by
        The column naming the groups (the same in every dataset), e.g. ``"race_ethnicity"``.
    reference
        The reference for every gap: a group label, ``"best"`` or ``"overall"``, as in
        :func:`helpers.disparities.gaps`. There is no default: name it.
    level, min_cell
        Confidence level and small-cell threshold, as in
        :func:`helpers.measures.stratified_rates`.

    Returns
    -------
    pandas.DataFrame
        Columns ``measure``, ``by``, ``numerator``, ``denominator``, ``rate``, ``ci_low``,
        ``ci_high``, ``reference_group``, ``reference_rate``, ``abs_diff`` (group rate minus
        reference rate), ``abs_diff_ci_low``, ``abs_diff_ci_high``, ``suppressed`` and
        ``suppression_reason``; measures in the order given, groups in each table's order.
        ``attrs["exclusions"]`` lists what each measure left out (read it with
        :func:`helpers.measures.exclusions`; the ``column`` names the measure's outcome).

    Raises
    ------
    ValueError
        If ``measures`` is empty or a measure is not ``(data, outcome[, denominator])``,
        or as :func:`helpers.measures.stratified_rates` and :func:`helpers.disparities.gaps`.
    KeyError
        If a column or the reference group is not found.

    Examples
    --------
    >>> a = pd.DataFrame({"race": ["A"] * 80 + ["B"] * 80, "ok": [1] * 60 + [0] * 20 + [1] * 40 + [0] * 40})
    >>> b = pd.DataFrame({"race": ["A", "B"], "done": [50, 30], "eligible": [100, 100]})
    >>> board = equity_dashboard({"Control": (a, "ok"), "Screening": (b, "done", "eligible")},
    ...                          "race", reference="A")
    >>> board[["measure", "race", "rate", "abs_diff"]].round(2)
         measure race  rate  abs_diff
    0    Control    A  0.75      0.00
    1    Control    B  0.50     -0.25
    2  Screening    A  0.50      0.00
    3  Screening    B  0.30     -0.20
    """
    if not measures:
        raise ValueError("measures is empty; give at least one {name: (data, outcome)}")
    tables: dict[str, pd.DataFrame] = {}
    notes: list[dict[str, Any]] = []
    for name, spec in measures.items():
        data, outcome, denominator = _measure_spec(name, spec)
        rates = measure_rates(data, outcome, by, denominator=denominator, level=level, min_cell=min_cell)
        notes += list(rates.attrs.get("exclusions", []))
        with_gaps = gaps(rates, reference=reference, level=level)
        with_gaps.attrs = {}
        tables[name] = with_gaps.assign(**{by: with_gaps[by].astype(object)})
    long = stack_measures(tables, by, _DASHBOARD_COLUMNS)
    out = long[["measure", by, *_DASHBOARD_COLUMNS]]
    out.attrs = {
        "exclusions": notes,
        "by": [by],
        "reference": reference,
        "min_cell": min_cell,
        "measure": {"level": level},
    }
    return out


def _pct(value: float, decimals: int) -> str:
    return f"{value * 100:.{decimals}f}"


def _signed(value: float, decimals: int) -> str:
    text = f"{value * 100:+.{decimals}f}"
    if float(text) == 0:
        text = f"{0:.{decimals}f}"
    return text.replace("-", "\u2212")


def _cell(row: pd.Series, label: str, decimals: int, hidden: str = "suppressed (1\u201310)") -> str:
    if bool(row["suppressed"]) or pd.isna(row["rate"]):
        return hidden
    low, high = _pct(row["ci_low"], decimals), _pct(row["ci_high"], decimals)
    rate = f"{_pct(row['rate'], decimals)}% ({low}\u2013{high})"
    if str(row["reference_group"]) == label or pd.isna(row["abs_diff_ci_low"]):
        return f"{rate} \u00b7 reference"
    gap = (
        f"{_signed(row['abs_diff'], decimals)} pts ({_signed(row['abs_diff_ci_low'], decimals)} to "
        f"{_signed(row['abs_diff_ci_high'], decimals)})"
    )
    return f"{rate} \u00b7 {gap}"


def dashboard_table(
    dashboard: pd.DataFrame, *, groups: Sequence[str] | None = None, decimals: int = 0
) -> pd.DataFrame:
    """The dashboard as a board reads it: one row per measure, one text column per group.

    Each cell reads ``"54% (52–56) · −10 pts (−12 to −8)"``: the rate with its confidence
    interval, then the absolute difference from the reference group in percentage points
    (group minus reference; negative means the group gets less of the outcome) with its
    interval. The reference group's cell ends in ``"· reference"``; a suppressed cell reads
    ``"suppressed (1–10)"``.

    Parameters
    ----------
    dashboard
        The output of :func:`equity_dashboard`.
    groups
        The groups to show, in this order (default: all, in the dashboard's order).
    decimals
        Decimals of percentages and percentage points.

    Returns
    -------
    pandas.DataFrame
        Index ``measure`` (with the reference named), one column per group.

    Raises
    ------
    KeyError
        If a group in ``groups`` is not in the dashboard.

    Examples
    --------
    >>> a = pd.DataFrame({"race": ["A"] * 80 + ["B"] * 80, "ok": [1] * 60 + [0] * 20 + [1] * 40 + [0] * 40})
    >>> board = equity_dashboard({"Control": (a, "ok")}, "race", reference="A")
    >>> dashboard_table(board).loc["Control (reference: A)"].tolist()
    ['75% (65–83) · reference', '50% (39–61) · −25 pts (−38 to −10)']
    """
    by = single_by_column(dashboard, hint="pass the output of equity_dashboard")
    hidden = suppressed_label(table_settings(dashboard).min_cell)
    labels = list(dict.fromkeys(dashboard[by].astype(str)))
    if groups is None:
        groups = labels
    for g in groups:
        require_group(g, labels, column=by)
    rows: dict[str, dict[str, str]] = {}
    for measure, part in dashboard.groupby("measure", sort=False):
        refs = [r for r in dict.fromkeys(part["reference_group"].astype(str)) if r]
        name = f"{measure} (reference: {refs[0]})" if refs else str(measure)
        cells = {str(row[by]): _cell(row, str(row[by]), decimals, hidden) for _, row in part.iterrows()}
        rows[name] = {g: cells.get(g, "no data") for g in groups}
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "measure"
    out.columns.name = str(by)
    return out


def reference_comparison(
    rates: pd.DataFrame,
    group: str,
    references: Sequence[str],
    *,
    level: float = 0.95,
) -> pd.DataFrame:
    """One group's gap against several references, side by side.

    Parameters
    ----------
    rates
        A one-column table from :func:`helpers.measures.stratified_rates` (with
        ``overall=True`` if ``"overall"`` is among the references).
    group
        The group whose gap is compared, e.g. ``"Hispanic/Latino"``.
    references
        References as :func:`helpers.disparities.gaps` accepts them: ``"best"``,
        ``"overall"``, ``"mean"`` or group labels.
    level
        Confidence level.

    Returns
    -------
    pandas.DataFrame
        One row per reference: ``reference`` (as asked), ``reference_group`` (what it
        resolved to), ``reference_rate``, ``group``, ``rate``, ``abs_diff`` (group minus
        reference), ``abs_diff_ci_low``, ``abs_diff_ci_high`` and ``rel_ratio``.

    Raises
    ------
    KeyError
        If ``group`` or a reference group is not in ``rates``.
    ValueError
        If ``group`` is suppressed, or as :func:`helpers.disparities.gaps`.

    Examples
    --------
    >>> from helpers.measures import stratified_rates
    >>> rates = stratified_rates(pd.DataFrame({"race": ["A", "B", "C"], "x": [60, 40, 50],
    ...                                        "n": [100, 100, 100]}), "x", "race", denominator="n")
    >>> reference_comparison(rates, "B", ["best", "C"])[["reference", "reference_group", "abs_diff"]]
      reference reference_group  abs_diff
    0      best               A      -0.2
    1         C               C      -0.1
    """
    column = single_by_column(rates, hint="rates must come from stratified_rates with one by column")
    labels = rates[column].astype(str)
    require_group(group, labels.tolist(), column=column)
    if bool(rates.loc[labels == group, "suppressed"].iloc[0]):
        raise ValueError(f"group {group!r} is suppressed (too few people); choose a larger group")
    rows = []
    for reference in references:
        table = gaps(rates, reference=reference, level=level)
        row = table.loc[table[column].astype(str) == group].iloc[0]
        rows.append(
            {
                "reference": reference,
                "reference_group": str(row["reference_group"]),
                "reference_rate": float(row["reference_rate"]),
                "group": group,
                "rate": float(row["rate"]),
                "abs_diff": float(row["abs_diff"]),
                "abs_diff_ci_low": float(row["abs_diff_ci_low"]),
                "abs_diff_ci_high": float(row["abs_diff_ci_high"]),
                "rel_ratio": float(row["rel_ratio"]),
            }
        )
    return pd.DataFrame(rows)


def suppression_summary(
    data: pd.DataFrame,
    outcome: str,
    by_sets: Sequence[Sequence[str]],
    *,
    denominator: str | None = None,
    min_cell: int = 11,
) -> pd.DataFrame:
    """How many strata must be hidden as a table is cut by more stratifiers.

    Parameters
    ----------
    data, outcome, denominator, min_cell
        As in :func:`helpers.measures.stratified_rates` (patient-level rows with a missing
        outcome are left out, as they are not in the measure's denominator).
    by_sets
        The stratifications to compare, e.g. ``[["race"], ["race", "language"]]``.

    Returns
    -------
    pandas.DataFrame
        One row per stratification: ``stratifiers`` (joined by " × "), ``strata`` (combinations
        that occur), ``strata_shown``, ``strata_suppressed``, ``percent_strata_suppressed`` and
        ``percent_people_shown`` (the share of the measure's people whose stratum is shown).
        No count of people is given, so nothing hidden can be worked out from it.

    Examples
    --------
    >>> df = pd.DataFrame({"race": ["A"] * 60 + ["B"] * 40,
    ...                    "lang": (["en"] * 55 + ["es"] * 5) + ["en"] * 40,
    ...                    "ok": [1, 0] * 50})
    >>> summary = suppression_summary(df, "ok", [["race"], ["race", "lang"]])
    >>> summary[["stratifiers", "strata", "strata_suppressed"]]
        stratifiers  strata  strata_suppressed
    0          race       2                  0
    1  race × lang       3                  3
    """
    rows = []
    for by in by_sets:
        by = [by] if isinstance(by, str) else list(by)
        full = measure_rates(data, outcome, by, denominator=denominator, min_cell=0)
        shown = measure_rates(data, outcome, by, denominator=denominator, min_cell=min_cell)
        hidden = shown["suppressed"].to_numpy(dtype=bool)
        people = full["denominator"].to_numpy(dtype=float)
        rows.append(
            {
                "stratifiers": " \u00d7 ".join(by),
                "strata": len(shown),
                "strata_shown": int((~hidden).sum()),
                "strata_suppressed": int(hidden.sum()),
                "percent_strata_suppressed": round(100 * float(hidden.mean()), 1),
                "percent_people_shown": round(100 * float(people[~hidden].sum() / people.sum()), 1),
            }
        )
    return pd.DataFrame(rows)


def spell_out_groups(
    table: pd.DataFrame, column: str, *, names: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """A copy of ``table`` with the group labels in ``column`` spelled out (order kept).

    Parameters
    ----------
    table
        Any table, e.g. from :func:`helpers.measures.stratified_rates`; ``attrs`` are kept.
    column
        The column with the group labels.
    names
        Short label → full name (default :data:`FULL_GROUP_NAMES`, applied only when
        ``column`` holds race/ethnicity groups); other labels are kept.

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    KeyError
        If ``column`` is not in ``table``.

    Examples
    --------
    >>> t = pd.DataFrame({"race": pd.Categorical(["NHPI", "White"], categories=["NHPI", "White"])})
    >>> spell_out_groups(t, "race")["race"].tolist()
    ['Native Hawaiian or Other Pacific Islander', 'White']
    """
    require_columns(table, [column], what="the table")
    if names is None and not is_race_ethnicity_column(column):
        names = {}  # "Other" is "Other" for a language or payer, not "Some other race"
    mapping = dict(FULL_GROUP_NAMES if names is None else names)
    out = table.copy()
    values = out[column]
    if isinstance(values.dtype, pd.CategoricalDtype):
        out[column] = values.cat.rename_categories(lambda c: mapping.get(str(c), c))
    else:
        out[column] = values.map(lambda v: mapping.get(str(v), v))
    out.attrs = dict(table.attrs)
    return out


def group_name(label: Any, names: Mapping[str, str] | None = None, *, column: Any = None) -> str:
    """The full name of a group label, for prose and alt text (:func:`helpers.group_names.spell_out`).

    Examples
    --------
    >>> group_name("AIAN"), group_name("Black")
    ('American Indian or Alaska Native', 'Black')
    >>> group_name("Other", column="preferred_language")
    'Other'
    """
    return spell_out(label, names, column=column)


def name_list(labels: Sequence[Any], *, empty: str = "no group", column: Any = None) -> str:
    """Group labels spelled out and joined for a sentence: "A, B and C".

    ``column`` names where the labels come from: only race/ethnicity labels are spelled out.

    Examples
    --------
    >>> name_list(["Black", "Hispanic/Latino", "NHPI"])
    'Black, Hispanic or Latino and Native Hawaiian or Other Pacific Islander'
    >>> name_list(["Spanish", "Other"], column="preferred_language")
    'Spanish and Other'
    >>> name_list([])
    'no group'
    """
    words = [group_name(label, column=column) for label in labels]
    if not words:
        return empty
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def gap_directions(table: pd.DataFrame, *, exclude: Sequence[str] = ("Overall",)) -> dict[str, list[str]]:
    """Sort groups by what the interval of their gap to the reference says.

    Parameters
    ----------
    table
        Output of :func:`helpers.disparities.gaps` with one group column.
    exclude
        Labels to leave out (the grand-total row by default).

    Returns
    -------
    dict
        ``"lower"``: groups whose whole interval for the difference is below 0 (the group gets
        less of the outcome than the reference); ``"higher"``: whole interval above 0;
        ``"unclear"``: the interval includes 0 (these data cannot tell). The reference group
        and suppressed groups are in none of the lists. Labels as in the table, in its order.

    Examples
    --------
    >>> from helpers.measures import stratified_rates
    >>> from helpers.disparities import gaps
    >>> counts = pd.DataFrame({"race": ["A", "B", "C"], "x": [600, 400, 29], "n": [1000, 1000, 50]})
    >>> gap_directions(gaps(stratified_rates(counts, "x", "race", denominator="n"), reference="A"))
    {'lower': ['B'], 'higher': [], 'unclear': ['C']}
    """
    by = single_by_column(
        table, hint="table must come from gaps() on a stratified_rates table with one by column"
    )
    labels = table[by].astype(str).to_numpy()
    low = table["abs_diff_ci_low"].to_numpy(dtype=float, na_value=float("nan"))
    high = table["abs_diff_ci_high"].to_numpy(dtype=float, na_value=float("nan"))
    out: dict[str, list[str]] = {"lower": [], "higher": [], "unclear": []}
    for label, lo, hi in zip(labels, low, high, strict=True):
        if label in exclude or lo != lo or hi != hi:
            continue
        out["lower" if hi < 0 else "higher" if lo > 0 else "unclear"].append(str(label))
    return out


def difference_words(difference: float, *, decimals: int = 0) -> str:
    """An absolute difference (a proportion, group minus reference) in words.

    Examples
    --------
    >>> difference_words(-0.0857), difference_words(0.031), difference_words(0.001)
    ('9 percentage points lower', '3 percentage points higher', 'no different')
    """
    size = f"{abs(difference) * 100:.{decimals}f}"
    if float(size) == 0:
        return "no different"
    return f"{size} percentage points {'lower' if difference < 0 else 'higher'}"
