"""Scoring through the app in a 10,000-record workspace, driven by keys:

    python -m benchmarks.tui_scoring [--records 10000] [--moves 100] [--rounds 2] [--no-pilot]
                                     [--scores 20] [--trace DIR]

With Pilot (in process):
- moving between criteria (j / k): time per key, and proof that nothing is written;
- scoring ("digit Enter"): time per key press until the screen is updated, and the part of
  it spent saving durably (Session.save: one fsynced append to the site's file).
  Pilot waits for the screen to settle after every single key, so these are upper bounds.

In a real terminal (the installed `inspect-tui` in tmux, if tmux is there) and the anchor app
(benchmarks/anchor_app.py), taking turns: the time from sending a key until the pane shows its
effect (benchmarks/terminal_keys.py; `--observer poll` for the earlier, process-per-look
harness) — moves with j/k and n, and from Enter (after typing a score) until the progress line
counts it. `--trace DIR` has both apps log what they did (inspect_tui/tui/key_trace.py) and
prints, per app, what its slowest tenth of keys had that the others had not
(benchmarks/key_tail.py).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.anchor_app import load_items
from benchmarks.key_tail import explain, read_trace
from benchmarks.save_latency import percentile
from benchmarks.terminal_keys import Terminal, pane_heading, walk
from benchmarks.workspace_builder import CHECKLIST, build_workspace
from inspect_tui.core.checklist_loader import load_checklist
from inspect_tui.paths import find_checklist
from inspect_tui.store.workspace import Workspace
from inspect_tui.tui.app import make_app
from inspect_tui.tui.key_trace import ENV as TRACE_ENV
from inspect_tui.tui.session import Session


def summary(label: str, seconds: list[float]) -> str:
    ordered = sorted(seconds)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return (f"{label:44}{statistics.median(ordered) * 1000:8.1f} ms median"
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
        began = time.perf_counter()
        await pilot.press("enter")
        while type(app.screen).__name__ != "ScoringScreen":
            await pilot.pause(0.01)
            if time.perf_counter() - began > 5:  # the Enter came before the table took keys
                began = time.perf_counter()
                await pilot.press("enter")
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


def last_site(root: Path) -> tuple[int, int]:
    """(tree line of the last site's first unscored criterion, criteria scored there)."""
    with Workspace.open(root, author="基准") as ws:
        insp = ws.inspection(ws.inspection_ids()[0])
        site = insp.sites()[-1].site_id
        records = insp.records(site)
        first = next(c.id for c in insp.checklist.criteria_for(KIND)
                     if not records[c.id].scored)
        scored = insp.result(site).scored
    lines, _ = table()
    return [item_id for item_id, _ in lines].index(first), scored


@dataclass
class KeyTimes:
    moves: list[float] = field(default_factory=list)
    scores: list[float] = field(default_factory=list)
    keys: list[tuple[str, float, float]] = field(default_factory=list)  # (key, sent, shown)
    traces: list[Path] = field(default_factory=list)


def traced(command: str, trace: Path | None) -> str:
    return f"{TRACE_ENV}={trace} {command}" if trace else command


def ours_in_terminal(root: Path, times: KeyTimes, moves: int, scores: int,
                     program: str = "", observer: str = "control",
                     trace: Path | None = None) -> None:
    """The installed app (or `program`, a command line, e.g. another version's source tree)
    on the last site: moves with j/k, then `n`, a digit and Enter (the Enter until the
    progress line counts the score)."""
    program = program or str(Path(sys.executable).with_name("inspect-tui"))
    lines, count = table()
    headings = [pane_heading(item_id) for item_id, _ in lines]
    start, scored = last_site(root)
    command = f"LANG=C.UTF-8 INSPECT_TUI_INSPECTOR=基准 {program} --workspace {root}"
    with Terminal(traced(command, trace), observer=observer) as term:
        term.until("a 添加")
        term.send("End", "Enter")
        term.until(f"已评 {scored}/{count}")
        term.until(headings[start])
        for key, shows in walk(headings, start, moves):
            times.moves.append(term.key_to_screen(key, shows))
        criteria = [n for n, (item_id, _) in enumerate(lines) if "." in item_id]
        for n in range(1, scores + 1):  # the walk ends on `start`: n goes to the ones after
            times.moves.append(term.key_to_screen("n", headings[criteria[
                criteria.index(start) + n]]))
            term.send("1")
            times.scores.append(term.key_to_screen("Enter", f"已评 {scored + n}/{count}"))
        term.send("C-q")
        times.keys += term.keys


def anchor_in_terminal(times: KeyTimes, moves: int, scores: int,
                       observer: str = "control", trace: Path | None = None) -> None:
    """The anchor app, the same keys measured the same way."""
    items = load_items()
    headings = [pane_heading(item_id) for item_id, _, _, _ in items]
    criteria = [n for n, item in enumerate(items) if "." in item[0]]
    with Terminal(traced(f"LANG=C.UTF-8 {sys.executable} -m benchmarks.anchor_app", trace),
                  observer=observer) as term:
        term.until("已评 0/")
        term.until(headings[1])  # it opens on the first criterion
        for key, shows in walk(headings, 1, moves):
            times.moves.append(term.key_to_screen(key, shows))
        pos = 1  # the walk ends where it began, on the first criterion
        for n in range(scores):
            while pos < criteria[n + 1]:  # j to the next criterion (over a section line)
                pos += 1
                times.moves.append(term.key_to_screen("j", headings[pos]))
            term.send("1")
            times.scores.append(term.key_to_screen("Enter", f"已评 {n + 1}/"))
        term.send("C-q")
        times.keys += term.keys


def in_terminal(root: Path, rounds: int = 2, moves: int = 30, scores: int = 20,
                observer: str = "control", trace: Path | None = None,
                base: Path | None = None) -> dict[str, KeyTimes] | None:
    """Key-to-screen times of the real app and of the anchor in tmux, taking turns
    (`scores` Enters per round: the p95 of fewer is little more than the slowest one); with
    `base` (another checkout's source tree) that version's app takes its turn too."""
    if shutil.which("tmux") is None:
        print("tmux not found: no real-terminal figures")
        return None
    figures = {"ours": KeyTimes(), "anchor": KeyTimes()}
    programs = {"ours": ""}  # the installed app
    if base is not None:
        figures["base"] = KeyTimes()
        programs["base"] = f"PYTHONPATH={base} {sys.executable} -m inspect_tui"
    for n in range(rounds):
        logs = {name: trace / f"{name}-{n}.tsv" if trace else None for name in figures}
        for name, log in logs.items():
            if log is not None:
                log.unlink(missing_ok=True)
                figures[name].traces.append(log)
        anchor_in_terminal(figures["anchor"], moves, scores, observer, logs["anchor"])
        for name, program in programs.items():
            copy = root.with_name(f"{root.name}-round{n}")  # each round scores the same ones
            shutil.copytree(root, copy)
            (copy / ".lock").unlink(missing_ok=True)
            try:
                ours_in_terminal(copy, figures[name], moves, scores, program, observer,
                                 logs[name])
            finally:
                shutil.rmtree(copy, ignore_errors=True)
    for name, label in (("ours", "real terminal, inspect-tui"),
                        ("base", f"real terminal, inspect-tui at {base}"),
                        ("anchor", "real terminal, anchor")):
        if name in figures:
            print(summary(f"{label}: move", figures[name].moves))
            print(summary(f"{label}: Enter to saved", figures[name].scores))
    if trace:
        for name, times in figures.items():
            (trace / f"{name}-keys.tsv").write_text(
                "".join(f"{key}\t{sent:.6f}\t{shown:.6f}\n" for key, sent, shown in times.keys))
            events = [e for log in times.traces if log.exists() for e in read_trace(log)]
            moves_only = [k for k in times.keys if k[0] != "Enter"]
            explain(f"{name}, moves", moves_only, events)
            explain(f"{name}, Enter", [k for k in times.keys if k[0] == "Enter"], events)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--moves", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=2, help="turns in the terminal")
    parser.add_argument("--no-pilot", action="store_true", help="only the terminal figures")
    parser.add_argument("--scores", type=int, default=20, help="Enters per round and app")
    parser.add_argument("--terminal-moves", type=int, default=30, help="j/k per round and app")
    parser.add_argument("--trace", type=Path, metavar="DIR",
                        help="both apps trace what they do; the slowest keys explained")
    parser.add_argument("--base", type=Path, metavar="TREE",
                        help="another checkout (a git worktree) whose app takes turns too")
    parser.add_argument("--observer", choices=("control", "poll"), default="control",
                        help="how the pane is watched (see benchmarks/terminal_keys.py)")
    args = parser.parse_args()
    os.environ.setdefault("INSPECT_TUI_INSPECTOR", "基准")  # or the app asks who is typing
    with tempfile.TemporaryDirectory(prefix="inspect-scoring-") as tmp:
        root = Path(tmp) / "ws"
        build_workspace(root, args.records)
        if not args.no_pilot:
            asyncio.run(drive(root, args.moves))
        if args.trace:
            args.trace.mkdir(parents=True, exist_ok=True)
        in_terminal(root, args.rounds, args.terminal_moves, args.scores, args.observer,
                    args.trace.resolve() if args.trace else None,
                    args.base.resolve() if args.base else None)


if __name__ == "__main__":
    main()
