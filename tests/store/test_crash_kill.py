"""SIGKILL a saving process 20 times: every acknowledged save survives, nothing is corrupted."""

from __future__ import annotations

from benchmarks.crash_kill import run


def test_kill_during_saves_loses_nothing_acknowledged() -> None:
    outcome = run(kills=20, seed=3)
    assert outcome.kills == 20
    assert outcome.acknowledged >= 20  # every child saved at least once before being killed
    assert outcome.lost == 0
    assert outcome.corrupt == 0
