"""A site with nothing to score is not 不合格: no grade, and no such site can be added.

The demo's checklist (lanxi-2020-mixed) has tables for 乡镇街道, 部门 and 基层单位 only; a
村(社区) site there used to be scored 0 of 0 and graded 不合格 in the signed report.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from inspect_tui.core.checklist_loader import load_checklist
from inspect_tui.core.scoring import site_result
from inspect_tui.core.scoring_rules import Assessment
from inspect_tui.paths import find_checklist
from inspect_tui.store.errors import StoreError
from inspect_tui.store.workspace import Workspace
from tests.terminal import BINARY, UTF8

MIXED = find_checklist("lanxi-2020-mixed")
assert MIXED is not None
CHECKLIST = load_checklist(MIXED)


def test_a_kind_the_table_has_no_criteria_for_gets_no_grade() -> None:
    assert not CHECKLIST.criteria_for("村(社区)")
    result = site_result(CHECKLIST, {}, "村(社区)")
    assert (result.count, result.base_max, result.grade) == (0, 0, None)


def test_every_criterion_not_applicable_gets_no_grade() -> None:
    criteria = [c for c in CHECKLIST.criteria_for("部门") if not c.bonus]
    every = {c.id: Assessment(na="本单位无此职责") for c in criteria}
    result = site_result(CHECKLIST, every, "部门")
    assert result.scored == result.count == len(criteria) and result.base_max == 0
    assert result.grade is None
    # one criterion scored in full instead: the site is graded again, at the top
    one = {**every, criteria[0].id: Assessment(points=criteria[0].max)}
    top = max(CHECKLIST.grades, key=lambda band: band.min).name
    assert site_result(CHECKLIST, one, "部门").grade == top


def test_adding_or_changing_to_such_a_kind_is_refused(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    env = {**os.environ, **UTF8, "INSPECT_TUI_INSPECTOR": "测试员"}

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(BINARY), "--workspace", str(ws), *args],
                              capture_output=True, text=True, env=env)

    assert cli("inspection", "new", "--checklist", str(MIXED), "--title", "村").returncode == 0
    assert cli("site", "add", "马涧镇", "--kind", "乡镇街道").returncode == 0
    refused = cli("site", "add", "下徐村", "--kind", "村(社区)")
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert "没有适用于“村(社区)”的检查项" in refused.stderr
    assert "乡镇街道、部门、基层单位" in refused.stderr
    with Workspace.open(ws, author="测试员") as opened:
        insp = opened.inspection(opened.inspection_ids()[0])
        assert [s.name for s in insp.sites()] == ["马涧镇"]  # nothing was added
        site = insp.sites()[0].site_id
        with pytest.raises(StoreError, match="村"):
            insp.update_site(site, kind="村(社区)")
        assert insp.site(site).kind == "乡镇街道"
