"""export.font_cache: a font read from the cache is the font reportlab reads (every attribute),
a report laid out with cached fonts is byte for byte the one laid out with parsed fonts, and a
stale, damaged or unwritable cache only means parsing again."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from reportlab.pdfbase.ttfonts import TTFNameBytes, TTFont

from inspect_tui.export import font_cache
from inspect_tui.export.fonts import BUNDLED
from tests.export.conftest import needs_font

SONG = Path("/usr/share/fonts/truetype/arphic/uming.ttc")
ROOT = Path(__file__).resolve().parents[2]


def same_font(cached: TTFont, parsed: TTFont) -> None:
    assert type(cached) is type(parsed) and type(cached.face) is type(parsed.face)
    mine, theirs = vars(cached), vars(parsed)
    assert mine.keys() == theirs.keys()
    for key in mine.keys() - {"face", "encoding", "state"}:
        assert mine[key] == theirs[key], key
    assert type(cached.encoding) is type(parsed.encoding) and not cached.state
    mine, theirs = vars(cached.face), vars(parsed.face)
    assert mine.keys() == theirs.keys()
    for key in mine.keys() - {"_pdfScale"}:
        assert type(mine[key]) is type(theirs[key]) and mine[key] == theirs[key], key
        if isinstance(mine[key], TTFNameBytes):
            assert mine[key].ustr == theirs[key].ustr
    for width in (0, 1, 500, 1234.5):
        assert mine["_pdfScale"](width) == theirs["_pdfScale"](width)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "inspect-tui" / "fonts"


def test_a_cached_font_is_the_parsed_font(cache: Path, tmp_path: Path) -> None:
    font = tmp_path / "font.ttf"
    shutil.copy(BUNDLED, font)
    parsed = TTFont("F", str(font))
    first = font_cache.load_font("F", str(font))
    entries = list(cache.iterdir())
    assert len(entries) == 1  # written by the first load
    same_font(first, parsed)
    cached = font_cache.load_font("F", str(font))
    same_font(cached, parsed)
    assert cached.face is not first.face and cached.stringWidth("检查 AZ", 11) == \
        parsed.stringWidth("检查 AZ", 11)
    font_cache.load_font("G", str(font))  # another name: another entry (shaping depends on it)
    assert len(list(cache.iterdir())) == 2


def test_a_stale_or_damaged_entry_means_parsing_again(cache: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    font = tmp_path / "font.ttf"
    shutil.copy(BUNDLED, font)
    font_cache.load_font("F", str(font))
    reads = []
    real = font_cache._rebuilt

    def rebuilt(path: str, kept: tuple[object, ...]) -> TTFont:
        reads.append(0)
        return real(path, kept)

    monkeypatch.setattr(font_cache, "_rebuilt", rebuilt)
    font_cache.load_font("F", str(font))
    assert reads == [0]  # from the cache
    os.utime(font, ns=(1, 1))  # the font file changed
    same_font(font_cache.load_font("F", str(font)), TTFont("F", str(font)))
    assert reads == [0]
    (entry,) = cache.iterdir()
    entry.write_bytes(b"\x00damaged")
    same_font(font_cache.load_font("F", str(font)), TTFont("F", str(font)))
    font_cache.load_font("F", str(font))
    assert reads == [0, 0]  # written again, then read


def test_an_unwritable_cache_still_gives_the_font(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    same_font(font_cache.load_font("F", str(BUNDLED)), TTFont("F", str(BUNDLED)))


PDF_SCRIPT = """
import hashlib
from reportlab import rl_config
rl_config.invariant = 1
from inspect_tui.export import pdf
from inspect_tui.export.qr_images import qr_codes
from tests.export.fixed_report import fixed_report
report = fixed_report()
records = [r for _, r in report.records() if r.qr]
images = qr_codes([r.qr for r in records] + [report.report_id])
codes = {r.record_id: code for r, code in zip(records, images, strict=False)}
print(hashlib.sha256(pdf.build_pdf(report, codes, images[-1])).hexdigest())
"""


@needs_font
@pytest.mark.skipif(not SONG.is_file(), reason="AR PL UMing not installed")
def test_a_report_laid_out_with_cached_fonts_is_the_same_pdf(cache: Path) -> None:
    def build() -> str:
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        env.pop("INSPECT_TUI_CJK_FONT", None)
        out = subprocess.run([sys.executable, "-c", PDF_SCRIPT], env=env, cwd=ROOT,
                             capture_output=True, text=True, check=True).stdout
        return out.split()[-1]

    def entries() -> dict[str, tuple[int, int]]:  # a rewritten entry is a new file
        return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in cache.iterdir()}

    parsed = build()
    kept = entries()
    assert len(kept) == 2  # the Song body face and the Hei heading face
    assert build() == parsed
    assert entries() == kept  # read, not parsed and written again
