"""The merge and conflicts screens with Pilot: a worker with progress, picking and typing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from rich.table import Table
from textual.app import App
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Input, Label, ProgressBar, Static

from inspect_tui.store.conflicts import conflicts_of
from inspect_tui.store.workspace import Workspace
from inspect_tui.tui.screens.conflicts import ConflictsScreen
from inspect_tui.tui.screens.merge import MergeScreen
from tests.merge.helpers import copy_laptop, make_lead, merge, opened
from tests.tui.helpers import app_on, until_screen, wait_for


class Host(App[None]):
    """Shows one screen and keeps what it was dismissed with."""

    def __init__(self, make: Callable[[], Screen[bool]]) -> None:
        super().__init__()
        self.make = make
        self.result: bool | None = None

    def on_mount(self) -> None:
        self.push_screen(self.make(), self.done)

    def done(self, result: bool | None) -> None:
        self.result = result


@pytest.fixture
def laptops(tmp_path: Path) -> tuple[Path, Path, Path, str]:
    """A lead and two laptops that disagree on 1.1 (points and notes); b adds a site."""
    lead = tmp_path / "lead"
    (site,) = make_lead(lead)
    a, b = copy_laptop(lead, tmp_path / "a"), copy_laptop(lead, tmp_path / "b")
    with opened(a, "张明") as insp:
        insp.set_fields(site, "1.1", points=5, notes="台账齐全")
    with opened(b, "李华") as insp:
        insp.set_fields(site, "1.1", points=3, notes="缺少照片")
        insp.add_site("兰江街道", "乡镇街道")
    return lead, a, b, site


@pytest.fixture
def lead_workspace(laptops: tuple[Path, Path, Path, str]) -> Iterator[Workspace]:
    with Workspace.open(laptops[0], author="组长") as ws:
        yield ws


async def test_merge_screen_merges_in_a_worker_and_shows_the_summary(
        laptops: tuple[Path, Path, Path, str], lead_workspace: Workspace) -> None:
    _, a, b, _ = laptops
    insp = lead_workspace.inspection("insp-1")
    messages: list[Message] = []
    app = Host(lambda: MergeScreen(lead_workspace, insp))
    async with app.run_test(size=(140, 40), message_hook=messages.append) as pilot:
        path = app.screen.query_one("#merge-path", Input)
        for source in (a, b, Path("/no/such/stick")):
            path.value = str(source)
            await pilot.press("enter")
        assert "找不到" in str(app.screen.query_one("#merge-step", Label).render())
        assert app.screen.sources == [a, b]  # type: ignore[attr-defined]
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: any(isinstance(m, MergeScreen.Finished)
                                          for m in messages))
        await pilot.pause()
        assert any(isinstance(m, MergeScreen.Progress) for m in messages)
        assert app.screen.query_one(ProgressBar).percentage == 1
        screen = app.screen
        assert isinstance(screen, MergeScreen) and screen.report is not None
        assert [s.status for s in screen.report.sources] == ["merged", "merged"]
        table = screen.query_one("#merge-summary", Static).content
        assert isinstance(table, Table) and table.row_count == 2
        notes = str(app.screen.query_one("#merge-notes", Static).render())
        assert "2 处冲突" in notes
        await pilot.press("escape")
    assert app.result is True
    assert len(conflicts_of(insp)) == 2 and len(insp.sites()) == 2


async def test_conflicts_screen_picks_a_value_or_takes_a_typed_one(
        laptops: tuple[Path, Path, Path, str]) -> None:
    lead, a, b, site = laptops
    merge(lead, a, b)
    with Workspace.open(lead, author="组长") as ws:
        insp = ws.inspection("insp-1")
        app = Host(lambda: ConflictsScreen(insp))
        async with app.run_test(size=(140, 40)) as pilot:
            table = app.screen.query_one(DataTable)
            assert table.row_count == 2
            detail = str(app.screen.query_one("#conflict-detail", Static).render())
            assert "张明" in detail and "李华" in detail and "1." in detail and "2." in detail
            field = conflicts_of(insp)[0].field
            chosen = conflicts_of(insp)[0].rivals[1].value
            await pilot.press("9")  # there is no ninth value
            assert "1 到 2" in str(app.screen.query_one("#conflict-problem", Label).render())
            await pilot.press("2")
            await wait_for(pilot, lambda: table.row_count == 1)
            assert getattr(insp.record(site, "1.1"), field) == chosen
            await pilot.press("e")
            value = app.screen.query_one("#conflict-value", Input)
            assert value.display and value.has_focus
            value.value = "abc" if conflicts_of(insp)[0].field == "points" else "核实后补拍"
            await pilot.press("enter")
            if conflicts_of(insp):  # "abc" is no score: refused, the conflict stays
                assert "不是字段" in str(
                    app.screen.query_one("#conflict-problem", Label).render())
                value.value = "4.5"
                await pilot.press("enter")
            await wait_for(pilot, lambda: table.row_count == 0)
            assert "没有待处理的冲突" in str(
                app.screen.query_one("#conflicts-status", Label).render())
            await pilot.press("escape")
        assert app.result is True
        record = insp.record(site, "1.1")
        assert not record.conflicts
        assert (record.points, record.notes) in ((4.5, chosen), (chosen, "核实后补拍"))


async def test_the_overview_opens_merge_and_conflicts_and_refreshes(
        laptops: tuple[Path, Path, Path, str]) -> None:
    lead, a, b, _ = laptops
    app = app_on(lead)
    async with app.run_test(size=(140, 40)) as pilot:
        await until_screen(pilot, "OverviewScreen")
        assert app.screen.query_one("#sites", DataTable).row_count == 1
        await pilot.press("m")
        await until_screen(pilot, "MergeScreen")
        path = app.screen.query_one("#merge-path", Input)
        for source in (a, b):
            path.value = str(source)
            await pilot.press("enter")
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: "合并完成" in str(
            app.screen.query_one("#merge-step", Label).render()))
        await pilot.press("escape")
        await until_screen(pilot, "OverviewScreen")
        assert app.screen.query_one("#sites", DataTable).row_count == 2
        await pilot.press("c")
        await until_screen(pilot, "ConflictsScreen")
        assert app.screen.query_one(DataTable).row_count == 2
        await pilot.press("1", "1")
        await wait_for(pilot, lambda: app.screen.query_one(DataTable).row_count == 0)
        await pilot.press("escape")
        await until_screen(pilot, "OverviewScreen")
        await pilot.press("ctrl+q")
