"""QR code images (PNG) for the PDF and the HTML.

Made with zxing-cpp's encoder (C++, the same library that decodes them in `verify`): about
1 ms per code with the standard's mask selection, against about 10 ms with the pure-Python
qrcode package (which tries all eight masks in Python). A 960-record report needs 960 codes,
and a process pool did not make qrcode fast enough on this two-core machine, so no pool is used.
Every image is decoded again right after it is made: a code that would not scan stops the export.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence

from inspect_tui.export.errors import ExportError

BOX_PIXELS = 4  # pixels per module: crisp when printed at 2.4 cm, still small as PNG
EC_LEVEL = "M"  # the payloads are sized for QR version <= 10 at level M


def qr_png(text: str) -> bytes:
    """One QR code as a 1-bit PNG with the standard 4-module quiet zone."""
    import zxingcpp
    from PIL import Image

    code = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level=EC_LEVEL)
    raster = code.to_image(scale=BOX_PIXELS, add_quiet_zones=True)
    height, width = raster.shape[0], raster.shape[1]
    image = Image.frombytes("L", (width, height), bytes(memoryview(raster)))
    if _decode_pure(image) != text:
        raise ExportError("export.qr_selfcheck", text=text[:40])
    out = io.BytesIO()
    image.convert("1").save(out, format="PNG")
    return out.getvalue()


def _decode_pure(image: object) -> str:
    import zxingcpp

    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode, is_pure=True,
                                   try_rotate=False, try_downscale=False, try_invert=False)
    return found[0].text if len(found) == 1 else ""


def qr_pngs(texts: Sequence[str],
            progress: Callable[[int, int], None] | None = None) -> list[bytes]:
    """PNG bytes for every text, in order; `progress(done, total)` every 50 codes."""
    out = []
    for n, text in enumerate(texts, start=1):
        out.append(qr_png(text))
        if progress and (n % 50 == 0 or n == len(texts)):
            progress(n, len(texts))
    return out
