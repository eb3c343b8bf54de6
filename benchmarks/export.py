"""Export time and memory for 16 sites × 60 criteria (960 records, each with its QR code).

    python -m benchmarks.export [--runs 3] [--sites 16] [--criteria 60]

Each run is a fresh process (so peak RSS is that of one export and its PDF worker): json+sig,
the QR images, html and pdf (layout, in the PDF worker process for a report this size, + the
signature) are timed separately from the export's own stage clock; with the worker, "pdf" is
the wait for its layout after the HTML. After each export, in another fresh process, a
reference: reportlab (imported in that process) laying out a minimal document of as many pages
as report.pdf, one paragraph a page in the same two fonts. Export and reference alternate, so
on a shared machine both see the same load and their ratio stays readable. Then one
photographed QR code (a crop of a rendered page, rotated and blurred) is verified 30 times:
decode with zxing-cpp, check the signature, match the bundle. Medians are printed, with the
CPU seconds of the export and of its PDF worker. Targets: json+sig + QR + html + pdf <= 3 s
(issue 16), peak RSS <= 400 MB, one QR photo <= 50 ms. `export` writes no .docx (the
`documents` command does; benchmarks/documents.py times it).

The parsed CJK fonts are kept between exports (export/font_cache, in the user's cache
folder): a machine's very first export parses them (~0.25 s more CPU in the PDF worker), and
so may the first run here; the median is that of later exports.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec

PASSPHRASE_FREE_KEY = 0xB3AC_4E11  # a fixed throwaway key: no key store, no passphrase
STAGES = ("gather", "json", "qr", "html", "pdf", "pdf_sign")


def checklist_toml(criteria: int) -> str:
    """A valid synthetic checklist: `criteria` items in sections of 10, totalling 100 points."""
    base, extra = divmod(200, criteria)  # in half points
    lines = ['id = "bench-60"', 'title = "基准测试检查表"', 'version = "1.0"', "total = 100",
             'scoring_note = "合成的基准测试检查表。"', "", "[[sources]]", 'code = "001"',
             'file = "001_bench.txt"', 'title = "基准"', ""]
    for name, low, high in (("优秀", 90, 100), ("良好", 80, 90), ("合格", 60, 80),
                            ("不合格", 0, 60)):
        lines += ["[[grades]]", f'name = "{name}"', f"min = {low}", f"max = {high}", ""]
    for n in range(criteria):
        if n % 10 == 0:
            lines += ["[[sections]]", f'id = "{n // 10 + 1}"',
                      f'title = "第{n // 10 + 1}部分：普法责任制落实情况"', ""]
        half_points = base + (1 if n < extra else 0)
        lines += ["[[sections.criteria]]", f'id = "{n // 10 + 1}.{n % 10 + 1}"',
                  f'title = "评分项{n + 1}：宣传教育活动开展情况"',
                  'requirement = "按年度计划开展普法宣传活动，台账齐全"',
                  'guide = "按要求开展得满分，缺一项扣分"', f"max = {half_points / 2}",
                  'methods = ["听取汇报", "查阅台账", "实地查看"]',
                  f'source = "001 一.{n + 1}"', ""]
    return "\n".join(lines)


def build(root: Path, sites: int, criteria: int) -> str:
    import random

    from inspect_tui.store.workspace import Workspace

    rng = random.Random(5)
    with Workspace.open(root, author="基准") as ws:
        insp = ws.create_inspection(checklist_toml(criteria).encode(), "bench-60.toml",
                                    title="基准测试：16 个检查点", team=["张明", "李华"],
                                    inspection_id="bench")
        for n in range(sites):
            sid = insp.add_site(f"检查点{n + 1:02d}", "部门", f"第{n % 4 + 1}检查组").site_id
            storage = insp._site_file(sid).storage
            assert storage is not None
            with storage.batch():
                for c in insp.checklist.criteria:
                    values: dict[str, object] = {
                        "points": rng.randint(0, int(c.max * 2)) / 2, "methods": ["查阅台账"]}
                    if rng.random() < 0.1:
                        values |= {"problems": "活动台账缺少现场照片和签到表",
                                   "advice": "规范活动台账，做到方案、记录、照片齐全"}
                    insp.set_fields(sid, c.id, **values)
    return "bench"


def one_run(root: Path, out: Path) -> dict[str, float]:
    """One export in this process; prints its stage seconds and peak RSS as JSON."""
    from inspect_tui.export.run import ExportOptions, prepare, signer_of, write_report
    from inspect_tui.store.workspace import Workspace

    key = ec.derive_private_key(PASSPHRASE_FREE_KEY, ec.SECP256R1())
    options = ExportOptions(out_dir=out)
    t0 = time.perf_counter()
    with Workspace.open(root) as ws:
        inputs = prepare(ws.inspection("bench"), signer_of("基准组长", key.public_key()), options)
    gather = time.perf_counter() - t0
    cpu0, worker0 = time.process_time(), _children_cpu()
    result = write_report(inputs, key, options)
    figures = {"gather": gather, **result.seconds, "folder": str(result.folder),
               "cpu": time.process_time() - cpu0, "cpu_worker": _children_cpu() - worker0}
    # The PDF worker (export/pdf_worker) runs beside this process: both peaks, added.
    figures["rss_mb"] = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                         + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    return figures  # type: ignore[return-value]


def _children_cpu() -> float:
    """CPU seconds of the ended child processes waited for (the PDF worker, once done)."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def reference_run(pages: int) -> float:
    """Seconds for reportlab to import, load the report's two fonts and lay out and write a
    `pages`-page document of one paragraph a page (the floor of any report of that length)."""
    import io

    t0 = time.perf_counter()
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    from inspect_tui.export.report_fonts import report_fonts

    body, head = report_fonts()
    text = ParagraphStyle("text", fontName=body, fontSize=11, wordWrap="CJK")
    title = ParagraphStyle("title", fontName=head, fontSize=15)
    story = []
    for n in range(pages):
        story += [Paragraph(f"第{n + 1}页", title),
                  Paragraph("检查组按年度计划开展普法宣传活动，台账齐全。", text), PageBreak()]
    SimpleDocTemplate(io.BytesIO()).build(story[:-1])
    return time.perf_counter() - t0


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    return int(next(line.split()[-1] for line in info.stdout.splitlines()
                    if line.startswith("Pages:")))


