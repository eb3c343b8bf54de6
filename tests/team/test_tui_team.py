"""The team's day in the app (Pilot): joining from the start screen, the first start asking
who is at the keyboard, and the merge screen confirming new signers by fingerprint."""

from __future__ import annotations

from pathlib import Path

from rich.table import Table
from textual.message import Message
from textual.widgets import Input, OptionList, Static

from inspect_tui.store import identity, trust
from inspect_tui.store.setup_pack import join
from inspect_tui.store.workspace import Workspace
from inspect_tui.tui.screens.merge import MergeScreen
from tests.merge.test_tui import Host
from tests.team.helpers import INSPECTION, LEAD, TEAM, make_setup, signed_pack
from tests.tui.helpers import app_on, type_text, until_screen, wait_for


def _text(app: object, selector: str) -> str:
    return str(app.screen.query_one(selector).render())  # type: ignore[attr-defined]


async def _score_first(pilot: object) -> None:
    """Open the first site, score its first criterion 3, quit."""
    await pilot.press("enter")  # type: ignore[attr-defined]
    await until_screen(pilot, "ScoringScreen")  # type: ignore[arg-type]
    await pilot.press("3", "enter")  # type: ignore[attr-defined]
    await pilot.press("ctrl+q")  # type: ignore[attr-defined]


async def test_an_empty_workspace_joins_from_the_setup_pack(tmp_path: Path) -> None:
    setup = make_setup(tmp_path)
    laptop = tmp_path / "laptop"
    app = app_on(laptop)
    async with app.run_test(size=(110, 40)) as pilot:
        await until_screen(pilot, "NewInspectionDialog")
        await pilot.click("#join")
        await until_screen(pilot, "JoinDialog")
        path = app.screen.query_one("#join-path", Input)
        path.value = str(tmp_path / "lead")  # a folder, not a setup pack
        await pilot.press("enter")
        assert "无法用" in _text(app, "#dialog-problem")
        assert app.screen.query_one(OptionList).option_count == 0
        path.value = str(setup.pack)
        await pilot.press("enter")
        names = app.screen.query_one(OptionList)
        await wait_for(pilot, lambda: names.option_count == len(TEAM) + 1)  # and the lead
        assert setup.key.fingerprint in _text(app, "#join-pack")
        await pilot.press("down", "enter")  # 李华
        await until_screen(pilot, "OverviewScreen")
        assert app.screen.query_one("#sites").row_count == 2  # type: ignore[attr-defined]
        await _score_first(pilot)
    assert app.return_code in (0, None)
    assert identity.remembered(laptop) == "李华"
    assert setup.key.fingerprint in [trust.PackSigner("", s.key_blob).fingerprint
                                     for s in trust.load(laptop)]
    with Workspace.open(laptop) as ws:
        insp = ws.inspection(INSPECTION)
        site = insp.sites()[0]
        record = insp.record(site.site_id, insp.checklist.criteria[0].id)
        assert (record.points, record.updated_by) == (3.0, "李华")

    again = app_on(laptop)  # remembered: no question the second time
    async with again.run_test(size=(110, 40)) as pilot:
        await until_screen(pilot, "OverviewScreen")
        await pilot.press("ctrl+q")


async def test_the_first_start_asks_who_is_at_the_keyboard(tmp_path: Path) -> None:
    setup = make_setup(tmp_path)  # made by the store with no name remembered
    app = app_on(setup.lead)
    async with app.run_test(size=(110, 40)) as pilot:
        await until_screen(pilot, "WhoDialog")
        assert app.screen.query_one(OptionList).option_count == len(TEAM)
        await pilot.press("tab")  # not on the list: the lead types his name
        assert app.screen.query_one("#who-name", Input).has_focus
        await type_text(pilot, "张 组长")  # a space: refused, the dialog stays
        await pilot.press("enter")
        assert "不能使用" in _text(app, "#dialog-problem")
        app.screen.query_one("#who-name", Input).value = LEAD
        await pilot.press("enter")
        await until_screen(pilot, "OverviewScreen")
        await _score_first(pilot)
    assert identity.remembered(setup.lead) == LEAD
    with Workspace.open(setup.lead) as ws:
        insp = ws.inspection(INSPECTION)
        record = insp.record(insp.sites()[0].site_id, insp.checklist.criteria[0].id)
        assert record.updated_by == LEAD


