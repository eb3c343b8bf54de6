"""`inspect-tui verify` tells the whole truth: how many codes a photo holds and how many were
read (a damaged code fails the check unless --allow-partial), Micro QR is never taken for a
record code, and a PDF signed by a forger's new key named 张组长 — which pdfsig calls "Signature
is Valid" — is refused, with the fingerprint that tells the two apart."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from inspect_tui.demo import DEMO_ID
from tests.export.conftest import PASS, needs, run
from tests.json_cli import cli
from tests.verifier.conftest import Office

pytestmark = needs("pdftoppm", "poppler-utils")


def page_with_codes(office: Office, tmp_path: Path) -> tuple[Image.Image, list[tuple[int, ...]]]:
    """A 150 dpi render of a report page holding record QR codes, and each code's box."""
    import zxingcpp

    for page in range(2, 8):
        run("pdftoppm", "-r", "150", "-gray", "-png", "-f", page, "-l", page,
            office.report / "report.pdf", tmp_path / f"p{page}")
        (path,) = tmp_path.glob(f"p{page}-*.png")
        image = Image.open(path).convert("L")
        found = zxingcpp.read_barcodes(image, formats=[zxingcpp.BarcodeFormat.QRCodeModel2])
        boxes = [(c.position.top_left.x, c.position.top_left.y, c.position.bottom_right.x,
                  c.position.bottom_right.y) for c in found if "/V/IT" in c.text]
        if len(boxes) >= 3:
            return image, boxes
    raise AssertionError("no page with three record QR codes on pages 2-7")


def verify(*args: str | Path) -> tuple[int, str]:
    r = cli("verify", *args)
    assert "Traceback" not in r.stderr, r.stderr
    return r.returncode, r.stdout + r.stderr


def test_a_photo_with_damaged_codes_says_how_many_were_not_read(office: Office,
                                                                 tmp_path: Path) -> None:
    image, boxes = page_with_codes(office, tmp_path)
    draw = ImageDraw.Draw(image)
    for x0, y0, x1, y1 in boxes[:2]:  # a blot and a tear across the data of two codes
        w, h = x1 - x0, y1 - y0
        draw.rectangle((x0 + w * 0.3, y0 + h * 0.35, x0 + w * 0.75, y0 + h * 0.7), fill=0)
    image.save(tmp_path / "damaged.png")
    seen, read = len(boxes), len(boxes) - 2
    code, out = verify(tmp_path / "damaged.png", "--trusted", office.allowed_signers)
    assert f"在图片中发现 {seen} 个二维码，读出 {read} 个" in out
    assert code == 1 and "有 2 个二维码未能读出" in out and "--allow-partial" in out
    assert out.count("✓ 有效") == read  # what was read is still checked, and valid
    code, out = verify(tmp_path / "damaged.png", "--trusted", office.allowed_signers,
                       "--allow-partial")
    assert code == 0 and f"在图片中发现 {seen} 个二维码，读出 {read} 个" in out
    r = cli("verify", tmp_path / "damaged.png", "--trusted", office.allowed_signers, "--json")
    target = json.loads(r.stdout)["targets"][0]
    assert (target["codes_seen"], target["codes_read"], target["valid"]) == (seen, read, False)


def test_an_undamaged_page_is_all_read_and_micro_qr_is_not_a_record(office: Office,
                                                                     tmp_path: Path) -> None:
    import zxingcpp

    image, boxes = page_with_codes(office, tmp_path)
    micro = zxingcpp.create_barcode("R-0000", zxingcpp.BarcodeFormat.MicroQRCode)
    raster = micro.to_image(scale=4, add_quiet_zones=True)
    sticker = Image.frombytes("L", (raster.shape[1], raster.shape[0]), bytes(memoryview(raster)))
    image.paste(sticker, (10, image.height - sticker.height - 10))  # someone's stamp or label
    assert zxingcpp.read_barcodes(sticker, formats=zxingcpp.BarcodeFormat.QRCode)  # Micro QR
    image.save(tmp_path / "page.png")
    code, out = verify(tmp_path / "page.png", "--trusted", office.allowed_signers)
    assert code == 0, out
    assert f"在图片中发现 {len(boxes)} 个二维码，读出 {len(boxes)} 个" in out
    assert "格式错误" not in out and out.count("✓ 有效") == len(boxes)


@needs("pdfsig", "poppler-utils")
def test_a_forgery_signed_by_a_new_key_named_like_the_lead_is_refused(
        office: Office, tmp_path: Path) -> None:
    forger = {"INSPECT_TUI_KEYS": str(tmp_path / "forger-keys"), "INSPECT_TUI_PASSPHRASE": PASS}
    assert cli("keys", "new", "--name", "张组长", env=forger).returncode == 0
    r = cli("-w", office.root / "ws", "export", DEMO_ID, "--key", "张组长", "--format", "pdf",
            "--out", tmp_path / "forged", env=forger)
    assert r.returncode == 0, r.stderr
    (forged,) = (tmp_path / "forged").glob("*/report.pdf")
    genuine = office.report / "report.pdf"
    # pdfsig: both "valid", both signed by "张组长"; only the certificates differ.
    said = {name: run("pdfsig", pdf).stdout for name, pdf in (("genuine", genuine),
                                                               ("forged", forged))}
    for text in said.values():
        assert "Signature is Valid" in text and "Common Name: 张组长" in text
    code, out = verify(genuine, "--trusted", office.allowed_signers)
    fingerprints = re.findall(r"公钥指纹：(SHA256:[A-Za-z0-9+/]{43})", out)
    assert code == 0 and "在可信名单中：张组长" in out and len(fingerprints) == 1
    code, out = verify(forged, "--trusted", office.allowed_signers)
    (forged_fp,) = re.findall(r"公钥指纹：(SHA256:[A-Za-z0-9+/]{43})", out)
    assert code == 1 and "不在可信名单中" in out and "未登记的密钥" in out
    assert forged_fp != fingerprints[0]


def test_the_verifier_page_lists_only_the_office_keys(office: Office) -> None:
    html = office.page.read_text("utf-8")
    config = json.loads(re.search(r'<script type="application/json" id="config">(.*?)</script>',
                                  html, re.S).group(1))
    assert [s["name"] for s in config["signers"]] == ["张组长"]
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
    assert "default-src 'none'" in csp and "unsafe" not in csp
    assert "http://" not in csp and "https://" not in csp
    assert not re.search(r'<(script|link|img)[^>]+(src|href)=', html)  # nothing loaded
    assert "jsQR" in html and "Apache License, Version 2.0" in html  # its notice and licence
    assert "TERMS AND CONDITIONS FOR USE" in html
    assert (office.page.parent / "404.html").read_bytes() == office.page.read_bytes()


@pytest.mark.parametrize("content", ["", "not a key line\n"])
def test_build_with_no_usable_key_is_one_clear_error(tmp_path: Path, content: str) -> None:
    (tmp_path / "allowed").write_text(content, "utf-8")
    r = cli("verifier", "build", "--trusted", tmp_path / "allowed", "--out", tmp_path / "page")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert str(tmp_path / "allowed") in r.stderr
    assert not (tmp_path / "page").exists()


def test_build_refuses_a_report_that_does_not_verify(office: Office, tmp_path: Path) -> None:
    """Names come only from reports the office's keys verify: one signed by 李四, who is not
    on the list, stops the build with one paragraph, and no page is written."""
    r = cli("verifier", "build", "--trusted", office.allowed_signers, "--report",
            office.stranger_report, "--out", tmp_path / "page")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert str(office.stranger_report) in r.stderr
    assert not (tmp_path / "page").exists()
