"""The loader accepts the sample and rejects each malformed variant with the intended message."""

from __future__ import annotations

from pathlib import Path

import pytest

from inspect_tui.core.checklist import Method
from inspect_tui.core.checklist_loader import load_checklist, parse_checklist
from inspect_tui.core.errors import ChecklistError
from inspect_tui.core.i18n import set_language
from tests.checklist_samples import VALID


def test_valid_sample_loads_with_all_fields() -> None:
    c = parse_checklist(VALID.encode(), "sample.toml")
    assert c.id == "sample" and c.total == 10
    assert [g.name for g in c.grades] == ["优秀", "合格", "不合格"]
    first = c.criterion("1.1")
    assert first.methods == (Method.RECORDS,)
    assert first.target is not None and first.target.min == 2 and first.target.unit == "篇"
    assert [d.points for d in first.deductions] == [4, 3]
    assert c.criterion("1.2").veto
    assert len(c.content_hash) == 64


def test_hash_changes_with_any_byte() -> None:
    a = parse_checklist(VALID.encode(), "a")
    b = parse_checklist(VALID.replace("有则满分", "有则满分。").encode(), "b")
    assert a.content_hash != b.content_hash
    assert a.identity.startswith("sample@1.0#")


def _error(text: str, name: str = "bad.toml") -> str:
    with pytest.raises(ChecklistError) as info:
        parse_checklist(text.encode(), name)
    message = str(info.value)
    assert name in message.splitlines()[0]
    return message


# (mutation of the valid sample, fragments the message must contain)
CASES: list[tuple[str, tuple[str, str], list[str]]] = [
    ("syntax error names the line", ('title = "样例检查表"', "title = 样例检查表"),
     ["第 2 行", "TOML 语法错误"]),
    ("unclosed string", ('version = "1.0"', 'version = "1.0'), ["第 3 行", "语法错误"]),
    ("duplicate criterion id", ('id = "1.2"', 'id = "1.1"'),
     ["sections[1].criteria[2] (1.1)", "评分项编号“1.1”重复", "sections[1].criteria[1]"]),
    ("max zero", ("max = 4\n", "max = 0\n"), ["(1.2)", "满分 max 必须大于 0", "总分"]),
    ("max negative", ("max = 4\n", "max = -4\n"), ["满分 max 必须大于 0，实际为 -4"]),
    ("deduction exceeds max", ("points = 4", "points = 7"),
     ["deductions[1]", "扣分项“未报送”扣 7 分，超过该项满分 6 分"]),
    ("deduction not positive", ("points = 3", "points = 0"), ["扣分 points 必须大于 0"]),
    ("totals differ", ("total = 10", "total = 12"), ["合计 10 分", "total = 12 不符"]),
    ("unknown method", ('methods = ["查阅台账"]', 'methods = ["电话询问"]'),
     ["(1.1)", "未知的核查方式“电话询问”", "听取汇报"]),
    ("no methods", ('methods = ["查阅台账"]', "methods = []"), ["至少要列出一种核查方式"]),
    ("grade gap", ("min = 6\nmax = 9", "min = 6\nmax = 8"),
     ["等级区间有缺口", "8–9"]),
    ("grade overlap", ("min = 6\nmax = 9", "min = 6\nmax = 9.5"),
     ["等级区间重叠", "“合格”与“优秀”"]),
    ("grades do not start at 0", ("min = 0\nmax = 6", "min = 1\nmax = 6"),
     ["最低等级“不合格”从 1 分开始"]),
    ("grades do not reach the total", ("min = 9\nmax = 10", "min = 9\nmax = 9.5"),
     ["最高等级“优秀”止于 9.5 分，应止于总分 10"]),
    ("empty grade band", ("min = 9\nmax = 10", "min = 10\nmax = 10"), ["区间 10–10 为空"]),
    ("missing source", ('source = "001 一.1"\n', ""), ["(1.2)", "缺少出处 source"]),
    ("malformed source", ('source = "001 一.1"', 'source = "一.1"'),
     ["出处“一.1”格式不对"]),
    ("source cites an unlisted seed", ('source = "001 一.1"', 'source = "009 一.1"'),
     ["种子编号 009 不在 [[sources]] 中"]),
    ("unknown key (typo)", ("veto = true", "vetoo = true"), ["未知字段“vetoo”"]),
    ("wrong type", ("max = 4\n", 'max = "四"\n'), ["“max”应为数字"]),
    ("missing title", ('title = "组织领导"\n', ""), ["(1.2)", "缺少必填字段“title”"]),
    ("empty requirement", ('requirement = "成立领导小组"', 'requirement = "  "'),
     ["“requirement”不能为空"]),
    ("target min zero", ("min = 2\nunit", "min = 0\nunit"), ["目标数量 min 必须大于 0"]),
    ("target min not integer", ("min = 2\nunit", "min = 2.5\nunit"), ["“min”应为整数"]),
    ("bad checklist id", ('id = "sample"', 'id = "Sample One"'), ["只能包含小写字母"]),
    ("bad veto type", ("veto = true", 'veto = "是"'), ["“veto”应为true 或 false"]),
    ("duplicate section id", ('id = "1"\ntitle = "第一部分"',
                              'id = "1"\ntitle = "第一部分"\n[[sections.criteria]]\nid = "9.9"\n'
                              'title = "x"\nrequirement = "x"\nguide = "x"\nmax = 1\n'
                              'methods = ["查阅台账"]\nsource = "001 一"\n[[sections]]\n'
                              'id = "1"\ntitle = "重复"'),
     ["部分编号“1”重复"]),
]


@pytest.mark.parametrize(("label", "mutation", "fragments"), CASES, ids=[c[0] for c in CASES])
def test_malformed_checklist_messages(label: str, mutation: tuple[str, str],
                                      fragments: list[str]) -> None:
    old, new = mutation
    assert old in VALID, f"case {label!r} does not apply to the sample"
    message = _error(VALID.replace(old, new, 1))
    for fragment in fragments:
        assert fragment in message, f"{label}: {fragment!r} not in:\n{message}"


def test_every_problem_is_listed_at_once() -> None:
    text = VALID.replace("points = 4", "points = 7").replace('methods = ["查阅台账"]',
                                                             'methods = ["电话"]')
    message = _error(text)
    assert "发现 2 个问题" in message and "扣 7 分" in message and "电话" in message


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "gbk.toml"
    path.write_bytes(VALID.encode("gbk"))
    with pytest.raises(ChecklistError) as info:
        load_checklist(path)
    assert "不是 UTF-8 编码" in str(info.value) and str(path) in str(info.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ChecklistError) as info:
        load_checklist(tmp_path / "nope.toml")
    assert "无法读取文件" in str(info.value) and "nope.toml" in str(info.value)


def test_messages_in_english() -> None:
    set_language("en")
    message = _error(VALID.replace("points = 4", "points = 7"))
    assert "cannot be used" in message and "more than the criterion's max 6" in message


def test_not_a_checklist_at_all() -> None:
    message = _error('name = "a foreign toml file"\n')
    assert "未知字段“name”" in message and "缺少必填字段“sections”" in message
