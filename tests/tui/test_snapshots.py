"""What the inspector sees, pixel for pixel: overview, scoring and summary in Chinese at
100×30, scoring at 80×24, and the overview in English (the demo workspace; clock frozen).

Update after an intended change with `pytest tests/tui/test_snapshots.py --snapshot-update`
and look at the SVGs in __snapshots__ before committing them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot

from inspect_tui.core.i18n import set_language
from tests.tui.helpers import app_on, until_screen, wait_for

SnapCompare = Callable[..., bool]


async def at_overview(pilot: Pilot[None]) -> None:
    await until_screen(pilot, "OverviewScreen")
    table = pilot.app.screen.query_one("#sites")
    await wait_for(pilot, lambda: table.row_count == 16)  # type: ignore[attr-defined]


async def at_scoring(pilot: Pilot[None]) -> None:
    await at_overview(pilot)
    await pilot.press("enter")  # 马涧镇, fully scored on the township table: opens at 1.1
    await until_screen(pilot, "ScoringScreen")


async def at_summary(pilot: Pilot[None]) -> None:
    await at_overview(pilot)
    await pilot.press("v")
    await until_screen(pilot, "SummaryScreen")


def test_overview_zh(snap_compare: SnapCompare, demo: Path) -> None:
    assert snap_compare(app_on(demo), terminal_size=(100, 30), run_before=at_overview)


def test_scoring_zh(snap_compare: SnapCompare, demo: Path) -> None:
    assert snap_compare(app_on(demo), terminal_size=(100, 30), run_before=at_scoring)


def test_scoring_zh_80x24(snap_compare: SnapCompare, demo: Path) -> None:
    assert snap_compare(app_on(demo), terminal_size=(80, 24), run_before=at_scoring)


def test_summary_zh(snap_compare: SnapCompare, demo: Path) -> None:
    assert snap_compare(app_on(demo), terminal_size=(100, 30), run_before=at_summary)


def test_overview_en(snap_compare: SnapCompare, demo: Path) -> None:
    set_language("en")
    assert snap_compare(app_on(demo), terminal_size=(100, 30), run_before=at_overview)
