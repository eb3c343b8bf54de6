"""The exported table as a person sees it printed: LibreOffice renders it to PDF."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.test_cli import cli

SOFFICE = shutil.which("soffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_exported_table_prints_a4_landscape(tmp_path: Path) -> None:
    table = tmp_path / "lanxi.xlsx"
    assert cli("checklist", "export", "lanxi-2020-mixed", "--xlsx", str(table)).returncode == 0
    profile = tmp_path / "lo-profile"
    subprocess.run([str(SOFFICE), f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(table)],
                   check=True, capture_output=True, timeout=240,
                   env={"HOME": str(tmp_path), "TMPDIR": str(tmp_path), "PATH": "/usr/bin:/bin"})
    pdf = tmp_path / "lanxi.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    size = next(line for line in info.splitlines() if line.startswith("Page size"))
    width, height = (float(x) for x in size.split(":")[1].split("pts")[0].split(" x "))
    assert (round(width), round(height)) == (842, 595)  # A4, landscape
    pages = int(next(line for line in info.splitlines() if line.startswith("Pages")).split()[1])
    assert pages >= 2  # long enough to need the header repeated
    for page in (1, pages):
        text = subprocess.run(["pdftotext", "-layout", "-f", str(page), "-l", str(page),
                               str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        for name in ("考核项目", "考核内容", "分值", "评分标准", "考核方式", "考核得分"):
            assert name in text, (page, name)  # the header on the first and the last page
    first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"],
                           capture_output=True, text=True, check=True).stdout
    assert "兰溪市" in first and "主要领导未亲自参加研究部署普法依法治理工作的扣1.5分" in first
