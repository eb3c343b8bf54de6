"""core.fastjson and the fast paths built on it give exactly what the json module gives.

orjson is used only where it reads (or writes) what json reads (writes); these properties
compare both on the value shapes history entries hold — ints beyond 64 bits, floats json
writes with an exponent (1e-05, 1e+16), non-ASCII and astral text, control characters, lone
surrogates (escaped), nesting — and on texts json refuses or reads leniently.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspect_tui.core import fastjson
from inspect_tui.core.history import (
    Change,
    Entry,
    canonical_json,
    entry_from_doc,
    hash_holds,
    make_entry,
)
from inspect_tui.core.hlc import HLC

finite = st.floats(allow_nan=False, allow_infinity=False)
awkward_floats = st.sampled_from([1e16, 1e-05, 1.5e-07, 1e22, 5e-324, -0.0, 0.1, 2.0, 1e300])
ints = st.integers() | st.sampled_from([2**63 - 1, 2**63, 2**64 - 1, 2**64, -(2**63) - 1])
texts = st.text() | st.sampled_from(["检查员", "😀", "\x00\x1f\x7f\u2028", "\ud800", 'a"\\b'])
scalars = st.none() | st.booleans() | ints | finite | awkward_floats | texts
json_values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4),
    max_leaves=12)


def strict(value: Any) -> Any:
    """`value` with every scalar tagged by its type (and floats by their bits): equal only if
    equal in type too (1 == 1.0 == True otherwise; -0.0 == 0.0)."""
    if isinstance(value, dict):
        return ("dict", [(k, strict(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [strict(v) for v in value])
    if isinstance(value, float):
        return ("float", value.hex() if math.isfinite(value) else repr(value))
    return (type(value).__name__, value)


def outcome(parse: Any, raw: bytes) -> Any:
    try:
        return strict(parse(raw))
    except (ValueError, RecursionError) as exc:
        return ("error", type(exc).__name__)


@given(json_values, st.booleans())
def test_loads_reads_every_json_text_as_json_does(value: Any, ascii_only: bool) -> None:
    raw = json.dumps(value, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")
    assert outcome(fastjson.loads, raw) == outcome(json.loads, raw)


LENIENT = [b"NaN", b"[Infinity]", b"-1e999", b"1e400", b'"\\ud800"', b"\xef\xbb\xbf[1]",
           b"123456789012345678901234567890", b"-9223372036854775809", b'{"a":1,"a":2}',
           b"[1,]", b"01", b'"\x01"', b"", b"  ", b"[" * 2000 + b"]" * 2000, b'"\xed\xa0\x80"',
           b'{"a":[1e-05,1e16,1E2,-0]}', b"\t[1]\r\n", b"\x0c[1]"]


@pytest.mark.parametrize("raw", LENIENT)
def test_loads_reads_or_refuses_edge_texts_as_json_does(raw: bytes) -> None:
    assert outcome(fastjson.loads, raw) == outcome(json.loads, raw)


@given(json_values, st.binary(max_size=3), st.integers(0, 200))
def test_loads_agrees_on_damaged_texts(value: Any, junk: bytes, at: int) -> None:
    raw = json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")
    at %= len(raw) + 1
    damaged = raw[:at] + junk + raw[at + 1:]
    assert outcome(fastjson.loads, damaged) == outcome(json.loads, damaged)


def test_loads_passes_refused_texts_to_the_slow_parser() -> None:
    def refuse(raw: bytes) -> Any:
        raise ValueError(f"slow parser saw {raw!r}")

    assert fastjson.loads(b"[1]", refuse) == [1]
    with pytest.raises(ValueError, match="slow parser saw b'NaN'"):
        fastjson.loads(b"NaN", refuse)
    with pytest.raises(ValueError, match="slow parser"):  # 19 digits: json reads it exactly
        fastjson.loads(b"[1234567890123456789]", refuse)


def json_dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"),
                      allow_nan=False).encode("utf-8")


def written(dump: Any, value: Any) -> Any:
    try:
        return strict(json.loads(dump(value)))
    except (ValueError, TypeError) as exc:  # UnicodeEncodeError is a ValueError
        return ("error", type(exc).__name__)


@given(json_values | st.tuples(json_values, json_values))
def test_dumps_writes_what_parses_back_as_json_s_bytes_do(value: Any) -> None:
    assert written(fastjson.dumps, value) == written(json_dumps, value)


@pytest.mark.parametrize("value", [float("nan"), [float("inf")], {"a": -math.inf}, {1: "x"},
                                   {"x": {1, 2}}, "坏\udcff", [2**64]])
def test_dumps_refuses_or_writes_as_json_does(value: Any) -> None:
    assert written(fastjson.dumps, value) == written(json_dumps, value)


def entry_with(value: Any, context: dict[str, str] | None = None) -> Entry:
    return make_entry(device="D1", seq=1, prev="", hlc=HLC(1_700_000_000_000, 0), author="张明",
                      entity="record:R-1", changes={"points": Change(value, ("a", "b"))},
                      context=context or {"site": "S1"})


def old_hash_holds(e: Entry) -> bool:
    """history._hash_holds before the fast path."""
    try:
        return hashlib.sha256(canonical_json(e.body())).hexdigest() == e.hash
    except ValueError:
        return False


@settings(max_examples=300)
@given(json_values, json_values)
def test_hash_holds_decides_as_recomputing_with_json_does(value: Any, other: Any) -> None:
    try:
        honest = entry_with(value)
    except ValueError:  # a lone surrogate: no entry can be made of it
        return
    assert hash_holds(honest) and old_hash_holds(honest)
    tampered = Entry(**{**honest.__dict__, "changes": {"points": Change(other, ("a", "b"))}})
    assert hash_holds(tampered) == old_hash_holds(tampered)


@pytest.mark.parametrize(("stored", "altered"), [(1, 1.0), (1, True), (1.0, 1), (0, False),
                                                 (1e-05, 1e-5 + 1e-20), (2**64, 2**64 + 1),
                                                 ([1], [1.0]), (None, float("nan"))])
def test_a_value_altered_to_an_equal_looking_one_breaks_the_hash(stored: Any,
                                                                 altered: Any) -> None:
    honest = entry_with(stored)
    altered_entry = Entry(**{**honest.__dict__, "changes": {"points": Change(altered, ("a",
                                                                                      "b"))}})
    assert hash_holds(honest)
    assert not hash_holds(altered_entry)


def test_hashes_of_stored_entries_read_back_hold() -> None:
    """An entry written to a file and read back (the way merges see them) still verifies."""
    for value in (1e-05, 1e16, 2**70, "检查员\x00", [1.5, {"k": None}], None):
        e = entry_with(value)
        back = entry_from_doc(fastjson.loads(fastjson.dumps(e.to_doc())))
        assert back == e and hash_holds(back)


@given(json_values, st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=3))
def test_entries_read_back_are_the_entries_the_constructors_build(value: Any,
                                                                  context: dict[str, str]) -> None:
    """entry_from_doc builds Entry and Change without their __init__: same fields in the same
    order, equal, frozen."""
    try:
        e = entry_with(value, context)
    except ValueError:  # a lone surrogate: no entry can be made of it
        return
    back = entry_from_doc(json.loads(json_dumps(e.to_doc())))
    rebuilt = Entry(back.device, back.seq, back.prev, back.hlc, back.author, back.entity,
                    {k: Change(c.value, c.parents) for k, c in back.changes.items()},
                    dict(back.context), back.hash)
    assert back == rebuilt and back.changes == rebuilt.changes
    assert vars(back) == vars(rebuilt) and list(vars(back)) == list(vars(rebuilt))
    assert strict(back.changes["points"].value) == strict(json.loads(json_dumps(value)))
    with pytest.raises(dataclasses.FrozenInstanceError):
        back.seq = 2  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        back.changes["points"].value = 3  # type: ignore[misc]
