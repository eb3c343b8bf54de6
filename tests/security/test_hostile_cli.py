"""Hostile text through the CLI and in a real terminal: shown literally, never obeyed.

The CLI prints checklist titles, site names, notes, authors, paths and errors quoting them
(see `hostile.py`). Rich would read them as markup ("[/]" raised MarkupError in `checklist
show`) and the terminal would obey their control characters. In a pipe nothing may carry a
control character; in tmux, the pane's title (which "\\x1b]0;pwned\\x07" would set) must stay.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from inspect_tui.core.record_id import make_record_id
from inspect_tui.terminal_safe import has_controls
from tests.export.fixed_report import KEY
from tests.security import hostile as h
from tests.security.hostile import Hostile, hostile_copy, visible
from tests.terminal import BINARY, UTF8, Terminal, needs_tmux
from tests.test_sshsig import signer_line


@pytest.fixture
def ws(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Hostile:
    return hostile_copy(tmp_path_factory.getbasetemp(), tmp_path / "hostile")


@pytest.fixture
def checklist_file(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.toml"
    path.write_bytes(h.checklist_bytes())
    return path


def run(*args: str | Path, workspace: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The installed command in a pipe, wide enough that table cells do not wrap."""
    env = {**os.environ, "COLUMNS": "1000", "INSPECT_TUI_LANG": "zh",
           "INSPECT_TUI_INSPECTOR": h.AUTHOR}
    ws_args = ["--workspace", str(workspace)] if workspace else []
    return subprocess.run([str(BINARY), *ws_args, *map(str, args)], capture_output=True,
                          text=True, env=env, timeout=120)


def literal_and_harmless(result: subprocess.CompletedProcess[str], *texts: str,
                         code: int = 0) -> None:
    """Exit code as expected, no traceback, no control character, every text shown."""
    output = result.stdout + result.stderr
    assert result.returncode == code, output
    assert "Traceback" not in output and "MarkupError" not in output, output
    assert not has_controls(output), repr(output)
    missing = [text for text in texts if visible(text) not in output]
    assert not missing, f"not shown literally: {missing!r}\n{output}"


def test_checklist_validate_and_show(checklist_file: Path) -> None:
    literal_and_harmless(run("checklist", "validate", checklist_file), h.CHECKLIST_TITLE)
    literal_and_harmless(run("checklist", "show", checklist_file),
                         h.CHECKLIST_TITLE, h.SCORING_NOTE, h.SOURCE_TITLE, h.SOURCE_FILE,
                         h.SECTION_TITLE, h.CRIT_TITLE, h.CRIT_SOURCE, h.TARGET_UNIT,
                         h.DEADLINE, *h.GRADES)


def test_a_broken_hostile_checklist_is_one_harmless_paragraph(checklist_file: Path) -> None:
    broken = checklist_file.with_name(f"坏[bold]{h.TITLE}.toml")  # no "/" in a file name
    broken.write_bytes(checklist_file.read_bytes().replace(b'total = 10', b'total = 11'))
    literal_and_harmless(run("checklist", "validate", broken), "坏[bold]", code=2)


def test_workspace_listings(ws: Hostile) -> None:
    literal_and_harmless(run("inspection", "list", workspace=ws.workspace), h.INSPECTION_TITLE)
    literal_and_harmless(run("site", "list", workspace=ws.workspace),
                         h.SITE1, h.GROUP1, h.SITE2, h.GROUP2, h.SITE3, h.GRADES[1])
    literal_and_harmless(run("conflicts", workspace=ws.workspace),
                         h.CONFLICT_LEAD, h.CONFLICT_LAPTOP, h.AUTHOR, h.LAPTOP_AUTHOR)
    record = make_record_id(h.INSPECTION, ws.site1, "1.1")
    literal_and_harmless(run("lookup", record, workspace=ws.workspace),
                         h.SITE1, h.CRIT_TITLE, h.AUTHOR, h.PROBLEMS)
    literal_and_harmless(run("doctor", workspace=ws.workspace))


def test_merge_report_and_errors_quoting_hostile_paths(ws: Hostile) -> None:
    literal_and_harmless(run("merge", ws.laptop2, workspace=ws.workspace),
                         ws.laptop2.name, h.LAPTOP_AUTHOR)
    missing = ws.root / f"没有{h.CLOSE}{h.TITLE}"
    literal_and_harmless(run("site", "list", workspace=missing), f"没有{h.CLOSE}", code=2)


def test_verify_quotes_a_hostile_qr_text_harmlessly(tmp_path: Path) -> None:
    trusted = tmp_path / "allowed_signers"
    trusted.write_text(signer_line(KEY) + "\n")
    scanned = f"IT1:R-{h.CLICK}{h.CLEAR}{h.TITLE}"  # a QR text as a phone or a scanner read it
    literal_and_harmless(run("verify", "--trusted", trusted, scanned), code=1)
    unknown = f"扫到{h.CLICK}{h.TITLE}"  # neither a file nor a QR text: quoted in the error
    literal_and_harmless(run("verify", "--trusted", trusted, unknown), unknown, code=2)
    scanned_file = tmp_path / f"扫描[bold]{h.TITLE}.jpg"
    scanned_file.write_bytes(b"\xff\xd8 not really a photo")
    literal_and_harmless(run("verify", "--trusted", trusted, scanned_file), "扫描[bold]",
                         code=1)


@needs_tmux
def test_a_real_terminal_is_not_steered(ws: Hostile, checklist_file: Path) -> None:
    """The app and the CLI in tmux: the pane title stays, the hostile names show literally."""
    term = Terminal(f"inspect-tui-hostile-{os.getpid()}")
    env = " ".join(f"{k}={v}" for k, v in {**UTF8, "INSPECT_TUI_INSPECTOR": "t"}.items())
    term.tmux("new-session", "-d", "-s", "app", "-x", "200", "-y", "40",
              f"{env} {BINARY} --workspace {ws.workspace}")
    try:
        term.tmux("set-option", "-p", "-t", "app", "remain-on-exit", "on")
        screen = term.wait_for("a 添加")
        term.wait_for(visible(h.GROUP2))
        assert visible(h.SITE3) in term.screen()
        term.keys("Enter")  # the scoring screen: checklist texts, notes, evidence names
        term.wait_for("宪法宣传[@click=app.quit]退出[/]<b>")
        term.wait_for("要求[bold red]x[/]<font color=red>")
        assert term.tmux("display", "-p", "-t", "app", "#{pane_title}").strip() != "pwned"
        term.keys("C-q")
        term.wait_for("宪法宣传", gone=True)
        term.tmux("respawn-pane", "-k", "-t", "app",
                  f"{env} {BINARY} checklist show {checklist_file}; sleep 30")
        screen = term.wait_for(visible(h.SECTION_TITLE)[:20])
        assert visible(h.SCORING_NOTE) in screen
        assert term.tmux("display", "-p", "-t", "app", "#{pane_title}").strip() != "pwned"
    finally:
        term.kill()
