"""Merging histories: which entries each source brings, and what they change.

The state is a function of the *set* of entries (see core.history), so a merge is a set union.
This module plans it: each source's chains are verified (a source with an altered, missing or
forked entry is rejected whole, never half-imported), its entries not yet known are picked out,
and what they do is counted — new records, updated fields, evidence files needed, and fields
that are in conflict after the union but were not before.

Sources are taken in the order given; each one's figures are relative to the destination plus
the sources before it, so an entry two sources both bring is counted once, for the first.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from inspect_tui.core.history import (
    ChainProblem,
    Entry,
    FieldState,
    fold_entity,
    fold_fields,
    hash_holds,
    plain_order,
    same_json,
    verify_chains,
)
from inspect_tui.core.records import EVIDENCE_PREFIX
from inspect_tui.core.site_files import SITE_FILE_KINDS
from inspect_tui.core.vetting import RECORD_KINDS, Vetted, Vetting, id_derives

FieldKey = tuple[str, str]  # (entity, field name)
State = dict[str, dict[str, FieldState]]
EntryCheck = Callable[[Entry], bool]
SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
SHA256_RE = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class SourceResult:
    """What one source brings; `problems` non-empty means it was rejected whole."""

    name: str
    problems: tuple[ChainProblem, ...] = ()
    new_entries: tuple[Entry, ...] = ()
    new_records: tuple[str, ...] = ()  # record entities that did not exist before
    updated_fields: tuple[FieldKey, ...] = ()  # fields whose current value it changed or set
    evidence: tuple[str, ...] = ()  # sha256 of evidence its new entries attach
    conflicts: tuple[FieldKey, ...] = ()  # fields it put in conflict

    @property
    def accepted(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class MergePlan:
    sources: tuple[SourceResult, ...]
    new_entries: tuple[Entry, ...]  # every accepted new entry, in history order
    opened: tuple[FieldKey, ...]  # conflicts open after the merge that were not before
    states: State = field(default_factory=dict)  # after the merge, of every entity it touches
    # the stored form (`to_doc()`) of new entries, made while checking their hashes
    docs: dict[str, dict[str, Any]] = field(default_factory=dict)

    def union(self, destination: Iterable[Entry]) -> list[Entry]:
        return [*destination, *self.new_entries]

    def open_after(self, destination: Iterable[Entry]) -> set[FieldKey]:
        """Every conflict open after the merge; only untouched entities are folded again."""
        untouched = (e for e in destination if e.entity not in self.states)
        return conflict_keys(fold_fields(untouched)) | conflict_keys(self.states)


def conflict_keys(state: State) -> set[FieldKey]:
    return {(entity, name) for entity, fields in state.items()
            for name, s in fields.items() if s.conflict}


def evidence_of(entries: Iterable[Entry]) -> set[str]:
    """The evidence files these entries attach (a detach, value None, needs no file)."""
    return {name[len(EVIDENCE_PREFIX):] for e in entries for name, c in e.changes.items()
            if name.startswith(EVIDENCE_PREFIX) and c.value is not None}


def site_file_of(e: Entry) -> str | None:
    """The site whose file holds this entry (None: inspection.json holds it)."""
    if e.entity.partition(":")[0] in SITE_FILE_KINDS:
        return e.context["site"]
    return None


def shape_problems(entries: Iterable[Entry], inspection_id: str,
                   known: Mapping[str, Sequence[Entry]] | None = None,
                   id_ok: EntryCheck | None = None) -> list[ChainProblem]:
    """Entries whose entity or context could not have been written by this app.

    Record entries are placed into `sites/<site>.json` by their context, so a site id that is
    not a plain name (or a record id that does not derive from it) must never get that far.
    `known` entries (already in the destination) vouch for their entity's context. `id_ok`:
    `id_derives` as already found (see core.vetting).
    """
    known = known or {}
    derives = id_ok or (lambda e: id_derives(e, inspection_id))
    return [ChainProblem(e.device, e.seq, "shape") for e in entries
            if not _well_formed(e, known.get(e.entity, ()), derives)]


def _well_formed(e: Entry, known: Sequence[Entry], derives: EntryCheck) -> bool:
    if not SAFE_ID.match(e.device):
        return False
    if e.entity == "inspection":
        return True
    kind, _, name = e.entity.partition(":")
    if kind == "site":
        return bool(SAFE_ID.match(name))
    if kind == "visit":  # a site's visit details, in that site's file
        return bool(SAFE_ID.match(name)) and e.context.get("site") == name and not any(
            n.startswith(EVIDENCE_PREFIX) for n in e.changes)
    if kind not in RECORD_KINDS:
        return False
    site, criterion = e.context.get("site", ""), e.context.get("criterion", "")
    if not SAFE_ID.match(site) or not criterion:
        return False
    for n in e.changes:  # (a loop, not any(): no generator made for each entry)
        if n.startswith(EVIDENCE_PREFIX) and not SHA256_RE.match(n[len(EVIDENCE_PREFIX):]):
            return False
    if known and known[0].context == e.context:
        return True
    return derives(e)


class _Index:
    """The entries known so far, by hash, by entity and by chain slot (device, seq)."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        self.by_hash: dict[str, Entry] = {}
        self.by_entity: dict[str, list[Entry]] = defaultdict(list)
        self.slots: dict[tuple[str, int], str] = {}
        self.by_device: dict[str, dict[int, str]] = defaultdict(dict)  # the slots per device
        self.add(entries)

    def add(self, entries: Iterable[Entry]) -> None:
        for e in entries:
            if e.hash not in self.by_hash:
                self.by_hash[e.hash] = e
                self.by_entity[e.entity].append(e)
                self.slots[(e.device, e.seq)] = e.hash
                self.by_device[e.device][e.seq] = e.hash

    def fold(self, entities: Iterable[str]) -> State:
        """fold_fields of these entities' entries, one entity at a time (the same result)."""
        state: State = {}
        for ent in entities:
            if (entries := self.by_entity.get(ent)) and (fields := fold_entity(entries)):
                state[ent] = fields
        return state


