"""The repository API: sites, records, evidence, history — all surviving a reopen."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from inspect_tui.core.errors import InspectError
from inspect_tui.core.history import verify_chains
from inspect_tui.core.records import SiteKind
from inspect_tui.store.errors import StoreError
from inspect_tui.store.inspection import Inspection
from inspect_tui.store.workspace import Workspace
from tests.store.conftest import site_id


def test_scores_survive_reopen(ws_root: Path, inspection: Inspection,
                               workspace: Workspace) -> None:
    sid = site_id(inspection)
    inspection.set_fields(sid, "1.1", deductions=[1], count=3, methods=["查阅台账"],
                          problems="类型单一", advice="增加类型")
    inspection.set_fields(sid, "1.2", points=4, veto=False)
    workspace.close()
    with Workspace.open(ws_root) as again:
        insp = again.inspection("insp-1")
        r = insp.record(sid, "1.1")
        assert (r.deductions, r.count, r.problems, r.updated_by) == ((1,), 3, "类型单一", "张明")
        result = insp.result(sid)
        assert (result.total, result.grade, result.complete) == (7, "合格", True)
        assert insp.title == "样例检查" and insp.team == ["张明", "李华"]


def test_unchanged_value_writes_nothing(inspection: Inspection) -> None:
    sid = site_id(inspection)
    inspection.set_fields(sid, "1.2", points=4)
    before = len(inspection.all_entries())
    inspection.set_fields(sid, "1.2", points=4)
    inspection.record(sid, "1.1")
    assert len(inspection.all_entries()) == before


def test_history_keeps_every_change(inspection: Inspection) -> None:
    sid = site_id(inspection)
    for points in (2, 3, 4):
        inspection.set_fields(sid, "1.2", points=points)
    history = inspection.history(sid, "1.2")
    assert [e.changes["points"].value for e in history] == [2.0, 3.0, 4.0]
    assert history[1].changes["points"].parents == (history[0].hash,)
    assert all(e.author == "张明" and e.device for e in history)
    assert verify_chains(inspection.all_entries()) == []


def test_sites_add_rename_remove_keeps_history(inspection: Inspection) -> None:
    sid = site_id(inspection)
    inspection.set_fields(sid, "1.2", points=4)
    inspection.update_site(sid, name="马涧镇人民政府")
    inspection.remove_site(sid)
    assert inspection.sites() == []
    removed = inspection.sites(include_removed=True)[0]
    assert removed.name == "马涧镇人民政府" and removed.removed
    assert inspection.record(sid, "1.2").points == 4


@pytest.mark.parametrize(("kwargs", "fragment"), [
    ({"name": " ", "kind": "部门"}, "名称不能为空"),
    ({"name": "市公安局", "kind": "公司"}, "类型 “公司” 无效"),
    ({"name": "马涧镇", "kind": "乡镇街道"}, "已有名为 “马涧镇”"),
])
def test_bad_sites_rejected(inspection: Inspection, kwargs: dict[str, str],
                            fragment: str) -> None:
    with pytest.raises(StoreError) as info:
        inspection.add_site(**kwargs)
    assert fragment in str(info.value)


def test_points_out_of_range(inspection: Inspection) -> None:
    with pytest.raises(InspectError) as info:
        inspection.set_fields(site_id(inspection), "1.2", points=5)
    assert "应在 0 到 4 分之间" in str(info.value)


def test_record_ids_are_derived_and_findable(inspection: Inspection) -> None:
    sid = site_id(inspection)
    inspection.set_fields(sid, "1.1", points=5)
    rid = inspection.record(sid, "1.1").record_id
    assert inspection.find_record(rid) == inspection.record(sid, "1.1")
    assert inspection.find_record("R-00000-00000") is None


def test_pinned_checklist_ignores_later_edits(ws_root: Path, inspection: Inspection,
                                              workspace: Workspace) -> None:
    pinned = inspection.checklist.content_hash
    workspace.close()
    with Workspace.open(ws_root) as again:
        assert again.inspection("insp-1").checklist.content_hash == pinned


def test_evidence_is_copied_by_hash_and_survives_loss_of_original(
        tmp_path: Path, inspection: Inspection, workspace: Workspace) -> None:
    photo = tmp_path / "现场照片.jpg"
    photo.write_bytes(b"\xff\xd8 fake jpeg " * 100)
    ref = inspection.attach_evidence(site_id(inspection), "1.1", photo, "宣传栏")
    photo.unlink()
    stored = workspace.root / "evidence" / ref.sha256
    assert stored.exists() and workspace.evidence.verify(ref.sha256)
    assert (ref.name, ref.type, ref.caption) == ("现场照片.jpg", "image/jpeg", "宣传栏")
    record = inspection.record(site_id(inspection), "1.1")
    assert [e.sha256 for e in record.evidence] == [ref.sha256]
    stored.write_bytes(b"tampered")
    assert not workspace.evidence.verify(ref.sha256)


def test_evidence_name_never_becomes_a_path(tmp_path: Path, inspection: Inspection,
                                            workspace: Workspace) -> None:
    evil = tmp_path / "..evil"
    evil.write_bytes(b"x")
    ref = inspection.attach_evidence(site_id(inspection), "1.1", evil)
    assert sorted(p.name for p in (workspace.root / "evidence").iterdir()) == [ref.sha256]
    with pytest.raises(StoreError):
        workspace.evidence.path_of("../../etc/passwd")


def test_huge_evidence_refused(tmp_path: Path, inspection: Inspection,
                               workspace: Workspace) -> None:
    workspace.evidence.limit = 1024
    big = tmp_path / "台账扫描.pdf"
    big.write_bytes(b"0" * 4096)
    with pytest.raises(StoreError) as info:
        inspection.attach_evidence(site_id(inspection), "1.1", big)
    assert "太大" in str(info.value) and str(big) in str(info.value)
    assert inspection.record(site_id(inspection), "1.1").evidence == ()


def test_missing_evidence_file(tmp_path: Path, inspection: Inspection) -> None:
    with pytest.raises(StoreError) as info:
        inspection.attach_evidence(site_id(inspection), "1.1", tmp_path / "nope.jpg")
    assert "不存在" in str(info.value)


def test_a_copied_workspace_gets_its_own_device(ws_root: Path, inspection: Inspection,
                                                workspace: Workspace, tmp_path: Path) -> None:
    inspection.set_fields(site_id(inspection), "1.2", points=3)
    workspace.close()
    copy = tmp_path / "copy"
    shutil.copytree(ws_root, copy)
    (copy / ".lock").unlink()
    with Workspace.open(copy) as other, Workspace.open(ws_root) as original:
        assert other.device != original.device
        insp = other.inspection("insp-1")
        insp.set_fields(site_id(insp), "1.2", points=2)
        assert verify_chains(insp.all_entries()) == []
        assert json.loads((copy / "device.json").read_text())["device"] == other.device


def test_site_kinds_are_the_four() -> None:
    assert [k.value for k in SiteKind] == ["乡镇街道", "部门", "基层单位", "村(社区)"]


def test_default_workspace_can_hold_the_nested_demo(tmp_path: Path) -> None:
    data = tmp_path / "data"
    Workspace.open(data / "demo").close()  # `inspect-tui --demo` made data/demo first
    (data / ".gitkeep").touch()
    Workspace.open(data).close()  # plain `inspect-tui` on data/ still works
    assert (data / "workspace.json").is_file()
    other = tmp_path / "photos"
    other.mkdir()
    (other / "img.jpg").write_bytes(b"x")
    with pytest.raises(StoreError) as info:
        Workspace.open(other)
    assert "不是 inspect-tui 工作区" in str(info.value) or "已有其他文件" in str(info.value)
