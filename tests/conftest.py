"""Shared fixtures: the datasets regenerated with another seed, and modules run on them with papermill."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import nbformat
import pytest

from module_support import OTHER_SEED, module_notebook, run_module


@pytest.fixture(scope="session")
def other_seed_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every dataset regenerated with ``python -m helpers.synth --seed OTHER_SEED``."""
    folder = tmp_path_factory.mktemp(f"datasets-seed-{OTHER_SEED}")
    subprocess.run(
        [sys.executable, "-m", "helpers.synth", "--out", str(folder), "--seed", str(OTHER_SEED)],
        check=True,
        capture_output=True,
        text=True,
    )
    return folder


@pytest.fixture(scope="session")
def module_on_other_seed(
    other_seed_data: Path, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[str], nbformat.NotebookNode]:
    """``module_on_other_seed("03")`` runs module 03 on the other seed's data (once per session)."""
    cache: dict[str, nbformat.NotebookNode] = {}

    def run(number: str) -> nbformat.NotebookNode:
        if number not in cache:
            output = tmp_path_factory.mktemp(f"module-{number}") / "executed.ipynb"
            cache[number] = run_module(module_notebook(number), output, data_dir=str(other_seed_data))
        return cache[number]

    return run


@pytest.fixture(scope="session")
def site_editions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Both editions of the book, built once per session (see ``tests/site_build.py``)."""
    from site_build import build_editions

    return build_editions(tmp_path_factory.mktemp("site"))