def photo_of_one_qr(folder: Path, work: Path) -> Path:
    """A phone-like photo of one record QR: the first page with record codes at 200 dpi,
    cropped around its first record QR code with a margin, turned 3 degrees and blurred."""
    import zxingcpp
    from PIL import Image, ImageFilter

    subprocess.run(["pdftoppm", "-r", "200", "-png", "-f", "1", "-l", "6",
                    str(folder / "report.pdf"), str(work / "page")], check=True)
    code, page = next((c, page) for page in (Image.open(p).convert("L")
                                             for p in sorted(work.glob("page-*.png")))
                      for c in zxingcpp.read_barcodes(page) if c.text.startswith("IT"))
    corners = (code.position.top_left, code.position.bottom_right)
    left, top = min(p.x for p in corners) - 60, min(p.y for p in corners) - 60
    right, bottom = max(p.x for p in corners) + 60, max(p.y for p in corners) + 60
    crop = page.crop((left, top, right, bottom))
    crop = crop.rotate(3, expand=True, fillcolor=255, resample=Image.Resampling.BICUBIC)
    crop.filter(ImageFilter.GaussianBlur(0.6)).save(work / "qr-photo.jpg", quality=85)
    return work / "qr-photo.jpg"


def time_photo(folder: Path, work: Path, repeats: int = 30) -> tuple[float, int]:
    from inspect_tui.core import sshsig
    from inspect_tui.export.verify_files import load_bundle, load_trust, verify_image

    key = ec.derive_private_key(PASSPHRASE_FREE_KEY, ec.SECP256R1())
    line = f'基准组长 namespaces="inspect-report" {sshsig.encode_public_key(key.public_key())}'
    (work / "allowed_signers").write_text(line + "\n", "utf-8")
    trust = load_trust(str(work / "allowed_signers"))
    bundle = load_bundle(str(folder), trust)
    photo = photo_of_one_qr(folder, work)
    times, valid = [], 0
    for _ in range(repeats):
        t0 = time.perf_counter()
        outcome = verify_image(photo, trust, bundle)
        times.append(time.perf_counter() - t0)
        valid = sum(f.ok for f in outcome.records)
    return statistics.median(times), valid


