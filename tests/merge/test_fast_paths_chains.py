"""Faster chain checks, value comparisons and entry reading give what the plain code gave.

The references are the code they replaced: verify_chains grouping every slot into a list,
canonical_json compared byte for byte, HLC.decode, and the finiteness check of every value.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspect_tui.core.history import (
    ChainProblem,
    Change,
    Entry,
    MalformedEntry,
    _hlc,
    canonical_json,
    entry_from_doc,
    hash_holds,
    make_entry,
    plain_order,
    same_json,
    verify_chains,
)
from inspect_tui.core.hlc import HLC
from inspect_tui.core.merge import plan_merge
from tests.merge.test_properties import histories
from tests.test_fastjson import json_values


def reference_verify_chains(entries: Iterable[Entry]) -> list[ChainProblem]:
    by_device: dict[str, dict[int, list[Entry]]] = defaultdict(lambda: defaultdict(list))
    problems: list[ChainProblem] = []
    for e in entries:
        if not hash_holds(e):
            problems.append(ChainProblem(e.device, e.seq, "hash"))
        by_device[e.device][e.seq].append(e)
    for device, seqs in by_device.items():
        for seq in sorted(seqs):
            group = seqs[seq]
            if len(group) > 1 and len({e.hash for e in group}) > 1:
                problems.append(ChainProblem(device, seq, "fork"))
        expected_prev = ""
        for seq in range(1, max(seqs) + 1):
            if seq not in seqs:
                problems.append(ChainProblem(device, seq, "gap"))
                expected_prev = ""
                continue
            e = seqs[seq][0]
            if (expected_prev and e.prev != expected_prev) or (seq == 1 and e.prev != ""):
                problems.append(ChainProblem(device, seq, "link"))
            expected_prev = e.hash
    return problems


@st.composite
def damaged_chains(draw: st.DrawFn) -> list[Entry]:
    """Chains of two devices, then entries dropped, duplicated, forked, re-linked, altered."""
    entries: list[Entry] = []
    for device in ("A", "B"):
        prev = ""
        for seq in range(1, draw(st.integers(1, 6)) + 1):
            e = make_entry(device=device, seq=seq, prev=prev, hlc=HLC(seq, 0), author="x",
                           entity=f"r{seq % 3}", changes={"points": Change(seq)})
            entries.append(e)
            prev = e.hash
    for _ in range(draw(st.integers(0, 4))):
        e = draw(st.sampled_from(entries))
        what = draw(st.sampled_from(["drop", "twice", "fork", "link", "alter"]))
        if what == "drop" and len(entries) > 1:
            entries.remove(e)
        elif what == "twice":
            entries.append(e)
        elif what == "fork":
            entries.append(make_entry(device=e.device, seq=e.seq, prev=e.prev, hlc=e.hlc,
                                      author="y", entity=e.entity, changes=e.changes))
        elif what == "link":
            entries[entries.index(e)] = make_entry(
                device=e.device, seq=e.seq, prev="other", hlc=e.hlc, author=e.author,
                entity=e.entity, changes=e.changes)
        elif what == "alter":
            entries[entries.index(e)] = replace(e, author="z")
    return draw(st.permutations(entries))


@settings(max_examples=300)
@given(damaged_chains())
def test_verify_chains_is_the_reference(entries: list[Entry]) -> None:
    assert verify_chains(entries) == reference_verify_chains(entries)


@settings(max_examples=400)
@given(json_values | st.tuples(json_values), json_values | st.tuples(json_values))
def test_same_json_is_comparing_canonical_json(a: Any, b: Any) -> None:
    try:
        expected = canonical_json(a) == canonical_json(b)
    except (ValueError, UnicodeEncodeError):  # NaN never reaches here; a lone surrogate
        return
    assert same_json(a, b) == expected
    assert same_json(a, a)


@pytest.mark.parametrize(("a", "b", "same"), [
    (1, 1.0, False), (1, True, False), (0, False, False), (0.0, -0.0, False), ("1", 1, False),
    (None, None, True), ([1], (1,), True), ({"a": 1, "b": 2}, {"b": 2, "a": 1}, True),
    ([1], [1.0], False), (2**70, 2**70, True), (2**70, 2**70 + 1, False), (1e16, 1e16, True),
])
def test_same_json_on_values_equal_in_python(a: Any, b: Any, same: bool) -> None:
    assert same_json(a, b) is same
    assert (canonical_json(a) == canonical_json(b)) is same


@pytest.mark.parametrize("raw", [[5, 0], [0, 7], [2**70, 1], [True, 0], [1, False], [-1, 0],
                                 [1.0, 0], [1], [1, 2, 3], (1, 2), "1,2", None, {"w": 1}])
def test_hlc_read_as_decode_reads_it(raw: Any) -> None:
    try:
        expected = HLC.decode(raw)
    except ValueError:
        with pytest.raises(ValueError):
            _hlc(raw)
        return
    got = _hlc(raw)
    assert got == expected and vars(got) == vars(expected) and type(got) is HLC


def doc_with(value: Any) -> dict[str, Any]:
    e = make_entry(device="D1", seq=1, prev="", hlc=HLC(1, 0), author="x", entity="record:R-1",
                   changes={"points": Change(2.0), "notes": Change("n"), "x": Change(0)},
                   context={"site": "S1"})
    doc = json.loads(json.dumps(e.to_doc()))
    doc["changes"]["x"]["v"] = value
    return doc


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, [1.0, math.nan],
                                   ["听取汇报", math.nan], {"a": [{"b": math.inf}]}])
def test_non_finite_values_are_refused_wherever_they_sit(value: Any) -> None:
    with pytest.raises(MalformedEntry, match=r"changes\.x"):
        entry_from_doc(doc_with(value))


@pytest.mark.parametrize("value", [1.5, [1.5, "a"], {"a": [1e300]}, None, True, 2**70, -0.0,
                                   ["听取汇报", "查阅台账"], []])
def test_finite_values_are_read(value: Any) -> None:
    e = entry_from_doc(doc_with(value))
    assert e.changes["x"].value == value and e.changes["points"].value == 2.0


@settings(max_examples=100, deadline=None)
@given(histories())
def test_plan_docs_are_the_new_entries_stored_form(generated: Any) -> None:
    """The documents the plan made while checking hashes are what to_doc() writes, byte for
    byte (key order included), for every new entry and nothing else."""
    laptops, _ = generated
    dest, *others = laptops
    plan = plan_merge(dest.entries.values(), [(lap.device.name, list(lap.entries.values()))
                                              for lap in others])
    assert set(plan.docs) == {e.hash for e in plan.new_entries}
    for e in plan.new_entries:
        assert json.dumps(plan.docs[e.hash]) == json.dumps(e.to_doc())


def test_plan_doc_is_of_the_entry_the_plan_keeps() -> None:
    """Two copies of one entry in a source, their changes in another order (the same hash):
    the plan keeps the last one, and writes that one's form."""
    e = make_entry(device="D1", seq=1, prev="", hlc=HLC(5, 0), author="甲", entity="r1",
                   changes={"points": Change(1), "notes": Change("n")})
    swapped = Entry(**{**e.__dict__, "changes": {"notes": Change("n"), "points": Change(1)}})
    assert swapped.hash == e.hash and hash_holds(swapped)
    plan = plan_merge([], [("laptop", [e, swapped])])
    assert plan.new_entries[0] is swapped
    assert list(plan.docs[e.hash]["changes"]) == ["notes", "points"]
    assert json.dumps(plan.docs[e.hash]) == json.dumps(swapped.to_doc())


def test_no_docs_for_a_refused_source() -> None:
    e = make_entry(device="D1", seq=2, prev="x", hlc=HLC(5, 0), author="甲", entity="r1",
                   changes={"points": Change(1)})
    plan = plan_merge([], [("laptop", [e])])  # seq 2 without 1: a gap
    assert not plan.sources[0].accepted and plan.docs == {}


@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 2), st.sampled_from(["A", "B", "AB"]),
                          st.integers(1, 3)), max_size=12))
def test_plain_order_is_the_order_key_s_order(slots: list[tuple[int, int, str, int]]) -> None:
    entries = [make_entry(device=d, seq=q, prev="", hlc=HLC(w, c), author="x", entity="r",
                          changes={}) for w, c, d, q in slots]
    assert sorted(entries, key=plain_order) == sorted(entries, key=lambda e: e.order_key)
    if entries:
        assert max(entries, key=plain_order) == max(entries, key=lambda e: e.order_key)
