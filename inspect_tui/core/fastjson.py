"""orjson where it gives exactly what the standard `json` module gives, `json` everywhere else.

orjson parses and writes JSON ~5-10× faster, but not always alike:

- parsing, it reads an integer beyond 64 bits as a float (json: an exact int), and it refuses
  what json accepts (NaN, Infinity, 1e999, a lone surrogate, a byte-order mark). So a text with
  a run of 19 digits goes to json, and so does every text orjson refuses: json then reads it,
  or raises the error it always raised;
- writing, it puts `null` for NaN and infinity (json refuses them), writes `1e-05` as `0.00001`,
  refuses integers beyond 64 bits and non-string keys. So output holding `null` is written by
  json again (NaN must be refused as before), and so is every value orjson refuses. (It also
  writes enums and UUIDs, which json refuses: the values here are JSON-shaped — what a parser
  gives, or what the app builds of str, int, float, bool, None, list, tuple and dict.)

Parsed values are therefore always json's; written bytes parse back to the value json's bytes
parse to (tested with hypothesis in tests/test_fastjson.py). Hashes are never taken of orjson's
bytes alone: see `history.hash_holds`, which only uses them to confirm a hash quickly.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from types import ModuleType
from typing import Any

# 19+ digits in a row may be an integer beyond 64 bits, which orjson reads as a float: such
# texts go to json. Found by mapping every digit to "0" and the rest to " " (a regex: 3× slower).
_DIGITS_TO_ZERO = bytes(0x30 if 0x30 <= i <= 0x39 else 0x20 for i in range(256))
_LONG_NUMBER = b"0" * 19
_orjson: ModuleType | None = None


_PASSTHROUGH = _SORTED = 0  # orjson's options (set on import): what json refuses, it refuses


def _lib() -> ModuleType:
    """orjson, imported on first use (it pulls in uuid, platform, … ~40 ms for quick commands)."""
    global _orjson, _PASSTHROUGH, _SORTED
    if _orjson is None:
        import orjson

        _PASSTHROUGH = (orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME
                        | orjson.OPT_PASSTHROUGH_SUBCLASS)
        _SORTED = _PASSTHROUGH | orjson.OPT_SORT_KEYS
        _orjson = orjson
    return _orjson


def loads(raw: bytes, slow: Callable[[bytes], Any] = json.loads) -> Any:
    """`slow(raw)`, faster: orjson reads the text when it reads it as json would."""
    if _LONG_NUMBER not in raw.translate(_DIGITS_TO_ZERO):
        lib = _lib()
        try:
            return lib.loads(raw)
        except lib.JSONDecodeError:
            pass  # json reads it (NaN, 1e999, a BOM, …) or raises its own error
    return slow(raw)


def fast_bytes(value: Any, *, sort_keys: bool = False) -> bytes | None:
    """orjson's compact UTF-8 bytes of `value`, or None where they could mean something else
    than json's: a `null` (NaN and infinity come out as null) or a value orjson refuses."""
    lib = _orjson or _lib()
    try:
        out: bytes = lib.dumps(value, option=_SORTED if sort_keys else _PASSTHROUGH)
    except lib.JSONEncodeError:  # beyond 64 bits, a non-str key, a surrogate, a subclass, …
        return None
    return None if b"null" in out else out


def dumps(value: Any) -> bytes:
    """Compact UTF-8 JSON of `value` that parses back to what json's bytes parse to; raises
    what json.dumps(allow_nan=False) raises (ValueError, TypeError, …) for what it refuses."""
    fast = fast_bytes(value)
    if fast is not None:
        return fast
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"),
                      allow_nan=False).encode("utf-8")
