"""All of the workbook's benchmarks in one run, each as a ratio against a baseline timed in the same run.

What participants and maintainers feel, measured on a temporary copy of the repository (``git
archive HEAD``; the working tree is never built into, executed or modified):

1. **Book build**: a cold build (every notebook executed, empty execution cache) against the sum
   of the notebooks' own execution times plus a prose-only build of the same book (a temporary
   config with ``execute_notebooks: off``); a warm rebuild (nothing changed); a rebuild after one
   prose page changed; and a second edition built with another config, which must reuse the
   execution cache (jupyter-cache's records count the executions).
2. **Notebooks**: each notebook's execution time with nbclient, in a fresh kernel, with a
   temporary ``PE_WORKBOOK``.
3. **Widgets**: median and worst of 50 calls of each exercise's pure check/compute function on
   course data; and the time from a click (or a choice) to the feedback in a running kernel: the
   same comm messages JupyterLab sends are sent to the widget through jupyter_client, and the time
   runs until the kernel has published the feedback and gone idle.
4. **Helpers at scale**: ``stratified_rates`` + ``gaps`` + ``summary`` at 100 k, 1 M and 10 M rows
   against a bare pandas ``groupby`` and DuckDB's ``GROUP BY`` of the same counts (data from
   ``bench_measures.make_rows``).
5. **Report**: ``python -m helpers report`` on a 1 M-row CSV against DuckDB counting the same
   strata (the commands of ``bench_report.py``).

Every figure is wall time *and* CPU time (user + system of the process and its children), with
the peak resident memory of the process tree that did the work (each measured in a fresh
subprocess, read with ``os.wait4``). The load average is recorded at the start and the end: on a
shared machine wall time is inflated, CPU time much less so, and ratios measured in the same run
remain meaningful.

Usage::

    python benchmarks/run_all.py                        # everything; writes benchmarks/results.md
    python benchmarks/run_all.py --rows 100000 1000000  # smaller helper sizes
    python benchmarks/run_all.py --only widgets measures --results /tmp/partial.md

This is a script, not a test: pytest does not collect it.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

GIB = 2**30
SECTIONS = ("build", "notebooks", "widgets", "clicks", "measures", "report")
TARGETS = {
    "cold": "≤ 1.3 × (notebooks + prose-only build) and ≤ 180 s on 2 cores",
    "warm": "≤ 20 s",
    "notebook": "≤ 15 s each",
    "widget": "≤ 100 ms feedback",
    "measures": "helpers ≤ 1.0 × pandas groupby at 10 M rows",
    "report": "≤ 30 s at 1 M rows",
}


# ----------------------------------------------------------------------------- measuring


@dataclass
class Run:
    """One command's cost: wall and CPU seconds, peak RSS of its process tree (GiB)."""

    wall: float
    cpu: float
    peak: float
    returncode: int = 0
    stdout: str = ""
    stderr: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def run_measured(
    command: Sequence[str], *, cwd: Path | None = None, env: dict[str, str] | None = None
) -> Run:
    """Run ``command`` in a fresh process; its wall time, CPU time and peak RSS (``os.wait4``).

    ``wait4`` reports the child's own resource use plus that of every descendant it waited for
    (a kernel, a DuckDB or report process), and ``ru_maxrss`` is the largest single process of
    that tree, in KiB on Linux.
    """
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(list(command), cwd=cwd, env=env, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        kib = usage.ru_maxrss * (1 if sys.platform != "darwin" else 1 / 1024)
        return Run(
            wall, usage.ru_utime + usage.ru_stime, kib / 2**20, proc.returncode, out.read(), err.read()
        )


def worker(*args: str, env: dict[str, str] | None = None) -> Run:
    """Run this script's own ``--worker`` mode in a fresh interpreter; its JSON answer in ``extra``."""
    run = run_measured([sys.executable, str(Path(__file__).resolve()), "--worker", *args], env=env)
    if run.returncode != 0:
        raise RuntimeError(f"worker {args} failed ({run.returncode}):\n{run.stderr[-3000:]}")
    run.extra = json.loads(run.stdout.strip().splitlines()[-1])
    return run


def loadavg() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f}, {five:.2f}, {fifteen:.2f}"


def cpu_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def met(ok: bool) -> str:
    return "met" if ok else "**missed**"


# ----------------------------------------------------------------------------- workers (fresh processes)


def _timed_calls(fn: Callable[[], Any], n: int) -> tuple[list[float], list[float]]:
    walls, cpus = [], []
    for _ in range(n):
        c0, w0 = time.process_time(), time.perf_counter()
        fn()
        walls.append(time.perf_counter() - w0)
        cpus.append(time.process_time() - c0)
    return walls, cpus


