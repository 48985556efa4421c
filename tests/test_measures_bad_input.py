"""Bad input to helpers.measures and helpers.disparities: one table, one clear message per case.

Each case names the call, the exception type, and text the message must contain: the offending
column, value or row, and how to fix it. Teams run these helpers on their own files, so the
message is the whole user interface when something is wrong.
"""

from __future__ import annotations

import doctest
import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest

from helpers import _validation
from helpers.disparities import gaps, summary
from helpers.measures import age_standardize, proportion_ci, stratified_rates, suppress_small_cells


def patients() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "age": [40, 50, 60, 70] * 15,
            "sex": ["F", "M"] * 30,
            "race": ["White", "Black", "Asian"] * 20,
            "bp_controlled": [1, 0, 0] * 20,
        }
    )


def counts() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "race": ["White", "Black", "Asian"],
            "controlled": [60, 40, 30],
            "eligible": [100, 90, 50],
        }
    )


def with_value(df: pd.DataFrame, column: str, row: int, value: Any) -> pd.DataFrame:
    out = df.copy()
    if isinstance(value, str):
        out[column] = out[column].astype(object)
    elif isinstance(value, float):
        out[column] = out[column].astype(float)
    out.loc[row, column] = value
    return out


def rates() -> pd.DataFrame:
    return stratified_rates(counts(), "controlled", "race", denominator="eligible")


def all_suppressed() -> pd.DataFrame:
    small = pd.DataFrame({"race": ["A", "B", "C"], "e": [1, 2, 3], "n": [5, 6, 7]})
    return stratified_rates(small, "e", "race", denominator="n")


