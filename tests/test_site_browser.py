"""The published site, both editions, opened page by page in a real browser.

Builds the participant edition (``_toc.yml``) and the faculty edition (``_toc.faculty.yml``) once per
session into a temporary folder, sharing one notebook execution cache (``PE_EXECUTION_CACHE``), then
serves each over a local HTTP server and opens every page in Debian's headless Chromium (driven by
Playwright for Python; ``.ci/run`` installs ``chromium``) with every non-local request blocked:

* no console errors and no uncaught exceptions; no failed request and no HTTP error;
* no request leaves the site;
* every ``<img>`` has alt text; headings in the main content never skip a level;
* no widget error text ("Error displaying widget", "Failed to load model class");
* zero serious or critical axe-core violations (axe-core vendored from the npm registry in
  ``tests/vendor/axe-core/``, see its ``VENDORED.md``) —

in light mode, dark mode and at a phone width (375 px).
"""

from __future__ import annotations

import functools
import json
import re
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from browser_support import CHROMIUM, CHROMIUM_ARGS, NOT_INSTALLED

ROOT = Path(__file__).resolve().parents[1]
AXE = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"
WIDGET_ERRORS = ("Error displaying widget", "Failed to load model class", "Error rendering output")
MODES = {
    "light": {"color_scheme": "light", "viewport": {"width": 1280, "height": 900}},
    "dark": {"color_scheme": "dark", "viewport": {"width": 1280, "height": 900}},
    "phone": {"color_scheme": "light", "viewport": {"width": 375, "height": 812}, "is_mobile": True},
}

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def editions(site_editions: dict[str, Path]) -> dict[str, Path]:
    return site_editions


def pages_of(site: Path) -> list[str]:
    """Every HTML page of a built site (not the copied sources or static files)."""
    skip = ("_static/", "_sources/", "_images/", "_downloads/")
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))

    # index.html only redirects (meta refresh) to the welcome page, which is opened itself.
    def redirects(page: str) -> bool:
        return 'http-equiv="Refresh"' in (site / page).read_text(encoding="utf-8")[:2000]

    return [p for p in pages if not p.startswith(skip) and not redirects(p)]


def soup(site: Path, relative: str) -> BeautifulSoup:
    return BeautifulSoup((site / relative).read_text(encoding="utf-8"), "html.parser")


# --- the two editions -------------------------------------------------------------------------


def test_participant_edition_has_no_faculty_pages_or_answers(editions: dict[str, Path]) -> None:
    site = editions["participant"]
    pages = pages_of(site)
    assert "notebooks/00_orientation.html" in pages
    assert not [p for p in pages if p.startswith("book/faculty/")], "faculty pages in the participant edition"
    assert not (site / "_sources" / "book" / "faculty").exists()
    # The planted answers (the rows of their "True value" tables) and the facilitators' answer keys
    # are nowhere; pages may still name the faculty edition's page, without a link.
    answers = soup(editions["faculty"], "book/faculty/planted-answers.html")
    planted = {" ".join(tr.get_text(" ", strip=True).split()) for tr in answers.select("tbody tr")}
    assert len(planted) > 10, "the planted-answers page has no table rows for this test to look for"
    for relative in pages:
        page = soup(site, relative)
        rows = {" ".join(tr.get_text(" ", strip=True).split()) for tr in page.select("tr")}
        assert not rows & planted, f"{relative} shows planted answers: {sorted(rows & planted)[:3]}"
        assert not page.select('a[href*="faculty/"]'), f"{relative} links to a faculty page"
        headings = [h.get_text(" ", strip=True) for h in page.select("h1, h2, h3")]
        assert not [h for h in headings if h.startswith("Answer key")], f"{relative} has an answer key"
    # Links to faculty pages name the faculty edition instead of pointing at a missing page.
    how_to = soup(site, "book/how-to-use.html")
    assert "(in the faculty edition)" in how_to.get_text(" ")
    assert not how_to.select('a[href*="faculty/"]')
    # Answers and solutions on the static exercise cards stay closed until the reader opens them.
    module = (site / "notebooks" / "00_orientation.html").read_text(encoding="utf-8")
    assert "<details><summary>" in module and "<details open><summary>" not in module


