"""Type-ahead in a real terminal: keys typed in one burst land on the criterion that was
selected when each key was typed, however slow the screen is.

tmux delivers `n 3 Enter n 2 Enter …` for 60 criteria as one burst, with and without the
CPU loaded by busy processes; every score on disk must sit on its intended criterion.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from inspect_tui.store.workspace import Workspace
from tests.terminal import BINARY, UTF8, Terminal, needs_tmux, wait_until_gone

pytestmark = needs_tmux

CRITERIA = 60
SITE = "连打镇"


def many_criteria_checklist(count: int) -> str:
    """A valid checklist of `count` criteria of 9 points each, in sections of 10."""
    parts = [
        'id = "burst"', 'title = "连打测试检查表"', 'version = "1.0"', f"total = {9 * count}",
        'scoring_note = "分值为测试设定。"',
        '[[sources]]', 'code = "001"', 'file = "001_a9019bd0bd482cac.txt"', 'title = "来源"',
        '[[grades]]', 'name = "合格"', f"min = {5 * count}", f"max = {9 * count}",
        '[[grades]]', 'name = "不合格"', "min = 0", f"max = {5 * count}",
    ]
    for i in range(count):
        section, item = divmod(i, 10)
        if item == 0:
            parts += ["[[sections]]", f'id = "{section + 1}"', f'title = "第{section + 1}部分"']
        parts += ["[[sections.criteria]]", f'id = "{section + 1}.{item + 1}"',
                  f'title = "检查项{i + 1}"', 'requirement = "要求"', 'guide = "标准"',
                  "max = 9", 'methods = ["查阅台账"]', 'source = "001 一.1"']
    return "\n".join(parts) + "\n"


def criterion_ids(count: int) -> list[str]:
    return [f"{i // 10 + 1}.{i % 10 + 1}" for i in range(count)]


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    checklist = tmp_path / "burst.toml"
    checklist.write_text(many_criteria_checklist(CRITERIA), "utf-8")
    ws = tmp_path / "ws"
    for args in (["inspection", "new", "--checklist", str(checklist), "--title", "连打测试"],
                 ["site", "add", SITE, "--kind", "乡镇街道"]):
        subprocess.run([str(BINARY), "--workspace", str(ws), *args], check=True,
                       capture_output=True, env={**os.environ, **UTF8})
    return ws


@pytest.fixture
def cpu_load(request: pytest.FixtureRequest) -> Iterator[None]:
    """Busy processes on every core (param True), or none."""
    busy = [subprocess.Popen([sys.executable, "-c", "while True: pass"])
            for _ in range(os.cpu_count() or 2)] if request.param else []
    try:
        yield
    finally:
        for proc in busy:
            proc.kill()
            proc.wait()


def open_site(term: Terminal, workspace: Path) -> None:
    env = " ".join(f"{k}={v}" for k, v in {"INSPECT_TUI_INSPECTOR": "连打测试员", **UTF8}.items())
    term.tmux("new-session", "-d", "-s", "app", "-x", "120", "-y", "40",
              f"{env} {BINARY} --workspace {workspace} run")
    term.wait_for("a 添加", timeout=60)
    term.keys("Enter")  # the only site; the burst follows at once, before the screen is drawn


def scores_on_disk(workspace: Path) -> dict[str, float | None]:
    with Workspace.open(workspace) as ws:
        inspection = ws.inspection(ws.inspection_ids()[0])
        site = next(s for s in inspection.sites() if s.name == SITE)
        return {cid: inspection.record(site.site_id, cid).points
                for cid in criterion_ids(CRITERIA)}


def quit_app(term: Terminal, workspace: Path, saved: int) -> None:
    term.wait_for(f"已评 {saved}/{CRITERIA}", timeout=600)  # correctness, not speed
    term.keys("C-q")
    deadline = time.monotonic() + 30
    while term.running() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not term.running(), "the app did not quit on Ctrl+Q"
    wait_until_gone(str(workspace))


@pytest.mark.parametrize("cpu_load", [False, True], ids=["idle", "loaded"], indirect=True)
@pytest.mark.usefixtures("cpu_load")
def test_burst_of_n_digit_enter_lands_on_intended_criteria(workspace: Path) -> None:
    """The screen opens on 1.1 (the first unscored); each `n d Enter` scores the next one."""
    rng = random.Random(CRITERIA)
    digits = [str(rng.randint(1, 9)) for _ in range(CRITERIA - 1)]
    term = Terminal(f"inspect-tui-burst-{os.getpid()}")
    try:
        open_site(term, workspace)
        burst = [key for d in digits for key in ("n", d, "Enter")]
        term.keys(*burst)
        quit_app(term, workspace, saved=len(digits))
    finally:
        term.kill()
    ids = criterion_ids(CRITERIA)
    expected = {cid: None for cid in ids} | {
        cid: float(d) for cid, d in zip(ids[1:], digits, strict=True)}
    assert scores_on_disk(workspace) == expected


@pytest.mark.parametrize("cpu_load", [True], ids=["loaded"], indirect=True)
@pytest.mark.usefixtures("cpu_load")
def test_burst_with_moves_and_corrections_lands_on_intended_criteria(workspace: Path) -> None:
    """`j`, `k` and typed decimals in one burst: a digit after a move scores the criterion
    moved to; a decimal typed in pieces is one score. (No Escape: a terminal reads Escape
    followed at once by `j` as Alt+J.)"""
    term = Terminal(f"inspect-tui-burst2-{os.getpid()}")
    try:
        open_site(term, workspace)
        # on 1.1: score it, go down two, score 2.5 there, go up one, score 7, then down.
        term.keys("4", "Enter", "j", "j", "2", ".", "5", "Enter", "k", "7", "Enter",
                  "j", "j", "j", "1", "Enter", "j", "8", "Enter")
        quit_app(term, workspace, saved=5)
    finally:
        term.kill()
    scores = scores_on_disk(workspace)
    scored = {cid: p for cid, p in scores.items() if p is not None}
    assert scored == {"1.1": 4.0, "1.3": 2.5, "1.2": 7.0, "1.5": 1.0, "1.6": 8.0}
