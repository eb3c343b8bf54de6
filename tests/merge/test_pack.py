"""Packs: round trip, signatures, and hostile packs (tampered, `../`, unlisted, zip bombs)."""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from inspect_tui import keys
from inspect_tui.core import sshsig
from inspect_tui.store.merge_report import MERGED, SKIPPED
from inspect_tui.store.merge_sources import Identity, open_pack
from inspect_tui.store.pack import PACK_NAMESPACE, Signer, write_pack
from inspect_tui.store.pack_reader import PackLimits
from inspect_tui.store.workspace import Workspace
from tests.merge.helpers import (
    copy_laptop,
    entries,
    make_lead,
    merge,
    opened,
    rewrite_zip,
    snapshot,
)

PASS = "correct horse battery"


@pytest.fixture
def lead(tmp_path: Path) -> Path:
    make_lead(tmp_path / "lead")
    return tmp_path / "lead"


@pytest.fixture
def laptop(tmp_path: Path, lead: Path) -> Path:
    laptop = copy_laptop(lead, tmp_path / "laptop")
    photo = tmp_path / "台账.jpg"
    photo.write_bytes(b"\xff\xd8 ledger " * 64)
    with opened(laptop, "李华") as insp:
        site = insp.sites()[0].site_id
        insp.set_fields(site, "1.1", points=5, problems="类型单一")
        insp.attach_evidence(site, "1.1", photo, "台账")
    return laptop


def make_pack(laptop: Path, out: Path, sign: Signer | None = None) -> Path:
    with Workspace.open(laptop, author="李华") as ws:
        write_pack(ws.inspection("insp-1"), out, device=ws.device, sign=sign)
    return out


def test_a_pack_merges_like_its_folder(tmp_path: Path, lead: Path, laptop: Path) -> None:
    pack = make_pack(laptop, tmp_path / "li.pack")
    with zipfile.ZipFile(pack) as zf:
        names = set(zf.namelist())
        manifest = json.loads(zf.read("manifest.json"))
    assert {"manifest.json", "inspection.json"} <= names
    assert sum(n.startswith("sites/") for n in names) == 1
    assert sum(n.startswith("evidence/") for n in names) == 1
    assert manifest["inspection"] == "insp-1" and manifest["sender"]["author"] == "李华"
    assert set(manifest["members"]) == names - {"manifest.json"}
    other = copy_laptop(lead, tmp_path / "lead2")
    (report,) = merge(lead, pack).sources
    merge(other, laptop)
    assert (report.status, report.kind, report.signature) == (MERGED, "pack", "unsigned")
    assert (report.author, report.evidence_files, report.new_records) == ("李华", 1, 1)
    assert set(entries(lead)) == set(entries(other)) == set(entries(laptop))
    assert sorted(p.name for p in (lead / "evidence").iterdir()) == sorted(
        p.name for p in (laptop / "evidence").iterdir())


@pytest.fixture
def zhang(tmp_path: Path) -> keys.KeyInfo:
    return keys.new_key("张明", PASS, tmp_path / "keys")


def _signer(info: keys.KeyInfo, tmp_path: Path) -> Signer:
    key = keys.load_private(info.name, PASS, tmp_path / "keys")
    return lambda manifest: sshsig.sign(manifest, key, PACK_NAMESPACE)


def _trusted(tmp_path: Path, *infos: keys.KeyInfo) -> Path:
    path = tmp_path / "allowed_signers"
    path.write_text("".join(i.allowed_signers_line(PACK_NAMESPACE) + "\n" for i in infos),
                    "utf-8")
    return path


def test_signed_pack_names_its_signer(tmp_path: Path, lead: Path, laptop: Path,
                                      zhang: keys.KeyInfo) -> None:
    pack = make_pack(laptop, tmp_path / "li.pack", _signer(zhang, tmp_path))
    (report,) = merge(lead, pack, trusted=_trusted(tmp_path, zhang)).sources
    assert (report.status, report.signature, report.signer) == (MERGED, "valid", "张明")


def test_signed_pack_without_a_trusted_list_is_intact_but_unverified(
        tmp_path: Path, lead: Path, laptop: Path, zhang: keys.KeyInfo) -> None:
    pack = make_pack(laptop, tmp_path / "li.pack", _signer(zhang, tmp_path))
    (report,) = merge(lead, pack).sources
    assert (report.signature, report.signer) == ("unverified", zhang.fingerprint)


def test_pack_signed_by_someone_untrusted_is_refused(tmp_path: Path, lead: Path, laptop: Path,
                                                     zhang: keys.KeyInfo) -> None:
    stranger = keys.new_key("王芳", PASS, tmp_path / "keys")
    pack = make_pack(laptop, tmp_path / "li.pack", _signer(stranger, tmp_path))
    before = snapshot(lead)
    (report,) = merge(lead, pack, trusted=_trusted(tmp_path, zhang)).sources
    assert (report.status, report.signature) == (SKIPPED, "invalid")
    assert "签名无效" in report.reason and str(pack) in report.reason
    assert snapshot(lead) == before


