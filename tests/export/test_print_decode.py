"""The printed record QR codes read back as an office would read them: zbarimg (an independent
decoder) on 100 dpi and 72 dpi renders of the whole PDF, and `inspect-tui verify` on simulated
phone photos of every page with codes. Rates are correctness properties here (issue 14): at
least 99 % at 100 dpi, 95 % at 72 dpi, 99 % of the codes in the photos."""

from __future__ import annotations

import json
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from PIL import Image

from tests.export.conftest import DemoExport, Signing, needs, run
from tests.export.photos import phone_photo

ROOT = Path(__file__).resolve().parents[2]


def scored_texts(demo: DemoExport) -> set[str]:
    report = demo.result.report
    return {r.qr for _, r in report.records() if r.score is not None or r.not_applicable}


def zbar_read(pdf: Path, dpi: int, out: Path) -> set[str]:
    """Every QR text zbarimg reads on a `dpi` render of every page."""
    out.mkdir()
    r = run("pdftoppm", "-r", str(dpi), "-gray", pdf, out / "page")
    assert r.returncode == 0, r.stderr
    pages = sorted(out.glob("page-*.pgm"))

    def read(page: Path) -> list[str]:
        found = run("zbarimg", "--raw", "-q", "-Sdisable", "-Sqrcode.enable", page)
        return found.stdout.splitlines()

    with ThreadPoolExecutor(2) as pool:
        return {text for texts in pool.map(read, pages) for text in texts}


@needs("zbarimg", "zbar-tools")
@needs("pdftoppm", "poppler-utils")
@pytest.mark.parametrize(("dpi", "rate"), [(100, 0.99), (72, 0.95)])
def test_zbarimg_reads_the_printed_codes(demo_export: DemoExport, tmp_path: Path, dpi: int,
                                         rate: float) -> None:
    expected = scored_texts(demo_export)
    read = zbar_read(demo_export.folder / "report.pdf", dpi, tmp_path / "pages")
    assert not {t for t in read if t.startswith("IT")} - expected - {  # nothing else printed
        t for t in read if t.startswith("ITR1:")}
    got = len(expected & read)
    assert got >= rate * len(expected), f"{got}/{len(expected)} at {dpi} dpi"


@needs("pdftoppm", "poppler-utils")
def test_verify_reads_phone_photos_of_the_pages(demo_export: DemoExport, signing: Signing,
                                                tmp_path: Path) -> None:
    expected = scored_texts(demo_export)
    r = run("pdftoppm", "-r", "150", "-gray", demo_export.folder / "report.pdf",
            tmp_path / "page")
    assert r.returncode == 0, r.stderr
    photos: list[Path] = []
    for n, page in enumerate(sorted(tmp_path.glob("page-*.pgm"))):
        with Image.open(page) as image:
            photo = tmp_path / f"photo-{n:02d}.jpg"
            photo.write_bytes(phone_photo(image, seed=n))
            photos.append(photo)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = run(ROOT / ".venv/bin/inspect-tui", "verify", *photos, "--trusted",
              signing.allowed_signers, "--report", demo_export.folder, "--allow-partial",
              "--json", env=env)
    doc = json.loads(out.stdout)
    valid = {f["payload"]["record_id"] for target in doc["targets"] for f in target["records"]
             if f["valid"] and f["payload"] and f["record"]}  # signed and in the report
    ids = {text.split(":", 2)[1] for text in expected}  # "IT2:<record ID>:<signed body>"
    assert valid <= ids
    assert len(valid) >= 0.99 * len(ids), f"{len(valid)}/{len(ids)} from the photos"
