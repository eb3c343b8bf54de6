"""History core: HLC order, hash chains, and the fold (heads, conflicts, resolutions)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from inspect_tui.core.history import (
    Change,
    Entry,
    fold_fields,
    history_digest,
    make_entry,
    verify_chains,
)
from inspect_tui.core.hlc import HLC, ZERO, observe, tick


def test_tick_is_monotonic_even_when_the_wall_clock_goes_back() -> None:
    a = tick(ZERO, 1_000)
    b = tick(a, 500)  # clock set back
    c = tick(b, 500)
    assert a < b < c and b.wall == 1_000


def test_observe_orders_after_what_was_seen() -> None:
    mine = tick(ZERO, 100)
    seen = HLC(5_000, 3)
    assert tick(observe(mine, seen), 200) > seen


@given(st.lists(st.integers(0, 10_000), min_size=1, max_size=50))
def test_tick_strictly_increases_for_any_wall_clock(walls: list[int]) -> None:
    clock = ZERO
    for wall in walls:
        nxt = tick(clock, wall)
        assert nxt > clock
        clock = nxt


class Device:
    """A simulated laptop writing entries."""

    def __init__(self, name: str) -> None:
        self.name, self.seq, self.prev, self.clock = name, 0, "", ZERO

    def write(self, entity: str, field: str, value: object, parents: tuple[str, ...] = (),
              now: int = 1) -> Entry:
        self.clock = tick(self.clock, now)
        self.seq += 1
        e = make_entry(device=self.name, seq=self.seq, prev=self.prev, hlc=self.clock,
                       author=self.name, entity=entity, changes={field: Change(value, parents)})
        self.prev = e.hash
        return e


def test_chain_detects_edit_gap_and_fork() -> None:
    d = Device("A")
    entries = [d.write("r", "points", p) for p in (1, 2, 3)]
    assert verify_chains(entries) == []
    edited = Entry(**{**entries[1].__dict__, "changes": {"points": Change(9)}})
    assert [p.kind for p in verify_chains([entries[0], edited, entries[2]])] == ["hash"]
    assert [p.kind for p in verify_chains([entries[0], entries[2]])] == ["gap"]
    twin = Device("A").write("r", "points", 7)
    assert "fork" in [p.kind for p in verify_chains([entries[0], twin])]


def test_sequential_edits_have_one_head() -> None:
    a = Device("A")
    e1 = a.write("r", "points", 1)
    e2 = a.write("r", "points", 2, (e1.hash,))
    state = fold_fields([e1, e2])["r"]["points"]
    assert state.value == 2 and not state.conflict and state.heads == (e2.hash,)


def test_concurrent_different_values_conflict_and_resolution_settles_it() -> None:
    a, b = Device("A"), Device("B")
    base = a.write("r", "points", 1)
    ea = a.write("r", "points", 3, (base.hash,), now=10)
    eb = b.write("r", "points", 4, (base.hash,), now=20)
    state = fold_fields([base, ea, eb])["r"]["points"]
    assert state.conflict and state.value == 4 and state.rivals == (ea,)
    fix = a.write("r", "points", 3.5, tuple(sorted((ea.hash, eb.hash))), now=30)
    settled = fold_fields([base, ea, eb, fix])["r"]["points"]
    assert settled.value == 3.5 and not settled.conflict


def test_concurrent_equal_values_do_not_conflict() -> None:
    a, b = Device("A"), Device("B")
    ea, eb = a.write("r", "notes", "同"), b.write("r", "notes", "同")
    assert not fold_fields([ea, eb])["r"]["notes"].conflict


def test_fold_and_digest_ignore_order_and_duplicates() -> None:
    a, b = Device("A"), Device("B")
    es = [a.write("r", "points", 1), b.write("r", "points", 2), a.write("s", "name", "x")]
    shuffled = [es[2], es[0], es[1], es[0]]
    assert fold_fields(es) == fold_fields(shuffled)
    assert history_digest(es) == history_digest(shuffled)
    assert history_digest(es) != history_digest(es[:2])
