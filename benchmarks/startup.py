"""Cold start of the app to its first screen, with a 10,000-record workspace, next to a
minimal Textual app measured in the same run; and the peak memory of each.

    python -m benchmarks.startup [--records 10000] [--runs 7]

Each start is a fresh Python process (interpreter, imports, app) timed from the moment it is
spawned. The app runs headless (the same `make_app()` the CLI runs) and notes two moments:

- first screen: the first frame is composed and drawn (the workspace is read after it, in a
  worker thread);
- overview: the overview table is drawn with every site's progress, score and grade.

Peak RSS is the child's own `ru_maxrss` once the overview is drawn. Figures are medians.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.workspace_builder import build_workspace

MINIMAL_APP = """
import json, os, resource, sys, time
from textual.app import App
from textual.widgets import Label
T0 = float(os.environ["BENCH_T0"])

class Minimal(App):
    def compose(self):
        yield Label("hello")

    def on_mount(self):
        self.call_after_refresh(lambda: setattr(self, "first_frame", time.time() - T0))

async def pilot(pilot):
    while not hasattr(pilot.app, "first_frame"):
        await pilot.pause(0.005)
    first = pilot.app.first_frame
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"first": first, "ready": first, "rss": rss}))
    pilot.app.exit()

Minimal().run(headless=True, auto_pilot=pilot, size=(100, 30))
"""

OUR_APP = """
import asyncio, json, os, resource, sys, time
T0 = float(os.environ["BENCH_T0"])
from inspect_tui.tui.app import InspectApp, make_app
from inspect_tui.tui.screens.overview import OverviewScreen

drawn = asyncio.Event()  # set once the overview's table is filled and drawn (no polling:
filled = OverviewScreen.fill  # a polling loop would take the GIL from the loading thread)

def fill(self, *args, **kwargs):
    filled(self, *args, **kwargs)
    if self.table.row_count:
        self.call_after_refresh(drawn.set)

OverviewScreen.fill = fill

class Timed(InspectApp):
    CSS_PATH = os.path.join(os.path.dirname(sys.modules[InspectApp.__module__].__file__),
                            InspectApp.CSS_PATH)

    def on_mount(self):
        super().on_mount()  # starts reading the workspace after the first frame
        self.call_after_refresh(lambda: setattr(self, "first_frame", time.time() - T0))

async def pilot(pilot):
    app = pilot.app
    while not hasattr(app, "first_frame"):
        await pilot.pause(0.005)
    first = app.first_frame
    await drawn.wait()
    ready = time.time() - T0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows = app.screen.query_one("#sites").row_count
    print(json.dumps({"first": first, "ready": ready, "rss": rss, "rows": rows}))
    app.exit()

Timed(make_app(sys.argv[1]).settings).run(headless=True, auto_pilot=pilot, size=(100, 30))
"""


def start(script: str, *args: str) -> dict[str, float]:
    env = {**os.environ, "BENCH_T0": repr(time.time()), "INSPECT_TUI_INSPECTOR": "基准"}
    done = subprocess.run([sys.executable, "-c", script, *args], env=env, check=True,
                          capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def median(runs: list[dict[str, float]], key: str) -> float:
    return statistics.median(run[key] for run in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="inspect-startup-") as tmp:
        root = Path(tmp) / "ws"
        began = time.perf_counter()
        _, sites = build_workspace(root, args.records)
        print(f"workspace: {args.records} records in {len(sites)} sites, built in "
              f"{time.perf_counter() - began:.1f} s")
        minimal, ours = [], []
        for _ in range(args.runs):  # interleaved, so both see the same machine load
            minimal.append(start(MINIMAL_APP))
            ours.append(start(OUR_APP, str(root)))
    assert all(run["rows"] == len(sites) for run in ours)
    base = median(minimal, "first")
    print(f"{'':34}{'median':>9}{'min':>9}{'max':>9}")
    for label, runs, key in [("minimal Textual app, first screen", minimal, "first"),
                             ("inspect-tui, first screen", ours, "first"),
                             ("inspect-tui, overview of all sites", ours, "ready")]:
        values = [run[key] for run in runs]
        print(f"{label:34}{median(runs, key):8.3f}s{min(values):8.3f}s{max(values):8.3f}s")
    print(f"ratio to the minimal app: first screen "
          f"{median(ours, 'first') / base:.2f}x, overview {median(ours, 'ready') / base:.2f}x")
    print(f"peak RSS: minimal app {median(minimal, 'rss'):.0f} MB, "
          f"inspect-tui {median(ours, 'rss'):.0f} MB")


if __name__ == "__main__":
    main()
