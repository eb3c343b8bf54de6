"""QR codes as module matrices, drawn as vectors by the PDF and as SVG paths by the HTML.

Encoded with zxing-cpp (C++, the library `verify` decodes with; the standard's mask selection
in well under a millisecond per code, against about 10 ms with the pure-Python qrcode
package). A code is kept as its dark runs per row: the PDF fills them as rectangles in one
path (no PNG to compress and decompress; sharp at any print resolution), the HTML as one SVG
path. Every code is decoded again right after it is made, and must come back as a full QR
code (never Micro QR) with the same text: a code that would not scan stops the export.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from inspect_tui.export.errors import ExportError

# Level M: 15 % of the code words may be lost (a crease, a blot, a photo's glare) and a
# 190-character record payload still fits version 8 (49 modules); level Q would need 53-57.
EC_LEVEL = "M"
QUIET = 4  # modules of white around the code, as the standard asks


@dataclass(frozen=True)
class QrCode:
    text: str
    modules: int  # modules per side, quiet zone not included
    runs: tuple[tuple[int, int, int], ...]  # (row, first column, length) of each dark run

    def svg(self, css_class: str = "") -> str:
        """Inline SVG for an HTML page (quiet zone included), scaling to its box."""
        side = self.modules + 2 * QUIET
        path = "".join(f"M{QUIET + x} {QUIET + y}h{n}v1h-{n}z" for y, x, n in self.runs)
        cls = f' class="{css_class}"' if css_class else ""
        return (f'<svg{cls} viewBox="0 0 {side} {side}" '
                f'shape-rendering="crispEdges"><rect width="{side}" height="{side}" '
                f'fill="#fff"/><path d="{path}" fill="#000"/></svg>')


_DARK = re.compile(b"\x00+")  # a run of dark modules (the regex engine scans in C)


def _runs(raster: object, modules: int) -> tuple[tuple[int, int, int], ...]:
    data = bytes(memoryview(raster))  # type: ignore[arg-type]  # one byte per module, 0 = dark
    return tuple((y, m.start() - y * modules, m.end() - m.start()) for y in range(modules)
                 for m in _DARK.finditer(data, y * modules, (y + 1) * modules))


def qr_code(text: str) -> QrCode:
    """One QR code for `text`, checked by decoding it."""
    import zxingcpp

    code = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level=EC_LEVEL)
    raster = code.to_image(scale=1, add_quiet_zones=False)
    if _decode_pure(code.to_image(scale=2, add_quiet_zones=True)) != text:
        raise ExportError("export.qr_selfcheck", text=text[:40])
    return QrCode(text, int(raster.shape[0]), _runs(raster, int(raster.shape[0])))


def _decode_pure(image: object) -> str:
    import zxingcpp

    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode, is_pure=True,
                                   try_rotate=False, try_downscale=False, try_invert=False)
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
