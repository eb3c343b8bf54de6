"""Characters the body font lacks, set in the heading font instead.

AR PL UMing (the Song body face) has no U+2212 MINUS SIGN, which the scoring prints ("扣分：
−1.2"); drawn in UMing it would be a blank that pdftotext reads as a space. Any character
the body font lacks and the heading font has is switched to the heading font, in one-line
runs (OneLine) and in paragraph markup alike.
"""

from __future__ import annotations

from functools import cache

_fallback: dict[str, str] = {}  # body font name -> the font drawing what it lacks


def set_fallback(font: str, fallback: str) -> None:
    if font != fallback:
        _fallback[font] = fallback
        _switched.cache_clear()


@cache
def _glyphs(font: str) -> frozenset[int]:
    from reportlab.pdfbase import pdfmetrics

    return frozenset(pdfmetrics.getFont(font).face.charToGlyph)


@cache
def _switched(font: str) -> frozenset[str]:
    """The characters `font` lacks and its fallback has (one set: a text is checked against
    it in C, not character by character)."""
    other = _fallback.get(font)
    return frozenset() if other is None else frozenset(
        map(chr, _glyphs(other) - _glyphs(font)))


def segments(text: str, font: str) -> list[tuple[str, str]]:
    """`text` cut into (piece, font) runs."""
    switched = _switched(font)
    if switched.isdisjoint(text):
        return [(text, font)]
    out: list[tuple[str, str]] = []
    for ch in text:
        use = _fallback[font] if ch in switched else font
        if out and out[-1][1] == use:
            out[-1] = (out[-1][0] + ch, use)
        else:
            out.append((ch, use))
    return out


def markup(escaped: str, font: str) -> str:
    """Paragraph markup (already escaped) with the lacking characters in the fallback font."""
    if font not in _fallback:
        return escaped
    return "".join(piece if use == font else f'<font name="{use}">{piece}</font>'
                   for piece, use in segments(escaped, font))
