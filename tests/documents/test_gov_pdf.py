"""The reportlab PDFs: what pdftotext reads (title, 发文字号, 成文日期, sites, signature lines,
page numbers), the free fonts embedded (pdffonts), the page geometry, and the fallback note."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from inspect_tui.core.documents import catalog
from inspect_tui.core.documents.inputs import DocInputs
from inspect_tui.export import gov_pdf
from tests.documents.conftest import DOC_NUMBER, ISSUER, Written

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                reason="poppler-utils (pdftotext, pdffonts) missing")


def text(path: Path, *opts: str) -> str:
    return subprocess.run(["pdftotext", *opts, str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def flat(s: str) -> str:
    return "".join(s.split())


def test_bulletin_pdf_says_issuer_number_date_and_names(written: Written,
                                                        inputs: DocInputs) -> None:
    got = flat(text(written.folder / "通报.pdf"))
    assert ISSUER in got and DOC_NUMBER in got
    assert "关于兰溪市“七五”普法总结验收（演示）情况的通报" in got
    assert "2026年12月1日" in got and "2026年12月1日印发" in got
    from inspect_tui.core.documents.bulletin import commended

    assert all(name in got for name in commended(inputs))
    assert "—1—" in got


def test_record_sheet_pdf_has_site_scores_and_signature_lines(written: Written,
                                                              inputs: DocInputs) -> None:
    s = next(x for x in inputs.sites if x.site.name == "马涧镇")
    got = flat(text(written.folder / "检查记录表-马涧镇.pdf"))
    assert "普法工作检查记录表" in got and "马涧镇" in got and s.site.group in got
    assert "检查组成员（签字）" in got and "被检查单位负责人或联系人（签字）" in got
    assert s.visit is not None and s.visit.contact in got
    for c in inputs.checklist.criteria_for(s.site.kind):
        assert flat(c.title) in got


def test_summary_pdf_lists_every_site(written: Written, inputs: DocInputs) -> None:
    got = flat(text(written.folder / "汇总表.pdf"))
    for s in inputs.sites:
        assert s.site.name in got
    assert "不参与排名" in got


def test_free_fonts_are_embedded(written: Written) -> None:
    fonts = subprocess.run(["pdffonts", str(written.folder / "通报.pdf")], capture_output=True,
                           text=True, check=True).stdout.splitlines()[2:]
    assert fonts
    assert all(line.split()[-5] == "yes" for line in fonts)  # the "emb" column
    names = " ".join(line.split()[0] for line in fonts)
    if Path(gov_pdf.FACES["song"][1]).is_file():
        assert "UMing" in names
    if Path(gov_pdf.FACES["hei"][1]).is_file():
        assert "WenQuanYi" in names or "MicroHei" in names


def test_page_is_a4(written: Written) -> None:
    info = subprocess.run(["pdfinfo", str(written.folder / "汇总表.pdf")], capture_output=True,
                          text=True, check=True).stdout
    size = next(line for line in info.splitlines() if line.startswith("Page size"))
    w, h = (float(x) for x in size.split()[2:5:2])
    assert (round(w * 25.4 / 72), round(h * 25.4 / 72)) == (210, 297)


def test_a_missing_face_falls_back_with_a_note(monkeypatch: pytest.MonkeyPatch,
                                               inputs: DocInputs, tmp_path: Path) -> None:
    missing = tmp_path / "no-such-font.ttc"
    monkeypatch.setitem(gov_pdf.FACES, "kai", ("GovKaiMissing", missing, 0, "楷体_GB2312"))
    fonts = gov_pdf.gov_fonts()
    assert len(fonts.notes) == 1 and str(missing) in fonts.notes[0]
    assert fonts.kai != "GovKaiMissing"
    doc = catalog.build(inputs, "feedback", inputs.sites[0])
    out = tmp_path / "f.pdf"
    out.write_bytes(gov_pdf.render_pdf(doc, fonts))
    assert inputs.sites[0].site.name in flat(text(out))


def boxes(path: Path, page: int) -> list[tuple[str, float, float, float, float]]:
    """(word, xMin, yMin, xMax, yMax) of every word pdftotext finds on `page`."""
    html = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(path),
                           "-"], capture_output=True, text=True, check=True).stdout
    found = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                       r'yMax="([\d.]+)">([^<]*)</word>', html)
    return [(w, float(a), float(b), float(c), float(d)) for a, b, c, d, w in found]


def test_closing_and_record_sit_where_gbt9704_puts_them(written: Written) -> None:
    path = written.folder / "通报.pdf"
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(
        ["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout).group(1))
    words = boxes(path, pages)
    issuer = [w for w in words if w[0] == ISSUER]
    day = next(w for w in words if w[0] == "2026年12月1日")
    printed = next(w for w in words if w[0] == "2026年12月1日印发")
    signed = next(w for w in issuer if w[2] < day[2])  # the 署名 just above the date
    assert abs((signed[1] + signed[3]) / 2 - (day[1] + day[3]) / 2) < 2  # centred over it
    right_edge = (210 - 26) * 72 / 25.4
    assert 3 * 16 < right_edge - day[3] < 5 * 16  # 右空四字
    bottom_edge = (297 - 35) * 72 / 25.4
    assert bottom_edge - printed[4] < 3 * 16  # 版记 at the foot of the last page
