"""The CJK font shipped in the package: it covers what the app prints, it is TrueType (glyf),
its licence is beside it, and export falls back to it when the system has no Chinese font."""

from __future__ import annotations

import importlib.util
import subprocess
from pathlib import Path
from types import ModuleType

import pytest
from fontTools.ttLib import TTFont as ToolsFont

from inspect_tui.export import fonts
from inspect_tui.export.errors import FontNotFoundError
from tests.conftest import REPO


def _build_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_cjk_font",
                                                  REPO / "tools" / "build_cjk_font.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


strings_of = _build_tool().strings_of  # what the app's files say, read as the font build does

PACKAGE = REPO / "inspect_tui"


def covered() -> set[int]:
    return set(ToolsFont(str(fonts.BUNDLED))["cmap"].getBestCmap())


def app_texts() -> list[Path]:
    """Everything the app can put into a report or onto a screen from its own files: every
    message, the report code, the shipped checklists and the demo."""
    return sorted([*(PACKAGE / "locale").glob("*.toml"), *(PACKAGE / "export").glob("*.py"),
                   PACKAGE / "demo.py", *(REPO / "checklists").glob("*.toml")])


def test_every_character_of_messages_checklists_and_demo_has_a_glyph() -> None:
    have = covered()
    lacking: dict[str, str] = {}
    for path in app_texts():
        chars = {ch for text in strings_of(path) for ch in text
                 if ord(ch) >= 0x20 and ord(ch) not in have}
        if chars:
            lacking[str(path.relative_to(REPO))] = "".join(sorted(chars))
    assert not lacking, (f"the bundled font lacks {lacking}: rebuild it with "
                         "`.venv/bin/python tools/build_cjk_font.py` (inspect_tui/fonts/README.md)")
    assert len(app_texts()) > 15  # the messages, checklists and demo were all read


def test_it_covers_gb2312_and_the_ascii_the_reports_print() -> None:
    have = covered()
    gb2312 = set()
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            char = bytes([high, low]).decode("gb2312", errors="ignore")  # '' if unassigned
            if char:
                gb2312.add(ord(char))
    assert len(gb2312) == 7445 and gb2312 <= have
    assert set(range(0x20, 0x7F)) <= have


def test_truetype_outlines_small_and_licensed() -> None:
    font = ToolsFont(str(fonts.BUNDLED))
    assert "glyf" in font and "CFF " not in font  # reportlab embeds glyf fonts only
    assert font["name"].getDebugName(6) == "WenQuanYiMicroHeiSubset"  # not the original's name
    assert fonts.BUNDLED.stat().st_size < 2 * 1024 * 1024
    licence = (fonts.BUNDLED.parent / "LICENSE-Apache-2.0.txt").read_text("utf-8")
    assert "Apache License" in licence and "Version 2.0" in licence
    readme = (fonts.BUNDLED.parent / "README.md").read_text("utf-8")
    assert "WenQuanYi" in readme and "Apache" in readme and "Changes made" in readme


def test_the_font_file_is_not_ignored_by_git_so_the_wheel_has_it() -> None:
    """hatch builds the wheel from the package folder minus what .gitignore ignores."""
    done = subprocess.run(["git", "check-ignore", "-q", str(fonts.BUNDLED)], cwd=REPO,
                          capture_output=True)
    if done.returncode == 128:
        pytest.skip("not a git checkout")
    assert done.returncode == 1, "inspect_tui/fonts/ is ignored: the wheel would lack the font"


def test_no_system_font_means_the_bundled_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(fonts.ENV_FONT, raising=False)
    monkeypatch.setattr(fonts, "CANDIDATES", (("/nonexistent/wqy-microhei.ttc", 0),))
    choice, font = fonts.find_cjk_font()
    assert choice.path == fonts.BUNDLED
    assert all(ord(ch) in font.face.charToGlyph for ch in "兰溪市普法验收优秀不合格✓✗⚠")


def test_bundled_can_be_chosen_even_beside_a_system_font(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(fonts.ENV_FONT, fonts.BUNDLED_VALUE)
    assert fonts.find_cjk_font()[0].path == fonts.BUNDLED


def test_a_missing_bundled_font_still_says_what_to_install(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(fonts.ENV_FONT, raising=False)
    monkeypatch.setattr(fonts, "CANDIDATES", ())
    monkeypatch.setattr(fonts, "BUNDLED", tmp_path / "gone.ttf")
    with pytest.raises(FontNotFoundError) as info:
        fonts.find_cjk_font()
    assert fonts.INSTALL_HINT in str(info.value)
