"""The report's canvas: page content streams deflated at zlib level 3 instead of 6, each as soon
as its page is finished, on a second thread.

The pages of a 960-record report are ~10 MB of operators, mostly the QR codes' rectangles.
Level 6 spent about 0.45 s on them, level 3 under 0.2 s, for a PDF about a fifth larger
(2.3 -> 2.8 MB; benchmarks/export.py prints the size). Embedded font subsets stay at reportlab's
level: only streams reportlab leaves unfiltered (the pages, once its own page compression is
off) get this filter. zlib lets go of the GIL while it deflates, so a page deflated while the
next ones are laid out costs no time where a core is free (the PDF worker's last stretch,
once the parent has written the HTML); reportlab writing the file then finds it done. The
bytes are those of deflating at write time: the same zlib call on the same text.
"""

from __future__ import annotations

import zlib
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from reportlab.pdfbase.pdfdoc import PDFStreamFilterZCompress
from reportlab.pdfgen.canvas import Canvas

PAGE_LEVEL = 3
_DEFLATER = ThreadPoolExecutor(1, thread_name_prefix="pdf-deflate")


def deflate(text: str | bytes) -> bytes:
    return zlib.compress(text.encode("utf8") if isinstance(text, str) else text, PAGE_LEVEL)


class _PageFlate(PDFStreamFilterZCompress):
    def __init__(self) -> None:
        # id(page text) -> (that text, kept so the id stays its own; its deflated bytes)
        self.ahead: dict[int, tuple[str | bytes, Future[bytes]]] = {}

    def start(self, text: str | bytes) -> None:
        self.ahead[id(text)] = (text, _DEFLATER.submit(deflate, text))

    def encode(self, text: str | bytes) -> bytes:
        known = self.ahead.pop(id(text), None)
        if known is not None and known[0] is text:
            return known[1].result()
        return deflate(text)


class ReportCanvas(Canvas):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pageCompression = 0  # reportlab would give each page its level-6 filter
        self._flate = _PageFlate()
        self._doc.defaultStreamFilters = [self._flate]  # what unfiltered streams get

    def showPage(self) -> None:
        super().showPage()
        stream = getattr(self._doc.Pages.pages[-1], "stream", None)
        if isinstance(stream, str | bytes):
            self._flate.start(stream)
