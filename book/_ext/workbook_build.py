"""Sphinx extension used by the Pursuing Equity Workbook's own build.

* Fails at once, with the install command, when the workbook's requirements are missing —
  instead of a traceback from deep inside Sphinx or a notebook cell.
* Gives executed notebooks a throw-away workbook file (``PE_WORKBOOK``), so building the book
  never reads or overwrites a participant's saved answers and always renders the same pages.
* Builds one of two editions from the same source (see the README, "The published site"): the
  *participant* edition (``_toc.yml``) and the *faculty* edition (``_toc.faculty.yml``, which adds
  the Faculty part). The edition is read from the table of contents: a toc that lists pages under
  ``book/faculty/`` is the faculty edition. In the faculty edition every exercise's answer and
  solution (the static cards' ``<details>``) is shown open; in the participant edition links to
  faculty pages become plain text naming the faculty edition.
* Both editions share one notebook execution cache (``PE_EXECUTION_CACHE``, default
  ``_build/.jupyter_cache`` in the source folder when the faculty edition is built elsewhere), so
  building both never executes a notebook twice.
* Fixes what the theme gets wrong for accessibility and an offline site: scripts registered twice
  (sphinx-thebe's and sphinx-togglebutton's inline scripts under Sphinx 7.4), unnamed disclosure
  ``<summary>`` elements in the navigation, the citation list's child roles, and the widget
  manager's font URLs.
"""

from __future__ import annotations

import html
import importlib.util
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ExtensionError

FACULTY_PREFIX = "book/faculty/"

REQUIRED = {
    "helpers": "the workbook's own package (the '-e .' line of requirements.txt)",
    "ipywidgets": "ipywidgets",
    "pandas": "pandas",
    "matplotlib": "matplotlib",
    "sphinx_exercise": "sphinx-exercise",
    "ipykernel": "ipykernel",
}


def missing_requirements() -> list[str]:
    """Return a description of every required package that cannot be imported."""
    return [f"{name} ({what})" for name, what in REQUIRED.items() if importlib.util.find_spec(name) is None]


def _check_and_prepare(app: Sphinx) -> None:
    missing = missing_requirements()
    if missing:
        raise ExtensionError(
            "The book's requirements are not installed: missing "
            + ", ".join(missing)
            + ". From the repository root run:  python -m pip install -r requirements.txt"
        )
    # Executed notebooks save answers here, not in the participant's own workbook file.
    build_workbook = os.path.join(tempfile.mkdtemp(prefix="pe-book-build-"), "workbook.json")
    os.environ["PE_WORKBOOK"] = build_workbook
    os.environ.setdefault("MPLBACKEND", "Agg")
    os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")


def edition_of_toc(toc_path: str | os.PathLike[str]) -> str:
    r"""Return ``"faculty"`` if the table of contents lists faculty pages, else ``"participant"``.

    >>> import pathlib, tempfile
    >>> toc = pathlib.Path(tempfile.mkdtemp()) / "_toc.yml"
    >>> _ = toc.write_text("root: book/welcome\nchapters:\n  - file: book/faculty/index\n")
    >>> edition_of_toc(toc)
    'faculty'
    >>> _ = toc.write_text("root: book/welcome\nchapters:\n  - file: book/datasets\n")
    >>> edition_of_toc(toc)
    'participant'
    """
    text = Path(toc_path).read_text(encoding="utf-8")
    listed = re.findall(r"^\s*-?\s*(?:file|root):\s*[\"']?([^\s\"'#]+)", text, flags=re.MULTILINE)
    return "faculty" if any(doc.startswith(FACULTY_PREFIX) for doc in listed) else "participant"


def _choose_edition(app: Sphinx, config: Config) -> None:
    toc = getattr(config, "external_toc_path", "") or "_toc.yml"
    toc_path = Path(app.srcdir, toc)
    config.workbook_edition = edition_of_toc(toc_path) if toc_path.is_file() else "participant"
    html_context = dict(config.html_context or {})
    html_context["workbook_edition"] = config.workbook_edition
    config.html_context = html_context
    # One execution cache for both editions: an explicit PE_EXECUTION_CACHE wins; otherwise the
    # faculty edition (built with --path-output elsewhere) reuses the default build's cache.
    shared = os.environ.get("PE_EXECUTION_CACHE")
    if not shared and config.workbook_edition == "faculty" and not config.nb_execution_cache_path:
        shared = str(Path(app.srcdir, "_build", ".jupyter_cache"))
    if shared:
        config.nb_execution_cache_path = shared


