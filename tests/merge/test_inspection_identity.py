"""An inspection's identity: a random id fixed at creation, checked on every merge.

Two workspaces that each ran `inspection new --id lanxi-2020` are different inspections: a pack
or a laptop folder of one must never merge into the other. Copies of one inspection carry its
identity and keep merging; inspections made before identities existed keep merging by id.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from inspect_tui.store.merge_errors import MergeRefused
from inspect_tui.store.workspace import Workspace
from tests.merge.helpers import copy_laptop, make_lead, merge, opened, rewrite_zip, snapshot
from tests.merge.test_cli_merge import cli

ID = "lanxi-2020"
UID_KEY = "uid"


def _new(root: Path, *extra: str) -> None:
    r = cli("-w", str(root), "inspection", "new", "--checklist", "qiwu-acceptance",
            "--title", "兰溪市七五普法总结验收", "--id", ID, *extra)
    assert r.returncode == 0, r.stderr
    r = cli("-w", str(root), "site", "add", "马涧镇", "--kind", "乡镇街道")
    assert r.returncode == 0, r.stderr


def _meta(root: Path, inspection: str = ID) -> dict[str, object]:
    data = json.loads((root / "inspections" / inspection / "inspection.json").read_bytes())
    meta = next(iter(data["meta"].values()))
    assert isinstance(meta, dict)
    return meta


def _site_names(root: Path) -> list[str]:
    with opened(root, inspection_id=ID) as insp:
        return [s.name for s in insp.sites()]


def _strip_uid(root: Path, inspection: str) -> None:
    """Make an inspection look as if an older version had created it (no identity)."""
    path = root / "inspections" / inspection / "inspection.json"
    data = json.loads(path.read_bytes())
    for meta in data["meta"].values():
        meta.pop(UID_KEY, None)
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")


def test_same_id_made_twice_is_refused_from_a_pack(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    _new(a)
    _new(b)
    uid_a, uid_b = _meta(a)[UID_KEY], _meta(b)[UID_KEY]
    assert isinstance(uid_a, str) and len(uid_a) == 32 and uid_a != uid_b
    pack = tmp_path / "a.pack"
    r = cli("-w", str(a), "pack", "--out", str(pack))
    assert r.returncode == 0, r.stderr
    before = snapshot(b)
    r = cli("-w", str(b), "merge", str(pack))
    assert r.returncode == 2, r.stdout + r.stderr
    assert "Traceback" not in r.stderr
    message = " ".join(r.stderr.split())
    assert str(pack) in message and uid_a in message and uid_b in message
    assert "不是同一次检查" in message and "未写入任何内容" in message
    assert snapshot(b) == before
    assert _site_names(b) == ["马涧镇"]


def test_same_id_made_twice_is_refused_from_a_folder(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    _new(a)
    _new(b)
    before = snapshot(b)
    r = cli("-w", str(b), "merge", str(a))
    assert r.returncode == 2 and "不是同一次检查" in r.stderr, r.stdout + r.stderr
    assert snapshot(b) == before
    r = cli("--lang", "en", "-w", str(b), "merge", str(a))
    assert r.returncode == 2 and "not the same inspection" in r.stderr


def test_copies_of_one_inspection_keep_merging(tmp_path: Path) -> None:
    lead = tmp_path / "lead"
    _new(lead)
    laptop = copy_laptop(lead, tmp_path / "laptop")
    r = cli("-w", str(laptop), "site", "add", "诸葛镇", "--kind", "乡镇街道")
    assert r.returncode == 0, r.stderr
    pack = tmp_path / "laptop.pack"
    assert cli("-w", str(laptop), "pack", "--out", str(pack)).returncode == 0
    manifest_uid = _manifest(pack).get("inspection_uid")
    assert manifest_uid == _meta(lead)[UID_KEY]
    r = cli("-w", str(lead), "merge", str(pack))
    assert r.returncode == 0, r.stdout + r.stderr
    assert sorted(_site_names(lead)) == ["诸葛镇", "马涧镇"]
    assert _meta(lead)[UID_KEY] == _meta(laptop)[UID_KEY]  # a merge never changes it


def _manifest(pack: Path) -> dict[str, object]:
    import zipfile

    with zipfile.ZipFile(pack) as zf:
        data = json.loads(zf.read("manifest.json"))
    assert isinstance(data, dict)
    return data


def test_identity_is_fixed_at_creation_only(tmp_path: Path) -> None:
    """Opening, saving, packing never mint or change an identity, so copies of a legacy
    inspection (made before identities) never end up with two different ones."""
    lead = tmp_path / "lead"
    make_lead(lead, inspection_id=ID)
    _strip_uid(lead, ID)
    a = copy_laptop(lead, tmp_path / "a")
    b = copy_laptop(lead, tmp_path / "b")
    for laptop, name in ((a, "张明"), (b, "李华")):
        with opened(laptop, name, inspection_id=ID) as insp:
            insp.set_fields(insp.sites()[0].site_id, "1.1", points=3)
        assert cli("-w", str(laptop), "pack", "--out", str(laptop) + ".pack").returncode == 0
        assert UID_KEY not in _meta(laptop)
        assert "inspection_uid" not in _manifest(Path(str(laptop) + ".pack"))
    r = cli("-w", str(lead), "merge", str(a) + ".pack", str(b) + ".pack", str(a))
    assert r.returncode == 0, r.stdout + r.stderr
    assert UID_KEY not in _meta(lead)


def test_a_legacy_inspection_and_one_with_an_identity_never_merge(tmp_path: Path) -> None:
    legacy, new = tmp_path / "legacy", tmp_path / "new"
    make_lead(legacy, inspection_id=ID)
    _strip_uid(legacy, ID)
    make_lead(new, inspection_id=ID)
    for dest, source in ((legacy, new), (new, legacy)):
        before = snapshot(dest)
        with pytest.raises(MergeRefused) as info:
            merge(dest, source, inspection_id=ID)
        assert "不是同一次检查" in str(info.value) and "旧版本" in str(info.value)
        assert snapshot(dest) == before


def test_a_pack_whose_manifest_and_database_disagree_is_skipped(tmp_path: Path) -> None:
    lead = tmp_path / "lead"
    make_lead(lead, inspection_id=ID)
    laptop = copy_laptop(lead, tmp_path / "laptop")
    pack = tmp_path / "x.pack"
    with Workspace.open(laptop) as ws:
        from inspect_tui.store.pack import write_pack

        write_pack(ws.inspection(ID), pack, device=ws.device)

    def forge(members: dict[str, bytes]) -> dict[str, bytes]:
        manifest = json.loads(members["manifest.json"])
        manifest["inspection_uid"] = "0" * 32
        return {**members, "manifest.json": json.dumps(manifest).encode()}

    rewrite_zip(pack, forge)
    before = snapshot(lead)
    report = merge(lead, pack, inspection_id=ID)
    assert report.skipped and snapshot(lead) == before


def test_a_malformed_identity_in_a_source_is_skipped(tmp_path: Path) -> None:
    lead = tmp_path / "lead"
    make_lead(lead, inspection_id=ID)
    laptop = copy_laptop(lead, tmp_path / "laptop")
    path = laptop / "inspections" / ID / "inspection.json"
    data = json.loads(path.read_bytes())
    for meta in data["meta"].values():
        meta[UID_KEY] = {"not": "an id"}
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    before = snapshot(lead)
    report = merge(lead, laptop, inspection_id=ID)
    assert report.skipped and snapshot(lead) == before
    shutil.rmtree(laptop)
