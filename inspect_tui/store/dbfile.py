"""One TinyDB file of the workspace: a `meta` document that says what it is, and `history`.

Every file says what it is (`format`, `schema`, inspection id, site id), so a file copied in
from another inspection, or any other JSON, is recognised as foreign and refused — and never
written to.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from inspect_tui.core.history import Entry, MalformedEntry, entry_from_doc
from inspect_tui.store.durable_storage import DurableStorage, DurableTinyDB
from inspect_tui.store.errors import CorruptDatabase, ForeignDatabase

SCHEMA = 1


class DBFile:
    def __init__(self, path: Path, expected: dict[str, Any], *, readonly: bool = False) -> None:
        self.path = path
        self.expected = expected
        self.readonly = readonly
        self.storage: DurableStorage | None = None
        self.db = DurableTinyDB(str(path), storage=self._make_storage)
        self.meta_table = self.db.table("meta")
        self.history = self.db.table("history")

    def _make_storage(self, path: str) -> DurableStorage:
        self.storage = DurableStorage(path, readonly=self.readonly)
        return self.storage

    @classmethod
    def create(cls, path: Path, meta: dict[str, Any], extra: dict[str, list[dict[str, Any]]]
               | None = None) -> DBFile:
        if path.exists():
            raise ForeignDatabase(str(path), "(new file)", "an existing file")
        f = cls(path, meta)
        assert f.storage is not None
        with f.storage.batch():
            f.meta_table.insert({**meta, "schema": SCHEMA})
            for table, docs in (extra or {}).items():
                f.db.table(table).insert_multiple(docs)
        return f

    @classmethod
    def open(cls, path: Path, expected: dict[str, Any], *, readonly: bool = False) -> DBFile:
        """Open and check identity; CorruptDatabase / ForeignDatabase if it is not ours."""
        if not path.exists():
            raise CorruptDatabase(str(path), "the file is missing", None)
        f = cls(path, expected, readonly=readonly)
        f.check()
        return f

    def _data(self) -> dict[str, Any] | None:
        """The file's data without a copy (look, never mutate): opening reads no more."""
        assert self.storage is not None
        return self.storage.peek()

    def check(self) -> None:
        data = self._data()
        if data is None:
            raise CorruptDatabase(str(self.path), "the file is missing", None)
        metas = data.get("meta")
        meta = next(iter(metas.values()), None) if isinstance(metas, dict) else None
        if not isinstance(meta, dict):
            raise ForeignDatabase(str(self.path), _describe(self.expected), "no inspect-tui meta")
        found = {k: meta.get(k) for k in self.expected}
        if found != self.expected:
            raise ForeignDatabase(str(self.path), _describe(self.expected), _describe(found))
        if meta.get("schema") != SCHEMA:
            raise ForeignDatabase(str(self.path), f"schema {SCHEMA}",
                                  f"schema {meta.get('schema')}")
        history = data.get("history", {})
        if not isinstance(history, dict):
            raise CorruptDatabase(str(self.path), "the history table is not an object", None)

    @property
    def meta(self) -> dict[str, Any]:
        metas = (self._data() or {}).get("meta") or {}
        return dict(next(iter(metas.values())))

    def entries(self) -> list[Entry]:
        history = (self._data() or {}).get("history") or {}
        try:
            return [entry_from_doc(doc) for doc in history.values()]
        except MalformedEntry as exc:
            raise CorruptDatabase(str(self.path), str(exc), None) from None

    def append(self, entry: Entry) -> None:
        self.history.insert(entry.to_doc())

    def close(self) -> None:
        self.db.close()


def _describe(meta: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in meta.items())
