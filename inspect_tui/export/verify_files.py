"""Verify what an office has in hand: a report folder, report.json, report.pdf, a photo or scan
with QR codes, or the text a scanner app shows. Reading files and images happens here; the
verdicts come from core.report_verify.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from inspect_tui.core import sshsig
from inspect_tui.core.i18n import t
from inspect_tui.core.qr_link import is_link
from inspect_tui.core.qr_payload import TrustedKey, trusted_from_allowed_signers
from inspect_tui.core.report_verify import (
    Finding,
    Reason,
    check_bundle,
    check_qr_text,
    check_records,
)
from inspect_tui.export.errors import VerifyInputError
from inspect_tui.export.layout import JSON_NAME, PDF_NAME
from inspect_tui.export.qr_scan import ImageScan, ImageTooLarge, scan_image
from inspect_tui.safe_read import SIGNERS_LIMIT, ReadRefused, read_limited

if TYPE_CHECKING:  # a QR text needs no report model: `verify QR-TEXT` stays quick
    from inspect_tui.core.report import AnyReport
    from inspect_tui.export.signing_cert import PdfSigner

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".bmp", ".tif", ".tiff", ".gif"}
MAX_BUNDLE_BYTES = 64 * 1024 * 1024
MAX_PDF_BYTES = 256 * 1024 * 1024
MAX_IMAGE_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True)
class Trust:
    """The office's allowed_signers file, read once."""

    path: str
    signers: list[sshsig.AllowedSigner]
    keys: list[TrustedKey]


@dataclass
class Bundle:
    """A verified report.json that QR codes are checked against."""

    report: AnyReport  # version 2, or an old version-1 report as it was written
    sha256: str


@dataclass
class Outcome:
    target: str
    kind: str  # folder, bundle, pdf, image, text
    checks: list[Finding] = field(default_factory=list)  # signatures of files
    records: list[Finding] = field(default_factory=list)  # one per QR payload
    bundle: Bundle | None = None
    scan: ImageScan | None = None  # an image: the codes seen and read
    pdf_signer: PdfSigner | None = None  # a PDF: its signing key's fingerprint, if trusted

    @property
    def findings(self) -> list[Finding]:
        return self.checks + self.records

    @property
    def ok(self) -> bool:
        return bool(self.findings) and all(f.ok for f in self.findings)


def _read(path: Path, limit: int = MAX_BUNDLE_BYTES) -> bytes:
    try:
        return read_limited(path, limit)
    except ReadRefused as exc:  # a FIFO, /dev/zero, a folder, or over the limit
        raise VerifyInputError("inputs.read_refused", path=str(path), reason=exc.reason) from None
    except FileNotFoundError:
        raise VerifyInputError("verify.missing_file", path=str(path)) from None
    except OSError as exc:
        raise VerifyInputError("verify.unreadable", path=str(path),
                               reason=exc.strerror or str(exc)) from None


def load_trust(path: str) -> Trust:
    try:
        text = _read(Path(path), SIGNERS_LIMIT).decode("utf-8")
    except UnicodeDecodeError:
        raise VerifyInputError("verify.signers_not_text", path=path) from None
    signers = sshsig.parse_allowed_signers(text, path)
    keys = trusted_from_allowed_signers(signers)
    if not keys:
        raise VerifyInputError("verify.no_trusted_keys", path=path)
    return Trust(path, signers, keys)


def verify_bundle_file(json_path: Path, trust: Trust) -> Outcome:
    """report.json and report.json.sig beside it; then every record's QR payload."""
    outcome = Outcome(str(json_path), "bundle")
    sig_path = json_path.with_name(json_path.name + ".sig")
    data = _read(json_path)
    try:
        signature = _read(sig_path, 64 * 1024).decode("ascii")
    except UnicodeDecodeError:
        signature = ""
    finding, report = check_bundle(data, signature, trust.signers, source=str(json_path),
                                   sig_source=str(sig_path), signers_source=trust.path)
    outcome.checks.append(finding)
    if report is not None:
        outcome.bundle = Bundle(report, hashlib.sha256(data).hexdigest())
        outcome.records += check_records(report, trust.keys, str(json_path))
    return outcome


