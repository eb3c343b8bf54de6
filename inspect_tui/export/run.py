"""Export one inspection: report.json + report.json.sig, then report.html and report.pdf.

Everything is written into a hidden temporary folder next to the destination, which is renamed
to `<out>/<inspection>-<date>/` only when every file is complete: an error, a missing evidence
file or a cancel leaves nothing half-written. report.json and its SSH signature are always
written (the HTML and PDF are renderings of them); `formats` chooses html and pdf.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives.asymmetric import ec

from inspect_tui.core import sshsig
from inspect_tui.core.i18n import language, t
from inspect_tui.core.qr_link import link
from inspect_tui.core.qr_payload import PayloadFields, encode_payload
from inspect_tui.core.report import Report, ReportRecord, Signer
from inspect_tui.core.report_build import (
    ReportInputs,
    build_report_json,
    check_values,
    open_conflicts,
)
from inspect_tui.core.report_cover import Letterhead
from inspect_tui.core.report_qr import encode_report_qr
from inspect_tui.export.errors import ExportError
from inspect_tui.export.gather import report_inputs, select_sites
from inspect_tui.export.layout import HTML_NAME, JSON_NAME, PDF_NAME, SIG_NAME
from inspect_tui.export.staging import destination, make_out_dir, staged_folder, write_durably
from inspect_tui.store.inspection import Inspection
from inspect_tui.store.integrity import refuse_unverified

if TYPE_CHECKING:
    from inspect_tui.export.pdf_worker import PdfWorker
    from inspect_tui.export.qr_images import QrCode

FORMATS = ("pdf", "html", "json")
Progress = Callable[[str, float], None]  # (what is happening, fraction done 0..1)


class ExportCancelled(ExportError):
    pass


@dataclass(frozen=True)
class ExportOptions:
    sites: Sequence[str] = ()
    formats: frozenset[str] = frozenset(FORMATS)
    allow_conflicts: bool = False
    out_dir: Path = Path("exports")
    now: datetime | None = None
    verify_url: str = ""  # the office's verifier page: record QR codes open it (core.qr_link)


@dataclass
class ExportResult:
    folder: Path
    report: Report
    files: list[Path] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # per stage, for benchmarks


def parse_formats(text: str) -> frozenset[str]:
    chosen = {part.strip().lower() for part in text.replace("，", ",").split(",") if part.strip()}
    unknown = sorted(chosen - set(FORMATS))
    if unknown or not chosen:
        raise ExportError("export.bad_format", value=text, known=",".join(FORMATS))
    return frozenset(chosen)


class _Stages:
    """Progress reports and cancel checks between stages, with the time each stage took."""

    def __init__(self, progress: Progress | None, cancelled: Callable[[], bool] | None,
                 result_seconds: dict[str, float]) -> None:
        self.progress, self.cancelled, self.seconds = progress, cancelled, result_seconds
        self._name, self._t0 = "", time.perf_counter()

    def start(self, name: str, fraction: float, **params: object) -> None:
        self.finish()
        if self.cancelled and self.cancelled():
            raise ExportCancelled("export.cancelled")
        self._name, self._t0 = name, time.perf_counter()
        if self.progress:
            self.progress(t(f"export.stage.{name}", **params), fraction)

    def finish(self) -> None:
        if self._name:
            self.seconds[self._name] = time.perf_counter() - self._t0
            self._name = ""


def signer_of(name: str, public: ec.EllipticCurvePublicKey) -> Signer:
    return Signer(name, sshsig.fingerprint(public), sshsig.key_id(public).hex())


def prepare(insp: Inspection, signer: Signer, options: ExportOptions) -> ReportInputs:
    """A snapshot of the data to report (call it where the inspection is owned, e.g. the UI
    thread): history chains verified, sites chosen, evidence files re-checked, impossible
    values refused, open conflicts refused unless allowed."""
    refuse_unverified(insp)  # never sign what doctor would call altered
    inputs = report_inputs(insp, select_sites(insp, options.sites), signer=signer,
                           generated=options.now or datetime.now().astimezone(),
                           allow_conflicts=options.allow_conflicts)
    check_values(inputs)
    open_conflicts(inputs)
    return inputs


def export_inspection(insp: Inspection, key: ec.EllipticCurvePrivateKey, signer_name: str,
                      options: ExportOptions, progress: Progress | None = None,
                      cancelled: Callable[[], bool] | None = None) -> ExportResult:
    inputs = prepare(insp, signer_of(signer_name, key.public_key()), options)
    return write_report(inputs, key, options, progress, cancelled)


def write_report(inputs: ReportInputs, key: ec.EllipticCurvePrivateKey, options: ExportOptions,
                 progress: Progress | None = None,
                 cancelled: Callable[[], bool] | None = None) -> ExportResult:
    """Build, sign and write the export folder from a snapshot (safe in a worker thread)."""
    seconds: dict[str, float] = {}
    stages = _Stages(progress, cancelled, seconds)
    worker = _start_worker(inputs, options)  # imports reportlab while report.json is signed
    try:
        return _write(inputs, key, options, stages, worker)
    finally:
        if worker is not None:
            worker.close()


def _start_worker(inputs: ReportInputs, options: ExportOptions) -> PdfWorker | None:
    from inspect_tui.export import pdf_worker

    if "pdf" not in options.formats \
            or sum(len(s.records) for s in inputs.sites) < pdf_worker.MIN_RECORDS:
        return None
    try:
        return pdf_worker.PdfWorker()
    except OSError:  # no second process here: the PDF is laid out in this one
        return None


def _write(inputs: ReportInputs, key: ec.EllipticCurvePrivateKey, options: ExportOptions,
           stages: _Stages, worker: PdfWorker | None) -> ExportResult:
    progress, seconds = stages.progress, stages.seconds
    stages.start("json", 0.05)

    key_id = sshsig.key_id(key.public_key())

    def sign_qr(fields: PayloadFields) -> str:
        return encode_payload(fields, key, key_id)

    report, data = build_report_json(inputs, sign_qr)
    plan = _QrPlan(report, data, key, options, inputs.letterhead, worker)  # the worker starts
    signature = sshsig.sign(data, key, sshsig.REPORT_NAMESPACE).encode("ascii")
    out_dir = options.out_dir
    make_out_dir(out_dir)
    final = destination(out_dir, inputs.inspection_id, inputs.generated.strftime("%Y-%m-%d"))
    result = ExportResult(final, report, seconds=seconds)
    try:
        with staged_folder(final) as temp:
            files = [write_durably(temp / JSON_NAME, data),
                     write_durably(temp / SIG_NAME, signature)]
            files += _renderings(report, plan, key, options, stages, temp, inputs.letterhead,
                                 worker)
            stages.start("finish", 0.99)
    finally:
        stages.finish()
    result.files = [final / f.name for f in files]
    if progress:
        progress(t("export.stage.done", path=str(final)), 1.0)
    return result


class _QrPlan:
    """The printed QR codes' texts, and the PDF worker's job sent as soon as report.json is
    built (it lays out while this process signs and writes report.json and makes the codes):
    the report's code and the job, its record codes' width predicted from the code of the
    longest text."""

    def __init__(self, report: Report, data: bytes, key: ec.EllipticCurvePrivateKey,
                 options: ExportOptions, head: Letterhead, worker: PdfWorker | None) -> None:
        from inspect_tui.export.view_print import has_qr

        self.records: list[ReportRecord] = []
        self.texts: list[str] = []
        self.cover: QrCode | None = None
        self.first: QrCode | None = None
        if not options.formats & {"html", "pdf"}:
            return
        from inspect_tui.export.pdf_worker import Job
        from inspect_tui.export.qr_images import qr_code

        self.records = [r for _, r in report.records() if has_qr(r)]  # only they get one
        url = options.verify_url
        self.texts = [link(url, r.qr) if url else r.qr for r in self.records]
        self.cover = qr_code(encode_report_qr(report.report_id, data, key))
        if worker is not None:
            longest = max(self.texts, key=len, default="")
            self.first = qr_code(longest) if longest else None
            worker.start_job(Job(language(), report, head, self.cover,
                                 self.first.modules if self.first else 0))


def _renderings(report: Report, plan: _QrPlan, key: ec.EllipticCurvePrivateKey,
                options: ExportOptions, stages: _Stages, temp: Path,
                head: Letterhead, worker: PdfWorker | None) -> list[Path]:
    formats = set(options.formats)
    if not formats & {"html", "pdf"}:
        return []
    stages.start("qr", 0.1, count=len(plan.records))

    def qr_progress(done: int, total: int) -> None:
        if stages.progress:
            stages.progress(t("export.stage.qr", count=f"{done}/{total}"),
                            0.1 + 0.4 * done / max(total, 1))

    by_id = _qr_codes(plan, worker, qr_progress)
    cover = plan.cover
    assert cover is not None
    written = []
    if "html" in formats:
        from inspect_tui.export.html import build_html

        stages.start("html", 0.5)
        written.append(write_durably(temp / HTML_NAME, build_html(report, by_id, cover, head)))
    if "pdf" in formats:
        from inspect_tui.export.pdf_sign import sign_pdf

        stages.start("pdf", 0.55)
        pdf = worker.result() if worker is not None else None
        if pdf is None:
            from inspect_tui.export.pdf import build_pdf

            pdf = build_pdf(report, by_id, cover, head)
        stages.start("pdf_sign", 0.95)
        signed = sign_pdf(pdf, key, report.signer.name, t("report.pdf_reason",
                                                          report_id=report.report_id))
        written.append(write_durably(temp / PDF_NAME, signed))
    return written


def _qr_codes(plan: _QrPlan, worker: PdfWorker | None,
              progress: Callable[[int, int], None]) -> dict[str, QrCode]:
    """Record ID -> code, each code also streamed to the PDF worker in page order."""
    from inspect_tui.export.qr_images import qr_code

    by_id, first, total = {}, plan.first, len(plan.texts)
    for n, (record, text) in enumerate(zip(plan.records, plan.texts, strict=True), start=1):
        code = first if first is not None and text == first.text else qr_code(text)
        by_id[record.record_id] = code
        if worker is not None:
            code.stacked_pdf_path  # noqa: B018  (made here: the child's layout is the longer)
            worker.add_code(record.record_id, code)
        if n % 50 == 0 or n == total:
            progress(n, total)
    if worker is not None:
        worker.flush()
    return by_id
