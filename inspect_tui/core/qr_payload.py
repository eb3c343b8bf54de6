"""The signed QR payload printed beside every record of a report (offline-verifiable).

Designed like the EU digital COVID certificate: a version prefix, then Base45 (RFC 9285) of a
compact signed binary body, so the whole text stays in QR alphanumeric mode
(0-9 A-Z space $%*+-./:) and a typical record fits QR version 8 at error correction M.

Text:   "IT2:" + record ID in plain characters (e.g. R-7K3FQ-9QX2M) + ":" + Base45(body)
        A breaking change of the body bumps the prefix ("IT1:" → "IT2:" added the scoring
        rules); every earlier version is still read. The text starts with "IT" and never ends
        with a space (the last character of a Base45 group is at most "W"), so a scanner
        trimming whitespace cannot damage it.

Body, big-endian:
    4        key id: first 4 bytes of SHA-256 of the signer's SSH public key blob
    7        record ID: its 10 Crockford-Base32 symbols (check symbol included), 5 bits each,
             as a 50-bit number
    1 + n    site id: length byte, then n bytes of UTF-8 (1 <= n <= 255)
    1 + m    criterion id: length byte, then m bytes of UTF-8 (1 <= m <= 255)
    2        score x 100 (0.00 to 655.34 points); 0xFFFF means unscored (or 不适用)
    4        time: unix seconds (UTC)
    1        (IT2 only) the scoring rules the score was computed under: N of
             "inspect-tui/scoring-N" (1 to 255); see core.scoring_rules
    16       digest: first 16 bytes of SHA-256 of the full canonical record
    64       signature: ECDSA P-256 with SHA-256, raw r || s (32 bytes each), over the ASCII
             header ("IT2:" + record ID + ":") followed by every body byte before it;
             deterministic (RFC 6979), so the same record and key give the same text

An "IT1:" payload (reports of format version 1) has no rules byte: its rules are not stated
(`PayloadFields.rules == ""`); encoding fields without rules writes one. The prefix is signed,
so an IT2 payload cannot be passed off as IT1 or the reverse.
A decoder checks the signature over the raw bytes before it reads any field.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

from inspect_tui.core import sshsig
from inspect_tui.core.errors import InspectError
from inspect_tui.core.record_id import ALPHABET as ID_ALPHABET
from inspect_tui.core.record_id import normalize_record_id

VERSION = 2
PREFIX = f"IT{VERSION}:"
SUPPORTED = (1, 2)  # payload versions this program reads
RULES_PREFIX = "inspect-tui/scoring-"  # as core.scoring_rules names them (not imported: light)
MAX_INPUT_CHARS = 1000  # refuse before decoding: a real payload is ~200 characters
QR_MAX_CHARS = 311  # QR alphanumeric capacity of version 10 at error correction M
QR_ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
UNSCORED = 0xFFFF
DIGEST_BYTES = 16
SIGNATURE_BYTES = 64
_KEY_ID_BYTES = 4
_ID_BYTES = 7
_MIN_BODY = _KEY_ID_BYTES + _ID_BYTES + 2 + 2 + 2 + 4 + DIGEST_BYTES + SIGNATURE_BYTES
_RULES_RE = re.compile(re.escape(RULES_PREFIX) + r"([1-9][0-9]{0,2})")
_ID_VALUE = {ch: i for i, ch in enumerate(ID_ALPHABET)}
_PREFIX_RE = re.compile(r"IT([0-9]{1,3}):")


# ---- errors -----------------------------------------------------------------------------

class PayloadError(InspectError):
    """A QR text that is not a valid, trusted record payload (see subclasses)."""


class NotOurPayloadError(PayloadError):
    """The text does not start with our prefix (IT<n>:)."""


class UnsupportedVersionError(PayloadError):
    """Our prefix, but a version this program cannot read (made by a newer version)."""


class MalformedPayloadError(PayloadError):
    """Our prefix and version, but the text or body is damaged or too long."""


class UnknownKeyIdError(PayloadError):
    """Signed with a key id that no trusted key has."""


class BadPayloadSignatureError(PayloadError):
    """The signature does not match: some part of the payload was changed."""


class RecordIdMismatchError(PayloadError):
    """The record ID shown in plain text is not the record ID that was signed."""


class PayloadFieldError(PayloadError):
    """A field cannot be put in a payload (encoding side)."""


# ---- Base45 (RFC 9285) --------------------------------------------------------------------

BASE45 = QR_ALPHANUMERIC


def group_encode(data: bytes, alphabet: str) -> str:
    """Base45's scheme with any alphabet of 41 to 45 symbols: two bytes to three symbols
    (least significant first), a last odd byte to two; core.qr_link uses a URL-safe one."""
    radix = len(alphabet)
    out = []
    for i in range(0, len(data) - 1, 2):
        n = data[i] * 256 + data[i + 1]
        out += [alphabet[n % radix], alphabet[n // radix % radix], alphabet[n // radix**2]]
    if len(data) % 2:
        out += [alphabet[data[-1] % radix], alphabet[data[-1] // radix]]
    return "".join(out)


def group_decode(text: str, alphabet: str) -> bytes:
    """Strict decoding: ValueError for a foreign character, a bad length or an overflow."""
    value = {ch: i for i, ch in enumerate(alphabet)}
    if len(text) % 3 == 1 or any(ch not in value for ch in text):
        raise ValueError("not in the alphabet")
    out = bytearray()
    for i in range(0, len(text), 3):
        group = [value[ch] for ch in text[i:i + 3]]
        n = sum(v * len(alphabet)**k for k, v in enumerate(group))
        if n > (0xFFFF if len(group) == 3 else 0xFF):
            raise ValueError("group overflows")
        out += n.to_bytes(len(group) - 1, "big")
    return bytes(out)


def b45encode(data: bytes) -> str:
    return group_encode(data, BASE45)


def b45decode(text: str) -> bytes:
    return group_decode(text, BASE45)


# ---- fields -------------------------------------------------------------------------------

@dataclass(frozen=True)
class PayloadFields:
    record_id: str  # canonical, e.g. R-7K3FQ-9QX2M
    site_id: str
    criterion_id: str
    score: float | None  # points; None = unscored
    time: int  # unix seconds
    digest: bytes  # record_digest(canonical record bytes)
    rules: str = ""  # the scoring rules, e.g. "inspect-tui/scoring-2"; "": not stated (IT1)


@dataclass(frozen=True)
class VerifiedPayload:
    fields: PayloadFields
    signer: str  # the trusted key's name
    key_id: bytes


class TrustedKey(NamedTuple):
    name: str
    key: ec.EllipticCurvePublicKey


def record_digest(canonical_record: bytes) -> bytes:
    return hashlib.sha256(canonical_record).digest()[:DIGEST_BYTES]


def trusted_from_allowed_signers(signers: Iterable[sshsig.AllowedSigner]) -> list[TrustedKey]:
    """The P-256 keys of an allowed_signers file, named by each line's first principal."""
    return [TrustedKey(s.names[0], s.public_key()) for s in signers
            if s.key_type == sshsig.KEY_TYPE and not s.cert_authority]


