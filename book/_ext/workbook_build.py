"""Sphinx extension used by the Pursuing Equity Workbook's own build.

* Fails at once, with the install command, when the workbook's requirements are missing —
  instead of a traceback from deep inside Sphinx or a notebook cell.
* Gives executed notebooks a throw-away workbook file (``PE_WORKBOOK``), so building the book
  never reads or overwrites a participant's saved answers and always renders the same pages.
"""

from __future__ import annotations

import importlib.util
import os
import tempfile

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

REQUIRED = {
    "helpers": "the workbook's own package (the '-e .' line of requirements.txt)",
    "ipywidgets": "ipywidgets",
    "pandas": "pandas",
    "matplotlib": "matplotlib",
    "sphinx_exercise": "sphinx-exercise",
    "ipykernel": "ipykernel",
}


def missing_requirements() -> list[str]:
    """Return a description of every required package that cannot be imported."""
    return [f"{name} ({what})" for name, what in REQUIRED.items() if importlib.util.find_spec(name) is None]


def _check_and_prepare(app: Sphinx) -> None:
    missing = missing_requirements()
    if missing:
        raise ExtensionError(
            "The book's requirements are not installed: missing "
            + ", ".join(missing)
            + ". From the repository root run:  python -m pip install -r requirements.txt"
        )
    # Executed notebooks save answers here, not in the participant's own workbook file.
    build_workbook = os.path.join(tempfile.mkdtemp(prefix="pe-book-build-"), "workbook.json")
    os.environ["PE_WORKBOOK"] = build_workbook
    os.environ.setdefault("MPLBACKEND", "Agg")
    os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")


def setup(app: Sphinx) -> dict[str, object]:
    # Run before myst-nb starts executing notebooks (its handler also listens on builder-inited).
    app.connect("builder-inited", _check_and_prepare, priority=100)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.0"}
