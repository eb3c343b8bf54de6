from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def nobody_forced(monkeypatch: pytest.MonkeyPatch) -> None:
    """Who is at the keyboard must come from each workspace, not from the environment."""
    monkeypatch.delenv("INSPECT_TUI_INSPECTOR", raising=False)
    monkeypatch.delenv("INSPECT_TUI_DEVICE", raising=False)