def _id_to_bytes(record_id: str) -> bytes:
    symbols = record_id.replace("R-", "", 1).replace("-", "")
    number = 0
    for ch in symbols:
        number = number * 32 + _ID_VALUE[ch]
    return number.to_bytes(_ID_BYTES, "big")


def _id_from_bytes(raw: bytes) -> str | None:
    number = int.from_bytes(raw, "big")
    if number >> 50:
        return None
    symbols = "".join(ID_ALPHABET[(number >> (5 * i)) & 31] for i in reversed(range(10)))
    return normalize_record_id(symbols)


def _short_text(value: str, what: str) -> bytes:
    raw = value.encode("utf-8")
    if not 1 <= len(raw) <= 255:
        raise PayloadFieldError("qr.bad_field", field=what, value=value[:40])
    return bytes([len(raw)]) + raw


def _score_units(score: float | None) -> int:
    if score is None:
        return UNSCORED
    if not math.isfinite(score):
        raise PayloadFieldError("qr.bad_field", field="score", value=str(score))
    units = round(score * 100)
    if not 0 <= units < UNSCORED or abs(units - score * 100) > 1e-6:
        raise PayloadFieldError("qr.bad_field", field="score", value=str(score))
    return units


def _rules_byte(rules: str) -> bytes:
    match = _RULES_RE.fullmatch(rules)
    if match is None or int(match.group(1)) > 255:
        raise PayloadFieldError("qr.bad_field", field="rules", value=rules[:40])
    return bytes([int(match.group(1))])


def _header(record_id: str, version: int = VERSION) -> str:
    return f"IT{version}:{record_id}:"


# ---- encoding -----------------------------------------------------------------------------

def encode_payload(fields: PayloadFields, private_key: ec.EllipticCurvePrivateKey,
                   key_id: bytes | None = None) -> str:
    """The signed QR text for one record; raises PayloadFieldError if a field does not fit.
    `key_id`: the key's sshsig.key_id when the caller has it (an export signs ~1000 payloads
    with one key: computing it from the key each time was a tenth of the signing)."""
    if normalize_record_id(fields.record_id) != fields.record_id:
        raise PayloadFieldError("qr.bad_field", field="record_id", value=fields.record_id[:40])
    if len(fields.digest) != DIGEST_BYTES:
        raise PayloadFieldError("qr.bad_field", field="digest", value=fields.digest.hex()[:40])
    if not 0 <= fields.time < 2**32:
        raise PayloadFieldError("qr.bad_field", field="time", value=str(fields.time))
    version = VERSION if fields.rules else 1  # no rules stated: the IT1 body, which has none
    kid = key_id if key_id is not None else sshsig.key_id(private_key.public_key())
    body = (kid + _id_to_bytes(fields.record_id)
            + _short_text(fields.site_id, "site_id")
            + _short_text(fields.criterion_id, "criterion_id")
            + _score_units(fields.score).to_bytes(2, "big") + fields.time.to_bytes(4, "big")
            + (_rules_byte(fields.rules) if fields.rules else b"") + fields.digest)
    header = _header(fields.record_id, version)
    der = private_key.sign(header.encode("ascii") + body,
                           ec.ECDSA(hashes.SHA256(), deterministic_signing=True))
    r, s = decode_dss_signature(der)
    text = header + b45encode(body + r.to_bytes(32, "big") + s.to_bytes(32, "big"))
    if len(text) > QR_MAX_CHARS:
        raise PayloadFieldError("qr.too_long", record_id=fields.record_id, length=len(text),
                                limit=QR_MAX_CHARS)
    return text