def verify_folder(folder: Path, trust: Trust) -> Outcome:
    if not _exists(folder / JSON_NAME):
        raise VerifyInputError("verify.not_a_report_folder", path=str(folder))
    outcome = verify_bundle_file(folder / JSON_NAME, trust)
    outcome.target, outcome.kind = str(folder), "folder"
    if _exists(folder / PDF_NAME):
        _check_pdf(outcome, folder / PDF_NAME, trust)
    return outcome


def _check_pdf(outcome: Outcome, pdf: Path, trust: Trust) -> None:
    """The PDF's signature, and whose key made it (pdfsig alone cannot tell)."""
    from inspect_tui.export.pdf_check import check_pdf
    from inspect_tui.export.signing_cert import pdf_signer

    data = _read(pdf, MAX_PDF_BYTES)
    outcome.checks.append(check_pdf(pdf, trust.signers, trust.path, data=data))
    outcome.pdf_signer = pdf_signer(data, trust.signers)


def decode_image(path: Path) -> list[str]:
    """Every QR text zxing-cpp reads in a photo or scan (see export.qr_scan)."""
    try:
        return scan_image(_read(path, MAX_IMAGE_BYTES)).texts
    except ImageTooLarge:
        raise ImageTooLarge(str(path)) from None


def verify_image(path: Path, trust: Trust, bundle: Bundle | None,
                 allow_partial: bool = False) -> Outcome:
    """Every code read in the image; codes seen but not read fail it unless `allow_partial`."""
    from PIL import Image

    outcome = Outcome(str(path), "image", bundle=bundle)
    try:
        scan = scan_image(_read(path, MAX_IMAGE_BYTES))
    except ImageTooLarge:
        outcome.checks.append(Finding(Reason.UNREADABLE_IMAGE, str(path), t(
            "inputs.image_too_large", path=str(path), limit=f"{Image.MAX_IMAGE_PIXELS:,}")))
        return outcome
    outcome.scan = scan
    if not scan.texts:
        outcome.checks.append(Finding(Reason.UNREADABLE_IMAGE, str(path),
                                      t("verify.unreadable_image", path=str(path))))
    elif scan.unread and not allow_partial:
        outcome.checks.append(Finding(Reason.UNREAD_CODES, str(path), t(
            "verify.codes_unread", path=str(path), unread=scan.unread, seen=scan.seen)))
    outcome.records += [_check_text(text, trust, bundle, f"{path}#{n}")
                        for n, text in enumerate(scan.texts, start=1)]
    return outcome


def _check_text(text: str, trust: Trust, bundle: Bundle | None, source: str) -> Finding:
    return check_qr_text(text, trust.keys, bundle.report if bundle else None,
                         bundle.sha256 if bundle else None, source=source)


def load_bundle(path: str, trust: Trust) -> Bundle:
    """The --report a QR is compared with: it must itself verify."""
    target = Path(path)
    outcome = verify_bundle_file(target / JSON_NAME if _is_dir(target) else target, trust)
    if outcome.bundle is None:
        raise VerifyInputError("verify.bad_reference", path=path,
                               reason=outcome.checks[0].detail)
    return outcome.bundle


def verify_target(target: str, trust: Trust, bundle: Bundle | None,
                  allow_partial: bool = False) -> Outcome:
    path = Path(target)
    if _is_dir(path):
        return verify_folder(path, trust)
    suffix = path.suffix.lower()
    if suffix == ".json":
        return verify_bundle_file(path, trust)
    if suffix == ".pdf":
        outcome = Outcome(target, "pdf")
        _check_pdf(outcome, path, trust)
        return outcome
    if suffix in IMAGE_SUFFIXES:
        return verify_image(path, trust, bundle, allow_partial)
    if _exists(path) or not (target.strip().upper().startswith("IT") or is_link(target)):
        raise VerifyInputError("verify.unknown_target", target=target[:80])
    return Outcome(t("verify.qr_text"), "text", [],
                   [_check_text(target, trust, bundle, "QR")], bundle)


def _is_dir(path: Path) -> bool:
    """Like Path.is_dir, but False for what cannot be a path at all (a name too long…)."""
    try:
        return path.is_dir()
    except (OSError, ValueError):
        return False


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except (OSError, ValueError):
        return False


def verify_all(targets: Sequence[str], trust: Trust, bundle: Bundle | None,
               allow_partial: bool = False) -> list[Outcome]:
    return [verify_target(target, trust, bundle, allow_partial) for target in targets]
