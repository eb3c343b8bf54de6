"""The merge's faster paths give what the straightforward code they replaced gave.

The references below are that code (fold_fields over every entry, plan_merge folding each
source's entities from scratch and comparing every field): the fast fold (per entity), the
plan (incremental folds, `_changes` only where values can differ) and the record-ID check
table must match them exactly — values, conflicts, and the order of every dict.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from inspect_tui.core import record_id
from inspect_tui.core.history import (
    Change,
    Entry,
    FieldState,
    canonical_json,
    fold_fields,
    make_entry,
)
from inspect_tui.core.hlc import HLC
from inspect_tui.core.merge import (
    MergePlan,
    SourceResult,
    State,
    _Index,
    _problems,
    evidence_of,
    plan_merge,
)
from tests.merge.test_properties import histories


def reference_fold(entries: Iterable[Entry]) -> dict[str, dict[str, FieldState]]:
    touching: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    for e in entries:
        for name in e.changes:
            touching[(e.entity, name)].append(e)
    state: dict[str, dict[str, FieldState]] = defaultdict(dict)
    for (entity, name), group in touching.items():
        if len(group) == 1:
            only = group[0]
            state[entity][name] = FieldState(only.changes[name].value, (only.hash,), only)
            continue
        unique = {e.hash: e for e in group}
        superseded = {p for e in unique.values() for p in e.changes[name].parents}
        heads = sorted((e for h, e in unique.items() if h not in superseded),
                       key=lambda e: e.order_key)
        if not heads:
            heads = [max(unique.values(), key=lambda e: e.order_key)]
        winner = heads[-1]
        value = winner.changes[name].value
        rivals = tuple(e for e in heads[:-1]
                       if canonical_json(e.changes[name].value) != canonical_json(value))
        state[entity][name] = FieldState(value, tuple(sorted(e.hash for e in heads)), winner,
                                         rivals)
    return dict(state)


def _same(a: FieldState | None, b: FieldState | None) -> bool:
    if a is None or b is None:
        return a is b
    return a.value is b.value or canonical_json(a.value) == canonical_json(b.value)


def reference_changes(before: State, after: State) -> tuple[list[Any], list[Any]]:
    updated, conflicts = [], []
    for entity, fields in sorted(after.items()):
        old = before.get(entity, {})
        for name, state in sorted(fields.items()):
            if not _same(old.get(name), state):
                updated.append((entity, name))
            if state.conflict and not (name in old and old[name].conflict):
                conflicts.append((entity, name))
    return updated, conflicts


def reference_plan(destination: Iterable[Entry], sources: Sequence[tuple[str, Iterable[Entry]]],
                   inspection_id: str | None = None) -> MergePlan:
    index = _Index(destination)

    def fold(entities: Iterable[str]) -> State:
        return reference_fold(e for ent in entities for e in index.by_entity.get(ent, ()))

    initial: State = {}
    current: State = {}
    results = []
    accepted: list[Entry] = []
    for name, raw in sources:
        entries = list(raw)
        new = list({e.hash: e for e in entries if e.hash not in index.by_hash}.values())
        problems = _problems(entries, new, index, inspection_id)
        if problems:
            results.append(SourceResult(name, tuple(problems)))
            continue
        affected = sorted({e.entity for e in new})
        initial.update(fold(ent for ent in affected if ent not in current))
        before = {ent: current.get(ent, initial.get(ent, {})) for ent in affected}
        index.add(new)
        after = fold(affected)
        current.update(after)
        updated, conflicts = reference_changes(before, after)
        results.append(SourceResult(
            name, (), tuple(sorted(new, key=lambda e: e.order_key)),
            tuple(ent for ent in affected if ent.startswith("record:") and not before[ent]),
            tuple(updated), tuple(sorted(evidence_of(new))), tuple(conflicts)))
        accepted += new
    _, opened = reference_changes(initial, current)
    return MergePlan(tuple(results), tuple(sorted(accepted, key=lambda e: e.order_key)),
                     tuple(opened), current)


def ordered(state: State) -> list[Any]:
    """The state with its dicts' order made part of what is compared."""
    return [(entity, list(fields.items())) for entity, fields in state.items()]