# (id, call, exception type, fragments the message must contain)
CASES: list[tuple[str, Callable[[], Any], type[Exception], list[str]]] = [
    (
        "missing column, with a suggestion",
        lambda: stratified_rates(patients(), "bp_controlled", "race_ethnicity"),
        KeyError,
        ["'race_ethnicity' not found", "columns are: age, sex, race", "did you mean 'race'?"],
    ),
    (
        "misspelt outcome column",
        lambda: stratified_rates(patients(), "bp_control", "race"),
        KeyError,
        ["'bp_control' not found", "did you mean 'bp_controlled'?"],
    ),
    (
        "outcome not 0/1",
        lambda: stratified_rates(with_value(patients(), "bp_controlled", 7, 2), "bp_controlled", "race"),
        ValueError,
        ["'bp_controlled'", "0/1", "2", "row 7", "denominator="],
    ),
    (
        "outcome as text",
        lambda: stratified_rates(patients().assign(bp_controlled="yes"), "bp_controlled", "race"),
        ValueError,
        ["'bp_controlled'", "'yes'", "map("],
    ),
    (
        "NaN outcome",
        lambda: stratified_rates(with_value(patients(), "bp_controlled", 3, np.nan), "bp_controlled", "race"),
        ValueError,
        ["'bp_controlled'", "1 missing value", "row 3", "missing_outcome='exclude'"],
    ),
    (
        "numerator larger than denominator",
        lambda: stratified_rates(
            with_value(counts(), "controlled", 1, 95), "controlled", "race", denominator="eligible"
        ),
        ValueError,
        ["'controlled' is larger than column 'eligible'", "row 1", "95 > 90", "swapped"],
    ),
    (
        "negative counts",
        lambda: stratified_rates(
            with_value(counts(), "eligible", 2, -5), "controlled", "race", denominator="eligible"
        ),
        ValueError,
        ["'eligible'", "negative", "-5", "row 2"],
    ),
    (
        "zero denominator",
        lambda: stratified_rates(
            pd.DataFrame({"race": ["A", "B"], "e": [0, 5], "n": [0, 20]}), "e", "race", denominator="n"
        ),
        ValueError,
        ["race='A'", "denominator 0", "'n'", "data[data['n'] > 0]"],
    ),
    (
        "non-numeric counts",
        lambda: stratified_rates(
            with_value(counts(), "eligible", 0, "n/a"), "controlled", "race", denominator="eligible"
        ),
        ValueError,
        ["'eligible'", "numeric", "'n/a'", "pd.to_numeric"],
    ),
    (
        "missing counts in aggregated input",
        lambda: stratified_rates(
            with_value(counts(), "controlled", 0, np.nan), "controlled", "race", denominator="eligible"
        ),
        ValueError,
        ["'controlled'", "missing", "row 0"],
    ),
    (
        "duplicate strata in aggregated input",
        lambda: stratified_rates(
            pd.concat([counts(), counts().iloc[[1]]], ignore_index=True),
            "controlled",
            "race",
            denominator="eligible",
        ),
        ValueError,
        ["repeat the same stratum", "rows 1, 3", "race='Black'", "drop_duplicates", "groupby"],
    ),
    (
        "empty frame",
        lambda: stratified_rates(patients().iloc[:0], "bp_controlled", "race"),
        ValueError,
        ["no rows", "filter"],
    ),
    (
        "not a DataFrame",
        lambda: stratified_rates([1, 0, 1], "y", "g"),
        ValueError,
        ["must be a pandas DataFrame", "list", "pd.DataFrame"],
    ),
    (
        "wrong level",
        lambda: stratified_rates(patients(), "bp_controlled", "race", level=95),
        ValueError,
        ["level=95", "between 0 and 1", "did you mean level=0.95?"],
    ),
    (
        "unknown interval method",
        lambda: proportion_ci(3, 10, method="wilsn"),
        ValueError,
        ["method='wilsn'", "'wilson', 'clopper-pearson'", "did you mean 'wilson'?"],
    ),
    (
        "unknown missing policy",
        lambda: stratified_rates(patients(), "bp_controlled", "race", missing="drop"),
        ValueError,
        ["missing='drop'", "'stratum', 'exclude'"],
    ),
    (
        "negative min_cell",
        lambda: stratified_rates(patients(), "bp_controlled", "race", min_cell=-1),
        ValueError,
        ["min_cell=-1", "whole number >= 0"],
    ),
    (
        "proportion_ci: zero denominator",
        lambda: proportion_ci([1, 0], [10, 0]),
        ValueError,
        ["denominator is 0", "position 1"],
    ),
    (
        "proportion_ci: numerator > denominator",
        lambda: proportion_ci(12, 10),
        ValueError,
        ["numerator is larger than the denominator", "numerator=12", "denominator=10"],
    ),
    (
        "unknown reference group",
        lambda: gaps(rates(), reference="Whte"),
        KeyError,
        ["'Whte' not found", "'race'", "'Asian', 'Black', 'White'", "did you mean 'White'?", "'best'"],
    ),
    (
        "suppressed reference group",
        lambda: gaps(
            stratified_rates(
                pd.DataFrame({"race": ["A", "B", "C"], "e": [40, 3, 50], "n": [100, 8, 90]}),
                "e",
                "race",
                denominator="n",
            ),
            reference="B",
        ),
        ValueError,
        ["'B' is suppressed", "reference='best'"],
    ),
    (
        "all groups suppressed (summary)",
        lambda: summary(all_suppressed()),
        ValueError,
        ["all 3 groups", "suppressed", "pool groups"],
    ),
    (
        "all groups suppressed (gaps)",
        lambda: gaps(all_suppressed()),
        ValueError,
        ["all 3 groups", "suppressed"],
    ),
    (
        "several group columns without group=",
        lambda: summary(stratified_rates(patients(), "bp_controlled", ["race", "sex"], min_cell=0)),
        ValueError,
        ["2 group columns", "'race', 'sex'", "group='race'"],
    ),
    (
        "summary over several panels",
        lambda: summary(
            stratified_rates(patients(), "bp_controlled", ["race", "sex"], min_cell=0), group="race"
        ),
        ValueError,
        ["one set of groups", "'sex'", "rates[rates['sex'] == 'F']"],
    ),
    (
        "gaps on a table that is not a rates table",
        lambda: gaps(counts()),
        KeyError,
        ["'numerator' not found", "stratified_rates"],
    ),
    (
        "suppress_small_cells without counts",
        lambda: suppress_small_cells(pd.DataFrame({"race": ["A"], "n": [5]})),
        KeyError,
        ["'numerator' not found"],
    ),
    (
        "age group not in the standard",
        lambda: age_standardize(
            pd.DataFrame({"g": ["a", "a"], "age_group": ["25-34", "18-24"], "y": [1, 0]}), "y", "g"
        ),
        KeyError,
        ["'18-24'", "not in the standard", "'15-24'", "standard=pd.Series"],
    ),
    (
        "group column with an output column's name",
        lambda: stratified_rates(patients().rename(columns={"race": "rate"}), "bp_controlled", "rate"),
        ValueError,
        ["'rate'", "rename"],
    ),
]


@pytest.mark.parametrize(("call", "error", "fragments"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_raises_a_clear_error(call, error, fragments):
    with pytest.raises(error) as info:
        call()
    message = str(info.value)
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in message: {message}"


def test_there_are_at_least_twelve_cases():
    assert len(CASES) >= 12
    assert len({c[0] for c in CASES}) == len(CASES)


def test_validation_module_examples_run():
    # helpers._validation is private, so the project-wide docstring test skips it; run it here.
    result = doctest.testmod(_validation, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0


def test_key_errors_print_as_plain_text():
    # A bare KeyError shows its message in quotes; ours prints the sentence as written.
    with pytest.raises(KeyError) as info:
        stratified_rates(patients(), "bp_controlled", "race_ethnicity")
    assert str(info.value).startswith("column 'race_ethnicity' not found")
    assert re.search(r"\(did you mean 'race'\?\)$", str(info.value))
