"""A really full disk (a tmpfs filled until ENOSPC): every save, attach, export and merge is
refused with a message naming the file, nothing saved before is lost, and the retry works
once space is freed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from inspect_tui.core import sshsig
from inspect_tui.export.errors import ExportError
from inspect_tui.export.run import ExportOptions, export_inspection
from inspect_tui.store.doctor import Level, check_workspace
from inspect_tui.store.errors import StoreError, WriteFailed
from inspect_tui.store.merge import merge_into
from inspect_tui.store.merge_errors import MergeRefused
from inspect_tui.store.workspace import Workspace
from tests.export.conftest import Signing
from tests.faults.conftest import (
    MountTmpfs,
    assert_clean_failure,
    cli,
    files,
    key_env,
    make_workspace,
    site_file,
)
from tests.merge.helpers import copy_laptop, entries, opened, snapshot
from tests.tui.helpers import app_on, until_screen, wait_for

NO_SPACE = "No space left on device"
JSON_ONLY = frozenset({"json"})


def errors_found(root: Path) -> list[str]:
    return [f.message for f in check_workspace(root) if f.level is Level.ERROR]


def test_save_is_refused_naming_the_site_file_and_retry_works(
        tmp_path: Path, tmpfs: MountTmpfs) -> None:
    disk = tmpfs(tmp_path / "disk")
    root = disk.path / "ws"
    site = make_workspace(root)
    with Workspace.open(root) as ws:
        insp = ws.inspection("insp-1")
        before, count = files(root), len(insp.all_entries())
        disk.fill()

        with pytest.raises(WriteFailed) as info:
            insp.set_fields(site, "1.1", points=3)
        message = str(info.value)
        assert str(site_file(insp, site)) in message and NO_SPACE in message
        assert "保存失败" in message and "上一次成功保存的版本" in message
        assert insp.record(site, "1.1").points == 5  # memory never claims what disk lacks
        assert len(insp.all_entries()) == count

        with pytest.raises(WriteFailed) as info:  # a new site needs a new file: same story
            insp.add_site("新检查点", "部门")
        assert str(insp.folder / "sites") in str(info.value) and NO_SPACE in str(info.value)
        assert [s.name for s in insp.sites()] == ["马涧镇"]
        assert files(root) == before  # no temp file, no empty site file, nothing changed

        disk.free()
        insp.set_fields(site, "1.1", points=3)
        insp.add_site("新检查点", "部门")
    with opened(root) as insp:  # from disk
        assert insp.record(site, "1.1").points == 3
        assert insp.record(site, "1.1").problems == "典型案例数量不足"
        assert insp.record(site, "1.2").points == 4
        assert [s.name for s in insp.sites()] == ["马涧镇", "新检查点"]
    assert errors_found(root) == []


def test_attaching_evidence_is_refused_and_leaves_nothing_half_copied(
        tmp_path: Path, tmpfs: MountTmpfs) -> None:
    disk = tmpfs(tmp_path / "disk")
    root = disk.path / "ws"
    site = make_workspace(root)
    photo = tmp_path / "现场照片.jpg"
    photo.write_bytes(b"\xff\xd8" + bytes(range(256)) * 80)
    with Workspace.open(root) as ws:
        insp = ws.inspection("insp-1")
        before = files(root)
        disk.fill()
        with pytest.raises(StoreError) as info:
            insp.attach_evidence(site, "1.1", photo, "签到表")
        assert info.value.key == "evidence.copy_failed"
        assert str(photo) in str(info.value) and NO_SPACE in str(info.value)
        assert insp.record(site, "1.1").evidence == ()
        assert files(root) == before  # no .incoming temp file, no partial copy in evidence/

        disk.free()
        ref = insp.attach_evidence(site, "1.1", photo, "签到表")
    assert (root / "evidence" / ref.sha256).read_bytes() == photo.read_bytes()
    with opened(root) as insp:
        assert [e.name for e in insp.record(site, "1.1").evidence] == ["现场照片.jpg"]
    assert errors_found(root) == []


def test_evidence_that_fits_when_its_record_does_not_is_complete_and_reused(
        tmp_path: Path, tmpfs: MountTmpfs) -> None:
    """Nearly full: the photo's copy fits, the record's save does not. The copy left behind is
    complete (it hashes to its name) and unreferenced: doctor warns, the retry reuses it."""
    disk = tmpfs(tmp_path / "disk")
    root = disk.path / "ws"
    site = make_workspace(root)
    photo = tmp_path / "p.jpg"
    photo.write_bytes(b"\xff\xd8" + b"x" * 6000)  # two pages
    with Workspace.open(root) as ws:
        insp = ws.inspection("insp-1")
        site_bytes = site_file(insp, site).read_bytes()
        disk.fill()
        disk.leave(2)
        with pytest.raises(WriteFailed) as info:
            insp.attach_evidence(site, "1.1", photo)
        assert str(site_file(insp, site)) in str(info.value)
        assert site_file(insp, site).read_bytes() == site_bytes
        assert insp.record(site, "1.1").evidence == ()
        (stored,) = insp.evidence.stored()
        assert insp.evidence.verify(stored)  # whole, never half-written
        findings = check_workspace(root)
        assert [f.level for f in findings] == [Level.WARNING]
        assert "未被任何记录引用" in findings[0].message
        disk.free()
        ref = insp.attach_evidence(site, "1.1", photo)
        assert ref.sha256 == stored and insp.evidence.stored() == [stored]
    assert check_workspace(root) == []


def test_export_is_refused_and_leaves_no_report_folder(
        tmp_path: Path, tmpfs: MountTmpfs, signing: Signing) -> None:
    disk = tmpfs(tmp_path / "disk")
    root, out = disk.path / "ws", disk.path / "exports"
    make_workspace(root)
    options = ExportOptions(out_dir=out, formats=JSON_ONLY)
    disk.fill()
    before = files(root)

    r = cli("-w", root, "export", "insp-1", "--format", "json", "--out", out,
            env=key_env(signing))
    assert_clean_failure(r, "无法写入导出文件夹", str(out), NO_SPACE)
    assert list(out.iterdir()) == []  # nothing half-written, nothing that looks finished

    with Workspace.open(root) as ws:
        insp = ws.inspection("insp-1")
        with pytest.raises(ExportError) as info:
            export_inspection(insp, signing.key, signing.info.name, options)
        assert info.value.key == "export.unwritable" and NO_SPACE in str(info.value)
        assert list(out.iterdir()) == []
        disk.free()
        result = export_inspection(insp, signing.key, signing.info.name, options)
    assert files(root) == before  # exporting never touches the workspace
    assert sorted(p.name for p in result.folder.iterdir()) == ["report.json", "report.json.sig"]
    data = (result.folder / "report.json").read_bytes()
    signers = sshsig.parse_allowed_signers(signing.allowed_signers.read_text(), "allowed")
    sshsig.verify(data, (result.folder / "report.json.sig").read_text(),
                  sshsig.REPORT_NAMESPACE, signers, source="report.json.sig")
    (site,) = json.loads(data)["sites"]
    assert [r["points"] for r in site["records"]] == [5, 4]


@pytest.fixture
def laptop(tmp_path: Path) -> Path:
    """A lead workspace on the regular disk and a laptop's copy with a photo, a score, a site."""
    lead = tmp_path / "lead-master"
    site = make_workspace(lead)
    laptop = copy_laptop(lead, tmp_path / "laptop")
    photo = tmp_path / "签到表.jpg"
    photo.write_bytes(b"\xff\xd8" + b"y" * 6000)  # two pages on the tmpfs
    with opened(laptop, "李华") as insp:
        insp.set_fields(site, "1.2", points=2, notes="李华复核")
        insp.attach_evidence(site, "1.2", photo)
        insp.add_site("李华的检查点", "部门")
    return laptop


