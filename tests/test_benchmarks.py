"""The benchmark runner's own logic (``benchmarks/run_all.py``): no timing is asserted here.

Performance is measured by ``python benchmarks/run_all.py``, never in tests; these tests check
that what it reports is computed correctly — which builds executed or reused a notebook, and what
a measured command cost.
"""

from __future__ import annotations

import datetime
import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def run_all():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    spec = importlib.util.spec_from_file_location("run_all", ROOT / "benchmarks" / "run_all.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["run_all"] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop("run_all", None)
    sys.path.remove(str(ROOT / "benchmarks"))


def at(minute: int) -> datetime.datetime:
    return datetime.datetime(2026, 12, 1, 22, minute)


def test_cache_use_tells_executed_reexecuted_new_and_reused(run_all) -> None:
    before = [("notebooks/00.ipynb", at(1), at(2)), ("notebooks/01.ipynb", at(1), at(2))]
    after = [
        ("notebooks/00.ipynb", at(1), at(11)),  # outputs reused by this build
        ("notebooks/01.ipynb", at(1), at(2)),  # not read (unchanged page)
        ("notebooks/01.ipynb", at(12), at(12)),  # the same file executed again (it changed)
        ("book/faculty/gallery.ipynb", at(13), at(13)),  # only in this edition
    ]
    use = run_all.cache_use(before, after, at(10))
    assert use["executed"] == 2
    assert use["reexecuted"] == ["notebooks/01.ipynb"]
    assert use["new"] == ["book/faculty/gallery.ipynb"]
    assert use["served"] == 1  # only 00's outputs were reused
    assert use["cached_now"] == 4


def test_cache_use_of_a_build_that_touched_nothing(run_all) -> None:
    records = [("notebooks/00.ipynb", at(1), at(2))]
    use = run_all.cache_use(records, records, at(10))
    assert (use["executed"], use["reexecuted"], use["new"], use["served"]) == (0, [], [], 0)


def test_run_measured_reports_the_exit_code_output_and_cpu_of_the_child(run_all) -> None:
    busy = "import sys\nx = sum(i * i for i in range(3_000_000))\nprint('done')\nsys.exit(3)"
    run = run_all.run_measured([sys.executable, "-c", busy])
    assert run.returncode == 3
    assert run.stdout.strip() == "done"
    assert run.cpu > 0 and run.wall > 0
    assert 0.001 < run.peak < 4  # GiB: a small Python process


def test_measures_worker_checks_that_every_approach_counts_the_same_people(run_all) -> None:
    for approach in ("helpers", "groupby", "duckdb"):
        answer = run_all.worker_measures(20_000, approach, 1, 7)
        assert answer["strata"] > 100
        assert answer["wall"] > 0 and answer["cpu"] >= 0