def qr_versions(folder: Path) -> list[int]:
    """The QR version of every code in the report (read from report.html's data-qr texts),
    encoded as the export encodes them (zxing-cpp, level M)."""
    import html
    import re

    import zxingcpp

    from inspect_tui.export.qr_images import EC_LEVEL

    texts = re.findall(r'data-qr="([^"]*)"', (folder / "report.html").read_text("utf-8"))
    versions = []
    for text in map(html.unescape, texts):
        code = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level=EC_LEVEL)
        size = code.to_image(scale=1, add_quiet_zones=False).shape[0]
        versions.append((size - 17) // 4)  # a version-v symbol is 17 + 4v modules wide
    return versions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sites", type=int, default=16)
    parser.add_argument("--criteria", type=int, default=60)
    parser.add_argument("--one", nargs=2, metavar=("WORKSPACE", "OUT"), help=argparse.SUPPRESS)
    parser.add_argument("--reference", type=int, metavar="PAGES", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one_run(Path(args.one[0]), Path(args.one[1]))))
        return
    if args.reference:
        print(json.dumps({"reference": reference_run(args.reference)}))
        return
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "ws"
        t0 = time.perf_counter()
        build(root, args.sites, args.criteria)
        print(f"workspace: {args.sites} sites × {args.criteria} criteria = "
              f"{args.sites * args.criteria} records, built in {time.perf_counter() - t0:.1f} s")
        runs = []
        for n in range(args.runs):
            runs.append(_child("--one", str(root), str(Path(tmp) / f"exports{n}")))
            pages = page_count(Path(runs[-1]["folder"]) / "report.pdf")
            runs[-1] |= _child("--reference", str(pages)) | {"pages": pages}
        for r in runs:
            r["total"] = r["json"] + r["qr"] + r["html"] + r["pdf"] + r["pdf_sign"]
        med = {k: statistics.median(r[k] for r in runs)
               for k in (*STAGES, "rss_mb", "total", "reference", "cpu", "cpu_worker")}
        ref = med["reference"]
        print(f"{'stage':<22}{'median s':>10}{'× reference':>13}   (min … max s)")
        rows = [("gather (snapshot)", "gather"), ("json + sig", "json"), ("QR codes", "qr"),
                ("html", "html"), ("pdf (layout)", "pdf"), ("pdf (signature)", "pdf_sign"),
                ("json+sig+QR+html+pdf", "total")]
        for name, k in rows:
            values = [r[k] for r in runs]
            print(f"{name:<22}{med[k]:>10.2f}{med[k] / ref:>12.2f}×   "
                  f"({min(values):.2f} … {max(values):.2f})")
        total = med["total"]
        print(f"{'reference':<22}{ref:>10.2f}{1:>12.2f}×   reportlab, a minimal "
              f"{runs[0]['pages']}-page document in the same fonts, alternating with the "
              "exports")
        per_run = ", ".join(f"{r['total']:.2f}" for r in runs)
        print(f"{'total (target ≤ 3 s)':<22}{total:>10.2f}   per run: {per_run}")
        print(f"{'CPU (json…pdf)':<22}{med['cpu']:>10.2f} s here + {med['cpu_worker']:.2f} s in "
              "the PDF worker (steadier than wall time on a shared machine)")
        print(f"{'peak RSS':<22}{med['rss_mb']:>9.0f} MB (target ≤ 400 MB; the export and its "
              "PDF worker process, added)")
        pdf_mb = (Path(runs[0]["folder"]) / "report.pdf").stat().st_size / 1e6
        print(f"{'report.pdf':<22}{pdf_mb:>9.2f} MB ({runs[0]['pages']} pages)")
        photo, valid = time_photo(Path(runs[0]["folder"]), Path(tmp))
        print(f"{'one QR photo':<22}{photo * 1000:>9.1f} ms (target ≤ 50 ms; "
              f"{valid} valid QR)")
        print(json.dumps({"median": med, "total_s": total, "reference_s": ref,
                          "photo_ms": photo * 1000}))


def _child(*args: str) -> dict[str, Any]:
    """The JSON figures a fresh `python -m benchmarks.export ARGS` prints last."""
    out = subprocess.run([sys.executable, "-m", "benchmarks.export", *args], check=True,
                         capture_output=True, text=True).stdout
    figures: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return figures


if __name__ == "__main__":
    main()
