"""What a participant meets in JupyterLab, in a real browser (#14, item 5).

The test starts JupyterLab on 127.0.0.1 with a token, in a temporary folder holding COPIES of the
notebooks (the committed ones are never touched) and a temporary workbook file (``PE_WORKBOOK``),
and drives Debian's Chromium with Playwright for Python. The copies are prepared the way the
book's notebooks are meant to be shipped: executed, and their widget state replaced
(``helpers.exercises.reopen``); their markdown is the committed plain Markdown (citations as links
to the notebook's reference list, ``helpers.exercises.citations``).

Checked: before any cell runs, every exercise shows "Run this cell (Shift+Enter) to answer here."
and never the site's note or a widget error; Run All gives no error output and no widget error;
multiple-choice, numeric, select-all answers get their feedback, wrong and right; "Show answer" is
disabled before a first try; a reflection saves itself after a pause (no click) and comes back
after a kernel restart; the code exercise's solution is not on screen; after saving, shutting the
kernel down and reopening, no widget error (the "run this cell" line instead); no raw MyST in the
rendered markdown (cells and Markdown outputs); citations read "(Author, year)" and a click on one
scrolls to its entry in the notebook's reference list.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from browser_support import CHROMIUM, CHROMIUM_ARGS, NOT_INSTALLED

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
RUN_LINE = "Run this cell (Shift+Enter) to answer here."
# Module 00 has multiple choice, numeric, classification, reflection and code exercises;
# 01 adds select-all and the self-assessment, 02 the category-rule explorer, 03 the stratifier
# explorer, 04 what-if, 05 the aim builder and driver diagram, 06 the PDSA planner, 09 the charter
# and the file upload: together, every widget type.
MODULES = [
    "00_orientation",
    "01_strategic_priority",
    "02_grounded_equity_data",
    "03_stratify",
    "04_measure_disparity",
    "05_plan_improvement",
    "06_test_changes",
    "09_capstone",
]
EXECUTED = MODULES[:2]  # opened before they run, and reopened
RAW_MYST = re.compile(r"\{(cite|doc|kbd|ref|numref|term|glue)(:[a-z]+)?\}|^```\{|^:::|^:(label|class):", re.M)

playwright_api = pytest.importorskip("playwright.sync_api")
if CHROMIUM is None:  # pragma: no cover
    pytest.skip(NOT_INSTALLED, allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _prepare(folder: Path) -> None:
    """Copy, execute and set the reopen state of the notebooks, as the book ships them."""
    import nbformat
    from nbclient import NotebookClient

    from helpers.exercises.reopen import reopen_state

    build_workbook = folder.parent / "build-workbook.json"  # the build saves nothing a participant sees
    old = os.environ.get("PE_WORKBOOK")
    os.environ["PE_WORKBOOK"] = str(build_workbook)
    try:
        for name in MODULES:
            nb = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
            if name not in EXECUTED:  # Run All in the browser is enough for the others
                nbformat.write(nb, folder / f"{name}.ipynb")
                continue
            NotebookClient(
                nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(folder)}}
            ).execute()
            reopen_state(nb)
            nbformat.write(nb, folder / f"{name}.ipynb")
    finally:
        if old is None:
            os.environ.pop("PE_WORKBOOK", None)
        else:
            os.environ["PE_WORKBOOK"] = old
    for extra in ("datasets",):  # notebooks may read ../datasets
        if (ROOT / extra).exists() and not (folder.parent / extra).exists():
            (folder.parent / extra).symlink_to(ROOT / extra)


class Lab:
    """A JupyterLab server and one Chromium page on it."""

    def __init__(self, folder: Path, workbook: Path, page: Any, url: str) -> None:
        self.folder, self.workbook, self.page, self.url = folder, workbook, page, url

    def js(self, script: str, arg: Any = None) -> Any:
        return self.page.evaluate(script, arg)

    def open(self, name: str) -> None:
        self.js(
            """async (path) => {
                const app = window.jupyterapp;
                const panel = await app.commands.execute('docmanager:open', {path, factory: 'Notebook'});
                await panel.context.ready;
                await panel.sessionContext.ready;
                await panel.revealed;
            }""",
            f"{name}.ipynb",
        )
        self.page.wait_for_function(
            "() => { const p = window.jupyterapp.shell.currentWidget; return p && p.sessionContext"
            " && p.sessionContext.session && p.sessionContext.session.kernel"
            " && p.sessionContext.session.kernel.status === 'idle'; }",
            timeout=120_000,
        )
        self.page.wait_for_timeout(1500)  # widget manager restores its models

    def run_all(self) -> None:
        self.js("async () => { await window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
        self.page.wait_for_function(
            "() => { const p = window.jupyterapp.shell.currentWidget;"
            " return p.sessionContext.session.kernel.status === 'idle' &&"
            " p.content.widgets.every(c => c.model.type !== 'code' || (c.model.executionCount !== null"
            " && !c.node.querySelector('.jp-InputPrompt').innerText.includes('*'))); }",
            timeout=180_000,
        )
        self.page.wait_for_timeout(1000)

    def restart(self) -> None:
        self.js("async () => { await window.jupyterapp.shell.currentWidget.sessionContext.restartKernel(); }")
        self.page.wait_for_timeout(1000)

    def save_shutdown_close(self) -> None:
        self.js(
            """async () => { const p = window.jupyterapp.shell.currentWidget;
                await p.context.save(); await p.sessionContext.shutdown(); p.dispose(); }"""
        )
        self.page.wait_for_timeout(500)

    def text(self) -> str:
        return self.js("() => window.jupyterapp.shell.currentWidget.content.node.innerText")

    def errors(self) -> list[str]:
        """Error outputs, stderr and widget errors in the open notebook."""
        return self.js(
            """() => { const n = window.jupyterapp.shell.currentWidget.content.node;
                const bad = [...n.querySelectorAll('.jp-OutputArea-output')].filter(o =>
                    ['application/vnd.jupyter.error', 'application/vnd.jupyter.stderr'].includes(
                        o.getAttribute('data-mime-type')) || o.innerText.includes('Error displaying widget'));
                return bad.map(o => o.innerText.slice(0, 500)); }"""
        )

    def exercises(self, selector: str) -> Any:
        return self.page.locator(f".jp-Notebook .pe-exercise:has({selector})")


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    base = tmp_path_factory.mktemp("lab")
    folder = base / "notebooks"
    folder.mkdir()
    _prepare(folder)
    workbook = base / "participant-workbook.json"
    # every cell rendered (no windowing), so the page's text is the whole notebook's
    tracker = base / "settings" / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings"
    tracker.parent.mkdir(parents=True)
    tracker.write_text(json.dumps({"windowingMode": "none"}), encoding="utf-8")
    port, token = _free_port(), secrets.token_hex(16)
    env = dict(
        os.environ,
        PE_WORKBOOK=str(workbook),
        JUPYTERLAB_SETTINGS_DIR=str(base / "settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(base / "workspaces"),
        JUPYTER_RUNTIME_DIR=str(base / "runtime"),
    )
    log = (base / "server.log").open("w")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--allow-root",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={folder}",
            "--LabApp.expose_app_in_browser=True",
            "--LabApp.extension_manager=readonly",
            "--LabApp.news_url=",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--NotebookNotary.db_file=:memory:",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError((base / "server.log").read_text()[-3000:]) from None
                time.sleep(0.3)
        with playwright_api.sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(60_000)
            page.goto(f"{url}/lab?reset&token={token}")
            page.wait_for_function("() => window.jupyterapp && window.jupyterapp.started", timeout=120_000)
            page.wait_for_function("() => document.querySelector('.jp-LabShell')", timeout=120_000)
            yield Lab(folder, workbook, page, url)
            browser.close()
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:  # pragma: no cover
            server.kill()
        log.close()
        shutil.rmtree(base / "runtime", ignore_errors=True)


def _answer_choices(lab: Lab) -> None:
    """Multiple choice: a wrong option gets "Not quite", the right one "Correct"; no answer before."""
    exercise = lab.exercises(".widget-radio-box").first
    reveal = exercise.get_by_role("button", name="Show answer")
    assert reveal.is_disabled()
    labels = exercise.locator(".widget-radio-box label:has(input)")
    assert re.match(r"^A\. ", labels.first.text_content())  # lettered, as the static card
    seen = []
    for i in range(labels.count()):
        labels.nth(i).click()
        lab.page.wait_for_timeout(400)
        seen.append(exercise.locator(".pe-feedback").text_content())
    assert any(s.startswith("✔ Correct.") for s in seen), seen
    assert any(s.startswith("✘ Not quite.") for s in seen), seen
    assert reveal.is_enabled()


def _answer_number(lab: Lab) -> None:
    """Numeric: a wrong number, then the revealed answer typed back in."""
    exercise = lab.exercises(".widget-text input").first
    reveal = exercise.locator("button", has_text=re.compile(r"^Show (answer|solution)$"))
    assert reveal.is_disabled()
    box = exercise.locator(".widget-text input").first
    box.fill("123456")
    box.press("Enter")
    lab.page.wait_for_timeout(500)
    assert exercise.locator(".pe-feedback").text_content().startswith("✘ Not quite.")
    reveal.click()
    answer = exercise.locator(".pe-solution").text_content()
    number = re.search(r"Answer:\s*(−?-?[\d.,]+)", answer)
    assert number, answer
    box.fill(number.group(1).replace("−", "-").replace(",", ""))
    box.press("Enter")
    lab.page.wait_for_timeout(500)
    assert exercise.locator(".pe-feedback").text_content().startswith("✔ Correct.")


def _rendered_markdown(lab: Lab, scope: str = ".jp-Notebook") -> list[str]:
    """The text of every rendered Markdown in the open notebook (cells and Markdown outputs)."""
    return lab.js(
        "(scope) => [...document.querySelectorAll(scope + ' .jp-RenderedMarkdown')].map(e => e.innerText)",
        scope,
    )


def _check_citations(lab: Lab) -> None:
    """No raw MyST; citations read "(Author, year)"; a click scrolls to the reference-list entry."""
    markdown = _rendered_markdown(lab, ".jp-MarkdownCell")
    assert markdown and not [m for m in markdown if RAW_MYST.search(m)]
    assert any("racism sorts people by them (Bailey et al., 2017; Jones, 2000)." in m for m in markdown)
    # JupyterLab keeps the anchor's id as data-jupyter-id (no clobbering), which its links scroll to
    target = "[data-jupyter-id='ref-jones2000levels']"
    anchor = lab.page.locator(f".jp-MarkdownCell .jp-RenderedMarkdown {target}")
    assert anchor.count() == 1
    entry = lab.js("(t) => document.querySelector(t).closest('li').innerText", target)
    assert entry.startswith("Jones, 2000. Camara Phyllis Jones. Levels of racism"), entry
    in_view = (
        "e => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight; }"
    )
    link = lab.page.locator(".jp-MarkdownCell .jp-RenderedMarkdown a[href='#ref-jones2000levels']").first
    assert link.text_content() == "Jones, 2000"
    assert not anchor.evaluate(in_view)  # the list is at the end of the notebook
    link.click()
    lab.page.wait_for_timeout(800)
    assert anchor.evaluate(in_view), "a click on the citation did not bring its reference into view"


def test_module_00_as_a_participant_meets_it(lab: Lab) -> None:
    lab.open("00_orientation")
    # before any cell runs: the line for JupyterLab, never the site's note or a widget error
    text = lab.text()
    assert RUN_LINE in text
    assert "Run this notebook in JupyterLab" not in text
    assert not lab.errors()
    _check_citations(lab)

    lab.run_all()
    assert lab.errors() == []
    assert not [m for m in _rendered_markdown(lab) if RAW_MYST.search(m)]  # Markdown outputs too
    assert "Error displaying widget" not in lab.text()
    _answer_choices(lab)
    _answer_number(lab)
    # the code exercise's solution is nowhere on screen
    assert "round(group_rate / reference_rate, 2)" not in lab.text()

    # a reflection saves itself when typing pauses: no click
    note = f"Screening for Hispanic or Latino patients {secrets.token_hex(3)}"
    reflection = lab.exercises("textarea").first
    reflection.locator("textarea").fill(note)
    reflection.locator(".pe-save", has_text="Saved to your workbook.").wait_for(timeout=10_000)
    saved = json.loads(lab.workbook.read_text(encoding="utf-8"))
    assert note in json.dumps(saved, ensure_ascii=False)
    # ... and comes back after a kernel restart
    lab.restart()
    lab.run_all()
    assert lab.exercises("textarea").first.locator("textarea").input_value() == note
    assert lab.errors() == []

    # saved, kernel shut down, reopened: no widget error, the "run this cell" line instead
    lab.save_shutdown_close()
    lab.open("00_orientation")
    lab.page.wait_for_timeout(2500)  # the widget manager gives up on a model after 2 s
    text = lab.text()
    assert "Error displaying widget" not in text
    assert RUN_LINE in text
    lab.save_shutdown_close()


def test_select_all_feedback_in_module_01(lab: Lab) -> None:
    lab.open("01_strategic_priority")
    lab.run_all()
    assert lab.errors() == []
    exercise = lab.exercises(".widget-checkbox").first
    reveal = exercise.get_by_role("button", name="Show answer")
    assert reveal.is_disabled()
    boxes = exercise.locator(".widget-checkbox input")
    check = exercise.get_by_role("button", name="Check")
    boxes.first.check()
    check.click()
    lab.page.wait_for_timeout(500)
    first = exercise.locator(".pe-feedback").text_content()
    assert first.startswith(("✘ Not quite.", "✔ Correct.")), first
    assert reveal.is_enabled()
    lab.save_shutdown_close()


@pytest.mark.parametrize("name", MODULES[2:])
def test_run_all_without_errors(lab: Lab, name: str) -> None:
    lab.open(name)  # not executed beforehand: the stored outputs are whatever is committed
    lab.run_all()
    assert lab.errors() == []
    assert "Error displaying widget" not in lab.text()
    rendered = _rendered_markdown(lab)  # markdown cells and Markdown outputs, as a participant sees them
    assert rendered and not [m[:200] for m in rendered if RAW_MYST.search(m)]
    lab.save_shutdown_close()
