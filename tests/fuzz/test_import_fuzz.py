"""Fuzzing what a team lead imports: packs and laptop folders, damaged at random.

Allowed outcomes: the source is merged, skipped with a reason, or refused with our own error.
When nothing was merged the destination is byte for byte as before; when something was, the
destination still opens, `doctor` finds no error, and (for damage that an honest pack's
digests or chains must catch) nothing that was not on the laptop arrives.
A damaged workspace opened directly gives our own error and is never written to.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import event, given
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

from inspect_tui.core.errors import InspectError
from inspect_tui.store.doctor import Level, check_workspace
from inspect_tui.store.merge_report import MERGED, SKIPPED
from inspect_tui.store.pack import write_pack
from inspect_tui.store.workspace import Workspace
from tests.fuzz.budget import fuzz
from tests.fuzz.mutate import mutated_bytes, mutated_tree
from tests.merge.helpers import INSPECTION, copy_laptop, entries, make_lead, merge, opened, snapshot


class Laptops:
    """A lead's workspace and one inspector's laptop (scores, a site, a photo), made once."""

    def __init__(self, root: Path) -> None:
        self.lead = root / "lead"
        make_lead(self.lead, ("马涧镇", "市司法局"))
        self.laptop = copy_laptop(self.lead, root / "laptop")
        photo = root / "台账.jpg"
        photo.write_bytes(b"\xff\xd8 ledger " * 64)
        with opened(self.laptop, "李华") as insp:
            site = insp.sites()[0].site_id
            insp.set_fields(site, "1.1", points=5, problems="类型单一", methods=["查阅台账"])
            insp.set_fields(site, "1.1", deductions=[0])
            insp.set_fields(site, "1.2", points=3)
            insp.attach_evidence(site, "1.1", photo, "台账")
            insp.add_site("新村", "基层单位", "第二检查组")
        self.pack = root / "li.pack"
        with Workspace.open(self.laptop, author="李华") as ws:
            write_pack(ws.inspection(INSPECTION), self.pack, device=ws.device)
        self.pack_bytes = self.pack.read_bytes()
        self.known = set(entries(self.lead)) | set(entries(self.laptop))
        self.db_files = sorted(p.relative_to(self.laptop).as_posix()
                               for p in (self.laptop / "inspections").rglob("*.json"))


@pytest.fixture(scope="module")
def laptops(tmp_path_factory: pytest.TempPathFactory) -> Laptops:
    return Laptops(tmp_path_factory.mktemp("laptops"))


@contextmanager
def scratch() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="fuzz-") as name:
        yield Path(name)


def import_and_judge(laptops: Laptops, source: Path, dest: Path, *,
                     foreign_allowed: bool = False) -> str:
    """Merge `source` into a fresh copy of the lead; check the allowed outcomes; the status."""
    shutil.copytree(laptops.lead, dest)
    with Workspace.open(dest) as ws:
        assert ws.device  # a copied workspace takes its own device id when it first writes
    before = snapshot(dest)
    try:
        (report,) = merge(dest, source).sources
    except InspectError as exc:
        assert str(source) in str(exc) or source.name in str(exc)
        status = "refused"
    else:
        status = report.status
        if status == SKIPPED:
            assert report.reason and (str(source) in report.reason or source.name
                                      in report.reason)
    if currently_in_test_context():
        event(f"outcome: {status}")  # shown by --hypothesis-show-statistics
    if status != MERGED:
        assert snapshot(dest) == before
        return status
    assert [f for f in check_workspace(dest) if f.level is Level.ERROR] == []
    if not foreign_allowed:
        assert set(entries(dest)) <= laptops.known
    return status


# ---- packs --------------------------------------------------------------------------------

def test_the_undamaged_pack_merges(laptops: Laptops) -> None:
    with scratch() as tmp:
        assert import_and_judge(laptops, laptops.pack, tmp / "dest") == MERGED
        assert set(entries(tmp / "dest")) == laptops.known


@fuzz(150)
@given(data=st.data())
def test_byte_damage_to_a_pack(laptops: Laptops, data: st.DataObject) -> None:
    with scratch() as tmp:
        pack = tmp / "li.pack"
        pack.write_bytes(data.draw(mutated_bytes(laptops.pack_bytes)))
        import_and_judge(laptops, pack, tmp / "dest")


def _members(raw: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(zipfile.ZipInfo(name), data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def _relisted(members: dict[str, bytes]) -> dict[str, bytes]:
    """The members with a manifest rewritten to match them, as a forger would."""
    manifest = json.loads(members["manifest.json"])
    manifest["members"] = {n: {"sha256": hashlib.sha256(d).hexdigest(), "size": len(d)}
                           for n, d in members.items() if n != "manifest.json"}
    return {**members, "manifest.json": json.dumps(manifest).encode()}


@fuzz(150)
@given(data=st.data())
def test_forged_database_members_in_a_relisted_pack(laptops: Laptops,
                                                    data: st.DataObject) -> None:
    """Damaged databases with a matching manifest: only the chains and the checks stand."""
    members = _members(laptops.pack_bytes)
    name = data.draw(st.sampled_from(sorted(n for n in members if n.endswith(".json")
                                            and n != "manifest.json")))
    tree: Any = json.loads(members[name])
    members[name] = json.dumps(data.draw(mutated_tree(tree)), ensure_ascii=False).encode()
    with scratch() as tmp:
        pack = tmp / "forged.pack"
        pack.write_bytes(_zip(_relisted(members)))
        import_and_judge(laptops, pack, tmp / "dest", foreign_allowed=True)


@fuzz(40)
@given(data=st.data())
def test_forged_manifests(laptops: Laptops, data: st.DataObject) -> None:
    members = _members(laptops.pack_bytes)
    tree: Any = json.loads(members["manifest.json"])
    members["manifest.json"] = json.dumps(data.draw(mutated_tree(tree))).encode()
    with scratch() as tmp:
        pack = tmp / "forged.pack"
        pack.write_bytes(_zip(members))
        import_and_judge(laptops, pack, tmp / "dest")


# ---- laptop folders -----------------------------------------------------------------------

@fuzz(100)
@given(data=st.data())
def test_byte_damage_to_a_laptop_database(laptops: Laptops, data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(laptops.db_files))
    with scratch() as tmp:
        laptop = Path(shutil.copytree(laptops.laptop, tmp / "laptop"))
        damaged = data.draw(mutated_bytes((laptop / name).read_bytes()))
        (laptop / name).write_bytes(damaged)
        import_and_judge(laptops, laptop, tmp / "dest")
        opened_directly(laptop, name, damaged)


def opened_directly(root: Path, name: str, damaged: bytes) -> None:
    """Opening the damaged laptop itself: usable, or our own error; the file never rewritten."""
    try:
        with Workspace.open(root, author="李华") as ws:
            insp = ws.inspection(INSPECTION)
            for site in insp.sites():
                insp.result(site.site_id)
    except InspectError as exc:
        assert str(root / name) in str(exc) or root.name in str(exc)
    assert (root / name).read_bytes() == damaged


@fuzz(40)
@given(data=st.data())
def test_damaged_evidence_in_a_laptop(laptops: Laptops, data: st.DataObject) -> None:
    with scratch() as tmp:
        laptop = Path(shutil.copytree(laptops.laptop, tmp / "laptop"))
        (photo,) = (laptop / "evidence").iterdir()
        photo.write_bytes(data.draw(mutated_bytes(photo.read_bytes())))
        import_and_judge(laptops, laptop, tmp / "dest")
        for copied in (tmp / "dest" / "evidence").glob("*"):  # only intact evidence arrives
            assert hashlib.sha256(copied.read_bytes()).hexdigest() == copied.name
