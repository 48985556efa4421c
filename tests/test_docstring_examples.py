"""Every public helpers module documents itself with examples that actually run (doctest)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import helpers

MODULES = sorted(
    name
    for _, name, _ in pkgutil.walk_packages(helpers.__path__, prefix="helpers.")
    if not name.rsplit(".", 1)[-1].startswith("_")
)


@pytest.mark.parametrize("module_name", MODULES)
def test_docstring_examples_run(module_name: str, monkeypatch, tmp_path) -> None:
    monkeypatch.chdir(tmp_path)  # examples that write files write them here
    monkeypatch.setenv("PE_WORKBOOK", str(tmp_path / "workbook.json"))
    module = importlib.import_module(module_name)
    result = doctest.testmod(
        module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False, report=True
    )
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {module_name}"
    public = [
        name
        for name, value in vars(module).items()
        if callable(value) and not name.startswith("_") and getattr(value, "__module__", None) == module_name
    ]
    if public:
        assert result.attempted > 0, f"{module_name} has public functions but no docstring examples"
