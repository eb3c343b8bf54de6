"""Seed 003: four inspection groups, each with its own sites plus one site all four visit.

Lanxi's 七五 acceptance (seed 003): 4 groups led by city leaders spot-check 4 townships and 12
departments and grassroots units. Every group scores its own sites and the shared 马涧镇; two
groups disagree there on two criteria. The lead merges the four laptops (two hand in packs, two
their folders): every site's total is right, exactly those two conflicts are listed, and once
settled, merging an old copy again does not reopen them.
"""

from __future__ import annotations

from pathlib import Path

from inspect_tui.core.checklist import Checklist
from inspect_tui.demo import GROUPS, INSPECTORS, SITES
from inspect_tui.paths import find_checklist
from inspect_tui.store.conflicts import conflicts_of, find_conflict, resolve
from inspect_tui.store.merge_report import MERGED, NOTHING_NEW
from inspect_tui.store.pack import write_pack
from inspect_tui.store.workspace import Workspace
from tests.merge.helpers import copy_laptop, merge, opened

LANXI = "lanxi-qiwu"
SHARED = "马涧镇"
DISPUTED = ("1.1", "2.1")


def _points(checklist: Checklist, group: int, site: int,
            kind: str | None = None) -> dict[str, float]:
    """What a group gives at a site: deterministic, different per group and site (on the
    criteria that apply to the site's kind)."""
    return {c.id: max(0.0, c.max - ((group + site + n) % 3) * 0.5)
            for n, c in enumerate(checklist.criteria) if c.applies(kind)}


def _agreed(checklist: Checklist) -> dict[str, float]:
    return _points(checklist, 0, 0)


def _score(root: Path, group: int) -> None:
    with opened(root, INSPECTORS[group], LANXI) as insp:
        for n, site in enumerate(insp.sites()):
            if site.name == SHARED:
                points = dict(_agreed(insp.checklist))
                if group == 1:
                    points.update({c: points[c] - 1 for c in DISPUTED})
            elif site.group == GROUPS[group]:
                points = _points(insp.checklist, group, n, site.kind)
            else:
                continue
            for criterion, value in points.items():
                insp.set_fields(site.site_id, criterion, points=value, methods=["查阅台账"])


def _lead(root: Path) -> None:
    checklist = find_checklist("qiwu-acceptance")
    assert checklist is not None
    with Workspace.open(root, author="组长") as ws:
        insp = ws.create_inspection(checklist.read_bytes(), checklist.name,
                                    title="兰溪市“七五”普法总结验收", team=INSPECTORS,
                                    inspection_id=LANXI)
        for n, (name, kind) in enumerate(SITES):
            insp.add_site(name, kind, "全体" if name == SHARED else GROUPS[n % 4])


def _pack(root: Path, out: Path, author: str) -> Path:
    with Workspace.open(root, author=author) as ws:
        write_pack(ws.inspection(LANXI), out, device=ws.device)
    return out


def test_four_groups_merge_with_exactly_the_two_disagreements(tmp_path: Path) -> None:
    lead = tmp_path / "组长"
    _lead(lead)
    laptops = [copy_laptop(lead, tmp_path / f"group{g}") for g in range(4)]
    for g, laptop in enumerate(laptops):
        _score(laptop, g)
    packs = [_pack(laptops[g], tmp_path / f"group{g}.pack", INSPECTORS[g]) for g in (0, 1)]
    report = merge(lead, packs[0], packs[1], laptops[2], laptops[3])
    assert [s.status for s in report.sources] == [MERGED] * 4
    assert [len(s.conflicts) for s in report.sources] == [0, 2, 0, 0]
    assert report.open_conflicts == 2

    with opened(lead, "组长", LANXI) as insp:
        sites = insp.sites()
        assert len(sites) == 16
        open_now = conflicts_of(insp)
        shared = next(s.site_id for s in sites if s.name == SHARED)
        assert {(c.site_id, c.criterion_id, c.field) for c in open_now} == {
            (shared, "1.1", "points"), (shared, "2.1", "points")}
        for c in open_now:
            assert {r.author for r in c.rivals} >= {INSPECTORS[0], INSPECTORS[1]}
        for n, site in enumerate(sites):
            result = insp.result(site.site_id)
            if site.site_id == shared:
                shown = {c.criterion_id: c.rivals[0].value for c in open_now}
                expected = {**_agreed(insp.checklist), **shown}
            else:
                expected = _points(insp.checklist, GROUPS.index(site.group), n, site.kind)
            assert result.base == sum(expected.values()), site.name  # before 折算
            assert result.complete
        for c in open_now:  # the lead settles both at half a point below the maximum
            maximum = insp.checklist.criterion(c.criterion_id).max
            resolve(insp, find_conflict(insp, c.record_id, "points"), maximum - 0.5)
        assert conflicts_of(insp) == []
        settled = insp.result(shared).total

    again = merge(lead, packs[1], laptops[1], packs[0])
    assert [s.status for s in again.sources] == [NOTHING_NEW] * 3
    assert again.open_conflicts == 0 and not again.changed
    with opened(lead, "组长", LANXI) as insp:
        agreed = _agreed(insp.checklist)
        assert settled == sum(agreed.values()) - sum(agreed[c] for c in DISPUTED) + sum(
            insp.checklist.criterion(c).max - 0.5 for c in DISPUTED)
        assert insp.result(shared).total == settled

    back = _pack(lead, tmp_path / "lead.pack", "组长")  # the settled inspection goes back out
    merge(laptops[1], back)
    with opened(laptops[1], INSPECTORS[1], LANXI) as insp:
        assert conflicts_of(insp) == [] and insp.result(shared).total == settled
