"""An inspection to summarise, and what a start shows of it next to the truth."""

from __future__ import annotations

from pathlib import Path

from inspect_tui.core.scoring import site_result
from inspect_tui.core.site_summary import SiteFigures
from inspect_tui.paths import find_checklist
from inspect_tui.store.inspection import Inspection
from inspect_tui.store.summary import CACHE_NAME, Preview, open_summarized
from inspect_tui.store.workspace import Workspace

INSPECTION = "insp-1"
KINDS = ("部门", "乡镇街道", "村(社区)")


def make_workspace(root: Path, sites: int = 3, inspection_id: str = INSPECTION) -> list[str]:
    """A workspace scored on the largest shipped checklist (format 2, kinds, targets)."""
    path = find_checklist("xihu-2023-key-projects")
    assert path is not None
    with Workspace.open(root, author="组长") as ws:
        insp = ws.create_inspection(path.read_bytes(), path.name, title="样例",
                                    inspection_id=inspection_id)
        return [insp.add_site(f"点{n}", KINDS[n % len(KINDS)], "一组").site_id
                for n in range(sites)]


def truth(insp: Inspection) -> dict[str, SiteFigures]:
    """Every shown site's figures the long way: full Records, their assessments, the result."""
    out = {}
    for site in insp.sites():
        records = insp.records(site.site_id)
        result = site_result(insp.checklist, {c: r.assessment() for c, r in records.items()},
                             site.kind or None)
        out[site.site_id] = SiteFigures.of(result)
    return out


def start(root: Path, inspection_id: str = INSPECTION) -> tuple[
        dict[str, SiteFigures] | None, dict[str, SiteFigures], dict[str, SiteFigures]]:
    """A start as the app makes it: (figures shown from the summary, None if there was no
    usable one; the figures the whole open gives, or those shown if they still hold; truth)."""
    shown: list[Preview] = []

    def early(preview: Preview) -> bool:
        shown.append(preview)
        return True

    with Workspace.open(root, author="张明") as ws:
        insp, figures = open_summarized(ws, inspection_id, early)
        previewed = shown[0].figures if shown else None
        if shown:  # what the overview shows of the checklist is the checklist's
            view, checklist = shown[0].view, insp.checklist
            assert view.grades == tuple(g.name for g in checklist.grades)
            for site in shown[0].inspection.sites():
                assert view.tables[site.kind] == tuple(
                    c.id for c in checklist.criteria_for(site.kind or None))
        final = figures if figures is not None else previewed
        assert final is not None
        return previewed, final, truth(insp)


def cache_of(root: Path, inspection_id: str = INSPECTION) -> Path:
    return root / "inspections" / inspection_id / CACHE_NAME
