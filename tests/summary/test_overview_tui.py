"""The app draws the overview from the summary on a later start, with the figures a full
recompute gives; it then works on the inspection read whole (a save updates the row), and
keys typed while that is read land where they were typed."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from textual.message import Message
from textual.widgets import DataTable

from inspect_tui.store.workspace import Workspace
from inspect_tui.tui.messages import OverviewPreviewed
from inspect_tui.tui.screens.overview import OverviewScreen
from tests.summary.helpers import cache_of
from tests.tui.helpers import app_on, demo_copy, until_screen, wait_for


@pytest.fixture
def demo(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory,
         monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("INSPECT_TUI_INSPECTOR", "测试员")
    return demo_copy(tmp_path_factory.getbasetemp(), tmp_path / "demo")


def cells(table: DataTable[object]) -> list[list[str]]:
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def shown(demo: Path, messages: list[Message]) -> tuple[list[list[str]], object]:
    app = app_on(demo)
    async with app.run_test(size=(100, 30), message_hook=messages.append) as pilot:
        await until_screen(pilot, "OverviewScreen")
        await wait_for(pilot, lambda: app.session is not None)
        return cells(app.screen.query_one("#sites", DataTable)), app.session


async def test_a_later_start_draws_the_summary_with_the_full_figures(demo: Path) -> None:
    first: list[Message] = []
    cold, _ = await shown(demo, first)
    assert not any(isinstance(m, OverviewPreviewed) for m in first)  # no summary yet
    assert cache_of(demo, inspection_id=_only_inspection(demo)).is_file()

    later: list[Message] = []
    app = app_on(demo)
    async with app.run_test(size=(100, 30), message_hook=later.append) as pilot:
        await until_screen(pilot, "OverviewScreen")
        table = app.screen.query_one("#sites", DataTable)
        previewed = [m for m in later if isinstance(m, OverviewPreviewed)]
        assert len(previewed) == 1 and cells(table) == cold  # drawn from the summary
        await wait_for(pilot, lambda: app.session is not None)
        assert cells(table) == cold
        await pilot.press("ctrl+end", "enter")  # the last site: nothing scored yet
        await until_screen(pilot, "ScoringScreen")
        await pilot.press("1", "enter", "escape")
        await until_screen(pilot, "OverviewScreen")
        row = cells(table)[-1]
        assert row[3].startswith("1/") and cold[-1][3].startswith("0/")
    again, _ = await shown(demo, later)
    assert again[-1] == row  # the next start shows the save (that site computed again)


async def test_keys_typed_while_the_inspection_is_read_land_where_typed(
        demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    await shown(demo, [])  # writes the summary
    real = Workspace.inspection

    def slow(self: Workspace, inspection_id: str) -> object:
        time.sleep(1.0)  # a large inspection: the overview is up well before it is read
        return real(self, inspection_id)

    monkeypatch.setattr(Workspace, "inspection", slow)
    app = app_on(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await until_screen(pilot, "OverviewScreen")
        screen = app.screen
        assert isinstance(screen, OverviewScreen) and not screen.loaded
        await pilot.press("j", "j", "enter")  # the third site, once it can be opened
        await until_screen(pilot, "ScoringScreen")
        table = screen.query_one("#sites", DataTable)
        assert app.screen.site.name == str(table.get_row_at(2)[0])  # type: ignore[attr-defined]


def _only_inspection(root: Path) -> str:
    (folder,) = (root / "inspections").iterdir()
    return folder.name
