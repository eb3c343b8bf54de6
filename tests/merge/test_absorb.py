"""After a merge the open inspection takes the merged entries in (Inspection.absorb) instead of
reading every file again: what it then holds and writes must be what a fresh open gives."""

from __future__ import annotations

from pathlib import Path

from inspect_tui.core.history import verify_chains
from inspect_tui.store.merge import merge_into
from inspect_tui.store.workspace import Workspace
from tests.merge.helpers import INSPECTION, copy_laptop, make_lead, opened


def _state(insp: object) -> tuple[object, ...]:
    from inspect_tui.store.inspection import Inspection

    assert isinstance(insp, Inspection)
    sites = insp.sites(include_removed=True)
    records = {(s.site_id, cid): insp.record(s.site_id, cid)
               for s in sites for cid in insp.records(s.site_id)}
    return (sites, records, sorted(e.hash for e in insp.all_entries()), insp._fields,
            insp._clock, sorted(insp.site_files), [c.record_id for c in insp.conflicts()])


def test_absorbed_merge_equals_a_fresh_open_and_takes_new_saves(tmp_path: Path) -> None:
    lead = tmp_path / "lead"
    (site,) = make_lead(lead)
    a, b = copy_laptop(lead, tmp_path / "a"), copy_laptop(lead, tmp_path / "b")
    with opened(lead, "组长") as insp:
        insp.set_fields(site, "1.1", points=2, notes="组长先评")
    with opened(a, "张明") as insp:
        insp.set_fields(site, "1.1", points=5, problems="类型单一")  # a conflict with b
        insp.set_fields(site, "1.2", points=4)
    with opened(b, "李华") as insp:
        insp.set_fields(site, "1.1", points=3)
        other = insp.add_site("兰江街道", "乡镇街道", "第二检查组").site_id
        insp.set_fields(other, "1.2", points=1)
    with Workspace.open(lead, author="组长") as ws:
        insp = ws.inspection(INSPECTION)
        report = merge_into(ws, [a, b])
        assert report.open_conflicts >= 1
        absorbed = _state(insp)
        insp.set_fields(other, "1.1", points=2)  # a save into a file the merge created
        insp.set_fields(site, "1.2", points=1)  # and into one it replaced
        after_saves = _state(insp)
    with opened(lead, "组长") as fresh:
        reopened = _state(fresh)
        assert verify_chains(fresh.all_entries()) == []
    assert after_saves == reopened
    assert absorbed != after_saves  # the saves changed what is compared: it can fail
