"""End to end: the installed `inspect-tui` in a real terminal (tmux), driven by keys.

Opens the demo, filters to an unvisited site, scores criterion 1.1 with "3 Enter", reads the
screen (Chinese text, the saved indicator, the new progress), quits with Ctrl+Q, and finds
the score on disk through the store.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from inspect_tui.store.workspace import Workspace
from tests.terminal import BINARY, UTF8, Terminal, needs_tmux, wait_until_gone

SITE = "浙能兰溪电厂"  # the demo's last site: a grassroots unit, nothing scored yet

pytestmark = needs_tmux


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    term = Terminal(f"inspect-tui-e2e-{os.getpid()}")
    workspace = tmp_path / "ws"
    env = {"INSPECT_TUI_INSPECTOR": "终端测试员", **UTF8}
    command = " ".join([*(f"{k}={v}" for k, v in env.items()), str(BINARY),
                        "--workspace", str(workspace), "run", "--demo"])
    term.tmux("new-session", "-d", "-s", "app", "-x", "100", "-y", "30", "-c", str(tmp_path),
              command)
    try:
        yield term
    finally:
        term.kill()


def test_score_in_a_real_terminal(terminal: Terminal, tmp_path: Path) -> None:
    screen = terminal.wait_for("a 添加")  # the overview, its keys ready in the footer
    assert "兰溪市“七五”普法总结验收" in screen and "马涧镇" in screen
    terminal.keys("/")
    terminal.wait_for("a 添加", gone=True)  # the filter has the focus: the footer changed
    terminal.keys(SITE, literal=True)
    terminal.wait_for("显示 1 个")
    terminal.keys("Enter")  # from the filter to the list...
    terminal.wait_for("a 添加")
    terminal.keys("Enter")  # ...and open the site
    terminal.wait_for("已评 0/21")
    terminal.keys("3", "Enter")
    screen = terminal.wait_for("已保存")
    assert "已评 1/21" in screen and "制定计划、明确任务" in screen  # 5.1, its table's first
    terminal.keys("C-q")
    deadline = time.monotonic() + 15
    while terminal.running() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not terminal.running(), "the app did not quit on Ctrl+Q"

    with Workspace.open(tmp_path / "ws") as ws:  # the lock is free again
        inspection = ws.inspection(ws.inspection_ids()[0])
        site = next(s for s in inspection.sites() if s.name == SITE)
        record = inspection.record(site.site_id, "5.1")
        assert record.points == 3.0
        assert record.updated_by == "终端测试员"


def test_closing_the_terminal_saves_what_was_typed(terminal: Terminal, tmp_path: Path) -> None:
    terminal.wait_for("a 添加")
    terminal.keys("End")
    terminal.wait_for(SITE)
    terminal.keys("Enter")
    terminal.wait_for("已评 0/21")
    terminal.keys("2")  # typed into the score field; no Enter, and no pause to save it
    # (not "计 2 分": once the 扣分 lines below it make the form scroll, its scrollbar takes the
    # columns that "分" was in)
    terminal.wait_for("计 2")
    terminal.kill(check=True)  # SIGHUP, as when the terminal window is closed
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            ws = Workspace.open(tmp_path / "ws")  # succeeds once the app has let go
            break
        except Exception:
            time.sleep(0.1)
    else:
        raise AssertionError("the app kept the workspace locked after the terminal closed")
    with ws:
        inspection = ws.inspection(ws.inspection_ids()[0])
        site = next(s for s in inspection.sites() if s.name == SITE)
        assert inspection.record(site.site_id, "5.1").points == 2.0
    wait_until_gone(str(tmp_path / "ws"))  # and the process ended: no orphan left behind


def test_after_a_hangup_the_app_ends_even_if_textual_cannot(tmp_path: Path) -> None:
    """Textual's shutdown can hang for ever once its terminal is gone (a writer thread that
    died on EIO, an input thread spinning at EOF): here it is made to hang every time, and the
    app must still save what was typed, end, and free the workspace."""
    workspace = tmp_path / "ws"
    script = tmp_path / "hanging_shutdown.py"
    script.write_text(
        "import sys, time\n"
        "from textual.drivers.linux_driver import LinuxDriver\n"
        "LinuxDriver.close = lambda self: time.sleep(3600)  # Textual's hang, every time\n"
        "from inspect_tui.cli.main import main\n"
        "sys.exit(main())\n", "utf-8")
    term = Terminal(f"inspect-tui-hang-{os.getpid()}")
    env = " ".join(f"{k}={v}" for k, v in {"INSPECT_TUI_INSPECTOR": "终端测试员", **UTF8}.items())
    term.tmux("new-session", "-d", "-s", "app", "-x", "100", "-y", "30",
              f"{env} {BINARY.with_name('python')} {script} --workspace {workspace} run --demo")
    try:
        term.wait_for("a 添加")
        term.keys("End")
        term.wait_for(SITE)
        term.keys("Enter")
        term.wait_for("已评 0/21")
        term.keys("4")  # typed, not yet saved
        term.wait_for("计 4 分")
    finally:
        term.kill(check=True)  # SIGHUP
    wait_until_gone(str(script), timeout=15)
    with Workspace.open(workspace) as ws:
        inspection = ws.inspection(ws.inspection_ids()[0])
        site = next(s for s in inspection.sites() if s.name == SITE)
        assert inspection.record(site.site_id, "5.1").points == 4.0
