"""Find and read the QR codes in a photo or scan, and count the ones that could not be read.

zxing-cpp with `return_errors=True` also returns codes it located but could not decode
(a checksum or format error), so `verify` can say "在图片中发现 8 个二维码，读出 5 个" instead of
judging by the readable ones alone. Only full QR codes (model 1 and 2) are looked for: in
zxing-cpp 3 `BarcodeFormat.QRCode` also matches Micro QR and rMQR, and a low-resolution scan of
a genuine report was read as Micro QR codes that then failed as "malformed".
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from io import BytesIO
from typing import Any

UPSCALE_BELOW = 2400  # pixels on the long side


class ImageTooLarge(Exception):
    """An image with more pixels than PIL's decompression-bomb limit."""


@dataclass(frozen=True)
class ImageScan:
    texts: list[str]  # every distinct text read, in the order found
    seen: int  # codes located, read or not

    @property
    def unread(self) -> int:
        return max(self.seen - len(self.texts), 0)


@dataclass
class _Code:
    x: float  # centre, in the original image's pixels
    y: float
    size: float
    skew: float  # longest side / shortest side of its outline: 1 for a square
    text: str | None  # None: located but not decoded


def _codes(found: list[Any], scale: int) -> list[_Code]:
    import zxingcpp

    out = []
    for code in found:
        if code.format != zxingcpp.BarcodeFormat.QRCode:  # never Micro QR or rMQR
            continue
        p = code.position
        xs = [p.top_left.x, p.top_right.x, p.bottom_right.x, p.bottom_left.x]
        ys = [p.top_left.y, p.top_right.y, p.bottom_right.y, p.bottom_left.y]
        size = max(max(xs) - min(xs), max(ys) - min(ys), 1) / scale
        sides = [math.dist((xs[k], ys[k]), (xs[k - 1], ys[k - 1])) for k in range(4)]
        out.append(_Code(sum(xs) / 4 / scale, sum(ys) / 4 / scale, size,
                         max(sides) / max(min(sides), 1), code.text if code.valid else None))
    return out


def _same(a: _Code, b: _Code) -> bool:
    small, large = sorted((a.size, b.size))
    return abs(a.x - b.x) < small / 4 and abs(a.y - b.y) < small / 4 and large < small * 1.2


def _merge(codes: list[_Code]) -> list[list[_Code]]:
    """One group per physical code: detections of about the same place and size (the same
    code found at another scale, or twice with a one-pixel shift)."""
    groups: list[list[_Code]] = []
    for code in codes:
        for group in groups:
            if _same(group[0], code):
                group.append(code)
                break
        else:
            groups.append([code])
    return groups


def _overlap(a: _Code, b: _Code) -> float:
    """The share of the smaller code's square that the two squares have in common."""
    w = min(a.x + a.size / 2, b.x + b.size / 2) - max(a.x - a.size / 2, b.x - b.size / 2)
    h = min(a.y + a.size / 2, b.y + b.size / 2) - max(a.y - a.size / 2, b.y - b.size / 2)
    return max(w, 0) * max(h, 0) / min(a.size, b.size) ** 2


def _physical(groups: list[list[_Code]]) -> list[list[_Code]]:
    """Printed codes never overlap: a located-but-unread outline lying across others is the
    decoder pairing finder patterns of neighbouring codes, not a code. Read codes are kept
    first, then unread ones by how often they were found (a real code is found at both
    scales, often twice), then by how square they are."""
    ranked = sorted(groups, key=lambda g: (not any(c.text for c in g), -len(g),
                                           min(c.skew for c in g)))
    kept: list[list[_Code]] = []
    for group in ranked:
        if any(c.text for c in group) or all(_overlap(group[0], k[0]) < 0.2 for k in kept):
            kept.append(group)
    return kept


def scan_image(data: bytes) -> ImageScan:
    """Every QR text in an image (EXIF rotation applied) and how many codes were located.

    A small image is also read at twice its size: a slightly blurred scan with about two
    pixels per QR module reads far better enlarged. ImageTooLarge for a decompression bomb;
    an image PIL cannot read holds no codes.
    """
    import zxingcpp
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            # PIL only warns (on stderr, raw) between 1× and 2× its pixel limit, then decodes
            # anyway: refuse those too, the same as the bombs it rejects itself.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(BytesIO(data)) as raw:
                image = ImageOps.exif_transpose(raw).convert("L")
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise ImageTooLarge() from None
    except (UnidentifiedImageError, OSError, ValueError):
        return ImageScan([], 0)
    passes = [(image, 1)]
    if max(image.size) <= UPSCALE_BELOW:
        passes.append((image.resize((image.width * 2, image.height * 2),
                                    Image.Resampling.BICUBIC), 2))
    formats = [zxingcpp.BarcodeFormat.QRCodeModel1, zxingcpp.BarcodeFormat.QRCodeModel2]
    found: list[_Code] = []
    for candidate, scale in passes:
        found += _codes(zxingcpp.read_barcodes(candidate, formats=formats, return_errors=True),
                        scale)
    texts: dict[str, None] = {}
    for code in found:
        if code.text is not None:
            texts[code.text] = None
    groups = _physical(_merge(found))
    # Two different texts read at one place are still two codes read (never fewer seen
    # than read).
    return ImageScan(list(texts), max(len(groups), len(texts)))
