"""The .docx files read back with python-docx (styles, East-Asian font names, tables with
repeated header rows, A4 and the GB/T 9704 margins), and rendered by LibreOffice from Debian."""

from __future__ import annotations

import re
import shutil
import subprocess
import uuid
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from inspect_tui.export.docx_render import PPR_ORDER
from tests.documents.conftest import DOC_NUMBER, ISSUER, Written


def east_asia(style: docx.styles.style.BaseStyle) -> str | None:
    fonts = style.element.rPr.find(qn("w:rFonts"))
    return None if fonts is None else fonts.get(qn("w:eastAsia"))


def test_every_document_kind_is_written_in_both_formats(written: Written) -> None:
    names = {p.name for p in written.folder.iterdir()}
    for stem in ("汇总表", "通报", "整改情况汇总", "检查记录表-马涧镇", "反馈意见-马涧镇",
                 "整改通知书-马涧镇"):
        assert f"{stem}.docx" in names and f"{stem}.pdf" in names
    assert "检查记录表-浙能兰溪电厂.docx" not in names  # never visited: no record sheet


def test_page_is_a4_with_the_gbt9704_margins(written: Written) -> None:
    for path in sorted(written.folder.glob("*.docx"))[:6]:
        section = docx.Document(str(path)).sections[0]
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
        margins = (section.top_margin, section.bottom_margin, section.left_margin,
                   section.right_margin)
        assert tuple(round(m.mm) for m in margins) == (37, 35, 28, 26)
        grid = section._sectPr.find(qn("w:docGrid"))
        assert grid.get(qn("w:linePitch")) == "580"  # 29 pt: 22 lines in the 225 mm 版心


def test_styles_name_the_fonts_offices_have(written: Written) -> None:
    d = docx.Document(str(written.folder / "通报.docx"))
    assert east_asia(d.styles["公文标题"]) == "方正小标宋简体"
    assert d.styles["公文标题"].font.size.pt == 22
    assert east_asia(d.styles["公文正文"]) == "仿宋_GB2312"
    assert d.styles["公文正文"].font.size.pt == 16
    assert abs(d.styles["公文正文"].paragraph_format.line_spacing.pt - 28.99) < 0.05  # 22 lines
    assert east_asia(d.styles["一级标题"]) == "黑体"
    assert east_asia(d.styles["二级标题"]) == "楷体_GB2312"
    levels = {name: d.styles[name].element.pPr.find(qn("w:outlineLvl")).get(qn("w:val"))
              for name in ("公文标题", "一级标题", "二级标题")}
    assert levels == {"公文标题": "0", "一级标题": "1", "二级标题": "2"}  # navigation pane
    snap = d.styles["表格文字"].element.pPr.find(qn("w:snapToGrid"))
    assert snap is not None and snap.get(qn("w:val")) == "0"  # tables keep their 14 pt lines
    assert d.styles["公文正文"].element.pPr.find(qn("w:snapToGrid")) is None  # body: on grid
    by_style = {p.style.name: p.text for p in d.paragraphs if p.text}
    assert by_style["发文机关标志"] == ISSUER
    assert by_style["发文字号"] == DOC_NUMBER
    assert by_style["公文标题"].startswith("关于") and by_style["公文标题"].endswith("的通报")
    assert d.styles["发文机关标志"].font.color.rgb is not None
    font_table = next(p for p in d.part.package.iter_parts()
                      if str(p.partname) == "/word/fontTable.xml").blob.decode("utf-8")
    assert 'w:name="仿宋_GB2312"' in font_table and 'w:altName w:val="仿宋"' in font_table


def test_record_sheet_tables_repeat_their_merged_header(written: Written) -> None:
    d = docx.Document(str(written.folder / "检查记录表-赤溪街道.docx"))
    criteria = max(d.tables, key=lambda t: len(t.rows))
    head = criteria.rows[0]._tr
    assert head.trPr.find(qn("w:tblHeader")) is not None
    assert criteria.rows[1]._tr.trPr.find(qn("w:tblHeader")) is not None
    spans = [tc.tcPr.find(qn("w:gridSpan")) for tc in head.tc_lst if tc.tcPr is not None]
    assert any(s is not None and s.get(qn("w:val")) == "2" for s in spans)
    texts = [c.text for c in criteria.rows[2].cells]
    assert texts[0] == "1"  # the first section's row follows the two header rows
    assert "检查组成员（签字）" in "\n".join(p.text for p in d.paragraphs)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) missing")
def test_libreoffice_renders_the_docx(written: Written, tmp_path: Path) -> None:
    profile = tmp_path / f"lo-{uuid.uuid4().hex}"
    sources = [written.folder / "通报.docx", written.folder / "检查记录表-赤溪街道.docx"]
    done = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
         "pdf", "--outdir", str(tmp_path), *map(str, sources)],
        capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    bulletin = subprocess.run(["pdftotext", "-layout", str(tmp_path / "通报.pdf"), "-"],
                              capture_output=True, text=True, check=True).stdout
    flat = "".join(bulletin.split())
    assert ISSUER in flat and DOC_NUMBER in flat and "2026年12月1日" in flat
    assert "表现突出的单位" in flat
    # the 版记 at the foot of the last page's text area (GB/T 9704-2012 10), below the 落款
    pages = bulletin.count("\f") or 1
    words = _words(tmp_path / "通报.pdf", pages)
    printed = max(w for w in words if w[0].endswith("印发"))
    text_bottom = (297 - 35) * 72 / 25.4
    assert text_bottom - 15 < printed[2] <= text_bottom + 1, (printed, text_bottom)
    below = {text for text, top, _ in words if top > printed[2]}
    assert below and below <= {"—", str(pages)}  # only the page number is lower
    record = subprocess.run(["pdftotext", str(tmp_path / "检查记录表-赤溪街道.pdf"), "-"],
                            capture_output=True, text=True, check=True).stdout
    flat = "".join(record.split())
    assert "赤溪街道" in flat and "检查组成员（签字）" in flat and "— 1 —".replace(" ", "") in flat
    shutil.rmtree(profile, ignore_errors=True)


def _words(pdf: Path, page: int) -> list[tuple[str, float, float]]:
    """(word, top, bottom) in points of every word pdftotext finds on a page."""
    html = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-bbox", str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    return [(m.group(3), float(m.group(1)), float(m.group(2))) for m in re.finditer(
        r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>',
        html)]


def test_paragraph_properties_come_in_schema_order(written: Written) -> None:
    """Word calls a file whose w:pPr children come out of the schema's order unreadable."""
    for path in sorted(written.folder.glob("*.docx")):
        d = docx.Document(str(path))
        props = [p._p.pPr for p in d.paragraphs] + [s.element.pPr for s in d.styles
                                                    if s.type == 1]
        for ppr in (p for p in props if p is not None):
            names = [child.tag.rpartition("}")[2] for child in ppr]
            ranks = [PPR_ORDER.index(n) for n in names]
            assert ranks == sorted(ranks), (path.name, names)


def test_section_rows_are_bold(written: Written) -> None:
    d = docx.Document(str(written.folder / "检查记录表-马涧镇.docx"))
    criteria = max(d.tables, key=lambda t: len(t.rows))
    section, criterion = criteria.rows[2], criteria.rows[3]  # after the two header rows
    assert section.cells[0].text == "1" and criterion.cells[0].text == "1.1"
    assert all(r.bold for r in section.cells[1].paragraphs[0].runs)
    assert not any(r.bold for r in criterion.cells[1].paragraphs[0].runs)
