"""The 考核细则 rules of checklist format 2: repeating and capped deductions, 不得分, vetoes by
deduction, targets that deduct, 不适用 with 折算, 加分项, reasons for lost points — and the
format-1 meaning kept for old files."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inspect_tui.core.checklist_loader import parse_checklist
from inspect_tui.core.errors import ChecklistError
from inspect_tui.core.scoring import site_result
from inspect_tui.core.scoring_rules import RULES_V1, RULES_V2, Assessment, converted, outcome

V2 = """\
format = 2
id = "rules"
title = "规则样例表"
version = "1.0"
total = 100
bonus_cap = 5
scoring_note = "分值为测试设定。"

[[sources]]
code = "001"
file = "001_a9019bd0bd482cac.txt"
title = "样例来源"

[[grades]]
name = "优秀"
min = 90
max = 100
[[grades]]
name = "合格"
min = 60
max = 90
[[grades]]
name = "不合格"
min = 0
max = 60

[[sections]]
id = "1"
title = "共性指标"

[[sections.criteria]]
id = "1.1"
title = "普法信息报送"
requirement = "街道普法信息全年不少于12篇"
guide = "普法信息少报送一条扣0.25分"
max = 3
methods = ["查阅台账"]
source = "001 附表.10"
[sections.criteria.target]
min = 12
unit = "篇"
period = "全年"
[[sections.criteria.deductions]]
reason = "普法信息少报送一条"
points = 0.25
shortfall = "each"

[[sections.criteria]]
id = "1.2"
title = "联席会议"
requirement = "每年召开1至2次联席会议"
guide = "全年未召开扣3.5分"
max = 3.5
methods = ["查阅台账"]
source = "001 三.9"
[sections.criteria.target]
min = 1
unit = "次"
[[sections.criteria.deductions]]
reason = "全年未召开联席会议"
points = 3.5
shortfall = "unmet"

[[sections.criteria]]
id = "1.3"
title = "学法活动"
requirement = "组织学法"
guide = "每次扣0.3分，累计扣分不超过1.2分"
max = 4
methods = ["听取汇报"]
source = "001 一.1"
[[sections.criteria.deductions]]
reason = "缺少一次学法记录"
points = 0.3
per = "次"
cap = 1.2
[[sections.criteria.deductions]]
reason = "未建立学法制度"
points = 1

[[sections.criteria]]
id = "1.4"
title = "领导机构"
requirement = "建立普法领导机构"
guide = "未建立普法领导机构的不得分；未制定责任清单一票否决"
max = 40
methods = ["查阅台账"]
source = "001 一.2"
deduction_cap = 10
[[sections.criteria.deductions]]
reason = "未建立普法领导机构"
points = 10
zero = true
[[sections.criteria.deductions]]
reason = "未制定普法责任清单"
points = 10
veto = true
[[sections.criteria.deductions]]
reason = "制度不全"
points = 6
[[sections.criteria.deductions]]
reason = "台账不全"
points = 6

[[sections]]
id = "2"
title = "街道指标"
applies_to = ["乡镇街道"]

[[sections.criteria]]
id = "2.1"
title = "法治示范村"
requirement = "每个街道至少创评1个民主法治示范村(社区)"
guide = "未创评扣全部分值"
max = 49.5
methods = ["实地查看"]
source = "001 二.16"

[[sections]]
id = "3"
title = "附加项"

