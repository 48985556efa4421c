"""Rewrite the notebooks' MyST roles as plain Markdown, so JupyterLab shows no raw markup.

The notebooks are written for the book (MyST): ``{cite:p}`key1,key2``` for citations and
``{doc}`03_stratify``` for links between modules. Plain JupyterLab shows those as raw text, and
``jupyterlab-myst`` 2.7.0 does not help: JupyterLab 4.6 lists it as incompatible (it needs
``@jupyter/ydoc`` 3, JupyterLab 4.6 ships 4), and where it loads it prints a citation as its keys
run together ("jones2000levelsbailey2017structural"), since it has no bibliography. So the roles
are rewritten, from the book's own ``.bib`` files, into Markdown that renders the same
everywhere:

- ``{cite:p}`jones2000levels,bailey2017structural``` →
  ``([Jones, 2000](REFS#jones2000levels); [Bailey et al., 2017](REFS#bailey2017structural))``
- ``{cite:t}`jones2000levels``` → ``[Jones (2000)](REFS#jones2000levels)``
- ``{doc}`03_stratify``` → ``[03_stratify](03_stratify.ipynb)``; ``{doc}`text <target>``` →
  ``[text](target.ipynb)``

``REFS`` is the reference list: by default the published book's references page; the command
can also write a ``references.md`` next to the rewritten notebooks (one anchor per source), for a
set-up with no network. A key missing from the ``.bib`` files is an error, never a silent gap.

Command (writes copies; the sources are never changed unless ``--in-place`` is given)::

    python -m helpers.exercises.citations --out participant/ notebooks/*.ipynb
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
    "BOOK_REFERENCES_URL",
    "Source",
    "load_sources",
    "main",
    "references_markdown",
    "rewrite_markdown",
    "rewrite_notebook",
]

BOOK_REFERENCES_URL = "https://pursuing-equity.github.io/workbook/book/references.html"
_ROLE = re.compile(r"\{(cite(?::[a-z]+)?|doc)\}`([^`]*)`")
_DOC_TEXT = re.compile(r"^(.*?)\s*<([^<>]+)>$", re.S)


@dataclass(frozen=True)
class Source:
    """One entry of the bibliography, as a citation shows it.

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
    """

    key: str
    authors: str
    year: str
    title: str

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

    text = codecs.decode(text, "ulatex")
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


def load_sources(paths: Iterable[str | Path]) -> dict[str, Source]:
    """Read BibTeX files into :class:`Source` entries by key (needs ``pybtex``, a book dependency).

    Raises
    ------
    ValueError
        When a key appears in two files.
    """
    from pybtex.database import parse_file

    sources: dict[str, Source] = {}
    for path in paths:
        for key, entry in parse_file(str(path)).entries.items():
            if key in sources:
                raise ValueError(f"bibliography key {key!r} appears twice (again in {path})")
            people = entry.persons.get("author") or entry.persons.get("editor") or []
            names = [str(p) for p in people]
            year = _clean(entry.fields.get("year", "")) or "n.d."
            sources[key] = Source(key, _authors(names), year, _clean(entry.fields.get("title", "")))
    return sources


def rewrite_markdown(text: str, sources: Mapping[str, Source], references: str = BOOK_REFERENCES_URL) -> str:
    """Replace ``{cite:p}``, ``{cite:t}`` and ``{doc}`` roles with plain Markdown links.

    Parameters
    ----------
    text : str
        A markdown cell's source.
    sources : mapping
        Bibliography entries by key (:func:`load_sources`).
    references : str
        Where the reference list is (URL or relative path); each citation links to
        ``references#key``.

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
    >>> rewrite_markdown("racism {cite:p}`jones2000,wyatt2016`.", refs, "refs.md")
    'racism ([Jones, 2000](refs.md#jones2000); [Wyatt et al., 2016](refs.md#wyatt2016)).'
    >>> rewrite_markdown("As {cite:t}`jones2000` shows; see {doc}`03_stratify`.", refs, "r.md")
    'As [Jones (2000)](r.md#jones2000) shows; see [03_stratify](03_stratify.ipynb).'
    """

    def source(key: str) -> Source:
        key = key.strip()
        if key not in sources:
            raise KeyError(f"citation key {key!r} is not in the bibliography (.bib files)")
        return sources[key]

    def replace(match: re.Match[str]) -> str:
        role, body = match.group(1), match.group(2)
        if role == "doc":
            named = _DOC_TEXT.match(body)
            label, target = (named.group(1), named.group(2)) if named else (body, body)
            target = target.strip().lstrip("/")
            if not target.endswith((".ipynb", ".md")):
                target += ".ipynb"
            return f"[{label.strip()}]({target})"
        keys = [k for k in body.split(",") if k.strip()]
        if role in ("cite", "cite:p"):
            links = "; ".join(f"[{s.label}]({references}#{s.key})" for s in map(source, keys))
            return f"({links})"
        if role == "cite:t":
            return "; ".join(f"[{s.authors} ({s.year})]({references}#{s.key})" for s in map(source, keys))
        raise ValueError(f"the role {{{role}}} is not rewritten; use {{cite:p}} or {{cite:t}}")

    return _ROLE.sub(replace, text)


def rewrite_notebook(
    nb: dict[str, Any], sources: Mapping[str, Source], references: str = BOOK_REFERENCES_URL
) -> dict[str, Any]:
    """Apply :func:`rewrite_markdown` to every markdown cell (in place); code cells are untouched.

    Example
    -------
    >>> nb = {"cells": [{"cell_type": "markdown", "source": ["See {doc}`01_x`."]},
    ...                 {"cell_type": "code", "source": "x = '{doc}`y`'"}]}
    >>> [c["source"] for c in rewrite_notebook(nb, {})["cells"]]
    ['See [01_x](01_x.ipynb).', "x = '{doc}`y`'"]
    """
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "markdown":
            source = cell.get("source", "")
            text = "".join(source) if isinstance(source, list) else source
            cell["source"] = rewrite_markdown(text, sources, references)
    return nb


def references_markdown(sources: Mapping[str, Source]) -> str:
    """A reference list in plain Markdown, one anchored entry per source, sorted by author and year.

    Example
    -------
    >>> print(references_markdown({"a": Source("a", "Jones", "2000", "Levels of racism")}))
    # References
    <BLANKLINE>
    - <a id="a"></a>Jones (2000). *Levels of racism*.
    <BLANKLINE>
    """
    lines = ["# References", ""]
    for s in sorted(sources.values(), key=lambda s: (s.authors.lower(), s.year, s.key)):
        lines.append(f'- <a id="{s.key}"></a>{s.authors} ({s.year}). *{s.title}*.')
    return "\n".join(lines) + "\n"


def _default_bib_files() -> list[Path]:
    book = Path("book")
    return [p for p in [book / "references.bib", book / "_datasets_refs.bib"] if p.is_file()] + sorted(
        (book / "bib").glob("*.bib")
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m helpers.exercises.citations (--out DIR | --in-place) NOTEBOOK...``."""
    parser = argparse.ArgumentParser(
        prog="python -m helpers.exercises.citations",
        description="Rewrite {cite:p}, {cite:t} and {doc} roles in notebooks' markdown as plain "
        "Markdown links (author, year), so JupyterLab shows no raw MyST.",
    )
    parser.add_argument("notebooks", nargs="+", type=Path)
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--out", type=Path, help="write rewritten copies (and references.md) here")
    where.add_argument("--in-place", action="store_true", help="rewrite the notebooks themselves")
    parser.add_argument("--bib", nargs="+", type=Path, help="BibTeX files (default: the book's)")
    parser.add_argument(
        "--references",
        help="where citations link: default references.md with --out, the book's page with --in-place",
    )
    args = parser.parse_args(argv)
    bib_files = args.bib or _default_bib_files()
    missing = [str(p) for p in [*args.notebooks, *bib_files] if not p.is_file()]
    if missing or not bib_files:
        parser.error(f"no such file: {', '.join(missing) or 'no .bib files found (give --bib)'}")
    sources = load_sources(bib_files)
    references = args.references or ("references.md" if args.out else BOOK_REFERENCES_URL)
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        if references == "references.md":
            (args.out / "references.md").write_text(references_markdown(sources), encoding="utf-8")
    for path in args.notebooks:
        nb = json.loads(path.read_text(encoding="utf-8"))
        try:
            rewrite_notebook(nb, sources, references)
        except (KeyError, ValueError) as exc:
            parser.error(f"{path}: {exc.args[0]}")
        target = args.out / path.name if args.out else path
        target.write_text(
            json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        print(f"wrote {target}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
