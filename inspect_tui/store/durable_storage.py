"""A TinyDB storage that survives crashes: atomic replace, fsync, and a backup of the last version.

TinyDB's JSONStorage truncates and rewrites its file in place, so a crash mid-write leaves a
broken database. This storage writes the new version to a temp file in the same folder,
flushes and fsyncs it, hard-links the current version to `<name>.bak`, renames the temp file
over the database and fsyncs the folder. At every instant the path holds either the old or the
new complete version.

It also keeps the file's bytes in memory: the workspace lock guarantees no one else writes the
file, so reading it from disk before every write (TinyDB does a read per update) would only
cost time. Memory never claims what the disk does not hold:

- the cache is the bytes last read from or written to disk; TinyDB is handed a fresh parse of
  them (it mutates what it reads in place, and an update whose transform raises halfway would
  otherwise leave half a change in the cache);
- a write is serialised first: a value JSON cannot hold (an unknown type, NaN, a lone
  surrogate) is refused with `UnsavableValue` before anything changes;
- any failure while writing the file drops the cache: the next read takes what the disk holds;
- inside `batch()` the pending data is ours alone (readers get copies), and a block that raises
  undoes its own writes.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

from inspect_tui.core import fastjson
from inspect_tui.safe_read import ReadRefused, read_limited
from inspect_tui.store.errors import CorruptDatabase, StoreError, WriteFailed

BACKUP_SUFFIX = ".bak"
MAX_DB_BYTES = 1024**3  # far above any real site file; a pack refuses 256 MB already


class UnsavableValue(StoreError):
    """The data holds a value JSON cannot store; nothing was written and nothing is lost."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        super().__init__("storage.unsavable", path=path, reason=reason)


class ReadOnlyStorage(StoreError):
    """A write through a storage opened for reading only (a reader beside the writer)."""

    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__("storage.read_only", path=path)


class NotInSnapshot(StoreError):
    """A reader met a file that was not there when it took its snapshot: it reads again."""

    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__("storage.reader_changing", path=path)


# The bytes a reader took of several files at one instant (see reader.py). While set, a
# read-only storage reads its file from here, so one open never mixes two versions.
_snapshot: ContextVar[Mapping[Path, bytes] | None] = ContextVar("db_snapshot", default=None)


@contextlib.contextmanager
def reading_snapshot(files: Mapping[Path, bytes]) -> Iterator[None]:
    token = _snapshot.set(files)
    try:
        yield
    finally:
        _snapshot.reset(token)


# Files just written durably (a merge's), with their bytes and the data those bytes parse to:
# while set, a storage opening one of them takes both from here instead of reading and
# parsing the file again. The data is only looked at (peek), never lent to TinyDB.
_written: ContextVar[Mapping[Path, tuple[bytes, dict[str, Any]]] | None] = ContextVar(
    "db_written", default=None)


@contextlib.contextmanager
def just_written(files: Mapping[Path, tuple[bytes, dict[str, Any]]]) -> Iterator[None]:
    token = _written.set(files)
    try:
        yield
    finally:
        _written.reset(token)


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write_bytes(path: Path, data: bytes, *, keep_backup: bool = False) -> None:
    """Replace `path` with `data` durably; with keep_backup the old version becomes `.bak`."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if keep_backup and path.exists():
            bak_tmp = path.with_name(f".{path.name}.{os.getpid()}.baktmp")
            with contextlib.suppress(FileNotFoundError):
                os.unlink(bak_tmp)
            os.link(path, bak_tmp)
            os.replace(bak_tmp, path.with_name(path.name + BACKUP_SUFFIX))
        os.replace(tmp, path)
        fsync_dir(path.parent)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def parse_json_bytes(path: Path, raw: bytes) -> Any:
    """Parse a JSON database file's bytes; CorruptDatabase (naming the backup) if broken."""
    try:
        if not raw.strip():
            raise ValueError("the file is empty")
        return fastjson.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        reason = (str(exc) or type(exc).__name__).split("\n")[0][:120]
        backup = path.with_name(path.name + BACKUP_SUFFIX)
        raise CorruptDatabase(str(path), reason, str(backup) if backup.exists() else None) from None


def read_db_bytes(path: Path) -> bytes:
    """A database file's bytes. A folder, FIFO or device in its place is damage too
    (CorruptDatabase naming the backup); FileNotFoundError if there is nothing."""
    try:
        return read_limited(path, MAX_DB_BYTES)
    except ReadRefused as exc:
        backup = path.with_name(path.name + BACKUP_SUFFIX)
        raise CorruptDatabase(str(path), exc.reason,
                              str(backup) if backup.exists() else None) from None


def read_json_file(path: Path) -> Any:
    """Parse a JSON database file; CorruptDatabase (naming the backup, if any) if it is broken."""
    return parse_json_bytes(path, read_db_bytes(path))


def serialise(path: Path, data: Any, *, json_shaped: bool = False) -> bytes:
    """The bytes of `data` as the file will hold them; UnsavableValue if JSON cannot hold it.

    `json_shaped`: `data` holds only what a JSON parser gives (a merge's files: parsed files
    and verified entries), so orjson may write it (see core.fastjson; ~10× faster).
    """
    try:
        if json_shaped:
            return fastjson.dumps(data)
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        return text.encode("utf-8")  # strict: a lone surrogate is refused here, not on disk
    except (TypeError, ValueError, RecursionError, OverflowError) as exc:
        reason = (str(exc) or type(exc).__name__).split("\n")[0][:160]
        raise UnsavableValue(str(path), reason) from None