def test_merge_into_a_full_disk_is_refused_and_changes_nothing(
        tmp_path: Path, tmpfs: MountTmpfs, laptop: Path) -> None:
    disk = tmpfs(tmp_path / "disk")
    dest = copy_laptop(tmp_path / "lead-master", disk.path / "lead")
    with opened(dest, "组长"):  # a writer makes the copy's device id while there is room
        pass
    before_entries = set(entries(dest))
    disk.fill()
    before = snapshot(dest)

    r = cli("-w", dest, "merge", laptop)  # full: the first evidence copy fails
    assert_clean_failure(r, "合并未能完成", str(dest / "evidence"), NO_SPACE)
    assert snapshot(dest) == before

    with Workspace.open(dest, author="组长") as ws, pytest.raises(MergeRefused) as info:
        disk.leave(2)  # nearly full: the photo fits, the staged database files do not
        merge_into(ws, [laptop])
    message = str(info.value)
    assert str(dest / "inspections" / "insp-1") in message and NO_SPACE in message
    assert "不会只合并一半" in message
    assert snapshot(dest) == before  # byte for byte: the copied photo was taken back too
    assert set(entries(dest)) == before_entries

    disk.free()
    r = cli("-w", dest, "merge", laptop)
    assert r.returncode == 0, r.stderr
    assert set(entries(dest)) == before_entries | set(entries(laptop))
    assert errors_found(dest) == []


