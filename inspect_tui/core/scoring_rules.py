"""How one criterion is scored, as 考核评分细则 score it: typed points with a reason, deduction
rules that repeat and are capped, 不得分 items, deductions that trigger 一票否决, countable
targets that deduct by themselves, 不适用 (N/A), and 加分项.

Two rule versions, chosen by the checklist's `format`, so an old checklist keeps its meaning:
- RULES_V1 (format 1): a typed score wins over ticked deductions; each ticked deduction counts
  once; the total is clamped to [0, max]; no reason is asked for.
- RULES_V2 (format 2): as v1, and a rule with `per` counts as often as it is ticked (每…扣N分),
  a rule's `cap` and the criterion's `deduction_cap` limit what is lost (累计不超过N分), a `zero`
  rule scores the item 0 (不得分), a `veto` rule triggers 一票否决, `shortfall` rules are driven
  by the count entered for the target, and a typed score below the maximum needs a reason.
In both, 不适用 takes the criterion out of the site's maximum.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from inspect_tui.core.checklist import Criterion, Shortfall

RULES_V1 = "inspect-tui/scoring-1"
RULES_V2 = "inspect-tui/scoring-2"


def rules_version(checklist_format: int) -> str:
    return RULES_V2 if checklist_format >= 2 else RULES_V1


@dataclass(frozen=True)
class Assessment:
    """What an inspector entered for one criterion at one site (the scoring-relevant part).

    `deductions` is a multiset of rule indices: [0, 0, 3] is rule 0 twice and rule 3 once.
    """

    points: float | None = None
    deductions: tuple[int, ...] = ()
    count: int | None = None
    veto: bool = False
    problems: str = ""
    advice: str = ""
    na: str = ""  # the reason the criterion does not apply (不适用); empty: it applies
    reason: str = ""  # 扣分理由 for a typed score below the maximum
    self_points: float | None = None  # the unit's 自评得分

    @property
    def not_applicable(self) -> bool:
        return bool(self.na.strip())


@dataclass(frozen=True)
class Loss:
    """Points lost (or, on a bonus criterion, gained) and why."""

    reason: str
    points: float  # after the rule's cap
    times: int = 1
    each: float = 0.0  # points per occurrence
    capped: bool = False  # the rule's cap was reached
    typed: bool = False  # the inspector's written reason for a typed score


@dataclass(frozen=True)
class Outcome:
    score: float | None  # None: not scored yet, or 不适用
    max: float  # what the criterion adds to the site's maximum (0 when 不适用 or a bonus)
    na: bool = False
    losses: tuple[Loss, ...] = ()
    vetoed: bool = False
    zeroed: bool = False  # a 不得分 rule applied
    capped: bool = False  # the criterion's cap on deductions was reached
    unexplained: bool = False  # points lost with no reason (format 2 only)
    target_unmet_full: bool = False  # full marks typed although the count misses the target

    @property
    def done(self) -> bool:
        """Scored, or recorded as not applicable."""
        return self.score is not None or self.na

    @property
    def lost(self) -> float:
        return 0.0 if self.score is None else round(self.max - self.score, 4)


def _round(x: float) -> float:
    return round(x, 4)


def rule_times(criterion: Criterion, a: Assessment, version: str) -> dict[int, int]:
    """How many times each rule applies: ticks (once for a rule that does not repeat; set
    semantics in v1) and, in v2, the shortfall against the target for count-driven rules."""
    ticks = Counter(i for i in a.deductions if 0 <= i < len(criterion.deductions))
    times: dict[int, int] = {}
    for i, d in enumerate(criterion.deductions):
        n = ticks.get(i, 0)
        if version == RULES_V1 or not d.repeats:
            n = min(n, 1)
        if version == RULES_V2 and d.shortfall is not Shortfall.NONE:
            n = _shortfall(criterion, a.count, d.shortfall)
        if n > 0:
            times[i] = n
    return times


def _shortfall(criterion: Criterion, count: int | None, kind: Shortfall) -> int:
    if criterion.target is None or count is None:
        return 0
    missing = max(0, criterion.target.min - count)
    return missing if kind is Shortfall.EACH else int(missing > 0)


def outcome(criterion: Criterion, a: Assessment | None) -> Outcome:
    """The score of one criterion and why points were lost (pure; never outside [0, max]),
    under the rules of the criterion's checklist format."""
    version = rules_version(criterion.format)
    full = 0.0 if criterion.bonus else criterion.max
    if a is None:
        return Outcome(None, full)
    if a.not_applicable and not criterion.bonus:
        return Outcome(None, 0.0, na=True)
    times = rule_times(criterion, a, version)
    losses = tuple(_loss(criterion, i, n) for i, n in sorted(times.items()))
    vetoed = bool(criterion.veto and a.veto) or (
        version == RULES_V2 and any(criterion.deductions[i].veto for i in times))
    target_unmet = (criterion.target is not None and a.count is not None
                    and a.count < criterion.target.min)
    if criterion.bonus:
        return _bonus(criterion, a, losses, vetoed)
    if a.points is not None:
        score = _clamp(float(a.points), criterion.max)
        lost = _round(criterion.max - score)
        reason = a.reason.strip()
        typed = (Loss(reason, lost, typed=True),) if lost > 0 else ()
        return Outcome(score, criterion.max, losses=typed, vetoed=vetoed,
                       unexplained=version == RULES_V2 and lost > 0 and not reason,
                       target_unmet_full=version == RULES_V2 and lost == 0 and target_unmet)
    driven = version == RULES_V2 and criterion.counts_shortfall and a.count is not None
    if not a.deductions and not driven:  # (an unknown rule index still counts as ticked)
        return Outcome(None, criterion.max, vetoed=vetoed)
    zeroed = version == RULES_V2 and any(criterion.deductions[i].zero for i in times)
    taken = _round(sum(loss.points for loss in losses))
    cap = criterion.deduction_cap if criterion.deduction_cap is not None else criterion.max
    capped = taken > cap
    score = 0.0 if zeroed else _clamp(criterion.max - min(taken, cap), criterion.max)
    return Outcome(score, criterion.max, losses=losses, vetoed=vetoed, zeroed=zeroed,
                   capped=capped and not zeroed)


