"""An evidence file deleted between attaching it and exporting: the user's original does not
matter (the workspace keeps its own content-addressed copy); the workspace's copy does, and
without it nothing is exported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from inspect_tui.export.errors import EvidenceMissingError
from inspect_tui.export.run import ExportOptions, export_inspection
from tests.export.conftest import Signing
from tests.faults.conftest import assert_clean_failure, cli, files, key_env, make_workspace
from tests.merge.helpers import opened

JSON_ONLY = frozenset({"json"})
PHOTO = b"\xff\xd8 a photo of the sign-in sheet" * 50


class Attached:
    def __init__(self, root: Path, site: str, photo: Path, sha: str, record: str) -> None:
        self.root, self.site, self.photo, self.sha, self.record = root, site, photo, sha, record

    @property
    def stored(self) -> Path:
        return self.root / "evidence" / self.sha


@pytest.fixture
def attached(tmp_path: Path) -> Attached:
    root = tmp_path / "ws"
    site = make_workspace(root)
    photo = tmp_path / "签到表.jpg"
    photo.write_bytes(PHOTO)
    with opened(root) as insp:
        ref = insp.attach_evidence(site, "1.1", photo, "现场签到表")
        record = insp.record(site, "1.1").record_id
    return Attached(root, site, photo, ref.sha256, record)


def reports(out: Path) -> list[Path]:
    return sorted(out.rglob("report.json*")) if out.exists() else []


def test_deleting_the_original_does_not_matter(attached: Attached, tmp_path: Path,
                                               signing: Signing) -> None:
    attached.photo.unlink()
    with opened(attached.root) as insp:
        result = export_inspection(insp, signing.key, signing.info.name,
                                   ExportOptions(out_dir=tmp_path / "out", formats=JSON_ONLY))
    report = json.loads((result.folder / "report.json").read_bytes())
    (record,) = [r for r in report["sites"][0]["records"] if r["criterion_id"] == "1.1"]
    assert record["record_id"] == attached.record
    assert [(e["sha256"], e["name"], e["size"], e["caption"]) for e in record["evidence"]] == [
        (attached.sha, "签到表.jpg", len(PHOTO), "现场签到表")]
    assert attached.stored.read_bytes() == PHOTO


@pytest.mark.parametrize("damage", ["deleted", "altered"])
def test_without_the_workspace_copy_nothing_is_exported(
        attached: Attached, tmp_path: Path, signing: Signing, damage: str) -> None:
    if damage == "deleted":
        attached.stored.unlink()
        what = "不见了"
    else:
        attached.stored.write_bytes(b"photoshopped")
        what = "已被改动"
    before = files(attached.root)
    out = tmp_path / "out"

    r = cli("-w", attached.root, "export", "insp-1", "--format", "json", "--out", out,
            env=key_env(signing))
    assert_clean_failure(r, f"证据文件 {attached.stored} {what}", "马涧镇", "评分项 1.1",
                         attached.record, "签到表.jpg", "未导出任何文件")
    assert reports(out) == []

    with opened(attached.root) as insp:
        with pytest.raises(EvidenceMissingError) as info:
            export_inspection(insp, signing.key, signing.info.name,
                              ExportOptions(out_dir=out, formats=JSON_ONLY))
        assert str(attached.stored) in str(info.value) and attached.record in str(info.value)
        assert reports(out) == []
        record = insp.record(attached.site, "1.1")
        assert record.points == 5 and [e.sha256 for e in record.evidence] == [attached.sha]
    assert files(attached.root) == before  # the inspection is as it was

    doctor = cli("-w", attached.root, "doctor")
    assert doctor.returncode == 1 and str(attached.stored) in doctor.stdout

    attached.stored.write_bytes(attached.photo.read_bytes())  # the original put back
    r = cli("-w", attached.root, "export", "insp-1", "--format", "json", "--out", out,
            env=key_env(signing))
    assert r.returncode == 0, r.stderr
    assert [p.name for p in reports(out)] == ["report.json", "report.json.sig"]
