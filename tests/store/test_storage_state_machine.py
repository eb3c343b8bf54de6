"""A state machine over DurableStorage: memory never claims what the disk does not hold.

Random inserts, updates (by fields and by transform) and removes go through real TinyDB (with
the table class DBFile uses, DurableTinyDB) on a real file, mixed with writes that fail in every
way we know: a full disk before the rename (fsync, link, replace), a failure after the rename
(the data landed), values JSON cannot hold (a set, NaN, a lone surrogate, a tuple key), an update
transform that raises halfway, batches that raise, fail at their write, or catch a failed
operation inside, and reopening. After every step: what a fresh open reads from disk equals what
the open storage holds, and both equal a simple model of the operations that succeeded.

CI runs a bounded budget; INSPECT_TUI_FUZZ_SCALE=50 hunts longer (see tests/fuzz/budget.py).
"""

from __future__ import annotations

import contextlib
import copy
import errno
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from unittest import mock

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from inspect_tui.store import durable_storage
from inspect_tui.store.durable_storage import DurableStorage, DurableTinyDB, UnsavableValue
from inspect_tui.store.errors import WriteFailed
from tests.fuzz.budget import fuzz

TABLES = ("_default", "t")
Doc = dict[str, Any]

leaf = (st.none() | st.booleans() | st.integers(-10**9, 10**9)
        | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=6))
values = st.recursive(leaf, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(st.text(max_size=3), inner, max_size=3), max_leaves=8)
keys = st.sampled_from(["a", "b", "list", "map"]) | st.text(max_size=3)
docs = st.dictionaries(keys, values, max_size=4)
BAD_VALUES: dict[str, Callable[[], Any]] = {  # by name: shrunk examples print readably
    "set": lambda: {1, 2}, "object": object, "lone surrogate": lambda: "坏\udcff",
    "nan": lambda: float("nan"), "-inf": lambda: float("-inf"), "bytes": lambda: b"bytes",
    "int of 5,000 digits": lambda: 10**5000,
}
bad_values = st.sampled_from(sorted(BAD_VALUES)).map(lambda name: BAD_VALUES[name]())
tables = st.sampled_from(TABLES)


class Halfway(Exception):
    """An update transform failing after it changed part of the data."""


class Abandon(Exception):
    """A batch block that raises."""


def _round_trip(value: Any) -> Any:
    return json.loads(json.dumps(value))


def _mutate(doc: Doc, marker: int) -> None:
    """Change a document at the top and, in place, inside its nested lists and dicts."""
    doc["touched"] = marker
    for value in doc.values():
        if isinstance(value, list):
            value.append(marker)
        elif isinstance(value, dict):
            value["touched"] = marker


def _with_bad(doc: Doc, bad: Any, nested: bool) -> dict[Any, Any]:
    out: dict[Any, Any] = dict(doc)
    if isinstance(bad, str) and nested:
        out[bad] = 1  # a lone surrogate as a key
    elif nested:
        out["deep"] = {"list": [1, bad]}
    else:
        out["bad"] = bad
    return out


def _fail(err: int) -> Callable[..., Any]:
    def raiser(*args: Any, **kwargs: Any) -> Any:
        raise OSError(err, os.strerror(err))

    return raiser


class StorageMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="storage-sm-"))
        self.path = self.folder / "db.json"
        self.db = DurableTinyDB(str(self.path), storage=DurableStorage)
        self.model: dict[str, dict[int, Doc]] = {name: {} for name in TABLES}

    def teardown(self) -> None:
        self.db.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    # ---- helpers --------------------------------------------------------------------------

    @property
    def storage(self) -> DurableStorage:
        storage = self.db.storage
        assert isinstance(storage, DurableStorage)
        return storage

    def _ids(self, data: st.DataObject, table: str) -> list[int]:
        return data.draw(st.lists(st.sampled_from(sorted(self.model[table])), min_size=1,
                                  max_size=3, unique=True))

    def _apply(self, model: dict[str, dict[int, Doc]], op: tuple[Any, ...]) -> None:
        """Run one good operation through TinyDB and on `model`."""
        kind, table = op[0], op[1]
        if kind == "insert":
            doc_id = self.db.table(table).insert(op[2])
            model[table][doc_id] = _round_trip(op[2])
        elif kind == "update":
            self.db.table(table).update(op[2], doc_ids=op[3])
            for doc_id in op[3]:
                model[table][doc_id].update(_round_trip(op[2]))
        elif kind == "transform":
            self.db.table(table).update(lambda doc: _mutate(doc, op[2]), doc_ids=op[3])
            for doc_id in op[3]:
                _mutate(model[table][doc_id], op[2])
        elif kind == "remove":
            self.db.table(table).remove(doc_ids=op[2])
            for doc_id in op[2]:
                del model[table][doc_id]

    def _halfway(self, table: str, ids: list[int], fail_on: int) -> None:
        seen = []

        def transform(doc: Doc) -> None:
            seen.append(1)
            _mutate(doc, 7)
            if len(seen) == fail_on:
                raise Halfway

        with contextlib.suppress(Halfway):
            self.db.table(table).update(transform, doc_ids=ids)
            raise AssertionError("the transform should have raised")

    # ---- operations that succeed --------------------------------------------------------------

    @rule(table=tables, doc=docs)
    def insert(self, table: str, doc: Doc) -> None:
        self._apply(self.model, ("insert", table, doc))

    @precondition(lambda self: any(self.model.values()))
    @rule(data=st.data(), fields=docs, by_transform=st.booleans(), marker=st.integers(0, 99))
    def update(self, data: st.DataObject, fields: Doc, by_transform: bool, marker: int) -> None:
        table = data.draw(st.sampled_from([t for t in TABLES if self.model[t]]))
        ids = self._ids(data, table)
        op = ("transform", table, marker, ids) if by_transform else ("update", table, fields, ids)
        self._apply(self.model, op)

    @precondition(lambda self: any(self.model.values()))
    @rule(data=st.data())
    def remove(self, data: st.DataObject) -> None:
        table = data.draw(st.sampled_from([t for t in TABLES if self.model[t]]))
        self._apply(self.model, ("remove", table, self._ids(data, table)))

    @rule()
    def reopen(self) -> None:
        self.db.close()
        self.db = DurableTinyDB(str(self.path), storage=DurableStorage)

    # ---- operations that fail -------------------------------------------------------------

    @rule(table=tables, doc=docs, bad=bad_values, nested=st.booleans())
    def insert_unsavable(self, table: str, doc: Doc, bad: Any, nested: bool) -> None:
        with contextlib.suppress(UnsavableValue):
            self.db.table(table).insert(_with_bad(doc, bad, nested))
            raise AssertionError("an unsavable value was accepted")

    @precondition(lambda self: any(self.model.values()))
    @rule(data=st.data(), bad=bad_values, nested=st.booleans())
    def update_unsavable(self, data: st.DataObject, bad: Any, nested: bool) -> None:
        table = data.draw(st.sampled_from([t for t in TABLES if self.model[t]]))
        with contextlib.suppress(UnsavableValue):
            self.db.table(table).update(_with_bad({}, bad, nested), doc_ids=self._ids(data, table))
            raise AssertionError("an unsavable value was accepted")

    @precondition(lambda self: any(self.model.values()))
    @rule(data=st.data())
    def transform_raises_halfway(self, data: st.DataObject) -> None:
        table = data.draw(st.sampled_from([t for t in TABLES if self.model[t]]))
        ids = self._ids(data, table)
        self._halfway(table, ids, data.draw(st.integers(1, len(ids))))

    @precondition(lambda self: self.path.exists())  # link and the backup only run then
    @rule(table=tables, doc=docs, call=st.sampled_from(["fsync", "link", "replace"]))
    def disk_full_before_rename(self, table: str, doc: Doc, call: str) -> None:
        with mock.patch.object(durable_storage.os, call, _fail(errno.ENOSPC)), \
                contextlib.suppress(WriteFailed):
            self.db.table(table).insert(doc)
            raise AssertionError("the write should have failed")

    @rule(table=tables, doc=docs)
    def disk_fails_after_rename(self, table: str, doc: Doc) -> None:
        """The folder fsync fails after the rename: an error, but the new version is there."""
        with mock.patch.object(durable_storage, "fsync_dir", _fail(errno.EIO)), \
                contextlib.suppress(WriteFailed):
            self.db.table(table).insert(doc)
            raise AssertionError("the write should have reported the failure")
        doc_id = max(self.storage_ids(table))
        self.model[table][doc_id] = _round_trip(doc)

    def storage_ids(self, table: str) -> list[int]:
        return [d.doc_id for d in self.db.table(table).all()]

    # ---- batches --------------------------------------------------------------------------

    @rule(data=st.data(), ending=st.sampled_from(["ok", "raise", "unsavable", "disk"]))
    def batch(self, data: st.DataObject, ending: str) -> None:
        scratch = copy.deepcopy(self.model)
        try:
            with self._fault(ending), self.storage.batch():
                for _ in range(data.draw(st.integers(0, 4))):
                    self._batch_step(data, scratch)
                if ending == "raise":
                    raise Abandon
                if ending == "unsavable":
                    self.db.table("t").insert({"bad": data.draw(bad_values)})
        except (Abandon, UnsavableValue, WriteFailed) as exc:
            wanted = {"raise": Abandon, "unsavable": UnsavableValue, "disk": WriteFailed}
            assert ending in wanted and isinstance(exc, wanted[ending]), (ending, exc)
            return
        if ending == "disk":
            assert scratch == self.model  # nothing to write: no write to fail
        assert ending in ("ok", "disk")
        self.model = scratch

    @contextlib.contextmanager
    def _fault(self, ending: str) -> Iterator[None]:
        """A full disk for the batch's one write (at its end)."""
        if ending != "disk":
            yield
            return
        with mock.patch.object(durable_storage.os, "fsync", _fail(errno.ENOSPC)):
            yield

    def _batch_step(self, data: st.DataObject, scratch: dict[str, dict[int, Doc]]) -> None:
        kinds = ["insert", "halfway", "nested"]
        if any(scratch.values()):
            kinds += ["update", "transform", "remove"]
        kind = data.draw(st.sampled_from(kinds))
        if kind == "insert":
            self._apply(scratch, ("insert", data.draw(tables), data.draw(docs)))
            return
        if kind == "nested":  # an inner block that raises undoes only its own writes
            with contextlib.suppress(Abandon), self.storage.batch():
                self.db.table(data.draw(tables)).insert(data.draw(docs))
                raise Abandon
            return
        table = data.draw(st.sampled_from([t for t in TABLES if scratch[t]] or ["t"]))
        if not scratch[table]:  # "halfway" on an empty table: nothing to change
            return
        ids = data.draw(st.lists(st.sampled_from(sorted(scratch[table])), min_size=1,
                                 max_size=3, unique=True))
        if kind == "halfway":  # caught inside the block: the batch carries on without it
            self._halfway(table, ids, data.draw(st.integers(1, len(ids))))
        elif kind == "update":
            self._apply(scratch, ("update", table, data.draw(docs), ids))
        elif kind == "transform":
            self._apply(scratch, ("transform", table, data.draw(st.integers(0, 99)), ids))
        else:
            self._apply(scratch, ("remove", table, ids))

    # ---- the invariant --------------------------------------------------------------------

    @invariant()
    def memory_is_disk_is_model(self) -> None:
        disk = json.loads(self.path.read_bytes()) if self.path.exists() else None
        assert self.storage.peek() == disk
        assert self.storage.read() == disk
        assert DurableStorage(self.path, readonly=True).read() == disk  # a fresh open
        on_disk = {name: {int(k): doc for k, doc in table.items()}
                   for name, table in (disk or {}).items() if table}
        assert on_disk == {name: docs for name, docs in self.model.items() if docs}
        for name in TABLES:
            seen = {d.doc_id: dict(d) for d in self.db.table(name).all()}
            assert seen == self.model[name]


StorageMachine.TestCase.settings = settings(fuzz(30), stateful_step_count=25)
test_storage_state_machine = StorageMachine.TestCase
