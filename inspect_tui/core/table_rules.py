"""评分标准 sentences of an office's table ⇄ structured scoring rules (checklist format 2).

`parse_rules` reads the usual phrasings of 考核评分细则 ("未制定规划的扣2分", "每少1次扣0.5分",
"普法信息少报送一条扣0.25分", "累计不超过3分", "不得分", "一票否决", "目标：全年不少于12篇");
whatever it cannot read is returned as leftover text (it stays in the guide). `render_rules`
writes a criterion's rules in exactly the phrasing `parse_rules` reads back, so a table the
app exported imports to the same rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from inspect_tui.core.checklist import Criterion, Deduction, Method, Shortfall, Target

_DIGITS = str.maketrans("０１２３４５６７８９．", "0123456789.")
_CN = {"半": 0.5, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
       "八": 8, "九": 9, "十": 10}
NUM = r"\d+(?:\.\d+)?|[半一二两三四五六七八九十]"
_POINTS = re.compile(rf"(?P<sign>扣|加)\s*(?P<n>{NUM})\s*分(?:/(?P<unit>[^\d\s]{{1,2}}))?$")
_CAP = re.compile(rf"^(?P<scope>本项|全表|加分)?(?:累计|合计|最多|最高|总计)?(?:扣分|加分)?"
                  rf"(?:累计|合计)?(?:不超过|最多扣|最高扣|最多加|最高加|以|封顶)?\s*"
                  rf"(?P<n>{NUM})\s*分(?:为限|封顶)?$")
_PER = re.compile(r"每(?P<verb>少|缺|发现|出现|有)?(?P<n>[1一])?(?P<unit>[^\d\s，,的]{1,6})$")
_FEWER = re.compile(r"少[^\d\s]{0,6}?[1一](?P<unit>[\u4e00-\u9fff])$")
_TARGET = re.compile(r"^(?:目标[:：]\s*(?P<period>.*?)|(?P<pre>.*?))不少于\s*(?P<n>\d+)\s*"
                     r"(?P<unit>\S+?)$")
_PERIOD = re.compile(r"全年|每年|年度|当年|每半年|每季度|每月|每周|\d{4}年")
_CAP_WORD = re.compile(r"不超过|最多|最高|封顶|为限")
_UNMET_MARK = "（未达目标数）"
_UNMET = re.compile(r"未达(?:到)?目标|未完成目标|达不到目标")
_NO_NA = re.compile(r"不得记为不适用|不可记为不适用|不得以不适用")
_DONE = re.compile(r"^(?:本项)?扣完为止$")
_SENTENCE = re.compile(r"[；;。\n]+")
_OPEN, _CLOSE = "（(“‘《【[", "）)”’》】]"
BONUS_CAP_WORDS = "全表加分合计不超过"


def number(text: str) -> float | None:
    """A number as tables write it: full-width digits, "3分", "３", "两"; None if not one."""
    cleaned = str(text).translate(_DIGITS).strip().removesuffix("分").strip()
    if cleaned in _CN:
        return float(_CN[cleaned])
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return value if value == value and value not in (float("inf"), float("-inf")) else None


@dataclass(frozen=True)
class ParsedRules:
    """What one 评分标准 cell says."""

    deductions: tuple[Deduction, ...] = ()
    target: Target | None = None
    deduction_cap: float | None = None
    veto: bool = False  # 本项一票否决
    na: bool | None = None  # False: 不得记为不适用
    bonus: bool = False  # the rules add (加N分): a 加分项
    bonus_cap: float | None = None  # 全表加分合计不超过N分
    leftover: tuple[str, ...] = ()


@dataclass
class _State:
    max_points: float
    rules: list[Deduction] = field(default_factory=list)
    signs: list[str] = field(default_factory=list)
    target: Target | None = None
    deduction_cap: float | None = None
    veto: bool = False
    na: bool | None = None
    bonus_cap: float | None = None
    target_text: str = ""
    leftover: list[str] = field(default_factory=list)


def split_outside_brackets(text: str, separators: str) -> list[str]:
    """Split at separators that are not inside （…）, “…” and the like."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif ch in separators and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def _outside(text: str) -> str:
    """`text` without its bracketed parts (where rule words may be quoted)."""
    return re.sub(r"（[^（）]*）|\([^()]*\)|“[^“”]*”", "", text)


