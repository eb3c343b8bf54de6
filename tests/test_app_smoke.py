"""The app starts on the demo workspace, draws the overview, and quits cleanly on `q`."""

from __future__ import annotations

import time
from pathlib import Path

from inspect_tui.store.workspace import Workspace
from inspect_tui.tui.app import make_app


async def test_app_starts_and_quits(tmp_path: Path) -> None:
    app = make_app(tmp_path / "demo", demo=True)
    async with app.run_test(size=(100, 30)) as pilot:
        deadline = time.monotonic() + 30  # building the demo first: slow on a loaded machine
        while time.monotonic() < deadline:
            await pilot.pause(0.02)
            if app.screen.query("#sites") and app.screen.query_one("#sites").row_count:  # type: ignore[attr-defined]
                break
        table = app.screen.query_one("#sites")
        assert table.row_count == 16  # type: ignore[attr-defined]
        await pilot.press("q")
    assert app.return_code in (0, None)
    Workspace.open(tmp_path / "demo").close()  # the lock was released
