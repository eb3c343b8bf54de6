"""How long the documents take: each document of the demo as .docx and as PDF (medians per
document), and `doc all` end to end; references in the same run: python-docx saving an empty
document (its template alone) and reportlab building a one-paragraph PDF with the same fonts.

    python -m benchmarks.documents [--runs N]
"""

from __future__ import annotations

import argparse
import io
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from inspect_tui.core.documents import catalog
from inspect_tui.core.documents.model import Document, Paragraph
from inspect_tui.demo import DEMO_ID, ensure_demo
from inspect_tui.export.documents_gather import document_inputs
from inspect_tui.export.docx_render import render_docx
from inspect_tui.export.gov_pdf import gov_fonts, render_pdf
from inspect_tui.store.workspace import Workspace


def timed(fn: object, *args: object) -> float:
    t0 = time.perf_counter()
    fn(*args)  # type: ignore[operator]
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=1)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        ensure_demo(root / "ws")
        with Workspace.open(root / "ws", create=False, readonly=True) as ws:
            inputs = document_inputs(ws.inspection(DEMO_ID))
        fonts = gov_fonts()
        docs = [catalog.build(inputs, k, s) for k, s in catalog.planned(inputs, catalog.KINDS)]
        import docx

        empty = statistics.median(timed(lambda: docx.Document().save(io.BytesIO()))
                                  for _ in range(5))
        tiny = Document("x", "x", "x", (Paragraph("检查"),))
        one_pdf = statistics.median(timed(render_pdf, tiny, fonts) for _ in range(5))
        per_docx = statistics.median(timed(render_docx, d) for d in docs * runs)
        per_pdf = statistics.median(timed(render_pdf, d, fonts) for d in docs * runs)
        t0 = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "inspect_tui", "-w", str(root / "ws"), "doc",
                               "all", "--out", str(root / "out")], capture_output=True,
                              check=True, text=True)
        whole = time.perf_counter() - t0
        files = sum(1 for line in done.stdout.splitlines() if line.startswith("  "))
    print(f"documents: {len(docs)} (demo, 16 sites, 11 visited); doc all wrote {files} files")
    print(f".docx per document, median: {per_docx * 1000:.0f} ms "
          f"(python-docx empty document {empty * 1000:.0f} ms: {per_docx / empty:.1f}×)")
    print(f"PDF per document, median: {per_pdf * 1000:.0f} ms "
          f"(one-paragraph PDF, same fonts {one_pdf * 1000:.0f} ms: {per_pdf / one_pdf:.1f}×)")
    print(f"inspect-tui doc all (docx + pdf), end to end: {whole:.1f} s")


if __name__ == "__main__":
    main()
