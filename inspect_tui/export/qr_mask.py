"""A QR symbol with the mask zint (inside zxing-cpp) would choose, from one encoding, not eight.

zxing-cpp encodes with zint, which masks the symbol eight ways and scores each (ISO 18004's
penalty rules N1-N4, as zint's qr_evaluate reads them): about 0.65 ms of the 0.85 ms one code
took. Here the text is encoded once, with mask 0. Mask k's symbol differs from mask 0's by a
pattern that depends only on the symbol's size and error-correction level (the data modules
the two masks treat differently, and the format bits); it is learned from zint's own
encodings of the first text of that size with each mask, so no QR tables are written here.
A symbol is a Python int of one bit per module (quiet zone included, row after row; 1 =
dark), and each mask is scored with a few dozen whole-symbol bit operations. The lowest score
wins, the first one on a tie, as in zint. tests/export/test_qr_mask.py checks the symbol
against zint's for every code of a 960-record report and for random texts.
"""

from __future__ import annotations

from dataclasses import dataclass

QUIET = 4  # zxing-cpp's quiet zone, light modules on every side: zint's "outside is light"
MASKS = 8
_TO_BITS = bytes.maketrans(b"\x00\xff", b"10")  # zxing-cpp's image: 0 = dark, 255 = light
_TO_IMAGE = bytes.maketrans(b"10", b"\x00\xff")


@dataclass(frozen=True)
class _Size:
    """What every symbol of one size and error-correction level shares."""

    width: int  # modules per side, quiet zone included
    symbol: int  # modules per side of the symbol itself
    inside: int  # bits of the symbol's modules
    every: int  # bits of every module, quiet zone included
    flips: tuple[int, ...]  # mask k's symbol = mask 0's ^ flips[k]


_SIZES: dict[tuple[int, str], _Size] = {}


def _encode(text: str, ec_level: str, mask: int) -> tuple[int, str, bytes]:
    """(width, error-correction level, image bytes) of zint's symbol with `mask`."""
    import zxingcpp

    code = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level=ec_level,
                                   data_mask=mask)
    image = code.to_image(scale=1, add_quiet_zones=True)
    return int(image.shape[1]), str(code.ec_level), bytes(memoryview(image))  # type: ignore[arg-type]


def _bits(image: bytes) -> int:
    return int(image.translate(_TO_BITS), 2)


def _size(text: str, ec_level: str, width: int, level: str, first: int) -> _Size:
    """The shared parts of `text`'s size, learned from zint's encodings of it."""
    symbol = width - 2 * QUIET
    row = ((1 << symbol) - 1) << QUIET
    inside = sum(row << (r * width) for r in range(QUIET, QUIET + symbol))
    flips = [0]
    for mask in range(1, MASKS):
        other_width, other_level, image = _encode(text, ec_level, mask)
        if (other_width, other_level) != (width, level):
            raise ValueError(f"mask {mask} changed the symbol's size or level")
        flips.append(first ^ _bits(image))
    return _Size(width, symbol, inside, (1 << width * width) - 1, tuple(flips))


def penalty(dark: int, size: _Size) -> int:
    """zint's score of a masked symbol (qr_evaluate): N1 runs of 5+ alike in a row or
    column (3 + 1 per module beyond 5), N2 2x2 blocks alike (3 each), N3 1:1:3:1:1 patterns
    with 4 light modules (or the edge) before or after them (40 each), N4 the dark share's
    distance from half (10 per 5 %). Bit i of `x >> k` is module i + k of x."""
    light = size.inside & ~dark
    edge_light = size.every & ~dark  # the quiet zone counts as light, as zint's edge does
    width = size.width
    score = 0
    for step in (1, width):  # along rows, then along columns
        dark_two = dark & (dark >> step)
        light_two = light & (light >> step)
        for same, two in ((dark, dark_two), (light, light_two)):
            five = two & (two >> 2 * step) & (same >> 4 * step)  # 5 alike from here on
            # a run of n >= 5 holds n - 4 such starts and scores n - 2
            score += 3 * five.bit_count() - 2 * (five & (five >> step)).bit_count()
        found = (dark & (light >> step) & ((dark_two & (dark >> 2 * step)) >> 2 * step)
                 & (light >> 5 * step) & (dark >> 6 * step))  # dark light dark×3 light dark
        if found:
            two = edge_light & (edge_light >> step)
            four = two & (two >> 2 * step)  # 4 light from here on
            score += 40 * (found & ((four << 4 * step) | (four >> 7 * step))).bit_count()
        if step == 1:  # N2: two alike side by side, above two alike side by side
            score += 3 * ((dark_two & (dark_two >> width)).bit_count()
                          + (light_two & (light_two >> width)).bit_count())
    share = 100.0 * dark.bit_count() / (size.symbol * size.symbol)
    return score + 10 * int(abs(share - 50.0) / 5.0)


def best_mask(dark0: int, size: _Size) -> int:
    scores = [penalty(dark0 ^ flip, size) for flip in size.flips]
    return scores.index(min(scores))  # the first lowest, as zint keeps it


def symbol_image(text: str, ec_level: str) -> tuple[int, bytes]:
    """(width, image) of the QR symbol zint makes for `text`: one byte per module, quiet
    zone included, row after row, 0 = dark and 255 = light (as zxing-cpp's to_image)."""
    width, level, image = _encode(text, ec_level, 0)
    dark0 = _bits(image)
    size = _SIZES.get((width, level))
    if size is None:
        size = _SIZES[width, level] = _size(text, ec_level, width, level, dark0)
    mask = best_mask(dark0, size)
    if mask == 0:
        return width, image
    dark = dark0 ^ size.flips[mask]
    return width, format(dark, f"0{width * width}b").encode("ascii").translate(_TO_IMAGE)
