"""The checklist model: sections of criteria with scores, deductions, targets and sources."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Method(StrEnum):
    """How an inspector verified a criterion."""

    REPORT = "听取汇报"  # heard reports
    RECORDS = "查阅台账"  # checked records
    ON_SITE = "实地查看"  # saw on site


@dataclass(frozen=True)
class Deduction:
    """A 扣分项: a reason and the points it costs."""

    reason: str
    points: float


@dataclass(frozen=True)
class Target:
    """A countable target, e.g. at least 12 篇 per 全年."""

    min: int
    unit: str
    period: str = ""


@dataclass(frozen=True)
class Criterion:
    id: str
    title: str
    requirement: str
    guide: str
    max: float
    methods: tuple[Method, ...]
    source: str
    evidence: tuple[str, ...] = ()
    deductions: tuple[Deduction, ...] = ()
    target: Target | None = None
    veto: bool = False
    deadline: str = ""
    owners: tuple[str, ...] = ()


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    criteria: tuple[Criterion, ...]
    source: str = ""

    @property
    def max(self) -> float:
        return sum(c.max for c in self.criteria)


@dataclass(frozen=True)
class GradeBand:
    """Scores in [min, max) get this grade; the top band also includes its max."""

    name: str
    min: float
    max: float


@dataclass(frozen=True)
class SourceDoc:
    code: str
    file: str
    title: str


@dataclass(frozen=True)
class Checklist:
    id: str
    title: str
    version: str
    total: float
    scoring_note: str
    sources: tuple[SourceDoc, ...]
    grades: tuple[GradeBand, ...]
    sections: tuple[Section, ...]
    content_hash: str = ""  # SHA-256 of the file bytes the checklist was read from
    _index: dict[str, Criterion] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._index.update({c.id: c for s in self.sections for c in s.criteria})

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        return tuple(c for s in self.sections for c in s.criteria)

    def criterion(self, criterion_id: str) -> Criterion:
        return self._index[criterion_id]

    def has_criterion(self, criterion_id: str) -> bool:
        return criterion_id in self._index

    def section_of(self, criterion_id: str) -> Section:
        return next(s for s in self.sections if any(c.id == criterion_id for c in s.criteria))

    @property
    def identity(self) -> str:
        """Human-readable identity naming the exact version: id@version#hash-prefix."""
        return f"{self.id}@{self.version}#{self.content_hash[:12]}"
