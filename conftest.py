"""Root pytest configuration: fail early, and clearly, when the requirements are not installed.

Loaded before pytest parses ``--nbval`` from pyproject.toml, so a newcomer who forgot the
install step sees what to run instead of "unrecognized arguments" or a deep ImportError.
"""

import importlib.util
import os
import sys
import tempfile

# Jupyter's move to platformdirs warns at import time unless opted in; the warning is noise here.
os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")
# Figures are drawn off-screen in tests and notebooks.
os.environ.setdefault("MPLBACKEND", "Agg")
# Notebooks run by nbval (and the book built by the tests) save answers to a throw-away workbook,
# never to the developer's own: outputs stay identical to the committed ones, and no answers are touched.
os.environ["PE_WORKBOOK"] = os.path.join(tempfile.mkdtemp(prefix="pe-tests-"), "workbook.json")

_REQUIRED = {
    "helpers": "the workbook's own package (-e . in requirements.txt)",
    "nbval": "nbval",
    "pandas": "pandas",
    "ipywidgets": "ipywidgets",
    "hypothesis": "hypothesis",
    "jupyter_book": "jupyter-book",
}
_missing = [f"{name} ({what})" for name, what in _REQUIRED.items() if importlib.util.find_spec(name) is None]
if _missing:
    sys.stderr.write(
        "\nThe test requirements are not installed: missing "
        + ", ".join(_missing)
        + ".\nInstall them first, from the repository root:\n\n"
        "    python -m pip install -r requirements.txt\n\n"
    )
    raise SystemExit(4)
