"""An export of hostile text: signed and verifiable, report.json keeps every string byte for
byte, the HTML and the PDF print it literally (never as markup) and stay readable.

The workspace is `hostile.py`'s, exported once for the module with `inspect-tui export`, signed
by a key whose name is hostile too. One more note (site 3, criterion 1.1) carries every control
character at once: NUL, CR and backspace appear nowhere else in what is exported.
"""

from __future__ import annotations

import itertools
import json
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from inspect_tui.export.verify_files import decode_image, load_bundle, load_trust, verify_target
from inspect_tui.store.workspace import Workspace
from inspect_tui.terminal_safe import has_controls
from tests.export.conftest import FONT_PROBLEM, Signing, make_signing, needs, run
from tests.export.test_cli import cli
from tests.export.test_roundtrip import page_count, render
from tests.security import hostile as h
from tests.security.hostile import hostile_copy, visible

EVERY_CONTROL = f"全部控制符{h.ALL_CONTROLS}<b>结束"  # notes of site 3, criterion 1.1
LONG_PROBLEM = f"长问题{h.LONG}"  # problems of site 1, criterion 2.1: 10,003 characters

# Every hostile string the report prints (report.json holds each exactly as it was entered).
PRINTED = (
    h.INSPECTION_TITLE, h.CHECKLIST_TITLE, h.SIGNER, *h.TEAM, h.AUTHOR, h.LAPTOP_AUTHOR,
    h.SITE1, h.SITE2, h.SITE3, h.GROUP1, h.GROUP2, h.GRADES[1], h.GRADES[2],
    h.SECTION_TITLE, h.SECTION2_TITLE, h.CRIT_TITLE, h.CRIT2_TITLE, h.CRIT3_TITLE,
    h.NOTES, h.PROBLEMS, h.ADVICE, h.DEDUCTION, h.TARGET_UNIT, h.TARGET_PERIOD,
    h.EVIDENCE_NAME, h.EVIDENCE_FILE, h.CAPTION, h.CONFLICT_LEAD, h.CONFLICT_LAPTOP,
    EVERY_CONTROL, LONG_PROBLEM,
)

# The elements report.html is made of (export/html.py: no <script>, no on* attribute of its
# own); a hostile string that became markup would add one (<script>, <b>, <font>, <para>, <i>).
TEMPLATE_TAGS = {
    "html", "head", "meta", "title", "style", "body", "header", "footer", "section", "h1", "h2",
    "h3", "div", "span", "strong", "p", "ol", "li", "table", "thead", "tbody", "tr", "th", "td",
    "figure", "figcaption", "svg", "rect", "path", "hr",
}


