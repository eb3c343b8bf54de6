"""Write a set of documents (.docx and/or PDF) into a folder, all or nothing.

`write_documents` makes `<out>/<inspection>-文书-<date>/` through a hidden temporary folder
renamed only when every file is written (as export does); `write_into` adds a `文书/` folder to
a folder being built (the report export's temporary folder, for `export --format …,docx`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from inspect_tui.core.documents import catalog
from inspect_tui.core.documents.inputs import DocInputs, SiteDoc
from inspect_tui.core.i18n import t
from inspect_tui.export.errors import ExportError
from inspect_tui.export.staging import destination, make_out_dir, staged_folder, write_durably

DOC_FORMATS = ("docx", "pdf")
DOCX_ONLY = frozenset({"docx"})
SUBFOLDER = "文书"
Progress = Callable[[str, float], None]


class DocumentsCancelled(ExportError):
    pass


@dataclass
class DocumentsResult:
    folder: Path
    files: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # e.g. a font face that was missing


def parse_kinds(text: str) -> list[str]:
    chosen = [k.strip() for k in text.replace("，", ",").split(",") if k.strip()]
    if "all" in chosen:
        return list(catalog.KINDS)
    unknown = [k for k in chosen if k not in catalog.KINDS]
    if unknown or not chosen:
        raise ExportError("doc.bad_kind", value=text, known=",".join(catalog.KINDS))
    return chosen


def parse_doc_formats(text: str) -> frozenset[str]:
    chosen = {f.strip().lower() for f in text.replace("，", ",").split(",") if f.strip()}
    if not chosen or chosen - set(DOC_FORMATS):
        raise ExportError("doc.bad_format", value=text, known=",".join(DOC_FORMATS))
    return frozenset(chosen)


def split_docx(formats: str) -> tuple[str, bool]:
    """`export --format`: (the report's formats, whether "docx" — the documents set — is
    asked for). Only docx still writes report.json and its signature, as export always does."""
    parts = [f.strip() for f in formats.replace("，", ",").split(",") if f.strip()]
    rest = [f for f in parts if f.lower() != "docx"]
    wanted = len(rest) < len(parts)
    return ",".join(rest) or ("json" if wanted else formats), wanted


def file_stem(name: str) -> str:
    """A document name usable as a file name on every system (a site may be named "A/B")."""
    bad = '/\\:*?"<>|'
    return "".join("_" if ch in bad or ord(ch) < 32 else ch for ch in name).strip(". ") or "_"


def plan(inputs: DocInputs, kinds: Iterable[str],
         every_site: bool = False) -> list[tuple[str, SiteDoc | None]]:
    """What will be written; ExportError when that is nothing (e.g. no site visited yet)."""
    found = catalog.planned(inputs, list(kinds), every_site)
    if not found:
        raise ExportError("doc.nothing", inspection=inputs.settings.inspection_id)
    return found


def _render(inputs: DocInputs, planned: list[tuple[str, SiteDoc | None]],
            formats: frozenset[str], folder: Path, progress: Progress | None,
            cancelled: Callable[[], bool] | None, notes: list[str]) -> list[Path]:
    fonts = None
    if "pdf" in formats:
        from inspect_tui.export.gov_pdf import gov_fonts

        fonts = gov_fonts()
        notes += fonts.notes
    written = []
    for i, (kind, site) in enumerate(planned):
        if cancelled and cancelled():
            raise DocumentsCancelled("doc.cancelled")
        doc = catalog.build(inputs, kind, site)
        if progress:
            progress(t("doc.stage", name=doc.name, n=i + 1, total=len(planned)),
                     i / len(planned))
        stem = folder / file_stem(doc.name)
        if "docx" in formats:
            from inspect_tui.export.docx_render import render_docx

            written.append(write_durably(stem.with_name(stem.name + ".docx"), render_docx(doc)))
        if fonts is not None:
            from inspect_tui.export.gov_pdf import render_pdf

            pdf = render_pdf(doc, fonts)
            written.append(write_durably(stem.with_name(stem.name + ".pdf"), pdf))
    return written


def write_into(parent: Path, inputs: DocInputs, kinds: Iterable[str],
               formats: frozenset[str], progress: Progress | None = None,
               cancelled: Callable[[], bool] | None = None) -> DocumentsResult:
    """Add `parent/文书/` (e.g. to a finished report folder), all or nothing."""
    return _atomic(parent / SUBFOLDER, inputs, plan(inputs, kinds), formats, progress, cancelled)


def write_documents(inputs: DocInputs, kinds: Iterable[str], formats: frozenset[str],
                    out_dir: Path, progress: Progress | None = None,
                    cancelled: Callable[[], bool] | None = None,
                    every_site: bool = False) -> DocumentsResult:
    """Write `<out>/<inspection>-文书-<date>/`, all or nothing."""
    planned = plan(inputs, kinds, every_site)  # first: nothing to write makes no folder
    make_out_dir(out_dir)
    final = destination(out_dir, f"{inputs.settings.inspection_id}-{SUBFOLDER}",
                        inputs.today.isoformat())
    return _atomic(final, inputs, planned, formats, progress, cancelled)


def _atomic(final: Path, inputs: DocInputs,
            planned: list[tuple[str, SiteDoc | None]], formats: frozenset[str],
            progress: Progress | None,
            cancelled: Callable[[], bool] | None) -> DocumentsResult:
    """Render into a hidden temporary folder, renamed to `final` once every file is written."""
    result = DocumentsResult(final)
    with staged_folder(final) as temp:
        files = _render(inputs, planned, formats, temp, progress, cancelled, result.notes)
    result.files = [final / f.name for f in files]
    if progress:
        progress(t("doc.stage_done", path=str(final)), 1.0)
    return result