def worker_measures(rows: int, approach: str, repeat: int, seed: int) -> dict[str, Any]:
    """Time one approach at one size on ``bench_measures.make_rows`` data (best of ``repeat``)."""
    import gc
    import resource

    import bench_measures as bm

    df = bm.make_rows(rows, seed=seed, by_dtype="category")
    gc.collect()
    gen_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    resident = _proc_status("VmRSS")
    # Reset the peak (Linux: writing 5 to clear_refs resets VmHWM), so that the peak read after
    # the runs is the approach's own on top of the data, not the data generator's.
    try:
        Path("/proc/self/clear_refs").write_text("5")
        hwm_reset = True
    except OSError:
        hwm_reset = False
    if approach == "helpers":
        fn: Callable[[], Any] = lambda: bm.run_helpers(df)  # noqa: E731
    elif approach == "groupby":
        fn = lambda: bm.run_baseline(df)  # noqa: E731
    else:
        import duckdb

        con = duckdb.connect()
        con.register("people", df)
        sql = (
            f"SELECT {', '.join(bm.BY)}, sum({bm.OUTCOME}::INTEGER) AS n, count(*) AS d "
            "FROM people GROUP BY ALL"
        )
        fn = lambda: con.sql(sql).fetchall()  # noqa: E731
    fn()  # warm-up: imports, first-call caches
    best = (float("inf"), 0.0)
    for _ in range(repeat):
        gc.collect()
        walls, cpus = _timed_calls(fn, 1)
        best = min(best, (walls[0], cpus[0]))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    extra = (_proc_status("VmHWM") - resident) if hwm_reset else float("nan")
    # The approaches must count the same people, or the comparison is moot.
    base = bm.run_baseline(df)
    if approach == "helpers":
        bm.check_same_counts(df)
    elif approach == "duckdb":
        got = fn()
        assert len(got) == len(base), (len(got), len(base))
        assert sum(r[-1] for r in got) == int(base["count"].sum()) == rows
        assert sum(r[-2] for r in got) == int(base["sum"].sum())
    return {
        "wall": best[0],
        "cpu": best[1],
        "peak": peak,
        "data_peak": gen_peak,
        "data": resident,
        "extra": extra,
        "strata": len(base),
    }


def _proc_status(key: str) -> float:
    """A memory figure of this process from /proc/self/status, in GiB (nan where there is none)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 2**20  # kB
    except OSError:
        pass
    return float("nan")


def worker_notebook(path: str) -> dict[str, Any]:
    """Execute one notebook with nbclient in a fresh kernel (cwd: its folder), outputs discarded."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory(prefix="pe-bench-nb-") as tmp:
        os.environ["PE_WORKBOOK"] = str(Path(tmp) / "workbook.json")
        client = NotebookClient(
            nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(Path(path).parent)}}
        )
        start = time.perf_counter()
        error = None
        try:
            client.execute()
        except Exception as exc:  # a failing notebook is reported, not hidden
            error = f"{type(exc).__name__}: {str(exc).strip().splitlines()[-1] if str(exc).strip() else ''}"
        wall = time.perf_counter() - start
    code = [c for c in nb.cells if c.cell_type == "code"]
    timings = []  # nbclient records when each cell started and finished (a per-cell profile)
    for number, cell in enumerate(code, start=1):
        stamps = cell.metadata.get("execution", {})
        if "iopub.execute_input" in stamps and "shell.execute_reply" in stamps:
            from datetime import datetime

            took = (
                datetime.fromisoformat(stamps["shell.execute_reply"].replace("Z", "+00:00"))
                - datetime.fromisoformat(stamps["iopub.execute_input"].replace("Z", "+00:00"))
            ).total_seconds()
            first = next((ln.strip() for ln in cell.source.splitlines() if ln.strip()), "")
            timings.append((took, number, first[:60]))
    slowest = [{"seconds": t, "cell": n, "starts": f} for t, n, f in sorted(timings, reverse=True)[:3]]
    return {
        "wall": wall,
        "cells": len(code),
        "cell_seconds": sum(t for t, _, _ in timings),
        "slowest": slowest,
        "error": error,
    }


def _course_cases() -> list[tuple[str, str, Callable[[], Any]]]:
    """Each exercise's pure check/compute function, called as its widget calls it, on course data."""
    import helpers.exercises as ex
    from helpers.categories import rates_by_rule
    from helpers.data import load_dataset
    from helpers.measures import stratified_rates

    patients = load_dataset("patients")
    screening_rows = load_dataset("cancer_screening")
    items = load_dataset("self_assessment")
    screening = stratified_rates(screening_rows, "screened", "race_ethnicity", denominator="eligible")
    by_rule = rates_by_rule(patients, "bp_controlled")
    ratings = {item: (i % 5) + 1 for i, item in enumerate(items.iloc[:, 0])}
    options = ["a finding about the patients", "a finding about the care the clinic delivers", "no finding"]
    aim = "Raise BP control for Black patients from 41% to 55% by December 2026"
    outline = (
        "Reliable blood-pressure measurement\n  Staff trained in technique\n    Monthly skills check\n"
        "Care in the patient's language\n  Professional interpreter at every visit\n"
        "    Book an interpreter with every visit"
    )
    solution = "black = 41\nwhite = 55\nratio = black / white"
    cats = ["Access", "Workforce", "Social and structural drivers of health", "Quality and safety"]
    answers = {"interpreters": "Access", "staff_survey": "Workforce", "food": cats[2], "infections": cats[3]}
    tmp = Path(tempfile.mkdtemp(prefix="pe-bench-export-"))
    import atexit

    atexit.register(shutil.rmtree, tmp, True)
    export = ex.course_export(patients, tmp)
    charter = {
        "aim": aim,
        "team": "Nurse lead, pharmacist, community health worker",
        "measures": "BP control by race and ethnicity",
        "changes": "Interpreter at every visit",
    }
    return [
        (
            "check_multiple_choice",
            "00-08 multiple choice",
            lambda: ex.check_multiple_choice(1, options=options, answer=1),
        ),
        (
            "check_select_all",
            "01 select all",
            lambda: ex.check_select_all([0, 2], options=options, answers=[1, 2]),
        ),
        (
            "check_numeric",
            "00-06 numeric (gap, with rates)",
            lambda: ex.check_numeric(
                "-14", answer=-9, units="percentage points", accept_sign=True, rates=(55, 64)
            ),
        ),
        (
            "check_code_answer",
            "00-09 code exercise",
            lambda: ex.check_code_answer("ratio", {"black": 41, "white": 55, "ratio": 41 / 55}, solution),
        ),
        (
            "check_classification",
            "00, 08 classification",
            lambda: ex.check_classification(answers, answers=answers, categories=cats),
        ),
        ("check_aim_statement", "05 aim builder (each keystroke)", lambda: ex.check_aim_statement(aim)),
        (
            "stratifier_table",
            "03 explorer: patients, BP control × race and payer",
            lambda: ex.stratifier_table(patients, "bp_controlled", ["race_ethnicity", "payer"]),
        ),
        (
            "rule_table_html",
            "02 category-rule explorer",
            lambda: ex.rule_table_html(by_rule, "hispanic_first"),
        ),
        (
            "what_if_gap_measures",
            "04 what-if slider",
            lambda: ex.describe_what_if(ex.what_if_gap_measures(screening, "Hispanic/Latino", 0.6, "White")),
        ),
        ("pdsa_compare", "06 PDSA planner", lambda: ex.pdsa_compare("5.0", "4.2", units="percentage points")),
        (
            "driver_diagram_spec",
            "05 driver diagram (spec only)",
            lambda: ex.driver_diagram_spec(aim, outline),
        ),
        (
            "score_self_assessment",
            "01 self-assessment scores",
            lambda: ex.score_self_assessment(ratings, items),
        ),
        ("check_charter", "09 project charter", lambda: ex.check_charter(charter)),
        (
            "team_report",
            "09 team-data upload: course export → report",
            lambda: ex.team_report(export, outcome="bp_controlled", by="race_ethnicity", reference="White"),
        ),
    ]


