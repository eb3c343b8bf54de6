from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def inspector(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INSPECT_TUI_INSPECTOR", "张明")
    monkeypatch.delenv("INSPECT_TUI_DEVICE", raising=False)
