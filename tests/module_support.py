"""Running module notebooks in tests: on the committed datasets or on datasets made with another seed.

A module's prose states findings (which group the clinics serve worst, whether a gap narrowed); those
must come from the planted structure of the data, not from one seed's luck. ``module_on_other_seed``
runs a module notebook top to bottom with papermill on datasets regenerated with :data:`OTHER_SEED`,
and each module's test file checks that its stated findings still hold there.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

from helpers.exercises.citations import cited_keys

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
OTHER_SEED = 4242


def module_notebook(number: str) -> Path:
    """The notebook of module ``number`` ("03" → notebooks/03_….ipynb)."""
    found = sorted(NOTEBOOKS.glob(f"{number}_*.ipynb"))
    assert len(found) == 1, f"expected one notebook for module {number}, found {found}"
    return found[0]


def module_cells(number: str) -> list[dict]:
    """The committed cells of module ``number``, as stored (sources as lists of lines)."""
    import json

    return json.loads(module_notebook(number).read_text(encoding="utf-8"))["cells"]


def cell_source(cell: dict) -> str:
    """A cell's source as one string (stored as a list of lines or as a string)."""
    source = cell["source"]
    return "".join(source) if isinstance(source, list) else source


def flat_text(text: str) -> str:
    """``text`` with HTML entities decoded and every run of whitespace as one space (for matching prose)."""
    from html import unescape

    return re.sub(r"\s+", " ", unescape(text))


def widget_cell_keys(cells: list[dict]) -> list[str]:
    """The workbook keys (``key="…"``) of the code cells that save an answer, in order.

    Each such cell must hide its input in the book and in JupyterLab (tag ``hide-input`` and
    ``jupyter.source_hidden``); an AssertionError names the first cell that does not.
    """
    keys: list[str] = []
    for cell in cells:
        source = cell_source(cell)
        found = re.findall(r'\bkey="([^"]+)"', source)
        if cell["cell_type"] == "code" and found:
            assert "hide-input" in cell["metadata"].get("tags", []), source[:60]
            assert cell["metadata"].get("jupyter", {}).get("source_hidden") is True, source[:60]
            keys += found
    return keys


def run_module(notebook: Path, output: Path, **parameters: object) -> nbformat.NotebookNode:
    """Execute ``notebook`` with papermill (its ``parameters`` cell overridden) and return the result.

    Fails if any cell raises or writes to stderr (a warning counts: notebooks must run clean).
    """
    import papermill

    papermill.execute_notebook(
        str(notebook),
        str(output),
        parameters=parameters,
        kernel_name="python3",
        cwd=str(notebook.parent),
        progress_bar=False,
        log_output=False,
    )
    executed = nbformat.read(output, as_version=4)
    for index, cell in enumerate(executed.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                raise AssertionError(f"{notebook.name} cell {index} raised: {out.get('evalue')}")
            if out.get("output_type") == "stream" and out.get("name") == "stderr":
                raise AssertionError(f"{notebook.name} cell {index} wrote to stderr: {out.get('text')}")
    return executed


def outputs_text(notebook: nbformat.NotebookNode) -> str:
    """All text a notebook's outputs show (plain text, Markdown and HTML), for checking stated findings."""
    parts: list[str] = []
    for cell in notebook.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                parts.append(out.get("text", ""))
            data = out.get("data", {})
            for mime in ("text/markdown", "text/plain", "text/html"):
                if mime in data:
                    parts.append("".join(data[mime]))
    return "\n".join(parts)


def markdown_numbers(markdown: str) -> list[str]:
    """Data-looking numbers typed in markdown: percentages other than the 95% confidence level, and
    "N percentage points". Modules compute such numbers and show them as outputs instead."""
    text = markdown.replace("95%", "")
    return re.findall(r"\d\s*%", text) + re.findall(r"\d+(?:\.\d+)? percentage points", text)


def module_headings(markdown_cells: list[str]) -> list[str]:
    """Every markdown heading line of a notebook, in order."""
    return [line for source in markdown_cells for line in source.splitlines() if line.startswith("#")]


def assert_module_outline(headings: list[str], number: str, *, sections: int) -> None:
    """One title, ``sections`` numbered sections each ending with its time, and the closing parts."""
    assert headings[0].startswith(f"# Module {number} · ")
    assert sum(h.startswith("# ") for h in headings) == 1
    numbered = [h for h in headings if re.match(r"## \d\. ", h)]
    assert len(numbered) == sections and all(re.search(r"\(\d+ min\)$", h) for h in numbered)
    for name in ("## Before you start", "## Summary", "## Reflect", "## What's next", "## Further reading"):
        assert name in headings


def uncited_keys(text: str) -> set[str]:
    """Citation keys used in ``text`` that no .bib file of the book defines (empty set: all resolve).

    Raises AssertionError when ``text`` cites nothing at all."""
    bib = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "book").rglob("*.bib"))
    keys = set(re.findall(r"@\w+\{([^,]+),", bib))
    cited = set(cited_keys(text))  # links to the reference list (and any MyST role left)
    assert cited, "no citation found"
    return cited - keys
