"""Citations as plain Markdown in the notebooks, real citations on the site (#14, item 1).

The committed notebooks carry no MyST (JupyterLab would show it raw): citations are links to a
generated reference list at the end of each notebook, and ``book/_ext/citation_links.py`` turns
them back into ``{cite:p}`` roles when the book is built. These tests check the conversion both
ways, the check that guards the committed notebooks, and (with a small Sphinx build) that MyST-NB
really parses the converted source, so sphinxcontrib-bibtex resolves and checks every key.
"""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import nbformat
import pytest
from bs4 import BeautifulSoup

from helpers.exercises.citations import (
    REFERENCE_TAG,
    Source,
    check_notebook,
    cite_markdown,
    cited_keys,
    links_to_roles,
    load_sources,
    main,
    raw_myst,
    reference_list_markdown,
    rewrite_markdown,
    rewrite_notebook,
)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "book" / "_ext"))

from citation_links import notebook_for_the_book  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
GALLERY = ROOT / "book" / "faculty" / "exercise-gallery.ipynb"
BIB = [
    ROOT / "book" / "references.bib",
    ROOT / "book" / "_datasets_refs.bib",
    *sorted((ROOT / "book" / "bib").glob("*.bib")),
]
REFS = {
    "jones2000levels": Source("jones2000levels", "Jones", "2000", "Levels of racism", rank=2),
    "wyatt2016achieving": Source("wyatt2016achieving", "Wyatt et al.", "2016", "Achieving", rank=3),
    "bailey2017structural": Source("bailey2017structural", "Bailey et al.", "2017", "Structural", rank=1),
}
P_JONES_WYATT = "([Jones, 2000](#ref-jones2000levels); [Wyatt et al., 2016](#ref-wyatt2016achieving))"


@pytest.fixture(scope="module")
def sources() -> dict[str, Source]:
    return load_sources(BIB)


def _markdown_cell(text: str, tags: list[str] | None = None) -> dict[str, Any]:
    return {"cell_type": "markdown", "metadata": {"tags": tags} if tags else {}, "source": text}


def _code_cell(source: str, markdown_output: str | None = None) -> dict[str, Any]:
    outputs = []
    if markdown_output is not None:
        outputs.append(
            {"output_type": "display_data", "data": {"text/markdown": markdown_output}, "metadata": {}}
        )
    return {"cell_type": "code", "metadata": {}, "source": source, "outputs": outputs, "execution_count": 1}


# --- MyST roles -> Markdown ------------------------------------------------------------------


def test_citations_become_author_year_links_in_the_bibliography_order() -> None:
    text = "because racism sorts people {cite:p}`wyatt2016achieving, jones2000levels`."
    assert rewrite_markdown(text, REFS) == f"because racism sorts people {P_JONES_WYATT}."
    assert rewrite_markdown("{cite}`jones2000levels,jones2000levels`", REFS) == (
        "([Jones, 2000](#ref-jones2000levels))"
    )
    assert rewrite_markdown("{cite:t}`jones2000levels`", REFS) == "[Jones (2000)](#ref-jones2000levels)"


def test_doc_links_point_at_the_notebook() -> None:
    assert rewrite_markdown("{doc}`03_stratify`", {}) == "[03_stratify](03_stratify.ipynb)"
    assert rewrite_markdown("{doc}`Stratify <03_stratify>`", {}) == "[Stratify](03_stratify.ipynb)"
    assert rewrite_markdown("{doc}`/book/references.md`", {}) == "[/book/references.md](book/references.md)"


def test_unknown_key_and_unknown_role_are_errors() -> None:
    with pytest.raises(KeyError, match="nosuch2020"):
        rewrite_markdown("{cite:p}`jones2000levels,nosuch2020`", REFS)
    with pytest.raises(KeyError, match="nosuch2020"):
        rewrite_markdown("([Nosuch, 2020](#ref-nosuch2020))", REFS)
    with pytest.raises(ValueError, match="cite:ps"):
        rewrite_markdown("{cite:ps}`jones2000levels`", REFS)
    assert rewrite_markdown("no roles here, `code` stays", REFS) == "no roles here, `code` stays"


