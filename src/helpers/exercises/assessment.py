"""The organisational self-assessment: items by framework component → scores and a radar chart.

:func:`score_self_assessment` (pure) turns ratings into one score per component of IHI's
framework for improving health equity; :func:`self_assessment` is the widget, which draws
:func:`helpers.plots.radar_plot`. The item bank is ``helpers.data.load_dataset("self_assessment")``
(columns ``item_id, component, item``), or any table with those columns.

References
----------
Wyatt R, Laderman M, Botwinick L, Mate K, Whittington J. *Achieving Health Equity: A Guide for
Health Care Organizations.* IHI White Paper. Cambridge, MA: Institute for Healthcare Improvement; 2016.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from helpers._docs import share_docs
from helpers.exercises._base import Exercise, esc, exercise_box
from helpers.exercises._cards import static_card
from helpers.exercises._docs import EXERCISE_DOCS, exercise_docs
from helpers.exercises._figures import LatestChart, RenderedFigure, render_figure
from helpers.exercises._slot import AnswerSlot

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from helpers.workbook import Workbook

__all__ = ["SCALE", "SelfAssessment", "score_self_assessment", "self_assessment"]

#: The five-point implementation scale; a rating is its position, 1 (first) to 5 (last).
SCALE: tuple[str, ...] = (
    "Not started",
    "Planning",
    "Early implementation",
    "Implemented in parts of the organization",
    "Fully implemented and sustained",
)
NOT_ANSWERED = "(not answered)"
_ITEM_COLUMNS = ("item_id", "component", "item")


def _check_items(items: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in _ITEM_COLUMNS if c not in items.columns]
    if missing:
        raise KeyError(
            f"the item bank needs columns {list(_ITEM_COLUMNS)}; missing {missing}; "
            f"columns are: {', '.join(map(str, items.columns))}"
        )
    if items.empty:
        raise ValueError("the item bank has no items")
    duplicated = items["item_id"][items["item_id"].duplicated()].tolist()
    if duplicated:
        raise ValueError(f"item_id values must be unique; repeated: {duplicated}")
    return items


def _components(items: pd.DataFrame) -> list[str]:
    """Components in the item bank's order (categorical order if it is categorical)."""
    import pandas as pd

    col = items["component"]
    if isinstance(col.dtype, pd.CategoricalDtype):
        present = set(col.astype(str))
        return [str(c) for c in col.cat.categories if str(c) in present]
    return list(dict.fromkeys(col.astype(str)))


def _rating(value: Any, scale: Sequence[str], item_id: str) -> int | None:
    if value is None or value == NOT_ANSWERED or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, str):
        if value in scale:
            return list(scale).index(value) + 1
        raise ValueError(f"rating {value!r} for item {item_id!r} is not on the scale: {list(scale)}")
    if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
        raise ValueError(
            f"rating {value!r} for item {item_id!r} must be a whole number 1–{len(scale)} or a label"
        )
    if not 1 <= int(value) <= len(scale):
        raise ValueError(f"rating {value!r} for item {item_id!r} is outside 1–{len(scale)}")
    return int(value)


def score_self_assessment(
    responses: Mapping[str, Any],
    items: pd.DataFrame,
    *,
    scale: Sequence[str] = SCALE,
) -> pd.DataFrame:
    """Score a self-assessment: the mean rating for each framework component.

    Parameters
    ----------
    responses : mapping
        ``{item_id: rating}``, the rating a number 1–5 (position on ``scale``) or the scale
        label; None (or missing) means not answered.
    items : pandas.DataFrame
        The item bank, with columns ``item_id``, ``component`` and ``item``.
    scale : sequence of str
        The rating labels, lowest first.

    Returns
    -------
    pandas.DataFrame
        One row per component, in the item bank's order: ``component, n_items, n_answered,
        mean_rating`` (1–5; NaN when nothing is answered) and ``percent`` (0 = all "Not
        started", 100 = all "Fully implemented").

    Raises
    ------
    KeyError
        For an item id that is not in the bank, or missing columns.
    ValueError
        For a rating that is not on the scale.

    Example
    -------
    >>> import pandas as pd
    >>> bank = pd.DataFrame({"item_id": ["C1.1", "C1.2", "C2.1"],
    ...                      "component": ["Strategy", "Strategy", "Structure"],
    ...                      "item": ["a", "b", "c"]})
    >>> score_self_assessment({"C1.1": 5, "C1.2": "Planning"}, bank)[["component", "mean_rating", "percent"]]
       component  mean_rating  percent
    0   Strategy          3.5     62.5
    1  Structure          NaN      NaN
    """
    import pandas as pd

    bank = _check_items(items)
    if len(scale) < 2:
        raise ValueError("the scale needs at least two labels")
    ids = set(bank["item_id"].astype(str))
    unknown = sorted(str(k) for k in responses if str(k) not in ids)
    if unknown:
        raise KeyError(f"unknown item id(s) {unknown}; the item bank has {sorted(ids)[:6]}…")
    ratings = {str(k): _rating(v, scale, str(k)) for k, v in responses.items()}
    rows = []
    for component in _components(bank):
        members = bank.loc[bank["component"].astype(str) == component, "item_id"].astype(str).tolist()
        given = [r for r in (ratings.get(i) for i in members) if r is not None]
        mean = sum(given) / len(given) if given else math.nan
        rows.append(
            {
                "component": component,
                "n_items": len(members),
                "n_answered": len(given),
                "mean_rating": mean,
                "percent": (mean - 1) / (len(scale) - 1) * 100 if given else math.nan,
            }
        )
    return pd.DataFrame(rows)


