"""The shipped checklists are valid and every criterion cites real text in its seed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from inspect_tui.core.checklist import Checklist
from inspect_tui.core.checklist_loader import load_checklist
from tests.conftest import REPO, SEEDS

FILES = sorted((REPO / "checklists").glob("*.toml"))
EXPECTED = {"qiwu-acceptance", "xihu-2023-key-projects", "duty-system", "wuhan-2018-workpoints"}
PHRASE = 6


def _load(path: Path) -> Checklist:
    return load_checklist(path)


def test_the_four_checklists_ship() -> None:
    assert {f.stem for f in FILES} >= EXPECTED


@pytest.mark.parametrize("path", FILES, ids=[f.stem for f in FILES])
def test_valid_and_totals_100(path: Path) -> None:
    c = _load(path)
    assert c.id == path.stem
    base = sum(x.max for x in c.criteria if not x.bonus)  # 加分项 add on top of the 100
    assert c.total == 100 and abs(base - 100) < 1e-9
    assert "分值" in c.scoring_note
    assert [(g.name, g.min, g.max) for g in c.grades] == [
        ("优秀", 90, 100), ("良好", 80, 90), ("合格", 60, 80), ("不合格", 0, 60)]
    if any(x.bonus for x in c.criteria):
        assert c.bonus_cap is not None and "加分" in c.scoring_note


def test_coverage_of_the_seeds() -> None:
    by_id = {f.stem: _load(f) for f in FILES}
    assert len(by_id["wuhan-2018-workpoints"].criteria) >= 20  # all 20 work points
    points = {c.source.split(".")[-1] for c in by_id["wuhan-2018-workpoints"].criteria}
    assert {str(n) for n in range(1, 21)} <= points
    assert len(by_id["duty-system"].criteria) >= 18  # all 18 duties
    projects = by_id["xihu-2023-key-projects"]
    assert len(projects.sections) == 10
    assert all(c.deadline and c.owners for c in projects.criteria)
    for c in by_id.values():
        assert any(x.target for x in c.criteria), f"{c.id} has no countable target"


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _shares_phrase(text: str, seed: str, n: int = PHRASE) -> bool:
    return any(text[i : i + n] in seed for i in range(len(text) - n + 1))


@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed folder {SEEDS} is absent (CI has it)")
@pytest.mark.parametrize("path", FILES, ids=[f.stem for f in FILES])
def test_every_criterion_cites_real_seed_text(path: Path) -> None:
    c = _load(path)
    seeds = {}
    for src in c.sources:
        seed_file = SEEDS / src.file
        assert seed_file.name.startswith(src.code), f"{src.file} does not match code {src.code}"
        seeds[src.code] = _squash(seed_file.read_text("utf-8"))
    for crit in c.criteria:
        code = crit.source.split()[0]
        assert code in seeds, f"{crit.id} cites unlisted seed {code}"
        assert _shares_phrase(_squash(crit.requirement), seeds[code]), (
            f"{path.name} {crit.id}: requirement shares no {PHRASE}-character phrase with "
            f"seed {code}: {crit.requirement[:60]}"
        )


def test_phrase_check_can_fail() -> None:
    assert not _shares_phrase("完全无关的一句话文字", "普法依法治理工作要点")
    assert _shares_phrase("落实普法依法治理工作", "普法依法治理工作要点")