def parse_rules(text: str, max_points: float) -> ParsedRules:
    """Structured rules of one 评分标准 text; `max_points` is the item's 分值."""
    state = _State(max_points)
    for sentence in _SENTENCE.split(str(text).translate(_DIGITS)):
        if sentence.strip():
            _sentence(sentence.strip(), state)
    target = state.target
    rules = [_with_target(d, target, state.target_text) for d in state.rules]
    adds = set(state.signs)
    if len(adds) > 1:  # 扣 and 加 in one cell: the 加 rules cannot be kept
        state.leftover += [d.reason for d, s in zip(rules, state.signs, strict=True) if s == "加"]
        rules = [d for d, s in zip(rules, state.signs, strict=True) if s == "扣"]
        adds = {"扣"}
    return ParsedRules(tuple(rules), target, state.deduction_cap, state.veto, state.na,
                       adds == {"加"}, state.bonus_cap, tuple(state.leftover))


def _with_target(rule: Deduction, target: Target | None, target_text: str) -> Deduction:
    """Rules driven by the count once the cell states a target (每少1次 / 未达目标)."""
    if target is None:  # 每少1次 without a target: an ordinary repeat
        return replace(rule, per=rule.per.removeprefix("少")) if rule.per else rule
    if rule.per.startswith("少"):
        # "每月不少于3次，每少1次扣0.5分": the reason names the target it falls short of
        reason = f"{target_text}，{rule.reason}" if rule.reason.startswith("每") else rule.reason
        return replace(rule, reason=reason, per="", shortfall=Shortfall.EACH)
    if rule.reason.endswith(_UNMET_MARK) or _UNMET.search(rule.reason):
        return replace(rule, reason=rule.reason.removesuffix(_UNMET_MARK),
                       shortfall=Shortfall.UNMET)
    return rule


def _sentence(sentence: str, s: _State) -> None:
    pending: list[str] = []
    last: Deduction | None = None
    for clause in split_outside_brackets(sentence, "，,"):
        bare = _outside(clause)
        cap = _CAP.match(clause) if _CAP_WORD.search(clause) else None
        if cap is None or not (last is not None or cap.group("scope") or not pending):
            cap = None
        if cap is None and (rule := _rule(clause, pending, s)) is not None:
            s.rules.append(rule)
            last, pending = rule, []
        elif cap is not None:
            value = number(cap.group("n")) or 0.0
            if clause.startswith(("全表", "加分")):
                s.bonus_cap = value
            elif last is not None and last.repeats and not cap.group("scope"):
                s.rules[-1] = last = replace(last, cap=value)
            elif (s.signs and s.signs[-1] == "加") or "加" in clause:
                pass  # 本项最多加N分: the bonus item's 分值 says it
            else:
                s.deduction_cap = value
        elif "一票否决" in bare:
            if last is not None and not pending:
                s.rules[-1] = last = replace(last, veto=True)
            elif pending:
                reason = _reason("，".join(pending), "")
                s.rules.append(Deduction(reason, s.max_points, veto=True))
                s.signs.append("扣")
                last, pending = s.rules[-1], []
            else:
                s.veto = True
        elif _DONE.match(clause) or clause in ("扣完为止", "扣满为止"):
            pass
        elif _NO_NA.search(clause):
            s.na = False
        elif (target := _target(clause)) is not None:
            s.target, s.target_text = target, clause
        else:
            pending.append(clause)
    if pending:
        s.leftover.append("，".join(pending))


