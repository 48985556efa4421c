"""Citations in the notebooks as plain Markdown: readable in JupyterLab, real citations on the site.

The module notebooks are read by participants in JupyterLab (and VS Code, Colab, GitHub), which
show MyST roles such as ``{cite:p}`jones2000levels``` as raw text. So the committed notebooks
carry plain Markdown only (README, "MyST in JupyterLab: rewritten, not jupyterlab-myst"):

- a parenthetical citation is
  ``([Jones, 2000](#ref-jones2000levels); [Bailey et al., 2017](#ref-bailey2017structural))``;
- a narrative one is ``[Jones (2000)](#ref-jones2000levels)``;
- a link to another module is an ordinary relative link, ``[module 03](03_stratify.ipynb)``;
- the notebook's last section gains a generated reference list: one markdown cell tagged
  ``reference-list`` (:data:`REFERENCE_TAG`), one entry per cited source, each with an anchor
  ``<a id="ref-KEY"></a>`` that the citations link to (JupyterLab 4.6 renders the ``id`` as
  ``data-jupyter-id`` and scrolls to it when a ``#ref-KEY`` link is clicked; GitHub, VS Code and
  Colab follow the ``id``).

The book turns these links back into ``{cite:p}``/``{cite:t}`` roles when it reads a notebook
(``book/_ext/citation_links.py`` calls :func:`links_to_roles` and drops the reference-list cell),
so sphinxcontrib-bibtex still checks every key and the site shows its own bibliography.

The labels ("Jones, 2000", "Bailey et al., 2017") and the reference entries are generated from the
book's ``.bib`` files; a key missing from them is an error, never a silent gap.

Commands (from the repository root; without notebooks, every ``notebooks/NN_*.ipynb``)::

    python -m helpers.exercises.citations --in-place   # rewrite roles, refresh the reference lists
    python -m helpers.exercises.citations --check      # exit 1, listing problems, if anything is off
    python -m helpers.exercises.citations --out DIR notebooks/00_orientation.ipynb   # copies
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "ANCHOR_PREFIX",
    "REFERENCE_TAG",
    "Source",
    "check_notebook",
    "cite_markdown",
    "cited_keys",
    "default_bib_files",
    "links_to_roles",
    "load_sources",
    "main",
    "raw_myst",
    "reference_list_markdown",
    "rewrite_markdown",
    "rewrite_notebook",
]

#: The tag of the generated reference-list cell (dropped by the book's build).
REFERENCE_TAG = "reference-list"
#: Anchors of the reference list are ``ref-`` + the BibTeX key.
ANCHOR_PREFIX = "ref-"
REFERENCES_HEADING = "### References"

_ROLE = re.compile(r"\{(cite(?::[a-z]+)?|doc)\}`([^`]*)`")
_DOC_TEXT = re.compile(r"^(.*?)\s*<([^<>]+)>$", re.S)
_LINK = r"\[[^\]\n]+\]\(#" + ANCHOR_PREFIX + r"[^)\s]+\)"
_LINK_KEY = re.compile(r"\[([^\]\n]+)\]\(#" + ANCHOR_PREFIX + r"([^)\s]+)\)")
_CITE_P = re.compile(r"\((" + _LINK + r"(?:; " + _LINK + r")*)\)")
_CITE_T = re.compile(r"\[[^\]\n]+ \((?:\d{4}[a-z]?|n\.d\.)\)\]\(#" + ANCHOR_PREFIX + r"([^)\s]+)\)")
# MyST that JupyterLab would show as text: a role, a directive (``` or ::: fence, its :option:
# lines), a target "(name)=".
_RAW_MYST = re.compile(
    r"(?<!`)\{[a-z][a-z0-9-]*(?::[a-z0-9-]+)*\}`(?=[^`\n]+`)|^\s*(?:`{3,}|~{3,})\s*\{|^\s*:::|^:[a-z-]+:|^\([\w-]+\)=\s*$",
    re.M,
)
_FENCED_CODE = re.compile(r"^(`{3,}|~{3,})(?!\s*\{)[^\n]*\n.*?^\1\s*$", re.M | re.S)
# pybtex's Markdown backend escapes every punctuation mark; these need no escape mid-line.
_NEEDLESS_ESCAPE = re.compile(r"\\([.\-()#+{}!])")


@dataclass(frozen=True)
class Source:
    """One entry of the bibliography, as a citation and the reference list show it.

    Attributes
    ----------
    key : str
        The BibTeX key.
    authors : str
        "Jones", "Jones and Smith" or "Wyatt et al." (organisations in full).
    year : str
        The year ("n.d." when the entry has none).
    title : str
        The title, braces removed.
    entry : str
        The full reference in one line of Markdown, as the book's ``plain`` style formats it
        (empty: the reference list falls back to authors, year and title).
    rank : int
        Its place in the book's bibliography (the style's sort: author, year, title); sources
        cited together and the reference list follow it, as the site does.
    """

    key: str
    authors: str
    year: str
    title: str
    entry: str = ""
    rank: int = 0

    @property
    def order(self) -> tuple[int, str, str]:
        """The sort key: rank, then label and key."""
        return (self.rank, self.label.lower(), self.key)

    @property
    def label(self) -> str:
        """ "Author, year", as a parenthetical citation shows it.

        Example
        -------
        >>> Source("k", "Wyatt et al.", "2016", "Achieving Health Equity").label
        'Wyatt et al., 2016'
        """
        return f"{self.authors}, {self.year}"


def _clean(text: str) -> str:
    r"""LaTeX to plain text: accents decoded, braces dropped, spaces collapsed.

    Example
    -------
    >>> _clean(r"Anh{\o}j"), _clean(r"{IHI}  R\&D"), _clean(r"The {\emph{women}} phrase")
    ('Anhøj', 'IHI R&D', 'The women phrase')
    """
    import codecs

    import latexcodec  # noqa: F401  (registers the "ulatex" codec; a pybtex dependency)

    text = str(codecs.decode(text, "ulatex"))  # type: ignore[call-overload]  # a codec registered at run time
    text = re.sub(r"\\[A-Za-z]+\s*", "", text)  # formatting commands left over (\emph{...})
    return re.sub(r"\s+", " ", text.replace("{", "").replace("}", "")).strip()


def _authors(names: Sequence[str]) -> str:
    """ "Jones", "Jones and Smith", "Wyatt et al." from BibTeX names.

    Example
    -------
    >>> _authors(["Wyatt, R.", "Laderman, M.", "Botwinick, L."]), _authors(["{Institute for X}"])
    ('Wyatt et al.', 'Institute for X')
    >>> _authors(["Camara Phyllis Jones"]), _authors(["Bailey, Z. D.", "Krieger, N."])
    ('Jones', 'Bailey and Krieger')
    """

    def surname(name: str) -> str:
        name = name.strip()
        if name.startswith("{") and name.endswith("}"):
            return _clean(name)  # an organisation, kept whole
        if "," in name:
            return _clean(name.split(",", 1)[0])
        return _clean(name.split()[-1])

    last = [surname(n) for n in names]
    if not last:
        return "Anonymous"
    if len(last) == 1:
        return last[0]
    if len(last) == 2:
        return f"{last[0]} and {last[1]}"
    return f"{last[0]} et al."


def _one_line(markdown: str) -> str:
    r"""pybtex's Markdown (one block per line, every punctuation mark escaped) as one tidy line.

    Example
    -------
    >>> _one_line("Jones\\.\nLevels \\(a tale\\)\\.\n*AJPH*, 90\\(8\\), 2000 &amp; 2001\\.")
    'Jones. Levels (a tale). *AJPH*, 90(8), 2000 & 2001.'
    """
    text = " ".join(line.strip() for line in markdown.splitlines() if line.strip())
    return _NEEDLESS_ESCAPE.sub(r"\1", text).replace("&amp;", "&")


def load_sources(paths: Iterable[str | Path]) -> dict[str, Source]:
    """Read BibTeX files into :class:`Source` entries by key (needs ``pybtex``, a book dependency).

    Each entry is formatted as the book's bibliography formats it (pybtex's ``plain`` style, the
    book's ``bibtex_default_style``), in Markdown.

    Raises
    ------
    ValueError
        When a key appears in two files.
    """
    from pybtex.database import BibliographyData, parse_file
    from pybtex.plugin import find_plugin

    data = BibliographyData()
    for path in paths:
        for key, entry in parse_file(str(path)).entries.items():
            if key in data.entries:
                raise ValueError(f"bibliography key {key!r} appears twice (again in {path})")
            data.add_entry(key, entry)
    style = find_plugin("pybtex.style.formatting", "plain")()
    backend = find_plugin("pybtex.backends", "markdown")()
    # format_entries sorts as the bibliography does (author, year, title)
    formatted = {
        e.key: (rank, _one_line(e.text.render(backend)))
        for rank, e in enumerate(style.format_entries(data.entries.values()))
    }
    sources: dict[str, Source] = {}
    for key, entry in data.entries.items():
        people = entry.persons.get("author") or entry.persons.get("editor") or []
        names = [str(p) for p in people]
        year = _clean(entry.fields.get("year", "")) or "n.d."
        title = _clean(entry.fields.get("title", ""))
        rank, text = formatted.get(key, (0, ""))
        sources[key] = Source(key, _authors(names), year, title, text, rank)
    return sources


def _source(key: str, sources: Mapping[str, Source]) -> Source:
    key = key.strip()
    if key not in sources:
        raise KeyError(f"citation key {key!r} is not in the bibliography (.bib files)")
    return sources[key]


def cite_markdown(keys: Sequence[str], sources: Mapping[str, Source], *, narrative: bool = False) -> str:
    """The Markdown of one citation: "([Jones, 2000](#ref-…); …)", or "[Jones (2000)](#ref-…)".

    Parameters
    ----------
    keys : sequence of str
        BibTeX keys; they are shown in the bibliography's order (:attr:`Source.order`), once
        each, as the site shows them.
    sources : mapping
        Bibliography entries by key (:func:`load_sources`).
    narrative : bool
        ``True`` for a narrative citation (``{cite:t}``): "Jones (2000)", several joined by "; ".

    Raises
    ------
    KeyError
        A key is not in ``sources`` (named in the message).

    Example
    -------
    >>> refs = {"j": Source("j", "Jones", "2000", "Levels"), "w": Source("w", "Wyatt et al.", "2016", "A")}
    >>> cite_markdown(["j", "w"], refs)
    '([Jones, 2000](#ref-j); [Wyatt et al., 2016](#ref-w))'
    >>> cite_markdown(["j"], refs, narrative=True)
    '[Jones (2000)](#ref-j)'
    """
    cited = sorted(
        {k.strip(): _source(k, sources) for k in keys if k.strip()}.values(), key=lambda s: s.order
    )
    if narrative:
        return "; ".join(f"[{s.authors} ({s.year})](#{ANCHOR_PREFIX}{s.key})" for s in cited)
    return "(" + "; ".join(f"[{s.label}](#{ANCHOR_PREFIX}{s.key})" for s in cited) + ")"


def rewrite_markdown(text: str, sources: Mapping[str, Source]) -> str:
    """Replace ``{cite:p}``, ``{cite:t}`` and ``{doc}`` roles with plain Markdown links.

    Citation links already there are regenerated too (labels and order from the ``.bib`` files),
    so running it again changes nothing unless the bibliography changed.

    Parameters
    ----------
    text : str
        A markdown cell's source.
    sources : mapping
        Bibliography entries by key (:func:`load_sources`).

    Returns
    -------
    str
        The text with citations as links to the notebook's reference list (:func:`cite_markdown`)
        and ``{doc}`` links as relative links to the notebook (or page).

    Raises
    ------
    KeyError
        A cited key is not in ``sources`` (named in the message).
    ValueError
        A role this function does not know (e.g. ``{cite:ps}``).

    Example
    -------
    >>> refs = {"jones2000": Source("jones2000", "Jones", "2000", "Levels of racism"),
    ...         "wyatt2016": Source("wyatt2016", "Wyatt et al.", "2016", "Achieving")}
    >>> rewrite_markdown("racism {cite:p}`jones2000,wyatt2016`.", refs)
    'racism ([Jones, 2000](#ref-jones2000); [Wyatt et al., 2016](#ref-wyatt2016)).'
    >>> rewrite_markdown("As {cite:t}`jones2000` shows; see {doc}`03_stratify`.", refs)
    'As [Jones (2000)](#ref-jones2000) shows; see [03_stratify](03_stratify.ipynb).'
    """

    def replace(match: re.Match[str]) -> str:
        role, body = match.group(1), match.group(2)
        if role == "doc":
            named = _DOC_TEXT.match(body)
            label, target = (named.group(1), named.group(2)) if named else (body, body)
            target = target.strip().lstrip("/")
            if not target.endswith((".ipynb", ".md")):
                target += ".ipynb"
            return f"[{label.strip()}]({target})"
        keys = body.split(",")
        if role in ("cite", "cite:p"):
            return cite_markdown(keys, sources)
        if role == "cite:t":
            return cite_markdown(keys, sources, narrative=True)
        raise ValueError(f"the role {{{role}}} is not rewritten; use {{cite:p}} or {{cite:t}}")

    return _ROLE.sub(replace, links_to_roles(text))


def links_to_roles(text: str) -> str:
    """Turn the citation links of :func:`cite_markdown` back into ``{cite:p}``/``{cite:t}`` roles.

    What the book's build does to every markdown cell of a notebook, so that sphinxcontrib-bibtex
    formats, links and checks the citations. Any other text, and any other link, is left as it is.

    Example
    -------
    >>> links_to_roles("racism ([Jones, 2000](#ref-jones2000); [Wyatt et al., 2016](#ref-wyatt2016)).")
    'racism {cite:p}`jones2000,wyatt2016`.'
    >>> links_to_roles("As [Jones (2000)](#ref-jones2000) shows; see [module 03](03_stratify.ipynb).")
    'As {cite:t}`jones2000` shows; see [module 03](03_stratify.ipynb).'
    """

    def parenthetical(match: re.Match[str]) -> str:
        keys = [m.group(2) for m in _LINK_KEY.finditer(match.group(1))]
        return "{cite:p}`" + ",".join(keys) + "`"

    text = _CITE_P.sub(parenthetical, text)
    return _CITE_T.sub(lambda m: "{cite:t}`" + m.group(1) + "`", text)


def cited_keys(text: str) -> list[str]:
    """The BibTeX keys cited in ``text`` (links to ``#ref-KEY`` and any roles left), in order, once each.

    Example
    -------
    >>> cited_keys("([A, 2000](#ref-a); [B, 2001](#ref-b)), {cite:p}`c,a` and [A (2000)](#ref-a)")
    ['a', 'b', 'c']
    """
    keys: list[str] = []
    for match in re.finditer(_LINK_KEY.pattern + r"|\{cite(?::[a-z]+)?\}`([^`]*)`", text):
        found = [match.group(2)] if match.group(2) else match.group(3).split(",")
        keys += [k.strip() for k in found if k.strip() and k.strip() not in keys]
    return keys


def raw_myst(text: str) -> list[str]:
    """The MyST markup in ``text`` that JupyterLab would show as raw text (roles, directives, targets).

    Fenced code blocks (other than MyST directives) are skipped: markup inside them is meant
    to be shown.

    Example
    -------
    >>> raw_myst("see {doc}`03_x` and\\n```{note}\\nhi\\n```\\n```python\\nx = '{cite:p}`k`'\\n```")
    ['{doc}`', '```{']
    """
    return [m.group(0).strip() for m in _RAW_MYST.finditer(_FENCED_CODE.sub("", text))]


def reference_list_markdown(keys: Iterable[str], sources: Mapping[str, Source]) -> str:
    """The generated reference list: a heading and one anchored entry per key, by author and year.

    Example
    -------
    >>> refs = {"w": Source("w", "Wyatt et al.", "2016", "Achieving"),
    ...         "j": Source("j", "Jones", "2000", "Levels", "Camara Phyllis Jones. Levels. 2000.")}
    >>> print(reference_list_markdown(["w", "j"], refs))
    ### References
    <BLANKLINE>
    - <a id="ref-j"></a>**Jones, 2000.** Camara Phyllis Jones. Levels. 2000.
    - <a id="ref-w"></a>**Wyatt et al., 2016.** Wyatt et al. *Achieving*. 2016.
    """
    # alphabetical (the bibliography's own sort puts organisations, braced names, after people)
    cited = sorted(
        {k: _source(k, sources) for k in keys}.values(), key=lambda s: (s.authors.lower(), s.year, s.order)
    )
    lines = [REFERENCES_HEADING, ""]
    for s in cited:
        entry = s.entry or f"{s.authors.rstrip('.')}. *{s.title}*. {s.year}."
        lines.append(f'- <a id="{ANCHOR_PREFIX}{s.key}"></a>**{s.label}.** {entry}')
    return "\n".join(lines)


def _text(source: str | list[str]) -> str:
    return "".join(source) if isinstance(source, list) else source


def _like(source: str | list[str], text: str) -> str | list[str]:
    """``text`` stored as ``source`` was: a list of lines (as in a file) or one string (nbformat)."""
    return text.splitlines(keepends=True) if isinstance(source, list) else text


def _is_reference_list(cell: Mapping[str, Any]) -> bool:
    return REFERENCE_TAG in cell.get("metadata", {}).get("tags", [])


def rewrite_notebook(nb: dict[str, Any], sources: Mapping[str, Source]) -> dict[str, Any]:
    """Rewrite every markdown cell's roles (:func:`rewrite_markdown`) and refresh the reference list.

    The reference-list cell (tagged :data:`REFERENCE_TAG`) is updated where it is, or appended as
    the last cell (a "subslide" for the slides, below "Further reading"), listing every source the
    other markdown cells cite; a notebook that cites nothing gets none. Code cells and outputs are
    untouched. The notebook is changed in place and returned.

    Example
    -------
    >>> nb = {"cells": [{"cell_type": "markdown", "metadata": {}, "source": ["See {doc}`01_x`."]},
    ...                 {"cell_type": "code", "source": "x = '{doc}`y`'"}]}
    >>> [c["source"] for c in rewrite_notebook(nb, {})["cells"]]
    [['See [01_x](01_x.ipynb).'], "x = '{doc}`y`'"]
    """
    keys: list[str] = []
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "markdown" and not _is_reference_list(cell):
            source = cell.get("source", "")
            text = rewrite_markdown(_text(source), sources)
            cell["source"] = _like(source, text)
            keys += [k for k in cited_keys(text) if k not in keys]
    listed = [c for c in nb.get("cells", []) if _is_reference_list(c)]
    for extra in listed[1:]:
        nb["cells"].remove(extra)
    if not keys:
        if listed:
            nb["cells"].remove(listed[0])
        return nb
    text = reference_list_markdown(keys, sources)
    if listed:
        listed[0]["source"] = _like(listed[0].get("source", ""), text)
        return nb
    as_lines = any(isinstance(c.get("source"), list) for c in nb.get("cells", []))
    reference_cell: dict[str, Any] = {
        "cell_type": "markdown",
        "metadata": {"slideshow": {"slide_type": "subslide"}, "tags": [REFERENCE_TAG]},
        "source": _like([] if as_lines else "", text),
    }
    if (nb.get("nbformat", 4), nb.get("nbformat_minor", 5)) >= (4, 5):
        reference_cell["id"] = REFERENCE_TAG
    if type(nb) is not dict:  # an nbformat NotebookNode: the new cell must be one too
        from nbformat import from_dict

        reference_cell = from_dict(reference_cell)
    nb.setdefault("cells", []).append(reference_cell)
    return nb


def _citations_as_generated(text: str, sources: Mapping[str, Source]) -> list[tuple[str, str]]:
    """Each citation link group in ``text`` with what :func:`cite_markdown` makes of its keys.

    Groups citing an unknown key are left out (reported on their own).

    Example
    -------
    >>> _citations_as_generated("([Jones, 1999](#ref-j))", {"j": Source("j", "Jones", "2000", "L")})
    [('([Jones, 1999](#ref-j))', '([Jones, 2000](#ref-j))')]
    """
    pairs = []
    for match in _CITE_P.finditer(text):
        keys = [m.group(2) for m in _LINK_KEY.finditer(match.group(0))]
        if all(k in sources for k in keys):
            pairs.append((match.group(0), cite_markdown(keys, sources)))
    for match in _CITE_T.finditer(_CITE_P.sub("", text)):
        if match.group(1) in sources:
            pairs.append((match.group(0), cite_markdown([match.group(1)], sources, narrative=True)))
    return pairs


def check_notebook(nb: Mapping[str, Any], sources: Mapping[str, Source]) -> list[str]:
    """Everything in a notebook that a participant or the book would get wrong (empty: all good).

    Reported: MyST markup in a markdown cell or a ``text/markdown`` output (JupyterLab shows it
    raw); a citation link in such an output (the site shows outputs as executed, so it could not
    become a citation there); a citation link to a key not in the bibliography, or whose label is
    not the generated one; a link to ``#ref-…`` that is not a citation the book can turn back into a role; a
    reference-list cell missing, duplicated or out of date.

    Example
    -------
    >>> refs = {"j": Source("j", "Jones", "2000", "Levels")}
    >>> nb = {"cells": [{"cell_type": "markdown", "source": "Racism ([Jones, 1999](#ref-j)), {doc}`x`."}]}
    >>> for problem in check_notebook(nb, refs):
    ...     print(problem)
    cell 0: MyST markup shown raw in JupyterLab: {doc}`
    cell 0: citation not as the .bib files give it: ([Jones, 1999](#ref-j)), expected ([Jones, 2000](#ref-j))
    no reference-list cell (run: python -m helpers.exercises.citations --in-place NOTEBOOK)
    """
    problems: list[str] = []
    keys: list[str] = []
    cells = list(nb.get("cells", []))
    for i, cell in enumerate(cells):
        if cell.get("cell_type") == "code":
            for output in cell.get("outputs", []):
                markdown = _text(output.get("data", {}).get("text/markdown", ""))
                if raw_myst(markdown):
                    found = ", ".join(raw_myst(markdown))
                    problems.append(
                        f"cell {i}: MyST markup in a Markdown output, shown raw in JupyterLab: {found}"
                    )
                link = _LINK_KEY.search(markdown)
                if link:  # the book renders outputs as executed: no role back
                    problems.append(
                        f"cell {i}: a citation link in a Markdown output (cite in markdown): {link.group(0)}"
                    )
            continue
        if cell.get("cell_type") != "markdown" or _is_reference_list(cell):
            continue
        text = _text(cell.get("source", ""))
        if raw_myst(text):
            problems.append(f"cell {i}: MyST markup shown raw in JupyterLab: {', '.join(raw_myst(text))}")
        for key in cited_keys(text):
            if key not in sources:
                problems.append(f"cell {i}: citation key {key!r} is not in the bibliography (.bib files)")
            elif key not in keys:
                keys.append(key)
        as_roles = links_to_roles(text)
        for match in _LINK_KEY.finditer(as_roles):
            problems.append(
                f"cell {i}: a link to the reference list that is not a citation: {match.group(0)}"
            )
        for written, expected in _citations_as_generated(text, sources):
            if written != expected:
                problems.append(
                    f"cell {i}: citation not as the .bib files give it: {written}, expected {expected}"
                )
    listed = [i for i, c in enumerate(cells) if c.get("cell_type") == "markdown" and _is_reference_list(c)]
    fix = "(run: python -m helpers.exercises.citations --in-place NOTEBOOK)"
    if len(listed) > 1:
        problems.append(f"cells {listed}: more than one reference-list cell {fix}")
    if keys and not listed:
        problems.append(f"no reference-list cell {fix}")
    elif listed and not keys:
        problems.append(f"cell {listed[0]}: a reference-list cell but no citation {fix}")
    elif listed and _text(cells[listed[0]].get("source", "")) != reference_list_markdown(keys, sources):
        problems.append(f"cell {listed[0]}: the reference list is out of date {fix}")
    return problems


def default_bib_files(root: str | Path = ".") -> list[Path]:
    """The book's BibTeX files (``book/references.bib``, ``book/_datasets_refs.bib``, ``book/bib/*.bib``)."""
    book = Path(root) / "book"
    return [p for p in [book / "references.bib", book / "_datasets_refs.bib"] if p.is_file()] + sorted(
        (book / "bib").glob("*.bib")
    )


def _write(nb: Mapping[str, Any], path: Path) -> None:
    """Write as nbformat does (indent 1, keys sorted, UTF-8, a final newline)."""
    path.write_text(json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m helpers.exercises.citations (--check | --in-place | --out DIR) [NB...]``.

    Returns 0 when all is well, 1 when ``--check`` found problems (each printed).
    """
    parser = argparse.ArgumentParser(
        prog="python -m helpers.exercises.citations",
        description="Citations in notebooks as plain Markdown links (author, year) to a generated "
        "reference list, so JupyterLab shows no raw MyST. Without notebooks: notebooks/NN_*.ipynb.",
    )
    parser.add_argument("notebooks", nargs="*", type=Path)
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument(
        "--check", action="store_true", help="report raw MyST, bad citations, stale reference lists"
    )
    what.add_argument("--in-place", action="store_true", help="rewrite the notebooks themselves")
    what.add_argument("--out", type=Path, help="write rewritten copies here")
    parser.add_argument("--bib", nargs="+", type=Path, help="BibTeX files (default: the book's)")
    args = parser.parse_args(argv)
    notebooks = args.notebooks or sorted(Path("notebooks").glob("[0-9][0-9]_*.ipynb"))
    bib_files = args.bib or default_bib_files()
    missing = [str(p) for p in [*notebooks, *bib_files] if not p.is_file()]
    if missing or not bib_files or not notebooks:
        parser.error(f"no such file: {', '.join(missing) or 'no notebooks or no .bib files found'}")
    sources = load_sources(bib_files)
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
    failed = False
    for path in notebooks:
        nb = json.loads(path.read_text(encoding="utf-8"))
        if args.check:
            problems = check_notebook(nb, sources)
            for problem in problems:
                print(f"{path}: {problem}")
            failed = failed or bool(problems)
            continue
        try:
            rewrite_notebook(nb, sources)
        except (KeyError, ValueError) as exc:
            parser.error(f"{path}: {exc.args[0]}")
        target = args.out / path.name if args.out else path
        _write(nb, target)
        print(f"wrote {target}")
    return 1 if failed else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
