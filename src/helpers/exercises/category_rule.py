"""Category-rule explorer: switch the rule that combines race and ethnicity, see what changes.

A thin ipywidgets view over ``helpers.categories.rates_by_rule``: a drop-down picks the
rule, and the view shows every group's size and rate under it, the absolute difference from the
White group (the reference group) and, in words, how the rule changes the White and
Hispanic/Latino groups compared with the workbook's rule (``helpers.categories.describe_rule_change``). The
published book shows the table of every rule, each in a ``<details>`` block.

:func:`rule_table_html` (pure) renders one rule's table; tests call it without a browser.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
import pandas as pd

from helpers._docs import share_docs
from helpers.categories import RULES, describe_rule_change, rates_by_rule
from helpers.exercises._base import Exercise, esc, exercise_box
from helpers.exercises._cards import static_card
from helpers.exercises._docs import EXERCISE_DOCS, exercise_docs
from helpers.exercises._slot import AnswerSlot

if TYPE_CHECKING:  # pragma: no cover
    from helpers.workbook import Workbook

__all__ = ["RULE_LABELS", "CategoryRuleExplorer", "category_rule_explorer", "rule_summary", "rule_table_html"]

#: Short names of the rules, as the drop-down shows them.
RULE_LABELS: dict[str, str] = {
    "hispanic_first": "Hispanic or Latino first (workbook rule)",
    "race_only": "Race only (ethnicity ignored)",
    "race_first": "Race first ('Some other race' or no race + Hispanic → Hispanic or Latino)",
    "any_mention": "Any mention (alone or in combination)",
}
_HIDDEN = "suppressed (1–10)"


def _pct(value: Any) -> str:
    return _HIDDEN if pd.isna(value) else f"{float(value):.1%}"


def _count(value: Any) -> str:
    return _HIDDEN if pd.isna(value) else f"{int(value):,}"


def _diff(value: Any, group: str) -> str:
    if group == "White":
        return "reference group"
    if pd.isna(value):
        return "—"
    points = float(value) * 100
    return f"{points:+.1f}".replace("-", "−")


def rule_table_html(table: pd.DataFrame, rule: str, *, measure: str = "Rate") -> str:
    """One rule's rows of a ``helpers.categories.rates_by_rule`` table as an HTML table.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of ``helpers.categories.rates_by_rule``.
    rule : str
        The rule to show.
    measure : str
        Column heading for the rate.

    Returns
    -------
    str

    Examples
    --------
    >>> df = pd.DataFrame({"race": ["White"] * 40, "ethnicity": ["Not Hispanic or Latino"] * 40,
    ...                    "controlled": [1] * 25 + [0] * 15})
    >>> html = rule_table_html(rates_by_rule(df, "controlled"), "race_only")
    >>> "<td>White</td><td>40</td><td>100.0%</td><td>40</td><td>62.5%</td><td>reference group</td>" in html
    True
    """
    rows = table[table["rule"] == rule]
    if rows.empty:
        raise ValueError(
            f"rule {rule!r} is not in the table; it holds {', '.join(map(str, table['rule'].unique()))}"
        )
    head = (
        "<tr><th>group</th><th>patients</th><th>share of all patients</th><th>in the measure</th>"
        f"<th>{esc(measure)}</th><th>absolute difference from White (percentage points)</th></tr>"
    )
    body = "".join(
        f"<tr><td>{esc(r.group)}</td><td>{_count(r.patients)}</td><td>{_pct(r.share)}</td>"
        f"<td>{_count(r.denominator)}</td><td>{_pct(r.rate)}</td>"
        f"<td>{_diff(r.abs_diff, str(r.group))}</td></tr>"
        for r in rows.itertuples()
    )
    total = rows["share"].sum()
    note = ""
    if total > 1.0005:
        note = (
            f"<p><em>The shares add up to {total:.0%}: under this rule some patients count in "
            "two groups.</em></p>"
        )
    return f'<table class="pe-table">\n<thead>{head}</thead>\n<tbody>{body}</tbody>\n</table>{note}'


def rule_summary(table: pd.DataFrame, rule: str) -> str:
    """What ``rule`` changes compared with the workbook's rule, in words (White and Hispanic/Latino).

    Examples
    --------
    >>> df = pd.DataFrame({"race": ["White"] * 40, "ethnicity": ["Hispanic or Latino"] * 20
    ...                    + ["Not Hispanic or Latino"] * 20, "controlled": [1, 0] * 20})
    >>> print(rule_summary(rates_by_rule(df, "controlled", min_cell=0), "race_only"))  # doctest: +ELLIPSIS
    Under the race-only rule the White group has 40 patients (20 more than ...). There is no
    Hispanic or Latino group under this rule.
    """
    if rule == "hispanic_first":
        return "This is the workbook's rule: the other rules are compared with it."
    text = describe_rule_change(table, rule)
    rows = table[(table["group"] == "Hispanic/Latino")].set_index("rule")
    if rule not in rows.index:
        return text + " There is no Hispanic or Latino group under this rule."
    if "hispanic_first" in rows.index:
        now, then = rows.loc[rule, "patients"], rows.loc["hispanic_first", "patients"]
        if pd.notna(now) and pd.notna(then) and int(now) != int(then):
            return text + (
                f" The Hispanic or Latino group has {int(now):,} patients instead of {int(then):,}."
            )
    return text + " The Hispanic or Latino group is the same size as under the workbook's rule."


class CategoryRuleExplorer(Exercise):
    """The explorer (returned by :func:`category_rule_explorer`).

    Attributes
    ----------
    rule : ipywidgets.Dropdown
        The rule shown.
    output : ipywidgets.HTML
        The table and the summary.
    table : pandas.DataFrame
        Every rule's groups and rates (``helpers.categories.rates_by_rule``).
    """

    kind = "category-rule"
    rule: widgets.Dropdown
    output: widgets.HTML
    status: widgets.HTML
    table: pd.DataFrame


@share_docs(exercise=exercise_docs("the last rule looked at"))
def category_rule_explorer(
    data: pd.DataFrame,
    outcome: str = "bp_controlled",
    *,
    measure: str = "Blood-pressure control",
    rules: Sequence[str] = tuple(RULES),
    title: str = "How does the rule that combines race and ethnicity change the groups?",
    workbook: Workbook | None = None,
    module: str | None = None,
    key: str | None = None,
) -> CategoryRuleExplorer:
    """A drop-down of rules and, for the chosen rule, every group's size and rate.

    Parameters
    ----------
    data : pandas.DataFrame
        Patient-level data with ``race``, ``ethnicity`` and ``outcome``.
    outcome : str
        A 0/1 outcome (blank = not in the measure), e.g. ``"bp_controlled"``.
    measure : str
        Its name, for the table heading.
    rules : sequence of str
        The rules offered (default: all of ``helpers.categories.RULES``).
    title : str
        The heading.
    {exercise.slot}

    Returns
    -------
    CategoryRuleExplorer

    Examples
    --------
    >>> df = pd.DataFrame({"race": ["White"] * 40, "ethnicity": ["Hispanic or Latino"] * 20
    ...                    + ["Not Hispanic or Latino"] * 20, "bp_controlled": [1, 0] * 20})
    >>> ex = category_rule_explorer(df)
    >>> ex.rule.value = "race_only"
    >>> "no Hispanic or Latino group" in ex.output.value
    True
    """
    table = rates_by_rule(data, outcome, rules=rules)
    slot = AnswerSlot.of(workbook, module, key, label=title)
    options = [(RULE_LABELS.get(r, r), r) for r in rules]
    dropdown = widgets.Dropdown(
        options=options, value=rules[0], description="Rule:", style={"description_width": "initial"},
        layout=widgets.Layout(width="40em"),
    )  # fmt: skip
    output = widgets.HTML("")
    status = widgets.HTML("")

    def render(_: Any = None, *, save: bool = True) -> None:
        output.value = rule_view_html(table, dropdown.value, measure=measure)
        if save and slot.saving:
            status.value = slot.save(dropdown.value)

    previous = slot.restore(lambda value: value in rules)
    if previous is not None:
        dropdown.value = previous
    render(save=False)
    dropdown.observe(render, names="value")
    box = exercise_box(
        [widgets.HTML(f'<p class="pe-question"><strong>{esc(title)}</strong></p>'), dropdown, output, status]
    )
    static_html = category_rule_card(table, rules, measure=measure, title=title, saving=slot.saving)
    ex = CategoryRuleExplorer(
        box,
        static_html=static_html,
        static_text=f"Explore: {title}",
        check=lambda rule: table[table["rule"] == rule].reset_index(drop=True),
    )
    ex.rule = dropdown
    ex.output = output
    ex.status = status
    ex.table = table
    return ex


def rule_view_html(table: pd.DataFrame, rule: str, *, measure: str = "Rate") -> str:
    """What the explorer shows for one rule: the rule, its table and the summary sentence.

    Example
    -------
    >>> from helpers.categories import rates_by_rule
    >>> df = pd.DataFrame({"race": ["White"] * 40, "ethnicity": ["Hispanic or Latino"] * 20
    ...                    + ["Not Hispanic or Latino"] * 20, "bp_controlled": [1, 0] * 20})
    >>> rule_view_html(rates_by_rule(df, "bp_controlled"), "race_only").count("<table")
    1
    """
    return (
        f"<p>{esc(RULES[rule])}</p>\n{rule_table_html(table, rule, measure=measure)}\n"
        f'<div class="pe-feedback" role="status">{esc(rule_summary(table, rule))}</div>'
    )


@share_docs(exercise=EXERCISE_DOCS)
def category_rule_card(
    table: pd.DataFrame,
    rules: Sequence[str],
    *,
    measure: str = "Blood-pressure control",
    title: str = "How does the rule that combines race and ethnicity change the groups?",
    saving: bool = False,
) -> str:
    """The static card of the category-rule explorer (pure: inputs → HTML).

    Every rule's view in a ``<details>`` (the first open), so a reader of the site can compare
    them without a kernel; then the run note.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`helpers.categories.rates_by_rule` of the data.
    rules : sequence of str
        The rules offered, in menu order.
    measure : str
        The measure's name, for the table heading.
    title : str
        The heading.
    {exercise.card}

    Example
    -------
    >>> from helpers.categories import rates_by_rule
    >>> df = pd.DataFrame({"race": ["White"] * 40, "ethnicity": ["Hispanic or Latino"] * 20
    ...                    + ["Not Hispanic or Latino"] * 20, "bp_controlled": [1, 0] * 20})
    >>> card = category_rule_card(rates_by_rule(df, "bp_controlled"), ["hispanic_first", "race_only"])
    >>> card.count("<details"), card.count("<details open>")
    (2, 1)
    """
    blocks = "\n".join(
        f"<details{' open' if i == 0 else ''}><summary>{esc(RULE_LABELS.get(r, r))}</summary>\n"
        f"{rule_view_html(table, r, measure=measure)}\n</details>"
        for i, r in enumerate(rules)
    )
    return static_card(
        "category-rule",
        f"<strong>Explore:</strong> {esc(title)}",
        f"<p>Open each rule to see the groups it makes; {esc(measure.lower())} among patients in the "
        "measure, and the absolute difference from the White group (the reference group).</p>\n"
        f"{blocks}",
        saving=saving,
    )
