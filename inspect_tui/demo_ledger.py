"""The demo's visit details and 整改 ledger: who visited each site, and where its problems stand.

Dates count from the day the demo is built, so the ledger reads the same on any day: visits
about six weeks ago, 复查 a few days ago, open deadlines ahead — except one (赤溪街道's
unreviewed 规范性文件), whose deadline passed while it was still 整改中: the overdue problem.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from inspect_tui.store.inspection import Inspection

CONTACTS = {  # site: (contact person, phone)
    "马涧镇": ("周建国", "0579-88210031"), "兰江街道": ("吴丽萍", "0579-88220417"),
    "赤溪街道": ("郑卫东", "0579-88230562"), "女埠街道": ("陈晓燕", "0579-88240113"),
    "市公安局": ("刘志刚", "0579-88250201"), "市司法局": ("何敏", "0579-88260308"),
    "市人民法院": ("孙海峰", "0579-88270415"), "市人民检察院": ("钱芳", "0579-88280522"),
    "市教育局": ("杨勇", "0579-88290629"), "市市场监督管理局": ("黄静", "0579-88300736"),
    "永昌司法所": ("徐涛", "0579-88310843"),
}
NOTES = "听取汇报，查阅台账，实地查看；随机抽查{what}"
# (site, criterion): the ledger fields, in the order they were recorded. "due" is the deadline
# in days from today (negative: passed), "recheck" the status a 复查 gave after 已整改.
LEDGER: dict[tuple[str, str], dict[str, Any]] = {
    ("马涧镇", "2.3"): {"due": -10, "owner": "镇司法所", "person": "周建国", "recheck": "复查通过",
                     "note": "6月以来每月按时开展，服务台账齐全"},
    ("马涧镇", "4.2"): {"due": 30, "owner": "镇综治办", "person": "王立新", "status": "整改中"},
    ("兰江街道", "1.1"): {"due": 15, "owner": "街道党工委办公室", "person": "吴丽萍",
                      "status": "已整改"},
    ("兰江街道", "3.2"): {"due": 20, "owner": "街道宣传办", "person": "林倩",
                      "recheck": "复查未通过", "note": "开设了留言板，但一个月内无互动记录"},
    ("赤溪街道", "1.3"): {"due": 45, "owner": "街道征迁办", "person": "郑卫东"},
    ("赤溪街道", "2.4"): {"due": -5, "owner": "街道司法所", "person": "蒋红", "recheck": "复查通过",
                      "note": "名册已按村更新并公示"},
    ("赤溪街道", "4.1"): {"due": -12, "owner": "街道党政办", "person": "郑卫东",
                      "status": "整改中"},  # the overdue one
    ("女埠街道", "4.3"): {"due": 10, "owner": "街道司法所", "person": "陈晓燕", "status": "已整改"},
    ("市公安局", "10.1"): {"due": 30, "owner": "法制大队", "person": "刘志刚",
                      "recheck": "复查未通过", "note": "新文书模板已下发，抽查仍有1份未告知"},
    ("市公安局", "12.1"): {"due": 60, "owner": "警务保障室", "person": "沈斌", "status": "整改中"},
    ("市司法局", "12.3"): {"due": -20, "owner": "普法与依法治理科", "person": "何敏",
                      "recheck": "复查通过", "note": "已发布典型案例3件"},
    ("市人民法院", "8.3"): {"due": 40, "owner": "政治部宣传处", "person": "孙海峰"},
}


def add_visit_and_ledger(insp: Inspection, site_id: str, name: str, n: int,
                         inspectors: list[str], today: date) -> None:
    """Visit details of a visited site, then the ledger of its problems (site n of the demo,
    visited by inspector n % 4 with the next one)."""
    if name not in CONTACTS:
        return  # not visited yet
    visited = today - timedelta(days=42 - n % 4)
    contact, phone = CONTACTS[name]
    insp.set_visit(site_id, date=visited.isoformat(), contact=contact, contact_phone=phone,
                   inspectors=[inspectors[n % 4], inspectors[(n + 1) % 4]],
                   notes=NOTES.format(what="近一年台账" if n < 4 else "执法案卷和学法档案"))
    for p in insp.problems(site_id):
        plan = LEDGER.get((name, p.criterion_id))
        if plan is None:
            continue
        insp.set_problem(p.record_id, deadline=(today + timedelta(days=plan["due"])).isoformat(),
                         owner_unit=plan["owner"], owner_person=plan["person"])
        if "recheck" in plan:
            insp.set_problem(p.record_id, status="已整改")
            insp.author = inspectors[(n + 2) % 4]  # 复查 by someone from another group
            insp.set_problem(p.record_id, status=plan["recheck"], recheck_by=insp.author,
                             recheck_date=(today - timedelta(days=3)).isoformat(),
                             recheck_note=plan["note"])
            insp.author = inspectors[n % 4]
        elif "status" in plan:
            insp.set_problem(p.record_id, status=plan["status"])
