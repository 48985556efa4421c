"""Build both editions of the book once, for the book and site tests (``tests/conftest.py``).

The participant edition is the README's main job (``_toc.yml``); the faculty edition adds the
Faculty part (``--toc _toc.faculty.yml``). Both share one notebook execution cache
(``PE_EXECUTION_CACHE``, read by ``book/_ext/workbook_build.py``), so no notebook runs twice.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
JUPYTER_BOOK = shutil.which("jupyter-book") or str(Path(sys.executable).with_name("jupyter-book"))


def build(output: Path, cache: Path | None, *extra: str, strict: bool = True) -> str:
    """Build the book into ``output`` and return the log.

    ``strict`` (the default): warnings are errors (``-W -n``), as in the README's command.
    ``cache``: the notebook execution cache to share (``PE_EXECUTION_CACHE``), or None for the
    configuration's own.
    """
    env = {**os.environ, "JUPYTER_PLATFORM_DIRS": "1", "MPLBACKEND": "Agg"}
    if cache is not None:
        env["PE_EXECUTION_CACHE"] = str(cache)
    checks = ["-W", "-n"] if strict else []
    result = subprocess.run(
        [JUPYTER_BOOK, "build", str(ROOT), "--path-output", str(output), *checks, "--keep-going", *extra],
        capture_output=True,
        text=True,
        env=env,
        timeout=1200,
        check=False,
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0, f"book build failed:\n{log[-6000:]}"
    if strict:
        assert not re.search(r"\bWARNING: ", log), f"the build logged warnings:\n{log[-6000:]}"
    return log


def build_editions(base: Path) -> dict[str, Path]:
    """Build both editions under ``base``; return their HTML folders and the faculty build's log."""
    cache = base / "jupyter_cache"
    build(base / "participant", cache)
    faculty_log = build(base / "faculty", cache, "--toc", str(ROOT / "_toc.faculty.yml"))
    (base / "faculty.log").write_text(faculty_log, encoding="utf-8")
    return {
        "participant": base / "participant" / "_build" / "html",
        "faculty": base / "faculty" / "_build" / "html",
        "faculty_log": base / "faculty.log",
    }