def _refresh_manifest(members: dict[str, bytes], name: str, data: bytes) -> dict[str, bytes]:
    """Replace a member and make the manifest agree (what a careful forger would do)."""
    manifest = json.loads(members["manifest.json"])
    manifest["members"][name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    return {**members, name: data, "manifest.json": json.dumps(manifest).encode()}


def _site_name(members: dict[str, bytes]) -> str:
    return next(n for n in members if n.startswith("sites/"))


def _better_score(members: dict[str, bytes]) -> dict[str, bytes]:
    name = _site_name(members)
    return {**members, name: members[name].replace(b'"v":5.0', b'"v":6.0')}


def _forged_and_signed(members: dict[str, bytes]) -> dict[str, bytes]:
    name = _site_name(members)
    return _refresh_manifest(members, name, members[name].replace(b'"v":5.0', b'"v":6.0'))


def _dot_dot(members: dict[str, bytes]) -> dict[str, bytes]:
    return {**members, "../evil.sh": b"rm -rf ~"}


def _absolute(members: dict[str, bytes]) -> dict[str, bytes]:
    return {**members, "/etc/cron.d/evil": b"* * * * * root true"}


def _unlisted(members: dict[str, bytes]) -> dict[str, bytes]:
    return {**members, "sites/SEXTRA0001.json": b"{}"}


def _zip_bomb(members: dict[str, bytes]) -> dict[str, bytes]:
    name = _site_name(members)  # the manifest still says the real (small) size
    return {**members, name: members[name] + b" " * (64 * 1024 * 1024)}


def _huge_claim(members: dict[str, bytes]) -> dict[str, bytes]:
    manifest = json.loads(members["manifest.json"])
    manifest["members"][_site_name(members)]["size"] = 10**12
    return {**members, "manifest.json": json.dumps(manifest).encode()}


def _tampered_evidence(members: dict[str, bytes]) -> dict[str, bytes]:
    name = next(n for n in members if n.startswith("evidence/"))
    return {**members, name: b"another photo"}


def _no_manifest(members: dict[str, bytes]) -> dict[str, bytes]:
    return {k: v for k, v in members.items() if k != "manifest.json"}


@pytest.mark.parametrize(("change", "fragments"), [
    (_better_score, ["与清单中的 SHA-256 不符", "sites/"]),
    (_dot_dot, ["不该有的文件", "../evil.sh"]),
    (_absolute, ["不该有的文件", "/etc/cron.d/evil"]),
    (_unlisted, ["不在清单", "sites/SEXTRA0001.json"]),
    (_zip_bomb, ["实际大小与清单所写", "压缩炸弹"]),
    (_huge_claim, ["超过上限"]),
    (_tampered_evidence, ["佐证文件", "缺失或已被改动"]),
    (_no_manifest, ["没有 manifest.json"]),
], ids=["tampered-member", "dot-dot-member", "absolute-member", "unlisted-member",
        "zip-bomb", "huge-size-claim", "tampered-evidence", "no-manifest"])
def test_hostile_pack_is_skipped_and_nothing_written(
        tmp_path: Path, lead: Path, laptop: Path,
        change: Callable[[dict[str, bytes]], dict[str, bytes]], fragments: list[str]) -> None:
    pack = make_pack(laptop, tmp_path / "li.pack")
    rewrite_zip(pack, change)
    before = snapshot(lead)
    (report,) = merge(lead, pack).sources
    assert report.status == SKIPPED and str(pack) in report.reason
    assert all(f in report.reason for f in fragments), report.reason
    assert snapshot(lead) == before
    assert not (tmp_path / "evil.sh").exists()


def test_a_forged_manifest_breaks_the_signature(tmp_path: Path, lead: Path, laptop: Path,
                                                zhang: keys.KeyInfo) -> None:
    pack = make_pack(laptop, tmp_path / "li.pack", _signer(zhang, tmp_path))
    rewrite_zip(pack, _forged_and_signed)
    before = snapshot(lead)
    (report,) = merge(lead, pack, trusted=_trusted(tmp_path, zhang)).sources
    assert (report.status, report.signature) == (SKIPPED, "invalid")
    assert snapshot(lead) == before


def test_a_forged_unsigned_pack_still_needs_valid_chains(tmp_path: Path, lead: Path,
                                                         laptop: Path) -> None:
    pack = make_pack(laptop, tmp_path / "li.pack")
    rewrite_zip(pack, _forged_and_signed)
    (report,) = merge(lead, pack).sources
    assert report.status == SKIPPED and "哈希不符" in report.reason


def test_not_a_zip(tmp_path: Path, lead: Path) -> None:
    fake = tmp_path / "fake.pack"
    fake.write_bytes(b"PK\x03\x04 but not really")
    (report,) = merge(lead, fake).sources
    assert report.status == SKIPPED and "不是完好的检查包" in report.reason


def test_small_limits_are_enforced_on_bytes_read(tmp_path: Path, laptop: Path) -> None:
    pack = make_pack(laptop, tmp_path / "li.pack")
    with opened(laptop) as insp:
        wanted = Identity(insp.id, insp.checklist.content_hash)
    with pytest.raises(Exception) as info:
        open_pack(pack, wanted, None, "", PackLimits(database=64))
    assert "超过上限" in str(info.value)


def test_with_a_trusted_list_an_unsigned_pack_is_refused(tmp_path: Path, lead: Path,
                                                        laptop: Path,
                                                        zhang: keys.KeyInfo) -> None:
    """Stripping the signature is no way around --trusted."""
    signed = make_pack(laptop, tmp_path / "li.pack", _signer(zhang, tmp_path))
    rewrite_zip(signed, lambda m: {k: v for k, v in m.items() if k != "manifest.json.sig"})
    before = snapshot(lead)
    (report,) = merge(lead, signed, trusted=_trusted(tmp_path, zhang)).sources
    assert (report.status, report.signature) == (SKIPPED, "invalid")
    assert "没有签名" in report.reason and str(signed) in report.reason
    assert snapshot(lead) == before
