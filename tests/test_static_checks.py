"""CI's static checks, each a test that asserts a zero exit (issue #16, item 6).

* ``ruff check src tests`` - lint (configuration in pyproject.toml);
* ``mypy`` - type check of ``src/helpers`` (``[tool.mypy]`` in pyproject.toml says what is
  strict and what is not yet);
* ``frictionless validate datasets/datapackage.json`` - the data package against its schemas
  (runs offline: the Data Package profiles ship with frictionless).

Each tool is pinned in requirements.txt. Slow (mypy and frictionless take 20-40 s each on a
cold cache), so marked ``slow``; still part of the default run.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


def _run(*command: str, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False)


def _explain(result: subprocess.CompletedProcess[str]) -> str:
    return f"exit {result.returncode}\n{result.stdout[-6000:]}\n{result.stderr[-3000:]}"


def test_ruff_check_is_clean() -> None:
    result = _run(sys.executable, "-m", "ruff", "check", "src", "tests")
    assert result.returncode == 0, _explain(result)


def test_mypy_passes_on_the_helpers() -> None:
    result = _run(sys.executable, "-m", "mypy", "--no-incremental")
    assert result.returncode == 0, _explain(result)
    assert "Success: no issues found" in result.stdout


def test_no_helpers_module_is_exempt_from_the_type_check() -> None:
    # Issue #16 item 6: strict on src/helpers. Only third-party modules without types may be
    # listed (ignore_missing_imports); no module of ours may switch its errors off.
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    assert config["strict"] is True and config["files"] == ["src/helpers"]
    for override in config.get("overrides", []):
        assert not override.get("ignore_errors"), override["module"]
        assert not any(m.startswith("helpers") for m in override["module"]), override["module"]


def test_the_data_package_is_valid() -> None:
    exe = shutil.which("frictionless")
    assert exe is not None, "frictionless is not installed; pip install -r requirements.txt"
    result = _run(exe, "validate", "datasets/datapackage.json")
    assert result.returncode == 0, _explain(result)
    assert "INVALID" not in result.stdout


def test_seaborn_is_not_pinned_because_nothing_uses_it() -> None:
    """seaborn was pinned but never imported; if a helper or notebook starts using it, pin it again."""
    requirements = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    pinned = any(line.strip().lower().startswith("seaborn") for line in requirements.splitlines())
    used = [
        str(p.relative_to(ROOT))
        for folder in ("src", "notebooks")
        for p in (ROOT / folder).rglob("*")
        if p.suffix in {".py", ".ipynb"}
        and "import seaborn" in p.read_text(encoding="utf-8", errors="ignore")
    ]
    assert pinned == bool(used), f"seaborn pinned: {pinned}; used in: {used}"
