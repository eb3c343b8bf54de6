"""A TinyDB storage that survives crashes: atomic replace, fsync, and a backup of the last version.

TinyDB's JSONStorage truncates and rewrites its file in place, so a crash mid-write leaves a
broken database. This storage writes the new version to a temp file in the same folder,
flushes and fsyncs it, hard-links the current version to `<name>.bak`, renames the temp file
over the database and fsyncs the folder. At every instant the path holds either the old or the
new complete version.

It also keeps the last written data in memory: the workspace lock guarantees no one else
writes the file, so re-reading and re-parsing it before every write (TinyDB does a read per
update) would only cost time. If a write fails the cache is dropped, so memory never claims
what the disk does not hold.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from inspect_tui.store.errors import CorruptDatabase, WriteFailed

BACKUP_SUFFIX = ".bak"


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


def read_json_file(path: Path) -> Any:
    """Parse a JSON database file; CorruptDatabase (naming the backup, if any) if it is broken."""
    backup = path.with_name(path.name + BACKUP_SUFFIX)
    try:
        raw = path.read_bytes()
        if not raw.strip():
            raise ValueError("the file is empty")
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        reason = (str(exc) or type(exc).__name__).split("\n")[0][:120]
        raise CorruptDatabase(str(path), reason, str(backup) if backup.exists() else None) from None


class DurableStorage(Storage):
    """Crash-safe JSON storage for TinyDB, with `batch()` to group several updates in one write."""

    def __init__(self, path: str | Path, *, fsync: bool = True) -> None:
        self.path = Path(path)
        self._fsync = fsync
        self._cache: dict[str, Any] | None = None
        self._batch_depth = 0
        self._dirty = False

    def read(self) -> dict[str, Any] | None:
        if self._cache is None:
            if not self.path.exists():
                return None
            data = read_json_file(self.path)
            if not isinstance(data, dict):
                raise CorruptDatabase(str(self.path), "not a TinyDB database (top level is not "
                                      "an object)", None)
            self._cache = data
        return self._cache

    def write(self, data: dict[str, Any]) -> None:
        self._cache = data
        if self._batch_depth:
            self._dirty = True
            return
        self._flush()

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Group updates: one durable write at the end, none if the block raises."""
        self._batch_depth += 1
        try:
            yield
        except BaseException:
            self._cache = None  # drop the half-applied changes; the disk still has the old data
            self._dirty = False
            raise
        finally:
            self._batch_depth -= 1
        if self._batch_depth == 0 and self._dirty:
            self._flush()

    def _flush(self) -> None:
        self._dirty = False
        assert self._cache is not None
        payload = json.dumps(self._cache, ensure_ascii=False, separators=(",", ":")).encode()
        try:
            if self._fsync:
                atomic_write_bytes(self.path, payload, keep_backup=True)
            else:
                self.path.write_bytes(payload)
        except OSError as exc:
            self._cache = None
            raise WriteFailed(str(self.path), exc.strerror or str(exc)) from None

    def close(self) -> None:
        self._cache = None
