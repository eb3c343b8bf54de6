"""Closing the terminal (SIGHUP): the process ends even when saving the typed text fails.

A hang-up while the app is already closing (its workspace closed, screens going) made the save
raise before the watchdog that ends a process stuck on a dead terminal was set: the app was
left spinning as an orphan (seen in tmux tests: `respawn-pane -k` just after Ctrl+Q).
"""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import Any, ClassVar

import pytest
from textual.widgets import DataTable

from inspect_tui.tui import app as app_module
from tests.tui.helpers import app_on, wait_for


class Recorder:
    started: ClassVar[list[tuple[float, Any, tuple[Any, ...]]]] = []

    def __init__(self, interval: float, function: Any, args: tuple[Any, ...]) -> None:
        self.call = (interval, function, args)
        self.daemon = False

    def start(self) -> None:
        Recorder.started.append(self.call)


async def test_a_failing_save_still_sets_the_watchdog(demo: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    Recorder.started = []
    monkeypatch.setattr(app_module.threading, "Timer", Recorder)
    app = app_on(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        # the overview drawn: a hang-up before it is mounted is another story (Textual's)
        await wait_for(pilot, lambda: app.session is not None
                       and any(t.row_count for t in app.screen.query(DataTable)))

        def closed() -> None:
            raise RuntimeError("the workspace is closed")

        monkeypatch.setattr(app, "flush_edits", closed)
        with pytest.raises(RuntimeError):
            app._hang_up(signal.SIGHUP)
        assert Recorder.started == [(app_module.HANGUP_GRACE, os._exit, (128 + signal.SIGHUP,))]
        await wait_for(pilot, lambda: not app.is_running)
