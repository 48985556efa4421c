"""helpers.overlap: social needs and clinical results side by side, and their heatmap."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.overlap import describe_needs_and_outcomes, needs_and_outcomes, needs_and_outcomes_heatmap


def _data() -> tuple[pd.DataFrame, pd.DataFrame]:
    screening = pd.DataFrame(
        {
            "decile": [1, 1, 2, 3, 4],
            "area": ["a", "b", "c", "d", "e"],
            "screened": [60, 40, 100, 8, 30],  # decile 3 is small; decile 4 is hidden to protect it
            "any_need": [10, 10, 50, 4, 12],
        }
    )
    patients = pd.DataFrame(
        {
            "decile": [1] * 60 + [2] * 60 + [3] * 60 + [4] * 60,
            "bp": [1] * 48
            + [0] * 12
            + [1] * 30
            + [0] * 30
            + [1] * 20
            + [0] * 20
            + [np.nan] * 20
            + [1] * 30
            + [0] * 30,
        }
    )
    return screening, patients


def test_rates_pool_rows_and_keep_measure_order_and_exclusions() -> None:
    screening, patients = _data()
    t = needs_and_outcomes(
        screening, patients, by="decile", needs={"any_need": "Need"}, outcomes={"bp": "BP"}
    )
    assert t["measure"].tolist() == ["Need"] * 4 + ["BP"] * 4
    need = t[t["measure"] == "Need"].set_index("decile")
    assert need.loc[1, "rate"] == pytest.approx(20 / 100)  # two rows of decile 1 pooled
    assert bool(need.loc[3, "suppressed"]) and np.isnan(need.loc[3, "rate"])  # 4 of 8: suppressed
    assert bool(need.loc[4, "suppressed"])  # complementary
    bp = t[t["measure"] == "BP"].set_index("decile")
    assert bp.loc[3, "rate"] == pytest.approx(0.5) and int(bp.loc[3, "denominator"]) == 40
    assert int(t.attrs["exclusions"]["BP"]["rows"].sum()) == 20  # blank outcomes counted, not lost
    assert set(t["source"]) == {"social need", "clinical"}


def test_description_gives_direction_and_flags_suppressed_ends() -> None:
    screening, patients = _data()
    t = needs_and_outcomes(
        screening, patients, by="decile", needs={"any_need": "Need"}, outcomes={"bp": "BP"}
    )
    text = describe_needs_and_outcomes(t)
    assert "Need is suppressed at one end" in text
    assert "BP falls from 80% to 50%" in text
    assert text.startswith("Need and BP by decile, from decile 1 to decile 4")


def test_heatmap_prints_every_value_and_labels_suppressed_cells() -> None:
    screening, patients = _data()
    t = needs_and_outcomes(
        screening, patients, by="decile", needs={"any_need": "Need"}, outcomes={"bp": "BP"}
    )
    result = needs_and_outcomes_heatmap(t, title="Finding")
    texts = sorted(x.get_text() for x in result.fig.axes[0].texts)
    assert texts == ["20%", "50%", "50%", "50%", "50%", "80%", "suppressed", "suppressed"]
    assert all(x.get_color() in ("black", "#595959") for x in result.fig.axes[0].texts)
    assert result.title == "Finding" and result.alt_text == describe_needs_and_outcomes(t)


def test_missing_columns_are_named() -> None:
    screening, patients = _data()
    with pytest.raises(KeyError, match="food"):
        needs_and_outcomes(screening, patients, by="decile", needs={"food": "Food"}, outcomes={"bp": "BP"})


def test_rates_side_by_side_keeps_blank_answers_out_of_one_measure_only() -> None:
    from helpers.overlap import percent_table, rates_side_by_side

    # c is small (suppressed); b, the next smallest, is hidden too so that c cannot be worked out.
    staff = pd.DataFrame(
        {
            "team": ["a"] * 60 + ["b"] * 40 + ["c"] * 5,
            "tired": [1] * 30 + [0] * 30 + [1] * 12 + [0] * 28 + [1] * 5,
            "hurt": [1] * 25 + [0] * 25 + [np.nan] * 10 + [1] * 12 + [0] * 28 + [0] * 5,
        }
    )
    t = rates_side_by_side(staff, {"tired": "Tired", "hurt": "Hurt"}, "team")
    assert int(t.attrs["exclusions"]["Hurt"]["rows"].sum()) == 10
    assert t.attrs["exclusions"]["Tired"].empty
    tired = t[t["measure"] == "Tired"].set_index("team")
    assert int(tired.loc["a", "denominator"]) == 60
    hurt = t[t["measure"] == "Hurt"].set_index("team")
    assert int(hurt.loc["a", "denominator"]) == 50 and hurt.loc["a", "rate"] == pytest.approx(0.5)
    table = percent_table(t)
    assert list(table.columns) == ["Tired", "Hurt"] and list(table.index) == ["a", "b", "c"]
    assert table.loc["c", "Tired"] == "suppressed" and table.loc["b", "Tired"] == "suppressed"
    assert table.loc["a", "Hurt"].startswith("50% (")
    # No count from 1 to 10 can be read from the text table: it holds rates and intervals only.
    assert not any(cell.isdigit() for cell in table.to_numpy().ravel())
