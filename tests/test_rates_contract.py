"""The rates-table contract (helpers._rates): compute, then draw, with the table's own settings.

Issue #16 found three defects, each because the plots did not read what ``stratified_rates``
records: an integer stratifier could not be plotted, a 90% table was labelled "95% CI", and a
table made with ``min_cell=5`` was labelled "suppressed (n < 11)". Every test here computes a
table with the public API and then draws it with every plot that reads rates tables, for
integer, boolean and categorical stratifiers and non-default levels and thresholds.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.text import Text

from helpers import _rates
from helpers.data import load_dataset
from helpers.disparities import gaps
from helpers.measures import stratified_rates, suppress_small_cells
from helpers.plots import gap_plot, stratified_rates_plot
from helpers.runcharts import gap_series


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def texts(result) -> list[str]:
    fig = result.fig
    found = [t.get_text() for t in fig.findobj(Text) if t.get_text() and t.get_visible()]
    for ax in fig.axes:
        legend = ax.get_legend()
        if legend is not None:
            found += [t.get_text() for t in legend.get_texts()]
    return found


def everything(result) -> str:
    return "\n".join([*texts(result), result.alt_text, result.title or ""])


# Counts per stratum: (people, with the outcome). Group 4 has 3 with the outcome (hidden at any
# threshold above 3), group 3 has 8 (hidden at 11, shown at 5).
COUNTS = {1: (200, 120), 2: (180, 90), 3: (150, 8), 4: (60, 3)}


def patient_rows(kind: str) -> pd.DataFrame:
    rows = []
    for key, (n, x) in COUNTS.items():
        rows += [(key, 1)] * x + [(key, 0)] * (n - x)
    df = pd.DataFrame(rows, columns=["stratum", "outcome"])
    if kind == "integer":
        return df.rename(columns={"stratum": "decile"})
    if kind == "boolean":  # two strata only: 1-2 True, 3-4 False
        return pd.DataFrame({"smoker": df["stratum"] <= 2, "outcome": df["outcome"]})
    labels = {1: "Asian", 2: "Black", 3: "Hispanic or Latino", 4: "White"}
    cat = pd.Categorical(
        df["stratum"].map(labels), categories=["White", "Black", "Asian", "Hispanic or Latino"]
    )
    return pd.DataFrame({"race": cat, "outcome": df["outcome"]})


KINDS = {"integer": "decile", "boolean": "smoker", "categorical": "race"}
SETTINGS = [(0.90, 5), (0.99, 20), (0.80, 0)]


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize(("level", "min_cell"), SETTINGS)
def test_compute_then_draw_every_rates_plot(kind: str, level: float, min_cell: int) -> None:
    col = KINDS[kind]
    rates = stratified_rates(patient_rows(kind), "outcome", col, level=level, min_cell=min_cell)
    assert _rates.by_columns(rates) == [col]
    assert _rates.table_settings(rates) == _rates.RatesSettings(level=level, min_cell=min_cell)
    ci = _rates.level_label(level)
    assert ci == f"{level * 100:.0f}% CI"
    hidden = rates["suppressed"].to_numpy(dtype=bool)

    figure = stratified_rates_plot(rates, measure="Control")
    words = everything(figure)
    if hidden.all():  # e.g. two strata, one small: both hidden, and said so
        assert "no stratum can be shown" in figure.alt_text
        assert _rates.suppressed_label(min_cell) in words
        with pytest.raises(ValueError, match="suppressed"):
            gaps(rates)
        return
    assert f"Control with {ci}" in texts(figure)
    assert f"({ci} " in figure.alt_text
    assert "95% CI" not in words or level == 0.95
    assert "n < 11" not in words
    if hidden.any():
        assert _rates.suppressed_label(min_cell) in words
    if min_cell != 11:
        assert "(1–10)" not in words

    g = gaps(rates)
    assert g.attrs["gaps"]["level"] == level  # the gaps inherit the table's level
    assert g.attrs["min_cell"] == min_cell
    gap_figure = gap_plot(g, measure="Control")
    words = everything(gap_figure)
    assert f"Gap with {ci}" in texts(gap_figure)
    assert f"({ci} " in gap_figure.alt_text
    assert "95% CI" not in words
    assert "n < 11" not in words
    if min_cell != 11:
        assert "(1–10)" not in words
    if kind == "integer":  # a number alone is not a label a reader can place
        assert "decile 1" in words
    if kind == "boolean":
        assert "smoker: yes" in words and "smoker: no" in words


@pytest.mark.parametrize("level", [0.90, 0.99])
def test_gap_series_then_gap_plot_over_time_reads_the_level(level: float) -> None:
    data = pd.DataFrame(
        {
            "month": [1, 1, 2, 2, 3, 3],
            "race": ["Black", "White"] * 3,
            "numerator": [40, 60, 45, 60, 50, 61],
            "denominator": [100, 100, 100, 100, 100, 100],
        }
    )
    series = gap_series(data, group="race", time="month", focus="Black", reference="White", level=level)
    assert _rates.table_settings(series, gaps=True).level == level
    figure = gap_plot(series, time="month", measure="Control")
    ci = _rates.level_label(level)
    assert ci in texts(figure)
    assert figure.alt_text.count(f"({ci} ") == 2
    assert "95% CI" not in everything(figure)


def test_the_three_defects_of_issue_16() -> None:
    patients = load_dataset("patients")
    # 1. an integer stratifier can be plotted
    deciles = stratified_rates(patients, "bp_controlled", "deprivation_decile", missing_outcome="exclude")
    figure = stratified_rates_plot(deciles)
    ticks = [t.get_text() for t in figure.fig.axes[0].get_yticklabels()]
    assert ticks == [f"deprivation decile {d}" for d in range(1, 11)]
    # 2. a 90% table is labelled 90%, in the rates plot and the gap plot
    race90 = stratified_rates(
        patients, "bp_controlled", "race_ethnicity", missing_outcome="exclude", level=0.90
    )
    assert "Rate with 90% CI" in texts(stratified_rates_plot(race90))
    gap90 = gap_plot(gaps(race90, reference="White"))
    assert "Gap with 90% CI" in texts(gap90) and "(90% CI " in gap90.alt_text
    # 3. a table made with min_cell=5 says "suppressed (1–4)"
    small = patients.sample(400, random_state=3)
    race5 = stratified_rates(small, "bp_controlled", "race_ethnicity", missing_outcome="exclude", min_cell=5)
    assert race5["suppressed"].any()
    words = everything(stratified_rates_plot(race5))
    assert "suppressed (1–4)" in words and "n < 11" not in words and "(1–10)" not in words


def test_an_explicit_setting_wins_over_the_table() -> None:
    rates = stratified_rates(patient_rows("integer"), "outcome", "decile", level=0.9, min_cell=5)
    figure = stratified_rates_plot(rates, level=0.99, min_cell=20)
    assert "Rate with 99% CI" in texts(figure)


def test_by_inference_without_attrs_keeps_integer_and_boolean_columns() -> None:
    table = pd.DataFrame(
        {
            "decile": [1, 2],
            "smoker": [True, False],
            "numerator": [3, 4],
            "denominator": [10, 10],
            "rate": [0.3, 0.4],
            "_private": [0, 0],
            "level": [0.95, 0.95],
        }
    )
    assert _rates.by_columns(table) == ["decile", "smoker"]
    assert _rates.by_columns(table, "smoker") == ["smoker"]
    with pytest.raises(KeyError, match="column 'smokr' not found"):
        _rates.by_columns(table, "smokr")


def test_total_row_and_settings_survive_suppression_and_gaps() -> None:
    rates = stratified_rates(patient_rows("categorical"), "outcome", "race", overall=True, min_cell=0)
    assert _rates.total_rows(rates, ["race"]).tolist() == [False] * 4 + [True]
    again = suppress_small_cells(rates, min_cell=5)
    assert _rates.table_settings(again).min_cell == 5
    assert _rates.total_rows(gaps(again), ["race"])[-1]


@pytest.mark.parametrize(
    ("min_cell", "words"),
    [(11, "suppressed (1–10)"), (5, "suppressed (1–4)"), (2, "suppressed (1)"), (0, "suppressed")],
)
def test_suppressed_label_uses_the_project_vocabulary(min_cell: int, words: str) -> None:
    assert _rates.suppressed_label(min_cell) == words


def test_table_settings_defaults_and_bad_level() -> None:
    assert _rates.table_settings(pd.DataFrame({"rate": [0.5]})) == _rates.RatesSettings(0.95, 11, "wilson")
    with pytest.raises(ValueError, match="level"):
        _rates.table_settings(pd.DataFrame({"rate": [0.5]}), level=95)
    assert np.isclose(_rates.table_settings(None, attrs={"level": 0.8}).level, 0.8)


def test_the_newcombe_interval_is_implemented_once() -> None:
    """gaps() and gap_series() give the same difference and interval for the same counts."""
    from helpers import disparities, measures, runcharts

    counts = pd.DataFrame(
        {"race": ["Black", "White"], "month": [1, 1], "numerator": [56, 48], "denominator": [70, 80]}
    )
    rates = stratified_rates(counts, "numerator", "race", denominator="denominator", min_cell=0, level=0.9)
    by_group = disparities.gaps(rates, reference="White").set_index("race").loc["Black"]
    series = runcharts.gap_series(
        counts, group="race", time="month", focus="Black", reference="White", level=0.9
    )
    for column in ("abs_diff", "abs_diff_ci_low", "abs_diff_ci_high"):
        assert float(by_group[column]) == pytest.approx(float(series[column].iloc[0]), abs=1e-12)
    assert runcharts._newcombe_difference is measures._newcombe_difference
    # Newcombe (1998), example (a), 95%: 0.0524 to 0.3339
    _, low, high = measures._newcombe_difference(56, 70, 48, 80, 0.95)
    assert (round(float(low[0]), 4), round(float(high[0]), 4)) == (0.0524, 0.3339)


def test_single_by_column_names_the_one_grouping_or_says_why_not() -> None:
    t = pd.DataFrame({"decile": [1, 2], "rate": [0.4, 0.5], "extra": [1.0, 2.0]})
    assert _rates.single_by_column(t, ignore=["extra"]) == "decile"
    assert _rates.single_by_column(t, "extra") == "extra"  # named: wins
    with pytest.raises(ValueError, match=r"found 'decile', 'extra'\); name it"):
        _rates.single_by_column(t, hint="name it")
    with pytest.raises(KeyError, match="nope"):
        _rates.single_by_column(t, "nope")
    t.attrs["by"] = ["decile"]  # recorded: no inference needed
    assert _rates.single_by_column(t) == "decile"


def test_measure_rates_follows_the_one_rule_for_blank_outcomes() -> None:
    people = pd.DataFrame({"team": ["a"] * 12 + ["b"] * 12, "ok": [1, None] * 6 + [0, 1] * 6})
    rates = _rates.measure_rates(people, "ok", "team", min_cell=0)
    assert rates["denominator"].tolist() == [6, 12]  # blank outcomes are not in the measure ...
    assert _rates.by_columns(rates) == ["team"] and len(rates.attrs["exclusions"]) == 1  # ... and counted
    counts = pd.DataFrame({"team": ["a"], "done": [3], "n": [None]})
    with pytest.raises(ValueError):  # counts with a blank denominator are an error, not left out
        _rates.measure_rates(counts, "done", "team", denominator="n")


def test_stack_measures_keeps_order_and_drops_the_parts_attrs() -> None:
    a = stratified_rates(
        pd.DataFrame({"g": ["x", "y"], "n": [10, 10], "k": [1, 2]}), "k", "g", denominator="n"
    )
    b = a.assign(rate=a["rate"] * 2)
    long = _rates.stack_measures({"B": b, "A": a}, "g", ["rate"], source="s")
    assert long.columns.tolist() == ["g", "measure", "source", "rate"]
    assert long["measure"].tolist() == ["B", "B", "A", "A"] and long.attrs == {}
    with pytest.raises(ValueError, match="no measures"):
        _rates.stack_measures({}, "g", ["rate"])