def _faculty_link_as_text(
    app: Sphinx, env: Any, node: nodes.Element, contnode: nodes.Element
) -> nodes.Node | None:
    """In the participant edition, a link to a faculty page names the faculty edition instead."""
    if app.config.workbook_edition == "faculty" or node.get("reftype") != "doc":
        return None
    target = node.get("reftarget", "")
    base = os.path.dirname(node.get("refdoc", ""))
    docname = os.path.normpath(os.path.join(base, target)).replace(os.sep, "/").lstrip("/")
    if not docname.startswith(FACULTY_PREFIX):
        return None
    title = contnode.astext()
    source = Path(app.srcdir, docname + ".md")
    if title in (target, docname) and source.is_file():
        first = re.search(r"^#\s+(.+)$", source.read_text(encoding="utf-8"), flags=re.MULTILINE)
        title = first.group(1).strip() if first else title
    return nodes.inline("", f"“{title}” (in the faculty edition)", classes=["pe-faculty-only"])


_SUMMARY_AFTER_LINK = re.compile(
    r'(<a class="[^"]*\breference internal\b[^"]*" href="[^"]*">)(.*?)(</a><details)([^>]*><summary)(>)'
)


def _name_nav_summaries(toctree_html: str) -> str:
    """Give every navigation ``<summary>`` (an icon only) an accessible name."""

    def label(match: re.Match[str]) -> str:
        title = html.unescape(re.sub(r"<[^>]+>", "", match.group(2))).strip()
        name = html.escape(f"Show or hide the pages under {title}", quote=True)
        start = "".join(match.group(1, 2, 3, 4))
        return f'{start} aria-label="{name}"{match.group(5)}'

    return _SUMMARY_AFTER_LINK.sub(label, toctree_html)


def _page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    # Sphinx 7.4 registers inline scripts added after the builder started twice (once with
    # filename None, once with ""): sphinx-thebe's "const THEBE_JS_URL" then fails as redeclared.
    scripts = context.get("script_files")
    if scripts is not None:
        seen: set[tuple[str, tuple[tuple[str, str], ...]]] = set()
        unique = []
        for script in scripts:
            attributes = tuple(sorted((k, str(v)) for k, v in getattr(script, "attributes", {}).items()))
            key = (str(getattr(script, "filename", script) or ""), attributes)
            if key not in seen:
                seen.add(key)
                unique.append(script)
        scripts[:] = unique
    toctree = context.get("generate_toctree_html")
    if callable(toctree) and not getattr(toctree, "_pe_named", False):

        def named_toctree(*args: Any, **kwargs: Any) -> str:
            return _name_nav_summaries(str(toctree(*args, **kwargs)))

        named_toctree._pe_named = True  # type: ignore[attr-defined]
        context["generate_toctree_html"] = named_toctree
    body = context.get("body")
    if isinstance(body, str):
        # A docutils citation list is role="list"; its entries must then be list items.
        body = body.replace('role="doc-biblioentry"', 'role="listitem"')
        # myst-nb names its show/hide-code toggles "Toggle hidden content" while they show
        # "Show code cell source": the name must contain the visible words (WCAG 2.5.3).
        body = body.replace('<summary aria-label="Toggle hidden content">', "<summary>")
        if app.config.workbook_edition == "faculty":
            # Faculty see every answer and solution of the static exercise cards at once.
            body = body.replace("<details><summary>", "<details open><summary>")
        context["body"] = body


def setup(app: Sphinx) -> dict[str, object]:
    app.add_config_value("workbook_edition", "participant", "env", [str])
    app.connect("config-inited", _choose_edition, priority=100)
    # Run before myst-nb starts executing notebooks (its handler also listens on builder-inited).
    app.connect("builder-inited", _check_and_prepare, priority=100)
    app.connect("missing-reference", _faculty_link_as_text)
    # After the themes' own handlers (which add the toctree function and the page's scripts).
    app.connect("html-page-context", _page_context, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.0"}
