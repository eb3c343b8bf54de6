"""The timeline of one start of the app to its overview, to see where the time goes.

    python -m benchmarks.startup_trace WORKSPACE [--runs 3] [--cold]

Each run is a fresh process, as in benchmarks/startup.py; every moment is printed in seconds
since the process was spawned (the median over the runs). WORKSPACE is one built by
benchmarks/workspace_builder.py (e.g. `python -m benchmarks.startup` builds one in a temp
folder; build one to keep with `build_workspace(Path(...), 10_000)`). `--cold` removes the
overview summary before each run (a first start).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.startup import as_installed
from inspect_tui.store.summary import CACHE_NAME

TRACED_APP = """
import functools, json, os, sys, threading, time
T0 = float(os.environ["BENCH_T0"])
marks = {"python up": time.time() - T0}
cpu = {"python up": time.process_time()}

def mark(name):
    if name not in marks:
        marks[name] = time.time() - T0
        cpu[name] = time.process_time()  # the process's CPU seconds: less noisy when shared

def traced(owner, name, before=None, after=None):
    original = getattr(owner, name)

    @functools.wraps(original)  # Textual counts a handler's parameters
    def wrapper(*args, **kwargs):
        if before:
            mark(before)
        try:
            return original(*args, **kwargs)
        finally:
            if after:
                mark(after)

    setattr(owner, name, wrapper)

import textual.app
mark("textual imported")
from inspect_tui.tui.app import InspectApp, make_app
from inspect_tui.tui.screens import overview
from inspect_tui.store import summary, workspace
mark("app imported")

traced(workspace.Workspace, "open", "workspace open: start", "workspace open: end")
traced(summary, "preview", "summary read: start", "summary read: end")
traced(workspace.Workspace, "inspection", "read whole: start", "read whole: end")
traced(overview.OverviewScreen, "on_mount", "overview mount: start", "overview mount: end")
traced(overview.OverviewScreen, "attach", "inspection attached: start",
       "inspection attached: end")
filled = overview.OverviewScreen.fill
done = threading.Event()

def fill(self, *args, **kwargs):
    mark("fill: start")
    filled(self, *args, **kwargs)
    if self.table.row_count:
        mark("fill: end")
        self.call_after_refresh(lambda: (mark("table drawn"), done.set()))

overview.OverviewScreen.fill = fill

class Traced(InspectApp):
    CSS_PATH = [os.path.join(os.path.dirname(sys.modules[InspectApp.__module__].__file__), p)
                for p in ([InspectApp.CSS_PATH] if isinstance(InspectApp.CSS_PATH, str)
                          else InspectApp.CSS_PATH)]

    def compose(self):
        mark("app compose")
        yield from super().compose()

    def on_mount(self):
        mark("app mount")
        super().on_mount()
        self.call_after_refresh(lambda: mark("first frame"))

    def push_screen(self, *args, **kwargs):
        mark("push screen")
        return super().push_screen(*args, **kwargs)

async def pilot(pilot):
    for _ in range(3000):  # 30 s at most: a broken trace prints what it has
        if done.is_set():
            break
        await pilot.pause(0.01)
    await pilot.pause(0.3)  # the rest of the load, for the record
    print(json.dumps(cpu if os.environ.get("TRACE_CPU") else marks))
    pilot.app.exit()

app = Traced(make_app(sys.argv[1]).settings)
mark("app made")
app.run(headless=True, auto_pilot=pilot, size=(100, 30))
"""


def run(root: Path, code: Path) -> dict[str, float]:
    """One start of the app in `code` (a checkout: this one, or an older one to compare)."""
    env = {**os.environ, "BENCH_T0": repr(time.time()), "INSPECT_TUI_INSPECTOR": "基准",
           "PYTHONPATH": str(code)}
    done = subprocess.run([sys.executable, "-c", TRACED_APP, str(root)], env=env, check=True,
                          capture_output=True, text=True, cwd=code)
    marks: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return marks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workspace", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cold", action="store_true")
    parser.add_argument("--base", type=Path, help="an older checkout, run alternately")
    parser.add_argument("--cpu", action="store_true",
                        help="CPU seconds the process used by each moment, not wall time")
    args = parser.parse_args()
    if args.cpu:
        os.environ["TRACE_CPU"] = "1"
    here = Path(__file__).resolve().parent.parent
    codes = [here] if args.base is None else [args.base.resolve(), here]
    results: dict[Path, list[dict[str, float]]] = {code: [] for code in codes}
    for code in codes:  # as installed (compiled, message catalogue cached)
        as_installed(code / "inspect_tui")
    with tempfile.TemporaryDirectory(prefix="startup-trace-") as tmp:
        # a copy of the workspace per checkout: each keeps its own summary (stamped with
        # its code), so neither finds the other's stale
        roots = {code: args.workspace if len(codes) == 1 else
                 Path(shutil.copytree(args.workspace, Path(tmp) / str(n)))
                 for n, code in enumerate(codes)}
        for _ in range(args.runs + (not args.cold)):  # warm: a first run writes the summary
            for code in codes:  # interleaved: both see the same machine load
                if args.cold:
                    for cache in roots[code].glob(f"inspections/*/{CACHE_NAME}"):
                        cache.unlink()
                results[code].append(run(roots[code], code))
    if not args.cold:
        results = {code: runs[1:] for code, runs in results.items()}
    for code, runs in results.items():
        print(f"-- {code}")
        show(runs)


def show(runs: list[dict[str, float]]) -> None:
    names = sorted({name for marks in runs for name in marks},
                   key=lambda name: statistics.median(m.get(name, 99) for m in runs))
    for name in names:
        values = [m[name] for m in runs if name in m]
        print(f"{name:32}{statistics.median(values):8.3f}s  "
              + " ".join(f"{v:.3f}" for v in values))


if __name__ == "__main__":
    main()
