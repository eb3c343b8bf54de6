"""评分标准 sentences → rules: the phrasings real 考核细则 use, and back."""

from __future__ import annotations

import pytest

from inspect_tui.core.checklist import Deduction, Method, Shortfall, Target
from inspect_tui.core.table_rules import number, parse_methods, parse_rules


def test_each_rule_of_a_sentence_list() -> None:
    rules = parse_rules("未制定规划的扣2分，未召开启动会议的扣2分", 5)
    assert rules.deductions == (Deduction("未制定规划", 2), Deduction("未召开启动会议", 2))
    assert rules.leftover == ()


def test_repeats_with_a_cap() -> None:
    rules = parse_rules("履职报告、情况通报、工作考核等制度每缺一项扣0.5分，累计不超过1.5分", 4)
    (rule,) = rules.deductions
    assert (rule.points, rule.per, rule.cap) == (0.5, "项", 1.5)
    assert rule.reason == "履职报告、情况通报、工作考核等制度每缺一项"


def test_shortfall_against_a_target() -> None:
    rules = parse_rules("每月不少于3次，每少1次扣0.5分", 3)
    assert rules.target == Target(3, "次", "每月")
    (rule,) = rules.deductions
    assert rule.shortfall is Shortfall.EACH and rule.points == 0.5 and not rule.per
    assert "每月不少于3次" in rule.reason


def test_fewer_reported_counts_each() -> None:
    rules = parse_rules("全年不少于12篇，普法信息少报送一条扣0.25分", 4)
    assert rules.target == Target(12, "篇", "全年")
    assert rules.deductions == (Deduction("普法信息少报送一条", 0.25,
                                          shortfall=Shortfall.EACH),)


def test_fewer_without_a_target_is_a_plain_repeat() -> None:
    (rule,) = parse_rules("普法信息少报送一条扣0.25分", 4).deductions
    assert rule.per == "条" and rule.shortfall is Shortfall.NONE


def test_zero_and_veto() -> None:
    zero = parse_rules("未建立普法领导机构的不得分", 4).deductions
    assert zero == (Deduction("未建立普法领导机构", 4, zero=True),)
    veto = parse_rules("发生重大违法事件的，一票否决", 6).deductions
    assert veto == (Deduction("发生重大违法事件", 6, veto=True),)
    both = parse_rules("未制定普法责任清单的不得分，一票否决", 6).deductions
    assert both[0].zero and both[0].veto
    assert parse_rules("本项一票否决", 2).veto


@pytest.mark.parametrize("text", ["本项最多扣3分", "本项累计扣分不超过3分", "累计扣分不超过3分"])
def test_item_cap(text: str) -> None:
    rules = parse_rules(f"未制定规划的扣2分；未报送的扣2分；{text}", 4)
    assert rules.deduction_cap == 3 and len(rules.deductions) == 2


def test_full_width_digits_and_chinese_numbers() -> None:
    assert parse_rules("未制定规划的扣２分", 4).deductions[0].points == 2
    assert parse_rules("未制定规划的扣两分", 4).deductions[0].points == 2
    assert parse_rules("未制定规划的扣０．５分", 4).deductions[0].points == 0.5
    assert [number(x) for x in ("3分", "３", "2.5", "两", "若干", "nan")] == [
        3, 3, 2.5, 2, None, None]


def test_unmet_target() -> None:
    rules = parse_rules("目标：全年不少于1次；未达到目标的扣2分", 3)
    assert rules.deductions[0].shortfall is Shortfall.UNMET


def test_lead_in_and_examples_are_kept_as_text() -> None:
    rules = parse_rules("听取汇报、查阅台账：主要领导未亲自参加研究部署的扣1.5分，扣完为止。"
                        "例：某街道建成宪法公园", 3)
    assert rules.deductions == (Deduction("主要领导未亲自参加研究部署", 1.5),)
    assert rules.leftover == ("例：某街道建成宪法公园",)


def test_a_word_with_mei_is_not_a_repeat() -> None:
    (rule,) = parse_rules("未制定每年计划的扣1分", 3).deductions
    assert rule.per == "" and rule.reason == "未制定每年计划"


def test_bonus_items() -> None:
    rules = parse_rules("作为先进集体受到表彰的，每次加1.5分；本项最多加3分；"
                        "全表加分合计不超过3分", 3)
    assert rules.bonus and rules.bonus_cap == 3
    assert rules.deductions == (Deduction("作为先进集体受到表彰", 1.5, per="次"),)


def test_not_a_rule_at_all() -> None:
    rules = parse_rules("根据工作实际酌情评分", 3)
    assert rules.deductions == () and rules.leftover == ("根据工作实际酌情评分",)


def test_no_na() -> None:
    assert parse_rules("本项不得记为不适用", 3).na is False


def test_methods_in_the_order_named() -> None:
    assert parse_methods("实地查看、查阅资料") == (Method.ON_SITE, Method.RECORDS)
    assert parse_methods("座谈了解") == (Method.REPORT,)
    assert parse_methods("综合评价") == ()
