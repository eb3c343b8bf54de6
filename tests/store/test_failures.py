"""Failure paths: broken, foreign and locked files, failed writes, tampering — nothing lost."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from inspect_tui.store import durable_storage
from inspect_tui.store.doctor import Level, check_workspace, restore_backup
from inspect_tui.store.errors import CorruptDatabase, ForeignDatabase, WorkspaceLocked, WriteFailed
from inspect_tui.store.inspection import Inspection
from inspect_tui.store.workspace import Workspace
from tests.store.conftest import site_id


def _site_file(insp: Inspection) -> Path:
    return insp.folder / "sites" / f"{site_id(insp)}.json"


def _scored(insp: Inspection, workspace: Workspace) -> Path:
    sid = site_id(insp)
    insp.set_fields(sid, "1.1", points=5)
    insp.set_fields(sid, "1.2", points=4)
    path = _site_file(insp)
    workspace.close()
    return path


@pytest.mark.parametrize("damage", [
    lambda b: b[: len(b) // 2],  # truncated mid-write by something else
    lambda b: b"\x00\x17garbage\xff" * 10,
    lambda b: b"",
])
def test_corrupt_file_is_named_never_overwritten_and_backup_offered(
        ws_root: Path, inspection: Inspection, workspace: Workspace, damage) -> None:  # type: ignore[no-untyped-def]
    path = _scored(inspection, workspace)
    broken = damage(path.read_bytes())
    path.write_bytes(broken)
    with Workspace.open(ws_root) as ws:
        with pytest.raises(CorruptDatabase) as info:
            ws.inspection("insp-1")
        message = str(info.value)
        assert str(path) in message and "已损坏" in message and ".bak" in message
        assert "doctor --restore" in message
    assert path.read_bytes() == broken  # untouched


def test_restore_backup_moves_broken_file_aside(ws_root: Path, inspection: Inspection,
                                                workspace: Workspace) -> None:
    path = _scored(inspection, workspace)
    path.write_bytes(b"{broken")
    aside = restore_backup(ws_root, path)
    assert aside.read_bytes() == b"{broken"
    with Workspace.open(ws_root) as ws:
        insp = ws.inspection("insp-1")
        # the backup is the version before the last save: 1.1 is there, 1.2 was the last write
        assert insp.record(site_id(insp), "1.1").points == 5


def test_foreign_file_is_refused(ws_root: Path, inspection: Inspection,
                                 workspace: Workspace, tmp_path: Path) -> None:
    path = _scored(inspection, workspace)
    foreign = json.dumps({"_default": {"1": {"name": "someone else's tinydb"}}}).encode()
    path.write_bytes(foreign)
    with Workspace.open(ws_root) as ws:
        with pytest.raises(ForeignDatabase) as info:
            ws.inspection("insp-1")
        assert str(path) in str(info.value) and "不属于这里" in str(info.value)
    assert path.read_bytes() == foreign


def test_site_file_from_another_inspection_is_refused(ws_root: Path, inspection: Inspection,
                                                      workspace: Workspace) -> None:
    path = _scored(inspection, workspace)
    data = json.loads(path.read_bytes())
    data["meta"]["1"]["inspection"] = "other-inspection"
    path.write_text(json.dumps(data))
    with Workspace.open(ws_root) as ws, pytest.raises(ForeignDatabase) as info:
        ws.inspection("insp-1")
    assert "inspection=other-inspection" in str(info.value)


def test_second_writer_is_told_who_holds_the_workspace(ws_root: Path, inspection: Inspection,
                                                       workspace: Workspace) -> None:
    workspace.close()
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys,time; from inspect_tui.store.workspace import Workspace\n"
         f"ws = Workspace.open({str(ws_root)!r}, author='李华'); print('held', flush=True)\n"
         "sys.stdin.read()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(WorkspaceLocked) as info:
            Workspace.open(ws_root)
        message = str(info.value)
        assert f"进程 {holder.pid}" in message and "李华" in message and "主机" in message
    finally:
        holder.communicate("")
    Workspace.open(ws_root).close()  # released when the holder exits


def test_stale_lock_from_crashed_process_is_taken_over(ws_root: Path,
                                                       inspection: Inspection,
                                                       workspace: Workspace) -> None:
    workspace.close()
    crashed = subprocess.run(
        [sys.executable, "-c",
         "import os; from inspect_tui.store.workspace import Workspace\n"
         f"Workspace.open({str(ws_root)!r}); os._exit(9)"])
    assert crashed.returncode == 9
    assert json.loads((ws_root / ".lock").read_text())["pid"] > 0  # left behind
    with Workspace.open(ws_root) as ws:
        assert ws.lock.took_over is not None
        assert ws.lock.took_over["pid"] != os.getpid()


def test_disk_full_keeps_previous_version_and_retry_works(
        inspection: Inspection, monkeypatch: pytest.MonkeyPatch) -> None:
    sid = site_id(inspection)
    inspection.set_fields(sid, "1.1", points=5)
    path = _site_file(inspection)
    before = path.read_bytes()
    seq_before = len(inspection.all_entries())

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(durable_storage.os, "fsync", full)
    with pytest.raises(WriteFailed) as info:
        inspection.set_fields(sid, "1.1", points=3)
    assert "No space left" in str(info.value) and str(path) in str(info.value)
    assert path.read_bytes() == before
    assert inspection.record(sid, "1.1").points == 5
    assert len(inspection.all_entries()) == seq_before
    assert not list(path.parent.glob(".*.tmp"))
    monkeypatch.undo()
    inspection.set_fields(sid, "1.1", points=3)  # retry once space is back
    assert inspection.record(sid, "1.1").points == 3


def test_read_only_lock(ws_root: Path, inspection: Inspection, workspace: Workspace,
                        monkeypatch: pytest.MonkeyPatch) -> None:
    workspace.close()
    from inspect_tui.store import lock

    real_open = os.open

    def denied(path: str, *args: object, **kwargs: object) -> int:
        if Path(path).name == ".lock":  # only the lock: reading workspace.json uses os.open too
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(lock.os, "open", denied)
    with pytest.raises(Exception) as info:
        Workspace.open(ws_root)
    assert "只读" in str(info.value)


def test_doctor_finds_tampering_gaps_and_evidence_problems(
        ws_root: Path, inspection: Inspection, workspace: Workspace, tmp_path: Path) -> None:
    sid = site_id(inspection)
    photo = tmp_path / "p.jpg"
    photo.write_bytes(b"photo")
    ref = inspection.attach_evidence(sid, "1.1", photo)
    for points in (1, 2, 3):
        inspection.set_fields(sid, "1.2", points=points)
    path = _site_file(inspection)
    workspace.close()
    assert [f for f in check_workspace(ws_root) if f.level is Level.ERROR] == []

    data = json.loads(path.read_bytes())
    history = data["history"]
    points_docs = [k for k, d in history.items() if "points" in d["changes"]]
    history[points_docs[0]]["changes"]["points"]["v"] = 4.0  # edit a past score
    del history[points_docs[1]]  # delete a past entry
    path.write_text(json.dumps(data, ensure_ascii=False))
    (ws_root / "evidence" / ref.sha256).write_bytes(b"photoshopped")
    (ws_root / "evidence" / ("0" * 64)).write_bytes(b"orphan")

    messages = [(f.level, f.message) for f in check_workspace(ws_root)]
    text = "\n".join(m for _, m in messages)
    assert "被改动过（哈希不符）" in text
    assert "缺失" in text
    assert "佐证文件已被改动" in text
    assert "未被任何记录引用" in text


def test_doctor_cli_exit_codes(ws_root: Path, inspection: Inspection,
                               workspace: Workspace) -> None:
    path = _scored(inspection, workspace)
    exe = [sys.executable, "-m", "inspect_tui", "-w", str(ws_root), "doctor"]
    ok = subprocess.run(exe, capture_output=True, text=True)
    assert ok.returncode == 0 and "0 个错误" in ok.stdout
    path.write_bytes(b"garbage")
    bad = subprocess.run(exe, capture_output=True, text=True)
    assert bad.returncode == 1 and str(path) in bad.stdout and "Traceback" not in bad.stderr
    fixed = subprocess.run([*exe, "--restore", str(path)], capture_output=True, text=True)
    assert fixed.returncode == 0, fixed.stderr
    assert "已恢复" in fixed.stdout