def _rule(clause: str, pending: list[str], s: _State) -> Deduction | None:
    bare = _outside(clause)
    if bare.endswith("不得分") or re.search(r"不得分[，,]?(?:并)?一票否决$", bare):
        head = clause[: clause.rfind("不得分")]
        s.signs.append("扣")
        return Deduction(_reason("，".join([*pending, head]), ""), s.max_points, zero=True,
                         veto="一票否决" in bare.split("不得分")[-1])
    match = _POINTS.search(clause)
    if match is None:
        return None
    head = clause[: match.start()].rstrip()
    points = number(match.group("n")) or 0.0
    per = match.group("unit") or ""
    found = _PER.search(head) or _FEWER.search(head)
    if found is not None and found.re is _PER and not (
            found.start() == 0 or found.group("verb") or found.group("n")):
        found = None  # "未制定每年计划": a word with 每, not a repeat
    if found is not None:
        verb = found.groupdict().get("verb") or ""
        fewer = verb == "少" or found.re is _FEWER
        per = ("少" if fewer else "") + found.group("unit")
        if found.start() == 0 and pending:  # "X的，每项扣0.5分": the reason is X
            head = ""
    s.signs.append(match.group("sign"))
    return Deduction(_reason("，".join([*pending, head]), head), points, per=per)


def _reason(text: str, head: str) -> str:
    """The rule's reason: the words before 扣N分, without "的" and a "方式：" lead-in."""
    text = text.strip("，,： ")
    if "：" in _outside(text):
        text = text[text.rfind("：") + 1:]
    text = text.removesuffix("的").removesuffix("者").strip("，, ")
    return text or head or "扣分"


def _target(clause: str) -> Target | None:
    match = _TARGET.match(clause)
    if match is None or "扣" in clause:
        return None
    if match.group("pre") is not None:
        found = _PERIOD.search(match.group("pre"))
        period = found.group(0) if found else ""
    else:
        period = match.group("period").strip()
    return Target(int(match.group("n")), match.group("unit"), period)


# ---- writing: the phrasing parse_rules reads back ---------------------------------------

def _num(x: float) -> str:
    return f"{x:g}"


def _render_rule(d: Deduction, c: Criterion) -> str:
    sign = "加" if c.bonus else "扣"
    reason = d.reason + (_UNMET_MARK if d.shortfall is Shortfall.UNMET else "")
    if d.zero:
        text = f"{reason}的不得分"
    elif d.shortfall is Shortfall.EACH and c.target is not None:
        text = f"{reason}的，每少1{c.target.unit}{sign}{_num(d.points)}分"
    elif d.per:
        text = f"{reason}的，每{d.per}{sign}{_num(d.points)}分"
    else:
        text = f"{reason}的{sign}{_num(d.points)}分"
    if d.cap is not None:
        text += f"，累计不超过{_num(d.cap)}分"
    if d.veto:
        text += "，一票否决"
    return text


def render_rules(c: Criterion, bonus_cap: float | None = None) -> str:
    """A criterion's rules as 评分标准 sentences, one per line."""
    lines = []
    if c.target is not None:
        lines.append(f"目标：{c.target.period}不少于{c.target.min}{c.target.unit}")
    lines += [_render_rule(d, c) for d in c.deductions]
    if c.deduction_cap is not None:
        lines.append(f"本项累计扣分不超过{_num(c.deduction_cap)}分")
    if c.veto:
        lines.append("本项一票否决")
    if not c.na_allowed and not c.can_veto:
        lines.append("本项不得记为不适用")
    if c.bonus and bonus_cap is not None:
        lines.append(f"{BONUS_CAP_WORDS}{_num(bonus_cap)}分")
    return "；\n".join(lines) + ("。" if lines else "")


# ---- 考核方式 ------------------------------------------------------------------------------

_METHOD_WORDS = {
    Method.REPORT: ("听取汇报", "听汇报", "座谈", "询问", "访谈"),
    Method.RECORDS: ("查阅台账", "查阅资料", "查看资料", "查阅档案", "查阅", "台账", "资料"),
    Method.ON_SITE: ("实地查看", "实地检查", "现场查看", "现场检查", "实地", "现场"),
}


def parse_methods(text: str) -> tuple[Method, ...]:
    """The methods a 考核方式 cell names, in the app's order (empty: none recognised)."""
    found = {m: min(text.find(w) for w in words if w in text)
             for m, words in _METHOD_WORDS.items() if any(w in text for w in words)}
    return tuple(sorted(found, key=found.__getitem__))  # in the order the cell names them
