"""Merging workspace folders: records, sites, evidence, report, idempotence, conflicts."""

from __future__ import annotations

import json
from pathlib import Path

from inspect_tui.core.history import verify_chains
from inspect_tui.store.conflicts import conflicts_of, find_conflict, resolve
from inspect_tui.store.doctor import Level, check_workspace
from inspect_tui.store.merge_report import MERGED, NOTHING_NEW
from tests.merge.helpers import copy_laptop, entries, make_lead, merge, opened, snapshot


def _two_laptops(tmp_path: Path) -> tuple[Path, Path, Path, str]:
    lead = tmp_path / "lead"
    (site,) = make_lead(lead)
    a, b = copy_laptop(lead, tmp_path / "a"), copy_laptop(lead, tmp_path / "b")
    return lead, a, b, site


def test_merge_brings_records_sites_and_evidence(tmp_path: Path) -> None:
    lead, a, b, site = _two_laptops(tmp_path)
    photo = tmp_path / "宣传栏.jpg"
    photo.write_bytes(b"\xff\xd8 photo " * 50)
    with opened(a, "张明") as insp:
        insp.set_fields(site, "1.1", points=5, problems="类型单一")
        ref = insp.attach_evidence(site, "1.1", photo, "宣传栏")
    with opened(b, "李华") as insp:
        insp.set_fields(site, "1.2", points=4)
        new_site = insp.add_site("兰江街道", "乡镇街道", "第二检查组").site_id
        insp.set_fields(new_site, "1.2", points=3)
    report = merge(lead, a, b)
    first, second = report.sources
    assert (first.status, first.new_records, first.evidence_files) == (MERGED, 1, 1)
    assert (first.author, first.signature) == ("张明", "folder")
    assert (second.new_records, second.evidence_files, second.author) == (2, 0, "李华")
    assert first.updated_fields == 3  # points, problems, the evidence field
    with opened(lead, "组长") as insp:
        assert insp.record(site, "1.1").points == 5 and insp.record(site, "1.2").points == 4
        assert [s.name for s in insp.sites()] == ["马涧镇", "兰江街道"]
        assert insp.record(new_site, "1.2").points == 3
        assert insp.evidence.verify(ref.sha256)
        assert verify_chains(insp.all_entries()) == []
        insp.set_fields(new_site, "1.1", points=2)  # the merged files take new saves
    with opened(lead, "组长") as insp:
        assert insp.record(new_site, "1.1").points == 2
        assert insp.record(new_site, "1.2").points == 3
    assert not [f for f in check_workspace(lead) if f.level is not Level.INFO]
    saved = json.loads(Path(report.saved_to).read_text("utf-8"))
    assert saved["format"] == "inspect-tui/merge-report" and len(saved["sources"]) == 2
    assert Path(report.saved_to).parent == lead / "inspections" / "insp-1" / "merges"


def test_merging_again_changes_nothing(tmp_path: Path) -> None:
    lead, a, _, site = _two_laptops(tmp_path)
    with opened(a) as insp:
        insp.set_fields(site, "1.1", points=5)
    merge(lead, a)
    before = snapshot(lead)
    report = merge(lead, a, a)
    assert [s.status for s in report.sources] == [NOTHING_NEW, NOTHING_NEW]
    assert report.saved_to == "" and snapshot(lead) == before


def test_merge_order_gives_the_same_inspection(tmp_path: Path) -> None:
    lead, a, b, site = _two_laptops(tmp_path)
    with opened(a, "张明") as insp:
        insp.set_fields(site, "1.1", points=5, notes="甲")
    with opened(b, "李华") as insp:
        insp.set_fields(site, "1.1", points=3, notes="乙")
        insp.set_fields(site, "1.2", points=4)
    other = copy_laptop(lead, tmp_path / "lead2")
    merge(lead, a, b)
    merge(other, b)
    merge(other, a)
    assert set(entries(lead)) == set(entries(other))
    with opened(lead) as x, opened(other) as y:
        assert x.record(site, "1.1") == y.record(site, "1.1")
        assert x.result(site) == y.result(site)


def test_conflict_is_listed_resolved_and_stays_resolved(tmp_path: Path) -> None:
    lead, a, b, site = _two_laptops(tmp_path)
    with opened(a, "张明") as insp:
        insp.set_fields(site, "1.1", points=5)
    with opened(b, "李华") as insp:
        insp.set_fields(site, "1.1", points=3)
    report = merge(lead, a, b)
    assert [len(s.conflicts) for s in report.sources] == [0, 1]
    assert report.open_conflicts == 1
    with opened(lead, "组长") as insp:
        (c,) = conflicts_of(insp)
        assert (c.field, c.site_id, c.criterion_id) == ("points", site, "1.1")
        assert {(r.value, r.author) for r in c.rivals} == {(5.0, "张明"), (3.0, "李华")}
        assert insp.record(site, "1.1").conflicts
        resolve(insp, find_conflict(insp, c.record_id, "points"), 4)
        assert conflicts_of(insp) == []
    report = merge(lead, a, b)
    assert report.open_conflicts == 0 and not report.changed
    with opened(lead) as insp:
        assert insp.record(site, "1.1").points == 4


def test_a_source_in_use_is_read_without_its_lock_and_never_written(tmp_path: Path) -> None:
    lead, a, _, site = _two_laptops(tmp_path)
    with opened(a, "张明") as insp:
        insp.set_fields(site, "1.1", points=5)
        before = snapshot(a)  # the app on that laptop is still running: its lock is held
        (report,) = merge(lead, a).sources
        assert report.status == MERGED
        assert snapshot(a) == before
    with opened(lead) as insp:
        assert insp.record(site, "1.1").points == 5
