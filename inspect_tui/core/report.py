"""The report model: what a signed report says, as plain frozen dataclasses.

`report.json` is `report_bytes(report)`: the canonical JSON of `report_dict(report)` (sorted keys,
no spaces, UTF-8), so the same data always gives the same bytes. Keys are the field names below.
Every record carries `digest` (SHA-256 of its own canonical form without `digest` and `qr`) and
`qr` (the signed record payload printed beside it), so a QR code, the bundle and the history
commit to each other. `parse_report` reads a bundle back with strict type checks (for verify).
Building a report from a workspace's data is `report_build.build_report`.

Version 2 (this model) shows the real scoring: the scoring rules (`rules`, e.g.
"inspect-tui/scoring-2"); per site the table it was scored on (checklist, site kind, how many
criteria apply to it), 基础分 out of the maximum left after 不适用, 折算 and its rule, 加分 and
its cap, 总分, what was 不适用 and why, lost points without a reason, vetoes and why; per
record only the criteria that apply to the site's kind, each lost point with its reason, count
and cap, 不适用 with its reason, the typed score's reason and the unit's 自评得分. The numbers
are those of `core.explain` (what `site result --json` and `record show --json` print).
Version-1 reports are still read, as they were written (core.report_v1).
"""

from __future__ import annotations

import hashlib
import json
import math
import types
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, fields, is_dataclass
from typing import Any, TypeVar, Union, get_args, get_origin, get_type_hints

from inspect_tui.core.checklist import GradeBand
from inspect_tui.core.checklist import Target as ChecklistTarget
from inspect_tui.core.errors import InspectError
from inspect_tui.core.history import canonical_json, non_finite_at
from inspect_tui.core.report_v1 import ReportRecordV1, ReportSiteV1, ReportV1
from inspect_tui.core.scoring import SectionResult

FORMAT = "inspect-tui/report"
VERSION = 2
VERSIONS = (1, 2)  # versions parse_report reads
UNHASHED_RECORD_KEYS = ("digest", "qr")  # a record's digest covers every other key


class MalformedReportError(InspectError):
    """A report.json that is not a report bundle of this format (names the file and field)."""


@dataclass(frozen=True)
class Evidence:
    sha256: str
    name: str
    size: int
    type: str
    caption: str


@dataclass(frozen=True)
class Deduction:
    index: int
    reason: str
    points: float


# A countable target is printed exactly as the checklist states it.
Target = ChecklistTarget


@dataclass(frozen=True)
class Loss:
    """Points lost (on a 加分项: gained) and why, as scoring_rules.Loss gives them."""

    reason: str  # the rule's text, or the written reason for a typed score
    points: float  # after the rule's cap
    times: int  # how often the rule applied
    each: float  # points per time (0 for a typed score)
    capped: bool  # the rule's cap was reached
    typed: bool  # the loss of a typed score (its reason is the inspector's 扣分理由)


@dataclass(frozen=True)
class ReportRecord:
    record_id: str
    criterion_id: str
    title: str
    section_id: str
    section_title: str
    max: float
    bonus: bool  # a 加分项: its score is added on top of the 折算 score, up to `max`
    counts_towards_max: float  # what it adds to the site's maximum (0: 不适用 or a bonus)
    score: float | None  # None: not scored yet, or 不适用
    points: float | None  # the typed score, if any (it wins over deductions)
    deductions: tuple[Deduction, ...]  # the rules ticked, once per tick
    not_applicable: bool  # 不适用: no score, left out of the maximum
    na_reason: str
    lost: float  # points below `max` (0 for a bonus)
    losses: tuple[Loss, ...]  # why: each rule with its count and cap, or the typed reason
    reason: str  # the inspector's 扣分理由 for a typed score
    unexplained: bool  # points lost with no reason (format-2 rules: the site gets no grade)
    zeroed: bool  # a 不得分 rule applied
    capped: bool  # the criterion's cap on deductions (or a bonus item's max) was reached
    full_marks_with_target_unmet: bool  # full marks typed although the count misses the target
    self_points: float | None  # the unit's 自评得分
    methods: tuple[str, ...]
    count: int | None
    target: Target | None
    target_status: str  # scoring.TargetStatus value
    veto: bool  # a veto (一票否决) was triggered on this criterion
    notes: str
    problems: str
    advice: str
    evidence: tuple[Evidence, ...]
    updated_by: str
    updated_at: str  # ISO time (UTC) of the latest change; "" if never changed
    time: int  # the same as unix seconds (0 if never changed); printed in the QR
    changes: int  # history entries of this record
    history_digest: str  # history.history_digest of those entries
    digest: str  # SHA-256 (hex) of this record's canonical form without digest and qr
    qr: str  # the signed QR payload (core.qr_payload)


