"""A downloaded or launched notebook can install ``helpers``: the package builds and installs offline.

The one-line install a notebook outside this repository uses (README, "The published site") is
``%pip install "pursuing-equity-helpers @ git+https://github.com/pursuing-equity/workbook@main"``;
that needs the network. What can be tested here: the package builds into a wheel from the
repository without the network, and that wheel installs into a fresh environment (no index, no
download) and imports from there with its data files (``helpers/resources``).
"""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path
from zipfile import ZipFile

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(args, capture_output=True, text=True, cwd=cwd, timeout=600, check=False)
    output = f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    assert result.returncode == 0, f"{' '.join(args)} failed:\n{output}"
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    run(
        sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
        "-q", "-w", str(out), str(ROOT), cwd=out,
    )  # fmt: skip
    wheels = list(out.glob("pursuing_equity_helpers-*.whl"))
    assert len(wheels) == 1, f"expected one wheel, found {wheels}"
    return wheels[0]


def test_the_wheel_holds_the_package_and_its_data_files(wheel: Path) -> None:
    names = ZipFile(wheel).namelist()
    assert "helpers/__init__.py" in names
    assert "helpers/py.typed" in names
    assert any(n.startswith("helpers/resources/") and not n.endswith("/") for n in names), names
    assert not any(n.startswith(("tests/", "notebooks/", "benchmarks/")) for n in names)


def test_the_wheel_installs_offline_and_imports_from_the_new_environment(wheel: Path, tmp_path: Path) -> None:
    env = tmp_path / "env"
    # The dependencies (pandas, matplotlib, ...) come from this interpreter; helpers from the wheel.
    venv.EnvBuilder(system_site_packages=True, with_pip=False).create(env)
    python = env / "bin" / "python"
    run(sys.executable, "-m", "pip", "--python", str(python), "install", "--no-index", "--no-deps", "-q",
        str(wheel), cwd=tmp_path)  # fmt: skip
    shown = run(
        str(python), "-c",
        "import helpers, helpers.measures; from importlib.resources import files; "
        "print(helpers.__file__); "
        "print(sorted(p.name for p in files('helpers').joinpath('resources').iterdir()))",
        cwd=tmp_path,
    ).stdout.splitlines()  # fmt: skip
    assert shown[0].startswith(str(env)), f"helpers was imported from {shown[0]}, not the new environment"
    assert shown[1] != "[]", "the installed package has no resources"