def _scores_html(scores: pd.DataFrame) -> str:
    rows = "".join(
        f'<tr><th scope="row">{esc(r.component)}</th><td>{r.n_answered} of {r.n_items}</td>'
        f"<td>{'—' if math.isnan(r.mean_rating) else f'{r.mean_rating:.1f}'}</td></tr>"
        for r in scores.itertuples()
    )
    return (
        '<table class="pe-table"><caption>Your scores by component (1 = not started, 5 = fully implemented)'
        '</caption><thead><tr><th scope="col">Component</th><th scope="col">Items rated</th>'
        f'<th scope="col">Mean rating</th></tr></thead><tbody>{rows}</tbody></table>'
    )


def _radar(scores: pd.DataFrame, scale: Sequence[str]) -> Any:
    """Draw the radar with :func:`helpers.plots.radar_plot`; components not rated yet sit at 0."""
    from helpers.plots import radar_plot

    plotted = scores.assign(mean_rating=scores["mean_rating"].fillna(0.0))
    return radar_plot(
        plotted,
        label="component",
        value="mean_rating",
        min_value=0,
        max_value=len(scale),
        measure="mean rating (1–5; 0 = not rated yet)",
        title="Your self-assessment by component",
    )


def _radar_image(scores: pd.DataFrame, scale: Sequence[str]) -> RenderedFigure:
    """The radar chart, rendered once (shown on the page and saved to the workbook)."""
    return render_figure(_radar(scores, scale), "Radar chart of the self-assessment scores by component.")


class SelfAssessment(Exercise):
    """The self-assessment widget (returned by :func:`self_assessment`).

    Attributes
    ----------
    ratings : dict of str to ipywidgets.Dropdown
        One dropdown per item id.
    show_button : ipywidgets.Button
        "Show my scores": the scores table and the radar chart (saved to the report).
    output : ipywidgets.HTML
        Scores and chart.
    """

    kind = "self-assessment"
    ratings: dict[str, widgets.Dropdown]
    show_button: widgets.Button
    output: widgets.HTML
    status: widgets.HTML


