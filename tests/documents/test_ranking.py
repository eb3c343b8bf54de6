"""Ranking in the pure core: per type, per group, ties share a rank, vetoes last, unfinished
sites apart (never ranked as 0)."""

from __future__ import annotations

from inspect_tui.core.ranking import SiteStanding, by_group, by_kind, rank


def site(name: str, total: float, *, kind: str = "部门", group: str = "一组",
         finished: bool = True, vetoed: bool = False, problems: int = 0) -> SiteStanding:
    return SiteStanding(name, name, kind, group, total, "优秀" if finished else None,
                        finished, vetoed, problems)


def ranks(sites: list[SiteStanding]) -> list[tuple[str, int, bool]]:
    ranked, _ = rank(sites)
    return [(r.site.name, r.rank, r.tied) for r in ranked]


def test_higher_total_first_and_equal_totals_share_a_rank() -> None:
    got = ranks([site("W", 80), site("X", 95), site("Z", 90), site("Y", 90)])
    assert got == [("X", 1, False), ("Y", 2, True), ("Z", 2, True), ("W", 4, False)]


def test_within_a_tie_fewer_problems_is_listed_first() -> None:
    got = ranks([site("甲", 90, problems=3), site("乙", 90, problems=1)])
    assert got == [("乙", 1, True), ("甲", 1, True)]


def test_a_veto_ranks_below_every_site_without_one() -> None:
    got = ranks([site("A", 99, vetoed=True), site("B", 61), site("C", 98, vetoed=True)])
    assert got == [("B", 1, False), ("A", 2, False), ("C", 3, False)]


def test_unfinished_sites_are_apart_never_ranked_as_zero() -> None:
    unfinished = site("未完", 0, finished=False)
    ranked, apart = rank([site("甲", 40), unfinished, site("乙", 70)])
    assert [r.site.name for r in ranked] == ["乙", "甲"]
    assert apart == (unfinished,)
    assert all(r.site.finished for r in ranked)


def test_each_type_is_ranked_on_its_own_in_the_given_order() -> None:
    sites = [site("部门甲", 70), site("镇甲", 90, kind="乡镇街道"), site("部门乙", 95),
             site("镇乙", 60, kind="乡镇街道"), site("单位", 50, kind="基层单位", finished=False)]
    out = by_kind(sites, ("乡镇街道", "部门", "基层单位"))
    assert [r.kind for r in out] == ["乡镇街道", "部门", "基层单位"]
    assert [(x.site.name, x.rank) for x in out[0].ranked] == [("镇甲", 1), ("镇乙", 2)]
    assert [(x.site.name, x.rank) for x in out[1].ranked] == [("部门乙", 1), ("部门甲", 2)]
    assert out[2].ranked == () and [s.name for s in out[2].unfinished] == ["单位"]


def test_per_group_ranking_keeps_types_apart_within_a_group() -> None:
    sites = [site("A", 70, group="一组"), site("B", 80, group="二组"),
             site("C", 90, group="一组"), site("D", 99, group="一组", kind="乡镇街道")]
    out = by_group(sites, ("乡镇街道", "部门"))
    assert [(r.group, r.kind) for r in out] == [("一组", "乡镇街道"), ("一组", "部门"),
                                                ("二组", "部门")]
    assert [(x.site.name, x.rank) for x in out[1].ranked] == [("C", 1), ("A", 2)]
    assert [(x.site.name, x.rank) for x in out[2].ranked] == [("B", 1)]


def test_totals_that_print_alike_tie_despite_float_rounding() -> None:
    summed = site("甲", 1.1 + 2.2)  # 3.3000000000000003 in binary floating point
    exact = site("乙", 3.3)
    assert summed.total != exact.total
    assert sorted(ranks([summed, exact])) == [("乙", 1, True), ("甲", 1, True)]
