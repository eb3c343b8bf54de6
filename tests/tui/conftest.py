from __future__ import annotations

from pathlib import Path

import pytest

from tests.tui.helpers import demo_copy


@pytest.fixture(autouse=True)
def inspector(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INSPECT_TUI_INSPECTOR", "测试员")


@pytest.fixture
def demo(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo_copy(tmp_path_factory.getbasetemp(), tmp_path / "demo")
