"""One laptop's clock set years back (2019) while the others say 2026: the hybrid logical clock
keeps the order of edits right, a later edit still wins without a conflict, true concurrent
edits are still a conflict, and no timestamp goes backwards.

The clock is injected by replacing `time` in inspect_tui.store.inspection (Inspection's default
`now_ms` reads `time.time_ns()` there; Workspace.inspection offers no other way in).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from inspect_tui.core.hlc import HLC
from inspect_tui.export.run import ExportOptions, export_inspection
from inspect_tui.store import inspection as inspection_module
from inspect_tui.store.conflicts import conflicts_of
from tests.export.conftest import Signing
from tests.merge.helpers import copy_laptop, entries, make_lead, merge, opened


def ms(*when: int) -> int:
    return int(datetime(*when, tzinfo=UTC).timestamp() * 1000)  # type: ignore[misc]


LEAD_TIME = ms(2026, 5, 1, 8, 0)
A_TIME = ms(2026, 5, 6, 9, 30)  # laptop A: a correct clock
B_TIME = ms(2019, 5, 6, 9, 30)  # laptop B: set seven years back


class Clock:
    """Stands in for the `time` module inside inspect_tui.store.inspection."""

    def __init__(self) -> None:
        self.now_ms = 0

    def time_ns(self) -> int:
        self.now_ms += 1000  # each reading a second later, as a user would type
        return self.now_ms * 1_000_000


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(inspection_module, "time", fake)
    return fake


def test_a_laptop_clock_years_back_keeps_order_and_conflicts_right(
        tmp_path: Path, clock: Clock, signing: Signing) -> None:
    clock.now_ms = LEAD_TIME
    (site,) = make_lead(tmp_path / "lead")
    lead_latest = max(e.hlc for e in entries(tmp_path / "lead").values())
    a = copy_laptop(tmp_path / "lead", tmp_path / "a")
    b = copy_laptop(tmp_path / "lead", tmp_path / "b")

    clock.now_ms = A_TIME
    with opened(a, "张明") as insp:
        insp.set_fields(site, "1.1", points=5)  # criterion X
        insp.set_fields(site, "1.2", points=4)  # criterion Y
        a_x = insp.history(site, "1.1")[-1]
    assert a_x.hlc == HLC(A_TIME + 1000, 0)  # A's clock is used as it is

    clock.now_ms = B_TIME
    with opened(b, "李华") as insp:
        insp.set_fields(site, "1.2", points=1)  # Y, not knowing A's edit: concurrent
        insp.set_fields(site, "1.2", notes="复核")
        b_y, b_notes = insp.history(site, "1.2")
    # (iii) "2019" edits never go behind what B had seen (the lead's 2026 entries), nor
    # behind each other: the wall time stays the latest seen, the counter goes on
    assert b_y.hlc == HLC(lead_latest.wall, lead_latest.counter + 1)
    assert lead_latest < b_y.hlc < b_notes.hlc

    merge(b, a)  # B takes A's work (A's X and Y)
    with opened(b, "李华") as insp:  # the clock still says 2019
        insp.set_fields(site, "1.1", points=2)  # X, after seeing A's X
        b_x = insp.history(site, "1.1")[-1]
    a_latest = max(e.hlc for e in entries(a).values())
    assert b_x.hlc > a_latest >= a_x.hlc  # (iii) after the 2026 edits it saw, not in 2019
    assert b_x.hlc == HLC(a_latest.wall, a_latest.counter + 1)
    assert [p for c in b_x.changes.values() for p in c.parents] == [a_x.hash]

    lead = tmp_path / "lead"
    merge(lead, b, a)
    with opened(lead, "组长") as insp:
        x = insp.record(site, "1.1")
        # (i) B's later edit wins with no conflict, and the history puts A's edit first
        assert x.points == 2 and x.conflicts == () and x.updated_by == "李华"
        assert [(e.author, e.changes["points"].value)
                for e in insp.history(site, "1.1")] == [("张明", 5), ("李华", 2)]
        # (ii) A's and B's concurrent Y edits are a conflict with both values kept
        assert [r.criterion_id for r in insp.conflicts()] == ["1.2"]
        (conflict,) = conflicts_of(insp)
        assert conflict.field == "points"
        assert sorted((r.author, r.value) for r in conflict.rivals) == [("张明", 4), ("李华", 1)]
        # What people are shown as the time of B's edits: the hybrid clock's wall time, i.e.
        # the latest time B had seen, never 2019
        assert x.updated_at == b_x.hlc.isoformat()
        assert x.updated_at.startswith("2026-05-06T09:30")
        when = {r.author: r.when for r in conflict.rivals}
        assert when["李华"].startswith("2026-05-01T08:00")  # the lead's time, B's latest seen
        assert when["张明"].startswith("2026-05-06T09:30")
        result = export_inspection(insp, signing.key, signing.info.name,
                                   ExportOptions(out_dir=tmp_path / "out",
                                                 formats=frozenset({"json"}),
                                                 allow_conflicts=True))
    report = json.loads((result.folder / "report.json").read_bytes())
    shown = {r["criterion_id"]: r for r in report["sites"][0]["records"]}
    assert shown["1.1"]["updated_at"] == b_x.hlc.isoformat()
    assert shown["1.1"]["time"] == b_x.hlc.wall // 1000
    assert all(not r["updated_at"].startswith("2019") for r in shown.values())

    # merging in the other order gives the same history and the same values
    again = copy_laptop(a, tmp_path / "again")
    merge(again, b)
    assert set(entries(again)) == set(entries(lead))
