"""The exported workbook report renders in a real browser (Debian's headless Chromium).

CI installs the browser (``apt-get install chromium``, see ``.ci/run``). Without it this test is
skipped with the reason; every other report check runs in ``tests/test_workbook.py``.
"""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pytest
from bs4 import BeautifulSoup

from browser_support import CHROMIUM, CHROMIUM_ARGS, NOT_INSTALLED
from helpers.workbook import Workbook

pytestmark = pytest.mark.slow

INJECTED = "<script>document.title='pwned';document.body.innerHTML='pwned'</script>"


def dump_dom(page: Path, profile: Path) -> str:
    """Load ``page`` in headless Chromium and return the DOM after scripts (if any) ran."""
    assert CHROMIUM is not None
    result = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            *CHROMIUM_ARGS,
            f"--user-data-dir={profile}",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )
    assert result.returncode == 0, f"chromium failed ({result.returncode}):\n{result.stderr[-3000:]}"
    return result.stdout


@pytest.mark.skipif(CHROMIUM is None, reason=NOT_INSTALLED)
def test_report_renders_answers_and_figures_in_chromium(tmp_path: Path) -> None:
    wb = Workbook(tmp_path / "wb.json", clock=lambda: datetime(2025, 6, 1, 9, 30, tzinfo=UTC))
    wb.save(
        "00", "hope", "Close the blood-pressure gap for Black patients", label="What do you hope to change?"
    )
    wb.save("03", "evil", INJECTED, label="An answer that looks like code")
    wb.save("03", "strata", ["race", "language & payer"])
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.bar(["Black", "White"], [41, 55])
    wb.save_figure("03", "rates", fig, "Bar chart: control is 41% for Black and 55% for White patients.")
    plt.close(fig)
    report = wb.export_report(tmp_path / "report.html", title="Team report")

    dom = BeautifulSoup(dump_dom(report, tmp_path / "profile"), "html.parser")
    text = dom.get_text(" ", strip=True)
    assert dom.title is not None and dom.title.get_text() == "Team report"  # the injected script did not run
    assert "pwned" not in text.replace(INJECTED, "")
    assert [h.get_text() for h in dom.find_all("h2")] == [
        "Module 00 · Orientation",
        "Module 03 · Stratify to see gaps",
    ]
    assert "Close the blood-pressure gap for Black patients" in text
    assert "What do you hope to change?" in text
    assert "language & payer" in text
    assert "1 June 2025" in text
    # The injected answer is shown as text, not turned into a script element.
    assert dom.find("script") is None
    assert INJECTED in text
    img = dom.find("img")
    assert img is not None and img["src"].startswith("data:image/png;base64,")
    assert img["alt"] == "Bar chart: control is 41% for Black and 55% for White patients."
