"""Render a core.documents Document as .docx (python-docx) after GB/T 9704-2012.

Editable in WPS and Word: every word is a paragraph or table text in named styles (公文标题,
一级标题, 二级标题, 公文正文, 表格文字, …) — no text boxes or images. East-Asian font names are set
through `w:rFonts w:eastAsia` (方正小标宋简体, 仿宋_GB2312, 黑体, 楷体_GB2312) and the font table
names a fallback for each (`w:altName`: 宋体, 仿宋, 楷体) for machines without them.
"""

from __future__ import annotations

import io
from typing import Any

from docx import Document as new_docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor
from docx.styles.style import ParagraphStyle
from docx.table import _Cell
from lxml import etree

from inspect_tui.core.documents import model as m
from inspect_tui.export import gov_layout as g

ALIGN = {m.Align.JUSTIFY: WD_ALIGN_PARAGRAPH.JUSTIFY, m.Align.CENTER: WD_ALIGN_PARAGRAPH.CENTER,
         m.Align.RIGHT: WD_ALIGN_PARAGRAPH.RIGHT, m.Align.LEFT: WD_ALIGN_PARAGRAPH.LEFT}
# style name: (east-Asian font, size pt, line spacing pt or None for single, centred, red)
STYLES: dict[str, tuple[str, float, float | None, bool, bool]] = {
    "公文正文": (g.FONT_BODY, g.BODY_PT, g.LINE_PT, False, False),
    "公文标题": (g.FONT_TITLE, g.TITLE_PT, 35.0, True, False),
    "一级标题": (g.FONT_HEI, g.BODY_PT, g.LINE_PT, False, False),
    "二级标题": (g.FONT_KAI, g.BODY_PT, g.LINE_PT, False, False),
    "表格文字": (g.FONT_BODY, g.TABLE_PT, g.TABLE_LINE_PT, False, False),
    "发文机关标志": (g.FONT_TITLE, g.MARK_PT, None, True, True),
    "发文字号": (g.FONT_BODY, g.BODY_PT, g.LINE_PT, True, False),
    "落款": (g.FONT_BODY, g.BODY_PT, g.LINE_PT, False, False),
    "版记": (g.FONT_BODY, g.PAGE_NO_PT, g.LINE_PT, False, False),
    "页码": (g.FONT_SONG, g.PAGE_NO_PT, None, False, False),
}
OUTLINE = {"公文标题": 0, "一级标题": 1, "二级标题": 2}
# The children of w:pPr in the order the schema (ECMA-376 CT_PPr) requires: Word reports a file
# whose properties come in another order as unreadable. (python-docx keeps the order for what
# it adds itself; what is added here goes through `put_ppr`.)
PPR_ORDER = (
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
    "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
    "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
    "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle",
    "rPr", "sectPr", "pPrChange")


def put_ppr(ppr: Any, element: Any) -> Any:
    """Put `element` into the paragraph properties `ppr` where the schema wants it (replacing
    one of its kind); returns it."""
    name = element.tag.rpartition("}")[2]
    old = ppr.find(qn(f"w:{name}"))
    if old is not None:
        ppr.remove(old)
    later = PPR_ORDER[PPR_ORDER.index(name) + 1:]
    ppr.insert_element_before(element, *(f"w:{tag}" for tag in later))
    return element


def set_fonts(rpr_owner: Any, east_asia: str) -> None:
    """Latin in Times New Roman, Chinese in `east_asia` (w:rFonts w:eastAsia)."""
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr, name in (("w:ascii", g.LATIN), ("w:hAnsi", g.LATIN), ("w:eastAsia", east_asia)):
        fonts.set(qn(attr), name)
    fonts.set(qn("w:hint"), "eastAsia")


def _styles(doc: Any) -> None:
    for name, (font, size, line, centred, red) in STYLES.items():
        style: ParagraphStyle = doc.styles.add_style(name, 1)
        style.base_style = doc.styles["Normal"]
        style.font.size = Pt(size)
        style.font.name = g.LATIN
        set_fonts(style.element, font)
        if red:
            style.font.color.rgb = RGBColor(*g.RED)
        pf = style.paragraph_format
        pf.space_before = pf.space_after = Pt(0)
        if line is not None:
            pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            pf.line_spacing = Pt(line)
        else:
            pf.line_spacing = 1.0
        if centred:
            pf.alignment = WD_ALIGN_PARAGRAPH.CENTER
        pf.widow_control = False  # fixed 22 lines a page
        if line != g.LINE_PT:  # its own spacing: off the 22-line grid (else 29 pt a line)
            snap = OxmlElement("w:snapToGrid")
            snap.set(qn("w:val"), "0")
            put_ppr(style.element.get_or_add_pPr(), snap)
        if name in OUTLINE:  # Word's and WPS's navigation pane lists the headings
            level = OxmlElement("w:outlineLvl")
            level.set(qn("w:val"), str(OUTLINE[name]))
            put_ppr(style.element.get_or_add_pPr(), level)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(g.BODY_PT)
    set_fonts(normal.element, g.FONT_BODY)


