"""Reading an inspection beside its writer: no lock, nothing written, never a half state.

Every database file is replaced atomically (temp file, fsync, rename), so one read of one file
is always one whole version. An inspection is several files, though (inspection.json and one
file per site), and a save or a merge may replace one of them while a reader goes through the
others: the reader would combine versions that never existed together (records of a site it
has not seen yet, a history chain with a hole). So the reader first takes the bytes of every
file — a quick pass, no parsing — noting each file's identity (inode, size, times) before and
after, and takes them again until nothing changed in between; only then does it parse them.
A merge being committed (its journal present) is waited out the same way; readers never
finish it, the writer does.
"""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

from inspect_tui.store.durable_storage import NotInSnapshot, read_db_bytes, reading_snapshot
from inspect_tui.store.errors import StoreError
from inspect_tui.store.evidence import EvidenceStore
from inspect_tui.store.inspection import Inspection
from inspect_tui.store.merge_txn import JOURNAL

READER_DEVICE = ""  # no entry has it: a reader never extends a chain
TRIES = 100  # with the pauses below, about 5 s of a workspace that never holds still
FIRST_PAUSE, LONGEST_PAUSE = 0.002, 0.05

Signature = tuple[tuple[object, ...], ...]


def _files(folder: Path) -> list[Path]:
    """The database files of an inspection, as Inspection.open finds them."""
    return [folder / "inspection.json", *sorted((folder / "sites").glob("*.json"))]


def signature(folder: Path) -> Signature:
    """Which version of each database file of the inspection (and its merge journal) is there."""
    found: list[tuple[object, ...]] = []
    for path in [*_files(folder), folder / JOURNAL]:
        try:
            st = path.stat()
        except OSError as exc:  # not there (or a name too long: the open reports the file)
            found.append((path.name, exc.errno))
            continue
        found.append((path.name, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns))
    return tuple(found)


def _take(folder: Path) -> dict[Path, bytes]:
    files = {}
    for path in _files(folder):
        with contextlib.suppress(FileNotFoundError):  # gone: the signature shows the change
            files[path] = read_db_bytes(path)
    return files


def open_inspection(folder: Path, author: str, evidence: EvidenceStore) -> Inspection:
    """The inspection as one consistent version of all its files, opened read-only."""
    pause = FIRST_PAUSE
    journal = False
    for _ in range(TRIES):
        before = signature(folder)
        journal = (folder / JOURNAL).exists()  # appearing after this changes the signature
        if not journal:
            files: dict[Path, bytes] | None = None
            error: StoreError | None = None
            try:
                files = _take(folder)
            except StoreError as exc:  # e.g. a folder where a file should be; decided below
                error = exc
            if signature(folder) == before:
                if error is not None:
                    raise error  # nothing changed meanwhile: the problem is real
                assert files is not None
                opened = _open(folder, author, evidence, files)
                if opened is not None:
                    return opened
        time.sleep(pause)
        pause = min(pause * 2, LONGEST_PAUSE)
    key = "storage.merge_unfinished" if journal else "storage.reader_changing"
    raise StoreError(key, path=str(folder))


def _open(folder: Path, author: str, evidence: EvidenceStore,
          files: dict[Path, bytes]) -> Inspection | None:
    """Parse the files taken; None if the open met a site file taken after them."""
    try:
        with reading_snapshot(files):
            opened = Inspection.open(folder, READER_DEVICE, author, evidence, readonly=True)
    except NotInSnapshot:
        return None
    sites = {path.stem for path in files if path.parent.name == "sites"}
    if set(opened.site_files) != sites:  # one vanished since: not the version taken
        opened.close()
        return None
    return opened
