"""Launch buttons: JupyterHub appears on every module page as soon as ``jupyterhub_url`` is set.

The published site has Binder, Colab and download buttons on every module page, built from
``repository.url`` and ``repository.branch`` in ``_config.yml`` (``tests/test_site_browser.py``
checks them on the default build). A JupyterHub button needs the address of *your* hub, so the
published ``_config.yml`` leaves ``launch_buttons.jupyterhub_url`` unset, and the README says to set
that one key. This test proves that setting it is enough: it builds the book with a copy of
``_config.yml`` that differs only in that key (plus notebook execution turned off, which changes no
button and keeps the build fast), passed with ``jupyter-book build --config``, and checks that every
module page gets a JupyterHub link, an nbgitpuller ``git-pull`` link (sphinx-book-theme's
``header_buttons/launch.py``; nbgitpuller's link format: https://nbgitpuller.readthedocs.io/en/latest/link.html)
that clones ``repository.url`` at ``repository.branch`` and opens that page's notebook in JupyterLab,
next to the Binder, Colab and download buttons. The build is offline: the buttons are only links.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup

from site_build import ROOT, build

MODULES = sorted(p.stem for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
# A hub address for this test only; the published site never points at a hub it does not know.
TEST_HUB = "https://hub.example.org"

pytestmark = pytest.mark.slow


def published_config() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))


def config_with_hub(config: dict[str, Any], hub: str) -> dict[str, Any]:
    """``config`` with ``launch_buttons.jupyterhub_url`` set, ready to be written elsewhere.

    Notebook execution is turned off (the stored outputs are shown; no button depends on it) and
    the local Sphinx extensions' folders are made absolute, because Jupyter Book resolves them
    against the folder of the config file.
    """
    changed = copy.deepcopy(config)
    changed["launch_buttons"]["jupyterhub_url"] = hub
    changed["execute"]["execute_notebooks"] = "off"
    local = changed.get("sphinx", {}).get("local_extensions") or {}
    for name, folder in local.items():
        local[name] = str((ROOT / folder).resolve())
    return changed


def test_the_published_config_sets_the_repository_and_no_hub() -> None:
    config = published_config()
    assert config["repository"]["url"] == "https://github.com/pursuing-equity/workbook"
    assert config["repository"]["branch"] == "main"
    buttons = config["launch_buttons"]
    assert buttons["binderhub_url"] == "https://mybinder.org"
    assert buttons["colab_url"] == "https://colab.research.google.com"
    assert buttons["notebook_interface"] == "jupyterlab"
    assert buttons["thebe"] is False  # reading the site never starts a kernel
    assert not buttons.get("jupyterhub_url"), "the published site must not point at a made-up hub"
    # The key is documented where it is set, commented out.
    assert re.search(r"^\s*# jupyterhub_url: ", (ROOT / "_config.yml").read_text(encoding="utf-8"), re.M)


def test_the_hub_build_changes_only_the_hub_setting() -> None:
    config = published_config()
    changed = config_with_hub(config, TEST_HUB)
    assert changed["launch_buttons"] == {**config["launch_buttons"], "jupyterhub_url": TEST_HUB}
    for key in ("launch_buttons", "execute", "sphinx"):
        changed.pop(key), config.pop(key)
    assert changed == config


@pytest.fixture(scope="module")
def hub_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The participant edition built with ``jupyterhub_url`` set (no notebook executed)."""
    base = tmp_path_factory.mktemp("site-with-hub")
    config_file = base / "_config.yml"
    config_file.write_text(yaml.safe_dump(config_with_hub(published_config(), TEST_HUB)), encoding="utf-8")
    # Not -W: warnings are the main build's business (tests/site_build.py); this one is about buttons.
    build(base, None, "--config", str(config_file), strict=False)
    return base / "_build" / "html"


def launch_links(site: Path, module: str) -> dict[str, list[str]]:
    page = BeautifulSoup((site / "notebooks" / f"{module}.html").read_text(encoding="utf-8"), "html.parser")
    hrefs = [a["href"] for a in page.select(".dropdown-launch-buttons a[href]")]
    return {
        "hub": [h for h in hrefs if h.startswith(f"{TEST_HUB}/")],
        "binder": [h for h in hrefs if h.startswith("https://mybinder.org/")],
        "colab": [h for h in hrefs if h.startswith("https://colab.research.google.com/")],
        "download": [a["href"] for a in page.select(f'a[href$="_sources/notebooks/{module}.ipynb"]')],
        "all": hrefs,
    }


def test_the_hub_build_covers_every_module() -> None:
    assert len(MODULES) == 10, MODULES


@pytest.mark.parametrize("module", MODULES)
def test_every_module_page_gets_a_jupyterhub_link_next_to_binder_and_colab(
    hub_site: Path, module: str
) -> None:
    links = launch_links(hub_site, module)
    assert len(links["hub"]) == 1, f"{module}: no JupyterHub launch link among {links['all']}"
    hub = urlsplit(links["hub"][0])
    assert f"{hub.scheme}://{hub.netloc}{hub.path}" == f"{TEST_HUB}/hub/user-redirect/git-pull"
    query = parse_qs(hub.query)
    repository = published_config()["repository"]
    url, branch = repository["url"], repository["branch"]
    owner_and_name = urlsplit(url).path.strip("/")
    # nbgitpuller clones the repository into a folder named after it, then opens the notebook there.
    assert query == {
        "repo": [url],
        "branch": [branch],
        "urlpath": [f"lab/tree/{owner_and_name.split('/')[-1]}/notebooks/{module}.ipynb"],
    }
    assert links["binder"] == [
        f"https://mybinder.org/v2/gh/{owner_and_name}/{branch}?urlpath=lab/tree/notebooks/{module}.ipynb"
    ]
    assert links["colab"] == [
        f"https://colab.research.google.com/github/{owner_and_name}/blob/{branch}/notebooks/{module}.ipynb"
    ]
    assert links["download"], f"{module}: no download link for the notebook"
    assert (hub_site / "_sources" / "notebooks" / f"{module}.ipynb").is_file()