def _loss(criterion: Criterion, index: int, times: int) -> Loss:
    d = criterion.deductions[index]
    amount = _round(d.points * times)
    capped = d.cap is not None and amount > d.cap
    return Loss(d.reason, d.cap if capped and d.cap is not None else amount, times, d.points,
                capped)


def _bonus(criterion: Criterion, a: Assessment, gains: tuple[Loss, ...],
           vetoed: bool) -> Outcome:
    """A 加分项: typed points, or the sum of its items, never above its max."""
    if a.points is not None:
        return Outcome(_clamp(float(a.points), criterion.max), 0.0, vetoed=vetoed)
    if not gains:
        return Outcome(None, 0.0, vetoed=vetoed)
    total = _round(sum(g.points for g in gains))
    return Outcome(_clamp(total, criterion.max), 0.0, losses=gains, vetoed=vetoed,
                   capped=total > criterion.max)


def _clamp(value: float, high: float) -> float:
    return _round(min(max(value, 0.0), high))


def converted(base: float, base_max: float, total: float) -> float:
    """折算: a score out of `base_max` (the maximum left after 不适用) as a score out of `total`.
    Full marks are exactly `total`; nothing scorable left gives 0."""
    if base_max <= 0:
        return 0.0
    if base >= base_max:
        return total
    if base_max == total:
        return round(base, 2)
    return round(base / base_max * total, 2)


def multiset(indices: Iterable[int]) -> tuple[int, ...]:
    """Rule ticks in one canonical order (the same ticks give the same bytes)."""
    return tuple(sorted(indices))
