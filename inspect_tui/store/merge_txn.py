"""All-or-nothing replacement of several database files of one inspection.

A merge changes several files (`inspection.json`, some `sites/*.json`). Each is replaced
atomically, but a crash between two replacements would leave a half-merged inspection. So:

1. every new version is written into `<inspection>/.merge-staging/`, then all are fsynced
   (concurrently: on ext4/xfs concurrent fsyncs share journal commits, ~10× faster for the
   hundreds of site files a large merge writes; files staged as bytes are created, written and
   fsynced by the same workers from the moment they are staged, so the disk works while the
   next file is prepared);
2. a journal `<inspection>/.merge-journal.json` listing staged → final names is written
   atomically: from this instant the merge counts as done;
3. each staged file replaces its final file (the old one becomes `<name>.bak`, as on every
   save); then the journal and the staging folder are deleted.

When an inspection opens, `recover()` finishes what a crash interrupted: with a journal it rolls
forward (step 3 again; already-moved files are skipped), with only a staging folder it deletes
it (the crash came before step 2, the files are as they were).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from inspect_tui.store.durable_storage import (
    BACKUP_SUFFIX,
    atomic_write_bytes,
    fsync_dir,
    read_json_file,
)
from inspect_tui.store.errors import CorruptDatabase

if TYPE_CHECKING:
    from concurrent.futures import Future, ThreadPoolExecutor

STAGING = ".merge-staging"
JOURNAL = ".merge-journal.json"
JOURNAL_FORMAT = "inspect-tui/merge-journal"
# A database file of an inspection, relative to its folder.
DB_FILE_RE = re.compile(r"^(inspection\.json|sites/[A-Za-z0-9][A-Za-z0-9_-]{0,63}\.json)$")
_STAGED_RE = re.compile(r"^[0-9]{1,6}\.json$")
FSYNC_THREADS = 16  # (48 measured 5–8 % faster in two runs, 4 % slower in a third: kept)


class Transaction:
    """Stage new versions of files, then `commit()` them all at once."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.staging = folder / STAGING
        self.moves: list[tuple[str, str]] = []  # (staged name, final path relative to folder)
        self._writes: list[tuple[Path, Future[None]]] = []  # staged as bytes, being written
        self._pool: ThreadPoolExecutor | None = None
        self._synced: set[Path] = set()  # staged files written and fsynced by `flush`

    def stage(self, final: str) -> Path:
        """Where to write the new version of `final` (relative to the inspection folder).

        Write it without fsync: `commit()` fsyncs every staged file before the journal.
        """
        if not DB_FILE_RE.match(final):
            raise ValueError(f"not a database file of an inspection: {final!r}")
        if not self.moves:
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging.mkdir()
        staged = f"{len(self.moves)}.json"
        self.moves.append((staged, final))
        return self.staging / staged

    def stage_bytes(self, final: str, payload: bytes) -> None:
        """Stage `payload` as the new version of `final`: written and fsynced by worker
        threads from now on, while the caller prepares the next file; `flush` waits for them."""
        path = self.stage(final)
        if self._pool is None:
            self._pool = _thread_pool()
        self._writes.append((path, self._pool.submit(write_synced, (path, payload))))

    def flush(self) -> None:
        """Wait until every file staged with `stage_bytes` is written and fsynced (an OSError
        if one failed, once all have ended: `abort()` then drops them all)."""
        writes, self._writes = self._writes, []
        for _, future in writes:
            future.exception()  # wait for each before any error is raised
        for path, future in writes:
            future.result()
            self._synced.add(path)

    def commit(self) -> None:
        """Make the staged files final. Once the journal is written, a crash rolls forward."""
        if not self.moves:
            return
        self.flush()
        unsynced = [path for path in (self.staging / staged for staged, _ in self.moves)
                    if path not in self._synced]
        if unsynced:
            _in_threads(fsync_dir, unsynced)  # fsync_dir fsyncs files just as well
        fsync_dir(self.staging)
        journal = {"format": JOURNAL_FORMAT, "moves": [list(m) for m in self.moves]}
        atomic_write_bytes(self.folder / JOURNAL, json.dumps(journal).encode())
        self._close_pool()
        roll_forward(self.folder)

    def abort(self) -> None:
        """Drop the staged files (only before `commit()` wrote the journal), once no worker
        is writing one any more."""
        self._writes.clear()
        self._close_pool()
        shutil.rmtree(self.staging, ignore_errors=True)

    def _close_pool(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None


def _thread_pool() -> ThreadPoolExecutor:
    # Imported here: every command that opens an inspection imports this module for
    # `recover`, and concurrent.futures (with logging) costs ~20 ms of start-up.
    from concurrent.futures import ThreadPoolExecutor

    return ThreadPoolExecutor(FSYNC_THREADS)


def _in_threads(work: Callable[[Any], None], items: list[Any]) -> None:
    with _thread_pool() as pool:
        list(pool.map(work, items))


def write_synced(item: tuple[Path, bytes]) -> None:
    """Create `path` with `payload` and fsync it, as a merge stages its files (the merge
    benchmark writes them again with it, to measure the disk's share)."""
    path, payload = item
    with open(path, "wb") as f:
        f.write(payload)
        f.flush()
        os.fsync(f.fileno())


def _read_journal(path: Path) -> list[tuple[str, str]]:
    data = read_json_file(path)
    moves = data.get("moves") if isinstance(data, dict) else None
    if (not isinstance(data, dict) or data.get("format") != JOURNAL_FORMAT
            or not isinstance(moves, list)
            or not all(isinstance(m, list) and len(m) == 2 and isinstance(m[0], str)
                       and isinstance(m[1], str) and _STAGED_RE.match(m[0])
                       and DB_FILE_RE.match(m[1]) for m in moves)):
        raise CorruptDatabase(str(path), "not a merge journal", None)
    return [(m[0], m[1]) for m in moves]


def _keep_backup(final: Path) -> None:
    """The version about to be replaced becomes `<name>.bak`, as every save does."""
    tmp = final.with_name(f".{final.name}.{os.getpid()}.baktmp")
    with contextlib.suppress(FileNotFoundError):
        os.unlink(tmp)
    os.link(final, tmp)
    os.replace(tmp, final.with_name(final.name + BACKUP_SUFFIX))


def roll_forward(folder: Path) -> None:
    """Carry out a written journal; safe to repeat after a crash at any point."""
    journal = folder / JOURNAL
    parents = {folder}
    for staged_name, final_rel in _read_journal(journal):
        staged, final = folder / STAGING / staged_name, folder / final_rel
        parents.add(final.parent)
        if not staged.exists():  # moved before the crash
            continue
        final.parent.mkdir(exist_ok=True)
        if final.exists():
            _keep_backup(final)
        os.replace(staged, final)
    for parent in sorted(parents):
        fsync_dir(parent)
    os.unlink(journal)
    fsync_dir(folder)
    shutil.rmtree(folder / STAGING, ignore_errors=True)


def recover(folder: Path) -> str | None:
    """Finish or undo a merge a crash interrupted; returns what was done, if anything."""
    if (folder / JOURNAL).exists():
        roll_forward(folder)
        return "rolled-forward"
    if (folder / STAGING).exists():
        shutil.rmtree(folder / STAGING)
        return "discarded"
    return None
