"""Slides: every module notebook becomes a reveal.js deck that works offline.

``python book/_ext/build_slides.py`` (README, "The published site") writes
``_build/slides/NN_name.slides.html`` plus the vendored reveal.js and RequireJS. This test makes
them into a temporary folder, checks each deck has several slides cut at the module's parts, and
opens one per module in headless Chromium with every non-local request blocked.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from browser_support import CHROMIUM, CHROMIUM_ARGS, NOT_INSTALLED

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "book" / "_ext"))

from build_slides import build_slides, module_notebooks  # noqa: E402

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def decks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("slides")
    return {path.name.removesuffix(".slides.html"): path for path in build_slides(module_notebooks(), out)}


def test_one_deck_per_module_with_reveal_js_beside_it(decks: dict[str, Path]) -> None:
    assert sorted(decks) == [nb.stem for nb in module_notebooks()]
    folder = next(iter(decks.values())).parent
    assert (folder / "reveal.js" / "dist" / "reveal.js").is_file()
    assert (folder / "require.js").is_file()


@pytest.mark.parametrize("module", [nb.stem for nb in module_notebooks()])
def test_each_deck_has_slides_and_loads_nothing_from_the_network(decks: dict[str, Path], module: str) -> None:
    html = decks[module].read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    top = soup.select("div.slides > section")
    assert len(top) >= 3, f"{module}: {len(top)} slide(s); run book/_ext/slide_metadata.py on the notebook"
    assert re.search(r"Module \d\d", top[0].get_text(" ")), f"{module}: the first slide is not the title"
    remote = [t.get("src") or t.get("href") for t in soup.select("script[src], link[href]")]
    assert not [u for u in remote if re.match(r"(https?:)?//", u or "")], f"{module}: remote assets {remote}"


@pytest.mark.parametrize("module", [nb.stem for nb in module_notebooks()])
def test_each_deck_runs_in_chromium_offline(decks: dict[str, Path], module: str) -> None:
    if CHROMIUM is None:
        pytest.skip(NOT_INSTALLED)
    from playwright.sync_api import sync_playwright

    problems: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))

        def route(route: object) -> None:
            url = route.request.url  # type: ignore[attr-defined]
            if url.startswith(("file://", "data:")):
                route.continue_()  # type: ignore[attr-defined]
            else:
                problems.append(f"request leaves the folder: {url}")
                route.abort()  # type: ignore[attr-defined]

        page.route("**/*", route)
        page.goto(decks[module].as_uri(), wait_until="load")
        page.wait_for_function("() => window.Reveal && Reveal.isReady && Reveal.isReady()", timeout=15000)
        total = page.evaluate("() => Reveal.getTotalSlides()")
        browser.close()
    assert total >= 3, f"{module}: reveal.js counts {total} slides"
    assert not problems, f"{module}:\n" + "\n".join(problems)
