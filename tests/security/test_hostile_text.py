"""Hostile text cannot break or hijack any display: the TUI, a real terminal, exports, the CLI.

The text comes from outside (a checklist file, another laptop's sites, notes, evidence names
and authors, merge paths, signer names) and is built in `hostile.py`. On every screen it must
show literally (markup is never interpreted, so `[@click=app.quit]` is just text), no control
character may reach the terminal, the HTML must hold it only escaped, the PDF must print it,
and report.json must keep it byte for byte.
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from inspect_tui.tui.app import InspectApp
from tests.security import hostile as h
from tests.security.hostile import Hostile, find_on_screen, hostile_copy, screen_text, visible
from tests.tui.helpers import app_on, screen_name, until_screen, wait_for

SIZE = (200, 60)


@pytest.fixture(autouse=True)
def inspector(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INSPECT_TUI_INSPECTOR", h.AUTHOR)
    monkeypatch.delenv("INSPECT_TUI_DEVICE", raising=False)


@pytest.fixture
def ws(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Hostile:
    return hostile_copy(tmp_path_factory.getbasetemp(), tmp_path / "hostile")


# ---- helpers --------------------------------------------------------------------------------

def drive(app: InspectApp) -> AbstractAsyncContextManager[Pilot[None]]:
    """Run the app as a person sees it: notifications and tooltips on (run_test's are off)."""
    return app.run_test(size=SIZE, notifications=True, tooltips=True)


def shows(app: InspectApp, *texts: str) -> None:
    """Every text is on the screen verbatim (control characters aside)."""
    screen = visible_screen(app)
    missing = [text for text in texts if visible(text) not in screen]
    assert not missing, f"not shown literally: {missing!r}\nthe screen was:\n{screen}"


def visible_screen(app: InspectApp) -> str:
    return "\n".join(visible(line) for line in screen_text(app).splitlines())


def running(app: InspectApp) -> bool:
    return app.is_running and app.return_code is None and not app._exit_renderables


async def click_text(pilot: Pilot[None], text: str) -> None:
    """Click where `text` is drawn (if it were live markup, this would run its action)."""
    where = find_on_screen(pilot.app, text)
    assert where is not None, f"{text!r} is not on the screen"
    x, y = where
    await pilot.click(offset=(x + 1, y))
    await pilot.pause()


async def overview(pilot: Pilot[None]) -> DataTable[object]:
    await until_screen(pilot, "OverviewScreen")
    table = pilot.app.screen.query_one("#sites", DataTable)
    await wait_for(pilot, lambda: table.row_count == 3)
    return table


async def from_overview(pilot: Pilot[None], key: str, screen: str,
                        row: int = 0) -> DataTable[object]:
    """On the overview, with `row` selected, press `key` and wait for `screen`."""
    table = await overview(pilot)
    table.move_cursor(row=row)
    await pilot.press(key)
    await until_screen(pilot, screen)
    return table


async def open_site(pilot: Pilot[None], row: int, criterion: str | None = None) -> Any:
    """Open the site in `row` (and select `criterion`); the criterion tree."""
    await from_overview(pilot, "enter", "ScoringScreen", row)
    tree = pilot.app.screen.query_one("#tree")
    if criterion is not None:
        tree.select_criterion(criterion)  # type: ignore[attr-defined]
    await pilot.pause()
    return tree


async def toast_shown(pilot: Pilot[None], text: str) -> None:
    await wait_for(pilot, lambda: visible(text) in visible_screen(pilot.app))


# ---- 1. the TUI -----------------------------------------------------------------------------

async def test_overview_and_site_dialogs_show_hostile_text_literally(ws: Hostile) -> None:
    app = app_on(ws.workspace)
    async with drive(app) as pilot:
        table = await overview(pilot)
        shows(app, h.SITE1, h.GROUP1, h.SITE2, h.GROUP2, h.SITE3, h.GRADES[1],
              h.INSPECTION_TITLE)
        await click_text(pilot, "[@click=app.quit]退出[/]组")  # the group cell of site 1
        assert running(app)
        # Rename site 2 (its name is filled in) to a typed hostile name.
        table.move_cursor(row=1)
        await pilot.press("r")
        await until_screen(pilot, "SiteDialog")
        shows(app, h.SITE2, h.GROUP2)
        app.screen.query_one("#site-name-input", Input).value = f"新名{h.CLICK}{h.CLEAR}"
        await pilot.press("enter")
        await until_screen(pilot, "OverviewScreen")
        shows(app, f"新名{h.CLICK}")
        # Adding a site with an existing name is refused inside the dialog, literally.
        await pilot.press("a")
        await until_screen(pilot, "SiteDialog")
        app.screen.query_one("#site-name-input", Input).value = h.SITE1
        await pilot.press("enter")
        shows(app, h.SITE1)
        assert screen_name(pilot) == "SiteDialog"
        await pilot.press("escape")
        # Removing asks (the name in the question) and tells (the name in a notification).
        await until_screen(pilot, "OverviewScreen")
        table.move_cursor(row=0)
        await pilot.press("x")
        await until_screen(pilot, "ConfirmDialog")
        shows(app, h.SITE1)
        await pilot.press("y")
        await until_screen(pilot, "OverviewScreen")
        await toast_shown(pilot, h.SITE1)
        assert running(app) and table.row_count == 2


async def test_scoring_screen_shows_checklist_and_record_text_literally(ws: Hostile) -> None:
    app = app_on(ws.workspace)
    async with drive(app) as pilot:
        tree = await open_site(pilot, 0, "1.1")
        shows(app, h.SITE1, h.GROUP1,  # the site bar
              "第一部分[/][link=https://evil.example]",  # the tree (cut to its width)
              "宪法宣传[@click=app.quit]退出[/]<b>", "组织领导[bold red]x[/]",
              "第二部分[@click=app.quit]退出[/]<i>",
              h.CRIT_TITLE, "要求[bold red]x[/]<font color=red>", h.GUIDE,  # the criterion
              h.CRIT_SOURCE, h.SOURCE_TITLE, h.DEADLINE, h.OWNERS[0], h.EVIDENCE[0],
              h.DEDUCTION, h.DEDUCTION2, h.TARGET_UNIT, h.TARGET_PERIOD,  # the form
              h.NOTES, h.PROBLEMS, h.ADVICE, h.EVIDENCE_NAME, h.CAPTION)
        await click_text(pilot, "[@click=app.quit]退出[/]<b>")
        await click_text(pilot, "扣分[@click=app.quit]退出[/]")
        assert running(app) and screen_name(pilot) == "ScoringScreen"
        # A typed score that is no number is reported with the typed text, literally.
        app.screen.query_one("#points", Input).value = "[/][bold red]x"
        await pilot.pause()
        shows(app, "[/][bold red]x")
        app.screen.query_one("#points", Input).value = "3"
        await pilot.pause()
        # The long requirement of 2.1 (10,000 characters, no space) shows without trouble.
        tree.select_criterion("2.1")
        await pilot.pause()
        shows(app, h.CRIT3_TITLE, h.LONG[:40])
        assert running(app)


async def test_scoring_dialogs_palette_and_notifications_stay_literal(ws: Hostile) -> None:
    app = app_on(ws.workspace)
    async with drive(app) as pilot:
        tree = await open_site(pilot, 0, "1.1")
        await pilot.press("h")  # the history: who (a hostile author) changed what to what
        await until_screen(pilot, "HistoryDialog")
        shows(app, h.SITE1, h.CRIT_TITLE, h.NOTES, h.PROBLEMS, h.EVIDENCE_NAME,
              "张<b>[bold", "red]x[/]]0;pwned")  # the author, folded in its narrow column
        await pilot.press("escape")
        await until_screen(pilot, "ScoringScreen")
        # The evidence list: caption prompt (name in the title) and the detach question.
        app.screen.set_focus(app.screen.query_one("#evidence"))
        await pilot.press("c")
        await until_screen(pilot, "PromptDialog")
        shows(app, h.EVIDENCE_NAME, h.CAPTION)
        await pilot.press("escape")
        await until_screen(pilot, "ScoringScreen")
        await pilot.press("x")
        await until_screen(pilot, "ConfirmDialog")
        shows(app, h.EVIDENCE_NAME)
        await pilot.press("n")
        await until_screen(pilot, "ScoringScreen")
        # The criterion search lists the titles (and the requirement) as plain text.
        app.screen.set_focus(tree)
        await pilot.press("slash")
        await until_screen(pilot, "CommandPalette")
        await wait_for(pilot, lambda: "宪法宣传" in visible_screen(app))
        shows(app, h.CRIT_TITLE, h.CRIT2_TITLE, h.CRIT3_TITLE)
        await pilot.press(*"click")  # a query: the hits are highlighted, still literal
        await wait_for(pilot, lambda: "组织领导" not in visible_screen(app))
        shows(app, h.CRIT_TITLE)
        assert running(app)
        await pilot.press("escape")
        await until_screen(pilot, "ScoringScreen")
        # A change and its undo: the notification names the site, literally.
        app.screen.set_focus(tree)
        await pilot.press("1", "enter", "ctrl+z")
        await toast_shown(pilot, h.SITE1)
        assert running(app)


async def test_summary_shows_grades_sections_problems_and_veto_literally(ws: Hostile) -> None:
    app = app_on(ws.workspace)
    async with drive(app) as pilot:
        table = await from_overview(pilot, "v", "SummaryScreen")
        shows(app, h.SITE1, h.GROUP1, h.GRADES[1], "第一部分[/][link=https://evil.example]",
              "第二部分[@click=app.quit]退出[/]<i>", h.CRIT_TITLE, h.PROBLEMS,
              "建议[link=https://evil.example]点我[/link]<font color=red>", "长问题无空格长文本")
        await click_text(pilot, "第二部分[@click=app.quit]退出[/]")
        assert running(app)
        await pilot.press("escape")
        await until_screen(pilot, "OverviewScreen")
        table.move_cursor(row=1)
        await pilot.press("v")
        await until_screen(pilot, "SummaryScreen")
        shows(app, h.SITE2, h.GROUP2, h.CRIT2_TITLE, h.PROBLEMS)  # vetoed by 1.2
        assert running(app)


async def test_conflicts_screen_shows_rival_values_and_authors_literally(ws: Hostile) -> None:
    app = app_on(ws.workspace)
    async with drive(app) as pilot:
        await from_overview(pilot, "c", "ConflictsScreen")
        shows(app, h.SITE1, h.CRIT2_TITLE, h.CONFLICT_LEAD, h.CONFLICT_LAPTOP, h.AUTHOR,
              h.LAPTOP_AUTHOR)
        await click_text(pilot, "组员意见[@click=app.quit]退出[/]")
        assert running(app) and screen_name(pilot) == "ConflictsScreen"
        await pilot.press("e")  # a new value starts from the shown one: an input, literal
        value = app.screen.query_one("#conflict-value", Input)
        assert value.value == h.CONFLICT_LAPTOP or value.value == h.CONFLICT_LEAD
        value.value = f"定论{h.BOLD}{h.CLICK}"
        await pilot.press("enter")
        await toast_shown(pilot, f"定论{h.BOLD}{h.CLICK}")  # "settled: … → value"
        assert running(app)


async def test_merge_screen_shows_hostile_paths_and_report_literally(ws: Hostile) -> None:
    app = app_on(ws.workspace)
    async with drive(app) as pilot:
        await from_overview(pilot, "m", "MergeScreen")
        path = app.screen.query_one("#merge-path", Input)
        missing = ws.root / f"没有{h.CLOSE}{h.CLICK}"
        for source in (ws.laptop2, ws.laptop, missing):
            path.value = str(source)
            await pilot.press("enter")
        shows(app, str(ws.laptop2), str(ws.laptop), str(missing))  # sources, and the refusal
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: "合并完成" in visible_screen(app))
        shows(app, ws.laptop2.name, h.LAPTOP_AUTHOR)  # the summary: source and sender
        await click_text(pilot, "李[@click=app.quit]退出[/]")
        assert running(app) and screen_name(pilot) == "MergeScreen"


async def test_help_quit_question_and_start_dialogs_stay_literal(
        ws: Hostile, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = app_on(ws.workspace)
    async with drive(app) as pilot:
        await open_site(pilot, 0)
        await pilot.press("question_mark")
        await until_screen(pilot, "HelpDialog")
        shows(app, h.SITE1)  # the scoring screen stays visible behind the help
        await pilot.press("escape")
        await until_screen(pilot, "ScoringScreen")
        assert running(app)
    # A new inspection: the checklist folder holds the hostile checklist; its title is listed.
    folder = tmp_path / "checklists"
    folder.mkdir()
    (folder / "hostile.toml").write_bytes(h.checklist_bytes())
    monkeypatch.setenv("INSPECT_TUI_CHECKLISTS", str(folder))
    app = app_on(tmp_path / f"新{h.CLOSE}{h.CLICK}")
    async with drive(app) as pilot:
        await until_screen(pilot, "NewInspectionDialog")
        shows(app, h.CHECKLIST_TITLE)
        assert running(app)
