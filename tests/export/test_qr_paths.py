"""The QR paths written by table lookup (qr_images._Pieces) cover exactly the dark modules
that zxing-cpp drew, in the PDF (points, y up) and in the SVG (modules, quiet zone
included), and the modules read back from the paths decode to the text again."""

from __future__ import annotations

import re

import pytest
import zxingcpp
from PIL import Image

from inspect_tui.export.qr_images import PDF_MODULE, QUIET, qr_code

TEXTS = ["IT1" + "K7PQ" * 47, "https://example.org/v#IT" + "Z9" * 60, "short"]


def _dark(code_matrix: bytes, modules: int) -> set[tuple[int, int]]:
    return {(i % modules, i // modules) for i, b in enumerate(code_matrix) if b == 0}


def _cells(rects: list[tuple[int, int, int, int]]) -> list[tuple[int, int]]:
    return [(x + dx, y + dy) for x, y, w, h in rects for dx in range(w) for dy in range(h)]


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("quiet_below", [QUIET, QUIET // 2])
def test_pdf_path_covers_the_dark_modules_once(text: str, quiet_below: int) -> None:
    code = qr_code(text)
    ops = code.pdf_path(quiet_below)
    rects = [tuple(int(v) for v in m.groups())
             for m in re.finditer(r"(\d+) (\d+) (\d+) (\d+) re ", ops)]
    assert re.sub(r"(\d+) (\d+) (\d+) (\d+) re ", "", ops) == ""  # nothing but rectangles
    assert all(h == PDF_MODULE and x % PDF_MODULE == 0 and y % PDF_MODULE == 0
               for x, y, _, h in rects)
    top = quiet_below + code.modules - 1  # the top row, in modules from the bottom
    cells = _cells([(x // PDF_MODULE - QUIET, top - y // PDF_MODULE, w // PDF_MODULE, 1)
                    for x, y, w, _ in rects])
    assert len(cells) == len(set(cells))  # no module filled twice
    assert set(cells) == _dark(code.matrix, code.modules)


@pytest.mark.parametrize("text", TEXTS)
def test_svg_path_decodes_to_the_text(text: str) -> None:
    code = qr_code(text)
    rects = [(int(x) - QUIET, int(y) - QUIET, int(w), 1)
             for x, y, w, back in re.findall(r"M(\d+) (\d+)h(\d+)v1h-(\d+)z", code.svg_path)]
    assert "".join(re.findall(r"M\d+ \d+h\d+v1h-\d+z", code.svg_path)) == code.svg_path
    cells = _cells(rects)
    assert sorted(cells) == sorted(_dark(code.matrix, code.modules))
    side, scale = code.modules + 2 * QUIET, 4
    image = Image.new("L", (side * scale, side * scale), 255)
    for x, y in cells:
        image.paste(0, ((x + QUIET) * scale, (y + QUIET) * scale,
                        (x + QUIET + 1) * scale, (y + QUIET + 1) * scale))
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    assert [f.text for f in found] == [text]