# A site's section subtotals are printed exactly as scoring computes them.
SectionScore = SectionResult


@dataclass(frozen=True)
class SiteTable:
    """The table a site was scored on: its checklist, filtered to the site's kind."""

    checklist: str  # the checklist's identity, id@version#hash
    title: str
    kind: str | None  # the site kind the criteria were chosen for (None: all of them)
    criteria: int  # how many criteria it is scored on (bonus items not counted)
    rules: str  # the scoring rules, e.g. "inspect-tui/scoring-2"


@dataclass(frozen=True)
class NotApplicable:
    criterion_id: str
    title: str
    reason: str


@dataclass(frozen=True)
class Veto:
    criterion_id: str
    title: str
    why: tuple[str, ...]  # the deductions that triggered it, or the criterion's title


@dataclass(frozen=True)
class Problem:
    criterion_id: str
    kind: str  # scoring.ProblemKind value
    text: str
    advice: str
    count: int | None
    target_min: int | None


@dataclass(frozen=True)
class ReportSite:
    site_id: str
    name: str
    kind: str
    group: str
    table: SiteTable
    base: float  # 基础分: the sum of the criterion scores
    base_max: float  # the maximum left after 不适用, of the criteria that apply
    converted: float  # 折算: base out of base_max as a score out of max
    conversion: str  # the rule used ("base / base_max × total"), or "none"
    bonus: float  # 加分, after the checklist's cap
    bonus_cap: float | None
    total: float  # 总分: converted + bonus
    max: float  # the checklist's total
    scored: int
    count: int
    grade: str | None  # None until every criterion is scored and explained (unless vetoed)
    vetoed_by: tuple[str, ...]
    vetoes: tuple[Veto, ...]
    not_applicable: tuple[NotApplicable, ...]
    unexplained: tuple[str, ...]  # criterion ids with points lost and no reason
    sections: tuple[SectionScore, ...]
    problems: tuple[Problem, ...]
    records: tuple[ReportRecord, ...]


@dataclass(frozen=True)
class ConflictValue:
    value: Any
    author: str
    device: str
    entry: str  # hash of the history entry holding this value


@dataclass(frozen=True)
class ReportConflict:
    record_id: str
    site_id: str
    criterion_id: str
    field: str
    values: tuple[ConflictValue, ...]


@dataclass(frozen=True)
class ChecklistRef:
    id: str
    title: str
    version: str
    hash: str  # SHA-256 of the checklist file the inspection pinned
    total: float


# Grade bands are printed exactly as the checklist defines them.
Grade = GradeBand


@dataclass(frozen=True)
class Signer:
    name: str
    fingerprint: str  # SHA256:… as ssh-keygen -l prints it
    key_id: str  # hex of the 4-byte key id the QR payloads carry


@dataclass(frozen=True)
class HistoryRef:
    entries: int
    digest: str  # history.history_digest of every entry the report covers


