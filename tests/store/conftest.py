from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from inspect_tui.store.inspection import Inspection
from inspect_tui.store.workspace import Workspace
from tests.checklist_samples import VALID


@pytest.fixture(autouse=True)
def inspector(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INSPECT_TUI_INSPECTOR", "张明")
    monkeypatch.delenv("INSPECT_TUI_DEVICE", raising=False)


@pytest.fixture
def ws_root(tmp_path: Path) -> Path:
    return tmp_path / "ws"


@pytest.fixture
def workspace(ws_root: Path) -> Iterator[Workspace]:
    ws = Workspace.open(ws_root)
    yield ws
    ws.close()


@pytest.fixture
def inspection(workspace: Workspace) -> Inspection:
    insp = workspace.create_inspection(VALID.encode(), "sample.toml", title="样例检查",
                                       team=["张明", "李华"], inspection_id="insp-1")
    insp.add_site("马涧镇", "乡镇街道", "第一检查组")
    return insp


def site_id(insp: Inspection, name: str = "马涧镇") -> str:
    return next(s.site_id for s in insp.sites() if s.name == name)
