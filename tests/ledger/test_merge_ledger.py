"""Two laptops' visit details and 复查 merged: set union, conflicts like any field, packs."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from inspect_tui.core.rectification import Status
from inspect_tui.store import ledger
from inspect_tui.store.conflicts import conflicts_of, find_conflict, resolve
from inspect_tui.store.pack import write_pack
from inspect_tui.store.workspace import Workspace
from tests.merge.helpers import copy_laptop, make_lead, merge, opened


@pytest.fixture
def lead(tmp_path: Path) -> tuple[Path, str, str]:
    """A lead with one site whose 1.1 has a problem, marked 已整改 before the laptops left."""
    root = tmp_path / "lead"
    (site,) = make_lead(root)
    with opened(root, "组长") as insp:
        insp.set_fields(site, "1.1", points=3, problems="台账不全")
        rid = insp.record_id(site, "1.1")
        insp.set_problem(rid, deadline="2026-06-30", status="已整改")
    return root, site, rid


def test_two_rechecks_of_one_problem_conflict_and_settle(tmp_path: Path,
                                                         lead: tuple[Path, str, str]) -> None:
    root, site, rid = lead
    a = copy_laptop(root, tmp_path / "a")
    b = copy_laptop(root, tmp_path / "b")
    with opened(a, "李华") as insp:
        insp.set_problem(rid, status="复查通过", recheck_date="2026-07-02", recheck_by="李华")
    with opened(b, "王芳") as insp:
        insp.set_problem(rid, status="复查未通过", recheck_date="2026-07-02", recheck_by="王芳")
        insp.set_visit(site, contact="赵主任")
    report = merge(root, a, b)
    assert all(s.status == "merged" for s in report.sources), report
    with opened(root, "组长") as insp:
        found = {(c.entity, c.field): c for c in conflicts_of(insp)}
        status = found[(f"rectify:{rid}", "status")]
        assert {r.value for r in status.rivals} == {"复查通过", "复查未通过"}
        assert {r.author for r in status.rivals} == {"李华", "王芳"}
        assert status.site_id == site and status.criterion_id == "1.1"
        assert (f"rectify:{rid}", "recheck_by") in found
        assert (f"rectify:{rid}", "recheck_date") not in found  # same value: no conflict
        assert (f"rectify:{rid}", "deadline") not in found
        # the visit detail only one laptop set merged without conflict
        assert insp.visit(site).contact == "赵主任"
        # settled like any field, by record ID; any rival may be picked
        resolve(insp, find_conflict(insp, rid, "status"), "复查未通过")
        resolve(insp, find_conflict(insp, rid, "recheck_by"), "王芳")
    with opened(root, "组长") as insp:
        assert conflicts_of(insp) == []
        (p,) = insp.problems(site)
        assert (p.status, p.recheck_by) == (Status.FAILED, "王芳")


def test_merge_writes_ledger_entries_to_the_site_file(tmp_path: Path,
                                                      lead: tuple[Path, str, str]) -> None:
    root, site, rid = lead
    a = copy_laptop(root, tmp_path / "a")
    with opened(a, "李华") as insp:
        insp.set_visit(site, date="2026-05-06", inspectors=["李华"])
        insp.set_problem(rid, owner_person="钱伟")
    site_file = root / "inspections" / "insp-1" / "sites" / f"{site}.json"
    main_file = root / "inspections" / "insp-1" / "inspection.json"
    before = main_file.read_bytes()
    merge(root, a)
    assert main_file.read_bytes() == before  # nothing of it went to inspection.json
    assert "钱伟" in site_file.read_text("utf-8") and "李华" in site_file.read_text("utf-8")
    with opened(root, "组长") as insp:
        assert insp.visit(site).date == "2026-05-06"
        assert insp.problems(site)[0].owner_person == "钱伟"


def test_a_pack_carries_the_ledger_and_recheck_evidence(tmp_path: Path,
                                                        lead: tuple[Path, str, str]) -> None:
    root, site, rid = lead
    a = copy_laptop(root, tmp_path / "a")
    photo = tmp_path / "复查照片.jpg"
    photo.write_bytes(b"\xff\xd8 recheck " * 50)
    with opened(a, "李华") as insp:
        insp.set_visit(site, date="2026-05-06", contact="赵主任", contact_phone="13800000000")
        ref = ledger.attach_recheck_evidence(insp, rid, photo, "整改后台账")
        insp.set_problem(rid, status="复查通过", recheck_date="2026-07-02")
    pack = tmp_path / "a.pack"
    with Workspace.open(a, author="李华") as ws:
        write_pack(ws.inspection("insp-1"), pack, device=ws.device)
    with zipfile.ZipFile(pack) as zf:
        assert f"evidence/{ref.sha256}" in zf.namelist()
    report = merge(root, pack)
    assert [s.status for s in report.sources] == ["merged"]
    with opened(root, "组长") as insp:
        (p,) = insp.problems(site)
        assert (p.status, p.recheck_evidence) == (Status.PASSED, (ref.sha256,))
        assert [e.name for e in ledger.recheck_evidence(insp, rid)] == ["复查照片.jpg"]
        assert insp.evidence.path_of(ref.sha256).read_bytes() == photo.read_bytes()
        assert insp.visit(site).contact_phone == "13800000000"


def test_export_refuses_an_open_recheck_conflict_and_signs_the_ledger(
        tmp_path: Path, lead: tuple[Path, str, str]) -> None:
    """A 复查 two laptops disagree on is not signed as if settled; once settled, the signed
    history digest covers the ledger and visit entries too."""
    from cryptography.hazmat.primitives.asymmetric import ec

    from inspect_tui.core.report_build import ConflictsOpenError
    from inspect_tui.export.run import ExportOptions, prepare, signer_of

    root, site, rid = lead
    a = copy_laptop(root, tmp_path / "a")
    b = copy_laptop(root, tmp_path / "b")
    with opened(a, "李华") as insp:
        insp.set_problem(rid, status="复查通过", recheck_date="2026-07-02")
    with opened(b, "王芳") as insp:
        insp.set_problem(rid, status="复查未通过", recheck_date="2026-07-02")
    merge(root, a, b)
    key = ec.generate_private_key(ec.SECP256R1())
    options = ExportOptions(out_dir=tmp_path / "out")
    with opened(root, "组长") as insp:
        assert insp.conflicts() == []  # no record conflict: only the ledger disagrees
        with pytest.raises(ConflictsOpenError) as caught:
            prepare(insp, signer_of("组长", key.public_key()), options)
        assert rid in str(caught.value)
        resolve(insp, find_conflict(insp, rid, "status"), "复查未通过")
        inputs = prepare(insp, signer_of("组长", key.public_key()), options)
        ledger_hashes = {e.hash for e in insp.all_entries() if e.entity == f"rectify:{rid}"}
    from inspect_tui.core.report_build import _covered

    covered = {e.hash for e in _covered(inputs.entries, {site})}
    assert len(ledger_hashes) >= 4 and ledger_hashes <= covered