@dataclass(frozen=True)
class Report:
    format: str
    version: int
    rules: str  # the scoring rules of the checklist (core.scoring_rules)
    report_id: str
    generated: str  # ISO time with offset
    inspection_id: str
    title: str
    team: tuple[str, ...]
    checklist: ChecklistRef
    grades: tuple[Grade, ...]
    signer: Signer
    inspectors: tuple[str, ...]  # authors of the history entries the report covers
    history: HistoryRef
    sites: tuple[ReportSite, ...]
    conflicts: tuple[ReportConflict, ...]  # open conflicts (only when explicitly allowed)

    def records(self) -> Iterator[tuple[ReportSite, ReportRecord]]:
        for site in self.sites:
            for record in site.records:
                yield site, record

    def record_index(self) -> dict[str, tuple[ReportSite, ReportRecord]]:
        return {record.record_id: (site, record) for site, record in self.records()}


# What parse_report gives: a report of this version, or one of version 1 as it was written.
AnyReport = Report | ReportV1
AnySite = ReportSite | ReportSiteV1
AnyRecord = ReportRecord | ReportRecordV1


# ---- serialisation ------------------------------------------------------------------------

def report_dict(report: AnyReport) -> dict[str, Any]:
    return asdict(report)


def report_bytes(report: AnyReport) -> bytes:
    """The bytes of report.json (what the SSH signature covers)."""
    return canonical_json(report_dict(report))


def record_digest_hex(record: Mapping[str, Any]) -> str:
    """SHA-256 of a record's canonical form, leaving out its own digest and QR text."""
    body = {k: v for k, v in record.items() if k not in UNHASHED_RECORD_KEYS}
    return hashlib.sha256(canonical_json(body)).hexdigest()


_T = TypeVar("_T")


class _Bad(ValueError):
    def __init__(self, where: str) -> None:
        super().__init__(where)
        self.where = where


def _load_value(hint: Any, value: Any, where: str) -> Any:
    origin = get_origin(hint)
    if hint is Any:
        if non_finite_at(value, where):
            raise _Bad(where)
        return value
    if origin in (Union, types.UnionType):
        if value is None and type(None) in get_args(hint):
            return None
        inner = [a for a in get_args(hint) if a is not type(None)]
        return _load_value(inner[0], value, where)
    if origin is tuple:
        if not isinstance(value, list):
            raise _Bad(where)
        item = get_args(hint)[0]
        return tuple(_load_value(item, v, f"{where}[{i}]") for i, v in enumerate(value))
    if is_dataclass(hint) and isinstance(hint, type):
        return _load(hint, value, where)
    if hint is float and isinstance(value, int | float) and not isinstance(value, bool):
        if isinstance(value, float) and not math.isfinite(value):  # json reads NaN, 1e999
            raise _Bad(where)
        return value
    if isinstance(value, hint) and not (hint is int and isinstance(value, bool)):
        return value
    raise _Bad(where)


def _load(cls: type[_T], value: Any, where: str) -> _T:
    if not isinstance(value, dict):
        raise _Bad(where)
    hints = get_type_hints(cls)
    names = [f.name for f in fields(cls)]  # type: ignore[arg-type]
    if set(value) != set(names):
        odd = sorted(set(value) ^ set(names))[0]
        raise _Bad(f"{where}.{odd}")
    return cls(**{n: _load_value(hints[n], value[n], f"{where}.{n}") for n in names})


def parse_report(data: bytes, source: str) -> AnyReport:
    """Read report.json strictly, of any version in VERSIONS (each by its own schema);
    MalformedReportError names the file and the first bad field."""
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise MalformedReportError("report.not_json", path=source) from exc
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise MalformedReportError("report.not_report", path=source, format=FORMAT)
    version = raw.get("version")
    if type(version) is not int or version not in VERSIONS:
        raise MalformedReportError("report.unsupported_version", path=source,
                                   version=str(version)[:20],
                                   supported="/".join(map(str, VERSIONS)))
    schema: type[Report] | type[ReportV1] = Report if version == VERSION else ReportV1
    try:
        return _load(schema, raw, "report")
    except _Bad as exc:
        raise MalformedReportError("report.bad_field", path=source, field=exc.where) from None
