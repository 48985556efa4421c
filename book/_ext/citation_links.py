"""Sphinx extension: the notebooks' plain-Markdown citations become real citations on the site.

The committed notebooks carry no MyST roles, so that JupyterLab, VS Code, Colab and GitHub show
them as the site does (README, "MyST in JupyterLab: rewritten, not jupyterlab-myst"): a citation
is a link to the notebook's own reference list, "([Jones, 2000](#ref-jones2000levels))", and the
last cell (tagged ``reference-list``) is that list, generated from the book's ``.bib`` files by
``python -m helpers.exercises.citations --in-place``.

When Sphinx reads a notebook (``source-read``: for MyST-NB the source is the notebook's JSON),
this extension turns every such citation back into a ``{cite:p}``/``{cite:t}`` role (with
:func:`helpers.exercises.citations.links_to_roles`) and drops the reference-list cell, so
sphinxcontrib-bibtex formats and links the citations to the book's bibliography and the ``-n -W``
build fails on a key that no ``.bib`` file defines. A link to ``#ref-…`` left over (not a citation
in the generated form) is a warning, so it fails the build too.

Only the text MyST-NB parses changes: the file on disk, which the site's download button serves,
keeps the participant's version. Code cells, and so the execution cache (keyed on code only), are
untouched.
"""

from __future__ import annotations

import json
import re
from typing import Any

from sphinx.application import Sphinx
from sphinx.util import logging

from helpers.exercises.citations import ANCHOR_PREFIX, REFERENCE_TAG, links_to_roles

logger = logging.getLogger(__name__)


def _text(source: str | list[str]) -> str:
    return "".join(source) if isinstance(source, list) else source


def notebook_for_the_book(nb: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Citation links to roles and the reference-list cell dropped; also the leftover ``#ref-`` links.

    The notebook is changed in place and returned, with one line per link the book could not turn
    into a citation (empty when all is well).

    Example
    -------
    >>> nb = {"cells": [
    ...     {"cell_type": "markdown", "metadata": {}, "source": ["As ([Jones, 2000](#ref-j)) says,\\n",
    ...                                                          "see [this](#ref-j)."]},
    ...     {"cell_type": "code", "metadata": {}, "source": "'([Jones, 2000](#ref-j))'"},
    ...     {"cell_type": "markdown", "metadata": {"tags": ["reference-list"]}, "source": "refs"}]}
    >>> nb, leftover = notebook_for_the_book(nb)
    >>> [c["source"] for c in nb["cells"]], leftover
    (['As {cite:p}`j` says,\\nsee [this](#ref-j).', "'([Jones, 2000](#ref-j))'"], ['cell 0: [this](#ref-j)'])
    """
    leftover_link = re.compile(r"\[[^\]\n]*\]\(#" + re.escape(ANCHOR_PREFIX) + r"[^)\s]*\)")
    cells = [c for c in nb.get("cells", []) if REFERENCE_TAG not in c.get("metadata", {}).get("tags", [])]
    leftover = []
    for i, cell in enumerate(cells):
        if cell.get("cell_type") != "markdown":
            continue
        text = links_to_roles(_text(cell.get("source", "")))
        cell["source"] = text
        leftover += [f"cell {i}: {m.group(0)}" for m in leftover_link.finditer(text)]
    nb["cells"] = cells
    return nb, leftover


def _source_read(app: Sphinx, docname: str, source: list[str]) -> None:
    if not str(app.env.doc2path(docname)).endswith(".ipynb"):
        return
    try:
        nb = json.loads(source[0])
    except ValueError:  # not JSON (a text notebook): nothing of ours to convert
        return
    nb, leftover = notebook_for_the_book(nb)
    for link in leftover:
        logger.warning(
            "a link to the notebook's reference list that is not a citation in the generated form "
            "(python -m helpers.exercises.citations --check): %s",
            link,
            location=docname,
        )
    source[0] = json.dumps(nb, ensure_ascii=False)


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the ``source-read`` handler."""
    app.connect("source-read", _source_read)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