def _copy(value: Any) -> Any:
    """A copy of JSON-shaped data whose dicts and lists share nothing with the original."""
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


class DurableStorage(Storage):
    """Crash-safe JSON storage for TinyDB, with `batch()` to group several updates in one write.

    With `readonly` it only reads (a reader beside the writer): every write raises
    ReadOnlyStorage and nothing is ever created or changed on disk.
    """

    def __init__(self, path: str | Path, *, fsync: bool = True, readonly: bool = False) -> None:
        self.path = Path(path)
        self.readonly = readonly
        self._fsync = fsync
        self._disk: bytes | None = None  # the file's bytes as last read or written
        self._parsed: dict[str, Any] | None = None  # a parse of _disk for peek(); never lent
        self._pending: dict[str, Any] | None = None  # a batch's data to write; never lent
        self._batch_depth = 0
        # how often a batch was undone or a write ended without knowing what the disk holds:
        # what TinyDB cached about the data before (a table's next id) may be stale since
        self.undone = 0

    # ---- reading ---------------------------------------------------------------------------

    def _fetch(self) -> dict[str, Any] | None:
        """Read the file from disk, keep its bytes; returns a fresh parse (None: no file)."""
        snapshot = _snapshot.get() if self.readonly else None
        if snapshot is not None:
            if self.path not in snapshot:
                raise NotInSnapshot(str(self.path))
            raw = snapshot[self.path]
        else:
            try:
                raw = read_db_bytes(self.path)
            except FileNotFoundError:
                return None
        data = parse_json_bytes(self.path, raw)
        if not isinstance(data, dict):
            raise CorruptDatabase(str(self.path), "not a TinyDB database (top level is not "
                                  "an object)", None)
        self._disk = raw
        return data

    def read(self) -> dict[str, Any] | None:
        """A fresh copy: TinyDB mutates what it reads, and the cache must not change with it."""
        if self._pending is not None:
            return _copy(self._pending)  # type: ignore[no-any-return]
        if self._disk is None:
            return self._fetch()
        return fastjson.loads(self._disk)  # type: ignore[no-any-return]

    def peek(self) -> dict[str, Any] | None:
        """The current data without a copy, for callers that only look (never mutate it)."""
        if self._pending is not None:
            return self._pending
        if self._parsed is None:
            if self._disk is None and (known := _written.get()) and self.path in known:
                self._disk, self._parsed = known[self.path]
            else:
                self._parsed = self._fetch() if self._disk is None else fastjson.loads(self._disk)
        return self._parsed

    # ---- writing ---------------------------------------------------------------------------

    def write(self, data: dict[str, Any]) -> None:
        if self.readonly:
            raise ReadOnlyStorage(str(self.path))
        if self._batch_depth:
            self._pending = data
            return
        self._write_out(data)

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Group updates: one durable write at the end, none if the block raises.

        A nested block that raises undoes only its own writes (the data before it is kept as
        it was: it was never handed out, so nothing changed it).
        """
        before = self._pending
        self._batch_depth += 1
        try:
            yield
        except BaseException:
            self._pending = before
            self.undone += 1
            raise
        finally:
            self._batch_depth -= 1
        if self._batch_depth == 0 and self._pending is not None:
            data, self._pending = self._pending, None
            self._write_out(data)

    def _write_out(self, data: dict[str, Any]) -> None:
        try:
            payload = serialise(self.path, data)
        except BaseException:
            self.undone += 1  # (nothing written: the data stays as it was before)
            raise
        self._persist(payload)

    def _persist(self, payload: bytes) -> None:
        try:
            if self._fsync:
                atomic_write_bytes(self.path, payload, keep_backup=True)
            else:
                self.path.write_bytes(payload)
        except BaseException as exc:
            # The file may hold the old version or (rename done, folder fsync failed) the new
            # one: forget both, the next read takes what the disk really holds.
            self._forget()
            self.undone += 1
            if isinstance(exc, OSError):
                raise WriteFailed(str(self.path), exc.strerror or str(exc)) from None
            raise
        self._disk, self._parsed = payload, None

    def _forget(self) -> None:
        self._disk = self._parsed = None

    def close(self) -> None:
        self._forget()
        self._pending = None


class DurableTable(Table):
    """TinyDB's table caches the id its next insert takes. A batch undone (or a write whose
    outcome is unknown) can leave that cache behind the data — a batch that removed every
    document and then failed had the next insert take id 1 again — so it is worked out afresh
    from the data whenever the storage's `undone` count has moved."""

    _undone_seen = 0

    def _get_next_id(self) -> int:
        undone = getattr(self._storage, "undone", 0)
        if undone != self._undone_seen:
            self._undone_seen, self._next_id = undone, None
        next_id: int = super()._get_next_id()  # type: ignore[no-untyped-call]
        return next_id


class DurableTinyDB(TinyDB):
    """TinyDB whose tables keep their next id right over a DurableStorage (DurableTable)."""

    table_class = DurableTable
