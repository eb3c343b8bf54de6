"""Type-ahead in the app itself: a whole burst of keys arrives at once while showing each
criterion is made slow (as on a loaded 2-core laptop); every score lands on the criterion
that was selected when its digit was typed."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from textual import events

from inspect_tui.core.checklist import Criterion, Section
from inspect_tui.tui.app import InspectApp
from inspect_tui.tui.widgets.criterion_detail import CriterionDetail
from inspect_tui.tui.widgets.criterion_tree import CriterionTree
from tests.tui.helpers import app_on, until_screen, wait_for

SLOW_SHOW = 0.15  # seconds each criterion takes to show


@pytest.fixture
def slow_form(monkeypatch: pytest.MonkeyPatch) -> None:
    original = CriterionDetail.show

    async def slow(self: CriterionDetail, item: Criterion | Section) -> None:
        await asyncio.sleep(SLOW_SHOW)
        await original(self, item)

    monkeypatch.setattr(CriterionDetail, "show", slow)


def burst(app: InspectApp, keys: list[str]) -> None:
    """Post every key at once, as a terminal delivers a burst (no waiting in between)."""
    for key in keys:
        char = key if len(key) == 1 else None
        app.post_message(events.Key(key, char))


def scores(app: InspectApp, site_id: str) -> dict[str, float | None]:
    assert app.session is not None
    inspection = app.session.inspection
    return {c.id: inspection.record(site_id, c.id).points for c in inspection.checklist.criteria}


@pytest.mark.usefixtures("slow_form")
async def test_burst_on_a_slow_screen_scores_the_intended_criteria(demo: Path) -> None:
    app = app_on(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await until_screen(pilot, "OverviewScreen")
        table = pilot.app.screen.query_one("#sites")
        await wait_for(pilot, lambda: table.row_count > 12)  # type: ignore[attr-defined]
        table.move_cursor(row=12)  # type: ignore[attr-defined]  # an unscored site
        assert app.session is not None
        site = app.session.inspection.sites()[12]
        before = scores(app, site.site_id)
        assert all(v is None for v in before.values())
        checklist = app.session.inspection.checklist
        assert site.kind == "部门"  # scored on the department table: 5.1, 5.2, 6.1, 6.2, 7.1 …
        order = [c.id for c in checklist.criteria_for(site.kind) if not c.bonus]
        # Open the site and score in one burst: 5.1 gets 1, then `n` moves on each time.
        digits = ["1", "2", "1", "0", "1"]
        keys = ["enter", digits[0], "enter"]
        for d in digits[1:]:
            keys += ["n", d, "enter"]
        # two down, one up (7.1 opens section 7 of four criteria): the criterion after the last
        keys += ["j", "j", "k", "1", "enter"]
        burst(app, keys)
        expected = dict.fromkeys(c.id for c in checklist.criteria) | {
            cid: float(d) for cid, d in zip(order, digits, strict=False)}
        expected[order[len(digits)]] = 1.0
        await wait_for(pilot, lambda: scores(app, site.site_id) == expected, timeout=60)
        await wait_for(pilot, lambda: not app.key_gate.busy)
        assert scores(app, site.site_id) == expected
        tree = app.screen.query_one(CriterionTree)
        assert tree.criterion is not None and tree.criterion.id == order[len(digits)]
