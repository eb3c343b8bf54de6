"""Each document built from the demo (its visits, ledger and settings) says what it must."""

from __future__ import annotations

import re
from dataclasses import replace

from inspect_tui.core.documents import bulletin, catalog, feedback, record_sheet, summary_table
from inspect_tui.core.documents.inputs import DocInputs, SiteDoc
from inspect_tui.core.documents.model import (
    Closing,
    IssuerMark,
    Signatures,
    Table,
    chinese_date,
)
from inspect_tui.core.explain import criterion_explained
from inspect_tui.core.rectification import is_overdue
from tests.documents.conftest import DOC_NUMBER, ISSUER


def site(inputs: DocInputs, name: str) -> SiteDoc:
    return next(s for s in inputs.sites if s.site.name == name)


def test_chinese_date_has_no_padding() -> None:
    from datetime import date

    assert chinese_date(date(2026, 12, 1)) == "2026年12月1日"
    assert chinese_date(date(2027, 1, 16)) == "2027年1月16日"


def test_settings_reach_the_documents(inputs: DocInputs) -> None:
    doc = bulletin.build(inputs)
    mark = next(b for b in doc.blocks if isinstance(b, IssuerMark))
    assert (mark.issuer, mark.doc_number) == (ISSUER, DOC_NUMBER)
    closing = next(b for b in doc.blocks if isinstance(b, Closing))
    assert (closing.issuer, closing.day) == (ISSUER, "2026年12月1日")


def test_record_sheet_lists_every_criterion_with_its_score_and_reasons(inputs: DocInputs) -> None:
    s = site(inputs, "赤溪街道")
    doc = record_sheet.build(inputs, s)
    table = next(b for b in doc.blocks if isinstance(b, Table) and b.header)
    assert len(table.header) == 2 and table.header[0][0].span == 2  # merged header cells
    rows = {row[0]: row for row in table.rows}
    for c in inputs.checklist.criteria_for(s.site.kind):
        e = criterion_explained(c, s.records[c.id])
        row = rows[c.id]
        assert row[1] == c.title
        if e["score"] is not None:
            assert row[3] == f"{e['score']:g}"
        for loss in e["losses"]:
            assert loss["reason"] in row[4]
    text = doc.text()
    visit = s.visit
    assert visit is not None and visit.contact and visit.contact in text
    assert all(name in text for name in visit.inspectors)
    sign = next(b for b in doc.blocks if isinstance(b, Signatures))
    labels = [x.label for x in sign.lines][:2]
    assert labels == ["检查组成员（签字）", "被检查单位负责人或联系人（签字）"]
    for p in s.problems:
        assert p.text.rstrip("。") in text


def test_record_sheet_shows_not_applicable_with_its_reason(inputs: DocInputs) -> None:
    found = [(s, cid) for s in inputs.sites for cid in s.result.not_applicable]
    assert found, "the demo records some criteria 不适用"
    s, cid = found[0]
    row = next(r for b in record_sheet.build(inputs, s).blocks if isinstance(b, Table)
               and b.header for r in b.rows if r[0] == cid)
    assert row[3] == "不适用" and s.records[cid].na in row[4]


def test_feedback_has_what_went_well_problems_with_advice_and_deadlines(
        inputs: DocInputs) -> None:
    s = site(inputs, "兰江街道")
    doc = feedback.build(inputs, s)
    text = doc.text()
    assert feedback.done_well(inputs, s) and all(x in text for x in feedback.done_well(inputs, s))
    assert s.problems
    for p in s.problems:
        assert p.advice in text
        if p.deadline:
            y, m, d = (int(x) for x in p.deadline.split("-"))
            assert f"{y}年{m}月{d}日" in text


def test_summary_ranks_per_type_and_keeps_unfinished_apart(inputs: DocInputs) -> None:
    doc = summary_table.build(inputs)
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    ranked_names = {row[1] for t in tables if t.header[0][0].text == "排名" for row in t.rows}
    unfinished = {s.site.name for s in inputs.sites if not s.finished}
    finished = {s.site.name for s in inputs.sites if s.finished}
    assert unfinished and finished
    assert finished <= ranked_names and not unfinished & ranked_names
    text = doc.text()
    assert all(name in text for name in unfinished)  # listed apart, not left out
    sign = next(b for b in doc.blocks if isinstance(b, Signatures))
    assert sign.lines[0].names == "张组长、李华"  # the signatories setting
    first = next(t for t in tables if t.header[0][0].text == "排名")
    totals = [float(row[3]) for row in first.rows]
    assert totals == sorted(totals, reverse=True)


