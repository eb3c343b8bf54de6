"""Who is at the keyboard, per workspace: `inspector set/show`, the environment override, a
damaged name file, a copied folder, and keys bound to names."""

from __future__ import annotations

import shutil
from pathlib import Path

from inspect_tui.store import identity
from inspect_tui.store.workspace import Workspace
from tests.checklist_samples import VALID
from tests.team.helpers import LEAD, cli, snapshot


def _workspace(root: Path) -> None:
    with Workspace.open(root, author="建档") as ws:
        ws.create_inspection(VALID.encode(), "sample.toml", title="样例", team=["张明", "李华"],
                             inspection_id="i-1")


def test_set_show_and_the_environment_override(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    _workspace(ws)
    shown = cli(tmp_path, "-w", ws, "inspector").stdout
    assert "尚未设定" in shown and "inspector set" in shown
    r = cli(tmp_path, "-w", ws, "inspector", "set", LEAD)
    assert LEAD in r.stdout and "不在检查组名单中" in r.stdout  # a note, not a refusal
    assert f"的记录人：{LEAD}（本工作区记住的姓名）" in cli(tmp_path, "-w", ws, "inspector",
                                                         "show").stdout
    cli(tmp_path, "-w", ws, "site", "add", "马涧镇", "--kind", "乡镇街道")
    forced = cli(tmp_path, "-w", ws, "inspector", INSPECT_TUI_INSPECTOR="脚本").stdout
    assert "脚本" in forced and "INSPECT_TUI_INSPECTOR" in forced
    cli(tmp_path, "-w", ws, "site", "add", "兰江街道", "--kind", "乡镇街道",
        INSPECT_TUI_INSPECTOR="脚本")
    with Workspace.open(ws, author="x") as opened:
        authors = [e.author for e in opened.inspection("i-1").all_entries()
                   if e.entity.startswith("site:")]
    assert authors == [LEAD, "脚本"]


def test_bad_names_and_no_workspace(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    _workspace(ws)
    before = snapshot(ws)
    for bad in ("张 明", "*", "a,b", "-x", "\x1b]0;pwned\x07"):
        r = cli(tmp_path, "-w", ws, "inspector", "set", "--", bad, code=2)
        assert "不能使用" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert snapshot(ws) == before
    r = cli(tmp_path, "-w", tmp_path / "nothing", "inspector", code=2)
    assert "不是 inspect-tui 工作区" in r.stderr and not (tmp_path / "nothing").exists()


def test_a_damaged_name_file_is_named_and_set_again(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    _workspace(ws)
    (ws / identity.IDENTITY_FILE).write_text("{not json")
    r = cli(tmp_path, "-w", ws, "site", "add", "马涧镇", "--kind", "乡镇街道", code=2)
    assert str(ws / identity.IDENTITY_FILE) in r.stderr and "inspector set" in r.stderr
    cli(tmp_path, "-w", ws, "site", "list")  # readers need no name
    cli(tmp_path, "-w", ws, "inspector", "set", "张明")
    cli(tmp_path, "-w", ws, "site", "add", "马涧镇", "--kind", "乡镇街道")
    assert identity.remembered(ws) == "张明"


def test_a_copied_folder_does_not_pass_its_owners_name_on(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    _workspace(ws)
    identity.remember(ws, "张明")
    copy = tmp_path / "copy"
    shutil.copytree(ws, copy)
    assert identity.remembered(ws) == "张明"
    assert identity.remembered(copy) is None  # whoever opens the copy is asked again


def test_a_key_signs_only_for_its_owner(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    _workspace(ws)
    folder = tmp_path / "keys"
    cli(tmp_path, "keys", "new", "--name", "张明", keys_dir=folder)
    r = cli(tmp_path, "-w", ws, "pack", "--out", "x.pack", "--key", "张明", keys_dir=folder,
            code=2)
    assert "张明" in r.stderr and "inspector set 张明" in r.stderr
    assert not (tmp_path / "x.pack").exists()
    cli(tmp_path, "-w", ws, "inspector", "set", "张明")
    out = cli(tmp_path, "-w", ws, "pack", "--out", "x.pack", "--key", "张明", keys_dir=folder)
    assert "已签名（张明）" in out.stdout
    r = cli(tmp_path, "-w", ws, "pack", "--setup", "--out", "y.setup", code=2)
    assert "--key" in r.stderr and not (tmp_path / "y.setup").exists()


def test_keys_export_help_names_both_purposes(tmp_path: Path) -> None:
    shown = cli(tmp_path, "keys", "export", "--help").stdout
    assert "inspect-report" in shown and "inspect-pack" in shown
    assert "限定用途 inspect-report）" not in shown
