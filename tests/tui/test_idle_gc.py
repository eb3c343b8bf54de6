"""Full garbage collections wait for a pause in the typing on the scoring screen, and are
made then; Python's own thresholds are back once the screen is left."""

from __future__ import annotations

import gc
import time
from pathlib import Path

from textual.message_pump import MessagePump

from inspect_tui.tui.idle_gc import BURST_LIMIT, DUE, QUIET, IdleCollector
from inspect_tui.tui.screens.scoring import ScoringScreen
from tests.tui.helpers import app_on, until_screen
from tests.tui.test_scoring import open_site


def make_due() -> None:
    gc.collect()
    for _ in range(DUE):
        gc.collect(1)  # each counts as a young collection since the last full one
    assert gc.get_count()[2] >= DUE


def test_a_due_collection_waits_for_the_keys_to_pause() -> None:
    last_key: list[float | None] = [None]
    collector = IdleCollector(MessagePump(), lambda: last_key[0])
    make_due()
    assert not collector.collect_if_due()  # a key is being handled
    last_key[0] = time.monotonic()
    assert not collector.collect_if_due()  # the last key just came
    last_key[0] = time.monotonic() - QUIET - 0.01
    assert collector.collect_if_due()
    assert gc.get_count()[2] == 0  # a full collection was made
    assert not collector.collect_if_due()  # and none is due now


async def test_the_scoring_screen_defers_full_collections_while_shown(demo: Path) -> None:
    before = gc.get_threshold()
    app = app_on(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_site(pilot, 15)
        screen = app.screen
        assert isinstance(screen, ScoringScreen)
        assert gc.get_threshold() == (before[0], before[1], BURST_LIMIT)
        await pilot.press("j", "k")
        make_due()
        app.key_gate._last_key -= QUIET  # as if nobody had typed for a while
        await pilot.pause(0.4)  # the collector looks every quarter of a second
        assert gc.get_count()[2] < DUE
        await pilot.press("escape")
        await until_screen(pilot, "OverviewScreen")
        await pilot.pause()
        assert gc.get_threshold() == before
