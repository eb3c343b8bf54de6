"""The signed QR code on a report's cover: which report, and the SHA-256 of its report.json.

Text:   "ITR1:" + report ID in plain characters (e.g. RPT-7K3FQ-9QX2M) + ":" + Base45(body)
Body:   4 bytes key id | 32 bytes SHA-256 of report.json | 64 bytes ECDSA P-256 signature
        (raw r || s, deterministic) over the ASCII header followed by the 36 bytes before it.

Like the record payloads (core.qr_payload, prefix "IT1:") it stays in QR alphanumeric mode and
the signature is checked before any field is trusted; the different prefix keeps the two
apart ("ITR1:" never parses as a record payload, and the reverse).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

from inspect_tui.core import sshsig
from inspect_tui.core.qr_payload import (
    MAX_INPUT_CHARS,
    BadPayloadSignatureError,
    MalformedPayloadError,
    TrustedKey,
    UnknownKeyIdError,
    b45decode,
    b45encode,
)

PREFIX = "ITR1:"
_ID_RE = re.compile(r"RPT-[0-9A-Z]{5}-[0-9A-Z]{5}")
_BODY = 4 + 32 + 64


@dataclass(frozen=True)
class VerifiedReportQr:
    report_id: str
    sha256: str  # hex of the report.json it vouches for
    signer: str


def is_report_qr(text: str) -> bool:
    return text.strip().startswith(PREFIX)


def _header(report_id: str) -> bytes:
    return f"{PREFIX}{report_id}:".encode("ascii")


def encode_report_qr(report_id: str, report_json: bytes,
                     private_key: ec.EllipticCurvePrivateKey) -> str:
    if not _ID_RE.fullmatch(report_id):
        raise ValueError(f"not a report id: {report_id!r}")
    signed = sshsig.key_id(private_key.public_key()) + hashlib.sha256(report_json).digest()
    der = private_key.sign(_header(report_id) + signed,
                           ec.ECDSA(hashes.SHA256(), deterministic_signing=True))
    r, s = decode_dss_signature(der)
    return (_header(report_id).decode() + b45encode(signed + r.to_bytes(32, "big")
                                                    + s.to_bytes(32, "big")))


def _valid(key: ec.EllipticCurvePublicKey, data: bytes, raw_sig: bytes) -> bool:
    r, s = int.from_bytes(raw_sig[:32], "big"), int.from_bytes(raw_sig[32:], "big")
    try:
        key.verify(encode_dss_signature(r, s), data, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        return False
    return True


def decode_report_qr(text: str, trusted_keys: Iterable[TrustedKey], *,
                     source: str = "-") -> VerifiedReportQr:
    """Check the signature, then read the fields; raises qr_payload.PayloadError subclasses."""
    text = text.strip()
    report_id, colon, encoded = text[len(PREFIX):].partition(":")
    try:
        if len(text) > MAX_INPUT_CHARS or not text.startswith(PREFIX) or not colon:
            raise ValueError(text[:12])
        body = b45decode(encoded)
    except ValueError:
        raise MalformedPayloadError("qr.malformed", source=source) from None
    if not _ID_RE.fullmatch(report_id) or len(body) != _BODY:
        raise MalformedPayloadError("qr.malformed", source=source)
    kid, signed, raw_sig = body[:4], body[:36], body[36:]
    candidates = [k for k in trusted_keys if sshsig.key_id(k.key) == kid]
    if not candidates:
        raise UnknownKeyIdError("qr.unknown_key", source=source, key_id=kid.hex())
    signer = next((k for k in candidates if _valid(k.key, _header(report_id) + signed, raw_sig)),
                  None)
    if signer is None:
        raise BadPayloadSignatureError("verify.report_qr_bad_signature", source=source,
                                       report_id=report_id)
    return VerifiedReportQr(report_id, body[4:36].hex(), signer.name)
