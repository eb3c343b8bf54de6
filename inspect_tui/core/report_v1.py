"""The report.json schema of format version 1, frozen: old reports are read exactly as written.

A version-1 report (made before the scoring rules of checklist format 2) lists every criterion
for every site, a score and the ticked deductions, and no 不适用, 折算 or 加分. Its record QR
codes are "IT1:" payloads, which state no scoring rules. Verification needs only what is here:
the record digests are computed over these fields, so none may change, not even the nested
ones; the current model (core.report, version 2) grew new fields instead of editing these.
Nothing builds a version-1 report any more.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class EvidenceV1:
    sha256: str
    name: str
    size: int
    type: str
    caption: str


@dataclass(frozen=True)
class DeductionV1:
    index: int
    reason: str
    points: float


@dataclass(frozen=True)
class TargetV1:
    min: int
    unit: str
    period: str


@dataclass(frozen=True)
class ReportRecordV1:
    record_id: str
    criterion_id: str
    title: str
    section_id: str
    max: float
    score: float | None
    points: float | None
    deductions: tuple[DeductionV1, ...]
    methods: tuple[str, ...]
    count: int | None
    target: TargetV1 | None
    target_status: str
    veto: bool
    notes: str
    problems: str
    advice: str
    evidence: tuple[EvidenceV1, ...]
    updated_by: str
    updated_at: str
    time: int
    changes: int
    history_digest: str
    digest: str
    qr: str  # an "IT1:" payload


@dataclass(frozen=True)
class SectionScoreV1:
    section_id: str
    title: str
    score: float
    max: float
    scored: int
    total: int


@dataclass(frozen=True)
class ProblemV1:
    criterion_id: str
    kind: str
    text: str
    advice: str
    count: int | None
    target_min: int | None


@dataclass(frozen=True)
class ReportSiteV1:
    site_id: str
    name: str
    kind: str
    group: str
    total: float
    max: float
    scored: int
    count: int
    grade: str | None
    vetoed_by: tuple[str, ...]
    sections: tuple[SectionScoreV1, ...]
    problems: tuple[ProblemV1, ...]
    records: tuple[ReportRecordV1, ...]


@dataclass(frozen=True)
class ConflictValueV1:
    value: Any
    author: str
    device: str
    entry: str


@dataclass(frozen=True)
class ReportConflictV1:
    record_id: str
    site_id: str
    criterion_id: str
    field: str
    values: tuple[ConflictValueV1, ...]


@dataclass(frozen=True)
class ChecklistRefV1:
    id: str
    title: str
    version: str
    hash: str
    total: float


@dataclass(frozen=True)
class GradeV1:
    name: str
    min: float
    max: float


@dataclass(frozen=True)
class SignerV1:
    name: str
    fingerprint: str
    key_id: str


@dataclass(frozen=True)
class HistoryRefV1:
    entries: int
    digest: str


@dataclass(frozen=True)
class ReportV1:
    format: str
    version: int  # 1
    report_id: str
    generated: str
    inspection_id: str
    title: str
    team: tuple[str, ...]
    checklist: ChecklistRefV1
    grades: tuple[GradeV1, ...]
    signer: SignerV1
    inspectors: tuple[str, ...]
    history: HistoryRefV1
    sites: tuple[ReportSiteV1, ...]
    conflicts: tuple[ReportConflictV1, ...]

    @property
    def rules(self) -> str:
        """A version-1 report states no scoring rules."""
        return ""

    def records(self) -> Iterator[tuple[ReportSiteV1, ReportRecordV1]]:
        for site in self.sites:
            for record in site.records:
                yield site, record

    def record_index(self) -> dict[str, tuple[ReportSiteV1, ReportRecordV1]]:
        return {record.record_id: (site, record) for site, record in self.records()}
