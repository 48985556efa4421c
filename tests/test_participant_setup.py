"""The participant set-up (README, "Work through the modules in JupyterLab") installs only what the
notebooks need, at the versions everything else is tested with (#14, item 4)."""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9_.\-\[\],]+)==([^\s;#]+)")


def _pins(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = PIN.match(line.strip())
        if match:
            pins[match.group(1).lower().replace("_", "-")] = match.group(2)
    return pins


def test_participant_pins_are_exact_and_match_requirements() -> None:
    participant = _pins(ROOT / "requirements-participant.txt")
    everything = _pins(ROOT / "requirements.txt")
    assert participant, "requirements-participant.txt pins nothing"
    assert {name: everything.get(name) for name in participant} == participant
    lines = [
        ln.strip()
        for ln in (ROOT / "requirements-participant.txt").read_text(encoding="utf-8").splitlines()
        if ln.strip() and not ln.startswith("#")
    ]
    assert all(PIN.match(ln) or ln == "." for ln in lines), lines  # exact pins, plus this package


def test_participant_setup_has_no_book_or_test_tools() -> None:
    participant = _pins(ROOT / "requirements-participant.txt")
    for tool in ("jupyter-book", "sphinx", "pytest", "nbval", "playwright", "ruff", "duckdb", "pyarrow"):
        assert not any(name.startswith(tool) for name in participant), tool


def test_participant_setup_covers_what_the_notebooks_import() -> None:
    participant = set(_pins(ROOT / "requirements-participant.txt"))
    third_party = {"pandas": "pandas", "numpy": "numpy", "matplotlib": "matplotlib", "scipy": "scipy"}
    imported = set()
    for path in (ROOT / "notebooks").glob("*.ipynb"):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "code":
                imported |= set(re.findall(r"^\s*(?:from|import)\s+(\w+)", "".join(cell["source"]), re.M))
    allowed = {"helpers", "IPython", "pathlib", "tempfile", "os", "json", "math", "datetime", "io"}
    assert imported - allowed - set(third_party) == set(), "a notebook imports a package the set-up lacks"
    assert {third_party[m] for m in imported if m in third_party} <= participant
    assert {"jupyterlab", "ipykernel", "ipywidgets", "jupyterlab-widgets"} <= participant


def test_readme_documents_the_one_command_and_the_measurement() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "python -m pip install -r requirements-participant.txt" in readme
    assert re.search(r"\d+ MB\s+downloaded", readme)
    assert "PE_WORKBOOK" in readme and "When nothing can be installed" in readme
