"""The book's build configuration does what the README promises.

* A notebook cell that raises fails the build (``execute.raise_on_error``), proven by building a
  one-notebook book with and without that setting.
* Missing requirements give the install command, not a traceback from deep inside Sphinx.
"""

from __future__ import annotations

import importlib
import os
import runpy
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml
from sphinx.errors import ExtensionError

ROOT = Path(__file__).resolve().parents[1]
JUPYTER_BOOK = shutil.which("jupyter-book") or str(Path(sys.executable).with_name("jupyter-book"))


def _mini_book(tmp_path: Path, *, raise_on_error: bool) -> Path:
    """A copy of the real configuration with one page and one notebook whose cell raises."""
    book = tmp_path / ("raising" if raise_on_error else "warning")
    (book / "book").mkdir(parents=True)
    shutil.copytree(ROOT / "book" / "_ext", book / "book" / "_ext")
    shutil.copy(ROOT / "book" / "references.bib", book / "book" / "references.bib")
    (book / "book" / "_static").symlink_to(ROOT / "book" / "_static", target_is_directory=True)
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert config["execute"]["raise_on_error"] is True, "the real _config.yml must set execute.raise_on_error"
    config["execute"]["raise_on_error"] = raise_on_error
    (book / "_config.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    (book / "_toc.yml").write_text(
        "format: jb-book\nroot: index\nchapters:\n  - file: failing\n", encoding="utf-8"
    )
    (book / "index.md").write_text("# Index\n\nA page.\n\n```{bibliography}\n:all:\n```\n", encoding="utf-8")
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell("# Failing"),
        nbformat.v4.new_code_cell("rate = 41 / 0  # deliberately raises"),
    ]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, book / "failing.ipynb")
    return book


def _build(book: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [JUPYTER_BOOK, "build", str(book)],  # deliberately without -W: the setting alone must fail it
        capture_output=True,
        text=True,
        env={**os.environ, "JUPYTER_PLATFORM_DIRS": "1"},
        timeout=600,
        check=False,
    )


@pytest.mark.slow
def test_a_raising_cell_fails_the_build_because_of_raise_on_error(tmp_path: Path) -> None:
    failing = _build(_mini_book(tmp_path, raise_on_error=True))
    assert failing.returncode != 0, "a raising cell must fail the build"
    assert "ZeroDivisionError" in failing.stdout + failing.stderr

    # Control: the same book with the setting off only warns and exits 0, so the failure above
    # is due to raise_on_error and not to anything else in the mini book.
    warning_only = _build(_mini_book(tmp_path, raise_on_error=False))
    assert warning_only.returncode == 0, warning_only.stdout[-3000:] + warning_only.stderr[-3000:]
    assert "ZeroDivisionError" in warning_only.stdout + warning_only.stderr


def test_build_extension_names_the_install_command_when_requirements_are_missing(monkeypatch) -> None:
    sys.path.insert(0, str(ROOT / "book" / "_ext"))
    try:
        extension = importlib.import_module("workbook_build")
    finally:
        sys.path.remove(str(ROOT / "book" / "_ext"))
    assert extension.missing_requirements() == []
    monkeypatch.setitem(sys.modules, "sphinx_exercise", None)  # find_spec() now reports it missing
    assert extension.missing_requirements() == ["sphinx_exercise (sphinx-exercise)"]
    with pytest.raises(ExtensionError, match=r"python -m pip install -r requirements\.txt"):
        extension._check_and_prepare(app=None)


def test_pytest_names_the_install_command_when_requirements_are_missing(monkeypatch, capsys) -> None:
    monkeypatch.setitem(sys.modules, "nbval", None)
    with pytest.raises(SystemExit) as exit_info:
        runpy.run_path(str(ROOT / "conftest.py"))
    assert exit_info.value.code == 4
    err = capsys.readouterr().err
    assert "missing nbval" in err
    assert "python -m pip install -r requirements.txt" in err


def test_requirements_pin_every_package_exactly() -> None:
    lines = [
        line.strip()
        for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert "-e ." in lines
    unpinned = [line for line in lines if line != "-e ." and "==" not in line]
    assert not unpinned, f"unpinned requirements: {unpinned}"
    assert "jupyter-book==1.0.4.post1" in lines


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = "python -m pip install -r requirements.txt && python -m pytest"
    assert command in readme
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert command in ci.splitlines(), ".ci/run must run the README's test command as it is"