# ---- decoding -----------------------------------------------------------------------------

def _signature_ok(key: ec.EllipticCurvePublicKey, signed: bytes, raw_sig: bytes) -> bool:
    r, s = int.from_bytes(raw_sig[:32], "big"), int.from_bytes(raw_sig[32:], "big")
    try:
        key.verify(encode_dss_signature(r, s), signed, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        return False
    return True


def _split(text: str, source: str) -> tuple[int, str, bytes]:
    """The payload version, the plain record ID and the raw body; only the outer form is
    checked here."""
    if len(text) > MAX_INPUT_CHARS:
        raise MalformedPayloadError("qr.input_too_long", source=source, length=len(text),
                                    limit=MAX_INPUT_CHARS)
    text = text.strip()
    prefix = _PREFIX_RE.match(text)
    if prefix is None:
        raise NotOurPayloadError("qr.not_ours", source=source, start=text[:12])
    version = int(prefix.group(1))
    if version not in SUPPORTED or prefix.group(0) != f"IT{version}:":
        raise UnsupportedVersionError("qr.unsupported_version", source=source,
                                      version=prefix.group(1),
                                      supported="/IT".join(map(str, SUPPORTED)))
    plain_id, colon, encoded = text[prefix.end():].partition(":")
    if not colon or normalize_record_id(plain_id) != plain_id:
        raise MalformedPayloadError("qr.malformed", source=source)
    try:
        body = b45decode(encoded)
    except ValueError as exc:
        raise MalformedPayloadError("qr.malformed", source=source) from exc
    if len(body) < _MIN_BODY + (version > 1):
        raise MalformedPayloadError("qr.malformed", source=source)
    return version, plain_id, body


def _read_fields(record_id: str, signed_body: bytes, version: int) -> PayloadFields | None:
    """Parse an authenticated body (signature removed); None if its layout is inconsistent."""
    pos = _KEY_ID_BYTES + _ID_BYTES
    texts = []
    for _ in range(2):
        length = signed_body[pos] if pos < len(signed_body) else 0
        raw = signed_body[pos + 1:pos + 1 + length]
        if length == 0 or len(raw) != length:
            return None
        try:
            texts.append(raw.decode("utf-8"))
        except UnicodeDecodeError:
            return None
        pos += 1 + length
    rest = signed_body[pos:]
    stated = version > 1  # IT2 and later carry the rules byte after the time
    if len(rest) != 2 + 4 + stated + DIGEST_BYTES or (stated and rest[6] == 0):
        return None
    units = int.from_bytes(rest[:2], "big")
    rules = f"{RULES_PREFIX}{rest[6]}" if stated else ""
    return PayloadFields(record_id, texts[0], texts[1],
                         None if units == UNSCORED else units / 100,
                         int.from_bytes(rest[2:6], "big"), rest[6 + stated:], rules)


def decode_payload(text: str, trusted_keys: Iterable[TrustedKey], *,
                   source: str = "-") -> VerifiedPayload:
    """Verify a scanned QR text and return its fields; `source` names it in errors.

    Raises a PayloadError subclass for every way the text can be wrong; nothing else.
    """
    version, plain_id, body = _split(text, source)
    kid, raw_sig = body[:_KEY_ID_BYTES], body[-SIGNATURE_BYTES:]
    candidates = [k for k in trusted_keys if sshsig.key_id(k.key) == kid]
    if not candidates:
        raise UnknownKeyIdError("qr.unknown_key", source=source, key_id=kid.hex())
    signed_body = body[:-SIGNATURE_BYTES]
    signer = next((k for k in candidates
                   if _signature_ok(k.key, _header(plain_id, version).encode() + signed_body,
                                    raw_sig)),
                  None)
    body_id = _id_from_bytes(body[_KEY_ID_BYTES:_KEY_ID_BYTES + _ID_BYTES])
    if signer is None:
        # Diagnose, still by signature: was only the plain record ID swapped?
        if body_id and body_id != plain_id and any(
                _signature_ok(k.key, _header(body_id, version).encode() + signed_body, raw_sig)
                for k in candidates):
            raise RecordIdMismatchError("qr.record_id_mismatch", source=source, shown=plain_id,
                                        signed=body_id)
        raise BadPayloadSignatureError("qr.bad_signature", source=source, record_id=plain_id)
    if body_id != plain_id:
        raise RecordIdMismatchError("qr.record_id_mismatch", source=source, shown=plain_id,
                                    signed=body_id or "?")
    fields = _read_fields(plain_id, signed_body, version)
    if fields is None:
        raise MalformedPayloadError("qr.malformed", source=source)
    return VerifiedPayload(fields, signer.name, kid)
