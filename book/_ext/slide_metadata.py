"""Add reveal.js slide metadata (``slideshow.slide_type``) to module notebooks, touching nothing else.

Run from the repository root, on the notebooks to mark (their outputs, sources and other
metadata are left exactly as they are; running it twice changes nothing)::

    python book/_ext/slide_metadata.py notebooks/00_orientation.ipynb notebooks/01_*.ipynb

Rules (``book/_ext/build_slides.py`` then cuts the slides):

* a Markdown cell starting with ``#`` or ``##`` (the title, each numbered part) starts a "slide";
* a Markdown cell starting with ``###`` starts a "subslide" (below its part, in reveal.js);
* the parameters cell (tag ``parameters``) and set-up cells that only import are "skip";
* every other cell continues the current slide ("-").
"""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path
from typing import Any


def slide_type(cell: dict[str, Any]) -> str:
    """The reveal.js slide type for one notebook cell (see the module docstring).

    >>> slide_type({"cell_type": "markdown", "source": "## 2. Read a plan\\n", "metadata": {}})
    'slide'
    >>> slide_type({"cell_type": "markdown", "source": ["### Auditing\\n"], "metadata": {}})
    'subslide'
    >>> slide_type({"cell_type": "code", "source": "import pandas as pd\\n", "metadata": {}})
    'skip'
    >>> slide_type({"cell_type": "code", "source": "x = 1", "metadata": {"tags": ["parameters"]}})
    'skip'
    >>> slide_type({"cell_type": "code", "source": "rates(df)", "metadata": {}})
    '-'
    """
    source = cell.get("source", "")
    text = "".join(source) if isinstance(source, list) else source
    first = text.lstrip().split("\n", 1)[0]
    if cell.get("cell_type") == "markdown":
        if first.startswith("### "):
            return "subslide"
        if first.startswith(("# ", "## ")):
            return "slide"
        return "-"
    if cell.get("cell_type") == "code":
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            return "skip"
        try:
            body = ast.parse(text).body
        except SyntaxError:  # e.g. IPython magics: show them
            return "-"
        if body and all(isinstance(node, ast.Import | ast.ImportFrom) for node in body):
            return "skip"
    return "-"


def add_slide_metadata(path: Path) -> int:
    """Set every cell's ``metadata.slideshow.slide_type`` in ``path``; return how many changed."""
    raw = path.read_text(encoding="utf-8")
    notebook = json.loads(raw)
    changed = 0
    for cell in notebook["cells"]:
        wanted = slide_type(cell)
        slideshow = cell.setdefault("metadata", {}).setdefault("slideshow", {})
        if slideshow.get("slide_type") != wanted:
            slideshow["slide_type"] = wanted
            changed += 1
    if changed:
        # The same layout as nbformat/Jupyter writes (indent 1, sorted keys), so the diff is metadata only.
        text = json.dumps(notebook, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
        path.write_text(text, encoding="utf-8")
    return changed


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    for name in argv:
        print(f"{name}: {add_slide_metadata(Path(name))} cells marked")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
