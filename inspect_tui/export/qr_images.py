"""QR codes as module matrices, drawn as vectors by the PDF and as SVG paths by the HTML.

Encoded with zxing-cpp (C++, the library `verify` decodes with; about 10 ms a code with the
pure-Python qrcode package), its mask chosen as zxing-cpp would by export.qr_mask (one
encoding instead of eight: 0.4 ms a code instead of 0.85). A code is kept as its matrix; its
dark runs become one path per code, a rectangle per run (no PNG to compress and decompress;
sharp at any print resolution): PDF operators for the PDF, an SVG path for the HTML. Every
code is decoded again right after it is made, from the very image its matrix is taken from,
and must come back as a full QR code (never Micro QR) with the same text: a code that would
not scan stops the export.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property

from inspect_tui.export.errors import ExportError
from inspect_tui.export.qr_mask import symbol_image

# Level M: 15 % of the code words may be lost (a crease, a blot, a photo's glare) and a
# 190-character record payload still fits version 8 (49 modules); level Q would need 53-57.
EC_LEVEL = "M"
QUIET = 4  # modules of white around the code, as the standard asks
# A printed module is 2 pt (0.71 mm), see pdf_parts.MODULE. The PDF path is written in points
# from the corner of the quiet zone, not scaled or moved by a matrix: poppler's anti-aliasing
# would then colour some edge pixels differently.
PDF_MODULE = 2
_DARK = re.compile(b"\x00+")  # a run of dark modules (the regex engine scans in C)
_PIECE = 8  # modules per table piece of a row (see _Pieces)


class _Pieces:
    """The operators drawing every 8-module piece of a row, made once per process.

    A row of a code is cut into 8-module pieces and each piece's text is looked up, with "Y"
    standing for the row: about 350 lookups a code instead of formatting its ~620 runs one by
    one (a run crossing a piece boundary becomes two touching rectangles of the same path,
    which fill the same modules).
    """

    def __init__(self, run: Callable[[int, int], str]) -> None:
        self.run = run  # (first module, length) -> the operators of one dark run
        self.known: list[dict[bytes, str]] = []

    def _piece(self, start: int, modules: bytes) -> str:
        text = "".join(self.run(start + m.start(), m.end() - m.start())
                       for m in _DARK.finditer(modules))
        self.known[start // _PIECE][modules] = text
        return text

    def path(self, rows: Sequence[tuple[bytes, str]]) -> str:
        """The whole path of a code: `rows` are (modules, the text standing for Y)."""
        width = len(rows[0][0]) if rows else 0
        while len(self.known) * _PIECE < width:
            self.known.append({})
        out = []
        for modules, y in rows:
            parts = []
            for start in range(0, width, _PIECE):
                piece = modules[start:start + _PIECE]
                known = self.known[start // _PIECE].get(piece)
                parts.append(self._piece(start, piece) if known is None else known)
            out.append("".join(parts).replace("Y", y))
        return "".join(out)


# PDF: points from the bottom left of the quiet zone
_PDF = _Pieces(lambda x, n: f"{(QUIET + x) * PDF_MODULE} Y {n * PDF_MODULE} {PDF_MODULE} re ")
# SVG: module units from the top left of the quiet zone
_SVG = _Pieces(lambda x, n: f"M{QUIET + x} Yh{n}v1h-{n}z")


@dataclass(frozen=True)
class QrCode:
    text: str
    modules: int  # modules per side, quiet zone not included
    matrix: bytes  # modules × modules bytes, row by row from the top, 0 = dark

    def _rows(self) -> list[bytes]:
        n = self.modules
        return [self.matrix[y * n:(y + 1) * n] for y in range(n)]

    def pdf_path(self, quiet_below: int = QUIET) -> str:
        """PDF path operators (to be filled) of the dark modules, in points from the bottom
        left of the quiet zone, `quiet_below` modules of it under the code."""
        top = quiet_below + self.modules - 1
        return _PDF.path([(row, str((top - y) * PDF_MODULE))
                          for y, row in enumerate(self._rows())])

    @cached_property
    def stacked_pdf_path(self) -> str:
        """pdf_path with half the quiet zone below, as a record's code is printed; kept, so
        export.pdf_worker can make it in the parent process and send it along."""
        return self.pdf_path(QUIET // 2)

    @cached_property
    def svg_path(self) -> str:
        return _SVG.path([(row, str(QUIET + y)) for y, row in enumerate(self._rows())])

    def svg(self, css_class: str = "") -> str:
        """Inline SVG for an HTML page (quiet zone included), scaling to its box."""
        side = self.modules + 2 * QUIET
        cls = f' class="{css_class}"' if css_class else ""
        return (f'<svg{cls} viewBox="0 0 {side} {side}" '
                f'shape-rendering="crispEdges"><rect width="{side}" height="{side}" '
                f'fill="#fff"/><path d="{self.svg_path}" fill="#000"/></svg>')


def _matrix(image: bytes, width: int) -> tuple[int, bytes]:
    """(modules, matrix) of a one-byte-a-module image with its quiet zone: the top-left
    finder pattern's corner is the first dark pixel, as far from the top as from the left."""
    quiet = image.index(0) // width
    modules = width - 2 * quiet
    rows = (image[(quiet + y) * width + quiet:(quiet + y) * width + quiet + modules]
            for y in range(modules))
    return modules, b"".join(rows)


def qr_code(text: str) -> QrCode:
    """One QR code for `text`, checked by decoding the image its matrix is taken from."""
    width, image = symbol_image(text, EC_LEVEL)
    if _decode_pure(memoryview(image).cast("B", (width, width))) != text:
        raise ExportError("export.qr_selfcheck", text=text[:40])
    return QrCode(text, *_matrix(image, width))


def _decode_pure(image: object) -> str:
    import zxingcpp

    # The image is black and white already: a fixed threshold reads its modules as they are
    # (a fifth faster than averaging a neighbourhood per pixel).
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode, is_pure=True,
                                   try_rotate=False, try_downscale=False, try_invert=False,
                                   binarizer=zxingcpp.Binarizer.FixedThreshold)
    ok = len(found) == 1 and found[0].format == zxingcpp.BarcodeFormat.QRCode
    return found[0].text if ok else ""


def qr_codes(texts: Sequence[str],
             progress: Callable[[int, int], None] | None = None) -> list[QrCode]:
    """A code for every text, in order; `progress(done, total)` every 50 codes."""
    out = []
    for n, text in enumerate(texts, start=1):
        out.append(qr_code(text))
        if progress and (n % 50 == 0 or n == len(texts)):
            progress(n, len(texts))
    return out
