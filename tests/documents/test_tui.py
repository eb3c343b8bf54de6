"""The documents from the app: `d` on the overview (also in the palette, and a button in the
export dialog), settings saved into the history, a worker with progress writing the chosen
documents; a bad 成文日期 is shown in the dialog and nothing is saved or written."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from textual.message import Message
from textual.widgets import Checkbox, Input, ProgressBar

from inspect_tui import keys
from inspect_tui.core.documents.catalog import KINDS
from inspect_tui.demo import DEMO_ID, ISSUER
from inspect_tui.store.workspace import Workspace
from inspect_tui.tui.commands import screen_commands
from inspect_tui.tui.screens.documents import DocumentsDialog
from inspect_tui.tui.screens.export import ExportDialog
from tests.tui.helpers import app_on, click_button, demo_copy, until_screen, wait_for


@pytest.fixture
def demo(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory,
         monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("INSPECT_TUI_INSPECTOR", "测试员")
    monkeypatch.chdir(tmp_path)  # the dialog writes into ./exports
    return demo_copy(tmp_path_factory.getbasetemp(), tmp_path / "demo")


def setting(workspace: Path, name: str) -> object:
    with Workspace.open(workspace, create=False, readonly=True) as ws:
        return ws.inspection(DEMO_ID).setting(name)


async def test_documents_dialog_saves_settings_and_writes_in_a_worker(demo: Path,
                                                                      tmp_path: Path) -> None:
    messages: list[Message] = []
    app = app_on(demo)
    async with app.run_test(size=(110, 40), message_hook=messages.append) as pilot:
        await until_screen(pilot, "OverviewScreen")
        assert "生成检查文书" in {c.name for c in screen_commands(app.screen)}
        await pilot.press("d")
        await until_screen(pilot, "DocumentsDialog")
        dialog = app.screen
        assert isinstance(dialog, DocumentsDialog)
        dialog.query_one("#doc-issuer", Input).value = "兰溪市普法办"
        dialog.query_one("#doc-doc_number", Input).value = "兰普法〔2026〕7号"
        dialog.query_one("#doc-doc_date", Input).value = "2026-02-30"
        await click_button(pilot, "#ok")
        await pilot.pause()
        assert "2026-02-30" in str(dialog.query_one("#dialog-problem").render())
        assert setting(demo, "issuer") == ISSUER  # refused: nothing saved (the demo's own)
        assert not (tmp_path / "exports").exists()
        dialog.query_one("#doc-doc_date", Input).value = "2026-12-01"
        for kind in KINDS:
            if kind not in ("summary", "bulletin"):
                dialog.query_one(f"#doc-kind-{kind}", Checkbox).value = False
        dialog.query_one("#doc-format-pdf", Checkbox).value = False
        await click_button(pilot, "#ok")
        ended = (DocumentsDialog.Finished, DocumentsDialog.Failed)
        await wait_for(pilot, lambda: any(isinstance(m, ended) for m in messages), timeout=120)
        await pilot.pause()
        assert dialog.folder is not None, dialog.query_one("#dialog-problem").render()
        assert dialog.query_one(ProgressBar).progress == 1.0
        fractions = [m.fraction for m in messages if isinstance(m, DocumentsDialog.Progress)]
        assert len(fractions) >= 2 and fractions == sorted(fractions)
        folder = dialog.folder
        await click_button(pilot, "#ok")  # now "close"
        await until_screen(pilot, "OverviewScreen")
    assert sorted(p.name for p in folder.iterdir()) == ["汇总表.docx", "通报.docx"]
    assert folder.parent == (tmp_path / "exports").resolve()
    paragraphs = {p.style.name: p.text for p in docx.Document(str(folder / "通报.docx")).paragraphs
                  if p.text}
    assert paragraphs["发文字号"] == "兰普法〔2026〕7号"
    assert setting(demo, "issuer") == "兰溪市普法办"
    assert setting(demo, "doc_date") == "2026-12-01"


async def test_the_export_dialog_offers_the_documents(demo: Path) -> None:
    app = app_on(demo)
    async with app.run_test(size=(110, 40)) as pilot:
        await until_screen(pilot, "OverviewScreen")
        await pilot.press("e")
        await until_screen(pilot, "ExportDialog")
        await pilot.click("#documents")
        await until_screen(pilot, "DocumentsDialog")
        assert all(app.screen.query_one(f"#doc-kind-{k}", Checkbox).value for k in KINDS)


async def test_export_dialog_docx_adds_the_documents_to_the_report(
        demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    key_dir = tmp_path / "keys"
    keys.new_key("张组长", "pass phrase", key_dir)
    monkeypatch.setenv(keys.ENV_DIR, str(key_dir))
    messages: list[Message] = []
    app = app_on(demo)
    async with app.run_test(size=(110, 40), message_hook=messages.append) as pilot:
        await until_screen(pilot, "OverviewScreen")
        await pilot.press("e")
        await until_screen(pilot, "ExportDialog")
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        dialog.query_one("#export-passphrase", Input).value = "pass phrase"
        dialog.query_one("#export-pdf", Checkbox).value = False
        dialog.query_one("#export-html", Checkbox).value = False
        dialog.query_one("#export-docx", Checkbox).value = True
        await click_button(pilot, "#ok")
        ended = (ExportDialog.Finished, ExportDialog.Failed)
        await wait_for(pilot, lambda: any(isinstance(m, ended) for m in messages), timeout=300)
        await pilot.pause()
        assert dialog.folder is not None, dialog.query_one("#dialog-problem").render()
        folder = dialog.folder
    assert (folder / "report.json").is_file() and not (folder / "report.pdf").exists()
    names = {p.name for p in (folder / "文书").iterdir()}
    assert {"通报.docx", "汇总表.docx", "整改情况汇总.docx"} <= names
    assert all(n.endswith(".docx") for n in names)
