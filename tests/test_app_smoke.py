"""The app starts, draws, and quits cleanly on `q`."""

from __future__ import annotations

from inspect_tui.tui.app import InspectApp


async def test_app_starts_and_quits() -> None:
    app = InspectApp(demo=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        table = app.query_one("#checklists")
        assert table.row_count >= 4  # type: ignore[attr-defined]
        await pilot.press("q")
    assert app.return_code in (0, None)
