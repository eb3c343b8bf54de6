"""The checklist model: sections of criteria with scores, deductions, targets and sources."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Method(StrEnum):
    """How an inspector verified a criterion."""

    REPORT = "听取汇报"  # heard reports
    RECORDS = "查阅台账"  # checked records
    ON_SITE = "实地查看"  # saw on site


class Shortfall(StrEnum):
    """How a countable target drives a deduction rule (checklist format 2)."""

    NONE = ""  # ticked by the inspector
    EACH = "each"  # once per unit missing: 每少1次扣0.5分
    UNMET = "unmet"  # once when the target is not met: 全年未召开扣3.5分


@dataclass(frozen=True)
class Deduction:
    """A 扣分项 (or, on a bonus criterion, a 加分项): a reason and the points it costs.

    Format 2 adds: `per` (a unit: the rule repeats, 每…扣N分), `cap` (累计不超过N分),
    `zero` (不得分: the item scores 0), `veto` (一票否决) and `shortfall` (the count drives it).
    """

    reason: str
    points: float
    per: str = ""
    cap: float | None = None
    zero: bool = False
    veto: bool = False
    shortfall: Shortfall = Shortfall.NONE

    @property
    def repeats(self) -> bool:
        return bool(self.per) or self.shortfall is Shortfall.EACH


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
    applies_to: tuple[str, ...] = ()  # site kinds; empty: every kind (format 2)
    deduction_cap: float | None = None  # 累计扣分不超过 (default: max, 扣完为止)
    bonus: bool = False  # a 加分项: its score is added on top, up to its max
    na_allowed: bool = True  # may be recorded 不适用 (never for a veto criterion)
    format: int = 1  # the checklist's format: which scoring rules apply (scoring_rules)

    def applies(self, kind: str | None) -> bool:
        return kind is None or not self.applies_to or kind in self.applies_to

    @property
    def can_veto(self) -> bool:
        return self.veto or any(d.veto for d in self.deductions)

    @property
    def counts_shortfall(self) -> bool:
        """A count entered for the target is enough to score this criterion."""
        return self.target is not None and any(d.shortfall for d in self.deductions)


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    criteria: tuple[Criterion, ...]
    source: str = ""

    @property
    def max(self) -> float:
        return sum(c.max for c in self.criteria if not c.bonus)


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
    format: int = 1  # 1: the first rules (kept for old files); 2: the 考核细则 rules
    bonus_cap: float | None = None  # 加分 for a site at most (format 2)
    site_kinds: tuple[str, ...] = ()  # kinds the checklist is for (empty: any)
    _index: dict[str, Criterion] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._index.update({c.id: c for s in self.sections for c in s.criteria})

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        return tuple(c for s in self.sections for c in s.criteria)

    def criterion(self, criterion_id: str) -> Criterion:
        return self._index[criterion_id]

    def criteria_for(self, kind: str | None) -> tuple[Criterion, ...]:
        """The criteria a site of `kind` is scored on (None: all)."""
        return tuple(c for c in self.criteria if c.applies(kind))

    def has_criterion(self, criterion_id: str) -> bool:
        return criterion_id in self._index

    def section_of(self, criterion_id: str) -> Section:
        return next(s for s in self.sections if any(c.id == criterion_id for c in s.criteria))

    @property
    def identity(self) -> str:
        """Human-readable identity naming the exact version: id@version#hash-prefix."""
        return f"{self.id}@{self.version}#{self.content_hash[:12]}"
