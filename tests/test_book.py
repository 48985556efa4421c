"""The book builds clean, offline, and shows its key pages.

These tests build the whole book into a temporary folder exactly as the README's main job does
(``jupyter-book build . -W -n --keep-going``), executing every notebook, then read the HTML.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from browser_support import CHROMIUM, CHROMIUM_ARGS, NOT_INSTALLED

ROOT = Path(__file__).resolve().parents[1]
JUPYTER_BOOK = shutil.which("jupyter-book") or str(Path(sys.executable).with_name("jupyter-book"))

pytestmark = pytest.mark.slow


def build_book(source: Path, output: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "JUPYTER_PLATFORM_DIRS": "1", "MPLBACKEND": "Agg"}
    return subprocess.run(
        [JUPYTER_BOOK, "build", str(source), "--path-output", str(output), *extra],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
        check=False,
    )


@pytest.fixture(scope="session")
def built_site(site_editions: dict[str, Path]) -> Path:
    """The participant edition (the README's main job), built once by ``tests/conftest.py``."""
    return site_editions["participant"]


@pytest.fixture(scope="session")
def faculty_site(site_editions: dict[str, Path]) -> Path:
    """The faculty edition (``--toc _toc.faculty.yml``): the same book plus the Faculty part."""
    return site_editions["faculty"]


def page(site: Path, relative: str) -> BeautifulSoup:
    path = site / relative
    assert path.is_file(), f"{relative} was not built"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_faculty_page_exists_in_the_faculty_edition(faculty_site: Path) -> None:
    h1 = page(faculty_site, "book/faculty/00_orientation.html").find("h1")
    assert h1 is not None and "Module 00 · Orientation: facilitator page" in h1.get_text()


@pytest.mark.parametrize(
    ("relative", "title"),
    [
        ("book/welcome.html", "Pursuing Equity Workbook"),
        ("book/framework.html", "The Pursuing Equity framework"),
        ("notebooks/00_orientation.html", "Module 00 · Orientation"),
        ("book/how-to-use.html", "How to use this book"),
        ("book/datasets.html", "Datasets"),
        ("book/reference/measures.html", "helpers.measures"),
    ],
)
def test_key_pages_exist_with_their_titles_and_no_traceback(
    built_site: Path, relative: str, title: str
) -> None:
    soup = page(built_site, relative)
    h1 = soup.find("h1")
    assert h1 is not None and title in h1.get_text(), f"{relative}: first heading is {h1!r}"
    text = soup.get_text()
    assert "Traceback (most recent call last)" not in text
    assert not re.search(r"\b\w+Error: ", soup.select_one("main, article, body").get_text())


def test_framework_chapter_teaches_the_framework_facts(built_site: Path) -> None:
    text = page(built_site, "book/framework.html").get_text(" ", strip=True)
    for fact in [
        "Make health equity a strategic priority",
        "Decrease institutional racism within the organisation",
        "Develop partnerships with community organisations",
        "Get grounded",
        "Align, invest and advocate",
        "Workforce",
        "Social and structural drivers of health",
        "eight US health systems",
        "22 organisations",
        "Learning Network designed for 40 teams",
        "Action Community designed for 10 teams",
        "What are we trying to accomplish?",
        # The framing every module inherits, and the initiative's own words.
        "social and political categories, not biology",
        "systematic, avoidable and unjust",
        "equity and racial justice",
        "dismantle white supremacy culture",
        "Genentech",
        "Bristol-Myers Squibb Foundation",
        "group rate minus reference rate",
        "rate ratio",
        "suppressed (1–10)",
        "astronomical data point",
    ]:
        assert fact in text, f"framework chapter lacks {fact!r}"


def test_placeholder_citations_are_replaced_by_the_real_documents(built_site: Path) -> None:
    # BibTeX styles change the case of titles: compare without case.
    text = page(built_site, "book/references.html").get_text(" ", strip=True).lower()
    for title in [
        "IHI Invites Health Systems to Participate in Free Learning Network",
        "IHI Forum Convenes With Call to Action for a System-Wide Approach to Health Equity",
        "IHI Pursuing Equity: A Learning Network and Action Community on Equity and Racial Justice",
        "Achieving Health Equity: A Guide for Health Care Organizations",
    ]:
        assert title.lower() in text, f"references page lacks {title!r}"
    for placeholder in ["22 organizations in a clinical track", "coalition launch materials", "(40 teams)"]:
        assert placeholder not in text, f"a placeholder citation is still there: {placeholder!r}"


def test_pathways_and_publication_status_are_stated_honestly(built_site: Path) -> None:
    for relative in ["book/how-to-use.html", "book/welcome.html", "notebooks/00_orientation.html"]:
        text = page(built_site, relative).get_text(" ", strip=True)
        for pathway in ["00 → 01 → 02 → 03", "07 → 08 → 09", "04 → 05 → 06 → 09"]:
            assert pathway in text, f"{relative} does not state the pathway {pathway}"
        published = "All ten modules, 00 to 09, are published"
        assert published in text, f"{relative} does not say what is published"


def test_planted_answers_are_on_the_faculty_page_not_the_datasets_page(
    built_site: Path, faculty_site: Path
) -> None:
    datasets = page(built_site, "book/datasets.html").get_text(" ", strip=True)
    answers = page(faculty_site, "book/faculty/planted-answers.html").get_text(" ", strip=True)
    assert "True values" not in datasets and "True values" in answers
    assert "not for anything inherent in the group" in datasets
    assert "not for anything inherent in the group" in answers


def test_helpers_reference_is_generated_from_the_docstrings(built_site: Path) -> None:
    import helpers.measures

    soup = page(built_site, "book/reference/measures.html")
    documented = {dt.get("id") for dt in soup.select("dl.py dt[id]")}
    for name in helpers.measures.__all__:
        assert f"helpers.measures.{name}" in documented, f"{name} is missing from the reference page"
    first_line = helpers.measures.stratified_rates.__doc__.strip().splitlines()[0]
    assert first_line in soup.get_text(" ", strip=True)


def test_every_citation_resolves_to_the_references_page(built_site: Path) -> None:
    refs = page(built_site, "book/references.html")
    assert len(refs.select("div.citation, dl.citation > dt, .citation")) >= 10
    framework = page(built_site, "book/framework.html")
    cites = framework.select("a[href*='references.html#']")
    assert cites, "framework chapter has no resolved citations"


def test_module_00_quiz_shows_questions_not_an_empty_widget(built_site: Path) -> None:
    soup = page(built_site, "notebooks/00_orientation.html")
    text = soup.get_text(" ", strip=True)
    assert "Error displaying widget" not in text
    exercises = soup.select(".pe-exercise")
    assert len(exercises) >= 3, "expected the quiz questions and the reflection as static exercise cards"
    for card in exercises:
        assert card.get_text(strip=True), "an exercise card is empty"
    # Questions render with their options and a revealable answer.
    assert "Which sentence describes the finding the way this workbook does?" in text
    assert soup.select(".pe-exercise details summary"), "no revealable answer on the static quiz"


EXERCISE_KINDS = [
    "multiple-choice",
    "numeric",
    "reflection",
    "explorer",
    "what-if",
    "pdsa",
    "driver-diagram",
    "self-assessment",
]


def test_every_exercise_type_shows_static_content_on_the_published_site(faculty_site: Path) -> None:
    soup = page(faculty_site, "book/faculty/exercise-gallery.html")
    text = soup.get_text(" ", strip=True)
    assert "Error displaying widget" not in text
    assert not soup.select('script[type="application/vnd.jupyter.widget-view+json"]'), (
        "a widget view was rendered instead of the exercise's static card"
    )
    for kind in EXERCISE_KINDS:
        cards = soup.select(f".pe-exercise-{kind}")
        assert len(cards) == 1, f"expected one {kind} card, found {len(cards)}"
        card = cards[0]
        assert len(card.get_text(" ", strip=True)) > 40, f"the {kind} card is nearly empty"
        for img in card.find_all("img"):
            assert (img.get("alt") or "").strip(), f"an image in the {kind} card has no alt text"
    # Exercises that draw show their figure statically, with alt text.
    for kind in ["explorer", "driver-diagram"]:
        assert soup.select_one(f".pe-exercise-{kind} img"), f"the {kind} card shows no figure"


def test_site_loads_nothing_from_the_network(built_site: Path) -> None:
    external = re.compile(r"^(https?:)?//", re.IGNORECASE)
    offenders: list[str] = []
    for html in built_site.rglob("*.html"):
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        for tag, attribute in (("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src")):
            for element in soup.find_all(tag):
                value = element.get(attribute) or ""
                if tag == "link" and not {"stylesheet", "preload", "modulepreload", "icon"} & set(
                    element.get("rel") or []
                ):
                    continue
                if external.match(value):
                    offenders.append(f"{html.relative_to(built_site)}: <{tag} {attribute}={value!r}>")
    for css in built_site.rglob("*.css"):
        for url in re.findall(r"url\(\s*['\"]?((?:https?:)?//[^)'\"]+)", css.read_text(encoding="utf-8")):
            offenders.append(f"{css.relative_to(built_site)}: url({url})")
    assert not offenders, "the site fetches from the network:\n" + "\n".join(sorted(set(offenders))[:30])


def test_widget_scripts_are_served_from_the_site(built_site: Path) -> None:
    for vendored in [
        "_static/vendor/requirejs/require.js",
        "_static/vendor/jupyter-widgets/embed-amd.js",
        "_static/vendor/mathjax/tex-chtml.js",
    ]:
        assert (built_site / vendored).is_file(), f"{vendored} missing from the built site"


def test_every_page_has_headings_in_order_and_images_with_alt_text(built_site: Path) -> None:
    problems: list[str] = []
    for html in sorted(built_site.rglob("*.html")):
        relative = str(html.relative_to(built_site))
        if relative.startswith(("_static", "_sources")) or relative in {"genindex.html", "search.html"}:
            continue
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        main = soup.select_one("main article") or soup.select_one("main")
        if main is None:
            continue
        levels = [int(h.name[1]) for h in main.find_all(re.compile(r"^h[1-6]$"))]
        if levels and levels[0] != 1:
            problems.append(f"{relative}: first heading is h{levels[0]}, not h1")
        for before, after in itertools.pairwise(levels):
            if after > before + 1:
                problems.append(f"{relative}: heading jumps from h{before} to h{after}")
        for img in main.find_all("img"):
            if not (img.get("alt") or "").strip():
                problems.append(f"{relative}: <img src={img.get('src', '')[:40]!r}> has no alt text")
    assert not problems, "\n".join(problems)


@pytest.mark.skipif(CHROMIUM is None, reason=NOT_INSTALLED)
def test_module_00_renders_its_quiz_in_a_real_browser_with_no_network(
    built_site: Path, tmp_path: Path
) -> None:
    result = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            *CHROMIUM_ARGS,
            "--disable-quic",
            # Any attempt to reach another host fails, as on a machine with no network.
            "--host-resolver-rules=MAP * ~NOTFOUND",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--virtual-time-budget=5000",
            "--dump-dom",
            (built_site / "notebooks" / "00_orientation.html").as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    dom = BeautifulSoup(result.stdout, "html.parser")
    text = dom.get_text(" ", strip=True)
    assert "Error displaying widget" not in text
    questions = [legend.get_text(" ", strip=True) for legend in dom.select(".pe-exercise legend")]
    assert any("Which sentence describes the finding" in q for q in questions), questions
    assert any("absolute difference in percentage points" in q for q in questions), questions
    # The options are there as text, and the answer is behind a disclosure control.
    first_quiz = dom.select(".pe-exercise")[0]
    options = [li.get_text(strip=True) for li in first_quiz.select("ul.pe-options li")]
    assert [option[:2] for option in options] == ["A.", "B.", "C.", "D."], options
    summaries = [summary.get_text(strip=True) for summary in first_quiz.select("details summary")]
    assert summaries == ["Hint", "Show answer"], summaries
