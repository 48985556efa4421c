"""The stratifier explorer: pick a dataset, an outcome and one or two stratifiers.

:func:`stratifier_table` (pure) returns the stratified rates with confidence intervals from
:func:`helpers.measures.stratified_rates`; :func:`explorer_choices` proposes outcomes and
stratifiers for a table. :func:`stratifier_explorer` is the widget, a short orchestrator of three
steps for each choice: :func:`prepare_view` (pure: the table and its names), :func:`describe_view`
(pure: the table as HTML, shown at once) and :func:`draw_view` (the chart, by
:func:`helpers.plots.stratified_rates_plot`, rendered once and shown after the words). Its static
card is :func:`stratifier_explorer_card`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import ipywidgets as widgets

from helpers._docs import share_docs
from helpers._rates import by_columns, level_label, suppressed_label, table_settings
from helpers.exercises._base import Exercise, esc, exercise_box
from helpers.exercises._cards import static_card
from helpers.exercises._docs import EXERCISE_DOCS, exercise_docs
from helpers.exercises._figures import LatestChart, RenderedFigure, render_figure
from helpers.exercises._slot import AnswerSlot

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from helpers.workbook import Workbook

__all__ = [
    "BOOK_DATASETS",
    "DATASET_CHOICES",
    "ExplorerChoices",
    "ExplorerView",
    "StratifierExplorer",
    "describe_view",
    "draw_view",
    "explorer_choices",
    "prepare_view",
    "stratified_table_html",
    "stratifier_explorer",
    "stratifier_table",
]

NONE_LABEL = "(none)"
_MAX_LEVELS = 12


def _as_by(by: str | Sequence[str]) -> list[str]:
    cols = [by] if isinstance(by, str) else [str(b) for b in by]
    cols = [c for c in cols if c and c != NONE_LABEL]
    if not 1 <= len(cols) <= 2:
        raise ValueError(f"choose one or two stratifiers, got {len(cols)}: {cols}")
    if len(set(cols)) != len(cols):
        raise ValueError(f"the two stratifiers must be different columns, got {cols[0]!r} twice")
    return cols


@share_docs(exercise=EXERCISE_DOCS)
def stratifier_table(
    dataset: str | pd.DataFrame,
    outcome: str,
    by: str | Sequence[str],
    *,
    denominator: str | None = None,
    level: float = 0.95,
    min_cell: int | None = 11,
    missing_outcome: Literal["exclude", "raise"] = "exclude",
) -> pd.DataFrame:
    """Stratified rates, with confidence intervals and small-cell suppression, for the explorer.

    Parameters
    ----------
    dataset : str or pandas.DataFrame
        A dataset name for :func:`helpers.data.load_dataset`, or the data itself.
    {exercise.outcome_by}
    denominator : str, optional
        The denominator column for aggregated data.
    level : float, default 0.95
        Confidence level.
    min_cell : int or None, default 11
        Small-cell suppression threshold.
    missing_outcome : {"exclude", "raise"}, default "exclude"
        Patient-level rows with no outcome value (e.g. ``bp_controlled`` for patients without
        hypertension) are left out, and counted in ``table.attrs["exclusions"]`` (see
        :func:`helpers.measures.exclusions`); "raise" refuses them.

    Returns
    -------
    pandas.DataFrame
        The :func:`helpers.measures.stratified_rates` table.

    Example
    -------
    >>> import pandas as pd
    >>> data = pd.DataFrame({"race": ["A"] * 60 + ["B"] * 60,
    ...                      "controlled": [1] * 40 + [0] * 20 + [1] * 24 + [0] * 36})
    >>> stratifier_table(data, "controlled", "race")[["race", "rate"]].round(2).to_dict("records")
    [{'race': 'A', 'rate': 0.67}, {'race': 'B', 'rate': 0.4}]
    """
    from helpers.measures import stratified_rates

    cols = _as_by(by)
    if isinstance(dataset, str):
        from helpers.data import load_dataset

        data = load_dataset(dataset)
    else:
        data = dataset
    return stratified_rates(
        data,
        outcome,
        cols,
        denominator=denominator,
        level=level,
        min_cell=min_cell,
        missing_outcome=missing_outcome,
    )


@dataclass(frozen=True)
class ExplorerChoices:
    """What the explorer offers for one dataset.

    Attributes
    ----------
    outcomes : dict of str to (str or None)
        Outcome column → its denominator column (None for 0/1 patient-level outcomes).
    stratifiers : list of str
        Columns to stratify by.
    labels : dict of str to str
        Readable names for outcome columns in the menu and titles (default: the column name).
    """

    outcomes: dict[str, str | None] = field(default_factory=dict)
    stratifiers: list[str] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)

    def label(self, outcome: str) -> str:
        """The readable name of an outcome."""
        return self.labels.get(outcome, outcome)


#: What the explorer offers for the book's own datasets (``helpers.data.load_dataset`` names).
DATASET_CHOICES: dict[str, ExplorerChoices] = {
    "patients": ExplorerChoices(
        outcomes={"bp_controlled": None, "hba1c_controlled": None, "crc_screened": None},
        stratifiers=[
            "race_ethnicity",
            "preferred_language",
            "payer",
            "sex",
            "age_group",
            "gender_identity",
            "sexual_orientation",
            "clinic",
            "deprivation_decile",
        ],
        labels={
            "bp_controlled": "Blood pressure controlled (patients with hypertension)",
            "hba1c_controlled": "HbA1c controlled (patients with diabetes)",
            "crc_screened": "Colorectal cancer screening up to date (eligible patients)",
        },
    ),
    "hypertension_monthly": ExplorerChoices(
        outcomes={"numerator": "denominator"},
        stratifiers=["race_ethnicity", "language", "clinic"],
        labels={"numerator": "Blood pressure controlled (all 36 months)"},
    ),
    "cancer_screening": ExplorerChoices(
        outcomes={"screened": "eligible"},
        stratifiers=["race_ethnicity", "payer", "age_group"],
        labels={"screened": "Screened (of eligible)"},
    ),
    "sdoh_screening": ExplorerChoices(
        outcomes={
            "screened": "eligible",
            "any_need": "screened",
            "food_insecurity": "screened",
            "housing_instability": "screened",
            "transportation": "screened",
        },
        stratifiers=["race_ethnicity", "deprivation_decile"],
        labels={
            "screened": "Screened for social needs (of eligible)",
            "any_need": "Any social need (of screened)",
            "food_insecurity": "Food insecurity (of screened)",
            "housing_instability": "Housing instability (of screened)",
            "transportation": "Transportation need (of screened)",
        },
    ),
    "workforce_survey": ExplorerChoices(
        outcomes={"burned_out": None, "intent_to_leave": None, "experienced_discrimination": None},
        stratifiers=["race_ethnicity", "role", "gender", "wave"],
        labels={
            "burned_out": "Burned out",
            "intent_to_leave": "Intends to leave",
            "experienced_discrimination": "Experienced discrimination",
        },
    ),
}


def explorer_choices(data: pd.DataFrame, *, max_levels: int = _MAX_LEVELS) -> ExplorerChoices:
    """Propose outcomes (0/1 columns) and stratifiers (columns with 2–``max_levels`` groups).

    Outcome columns may have missing values (people to whom the measure does not apply);
    the explorer leaves those rows out and says how many.

    Parameters
    ----------
    data : pandas.DataFrame
        Patient-level data.
    max_levels : int, default 12
        Columns with more groups than this are not offered as stratifiers.

    Returns
    -------
    ExplorerChoices

    Example
    -------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"id": range(4), "race": ["A", "B", "A", "B"], "controlled": [1, 0, 1, 1]})
    >>> explorer_choices(df)
    ExplorerChoices(outcomes={'controlled': None}, stratifiers=['race'], labels={})
    """
    import pandas as pd

    outcomes: dict[str, str | None] = {}
    stratifiers: list[str] = []
    for name in data.columns:
        col = data[name]
        values = col.dropna()
        if pd.api.types.is_bool_dtype(col) or (
            pd.api.types.is_numeric_dtype(col) and len(values) and set(values.unique()) <= {0, 1}
        ):
            if values.nunique() == 2:
                outcomes[str(name)] = None
            continue
        is_label = isinstance(col.dtype, pd.CategoricalDtype) or pd.api.types.is_string_dtype(col)
        if is_label and 2 <= col.nunique(dropna=True) <= max_levels:
            stratifiers.append(str(name))
    return ExplorerChoices(outcomes=outcomes, stratifiers=stratifiers)


def _pct(x: Any) -> str:
    try:
        value = float(x)
    except (TypeError, ValueError):
        return "—"
    return "—" if value != value else f"{value * 100:.1f}%"


def stratified_table_html(table: pd.DataFrame, *, caption: str | None = None) -> str:
    """Render a stratified-rates table as accessible HTML (suppressed cells say so).

    The ``by`` columns, the interval's level and the suppression threshold are read from the
    table (the rates-table contract, :mod:`helpers._rates`).

    Example
    -------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"race": ["A"], "numerator": [5], "denominator": [10], "rate": [0.5],
    ...                   "ci_low": [0.24], "ci_high": [0.76], "suppressed": [False]})
    >>> "50.0%" in stratified_table_html(t), "95% CI" in stratified_table_html(t)
    (True, True)
    """
    by = by_columns(table)
    settings = table_settings(table)
    head = "".join(f'<th scope="col">{esc(c)}</th>' for c in by) + (
        '<th scope="col">n</th><th scope="col">Events</th><th scope="col">Rate</th>'
        f'<th scope="col">{esc(level_label(settings.level))}</th>'
    )
    rows = []
    for rec in table.to_dict("records"):
        keys = "".join(f'<th scope="row">{esc(rec[c])}</th>' for c in by)
        if bool(rec.get("suppressed", False)):
            reason = str(rec.get("suppression_reason") or "").strip()
            words = f"suppressed ({reason})" if reason else suppressed_label(settings.min_cell)
            cells = f'<td colspan="4">{esc(words)}</td>'
        else:
            cells = (
                f"<td>{esc(rec.get('denominator', ''))}</td><td>{esc(rec.get('numerator', ''))}</td>"
                f"<td>{_pct(rec.get('rate'))}</td>"
                f"<td>{_pct(rec.get('ci_low'))} – {_pct(rec.get('ci_high'))}</td>"
            )
        rows.append(f"<tr>{keys}{cells}</tr>")
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return (
        f'<table class="pe-table">{cap}<thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
    )


@dataclass(frozen=True)
class ExplorerView:
    """One view of the explorer, prepared (pure) before it is described and drawn.

    Attributes
    ----------
    table : pandas.DataFrame
        The :func:`stratifier_table` of the selection.
    measure : str
        The outcome's readable name (the chart's measure).
    caption : str
        The table's caption: measure, stratifiers and dataset.
    """

    table: pd.DataFrame
    measure: str
    caption: str


@share_docs(exercise=EXERCISE_DOCS)
def prepare_view(
    data: pd.DataFrame, outcome: str, by: str | Sequence[str], *, choices: ExplorerChoices, name: str
) -> ExplorerView:
    """Prepare one view (pure): the stratified table of ``outcome`` by ``by``, and its names.

    Parameters
    ----------
    data : pandas.DataFrame
        The dataset.
    {exercise.outcome_by}
    choices : ExplorerChoices
        What the explorer offers for this dataset: the outcome's denominator (for aggregated
        data) and readable name.
    name : str
        The dataset's name, for the caption.

    Returns
    -------
    ExplorerView

    Example
    -------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"race": ["A", "B"] * 40, "controlled": [1, 0, 1, 1] * 20})
    >>> view = prepare_view(df, "controlled", "race", choices=explorer_choices(df), name="demo")
    >>> view.caption, view.table["rate"].tolist()
    ('controlled by race (demo)', [1.0, 0.5])
    """
    cols = _as_by(by)
    table = stratifier_table(data, outcome, cols, denominator=choices.outcomes.get(outcome))
    measure = choices.label(outcome)
    return ExplorerView(table, measure, f"{measure} by {' × '.join(cols)} ({name})")


def describe_view(view: ExplorerView) -> str:
    """The view in words (pure): the table with intervals and what was left out, as HTML.

    This is the feedback a choice gives at once; the chart (:func:`draw_view`) follows.

    Example
    -------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"race": ["A", "B"] * 40, "controlled": [1, 0, 1, 1] * 20})
    >>> html = describe_view(prepare_view(df, "controlled", "race", choices=explorer_choices(df), name="d"))
    >>> html.startswith('<table class="pe-table"><caption>controlled by race (d)</caption>')
    True
    """
    return stratified_table_html(view.table, caption=view.caption) + _exclusions_html(view.table)


def draw_view(view: ExplorerView) -> RenderedFigure:
    """Draw the view's chart (:func:`helpers.plots.stratified_rates_plot`) and render it once."""
    from helpers.plots import stratified_rates_plot

    level = level_label(table_settings(view.table).level).removesuffix(" CI")
    result = stratified_rates_plot(view.table, by_columns(view.table), measure=view.measure)
    return render_figure(result, f"Rates of {view.measure} by group with {level} confidence intervals.")