@dataclass(frozen=True)
class HostileExport:
    root: Path
    signing: Signing
    export: subprocess.CompletedProcess[str]

    @property
    def folder(self) -> Path:
        assert self.export.returncode == 0, self.export.stdout + self.export.stderr
        (folder,) = (self.root / "exports").iterdir()
        return folder

    def json(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((self.folder / "report.json").read_bytes())
        return data


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> HostileExport:
    """The hostile workspace exported once (a few seconds), signed by a hostile key name."""
    if FONT_PROBLEM:
        pytest.skip(f"the PDF needs a CJK font: {FONT_PROBLEM}")
    root = tmp_path_factory.mktemp("hostile-export")
    ws = hostile_copy(tmp_path_factory.getbasetemp(), root / "hostile")
    with Workspace.open(ws.workspace, author=h.AUTHOR) as open_ws:
        open_ws.inspection(h.INSPECTION).set_fields(ws.site3, "1.1", notes=EVERY_CONTROL)
    signing = make_signing(root / "keys", h.SIGNER)
    export = cli("-w", ws.workspace, "export", h.INSPECTION, "--key", h.SIGNER,
                 "--allow-conflicts", signing=signing, cwd=root,
                 env={"INSPECT_TUI_INSPECTOR": h.AUTHOR})  # the lead's (hostile) name
    return HostileExport(root, signing, export)


@pytest.fixture(scope="module")
def pdf_text(exported: HostileExport) -> str:
    out = run("pdftotext", "-layout", exported.folder / "report.pdf", "-")
    assert out.returncode == 0, out.stderr
    return out.stdout


# ---- 1. signed and verifiable ------------------------------------------------------------------

def test_export_succeeds_and_verifies(exported: HostileExport) -> None:
    assert exported.export.returncode == 0, exported.export.stdout + exported.export.stderr
    assert sorted(p.name for p in exported.folder.iterdir()) == [
        "report.html", "report.json", "report.json.sig", "report.pdf"]
    v = cli("verify", exported.folder, "--trusted", exported.signing.allowed_signers,
            signing=exported.signing, cwd=exported.root)
    assert v.returncode == 0, v.stdout + v.stderr
    assert "结论：全部有效" in v.stdout and "9 条记录中 9 条与报告内容一致" in v.stdout


# ---- 2. report.json: the signed data, never changed --------------------------------------------

def test_report_json_keeps_every_hostile_string_byte_for_byte(exported: HostileExport) -> None:
    raw = (exported.folder / "report.json").read_bytes()
    assert b"\x1b" not in raw and b"\x00" not in raw  # JSON writes controls as \u escapes
    data = exported.json()
    assert (data["title"], data["team"], data["signer"]["name"]) == (
        h.INSPECTION_TITLE, h.TEAM, h.SIGNER)
    assert (data["checklist"]["title"], data["checklist"]["version"]) == (
        h.CHECKLIST_TITLE, "1.0<b>")
    assert sorted(data["inspectors"]) == sorted([h.AUTHOR, h.LAPTOP_AUTHOR])
    assert [g["name"] for g in data["grades"]] == list(h.GRADES)
    sites = data["sites"]
    assert [(s["name"], s["group"]) for s in sites] == [
        (h.SITE1, h.GROUP1), (h.SITE2, h.GROUP2), (h.SITE3, "")]
    for site in sites:
        assert [s["title"] for s in site["sections"]] == [h.SECTION_TITLE, h.SECTION2_TITLE]
        assert [r["title"] for r in site["records"]] == [
            h.CRIT_TITLE, h.CRIT2_TITLE, h.CRIT3_TITLE]
    r11, r12, r21 = sites[0]["records"]
    assert (r11["notes"], r11["problems"], r11["advice"], r11["updated_by"]) == (
        h.NOTES, h.PROBLEMS, h.ADVICE, h.AUTHOR)
    assert [d["reason"] for d in r11["deductions"]] == [h.DEDUCTION]
    assert (r11["target"]["unit"], r11["target"]["period"]) == (h.TARGET_UNIT, h.TARGET_PERIOD)
    assert [(e["name"], e["caption"]) for e in r11["evidence"]] == [(h.EVIDENCE_NAME, h.CAPTION)]
    assert [(e["name"], e["caption"]) for e in r12["evidence"]] == [(h.EVIDENCE_FILE, h.CAPTION)]
    assert (r12["notes"], r21["problems"]) == (h.CONFLICT_LEAD, LONG_PROBLEM)
    assert sites[2]["records"][0]["notes"] == EVERY_CONTROL
    (conflict,) = data["conflicts"]
    assert [(v["value"], v["author"]) for v in conflict["values"]] == [
        (h.CONFLICT_LEAD, h.AUTHOR), (h.CONFLICT_LAPTOP, h.LAPTOP_AUTHOR)]


# ---- 3. report.html: text, never markup -----------------------------------------------------

class Page(HTMLParser):
    """The elements (with their attributes) and the text nodes of a page, as a browser parses
    them (character references decoded)."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.texts: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.texts.append(data)


def test_html_holds_hostile_text_as_text_only(exported: HostileExport) -> None:
    html = (exported.folder / "report.html").read_text("utf-8")
    page = Page(html)
    handlers = [(tag, name) for tag, attrs in page.tags for name in attrs
                if name.startswith("on")]
    assert not handlers and "script" not in {tag for tag, _ in page.tags}
    assert {tag for tag, _ in page.tags} <= TEMPLATE_TAGS  # no <b>, <font>, <para>, <i> either
    codes = [attrs for tag, attrs in page.tags if tag == "figure" and "data-qr" in attrs]
    scored = [r for s in exported.json()["sites"] for r in s["records"]
              if r["score"] is not None or r["not_applicable"]]
    assert len(codes) == len(scored) + 1  # a QR code per scored record, and the report's
    assert [tag for tag, _ in page.tags].count("svg") == len(codes)  # drawn inline, no images
    # Control characters other than tab and newline are not allowed in HTML (and U+202E would
    # reorder what is shown), so the page leaves them out: each string shows as `visible()`.
    assert "\x1b" not in html and not has_controls(html)
    missing = [s for s in PRINTED if not any(visible(s) in text for text in page.texts)]
    assert not missing


# ---- 4. report.pdf: printed literally, laid out ----------------------------------------------

# Each of these is printed on one line (a heading, a record's line): pdftotext -layout gives it
# back whole. Before the export removed control characters, each ESC, BEL, NUL left a blank
# (or, with another font, a box) in the line, and the text came back broken by spaces.
ONE_LINE = (
    h.INSPECTION_TITLE, h.SIGNER, h.SITE1, h.SITE2, h.CRIT_TITLE, h.CRIT2_TITLE, h.NOTES,
    h.PROBLEMS, h.ADVICE, h.DEDUCTION, h.CONFLICT_LEAD, EVERY_CONTROL,
)
MARKUP = ("<b>", "<font color=red>", "<para>", "<i>", "[@click=app.quit]", "[/]", h.SCRIPT,
          h.IMG, "&amp;", h.LINK, h.BOLD)


@needs("pdftotext", "poppler-utils")
def test_pdf_prints_hostile_text_literally(exported: HostileExport, pdf_text: str) -> None:
    missing = [s for s in MARKUP + ONE_LINE if visible(s) not in pdf_text]
    assert not missing
    # The document info is shown by PDF readers and printed by `pdfinfo` to a terminal: an ESC
    # in the title would reach it (`pdfinfo` writes it raw).
    info = run("pdfinfo", exported.folder / "report.pdf").stdout
    assert f"Title:           {visible(h.INSPECTION_TITLE)}\n" in info
    assert f"Author:          {h.SIGNER}\n" in info
    assert not has_controls(info)


@needs("pdftotext", "poppler-utils")
def test_pdf_prints_the_whole_10000_character_problem(pdf_text: str) -> None:
    assert h.LONG[:40] in pdf_text
    # It is printed twice (in the problem list and in its record), each copy over pages, never
    # cut short: count its six-character unit, allowing one broken at each page's header.
    flat = re.sub(r"\s+", "", pdf_text)
    units = h.LONG.count("无空格长文本")
    assert flat.count("无空格长文本") >= 2 * units - 2 * pdf_text.count("\f")
    assert "长问题" + h.LONG[:200] in flat


def words(pdf: Path) -> list[tuple[float, float, list[tuple[float, float, float, float, str]]]]:
    """Per page: its width, height and words with their boxes (pdftotext -bbox)."""
    pages: list[tuple[float, float, list[tuple[float, float, float, float, str]]]] = []
    box: list[float] = []

    class Boxes(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            a = {k: float(v or 0) for k, v in attrs if k in {"width", "height", "xmin", "ymin",
                                                              "xmax", "ymax"}}
            if tag == "page":
                pages.append((a["width"], a["height"], []))
            elif tag == "word":
                box[:] = [a["xmin"], a["ymin"], a["xmax"], a["ymax"]]

        def handle_data(self, data: str) -> None:
            if box and data.strip():
                x0, y0, x1, y1 = box
                pages[-1][2].append((x0, y0, x1, y1, data))
                box.clear()

    out = run("pdftotext", "-bbox", pdf, "-")
    assert out.returncode == 0, out.stderr
    Boxes(convert_charrefs=True).feed(out.stdout)
    return pages


@needs("pdftotext", "poppler-utils")
def test_pdf_text_stays_on_the_page_and_never_overlaps(exported: HostileExport) -> None:
    pages = words(exported.folder / "report.pdf")
    assert len(pages) == page_count(exported.folder / "report.pdf")
    off, overlaps = [], []
    for n, (width, height, boxes) in enumerate(pages, start=1):
        off += [(n, w[4][:30]) for w in boxes
                if w[0] < 0 or w[1] < 0 or w[2] > width or w[3] > height]
        for a, b in itertools.combinations(boxes, 2):
            if min(a[2], b[2]) - max(a[0], b[0]) > 1 and min(a[3], b[3]) - max(a[1], b[1]) > 1:
                overlaps.append((n, a[4][:30], b[4][:30]))  # e.g. the running header's title
    assert not off and not overlaps


@needs("pdftoppm", "poppler-utils")
def test_every_pdf_page_renders(exported: HostileExport, tmp_path: Path) -> None:
    pdf = exported.folder / "report.pdf"
    r = run("pdftoppm", "-r", "60", "-png", pdf, tmp_path / "page")
    assert r.returncode == 0, r.stderr
    pngs = sorted(tmp_path.glob("page-*.png"))
    assert len(pngs) == page_count(pdf) >= 2 + 3  # cover, then at least a page per site
    for png in pngs:
        head = png.read_bytes()[:24]
        assert head[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
        assert abs(width - 496) <= 1 and abs(height - 702) <= 1  # A4 at 60 dpi


# ---- 5. every QR code still scans and verifies ------------------------------------------------

@needs("pdftoppm", "poppler-utils")
def test_every_printed_qr_decodes_and_verifies(exported: HostileExport, tmp_path: Path) -> None:
    pages = render(exported.folder / "report.pdf", tmp_path)
    with ThreadPoolExecutor(2) as pool:
        texts = [text for found in pool.map(decode_image, pages) for text in found]
    records = sorted(t for t in texts if t.startswith("IT2:"))
    covers = [t for t in texts if t.startswith("ITR1:")]
    assert records == sorted(r["qr"] for s in exported.json()["sites"] for r in s["records"]
                             if r["score"] is not None or r["not_applicable"])  # scored only
    assert len(covers) == 1
    trust = load_trust(str(exported.signing.allowed_signers))
    bundle = load_bundle(str(exported.folder), trust)
    for text in records + covers:
        finding = verify_target(text, trust, bundle).records[0]
        assert finding.ok, finding.detail
