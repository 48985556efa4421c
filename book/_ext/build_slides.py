"""Make reveal.js slides from every module notebook, into ``_build/slides/`` (works offline).

Run from the repository root::

    python book/_ext/build_slides.py            # all modules -> _build/slides/NN_name.slides.html
    python book/_ext/build_slides.py --out DIR notebooks/00_orientation.ipynb

Each notebook cell's ``slideshow.slide_type`` metadata ("slide", "subslide", "fragment", "skip",
"notes") decides how it is cut into slides; ``book/_ext/slide_metadata.py`` adds it. The committed
outputs are shown as they are (nothing is executed). reveal.js (vendored from npm, see
``book/_static/vendor/VENDORED.md``) and RequireJS are copied next to the slides, so the folder
opens from disk or any web server with no network.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from nbconvert import SlidesExporter
from traitlets.config import Config

ROOT = Path(__file__).resolve().parents[2]
VENDOR = ROOT / "book" / "_static" / "vendor"
TEMPLATE_DIR = Path(__file__).resolve().parent / "slides_template"
DEFAULT_OUT = ROOT / "_build" / "slides"

# Static outputs first: a widget view would need a kernel or a widget manager.
DISPLAY_PRIORITY = [
    "text/html",
    "text/markdown",
    "image/svg+xml",
    "image/png",
    "image/jpeg",
    "text/latex",
    "text/plain",
]


def module_notebooks() -> list[Path]:
    """The module notebooks, in order (``notebooks/NN_*.ipynb``)."""
    return sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def exporter() -> SlidesExporter:
    """A SlidesExporter using the workbook's offline template."""
    c = Config()
    c.SlidesExporter.extra_template_paths = [str(TEMPLATE_DIR)]
    c.SlidesExporter.template_file = "pe_slides.html.j2"
    c.SlidesExporter.reveal_url_prefix = "reveal.js"
    c.SlidesExporter.require_js_url = "require.js"
    c.SlidesExporter.reveal_theme = "white"
    c.SlidesExporter.exclude_input_prompt = True
    c.SlidesExporter.exclude_output_prompt = True
    c.NbConvertBase.display_data_priority = DISPLAY_PRIORITY
    # As on the published site: cells tagged hide-input show their output only.
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_input_tags = {"hide-input", "remove-input"}
    c.TagRemovePreprocessor.remove_cell_tags = {"remove-cell"}
    c.TagRemovePreprocessor.remove_all_outputs_tags = {"remove-output"}
    return SlidesExporter(config=c)


def build_slides(notebooks: list[Path], out: Path) -> list[Path]:
    """Write one ``NN_name.slides.html`` per notebook into ``out``; return the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    shutil.copytree(VENDOR / "reveal.js", out / "reveal.js", dirs_exist_ok=True)
    shutil.copy2(VENDOR / "requirejs" / "require.js", out / "require.js")
    made = []
    slides = exporter()
    for notebook in notebooks:
        body, _ = slides.from_filename(str(notebook))
        target = out / f"{notebook.stem}.slides.html"
        target.write_text(body, encoding="utf-8")
        made.append(target)
    return made


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every notebooks/NN_*.ipynb")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="default: _build/slides")
    args = parser.parse_args(argv)
    made = build_slides(args.notebooks or module_notebooks(), args.out)
    for path in made:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