def test_a_fresh_copy_on_a_full_disk_says_it_cannot_write_its_device_id(
        tmp_path: Path, tmpfs: MountTmpfs) -> None:
    disk = tmpfs(tmp_path / "disk")
    make_workspace(tmp_path / "lead")
    copy = copy_laptop(tmp_path / "lead", disk.path / "copy")
    disk.fill()
    before = snapshot(copy)
    r = cli("-w", copy, "site", "list")  # a reader needs no device id and writes nothing
    assert r.returncode == 0 and "马涧镇" in r.stdout, r.stderr
    assert snapshot(copy) == before
    r = cli("-w", copy, "site", "add", "新检查点", "--kind", "部门")
    assert_clean_failure(r, str(copy / "device.json"), NO_SPACE, "设备编号")
    assert snapshot(copy) == before
    disk.free()
    r = cli("-w", copy, "site", "add", "新检查点", "--kind", "部门")
    assert r.returncode == 0 and "新检查点" in r.stdout, r.stderr


async def test_tui_shows_the_failed_save_and_ctrl_s_retries(
        tmp_path: Path, tmpfs: MountTmpfs) -> None:
    disk = tmpfs(tmp_path / "disk")
    root = disk.path / "ws"
    make_workspace(root)
    with opened(root) as insp:
        site = insp.add_site("新检查点", "部门").site_id  # unscored: the form starts empty
        path = site_file(insp, site)
    app = app_on(root)
    async with app.run_test(size=(100, 30)) as pilot:
        await until_screen(pilot, "OverviewScreen")
        table = app.screen.query_one("#sites")
        await wait_for(pilot, lambda: table.row_count == 2)  # type: ignore[attr-defined]
        table.move_cursor(row=1)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await until_screen(pilot, "ScoringScreen")
        screen = app.screen
        criterion = screen.criterion  # type: ignore[attr-defined]
        assert criterion is not None and app.session is not None
        saved = path.read_bytes()
        disk.fill()

        await pilot.press("2", "enter")
        assert screen.query_one("#points").value == "2"  # type: ignore[attr-defined]
        assert "未保存" in str(screen.query_one("#save-state").render())
        shown = [n.message for n in app._notifications]
        assert any(str(path) in m and NO_SPACE in m and "保存失败" in m for m in shown), shown
        assert path.read_bytes() == saved
        assert app.session.record(site, criterion.id).points is None

        disk.free()
        await pilot.press("ctrl+s")
        assert app.session.record(site, criterion.id).points == 2.0
        assert not app.session.unsaved
        assert "已保存" in str(screen.query_one("#save-state").render())
    with opened(root) as insp:
        assert insp.record(site, criterion.id).points == 2.0
