"""Taking over the lock of a process that died is told to the user once (CLI and TUI).

Issue 15, 2.11: the takeover was silent.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.merge.helpers import make_lead
from tests.tui.helpers import app_on, until_screen, wait_for

EXE = [sys.executable, "-m", "inspect_tui"]
NOTICE = "上次未正常退出的进程"


def _crash_holding_the_lock(root: Path) -> dict[str, object]:
    """A real process opens the workspace and dies without releasing it; its details stay."""
    crashed = subprocess.run(
        [sys.executable, "-c",
         "import os; from inspect_tui.store.workspace import Workspace\n"
         f"Workspace.open({str(root)!r}); os._exit(9)"], timeout=60)
    assert crashed.returncode == 9
    holder: dict[str, object] = json.loads((root / ".lock").read_text("utf-8"))
    assert holder["pid"]
    return holder


def _run(*args: str, lang: str = "zh") -> subprocess.CompletedProcess[str]:
    return subprocess.run([*EXE, *args], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "INSPECT_TUI_LANG": lang})


def test_cli_says_once_on_stderr(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    make_lead(root)
    holder = _crash_holding_the_lock(root)

    # a command that writes: read-only ones (site list…) take no lock, so take nothing over
    r = _run("-w", str(root), "site", "add", "新检查点", "--kind", "部门")
    assert r.returncode == 0, r.stderr
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, r.stderr
    (line,) = lines
    assert NOTICE in line and "的锁已接管" in line
    assert f"主机 {holder['host']}" in line and f"进程 {holder['pid']}" in line
    assert f"开始于 {holder['since']}" in line and str(root) in line
    assert "新检查点" in r.stdout  # the command itself ran

    again = _run("-w", str(root), "site", "add", "另一检查点", "--kind", "部门")  # nothing to say
    assert again.returncode == 0 and again.stderr == ""


def test_cli_english(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    make_lead(root)
    holder = _crash_holding_the_lock(root)
    r = _run("--lang", "en", "-w", str(root), "site", "add", "new site", "--kind", "部门",
             lang="en")
    assert r.returncode == 0, r.stderr
    assert "took over the lock" in r.stderr and f"process {holder['pid']}" in r.stderr


async def test_tui_shows_one_notification(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    make_lead(root)
    holder = _crash_holding_the_lock(root)
    app = app_on(root)
    async with app.run_test(size=(100, 30)) as pilot:
        await until_screen(pilot, "OverviewScreen")
        await wait_for(pilot, lambda: any(NOTICE in n.message for n in app._notifications))
        told = [n for n in app._notifications if NOTICE in n.message]
        assert len(told) == 1
        assert f"进程 {holder['pid']}" in told[0].message
        assert told[0].severity == "warning"
