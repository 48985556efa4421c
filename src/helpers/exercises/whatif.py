"""What-if sliders: absolute and relative disparity measures can move in different directions.

:func:`what_if_gap_measures` (pure) computes, before and after a change in one group's rate
(and optionally the reference group's), the absolute difference, the rate ratio, and the ratio
of the complements ("shortfall ratio", e.g. *uncontrolled* blood pressure). :func:`describe_what_if`
says in words which measures narrowed and which widened. :func:`what_if_gap` is the widget.

References
----------
Harper S, King NB, Meersman SC, Reichman ME, Breen N, Lynch J. Implicit value judgments in the
measurement of health inequalities. *Milbank Q.* 2010;88(1):4–29.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from helpers._docs import share_docs
from helpers.exercises._base import Exercise, esc, exercise_box
from helpers.exercises._cards import static_card
from helpers.exercises._docs import EXERCISE_DOCS, exercise_docs
from helpers.exercises._slot import AnswerSlot

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from helpers.workbook import Workbook

__all__ = ["WhatIfGap", "describe_what_if", "rates_mapping", "what_if_gap", "what_if_gap_measures"]


def rates_mapping(rates: Any, *, group_col: str | None = None) -> dict[str, float]:
    """Turn rates given as a dict, a Series or a ``stratified_rates`` table into ``{group: rate}``.

    Parameters
    ----------
    rates : mapping, pandas.Series or pandas.DataFrame
        ``{group: rate}``; a Series indexed by group; or a table with a ``rate`` column and one
        group column (e.g. the output of :func:`helpers.measures.stratified_rates`).
    group_col : str, optional
        The group column of a table (default: its only column that is not a rate column).

    Returns
    -------
    dict of str to float

    Raises
    ------
    ValueError
        When the group column cannot be found or a rate is not a finite number.

    Example
    -------
    >>> import pandas as pd
    >>> rates_mapping(pd.DataFrame({"race": ["Black", "White"], "rate": [0.41, 0.55]}))
    {'Black': 0.41, 'White': 0.55}
    """
    import pandas as pd

    if isinstance(rates, pd.DataFrame):
        if "rate" not in rates.columns:
            raise ValueError(f"column 'rate' not found; columns are: {', '.join(map(str, rates.columns))}")
        if group_col is None:
            from helpers._rates import by_columns

            candidates = by_columns(rates)  # the rates-table contract: every column not a measure
            if len(candidates) != 1:
                raise ValueError(
                    f"cannot tell which column names the groups (candidates: {candidates}); pass group_col="
                )
            group_col = str(candidates[0])
        if group_col not in rates.columns:
            raise ValueError(
                f"column {group_col!r} not found; columns are: {', '.join(map(str, rates.columns))}"
            )
        if "suppressed" in rates.columns:  # suppressed strata have no rate to show
            rates = rates[~rates["suppressed"].astype(bool)]
        pairs: Iterable[tuple[Any, Any]] = zip(rates[group_col], rates["rate"], strict=True)
    elif isinstance(rates, pd.Series):
        pairs = zip(rates.index, rates.to_numpy(), strict=True)
    elif isinstance(rates, Mapping):
        pairs = rates.items()
    else:
        raise ValueError("rates must be a dict {group: rate}, a Series, or a table with a 'rate' column")
    out: dict[str, float] = {}
    for group, rate in pairs:
        try:
            value = float(rate)
        except (TypeError, ValueError):
            value = math.nan
        if not math.isfinite(value):
            raise ValueError(f"the rate for group {group!r} is {rate!r}; every rate must be a number")
        out[str(group)] = value
    if len(out) < 2:
        raise ValueError("need rates for at least two groups to compare")
    return out


def what_if_gap_measures(
    rates: Any,
    group: str,
    new_rate: float,
    reference: str,
    *,
    new_reference_rate: float | None = None,
) -> pd.DataFrame:
    """Disparity measures before and after changing one group's rate (and optionally the reference's).

    Rates are proportions (0–1). For each scenario the table gives the absolute difference
    (group − reference, in percentage points), the rate ratio (group / reference) and the
    shortfall ratio ((1 − group) / (1 − reference)): the same gap seen through the
    complementary outcome (e.g. uncontrolled instead of controlled blood pressure).

    Parameters
    ----------
    rates : mapping, Series or DataFrame
        Current rates by group (see :func:`rates_mapping`).
    group : str
        The group whose rate changes.
    new_rate : float
        Its rate in the what-if scenario (0–1).
    reference : str
        The reference group.
    new_reference_rate : float, optional
        The reference group's rate in the scenario (default: unchanged).

    Returns
    -------
    pandas.DataFrame
        Two rows (``scenario`` = "now", "what if") with columns ``group, reference,
        group_rate, reference_rate, abs_diff_points, rate_ratio, shortfall_ratio``
        (a ratio is NaN where its denominator is 0).

    Raises
    ------
    KeyError
        If ``group`` or ``reference`` is not among the rates.
    ValueError
        If a rate is outside 0–1 or group equals reference.

    Example
    -------
    >>> t = what_if_gap_measures({"Black": 0.41, "White": 0.55}, "Black", 0.61, "White",
    ...                          new_reference_rate=0.75)
    >>> t["abs_diff_points"].round(1).tolist()  # both gain 20 points: the absolute gap stays
    [-14.0, -14.0]
    >>> t["rate_ratio"].round(2).tolist()  # ...the success ratio moves towards 1
    [0.75, 0.81]
    >>> t["shortfall_ratio"].round(2).tolist()  # ...and the shortfall ratio moves away from 1
    [1.31, 1.56]
    """
    import pandas as pd

    table = rates_mapping(rates)
    for name, what in ((group, "group"), (reference, "reference")):
        if name not in table:
            raise KeyError(f"{what} {name!r} not found; groups are: {', '.join(table)}")
    if group == reference:
        raise ValueError("group and reference must be different groups")
    ref_after = table[reference] if new_reference_rate is None else float(new_reference_rate)
    for label, value in (
        (f"rate for {group!r}", table[group]),
        (f"rate for {reference!r}", table[reference]),
        ("new_rate", new_rate),
        ("new_reference_rate", ref_after),
    ):
        if not (isinstance(value, int | float) and 0 <= value <= 1):
            raise ValueError(f"{label} is {value!r}; rates must be proportions between 0 and 1 (41% is 0.41)")

    def ratio(a: float, b: float) -> float:
        return a / b if b != 0 else math.nan

    rows = []
    for scenario, g, r in (("now", table[group], table[reference]), ("what if", float(new_rate), ref_after)):
        rows.append(
            {
                "scenario": scenario,
                "group": group,
                "reference": reference,
                "group_rate": g,
                "reference_rate": r,
                "abs_diff_points": (g - r) * 100,
                "rate_ratio": ratio(g, r),
                "shortfall_ratio": ratio(1 - g, 1 - r),
            }
        )
    return pd.DataFrame(rows)


def _distance_from_equality(measure: str, value: float) -> float:
    if math.isnan(value):
        return math.nan
    if measure == "abs_diff_points":
        return abs(value)
    return abs(math.log(value)) if value > 0 else math.inf


def describe_what_if(table: pd.DataFrame) -> str:
    """Say, in words, which measures moved towards equality and which away from it.

    Parameters
    ----------
    table : pandas.DataFrame
        The output of :func:`what_if_gap_measures`.

    Returns
    -------
    str

    Example
    -------
    >>> t = what_if_gap_measures({"Black": 0.41, "White": 0.55}, "Black", 0.61, "White",
    ...                          new_reference_rate=0.75)
    >>> print(describe_what_if(t))  # doctest: +NORMALIZE_WHITESPACE
    Absolute difference: -14 → -14 points (unchanged). Rate ratio: 0.75 → 0.81 (narrower).
    Shortfall ratio: 1.31 → 1.56 (wider). The measures disagree: report both absolute and
    relative measures, and say which outcome (success or shortfall) you compared.
    """
    now, after = table.iloc[0], table.iloc[1]
    words = []
    verdicts = set()
    for measure, name, fmt in (
        ("abs_diff_points", "Absolute difference", "{:.3g}"),
        ("rate_ratio", "Rate ratio", "{:.2f}"),
        ("shortfall_ratio", "Shortfall ratio", "{:.2f}"),
    ):
        before_d = _distance_from_equality(measure, float(now[measure]))
        after_d = _distance_from_equality(measure, float(after[measure]))
        if math.isnan(before_d) or math.isnan(after_d):
            verdict = "cannot be computed"
        elif math.isclose(before_d, after_d, rel_tol=1e-9, abs_tol=1e-9):
            verdict = "unchanged"
        elif after_d < before_d:
            verdict = "narrower"
        else:
            verdict = "wider"
        verdicts.add(verdict)
        unit = " points" if measure == "abs_diff_points" else ""
        words.append(f"{name}: {fmt.format(now[measure])} → {fmt.format(after[measure])}{unit} ({verdict}).")
    if {"narrower", "wider"} <= verdicts or ("unchanged" in verdicts and verdicts & {"narrower", "wider"}):
        words.append(
            "The measures disagree: report both absolute and relative measures, and say which outcome "
            "(success or shortfall) you compared."
        )
    elif verdicts == {"unchanged"}:
        words.append("Nothing changed: move a slider.")
    else:
        words.append("Here all the measures agree; that is not always so (try raising both groups' rates).")
    return " ".join(words)


def _num(value: float, spec: str) -> str:
    return "—" if math.isnan(value) else format(value, spec)


def _measures_html(table: pd.DataFrame) -> str:
    g, r = str(table["group"].iloc[0]), str(table["reference"].iloc[0])
    head = (
        '<tr><th scope="col">Scenario</th>'
        f'<th scope="col">{esc(g)} rate</th><th scope="col">{esc(r)} rate (reference)</th>'
        '<th scope="col">Absolute difference (points)</th><th scope="col">Rate ratio</th>'
        '<th scope="col">Shortfall ratio</th></tr>'
    )
    body = "".join(
        f'<tr><th scope="row">{esc(row.scenario)}</th>'
        f"<td>{row.group_rate:.0%}</td><td>{row.reference_rate:.0%}</td>"
        f"<td>{_num(row.abs_diff_points, '+.1f')}</td><td>{_num(row.rate_ratio, '.2f')}</td>"
        f"<td>{_num(row.shortfall_ratio, '.2f')}</td></tr>"
        for row in table.itertuples()
    )
    return f'<table class="pe-table"><thead>{head}</thead><tbody>{body}</tbody></table>'


class WhatIfGap(Exercise):
    """The what-if widget (returned by :func:`what_if_gap`).

    Attributes
    ----------
    group : ipywidgets.Dropdown
        The group whose rate changes.
    group_rate, reference_rate : ipywidgets.FloatSlider
        The what-if rates, in percent.
    output : ipywidgets.HTML
        The table of measures and the description.
    """

    kind = "what-if"
    group: widgets.Dropdown
    group_rate: widgets.FloatSlider
    reference_rate: widgets.FloatSlider
    output: widgets.HTML
    status: widgets.HTML


@share_docs(exercise=exercise_docs("the last scenario explored"))
def what_if_gap(
    rates: Any,
    *,
    reference: str,
    group: str | None = None,
    title: str = "What if one group's rate changed?",
    workbook: Workbook | None = None,
    module: str | None = None,
    key: str | None = None,
) -> WhatIfGap:
    """Sliders that change rates and show absolute and relative measures moving differently.

    Parameters
    ----------
    rates : mapping, Series or DataFrame
        Current rates (proportions) by group, e.g. a :func:`helpers.measures.stratified_rates`
        table.
    reference : str
        The reference group.
    group : str, optional
        The group selected first (default: the first non-reference group).
    title : str
        The heading.
    {exercise.slot}

    Returns
    -------
    WhatIfGap
        The static view (published book) shows the current measures and a worked scenario in
        which both groups improve by the same amount.

    Example
    -------
    >>> w = what_if_gap({"Black": 0.41, "Hispanic": 0.47, "White": 0.55}, reference="White")
    >>> w.group_rate.value, w.reference_rate.value = 61.0, 75.0
    >>> "The measures disagree" in w.output.value
    True
    """
    table = rates_mapping(rates)
    if reference not in table:
        raise KeyError(f"reference {reference!r} not found; groups are: {', '.join(table)}")
    others = [g for g in table if g != reference]
    start = group if group is not None else others[0]
    if start not in others:
        raise KeyError(f"group {start!r} not found among the non-reference groups: {', '.join(others)}")
    slot = AnswerSlot.of(workbook, module, key, label=title)
    style = {"description_width": "initial"}
    group_dd = widgets.Dropdown(options=others, value=start, description="Group to change:", style=style)
    slider_kw = {
        "min": 0.0,
        "max": 100.0,
        "step": 1.0,
        "readout_format": ".0f",
        "continuous_update": False,
        "style": style,
        "layout": widgets.Layout(width="32em"),
    }
    group_rate = widgets.FloatSlider(
        value=round(table[start] * 100), description=f"{start} rate (%):", **slider_kw
    )
    reference_rate = widgets.FloatSlider(
        value=round(table[reference] * 100), description=f"{reference} rate (%, reference):", **slider_kw
    )
    output = widgets.HTML("")
    status = widgets.HTML("")

    def compute() -> pd.DataFrame:
        return what_if_gap_measures(
            table,
            group_dd.value,
            group_rate.value / 100,
            reference,
            new_reference_rate=reference_rate.value / 100,
        )

    def render(_: Any = None, *, save: bool = True) -> None:
        t = compute()
        output.value = (
            _measures_html(t) + f'<div class="pe-feedback" role="status">{esc(describe_what_if(t))}</div>'
        )
        if save and slot.saving:
            status.value = slot.save(
                {
                    "group": group_dd.value,
                    "group_rate": group_rate.value,
                    "reference_rate": reference_rate.value,
                }
            )

    def on_group(change: dict[str, Any]) -> None:
        group_rate.description = f"{change['new']} rate (%):"
        group_rate.value = round(table[change["new"]] * 100)
        render()

    previous = slot.restore(lambda value: isinstance(value, dict) and value.get("group") in others)
    if previous is not None:
        group_dd.value = previous["group"]
        group_rate.description = f"{group_dd.value} rate (%):"
        for slider, name in ((group_rate, "group_rate"), (reference_rate, "reference_rate")):
            if isinstance(previous.get(name), int | float) and 0 <= previous[name] <= 100:
                slider.value = float(previous[name])
    render(save=False)
    group_dd.observe(on_group, names="value")
    group_rate.observe(render, names="value")
    reference_rate.observe(render, names="value")
    box = exercise_box(
        [
            widgets.HTML(f'<p class="pe-question"><strong>{esc(title)}</strong></p>'),
            group_dd,
            group_rate,
            reference_rate,
            output,
            status,
        ],
    )

    static_html = what_if_card(table, start, reference, title=title, saving=slot.saving)
    ex = WhatIfGap(
        box,
        static_html=static_html,
        static_text=f"What if: {title}",
        check=lambda g, new_rate, new_reference_rate=None: what_if_gap_measures(
            table, g, new_rate, reference, new_reference_rate=new_reference_rate
        ),
    )
    ex.group = group_dd
    ex.group_rate = group_rate
    ex.reference_rate = reference_rate
    ex.output = output
    ex.status = status
    return ex


@share_docs(exercise=EXERCISE_DOCS)
def what_if_card(
    rates: Mapping[str, float],
    group: str,
    reference: str,
    *,
    title: str = "What if one group's rate changed?",
    saving: bool = False,
) -> str:
    """The static card of the what-if sliders (pure: inputs → HTML).

    Today's measures for ``group`` against ``reference``, and a worked scenario in which both
    improve by the same number of points (up to 20), with what it shows; then the run note.

    Parameters
    ----------
    rates : mapping of group to rate
        Current rates (proportions), as :func:`rates_mapping` returns them.
    group, reference : str
        The group the sliders start on, and the reference group.
    title : str
        The heading.
    {exercise.card}

    Example
    -------
    >>> card = what_if_card({"Black": 0.41, "White": 0.55}, "Black", "White")
    >>> "both groups improve by 20 percentage points" in card
    True
    """
    now = what_if_gap_measures(rates, group, rates[group], reference)
    gain = min(0.2, 1 - rates[group], 1 - rates[reference])
    worked = what_if_gap_measures(
        rates, group, rates[group] + gain, reference, new_reference_rate=rates[reference] + gain
    )
    return static_card(
        "what-if",
        f"<strong>What if:</strong> {esc(title)}",
        f"<p>Move the sliders to change the {esc(group)} and {esc(reference)} rates and watch the absolute "
        "difference, the rate ratio and the shortfall ratio.</p>\n"
        f"<p><strong>Now:</strong></p>\n{_measures_html(now.iloc[[0]])}\n"
        "<p><strong>Worked example:</strong> both groups improve by "
        f"{gain * 100:.0f} percentage points.</p>\n"
        f"{_measures_html(worked)}\n<p>{esc(describe_what_if(worked))}</p>",
        saving=saving,
    )
