"""The export from the app: `e` on the overview (also in the palette), a worker with a progress
bar, the folder it writes verifies; a wrong passphrase is shown in the dialog."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.message import Message
from textual.widgets import Input, ProgressBar

from inspect_tui import keys
from inspect_tui.export.verify_files import load_trust, verify_target
from inspect_tui.tui.commands import screen_commands
from inspect_tui.tui.screens.export import ExportDialog
from tests.export.conftest import PASS, Signing
from tests.tui.helpers import app_on, click_button, demo_copy, until_screen, wait_for


@pytest.fixture
def demo(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, signing: Signing,
         monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("INSPECT_TUI_INSPECTOR", "测试员")
    monkeypatch.setenv(keys.ENV_DIR, str(signing.folder))
    monkeypatch.delenv(keys.ENV_PASSPHRASE, raising=False)
    monkeypatch.chdir(tmp_path)  # the dialog exports into ./exports
    return demo_copy(tmp_path_factory.getbasetemp(), tmp_path / "demo")


async def open_dialog(demo: Path, messages: list[Message]):  # type: ignore[no-untyped-def]
    app = app_on(demo)
    return app, app.run_test(size=(110, 36), message_hook=messages.append)


async def test_export_with_progress_then_verify(demo: Path, signing: Signing,
                                                tmp_path: Path) -> None:
    messages: list[Message] = []
    app, running = await open_dialog(demo, messages)
    async with running as pilot:
        await until_screen(pilot, "OverviewScreen")
        assert "导出签名报告" in {c.name for c in screen_commands(app.screen)}  # palette, help
        await pilot.press("e")
        await until_screen(pilot, "ExportDialog")
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        dialog.query_one("#export-passphrase", Input).value = PASS
        await pilot.click("#export-pdf")  # HTML and JSON only: quicker, same worker path
        await click_button(pilot, "#ok")
        ended = (ExportDialog.Finished, ExportDialog.Failed)
        await wait_for(pilot, lambda: any(isinstance(m, ended) for m in messages), timeout=60)
        await pilot.pause()
        assert dialog.folder is not None, dialog.query_one("#dialog-problem").render()
        assert dialog.query_one(ProgressBar).progress == 1.0
        fractions = [m.fraction for m in messages if isinstance(m, ExportDialog.Progress)]
        assert len(fractions) >= 3 and fractions == sorted(fractions)
        folder = dialog.folder
        await click_button(pilot, "#ok")  # now "close"
        await until_screen(pilot, "OverviewScreen")
    assert sorted(p.name for p in folder.iterdir()) == ["report.html", "report.json",
                                                        "report.json.sig"]
    assert folder.parent == (tmp_path / "exports").resolve()
    assert verify_target(str(folder), load_trust(str(signing.allowed_signers)), None).ok


async def test_wrong_passphrase_is_shown_and_nothing_written(demo: Path,
                                                             tmp_path: Path) -> None:
    messages: list[Message] = []
    app, running = await open_dialog(demo, messages)
    async with running as pilot:
        await until_screen(pilot, "OverviewScreen")
        await pilot.press("e")
        await until_screen(pilot, "ExportDialog")
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        dialog.query_one("#export-passphrase", Input).value = "not the passphrase"
        await pilot.press("enter")  # in the passphrase field
        await wait_for(pilot, lambda: any(isinstance(m, ExportDialog.Failed) for m in messages),
                       timeout=30)
        await pilot.pause()
        assert "口令不对" in str(dialog.query_one("#dialog-problem").render())
        await pilot.press("escape")
        await until_screen(pilot, "OverviewScreen")
    assert not (tmp_path / "exports").exists() or not any((tmp_path / "exports").iterdir())
