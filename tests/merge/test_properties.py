"""Merge semantics on generated histories: 2–5 laptops editing and syncing at random.

The oracle for conflicts does not look at parent links: it uses what each writer *knew* when
writing (tracked by the simulation). A field is in conflict exactly when the edits no other
writer of that field knew about hold different values.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from hypothesis import given, settings
from hypothesis import strategies as st

from inspect_tui.core.history import Change, Entry, canonical_json, fold_fields
from inspect_tui.core.hlc import observe
from inspect_tui.core.merge import FieldKey, plan_merge
from tests.test_history import Device

ENTITIES = ("r1", "s1")
FIELDS = ("points", "notes")


@dataclass
class Laptop:
    device: Device
    skew: int
    entries: dict[str, Entry] = field(default_factory=dict)

    def edit(self, step: int, entity: str, name: str, value: int,
             known: dict[str, frozenset[str]]) -> None:
        state = fold_fields(self.entries.values()).get(entity, {}).get(name)
        e = self.device.write(entity, name, value, state.heads if state else (),
                              now=step * 10 + self.skew)
        known[e.hash] = frozenset(self.entries)
        self.entries[e.hash] = e

    def receive(self, other: Laptop) -> None:
        plan = plan_merge(self.entries.values(), [(other.device.name, other.entries.values())])
        assert all(s.accepted for s in plan.sources)
        self.entries.update((e.hash, e) for e in plan.new_entries)
        for e in plan.new_entries:
            self.device.clock = observe(self.device.clock, e.hlc)


edit_op = st.tuples(st.just("edit"), st.integers(0, 4), st.sampled_from(ENTITIES),
                    st.sampled_from(FIELDS), st.integers(0, 2))
sync_op = st.tuples(st.just("sync"), st.integers(0, 4), st.integers(0, 4))


@st.composite
def histories(draw: st.DrawFn) -> tuple[list[Laptop], dict[str, frozenset[str]]]:
    n = draw(st.integers(2, 5))
    laptops = [Laptop(Device(f"D{i}"), draw(st.integers(0, 25))) for i in range(n)]
    known: dict[str, frozenset[str]] = {}
    for step, op in enumerate(draw(st.lists(st.one_of(edit_op, sync_op), min_size=4, max_size=40))):
        if op[0] == "edit":
            laptops[op[1] % n].edit(step, op[2], op[3], op[4], known)
        elif op[1] % n != op[2] % n:
            laptops[op[1] % n].receive(laptops[op[2] % n])
    return laptops, known


def union(dest: Iterable[Entry], *sources: Iterable[Entry]) -> list[Entry]:
    dest = list(dest)
    return plan_merge(dest, [(str(i), s) for i, s in enumerate(sources)]).union(dest)


def hashes(entries: Iterable[Entry]) -> frozenset[str]:
    return frozenset(e.hash for e in entries)


def oracle_conflicts(entries: Sequence[Entry], known: dict[str, frozenset[str]]) -> set[FieldKey]:
    found = set()
    for entity in ENTITIES:
        for name in FIELDS:
            edits = [e for e in entries if e.entity == entity and name in e.changes]
            unseen = [e for e in edits
                      if not any(e.hash in known[o.hash] for o in edits if o is not e)]
            if len({canonical_json(e.changes[name].value) for e in unseen}) > 1:
                found.add((entity, name))
    return found


def fold_conflicts(entries: Iterable[Entry]) -> set[FieldKey]:
    return {(ent, name) for ent, fields in fold_fields(entries).items()
            for name, s in fields.items() if s.conflict}


@settings(max_examples=150, deadline=None)
@given(histories())
def test_merge_order_does_not_matter(sim: tuple[list[Laptop], dict[str, frozenset[str]]]) -> None:
    laptops, _ = sim
    dest, *sources = [list(lap.entries.values()) for lap in laptops]
    forward = plan_merge(dest, [(str(i), s) for i, s in enumerate(sources)])
    backward = plan_merge(dest, [(str(i), s) for i, s in reversed(list(enumerate(sources)))])
    assert hashes(forward.new_entries) == hashes(backward.new_entries)
    assert fold_fields(forward.union(dest)) == fold_fields(backward.union(dest))
    assert set(forward.opened) == set(backward.opened)


@settings(max_examples=150, deadline=None)
@given(histories())
def test_merge_is_associative(sim: tuple[list[Laptop], dict[str, frozenset[str]]]) -> None:
    laptops, _ = sim
    a, b, *rest = [list(lap.entries.values()) for lap in laptops]
    c = rest[0] if rest else a
    left, right = union(union(a, b), c), union(a, union(b, c))
    assert hashes(left) == hashes(right)
    assert fold_fields(left) == fold_fields(right)


@settings(max_examples=150, deadline=None)
@given(histories())
def test_merge_is_idempotent_and_loses_nothing(
        sim: tuple[list[Laptop], dict[str, frozenset[str]]]) -> None:
    laptops, _ = sim
    all_entries = [list(lap.entries.values()) for lap in laptops]
    merged = union(*all_entries)
    for entries in all_entries:
        assert hashes(entries) <= hashes(merged)
    assert len(merged) == len(hashes(merged))  # no entry twice
    again = plan_merge(merged, [(str(i), s) for i, s in enumerate(all_entries)])
    assert again.new_entries == () and again.opened == ()
    assert all(s.new_entries == s.updated_fields == s.conflicts == () for s in again.sources)
    twice = plan_merge(all_entries[0], [("a", all_entries[1]), ("b", all_entries[1])])
    assert twice.sources[1].new_entries == ()


@settings(max_examples=200, deadline=None)
@given(histories())
def test_conflicts_exactly_when_concurrent_and_different(
        sim: tuple[list[Laptop], dict[str, frozenset[str]]]) -> None:
    laptops, known = sim
    views = [list(lap.entries.values()) for lap in laptops]
    merged = union(*views)
    for entries in [*views, merged]:
        assert fold_conflicts(entries) == oracle_conflicts(entries, known)
    plan = plan_merge(views[0], [(str(i), s) for i, s in enumerate(views[1:])])
    assert set(plan.opened) == (oracle_conflicts(merged, known)
                                - oracle_conflicts(views[0], known))
    assert plan.open_after(views[0]) == oracle_conflicts(merged, known)


def test_per_source_figures() -> None:
    a, b = Device("DA"), Device("DB")
    base = a.write("record:x", "points", 1)
    ours = a.write("record:x", "points", 2, (base.hash,), now=10)
    theirs = [base, b.write("record:x", "points", 3, (base.hash,), now=20),
              b.write("record:y", "notes", "新", now=21)]
    plan = plan_merge([base, ours], [("B", theirs), ("B again", theirs)])
    first, second = plan.sources
    assert first.new_records == ("record:y",) and first.conflicts == (("record:x", "points"),)
    assert set(first.updated_fields) == {("record:x", "points"), ("record:y", "notes")}
    assert second.new_entries == () and plan.opened == (("record:x", "points"),)


def test_a_source_with_a_broken_chain_is_rejected_whole() -> None:
    a, b = Device("DA"), Device("DB")
    dest = [a.write("record:x", "points", 1)]
    good = [b.write("record:x", "notes", "一"), b.write("record:y", "notes", "二")]
    altered = Entry(**{**good[1].__dict__, "changes": {"notes": Change("改")}})
    plan = plan_merge(dest, [("bad", [good[0], altered]), ("gap", good[1:])])
    assert [p.kind for s in plan.sources for p in s.problems] == ["hash", "gap"]
    assert plan.new_entries == ()


def test_a_source_forking_a_known_chain_is_rejected() -> None:
    dest = [Device("DA").write("record:x", "points", 1)]
    twin = [Device("DA").write("record:x", "points", 2)]  # another copy reusing the device id
    plan = plan_merge(dest, [("twin", twin)])
    assert [p.kind for p in plan.sources[0].problems] == ["fork"]


def test_an_absurd_sequence_number_is_rejected_without_walking_to_it() -> None:
    e = Device("DA").write("record:x", "points", 1)
    forged = Entry(**{**e.__dict__, "seq": 10**15})
    plan = plan_merge([], [("forged", [forged])])
    assert [p.kind for p in plan.sources[0].problems] == ["gap"]
