"""The pure core of the ledger: overdue, counts, status transitions, dates, visit fields."""

from __future__ import annotations

from datetime import date

import pytest

from inspect_tui.core.checklist_loader import parse_checklist
from inspect_tui.core.errors import InspectError
from inspect_tui.core.history import Change, Entry, make_entry
from inspect_tui.core.hlc import HLC
from inspect_tui.core.iso_date import clean_date
from inspect_tui.core.merge import shape_problems, site_file_of
from inspect_tui.core.record_id import make_record_id
from inspect_tui.core.records import Record
from inspect_tui.core.rectification import (
    OPEN_STATUSES,
    TRANSITIONS,
    Problem,
    Status,
    can_move,
    clean_problem,
    is_overdue,
    ledger_problems,
    parse_status,
    status_counts,
)
from inspect_tui.core.visit import clean_visit
from tests.checklist_samples import VALID

TODAY = date(2026, 6, 1)


def problem(status: Status = Status.PENDING, deadline: str = "", **kw: str) -> Problem:
    return Problem("IT-1", "S1", "1.1", "问题", "建议", deadline=deadline, status=status,
                   **kw)


@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize(("deadline", "past"), [("2026-05-31", True), ("2026-06-01", False),
                                                ("2026-06-02", False), ("", False)])
def test_overdue_is_a_passed_deadline_of_an_open_problem(status: Status, deadline: str,
                                                         past: bool) -> None:
    assert is_overdue(problem(status, deadline), TODAY) is (past and status in OPEN_STATUSES)


def test_open_statuses_are_the_three_that_need_work() -> None:
    assert {Status.PENDING, Status.IN_PROGRESS, Status.FAILED} == OPEN_STATUSES


def test_a_damaged_deadline_is_never_overdue() -> None:
    assert not is_overdue(problem(deadline="明年"), TODAY)


def test_status_counts_has_every_status_in_ledger_order() -> None:
    counts = status_counts([problem(Status.DONE), problem(Status.DONE), problem(Status.FAILED)])
    assert list(counts) == list(Status)
    assert counts == {Status.PENDING: 0, Status.IN_PROGRESS: 0, Status.DONE: 2,
                      Status.PASSED: 0, Status.FAILED: 1}
    assert sum(status_counts([]).values()) == 0


def test_recheck_results_follow_done_only() -> None:
    for start in (Status.PENDING, Status.IN_PROGRESS):
        assert not can_move(start, Status.PASSED)
        assert not can_move(start, Status.FAILED)
    assert can_move(Status.DONE, Status.PASSED) and can_move(Status.DONE, Status.FAILED)
    assert can_move(Status.FAILED, Status.IN_PROGRESS)  # back to work after a failed 复查
    assert all(can_move(s, s) for s in Status)
    assert all(s not in TRANSITIONS[s] for s in Status)


def test_every_status_is_reachable_from_pending() -> None:
    seen, todo = {Status.PENDING}, [Status.PENDING]
    while todo:
        for nxt in TRANSITIONS[todo.pop()] - seen:
            seen.add(nxt)
            todo.append(nxt)
    assert seen == set(Status)


def test_clean_problem_refuses_a_jump_and_a_recheck_without_date() -> None:
    with pytest.raises(InspectError) as err:
        clean_problem(problem(), {"status": "复查通过", "recheck_date": "2026-06-01"})
    assert err.value.key == "ledger.bad_transition"
    with pytest.raises(InspectError) as err:
        clean_problem(problem(Status.DONE), {"status": "passed"})
    assert err.value.key == "ledger.recheck_needs_date"
    assert clean_problem(problem(Status.DONE), {"status": "passed", "recheck_date": "2026-06-01",
                                               "recheck_by": " 组长 "}) == {
        "status": "复查通过", "recheck_date": "2026-06-01", "recheck_by": "组长"}
    # settling a conflict may pick any rival's status
    assert clean_problem(problem(), {"status": "复查未通过"}, transitions=False) == {
        "status": "复查未通过"}


@pytest.mark.parametrize("text", ["2026/12/31", "20261231", "2026-02-30", "2026-12-31x", "明天"])
def test_bad_dates_are_refused_with_the_expected_form(text: str) -> None:
    with pytest.raises(InspectError) as err:
        clean_problem(problem(), {"deadline": text})
    assert "YYYY-MM-DD" in str(err.value) and "整改时限" in str(err.value)
    with pytest.raises(ValueError):
        clean_date(text)


def test_status_by_chinese_or_english_name() -> None:
    assert parse_status("整改中") is Status.IN_PROGRESS
    assert parse_status("in_progress") is Status.IN_PROGRESS
    with pytest.raises(InspectError):
        parse_status("done!")


def test_visit_fields_are_cleaned() -> None:
    assert clean_visit({"inspectors": ["李华, 王芳", "李华"], "date": " 2026-05-06 "}) == {
        "inspectors": ["李华", "王芳"], "date": "2026-05-06"}
    with pytest.raises(InspectError):
        clean_visit({"date": "5月6日"})


def test_ledger_problems_one_per_record_with_generated_text() -> None:
    checklist = parse_checklist(VALID.encode(), "sample.toml")
    records = {
        "1.1": Record("R1", "S1", "1.1", points=2.0, count=1, advice="补报"),  # target unmet
        "1.2": Record("R2", "S1", "1.2", veto=True, problems="未成立领导小组"),
    }
    found = ledger_problems(checklist, None, records, {})
    assert [(p.record_id, p.status) for p in found] == [("R1", Status.PENDING),
                                                        ("R2", Status.PENDING)]
    assert "目标未完成" in found[0].text and "1" in found[0].text and found[0].advice == "补报"
    assert found[1].text == "未成立领导小组"  # the inspector's words win over a generated text
    clean = {"1.1": Record("R1", "S1", "1.1", points=6.0, count=3),
             "1.2": Record("R2", "S1", "1.2", points=4.0)}
    assert ledger_problems(checklist, None, clean, {}) == []


def test_merge_accepts_only_ledger_entries_this_app_writes() -> None:
    def entry(entity: str, context: dict[str, str], field: str = "status") -> Entry:
        return make_entry(device="D1", seq=1, prev="", hlc=HLC(1, 0), author="李华",
                          entity=entity, changes={field: Change("已整改")}, context=context)

    rid = make_record_id("insp-1", "S1", "1.1")
    good = [entry(f"rectify:{rid}", {"site": "S1", "criterion": "1.1"}),
            entry("visit:S1", {"site": "S1"}, "contact")]
    bad = [entry("rectify:R-AAAAA-AAAAA", {"site": "S1", "criterion": "1.1"}),  # not its ID
           entry(f"rectify:{rid}", {"site": "../x", "criterion": "1.1"}),  # a path as site
           entry("visit:S1", {"site": "S2"}),  # another site's file
           entry("visit:S1", {"site": "S1"}, "evidence:zz"),
           entry("ledger:S1", {"site": "S1"})]  # an entity kind this app never writes
    assert shape_problems(good, "insp-1") == []
    assert len(shape_problems(bad, "insp-1")) == len(bad)
    assert [site_file_of(e) for e in good] == ["S1", "S1"]
