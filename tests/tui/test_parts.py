"""The TUI's pure parts: rows, statuses, history in words, path completion, the session."""

from __future__ import annotations

from pathlib import Path

import pytest

from inspect_tui.core.i18n import set_language
from inspect_tui.core.records import Record, Site
from inspect_tui.core.scoring import SectionResult, SiteResult
from inspect_tui.store.errors import WriteFailed
from inspect_tui.store.inspection import Inspection
from inspect_tui.store.workspace import Workspace
from inspect_tui.tui.history_text import describe_entry
from inspect_tui.tui.session import Session
from inspect_tui.tui.site_rows import Column, SiteRow, arrange
from inspect_tui.tui.status import Status, status_of
from inspect_tui.tui.text import fit
from inspect_tui.tui.widgets.path_suggester import PathSuggester
from tests.tui.helpers import frozen_clock


def row(name: str, kind: str, group: str, total: float, scored: int,
        grade: str | None = None) -> SiteRow:
    result = SiteResult(total, 100, scored, 29, (SectionResult("1", "", total, 100, 0, 29),),
                        grade)
    return SiteRow(Site(name, name, kind, group), result)


ROWS = [row("马涧镇", "乡镇街道", "第一组", 82, 29, "良好"),
        row("市司法局", "部门", "第二组", 91, 29, "优秀"),
        row("竹园社区", "村(社区)", "第一组", 0, 0)]
GRADES = ["优秀", "良好", "合格", "不合格"]


def test_rows_filter_by_name_kind_or_group() -> None:
    assert [r.site.name for r in arrange(ROWS, "第一组", None, False, GRADES)] == \
        ["马涧镇", "竹园社区"]
    assert [r.site.name for r in arrange(ROWS, "部门", None, False, GRADES)] == ["市司法局"]
    set_language("en")
    assert [r.site.name for r in arrange(ROWS, "village", None, False, GRADES)] == ["竹园社区"]


def test_rows_sort_unscored_last_and_grades_in_band_order() -> None:
    by_score = arrange(ROWS, "", Column.SCORE, True, GRADES)
    assert [r.site.name for r in by_score] == ["市司法局", "马涧镇", "竹园社区"]
    by_grade = arrange(ROWS, "", Column.GRADE, False, GRADES)
    assert [r.result.grade for r in by_grade] == ["优秀", "良好", None]
    assert ROWS[2].cells()[3:6] == ("0/29", "-", "-")


def test_fit_counts_cjk_as_two_cells() -> None:
    assert fit("马涧镇", 8) == "马涧镇  "
    assert fit("市市场监督管理局", 7) == "市市场…"


@pytest.fixture
def session(tmp_path: Path, demo: Path) -> Session:
    ws = Workspace.open(demo, author="测试员")
    session = Session(ws, ws.inspection(ws.inspection_ids()[0]), frozen_clock)
    yield session  # type: ignore[misc]
    ws.close()


def last_site(session: Session) -> str:
    """The demo's last site: a grassroots unit, not visited yet, on the department table
    (5.1 制定计划、明确任务, max 4, whose first rule is 未制定普法责任清单: 不得分, 一票否决)."""
    return session.inspection.sites()[-1].site_id


def test_session_saves_only_changes_and_undoes(session: Session) -> None:
    site = last_site(session)
    entries = len(session.inspection.all_entries())
    assert not session.save(site, "5.1", {"points": None, "notes": ""}).scored
    assert len(session.inspection.all_entries()) == entries and not session.can_undo
    assert session.save(site, "5.1", {"points": 3.0, "methods": ["查阅台账"]}).points == 3.0
    assert session.saved_at == frozen_clock()
    session.save(site, "5.1", {"points": 2.5})
    (_, cid), record = session.undo()  # type: ignore[misc]
    assert cid == "5.1" and record.points == 3.0
    assert [m.value for m in record.methods] == ["查阅台账"]
    session.undo()
    assert session.record(site, "5.1").points is None and session.undo() is None


def test_failed_write_is_kept_and_retried(session: Session,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    site = last_site(session)
    real = Inspection.set_fields

    def disk_full(self: Inspection, *args: object, **kwargs: object) -> Record:
        raise WriteFailed("x.json", "No space left on device")

    monkeypatch.setattr(Inspection, "set_fields", disk_full)
    with pytest.raises(WriteFailed):
        session.save(site, "5.2", {"points": 1.0})
    assert session.unsaved == {(site, "5.2"): {"points": 1.0}}
    monkeypatch.setattr(Inspection, "set_fields", real)
    assert session.retry_unsaved() == [(site, "5.2")]
    assert not session.unsaved and session.record(site, "5.2").points == 1.0


def test_evidence_attach_is_undone_by_detaching(session: Session, tmp_path: Path) -> None:
    site = last_site(session)
    photo = tmp_path / "照片.jpg"
    photo.write_bytes(b"jpeg")
    session.attach(site, "5.1", photo, "现场")
    assert [e.caption for e in session.record(site, "5.1").evidence] == ["现场"]
    session.undo()
    assert session.record(site, "5.1").evidence == ()


def test_history_in_words(session: Session) -> None:
    site = last_site(session)
    session.save(site, "5.1", {"points": 3.0, "deductions": [0], "veto": True})
    entry = session.inspection.history(site, "5.1")[-1]
    words = dict(describe_entry(session.inspection.checklist.criterion("5.1"), entry))
    assert words["得分"] == "3 分（满分 4）"
    assert words["一票否决"] == "是"
    assert words["扣分项"].startswith("扣4分：未制定普法责任清单")


def test_status_marks(session: Session) -> None:
    criterion = session.inspection.checklist.criterion("5.1")  # its first rule vetoes
    blank = Record("r", "s", "5.1")
    assert status_of(criterion, blank) is Status.UNSCORED
    assert status_of(criterion, Record("r", "s", "5.1", points=4)) is Status.SCORED
    assert status_of(criterion, Record("r", "s", "5.1", points=4, problems="x")) is \
        Status.PROBLEM
    assert status_of(criterion, Record("r", "s", "5.1", deductions=(0,))) is Status.VETO
    assert status_of(criterion, blank, unsaved=True) is Status.UNSAVED


async def test_path_completion(tmp_path: Path) -> None:
    (tmp_path / "现场照片.jpg").write_bytes(b"")
    (tmp_path / "台账").mkdir()
    suggest = PathSuggester()
    assert await suggest.get_suggestion(f"{tmp_path}/现场") == f"{tmp_path}/现场照片.jpg"
    assert await suggest.get_suggestion(f"{tmp_path}/台") == f"{tmp_path}/台账/"
    assert await suggest.get_suggestion(f"{tmp_path}/nothing") is None
