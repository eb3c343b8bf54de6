"""Verify what an office has in hand: a report folder, report.json, report.pdf, a photo or scan
with QR codes, or the text a scanner app shows. Reading files and images happens here; the
verdicts come from core.report_verify.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from inspect_tui.core import sshsig
from inspect_tui.core.i18n import t
from inspect_tui.core.qr_payload import TrustedKey, trusted_from_allowed_signers
from inspect_tui.core.report import Report
from inspect_tui.core.report_verify import (
    Finding,
    Reason,
    check_bundle,
    check_qr_text,
    check_records,
)
from inspect_tui.export.errors import VerifyInputError
from inspect_tui.export.layout import JSON_NAME, PDF_NAME

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".bmp", ".tif", ".tiff", ".gif"}
MAX_BUNDLE_BYTES = 64 * 1024 * 1024
UPSCALE_BELOW = 2400  # pixels on the long side


@dataclass(frozen=True)
class Trust:
    """The office's allowed_signers file, read once."""

    path: str
    signers: list[sshsig.AllowedSigner]
    keys: list[TrustedKey]


@dataclass
class Bundle:
    """A verified report.json that QR codes are checked against."""

    report: Report
    sha256: str


@dataclass
class Outcome:
    target: str
    kind: str  # folder, bundle, pdf, image, text
    checks: list[Finding] = field(default_factory=list)  # signatures of files
    records: list[Finding] = field(default_factory=list)  # one per QR payload
    bundle: Bundle | None = None

    @property
    def findings(self) -> list[Finding]:
        return self.checks + self.records

    @property
    def ok(self) -> bool:
        return bool(self.findings) and all(f.ok for f in self.findings)


def _read(path: Path, limit: int = MAX_BUNDLE_BYTES) -> bytes:
    try:
        if path.stat().st_size > limit:
            raise VerifyInputError("verify.too_large", path=str(path))
        return path.read_bytes()
    except FileNotFoundError:
        raise VerifyInputError("verify.missing_file", path=str(path)) from None
    except OSError as exc:
        raise VerifyInputError("verify.unreadable", path=str(path),
                               reason=exc.strerror or str(exc)) from None


def load_trust(path: str) -> Trust:
    try:
        text = _read(Path(path), 1024 * 1024).decode("utf-8")
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
    if not (folder / JSON_NAME).exists():
        raise VerifyInputError("verify.not_a_report_folder", path=str(folder))
    outcome = verify_bundle_file(folder / JSON_NAME, trust)
    outcome.target, outcome.kind = str(folder), "folder"
    if (folder / PDF_NAME).exists():
        from inspect_tui.export.pdf_check import check_pdf

        outcome.checks.append(check_pdf(folder / PDF_NAME, trust.signers, trust.path))
    return outcome


def decode_image(path: Path) -> list[str]:
    """Every QR text zxing-cpp finds in a photo or scan (EXIF rotation applied).

    A small image is also read at twice its size: a slightly blurred scan with about two
    pixels per QR module reads far better enlarged.
    """
    import zxingcpp
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(path) as raw:
            image = ImageOps.exif_transpose(raw).convert("L")
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return []
    passes = [image]
    if max(image.size) <= UPSCALE_BELOW:
        passes.append(image.resize((image.width * 2, image.height * 2), Image.Resampling.BICUBIC))
    texts: dict[str, None] = {}
    for candidate in passes:
        found = zxingcpp.read_barcodes(candidate, formats=zxingcpp.BarcodeFormat.QRCode)
        texts.update((code.text, None) for code in found if code.valid)
    return list(texts)


def verify_image(path: Path, trust: Trust, bundle: Bundle | None) -> Outcome:
    outcome = Outcome(str(path), "image", bundle=bundle)
    if not path.exists():
        raise VerifyInputError("verify.missing_file", path=str(path))
    texts = decode_image(path)
    if not texts:
        outcome.checks.append(Finding(Reason.UNREADABLE_IMAGE, str(path),
                                      t("verify.unreadable_image", path=str(path))))
    outcome.records += [_check_text(text, trust, bundle, f"{path}#{n}")
                        for n, text in enumerate(texts, start=1)]
    return outcome


def _check_text(text: str, trust: Trust, bundle: Bundle | None, source: str) -> Finding:
    return check_qr_text(text, trust.keys, bundle.report if bundle else None,
                         bundle.sha256 if bundle else None, source=source)


def load_bundle(path: str, trust: Trust) -> Bundle:
    """The --report a QR is compared with: it must itself verify."""
    target = Path(path)
    outcome = verify_bundle_file(target / JSON_NAME if target.is_dir() else target, trust)
    if outcome.bundle is None:
        raise VerifyInputError("verify.bad_reference", path=path,
                               reason=outcome.checks[0].detail)
    return outcome.bundle


def verify_target(target: str, trust: Trust, bundle: Bundle | None) -> Outcome:
    path = Path(target)
    if path.is_dir():
        return verify_folder(path, trust)
    suffix = path.suffix.lower()
    if suffix == ".json":
        return verify_bundle_file(path, trust)
    if suffix == ".pdf":
        from inspect_tui.export.pdf_check import check_pdf

        _read(path, 1024**3)
        return Outcome(target, "pdf", [check_pdf(path, trust.signers, trust.path)])
    if suffix in IMAGE_SUFFIXES:
        return verify_image(path, trust, bundle)
    if path.exists() or not target.strip().upper().startswith("IT"):
        raise VerifyInputError("verify.unknown_target", target=target[:80])
    return Outcome(t("verify.qr_text"), "text", [],
                   [_check_text(target, trust, bundle, "QR")], bundle)


def verify_all(targets: Sequence[str], trust: Trust, bundle: Bundle | None) -> list[Outcome]:
    return [verify_target(target, trust, bundle) for target in targets]
