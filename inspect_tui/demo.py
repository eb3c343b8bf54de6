"""The bundled demo: the 七五 acceptance inspection of Lanxi (seed 003), partly scored.

Seed 003 says four inspection groups led by city leaders spot-checked 4 townships/streets and
12 departments and grassroots units by 听取汇报, 查阅台账 and 实地查看; the place names come
from it where it gives them. The inspection uses `lanxi-2020-mixed`: townships are scored on
its township table (seed 003's chapters), departments and grassroots units on its department
table (seed 004's duties). What the inspectors found is written out below, criterion by
criterion, the way an inspector records it: every lost point comes from a deduction rule
ticked, a count short of its target or a score typed with its reason; problems and advice sit
on the criterion they belong to; duties a unit does not have are 不适用 with the reason.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from inspect_tui.core.checklist import Criterion
from inspect_tui.core.errors import InspectError
from inspect_tui.demo_ledger import add_visit_and_ledger
from inspect_tui.paths import find_checklist
from inspect_tui.store.errors import StoreError
from inspect_tui.store.workspace import Workspace

DEMO_ID = "demo-lanxi-qiwu"
CHECKLIST = "lanxi-2020-mixed"
GROUPS = ["第一检查组", "第二检查组", "第三检查组", "第四检查组"]
# The 4 townships/streets, then the 12 departments and grassroots units; site n is visited by
# group n % 4, so each group has one township and three units.
SITES = [
    ("马涧镇", "乡镇街道"), ("兰江街道", "乡镇街道"), ("赤溪街道", "乡镇街道"),
    ("女埠街道", "乡镇街道"), ("市公安局", "部门"), ("市司法局", "部门"), ("市人民法院", "部门"),
    ("市人民检察院", "部门"), ("市教育局", "部门"), ("市市场监督管理局", "部门"),
    ("永昌司法所", "基层单位"), ("市卫生健康局", "部门"), ("市交通运输局", "部门"),
    ("兰溪市第一中学", "基层单位"), ("兰溪市青少年宫", "基层单位"), ("浙能兰溪电厂", "基层单位"),
]
INSPECTORS = ["张明", "李华", "王芳", "赵强"]
# How far each visit has got: the first 6 sites are done, the next 5 half done (the first half
# of the table, and whatever was found elsewhere in it), the last 5 not visited yet.
ALL, HALF = 1.0, 0.5
PROGRESS = {"马涧镇": ALL, "兰江街道": ALL, "赤溪街道": ALL, "女埠街道": ALL,
            "市公安局": ALL, "市司法局": ALL, "市人民法院": HALF, "市人民检察院": HALF,
            "市教育局": HALF, "市市场监督管理局": HALF, "永昌司法所": HALF}
# Counts for countable targets, when met (one site falls short below).
COUNTS = {"1.4": 1, "2.3": 3, "5.1": 1, "6.1": 1, "7.4": 1}
SELF_ASSESSED = {"兰江街道"}  # the unit handed in its 自评得分: full marks everywhere

NO_LAWMAKING = "检查期内本单位未承担地方性法规、规章起草制定任务"
NOT_A_COURT = "本单位不是审判、检察机关，不承担立案、审判、执行等司法公开职责"
# What was found, site by site. `deduct` ticks rules by (part of) their reason, with how many
# times for a rule that repeats; `points` with `reason` is a score typed by hand; `count` is
# entered for a target; `na` is 不适用 with its reason; `bonus` ticks a 加分项.
FINDINGS: dict[str, dict[str, dict[str, Any]]] = {
    "马涧镇": {
        "1.4": {"notes": "马坞村宪法主题公园现场查看，宣传内容完好"},
        "2.3": {"count": 2, "problems": "抽查2020年6月，“公共法律服务日”只开展2次（18号未开展）",
                "advice": "按月排定“公共法律服务日”，法律顾问按时下村并做好服务台账"},
        "4.2": {"deduct": {"亮牌提升工程未覆盖": 2},
                "problems": "2个村尚未完成民主法治村亮牌提升",
                "advice": "年底前完成剩余2个村的亮牌提升，纳入创建台账动态管理"},
        "13.1": {"bonus": {"先进集体": 1}, "notes": "查阅表彰文件：本镇受到普法工作先进集体表彰"},
    },
    "兰江街道": {
        "1.1": {"deduct": {"履职报告、情况通报、工作考核": 1},
                "problems": "未建立普法工作情况通报制度",
                "advice": "建立普法工作情况通报制度，每半年通报一次"},
        "3.2": {"deduct": {"线上互动": 1}, "problems": "街道公众号只转发信息，未开展线上互动普法",
                "advice": "结合民法典宣传开展线上知识竞答等互动活动"},
        "1.5": {"notes": "青松社区法治楼道现场查看"},
    },
    "赤溪街道": {
        "1.3": {"points": 2.5,
                "reason": "换届选举法治宣传有方案和记录，征迁改造中的法治宣传只有照片、无记录",
                "problems": "征迁改造中的法治宣传无活动记录",
                "advice": "专项法治宣传做到方案、记录、照片齐全"},
        "2.4": {"deduct": {"名册不全": 1}, "problems": "“法律明白人”名册未按村更新",
                "advice": "按村（社区）更新“法律明白人”名册，补齐培训记录"},
        "4.1": {"deduct": {"未经合法性审核": 1},
                "problems": "抽查规范性文件3件，1件未经合法性审核",
                "advice": "规范性文件一律先经合法性审核再发文，审核意见留档"},
        "2.1": {"notes": "查阅“岗位练兵”台账"},
        "2.2": {"deduct": {"法治夏令营": 1}, "problems": "未组织青少年参与法治社会实践活动",
                "advice": "暑期联合学校组织模拟法庭、法治夏令营等实践活动"},
        "2.5": {"deduct": {"闲置或内容陈旧": 2}, "problems": "2处村法治文化阵地内容仍为2017年的",
                "advice": "更新阵地内容，突出民法典宣传"},
        "3.1": {"deduct": {"长期未更新": 1}, "problems": "街道法治宣传专栏半年未更新",
                "advice": "专栏每季度至少更新一次"},
        "4.4": {"deduct": {"调解台账不规范": 1}, "problems": "村调解台账缺少调解结果和回访记录",
                "advice": "统一使用规范的调解台账，写明结果并回访"},
    },
    "女埠街道": {
        "2.4": {"notes": "“甘蔗节”期间开展“法律赶集”"},
        "4.3": {"deduct": {"未正常运行": 1}, "problems": "2个村公共法律服务站点无服务台账",
                "advice": "站点值班和服务一律登记台账，司法所每月检查"},
    },
    "市公安局": {
        "12.1": {"deduct": {"经费等保障": 1}, "problems": "普法经费未单独列入预算",
                 "advice": "将普法经费列入年度部门预算"},
        "10.1": {"deduct": {"救济途径": 2},
                 "problems": "抽查行政处罚决定书5份，2份未告知救济途径",
                 "advice": "执法文书按规范告知法律依据和救济途径，法制部门逐份审核"},
        "9.1": {"na": NO_LAWMAKING}, "9.2": {"na": NO_LAWMAKING}, "11.3": {"na": NOT_A_COURT},
        "7.4": {"notes": "以“三考”促“三基”，查阅考试记录"},
    },
    "市司法局": {
        "12.3": {"deduct": {"普法责任清单所列任务未落实": 1},
                 "problems": "普法责任清单中“以案释法典型案例发布”一项未落实",
                 "advice": "对照普法责任清单逐项销号，未落实的列入下年度计划"},
        "9.1": {"na": NO_LAWMAKING}, "9.2": {"na": NO_LAWMAKING}, "11.3": {"na": NOT_A_COURT},
    },
    "市人民法院": {
        "10.2": {"deduct": {"普法读本": 1}, "problems": "未编发以案释法普法读本",
                 "advice": "从已发布的典型案例中选编以案释法普法读本"},
        "8.3": {"points": 1.5, "reason": "网络热点法律解读只有1篇，且发布滞后",
                "problems": "对网络热点案件的法律解读不及时",
                "advice": "热点案件48小时内由承办庭室组织法律解读"},
        "9.1": {"na": NO_LAWMAKING}, "9.2": {"na": NO_LAWMAKING},
    },
    "市人民检察院": {
        "6.2": {"notes": "检察机关不行使行政权力，行政权力清单一条不扣分"},
    },
    "市教育局": {
        "7.2": {"deduct": {"个人学法用法档案": 1}, "problems": "抽查5名干部学法用法档案，1人缺失",
                "advice": "补建个人学法用法档案，年底统一检查"},
        "9.1": {"na": NO_LAWMAKING}, "9.2": {"na": NO_LAWMAKING}, "11.3": {"na": NOT_A_COURT},
    },
    "永昌司法所": {
        "11.1": {"deduct": {"普法公益广告": 1}, "problems": "未刊播普法公益广告",
                 "advice": "协调镇广播站在重点时段播放普法公益广告"},
        "7.2": {"deduct": {"未联系实际制定学习计划": 1}, "problems": "没有年度学法计划",
                "advice": "结合人民调解、社区矫正等岗位需要制定年度学法计划"},
        "9.1": {"na": NO_LAWMAKING}, "9.2": {"na": NO_LAWMAKING}, "11.3": {"na": NOT_A_COURT},
        "12.2": {"notes": "司法所没有下级机关，督促检查一条不扣分"},
        "12.1": {"notes": "“笠翁”品牌公共法律服务经费列入预算"},
    },
}


def ensure_demo(root: Path) -> str:
    """Create the demo workspace at `root` unless it is there; returns the inspection id."""
    create_demo(root)
    return DEMO_ID


def create_demo(root: Path) -> bool:
    """Put the demo inspection into `root`; False if it was there already (nothing changed).

    `root` may be a new folder, an empty one (or one holding only repository placeholders) or
    a workspace without inspections; a workspace holding other inspections is refused, so demo
    data never mixes with real data. The demo is built in a folder beside it and moved in with
    one rename, so an interrupted run never leaves a half-built demo that looks complete."""
    root = Path(root)
    with Workspace.open(root, author="演示") as ws:  # the writer lock keeps the app out
        ids = ws.inspection_ids()
        if DEMO_ID in ids:
            return False
        if ids:
            raise InspectError("tour.demo_beside_real", path=str(root), known="、".join(ids))
        aside = Path(tempfile.mkdtemp(prefix=".demo-building-", dir=root))
        try:
            _build(aside / "ws")
            (root / "inspections").mkdir(exist_ok=True)
            os.rename(aside / "ws" / "inspections" / DEMO_ID, root / "inspections" / DEMO_ID)
        except OSError as exc:
            raise StoreError("store.cannot_create", path=str(root),
                             reason=exc.strerror or str(exc)) from None
        finally:
            shutil.rmtree(aside, ignore_errors=True)
    return True


ISSUER = "兰溪市普法工作领导小组办公室"
LEAD = "张组长"


def _build(root: Path) -> None:
    checklist = find_checklist(CHECKLIST)
    assert checklist is not None, f"the {CHECKLIST} checklist is not installed"
    with Workspace.open(root, author="演示") as ws:
        inspection = ws.create_inspection(
            checklist.read_bytes(), checklist.name, title="兰溪市“七五”普法总结验收（演示）",
            team=INSPECTORS, inspection_id=DEMO_ID)
        # what the documents and the report cover print (发文机关, 文号, 签发人)
        inspection.set_inspection_fields(issuer=ISSUER, doc_number="兰普法办〔2026〕3号",
                                         signatories=[LEAD])
        for n, (name, kind) in enumerate(SITES):
            site = inspection.add_site(name, kind, GROUPS[n % 4])
            inspection.author = INSPECTORS[n % 4]
            applies = inspection.checklist.criteria_for(kind)
            table = [c for c in applies if not c.bonus]
            found = FINDINGS.get(name, {})
            part = int(len(table) * PROGRESS.get(name, 0))
            scored = [c for n, c in enumerate(applies) if n < part or c.id in found]
            assert {c.id for c in scored} >= set(found), f"{name}: a finding off its table"
            for c in scored:
                values = _record(c, found.get(c.id, {}))
                if name in SELF_ASSESSED and not c.bonus and "na" not in values:
                    values["self_points"] = c.max
                inspection.set_fields(site.site_id, c.id, **values)
            add_visit_and_ledger(inspection, site.site_id, name, n, INSPECTORS, date.today())


def _record(c: Criterion, found: dict[str, Any]) -> dict[str, Any]:
    """The fields an inspector saves for one criterion."""
    values: dict[str, Any] = {"methods": [m.value for m in c.methods]}
    values.update({k: found[k] for k in ("notes", "problems", "advice") if k in found})
    if "na" in found:
        return values | {"na": found["na"], "methods": []}
    if "bonus" in found:
        return values | {"deductions": _ticks(c, found["bonus"])}
    if c.target is not None:
        values["count"] = found.get("count", COUNTS[c.id])
    if "deduct" in found:
        values["deductions"] = _ticks(c, found["deduct"])
    elif "points" in found:
        values.update(points=found["points"], reason=found["reason"])
    elif not c.counts_shortfall:  # nothing lost: full marks (a count met scores by itself)
        values["points"] = c.max
    return values


def _ticks(c: Criterion, rules: dict[str, int]) -> list[int]:
    """Rule indices for {part of a rule's reason: times}."""
    ticks: list[int] = []
    for text, times in rules.items():
        index = next(i for i, d in enumerate(c.deductions) if text in d.reason)
        ticks += [index] * times
    return ticks