def test_faculty_edition_adds_facilitator_pages_and_shows_solutions(editions: dict[str, Path]) -> None:
    site = editions["faculty"]
    pages = pages_of(site)
    for page in [
        "book/faculty/index.html",
        "book/faculty/planted-answers.html",
        "book/faculty/00_orientation.html",
    ]:
        assert page in pages, f"{page} missing from the faculty edition"
    missing = set(pages_of(editions["participant"])) - set(pages)
    assert not missing, f"participant pages missing from the faculty edition: {sorted(missing)}"
    module = (site / "notebooks" / "00_orientation.html").read_text(encoding="utf-8")
    assert "<details open><summary>" in module and "<details><summary>" not in module
    how_to = soup(site, "book/how-to-use.html")
    assert how_to.select('a[href*="faculty/index.html"]'), "the faculty edition links its facilitator guide"
    # Apart from the Faculty part, the pages' content is the participant edition's with answers open.
    for module in sorted((editions["participant"] / "notebooks").glob("*.html")):
        relative = f"notebooks/{module.name}"
        faculty = soup(site, relative).select_one("article")
        participant = soup(editions["participant"], relative).select_one("article")

        # Compare with every disclosure closed: a card may open its first item in both editions (the
        # category-rule explorer does); the faculty edition opens all of them.
        def closed(html: str) -> str:
            return html.replace("<details open>", "<details>").replace('<details open="">', "<details>")

        assert closed(str(faculty)) == closed(str(participant)), (
            f"{relative} differs between the editions beyond open answers"
        )


def test_faculty_edition_reuses_the_participant_editions_executed_notebooks(
    editions: dict[str, Path],
) -> None:
    log = editions["faculty_log"].read_text(encoding="utf-8")
    executed = re.findall(r"(\S+\.ipynb): Executing notebook", log)
    assert not [nb for nb in executed if "/notebooks/" in nb], f"modules executed twice: {executed}"


# --- download and launch ----------------------------------------------------------------------


@pytest.mark.parametrize("module", sorted(p.stem for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")))
def test_every_module_page_offers_its_notebook_and_launch_buttons(
    editions: dict[str, Path], module: str
) -> None:
    site = editions["participant"]
    page = soup(site, f"notebooks/{module}.html")
    download = page.select_one(f'a[href$="_sources/notebooks/{module}.ipynb"]')
    assert download is not None, f"{module}: no download link for the notebook"
    notebook = json.loads((site / "_sources" / "notebooks" / f"{module}.ipynb").read_text(encoding="utf-8"))
    assert notebook["cells"], f"{module}: the downloadable notebook is empty"
    launch = [a["href"] for a in page.select("a[href]") if re.match(r"https://(mybinder|colab)", a["href"])]
    assert any(h.startswith("https://mybinder.org/v2/gh/pursuing-equity/workbook/main") for h in launch), (
        launch
    )
    assert any(
        h.startswith("https://colab.research.google.com/github/pursuing-equity/workbook/blob/main/notebooks/")
        for h in launch
    ), launch
    assert all(module in h for h in launch), f"{module}: a launch button opens another notebook: {launch}"


# --- every page in a real browser -------------------------------------------------------------


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def servers(editions: dict[str, Path]) -> Iterator[dict[str, str]]:
    started = {}
    for name in ("participant", "faculty"):
        server = ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(editions[name]))
        )
        threading.Thread(target=server.serve_forever, daemon=True).start()
        started[name] = server
    yield {name: f"http://127.0.0.1:{s.server_address[1]}" for name, s in started.items()}
    for server in started.values():
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if CHROMIUM is None:
        pytest.skip(NOT_INSTALLED)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