@share_docs(exercise=EXERCISE_DOCS)
def stratifier_explorer_card(
    title: str, datasets: Sequence[str], first_view_html: str, *, saving: bool = False
) -> str:
    """The static card of the stratifier explorer (pure: inputs → HTML).

    What the live explorer offers, and its first view (table and chart, already rendered);
    then the run note.

    Parameters
    ----------
    title : str
        The heading.
    datasets : sequence of str
        The datasets offered, in menu order.
    first_view_html : str
        The first selection's view (:func:`describe_view` and the drawn chart).
    {exercise.card}

    Example
    -------
    >>> card = stratifier_explorer_card("Explore", ["patients"], "<table></table>")
    >>> "choose a dataset (patients)" in card, "<table></table>" in card
    (True, True)
    """
    return static_card(
        "explorer",
        f"<strong>Explore:</strong> {esc(title)}",
        f"<p>In JupyterLab, choose a dataset ({esc(', '.join(datasets))}), an outcome and one or two "
        f"stratifiers; the table and the chart update. Here is the first view:</p>\n{first_view_html}",
        saving=saving,
    )


def _outcome_options(choices: ExplorerChoices) -> list[tuple[str, str]]:
    return [(choices.label(o), o) for o in choices.outcomes]


class StratifierExplorer(Exercise):
    """The stratifier explorer widget (returned by :func:`stratifier_explorer`).

    Attributes
    ----------
    dataset, outcome, by1, by2 : ipywidgets.Dropdown
        The selections (``by2`` may be "(none)").
    output : ipywidgets.HTML
        The table and the figure.
    """

    kind = "explorer"
    dataset: widgets.Dropdown
    outcome: widgets.Dropdown
    by1: widgets.Dropdown
    by2: widgets.Dropdown
    output: widgets.HTML
    status: widgets.HTML