def _font_table(doc: Any) -> None:
    """Name each Chinese font in word/fontTable.xml with its fallback (w:altName)."""
    part = next(p for p in doc.part.package.iter_parts()
                if str(p.partname) == "/word/fontTable.xml")
    root = parse_xml(part.blob)
    for name, alt in g.FALLBACKS.items():
        root.append(parse_xml(
            f'<w:font {nsdecls("w")} w:name="{name}"><w:altName w:val="{alt}"/>'
            '<w:charset w:val="86"/><w:family w:val="auto"/><w:pitch w:val="variable"/>'
            "</w:font>"))
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page(doc: Any) -> None:
    s = doc.sections[0]
    s.page_width, s.page_height = Mm(g.PAGE_W_MM), Mm(g.PAGE_H_MM)
    s.top_margin, s.bottom_margin = Mm(g.TOP_MM), Mm(g.BOTTOM_MM)
    s.left_margin, s.right_margin = Mm(g.LEFT_MM), Mm(g.RIGHT_MM)
    grid = OxmlElement("w:docGrid")  # 22 lines a page: Word and WPS snap lines to this pitch
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(round(g.LINE_PT * 20)))
    old = s._sectPr.find(qn("w:docGrid"))
    if old is not None:
        s._sectPr.remove(old)
    s._sectPr.append(grid)
    s.header_distance = Mm(15)
    s.footer_distance = Mm(g.BOTTOM_MM - g.PAGE_NO_GAP_MM - 7)
    doc.settings.odd_and_even_pages_header_footer = True
    for footer, align in ((s.footer, WD_ALIGN_PARAGRAPH.RIGHT),
                          (s.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        _page_number(footer.paragraphs[0], align)


def _field(paragraph: Any, code: str) -> None:
    run = paragraph.add_run()
    for kind, text in (("begin", ""), ("instr", code), ("separate", ""), ("text", "1"),
                       ("end", "")):
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        elif kind == "text":
            el = OxmlElement("w:t")
            el.text = text
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        run._r.append(el)


def _page_number(p: Any, align: WD_ALIGN_PARAGRAPH) -> None:
    p.style = "页码"
    p.alignment = align
    indent = Pt(g.PAGE_NO_PT)  # 空一字
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        p.paragraph_format.right_indent = indent
    else:
        p.paragraph_format.left_indent = indent
    p.add_run("— ")
    _field(p, " PAGE ")
    p.add_run(" —")


def _border(p: Any, side: str, color: str, size: int = 12) -> None:
    ppr = p._p.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = put_ppr(ppr, OxmlElement("w:pBdr"))
    b = OxmlElement(f"w:{side}")
    for k, v in (("w:val", "single"), ("w:sz", str(size)), ("w:space", "1"),
                 ("w:color", color)):
        b.set(qn(k), v)
    borders.append(b)


def _foot_frame() -> Any:
    """A frame as wide as the text, at the bottom of the text area; text flows above it."""
    frame = OxmlElement("w:framePr")
    for k, v in (("w", str(Mm(g.TEXT_W_MM).twips)), ("wrap", "notBeside"), ("hAnchor", "margin"),
                 ("xAlign", "center"), ("vAnchor", "margin"), ("yAlign", "bottom")):
        frame.set(qn(f"w:{k}"), v)
    return frame


class _Writer:
    def __init__(self) -> None:
        self.doc = new_docx()
        _styles(self.doc)
        _font_table(self.doc)
        _page(self.doc)
        # style ids set in the XML: python-docx's setter scans every style on each call
        self.style_ids = {name: self.doc.styles[name].style_id for name in STYLES}
        body = self.doc.element.body  # the template's one empty paragraph
        for p in list(body.iterchildren(qn("w:p"))):
            body.remove(p)

    def para(self, text: str, style: str = "公文正文", indent: bool = False,
             align: m.Align | None = None) -> Any:
        p = self.doc.add_paragraph()
        p._p.get_or_add_pPr().style = self.style_ids[style]
        if text:
            p.add_run(text)
        if indent:
            p.paragraph_format.first_line_indent = Pt(g.BODY_PT * 2)
        if align is not None:
            p.alignment = ALIGN[align]
        return p

    def block(self, b: m.Block) -> None:
        if isinstance(b, m.IssuerMark):
            self.para(b.issuer, "发文机关标志")
            self.para("", "发文字号")
            rule = self.para(b.doc_number, "发文字号")
            _border(rule, "bottom", "".join(f"{x:02X}" for x in g.RED), 18)
            self.para("")
        elif isinstance(b, m.Title):
            self.para(b.text, "公文标题")
            self.para("")
        elif isinstance(b, m.Heading):
            style = {1: "一级标题", 2: "二级标题"}.get(b.level, "公文正文")
            p = self.para(b.text, style, indent=True)
            if b.level >= 3:
                p.runs[0].bold = True
        elif isinstance(b, m.Paragraph):
            self.para(b.text, indent=b.indent, align=b.align)
        elif isinstance(b, m.Table):
            self.table(b)
        elif isinstance(b, m.Signatures):
            self.para("")
            for line in b.lines:
                self.para(f"{line.label}：{line.names or '　' * 10}", indent=False)
        elif isinstance(b, m.Closing):
            self.closing(b)
        elif isinstance(b, m.Distribution):
            self.distribution(b)
        elif isinstance(b, m.PageBreak):
            self.doc.add_page_break()  # type: ignore[no-untyped-call]

    def closing(self, b: m.Closing) -> None:
        """Right-aligned, 成文日期 four characters in from the right; room for the seal."""
        for _ in range(3 if b.seal else 1):
            self.para("")
        for text, right in zip((b.issuer, b.day), g.closing_indents(b.issuer, b.day),
                               strict=True):
            p = self.para(text, "落款", align=m.Align.RIGHT)
            p.paragraph_format.right_indent = Pt(right)

    def distribution(self, b: m.Distribution) -> None:
        """版记 at the foot of the last page (GB/T 9704-2012 10), however long the text above
        grows as the office edits it: its lines share one frame anchored to the bottom of the
        text area (Word, WPS and LibreOffice each keep a frame there)."""
        self.para("")
        lines = []
        if b.copy_to:
            lines.append(p := self.para(b.copy_to, "版记"))
            _border(p, "top", "000000", 8)
        lines.append(p := self.para("", "版记"))
        p.add_run(b.printed_by)
        p.add_run("\t" + b.printed_on)
        p.paragraph_format.tab_stops.add_tab_stop(Mm(g.TEXT_W_MM - 8), 2)  # right tab
        _border(p, "top", "000000", 8)
        _border(p, "bottom", "000000", 8)
        for line in lines:  # (the same frame properties: one frame)
            put_ppr(line._p.get_or_add_pPr(), _foot_frame())

    def table(self, b: m.Table) -> None:
        if b.caption:
            self.para(b.caption, align=m.Align.CENTER)
        ncols = len(b.widths)
        table = self.doc.add_table(rows=len(b.header) + len(b.rows), cols=ncols)
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        total = sum(b.widths)
        widths = [Mm(g.TEXT_W_MM * w / total) for w in b.widths]
        table.autofit = False
        for col, width in zip(table._tbl.tblGrid.iterchildren(qn("w:gridCol")), widths,
                              strict=True):
            col.set(qn("w:w"), str(width.twips))  # LibreOffice and WPS read the grid
        self._header(table, b)
        for row in table.rows:
            # the cells straight from the XML: table.cell() walks the whole table each call
            if row._index < len(b.header):
                continue  # merged cells: the grid gives their widths
            body_index = row._index - len(b.header)
            values = b.rows[body_index]
            for c, (tc, width) in enumerate(zip(row._tr.tc_lst, widths, strict=True)):
                cell = _Cell(tc, table)
                cell.width = width
                self._cell(cell, values[c], c in b.numeric, bold=body_index in b.strong)
        self.para("", "表格文字")

    def _header(self, table: Any, b: m.Table) -> None:
        taken: set[tuple[int, int]] = set()
        for r, row in enumerate(b.header):
            tr_pr = table.rows[r]._tr.get_or_add_trPr()
            repeat = OxmlElement("w:tblHeader")  # repeated on every page
            repeat.set(qn("w:val"), "true")
            tr_pr.append(repeat)
            c = 0
            for cell in row:
                while (r, c) in taken:
                    c += 1
                first = table.cell(r, c)
                last = table.cell(r + cell.rows - 1, c + cell.span - 1)
                target = first.merge(last) if (cell.rows, cell.span) != (1, 1) else first
                self._cell(target, cell.text, True, bold=True)
                taken |= {(rr, cc) for rr in range(r, r + cell.rows)
                          for cc in range(c, c + cell.span)}
                c += cell.span

    def _cell(self, cell: Any, text: str, centred: bool, bold: bool = False) -> None:
        p = cell.paragraphs[0]
        p._p.get_or_add_pPr().style = self.style_ids["表格文字"]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER if centred else WD_ALIGN_PARAGRAPH.LEFT
        for part in p.runs:
            part._r.getparent().remove(part._r)
        run = p.add_run(text)
        run.bold = bold

    def bytes(self) -> bytes:
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()


def render_docx(document: m.Document) -> bytes:
    w = _Writer()
    w.doc.core_properties.title = document.title
    for b in document.blocks:
        w.block(b)
    return w.bytes()

