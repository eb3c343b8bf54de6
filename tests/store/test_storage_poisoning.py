"""One failed write must not poison the storage: memory only ever holds what the disk holds.

Each test makes one write fail for a reason that is not the disk (a value JSON cannot hold, a
lone surrogate, NaN, an update transform that raises halfway, a failure inside a batch) or
for a disk reason, then checks that the bad data is neither in memory nor on disk, that the
next writes succeed, and that a fresh open reads exactly what the open storage holds.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from tinydb import TinyDB

from inspect_tui.store import durable_storage
from inspect_tui.store.durable_storage import DurableStorage, DurableTinyDB, UnsavableValue
from inspect_tui.store.errors import WriteFailed
from inspect_tui.store.inspection import Inspection
from inspect_tui.store.workspace import Workspace
from tests.store.conftest import site_id


@pytest.fixture
def db(tmp_path: Path) -> Iterator[TinyDB]:
    db = TinyDB(str(tmp_path / "db.json"), storage=DurableStorage)
    db.table("t").insert({"name": "first", "tags": ["a"], "nested": {"k": 1}})
    yield db
    db.close()


def _storage(db: TinyDB) -> DurableStorage:
    storage = db.storage
    assert isinstance(storage, DurableStorage)
    return storage


def _disk(db: TinyDB) -> Any:
    return json.loads(_storage(db).path.read_bytes())


def _fresh(db: TinyDB) -> Any:
    """What a new process opening the file reads."""
    other = DurableStorage(_storage(db).path, readonly=True)
    return other.read()


def _assert_consistent(db: TinyDB) -> None:
    storage = _storage(db)
    disk = _disk(db)
    assert storage.read() == disk
    assert storage.peek() == disk
    assert _fresh(db) == disk


def _docs(db: TinyDB) -> list[dict[str, Any]]:
    return [dict(d) for d in db.table("t").all()]


FIRST = {"name": "first", "tags": ["a"], "nested": {"k": 1}}


@pytest.mark.parametrize("bad", [
    {"set": {1, 2}},                        # TypeError from json.dumps
    {"obj": object()},
    {"lone": "坏\udcff名"},                  # UnicodeEncodeError from .encode()
    {"\udcfe": "surrogate key"},
    {"nan": float("nan")},                   # not JSON: would make the file unreadable
    {"inf": float("inf")},
    {(1, 2): "tuple key"},
])
def test_unsavable_insert_is_refused_and_the_next_write_works(db: TinyDB, bad: dict[Any, Any]
                                                              ) -> None:
    before = _storage(db).path.read_bytes()
    with pytest.raises(UnsavableValue) as info:
        db.table("t").insert(bad)
    message = str(info.value)
    assert str(_storage(db).path) in message and "未被改动" in message
    assert _storage(db).path.read_bytes() == before  # nothing written
    _assert_consistent(db)
    db.table("t").insert({"name": "second"})  # the storage is not poisoned
    db.table("other").insert({"x": 1})
    assert _docs(db) == [FIRST, {"name": "second"}]
    _assert_consistent(db)


def test_unsavable_update_value_leaves_the_document_as_it_was(db: TinyDB) -> None:
    with pytest.raises(UnsavableValue):
        db.table("t").update({"name": "\udcff", "extra": {1}}, doc_ids=[1])
    assert _docs(db) == [FIRST]
    db.table("t").insert({"name": "second"})
    assert _docs(db) == [FIRST, {"name": "second"}]
    _assert_consistent(db)


class Halfway(Exception):
    pass


def _halfway(doc: dict[str, Any]) -> None:
    doc["name"] = "half"
    doc["tags"].append("half")
    doc["nested"]["k"] = 99
    raise Halfway("the transform failed after changing the document")


def test_transform_raising_halfway_changes_neither_memory_nor_disk(db: TinyDB) -> None:
    with pytest.raises(Halfway):
        db.table("t").update(_halfway, doc_ids=[1])
    assert _docs(db) == [FIRST]
    db.table("t").insert({"name": "second"})  # the next write must not carry the half change
    assert _docs(db) == [FIRST, {"name": "second"}]
    _assert_consistent(db)


def test_transform_raising_on_the_second_document_keeps_the_first(db: TinyDB) -> None:
    db.table("t").insert({"name": "second", "tags": [], "nested": {}})
    calls = []

    def second_fails(doc: dict[str, Any]) -> None:
        calls.append(doc["name"])
        doc["name"] = "changed"
        if len(calls) == 2:
            raise Halfway("second document")

    with pytest.raises(Halfway):
        db.table("t").update(second_fails)
    db.table("other").insert({"x": 1})
    assert [d["name"] for d in _docs(db)] == ["first", "second"]
    _assert_consistent(db)


def test_mutating_a_query_result_does_not_change_the_cache(db: TinyDB) -> None:
    doc = db.table("t").all()[0]
    doc["tags"].append("poison")
    doc["nested"]["k"] = "poison"
    db.table("other").insert({"x": 1})
    assert _docs(db) == [FIRST]
    _assert_consistent(db)


@pytest.mark.parametrize("target", ["fsync", "link", "replace"])
def test_disk_failure_before_the_rename_keeps_the_old_version(
        db: TinyDB, monkeypatch: pytest.MonkeyPatch, target: str) -> None:
    def full(*args: Any, **kwargs: Any) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with monkeypatch.context() as m:
        m.setattr(durable_storage.os, target, full)
        with pytest.raises(WriteFailed):
            db.table("t").insert({"name": "lost"})
    assert _docs(db) == [FIRST]
    _assert_consistent(db)
    db.table("t").insert({"name": "second"})
    assert _docs(db) == [FIRST, {"name": "second"}]
    _assert_consistent(db)


def test_disk_failure_after_the_rename_reads_the_disk_again(
        db: TinyDB, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(folder: Path) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    with monkeypatch.context() as m:
        m.setattr(durable_storage, "fsync_dir", broken)
        with pytest.raises(WriteFailed):
            db.table("t").insert({"name": "landed"})
    # The rename happened, so the disk has the new version; memory must say the same.
    _assert_consistent(db)
    assert _docs(db) == [FIRST, {"name": "landed"}]


def test_non_disk_exception_while_writing_drops_the_cache(
        db: TinyDB, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args: Any, **kwargs: Any) -> None:
        raise KeyboardInterrupt

    with monkeypatch.context() as m:
        m.setattr(durable_storage.os, "replace", interrupted)
        with pytest.raises(KeyboardInterrupt):
            db.table("t").insert({"name": "lost"})
    _assert_consistent(db)
    assert _docs(db) == [FIRST]


def test_batch_that_raises_writes_nothing_and_keeps_memory(db: TinyDB) -> None:
    storage = _storage(db)
    before = storage.path.read_bytes()
    with pytest.raises(Halfway), storage.batch():
        db.table("t").insert({"name": "in batch"})
        db.table("t").update(_halfway, doc_ids=[1])
    assert storage.path.read_bytes() == before
    assert _docs(db) == [FIRST]
    _assert_consistent(db)


def test_failed_operation_caught_inside_a_batch_is_not_written(db: TinyDB) -> None:
    storage = _storage(db)
    with storage.batch():
        db.table("t").insert({"name": "a"})
        with pytest.raises(Halfway):
            db.table("t").update(_halfway, doc_ids=[1])
        db.table("t").insert({"name": "b"})
    assert _docs(db) == [FIRST, {"name": "a"}, {"name": "b"}]
    _assert_consistent(db)


def test_nested_batch_that_raises_undoes_only_its_own_writes(db: TinyDB) -> None:
    storage = _storage(db)
    with storage.batch():
        db.table("t").insert({"name": "outer"})
        with pytest.raises(Halfway), storage.batch():
            db.table("t").insert({"name": "inner"})
            raise Halfway("inner block")
        db.table("t").insert({"name": "after"})
    assert [d["name"] for d in _docs(db)] == ["first", "outer", "after"]
    _assert_consistent(db)


@pytest.mark.parametrize("fault", ["unsavable", "disk"])
def test_batch_failing_at_its_write_keeps_the_old_version(
        db: TinyDB, monkeypatch: pytest.MonkeyPatch, fault: str) -> None:
    storage = _storage(db)
    before = storage.path.read_bytes()

    def full(*args: Any, **kwargs: Any) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with monkeypatch.context() as m:
        if fault == "disk":
            m.setattr(durable_storage.os, "fsync", full)
        expected = UnsavableValue if fault == "unsavable" else WriteFailed
        with pytest.raises(expected), storage.batch():
            db.table("t").insert({"name": "a"})
            db.table("t").insert({"bad": {1}} if fault == "unsavable" else {"name": "b"})
    assert storage.path.read_bytes() == before
    assert _docs(db) == [FIRST]
    _assert_consistent(db)
    db.table("t").insert({"name": "c"})
    assert _docs(db) == [FIRST, {"name": "c"}]


def test_inspection_saves_after_a_poisoned_write(ws_root: Path, inspection: Inspection,
                                                 workspace: Workspace) -> None:
    """Through the repository: a failed raw write to a site file does not stop later saves."""
    sid = site_id(inspection)
    inspection.set_fields(sid, "1.1", points=5)
    site_file = inspection.site_files[sid]
    with pytest.raises(UnsavableValue):
        site_file.history.insert({"bad": "\udcff"})

    def alter_score(doc: dict[str, Any]) -> None:
        doc["changes"]["points"]["v"] = 99.0  # nested, in place
        doc["author"] = "half"
        raise Halfway("transform failed")

    with pytest.raises(Halfway):
        site_file.history.update(alter_score)
    inspection.set_fields(sid, "1.2", points=4, notes="第二次保存")
    workspace.close()
    history = json.loads((inspection.folder / "sites" / f"{sid}.json").read_bytes())["history"]
    assert all(set(doc) != {"bad"} and doc["author"] == "张明" for doc in history.values())
    assert [doc["changes"]["points"]["v"] for doc in history.values()] == [5.0, 4.0]
    with Workspace.open(ws_root) as ws:
        again = ws.inspection("insp-1")
        assert again.record(sid, "1.1").points == 5
        assert again.record(sid, "1.2").points == 4


@pytest.mark.parametrize("ending", ["unsavable", "raise", "disk"])
def test_a_batch_undone_leaves_the_next_ids_right(tmp_path: Path, ending: str) -> None:
    """A batch that removed every document, inserted one (TinyDB then counts ids from 1 again)
    and failed: the next insert must take the id after the documents still there, not one of
    theirs (found by the storage state machine: "Document with ID 2 already exists")."""
    db = DurableTinyDB(str(tmp_path / "db.json"), storage=DurableStorage)
    table = db.table("t")
    assert table.insert_multiple([{"n": 1}, {"n": 2}, {"n": 3}]) == [1, 2, 3]
    storage = db.storage
    assert isinstance(storage, DurableStorage)
    full = (mock.patch.object(durable_storage.os, "fsync", _full) if ending == "disk"
            else contextlib.nullcontext())
    with pytest.raises((UnsavableValue, RuntimeError, WriteFailed)), full, storage.batch():
        table.remove(doc_ids=[1, 2, 3])
        table.insert({"bad": float("nan")} if ending == "unsavable" else {"n": 9})
        if ending == "raise":
            raise RuntimeError("abandoned")
    assert table.insert({"n": 4}) == 4
    db.close()
    on_disk = json.loads((tmp_path / "db.json").read_text("utf-8"))["t"]
    assert sorted(map(int, on_disk)) == [1, 2, 3, 4]


def _full(fd: int) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
