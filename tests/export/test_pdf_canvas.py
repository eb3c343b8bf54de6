"""The report canvas (page streams deflated at level 3): the same pages as reportlab's own canvas
gives, pixel for pixel and text for text, with every stream still compressed."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.pdfgen.canvas import Canvas

from inspect_tui.export import pdf
from inspect_tui.export.qr_images import qr_codes
from tests.export.fixed_report import fixed_report
from tests.export.pdf_render import render


def test_same_pages_as_reportlab_canvas(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    report = fixed_report()
    records = [r for _, r in report.records() if r.qr]
    images = qr_codes([r.qr for r in records] + [report.report_id])
    codes = {r.record_id: code for r, code in zip(records, images, strict=False)}
    ours = pdf.build_pdf(report, codes, images[-1])
    monkeypatch.setattr(pdf, "ReportCanvas", Canvas)
    theirs = pdf.build_pdf(report, codes, images[-1])
    assert ours != theirs  # the streams are deflated differently
    assert ours.count(b"/FlateDecode") == theirs.count(b"/FlateDecode") > 0
    our_pages, our_text = render(ours, tmp_path, "ours")
    their_pages, their_text = render(theirs, tmp_path, "theirs")
    assert len(our_pages) == len(their_pages) > 1
    assert our_pages == their_pages
    assert our_text == their_text and records[0].record_id in our_text


def test_pages_deflated_ahead_give_the_same_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    from reportlab import rl_config

    from inspect_tui.export import pdf_canvas

    monkeypatch.setattr(rl_config, "invariant", 1)  # no clock or random file id in the bytes
    report = fixed_report()
    records = [r for _, r in report.records() if r.qr]
    images = qr_codes([r.qr for r in records] + [report.report_id])
    codes = {r.record_id: code for r, code in zip(records, images, strict=False)}
    found = []
    real_encode = pdf_canvas._PageFlate.encode

    def encode(self: pdf_canvas._PageFlate, text: str | bytes) -> bytes:
        found.append(id(text) in self.ahead)
        return real_encode(self, text)

    monkeypatch.setattr(pdf_canvas._PageFlate, "encode", encode)
    ahead = pdf.build_pdf(report, codes, images[-1])
    assert len(found) > 1 and all(found)  # every page stream was deflated ahead
    found.clear()
    monkeypatch.setattr(pdf_canvas._PageFlate, "start", lambda self, text: None)
    at_write = pdf.build_pdf(report, codes, images[-1])
    assert len(found) > 1 and not any(found)
    assert ahead == at_write
