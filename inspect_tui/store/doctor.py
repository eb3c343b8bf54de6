"""`doctor`: check a workspace without changing it, and restore a damaged file from its backup.

Checks: every database opens and is ours; the pinned checklist matches its hash; every
device's history chain is intact (no altered, missing or forked entry); records sit in their
site's file; every referenced evidence file is present and still hashes to its name; stored
evidence nobody references (orphans) and leftover temp files are reported.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from inspect_tui.core.errors import InspectError
from inspect_tui.core.history import Entry, verify_chains
from inspect_tui.core.i18n import t
from inspect_tui.core.records import EVIDENCE_PREFIX
from inspect_tui.store.dbfile import DBFile
from inspect_tui.store.device import device_for, renew_device
from inspect_tui.store.durable_storage import BACKUP_SUFFIX, atomic_write_bytes, read_json_file
from inspect_tui.store.errors import StoreError
from inspect_tui.store.evidence import EvidenceStore
from inspect_tui.store.inspection import INSPECTION_FORMAT, SITE_FORMAT, _pinned_checklist
from inspect_tui.store.workspace import FORMAT, MARKER, Workspace


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Finding:
    level: Level
    path: str
    message: str


def check_workspace(root: Path) -> list[Finding]:
    findings: list[Finding] = []
    if not (root / MARKER).exists():
        return [Finding(Level.ERROR, str(root), t("store.no_workspace", path=str(root)))]
    _check_marker(root / MARKER, findings)
    evidence = EvidenceStore(root / "evidence")
    referenced: set[str] = set()
    folder = root / "inspections"
    for insp in sorted(folder.iterdir()) if folder.is_dir() else []:
        if insp.is_dir():
            referenced |= _check_inspection(insp, findings)
    for sha in sorted(referenced):
        path = evidence.path_of(sha)
        if not path.exists():
            findings.append(Finding(Level.ERROR, str(path), t("doctor.evidence_missing")))
        elif not evidence.verify(sha):
            findings.append(Finding(Level.ERROR, str(path), t("doctor.evidence_altered")))
    for sha in evidence.stored():
        if sha not in referenced:
            findings.append(Finding(Level.WARNING, str(evidence.path_of(sha)),
                                    t("doctor.evidence_orphan")))
    for tmp in root.rglob(".*.tmp"):
        findings.append(Finding(Level.INFO, str(tmp), t("doctor.leftover_tmp")))
    return findings


def _check_marker(marker: Path, findings: list[Finding]) -> None:
    """workspace.json as Workspace.open checks it: a broken one stops every other command."""
    try:
        found = json.loads(marker.read_bytes())
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        reason = (str(exc) or type(exc).__name__).split("\n")[0][:120]
    except OSError as exc:  # e.g. a directory where the file should be
        reason = exc.strerror or type(exc).__name__
    else:
        if isinstance(found, dict) and found.get("format") == FORMAT:
            return
        shown = found.get("format") if isinstance(found, dict) else found
        reason = f"format: {str(shown)[:60]}"
    findings.append(Finding(Level.ERROR, str(marker),
                            t("doctor.bad_marker", path=str(marker), reason=reason)))


def _open(path: Path, expected: dict[str, str], findings: list[Finding]) -> DBFile | None:
    try:
        return DBFile.open(path, expected)
    except InspectError as exc:
        findings.append(Finding(Level.ERROR, str(path), str(exc)))
        return None


def _check_inspection(folder: Path, findings: list[Finding]) -> set[str]:
    """Check one inspection; returns the evidence hashes its records reference."""
    main = _open(folder / "inspection.json",
                 {"format": INSPECTION_FORMAT, "inspection": folder.name}, findings)
    if main is None:
        return set()
    entries: list[tuple[Entry, Path]] = []
    named: set[str] | None = None  # the site ids inspection.json knows (None: unreadable)
    try:
        _pinned_checklist(main)
        entries += [(e, main.path) for e in main.entries()]
        named = {e.entity[len("site:"):] for e, _ in entries if e.entity.startswith("site:")}
    except InspectError as exc:
        findings.append(Finding(Level.ERROR, str(main.path), str(exc)))
    for path in sorted((folder / "sites").glob("*.json")):
        site = _open(path, {"format": SITE_FORMAT, "inspection": folder.name,
                            "site": path.stem}, findings)
        if site is None:
            continue
        try:
            for e in site.entries():
                entries.append((e, path))
                if e.context.get("site") != path.stem:
                    findings.append(Finding(Level.ERROR, str(path),
                                            t("doctor.misplaced", seq=e.seq, device=e.device)))
        except InspectError as exc:
            findings.append(Finding(Level.ERROR, str(path), str(exc)))
        if named is not None and path.stem not in named:  # e.g. left by a failed `site add`
            count = sum(1 for _, p in entries if p == path)
            findings.append(Finding(Level.WARNING, str(path), t(
                "inputs.doctor_site_orphan", site=path.stem, count=count)))
    where = {(e.device, e.seq): p for e, p in entries}
    for problem in verify_chains(e for e, _ in entries):
        path = where.get((problem.device, problem.seq), folder)
        findings.append(Finding(Level.ERROR, str(path), t(f"doctor.chain_{problem.kind}",
                                                          device=problem.device,
                                                          seq=problem.seq)))
    referenced: set[str] = set()
    for e, _ in entries:
        for name, change in e.changes.items():
            if name.startswith(EVIDENCE_PREFIX) and change.value is not None:
                referenced.add(name[len(EVIDENCE_PREFIX):])
    return referenced


@dataclass(frozen=True)
class Restored:
    aside: Path  # where the damaged file went
    old_device: str
    device: str  # the device id this copy records as from now on


def restore_backup(root: Path, target: Path) -> Path:
    """Move a damaged database aside, put its last good backup in place; return where it went."""
    return restore_file(root, target).aside


def restore_file(root: Path, target: Path) -> Restored:
    """Restore a damaged database from its backup, and give this copy a new device id.

    The backup lacks the last save(s) of this copy's chain, which may already be in a pack at
    the team lead: continuing the chain would reuse their numbers with other content, a fork
    the lead refuses for good. A new chain (device id) cannot collide with anything.
    A healthy file is refused: its backup would only undo the last save.
    """
    target = target if target.is_absolute() else Path.cwd() / target
    backup = target.with_name(target.name + BACKUP_SUFFIX)
    if not backup.exists():
        raise StoreError("doctor.no_backup", path=str(target))
    read_json_file(backup)  # refuse a backup that is itself broken
    with Workspace.open(root, create=False) as ws:
        if not _damaged(root, target):
            raise StoreError("doctor.restore_healthy", path=str(target))
        old_device = ws.device
        renew_device(root)  # first: if it cannot be written, nothing has changed yet
        aside = target.with_name(f"{target.name}.broken-{datetime.now():%Y%m%d%H%M%S}")
        if target.exists():
            os.replace(target, aside)
        atomic_write_bytes(target, backup.read_bytes())
        shutil.copystat(backup, target)
    return Restored(aside, old_device, device_for(root))


def _damaged(root: Path, target: Path) -> bool:
    """Missing, or named by an error of `doctor` (unreadable, foreign, altered entries…)."""
    if not target.exists():
        return True
    wanted = target.resolve()
    return any(f.level is Level.ERROR and Path(f.path).resolve() == wanted
               for f in check_workspace(root))
