"""One error policy (issue #16, item 3): the same mistake gets the same exception and message
shape in every module, runcharts included.

* an unknown group label → ``GroupNotFoundError`` (a ``KeyError`` and a ``ValueError``):
  "<role> 'Blak' not found in column 'race'; groups are: ... (did you mean 'Black'?)";
* a missing column → ``ColumnNotFoundError`` (a ``KeyError``):
  "column 'rac' not found in ...; columns are: ... (did you mean 'race'?)";
* a bad level → ``ValueError``: "level=95 must be a probability between 0 and 1 ... (did you
  mean level=0.95?)".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from helpers import change, dashboard, disparities, measures, plots, runcharts
from helpers._validation import ColumnNotFoundError, GroupNotFoundError

COUNTS = pd.DataFrame(
    {
        "race": ["Black", "White", "Black", "White"],
        "month": [1, 1, 2, 2],
        "numerator": [40, 60, 45, 62],
        "denominator": [100, 100, 100, 100],
    }
)


def rates(**options: Any) -> pd.DataFrame:
    return measures.stratified_rates(COUNTS, "numerator", "race", denominator="denominator", **options)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


UNKNOWN_GROUP: dict[str, Callable[[], Any]] = {
    "disparities.gaps": lambda: disparities.gaps(rates(), reference="Blak"),
    "disparities.summary": lambda: disparities.summary(rates(), reference="Blak"),
    "plots.stratified_rates_plot": lambda: plots.stratified_rates_plot(rates(), reference="Blak"),
    "runcharts.gap_series": lambda: runcharts.gap_series(
        COUNTS, group="race", time="month", focus="Blak", reference="White"
    ),
    "change.change_in_gaps": lambda: change.change_in_gaps(rates(), rates(), reference="Blak"),
    "dashboard.reference_comparison": lambda: dashboard.reference_comparison(rates(), "Blak", ["best"]),
}


@pytest.mark.parametrize("call", list(UNKNOWN_GROUP.values()), ids=list(UNKNOWN_GROUP))
def test_an_unknown_group_label(call: Callable[[], Any]) -> None:
    with pytest.raises(GroupNotFoundError) as caught:
        call()
    assert isinstance(caught.value, KeyError) and isinstance(caught.value, ValueError)
    message = str(caught.value)
    assert "'Blak' not found in column 'race'; groups are: " in message
    assert "'Black'" in message and "(did you mean 'Black'?)" in message


MISSING_COLUMN: dict[str, Callable[[], Any]] = {
    "measures.stratified_rates": lambda: measures.stratified_rates(
        COUNTS, "numerator", "rac", denominator="denominator"
    ),
    "runcharts.gap_series": lambda: runcharts.gap_series(
        COUNTS, group="rac", time="month", focus="Black", reference="White"
    ),
    "plots.stratified_rates_plot": lambda: plots.stratified_rates_plot(rates(), by="rac"),
    "dashboard.spell_out_groups": lambda: dashboard.spell_out_groups(rates(), "rac"),
    "change.change_in_gaps": lambda: change.change_in_gaps(rates(), rates(), reference="White", group="rac"),
}


@pytest.mark.parametrize("call", list(MISSING_COLUMN.values()), ids=list(MISSING_COLUMN))
def test_a_missing_column(call: Callable[[], Any]) -> None:
    with pytest.raises(ColumnNotFoundError) as caught:
        call()
    assert isinstance(caught.value, KeyError)
    message = str(caught.value)
    assert message.startswith("column 'rac' not found in ")
    assert "; columns are: " in message and "(did you mean 'race'?)" in message


BAD_LEVEL: dict[str, Callable[[], Any]] = {
    "measures.stratified_rates": lambda: rates(level=95),
    "measures.proportion_ci": lambda: measures.proportion_ci(5, 10, level=95),
    "disparities.gaps": lambda: disparities.gaps(rates(), level=95),
    "runcharts.gap_series": lambda: runcharts.gap_series(
        COUNTS, group="race", time="month", focus="Black", reference="White", level=95
    ),
    "change.change_in_gaps": lambda: change.change_in_gaps(rates(), rates(), reference="White", level=95),
    "plots.stratified_rates_plot": lambda: plots.stratified_rates_plot(rates(), level=95),
    "plots.gap_plot": lambda: plots.gap_plot(disparities.gaps(rates()), level=95),
}


@pytest.mark.parametrize("call", list(BAD_LEVEL.values()), ids=list(BAD_LEVEL))
def test_a_bad_level(call: Callable[[], Any]) -> None:
    expected = r"^level=95 must be a probability between 0 and 1, e\.g\. 0\.95"
    with pytest.raises(ValueError, match=expected) as caught:
        call()
    assert str(caught.value).endswith("(did you mean level=0.95?)")
