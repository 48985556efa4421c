"""What a saved notebook shows, when reopened, where an exercise's live widget is gone.

Why this exists (JupyterLab 4.6 with jupyterlab_widgets 3.0.17, read in its shipped JavaScript):

- An exercise's output carries two views: ``application/vnd.jupyter.widget-view+json`` (the live
  widget, a renderer registered as *unsafe* with rank -10, so it wins whenever the output is
  trusted) and ``text/html`` (the static card). JupyterLab shows an untrusted output (a notebook
  just cloned or downloaded, not yet run) with the best *safe* renderer: the static card.
- Once the participant has run the notebook and it is saved, it is signed and trusted: on reopen
  the widget view is chosen. Its renderer looks the model up; the widget manager first loads the
  models the running kernel still has, then the widget state stored in the notebook's metadata
  (``metadata.widgets``, read on every open whatever the "save widget state" setting). A model in
  neither place gives "Error displaying widget: model not found"; there is no fallback to
  ``text/html``.

So every exercise is displayed in a frame whose model id is stable
(:attr:`helpers.exercises.Exercise.display_id`), and :func:`reopen_state` stores, in the notebook's
metadata, a one-line HTML model under each such id: "Run this cell (Shift+Enter) to answer here."
A reopened notebook whose kernel still runs shows the live widgets (the kernel's models come
first); one with a new kernel shows that line until the cell runs. JupyterLab never rewrites
this metadata unless a participant turns on "Save Widget State Automatically" (then it stores the
live widgets instead, which also display).

Run it after executing the notebooks (``nbconvert --execute`` stores the whole live widget state,
hundreds of kB of dead widgets; this replaces it)::

    python -m helpers.exercises.reopen notebooks/*.ipynb
"""

from __future__ import annotations

import argparse
import html
import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from helpers.exercises._base import DISPLAY_ID_PREFIX, RUN_NOTE_LAB, WIDGET_VIEW_MIME

__all__ = ["WIDGET_STATE_MIME", "exercise_ids", "main", "reopen_state", "run_line_state"]

WIDGET_STATE_MIME = "application/vnd.jupyter.widget-state+json"
_CONTROLS = ("@jupyter-widgets/controls", "2.0.0")
_BASE = ("@jupyter-widgets/base", "2.0.0")


def run_line_state(model_id: str, text: str = RUN_NOTE_LAB) -> dict[str, Any]:
    """The widget state of one HTML line (and its layout and style) under ``model_id``.

    Example
    -------
    >>> state = run_line_state("pe-exercise-abc")
    >>> sorted(state)
    ['pe-exercise-abc', 'pe-exercise-abc-layout', 'pe-exercise-abc-style']
    >>> state["pe-exercise-abc"]["state"]["value"]
    '<p class="pe-run-note"><em>Run this cell (Shift+Enter) to answer here.</em></p>'
    """

    def model(name: str, module: tuple[str, str], state: dict[str, Any]) -> dict[str, Any]:
        return {
            "model_name": name,
            "model_module": module[0],
            "model_module_version": module[1],
            "state": state,
        }

    return {
        model_id: model(
            "HTMLModel",
            _CONTROLS,
            {
                "_dom_classes": ["pe-exercise-not-running"],
                "layout": f"IPY_MODEL_{model_id}-layout",
                "style": f"IPY_MODEL_{model_id}-style",
                "value": f'<p class="pe-run-note"><em>{html.escape(text)}</em></p>',
            },
        ),
        f"{model_id}-layout": model("LayoutModel", _BASE, {}),
        f"{model_id}-style": model("HTMLStyleModel", _CONTROLS, {}),
    }


def exercise_ids(nb: dict[str, Any]) -> list[str]:
    """The exercise frames' model ids displayed in a notebook's outputs, in order, once each.

    Example
    -------
    >>> cell = {"cell_type": "code", "outputs": [{"output_type": "display_data", "data": {
    ...     "application/vnd.jupyter.widget-view+json": {"model_id": "pe-exercise-1"}}}]}
    >>> exercise_ids({"cells": [cell, cell]})
    ['pe-exercise-1']
    """
    ids: list[str] = []
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            view = output.get("data", {}).get(WIDGET_VIEW_MIME)
            model_id = view.get("model_id", "") if isinstance(view, dict) else ""
            if model_id.startswith(DISPLAY_ID_PREFIX) and model_id not in ids:
                ids.append(model_id)
    return ids


def reopen_state(nb: dict[str, Any]) -> dict[str, Any]:
    """Replace a notebook's stored widget state with one "run this cell" line per exercise.

    Widgets displayed outside an exercise (not under :data:`DISPLAY_ID_PREFIX`) are not kept:
    their ids change on every run, so a stored copy could never match a participant's run.
    A notebook without exercises loses its ``widgets`` metadata. The notebook is changed in
    place and returned.

    Example
    -------
    >>> cell = {"cell_type": "code", "outputs": [{"output_type": "display_data", "data": {
    ...     "application/vnd.jupyter.widget-view+json": {"model_id": "pe-exercise-1"}}}]}
    >>> nb = reopen_state({"cells": [cell], "metadata": {"widgets": {"big": "dead state"}}})
    >>> sorted(nb["metadata"]["widgets"]["application/vnd.jupyter.widget-state+json"]["state"])
    ['pe-exercise-1', 'pe-exercise-1-layout', 'pe-exercise-1-style']
    """
    metadata = nb.setdefault("metadata", {})
    ids = exercise_ids(nb)
    if not ids:
        metadata.pop("widgets", None)
        return nb
    state: dict[str, Any] = {}
    for model_id in ids:
        state.update(run_line_state(model_id))
    metadata["widgets"] = {WIDGET_STATE_MIME: {"version_major": 2, "version_minor": 0, "state": state}}
    return nb


def rewrite(paths: Iterable[Path]) -> list[Path]:
    """Apply :func:`reopen_state` to notebook files; return those that changed."""
    changed = []
    for path in paths:
        text = path.read_text(encoding="utf-8")
        nb = json.loads(text)
        new = json.dumps(reopen_state(nb), indent=1, sort_keys=True, ensure_ascii=False) + "\n"
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(path)
    return changed


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m helpers.exercises.reopen NOTEBOOK...``."""
    parser = argparse.ArgumentParser(
        prog="python -m helpers.exercises.reopen",
        description="Store, in each notebook, what its exercises show when it is reopened before "
        "its cells run again (one 'Run this cell' line each), replacing the stored widget state.",
    )
    parser.add_argument("notebooks", nargs="+", type=Path)
    args = parser.parse_args(argv)
    missing = [str(p) for p in args.notebooks if not p.is_file()]
    if missing:
        parser.error(f"no such notebook: {', '.join(missing)}")
    for path in rewrite(args.notebooks):
        print(f"rewrote {path}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