# Entries with any parents among each other (cycles, duplicates, empty changes, equal values
# of different types), on a few entities and fields.
@st.composite
def tangled(draw: st.DrawFn) -> list[Entry]:
    made: list[Entry] = []
    for i in range(draw(st.integers(0, 14))):
        names = draw(st.lists(st.sampled_from(["points", "notes", "evidence:x"]), max_size=3,
                              unique=True))
        changes = {}
        for name in names:
            parents = tuple(draw(st.lists(st.sampled_from([e.hash for e in made] or ["x"]),
                                          max_size=3)))
            changes[name] = Change(draw(st.sampled_from([1, 1.0, True, "1", None, [1]])), parents)
        made.append(make_entry(device=draw(st.sampled_from(["A", "B"])), seq=i + 1, prev="",
                               hlc=HLC(draw(st.integers(0, 3)), draw(st.integers(0, 2))),
                               author="x", entity=draw(st.sampled_from(["r1", "r2", "s1"])),
                               changes=changes))
    return made + draw(st.lists(st.sampled_from(made), max_size=3)) if made else made


@settings(max_examples=300)
@given(tangled(), st.randoms())
def test_fold_is_the_reference_fold_in_every_order(entries: list[Entry], rnd: Any) -> None:
    rnd.shuffle(entries)
    assert ordered(fold_fields(entries)) == ordered(reference_fold(entries))


def destination_and_sources(generated: Any) -> tuple[list[Entry], list[tuple[str, list[Entry]]]]:
    """The first generated laptop's entries, and the others' as merge sources."""
    laptops, _ = generated
    dest, *others = laptops
    return (list(dest.entries.values()),
            [(lap.device.name, list(lap.entries.values())) for lap in others])


@settings(max_examples=150, deadline=None)
@given(histories(), st.randoms())
def test_plan_is_the_reference_plan(generated: Any, rnd: Any) -> None:
    dest, sources = destination_and_sources(generated)
    # a source may bring a tampered copy of an entry: it must be refused as before
    if sources and sources[0][1] and rnd.random() < 0.3:
        e = sources[0][1][0]
        name = next(iter(e.changes))
        forged = Entry(**{**e.__dict__, "changes": {name: Change("forged", ())}})
        sources[0] = (sources[0][0], [forged, *sources[0][1][1:]])
    fast = plan_merge(dest, sources)
    slow = reference_plan(dest, sources)
    assert fast.sources == slow.sources
    assert fast.new_entries == slow.new_entries and fast.opened == slow.opened
    assert ordered(fast.states) == ordered(slow.states)


def test_a_known_hash_with_other_content_is_refused() -> None:
    """The destination holds an entry; a source brings one with its hash but other content:
    the source is refused (entries already known are checked too, not trusted by hash)."""
    e = make_entry(device="D1", seq=1, prev="", hlc=HLC(5, 0), author="甲", entity="r1",
                   changes={"points": Change(1, ())})
    for altered in (1.0, True, 2, "1"):
        copy = Entry(**{**e.__dict__, "changes": {"points": Change(altered, ())}})
        plan = plan_merge([e], [("laptop", [copy])])
        assert not plan.sources[0].accepted
        assert [p.kind for p in plan.sources[0].problems] == ["hash"]
    assert plan_merge([e], [("laptop", [e])]).sources[0].accepted


def reference_check_char(payload: str) -> str:
    total, weight = 0, 1
    for ch in payload:
        weight = record_id._gf32_mul(weight, 2)
        total ^= record_id._gf32_mul(record_id._VALUE[ch], weight)
    return record_id.ALPHABET[total]


@given(st.text(alphabet=record_id.ALPHABET, max_size=14))
def test_check_character_table_is_the_gf32_sum(payload: str) -> None:
    assert record_id._check_char(payload) == reference_check_char(payload)
