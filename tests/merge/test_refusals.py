"""Refusals and skips: each with its own message, and the destination byte-for-byte unchanged."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from inspect_tui.store.merge_errors import MergeRefused
from inspect_tui.store.merge_report import MERGED, SKIPPED
from tests.checklist_samples import VALID
from tests.merge.helpers import copy_laptop, entries, make_lead, merge, opened, snapshot


@pytest.fixture
def lead(tmp_path: Path) -> Path:
    make_lead(tmp_path / "lead")
    return tmp_path / "lead"


def _scored_laptop(lead: Path, to: Path, with_photo: bool = False) -> Path:
    laptop = copy_laptop(lead, to)
    with opened(laptop, "李华") as insp:
        site = insp.sites()[0].site_id
        insp.set_fields(site, "1.1", points=5)
        insp.set_fields(site, "1.2", points=2)
        if with_photo:
            photo = to.parent / f"{to.name}.jpg"
            photo.write_bytes(b"\xff\xd8" + to.name.encode() * 100)
            insp.attach_evidence(site, "1.1", photo)
    return laptop


def test_foreign_inspection_is_refused(tmp_path: Path, lead: Path) -> None:
    other = tmp_path / "other"
    make_lead(other, inspection_id="insp-2")
    before = snapshot(lead)
    with pytest.raises(MergeRefused) as info:
        merge(lead, other)
    message = str(info.value)
    assert str(other) in message and "insp-2" in message and "insp-1" in message
    assert "不同检查的数据不能合并" in message
    assert snapshot(lead) == before


def test_other_checklist_version_is_refused(tmp_path: Path, lead: Path) -> None:
    other = tmp_path / "other"
    make_lead(other, checklist=VALID.replace('version = "1.0"', 'version = "1.1"').encode())
    before = snapshot(lead)
    with opened(lead) as a, opened(other) as b:
        hashes = a.checklist.content_hash[:16], b.checklist.content_hash[:16]
    with pytest.raises(MergeRefused) as info:
        merge(lead, other)
    message = str(info.value)
    assert str(other) in message and "检查表版本" in message
    assert all(h in message for h in hashes)
    assert snapshot(lead) == before


def test_a_refusal_stops_the_whole_merge(tmp_path: Path, lead: Path) -> None:
    good = _scored_laptop(lead, tmp_path / "good")
    other = tmp_path / "other"
    make_lead(other, inspection_id="insp-2")
    before = snapshot(lead)
    with pytest.raises(MergeRefused):
        merge(lead, good, other)
    assert snapshot(lead) == before


def test_not_a_workspace_and_missing_path(tmp_path: Path, lead: Path) -> None:
    (tmp_path / "photos").mkdir()
    with pytest.raises(MergeRefused) as info:
        merge(lead, tmp_path / "photos")
    assert "不是 inspect-tui 工作区" in str(info.value)
    with pytest.raises(MergeRefused) as info:
        merge(lead, tmp_path / "nope")
    assert "找不到" in str(info.value) and str(tmp_path / "nope") in str(info.value)


def _site_file(laptop: Path) -> Path:
    return next((laptop / "inspections" / "insp-1" / "sites").glob("*.json"))


def _truncate(laptop: Path) -> None:
    path = _site_file(laptop)
    path.write_bytes(path.read_bytes()[:100])


def _alter_entry(laptop: Path) -> None:
    path = _site_file(laptop)
    data = json.loads(path.read_text("utf-8"))
    doc = next(d for d in data["history"].values() if "points" in d["changes"])
    doc["changes"]["points"]["v"] = 6.0  # a better score, without re-hashing
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")


def _drop_entry(laptop: Path) -> None:
    path = _site_file(laptop)
    data = json.loads(path.read_text("utf-8"))
    data["history"].pop(min(data["history"], key=int))
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")


def _evidence_files(laptop: Path) -> list[Path]:
    return sorted((laptop / "evidence").iterdir())


def _tamper_evidence(laptop: Path) -> None:
    _evidence_files(laptop)[0].write_bytes(b"a different photo")


def _delete_evidence(laptop: Path) -> None:
    _evidence_files(laptop)[0].unlink()


@pytest.mark.parametrize(("damage", "fragments"), [
    (_truncate, ["无法使用", "一条也没有导入"]),
    (_alter_entry, ["历史链", "被改动过（哈希不符）"]),
    (_drop_entry, ["历史链", "缺失"]),
    (_tamper_evidence, ["佐证文件", "缺失或已被改动"]),
    (_delete_evidence, ["佐证文件", "缺失或已被改动"]),
], ids=["corrupt-database", "altered-entry", "missing-entry", "tampered-evidence",
        "missing-evidence"])
def test_a_damaged_source_is_skipped_whole(tmp_path: Path, lead: Path,
                                           damage: Callable[[Path], None],
                                           fragments: list[str]) -> None:
    bad = _scored_laptop(lead, tmp_path / "bad", with_photo=True)
    damage(bad)
    before = snapshot(lead)
    report = merge(lead, bad)
    (skipped,) = report.sources
    assert skipped.status == SKIPPED and str(bad) in skipped.reason
    assert all(f in skipped.reason for f in fragments), skipped.reason
    assert snapshot(lead) == before


def test_a_damaged_source_does_not_stop_the_good_ones(tmp_path: Path, lead: Path) -> None:
    good = _scored_laptop(lead, tmp_path / "good")
    bad = _scored_laptop(lead, tmp_path / "bad", with_photo=True)
    _tamper_evidence(bad)
    bad_entries = set(entries(bad)) - set(entries(lead))
    report = merge(lead, bad, good)
    assert [s.status for s in report.sources] == [SKIPPED, MERGED]
    merged = set(entries(lead))
    assert set(entries(good)) <= merged and not bad_entries & merged
    assert not (lead / "evidence").exists() or not list((lead / "evidence").iterdir())
