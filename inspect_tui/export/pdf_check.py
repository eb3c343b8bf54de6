"""Check report.pdf's embedded signature with pyHanko (imported only here).

Valid means: the file parses, its last signature's digest matches the signed byte ranges, the
CMS signature verifies, the signature covers the whole file (nothing appended after signing),
and the certificate's public key is one the allowed_signers file lists.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from io import BytesIO
from pathlib import Path

from cryptography.hazmat.primitives.serialization import load_der_public_key

from inspect_tui.core import sshsig
from inspect_tui.core.i18n import t
from inspect_tui.core.report_verify import Finding, Reason


def _signer_blob(cert_der: bytes) -> bytes | None:
    from cryptography.hazmat.primitives.asymmetric import ec

    key = load_der_public_key(cert_der)
    if not isinstance(key, ec.EllipticCurvePublicKey) or not isinstance(key.curve,
                                                                        ec.SECP256R1):
        return None
    return sshsig.public_key_blob(key)


def check_pdf(path: Path, signers: Sequence[sshsig.AllowedSigner], signers_path: str, *,
              data: bytes | None = None) -> Finding:
    """`data`: the file's bytes when the caller has read them already (safely, bounded)."""
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    subject = str(path)
    logging.getLogger("pyhanko").setLevel(logging.CRITICAL)  # we report, not its logger
    logging.getLogger("pyhanko_certvalidator").setLevel(logging.CRITICAL)
    try:
        with BytesIO(data) if data is not None else open(path, "rb") as f:
            reader = PdfFileReader(f, strict=False)
            sigs = reader.embedded_signatures
            if not sigs:
                return Finding(Reason.MALFORMED, subject, t("verify.pdf_unsigned", path=subject))
            sig = sigs[-1]
            cert = sig.signer_cert
            context = ValidationContext(trust_roots=[cert], allow_fetching=False)
            status = validate_pdf_signature(sig, signer_validation_context=context)
    except (PdfError, OSError, ValueError, KeyError, TypeError) as exc:
        return Finding(Reason.MALFORMED, subject,
                       t("verify.pdf_damaged", path=subject, reason=str(exc)[:120]))
    blob = _signer_blob(cert.public_key.dump())
    fingerprint = sshsig.fingerprint(blob) if blob else "?"
    if not status.intact:
        return Finding(Reason.BAD_SIGNATURE, subject, t("verify.pdf_digest", path=subject))
    if not status.valid:
        return Finding(Reason.BAD_SIGNATURE, subject, t("verify.pdf_bad", path=subject))
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        return Finding(Reason.ALTERED_FIELD, subject, t("verify.pdf_appended", path=subject))
    names = [s.names[0] for s in signers if blob and s.key_blob == blob and not s.cert_authority
             and s.allows_namespace(sshsig.REPORT_NAMESPACE)]
    if not names:
        return Finding(Reason.UNKNOWN_KEY, subject, t(
            "verify.pdf_unknown_key", path=subject, fingerprint=fingerprint,
            signers=signers_path))
    return Finding(Reason.VALID, subject, signer=names[0])
