"""The real `inspect-tui` command in a subprocess: output, exit codes, no tracebacks."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.checklist_samples import VALID
from tests.conftest import REPO


def cli(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("inspect-tui", path=str(Path(sys.executable).parent))
    cmd = [exe] if exe else [sys.executable, "-m", "inspect_tui"]
    env = {**os.environ, "COLUMNS": "120", "INSPECT_TUI_LANG": "zh"}
    return subprocess.run([*cmd, *args], capture_output=True, text=True, cwd=cwd, env=env,
                          timeout=60)


def test_validate_shipped_checklists() -> None:
    files = sorted(str(p) for p in (REPO / "checklists").glob("*.toml"))
    r = cli("checklist", "validate", *files)
    assert r.returncode == 0, r.stderr
    assert r.stdout.count("✓") == len(files)


def test_validate_bad_file_is_one_clear_paragraph(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(VALID.replace("points = 4", "points = 7"), "utf-8")
    good = tmp_path / "good.toml"
    good.write_text(VALID, "utf-8")
    r = cli("checklist", "validate", str(good), str(bad))
    assert r.returncode == 2
    assert "✓" in r.stdout and str(bad) in r.stderr and "超过该项满分" in r.stderr
    assert "Traceback" not in r.stderr


def test_show_outline() -> None:
    r = cli("checklist", "show", "wuhan-2018-workpoints")
    assert r.returncode == 0, r.stderr
    assert "2018年全市普法依法治理工作要点落实检查表" in r.stdout
    assert "1.1" in r.stdout and "000 " in r.stdout and "内容哈希" in r.stdout


def test_show_unknown_checklist() -> None:
    r = cli("checklist", "show", "no-such-list")
    assert r.returncode == 2 and "找不到检查表" in r.stderr and "qiwu-acceptance" in r.stderr


def test_english() -> None:
    r = cli("--lang", "en", "checklist", "show", "no-such-list")
    assert r.returncode == 2 and "no checklist" in r.stderr


@pytest.mark.parametrize("args", [["--help"], ["checklist", "--help"],
                                  ["checklist", "validate", "--help"], ["--lang", "en", "--help"]])
def test_help_everywhere_with_examples(args: list[str]) -> None:
    r = cli(*args)
    assert r.returncode == 0 and ("示例" in r.stdout or "Example" in r.stdout)


def test_usage_error_exit_2_without_traceback() -> None:
    r = cli("frobnicate")
    assert r.returncode == 2 and "命令用法不对" in r.stderr and "Traceback" not in r.stderr


def test_demo_flag_parses_at_top_level_and_after_run() -> None:
    from inspect_tui.cli.main import build_parser

    for argv in (["--demo"], ["run", "--demo"], ["--demo", "run"]):
        args = build_parser().parse_args(argv)
        assert args.demo is True, argv
    assert build_parser().parse_args([]).demo is False