def test_links_go_back_to_roles_and_the_round_trip_is_stable() -> None:
    text = f"Racism {P_JONES_WYATT}; as [Jones (2000)](#ref-jones2000levels) put it, see [03](03_x.ipynb)."
    assert links_to_roles(text) == (
        "Racism {cite:p}`jones2000levels,wyatt2016achieving`; as {cite:t}`jones2000levels` put it, "
        "see [03](03_x.ipynb)."
    )
    assert rewrite_markdown(links_to_roles(text), REFS) == text
    assert rewrite_markdown(text, REFS) == text  # already generated: unchanged
    # a stale label or order is regenerated from the bibliography
    stale = "([Wyatt, 2015](#ref-wyatt2016achieving); [Jones, 2000](#ref-jones2000levels))"
    assert rewrite_markdown(stale, REFS) == P_JONES_WYATT
    # a link to the list that is not a citation stays a link (the check and the build report it)
    assert links_to_roles("see [the list](#ref-jones2000levels)") == "see [the list](#ref-jones2000levels)"


def test_cited_keys_reads_links_and_roles_once_each() -> None:
    assert cited_keys(f"{P_JONES_WYATT} {{cite:p}}`bailey2017structural,jones2000levels`") == [
        "jones2000levels",
        "wyatt2016achieving",
        "bailey2017structural",
    ]


def test_raw_myst_finds_roles_directives_and_targets_but_not_code() -> None:
    assert raw_myst("press {kbd}`Shift+Enter`") == ["{kbd}`"]
    assert raw_myst("```{note}\nhi\n```") == ["```{"]
    assert raw_myst(":::{hint}\nx\n:::") == [":::", ":::"]
    assert raw_myst("(sec-x)=\n# X") == ["(sec-x)="]
    assert raw_myst("```python\nx = '{cite:p}`k`'\n```\nand `{x}` text") == []
    assert raw_myst(P_JONES_WYATT) == []


# --- the bibliography and the reference list ---------------------------------------------------


def test_book_bibliography_reads_with_names_decoded(sources: dict[str, Source]) -> None:
    assert sources["wyatt2016achieving"].label == "Wyatt et al., 2016"
    assert sources["ihi2017pursuing"].authors == "Institute for Healthcare Improvement"
    assert sources["anhoej2014runcharts"].authors == "Anhøj and Olesen"
    assert not any("\\" in s.title or "{" in s.title for s in sources.values())
    jones = sources["jones2000levels"].entry
    assert jones.startswith("Camara Phyllis Jones. Levels of racism")
    assert "[doi:10.2105/AJPH.90.8.1212](https://doi.org/10.2105/AJPH.90.8.1212)" in jones
    assert "\n" not in jones and "\\." not in jones


