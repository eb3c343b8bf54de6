"""The report of a merge: what came from where, kept as `merges/<time>.json` in the inspection."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from inspect_tui.core.history import Entry
from inspect_tui.core.merge import FieldKey, SourceResult
from inspect_tui.store.durable_storage import atomic_write_bytes

REPORT_FORMAT = "inspect-tui/merge-report"
MERGED, NOTHING_NEW, SKIPPED = "merged", "nothing-new", "skipped"


@dataclass(frozen=True)
class ConflictRef:
    entity: str
    field: str
    site: str
    criterion: str


@dataclass
class SourceReport:
    source: str
    kind: str = ""  # "workspace" or "pack"
    author: str = ""
    device: str = ""
    signature: str = ""  # "folder", "unsigned", "valid", "unverified", "invalid"
    signer: str = ""
    status: str = SKIPPED
    reason: str = ""  # why it was skipped, one paragraph
    new_entries: int = 0
    new_records: int = 0
    updated_fields: int = 0
    evidence_files: int = 0
    conflicts: list[ConflictRef] = field(default_factory=list)


@dataclass
class MergeReport:
    created: str
    workspace: str
    inspection: str
    sources: list[SourceReport]
    open_conflicts: int = 0
    saved_to: str = ""

    @property
    def changed(self) -> bool:
        return any(s.status == MERGED for s in self.sources)

    @property
    def skipped(self) -> list[SourceReport]:
        return [s for s in self.sources if s.status == SKIPPED]

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("saved_to")
        return {"format": REPORT_FORMAT, **data}

    def save(self, inspection_folder: Path, stamp: str) -> Path:
        folder = inspection_folder / "merges"
        folder.mkdir(exist_ok=True)
        path = folder / f"{stamp}.json"
        n = 1
        while path.exists():
            n += 1
            path = folder / f"{stamp}-{n}.json"
        text = json.dumps(self.to_json(), ensure_ascii=False, indent=1) + "\n"
        atomic_write_bytes(path, text.encode("utf-8"))
        self.saved_to = str(path)
        return path


def conflict_refs(keys: tuple[FieldKey, ...], entries: dict[str, Entry]) -> list[ConflictRef]:
    """Name each conflicting field by site and criterion, from any entry of its entity."""
    refs = []
    for entity, name in keys:
        ctx = entries[entity].context if entity in entries else {}
        site = ctx.get("site", entity[5:] if entity.startswith("site:") else "")
        refs.append(ConflictRef(entity, name, site, ctx.get("criterion", "")))
    return refs


def fill(report: SourceReport, result: SourceResult, copied: int,
         entries: dict[str, Entry]) -> None:
    report.status = MERGED if result.new_entries else NOTHING_NEW
    report.new_entries = len(result.new_entries)
    report.new_records = len(result.new_records)
    report.updated_fields = len(result.updated_fields)
    report.evidence_files = copied
    report.conflicts = conflict_refs(result.conflicts, entries)
