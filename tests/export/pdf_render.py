"""A PDF's pages as PNG bytes (pdftoppm) and its text (pdftotext), for same-pages tests."""

from __future__ import annotations

import subprocess
from pathlib import Path


def render(data: bytes, folder: Path, name: str, dpi: int = 50) -> tuple[list[bytes], str]:
    path = folder / f"{name}.pdf"
    path.write_bytes(data)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(path), str(folder / name)],
                   check=True)
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout
    return [p.read_bytes() for p in sorted(folder.glob(f"{name}-*.png"))], text
