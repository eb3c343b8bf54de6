"""report.pdf laid out in the worker process gives the pages an in-process build gives, pixel for
pixel and text for text — also when the predicted code width is wrong (the child lays out
again) — and its errors are the user-facing ones."""

from __future__ import annotations

import os
import pickle
import threading
from pathlib import Path

import pytest

from inspect_tui.core.i18n import language
from inspect_tui.core.report_cover import Letterhead
from inspect_tui.export import pdf, pdf_worker
from inspect_tui.export.errors import ExportError
from inspect_tui.export.qr_images import qr_codes
from inspect_tui.export.run import ExportOptions, write_report
from tests.export.conftest import needs_font
from tests.export.fixed_report import KEY, fixed_report, inputs
from tests.export.pdf_render import render


def _export(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, minimum: int, name: str) -> bytes:
    monkeypatch.setattr(pdf_worker, "MIN_RECORDS", minimum)
    started = []
    real = pdf_worker.PdfWorker

    def counted() -> pdf_worker.PdfWorker:
        started.append(1)
        return real()

    monkeypatch.setattr(pdf_worker, "PdfWorker", counted)
    result = write_report(inputs(), KEY, ExportOptions(out_dir=tmp_path / name))
    assert len(started) == (1 if minimum == 0 else 0)
    return (result.folder / "report.pdf").read_bytes()


@needs_font
def test_worker_pdf_has_the_in_process_pages(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    worker = _export(tmp_path, monkeypatch, 0, "worker")
    local = _export(tmp_path, monkeypatch, 10**9, "local")
    worker_pages, worker_text = render(worker, tmp_path, "worker")
    local_pages, local_text = render(local, tmp_path, "local")
    assert len(worker_pages) == len(local_pages) > 2
    assert worker_pages == local_pages
    assert worker_text == local_text and "样例检查" in worker_text


@needs_font
def test_a_wrong_width_prediction_is_laid_out_again(tmp_path: Path) -> None:
    report = fixed_report()
    records = [r for _, r in report.records() if r.qr]
    images = qr_codes([r.qr for r in records] + [report.report_id])
    codes = {r.record_id: code for r, code in zip(records, images, strict=False)}
    wrong = pdf_worker.Job(language(), report, Letterhead(), images[-1],
                           images[0].modules + 8)
    read, write = os.pipe()

    def send() -> None:
        with open(write, "wb") as stream:
            for item in codes.items():
                pickle.dump([item], stream)
            pickle.dump(None, stream)

    sender = threading.Thread(target=send)
    sender.start()
    with open(read, "rb") as stream:
        streamed = pdf_worker._lay_out(wrong, stream)
    sender.join()
    local = pdf.build_pdf(report, codes, images[-1])
    assert render(streamed, tmp_path, "streamed") == render(local, tmp_path, "local")


def test_a_user_facing_error_in_the_child_is_raised_here(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INSPECT_TUI_CJK_FONT", str(tmp_path / "missing.ttf"))
    monkeypatch.setattr(pdf_worker, "MIN_RECORDS", 0)
    with pytest.raises(ExportError) as err:
        write_report(inputs(), KEY, ExportOptions(out_dir=tmp_path / "out"))
    assert "missing.ttf" in str(err.value)
    assert list((tmp_path / "out").iterdir()) == []  # nothing half-written


@needs_font
def test_a_failing_child_leaves_the_pdf_to_this_process(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lost = []
    monkeypatch.setattr(pdf_worker.PdfWorker, "add_code",
                        lambda self, record_id, code: lost.append(record_id))  # never sent
    built = []
    real = pdf.build_pdf
    monkeypatch.setattr(pdf, "build_pdf", lambda *a, **k: built.append(1) or real(*a, **k))
    fallback = _export(tmp_path, monkeypatch, 0, "fallback")
    assert lost and built == [1]  # the child asked for a code it never got; built here
    local = _export(tmp_path, monkeypatch, 10**9, "local")
    assert render(fallback, tmp_path, "fallback") == render(local, tmp_path, "local")


def test_a_code_sent_to_the_child_carries_its_printed_path() -> None:
    code = qr_codes(["IT2:R-TEST-" + "K7PQ" * 40])[0]
    made = code.stacked_pdf_path
    sent = pickle.loads(pickle.dumps(code))
    assert "stacked_pdf_path" in vars(sent) and sent.stacked_pdf_path == made
    assert made == code.pdf_path(2) and made.endswith("re ")
