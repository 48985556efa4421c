"""Debian's Chromium for the browser tests: where it is and how it is started, in one place.

The tests never download a browser: Playwright drives the system's ``chromium`` (``.ci/run``
installs it with apt), and the page-dump tests run it headless directly.
"""

from __future__ import annotations

import shutil
from pathlib import Path

CHROMIUM: str | None = (
    "/usr/bin/chromium"
    if Path("/usr/bin/chromium").exists()
    else shutil.which("chromium") or shutil.which("chromium-browser")
)
NOT_INSTALLED = "Debian's chromium is not installed (.ci/run installs it: apt-get install chromium)"

#: No sandbox (containers and CI run as root), no GPU, nothing fetched in the background.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
]
