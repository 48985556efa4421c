"""Click → words, and click → chart, for the three exercises that answer with a chart.

``run_all.py --only clicks`` stops its clock when the kernel goes idle after a click and sends
the next click at once. The chart exercises now answer in two steps — the words (the stratified
table, the scores, what the diagram lacks) while the handler runs, the chart just after it — so
this script times both steps separately, as a participant sees them: it sends JupyterLab's own
``comm_msg`` for a click or a choice, waits for everything the kernel sends back, and pauses
between clicks (``--pause``, default 1 s) as a person does.

Usage (from the repository root; measures the ``helpers`` on ``PYTHONPATH``)::

    PYTHONPATH=src python benchmarks/bench_clicks_words_first.py --clicks 10

Prints one Markdown table: per action, the median and worst milliseconds to the words and to the
chart, and the kernel's CPU milliseconds per action (words and chart together).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from typing import Any

SETUP = r"""
import json, os, tempfile, time
import ipywidgets as W
import helpers.exercises as ex
from helpers.data import load_dataset
from helpers.workbook import Workbook

wb = Workbook(os.path.join(tempfile.mkdtemp(), "workbook.json"))

def walk(w):
    yield w
    for c in getattr(w, "children", ()):
        yield from walk(c)

def find(e, kind, description):
    return next(w for w in walk(e.widget) if isinstance(w, kind) and w.description.startswith(description))

def click(w):
    return [w.comm.comm_id, {"method": "custom", "content": {"event": "click"}}]

def update(w, state):
    return [w.comm.comm_id, {"method": "update", "state": state, "buffer_paths": []}]

def plan(n):
    explorer = ex.stratifier_explorer(workbook=wb, module="03", key="explorer")
    by1, by2 = find(explorer, W.Dropdown, "Stratify by"), find(explorer, W.Dropdown, "and by")
    choices = [(a, b) for a in range(len(by1.options)) for b in range(1, len(by2.options))
               if by2.options[b] != by1.options[a]]
    new_choice = [[update(by1, {"index": a}), update(by2, {"index": b})] for a, b in choices[:n]]
    drivers = ex.driver_diagram_builder(workbook=wb, module="05", key="drivers")
    drivers.outline.value = ("Outreach\n  Calls in the patient's language\n    Text reminders\n"
                             "Access\n  Evening clinics")
    aims = ["Raise BP control for Black patients from 41% to 55% by December 2026",
            "Raise BP control for Black patients from 41% to 57% by June 2027"]
    draw = [[update(drivers.aim, {"value": aims[i % 2]}), click(drivers.draw_button)] for i in range(n)]
    scores = ex.self_assessment(load_dataset("self_assessment"), workbook=wb, module="01", key="self")
    first = next(iter(scores.ratings.values()))
    show = [[update(first, {"index": 1 + i % 3}), click(scores.show_button)] for i in range(n)]
    return {
        "stratifier_explorer (new choice)": [explorer.output.comm.comm_id, new_choice],
        "driver_diagram_builder (Draw)": [drivers.output.comm.comm_id, draw],
        "self_assessment (Show my scores)": [scores.output.comm.comm_id, show],
    }
"""


def run(clicks: int, pause: float) -> list[dict[str, Any]]:
    from jupyter_client.manager import start_new_kernel

    env = {**os.environ, "PE_WORKBOOK": os.path.join(tempfile.mkdtemp(), "wb.json"), "MPLBACKEND": "Agg"}
    km, kc = start_new_kernel(kernel_name="python3", env=env)

    def execute(code: str) -> str:
        out: list[str] = []

        def hook(msg: dict[str, Any]) -> None:
            if msg["msg_type"] == "stream":
                out.append(msg["content"]["text"])
            elif msg["msg_type"] == "error":
                out.append("\n".join(msg["content"]["traceback"]))

        reply = kc.execute_interactive(code, timeout=600, output_hook=hook)
        if reply["content"]["status"] != "ok":
            raise RuntimeError("".join(out))
        return "".join(out)

    def send(comm_id: str, data: dict[str, Any]) -> None:
        kc.shell_channel.send(kc.session.msg("comm_msg", {"comm_id": comm_id, "data": data}))

    def until_chart(output_id: str, since: float) -> tuple[float | None, float | None]:
        """Seconds from ``since`` to the output's first update (the words) and to its chart."""
        first = None
        while True:
            msg = kc.get_iopub_msg(timeout=60)
            when = time.perf_counter() - since
            data = msg["content"].get("data", {}) if msg["msg_type"] == "comm_msg" else {}
            if msg["content"].get("comm_id") != output_id or data.get("method") != "update":
                continue
            first = when if first is None else first
            if "<img" in str(data.get("state", {}).get("value", "")):
                return first, when

    try:
        execute(SETUP)
        plans = json.loads(execute(f"print(json.dumps(plan({clicks})))").strip().splitlines()[-1])
        rows = []
        for name, (output_id, actions) in plans.items():
            words, charts = [], []
            cpu0 = float(execute("print(time.process_time())"))
            for setup, action in actions:
                send(*setup)
                execute("pass")  # a barrier: queued behind the set-up step and any chart it drew
                time.sleep(pause)
                start = time.perf_counter()
                send(*action)
                first, chart = until_chart(output_id, start)
                if first is not None and first < chart:
                    words.append(first)  # else the words on screen did not change: the chart came first
                charts.append(chart)
                execute("pass")
            cpu = float(execute("print(time.process_time())")) - cpu0
            rows.append(
                {
                    "name": name,
                    "n": len(actions),
                    "words": words,
                    "charts": charts,
                    "cpu": cpu / max(len(actions), 1),
                }
            )
        return rows
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clicks", type=int, default=10, help="actions per widget (default 10)")
    parser.add_argument("--pause", type=float, default=1.0, help="seconds between actions (default 1)")
    args = parser.parse_args(argv)
    rows = run(args.clicks, args.pause)
    print(f"load average at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(
        "| widget (action) | n | words median (ms) | words worst (ms) | chart median (ms) | "
        "chart worst (ms) | kernel CPU / action (ms) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")

    def ms(values: list[float], how: Any) -> str:
        return f"{how(values) * 1000:.0f}" if values else "—"

    for r in rows:
        print(
            f"| {r['name']} | {r['n']} | {ms(r['words'], statistics.median)} | {ms(r['words'], max)} | "
            f"{ms(r['charts'], statistics.median)} | {ms(r['charts'], max)} | {r['cpu'] * 1000:.0f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
