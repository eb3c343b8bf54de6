"""The report model (pure): golden bytes, what it covers, digests, conflicts, strict parsing."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, replace
from pathlib import Path

import pytest

from inspect_tui.core import report as m
from inspect_tui.core.history import canonical_json, history_digest
from inspect_tui.core.qr_payload import decode_payload
from inspect_tui.core.report_build import ConflictsOpenError, build_report
from tests.export.fixed_report import (
    EVIDENCE_SHA,
    entries,
    fixed_report,
    inputs,
    qr_signer,
    trusted,
)

GOLDEN = Path(__file__).parent / "golden" / "report.json"


def test_golden_bytes() -> None:
    """The bytes are the contract: the same data gives exactly these bytes (UPDATE_GOLDEN=1).
    Version 2 (the scoring shown in full); golden/report-v1.json is the last version 1, which
    must keep verifying (test_report_scoring)."""
    data = m.report_bytes(fixed_report())
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_bytes(data)
    assert data == GOLDEN.read_bytes()
    assert json.loads(data)["version"] == m.VERSION == 2


def test_same_data_same_bytes_and_canonical_form() -> None:
    data = m.report_bytes(fixed_report())
    assert data == m.report_bytes(fixed_report())
    assert data == canonical_json(json.loads(data))
    assert m.report_bytes(m.parse_report(data, "report.json")) == data


def test_content() -> None:
    r = fixed_report()
    assert r.report_id.startswith("RPT-") and len(r.report_id) == 15
    assert r.inspectors == ("张明", "李华")
    assert r.checklist.id == "sample" and len(r.checklist.hash) == 64
    assert r.history.entries == len(entries()) and r.history.digest == history_digest(entries())
    site_a, site_b = r.sites
    assert (site_a.name, site_a.total, site_a.grade) == ("马涧镇", 9.5, "优秀")
    assert site_b.grade is None and site_b.scored == 1  # 1.2 not scored yet
    rec = site_a.records[0]
    assert (rec.criterion_id, rec.score, rec.count, rec.target_status) == ("1.1", 5.5, 1, "unmet")
    assert rec.evidence[0].sha256 == EVIDENCE_SHA and rec.changes == 1
    assert [p.kind for p in site_a.problems] == ["target", "noted"]
    assert site_b.records[0].score == 3.0 and site_b.records[0].deductions[0].reason == "类型单一"
    assert not r.conflicts


def test_record_digest_and_qr_commit_to_the_record() -> None:
    for site, rec in fixed_report().records():
        assert rec.digest == m.record_digest_hex(asdict(rec))
        fields = decode_payload(rec.qr, trusted()).fields
        assert (fields.site_id, fields.criterion_id, fields.score) == (
            site.site_id, rec.criterion_id, rec.score)
        assert fields.digest == bytes.fromhex(rec.digest)[:16] and fields.time == rec.time


def test_any_change_changes_the_digest_and_the_report_id() -> None:
    base = fixed_report()
    rec = base.sites[0].records[0]
    assert m.record_digest_hex(asdict(replace(rec, advice="改"))) != rec.digest
    other = build_report(replace(inputs(), title="另一个标题"), qr_signer())
    assert other.report_id != base.report_id


def test_sites_subset_covers_only_their_history() -> None:
    full = inputs()
    one = replace(full, sites=full.sites[:1])
    r = build_report(one, qr_signer())
    assert len(r.sites) == 1 and r.inspectors == ("张明",)  # 李华 only wrote 市司法局
    assert r.history.entries < len(entries())


def test_open_conflicts_refused_unless_allowed() -> None:
    with pytest.raises(ConflictsOpenError) as err:
        fixed_report(conflict=True)
    assert "1 处未解决的合并冲突" in str(err.value) and "--allow-conflicts" in str(err.value)
    r = fixed_report(conflict=True, allow_conflicts=True)
    (c,) = r.conflicts
    assert c.field == "points" and {v.value for v in c.values} == {2.0, 3.0}
    assert {v.author for v in c.values} == {"张明", "李华"}


@pytest.mark.parametrize(("mutate", "field"), [
    (lambda d: d.pop("title"), "report.title"),
    (lambda d: d["sites"][0]["records"][0].update(score="5"), "report.sites[0].records[0].score"),
    (lambda d: d["sites"][0].update(extra=1), "report.sites[0].extra"),
])
def test_parse_is_strict(mutate, field) -> None:  # type: ignore[no-untyped-def]
    raw = json.loads(m.report_bytes(fixed_report()))
    mutate(raw)
    with pytest.raises(m.MalformedReportError) as err:
        m.parse_report(json.dumps(raw).encode(), "r.json")
    assert field in str(err.value) and "r.json" in str(err.value)


def test_parse_rejects_other_files() -> None:
    with pytest.raises(m.MalformedReportError, match="JSON"):
        m.parse_report(b"{\"format\": ", "r.json")
    with pytest.raises(m.MalformedReportError, match="inspect-tui/report"):
        m.parse_report(b"{}", "r.json")
    with pytest.raises(m.MalformedReportError, match="版本 3"):
        m.parse_report(b'{"format": "inspect-tui/report", "version": 3}', "r.json")
    with pytest.raises(m.MalformedReportError, match="版本 True"):
        m.parse_report(b'{"format": "inspect-tui/report", "version": true}', "r.json")
