"""export.qr_mask makes the very symbol zxing-cpp (zint) makes, choosing the mask itself: for
signed record payloads, their verifier links, a report's code and random texts of every
length (every QR version up to 40, numeric, alphanumeric and byte mode); its penalty equals a
plain port of zint's qr_evaluate module by module; and each mask's symbol is zint's."""

from __future__ import annotations

import random

import pytest
import zxingcpp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspect_tui.core.qr_link import link
from inspect_tui.core.qr_payload import QR_ALPHANUMERIC, PayloadFields, encode_payload
from inspect_tui.core.record_id import make_record_id
from inspect_tui.core.report_qr import encode_report_qr
from inspect_tui.export import qr_mask
from inspect_tui.export.qr_images import EC_LEVEL, qr_code
from tests.export.fixed_report import KEY


def zint_image(text: str, mask: int | None = None, ec_level: str = EC_LEVEL) -> bytes:
    extra = {} if mask is None else {"data_mask": mask}
    code = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level=ec_level,
                                   **extra)
    return bytes(memoryview(code.to_image(scale=1, add_quiet_zones=True)))  # type: ignore[arg-type]


def payloads(count: int) -> list[str]:
    rng = random.Random(16)
    texts = []
    for n in range(count):
        site, criterion = f"S{rng.randrange(16**8):08X}", f"{n % 9 + 1}.{n % 13 + 1}"
        fields = PayloadFields(
            make_record_id("insp-qr", site, criterion), site, criterion,
            rng.choice([None, rng.randrange(0, 2001) / 100]), rng.randrange(2**31),
            rng.randbytes(16), rng.choice(["", "inspect-tui/scoring-2"]))
        texts.append(encode_payload(fields, KEY))
    return texts


def reference_penalty(grid: list[list[int]]) -> int:
    """zint's qr_evaluate, module by module (1 = dark), as backend/qr.c writes it."""
    size = len(grid)
    lines = grid + [list(col) for col in zip(*grid, strict=True)]  # rows, then columns
    score = 0
    for line in lines:  # N1
        block, state = 0, 0
        for module in line:
            if module == state:
                block += 1
            else:
                score += block - 2 if block >= 5 else 0
                block, state = 1, module
        score += block - 2 if block >= 5 else 0
    for x in range(size - 1):  # N2
        for y in range(size - 1):
            k = grid[y][x]
            score += 3 if k == grid[y + 1][x] == grid[y][x + 1] == grid[y + 1][x + 1] else 0
    for line in lines:  # N3
        x = 0
        while x <= size - 7:
            if line[x:x + 7] == [1, 0, 1, 1, 1, 0, 1]:
                before = all(line[b] == 0 for b in range(max(x - 4, 0), x))
                after = all(line[a] == 0 for a in range(x + 7, min(x + 11, size)))
                score += 40 if before or after else 0
                x += 3
            x += 1
    dark = sum(map(sum, grid))
    return score + 10 * int(abs(100.0 * dark / (size * size) - 50.0) / 5.0)


def grid_of(image: bytes, width: int) -> list[list[int]]:
    quiet = qr_mask.QUIET
    return [[1 if image[y * width + x] == 0 else 0 for x in range(quiet, width - quiet)]
            for y in range(quiet, width - quiet)]


@pytest.fixture(scope="module")
def report_texts() -> list[str]:
    records = payloads(120)
    links = [link("https://pufa.example.cn/v/", text) for text in records[:40]]
    cover = encode_report_qr("RPT-7K3FQ-9QX2M", b'{"report":1}', KEY)
    return [*records, *links, cover]


def test_the_symbol_is_zints_for_payloads_links_and_a_report_code(
        report_texts: list[str]) -> None:
    widths = set()
    for text in report_texts:
        width, image = qr_mask.symbol_image(text, EC_LEVEL)
        assert image == zint_image(text), text
        widths.add(width)
    assert len(widths) >= 2  # several symbol sizes, each learned once


def test_every_mask_is_zints_and_scored_as_zint_scores(report_texts: list[str]) -> None:
    chosen = set()
    for text in report_texts[::10]:
        first = zint_image(text, 0)
        width = int(len(first) ** 0.5)
        qr_mask.symbol_image(text, EC_LEVEL)  # the size is known from here on
        size = next(s for s in qr_mask._SIZES.values() if s.width == width)
        dark0 = qr_mask._bits(first)
        scores = []
        for mask in range(qr_mask.MASKS):
            image = zint_image(text, mask)
            assert dark0 ^ size.flips[mask] == qr_mask._bits(image)
            scores.append(reference_penalty(grid_of(image, width)))
            assert qr_mask.penalty(dark0 ^ size.flips[mask], size) == scores[-1]
        assert qr_mask.best_mask(dark0, size) == scores.index(min(scores))
        chosen.add(scores.index(min(scores)))
    assert len(chosen) >= 3  # not one mask for every text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(QR_ALPHANUMERIC, min_size=1, max_size=1500),
                 st.text("0123456789", min_size=1, max_size=3000),
                 st.text(st.characters(min_codepoint=32, max_codepoint=0x9FFF),
                         min_size=1, max_size=400)),
       st.sampled_from("LMQH"))
def test_random_texts_of_every_size_and_level(text: str, level: str) -> None:
    try:
        expected = zint_image(text, ec_level=level)
    except ValueError:  # too long for any version at this level
        with pytest.raises(ValueError):
            qr_mask.symbol_image(text, level)
        return
    assert qr_mask.symbol_image(text, level)[1] == expected


def test_a_code_is_decoded_from_the_chosen_image() -> None:
    text = payloads(1)[0]
    code = qr_code(text)
    width = code.modules + 2 * qr_mask.QUIET
    assert code.matrix == b"".join(
        zint_image(text)[(qr_mask.QUIET + y) * width + qr_mask.QUIET:][:code.modules]
        for y in range(code.modules))


def test_a_code_that_does_not_decode_to_its_text_stops_the_export(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from inspect_tui.export import qr_images
    from inspect_tui.export.errors import ExportError

    first, second = payloads(2)
    real = qr_mask.symbol_image
    qr_code(first)  # fine as it is
    monkeypatch.setattr(qr_images, "symbol_image", lambda text, level: real(second, level))
    with pytest.raises(ExportError) as wrong_text:
        qr_code(first)
    assert wrong_text.value.key == "export.qr_selfcheck"

    def blotted(text: str, level: str) -> tuple[int, bytes]:
        width, image = real(text, level)
        middle = width * width // 2
        return width, image[:middle - 6 * width] + bytes(12 * width) + image[middle + 6 * width:]

    monkeypatch.setattr(qr_images, "symbol_image", blotted)  # a quarter of it dark
    with pytest.raises(ExportError) as unreadable:
        qr_code(first)
    assert unreadable.value.key == "export.qr_selfcheck"
