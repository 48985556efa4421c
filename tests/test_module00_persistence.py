"""Module 00's reflection is saved to the workbook file and is there again after a kernel restart.

Runs the real notebook twice in two separate kernels (a restart is a new kernel process): the
first run saves an answer the way the reflection widget does, the second run must show it.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from helpers.workbook import Workbook

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "00_orientation.ipynb"
KEY = "reflection_first_gap"


def run_in_fresh_kernel(workbook_path: Path, extra_code: str | None = None) -> nbformat.NotebookNode:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    # The kernel inherits PE_WORKBOOK; set it first so the set-up cell opens this workbook.
    notebook.cells.insert(
        0, nbformat.v4.new_code_cell(f"import os\nos.environ['PE_WORKBOOK'] = {str(workbook_path)!r}")
    )
    if extra_code:
        notebook.cells.append(nbformat.v4.new_code_cell(extra_code))
    NotebookClient(
        notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOK.parent)}}
    ).execute()
    return notebook


def printed_reflection(notebook: nbformat.NotebookNode) -> str:
    cell = next(c for c in notebook.cells if c.cell_type == "code" and f'"{KEY}", default=' in c.source)
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream").strip()


def test_a_saved_reflection_is_there_after_a_kernel_restart(tmp_path: Path) -> None:
    workbook_path = tmp_path / "workbook.json"
    answer = "Hypertension control for our Haitian Creole-speaking patients; <EHR> data by language."

    first = run_in_fresh_kernel(
        workbook_path,
        # What the reflection widget's Save button does: save through the notebook's own workbook.
        extra_code=f"workbook.save(MODULE, {KEY!r}, {answer!r}, label='reflection')",
    )
    assert printed_reflection(first) == "(nothing saved yet)"
    saved = json.loads(workbook_path.read_text(encoding="utf-8"))
    assert saved["answers"]["00"][KEY]["value"] == answer

    second = run_in_fresh_kernel(workbook_path)  # a new kernel process: nothing kept in memory
    assert printed_reflection(second) == answer
    # The reflection box itself is pre-filled from the file.
    widget_state = json.dumps(second.metadata.get("widgets", {}))
    assert json.dumps(answer)[1:-1] in widget_state
    assert Workbook(workbook_path).get("00", KEY) == answer