def worker_widgets(calls: int) -> dict[str, Any]:
    """Median, worst and first of ``calls`` calls of each pure function, in this fresh process."""
    os.environ.setdefault("MPLBACKEND", "Agg")
    rows = []
    for name, where, fn in _course_cases():
        walls, cpus = _timed_calls(fn, calls)
        rows.append(
            {
                "name": name,
                "where": where,
                "first": walls[0],
                "median": statistics.median(walls),
                "worst": max(walls),
                "median_cpu": statistics.median(cpus),
            }
        )
    return {"rows": rows}


# ----------------------------------------------------------------------------- click round trips

KERNEL_SETUP = r"""
import cProfile, io, json, os, pstats, tempfile
import ipywidgets as W
import helpers.exercises as ex
from helpers.data import load_dataset
from helpers.measures import stratified_rates
from helpers.workbook import Workbook

wb = Workbook(os.path.join(tempfile.mkdtemp(), "workbook.json"))
items = load_dataset("self_assessment")
screening = stratified_rates(load_dataset("cancer_screening"), "screened", "race_ethnicity",
                             denominator="eligible")
AIMS = ["Raise BP control for Black patients from 41% to 55% by December 2026",
        "Raise BP control for Black patients from 41% to 57% by June 2027"]
OUTLINE = ("Reliable measurement\n  Staff trained\n    Monthly skills check\n"
           "Care in the patient's language\n  Interpreter at every visit\n    Book one with every visit")

def walk(w):
    yield w
    for c in getattr(w, "children", ()):
        yield from walk(c)

def find(e, kind, description=None):
    for w in walk(e.widget):
        if isinstance(w, kind) and (description is None or w.description.startswith(description)):
            return w
    raise LookupError((kind, description))

def click(w, timed=True):
    return (w.comm.comm_id, {"method": "custom", "content": {"event": "click"}}, timed, w.click)

def update(w, state, timed=True):
    return (w.comm.comm_id, {"method": "update", "state": state, "buffer_paths": []}, timed,
            lambda: w.set_state(state))

def make(name, n):
    # A fresh exercise and the steps a participant takes: (comm id, message data, timed, action).
    steps = []
    if name.startswith("numeric_answer"):
        e = ex.numeric_answer("Gap?", -9, units="percentage points", accept_sign=True, rates=(55, 64),
                              workbook=wb, module="00", key="q1")
        for i in range(n):
            if "Enter" in name:
                steps.append(update(e.entry, {"value": ["9", "14", "-9", "0.86"][i % 4]}))
            else:
                steps += [update(e.entry, {"value": ["9", "14"][i % 2]}, False), click(e.check_button)]
    elif name == "multiple_choice (choose)":
        e = ex.multiple_choice("Which?", ["a", "b", "c"], answer=1, explanations=["no", "yes", "no"],
                               workbook=wb, module="00", key="q2")
        steps = [update(find(e, W.RadioButtons), {"index": i % 3}) for i in range(n)]
    elif name.startswith("stratifier_explorer"):
        e = ex.stratifier_explorer(workbook=wb, module="03", key="explorer")
        by1, by2 = find(e, W.Dropdown, "Stratify by"), find(e, W.Dropdown, "and by")
        if name.endswith("new choice)"):
            fresh = []
            for a in range(len(by1.options)):
                fresh.append(update(by1, {"index": a}, False))
                fresh += [update(by2, {"index": b}) for b in range(1, len(by2.options))
                          if by2.options[b] != by1.options[a]]
            while sum(s[2] for s in steps) < n:
                steps.append(fresh.pop(0))
        else:  # two choices seen before, alternately: the explorer keeps what it drew
            steps = [update(by2, {"index": 1 + i % 2}, i >= 2) for i in range(n + 2)]
    elif name == "what_if_gap (slider)":
        e = ex.what_if_gap(screening, reference="White", group="Hispanic/Latino",
                           workbook=wb, module="04", key="whatif")
        steps = [update(e.group_rate, {"value": 40 + i % 50}) for i in range(n)]
    elif name == "driver_diagram_builder (Draw)":
        e = ex.driver_diagram_builder(workbook=wb, module="05", key="drivers")
        steps.append(update(find(e, W.Textarea, "Drivers"), {"value": OUTLINE}, False))
        for i in range(n):
            steps += [update(find(e, W.Textarea, "Aim"), {"value": AIMS[i % 2]}, False),
                      click(find(e, W.Button, "Draw"))]
    elif name == "self_assessment (Show my scores)":
        e = ex.self_assessment(items, workbook=wb, module="01", key="self")
        dds = [w for w in walk(e.widget) if isinstance(w, W.Dropdown)]
        steps += [update(d, {"index": 2}, False) for d in dds]
        for i in range(n):
            steps += [update(dds[0], {"index": 1 + i % 3}, False), click(find(e, W.Button, "Show my scores"))]
    else:
        raise KeyError(name)
    return e, steps

NAMES = ["numeric_answer (type + Enter)", "numeric_answer (Check button)", "multiple_choice (choose)",
         "stratifier_explorer (new choice)", "stratifier_explorer (choice seen before)",
         "what_if_gap (slider)", "driver_diagram_builder (Draw)", "self_assessment (Show my scores)"]

def steps_json(n):
    global KEEP
    KEEP = {name: make(name, n) for name in NAMES}
    return json.dumps({name: [s[:3] for s in steps] for name, (e, steps) in KEEP.items()})

def profile(name, n=10, top=14):
    # cProfile of a fresh exercise's first n timed steps, run in Python as the comm handler runs them.
    e, steps = make(name, n)
    prof = cProfile.Profile()
    for _, _, timed, action in steps:
        if timed:
            prof.enable(); action(); prof.disable()
        else:
            action()
    out = io.StringIO()
    pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(
        r"helpers/|savefig|print_png|tight_layout|tightbbox|b64encode|to_html|stratified_rates", top)
    text = out.getvalue()
    return text[text.index("ncalls"):] if "ncalls" in text else text
"""