[[sections.criteria]]
id = "3.1"
title = "表彰加分"
requirement = "受到表彰"
guide = "每次省级表彰加1分，表彰加分最多为3分"
max = 3
bonus = true
methods = ["查阅台账"]
source = "001 二.18"
[[sections.criteria.deductions]]
reason = "受到省级表彰"
points = 1
per = "次"
"""


@pytest.fixture(scope="module")
def rules():  # type: ignore[no-untyped-def]
    return parse_checklist(V2.encode(), "rules.toml")


def test_format_2_criteria_carry_the_v2_rules(rules) -> None:  # type: ignore[no-untyped-def]
    assert rules.format == 2 and rules.criterion("1.1").format == 2
    assert rules.criterion("2.1").applies_to == ("乡镇街道",)
    assert rules.criterion("1.4").na_allowed is False  # a veto rule: never 不适用
    assert rules.criterion("1.1").na_allowed is True


def test_count_drives_each_missing_unit(rules) -> None:  # type: ignore[no-untyped-def]
    c = rules.criterion("1.1")
    o = outcome(c, Assessment(count=9))  # 3 missing × 0.25
    assert o.score == 2.25 and o.losses[0].times == 3 and o.losses[0].points == 0.75
    assert outcome(c, Assessment(count=12)).score == 3  # met: full marks from the count alone
    assert outcome(c, Assessment(count=0)).score == 0  # 12 × 0.25 = 3: all of it


def test_count_zero_against_unmet_rule_deducts_it(rules) -> None:  # type: ignore[no-untyped-def]
    c = rules.criterion("1.2")
    assert outcome(c, Assessment(count=0)).score == 0
    assert outcome(c, Assessment(count=2)).score == 3.5


def test_repeating_rule_is_capped(rules) -> None:  # type: ignore[no-untyped-def]
    c = rules.criterion("1.3")
    assert outcome(c, Assessment(deductions=(0, 0))).score == 3.4
    six = outcome(c, Assessment(deductions=(0,) * 6))  # 1.8 capped at 1.2
    assert six.score == 2.8 and six.losses[0].capped and six.losses[0].points == 1.2
    both = outcome(c, Assessment(deductions=(0,) * 6 + (1,)))
    assert both.score == 1.8


def test_zero_rule_veto_rule_and_criterion_cap(rules) -> None:  # type: ignore[no-untyped-def]
    c = rules.criterion("1.4")
    assert outcome(c, Assessment(deductions=(0,))).score == 0 and outcome(
        c, Assessment(deductions=(0,))).zeroed
    vetoed = outcome(c, Assessment(deductions=(1,)))
    assert vetoed.vetoed and vetoed.score == 30
    capped = outcome(c, Assessment(deductions=(2, 3)))  # 12 taken, capped at 10
    assert capped.score == 30 and capped.capped


def test_typed_score_needs_a_reason_in_v2(rules) -> None:  # type: ignore[no-untyped-def]
    c = rules.criterion("1.3")
    assert outcome(c, Assessment(points=3)).unexplained
    explained = outcome(c, Assessment(points=3, reason="学法记录缺两次"))
    assert not explained.unexplained and explained.losses[0].reason == "学法记录缺两次"
    assert not outcome(c, Assessment(points=4)).unexplained


def test_full_marks_with_unmet_target_warns(rules) -> None:  # type: ignore[no-untyped-def]
    assert outcome(rules.criterion("1.2"), Assessment(points=3.5, count=0)).target_unmet_full


def test_department_is_scored_on_what_applies_and_converted(rules) -> None:  # type: ignore[no-untyped-def]
    """The same answers: a street is scored on 100 points, a department on the 50.5 that
    apply to it, 折算 to 100."""
    answers = {"1.1": Assessment(count=12), "1.2": Assessment(count=1),
               "1.3": Assessment(deductions=(0, 0)), "1.4": Assessment(points=40)}
    department = site_result(rules, answers, "部门")
    assert department.count == 4 and department.base_max == 50.5
    assert department.base == 49.9 and department.converted == round(49.9 / 50.5 * 100, 2)
    assert department.grade == "优秀"
    street = site_result(rules, answers | {"2.1": Assessment(points=49.5)}, "乡镇街道")
    assert street.base_max == 100 and street.converted == street.base == 99.4


def test_not_applicable_leaves_the_maximum(rules) -> None:  # type: ignore[no-untyped-def]
    answers = {"1.1": Assessment(count=12), "1.2": Assessment(na="本年度无联席会议职责"),
               "1.3": Assessment(points=4), "1.4": Assessment(points=40),
               "2.1": Assessment(points=49.5)}
    r = site_result(rules, answers, "乡镇街道")
    assert r.not_applicable == ("1.2",) and r.base_max == 96.5
    assert r.converted == 100 and r.scored == r.count and r.grade == "优秀"


def test_bonus_is_added_and_capped(rules) -> None:  # type: ignore[no-untyped-def]
    answers = {"1.1": Assessment(count=12), "1.2": Assessment(count=1),
               "1.3": Assessment(points=4), "1.4": Assessment(points=30, reason="制度不全"),
               "2.1": Assessment(points=49.5), "3.1": Assessment(deductions=(0,) * 5)}
    r = site_result(rules, answers, "乡镇街道")
    assert r.base == 90 and r.bonus == 3 and r.total == 93  # 5 × 1 capped at the item's 3


def test_unexplained_loss_keeps_the_grade_back(rules) -> None:  # type: ignore[no-untyped-def]
    answers = {"1.1": Assessment(count=12), "1.2": Assessment(count=1),
               "1.3": Assessment(points=2), "1.4": Assessment(points=40)}
    r = site_result(rules, answers, "部门")
    assert r.unexplained == ("1.3",) and r.grade is None and r.scored == r.count


def test_format_1_keeps_its_meaning() -> None:
    from tests.checklist_samples import VALID

    old = parse_checklist(VALID.encode(), "sample.toml")
    c = old.criterion("1.1")
    assert old.format == 1
    # ticks count once, a typed score wins and needs no reason, the count deducts nothing
    assert outcome(c, Assessment(deductions=(0, 0))).score == 2
    assert not outcome(c, Assessment(points=1)).unexplained
    assert outcome(c, Assessment(count=0)).score is None


@pytest.mark.parametrize(("snippet", "key"), [
    ('[[sections.criteria.deductions]]\nreason = "x"\npoints = 0.5\nper = "次"\ncap = 0.25\n',
     "上限低于一次扣分"),
    ('[[sections.criteria.deductions]]\nreason = "x"\npoints = 0.5\nshortfall = "each"\n',
     "没有可计数目标"),
    ('[[sections.criteria.deductions]]\nreason = "x"\npoints = 0.5\nzero = true\nper = "次"\n',
     "不得分"),
])
def test_validate_rejects_contradictory_rules(snippet: str, key: str) -> None:
    # added as a further rule of criterion 1.4
    text = V2.replace('[[sections]]\nid = "2"', snippet + '[[sections]]\nid = "2"', 1)
    with pytest.raises(ChecklistError) as err:
        parse_checklist(text.encode(), "bad.toml")
    assert key in str(err.value) and "bad.toml" in str(err.value)


@pytest.mark.parametrize(("old", "new", "says"), [
    ("bonus_cap = 5\n", "", "bonus_cap"),
    ('applies_to = ["乡镇街道"]', 'applies_to = ["街道办"]', "街道办"),
    ("deduction_cap = 10", "deduction_cap = 5", "累计扣分上限 5 分"),
    ("deduction_cap = 10", "deduction_cap = 10\nna = true", "不能标为“不适用”"),
    ("max = 4\n", "max = nan\n", "nan"),
    ("format = 2\n", "format = 3\n", "format"),
])
def test_validate_names_the_problem(old: str, new: str, says: str) -> None:
    with pytest.raises(ChecklistError) as err:
        parse_checklist(V2.replace(old, new, 1).encode(), "bad.toml")
    assert says in str(err.value)


def test_v2_keys_in_a_format_1_file_are_refused() -> None:
    with pytest.raises(ChecklistError) as err:
        parse_checklist(V2.replace("format = 2\n", "").encode(), "old.toml")
    assert "format = 2" in str(err.value)


# ---- properties -------------------------------------------------------------------------

ticks = st.lists(st.integers(0, 1), max_size=30)


@given(ticks, st.permutations(range(30)))
def test_cap_is_never_exceeded_and_order_never_matters(  # type: ignore[no-untyped-def]
        picked: list[int], order: list[int]) -> None:
    c = parse_checklist(V2.encode(), "rules.toml").criterion("1.3")
    a = outcome(c, Assessment(deductions=tuple(picked)))
    shuffled = [picked[i] for i in order if i < len(picked)]
    b = outcome(c, Assessment(deductions=tuple(shuffled)))
    assert a == b
    if a.score is not None:
        assert 0 <= a.score <= c.max
        for loss in a.losses:
            rule = c.deductions[[d.reason for d in c.deductions].index(loss.reason)]
            assert rule.cap is None or loss.points <= rule.cap


@given(st.lists(st.floats(0, 40), min_size=4, max_size=4), st.sets(st.sampled_from(
    ["1.1", "1.2", "1.3"])))
def test_na_never_lowers_full_marks_below_the_total(  # type: ignore[no-untyped-def]
        _noise: list[float], na: set[str]) -> None:
    rules = parse_checklist(V2.encode(), "rules.toml")
    full = {c.id: Assessment(points=c.max) for c in rules.criteria if not c.bonus}
    answers = full | {cid: Assessment(na="不适用理由") for cid in na}
    r = site_result(rules, answers, "乡镇街道")
    assert r.converted == rules.total and r.total == rules.total


@given(st.floats(0, 100, allow_nan=False), st.floats(0.5, 100, allow_nan=False))
def test_converted_stays_within_the_total(base: float, base_max: float) -> None:
    value = converted(min(base, base_max), base_max, 100)
    assert 0 <= value <= 100 and not math.isnan(value)


def test_versions_are_named() -> None:
    assert RULES_V1 != RULES_V2
