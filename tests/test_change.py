"""helpers.change: the change between two independent waves, and the change in a gap (DiD)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from helpers.change import change_in_gap, change_in_gaps
from helpers.disparities import gaps
from helpers.measures import stratified_rates

Z = 1.959963984540054


def wilson(x: float, n: float) -> tuple[float, float]:
    """Wilson score interval written out from Wilson (1927), independently of helpers."""
    p = x / n
    centre = (p + Z**2 / (2 * n)) / (1 + Z**2 / n)
    half = Z / (1 + Z**2 / n) * math.sqrt(p * (1 - p) / n + Z**2 / (4 * n**2))
    return centre - half, centre + half


def test_hand_worked_difference_in_differences() -> None:
    # Group 180/400 -> 152/400, reference 120/1000 -> 110/1000.
    counts = {"g1": (180, 400), "r1": (120, 1000), "g2": (152, 400), "r2": (110, 1000)}
    p = {k: x / n for k, (x, n) in counts.items()}
    lim = {k: wilson(*v) for k, v in counts.items()}
    did = (p["g2"] - p["r2"]) - (p["g1"] - p["r1"])
    below = (
        (p["g2"] - lim["g2"][0]) ** 2
        + (lim["r2"][1] - p["r2"]) ** 2
        + (lim["g1"][1] - p["g1"]) ** 2
        + (p["r1"] - lim["r1"][0]) ** 2
    )
    above = (
        (lim["g2"][1] - p["g2"]) ** 2
        + (p["r2"] - lim["r2"][0]) ** 2
        + (p["g1"] - lim["g1"][0]) ** 2
        + (lim["r1"][1] - p["r1"]) ** 2
    )
    out = change_in_gap(counts["g1"], counts["r1"], counts["g2"], counts["r2"])
    assert out["gap_change"] == pytest.approx(-0.06)
    assert out["gap_change"] == pytest.approx(did)
    assert out["gap_change_ci_low"] == pytest.approx(did - math.sqrt(below), abs=1e-12)
    assert out["gap_change_ci_high"] == pytest.approx(did + math.sqrt(above), abs=1e-12)
    # And the published-style rounded values of the docstring.
    assert round(out["gap_change_ci_low"], 4) == -0.133
    assert round(out["gap_change_ci_high"], 4) == 0.0138


def test_single_gap_matches_disparities_gaps_newcombe_interval() -> None:
    # The gap in one wave must equal the interval gaps() reports (Newcombe 1998, method 10).
    counts = pd.DataFrame({"arm": ["a", "b"], "events": [56, 48], "n": [70, 80]})
    g = gaps(stratified_rates(counts, "events", "arm", denominator="n"), reference="b")
    out = change_in_gap((56, 70), (48, 80), (56, 70), (48, 80))
    assert out["gap_before"] == pytest.approx(0.2)
    assert out["gap_before_ci_low"] == pytest.approx(float(g.loc[0, "abs_diff_ci_low"]))
    assert out["gap_before_ci_high"] == pytest.approx(float(g.loc[0, "abs_diff_ci_high"]))
    # Newcombe's published limits for example (a): 0.0524 to 0.3339.
    assert round(out["gap_before_ci_low"], 4) == 0.0524
    assert round(out["gap_before_ci_high"], 4) == 0.3339


def test_change_in_a_rate_is_newcombe_difference() -> None:
    out = change_in_gap((48, 80), (10, 100), (56, 70), (10, 100))
    assert out["change"] == pytest.approx(0.2)
    assert round(out["change_ci_low"], 4) == 0.0524
    assert round(out["change_ci_high"], 4) == 0.3339


def test_no_change_gives_zero_inside_the_interval() -> None:
    out = change_in_gap((90, 300), (40, 400), (90, 300), (40, 400))
    assert out["gap_change"] == 0
    assert out["gap_change_ci_low"] < 0 < out["gap_change_ci_high"]


def test_swapping_waves_negates_the_change_and_mirrors_the_interval() -> None:
    a = change_in_gap((180, 400), (120, 1000), (152, 400), (110, 1000))
    b = change_in_gap((152, 400), (110, 1000), (180, 400), (120, 1000))
    assert b["gap_change"] == pytest.approx(-a["gap_change"])
    assert b["gap_change_ci_low"] == pytest.approx(-a["gap_change_ci_high"])
    assert b["gap_change_ci_high"] == pytest.approx(-a["gap_change_ci_low"])


def test_large_samples_approach_the_wald_interval() -> None:
    n = 10_000_000
    counts = [(0.45 * n, n), (0.12 * n, n), (0.38 * n, n), (0.11 * n, n)]
    out = change_in_gap(*counts)
    se = math.sqrt(sum((x / m) * (1 - x / m) / m for x, m in counts))
    assert out["gap_change_ci_low"] == pytest.approx(-0.06 - Z * se, rel=1e-3)
    assert out["gap_change_ci_high"] == pytest.approx(-0.06 + Z * se, rel=1e-3)


def test_interval_is_wider_than_either_gap_interval() -> None:
    out = change_in_gap((180, 400), (120, 1000), (152, 400), (110, 1000))
    width = out["gap_change_ci_high"] - out["gap_change_ci_low"]
    assert width > out["gap_before_ci_high"] - out["gap_before_ci_low"]
    assert width > out["gap_after_ci_high"] - out["gap_after_ci_low"]


@pytest.mark.parametrize("bad", [(-1, 10), (11, 10), (1, 0), ("x", 10)])
def test_bad_counts_raise_with_the_argument_named(bad: tuple) -> None:
    with pytest.raises(ValueError, match="group_after"):
        change_in_gap((1, 10), (1, 10), bad, (1, 10))


def test_level_is_validated() -> None:
    with pytest.raises(ValueError):
        change_in_gap((1, 10), (1, 10), (1, 10), (1, 10), level=95)


def _tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    # C is small (suppressed); D is hidden too (complementary suppression), so C cannot be worked out.
    w1 = pd.DataFrame({"race": ["A", "B", "C", "D"], "x": [180, 120, 3, 20], "n": [400, 1000, 8, 60]})
    w2 = pd.DataFrame({"race": ["A", "B", "C", "D"], "x": [152, 110, 4, 22], "n": [400, 1000, 9, 60]})
    return (
        stratified_rates(w1, "x", "race", denominator="n"),
        stratified_rates(w2, "x", "race", denominator="n"),
    )


def test_table_version_matches_the_pure_function_and_leaves_suppressed_groups_out() -> None:
    before, after = _tables()
    table = change_in_gaps(before, after, reference="B")
    assert table["race"].tolist() == ["A", "C", "D", "B"]
    a = table.set_index("race").loc["A"]
    pure = change_in_gap((180, 400), (120, 1000), (152, 400), (110, 1000))
    for column in ("change", "change_ci_low", "gap_change", "gap_change_ci_low", "gap_change_ci_high"):
        assert a[column] == pytest.approx(pure[column])
    c = table.set_index("race").loc["C"]
    assert bool(c["suppressed"]) and np.isnan(c["gap_change"]) and np.isnan(c["rate_before"])
    ref = table.set_index("race").loc["B"]
    assert ref["gap_change"] == 0 and ref["change"] == pytest.approx(-0.01)
    assert set(table["reference_group"]) == {"B"}


def test_table_version_refuses_an_unknown_or_suppressed_reference() -> None:
    before, after = _tables()
    with pytest.raises(KeyError, match="groups are"):
        change_in_gaps(before, after, reference="White")
    with pytest.raises(ValueError, match="suppressed"):
        change_in_gaps(before, after, reference="C")