def measure_clicks(calls: int, env: dict[str, str]) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Time click → feedback for several widgets in one running kernel, through its comm channel.

    The client sends what JupyterLab sends for a click (``comm_msg`` with ``{"method": "custom",
    "content": {"event": "click"}}``) or for a choice or an Enter (``{"method": "update", "state":
    {...}}``), and the clock stops when the kernel has run the widget's handler, published the
    feedback's state update on IOPub and reported idle for that message. Left out: the browser
    drawing the new HTML. Widgets that miss the target are profiled (cProfile) in the same kernel.
    """
    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(kernel_name="python3", env=env)

    def run_code(code: str) -> str:
        sink: list[str] = []
        reply = kc.execute_interactive(code, timeout=600, output_hook=lambda m: _collect(m, sink))
        if reply["content"]["status"] != "ok":
            raise RuntimeError("".join(sink))
        return "".join(sink)

    try:
        run_code(KERNEL_SETUP)
        spec = json.loads(run_code(f"print(steps_json({calls}))").strip().splitlines()[-1])
        rows = []
        for name, steps in spec.items():
            walls, updates = [], 0
            cpu0 = float(run_code("import time; print(time.process_time())"))
            for comm_id, data, timed in steps:
                msg = kc.session.msg("comm_msg", {"comm_id": comm_id, "data": data})
                start = time.perf_counter()
                kc.shell_channel.send(msg)
                while True:
                    m = kc.get_iopub_msg(timeout=120)
                    if m["parent_header"].get("msg_id") != msg["header"]["msg_id"]:
                        continue
                    kind = m["msg_type"]
                    if timed and kind == "comm_msg" and m["content"]["data"].get("method") == "update":
                        updates += 1  # the kernel changed a widget: new feedback on screen
                    if kind == "status" and m["content"]["execution_state"] == "idle":
                        break
                if timed:
                    walls.append(time.perf_counter() - start)
            cpu = float(run_code("print(time.process_time())")) - cpu0
            rows.append(
                {
                    "name": name,
                    "n": len(walls),
                    "first": walls[0],
                    "median": statistics.median(walls),
                    "worst": max(walls),
                    "updates": updates,
                    "cpu": cpu / len(walls),
                }
            )
        profiles = {r["name"]: run_code(f"print(profile({r['name']!r}))") for r in rows if r["median"] > 0.1}
        return rows, profiles
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def _collect(msg: dict[str, Any], into: list[str]) -> None:
    if msg["msg_type"] == "stream":
        into.append(msg["content"]["text"])
    elif msg["msg_type"] == "error":
        into.append("\n".join(msg["content"]["traceback"]))


# ----------------------------------------------------------------------------- the repository copy and builds


def repo_copy(tmp: Path) -> Path:
    """A copy of the committed repository (``git archive HEAD``): builds never touch the working tree."""
    copy = tmp / "repo"
    copy.mkdir()
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "HEAD"], check=True, capture_output=True)
    subprocess.run(["tar", "-x", "-C", str(copy)], input=archive.stdout, check=True)
    return copy


def book_env(copy: Path) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(copy / "src"), "JUPYTER_PLATFORM_DIRS": "1", "MPLBACKEND": "Agg"}
    env.pop("PE_WORKBOOK", None)  # the build's extension sets a throw-away one
    env.pop("PE_EXECUTION_CACHE", None)  # measure the cache the configuration sets
    return env


def cache_dir(copy: Path, config: Path, path_output: Path) -> Path:
    """Where myst-nb puts the execution cache for this config (``execute.cache`` or its default)."""
    import yaml

    configured = (yaml.safe_load(config.read_text(encoding="utf-8")).get("execute") or {}).get("cache")
    if configured:
        return (copy / configured).resolve()  # relative to the working directory, the copy's root
    return (path_output / "_build" / ".jupyter_cache").resolve()


def cache_records(path: Path) -> list[tuple[str, datetime.datetime, datetime.datetime]]:
    """(notebook, created, last used) of every executed notebook in a jupyter-cache folder.

    myst-nb caches a notebook when it executes it (``created``) and touches the record when it
    reuses its outputs (``accessed``); the times are naive UTC.
    """
    if not path.exists():
        return []
    from jupyter_cache import get_cache

    root = str(path.parent.parent)
    return [
        (r.uri.removeprefix(root).lstrip("/"), r.created, r.accessed)
        for r in get_cache(path).list_cache_records()
    ]


def cache_use(
    before: list[tuple[str, datetime.datetime, datetime.datetime]],
    after: list[tuple[str, datetime.datetime, datetime.datetime]],
    start: datetime.datetime,
) -> dict[str, Any]:
    """What one build did with the cache: notebooks executed, re-executed, and served from it."""
    known = {uri for uri, _, _ in before}
    executed = sorted(uri for uri, created, _ in after if created >= start)
    return {
        "executed": len(executed),
        "executed_names": executed,
        "reexecuted": sorted(uri for uri in executed if uri in known),
        "new": sorted(uri for uri in executed if uri not in known),
        "served": sum(1 for _, created, accessed in after if created < start and accessed >= start),
        "cached_now": len(after),
    }


def build(copy: Path, path_output: Path, config: Path | None = None, *extra: str) -> Run:
    jb = shutil.which("jupyter-book") or str(Path(sys.executable).with_name("jupyter-book"))
    command = [jb, "build", ".", "-W", "-n", "--keep-going", "--path-output", str(path_output)]
    if config is not None:
        command += ["--config", str(config)]
    command += list(extra)
    config = config or copy / "_config.yml"
    cache = cache_dir(copy, config, path_output)
    before = cache_records(cache)
    start = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    run = run_measured(command, cwd=copy, env=book_env(copy))
    log = run.stdout + run.stderr
    run.extra = {
        **cache_use(before, cache_records(cache), start),
        "log_executing": log.count("Executing notebook"),
        "log_cached": log.count("Using cached notebook"),
        "warnings": log.count("WARNING:"),
        "cache": str(cache),
    }
    return run


def second_config(copy: Path, path: Path, *, prose_only: bool) -> tuple[Path, str]:
    """A second config: the faculty edition's own if one is committed, else ``_config.yml`` retitled."""
    import yaml

    faculty = sorted(
        p
        for p in copy.glob("_config*.y*ml")
        if p.name != "_config.yml" and not p.name.startswith("_config_bench")
    )
    source = faculty[0] if (faculty and not prose_only) else copy / "_config.yml"
    config = yaml.safe_load(source.read_text(encoding="utf-8"))
    if prose_only:
        config.setdefault("execute", {})["execute_notebooks"] = "off"
    elif not faculty:
        config["title"] = f"{config.get('title', '')} (second edition)"
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path, source.name


