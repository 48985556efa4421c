"""Parameter docs written once (helpers._docs) and shared by the plots and run-chart helpers."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re

import pytest

import helpers
from helpers import _docs, plots, runcharts


def _all_docstrings() -> list[tuple[str, str]]:
    found = []
    for _, name, _ in pkgutil.walk_packages(helpers.__path__, prefix="helpers."):
        if name.endswith("__main__"):  # runs the command line when imported
            continue
        module = importlib.import_module(name)
        for attr, value in vars(module).items():
            if callable(value) and getattr(value, "__module__", None) == name and value.__doc__:
                found.append((f"{name}.{attr}", value.__doc__))
    return found


def test_no_placeholder_is_left_unfilled() -> None:
    left = [where for where, doc in _all_docstrings() if re.search(r"^\s*\{\w+\.\w+\}\s*$", doc, re.M)]
    assert left == []


@pytest.mark.parametrize(
    ("group", "name", "functions"),
    [
        (
            _docs.RUN_PARAMS,
            "baseline",
            [runcharts.run_chart_signals, runcharts.run_chart_signals_by_group, plots.run_chart],
        ),
        (_docs.RUN_PARAMS, "missing", [runcharts.run_chart_signals, plots.run_chart]),
        (
            _docs.CONTROL_PARAMS,
            "change_points",
            [runcharts.i_chart, runcharts.p_chart, runcharts.laney_u_chart],
        ),
        (_docs.CONTROL_PARAMS, "counts", [runcharts.p_chart, runcharts.laney_p_chart]),
        (
            _docs.PLOT_PARAMS,
            "ax",
            [plots.stratified_rates_plot, plots.gap_plot, plots.run_chart, plots.spc_chart],
        ),
        (_docs.RATES_PLOT_PARAMS, "min_cell", [plots.stratified_rates_plot, plots.gap_plot]),
    ],
)
def test_a_shared_parameter_reads_the_same_everywhere(group, name, functions) -> None:
    fragment = group[name]
    for func in functions:
        doc = inspect.cleandoc(func.__doc__)
        # numpydoc layout: the name line at the section's indent, its description 4 spaces in
        assert fragment in doc, func.__name__
        first, *rest = fragment.splitlines()
        assert re.search(rf"^{re.escape(first)}$", doc, re.M)
        assert all(line.startswith("    ") for line in rest)


def test_fill_docstring_keeps_other_braces_and_fails_on_unknown_names() -> None:
    doc = 'Do.\n\n    Parameters\n    ----------\n    {g.x}\n    y : {"a", "b"}\n        ``{x: 1}``\n'
    filled = _docs.fill_docstring(doc, {"g": _docs.DocstringComponents({"x": "x : int\n    A number."})})
    expected = "Do.\n\n    Parameters\n    ----------\n    x : int\n        A number.\n"
    assert filled == expected + '    y : {"a", "b"}\n        ``{x: 1}``\n'

    with pytest.raises(KeyError, match=r"\{g\.z\}"):
        _docs.fill_docstring("    {g.z}", {"g": {}})

    @_docs.share_docs(g={"x": "x : int"})
    def f(x: int) -> int:
        """Identity.

        {g.x}
        """
        return x

    assert f(3) == 3 and f.__name__ == "f" and "        x : int" in (f.__doc__ or "")
