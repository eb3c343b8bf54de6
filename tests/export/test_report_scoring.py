"""report.json version 2 shows the real scoring (issue 11): the table each site used, 不适用
with reasons, deductions with counts and caps, 加分, base and 折算, the scoring rules — the
same numbers as core.explain; and a version-1 report, with its IT1 QR codes, still verifies."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, replace
from pathlib import Path

import pytest

from inspect_tui.core import report as m
from inspect_tui.core import sshsig
from inspect_tui.core.explain import criterion_explained, site_explained
from inspect_tui.core.qr_payload import PayloadFields, decode_payload, encode_payload
from inspect_tui.core.report_build import record_digest_from_hex
from inspect_tui.core.report_v1 import ReportV1
from inspect_tui.core.report_verify import Reason, check_bundle, check_record_qr, check_records
from inspect_tui.core.scoring_rules import RULES_V1, RULES_V2
from inspect_tui.export.verify_files import load_trust, verify_target
from tests.export.fixed_report import (
    KEY,
    NA_REASON,
    RULES_CHECKLIST,
    fixed_report,
    rules_inputs,
    rules_report,
    trusted,
)
from tests.test_sshsig import signer_line

GOLDEN = Path(__file__).parent / "golden"
GOLDEN_V1 = GOLDEN / "report-v1.json"  # written by the last version-1 exporter: never changes
GOLDEN_RULES = GOLDEN / "report-rules.json"


def signers() -> list[sshsig.AllowedSigner]:
    return sshsig.parse_allowed_signers(signer_line(KEY), "allowed_signers")


# ---- version 1: old reports keep verifying ------------------------------------------------

def test_version_1_golden_is_read_as_it_was_written() -> None:
    data = GOLDEN_V1.read_bytes()
    report = m.parse_report(data, "report-v1.json")
    assert isinstance(report, ReportV1) and report.version == 1 and report.rules == ""
    assert m.report_bytes(report) == data  # nothing added, nothing lost
    assert [r.score for _, r in report.records()] == [5.5, 4.0, 3.0, None]


def test_version_1_golden_verifies_signature_digests_and_it1_codes() -> None:
    data = GOLDEN_V1.read_bytes()
    signature = sshsig.sign(data, KEY, sshsig.REPORT_NAMESPACE)
    finding, report = check_bundle(data, signature, signers(), source="report.json",
                                   sig_source="report.json.sig", signers_source="a")
    assert finding.ok and isinstance(report, ReportV1)
    records = check_records(report, trusted(), "report.json")
    assert len(records) == 4 and all(f.ok for f in records)
    for f in records:
        assert f.payload is not None and f.payload.rules == ""  # IT1 states no rules
        assert f.record is not None and f.record.qr.startswith("IT1:")


def test_version_1_folder_verifies_like_any_report(tmp_path: Path) -> None:
    data = GOLDEN_V1.read_bytes()
    (tmp_path / "report.json").write_bytes(data)
    (tmp_path / "report.json.sig").write_text(sshsig.sign(data, KEY, sshsig.REPORT_NAMESPACE))
    (tmp_path / "allowed_signers").write_text(signer_line(KEY) + "\n")
    trust = load_trust(str(tmp_path / "allowed_signers"))
    outcome = verify_target(str(tmp_path), trust, None)
    assert outcome.ok and len(outcome.records) == 4
    assert outcome.bundle is not None
    qr = json.loads(data)["sites"][0]["records"][0]["qr"]
    assert verify_target(qr, trust, outcome.bundle).records[0].ok  # a photo of an old page


def test_a_changed_version_1_record_is_caught_by_its_digest() -> None:
    raw = json.loads(GOLDEN_V1.read_bytes())
    raw["sites"][0]["records"][0]["score"] = 6.0
    report = m.parse_report(json.dumps(raw).encode(), "r.json")
    first = check_records(report, trusted(), "r.json")[0]
    assert first.reason is Reason.ALTERED_FIELD and "digest" in first.detail


def test_a_version_2_field_in_a_version_1_report_is_refused() -> None:
    raw = json.loads(GOLDEN_V1.read_bytes())
    raw["sites"][0]["records"][0]["losses"] = []
    with pytest.raises(m.MalformedReportError) as err:
        m.parse_report(json.dumps(raw).encode(), "r.json")
    assert "report.sites[0].records[0].losses" in str(err.value)


# ---- version 2 ----------------------------------------------------------------------------

def test_rules_golden_bytes() -> None:
    """A format-2 inspection's report.json, byte for byte (UPDATE_GOLDEN=1 regenerates)."""
    data = m.report_bytes(rules_report())
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN_RULES.write_bytes(data)
    assert data == GOLDEN_RULES.read_bytes()
    assert m.report_bytes(m.parse_report(data, "report.json")) == data


def test_reports_state_their_rules() -> None:
    assert fixed_report().rules == RULES_V1 and rules_report().rules == RULES_V2
    for report in (fixed_report(), rules_report()):
        for site, record in report.records():
            assert site.table.rules == report.rules
            assert record.qr.startswith("IT2:")
            assert decode_payload(record.qr, trusted()).fields.rules == report.rules


