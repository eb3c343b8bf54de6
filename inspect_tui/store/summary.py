"""The overview summary: each site's figures kept between starts, so that the overview is drawn
from a small file and the few site files that changed, before the whole inspection is read.

    inspections/<id>/overview.cache

The file is derived, never authoritative (core/site_summary.py says what stamps it): it is not
history, so it is never merged, packed or exported, and doctor and the integrity checks never
read it (they read inspection.json and sites/*.json only). It is rewritten whole (temp file,
rename); a missing, damaged, foreign or hostile file only means computing again, and a folder
that cannot be written to just keeps no summary.

Digests are of the bytes parsed: every file is read once, hashed and parsed from those bytes,
and the folder's signature (each file's inode, size and times; see reader.py) taken before and
after shows that no file was replaced meanwhile — else nothing is used or written.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from inspect_tui.core import site_summary
from inspect_tui.core.errors import InspectError
from inspect_tui.core.history import fold_fields
from inspect_tui.core.site_summary import (
    NO_FILE,
    SUMMARY_VERSION,
    CachedSite,
    ChecklistView,
    SiteFigures,
    Summary,
    SummaryKey,
    checklist_view,
    in_place,
    main_in_place,
    read_summary,
    site_figures,
    summary_document,
)
from inspect_tui.safe_read import read_limited
from inspect_tui.store.dbfile import DBFile
from inspect_tui.store.durable_storage import read_db_bytes, reading_snapshot
from inspect_tui.store.evidence import EvidenceStore
from inspect_tui.store.inspection import SITE_FORMAT, Inspection
from inspect_tui.store.reader import Signature, signature

if TYPE_CHECKING:
    from inspect_tui.store.workspace import Workspace

CACHE_NAME = "overview.cache"
MAX_CACHE_BYTES = 16 * 1024 * 1024  # ~100 bytes a site: far above any real inspection


@functools.cache
def code_version() -> str:
    """SUMMARY_VERSION and a digest of the core's sources: other code, other figures."""
    core = Path(site_summary.__file__).parent
    h = hashlib.sha256(f"{SUMMARY_VERSION}\0".encode())
    for path in sorted(core.rglob("*.py")):
        h.update(path.relative_to(core).as_posix().encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()[:32]


def digest(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


def summary_key(inspection: Inspection, checklist_hash: str | None = None) -> SummaryKey:
    """`checklist_hash`: the pinned checklist's, if known without parsing it."""
    return SummaryKey(inspection.id, inspection.uid or "",
                      checklist_hash or inspection.checklist.content_hash, code_version())


@dataclass(frozen=True)
class Preview:
    """The overview of an inspection from its summary, before the whole inspection is read."""

    inspection: Inspection  # inspection.json alone (Inspection.open_main): sites, title
    figures: dict[str, SiteFigures]  # per site shown
    view: ChecklistView  # what the overview shows of the checklist (covers every site's kind)
    key: SummaryKey  # what the summary was made for
    signature: Signature  # the files the figures come from
    summary: Summary  # to keep for the next start
    changed: bool  # the summary differs from the one on disk


def preview(folder: Path, evidence: EvidenceStore) -> Preview | None:
    """The overview from the summary and the site files that changed since it was made; None
    when there is no usable summary (first start, other code, a damaged or foreign file, or
    anything out of place): then the inspection is opened whole and the figures computed."""
    try:
        before = signature(folder)
        head = Inspection.open_main(folder, evidence)
    except InspectError:
        return None  # opening the whole inspection reports it
    try:
        return _preview(folder, head, before)
    except InspectError:
        return None
    finally:
        head.close()


def _preview(folder: Path, head: Inspection, before: Signature) -> Preview | None:
    if (checklist_hash := head.pinned_hash()) is None:
        return None  # parsing is for opening it whole, which says what is wrong
    key = summary_key(head, checklist_hash)
    old = read_summary(_read(folder / CACHE_NAME), key)
    if not old.sites or not main_in_place(e.entity for e in head.all_entries()):
        return None
    raws = _site_bytes(folder)
    digests = {stem: digest(raw) for stem, (_, raw) in raws.items()}
    folds = {}
    for stem, (path, raw) in raws.items():  # every changed file is checked, sites or not
        if old.files.get(stem) != digests[stem]:
            if (fold := _fold(head, path, raw)) is None:
                return None
            folds[stem] = fold
    figures, sites, shown = {}, {}, head.sites()
    for site in shown:
        sid, found = site.site_id, digests.get(site.site_id, NO_FILE)
        cached = old.sites.get(sid)
        if cached is not None and cached.digest == found and cached.kind == site.kind:
            figures[sid] = cached.figures
        else:
            if found != NO_FILE and sid not in folds:  # the kind changed, not the file
                if (fold := _fold(head, *raws[sid])) is None:
                    return None
                folds[sid] = fold
            figures[sid] = site_figures(head.checklist, site.kind,
                                        functools.partial(head.record_id, sid),
                                        folds.get(sid, {}))
        sites[sid] = CachedSite(found, site.kind, figures[sid])
    kinds = [site.kind for site in shown]
    view = (old.view if old.view is not None and old.view.covers(kinds)
            else checklist_view(head.checklist, kinds))  # (parsed only then)
    # Each file's figures come from the bytes hashed, so the summary holds whatever changes
    # next; opening the inspection whole compares `before` to know if the figures shown do.
    summary = Summary(digests, sites, view)
    return Preview(head, figures, view, key, before, summary, summary != old)


def _fold(head: Inspection, path: Path, raw: bytes) -> Any:
    """The fold of one site file's bytes; None if an entry sits outside its site's file."""
    expected = {"format": SITE_FORMAT, "inspection": head.id, "site": path.stem}
    with reading_snapshot({path: raw}):
        site_file = DBFile.open(path, expected, readonly=True)
        try:
            entries = site_file.entries()
        finally:
            site_file.close()
    if not in_place(((e.entity, e.context) for e in entries), path.stem,
                    functools.partial(head.record_id, path.stem)):
        return None
    return fold_fields(entries)


# ---- a summary from the inspection opened whole (the first start) ---------------------------

@dataclass(frozen=True)
class Taken:
    """The site files' digests, taken before an inspection is opened whole."""

    signature: Signature
    digests: dict[str, str]


def take(folder: Path) -> Taken | None:
    try:
        before = signature(folder)
        return Taken(before, {stem: digest(raw) for stem, (_, raw) in
                              _site_bytes(folder).items()})
    except (InspectError, OSError):
        return None


def of_inspection(inspection: Inspection, taken: Taken | None,
                  figures: dict[str, SiteFigures]) -> Summary | None:
    """The summary of an inspection just opened whole, with each site's `figures` (computed
    from it); None if a file changed since `taken` or an entry is out of place. On the thread
    that opened it, before anyone writes through it."""
    if taken is None or set(inspection.site_files) != set(taken.digests):
        return None
    main = _docs(inspection.main)
    if main is None or not main_in_place(str(doc.get("entity")) for doc in main):
        return None
    for stem, site_file in inspection.site_files.items():
        docs = _docs(site_file)
        if docs is None or not in_place(((doc.get("entity"), doc.get("context"))
                                         for doc in docs), stem,
                                        functools.partial(inspection.record_id, stem)):
            return None
    if signature(inspection.folder) != taken.signature:
        return None
    kinds = {site.site_id: site.kind for site in inspection.sites()}
    return Summary(taken.digests, {
        sid: CachedSite(taken.digests.get(sid, NO_FILE), kinds[sid], figures[sid])
        for sid in figures if sid in kinds}, checklist_view(inspection.checklist, kinds.values()))


def _docs(db: DBFile) -> list[dict[str, Any]] | None:
    """The history documents as stored (read, not copied)."""
    data = db.storage.peek() if db.storage is not None else None
    history = (data.get("history") or {}) if isinstance(data, dict) else None  # as DBFile
    if not isinstance(history, dict) or not all(isinstance(d, dict) for d in history.values()):
        return None
    return list(history.values())


# ---- the file -------------------------------------------------------------------------------

def write(folder: Path, key: SummaryKey, summary: Summary) -> bool:
    """Keep `summary` for the next start; False if it could not be written (no error: the
    next start computes instead)."""
    data = json.dumps(summary_document(key, summary), ensure_ascii=False,
                      separators=(",", ":")).encode("utf-8")
    tmp = folder / f".{CACHE_NAME}.{os.getpid()}.tmp"
    try:  # no fsync: a summary torn by a power cut reads as damaged, so is computed again
        tmp.write_bytes(data)
        os.replace(tmp, folder / CACHE_NAME)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
        return False
    return True


def _read(path: Path) -> Any:
    """The summary document, or None for anything unreadable (missing, too big, not JSON, a
    device or a folder in its place)."""
    try:
        return json.loads(read_limited(path, MAX_CACHE_BYTES))
    except (OSError, ValueError, RecursionError, InspectError):
        return None


def _site_bytes(folder: Path) -> dict[str, tuple[Path, bytes]]:
    return {path.stem: (path, read_db_bytes(path))  # by name: as sorting the Paths, faster
            for path in sorted((folder / "sites").glob("*.json"), key=lambda p: p.name)}


# ---- opening an inspection with its summary ---------------------------------------------------

def open_summarized(workspace: Workspace, inspection_id: str,
                    early: Callable[[Preview], bool]) -> tuple[Inspection,
                                                              dict[str, SiteFigures] | None]:
    """Open an inspection whole, offering `early` its overview from the summary first (True:
    it was shown). Returns the inspection and every site's figures — None when the figures
    shown still hold. Keeps the summary for the next start."""
    seen = workspace.preview(inspection_id)
    shown = seen is not None and early(seen)
    return open_previewed(workspace, inspection_id, seen if shown else None)


def has_summary(workspace: Workspace, inspection_id: str) -> bool:
    """Whether the inspection keeps a summary (a first start has none: no preview to try)."""
    return (workspace.root / "inspections" / inspection_id / CACHE_NAME).is_file()


def open_previewed(workspace: Workspace, inspection_id: str,
                   shown: Preview | None) -> tuple[Inspection, dict[str, SiteFigures] | None]:
    """Open an inspection whole after its overview was `shown` from the summary (None: not
    shown); as `open_summarized`."""
    if shown is not None and shown.changed:
        write(shown.inspection.folder, shown.key, shown.summary)
    folder = workspace.root / "inspections" / inspection_id
    taken = None if shown is not None or workspace.readonly else take(folder)
    inspection = workspace.inspection(inspection_id)
    if shown is not None and signature(folder) == shown.signature:
        return inspection, None  # the files shown are the files opened
    figures = {site.site_id: SiteFigures.of(inspection.result(site.site_id))
               for site in inspection.sites()}
    if taken is not None and (made := of_inspection(inspection, taken, figures)) is not None:
        write(folder, summary_key(inspection), made)
    return inspection, figures
