"""Scoring rules: unit tests for each rule and hypothesis properties over random assessments."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from inspect_tui.core.checklist_loader import parse_checklist
from inspect_tui.core.scoring import (
    Assessment,
    ProblemKind,
    TargetStatus,
    criterion_score,
    grade_for,
    site_result,
    target_status,
)
from tests.checklist_samples import VALID

C = parse_checklist(VALID.encode(), "sample.toml")
C11, C12 = C.criterion("1.1"), C.criterion("1.2")


def test_unscored_is_none() -> None:
    assert criterion_score(C11, None) is None
    assert criterion_score(C11, Assessment()) is None


def test_typed_points_are_clamped() -> None:
    assert criterion_score(C11, Assessment(points=5)) == 5
    assert criterion_score(C11, Assessment(points=9)) == 6
    assert criterion_score(C11, Assessment(points=-1)) == 0


def test_deductions_subtract_and_stop_at_zero() -> None:
    assert criterion_score(C11, Assessment(deductions=frozenset({0}))) == 2
    assert criterion_score(C11, Assessment(deductions=frozenset({1}))) == 3
    assert criterion_score(C11, Assessment(deductions=frozenset({0, 1}))) == 0  # 扣完为止


def test_typed_points_win_over_deductions() -> None:
    assert criterion_score(C11, Assessment(points=5.5, deductions=frozenset({0}))) == 5.5


def test_unknown_deduction_index_is_ignored() -> None:
    assert criterion_score(C11, Assessment(deductions=frozenset({7}))) == 6


def test_targets() -> None:
    assert target_status(C12, 3) is TargetStatus.NONE
    assert target_status(C11, None) is TargetStatus.UNKNOWN
    assert target_status(C11, 1) is TargetStatus.UNMET
    assert target_status(C11, 2) is TargetStatus.MET


def test_grade_bands_are_half_open_and_top_inclusive() -> None:
    assert grade_for(C.grades, 10, 10) == "优秀"
    assert grade_for(C.grades, 9, 10) == "优秀"
    assert grade_for(C.grades, 8.99, 10) == "合格"
    assert grade_for(C.grades, 6, 10) == "合格"
    assert grade_for(C.grades, 5.5, 10) == "不合格"


def test_site_result_partial_has_no_grade() -> None:
    r = site_result(C, {"1.1": Assessment(points=6)})
    assert (r.total, r.scored, r.count, r.grade, r.complete) == (6, 1, 2, None, False)
    assert r.sections[0].score == 6 and r.sections[0].max == 10


def test_site_result_complete_gets_grade() -> None:
    r = site_result(C, {"1.1": Assessment(points=5), "1.2": Assessment(points=4)})
    assert (r.total, r.grade, r.complete) == (9, "优秀", True)


def test_veto_forces_lowest_grade_even_when_incomplete() -> None:
    r = site_result(C, {"1.2": Assessment(points=4, veto=True)})
    assert r.grade == "不合格" and r.vetoed_by == ("1.2",)
    assert [p.kind for p in r.problems] == [ProblemKind.VETO]


def test_veto_flag_on_non_veto_criterion_is_ignored() -> None:
    r = site_result(C, {"1.1": Assessment(points=6, veto=True), "1.2": Assessment(points=4)})
    assert r.vetoed_by == () and r.grade == "优秀"


def test_problem_list_collects_notes_targets_and_vetoes_in_order() -> None:
    r = site_result(C, {
        "1.1": Assessment(points=3, count=1, problems="案例类型单一", advice="增加案例类型"),
        "1.2": Assessment(points=4, veto=True),
    })
    kinds = [(p.criterion_id, p.kind) for p in r.problems]
    assert kinds == [("1.1", ProblemKind.TARGET), ("1.1", ProblemKind.NOTED),
                     ("1.2", ProblemKind.VETO)]
    target = r.problems[0]
    assert (target.count, target.target_min) == (1, 2)
    assert r.problems[1].advice == "增加案例类型"


# ---- properties --------------------------------------------------------------------------

points = st.one_of(st.none(), st.floats(-5, 20, allow_nan=False).map(lambda x: round(x * 2) / 2))
deductions = st.frozensets(st.integers(0, 1))
assessments = st.builds(Assessment, points=points, deductions=deductions,
                        count=st.one_of(st.none(), st.integers(0, 5)), veto=st.booleans())
site = st.dictionaries(st.sampled_from(["1.1", "1.2"]), assessments)


@given(site)
def test_total_is_bounded_by_checklist_total(a: dict[str, Assessment]) -> None:
    r = site_result(C, a)
    assert 0 <= r.total <= C.total
    assert all(0 <= s.score <= s.max for s in r.sections)
    assert 0 <= r.scored <= r.count


@given(assessments, st.integers(0, 1))
def test_adding_a_deduction_never_raises_a_score(a: Assessment, extra: int) -> None:
    before = criterion_score(C11, a)
    after = criterion_score(C11, Assessment(a.points, a.deductions | {extra}, a.count, a.veto))
    if before is not None:
        assert after is not None and after <= before


@given(site)
def test_grade_given_exactly_when_complete_or_vetoed(a: dict[str, Assessment]) -> None:
    r = site_result(C, a)
    assert (r.grade is not None) == (r.complete or bool(r.vetoed_by))
    if r.vetoed_by:
        assert r.grade == "不合格"


@given(site)
def test_total_is_the_sum_of_criterion_scores(a: dict[str, Assessment]) -> None:
    expected = sum(criterion_score(c, a.get(c.id)) or 0 for c in C.criteria)
    assert abs(site_result(C, a).total - expected) < 1e-9