# ----------------------------------------------------------------------------- the run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000, 10_000_000])
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per helper approach (best kept)")
    parser.add_argument("--report-rows", type=int, default=1_000_000)
    parser.add_argument("--report-repeat", type=int, default=1)
    parser.add_argument("--calls", type=int, default=50, help="calls per widget function and per click")
    parser.add_argument("--seed", type=int, default=20240404)
    parser.add_argument("--only", nargs="+", choices=SECTIONS, default=list(SECTIONS))
    parser.add_argument("--results", type=Path, default=HERE / "results.md")
    parser.add_argument("--keep", action="store_true", help="keep the temporary repository copy")
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        kind, *rest = args.worker
        if kind == "measures":
            answer = worker_measures(int(rest[0]), rest[1], int(rest[2]), int(rest[3]))
        elif kind == "notebook":
            answer = worker_notebook(rest[0])
        else:
            answer = worker_widgets(int(rest[0]))
        print(json.dumps(answer))
        return 0

    import pandas as pd

    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    load_start = loadavg()
    lines: list[str] = []

    def emit(text: str = "") -> None:
        print(text, flush=True)
        lines.append(text)

    tmp = Path(tempfile.mkdtemp(prefix="pe-bench-"))
    copy = repo_copy(tmp)
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.strip()
    env = book_env(copy)
    summary: list[tuple[str, str, str, str]] = []  # (what, figure, target, verdict)
    try:
        # -- notebooks: each in a fresh kernel ------------------------------------------------
        nb_rows: list[tuple[str, Run]] = []
        totals: dict[str, float] = {}

        def section_notebooks() -> None:
            emit("## Notebooks: execution in a fresh kernel (nbclient)\n")
            emit(
                "| notebook | code cells | wall (s) | of which in "
                "cells (s) | CPU (s) | peak RSS (GiB) | ≤ 15 s "
                "| slowest cells (s, cell number: first line) |"
            )
            emit("|---|---:|---:|---:|---:|---:|---|---|")
            for nb in sorted((copy / "notebooks").glob("[0-9][0-9]_*.ipynb")):
                run = worker("notebook", str(nb), env=env)
                nb_rows.append((nb.stem, run))
                verdict = met(run.extra["wall"] <= 15) + (
                    f" (failed: {run.extra['error']})" if run.extra["error"] else ""
                )
                slow_cells = "; ".join(
                    f"{c['seconds']:.1f}, {c['cell']}: `{c['starts'].replace('|', '/').replace('`', '')}`"
                    for c in run.extra["slowest"]
                )
                emit(
                    f"| {nb.stem} | {run.extra['cells']} | {run.extra['wall']:.1f} | "
                    f"{run.extra['cell_seconds']:.1f} | {run.cpu:.1f} | {run.peak:.2f} | {verdict} | "
                    f"{slow_cells} |"
                )
            total_wall = sum(r.extra["wall"] for _, r in nb_rows)
            total_cpu = sum(r.cpu for _, r in nb_rows)
            totals.update(wall=total_wall, cpu=total_cpu)
            emit(f"| **all {len(nb_rows)}** | | **{total_wall:.1f}** | | **{total_cpu:.1f}** | | | |")
            emit(
                '\nWall time includes starting the kernel; "in cells" is the sum of nbclient\'s per-cell '
                "timings. CPU time is the client's and the kernel's together.\n"
            )
            emit()
            slowest = max(nb_rows, key=lambda t: t[1].extra["wall"])
            summary.append(
                (
                    "slowest notebook",
                    f"{slowest[0]}: {slowest[1].extra['wall']:.1f} s wall, {slowest[1].cpu:.1f} s CPU",
                    TARGETS["notebook"],
                    met(all(r.extra["wall"] <= 15 for _, r in nb_rows)),
                )
            )

        # -- the book ---------------------------------------------------------------------------
        def section_build() -> None:
            total_wall, total_cpu = totals["wall"], totals["cpu"]
            emit("## Book builds (temporary copy of the repository at HEAD)\n")
            prose_cfg, _ = second_config(copy, copy / "_config_bench_prose.yml", prose_only=True)
            prose = build(copy, tmp / "out-prose", prose_cfg)
            shutil.rmtree(copy / "_build", ignore_errors=True)
            cold = build(copy, tmp / "out-main")
            warm = build(copy, tmp / "out-main")
            page = copy / "book" / "how-to-use.md"
            page.write_text(
                page.read_text(encoding="utf-8") + "\n\nOne more sentence, for the benchmark.\n",
                encoding="utf-8",
            )
            prose_changed = build(copy, tmp / "out-main")
            others: list[tuple[str, Run]] = []
            if (copy / "_toc.faculty.yml").exists():  # the faculty edition, as the README builds it
                faculty = build(copy, tmp / "out-faculty", None, "--toc", "_toc.faculty.yml")
                others.append(("faculty edition (`--toc _toc.faculty.yml`, its own output folder)", faculty))
            # The same book under a second config (retitled), passed with --config.
            second_cfg, _ = second_config(copy, copy / "_config_bench_second.yml", prose_only=False)
            second = build(copy, tmp / "out-second", second_cfg)
            others.append(("second config (`--config`, retitled; its own output folder)", second))
            baseline = total_wall + prose.wall
            baseline_cpu = total_cpu + prose.cpu
            emit(
                "| build | wall (s) | CPU (s) | peak RSS (GiB) | notebooks executed (of them re-executed) "
                "| served from the cache | exit | warnings |"
            )
            emit("|---|---:|---:|---:|---:|---:|---:|---:|")
            for label, run in (
                ("prose only (`execute_notebooks: off`)", prose),
                ("cold (empty cache)", cold),
                ("warm (nothing changed)", warm),
                ("one prose page changed", prose_changed),
                *others,
            ):
                emit(
                    f"| {label} | {run.wall:.1f} | {run.cpu:.1f} | {run.peak:.2f} | {run.extra['executed']} "
                    f"({len(run.extra['reexecuted'])}) | {run.extra['served']} | {run.returncode} "
                    f"| {run.extra['warnings']} |"
                )
            emit()
            emit(
                f"Baseline = sum of the notebooks' own execution times ({total_wall:.1f} s wall, "
                f"{total_cpu:.1f} s CPU) + prose-only build ({prose.wall:.1f} s wall, {prose.cpu:.1f} s CPU) "
                f"= {baseline:.1f} s wall, {baseline_cpu:.1f} s CPU."
            )
            emit(
                f"Cold build / baseline: **{cold.wall / baseline:.2f}** (wall), "
                f"**{cold.cpu / baseline_cpu:.2f}** (CPU)."
            )
            emit(
                f"Execution cache: `{cold.extra['cache']}`. Counted in jupyter-cache's records (a record is "
                "created when myst-nb executes a notebook and touched when it reuses the outputs): "
                f"the cold build executed {cold.extra['executed']} notebooks; "
                + "; ".join(
                    f"the {label.split(' (')[0]} executed {run.extra['executed']} "
                    f"({', '.join(run.extra['new']) or 'none'} new to the cache, "
                    f"{len(run.extra['reexecuted'])} re-executed) and reused {run.extra['served']}"
                    for label, run in (
                        ("warm rebuild", warm),
                        ("rebuild after a prose change", prose_changed),
                        *others,
                    )
                )
                + "."
            )
            emit()
            for label, run in (("cold", cold), *others):
                warnings = [
                    line
                    for line in (run.stdout + run.stderr).splitlines()
                    if "WARNING:" in line and "IPKernelApp" not in line
                ]
                if run.returncode or warnings:
                    emit(
                        f"The {label.split(' (')[0]} build exited with {run.returncode} "
                        "(`-W --keep-going`: it builds every page, then fails on warnings); "
                        "its warnings:\n\n```\n"
                        + "\n".join(
                            w.replace("\x1b[91m", "").replace("\x1b[39;49;00m", "") for w in warnings[:8]
                        )
                        + "\n```\n"
                    )
            summary.append(
                (
                    "cold build / (notebooks + prose-only)",
                    f"{cold.wall / baseline:.2f} wall, "
                    f"{cold.cpu / baseline_cpu:.2f} CPU; {cold.wall:.0f} s wall, {cold.cpu:.0f} s CPU",
                    TARGETS["cold"],
                    met(cold.wall / baseline <= 1.3 and cold.wall <= 180)
                    + ("" if cold.cpu <= 180 * 2 else " (CPU alone exceeds 2 cores × 180 s)"),
                )
            )
            summary.append(
                (
                    "warm rebuild / after one prose page",
                    f"{warm.wall:.1f} s / {prose_changed.wall:.1f} s "
                    f"wall ({warm.cpu:.1f} / {prose_changed.cpu:.1f} s CPU)",
                    TARGETS["warm"],
                    met(warm.wall <= 20 and prose_changed.wall <= 20),
                )
            )
            summary.append(
                (
                    "another edition re-executes a notebook",
                    "; ".join(
                        f"{label.split(' (')[0]}: {len(run.extra['reexecuted'])} re-executed, "
                        f"{run.extra['served']} reused"
                        + (
                            f", {len(run.extra['new'])} only in this edition executed"
                            if run.extra["new"]
                            else ""
                        )
                        for label, run in others
                    ),
                    "0 (one execution cache for every edition)",
                    met(all(not run.extra["reexecuted"] and run.extra["served"] for _, run in others)),
                )
            )

        # -- widgets: pure functions -----------------------------------------------------------
        def section_widgets() -> None:
            run = worker("widgets", str(args.calls), env=env)
            emit(f"## Widget functions: {args.calls} calls each on course data (fresh process)\n")
            emit("| function | widget | first (ms) | median (ms) | median CPU (ms) | worst (ms) | ≤ 100 ms |")
            emit("|---|---|---:|---:|---:|---:|---|")
            for r in run.extra["rows"]:
                emit(
                    f"| `{r['name']}` | {r['where']} | {r['first'] * 1e3:.1f} | {r['median'] * 1e3:.2f} | "
                    f"{r['median_cpu'] * 1e3:.2f} | {r['worst'] * 1e3:.1f} | {met(r['median'] <= 0.1)} |"
                )
            emit(
                f'\nPeak RSS of the process: {run.peak:.2f} GiB. "first" includes loading the course data\'s '
                "lazy imports and first-call caches.\n"
            )
            slow = [r["name"] for r in run.extra["rows"] if r["median"] > 0.1]
            summary.append(
                (
                    "widget functions (median)",
                    f"{len(run.extra['rows']) - len(slow)} of {len(run.extra['rows'])} ≤ 100 ms",
                    TARGETS["widget"],
                    met(not slow) + (f" by {', '.join(slow)}" if slow else ""),
                )
            )

        # -- widgets: click → feedback in a kernel --------------------------------------------
        def section_clicks() -> None:
            emit(
                f"## Click → feedback in a running kernel ({args.calls} each, jupyter_client comm messages)\n"
            )
            emit(
                "| widget (action) | timed | first (ms) | median "
                "(ms) | worst (ms) | kernel CPU / action (ms) "
                "| feedback updates | ≤ 100 ms |"
            )
            emit("|---|---:|---:|---:|---:|---:|---:|---|")
            clicks, profiles = measure_clicks(args.calls, {**env, "PE_WORKBOOK": str(tmp / "clicks.json")})
            for r in clicks:
                emit(
                    f"| {r['name']} | {r['n']} | {r['first'] * 1e3:.1f} | {r['median'] * 1e3:.1f} | "
                    f"{r['worst'] * 1e3:.1f} | {r['cpu'] * 1e3:.1f} "
                    f"| {r['updates']} | {met(r['median'] <= 0.1)} |"
                )
            emit()
            emit(
                '"feedback updates" counts the widget-state updates the kernel sent back for the timed '
                "actions: an answer identical to the previous one changes "
                "nothing on screen and sends none. Kernel CPU per action "
                "includes the untimed set-up steps (typing an aim, choosing the first stratifier).\n"
            )
            for name, text in profiles.items():
                emit(f"cProfile of `{name}` (10 actions on a fresh widget, sorted by cumulative time):\n")
                emit("```\n" + text.strip() + "\n```\n")
            slow = [r["name"] for r in clicks if r["median"] > 0.1]
            summary.append(
                (
                    "click → feedback (median)",
                    f"{len(clicks) - len(slow)} of {len(clicks)} actions ≤ 100 ms",
                    TARGETS["widget"],
                    met(not slow) + (f" by {'; '.join(slow)}" if slow else ""),
                )
            )

        # -- helpers at scale ---------------------------------------------------------------------
        def section_measures() -> None:
            emit(
                "## stratified_rates + gaps + summary against pandas "
                f"groupby and DuckDB (best of {args.repeat})\n"
            )
            emit(
                "Each approach in a fresh process on "
                "`bench_measures.make_rows` data (by columns as category). "
                "Memory: the resident size of the process holding the data, then "
                "each approach's peak *on top of it* (Linux VmHWM, reset after "
                "generating the data).\n"
            )
            emit(
                "| rows | strata | helpers wall / CPU (s) | groupby wall / CPU (s) | DuckDB wall / CPU (s) | "
                "helpers / groupby, wall / CPU | helpers / DuckDB, wall "
                "/ CPU | GiB: data, + helpers, + groupby, + DuckDB |"
            )
            emit("|---:|---:|---:|---:|---:|---:|---:|---|")
            ratio_10m = None
            for n in args.rows:
                res = {
                    a: worker("measures", str(n), a, str(args.repeat), str(args.seed), env=env).extra
                    for a in ("helpers", "groupby", "duckdb")
                }
                h, g, d = res["helpers"], res["groupby"], res["duckdb"]
                emit(
                    f"| {n:,} | {h['strata']} | {h['wall']:.3f} / "
                    f"{h['cpu']:.3f} | {g['wall']:.3f} / {g['cpu']:.3f} | "
                    f"{d['wall']:.3f} / {d['cpu']:.3f} | "
                    f"{h['wall'] / g['wall']:.2f} / {h['cpu'] / g['cpu']:.2f} | "
                    f"{h['wall'] / d['wall']:.2f} / {h['cpu'] / d['cpu']:.2f} | "
                    f"{h['data']:.2f}, {h['extra']:.3f}, {g['extra']:.3f}, {d['extra']:.3f} |"
                )
                ratio_10m = (n, h["wall"] / g["wall"], h["cpu"] / g["cpu"])
            emit()
            if ratio_10m:
                summary.append(
                    (
                        f"helpers / groupby at {ratio_10m[0]:,} rows",
                        f"{ratio_10m[1]:.2f} wall, {ratio_10m[2]:.2f} CPU",
                        TARGETS["measures"],
                        met(ratio_10m[1] <= 1.0)
                        + ("" if ratio_10m[0] >= 10_000_000 else " (smaller size than the target's)"),
                    )
                )

        # -- the report command ---------------------------------------------------------------
        def section_report() -> None:
            import bench_report as br

            folder = tmp / "report"
            folder.mkdir()
            synth = [
                sys.executable,
                "-m",
                "helpers.synth",
                "--out",
                str(folder),
                "--rows",
                str(args.report_rows),
            ]
            subprocess.run(synth, check=True, capture_output=True, env=env)
            data = folder / "patients.csv"
            report_cmd = [
                sys.executable,
                "-m",
                "helpers",
                "report",
                str(data),
                *br.REPORT,
                "--out",
                str(folder / "report.html"),
            ]
            duck_cmd = [sys.executable, "-c", br.DUCKDB, str(data)]
            best = {}
            for label, cmd in (("report", report_cmd), ("duckdb", duck_cmd)):
                runs = [run_measured(cmd, env=env) for _ in range(args.report_repeat)]
                for r in runs:
                    if r.returncode:
                        raise RuntimeError(f"{label} failed:\n{r.stderr[-3000:]}")
                best[label] = min(runs, key=lambda r: r.wall)
            rep, duck = best["report"], best["duckdb"]
            emit(
                f"## The report command on {args.report_rows:,} "
                f"rows ({data.stat().st_size / 2**20:.0f} MB CSV, "
                f"best of {args.report_repeat})\n"
            )
            emit("| command | wall (s) | CPU (s) | peak RSS (GiB) |")
            emit("|---|---:|---:|---:|")
            emit(f"| `python -m helpers report …` | {rep.wall:.1f} | {rep.cpu:.1f} | {rep.peak:.2f} |")
            emit(f"| DuckDB counting the same strata | {duck.wall:.1f} | {duck.cpu:.1f} | {duck.peak:.2f} |")
            emit(f"\nReport / DuckDB: {rep.wall / duck.wall:.1f} (wall), {rep.cpu / duck.cpu:.1f} (CPU).\n")
            summary.append(
                (
                    f"report at {args.report_rows:,} rows",
                    f"{rep.wall:.1f} s wall, {rep.cpu:.1f} s CPU",
                    TARGETS["report"],
                    met(rep.wall <= 30) + ("" if rep.cpu <= 30 else " (CPU alone exceeds it)"),
                )
            )

        order = ["widgets", "clicks", "measures", "report", "notebooks", "build"]
        sections = {
            "widgets": section_widgets,
            "clicks": section_clicks,
            "measures": section_measures,
            "report": section_report,
            "notebooks": section_notebooks,
            "build": section_build,
        }
        wanted = set(args.only) | ({"notebooks"} if "build" in args.only else set())
        for name in order:
            if name not in wanted:
                continue
            try:
                sections[name]()
            except Exception as exc:  # one failing section must not lose the others' figures
                emit(f"**The {name} section failed:** `{type(exc).__name__}: {str(exc)[-1500:]}`\n")
                summary.append((name, "failed", "", "**not measured**"))
    finally:
        if args.keep:
            print(f"kept {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    load_end = loadavg()
    import numpy as np

    head = [
        "# Benchmark results",
        "",
        "Written by `python benchmarks/run_all.py` (see `benchmarks/README.md`). Do not edit by hand.",
        "",
        f"- Run: {started} → {time.strftime('%H:%M UTC', time.gmtime())}, commit `{commit}` "
        f"(built and executed from a `git archive` copy).",
        f"- Machine: {platform.system()} {platform.machine()}, {cpu_count()} cores; Python "
        f"{platform.python_version()}, pandas {pd.__version__}, numpy {np.__version__}.",
        f"- **Load average (1, 5, 15 min) at the start: {load_start}; at the end: {load_end}.** "
        "The machine was shared with other jobs, so wall times are inflated (a process gets a "
        "fraction of a core when the load exceeds the core count); CPU times (user + system, the "
        "process and its children) are much less affected, and ratios measured in the same run "
        "remain meaningful.",
        f"- Sections run: {', '.join(args.only)}; helper sizes: "
        f"{', '.join(f'{n:,}' for n in args.rows)} rows.",
        "",
        "## Summary against the targets",
        "",
        "| what | figure | target | verdict |",
        "|---|---|---|---|",
        *(f"| {a} | {b} | {c} | {d} |" for a, b, c, d in summary),
        "",
    ]
    print("\n".join(head[9:]))
    args.results.write_text("\n".join(head + lines) + "\n", encoding="utf-8")
    print(f"written {args.results}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
