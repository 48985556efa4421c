"""The two tables of contents stay in step (fast; the built editions are compared in test_site_browser.py).

``_toc.faculty.yml`` must be ``_toc.yml`` plus the Faculty part and nothing else: a page added to
one and not the other would silently be missing from an edition.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "book" / "_ext"))

from workbook_build import FACULTY_PREFIX, edition_of_toc  # noqa: E402


def load(name: str) -> dict:
    return yaml.safe_load((ROOT / name).read_text(encoding="utf-8"))


def test_the_faculty_toc_is_the_participant_toc_plus_the_faculty_part() -> None:
    participant, faculty = load("_toc.yml"), load("_toc.faculty.yml")
    faculty_parts = [p for p in faculty["parts"] if p.get("caption") == "Faculty"]
    assert len(faculty_parts) == 1, "the faculty toc has no (or several) Faculty part(s)"
    others = [p for p in faculty["parts"] if p.get("caption") != "Faculty"]
    assert others == participant["parts"], "_toc.faculty.yml differs from _toc.yml outside the Faculty part"
    assert {k: v for k, v in faculty.items() if k != "parts"} == {
        k: v for k, v in participant.items() if k != "parts"
    }


def test_no_faculty_page_in_the_participant_toc_and_every_faculty_page_in_the_faculty_toc() -> None:
    participant = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    faculty = (ROOT / "_toc.faculty.yml").read_text(encoding="utf-8")
    assert FACULTY_PREFIX not in participant
    for page in sorted((ROOT / "book" / "faculty").glob("*.*")):
        if page.suffix in {".md", ".ipynb"}:
            assert f"file: {FACULTY_PREFIX}{page.stem}\n" in faculty, f"{page.name} is in no edition"


def test_the_build_reads_each_edition_from_its_toc() -> None:
    assert edition_of_toc(ROOT / "_toc.yml") == "participant"
    assert edition_of_toc(ROOT / "_toc.faculty.yml") == "faculty"