def test_each_site_lists_the_table_it_was_scored_on() -> None:
    street, bureau = rules_report().sites
    assert (street.table.kind, street.table.title, street.table.criteria) == ("乡镇街道",
                                                                            "规则样例表", 5)
    assert street.table.checklist == RULES_CHECKLIST.identity
    assert [r.criterion_id for r in street.records] == ["1.1", "1.2", "1.3", "1.4", "2.1", "3.1"]
    # 2.1 is for 乡镇街道 only: a department is neither scored on it nor shown it
    assert (bureau.table.kind, bureau.table.criteria) == ("部门", 4)
    assert [r.criterion_id for r in bureau.records] == ["1.1", "1.2", "1.3", "1.4", "3.1"]
    assert bureau.records[-1].section_title == "附加项" and bureau.records[-1].bonus


def test_street_na_conversion_and_bonus() -> None:
    street = rules_report().sites[0]
    assert (street.base, street.base_max) == (84.3, 96.5)
    assert street.converted == round(84.3 / 96.5 * 100, 2) == 87.36
    assert street.conversion == "base / base_max × total"
    assert (street.bonus, street.bonus_cap, street.total, street.grade) == (2, 5, 89.36, "合格")
    assert street.not_applicable == (m.NotApplicable("1.2", "联席会议", NA_REASON),)
    na = street.records[1]
    assert na.not_applicable and na.na_reason == NA_REASON and na.score is None
    assert na.counts_towards_max == 0 and not na.losses


def test_losses_with_counts_caps_and_reasons() -> None:
    street, bureau = rules_report().sites
    learning = street.records[2]
    assert learning.score == 1.8 and learning.self_points == 4
    assert learning.losses == (m.Loss("缺少一次学法记录", 1.2, 6, 0.3, True, False),
                               m.Loss("未建立学法制度", 1.0, 1, 1.0, False, False))
    typed = street.records[3]
    assert typed.losses == (m.Loss("制度不全，缺少考核办法", 10.0, 1, 0.0, False, True),)
    assert typed.reason == "制度不全，缺少考核办法" and typed.self_points == 40
    assert street.records[5].losses == (m.Loss("受到省级表彰", 2.0, 2, 1.0, False, False),)
    count_driven = bureau.records[0]
    assert count_driven.score == 2.25 and count_driven.losses[0].times == 3
    assert bureau.records[1].losses[0].reason == "全年未召开联席会议"
    unexplained = bureau.records[2]
    assert unexplained.unexplained and bureau.unexplained == ("1.3",) and bureau.grade == "不合格"
    vetoing = bureau.records[3]
    assert vetoing.veto and vetoing.capped and vetoing.lost == 10 and vetoing.score == 30
    assert bureau.vetoes == (m.Veto("1.4", "领导机构", ("未制定普法责任清单",)),)
    assert (bureau.base, bureau.base_max, bureau.converted) == (35.25, 50.5, 69.8)


def test_numbers_are_those_of_explain() -> None:
    """The signed numbers are exactly what `site result --json` and `record show --json` print
    (both are core.explain); the CLI itself is compared in test_report_scoring_cli."""
    inputs = rules_inputs()
    report = rules_report()
    for data, site in zip(inputs.sites, report.sites, strict=True):
        why = site_explained(RULES_CHECKLIST, data.result, dict(data.records))
        assert (site.base, site.base_max, site.converted, site.bonus, site.total, site.max,
                site.grade, site.scored, site.count) == (
            why["base"], why["base_max"], why["converted"], why["bonus"], why["total"],
            why["max"], why["grade"], why["scored"], why["criteria"])
        assert [asdict(n) for n in site.not_applicable] == [
            {"criterion_id": n["criterion"], "title": n["title"], "reason": n["reason"]}
            for n in why["not_applicable"]]
        for record in site.records:
            c = RULES_CHECKLIST.criterion(record.criterion_id)
            e = criterion_explained(c, data.records[c.id])
            assert (record.score, record.lost, record.counts_towards_max,
                    [asdict(x) for x in record.losses], record.na_reason) == (
                e["score"], e["lost"], e["counts_towards_max"], e["losses"], e["na_reason"])


def test_a_payload_stating_other_rules_is_not_this_record() -> None:
    report = rules_report()
    site, record = next(report.records())
    other = PayloadFields(record.record_id, site.site_id, record.criterion_id, record.score,
                          record.time, record_digest_from_hex(record.digest), RULES_V1)
    finding = check_record_qr(encode_payload(other, KEY), trusted(), report, source="QR")
    assert finding.reason is Reason.ALTERED_FIELD and "rules" in finding.detail
    same = replace(other, rules=RULES_V2)
    assert check_record_qr(encode_payload(same, KEY), trusted(), report, source="QR").ok


def test_every_record_digest_and_qr_of_a_rules_report_verify() -> None:
    report = rules_report()
    assert all(f.ok for f in check_records(report, trusted(), "report.json"))
    for _, record in report.records():
        assert record.digest == m.record_digest_hex(asdict(record))
