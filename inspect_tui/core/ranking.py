"""Rank sites within their site type (and per 检查组), the way a 汇总表 lists them. Pure.

Rules (the 汇总表 and 通报 print them):
- Only finished sites are ranked: every criterion scored (or 不适用) and every lost point with
  its reason. Unfinished sites are listed apart, never ranked as if they scored 0.
- A site with a triggered veto (一票否决) ranks below every site without one, whatever its total.
- Higher 总分 ranks first. Equal totals share a rank (并列, "1, 2, 2, 4"); within a tie the site
  with fewer problems is listed first, then by name — the listing order, not the rank.
- Sites of different types are scored on different tables, so each type is ranked on its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class SiteStanding:
    """What ranking needs of one site."""

    site_id: str
    name: str
    kind: str
    group: str
    total: float
    grade: str | None
    finished: bool
    vetoed: bool
    problems: int
    open_problems: int = 0  # problems not yet closed by 复查 (ledger), else = problems
    scored: int = 0
    count: int = 0


@dataclass(frozen=True)
class Ranked:
    site: SiteStanding
    rank: int
    tied: bool  # shares its rank with another site (并列)


@dataclass(frozen=True)
class Ranking:
    """One ranked list: the sites of one type (and group, if any)."""

    kind: str
    group: str  # "" when the list spans every group
    ranked: tuple[Ranked, ...]
    unfinished: tuple[SiteStanding, ...]


def _points(s: SiteStanding) -> float:
    """The total as compared: to the hundredth, so totals that print alike (a 折算 score summed
    in another order, 0.1 + 0.2 against 0.3) tie rather than rank apart by a rounding error."""
    return round(s.total, 2)


def _order(s: SiteStanding) -> tuple[bool, float, int, str]:
    return (s.vetoed, -_points(s), s.problems, s.name)


def rank(sites: Iterable[SiteStanding]) -> tuple[tuple[Ranked, ...], tuple[SiteStanding, ...]]:
    """(ranked finished sites, unfinished sites in their given order)."""
    sites = list(sites)
    done = sorted((s for s in sites if s.finished), key=_order)
    ranked: list[Ranked] = []
    for s in done:
        peers = [j for j, o in enumerate(done)
                 if (o.vetoed, _points(o)) == (s.vetoed, _points(s))]
        ranked.append(Ranked(s, peers[0] + 1, len(peers) > 1))
    return tuple(ranked), tuple(s for s in sites if not s.finished)


def _kinds(sites: Sequence[SiteStanding], kind_order: Sequence[str]) -> list[str]:
    seen = [k for k in kind_order if any(s.kind == k for s in sites)]
    return seen + sorted({s.kind for s in sites} - set(seen))


def by_kind(sites: Sequence[SiteStanding], kind_order: Sequence[str] = ()) -> list[Ranking]:
    """One ranking per site type, types in `kind_order` first (then by name)."""
    out = []
    for kind in _kinds(sites, kind_order):
        ranked, unfinished = rank(s for s in sites if s.kind == kind)
        out.append(Ranking(kind, "", ranked, unfinished))
    return out


def by_group(sites: Sequence[SiteStanding], kind_order: Sequence[str] = ()) -> list[Ranking]:
    """One ranking per (检查组, site type): within a group, types are still ranked apart."""
    out = []
    groups = sorted({s.group for s in sites if s.group})
    for group in groups:
        members = [s for s in sites if s.group == group]
        for kind in _kinds(members, kind_order):
            ranked, unfinished = rank(s for s in members if s.kind == kind)
            out.append(Ranking(kind, group, ranked, unfinished))
    return out
