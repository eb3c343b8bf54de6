"""Verification verdicts for report bundles and QR texts (pure: bytes and texts in, findings out).

Every check ends in a `Finding` with one `Reason`; nothing of a bundle or payload is read before
its signature has been checked. Reading files and decoding images is the shell's job
(inspect_tui.export.verify_files).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from inspect_tui.core import report_qr, sshsig
from inspect_tui.core.errors import InspectError
from inspect_tui.core.i18n import t
from inspect_tui.core.qr_link import plain_payload
from inspect_tui.core.qr_payload import (
    BadPayloadSignatureError,
    PayloadError,
    PayloadFields,
    RecordIdMismatchError,
    TrustedKey,
    UnknownKeyIdError,
    decode_payload,
)

if TYPE_CHECKING:
    # Imported where a bundle is checked: a QR text alone needs neither the report model nor
    # the report builder (with scoring and the checklist model), so `verify QR-TEXT` is quick.
    from inspect_tui.core import report as m


class Reason(StrEnum):
    VALID = "valid"
    UNKNOWN_KEY = "unknown_key"
    BAD_SIGNATURE = "bad_signature"
    ALTERED_FIELD = "altered_field"
    NOT_IN_BUNDLE = "not_in_bundle"
    UNREADABLE_IMAGE = "unreadable_image"
    UNREAD_CODES = "unread_codes"  # an image with codes located but not decoded
    WRONG_PURPOSE = "wrong_purpose"
    MALFORMED = "malformed"


@dataclass(frozen=True)
class Finding:
    reason: Reason
    subject: str  # the file, image or record the finding is about
    detail: str = ""  # for an invalid finding: one paragraph saying why
    signer: str = ""
    payload: PayloadFields | None = None  # a record QR's verified content
    site: m.AnySite | None = None  # the bundle's site and record, when a bundle is known
    record: m.AnyRecord | None = None
    report_qr: report_qr.VerifiedReportQr | None = None

    @property
    def ok(self) -> bool:
        return self.reason is Reason.VALID


def _reason_of(exc: InspectError) -> Reason:
    if isinstance(exc, sshsig.UnknownKeyError | UnknownKeyIdError):
        return Reason.UNKNOWN_KEY
    if isinstance(exc, sshsig.BadSignatureError | BadPayloadSignatureError):
        return Reason.BAD_SIGNATURE
    if isinstance(exc, sshsig.NamespaceError):
        return Reason.WRONG_PURPOSE
    if isinstance(exc, RecordIdMismatchError):
        return Reason.ALTERED_FIELD
    return Reason.MALFORMED


def _invalid(exc: InspectError, subject: str) -> Finding:
    return Finding(_reason_of(exc), subject, str(exc))


# ---- bundles ------------------------------------------------------------------------------

def check_bundle(data: bytes, signature: str, signers: Sequence[sshsig.AllowedSigner], *,
                 source: str, sig_source: str,
                 signers_source: str) -> tuple[Finding, m.AnyReport | None]:
    """The SSH signature of report.json, then its structure; the report only if both hold."""
    from inspect_tui.core import report as m

    try:
        verified = sshsig.verify(data, signature, sshsig.REPORT_NAMESPACE, signers,
                                 source=sig_source, signers_source=signers_source)
        report = m.parse_report(data, source)
    except (sshsig.SignatureError, m.MalformedReportError) as exc:
        return _invalid(exc, source), None
    if report.signer.fingerprint != verified.fingerprint:
        return Finding(Reason.ALTERED_FIELD, source, _altered(source, ["signer"])), None
    return Finding(Reason.VALID, source, signer=verified.principal), report


def check_records(report: m.AnyReport, trusted: Sequence[TrustedKey],
                  source: str) -> list[Finding]:
    """Every record of a verified bundle: its digest, and its QR payload against its fields."""
    from inspect_tui.core import report as m

    findings = []
    for site, record in report.records():
        subject = f"{source}#{record.record_id}"
        if m.record_digest_hex(asdict(record)) != record.digest:
            findings.append(Finding(Reason.ALTERED_FIELD, subject, _altered(subject, ["digest"]),
                                    site=site, record=record))
            continue
        findings.append(check_record_qr(record.qr, trusted, report, source=subject))
    return findings


# ---- QR texts -----------------------------------------------------------------------------

def _altered(subject: str, names: Sequence[str]) -> str:
    return t("verify.altered", subject=subject, fields="、".join(names))


def payload_mismatches(payload: PayloadFields, site: m.AnySite, record: m.AnyRecord,
                       rules: str = "") -> list[str]:
    """The fields where a verified QR payload and the bundle's record disagree; `rules` are
    the report's scoring rules ("" for a version-1 report, whose IT1 payloads state none)."""
    from inspect_tui.core.report_build import record_digest_from_hex

    def units(score: float | None) -> int | None:
        return None if score is None else round(score * 100)

    pairs = {
        "site_id": (payload.site_id, site.site_id),
        "criterion_id": (payload.criterion_id, record.criterion_id),
        "score": (units(payload.score), units(record.score)),
        "time": (payload.time, record.time),
        "digest": (payload.digest, record_digest_from_hex(record.digest)),
        "rules": (payload.rules, rules),
    }
    return [name for name, (a, b) in pairs.items() if a != b]


def check_record_qr(text: str, trusted: Sequence[TrustedKey], report: m.AnyReport | None, *,
                    source: str) -> Finding:
    try:  # a link to the verifier page carries the same payload (core.qr_link)
        verified = decode_payload(plain_payload(text, source=source), trusted, source=source)
    except PayloadError as exc:
        return _invalid(exc, source)
    payload = verified.fields
    found = report.record_index().get(payload.record_id) if report is not None else None
    base = Finding(Reason.VALID, source, signer=verified.signer, payload=payload,
                   site=found[0] if found else None, record=found[1] if found else None)
    if report is None:
        return base
    if found is None:
        detail = t("verify.not_in_bundle", subject=source, record_id=payload.record_id,
                   report_id=report.report_id)
        return Finding(Reason.NOT_IN_BUNDLE, source, detail, verified.signer, payload)
    if wrong := payload_mismatches(payload, found[0], found[1], report.rules):
        return Finding(Reason.ALTERED_FIELD, source, _altered(source, wrong), verified.signer,
                       payload, *found)
    return base


def check_report_qr(text: str, trusted: Sequence[TrustedKey], report_sha256: str | None, *,
                    source: str) -> Finding:
    """The cover QR; with a bundle at hand, also that it names that exact report.json."""
    try:
        verified = report_qr.decode_report_qr(text, trusted, source=source)
    except PayloadError as exc:
        return _invalid(exc, source)
    if report_sha256 is not None and verified.sha256 != report_sha256:
        detail = t("verify.report_qr_other", subject=source, report_id=verified.report_id)
        return Finding(Reason.NOT_IN_BUNDLE, source, detail, verified.signer,
                       report_qr=verified)
    return Finding(Reason.VALID, source, signer=verified.signer, report_qr=verified)


def check_qr_text(text: str, trusted: Sequence[TrustedKey], report: m.AnyReport | None,
                  report_sha256: str | None, *, source: str) -> Finding:
    """Any QR text this program prints: the cover QR or a record QR."""
    if report_qr.is_report_qr(text):
        return check_report_qr(text, trusted, report_sha256, source=source)
    return check_record_qr(text, trusted, report, source=source)
