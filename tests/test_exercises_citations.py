"""The notebooks' MyST roles rewritten as plain Markdown for JupyterLab (#14, item 1)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest

from helpers.exercises.citations import (
    BOOK_REFERENCES_URL,
    Source,
    load_sources,
    main,
    references_markdown,
    rewrite_markdown,
    rewrite_notebook,
)

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
BIB = [
    ROOT / "book" / "references.bib",
    ROOT / "book" / "_datasets_refs.bib",
    *sorted((ROOT / "book" / "bib").glob("*.bib")),
]
RAW_MYST = re.compile(r"\{[a-z]+(:[a-z]+)?\}`|^```\{|^:::|^:[a-z-]+:", re.M)
REFS = {
    "jones2000levels": Source("jones2000levels", "Jones", "2000", "Levels of racism"),
    "wyatt2016achieving": Source("wyatt2016achieving", "Wyatt et al.", "2016", "Achieving Health Equity"),
}


@pytest.fixture(scope="module")
def sources() -> dict[str, Source]:
    return load_sources(BIB)


def test_citations_become_author_year_links() -> None:
    text = "because racism sorts people {cite:p}`jones2000levels, wyatt2016achieving`."
    assert rewrite_markdown(text, REFS, "R") == (
        "because racism sorts people ([Jones, 2000](R#jones2000levels); "
        "[Wyatt et al., 2016](R#wyatt2016achieving))."
    )
    assert (
        rewrite_markdown("{cite}`jones2000levels`", REFS)
        == f"([Jones, 2000]({BOOK_REFERENCES_URL}#jones2000levels))"
    )
    assert rewrite_markdown("{cite:t}`jones2000levels`", REFS, "R") == "[Jones (2000)](R#jones2000levels)"


def test_doc_links_point_at_the_notebook() -> None:
    assert rewrite_markdown("{doc}`03_stratify`", {}) == "[03_stratify](03_stratify.ipynb)"
    assert rewrite_markdown("{doc}`Stratify <03_stratify>`", {}) == "[Stratify](03_stratify.ipynb)"
    assert rewrite_markdown("{doc}`/book/references.md`", {}) == "[/book/references.md](book/references.md)"


def test_unknown_key_and_unknown_role_are_errors() -> None:
    with pytest.raises(KeyError, match="nosuch2020"):
        rewrite_markdown("{cite:p}`jones2000levels,nosuch2020`", REFS)
    with pytest.raises(ValueError, match="cite:ps"):
        rewrite_markdown("{cite:ps}`jones2000levels`", REFS)
    assert rewrite_markdown("no roles here, `code` stays", REFS) == "no roles here, `code` stays"


def test_book_bibliography_reads_with_names_decoded(sources: dict[str, Source]) -> None:
    assert sources["wyatt2016achieving"].label == "Wyatt et al., 2016"
    assert sources["ihi2017pursuing"].authors == "Institute for Healthcare Improvement"
    assert sources["anhoej2014runcharts"].authors == "Anhøj and Olesen"
    assert not any("\\" in s.title or "{" in s.title for s in sources.values())


def test_duplicate_key_is_an_error(tmp_path: Path) -> None:
    bib = tmp_path / "a.bib"
    bib.write_text("@misc{k, author = {A, B}, title = {T}, year = {2000}}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="'k' appears twice"):
        load_sources([bib, bib])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem[:2])
def test_every_notebook_rewrites_to_markdown_without_raw_myst(path: Path, sources: dict[str, Source]) -> None:
    nb = json.loads(path.read_text(encoding="utf-8"))
    code_before = [c["source"] for c in nb["cells"] if c["cell_type"] == "code"]
    rewrite_notebook(nb, sources, "references.md")
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            assert not RAW_MYST.search(cell["source"]), cell["source"][:300]
    assert [c["source"] for c in nb["cells"] if c["cell_type"] == "code"] == code_before


def test_command_writes_copies_and_a_reference_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "participant"
    source_text = NOTEBOOKS[0].read_text(encoding="utf-8")
    assert main([str(NOTEBOOKS[0]), "--out", str(out), "--bib", *map(str, BIB)]) == 0
    assert NOTEBOOKS[0].read_text(encoding="utf-8") == source_text  # the source is untouched
    copy = nbformat.read(out / NOTEBOOKS[0].name, as_version=4)
    nbformat.validate(copy)
    text = "\n".join(c.source for c in copy.cells if c.cell_type == "markdown")
    cited = set(re.findall(r"\]\(references\.md#([^)]+)\)", text))
    assert cited, "module 00 cites sources"
    reference_list = (out / "references.md").read_text(encoding="utf-8")
    assert all(f'<a id="{key}"></a>' in reference_list for key in cited)
    assert "wrote" in capsys.readouterr().out


def test_command_names_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SystemExit):
        main(["--out", str(tmp_path), str(tmp_path / "nope.ipynb")])


def test_reference_list_is_sorted() -> None:
    text = references_markdown(REFS)
    assert text.index("Jones (2000)") < text.index("Wyatt et al. (2016)")