def test_duplicate_key_is_an_error(tmp_path: Path) -> None:
    bib = tmp_path / "a.bib"
    bib.write_text("@misc{k, author = {A, B}, title = {T}, year = {2000}}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="'k' appears twice"):
        load_sources([bib, bib])


def test_reference_list_has_one_anchored_entry_per_key_in_order() -> None:
    text = reference_list_markdown(["wyatt2016achieving", "jones2000levels", "wyatt2016achieving"], REFS)
    lines = text.splitlines()
    assert lines[0] == "### References"
    entries = [line for line in lines if line.startswith("- ")]
    assert entries == [
        '- <a id="ref-jones2000levels"></a>**Jones, 2000.** Jones. *Levels of racism*. 2000.',
        '- <a id="ref-wyatt2016achieving"></a>**Wyatt et al., 2016.** Wyatt et al. *Achieving*. 2016.',
    ]
    assert cite_markdown(["bailey2017structural", "jones2000levels"], REFS).startswith("([Bailey")


# --- notebooks -------------------------------------------------------------------------------


def test_rewrite_notebook_adds_updates_and_removes_the_reference_list() -> None:
    nb: dict[str, Any] = {
        "nbformat": 4,
        "nbformat_minor": 5,
        "cells": [
            _markdown_cell("Racism {cite:p}`jones2000levels`."),
            _code_cell("x = '{cite:p}`jones2000levels`'"),
            _markdown_cell("## Further reading"),
        ],
    }
    rewrite_notebook(nb, REFS)
    last = nb["cells"][-1]
    assert last["metadata"]["tags"] == [REFERENCE_TAG] and last["id"] == REFERENCE_TAG
    assert 'id="ref-jones2000levels"' in "".join(last["source"])
    assert nb["cells"][1]["source"] == "x = '{cite:p}`jones2000levels`'"  # code untouched
    assert check_notebook(nb, REFS) == []
    again = rewrite_notebook(copy.deepcopy(nb), REFS)
    assert again == nb  # idempotent
    # a new citation updates the list where it is; no citation left removes it
    nb["cells"][2]["source"] = "## Further reading\n\n{cite:t}`wyatt2016achieving`"
    nb["cells"].append(_markdown_cell("after the list"))
    rewrite_notebook(nb, REFS)
    assert [c["metadata"].get("tags") for c in nb["cells"]][-2] == [REFERENCE_TAG]
    assert "ref-wyatt2016achieving" in "".join(nb["cells"][-2]["source"])
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown" and not cell["metadata"].get("tags"):
            cell["source"] = "no citation"
    rewrite_notebook(nb, REFS)
    assert not any(c["metadata"].get("tags") for c in nb["cells"])


@pytest.mark.parametrize(
    ("cells", "problem"),
    [
        ([_markdown_cell("press {kbd}`Shift+Enter`")], "MyST markup shown raw in JupyterLab: {kbd}`"),
        ([_markdown_cell("```{note}\nx\n```")], "MyST markup shown raw in JupyterLab: ```{"),
        ([_code_cell("Markdown(...)", "see {cite:p}`k`")], "MyST markup in a Markdown output"),
        (
            [_code_cell("Markdown(...)", "see ([Jones, 2000](#ref-jones2000levels))")],
            "citation link in a Markdown",
        ),
        ([_markdown_cell("([Nosuch, 2020](#ref-nosuch2020))")], "'nosuch2020' is not in the bibliography"),
        ([_markdown_cell("([Jones, 1999](#ref-jones2000levels))")], "expected ([Jones, 2000]"),
        ([_markdown_cell("see [the list](#ref-jones2000levels)")], "not a citation: [the list]"),
        ([_markdown_cell(P_JONES_WYATT)], "no reference-list cell"),
        (
            [_markdown_cell(P_JONES_WYATT), _markdown_cell("### References\n", [REFERENCE_TAG])],
            "the reference list is out of date",
        ),
        ([_markdown_cell("x"), _markdown_cell("### References", [REFERENCE_TAG])], "but no citation"),
    ],
)
def test_check_reports_each_problem(cells: list[dict[str, Any]], problem: str) -> None:
    problems = check_notebook({"cells": cells}, REFS)
    assert any(problem in p for p in problems), problems


@pytest.mark.parametrize("path", [*NOTEBOOKS, GALLERY], ids=lambda p: p.stem[:16])
def test_committed_notebook_has_no_raw_myst_and_an_up_to_date_reference_list(
    path: Path, sources: dict[str, Source]
) -> None:
    """The guard of #14 item 1: what a participant opens is plain Markdown, generated as above."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert check_notebook(nb, sources) == []
    if path in NOTEBOOKS:  # every module cites its sources and ends with their list
        assert REFERENCE_TAG in nb["cells"][-1]["metadata"].get("tags", [])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem[:2])
def test_the_book_reads_each_citation_back_as_a_role(path: Path, sources: dict[str, Source]) -> None:
    nb = json.loads(path.read_text(encoding="utf-8"))
    original = copy.deepcopy(nb)
    book, leftover = notebook_for_the_book(nb)
    assert leftover == []
    assert not any(REFERENCE_TAG in c["metadata"].get("tags", []) for c in book["cells"])
    markdown = "\n".join(c["source"] for c in book["cells"] if c["cell_type"] == "markdown")
    assert "#ref-" not in markdown
    roles = re.findall(r"\{cite:[pt]\}`([^`]+)`", markdown)
    cited = [k for group in roles for k in group.split(",")]
    expected = [
        k
        for c in original["cells"][:-1]
        if c["cell_type"] == "markdown"
        for k in cited_keys("".join(c["source"]))
    ]
    assert sorted(set(cited)) == sorted(set(expected)) and set(cited) <= set(sources)
    code = [c for c in original["cells"] if c["cell_type"] == "code"]
    assert [c for c in book["cells"] if c["cell_type"] == "code"] == code


# --- the command -----------------------------------------------------------------------------


def test_command_checks_rewrites_copies_and_names_a_missing_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bib = ["--bib", *map(str, BIB)]
    assert main(["--check", str(NOTEBOOKS[0]), *bib]) == 0
    stale = tmp_path / "stale.ipynb"
    nb = json.loads(NOTEBOOKS[0].read_text(encoding="utf-8"))
    nb["cells"].insert(1, {**_markdown_cell("Equity {cite:p}`iom2001chasm`."), "id": "added"})
    nb["cells"].pop()  # the reference list
    stale.write_text(json.dumps(nb), encoding="utf-8")
    assert main(["--check", str(stale), *bib]) == 1
    assert "MyST markup shown raw" in capsys.readouterr().out
    out = tmp_path / "copies"
    assert main([str(stale), "--out", str(out), *bib]) == 0
    assert "Equity {cite:p}" in stale.read_text(encoding="utf-8")  # --out leaves the source
    copy_nb = nbformat.read(out / "stale.ipynb", as_version=4)
    nbformat.validate(copy_nb)
    assert main(["--check", str(out / "stale.ipynb"), *bib]) == 0
    assert main([str(stale), "--in-place", *bib]) == 0
    assert stale.read_text(encoding="utf-8") == (out / "stale.ipynb").read_text(encoding="utf-8")
    with pytest.raises(SystemExit):
        main(["--check", str(tmp_path / "nope.ipynb")])


# --- MyST-NB really receives the converted source --------------------------------------------

CONF = """
extensions = ["myst_nb", "sphinxcontrib.bibtex", "citation_links"]
bibtex_bibfiles = ["refs.bib"]
bibtex_reference_style = "author_year"
nb_execution_mode = "off"
exclude_patterns = ["_build"]
"""
BIBTEX = """
@article{jones2000levels, author = {Camara Phyllis Jones}, title = {Levels of racism},
  journal = {American Journal of Public Health}, year = {2000}}
@book{wyatt2016achieving, author = {Wyatt, R. and Laderman, M. and Botwinick, L.},
  title = {Achieving Health Equity}, publisher = {IHI}, year = {2016}}
"""


def _sphinx_project(folder: Path, citation: str) -> None:
    folder.mkdir()
    (folder / "conf.py").write_text(CONF, encoding="utf-8")
    (folder / "refs.bib").write_text(BIBTEX, encoding="utf-8")
    (folder / "index.md").write_text(
        "# Book\n\n```{toctree}\nmodule\n```\n\n## Bibliography\n\n```{bibliography}\n```\n", encoding="utf-8"
    )
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(f"# Module\n\nRacism {citation}.")]
    rewrite_notebook(nb, load_sources([folder / "refs.bib"]))
    nbformat.write(nb, folder / "module.ipynb")


def _sphinx_build(folder: Path) -> subprocess.CompletedProcess[str]:
    path = os.pathsep.join(p for p in [str(ROOT / "book" / "_ext"), os.environ.get("PYTHONPATH")] if p)
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-W", "-n", "-q", str(folder), str(folder / "_build")],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": path},
        timeout=300,
    )


def test_myst_nb_parses_the_converted_source_as_real_citations(tmp_path: Path) -> None:
    project = tmp_path / "ok"
    _sphinx_project(project, "{cite:p}`wyatt2016achieving,jones2000levels`")
    assert "#ref-" in (project / "module.ipynb").read_text(encoding="utf-8")
    result = _sphinx_build(project)
    assert result.returncode == 0, result.stderr
    page = (project / "_build" / "module.html").read_text(encoding="utf-8")
    links = BeautifulSoup(page, "html.parser").select(".bibtex-citation a[href^='index.html#']")
    assert [a.get_text() for a in links] == ["Jones, 2000", "Wyatt et al., 2016"], page
    assert "#ref-" not in page and "References" not in page  # the generated list is dropped
    # the file on disk (the site's download) keeps the participant's version
    assert "#ref-jones2000levels" in (project / "_build" / "_sources" / "module.ipynb.txt").read_text(
        encoding="utf-8"
    )


def test_a_key_missing_from_the_bibliography_fails_the_strict_build(tmp_path: Path) -> None:
    project = tmp_path / "bad"
    _sphinx_project(project, "{cite:p}`jones2000levels`")
    text = (
        (project / "module.ipynb")
        .read_text(encoding="utf-8")
        .replace("ref-jones2000levels)", "ref-nosuch2020)")
    )
    (project / "module.ipynb").write_text(text, encoding="utf-8")
    result = _sphinx_build(project)
    assert result.returncode != 0
    assert "nosuch2020" in result.stderr
