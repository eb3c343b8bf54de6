"""The blank 考核评分表 a new office starts from: the header and two example rows that import."""

from __future__ import annotations

from inspect_tui.core.checklist import (
    Checklist,
    Criterion,
    Deduction,
    GradeBand,
    Method,
    Section,
    Shortfall,
    Target,
)
from inspect_tui.core.table_checklist import default_grades


def example_checklist() -> Checklist:
    """Two rows in the phrasing offices use; every rule in them is one the importer reads."""
    leading = Criterion(
        id="1.1", title="普法领导机构",
        requirement="建立普法依法治理领导小组，明确分管领导和工作人员，定期研究部署普法工作。",
        guide="", max=3, methods=(Method.REPORT, Method.RECORDS), source="001 第3行",
        deductions=(Deduction("未建立普法领导机构", 3, zero=True),
                    Deduction("全年未研究部署普法工作", 1)), format=2)
    plan = Criterion(
        id="1.2", title="年度普法计划",
        requirement="制定年度普法工作计划并按时报送普法信息。",
        guide="", max=2, methods=(Method.RECORDS,), source="001 第4行",
        target=Target(12, "篇", "全年"),
        deductions=(Deduction("未制定年度普法计划", 1),
                    Deduction("普法信息少报送1篇", 0.25, cap=1, shortfall=Shortfall.EACH)),
        format=2)
    section = Section("1", "组织领导", (leading, plan))
    grades = tuple(GradeBand(g["name"], g["min"], g["max"]) for g in default_grades(5))
    return Checklist(id="template", title="XX单位普法依法治理工作考核评分表", version="1.0",
                     total=5, scoring_note="", sources=(), grades=grades,
                     sections=(section,), format=2)
