"""The open inspection as the UI sees it: saving, undo, and values that could not be saved.

The session lives on the UI thread and is the only code that writes to the store while the
app runs (TinyDB is not thread-safe; one owner for all writes). A save is one small durable
append, measured in milliseconds (see benchmarks/), so it runs inline and the user sees the
result at once. Nothing is written when a value is unchanged, so moving around never writes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from inspect_tui.core.records import EVIDENCE_PREFIX, EvidenceRef, Record
from inspect_tui.store.errors import WriteFailed
from inspect_tui.store.inspection import Inspection
from inspect_tui.store.workspace import Workspace

RecordKey = tuple[str, str]  # (site id, criterion id)


def field_value(record: Record, name: str) -> Any:
    """A record field in the form the editor produces (lists of plain values)."""
    value = getattr(record, name)
    if name == "deductions":
        return sorted(value)
    if name == "methods":
        return sorted(str(m) for m in value)
    return value


@dataclass(frozen=True)
class UndoStep:
    """How to put one saved change back."""

    key: RecordKey
    revert: Callable[[], Record]


class Session:
    def __init__(self, workspace: Workspace, inspection: Inspection,
                 clock: Callable[[], datetime] = datetime.now) -> None:
        self.workspace = workspace
        self.inspection = inspection
        self.clock = clock
        self.saved_at: datetime | None = None
        self.unsaved: dict[RecordKey, dict[str, Any]] = {}  # values a failed write left behind
        self._undo: list[UndoStep] = []

    def record(self, site_id: str, criterion_id: str) -> Record:
        return self.inspection.record(site_id, criterion_id)

    def save(self, site_id: str, criterion_id: str, values: dict[str, Any]) -> Record:
        """Save the values that differ from the record; raises InspectError on failure.

        A failed write keeps the values in `unsaved` so they stay on screen and can be retried.
        """
        key = (site_id, criterion_id)
        before = self.record(site_id, criterion_id)
        changed = {k: v for k, v in values.items() if field_value(before, k) != v}
        if not changed:
            self._forget_unsaved(key, values)
            return before
        try:
            record = self.inspection.set_fields(site_id, criterion_id, **changed)
        except WriteFailed:
            self.unsaved.setdefault(key, {}).update(changed)
            raise
        self._forget_unsaved(key, values)
        old = {k: field_value(before, k) for k in changed}
        self._done(key, lambda: self.inspection.set_fields(site_id, criterion_id, **old))
        return record

    def retry_unsaved(self) -> list[RecordKey]:
        """Try every value a failed write left behind; returns the keys saved now."""
        done = []
        for key, values in list(self.unsaved.items()):
            self.save(*key, dict(values))
            done.append(key)
        return done

    def attach(self, site_id: str, criterion_id: str, path: Path, caption: str) -> EvidenceRef:
        ref = self.inspection.attach_evidence(site_id, criterion_id, path, caption)
        self._done((site_id, criterion_id), lambda: self._set_evidence(
            site_id, criterion_id, ref.sha256, None))
        return ref

    def caption(self, site_id: str, criterion_id: str, ref: EvidenceRef, caption: str) -> None:
        self.inspection.caption_evidence(site_id, criterion_id, ref.sha256, caption)
        self._done((site_id, criterion_id), lambda: self._set_evidence(
            site_id, criterion_id, ref.sha256, ref.to_value()))

    def detach(self, site_id: str, criterion_id: str, ref: EvidenceRef) -> None:
        self.inspection.detach_evidence(site_id, criterion_id, ref.sha256)
        self._done((site_id, criterion_id), lambda: self._set_evidence(
            site_id, criterion_id, ref.sha256, ref.to_value()))

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    def undo(self) -> tuple[RecordKey, Record] | None:
        """Put the last saved change back (itself a new, saved change); None if none."""
        if not self._undo:
            return None
        step = self._undo[-1]
        record = step.revert()  # if this raises, the step stays to be tried again
        self._undo.pop()
        self.saved_at = self.clock()
        return step.key, record

    def close(self) -> None:
        self.workspace.close()

    def _done(self, key: RecordKey, revert: Callable[[], Record]) -> None:
        self._undo.append(UndoStep(key, revert))
        self.saved_at = self.clock()

    def _forget_unsaved(self, key: RecordKey, values: dict[str, Any]) -> None:
        pending = self.unsaved.get(key)
        if pending is None:
            return
        for name in values:
            pending.pop(name, None)
        if not pending:
            del self.unsaved[key]

    def _set_evidence(self, site_id: str, criterion_id: str, sha256: str,
                      value: dict[str, Any] | None) -> Record:
        return self.inspection.set_fields(site_id, criterion_id,
                                          **{EVIDENCE_PREFIX + sha256: value})
