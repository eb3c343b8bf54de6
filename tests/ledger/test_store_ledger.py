"""Visit details and the 整改 ledger saved in real TinyDB files, read back after reopening."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from inspect_tui.core.errors import InspectError
from inspect_tui.core.rectification import Status
from inspect_tui.core.visit import Visit
from inspect_tui.store.errors import StoreError
from tests.merge.helpers import make_lead, opened


@pytest.fixture
def lead(tmp_path: Path) -> tuple[Path, str]:
    root = tmp_path / "lead"
    (site,) = make_lead(root)
    with opened(root) as insp:
        insp.set_fields(site, "1.1", points=2, problems="案例报送不及时", advice="按季度报送")
        insp.set_fields(site, "1.2", veto=True)
    return root, site


def test_visit_round_trip_in_the_site_file(lead: tuple[Path, str]) -> None:
    root, site = lead
    with opened(root) as insp:
        assert insp.visit(site) == Visit()
        insp.set_visit(site, date="2026-05-06", inspectors="李华，王芳、李华",
                       contact=" 赵主任 ", contact_phone="0579-1234567", notes="查阅台账")
    with opened(root) as insp:
        assert insp.visit(site) == Visit("2026-05-06", ("李华", "王芳"), "赵主任",
                                         "0579-1234567", "查阅台账")
    site_file = root / "inspections" / "insp-1" / "sites" / f"{site}.json"
    stored = json.loads(site_file.read_text("utf-8"))
    entities = {doc["entity"] for doc in stored["history"].values()}
    assert f"visit:{site}" in entities


def test_bad_visit_date_is_refused_and_nothing_saved(lead: tuple[Path, str]) -> None:
    root, site = lead
    with opened(root) as insp:
        with pytest.raises(InspectError) as err:
            insp.set_visit(site, date="2026/5/6", contact="赵主任")
        assert "YYYY-MM-DD" in str(err.value)
        assert insp.visit(site) == Visit()


def test_problems_are_the_records_with_a_problem(lead: tuple[Path, str]) -> None:
    root, site = lead
    with opened(root) as insp:
        problems = insp.problems()
        assert [p.criterion_id for p in problems] == ["1.1", "1.2"]
        noted, veto = problems
        assert (noted.text, noted.advice, noted.status) == ("案例报送不及时", "按季度报送",
                                                            Status.PENDING)
        assert "一票否决" in veto.text and "组织领导" in veto.text
        assert insp.problems(site) == problems


def test_ledger_round_trip_and_transitions(lead: tuple[Path, str]) -> None:
    root, site = lead
    with opened(root) as insp:
        rid = insp.record_id(site, "1.1")
        insp.set_problem(rid, deadline="2026-12-31", owner_unit="司法所", owner_person="钱伟",
                         status="整改中")
        with pytest.raises(InspectError) as err:
            insp.set_problem(rid, status=Status.PASSED, recheck_date="2027-01-05")
        assert "已整改" in str(err.value)
        insp.set_problem(rid, status=Status.DONE)
        with pytest.raises(InspectError):  # a 复查 result needs its date
            insp.set_problem(rid, status=Status.PASSED)
        insp.set_problem(rid, status="复查通过", recheck_date="2027-01-05", recheck_by="组长",
                         recheck_note="已补报")
    with opened(root) as insp:
        (p,) = [p for p in insp.problems(site) if p.record_id == rid]
        assert (p.deadline, p.owner_unit, p.owner_person, p.status, p.recheck_date,
                p.recheck_by, p.recheck_note) == ("2026-12-31", "司法所", "钱伟", Status.PASSED,
                                                  "2027-01-05", "组长", "已补报")


def test_set_problem_on_a_record_without_problem_is_refused(lead: tuple[Path, str]) -> None:
    root, site = lead
    with opened(root) as insp:
        insp.set_fields(site, "1.1", problems="", points=6)
        with pytest.raises(StoreError) as err:
            insp.set_problem(insp.record_id(site, "1.1"), deadline="2026-12-31")
        assert err.value.key == "ledger.no_problem"
        with pytest.raises(StoreError) as err:
            insp.set_problem("IT-NOPE", deadline="2026-12-31")
        assert err.value.key == "ledger.no_record"
