"""reportlab Paragraphs whose markup is parsed once per text and style in a document.

A 960-record report makes ~1,500 paragraphs but only ~300 different ones (the same 整改建议
at many sites, "10/10" in many score cells); reportlab parses each one's markup with Python's
HTML parser (~0.1 ms a paragraph, a tenth of the PDF worker's layout). Here the fragments
a parse gives are kept per style (while the style lives: one document's) and each further
paragraph of the same text gets its own copies of them, which is what reportlab builds a
paragraph from when it is handed fragments instead of markup. Anything unusual (a bullet, a
<para> tag changing the style, fragments that are not reportlab's) is parsed every time.
"""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

# style -> markup -> (the paragraph's text, its fragments)
_PARSED: WeakKeyDictionary[ParagraphStyle, dict[str, tuple[str, list[Any]]]] = \
    WeakKeyDictionary()


def _copies(frags: list[Any]) -> list[Any]:
    return [f.clone() for f in frags]


def paragraph(marked: str, style: ParagraphStyle) -> Paragraph:
    """Paragraph(marked, style), its markup parsed once per style."""
    known = _PARSED.setdefault(style, {})
    hit = known.get(marked)
    if hit is not None:
        return Paragraph(hit[0], style, frags=_copies(hit[1]))
    made = Paragraph(marked, style)
    frags = made.frags
    if (made.style is style and made.bulletText == getattr(style, "bulletText", None)
            and isinstance(frags, list) and all(hasattr(f, "clone") for f in frags)):
        known[marked] = (made.text, _copies(frags))
    return made
