"""Every module (01 onwards) can run on other data: a papermill ``parameters`` cell, and a clean run
on the datasets regenerated with another seed. Each module's own test file checks its findings."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from module_support import NOTEBOOKS

MODULES = sorted(path.name[:2] for path in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb") if path.name[:2] != "00")


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


@pytest.mark.parametrize("number", MODULES)
def test_module_has_one_parameters_cell_that_names_its_data_folder(number: str) -> None:
    path = next(NOTEBOOKS.glob(f"{number}_*.ipynb"))
    tagged = [c for c in _cells(path) if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, f"{path.name}: expected one cell tagged 'parameters', found {len(tagged)}"
    assert re.search(r"^data_dir\s*=\s*None", "".join(tagged[0]["source"]), re.M), (
        f"{path.name}: the parameters cell must set data_dir = None (the workbook's own datasets)"
    )


@pytest.mark.slow
@pytest.mark.parametrize("number", MODULES)
def test_module_runs_clean_on_datasets_made_with_another_seed(number: str, module_on_other_seed) -> None:
    executed = module_on_other_seed(number)
    code_cells = [c for c in executed.cells if c.cell_type == "code"]
    assert code_cells and all(c.get("execution_count") for c in code_cells if c.source.strip())
