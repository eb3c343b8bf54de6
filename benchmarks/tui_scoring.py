"""Scoring through the app in a 10,000-record workspace, driven by keys:

    python -m benchmarks.tui_scoring [--records 10000] [--moves 100]

With Pilot (in process):
- moving between criteria (j / k): time per key, and proof that nothing is written;
- scoring ("digit Enter"): time per key press until the screen is updated, and the part of
  it spent saving durably (Session.save: one fsynced append to the site's file).
  Pilot waits for the screen to settle after every single key, so these are upper bounds.

In a real terminal (the installed `inspect-tui` in tmux, if tmux is there): the time from
sending keys until the screen shows their effect, polling the pane every 5 ms — 20 moves in
one burst, and from Enter (after typing a score) until the progress line counts it.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.save_latency import percentile
from benchmarks.workspace_builder import CHECKLIST, build_workspace
from inspect_tui.core.checklist_loader import load_checklist
from inspect_tui.paths import find_checklist
from inspect_tui.tui.app import make_app
from inspect_tui.tui.session import Session


def summary(label: str, seconds: list[float]) -> str:
    ordered = sorted(seconds)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return (f"{label:36}{statistics.median(ordered) * 1000:8.1f} ms median"
            f"{p95 * 1000:8.1f} ms p95  (n={len(ordered)})")


def files_state(root: Path) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for p in root.rglob("*.json")}


async def drive(root: Path, moves: int) -> dict[str, float]:
    """Prints the figures and returns them (seconds; `moves_wrote` is 1.0 if moving wrote)."""
    app = make_app(root)
    saves: list[float] = []
    real_save = Session.save

    def timed_save(self: Session, *args: object, **kwargs: object) -> object:
        began = time.perf_counter()
        try:
            return real_save(self, *args, **kwargs)  # type: ignore[arg-type]
        finally:
            saves.append(time.perf_counter() - began)

    Session.save = timed_save  # type: ignore[method-assign]
    async with app.run_test(size=(100, 30)) as pilot:
        while not app.screen.query("#sites") or not app.screen.query_one("#sites").row_count:
            await pilot.pause(0.01)
        await pilot.press("enter")
        while type(app.screen).__name__ != "ScoringScreen":
            await pilot.pause(0.01)
        await pilot.pause(0.2)
        before, entries = files_state(root), len(app.session.inspection.all_entries())  # type: ignore[union-attr]
        move_times = []
        for n in range(moves):
            began = time.perf_counter()
            await pilot.press("j" if (n // 20) % 2 == 0 else "k")
            move_times.append(time.perf_counter() - began)
        wrote = (files_state(root) != before
                 or len(app.session.inspection.all_entries()) != entries)  # type: ignore[union-attr]
        print(summary("move (j/k), " + ("WROTE TO DISK" if wrote else "nothing written"),
                      move_times))

        await pilot.press("home")
        key_times = []
        for n in range(60):
            await pilot.press("j")
            began = time.perf_counter()
            await pilot.press(str(n % 2), "enter")
            key_times.append(time.perf_counter() - began)
        print(summary("score by keys (digit Enter)", key_times))
        print(summary("  of which saving (Session.save)", saves))
        await pilot.press("ctrl+q")
    Session.save = real_save  # type: ignore[method-assign]
    return {"moves_wrote": float(wrote), "move_p50": statistics.median(move_times),
            "key_p50": statistics.median(key_times), "save_p50": statistics.median(saves),
            "save_p99": percentile(saves, 0.99), "saves": float(len(saves))}


KIND = "部门"  # the kind of the built sites: the tree shows that kind's table


def table() -> tuple[list[tuple[str, str]], int]:
    """The tree's lines (sections and criteria a 部门 is scored on) and its criteria count."""
    path = find_checklist(CHECKLIST)
    assert path is not None
    checklist = load_checklist(path)
    shown = {c.id for c in checklist.criteria_for(KIND)}
    lines: list[tuple[str, str]] = []
    for section in checklist.sections:
        criteria = [(c.id, c.title) for c in section.criteria if c.id in shown]
        if criteria:
            lines += [(section.id, section.title), *criteria]
    base = [c for c in checklist.criteria_for(KIND) if not c.bonus]
    return lines, len(base)


def tree_line(below: int, start: int) -> str:
    """The heading the detail pane shows `below` tree lines under criterion number `start`
    (the first unscored one of the last site)."""
    lines, _ = table()
    criteria = [x for x in lines if "." in x[0]]
    item_id, title = lines[lines.index(criteria[start]) + below]
    return f"{item_id} {title[:4]}"


def in_terminal(root: Path, records: int) -> None:
    """Key-to-screen times of the real app in tmux (the last site is nearly unscored)."""
    if shutil.which("tmux") is None:
        print("tmux not found: no real-terminal figures")
        return
    socket = f"inspect-bench-{os.getpid()}"
    env = {**os.environ, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}

    def tmux(*args: str) -> str:
        return subprocess.run(["tmux", "-u", "-L", socket, *args], capture_output=True,
                              text=True, env=env, check=True).stdout

    def until(text: str, since: float) -> float:
        while text not in tmux("capture-pane", "-p", "-t", "b"):
            if time.perf_counter() - since > 20:
                raise TimeoutError(f"{text!r} never showed:\n" + tmux("capture-pane", "-p"))
            time.sleep(0.005)
        return time.perf_counter() - since

    binary = Path(sys.executable).with_name("inspect-tui")
    tmux("new-session", "-d", "-s", "b", "-x", "100", "-y", "30",
         f"LANG=C.UTF-8 INSPECT_TUI_INSPECTOR=基准 {binary} --workspace {root}")
    count = table()[1]
    first = records - (-(-records // count) - 1) * count  # what the builder put on the last site
    try:
        until("a 添加", time.perf_counter())
        tmux("send-keys", "-t", "b", "End", "Enter")
        until(f"已评 {first}/{count}", time.perf_counter())
        target = tree_line(20, first)  # 20 lines below the first unscored criterion (1.2)
        began = time.perf_counter()
        tmux("send-keys", "-t", "b", *["j"] * 20)
        moved = until(target, began)
        scores = []
        for n in range(first + 1, min(first + 11, count + 1)):
            tmux("send-keys", "-t", "b", "n")  # the next unscored criterion
            time.sleep(0.1)
            tmux("send-keys", "-t", "b", "1")  # a person types; keys are not one burst
            time.sleep(0.1)
            began = time.perf_counter()
            tmux("send-keys", "-t", "b", "Enter")
            scores.append(until(f"已评 {n}/{count}", began))
        print(f"{'real terminal: 20 moves in one burst':36}{moved * 1000:8.1f} ms to settle")
        print(summary("real terminal: Enter to saved on screen", scores))
    finally:
        subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--moves", type=int, default=100)
    args = parser.parse_args()
    os.environ.setdefault("INSPECT_TUI_INSPECTOR", "基准")  # or the app asks who is typing
    with tempfile.TemporaryDirectory(prefix="inspect-scoring-") as tmp:
        root = Path(tmp) / "ws"
        build_workspace(root, args.records)
        asyncio.run(drive(root, args.moves))
        in_terminal(root, args.records)


if __name__ == "__main__":
    main()
