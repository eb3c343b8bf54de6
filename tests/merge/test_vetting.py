"""A merge's per-entry checks made by another process (core.vetting) give the plan the checks
made in-process would: the same problems, entries and states — and an answer is used, not only
computed; one about another list is not."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from inspect_tui.core.history import Change, Entry, make_entry
from inspect_tui.core.hlc import HLC
from inspect_tui.core.merge import MergePlan, plan_merge
from inspect_tui.core.record_id import make_record_id
from inspect_tui.core.vetting import Vetted, id_derives, vet
from tests.merge.test_fast_paths import destination_and_sources, ordered
from tests.merge.test_properties import histories

INSPECTION = "insp-1"


def same_plan(a: MergePlan, b: MergePlan) -> None:
    assert a.sources == b.sources
    assert a.new_entries == b.new_entries and a.opened == b.opened
    assert ordered(a.states) == ordered(b.states)


def forged(e: Entry, value: object = "forged") -> Entry:
    name = next(iter(e.changes))
    return Entry(**{**e.__dict__, "changes": {**e.changes, name: Change(value, ())}})


@settings(max_examples=150, deadline=None)
@given(histories(), st.randoms())
def test_a_plan_with_answers_is_the_plan_without(generated: Any, rnd: Any) -> None:
    dest, sources = destination_and_sources(generated)
    for k, (name, got) in enumerate(sources):  # tampered copies, as a source may bring
        if got and rnd.random() < 0.3:
            i = rnd.randrange(len(got))
            sources[k] = (name, [*got[:i], forged(got[i]), *got[i + 1:]])
    # some answers in, some not yet (None: the plan checks that source itself)
    answers = [vet(got, INSPECTION) if rnd.random() < 0.7 else None for _, got in sources]
    here = plan_merge(dest, sources)
    there = plan_merge(dest, sources, None,
                       [lambda a=a: a for a in answers])  # type: ignore[misc]
    same_plan(here, there)


def record_entry(seq: int, prev: str, site: str, criterion: str, rid: str | None = None) -> Entry:
    return make_entry(device="D1", seq=seq, prev=prev, hlc=HLC(seq, 0), author="甲",
                      entity=f"record:{rid or make_record_id(INSPECTION, site, criterion)}",
                      changes={"points": Change(seq, ())},
                      context={"site": site, "criterion": criterion})


def chain(*specs: tuple[str, str, str | None]) -> list[Entry]:
    made: list[Entry] = []
    for site, criterion, rid in specs:
        made.append(record_entry(len(made) + 1, made[-1].hash if made else "", site, criterion,
                                 rid))
    return made


def test_vet_names_the_entries_whose_hash_or_record_id_fails() -> None:
    good = chain(("S1", "1.1", None), ("S1", "1.2", None), ("S2", "1.1", None))
    other = make_record_id(INSPECTION, "S9", "1.1")
    wrong_id = chain(("S1", "1.1", None), ("S1", "1.2", other))
    assert vet(good, INSPECTION) == Vetted(3)
    assert vet([good[0], forged(good[1]), good[2]], INSPECTION) == Vetted(3, (1,), ())
    assert vet(wrong_id, INSPECTION) == Vetted(2, (), (1,))
    assert not id_derives(wrong_id[1], INSPECTION) and id_derives(good[1], INSPECTION)
    site = make_entry(device="D1", seq=1, prev="", hlc=HLC(1, 0), author="甲", entity="site:S1",
                      changes={"name": Change("马涧镇", ())})
    assert id_derives(site, INSPECTION)  # no record ID to derive


def test_the_plan_refuses_what_an_answer_finds_and_the_same_as_it_finds_itself() -> None:
    good = chain(("S1", "1.1", None), ("S1", "1.2", None))
    bad_id = chain(("S1", "1.1", None), ("S1", "1.2", make_record_id(INSPECTION, "S9", "1")))
    for entries in (bad_id, [good[0], forged(good[1])]):
        here = plan_merge([], [("laptop", entries)], INSPECTION)
        there = plan_merge([], [("laptop", entries)], INSPECTION,
                           [lambda e=entries: vet(e, INSPECTION)])  # type: ignore[misc]
        assert not here.sources[0].accepted
        same_plan(here, there)
    # the answer is what decides when it is in: one naming a good entry refuses the source …
    said_bad = plan_merge([], [("laptop", good)], INSPECTION, [lambda: Vetted(2, (1,), ())])
    assert [(p.seq, p.kind) for p in said_bad.sources[0].problems] == [(2, "hash")]
    said_bad = plan_merge([], [("laptop", good)], INSPECTION, [lambda: Vetted(2, (), (0,))])
    assert [(p.seq, p.kind) for p in said_bad.sources[0].problems] == [(1, "shape")]
    # … but an answer about a list of another length is not used: checked here instead …
    tampered = [good[0], forged(good[1])]
    ignored = plan_merge([], [("laptop", tampered)], INSPECTION, [lambda: Vetted(3)])
    assert [(p.seq, p.kind) for p in ignored.sources[0].problems] == [(2, "hash")]
    assert plan_merge([], [("laptop", good)], INSPECTION, [lambda: Vetted(2)]).sources[0].accepted
    # … nor one naming a place the list does not have (the merge goes on, checked here)
    for outside in (Vetted(2, (2,), ()), Vetted(2, (), (-1,))):
        plan = plan_merge([], [("laptop", tampered)], INSPECTION, [lambda v=outside: v])  # type: ignore[misc]
        assert [(p.seq, p.kind) for p in plan.sources[0].problems] == [(2, "hash")]