PAGE_CHECKS = """async () => {
  const out = {};
  // Check what a reader can reveal too: every answer, solution and hidden code cell, opened.
  document.querySelectorAll("main details").forEach(d => { d.open = true; });
  out.theme = document.documentElement.dataset.theme || "";
  out.imagesWithoutAlt = [...document.querySelectorAll("img")]
    .filter(i => !(i.getAttribute("alt") || "").trim() && !i.closest("[aria-hidden=true]"))
    .map(i => i.outerHTML.slice(0, 160));
  const main = document.querySelector("main") || document.body;
  const levels = [...main.querySelectorAll("h1,h2,h3,h4,h5,h6")]
    .filter(h => h.offsetParent !== null || h.closest("details"))
    .map(h => [Number(h.tagName[1]), h.textContent.trim().slice(0, 60)]);
  out.headingSkips = [];
  for (let i = 1; i < levels.length; i++) {
    if (levels[i][0] > levels[i - 1][0] + 1) out.headingSkips.push(`${levels[i - 1][1]} -> ${levels[i][1]}`);
  }
  if (levels.length && levels[0][0] !== 1) out.headingSkips.push(`first heading is h${levels[0][0]}`);
  out.text = document.body.innerText;
  // Figures are drawn on white with colours checked against white (tests/test_site_contrast.py):
  // in every mode they must be shown unfiltered on an opaque white canvas.
  out.figuresAltered = [...document.querySelectorAll("figure.pe-figure img")]
    .map(i => getComputedStyle(i))
    .filter(s => s.filter !== "none" || s.backgroundColor !== "rgb(255, 255, 255)")
    .map(s => `filter ${s.filter}, background ${s.backgroundColor}`);
  // preload: false — axe's CSS preloading re-fetches stylesheets and resolves their @import
  // against the page, asking for files that do not exist (a 404 caused by the test itself).
  // label-content-name-mismatch is "experimental" in axe 4.10 (off by default): turned ON here.
  const options = {
    resultTypes: ["violations"],
    preload: false,
    rules: {"label-content-name-mismatch": {enabled: true}},
  };
  const violations = (await axe.run(document, options)).violations;
  out.violations = violations
    .filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map(n => n.html.slice(0, 120)).join(" | ")}`);
  return out;
}"""


def check_page(context: object, origin: str, relative: str) -> list[str]:
    """Open one page and return every problem found on it (empty when the page is clean)."""
    problems: list[str] = []
    page = context.new_page()  # type: ignore[attr-defined]
    page.on(
        "console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None
    )
    page.on("pageerror", lambda e: problems.append(f"uncaught exception: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"failed request: {r.url} ({r.failure})"))
    page.on("response", lambda r: problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)

    def route(route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        if url.startswith(origin + "/") or url.startswith("data:") or url.startswith("blob:"):
            route.continue_()  # type: ignore[attr-defined]
        else:
            problems.append(f"request leaves the site: {url}")
            route.abort()  # type: ignore[attr-defined]

    page.route("**/*", route)
    page.goto(f"{origin}/{relative}", wait_until="load")
    page.wait_for_timeout(200)
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    found = page.evaluate(PAGE_CHECKS)
    page.close()
    problems += [f"image without alt text: {html}" for html in found["imagesWithoutAlt"]]
    problems += [f"heading skips a level: {skip}" for skip in found["headingSkips"]]
    problems += [f"widget error text: {e!r}" for e in WIDGET_ERRORS if e in found["text"]]
    problems += [f"axe: {v}" for v in found["violations"]]
    problems += [f"figure shown altered: {f}" for f in found["figuresAltered"]]
    return [f"{relative}: {p}" for p in problems] + ([f"__theme={found['theme']}"] if found["theme"] else [])


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("edition", ["participant", "faculty"])
def test_every_page_is_clean_in_chromium(
    editions: dict[str, Path], servers: dict[str, str], browser: object, edition: str, mode: str
) -> None:
    site = editions[edition]
    pages = pages_of(site)  # every page of the edition, every rule (colour contrast too) in every mode
    context = browser.new_context(**MODES[mode])  # type: ignore[attr-defined]
    problems: list[str] = []
    themes = set()
    try:
        for relative in pages:
            found = check_page(context, servers[edition], relative)
            themes |= {p.removeprefix("__theme=") for p in found if p.startswith("__theme=")}
            problems += [p for p in found if not p.startswith("__theme=")]
    finally:
        context.close()
    expected_theme = "dark" if mode == "dark" else "light"
    assert themes == {expected_theme}, f"pages rendered in {themes}, expected {expected_theme}"
    assert not problems, f"{len(problems)} problems on {len(pages)} pages ({edition}, {mode}):\n" + "\n".join(
        problems
    )
