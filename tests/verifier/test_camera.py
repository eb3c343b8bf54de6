"""The page scans with the camera: chromium's fake camera plays a video made from the printed
report (one page rendered by pdftoppm, cropped around one record's QR code), and the page reads
the record from it — with jsQR, as on a phone without BarcodeDetector — and shows 有效."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from inspect_tui.core.qr_link import plain_payload
from tests.export.conftest import needs, run
from tests.verifier.conftest import Office, chromium, needs_chromium

pytestmark = [needs_chromium, needs("pdftoppm", "poppler-utils")]
WIDTH, HEIGHT = 640, 480


def one_printed_code(office: Office, tmp_path: Path) -> tuple[Image.Image, str]:
    """A camera's view of one record QR on a page of report.pdf, and the text it holds."""
    import zxingcpp

    for page in range(2, 8):
        run("pdftoppm", "-r", "150", "-gray", "-png", "-f", page, "-l", page,
            office.report / "report.pdf", tmp_path / f"p{page}")
        (path,) = tmp_path.glob(f"p{page}-*.png")
        image = Image.open(path).convert("L")
        found = [c for c in zxingcpp.read_barcodes(image) if "/V/IT" in c.text]
        if found:
            p = found[0].position
            xs, ys = (p.top_left.x, p.bottom_right.x), (p.top_left.y, p.bottom_right.y)
            margin = (xs[1] - xs[0]) // 10  # its quiet zone, as a camera aimed at it sees it
            box = (xs[0] - margin, ys[0] - margin, xs[1] + margin, ys[1] + margin)
            return image.crop(box), found[0].text
    raise AssertionError("no record QR code on pages 2-7 of report.pdf")


def write_y4m(view: Image.Image, path: Path, frames: int = 20) -> None:
    """A YUV4MPEG2 video (4:2:0, grey: chroma planes at 128) of `view` centred on white."""
    frame = Image.new("L", (WIDTH, HEIGHT), 255)
    side = HEIGHT - 40
    scaled = view.resize((side, side), Image.Resampling.LANCZOS)
    frame.paste(scaled, ((WIDTH - side) // 2, 20))
    chroma = bytes([128]) * (WIDTH // 2 * HEIGHT // 2)
    with open(path, "wb") as out:
        out.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            out.write(b"FRAME\n" + frame.tobytes() + chroma + chroma)


@pytest.fixture(scope="module")
def camera(tmp_path_factory: pytest.TempPathFactory, office: Office) -> Iterator[tuple[Any, str]]:
    folder = tmp_path_factory.mktemp("camera")
    view, text = one_printed_code(office, folder)
    write_y4m(view, folder / "camera.y4m")
    driver = chromium(folder / "profile", "--use-fake-ui-for-media-stream",
                      "--use-fake-device-for-media-stream",
                      f"--use-file-for-fake-video-capture={folder / 'camera.y4m'}")
    yield driver, text
    driver.quit()
    shutil.rmtree(folder / "profile", ignore_errors=True)


def test_the_page_reads_a_printed_record_with_the_camera(office: Office,
                                                         camera: tuple[Any, str]) -> None:
    browser, text = camera
    browser.get(office.server.base)  # the page alone, as an office bookmarks it
    assert not browser.find_elements(By.CSS_SELECTOR, "#results .result")
    browser.find_element(By.ID, "scan").click()
    WebDriverWait(browser, 60).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#results .result"))
    card = browser.find_element(By.CSS_SELECTOR, "#results .result")
    assert card.get_attribute("data-status") == "valid", card.text
    assert "有效" in card.text
    record_id = plain_payload(text).split(":")[1]
    assert card.find_element(By.CSS_SELECTOR, ".f-record_id").text == record_id
    # Chromium on Linux has no BarcodeDetector: the bundled jsQR read it, as on many phones.
    assert browser.execute_script("return window.inspectVerifier.decoder") == "jsQR"
    # Held in front of the camera, the same code stays one result; stopping ends the stream.
    browser.execute_script("return new Promise((r) => setTimeout(r, 1500))")
    assert len(browser.find_elements(By.CSS_SELECTOR, "#results .result")) == 1
    browser.find_element(By.ID, "stop").click()
    assert browser.find_element(By.ID, "video").get_attribute("hidden") is not None
