"""`doctor` reports a broken or foreign workspace.json, which stops every other command.

Issue 15, 2.9: doctor said "0 个错误" while `site list` and the app refused the workspace.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from inspect_tui.store.doctor import Level, check_workspace
from tests.merge.helpers import make_lead

EXE = [sys.executable, "-m", "inspect_tui"]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*EXE, *args], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "INSPECT_TUI_LANG": "zh"})


def _directory(marker: Path) -> None:
    marker.unlink()
    marker.mkdir()


DAMAGE: dict[str, Callable[[Path], None]] = {
    "garbage": lambda m: m.write_bytes(b"\x00\xffnot json at all"),
    "empty": lambda m: m.write_bytes(b""),
    "truncated": lambda m: m.write_bytes(m.read_bytes()[:10]),
    "foreign": lambda m: m.write_text(json.dumps({"format": "someone-else", "version": 1})),
    "list": lambda m: m.write_text("[1, 2, 3]"),
    "directory": _directory,
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_doctor_reports_a_broken_workspace_marker(tmp_path: Path, damage: str) -> None:
    root = tmp_path / "ws"
    make_lead(root)
    marker = root / "workspace.json"
    DAMAGE[damage](marker)

    other = _run("-w", str(root), "site", "list")
    assert other.returncode != 0  # every other command refuses the workspace …

    r = _run("-w", str(root), "doctor")  # … and doctor says why
    assert r.returncode != 0, r.stdout
    assert "0 个错误" not in r.stdout
    assert str(marker) in r.stdout and "工作区标记文件" in r.stdout
    assert "Traceback" not in r.stderr
    errors = [f for f in check_workspace(root) if f.level is Level.ERROR]
    assert [f.path for f in errors] == [str(marker)]  # the inspection itself is fine


def test_a_good_marker_is_no_finding(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    make_lead(root)
    assert not [f for f in check_workspace(root) if f.level is Level.ERROR]
    r = _run("-w", str(root), "doctor")
    assert r.returncode == 0 and "0 个错误" in r.stdout
