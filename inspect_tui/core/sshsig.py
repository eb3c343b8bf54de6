"""Detached SSH signatures (OpenSSH PROTOCOL.sshsig) with ECDSA P-256 keys.

Reports are signed in the format `ssh-keygen -Y sign` writes, so an office can check them with
stock OpenSSH as well as with this app. Only `ecdsa-sha2-nistp256` keys can sign or verify here;
allowed_signers files may still list other key types (those lines are kept, never matched).

Signature blob:   "SSHSIG" uint32(1) string(publickey) string(namespace) string(reserved="")
                  string(hash_algorithm) string(signature)
Signed data:      "SSHSIG" string(namespace) string(reserved) string(hash_algorithm)
                  string(H(message))
ECDSA signature:  string("ecdsa-sha2-nistp256") string(mpint r || mpint s), over the signed
                  data with SHA-256 (the curve's hash; hash_algorithm only hashes the message).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

from inspect_tui.core.errors import InspectError

KEY_TYPE = "ecdsa-sha2-nistp256"
CURVE_NAME = "nistp256"
REPORT_NAMESPACE = "inspect-report"
PACK_NAMESPACE = "inspect-pack"  # workspace packs handed to the team lead
MAGIC = b"SSHSIG"
SIG_VERSION = 1
ARMOR_BEGIN = "-----BEGIN SSH SIGNATURE-----"
ARMOR_END = "-----END SSH SIGNATURE-----"
ARMOR_WIDTH = 70
MAX_ARMOR_CHARS = 64 * 1024  # a P-256 signature is ~300 characters; refuse anything absurd
HashName = Literal["sha256", "sha512"]
_HASHES = {"sha256": hashlib.sha256, "sha512": hashlib.sha512}
_P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551


# ---- errors -----------------------------------------------------------------------------

class SignatureError(InspectError):
    """A signature that cannot be trusted, for one specific reason (see subclasses)."""


class ArmorError(SignatureError):
    """Not an SSH signature: missing armor lines, bad base64, or a malformed blob."""


class NamespaceError(SignatureError):
    """Signed for another purpose (namespace), or the key is not allowed this namespace."""


class UnknownKeyError(SignatureError):
    """Made by a key that the allowed_signers file does not list (for this identity/time)."""


class BadSignatureError(SignatureError):
    """The signature does not match the message: the file or the signature was changed."""


class KeyFormatError(InspectError):
    """A public key (one-line OpenSSH form or wire blob) that cannot be used."""


class AllowedSignersError(InspectError):
    """A line of an allowed_signers file that cannot be parsed."""


# ---- SSH wire format ----------------------------------------------------------------------

class _Truncated(ValueError):
    pass


def _string(data: bytes) -> bytes:
    return len(data).to_bytes(4, "big") + data


def _mpint(n: int) -> bytes:
    # Positive two's complement, minimal: a leading zero byte only when the top bit is set.
    return _string(n.to_bytes((n.bit_length() + 8) // 8, "big") if n else b"")


class _Reader:
    def __init__(self, data: bytes) -> None:
        self._data = data
        self._pos = 0

    def take(self, n: int) -> bytes:
        if n < 0 or self._pos + n > len(self._data):
            raise _Truncated("truncated")
        chunk = self._data[self._pos:self._pos + n]
        self._pos += n
        return chunk

    def uint32(self) -> int:
        return int.from_bytes(self.take(4), "big")

    def string(self) -> bytes:
        return self.take(self.uint32())

    def mpint(self) -> int:
        raw = self.string()
        if raw and (raw[0] & 0x80 or (raw[0] == 0 and (len(raw) == 1 or not raw[1] & 0x80))):
            raise _Truncated("negative or non-minimal mpint")
        return int.from_bytes(raw, "big")

    def end(self) -> None:
        if self._pos != len(self._data):
            raise _Truncated("trailing bytes")


# ---- public keys --------------------------------------------------------------------------

def public_key_blob(key: ec.EllipticCurvePublicKey) -> bytes:
    """The SSH wire form: string(key type) string(curve) string(uncompressed point)."""
    if not isinstance(key.curve, ec.SECP256R1):
        raise KeyFormatError("sig.key_unsupported", path="-", key_type=f"ecdsa-{key.curve.name}")
    # X9.62 uncompressed point, 0x04 || X || Y, from the numbers: the same bytes as
    # public_bytes(X962, UncompressedPoint) without importing cryptography's serialization
    # package (with its SSH, PKCS#12 and cipher modules: ~40 ms of every `verify`).
    numbers = key.public_numbers()
    point = b"\x04" + numbers.x.to_bytes(32, "big") + numbers.y.to_bytes(32, "big")
    return _string(KEY_TYPE.encode()) + _string(CURVE_NAME.encode()) + _string(point)


def blob_key_type(blob: bytes) -> str:
    """The key type named at the start of a wire blob ('' if unreadable)."""
    try:
        return _Reader(blob).string().decode("ascii")
    except (_Truncated, UnicodeDecodeError):
        return ""


def public_key_from_blob(blob: bytes, source: str = "-") -> ec.EllipticCurvePublicKey:
    """The P-256 key in a wire blob; `source` names where it came from in errors."""
    try:
        r = _Reader(blob)
        key_type = r.string().decode("ascii", "replace")
        if key_type != KEY_TYPE:
            raise KeyFormatError("sig.key_unsupported", path=source, key_type=key_type[:40])
        if r.string() != CURVE_NAME.encode():
            raise KeyFormatError("sig.key_malformed", path=source)
        point = r.string()
        r.end()
        return ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    except (_Truncated, ValueError) as exc:  # ValueError: a point not on the curve
        raise KeyFormatError("sig.key_malformed", path=source) from exc


def _blob_of(key: ec.EllipticCurvePublicKey | bytes) -> bytes:
    return key if isinstance(key, bytes) else public_key_blob(key)


def fingerprint(key: ec.EllipticCurvePublicKey | bytes) -> str:
    """`SHA256:…` exactly as `ssh-keygen -l` prints it (base64 without padding)."""
    digest = hashlib.sha256(_blob_of(key)).digest()
    return "SHA256:" + base64.b64encode(digest).decode().rstrip("=")


def key_id(key: ec.EllipticCurvePublicKey | bytes) -> bytes:
    """A short key id for QR payloads: the first 4 bytes of SHA-256 of the public key blob."""
    return hashlib.sha256(_blob_of(key)).digest()[:4]


def encode_public_key(key: ec.EllipticCurvePublicKey, comment: str = "") -> str:
    """The one-line OpenSSH form `ecdsa-sha2-nistp256 AAAA… comment`."""
    line = f"{KEY_TYPE} {base64.b64encode(public_key_blob(key)).decode()}"
    return f"{line} {comment}" if comment else line


def _b64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def parse_public_key(line: str, *, source: str) -> tuple[ec.EllipticCurvePublicKey, str]:
    """Parse `ecdsa-sha2-nistp256 AAAA… [comment]` (from `source`): the key and the comment."""
    parts = line.strip().split(None, 2)
    try:
        blob = _b64(parts[1]) if len(parts) >= 2 else b""
    except (binascii.Error, UnicodeEncodeError):
        blob = b""
    if not blob or blob_key_type(blob) != parts[0]:
        raise KeyFormatError("sig.key_malformed", path=source)
    return public_key_from_blob(blob, source), parts[2].strip() if len(parts) > 2 else ""


# ---- allowed_signers ----------------------------------------------------------------------

def _match_pattern(text: str, pattern: str) -> bool:
    """OpenSSH patterns: `*` any run, `?` one character, everything else literal."""
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, text, re.DOTALL) is not None


def match_pattern_list(text: str, patterns: str) -> bool:
    """A comma-separated pattern list; a matching `!pattern` vetoes the whole list."""
    matched = False
    for pattern in patterns.split(","):
        if pattern.startswith("!"):
            if _match_pattern(text, pattern[1:]):
                return False
        elif _match_pattern(text, pattern):
            matched = True
    return matched


def _parse_timestamp(value: str) -> datetime:
    """YYYYMMDD[Z] or YYYYMMDDHHMM[SS][Z]; local time unless suffixed Z (as ssh-keygen)."""
    utc = value.endswith(("Z", "z"))
    digits = value[:-1] if utc else value
    formats = {8: "%Y%m%d", 12: "%Y%m%d%H%M", 14: "%Y%m%d%H%M%S"}
    if not digits.isdigit() or len(digits) not in formats:
        raise ValueError(value)
    moment = datetime.strptime(digits, formats[len(digits)])
    return moment.replace(tzinfo=UTC) if utc else moment.astimezone()


@dataclass(frozen=True)
class AllowedSigner:
    """One line of an allowed_signers file."""

    principals: str  # a comma-separated pattern list, as written
    key_type: str
    key_blob: bytes
    namespaces: str | None = None
    cert_authority: bool = False
    valid_after: datetime | None = None
    valid_before: datetime | None = None
    line: int = 0
    source: str = "-"

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self.principals.split(","))

    def public_key(self) -> ec.EllipticCurvePublicKey:
        return public_key_from_blob(self.key_blob, f"{self.source}:{self.line}")

    def allows_namespace(self, namespace: str) -> bool:
        return self.namespaces is None or match_pattern_list(namespace, self.namespaces)

    def valid_at(self, moment: datetime) -> bool:
        return not ((self.valid_after and moment < self.valid_after)
                    or (self.valid_before and moment > self.valid_before))


def _split_unquoted(text: str, separators: str) -> list[str]:
    """Split on any separator outside double quotes; empty pieces are dropped."""
    pieces: list[str] = []
    current: list[str] = []
    quoted = False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        if ch in separators and not quoted:
            pieces.append("".join(current))
            current = []
        else:
            current.append(ch)
    if quoted:
        raise ValueError("unbalanced quotes")
    pieces.append("".join(current))
    return [p for p in pieces if p]


def _unquote(value: str) -> str:
    return value[1:-1] if len(value) >= 2 and value[0] == value[-1] == '"' else value


def _looks_like_key(tokens: Sequence[str], at: int) -> bytes | None:
    if at + 1 >= len(tokens):
        return None
    try:
        blob = _b64(tokens[at + 1])
    except (binascii.Error, UnicodeEncodeError):
        return None
    return blob if blob_key_type(blob) == tokens[at] else None


def _parse_signer_line(text: str, number: int, source: str) -> AllowedSigner:
    tokens = _split_unquoted(text, " \t")
    options: dict[str, str] = {}
    blob = _looks_like_key(tokens, 1)
    key_at = 1
    if blob is None:
        key_at = 2
        blob = _looks_like_key(tokens, 2)
        if blob is None:
            raise ValueError("no key")
        for option in _split_unquoted(tokens[1], ","):
            name, _, value = option.partition("=")
            options[name.lower()] = _unquote(value)
    known = {"namespaces", "cert-authority", "valid-after", "valid-before"}
    if unknown := set(options) - known:
        raise ValueError(f"unknown option {sorted(unknown)[0]}")
    after, before = options.get("valid-after"), options.get("valid-before")
    return AllowedSigner(
        principals=_unquote(tokens[0]), key_type=tokens[key_at], key_blob=blob,
        namespaces=options.get("namespaces"), cert_authority="cert-authority" in options,
        valid_after=_parse_timestamp(after) if after else None,
        valid_before=_parse_timestamp(before) if before else None,
        line=number, source=source,
    )


def parse_allowed_signers(text: str, source: str) -> list[AllowedSigner]:
    """Every key line of an allowed_signers file; `source` names the file in errors."""
    signers = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        try:
            signers.append(_parse_signer_line(line, number, source))
        except ValueError as exc:
            raise AllowedSignersError("sig.signers_bad_line", path=source, line=number,
                                      text=line[:60]) from exc
    return signers


# ---- signing and verifying ----------------------------------------------------------------

def _signed_data(namespace: str, hash_name: str, message: bytes) -> bytes:
    digest = _HASHES[hash_name](message).digest()
    return (MAGIC + _string(namespace.encode()) + _string(b"") + _string(hash_name.encode())
            + _string(digest))


def armor(blob: bytes) -> str:
    text = base64.b64encode(blob).decode()
    lines = [text[i:i + ARMOR_WIDTH] for i in range(0, len(text), ARMOR_WIDTH)]
    return "\n".join([ARMOR_BEGIN, *lines, ARMOR_END]) + "\n"


def sign(message: bytes, private_key: ec.EllipticCurvePrivateKey, namespace: str,
         hash_name: HashName = "sha512") -> str:
    """An armored SSHSIG signature of `message`, as `ssh-keygen -Y sign -n namespace` makes."""
    if not namespace:
        raise ValueError("an SSHSIG namespace must not be empty")
    der = private_key.sign(_signed_data(namespace, hash_name, message), ec.ECDSA(hashes.SHA256()))
    r, s = decode_dss_signature(der)
    signature = _string(KEY_TYPE.encode()) + _string(_mpint(r) + _mpint(s))
    blob = (MAGIC + SIG_VERSION.to_bytes(4, "big") + _string(public_key_blob(
        private_key.public_key())) + _string(namespace.encode()) + _string(b"")
        + _string(hash_name.encode()) + _string(signature))
    return armor(blob)


@dataclass(frozen=True)
class ParsedSignature:
    public_key_blob: bytes
    namespace: str
    hash_name: str
    r: int
    s: int


def _unarmor(text: str, source: str) -> bytes:
    if len(text) > MAX_ARMOR_CHARS:
        raise ArmorError("sig.bad_armor", path=source)
    lines = [line.strip() for line in text.strip().splitlines()]
    if len(lines) < 3 or lines[0] != ARMOR_BEGIN or lines[-1] != ARMOR_END:
        raise ArmorError("sig.bad_armor", path=source)
    try:
        return _b64("".join(lines[1:-1]))
    except (binascii.Error, UnicodeEncodeError) as exc:
        raise ArmorError("sig.bad_armor", path=source) from exc


def parse_signature(text: str, source: str) -> ParsedSignature:
    """Parse an armored signature; structure only, nothing is trusted yet."""
    blob = _unarmor(text, source)
    try:
        r = _Reader(blob)
        if r.take(6) != MAGIC:
            raise ArmorError("sig.bad_armor", path=source)
        version = r.uint32()
        if version != SIG_VERSION:
            raise ArmorError("sig.unsupported_version", path=source, version=version)
        key_blob, namespace, _reserved = r.string(), r.string(), r.string()
        hash_name, signature = r.string().decode("ascii", "replace"), r.string()
        r.end()
        if hash_name not in _HASHES:
            raise ArmorError("sig.unsupported_hash", path=source, hash=hash_name[:20])
        key_type = blob_key_type(key_blob)
        if key_type != KEY_TYPE:
            raise ArmorError("sig.unsupported_key", path=source, key_type=key_type[:40])
        sig = _Reader(signature)
        if sig.string() != KEY_TYPE.encode():
            raise ArmorError("sig.malformed", path=source)
        rs = _Reader(sig.string())
        sig.end()
        r_value, s_value = rs.mpint(), rs.mpint()
        rs.end()
        return ParsedSignature(key_blob, namespace.decode("utf-8"), hash_name, r_value, s_value)
    except (_Truncated, UnicodeDecodeError) as exc:
        raise ArmorError("sig.malformed", path=source) from exc


@dataclass(frozen=True)
class Verified:
    """A good signature by a listed key: who (the principals of its lines) and which key."""

    principals: tuple[str, ...]
    fingerprint: str
    namespace: str

    @property
    def principal(self) -> str:
        return self.principals[0]


def _check_crypto(parsed: ParsedSignature, message: bytes, source: str) -> None:
    fp = fingerprint(parsed.public_key_blob)
    try:
        key = public_key_from_blob(parsed.public_key_blob)
    except KeyFormatError as exc:
        raise ArmorError("sig.malformed", path=source) from exc
    if not (0 < parsed.r < _P256_ORDER and 0 < parsed.s < _P256_ORDER):
        raise BadSignatureError("sig.bad_signature", path=source, fingerprint=fp)
    data = _signed_data(parsed.namespace, parsed.hash_name, message)
    try:
        key.verify(encode_dss_signature(parsed.r, parsed.s), data, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature as exc:
        raise BadSignatureError("sig.bad_signature", path=source, fingerprint=fp) from exc


def verify(message: bytes, signature_text: str, namespace: str,
           signers: Iterable[AllowedSigner], *, source: str, signers_source: str = "",
           identity: str | None = None, at: datetime | None = None) -> Verified:
    """Check an armored signature the way `ssh-keygen -Y verify` does.

    Order: structure, namespace, the signature itself (with its embedded key), then whether an
    allowed_signers line vouches for that key (for this namespace, identity and time). `source`
    names the signature file in errors; `identity` is optional (ssh-keygen's `-I`); `at`
    (timezone-aware, default now) is checked against valid-after/valid-before.
    """
    parsed = parse_signature(signature_text, source)
    if parsed.namespace != namespace:
        raise NamespaceError("sig.wrong_namespace", path=source, found=parsed.namespace[:60],
                             expected=namespace)
    _check_crypto(parsed, message, source)
    fp = fingerprint(parsed.public_key_blob)
    moment = at or datetime.now(UTC)
    same_key = [s for s in signers
                if s.key_blob == parsed.public_key_blob and not s.cert_authority
                and (identity is None or match_pattern_list(identity, s.principals))]
    params: dict[str, Any] = {"path": source, "fingerprint": fp,
                              "signers": signers_source or "allowed_signers"}
    if not same_key:
        raise UnknownKeyError("sig.unknown_key", **params)
    in_namespace = [s for s in same_key if s.allows_namespace(namespace)]
    if not in_namespace:
        raise NamespaceError("sig.namespace_not_allowed", namespace=namespace,
                             allowed=same_key[0].namespaces, **params)
    valid = [s for s in in_namespace if s.valid_at(moment)]
    if not valid:
        raise UnknownKeyError("sig.key_not_valid_now", **params)
    principals = tuple(dict.fromkeys(n for s in valid for n in s.names))
    return Verified(principals, fp, namespace)
