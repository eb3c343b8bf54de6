"""A workspace folder: inspections, evidence, the device id and the writer lock.

    <workspace>/
      workspace.json                  what this folder is
      device.json                     this copy's device id (see device.py)
      .lock                           held by the one process writing here
      evidence/<sha256>               content-addressed evidence files
      inspections/<id>/inspection.json   inspection meta, pinned checklist, site history
      inspections/<id>/sites/<site>.json  one TinyDB file per site: its records' history

One file per site keeps each save small: saving a score rewrites only that site's file, so
its cost does not grow with the workspace.
"""

from __future__ import annotations

import json
import re
import secrets
from datetime import date
from pathlib import Path
from types import TracebackType

from inspect_tui.core.checklist_loader import parse_checklist
from inspect_tui.core.errors import InspectError
from inspect_tui.core.record_id import ALPHABET
from inspect_tui.store import identity, summary
from inspect_tui.store.device import device_for
from inspect_tui.store.durable_storage import ReadOnlyStorage, atomic_write_bytes, read_json_file
from inspect_tui.store.errors import ForeignDatabase, StoreError
from inspect_tui.store.evidence import EvidenceStore
from inspect_tui.store.inspection import Inspection, create_inspection_files
from inspect_tui.store.lock import WorkspaceLock
from inspect_tui.store.merge_txn import recover
from inspect_tui.store.reader import READER_DEVICE, open_inspection
from inspect_tui.store.summary import Preview

MARKER = "workspace.json"
FORMAT = "inspect-tui/workspace"
INSPECTION_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")


def default_author(root: Path | None = None) -> str:
    """INSPECT_TUI_INSPECTOR, else the name remembered in the workspace, else the login name."""
    return identity.current(root).name


class Workspace:
    """An open workspace; holds the writer lock until `close()` (a reader holds nothing)."""

    def __init__(self, root: Path, author: str, *, readonly: bool = False) -> None:
        self.root = root
        self.author = author
        self.readonly = readonly
        self.lock = WorkspaceLock(root, author)
        self.evidence = EvidenceStore(root / "evidence")
        self._open: dict[str, Inspection] = {}

    @classmethod
    def open(cls, root: str | Path, *, author: str | None = None, create: bool = True,
             readonly: bool = False) -> Workspace:
        """With `readonly`: a reader beside the writer — no lock taken, nothing ever written
        (not even device.json), each inspection read as one consistent version (reader.py),
        and every write refused with ReadOnlyStorage."""
        root = Path(root)
        marker = root / MARKER
        if not marker.exists():
            if not create or readonly:
                raise StoreError("store.no_workspace", path=str(root))
            if root.exists() and any(not _harmless(p) for p in root.iterdir()):
                raise StoreError("store.not_a_workspace", path=str(root))
            try:
                root.mkdir(parents=True, exist_ok=True)
                atomic_write_bytes(marker, json.dumps({"format": FORMAT, "version": 1}).encode())
            except OSError as exc:
                raise StoreError("store.cannot_create", path=str(root),
                                 reason=exc.strerror or str(exc)) from None
        found = read_json_file(marker)
        if not isinstance(found, dict) or found.get("format") != FORMAT:
            raise ForeignDatabase(str(marker), FORMAT, str(found)[:60])
        # a reader writes nothing, so it needs no name (and a damaged name file stops no one)
        ws = cls(root, author or default_author(None if readonly else root), readonly=readonly)
        if not readonly:
            ws.lock.acquire()
        return ws

    @property
    def device(self) -> str:
        if self.readonly:
            return READER_DEVICE  # device_for may write device.json
        return device_for(self.root)

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, t: type[BaseException] | None, e: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        for inspection in self._open.values():
            inspection.close()
        self._open.clear()
        self.lock.release()

    def forget(self, inspection_id: str) -> None:
        """Close an open inspection (one whose folder is about to go, e.g. a failed join)."""
        if (inspection := self._open.pop(inspection_id, None)) is not None:
            inspection.close()

    # ---- inspections ---------------------------------------------------------------------

    def inspection_ids(self) -> list[str]:
        folder = self.root / "inspections"
        if not folder.is_dir():
            return []
        return sorted(p.name for p in folder.iterdir() if (p / "inspection.json").exists())

    def inspection(self, inspection_id: str) -> Inspection:
        if inspection_id not in self._open:
            if inspection_id not in self.inspection_ids():
                raise StoreError("store.no_inspection", id=inspection_id, path=str(self.root),
                                 known="、".join(self.inspection_ids()) or "-")
            folder = self.root / "inspections" / inspection_id
            self._open[inspection_id] = (
                open_inspection(folder, self.author, self.evidence) if self.readonly
                else Inspection.open(folder, self.device, self.author, self.evidence))
        return self._open[inspection_id]

    def preview(self, inspection_id: str) -> Preview | None:
        """The overview of an inspection from its summary, before it is opened whole (see
        store/summary.py); None when it has to be opened to know."""
        if self.readonly or inspection_id in self._open:
            return None
        if inspection_id not in self.inspection_ids():
            return None  # opening it says so
        folder = self.root / "inspections" / inspection_id
        try:
            recover(folder)  # as opening does first: the summary must see the files after it
        except InspectError:
            return None
        return summary.preview(folder, self.evidence)

    def create_inspection(self, checklist_bytes: bytes, checklist_name: str, *, title: str,
                          team: list[str] | None = None,
                          inspection_id: str | None = None) -> Inspection:
        if self.readonly:
            raise ReadOnlyStorage(str(self.root / "inspections"))
        checklist = parse_checklist(checklist_bytes, checklist_name)
        inspection_id = inspection_id or _new_inspection_id(checklist.id)
        if not INSPECTION_ID_RE.match(inspection_id):
            raise StoreError("store.bad_inspection_id", id=inspection_id)
        folder = self.root / "inspections" / inspection_id
        if folder.exists():
            raise StoreError("store.inspection_exists", id=inspection_id, path=str(folder))
        create_inspection_files(folder, inspection_id, title, checklist_bytes, checklist)
        inspection = self.inspection(inspection_id)
        if team:
            inspection.set_inspection_fields(team=team)
        return inspection


def _harmless(path: Path) -> bool:
    """What may already sit in a folder that becomes a workspace: repository placeholders, and
    other workspaces nested in it (the demo lives in `data/demo/` beside the default `data/`)."""
    return path.name in (".gitkeep", "README.md") or (path / MARKER).is_file()


def _new_inspection_id(checklist_id: str) -> str:
    suffix = "".join(secrets.choice(ALPHABET) for _ in range(4))
    return f"{checklist_id}-{date.today():%Y%m%d}-{suffix}"