def test_bulletin_commends_top_sites_and_counts_common_problems(inputs: DocInputs) -> None:
    text = bulletin.build(inputs).text()
    best = bulletin.commended(inputs)
    assert best and all(site(inputs, name).finished and site(inputs, name).result.grade == "优秀"
                        for name in best)
    assert "、".join(best) in text and "予以通报表扬" in text
    for title, sites in bulletin.common_problems(inputs):
        assert len(sites) >= bulletin.COMMON_MIN
        assert f"“{title}”方面存在问题的单位有{len(sites)}个" in text
    assert not any(s.site.name in text.split("四、需要通报的单位")[1].split("五、")[0]
                   for s in inputs.sites if s.finished and s.result.grade == "优秀")


def test_rectify_summary_counts_statuses_and_flags_the_overdue(inputs: DocInputs) -> None:
    doc = catalog.build(inputs, "rectify-summary", None)
    table = next(b for b in doc.blocks if isinstance(b, Table))
    problems = [p for s in inputs.sites for p in s.problems]
    assert len(table.rows) == len(problems)
    overdue = [p for p in problems if is_overdue(p, inputs.today)]
    assert len(overdue) == 1  # the demo has exactly one overdue problem
    flagged = [row for row in table.rows if row[-1] == "逾期"]
    assert len(flagged) == 1 and overdue[0].text.rstrip("。") in flagged[0][2]
    n = re.search(r"已逾期未整改完成(\d+)个", doc.text())
    assert n is not None and n.group(1) == "1"


def test_per_site_documents_only_for_visited_sites(inputs: DocInputs) -> None:
    plan = catalog.planned(inputs, ["record", "rectify"])
    records = {s.site.name for k, s in plan if k == "record" and s is not None}
    assert records == {s.site.name for s in inputs.sites if s.result.scored > 0}
    notices = {s.site.name for k, s in plan if k == "rectify" and s is not None}
    assert notices == {s.site.name for s in inputs.sites if s.problems and s.result.scored}


def with_results(inputs: DocInputs, changes: dict[str, dict[str, object]]) -> DocInputs:
    """The demo with some finished sites' results changed (a veto, a low score)."""
    sites = tuple(replace(s, result=replace(s.result, **changes[s.site.name]))
                  if s.site.name in changes else s for s in inputs.sites)
    return replace(inputs, sites=sites)


def test_vetoed_and_failing_sites_are_named_and_ranked_last(inputs: DocInputs) -> None:
    changed = with_results(inputs, {
        "马涧镇": {"vetoed_by": ("1.1",), "grade": "不合格"},  # the best total, vetoed
        "市公安局": {"total": 55.0, "converted": 55.0, "grade": "不合格"},
    })
    text = bulletin.build(changed).text()
    named = text.split("四、需要通报的单位")[1].split("五、")[0]
    title = inputs.checklist.criterion("1.1").title
    assert f"马涧镇因“{title}”被一票否决" in named
    assert "市公安局得分55分，等级为“不合格”" in named and "予以通报" in named
    assert "马涧镇" not in bulletin.commended(changed)
    tables = [b for b in summary_table.build(changed).blocks if isinstance(b, Table)
              and b.header[0][0].text == "排名"]
    townships = tables[0]
    assert townships.rows[-1][1] == "马涧镇" and townships.rows[-1][-1] == "一票否决"
    assert townships.rows[0][1] != "马涧镇"


def test_quotes_nest_and_advice_ends_as_a_sentence(inputs: DocInputs) -> None:
    s = site(inputs, "赤溪街道")
    text = feedback.build(inputs, s).text()
    assert "““" not in text and "””" not in text
    assert "“‘公共法律服务日’与‘一村居一法律顾问’”" in text  # a title holding quotes, quoted
    advice = [line for line in text.splitlines() if line.startswith("整改建议：")]
    assert advice and all(line.endswith("。") for line in advice)