#: The datasets the explorer offers by default, in menu order.
BOOK_DATASETS: tuple[str, ...] = (
    "patients",
    "hypertension_monthly",
    "cancer_screening",
    "workforce_survey",
    "sdoh_screening",
)


def _exclusions_html(table: pd.DataFrame) -> str:
    from helpers.measures import exclusions

    notes = exclusions(table)
    if notes.empty:
        return ""
    items = "".join(
        f"<li>{int(r['rows']):,} rows {esc(r['action'])}: {esc(r['reason'])}.</li>"
        for r in notes.to_dict("records")
    )
    return f'<div class="pe-note"><p>Left out or relabelled (never silently):</p><ul>{items}</ul></div>'


def _fits(data: pd.DataFrame, choices: ExplorerChoices) -> bool:
    needed = set(choices.outcomes) | {d for d in choices.outcomes.values() if d} | set(choices.stratifiers)
    return needed <= set(map(str, data.columns))


@share_docs(exercise=exercise_docs("the selection"))
def stratifier_explorer(
    datasets: Mapping[str, pd.DataFrame] | Sequence[str] | str = BOOK_DATASETS,
    *,
    choices: Mapping[str, ExplorerChoices] | None = None,
    title: str = "Explore stratified rates",
    workbook: Workbook | None = None,
    module: str | None = None,
    key: str | None = None,
) -> StratifierExplorer:
    """Pick a dataset, an outcome and one or two stratifiers → table with intervals and a plot.

    Parameters
    ----------
    datasets : mapping of name to DataFrame, sequence of names, or name
        The data to explore: given directly, or names for :func:`helpers.data.load_dataset`
        (loaded when first chosen). Default: :data:`BOOK_DATASETS`.
    choices : mapping of name to ExplorerChoices, optional
        Outcomes (with denominators for aggregated data) and stratifiers per dataset;
        default: :data:`DATASET_CHOICES` for the book's datasets, otherwise
        :func:`explorer_choices` of the data.
    title : str
        The heading.
    {exercise.slot}

    Returns
    -------
    StratifierExplorer
        Its static view (published book) shows the first selection's table and figure.

    Example
    -------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"race": ["A", "B"] * 40, "language": ["en"] * 40 + ["es"] * 40,
    ...                    "controlled": [1, 0, 1, 1] * 20})
    >>> ex = stratifier_explorer({"demo": df})
    >>> ex.by1.value
    'race'
    >>> "<table" in ex.output.value
    True
    """
    if isinstance(datasets, str):
        datasets = [datasets]
    cache: dict[str, pd.DataFrame] = {}
    if isinstance(datasets, Mapping):
        cache.update(datasets)
        names = list(datasets)
    else:
        names = [str(n) for n in datasets]
    if not names:
        raise ValueError("give at least one dataset to explore")
    given = dict(choices or {})
    slot = AnswerSlot.of(workbook, module, key, label=title)

    def data_for(name: str) -> pd.DataFrame:
        if name not in cache:
            from helpers.data import load_dataset

            cache[name] = load_dataset(name)
        return cache[name]

    def choices_for(name: str) -> ExplorerChoices:
        if name not in given:
            known = DATASET_CHOICES.get(name)
            data = data_for(name)
            given[name] = known if known is not None and _fits(data, known) else explorer_choices(data)
        found = given[name]
        if not found.outcomes or not found.stratifiers:
            raise ValueError(
                f"dataset {name!r} has no 0/1 outcome or no stratifier to offer; pass choices="
                "{name: ExplorerChoices(outcomes={...}, stratifiers=[...])}"
            )
        return found

    style = {"description_width": "initial"}
    first = choices_for(names[0])
    dataset_dd = widgets.Dropdown(options=names, value=names[0], description="Dataset:", style=style)
    outcome_dd = widgets.Dropdown(options=_outcome_options(first), description="Outcome:", style=style)
    by1 = widgets.Dropdown(options=first.stratifiers, description="Stratify by:", style=style)
    by2 = widgets.Dropdown(
        options=[NONE_LABEL, *first.stratifiers],
        value=NONE_LABEL,
        description="and by (optional):",
        style=style,
    )
    output = widgets.HTML("")
    status = widgets.HTML("")
    busy = {"updating": False}

    def selection() -> dict[str, Any]:
        return {"dataset": dataset_dd.value, "outcome": outcome_dd.value, "by": _by_values()}

    def _by_values() -> list[str]:
        return [by1.value] + ([by2.value] if by2.value not in (NONE_LABEL, by1.value) else [])

    described: dict[tuple[str, str, tuple[str, ...]], tuple[ExplorerView, str]] = {}
    drawn: dict[tuple[str, str, tuple[str, ...]], str] = {}

    def view_text(name: str, outcome: str, by: list[str]) -> tuple[ExplorerView, str]:
        memo = (name, outcome, tuple(by))
        if memo not in described:
            view = prepare_view(data_for(name), outcome, by, choices=choices_for(name), name=name)
            described[memo] = (view, describe_view(view))
        return described[memo]

    def view_figure(name: str, outcome: str, by: list[str]) -> str:
        memo = (name, outcome, tuple(by))
        if memo not in drawn:
            drawn[memo] = draw_view(view_text(name, outcome, by)[0]).to_html()
        return drawn[memo]

    def result_html(name: str, outcome: str, by: list[str]) -> str:
        return view_text(name, outcome, by)[1] + view_figure(name, outcome, by)

    def alert(exc: Exception) -> None:
        output.value = f'<div class="pe-feedback pe-invalid" role="alert">{esc(exc)}</div>'

    charts = LatestChart()

    def show_chart(chosen: tuple[str, str, list[str]]) -> None:
        try:
            output.value = view_text(*chosen)[1] + view_figure(*chosen)
        except (KeyError, ValueError) as exc:
            alert(exc)

    def render(_: Any = None, *, save: bool = True, defer: bool = True) -> None:
        if busy["updating"]:
            return
        chosen = (dataset_dd.value, outcome_dd.value, _by_values())
        try:
            text = view_text(*chosen)[1]
        except (KeyError, ValueError) as exc:
            alert(exc)
            return
        defer = defer and (chosen[0], chosen[1], tuple(chosen[2])) not in drawn
        if defer:
            output.value = text  # the table at once; the chart follows once it is drawn
        charts.show(lambda: show_chart(chosen), defer=defer)
        if save and slot.saving:
            status.value = slot.save(selection())

    def on_dataset(change: dict[str, Any]) -> None:
        ch = choices_for(change["new"])
        busy["updating"] = True
        try:
            outcome_dd.options = _outcome_options(ch)
            by1.options = ch.stratifiers
            by2.options = [NONE_LABEL, *ch.stratifiers]
            by2.value = NONE_LABEL
        finally:
            busy["updating"] = False
        render()

    previous = slot.restore(lambda value: isinstance(value, dict) and value.get("dataset") in names)
    if previous is not None:
        try:
            ch = choices_for(previous["dataset"])
            dataset_dd.value = previous["dataset"]
            outcome_dd.options, by1.options = _outcome_options(ch), ch.stratifiers
            by2.options = [NONE_LABEL, *ch.stratifiers]
            by = list(previous.get("by") or [])
            if previous.get("outcome") in ch.outcomes:
                outcome_dd.value = previous["outcome"]
            if by and by[0] in ch.stratifiers:
                by1.value = by[0]
            if len(by) > 1 and by[1] in ch.stratifiers:
                by2.value = by[1]
        except (KeyError, ValueError):
            pass
    render(save=False, defer=False)
    dataset_dd.observe(on_dataset, names="value")
    for control in (outcome_dd, by1, by2):
        control.observe(render, names="value")
    box = exercise_box(
        [
            widgets.HTML(f'<p class="pe-question"><strong>{esc(title)}</strong></p>'),
            widgets.HBox([dataset_dd, outcome_dd]),
            widgets.HBox([by1, by2]),
            output,
            status,
        ],
    )

    static_html = stratifier_explorer_card(
        title,
        names,
        result_html(names[0], next(iter(first.outcomes)), [first.stratifiers[0]]),
        saving=slot.saving,
    )
    ex = StratifierExplorer(
        box,
        static_html=static_html,
        static_text=f"Stratifier explorer: {title}",
        check=lambda name, outcome, by: stratifier_table(
            data_for(name), outcome, by, denominator=choices_for(name).outcomes.get(outcome)
        ),
    )
    ex.dataset, ex.outcome, ex.by1, ex.by2, ex.output, ex.status = (
        dataset_dd,
        outcome_dd,
        by1,
        by2,
        output,
        status,
    )
    return ex
