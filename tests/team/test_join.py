"""`inspect-tui join`: a setup pack that is damaged, tampered, not a setup pack, or meant for
someone else is refused in one paragraph naming the file (exit 2), and nothing is written;
joining twice or into a folder that holds something already overwrites nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from inspect_tui import keys
from inspect_tui.core import sshsig
from inspect_tui.store import identity
from inspect_tui.store.pack import PACK_NAMESPACE, write_pack
from inspect_tui.store.setup_pack import JoinRefused, join, signer_block
from inspect_tui.store.workspace import Workspace
from tests.checklist_samples import VALID
from tests.merge.helpers import rewrite_zip
from tests.team.helpers import INSPECTION, LEAD, PASS, Setup, cli, make_setup, snapshot


@pytest.fixture
def setup(tmp_path: Path) -> Setup:
    return make_setup(tmp_path)


def _strip_signature(members: dict[str, bytes]) -> dict[str, bytes]:
    return {n: d for n, d in members.items() if n != "manifest.json.sig"}


def _add_to_team(members: dict[str, bytes]) -> dict[str, bytes]:
    manifest = json.loads(members["manifest.json"])
    manifest["setup"]["team"].append("冒名者")
    return {**members, "manifest.json": json.dumps(manifest, ensure_ascii=False).encode()}


def _garbage(path: Path) -> None:
    path.write_bytes(b"PK\x03\x04 not really a zip")


def _damage(change: Callable[[dict[str, bytes]], dict[str, bytes]]) -> Callable[[Path], None]:
    return lambda path: rewrite_zip(path, change)


@pytest.mark.parametrize(("damage", "says"), [
    (_garbage, "不是完好的检查包"),
    (_damage(_strip_signature), "没有组长签名"),
    (_damage(_add_to_team), "签名无效"),
], ids=["not-a-zip", "signature-stripped", "team-edited-after-signing"])
def test_a_damaged_or_tampered_setup_pack_is_refused(
        tmp_path: Path, setup: Setup, damage: Callable[[Path], None], says: str) -> None:
    damage(setup.pack)
    laptop = tmp_path / "laptop"
    r = cli(tmp_path, "join", setup.pack, "--as", "张明", "--workspace", laptop, code=2)
    assert says in r.stderr and str(setup.pack) in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert not laptop.exists()


def test_an_inspectors_pack_is_not_a_setup_pack(tmp_path: Path, setup: Setup) -> None:
    ordinary = tmp_path / "lead.pack"
    with Workspace.open(setup.lead, author=LEAD) as ws:
        write_pack(ws.inspection(INSPECTION), ordinary, device=ws.device)
    r = cli(tmp_path, "join", ordinary, "--as", "张明", "-w", tmp_path / "laptop", code=2)
    assert "不是配置包" in r.stderr and "inspect-tui merge" in r.stderr
    assert not (tmp_path / "laptop").exists()


def test_a_known_lead_key_must_be_the_signer(tmp_path: Path, setup: Setup) -> None:
    other = keys.new_key("别人", PASS, tmp_path / "other-keys")
    trusted = tmp_path / "lead_key"
    trusted.write_text(other.allowed_signers_line() + "\n", "utf-8")
    r = cli(tmp_path, "join", setup.pack, "--as", "张明", "-w", tmp_path / "laptop",
            "--trusted", trusted, code=2)
    assert str(setup.pack) in r.stderr and not (tmp_path / "laptop").exists()
    right = tmp_path / "right_key"
    right.write_text(setup.key.allowed_signers_line() + "\n", "utf-8")
    cli(tmp_path, "join", setup.pack, "--as", "张明", "-w", tmp_path / "laptop",
        "--trusted", right)


@pytest.mark.parametrize(("name", "says"), [("赵六", "不在检查组名单中"), ("张 明", "不能使用")])
def test_a_name_off_the_team_or_unusable_is_refused(tmp_path: Path, setup: Setup, name: str,
                                                    says: str) -> None:
    r = cli(tmp_path, "join", setup.pack, "--as", name, "-w", tmp_path / "laptop", code=2)
    assert says in r.stderr and not (tmp_path / "laptop").exists()


def test_nothing_already_there_is_overwritten(tmp_path: Path, setup: Setup) -> None:
    stuff = tmp_path / "stuff"
    stuff.mkdir()
    (stuff / "notes.txt").write_text("别的文件")
    cli(tmp_path, "join", setup.pack, "--as", "张明", "-w", stuff, code=2)
    assert [p.name for p in stuff.iterdir()] == ["notes.txt"]

    other = tmp_path / "other"  # a workspace with an inspection of its own
    with Workspace.open(other, author="张明") as ws:
        ws.create_inspection(VALID.encode(), "sample.toml", title="另一次", inspection_id="x-1")
    before = snapshot(other)
    r = cli(tmp_path, "join", setup.pack, "--as", "张明", "-w", other, code=2)
    assert "已有检查" in r.stderr and "x-1" in r.stderr and snapshot(other) == before

    mine = tmp_path / "mine"
    cli(tmp_path, "join", setup.pack, "--as", "张明", "-w", mine)
    before = snapshot(mine)
    r = cli(tmp_path, "join", setup.pack, "--as", "李华", "-w", mine, code=2)
    assert "已加入过" in r.stderr and f"merge {setup.pack}" in r.stderr
    assert snapshot(mine) == before

    named = tmp_path / "named"  # an empty workspace that already knows whose it is
    cli(tmp_path, "-w", named, "inspector", "set", "王芳")
    r = cli(tmp_path, "join", setup.pack, "--as", "李华", "-w", named, code=2)
    assert "王芳" in r.stderr and "inspector set 李华" in r.stderr
    cli(tmp_path, "join", setup.pack, "--as", "王芳", "-w", named)


def _lead_signed(setup: Setup, out: Path, extra: dict[str, object]) -> Path:
    """A setup pack the lead really signed, with a manifest he was talked into."""
    private = keys.load_private(LEAD, PASS, setup.keys)
    with Workspace.open(setup.lead, author=LEAD) as ws:
        insp = ws.inspection(INSPECTION)
        write_pack(insp, out, device=ws.device, setup=True, extra=extra,
                   sign=lambda m: sshsig.sign(m, private, PACK_NAMESPACE))
    return out


def _setup_block(setup: Setup, **changes: object) -> dict[str, object]:
    lines = [setup.key.allowed_signers_line()]
    return {"format": "inspect-tui/setup", "lead": LEAD, "team": ["张明", "李华", "王芳"],
            "sites": [], "trusted_signers": lines, **changes}


def test_a_wildcard_signer_line_is_never_trusted(tmp_path: Path, setup: Setup) -> None:
    key_part = setup.key.public_line.split()[:2]
    pack = _lead_signed(setup, tmp_path / "wild.setup", {
        "signer": signer_block(LEAD, setup.key.public_line),
        "setup": _setup_block(setup, trusted_signers=[
            f'* namespaces="inspect-pack" {" ".join(key_part)}']),
    })
    laptop = tmp_path / "laptop"
    with Workspace.open(laptop, author="张明") as ws:
        before = snapshot(laptop)
        with pytest.raises(JoinRefused) as refused:
            join(ws, pack, "张明")
    assert str(pack) in str(refused.value) and "无法使用" in str(refused.value)
    assert snapshot(laptop) == before and not (laptop / "trusted_signers").exists()


def test_a_manifest_naming_another_key_than_the_signers_is_refused(
        tmp_path: Path, setup: Setup) -> None:
    other = keys.new_key("别人", PASS, tmp_path / "other-keys")
    pack = _lead_signed(setup, tmp_path / "swapped.setup", {
        "signer": signer_block(LEAD, other.public_line), "setup": _setup_block(setup)})
    laptop = tmp_path / "laptop"
    with Workspace.open(laptop, author="张明") as ws, pytest.raises(JoinRefused) as refused:
        join(ws, pack, "张明")
    assert "不符" in str(refused.value) and not (laptop / "inspections" / INSPECTION).exists()


def test_joined_laptops_trust_the_lead_and_his_trusted_keys(tmp_path: Path,
                                                              setup: Setup) -> None:
    laptop = tmp_path / "laptop"
    r = cli(tmp_path, "join", setup.pack, "--as", "张明", "-w", laptop)
    assert setup.key.fingerprint in r.stdout
    trusted = (laptop / "trusted_signers").read_text("utf-8")
    assert f'{LEAD} namespaces="inspect-report,inspect-pack"' in trusted
    # the lead's later packs (e.g. new sites) merge as valid on the laptop
    with Workspace.open(setup.lead, author=LEAD) as ws:
        ws.inspection(INSPECTION).add_site("赤溪街道", "乡镇街道")
    cli(tmp_path, "-w", setup.lead, "inspector", "set", LEAD)
    cli(tmp_path, "-w", setup.lead, "pack", "--setup", "--out", "update.setup", "--key", LEAD,
        keys_dir=setup.keys)
    merged = cli(tmp_path, "-w", laptop, "merge", "update.setup").stdout
    assert f"有效：{LEAD}" in merged
    assert "赤溪街道" in cli(tmp_path, "-w", laptop, "site", "list").stdout


def test_a_leftover_inspection_folder_is_kept(tmp_path: Path, setup: Setup) -> None:
    laptop = tmp_path / "laptop"
    leftover = laptop / "inspections" / INSPECTION
    with Workspace.open(laptop, author="张明") as ws:
        leftover.mkdir(parents=True)
        (leftover / "笔记.txt").write_text("留着")
        with pytest.raises(JoinRefused) as refused:
            join(ws, setup.pack, "张明")
    assert str(leftover) in str(refused.value)
    assert (leftover / "笔记.txt").read_text() == "留着"


def test_a_failure_halfway_leaves_the_workspace_as_it_was(
        tmp_path: Path, setup: Setup, monkeypatch: pytest.MonkeyPatch) -> None:
    laptop = tmp_path / "laptop"
    with Workspace.open(laptop, author="张明") as ws:
        before = snapshot(laptop)

        def disk_full(root: Path, name: str) -> str:
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(identity, "remember", disk_full)
        with pytest.raises(OSError):
            join(ws, setup.pack, "张明")
        assert ws.inspection_ids() == []
    after = snapshot(laptop)
    after.pop("device.json")  # this copy's id, made on first use: no one's data
    assert after == before  # no inspection, no trusted signers, no name
    assert not (laptop / "inspections" / INSPECTION).exists()
