"""site_result works out each criterion's outcome once and hands them to site_problems: the
problems are exactly those site_problems finds on its own (the earlier way, working each veto
out again), for random assessments on every shipped checklist and site kind."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from inspect_tui.core.checklist import Checklist
from inspect_tui.core.checklist_loader import load_checklist
from inspect_tui.core.scoring import Assessment, site_problems, site_result

CHECKLISTS = sorted((Path(__file__).resolve().parents[1] / "checklists").glob("*.toml"))


def assessment(rng: random.Random, checklist: Checklist, cid: str) -> Assessment:
    c = checklist.criterion(cid)
    deductions = tuple(rng.randrange(len(c.deductions)) for _ in range(rng.randrange(3))
                       ) if c.deductions else ()
    return Assessment(
        points=rng.choice([None, c.max, rng.randint(0, int(c.max * 2)) / 2]),
        deductions=deductions, count=rng.choice([None, 0, 1, 3, 12]),
        veto=rng.random() < 0.15, problems=rng.choice(["", " ", "台账不全"]),
        advice=rng.choice(["", "补齐"]), na=rng.choice(["", "", "", "本单位无此项"]),
        reason=rng.choice(["", "材料缺失"]))


@pytest.mark.parametrize("path", CHECKLISTS, ids=lambda p: p.stem)
def test_problems_are_those_site_problems_finds_alone(path: Path) -> None:
    checklist = load_checklist(path)
    rng = random.Random(path.stem)
    kinds = [None, "", *checklist.site_kinds, "部门", "其他"]
    seen = 0
    for _ in range(150):
        kind = rng.choice(kinds) or None
        ids = [c.id for c in checklist.criteria if rng.random() < 0.8]
        assessments = {cid: assessment(rng, checklist, cid) for cid in ids}
        result = site_result(checklist, assessments, kind)
        assert result.problems == site_problems(checklist, assessments, kind)
        seen += len(result.problems)
    assert seen > 0
