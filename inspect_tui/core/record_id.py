"""Record IDs like `R-7K3FQ-9QX2M`: short, readable, derived, with a check character.

A record is one (inspection, site, criterion), so its ID is derived from those three by hash:
every laptop computes the same ID for the same record without coordination, and different
records collide with negligible probability (45 bits; ~4e-5 for 50,000 records in one
inspection). The alphabet is Crockford's Base32 (no I, L, O, U), which fits QR alphanumeric mode;
the last character is a check symbol over GF(32), which catches every single mistyped character
and every swap of two characters.
"""

from __future__ import annotations

import hashlib

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
_ALIASES = str.maketrans({"I": "1", "L": "1", "O": "0"})
DATA_CHARS = 9
PREFIX = "R-"
_SHIFTS = tuple(5 * i for i in reversed(range(DATA_CHARS)))  # the data characters' bits


def _gf32_mul(a: int, b: int) -> int:
    """Multiply in GF(2^5) modulo the primitive polynomial x^5 + x^2 + 1."""
    product = 0
    while b:
        if b & 1:
            product ^= a
        b >>= 1
        a <<= 1
        if a & 0b100000:
            a ^= 0b100101
    return product


def _check_char(payload: str) -> str:
    """Check symbol: sum of value_i * alpha^(i+1) over GF(32).

    A changed character changes the sum by a non-zero error times a non-zero weight, and a swap
    of two characters by (a+b)(alpha^i + alpha^j), non-zero because the weights are distinct: so
    every single substitution and every transposition is caught (Luhn mod N misses 0<->Z).
    """
    total = 0
    for products, ch in zip(_WEIGHTED, payload, strict=False):
        total ^= products[ch]
    if len(payload) > len(_WEIGHTED):  # longer than any ID: the weights go on (alpha^i)
        weight = _weight(len(_WEIGHTED))
        for ch in payload[len(_WEIGHTED):]:
            weight = _gf32_mul(weight, 2)
            total ^= _gf32_mul(_VALUE[ch], weight)
    return ALPHABET[total]


def _weight(i: int) -> int:
    """alpha^i in GF(32) (alpha = x)."""
    weight = 1
    for _ in range(i):
        weight = _gf32_mul(weight, 2)
    return weight


# value_i * alpha^(i+1) for every position of an ID and every character, computed once: the
# check symbol is then a few table look-ups (it was ~40% of deriving an ID).
_WEIGHTED = tuple({ch: _gf32_mul(v, _weight(i + 1)) for ch, v in _VALUE.items()}
                  for i in range(DATA_CHARS + 1))


def _format(data: str) -> str:
    body = data + _check_char(data)
    return f"{PREFIX}{body[:5]}-{body[5:]}"


def make_record_id(inspection_id: str, site_id: str, criterion_id: str) -> str:
    digest = hashlib.sha256(f"{inspection_id}\x1f{site_id}\x1f{criterion_id}".encode()).digest()
    number = int.from_bytes(digest[:8], "big") >> (64 - 5 * DATA_CHARS)
    data = "".join([ALPHABET[(number >> shift) & 31] for shift in _SHIFTS])
    return _format(data)


def normalize_record_id(text: str) -> str | None:
    """The canonical form of a typed or scanned ID, or None if it is malformed or mistyped."""
    cleaned = text.strip().upper().replace(" ", "").replace("-", "")
    if len(cleaned) == DATA_CHARS + 2 and cleaned.startswith("R"):
        cleaned = cleaned[1:]
    cleaned = cleaned.translate(_ALIASES)
    if len(cleaned) != DATA_CHARS + 1 or any(ch not in _VALUE for ch in cleaned):
        return None
    data, check = cleaned[:-1], cleaned[-1]
    return _format(data) if _check_char(data) == check else None


def is_valid_record_id(text: str) -> bool:
    return normalize_record_id(text) is not None
