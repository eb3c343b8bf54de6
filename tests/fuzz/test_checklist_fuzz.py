"""Fuzzing the checklist loader: any bytes give a checklist or our own error naming the file.

A checklist that does load must also be usable: scoring it (empty, full, or with every
deduction taken) never fails and stays inside its own bounds.
"""

from __future__ import annotations

import math
import tomllib
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import given
from hypothesis import strategies as st

from inspect_tui.core.checklist import Checklist
from inspect_tui.core.checklist_loader import load_checklist, parse_checklist
from inspect_tui.core.errors import ChecklistError
from inspect_tui.core.scoring import Assessment, site_result
from tests.conftest import REPO
from tests.fuzz.budget import fuzz
from tests.fuzz.mutate import mutated_bytes, mutated_tree

SHIPPED = sorted((REPO / "checklists").glob("*.toml"))
NAME = "hostile.toml"


def load_or_refuse(data: bytes) -> Checklist | None:
    """The loader's only allowed outcomes; a loaded checklist is then scored three ways."""
    try:
        checklist = parse_checklist(data, NAME)
    except ChecklistError as exc:
        text = str(exc)
        assert NAME in text and exc.problems and all(p.strip() for p in exc.problems)
        return None
    base = [c for c in checklist.criteria if not c.bonus]  # 加分项 add on top, up to the cap
    for kind in (None, *checklist.site_kinds):
        for assessments in _assessments(checklist):
            result = site_result(checklist, assessments, kind)
            most = result.max + (checklist.bonus_cap or 0)
            assert math.isfinite(result.total) and 0 <= result.total <= most + 1e-9
            assert 0 <= result.converted <= result.max + 1e-9
            assert result.scored <= result.count == len([c for c in base if c.applies(kind)])
    return checklist


def _assessments(c: Checklist) -> list[dict[str, Assessment]]:
    return [{},
            {k.id: Assessment(points=k.max, count=10**9, veto=True) for k in c.criteria},
            {k.id: Assessment(deductions=tuple(range(len(k.deductions))) * 3, count=0)
             for k in c.criteria},
            {k.id: Assessment(na="不适用") for k in c.criteria}]


@pytest.fixture(scope="module", params=SHIPPED, ids=[p.stem for p in SHIPPED])
def shipped(request: pytest.FixtureRequest) -> bytes:
    return Path(request.param).read_bytes()


def test_every_shipped_checklist_loads_and_scores(shipped: bytes) -> None:
    assert load_or_refuse(shipped) is not None


@fuzz(300)
@given(st.binary(max_size=2000))
def test_random_bytes(data: bytes) -> None:
    load_or_refuse(data)


@fuzz(200)
@given(st.text(alphabet=st.sampled_from(list('[]{}=".,\n #\'0123456789abcxyz_-+:tT检查')),
               max_size=400))
def test_random_toml_like_text(text: str) -> None:
    load_or_refuse(text.encode())


@fuzz(60)
@given(data=st.data())
def test_byte_level_damage_to_shipped_checklists(shipped: bytes, data: st.DataObject) -> None:
    load_or_refuse(data.draw(mutated_bytes(shipped)))


@fuzz(80)
@given(data=st.data())
def test_structural_damage_to_shipped_checklists(shipped: bytes, data: st.DataObject) -> None:
    """Valid TOML with wrong types, missing or extra keys, odd numbers, anywhere in the tree."""
    tree: dict[str, Any] = tomllib.loads(shipped.decode())
    damaged = data.draw(mutated_tree(tree, nulls=False))
    load_or_refuse(tomli_w.dumps(damaged).encode())


@pytest.mark.parametrize("text", [
    "a = " + "[" * 5000 + "]" * 5000,  # tomllib recurses per level
    "a = " + "{b = " * 3000 + "1" + "}" * 3000,
    "[" + ".".join(["x"] * 5000) + "]",
    "a = 1e400\nb = -0.0\nc = nan\nd = inf",
    "\ufeff" + "id = 'x'",
    "x = '" + "长" * 200_000 + "'",
])
def test_pathological_files(text: str) -> None:
    load_or_refuse(text.encode())


def test_oversized_file_is_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.toml"
    with big.open("wb") as f:
        f.truncate(64 * 1024 * 1024)  # sparse: costs nothing, and is never read
    with pytest.raises(ChecklistError) as info:
        load_checklist(big)
    assert str(big) in str(info.value)
