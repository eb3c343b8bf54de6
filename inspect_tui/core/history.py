"""The change history: hash-chained entries per device, and the fold that gives current values.

Every change is an `Entry`: who (author, device), when (HLC), which entity (a record, a site, the
inspection) and which fields got which values. Each field change names its *parents*: the
entries whose value for that field the author saw when writing. So the history of one field
is a small DAG, and

- the current value is the value of the field's *heads* (entries no later entry built on);
- two heads with different values are a **conflict**: concurrent edits, neither seeing the other;
- a resolution is an entry whose parents are all those heads.

The state is a function of the *set* of entries, so merging histories is a set union:
commutative, associative and idempotent by construction.

Each device's entries form a chain (seq 1, 2, …, each holding the hash of the previous one),
so editing or deleting a past entry is detectable, and one digest commits to everything.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from inspect_tui.core.fastjson import fast_bytes
from inspect_tui.core.hlc import HLC
from inspect_tui.core.i18n import t

JSONValue = Any


def canonical_json(value: Any) -> bytes:
    """Deterministic JSON bytes: sorted keys, no spaces, UTF-8 (same data, same bytes)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


# Values that cannot hold a NaN, and are written alike exactly when equal and of one type
_SCALARS = frozenset({str, int, bool, type(None)})


def same_json(a: Any, b: Any) -> bool:
    """`canonical_json(a) == canonical_json(b)`, faster (raises where it raises).

    Two plain values (str, int, bool, None) compare directly: 1 and True are written
    differently, so another type is a difference. Else orjson's bytes, which are alike exactly
    when json's are, unless either cannot be trusted (see fastjson.fast_bytes): json decides.
    """
    if a is b:
        return True
    ta, tb = type(a), type(b)
    if ta in _SCALARS and tb in _SCALARS:
        return ta is tb and a == b
    fa, fb = fast_bytes(a, sort_keys=True), fast_bytes(b, sort_keys=True)
    if fa is not None and fb is not None:
        return fa == fb
    return canonical_json(a) == canonical_json(b)


@dataclass(frozen=True)
class Change:
    value: JSONValue
    parents: tuple[str, ...] = ()


@dataclass(frozen=True)
class Entry:
    device: str
    seq: int
    prev: str  # hash of this device's previous entry ("" for the first)
    hlc: HLC
    author: str
    entity: str  # "record:<id>", "site:<id>" or "inspection"
    changes: Mapping[str, Change]
    context: Mapping[str, str] = field(default_factory=dict)  # e.g. site/criterion of a record
    hash: str = ""

    def body(self) -> dict[str, Any]:
        hlc = self.hlc  # (its encode() written out, and [*p]: no calls for ~20,000 entries)
        return {
            "device": self.device, "seq": self.seq, "prev": self.prev,
            "hlc": [hlc.wall, hlc.counter],
            "author": self.author, "entity": self.entity, "context": dict(self.context),
            "changes": {k: {"v": c.value, "p": [*c.parents] if len(c.parents) < 2
                                else sorted(c.parents)}  # (most have none: no sort to call)
                        for k, c in self.changes.items()},
        }

    def computed_hash(self) -> str:
        return hashlib.sha256(canonical_json(self.body())).hexdigest()

    def to_doc(self) -> dict[str, Any]:
        return {**self.body(), "hash": self.hash}

    @property
    def order_key(self) -> tuple[HLC, str, int]:
        """Total order of the history: HLC, tie broken by device id (then seq)."""
        return (self.hlc, self.device, self.seq)


class MalformedEntry(ValueError):
    pass


def entry_from_doc(doc: Mapping[str, Any]) -> Entry:
    """Rebuild an entry from its stored form; MalformedEntry if the shape is wrong."""
    # Built as Entry(...) and Change(...) would build them, field by field into the instance
    # dict, without the frozen dataclass __init__ (one object.__setattr__ per field): a merge
    # reads ~20,000 entries. Tests compare the results with the constructors'.
    try:
        changes: dict[str, Change] = {}
        odd = False  # a value that may hold a NaN or infinity (checked once the shape is known)
        stored = doc["changes"]
        for k, c in (stored if type(stored) is dict else dict(stored)).items():
            change = _new(Change)
            fields = change.__dict__
            fields["value"] = value = c["v"]
            parents = c["p"]
            # (most have none: the empty tuple without a map to build)
            fields["parents"] = () if type(parents) is list and not parents else tuple(
                map(str, parents))
            changes[k if type(k) is str else str(k)] = change
            if type(value) not in _SCALARS and not (type(value) is float and _isfinite(value)) \
                    and not (type(value) is list and _all_text(value)):
                odd = True  # a dict, a float not finite, a list of more than text
        entry = _new(Entry)
        fields = entry.__dict__
        fields["device"] = str(doc["device"])
        fields["seq"] = int(doc["seq"])
        fields["prev"] = str(doc["prev"])
        fields["hlc"] = _hlc(doc["hlc"])
        fields["author"] = str(doc["author"])
        fields["entity"] = str(doc["entity"])
        fields["changes"] = changes
        context = doc["context"]
        fields["context"] = {str(k): str(v) for k, v in (
            context if type(context) is dict else dict(context)).items()}
        fields["hash"] = str(doc["hash"])
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as exc:
        raise MalformedEntry(f"malformed history entry: {exc}") from None
    if odd:
        for name, change in changes.items():
            # Python's json reads NaN, Infinity and 1e999; such an entry cannot be hashed again
            if not _finite(change.value):
                bad = non_finite_at(change.value, f"changes.{name}")
                raise MalformedEntry(t("inputs.history_not_finite", field=bad))
    return entry


