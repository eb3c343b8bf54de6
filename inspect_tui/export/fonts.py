"""Find a CJK font the PDF can embed (as a subset): TrueType outlines, with Latin and digits.

reportlab embeds only TrueType-outline fonts; the CFF-outline OpenType fonts (Noto CJK .otf/.ttc,
Source Han) are refused, and a non-embedded CID font such as STSong-Light shows as empty boxes
on machines without Chinese fonts. Order: $INSPECT_TUI_CJK_FONT (`path` or `path:index` for a
.ttc collection, or `bundled`), then the usual system locations (full fonts: every hanzi a name
may use), then the subset of WenQuanYi Micro Hei shipped in the package (inspect_tui/fonts/:
GB2312 and every character of the app's own texts), so export works on a fresh machine. The
first font that loads and covers the test characters wins.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from inspect_tui.export.errors import FontNotFoundError

if TYPE_CHECKING:
    from reportlab.pdfbase.ttfonts import TTFont

ENV_FONT = "INSPECT_TUI_CJK_FONT"
BUNDLED_VALUE = "bundled"  # INSPECT_TUI_CJK_FONT=bundled: the shipped subset, even if others exist
BUNDLED = Path(__file__).resolve().parent.parent / "fonts" / "WenQuanYiMicroHei-subset.ttf"
INSTALL_HINT = "sudo apt-get install fonts-wqy-microhei"
FONT_NAME = "InspectCJK"
# Chinese, Latin, digits and the punctuation reports print.
NEEDED = "检查组普法优秀不合格得分AZaz09%.:/-“”（）、，。—·"
CANDIDATES: tuple[tuple[str, int], ...] = (
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/wqy-microhei/wqy-microhei.ttc", 0),  # Fedora, Arch
    ("/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
    ("/System/Library/Fonts/Supplemental/Arial Unicode.ttf", 0),  # macOS
    ("/Library/Fonts/Arial Unicode.ttf", 0),
    ("C:/Windows/Fonts/msyh.ttc", 0),  # Windows: Microsoft YaHei
    ("C:/Windows/Fonts/simhei.ttf", 0),
)


@dataclass(frozen=True)
class FontChoice:
    path: Path
    index: int


def _parse_env(value: str) -> FontChoice:
    path, _, index = value.rpartition(":")
    if path and index.isdigit():
        return FontChoice(Path(path), int(index))
    return FontChoice(Path(value), 0)


def _load(choice: FontChoice) -> tuple[TTFont | None, str]:
    """The font if reportlab can embed it and it covers NEEDED; else None and why not."""
    from reportlab.pdfbase.ttfonts import TTFError

    from inspect_tui.export.font_cache import load_font

    if not choice.path.is_file():
        return None, "missing"
    try:
        font = load_font(FONT_NAME, str(choice.path), choice.index)
    except (TTFError, OSError, ValueError) as exc:
        return None, str(exc)
    lacking = [ch for ch in NEEDED if ord(ch) not in font.face.charToGlyph]
    return (None, f"lacks {''.join(lacking)}") if lacking else (font, "")


def find_cjk_font() -> tuple[FontChoice, TTFont]:
    """The font to embed, or FontNotFoundError saying exactly what to install or set."""
    env = os.environ.get(ENV_FONT)
    if env:
        choice = FontChoice(BUNDLED, 0) if env == BUNDLED_VALUE else _parse_env(env)
        font, why = _load(choice)
        if font is None:
            raise FontNotFoundError("export.font_env_bad", env=ENV_FONT, path=env, reason=why,
                                    install=INSTALL_HINT)
        return choice, font
    for path, index in CANDIDATES:
        choice = FontChoice(Path(path), index)
        if Path(path).is_file() and (found := _load(choice)[0]) is not None:
            return choice, found
    bundled = FontChoice(BUNDLED, 0)
    if (found := _load(bundled)[0]) is not None:
        return bundled, found
    raise FontNotFoundError("export.font_missing", install=INSTALL_HINT, env=ENV_FONT,
                            searched="、".join(p for p, _ in CANDIDATES[:2]))


def register_cjk_font() -> str:
    """Find the font, register it with reportlab under FONT_NAME and return that name."""
    from reportlab.pdfbase import pdfmetrics

    pdfmetrics.registerFont(find_cjk_font()[1])
    return FONT_NAME
