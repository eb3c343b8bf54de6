"""Record QR codes that a phone's camera opens: `export --verify-url` prints URL + payload, all in
QR alphanumeric mode (read back from the printed PDF's modules), `verify` accepts such a link,
a URL that cannot stay alphanumeric is refused before anything is written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from inspect_tui.core.qr_link import URL41, base_url, link, plain_payload
from inspect_tui.core.qr_payload import (
    QR_ALPHANUMERIC,
    MalformedPayloadError,
    PayloadFieldError,
    b45encode,
)
from inspect_tui.demo import DEMO_ID
from tests.export.conftest import PASS, needs, run
from tests.json_cli import cli
from tests.verifier.conftest import Office

# ISO/IEC 18004 data masks, by the number zxing-cpp reports as "DataMask" (i = row, j = column)
MASKS = [lambda i, j: (i + j) % 2 == 0, lambda i, j: i % 2 == 0, lambda i, j: j % 3 == 0,
         lambda i, j: (i + j) % 3 == 0, lambda i, j: (i // 2 + j // 3) % 2 == 0,
         lambda i, j: (i * j) % 2 + (i * j) % 3 == 0,
         lambda i, j: ((i * j) % 2 + (i * j) % 3) % 2 == 0,
         lambda i, j: ((i + j) % 2 + (i * j) % 3) % 2 == 0]


# Error-correction blocks at level M, versions 1-10 (ISO/IEC 18004 table 9): the data code
# words are interleaved block by block, so block 1's second code word is the B-th one placed.
BLOCKS_M = {1: 1, 2: 1, 3: 1, 4: 2, 5: 2, 6: 4, 7: 4, 8: 4, 9: 5, 10: 5}


def first_segment(image: Image.Image, code: Any) -> tuple[str, int]:
    """The mode indicator and character count of a level-M QR code's first segment, read from
    its modules: code words are placed from the bottom-right corner, two columns wide, going
    up (rows n-1 to 9 of those columns hold nothing else), and the segment header is the first
    13 or 15 bits of block 1: its code words 0 and B."""
    version = int(code.extra["Version"])
    assert code.extra["ECLevel"] == "M" and version in BLOCKS_M
    n, blocks = 17 + 4 * version, BLOCKS_M[version]
    p = code.position
    size_x = (p.bottom_right.x - p.bottom_left.x) / n
    size_y = (p.bottom_right.y - p.top_right.y) / n
    mask = MASKS[int(code.extra["DataMask"])]
    placed = ""
    for k in range(8 * (blocks + 1)):
        i, j = n - 1 - k // 2, n - 1 - k % 2
        # measured from the nearest corner: the bottom-right one
        x, y = p.bottom_right.x - (n - j - 0.5) * size_x, p.bottom_right.y - (n - i - 0.5) * size_y
        dark = image.getpixel((int(x), int(y))) < 128
        placed += "1" if dark != mask(i, j) else "0"
    bits = placed[:8] + placed[8 * blocks:8 * blocks + 8]
    count_bits = 9 if version < 10 else 11  # alphanumeric; byte mode has 8 / 16
    return bits[:4], int(bits[4:4 + count_bits], 2)


def codes_in(image: Image.Image) -> list[Any]:
    import zxingcpp

    return [c for c in zxingcpp.read_barcodes(image, formats=[
        zxingcpp.BarcodeFormat.QRCodeModel2]) if c.valid]


def test_the_mode_reader_tells_alphanumeric_from_byte_mode() -> None:
    import zxingcpp

    for text, mode in (("HTTPS://X.CN/V/IT2:R-1:AB*+-.:", "0010"), ("https://x.cn/v#it2", "0100")):
        raster = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode,
                                         ec_level="M").to_image(scale=6, add_quiet_zones=True)
        image = Image.frombytes("L", (raster.shape[1], raster.shape[0]),
                                bytes(memoryview(raster)))
        (code,) = codes_in(image)
        assert first_segment(image, code)[0] == mode


@needs("pdftoppm", "poppler-utils")
def test_printed_links_are_one_alphanumeric_segment(office: Office, tmp_path: Path) -> None:
    r = run("pdftoppm", "-r", "300", "-gray", "-png", "-f", "2", "-l", "7",
            office.report / "report.pdf", tmp_path / "page")
    assert r.returncode == 0, r.stderr
    links = 0
    for page in sorted(tmp_path.glob("page-*.png")):
        image = Image.open(page).convert("L")
        for code in codes_in(image):
            if "/V/IT" not in code.text:
                continue
            links += 1
            assert code.text.startswith(office.server.base)
            assert set(code.text) <= set(QR_ALPHANUMERIC) - {" ", "%"}
            # mode 0010 (alphanumeric) and a count covering the whole text: one segment
            assert first_segment(image, code) == ("0010", len(code.text)), code.text
    assert links >= 5


@settings(max_examples=300, deadline=None)
@given(body=st.binary(min_size=1, max_size=160),
       url=st.sampled_from(["https://pufa.example.cn/v", "HTTP://10.0.0.7:8080/A/B/"]))
def test_a_link_carries_the_payload_losslessly(body: bytes, url: str) -> None:
    payload = "IT2:R-7K3FQ-9QX2M:" + b45encode(body)
    text = link(url, payload)
    assert plain_payload(text) == payload
    tail = text.removeprefix(base_url(url)).removeprefix("IT2:R-7K3FQ-9QX2M:")
    assert set(tail) <= set(URL41)  # no space, %, / or #: nothing a browser rewrites
    assert not text.endswith((".", ":"))  # nothing a text scanner trims off a URL
    assert set(text) <= set(QR_ALPHANUMERIC)


@pytest.mark.parametrize("url", ["https://x.cn/v#p=", "https://x.cn/v?p=", "https://x.cn/a_b/",
                                 "ftp://x.cn/v/", "HTTPS://" + "X" * 90 + ".CN/", "x.cn/v/",
                                 "https://x.cn/页/"])
def test_a_url_that_cannot_stay_alphanumeric_is_refused(url: str) -> None:
    with pytest.raises(PayloadFieldError) as raised:
        base_url(url)
    assert url[:40] in str(raised.value) and "HTTPS://PUFA.EXAMPLE.GOV.CN/V/" in str(raised.value)


def test_a_link_with_a_damaged_tail_is_malformed() -> None:
    with pytest.raises(MalformedPayloadError):
        plain_payload("HTTPS://X.CN/V/IT2:R-7K3FQ-9QX2M:AB CD")
    assert plain_payload("IT2:R-7K3FQ-9QX2M:AB CD") == "IT2:R-7K3FQ-9QX2M:AB CD"  # not a link


def test_verify_accepts_the_link_a_phone_shows(office: Office) -> None:
    rec = next(r for r in office.records() if r["score"] is not None)
    text = link(office.server.base, rec["qr"])
    r = cli("verify", text, "--trusted", office.allowed_signers)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "有效" in r.stdout and rec["record_id"] in r.stdout
    changed = text[:-8] + ("0" if text[-8] != "0" else "1") + text[-7:]
    r = cli("verify", changed, "--trusted", office.allowed_signers)
    assert r.returncode == 1 and "无效" in r.stdout and "Traceback" not in r.stderr


def test_a_bad_verify_url_writes_nothing(office: Office, tmp_path: Path) -> None:
    r = cli("-w", office.root / "ws", "export", DEMO_ID, "--key", "张组长", "--out",
            tmp_path / "out", "--verify-url", "https://pufa.example.cn/verify?id=",
            env={"INSPECT_TUI_KEYS": str(office.keys), "INSPECT_TUI_PASSPHRASE": "x"})
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "verify?id=" in r.stderr and "HTTPS://PUFA.EXAMPLE.GOV.CN/V/" in r.stderr
    assert not (tmp_path / "out").exists()


@needs("pdftoppm", "poppler-utils")
def test_the_inspection_setting_gives_the_url_and_an_empty_flag_turns_it_off(
        office: Office, tmp_path: Path) -> None:
    import shutil

    from inspect_tui.export.qr_scan import scan_image
    from inspect_tui.store.workspace import Workspace

    ws = shutil.copytree(office.root / "ws", tmp_path / "ws",
                         ignore=shutil.ignore_patterns(".lock"))
    with Workspace.open(ws) as opened:
        opened.inspection(DEMO_ID).set_inspection_fields(verify_url="https://pufa.example.cn/v")
    env = {"INSPECT_TUI_KEYS": str(office.keys), "INSPECT_TUI_PASSPHRASE": PASS}
    seen = {}
    for name, extra in (("setting", []), ("off", ["--verify-url", ""])):
        r = cli("-w", ws, "export", DEMO_ID, "--key", "张组长", "--format", "pdf", "--out",
                tmp_path / name, *extra, env=env)
        assert r.returncode == 0, r.stderr
        (pdf,) = (tmp_path / name).glob("*/report.pdf")
        run("pdftoppm", "-r", "150", "-png", "-f", "2", "-l", "5", pdf, tmp_path / name / "p")
        seen[name] = [t for page in sorted((tmp_path / name).glob("p-*.png"))
                      for t in scan_image(page.read_bytes()).texts if "R-" in t]
    assert seen["setting"] and all(t.startswith("HTTPS://PUFA.EXAMPLE.CN/V/IT2:R-")
                                   for t in seen["setting"])
    assert seen["off"] and all(t.startswith("IT2:R-") for t in seen["off"])  # as before
    assert {plain_payload(t) for t in seen["setting"]} == set(seen["off"])
