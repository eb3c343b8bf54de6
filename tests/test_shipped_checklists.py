"""The shipped checklists are valid and every criterion cites real text in its seed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from inspect_tui.core.checklist import Checklist
from inspect_tui.core.checklist_loader import load_checklist
from inspect_tui.core.scoring import site_result
from inspect_tui.core.scoring_rules import Assessment
from tests.conftest import REPO, SEEDS

FILES = sorted((REPO / "checklists").glob("*.toml"))
EXPECTED = {"qiwu-acceptance", "xihu-2023-key-projects", "duty-system", "wuhan-2018-workpoints",
            "lanxi-2020-mixed"}
PHRASE = 6


def _load(path: Path) -> Checklist:
    return load_checklist(path)


def test_the_checklists_ship() -> None:
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
    duties = {c.source for c in by_id["duty-system"].criteria}
    assert {f"004 {g}.{n}" for g, items in DUTY_GROUPS.items() for n in items} <= duties
    assert {"004 三(一)", "004 三(二)", "004 三(三)"} <= duties
    projects = by_id["xihu-2023-key-projects"]
    assert len(projects.sections) == 10
    annex = [c for c in projects.criteria if c.source.startswith("001 附表")]
    assert annex and all(c.deadline and c.owners for c in annex)
    body = {c.source for c in projects.criteria}  # items of the body the annex leaves out
    assert {"001 一.2", "001 二.6", "001 三.14", "001 四.16", "001 四.17"} <= body
    for c in by_id.values():
        assert any(x.target for x in c.criteria), f"{c.id} has no countable target"


# 004 二 职责任务: seven groups (一)…(七) of 18 numbered duties; 000 and 001 number their
# work points through the sections.
DUTY_GROUPS = {"二(一)": (1, 2), "二(二)": (3, 4), "二(三)": (5, 6, 7, 8), "二(四)": (9, 10, 11),
               "二(五)": (12, 13), "二(六)": (14, 15), "二(七)": (16, 17, 18)}
POINTS = {"000": {"一": (1, 2), "二": (3, 4, 5, 6), "三": (7, 8), "四": (9, 10, 11, 12, 13),
                  "五": (14, 15, 16, 17), "六": (18, 19, 20)},
          "001": {"一": (1, 2, 3), "二": (4, 5, 6, 7, 8, 9, 10), "三": (11, 12, 13, 14),
                  "四": (15, 16, 17), "五": (18, 19, 20, 21)}}


def _citation_problem(source: str, seeds: dict[str, str]) -> str | None:
    """Why a citation does not use the numbering its seed has (None: it does)."""
    code, where = source.split(" ", 1)
    head, _, item = where.partition(".")
    if code == "004":
        if (head in DUTY_GROUPS or head in ("三(一)", "三(二)", "三(三)", "三")) and not item:
            return None
        return None if item.isdigit() and int(item) in DUTY_GROUPS.get(head, ()) else (
            "004 numbers its duties 二(一).1 … 二(七).18 and its requirements 三(一)…三(三)")
    if code in POINTS and head in POINTS[code]:
        return None if not item or int(item) in POINTS[code][head] else (
            f"item {item} is not in section {head} of {code}")
    if code == "001" and head == "附表":
        return None
    if code == "002":  # no numbers at all: a heading's opening words, then a paragraph's
        return None if all(part in seeds["002"] for part in where.split(".")) else (
            "002 has no numbers: cite its heading and paragraph words, "
            "e.g. 002 率先垂范.责任落实是根本")
    if code == "003" and head in ("一", "二", "三", "四") and item in ("", "1", "2", "3"):
        return None  # chapters 一…四, each of 一是/二是/三是
    return f"{code} has no {where}"


@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed folder {SEEDS} is absent (CI has it)")
@pytest.mark.parametrize("path", FILES, ids=[f.stem for f in FILES])
def test_citations_use_the_numbering_the_seed_has(path: Path) -> None:
    c = _load(path)
    seeds = {s.code: _squash((SEEDS / s.file).read_text("utf-8")) for s in c.sources}
    cited = [(crit.id, crit.source) for crit in c.criteria]
    cited += [(s.id, s.source) for s in c.sections if s.source]
    for where, source in cited:
        problem = _citation_problem(source, seeds)
        assert problem is None, f"{path.name} {where} cites {source!r}: {problem}"


@pytest.mark.parametrize("path", FILES, ids=[f.stem for f in FILES])
def test_no_full_marks_for_duties_a_site_does_not_have(path: Path) -> None:
    """不适用 is recorded with a reason; no checklist tells the inspector to give full marks."""
    c = _load(path)
    texts = [c.scoring_note] + [x.guide for x in c.criteria]
    assert not [t for t in texts if "按满分计" in t or "建议按满分" in t]
    assert c.format == 2 and "不适用" in c.scoring_note


def test_a_department_can_reach_full_marks_on_the_key_projects() -> None:
    """Issue 11: a department scored with xihu-2023-key-projects could reach only 85.5, the
    street-only items (5.2, 6.1, 6.3, 10.1: 本项适用于各街道) counting against it. Now each
    kind is scored on what applies to it and 折算 to 100."""
    c = _load(REPO / "checklists" / "xihu-2023-key-projects.toml")
    street_only = {x.id for x in c.criteria if x.applies_to == ("乡镇街道",)}
    assert {"5.2", "6.1", "6.3", "10.1"} <= street_only
    assert c.criterion("10.2").applies_to == ("部门", "基层单位")
    for kind in ("部门", "乡镇街道", "基层单位"):
        full = {x.id: Assessment(points=x.max) for x in c.criteria_for(kind) if not x.bonus}
        r = site_result(c, full, kind)
        assert r.converted == 100 and r.grade == "优秀", kind
    department = site_result(c, {x.id: Assessment(points=x.max) for x in c.criteria_for("部门")
                                 if not x.bonus}, "部门")
    assert department.base_max == 83.5 and not street_only & set(department.not_applicable)


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


def test_the_mixed_inspection_has_a_township_table_and_a_department_table() -> None:
    """Seed 003's inspection covered 4 townships/streets and 12 departments and grassroots
    units: one checklist, a table per kind — seed 003's chapters for townships, the 18 duties
    of seed 004 for departments and grassroots units — each 50 points 折算 to 100."""
    c = _load(REPO / "checklists" / "lanxi-2020-mixed.toml")
    town = [x for x in c.criteria_for("乡镇街道") if not x.bonus]
    for kind in ("部门", "基层单位"):
        units = [x for x in c.criteria_for(kind) if not x.bonus]
        assert sum(x.max for x in units) == 50 and all(x.source.startswith("004") for x in units)
        duties = {x.source for x in units}
        assert {f"004 {g}.{n}" for g, items in DUTY_GROUPS.items() for n in items} <= duties
        assert not set(town) & set(units)
    assert sum(x.max for x in town) == 50 and all(x.source.startswith("003") for x in town)
    assert {x.source.split()[1].split(".")[0] for x in town} == {"一", "二", "三", "四"}
    bonus = [x for x in c.criteria if x.bonus]
    assert len(bonus) == 1 and bonus[0].applies_to == c.site_kinds and c.bonus_cap == 3
    for kind in c.site_kinds:
        full = {x.id: Assessment(points=x.max) for x in c.criteria_for(kind) if not x.bonus}
        r = site_result(c, full, kind)
        assert (r.base, r.base_max, r.converted, r.grade) == (50, 50, 100, "优秀")
