"""Cold start of the app to its first screen, with a 10,000-record workspace, next to a
minimal Textual app measured in the same run; and the peak memory of each.

    python -m benchmarks.startup [--records 10000] [--runs 7]

Each start is a fresh Python process (interpreter, imports, app) timed from the moment it is
spawned. The app runs headless (the same `make_app()` the CLI runs) and notes two moments:

- first screen: the first frame is composed and drawn (the workspace is read after it, in a
  worker thread);
- overview: the overview table is drawn with every site's progress, score and grade (the
  moment the frame showing it is done: a callback after that refresh).

The overview is measured twice a round: warm (the inspection's overview summary, written by
the previous start, gives the figures: store/summary.py) and cold (the summary removed first,
as on a first start: every site computed from the whole inspection). The table drawn is
hashed, and every warm table must equal the cold one (the figures are right, not just there).
Peak RSS is the child's own `ru_maxrss` once the overview is drawn. Figures are medians.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import inspect_tui
from benchmarks.workspace_builder import build_workspace
from inspect_tui.store.summary import CACHE_NAME

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
import asyncio, hashlib, json, os, resource, sys, time
T0 = float(os.environ["BENCH_T0"])
from inspect_tui.tui.app import InspectApp, make_app
from inspect_tui.tui.screens.overview import OverviewScreen

drawn = asyncio.Event()  # set once the overview's table is filled and drawn (no polling:
filled = OverviewScreen.fill  # a polling loop would take the GIL from the loading thread)
ready = []  # when: taken as it is drawn, not when the pilot next runs (the thread reading the
            # inspection, started by then, delays that by 0.1-0.2 s on a busy machine)

def fill(self, *args, **kwargs):
    filled(self, *args, **kwargs)
    if self.table.row_count:
        self.call_after_refresh(lambda: (ready.append(time.time() - T0), drawn.set()))

OverviewScreen.fill = fill

class Timed(InspectApp):
    CSS_PATH = [os.path.join(os.path.dirname(sys.modules[InspectApp.__module__].__file__), p)
                for p in ([InspectApp.CSS_PATH] if isinstance(InspectApp.CSS_PATH, str)
                          else InspectApp.CSS_PATH)]

    def on_mount(self):
        super().on_mount()  # starts reading the workspace after the first frame
        self.call_after_refresh(lambda: setattr(self, "first_frame", time.time() - T0))

async def pilot(pilot):
    app = pilot.app
    while not hasattr(app, "first_frame"):
        await pilot.pause(0.005)
    first = app.first_frame
    await drawn.wait()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    table = app.screen.query_one("#sites")
    cells = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
    digest = hashlib.sha256(json.dumps(cells, ensure_ascii=False).encode()).hexdigest()
    print(json.dumps({"first": first, "ready": ready[0], "rss": rss, "rows": table.row_count,
                      "table": digest}))
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
    as_installed(Path(inspect_tui.__file__).parent)
    with tempfile.TemporaryDirectory(prefix="inspect-startup-") as tmp:
        root = Path(tmp) / "ws"
        began = time.perf_counter()
        _, sites = build_workspace(root, args.records)
        print(f"workspace: {args.records} records in {len(sites)} sites, built in "
              f"{time.perf_counter() - began:.1f} s")
        minimal, ours, cold = [], [], []
        for _ in range(args.runs):  # interleaved, so all see the same machine load
            minimal.append(start(MINIMAL_APP))
            cold.append(start_cold(root))
            ours.append(start(OUR_APP, str(root)))
    assert all(run["rows"] == len(sites) for run in ours + cold)
    assert len({run["table"] for run in ours + cold}) == 1, "a warm table differs from cold"
    base = median(minimal, "first")
    print(f"{'':44}{'median':>9}{'min':>9}{'max':>9}")
    for label, runs, key in [("minimal Textual app, first screen", minimal, "first"),
                             ("inspect-tui, first screen", ours, "first"),
                             ("inspect-tui, overview of all sites", ours, "ready"),
                             ("inspect-tui, overview, no summary (cold)", cold, "ready")]:
        values = [run[key] for run in runs]
        print(f"{label:44}{median(runs, key):8.3f}s{min(values):8.3f}s{max(values):8.3f}s")
    print(f"ratio to the minimal app: first screen {median(ours, 'first') / base:.2f}x, overview "
          f"{median(ours, 'ready') / base:.2f}x (cold {median(cold, 'ready') / base:.2f}x)")
    print(f"peak RSS: minimal app {median(minimal, 'rss'):.0f} MB, "
          f"inspect-tui {median(ours, 'rss'):.0f} MB")


def as_installed(package: Path) -> None:
    """The package as an installed app is from its second start on: its modules compiled (pip
    does it) and its message catalogue cached (core/i18n.py: the first start writes it —
    unless PYTHONDONTWRITEBYTECODE, set on this machine, forbids it; then every start parses
    the 22 locale files again, ~0.05 s). A checkout under PYTHONDONTWRITEBYTECODE would also
    compile every edited module at each start."""
    compileall.compile_dir(package, quiet=1)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([sys.executable, "-c", "from inspect_tui.core.i18n import catalogue; "
                    "catalogue()"], env={**env, "PYTHONPATH": str(package.parent)},
                   cwd=package.parent, check=True)


def start_cold(root: Path) -> dict[str, float]:
    """A start with no overview summary (a first start): it writes one for the next."""
    for cache in root.glob(f"inspections/*/{CACHE_NAME}"):
        cache.unlink()
    return start(OUR_APP, str(root))


if __name__ == "__main__":
    main()