def _same(a: FieldState | None, b: FieldState | None) -> bool:
    if a is None or b is None:
        return a is b
    return same_json(a.value, b.value)  # (mostly the same entry's value: `is` decides)


def _changes(before: State, after: State) -> tuple[list[FieldKey], list[FieldKey]]:
    """(fields whose value changed or appeared, fields newly in conflict)."""
    updated: list[FieldKey] = []
    conflicts: list[FieldKey] = []
    for entity in sorted(after):
        fields = after[entity]
        old = before.get(entity)
        if not old:  # a new entity (most of a merge): every field appeared
            names = sorted(fields)
            updated += [(entity, name) for name in names]
            conflicts += [(entity, name) for name in names if fields[name].rivals]
            continue
        for name in sorted(fields):
            state = fields[name]
            if not _same(old.get(name), state):
                updated.append((entity, name))
            if state.rivals and not (name in old and old[name].rivals):
                conflicts.append((entity, name))
    return updated, conflicts


def _opened(before: State, after: State) -> list[FieldKey]:
    """The fields in conflict in `after` that were not in `before` (_changes' second half)."""
    return [(entity, name) for entity in sorted(after) for name in sorted(after[entity])
            if after[entity][name].rivals
            and not ((old := before.get(entity)) and name in old and old[name].rivals)]


