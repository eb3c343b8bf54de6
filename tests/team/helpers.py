"""A lead with keys, an inspection with a team and sites, and a signed setup pack."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from inspect_tui import keys
from inspect_tui.core import sshsig
from inspect_tui.store.pack import PACK_NAMESPACE, write_pack
from inspect_tui.store.setup_pack import signer_block, write_setup_pack
from inspect_tui.store.workspace import Workspace
from tests.checklist_samples import VALID

PASS = "correct horse battery"
LEAD = "张组长"
TEAM = ["张明", "李华", "王芳"]
SITES = ["马涧镇", "兰江街道"]
INSPECTION = "team-1"


@dataclass(frozen=True)
class Setup:
    lead: Path
    pack: Path
    key: keys.KeyInfo
    keys: Path


def make_setup(tmp_path: Path, *, team: list[str] | None = None) -> Setup:
    folder = tmp_path / "lead-keys"
    info = keys.new_key(LEAD, PASS, folder)
    private = keys.load_private(LEAD, PASS, folder)
    lead = tmp_path / "lead"
    out = tmp_path / "team.setup"
    with Workspace.open(lead, author=LEAD) as ws:
        insp = ws.create_inspection(VALID.encode(), "sample.toml", title="样例普法检查",
                                    team=TEAM if team is None else team,
                                    inspection_id=INSPECTION)
        for name in SITES:
            insp.add_site(name, "乡镇街道", "第一组")
        write_setup_pack(ws, insp, out, lead=LEAD, lead_public_line=info.public_line,
                         sign=lambda m: sshsig.sign(m, private, PACK_NAMESPACE))
    return Setup(lead, out, info, folder)


def signed_pack(root: Path, name: str, out: Path, folder: Path) -> keys.KeyInfo:
    """`root`'s inspection packed and signed by `name`'s (new) key, as `pack --key` does."""
    info = keys.new_key(name, PASS, folder)
    private = keys.load_private(name, PASS, folder)
    with Workspace.open(root, author=name) as ws:
        write_pack(ws.inspection(INSPECTION), out, device=ws.device,
                   sign=lambda m: sshsig.sign(m, private, PACK_NAMESPACE),
                   extra={"signer": signer_block(name, info.public_line)})
    return info
