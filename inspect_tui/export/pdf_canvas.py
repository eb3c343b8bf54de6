"""The report's canvas: page content streams deflated at zlib level 3 instead of 6.

The pages of a 960-record report are ~10 MB of operators, mostly the QR codes' rectangles.
Level 6 spent about 0.45 s on them, level 3 under 0.2 s, for a PDF about a fifth larger
(2.3 -> 2.8 MB; benchmarks/export.py prints the size). Embedded font subsets stay at reportlab's
level: only streams reportlab leaves unfiltered (the pages, once its own page compression is
off) get this filter.
"""

from __future__ import annotations

import zlib
from typing import Any

from reportlab.pdfbase.pdfdoc import PDFStreamFilterZCompress
from reportlab.pdfgen.canvas import Canvas

PAGE_LEVEL = 3


class _PageFlate(PDFStreamFilterZCompress):
    def encode(self, text: str | bytes) -> bytes:
        return zlib.compress(text.encode("utf8") if isinstance(text, str) else text,
                             PAGE_LEVEL)


class ReportCanvas(Canvas):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pageCompression = 0  # reportlab would give each page its level-6 filter
        self._doc.defaultStreamFilters = [_PageFlate()]  # what unfiltered streams get
