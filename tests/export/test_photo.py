"""A photographed or scanned page: scaled down, a few degrees askew, slightly blurred."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageFilter

from inspect_tui.export.verify_files import (
    decode_image,
    load_bundle,
    load_trust,
    verify_target,
)
from tests.export.conftest import DemoExport, Signing, needs, run


@needs("pdftoppm", "poppler-utils")
@pytest.mark.parametrize(("scale", "degrees", "blur"), [(0.8, 3, 0.6), (0.7, -4, 0.5),
                                                        (0.9, 5, 0.8)])
def test_photographed_page_still_verifies(demo_export: DemoExport, signing: Signing,
                                          tmp_path: Path, scale: float, degrees: float,
                                          blur: float) -> None:
    r = run("pdftoppm", "-r", "150", "-png", "-f", "3", "-l", "3",
            demo_export.folder / "report.pdf", tmp_path / "page")
    assert r.returncode == 0, r.stderr
    (page,) = tmp_path.glob("page-*.png")
    with Image.open(page) as image:
        photo = image.convert("L")
    photo = photo.resize((int(photo.width * scale), int(photo.height * scale)),
                         Image.Resampling.LANCZOS)
    photo = photo.rotate(degrees, expand=True, fillcolor=255, resample=Image.Resampling.BICUBIC)
    photo = photo.filter(ImageFilter.GaussianBlur(blur))
    photo.save(tmp_path / "photo.jpg", quality=85)
    trust = load_trust(str(signing.allowed_signers))
    outcome = verify_target(str(tmp_path / "photo.jpg"), trust,
                            load_bundle(str(demo_export.folder), trust))
    found = [(f.reason.value, f.payload and f.payload.record_id) for f in outcome.findings]
    # Every record QR on that page, as the clean render reads them: 8 or 9 of them, as site IDs
    # are random and their widths move the page breaks.
    on_page = sorted(text.split(":", 2)[1] for text in decode_image(page)
                     if text.startswith("IT2:"))  # "IT2:<record ID>:<signed body>"
    read = sorted(f.payload.record_id for f in outcome.records if f.payload is not None)
    assert len(on_page) >= 8 and read == on_page and len(outcome.records) == len(on_page), found
    assert all(f.ok and f.record is not None for f in outcome.records), found