def _hlc(raw: Any) -> HLC:
    """HLC.decode(raw), without the frozen dataclass __init__ for the usual [wall, counter]."""
    if type(raw) is list and len(raw) == 2:
        wall, counter = raw
        if type(wall) is int and type(counter) is int and wall >= 0 and counter >= 0:
            hlc = _new(HLC)
            fields = hlc.__dict__
            fields["wall"] = wall
            fields["counter"] = counter
            return hlc
    return HLC.decode(raw)


_new = object.__new__
_isfinite = math.isfinite


def _all_text(items: list[Any]) -> bool:
    """Every item is text (e.g. the verification methods ticked): no NaN can hide in it."""
    for item in items:  # noqa: SIM110  (a loop, not all(): no generator made per entry)
        if type(item) is not str:
            return False
    return True


def _finite(value: Any) -> bool:
    """`non_finite_at(value, …) is None`, without building the paths on the way."""
    try:
        return _all_finite(value)
    except RecursionError:  # nested ~1,000 deep (orjson reads that deep): no entry of this app
        raise MalformedEntry("malformed history entry: nested too deeply") from None


def _all_finite(value: Any) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, dict):
        return all(map(_all_finite, value.values()))
    if isinstance(value, list):
        return all(map(_all_finite, value))
    return True


def non_finite_at(value: Any, where: str) -> str | None:
    """Where in `value` (JSON-shaped) a NaN or infinity sits, or None if it has none."""
    if isinstance(value, float) and not math.isfinite(value):
        return f"{where} = {value}"
    if isinstance(value, dict):
        items: Iterable[tuple[Any, Any]] = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        if found := non_finite_at(item, f"{where}.{key}"):
            return found
    return None


def make_entry(*, device: str, seq: int, prev: str, hlc: HLC, author: str, entity: str,
               changes: Mapping[str, Change], context: Mapping[str, str] | None = None) -> Entry:
    draft = Entry(device, seq, prev, hlc, author, entity, dict(changes), dict(context or {}))
    return Entry(draft.device, draft.seq, draft.prev, draft.hlc, draft.author, draft.entity,
                 draft.changes, draft.context, draft.computed_hash())


# ---- chains -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class ChainProblem:
    device: str
    seq: int
    kind: str  # "hash" (entry altered), "gap" (entry missing), "link" (prev wrong), "fork"


def verify_chains(entries: Iterable[Entry],
                  docs: dict[str, dict[str, Any] | None] | None = None,
                  hash_ok: Callable[[Entry], bool] | None = None) -> list[ChainProblem]:
    """Check every device's chain: hashes recompute, seqs run 1..n, each links to the previous.

    `docs`: hashes whose stored form is wanted; each is set to `e.to_doc()` of the (last) entry
    with that hash whose hash holds, as made to check it (a merge writes it, not made again).
    `hash_ok`: `hash_holds` as already found elsewhere (core.vetting); then no docs are made.
    """
    by_device: dict[str, dict[int, Entry]] = {}  # the first entry in each slot
    twice: dict[tuple[str, int], set[str]] = {}  # the hashes in a slot held more than once
    problems: list[ChainProblem] = []
    wanted = docs if docs is not None else {}
    for e in entries:
        if hash_ok is not None:
            if not hash_ok(e):
                problems.append(ChainProblem(e.device, e.seq, "hash"))
        elif (body := _checked_body(e)) is None:
            problems.append(ChainProblem(e.device, e.seq, "hash"))
        elif e.hash in wanted:
            body["hash"] = e.hash  # the body with its hash: to_doc(), the same keys in order
            wanted[e.hash] = body
        if (seqs := by_device.get(e.device)) is None:
            seqs = by_device[e.device] = {}
        if (first := seqs.setdefault(e.seq, e)) is not e:
            twice.setdefault((e.device, e.seq), {first.hash}).add(e.hash)
    for device, seqs in by_device.items():
        problems += [ChainProblem(device, seq, "fork")
                     for seq in sorted(seq for d, seq in twice if d == device)
                     if len(twice[(device, seq)]) > 1]
        expected_prev = ""
        for seq in range(1, max(seqs) + 1):
            if (slot := seqs.get(seq)) is None:
                problems.append(ChainProblem(device, seq, "gap"))
                expected_prev = ""
                continue
            if (expected_prev and slot.prev != expected_prev) or (seq == 1 and slot.prev != ""):
                problems.append(ChainProblem(device, seq, "link"))
            expected_prev = slot.hash
    return problems


