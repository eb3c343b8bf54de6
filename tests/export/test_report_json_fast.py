"""report.json as the export writes it (build_report_json: each record made plain once) is the
same bytes as `report_bytes` of the built report (dataclasses.asdict), and the golden bytes."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

from inspect_tui.core import report as m
from inspect_tui.core.history import canonical_json
from inspect_tui.core.plain_data import plain
from inspect_tui.core.report_build import build_report_json
from tests.export.fixed_report import inputs, qr_signer, rules_inputs

GOLDEN = Path(__file__).parent / "golden"


def test_export_bytes_are_the_golden_bytes() -> None:
    report, data = build_report_json(inputs(), qr_signer())
    assert data == (GOLDEN / "report.json").read_bytes()
    assert data == m.report_bytes(report)


def test_rules_report_bytes_match_asdict() -> None:
    report, data = build_report_json(rules_inputs(), qr_signer())
    assert data == (GOLDEN / "report-rules.json").read_bytes()
    assert data == canonical_json(asdict(report))
    assert report.report_id.startswith("RPT-")


def test_plain_equals_asdict_for_every_part_of_a_report() -> None:
    report, _ = build_report_json(rules_inputs(), qr_signer())
    site = report.sites[0]
    for part in (report.checklist, site, site.records[0], site.table, *report.grades):
        assert canonical_json(plain(part)) == canonical_json(asdict(part))
    record = site.records[0]
    known = {id(record): {"stand-in": True}}
    assert plain(site, known)["records"][0] == {"stand-in": True}


def test_a_payload_signed_with_its_key_id_given_is_the_same_text() -> None:
    from inspect_tui.core import sshsig
    from inspect_tui.core.qr_payload import PayloadFields, encode_payload
    from tests.export.fixed_report import KEY, OTHER_KEY

    report = build_report_json(inputs(), qr_signer())[0]
    fields = [PayloadFields(r.record_id, site.site_id, r.criterion_id, r.score, r.time,
                              bytes.fromhex(r.digest)[:16], report.rules)
              for site in report.sites for r in site.records][:6]
    kid = sshsig.key_id(KEY.public_key())
    assert fields and all(encode_payload(f, KEY, kid) == encode_payload(f, KEY) for f in fields)
    other = sshsig.key_id(OTHER_KEY.public_key())
    assert encode_payload(fields[0], KEY, other) != encode_payload(fields[0], KEY)
