"""Scriptable scoring through the real CLI: `record set`, `record show --json`,
`site result --json` on a format-2 checklist with site kinds, N/A, repeating and capped
deductions, count-driven deductions, vetoes and bonus — and clear refusals."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.terminal import BINARY, UTF8
from tests.test_scoring_rules import V2


def cli(ws: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BINARY), "--workspace", str(ws), *args], capture_output=True,
                          text=True, env={**os.environ, **UTF8,
                                          "INSPECT_TUI_INSPECTOR": "脚本测试员"})


def ok(ws: Path, *args: str) -> str:
    done = cli(ws, *args)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("record")
    checklist = root / "rules.toml"
    checklist.write_text(V2, "utf-8")
    ws = root / "ws"
    ok(ws, "inspection", "new", "--checklist", str(checklist), "--title", "规则测试")
    ok(ws, "site", "add", "兰江街道", "--kind", "乡镇街道")
    ok(ws, "site", "add", "市公安局", "--kind", "部门")
    return ws


def show(ws: Path, site: str, criterion: str) -> dict:  # type: ignore[type-arg]
    doc = json.loads(ok(ws, "record", "show", "--site", site, "--criterion", criterion,
                        "--json"))
    assert doc["format"] == "inspect-tui/record"
    return doc  # type: ignore[no-any-return]


def test_count_drives_the_score(ws: Path) -> None:
    ok(ws, "record", "set", "--site", "市公安局", "--criterion", "1.1", "--count", "9")
    doc = show(ws, "市公安局", "1.1")
    assert doc["score"] == 2.25 and doc["losses"][0]["times"] == 3
    assert doc["target"]["status"] == "unmet" and doc["updated_by"] == "脚本测试员"


def test_repeating_deductions_are_capped_and_explained(ws: Path) -> None:
    out = ok(ws, "record", "set", "--site", "市公安局", "--criterion", "1.3", "--deduct", "1:6",
             "--deduct", "未建立学法制度", "--method", "查阅台账", "--self", "4")
    assert "累计上限" in out
    doc = show(ws, "市公安局", "1.3")
    assert doc["score"] == 1.8 and doc["self_points"] == 4 and doc["methods"] == ["查阅台账"]
    assert [x["points"] for x in doc["losses"]] == [1.2, 1]


def test_typed_score_below_max_needs_a_reason(ws: Path) -> None:
    refused = cli(ws, "record", "set", "--site", "兰江街道", "--criterion", "1.3", "--points", "3")
    assert refused.returncode == 2 and "扣分理由" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert show(ws, "兰江街道", "1.3")["score"] is None  # nothing was saved
    ok(ws, "record", "set", "--site", "兰江街道", "--criterion", "1.3", "--points", "3",
       "--reason", "学法记录缺两次")
    assert show(ws, "兰江街道", "1.3")["losses"][0]["reason"] == "学法记录缺两次"


def test_na_with_reason_and_its_refusals(ws: Path) -> None:
    ok(ws, "record", "set", "--site", "市公安局", "--criterion", "1.2", "--na", "本年度无此职责")
    assert show(ws, "市公安局", "1.2")["not_applicable"] is True
    veto = cli(ws, "record", "set", "--site", "市公安局", "--criterion", "1.4", "--na", "x")
    assert veto.returncode == 2 and "一票否决" in veto.stderr
    empty = cli(ws, "record", "set", "--site", "市公安局", "--criterion", "1.1", "--na", " ")
    assert empty.returncode == 2 and "理由" in empty.stderr
    other_kind = cli(ws, "record", "set", "--site", "市公安局", "--criterion", "2.1",
                     "--points", "40")
    assert other_kind.returncode == 2 and "只适用于乡镇街道" in other_kind.stderr


def test_site_result_converts_and_names_the_veto(ws: Path) -> None:
    ok(ws, "record", "set", "--site", "市公安局", "--criterion", "1.4", "--deduct", "2")
    doc = json.loads(ok(ws, "site", "result", "市公安局", "--json"))
    assert doc["table"]["kind"] == "部门" and doc["table"]["rules"] == "inspect-tui/scoring-2"
    assert doc["base"] == 34.05 and doc["base_max"] == 47
    assert doc["converted"] == round(34.05 / 47 * 100, 2) and doc["total"] == doc["converted"]
    assert doc["grade"] == "不合格" and doc["vetoed_by"][0]["why"] == ["未制定普法责任清单"]
    assert [na["reason"] for na in doc["not_applicable"]] == ["本年度无此职责"]
    text = ok(ws, "site", "result", "市公安局")
    assert "折算：34.05 ÷ 47 × 100" in text and "一票否决 1.4" in text


def test_bonus_is_added(ws: Path) -> None:
    for cid, args in (("1.1", ["--count", "12"]), ("1.2", ["--count", "1"]),
                      ("1.4", ["--points", "40"]), ("2.1", ["--points", "49.5"]),
                      ("3.1", ["--bonus", "1:2"])):
        ok(ws, "record", "set", "--site", "兰江街道", "--criterion", cid, *args)
    doc = json.loads(ok(ws, "site", "result", "兰江街道", "--json"))
    assert doc["base"] == 99 and doc["bonus"] == 2 and doc["total"] == 101
    assert doc["grade"] == "优秀"
    wrong = cli(ws, "record", "set", "--site", "兰江街道", "--criterion", "3.1", "--deduct", "1")
    assert wrong.returncode == 2 and "--bonus" in wrong.stderr


@pytest.mark.parametrize(("args", "says"), [
    (["--points", "abc"], "不是数字"),
    (["--points", "nan"], "nan"),
    (["--points", "99"], "0 到 4"),
    (["--deduct", "9"], "没有扣分/加分规则"),
    (["--deduct", "1:0"], "次数"),
    ([], "没有要设置的内容"),
])
def test_bad_values_are_refused_clearly(ws: Path, args: list[str], says: str) -> None:
    done = cli(ws, "record", "set", "--site", "兰江街道", "--criterion", "1.3", *args)
    assert done.returncode == 2 and says in done.stderr and "Traceback" not in done.stderr


def test_a_loss_without_a_reason_reads_plainly(ws: Path) -> None:
    """The scoring screen lets a score below full be saved before its reason is written;
    `site result` says so inside the one pair of brackets the line has."""
    from inspect_tui.store.workspace import Workspace

    with Workspace.open(ws, author="界面录入") as opened:
        insp = opened.inspection(opened.inspection_ids()[0])
        site = next(s.site_id for s in insp.sites() if s.name == "兰江街道")
        insp.set_fields(site, "1.1", points=1)
    text = ok(ws, "site", "result", "兰江街道")
    line = next(x for x in text.splitlines() if "扣分 1.1" in x)
    assert line.endswith("（未写扣分理由）") and "（（" not in line
