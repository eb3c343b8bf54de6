"""Every kind of tampering is caught, each with its own reason."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
from PIL import Image

from inspect_tui.core import sshsig
from inspect_tui.core.qr_payload import PayloadFields, b45decode, b45encode, encode_payload
from inspect_tui.core.report_build import record_digest_from_hex
from inspect_tui.core.report_verify import Reason
from inspect_tui.export.verify_files import Bundle, Trust, load_bundle, load_trust, verify_target
from tests.export.conftest import DemoExport, Signing, make_signing
from tests.export.fixed_report import OTHER_KEY, fixed_report


@pytest.fixture(scope="module")
def trust(signing: Signing) -> Trust:
    return load_trust(str(signing.allowed_signers))


@pytest.fixture(scope="module")
def bundle(demo_export: DemoExport, trust: Trust) -> Bundle:
    return load_bundle(str(demo_export.folder), trust)


@pytest.fixture
def copy(demo_export: DemoExport, tmp_path: Path) -> Path:
    return Path(shutil.copytree(demo_export.folder, tmp_path / "copy"))


def scored_record(bundle: Bundle):  # type: ignore[no-untyped-def]
    """A record scored below its maximum (so full marks would be a different score)."""
    return next((s, r) for s, r in bundle.report.records() if r.score and r.score < r.max)


def check(text: str, trust: Trust, bundle: Bundle | None):  # type: ignore[no-untyped-def]
    return verify_target(text, trust, bundle).records[0]


def test_one_flipped_byte_in_report_json(copy: Path, trust: Trust) -> None:
    data = bytearray((copy / "report.json").read_bytes())
    at = data.index(b'"score":') + 8
    data[at] ^= 0x01  # one digit of a score
    (copy / "report.json").write_bytes(bytes(data))
    outcome = verify_target(str(copy), trust, None)
    assert outcome.checks[0].reason is Reason.BAD_SIGNATURE
    assert not outcome.records  # nothing of an unsigned bundle is trusted
    assert "签名不符" in outcome.checks[0].detail and "report.json.sig" in outcome.checks[0].detail


def test_report_signed_by_an_untrusted_key(copy: Path, trust: Trust) -> None:
    data = (copy / "report.json").read_bytes()
    (copy / "report.json.sig").write_text(sshsig.sign(data, OTHER_KEY, "inspect-report"))
    finding = verify_target(str(copy), trust, None).checks[0]
    assert finding.reason is Reason.UNKNOWN_KEY
    assert sshsig.fingerprint(OTHER_KEY.public_key()) in finding.detail


def test_signature_for_another_purpose(copy: Path, signing: Signing, trust: Trust) -> None:
    data = (copy / "report.json").read_bytes()
    (copy / "report.json.sig").write_text(sshsig.sign(data, signing.key, "file"))
    assert verify_target(str(copy), trust, None).checks[0].reason is Reason.WRONG_PURPOSE


def test_changed_score_in_a_qr_payload(bundle: Bundle, trust: Trust) -> None:
    site, rec = scored_record(bundle)
    cut = len(f"IT2:{rec.record_id}:")  # Base45 itself may contain ":"
    header, encoded = rec.qr[:cut], rec.qr[cut:]
    body = bytearray(b45decode(encoded))
    at = 4 + 7 + 1 + len(site.site_id.encode()) + 1 + len(rec.criterion_id.encode())
    assert int.from_bytes(body[at:at + 2], "big") == round(rec.score * 100)
    body[at:at + 2] = (round(rec.max * 100)).to_bytes(2, "big")  # full marks instead
    finding = check(header + b45encode(bytes(body)), trust, bundle)
    assert finding.reason is Reason.BAD_SIGNATURE and rec.record_id in finding.detail


def test_validly_signed_qr_that_differs_from_the_bundle(bundle: Bundle, signing: Signing,
                                                        trust: Trust) -> None:
    """E.g. the QR of an earlier version of the record: signed, but not what this report says."""
    site, rec = scored_record(bundle)
    older = PayloadFields(rec.record_id, site.site_id, rec.criterion_id, rec.max, rec.time,
                          record_digest_from_hex(rec.digest), bundle.report.rules)
    finding = check(encode_payload(older, signing.key), trust, bundle)
    assert finding.reason is Reason.ALTERED_FIELD and "score" in finding.detail
    assert check(encode_payload(older, signing.key), trust, None).ok  # alone, it is authentic


def test_record_not_in_bundle(signing: Signing, bundle: Bundle, trust: Trust) -> None:
    _, rec = next(fixed_report(key=signing.key).records())
    finding = check(rec.qr, trust, bundle)
    assert finding.reason is Reason.NOT_IN_BUNDLE and bundle.report.report_id in finding.detail


def test_qr_signed_by_an_untrusted_key(bundle: Bundle, trust: Trust) -> None:
    _, rec = next(fixed_report(key=OTHER_KEY).records())
    assert check(rec.qr, trust, bundle).reason is Reason.UNKNOWN_KEY


def test_truncated_pdf(copy: Path, trust: Trust) -> None:
    pdf = copy / "report.pdf"
    pdf.write_bytes(pdf.read_bytes()[: pdf.stat().st_size * 2 // 3])
    finding = verify_target(str(pdf), trust, None).checks[0]
    assert finding.reason is Reason.MALFORMED and "不完整" in finding.detail
    assert verify_target(str(copy), trust, None).checks[-1].reason is Reason.MALFORMED


def test_flipped_byte_in_the_pdf(copy: Path, trust: Trust) -> None:
    pdf = copy / "report.pdf"
    data = bytearray(pdf.read_bytes())
    data[len(data) // 3] ^= 0x20
    pdf.write_bytes(bytes(data))
    finding = verify_target(str(pdf), trust, None).checks[0]
    assert finding.reason is Reason.BAD_SIGNATURE and "摘要不匹配" in finding.detail


def test_pdf_signed_by_an_untrusted_key(demo_export: DemoExport, tmp_path: Path) -> None:
    stranger = make_signing(tmp_path / "stranger", "王组长")
    finding = verify_target(str(demo_export.folder / "report.pdf"),
                            load_trust(str(stranger.allowed_signers)), None).checks[0]
    assert finding.reason is Reason.UNKNOWN_KEY


def test_picture_without_qr(tmp_path: Path, trust: Trust) -> None:
    rng = random.Random(1)
    noise = Image.frombytes("L", (300, 300), bytes(rng.randrange(256) for _ in range(90000)))
    noise.save(tmp_path / "noise.png")
    (tmp_path / "broken.jpg").write_bytes(b"not a jpeg")
    for name in ("noise.png", "broken.jpg"):
        outcome = verify_target(str(tmp_path / name), trust, None)
        assert [f.reason for f in outcome.findings] == [Reason.UNREADABLE_IMAGE]


def test_cover_qr_names_its_report(bundle: Bundle, demo_export: DemoExport, trust: Trust,
                                   signing: Signing) -> None:
    from inspect_tui.core.report_qr import encode_report_qr

    data = (demo_export.folder / "report.json").read_bytes()
    cover = encode_report_qr(bundle.report.report_id, data, signing.key)
    assert check(cover, trust, bundle).ok
    other = encode_report_qr(bundle.report.report_id, data + b" ", signing.key)
    assert check(other, trust, bundle).reason is Reason.NOT_IN_BUNDLE
    forged = cover[:-3] + ("000" if not cover.endswith("000") else "111")
    assert check(forged, trust, bundle).reason in (Reason.BAD_SIGNATURE, Reason.MALFORMED)
