"""The key trace (INSPECT_TUI_TRACE_KEYS): off unless asked for, and when on it logs the
keys, frames, layouts and timers of the scoring screen; benchmarks/key_tail joins such a log
with a benchmark's key times."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from textual.message_pump import MessagePump
from textual.screen import Screen
from textual.timer import Timer

from benchmarks.key_tail import Event, cpu_ms, during, explain, profile, read_trace
from inspect_tui.tui import key_trace
from tests.tui.helpers import app_on
from tests.tui.test_scoring import open_site


async def test_off_by_default_nothing_is_patched(demo: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(key_trace.ENV, raising=False)
    originals = (Screen._refresh_layout, Timer._tick, MessagePump._dispatch_message)
    app = app_on(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_site(pilot, 15)
        await pilot.press("j")
        assert not key_trace.active
        assert (Screen._refresh_layout, Timer._tick, MessagePump._dispatch_message) == originals
        assert key_trace._gc not in gc.callbacks
        assert "_display" not in vars(app)


async def test_a_traced_key_shows_what_it_set_off(demo: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    log = tmp_path / "keys.tsv"
    monkeypatch.setenv(key_trace.ENV, str(log))
    originals = (Screen._refresh_layout, Timer._tick, MessagePump._dispatch_message)
    app = app_on(demo)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await open_site(pilot, 15)
            assert key_trace.active
            await pilot.pause(0.1)
            gc.collect()  # a collection is logged too
            await pilot.press("j")
            await pilot.pause(0.1)
    finally:
        key_trace.uninstall()
    assert (Screen._refresh_layout, Timer._tick, MessagePump._dispatch_message) == originals
    events = read_trace(log)
    kinds = [e.kind for e in events]
    assert kinds[0] == "start"
    key = next(n for n, e in enumerate(events) if e.kind == "key" and e.what == "j")
    after = events[key:]
    # passed, or held while the criterion text's idle work ran (then released)
    assert any(e.kind == "gate" and e.what in ("j passed", "j held") for e in after)
    assert any(e.kind == "timer" and "_on_timer_update" in e.what for e in after)
    assert any(e.kind == "frame" for e in after)
    assert any(e.kind == "layout" and "ScoringScreen widgets=" in e.what for e in after)
    assert any(e.kind == "gc" and e.what.startswith("gen2") for e in events)
    assert all(e.at >= events[0].at for e in events)


def event(at: float, kind: str, ms: float | None = None, cpu: float = 0.0) -> Event:
    return Event(at, cpu, kind, "Screen._on_timer_update" if kind == "timer" else "", ms)


def test_events_fall_in_the_key_that_was_on_screen_then() -> None:
    events = [event(0.5, "gc", 1.0, cpu=1.0), event(1.01, "key", cpu=1.001),
              event(1.05, "timer", 30.0, cpu=1.031), event(1.0515, "frame", 1.0, cpu=1.032),
              event(2.0, "timer", 5.0, cpu=1.04)]
    key = ("j", 1.0, 1.05)
    assert [e.kind for e in during(events, key)] == ["key", "timer", "frame"]
    assert cpu_ms(events, key) == pytest.approx(32.0)
    assert profile(events, [key]) == {"key": (1.0, 0.0), "timer Screen._on_timer_update":
                                      (1.0, 30.0), "frame": (1.0, 1.0)}


def test_the_slowest_keys_are_explained() -> None:
    events = [event(n + 0.01, "timer", 10.0 if n < 9 else 90.0) for n in range(10)]
    keys = [("j", float(n), n + (0.02 if n < 9 else 0.1)) for n in range(10)]
    lines: list[str] = []
    explain("ours", keys, events, out=lines.append)
    assert lines[0].startswith("ours: slowest 1 of 10 keys: median 100 ms")
    row = next(line for line in lines if "timer Screen._on_timer_update" in line)
    assert row.split()[-4:] == ["1.00", "10.0", "1.00", "90.0"]
    assert "key j: 100 ms" in "\n".join(lines)
