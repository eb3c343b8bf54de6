"""Regenerate docs/verifier-valid.png and docs/verifier-invalid.png: the verifier page in
Debian's headless chromium, phone-sized, opened with a genuine record link of the demo report
and with the same link changed. Run: .venv/bin/python tools/verifier_screenshots.py"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PIL import Image

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from inspect_tui.core.qr_link import link  # noqa: E402
from tests.verifier.conftest import chromium, make_office  # noqa: E402
from tests.verifier.test_page import tampered  # noqa: E402


def shoot(driver: object, url: str, out: Path) -> None:
    driver.get(url)  # type: ignore[attr-defined]
    WebDriverWait(driver, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".result"))
    driver.save_screenshot(str(out))  # type: ignore[attr-defined]
    with Image.open(out) as image:  # a palette PNG: a third of the size, the same to the eye
        image.convert("RGB").quantize(64).save(out, optimize=True)
    print(out, out.stat().st_size // 1024, "KB")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        office = make_office(Path(tmp))
        try:
            rec = next(r for r in office.records() if r["score"] is not None)
            url = link(office.server.base, rec["qr"])
            driver = chromium(Path(tmp) / "profile", "--window-size=412,915")
            try:
                shoot(driver, url, REPO / "docs" / "verifier-valid.png")
                shoot(driver, tampered(url), REPO / "docs" / "verifier-invalid.png")
            finally:
                driver.quit()
        finally:
            office.server.stop()


if __name__ == "__main__":
    main()