async def test_picking_a_name_from_the_team(tmp_path: Path) -> None:
    setup = make_setup(tmp_path)
    app = app_on(setup.lead)
    async with app.run_test(size=(110, 40)) as pilot:
        await until_screen(pilot, "WhoDialog")
        await pilot.press("down", "down", "enter")
        await until_screen(pilot, "OverviewScreen")
        await pilot.press("ctrl+q")
    assert identity.remembered(setup.lead) == TEAM[2]


async def test_a_new_inspection_asks_the_creators_name(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    app = app_on(workspace)
    async with app.run_test(size=(110, 40)) as pilot:
        await until_screen(pilot, "NewInspectionDialog")
        assert app.screen.query_one("#who-name", Input).has_focus
        assert app.screen.query_one("#team", Input).value == ""  # not the login name
        title = app.screen.query_one("#title", Input)
        title.value = "兰溪检查"
        title.focus()
        await pilot.press("enter")  # no name yet: refused
        assert "请选择或输入你的姓名" in _text(app, "#dialog-problem")
        app.screen.query_one("#who-name", Input).value = LEAD
        await pilot.press("enter")
        await until_screen(pilot, "OverviewScreen")
        await pilot.press("a")
        await until_screen(pilot, "SiteDialog")
        await type_text(pilot, "马涧镇")
        await pilot.press("enter")
        await until_screen(pilot, "OverviewScreen")
        await pilot.press("ctrl+q")
    with Workspace.open(workspace) as ws:
        (inspection_id,) = ws.inspection_ids()
        entries = ws.inspection(inspection_id).all_entries()
        assert entries and {e.author for e in entries} == {LEAD}


async def test_the_merge_screen_confirms_new_signers_by_fingerprint(tmp_path: Path) -> None:
    setup = make_setup(tmp_path)
    laptop = tmp_path / "zhang"
    with Workspace.open(laptop) as ws:
        join(ws, setup.pack, "张明")
        insp = ws.inspection(INSPECTION)
        insp.set_fields(insp.sites()[0].site_id, "1.1", points=5)
    pack = tmp_path / "zhang.pack"
    zhang = signed_pack(laptop, "张明", pack, tmp_path / "zhang-keys")
    before = (setup.lead / "trusted_signers").read_text("utf-8")

    messages: list[Message] = []
    with Workspace.open(setup.lead, author=LEAD) as ws:
        app = Host(lambda: MergeScreen(ws, ws.inspection(INSPECTION)))
        async with app.run_test(size=(140, 40), message_hook=messages.append) as pilot:
            app.screen.query_one("#merge-path", Input).value = str(pack)
            await pilot.press("enter")
            for answer, status in (("n", "skipped"), ("y", "merged")):
                messages.clear()
                await pilot.press("ctrl+r")
                await until_screen(pilot, "ConfirmDialog")
                shown = _text(app, "#dialog-message")
                assert "张明" in shown and zhang.fingerprint in shown
                await pilot.press(answer)
                await wait_for(pilot, lambda: any(isinstance(m, MergeScreen.Finished)
                                                  for m in messages))
                await pilot.pause()
                screen = app.screen
                assert isinstance(screen, MergeScreen) and screen.report is not None
                (source,) = screen.report.sources
                assert source.status == status
                if status == "skipped":
                    assert zhang.fingerprint in source.reason
                    assert (setup.lead / "trusted_signers").read_text("utf-8") == before
            assert (source.signature, source.signer) == ("valid", "张明")
            assert isinstance(screen.query_one("#merge-summary", Static).content, Table)
            await pilot.press("escape")
        assert app.result is True
    trusted = (setup.lead / "trusted_signers").read_text("utf-8")
    assert trusted.startswith(before) and "张明 namespaces=\"inspect-pack\"" in trusted