@share_docs(
    exercise=exercise_docs("the ratings (as ``{item_id: label}``) and the chart (as ``<key>_radar``)")
)
def self_assessment(
    items: pd.DataFrame | None = None,
    *,
    scale: Sequence[str] = SCALE,
    title: str = "Where is your organisation today?",
    workbook: Workbook | None = None,
    module: str | None = None,
    key: str | None = None,
) -> SelfAssessment:
    """Rate each item by framework component, then see scores and a radar chart.

    Parameters
    ----------
    items : pandas.DataFrame, optional
        The item bank (``item_id, component, item``); default
        ``helpers.data.load_dataset("self_assessment")``.
    scale : sequence of str
        Rating labels, lowest first.
    title : str
        The heading.
    {exercise.slot}

    Returns
    -------
    SelfAssessment
        The static view lists every item by component, with the scale.

    Example
    -------
    >>> import pandas as pd
    >>> bank = pd.DataFrame({"item_id": ["C1.1", "C2.1"], "component": ["Strategy", "Structure"],
    ...                      "item": ["Equity is named in the plan.", "An equity council exists."]})
    >>> s = self_assessment(bank)
    >>> s.ratings["C1.1"].value = "Planning"
    >>> s.check({"C1.1": "Planning"})["mean_rating"].tolist()[0]
    2.0
    """
    if items is None:
        from helpers.data import load_dataset

        items = load_dataset("self_assessment")
    bank = _check_items(items)
    scale = tuple(scale)
    slot = AnswerSlot.of(workbook, module, key, label=title)
    options = [NOT_ANSWERED, *scale]
    ratings: dict[str, widgets.Dropdown] = {}
    rows: list[widgets.Widget] = [
        widgets.HTML(
            f'<p class="pe-question"><strong>{esc(title)}</strong></p>'
            f"<p>Rate each statement: {esc(' → '.join(scale))}.</p>"
        )
    ]
    components = _components(bank)
    for number, component in enumerate(components, start=1):
        rows.append(widgets.HTML(f'<p class="pe-component"><strong>{number}. {esc(component)}</strong></p>'))
        for rec in bank[bank["component"].astype(str) == component].to_dict("records"):
            item_id = str(rec["item_id"])
            rows.append(widgets.HTML(f"<p>{esc(item_id)}. {esc(rec['item'])}</p>"))
            dd = widgets.Dropdown(
                options=options,
                value=NOT_ANSWERED,
                description=f"Rating for {item_id}:",
                tooltip=str(rec["item"]),
                style={"description_width": "initial"},
                layout=widgets.Layout(width="32em"),
            )
            ratings[item_id] = dd
            rows.append(dd)
    show_button = widgets.Button(
        description="Show my scores",
        tooltip="Scores by component and a radar chart",
        layout=widgets.Layout(width="auto"),
    )
    output = widgets.HTML("")
    status = widgets.HTML("")

    def responses() -> dict[str, Any]:
        return {i: dd.value for i, dd in ratings.items() if dd.value != NOT_ANSWERED}

    def compute(given: Mapping[str, Any]) -> pd.DataFrame:
        return score_self_assessment(given, bank, scale=scale)

    charts = LatestChart()

    def on_rating(_: Any) -> None:
        charts.cancel()  # a chart still waiting would show the scores before this rating
        output.value = _scores_html(compute(responses()))
        if slot.saving:
            status.value = slot.save(responses())

    def on_show(_: widgets.Button) -> None:
        scores = compute(responses())
        table = _scores_html(scores)
        output.value = table  # the scores at once; the chart follows once it is drawn

        def draw() -> None:
            radar = _radar_image(scores, scale)
            output.value = table + radar.to_html()
            if responses():
                failed = slot.save_figure("radar", radar, what="Chart")
                if failed:
                    status.value = failed

        charts.show(draw)

    previous = slot.restore(lambda value: isinstance(value, dict))
    if previous is not None:
        for item_id, label in previous.items():
            if item_id in ratings and label in scale:
                ratings[item_id].value = label
        output.value = _scores_html(compute(responses()))
    for dd in ratings.values():
        dd.observe(on_rating, names="value")
    show_button.on_click(on_show)
    rows += [show_button, output, status]
    box = exercise_box(rows)

    static_html = self_assessment_card(bank, scale=scale, title=title, saving=slot.saving)
    ex = SelfAssessment(
        box,
        static_html=static_html,
        static_text=f"Self-assessment: {title} ({len(bank)} items)",
        check=compute,
    )
    ex.ratings, ex.show_button, ex.output, ex.status = ratings, show_button, output, status
    return ex


@share_docs(exercise=EXERCISE_DOCS)
def self_assessment_card(
    items: pd.DataFrame,
    *,
    scale: Sequence[str] = SCALE,
    title: str = "Where is your organisation today?",
    saving: bool = False,
) -> str:
    """The static card of the self-assessment (pure: inputs → HTML).

    The rating scale, then every item under its numbered component (no headings: the card sits
    inside the page's own outline), and what "Show my scores" gives; then the run note.

    Parameters
    ----------
    items : pandas.DataFrame
        The item bank (``item_id, component, item``).
    scale : sequence of str
        Rating labels, lowest first.
    title : str
        The heading.
    {exercise.card}

    Example
    -------
    >>> import pandas as pd
    >>> bank = pd.DataFrame({"item_id": ["C1.1"], "component": ["Strategy"],
    ...                      "item": ["Equity is in the plan."]})
    >>> "<li>C1.1. Equity is in the plan.</li>" in self_assessment_card(bank)
    True
    """
    bank = _check_items(items)
    sections = []
    for number, component in enumerate(_components(bank), start=1):
        members = bank[bank["component"].astype(str) == component]
        lis = "".join(f"<li>{esc(r['item_id'])}. {esc(r['item'])}</li>" for r in members.to_dict("records"))
        sections.append(
            f'<p class="pe-component"><strong>{number}. {esc(component)}</strong></p>\n<ul>{lis}</ul>'
        )
    scale_items = "".join(f"<li>{esc(label)}</li>" for label in scale)
    return static_card(
        "self-assessment",
        f"<strong>Self-assessment:</strong> {esc(title)}",
        f'<p>Rate each statement on this scale:</p>\n<ol class="pe-scale">{scale_items}</ol>\n'
        + "\n".join(sections)
        + "\n<p>In JupyterLab, “Show my scores” gives your mean rating for each component "
        "and a radar chart.</p>",
        saving=saving,
    )
