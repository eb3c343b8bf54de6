"""export.pdf_para: paragraphs made from kept fragments give the same PDF bytes as paragraphs
reportlab parses each time — whole reports, and a repeated long paragraph split over pages."""

from __future__ import annotations

import io

import pytest
from reportlab import rl_config
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate

from inspect_tui.export import pdf, pdf_para, pdf_parts
from inspect_tui.export.qr_images import qr_codes
from inspect_tui.export.report_fonts import report_fonts
from tests.export.conftest import needs_font
from tests.export.fixed_report import fixed_report, rules_report


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    monkeypatch.setattr(rl_config, "invariant", 1)  # no clock or random file id in the bytes
    seen = {"kept": 0}
    real = pdf_para._copies

    def copies(frags: list[object]) -> list[object]:
        seen["kept"] += 1
        return real(frags)

    monkeypatch.setattr(pdf_para, "_copies", copies)
    return seen


def parsed_each_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_parts, "paragraph", Paragraph)


@needs_font
@pytest.mark.parametrize("make", [fixed_report, rules_report])
def test_a_report_is_the_same_bytes(make: object, counted: dict[str, int],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    report = make()  # type: ignore[operator]
    records = [r for _, r in report.records() if r.qr]
    images = qr_codes([r.qr for r in records] + [report.report_id])
    codes = {r.record_id: code for r, code in zip(records, images, strict=False)}
    kept = pdf.build_pdf(report, codes, images[-1])
    assert counted["kept"] > 2  # some paragraphs were made from kept fragments
    parsed_each_time(monkeypatch)
    assert pdf.build_pdf(report, codes, images[-1]) == kept


@needs_font
def test_a_repeated_paragraph_split_over_pages_is_the_same(
        counted: dict[str, int], monkeypatch: pytest.MonkeyPatch) -> None:
    body, _ = report_fonts()
    style = ParagraphStyle("t", fontName=body, fontSize=11, leading=15, wordWrap="CJK")
    text = "检查组按年度计划开展普法宣传活动，台账齐全 <b>&amp;</b> " * 120

    def document() -> bytes:
        out = io.BytesIO()
        story = [pdf_parts.para(text, style) for _ in range(3)]
        SimpleDocTemplate(out, pagesize=(300, 300)).build(story)
        return out.getvalue()

    kept = document()
    assert counted["kept"] >= 3  # the first kept, the next two made from it
    parsed_each_time(monkeypatch)
    assert document() == kept