def plan_merge(destination: Iterable[Entry], sources: Sequence[tuple[str, Iterable[Entry]]],
               inspection_id: str | None = None,
               vetting: Sequence[Vetting] | None = None) -> MergePlan:
    """Plan the union of `destination` with every acceptable source (nothing is changed).

    With `inspection_id`, entries are also checked for a shape this app writes (see
    `shape_problems`); the store always passes it, property tests on bare entries do not.
    `vetting`, one per source: its entries' hashes and record IDs as another process checked
    them, asked for when the plan reaches the source (None then: checked here).
    """
    index = _Index(destination)
    initial: State = {}  # the state before the merge of every entity it touches
    current: State = {}  # their state after the sources so far
    results: list[SourceResult] = []
    accepted: list[Entry] = []
    docs: dict[str, dict[str, Any]] = {}
    for k, (name, raw) in enumerate(sources):
        entries = list(raw)
        new = list({e.hash: e for e in entries if e.hash not in index.by_hash}.values())
        made: dict[str, dict[str, Any] | None] = dict.fromkeys(e.hash for e in new)
        vetted = vetting[k]() if vetting else None
        problems = _problems(entries, new, index, inspection_id, made, vetted)
        if problems:
            results.append(SourceResult(name, tuple(problems)))
            continue
        affected = sorted({e.entity for e in new})
        initial.update(index.fold(ent for ent in affected if ent not in current))
        before = {ent: current.get(ent, initial.get(ent, {})) for ent in affected}
        index.add(new)
        after = index.fold(affected)
        current.update(after)
        updated, conflicts = _changes(before, after)
        results.append(SourceResult(
            name, (), tuple(sorted(new, key=plain_order)),
            tuple(ent for ent in affected if ent.startswith("record:") and not before[ent]),
            tuple(updated), tuple(sorted(evidence_of(new))), tuple(conflicts)))
        accepted += new
        docs.update((h, doc) for h, doc in made.items() if doc is not None)
    return MergePlan(tuple(results), tuple(sorted(accepted, key=plain_order)),
                     tuple(_opened(initial, current)), current, docs)


def _held_gaps(entries: list[Entry], index: _Index) -> list[Entry]:
    """Known entries in the holes of the source's chains. A copy that restored a backup lacks
    entries it already handed over; where the destination holds them, the chain is whole."""
    top: dict[str, int] = {}
    for e in entries:
        top[e.device] = max(top.get(e.device, 0), e.seq)
    slots = {(e.device, e.seq) for e in entries}
    return [index.by_hash[h] for device, most in top.items()  # only the source's devices
            for seq, h in index.by_device.get(device, {}).items()
            if seq < most and (device, seq) not in slots]


def _problems(entries: list[Entry], new: list[Entry], index: _Index,
              inspection_id: str | None,
              docs: dict[str, dict[str, Any] | None] | None = None,
              vetted: Vetted | None = None) -> list[ChainProblem]:
    """Why a source cannot be merged: its chains, its entries' shape, forks with known chains.
    (`docs`: see verify_chains; `vetted`: the hashes and IDs already checked, see core.vetting.)"""
    held = _held_gaps(entries, index)
    absurd = [ChainProblem(e.device, e.seq, "gap") for e in entries
              if not 1 <= e.seq <= len(entries) + len(held)]  # a complete chain numbers 1..n
    if absurd:
        return absurd  # (and verify_chains would walk up to an absurd seq)
    if vetted is not None and not vetted.about(entries):
        vetted = None  # not an answer about this list: checked here
    hash_ok, id_ok = _vetted_checks(entries, held, vetted) if vetted else (None, None)
    problems = verify_chains([*entries, *held], docs, hash_ok)
    if inspection_id is not None:  # entries already known are not imported: only new ones
        problems += shape_problems(new, inspection_id, index.by_entity, id_ok)
    problems += [ChainProblem(e.device, e.seq, "fork") for e in new
                 if index.slots.get((e.device, e.seq), e.hash) != e.hash]
    return problems


def _vetted_checks(entries: list[Entry], held: list[Entry],
                   vetted: Vetted) -> tuple[EntryCheck, EntryCheck]:
    """`hash_holds` and `id_derives` of the source's entries as `vetted` found them (the held
    entries, the destination's own, are checked here as before)."""
    bad_hashes = {id(entries[i]) for i in vetted.bad_hashes}
    bad_ids = {id(entries[i]) for i in vetted.bad_ids}
    held_ids = {id(e) for e in held}

    def hash_ok(e: Entry) -> bool:
        return hash_holds(e) if id(e) in held_ids else id(e) not in bad_hashes

    return hash_ok, lambda e: id(e) not in bad_ids