def hash_holds(e: Entry) -> bool:
    """`e.computed_hash() == e.hash` (False where the body cannot be hashed), faster.

    orjson's bytes of the body are tried first: if they hash to `e.hash` they are the bytes
    canonical_json gave when the hash was made (else SHA-256 has a collision). Where they do not
    (a float orjson writes otherwise, a tampered entry) canonical_json decides, as it always did.
    """
    return _checked_body(e) is not None


def _checked_body(e: Entry) -> dict[str, Any] | None:
    """`e.body()` if `hash_holds(e)`, else None."""
    body = e.body()
    fast = fast_bytes(body, sort_keys=True)
    if fast is not None and hashlib.sha256(fast).hexdigest() == e.hash:
        return body
    try:
        return body if hashlib.sha256(canonical_json(body)).hexdigest() == e.hash else None
    except ValueError:  # NaN or Infinity edited into a value: no honest entry holds one
        return None


def history_digest(entries: Iterable[Entry]) -> str:
    """One SHA-256 committing to the whole history (order-independent: sorted by hash)."""
    h = hashlib.sha256()
    for entry_hash in sorted({e.hash for e in entries}):
        h.update(bytes.fromhex(entry_hash))
    return h.hexdigest()


# ---- fold -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FieldState:
    value: JSONValue
    heads: tuple[str, ...]  # hashes of the entries holding the current value(s)
    winner: Entry  # the head that wins the total order (shown while in conflict)
    rivals: tuple[Entry, ...] = ()  # other heads with a different value: a conflict

    @property
    def conflict(self) -> bool:
        return bool(self.rivals)


def fold_fields(entries: Iterable[Entry]) -> dict[str, dict[str, FieldState]]:
    """Current state of every entity: entity -> field -> FieldState (entities and fields in
    the order they first appear; an entity none of whose entries changes a field is left out)."""
    by_entity: dict[str, list[Entry]] = {}
    for e in entries:
        if e.changes:
            if (group := by_entity.get(e.entity)) is None:
                by_entity[e.entity] = [e]
            else:
                group.append(e)
    return {entity: fold_entity(group) for entity, group in by_entity.items()}


def fold_entity(entries: Sequence[Entry]) -> dict[str, FieldState]:
    """The fields of one entity, from its entries ({} if none changes a field)."""
    if len(entries) == 1:  # the common case: each field set once has that one head
        only = entries[0]
        heads = (only.hash,)
        return {name: _state(c.value, heads, only) for name, c in only.changes.items()}
    touching: dict[str, list[Entry]] = {}
    for e in entries:
        for name in e.changes:
            if (group := touching.get(name)) is None:
                touching[name] = [e]
            else:
                group.append(e)
    return {name: _fold_field(name, group) for name, group in touching.items()}


def _fold_field(name: str, group: list[Entry]) -> FieldState:
    if len(group) == 1:
        only = group[0]
        return _state(only.changes[name].value, (only.hash,), only)
    unique = {e.hash: e for e in group}
    superseded = {p for e in unique.values() for p in e.changes[name].parents}
    heads = sorted((e for h, e in unique.items() if h not in superseded),
                   key=plain_order)
    if not heads:  # a parent cycle cannot come from honest writers; fall back to order
        heads = [max(unique.values(), key=plain_order)]
    winner = heads[-1]
    value = winner.changes[name].value
    rivals = tuple(e for e in heads[:-1] if not same_json(e.changes[name].value, value))
    return FieldState(value, tuple(sorted(e.hash for e in heads)), winner, rivals)


def plain_order(e: Entry) -> tuple[int, int, str, int]:
    """`e.order_key` as plain numbers and text: the same order, sorted ~3× faster (no HLC
    objects compared: a field edited on many laptops has many heads, sorted again as each
    source of a merge is folded)."""
    return (e.hlc.wall, e.hlc.counter, e.device, e.seq)


def _state(value: JSONValue, heads: tuple[str, ...], winner: Entry) -> FieldState:
    """FieldState(value, heads, winner) without the frozen dataclass __init__ (one
    object.__setattr__ per field): a merge folds one per field of ~20,000 entries."""
    state = _new(FieldState)
    fields = state.__dict__
    fields["value"] = value
    fields["heads"] = heads
    fields["winner"] = winner
    fields["rivals"] = ()
    return state
