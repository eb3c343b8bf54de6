"""The report's two faces: a Song (Ming) face for the body, as GB/T 9704 documents are set, and
the Hei face export.fonts finds for headings.

AR PL UMing (Debian fonts-arphic-uming; TrueType, so reportlab embeds a subset) is the Song
face when installed; otherwise — or when $INSPECT_TUI_CJK_FONT chooses a font — the body uses
the same font as the headings (the bundled WenQuanYi subset at worst). Parsed fonts are kept
for the process, and their parsed tables between processes (export.font_cache): parsing a 20 MB
collection costs a few hundred milliseconds.
"""

from __future__ import annotations

import os
from pathlib import Path

from inspect_tui.export.fonts import ENV_FONT, NEEDED, register_cjk_font
from inspect_tui.export.pdf_glyphs import set_fallback

SONG_NAME = "InspectSong"
SONG_CANDIDATES: tuple[tuple[str, int], ...] = (
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),  # AR PL UMing CN
)
_chosen: dict[str, tuple[str, str]] = {}


def _register_song() -> str | None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError

    from inspect_tui.export.font_cache import load_font

    for path, index in SONG_CANDIDATES:
        if not Path(path).is_file():
            continue
        try:
            font = load_font(SONG_NAME, path, index)
        except (TTFError, OSError, ValueError):
            continue
        if all(ord(ch) in font.face.charToGlyph for ch in NEEDED):
            pdfmetrics.registerFont(font)
            return SONG_NAME
    return None


def report_fonts() -> tuple[str, str]:
    """(body font, heading font), registered with reportlab."""
    env = os.environ.get(ENV_FONT, "")
    if env not in _chosen:
        head = register_cjk_font()
        body = None if env else _register_song()
        _chosen[env] = (body or head, head)
        set_fallback(body or head, head)
    return _chosen[env]
