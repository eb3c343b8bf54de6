"""Export the demo, render every PDF page, scan every QR code, verify each against the database."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from inspect_tui.core.scoring import criterion_score
from inspect_tui.core.scoring_rules import rules_version
from inspect_tui.demo import DEMO_ID
from inspect_tui.export.verify_files import decode_image, load_bundle, load_trust, verify_target
from inspect_tui.store.workspace import Workspace
from tests.export.conftest import DemoExport, Signing, needs, run


def page_count(pdf: Path) -> int:
    info = run("pdfinfo", pdf).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]


def render(pdf: Path, out: Path, dpi: int = 150) -> list[Path]:
    """Every page with pdftoppm, two processes at once. Greyscale PGM: the same rasteriser as
    -png, without PNG compression (0.3 s of the 0.33 s per page)."""
    pages = page_count(pdf)
    half = pages // 2
    ranges = [(1, half), (half + 1, pages)]
    with ThreadPoolExecutor(2) as pool:
        done = pool.map(lambda r: run("pdftoppm", "-r", str(dpi), "-gray", "-f", str(r[0]),
                                      "-l", str(r[1]), pdf, out / "page"), ranges)
        assert all(r.returncode == 0 for r in done)
    files = sorted(out.glob("page-*.pgm"))
    assert len(files) == pages
    return files


@needs("pdftoppm", "poppler-utils")
def test_every_printed_qr_scans_verifies_and_matches_the_database(
        demo_export: DemoExport, signing: Signing, tmp_path: Path) -> None:
    pages = render(demo_export.folder / "report.pdf", tmp_path)
    with ThreadPoolExecutor(2) as pool:
        texts = [text for found in pool.map(decode_image, pages) for text in found]
    trust = load_trust(str(signing.allowed_signers))
    bundle = load_bundle(str(demo_export.folder), trust)
    records = [t for t in texts if t.startswith("IT2:")]
    covers = [t for t in texts if t.startswith("ITR1:")]
    assert len(covers) == 1 and len(records) == len(set(records))
    with Workspace.open(demo_export.workspace) as ws:
        insp = ws.inspection(DEMO_ID)
        # every criterion that applies to a site's kind and was scored (or found 不适用) is
        # printed with its code, and no other: unscored criteria are only listed
        report = demo_export.result.report
        decided = {r.record_id for _, r in report.records()
                   if r.score is not None or r.not_applicable}
        expected = {r.record_id: r for s in insp.sites() for r in insp.records(s.site_id).values()
                    if insp.checklist.criterion(r.criterion_id).applies(s.kind or None)
                    and r.record_id in decided}
        assert len(records) == len(expected) == len(decided)
        assert len(decided) < sum(len(insp.checklist.criteria_for(s.kind or None))
                                  for s in insp.sites())
        for text in records + covers:
            finding = verify_target(text, trust, bundle).records[0]
            assert finding.ok, finding.detail
            if finding.payload is None:
                continue
            p = finding.payload
            db = expected.pop(p.record_id)
            score = criterion_score(insp.checklist.criterion(db.criterion_id), db.assessment())
            assert (p.site_id, p.criterion_id, p.score) == (db.site_id, db.criterion_id, score)
            assert p.rules == rules_version(insp.checklist.format)
    assert not expected  # every record of the database was printed and scanned


def test_folder_verifies(demo_export: DemoExport, signing: Signing) -> None:
    outcome = verify_target(str(demo_export.folder), load_trust(str(signing.allowed_signers)),
                            None)
    assert outcome.ok and outcome.kind == "folder"
    assert len(outcome.records) == sum(len(s.records) for s in demo_export.result.report.sites)
    assert [c.subject.rsplit("/", 1)[-1] for c in outcome.checks] == ["report.json", "report.pdf"]


@pytest.mark.parametrize("name", ["report.json", "report.json.sig", "report.html",
                                  "report.pdf"])
def test_export_folder_holds_the_four_files(demo_export: DemoExport, name: str) -> None:
    assert (demo_export.folder / name).stat().st_size > 0
    assert demo_export.folder.name.startswith(f"{DEMO_ID}-")
    assert not list(demo_export.folder.parent.glob(".*partial*"))
