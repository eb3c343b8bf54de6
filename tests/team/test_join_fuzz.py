"""Fuzzing `join`: a setup pack damaged at random is joined whole, or refused with our own
error — never a traceback, never half a workspace. Budget as in tests/fuzz (scale with
INSPECT_TUI_FUZZ_SCALE)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from inspect_tui.core.errors import InspectError
from inspect_tui.store import identity
from inspect_tui.store.doctor import Level, check_workspace
from inspect_tui.store.setup_pack import join
from inspect_tui.store.workspace import Workspace
from tests.fuzz.budget import fuzz
from tests.fuzz.mutate import mutated_bytes
from tests.team.helpers import INSPECTION, SITES, Setup, make_setup, snapshot


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Setup:
    return make_setup(tmp_path_factory.mktemp("setup"))


@fuzz(40)
@given(data=st.data())
def test_byte_damage_to_a_setup_pack(setup: Setup, data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        pack = Path(tmp) / "team.setup"
        pack.write_bytes(data.draw(mutated_bytes(setup.pack.read_bytes())))
        laptop = Path(tmp) / "laptop"
        with Workspace.open(laptop, author="张明") as ws:
            before = snapshot(laptop)
            try:
                join(ws, pack, "张明")
            except InspectError as exc:
                event("refused")
                assert str(pack) in str(exc)
                after = snapshot(laptop)
                after.pop("device.json", None)
                assert after == before and ws.inspection_ids() == []
                return
            event("joined")
            assert [s.name for s in ws.inspection(INSPECTION).sites()] == SITES
        assert identity.remembered(laptop) == "张明"
        assert not [f for f in check_workspace(laptop) if f.level is Level.ERROR]
        shutil.rmtree(laptop)
