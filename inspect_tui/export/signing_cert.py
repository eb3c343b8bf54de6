"""Who signed a report.pdf: the public key fingerprint of its signing certificate, and the
allowed_signers name it belongs to, if any.

pdfsig and PDF readers say "Signature is Valid" for any self-signed certificate, including a
forger's new key with the team lead's name in it: only this fingerprint tells them apart, so
`verify` prints it beside every PDF it checks (SECURITY.md, "Honest PDF signatures").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from io import BytesIO

from inspect_tui.core import sshsig


@dataclass(frozen=True)
class PdfSigner:
    fingerprint: str  # SHA256:… as ssh-keygen -l prints it; "?" for a key that is not P-256
    trusted_as: str  # the allowed_signers name, "" when the key is not listed


def pdf_signer(data: bytes, signers: Sequence[sshsig.AllowedSigner]) -> PdfSigner | None:
    """The last signature's signer; None when the PDF has none or cannot be read."""
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader

    from inspect_tui.export.pdf_check import _signer_blob  # the same key reading as the check

    try:
        sigs = PdfFileReader(BytesIO(data), strict=False).embedded_signatures
        blob = _signer_blob(sigs[-1].signer_cert.public_key.dump()) if sigs else None
    except (PdfError, OSError, ValueError, KeyError, TypeError, IndexError):
        return None
    if not sigs:
        return None
    if blob is None:
        return PdfSigner("?", "")
    names = [s.names[0] for s in signers if s.key_blob == blob and not s.cert_authority
             and s.allows_namespace(sshsig.REPORT_NAMESPACE)]
    return PdfSigner(sshsig.fingerprint(blob), names[0] if names else "")
