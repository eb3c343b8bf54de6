"""A later start draws the overview without parsing the pinned checklist: the summary keeps
what the overview shows of it (grades, each kind's criteria), stamped with the checklist's
hash — checked against the pinned text — and the code. A new kind, a missing or malformed
view, or a pinned text that is not the one inspection.json names mean reading it again."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from inspect_tui.core.checklist import Checklist
from inspect_tui.store import inspection as inspection_module
from inspect_tui.store.dbfile import DBFile
from inspect_tui.store.summary import Preview
from inspect_tui.store.workspace import Workspace
from inspect_tui.tui.site_rows import SiteRow, site_rows
from tests.summary.helpers import INSPECTION, cache_of, make_workspace, start


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The inspection files whose pinned checklist was parsed."""
    seen: list[str] = []
    real = inspection_module._pinned_checklist

    def parse(main: DBFile) -> Checklist:
        seen.append(main.path.name)
        return real(main)

    monkeypatch.setattr(inspection_module, "_pinned_checklist", parse)
    return seen


def _preview(root: Path) -> tuple[Preview, list[SiteRow], list[SiteRow]]:
    """The preview of a start, its rows, and the rows of the inspection read whole."""
    with Workspace.open(root, author="张明") as ws:
        seen = ws.preview(INSPECTION)
        assert seen is not None
        rows = site_rows(seen.inspection, seen.figures, seen.view)
        return seen, rows, site_rows(ws.inspection(INSPECTION))


def test_a_later_start_shows_the_rows_without_parsing_the_checklist(
        tmp_path: Path, parses: list[str]) -> None:
    root = tmp_path / "ws"
    make_workspace(root, sites=6)
    start(root)  # the first start writes the summary
    parses.clear()
    with Workspace.open(root, author="张明") as ws:
        seen = ws.preview(INSPECTION)
        assert seen is not None and parses == []
        previewed = site_rows(seen.inspection, seen.figures, seen.view)
        assert parses == []
        assert previewed == site_rows(ws.inspection(INSPECTION))  # tables, figures, sites


def test_a_site_of_a_new_kind_reads_the_checklist_once(tmp_path: Path,
                                                     parses: list[str]) -> None:
    root = tmp_path / "ws"
    make_workspace(root, sites=2)  # kinds 部门 and 乡镇街道
    start(root)
    with Workspace.open(root, author="张明") as ws:
        ws.inspection(INSPECTION).add_site("新点", "村(社区)", "二组")
    parses.clear()
    _, previewed, whole = _preview(root)
    assert previewed == whole and parses.count("inspection.json") == 2  # preview, whole
    start(root)  # keeps the view with the new kind
    parses.clear()
    _, previewed, whole = _preview(root)
    assert previewed == whole and parses == ["inspection.json"]  # the whole read only


@pytest.mark.parametrize("view", [None, [], {"grades": "优秀"}, {"grades": ["优秀", 1]},
                                  {"grades": ["优秀"], "tables": []},
                                  {"grades": ["优秀"], "tables": {"部门": ["1.1", None]}},
                                  {"grades": ["优秀"], "tables": {"部门": "1.1"}}])
def test_a_missing_or_malformed_view_means_reading_the_checklist(
        tmp_path: Path, parses: list[str], view: object) -> None:
    root = tmp_path / "ws"
    make_workspace(root, sites=3)
    start(root)
    doc = json.loads(cache_of(root).read_bytes())
    doc["view"] = view
    cache_of(root).write_text(json.dumps(doc, ensure_ascii=False))
    parses.clear()
    _, previewed, whole = _preview(root)
    assert previewed == whole and parses.count("inspection.json") == 2
    previewed_again, _, truth = start(root)
    assert previewed_again == truth  # the figures were kept, the view written anew
    assert "view" in json.loads(cache_of(root).read_bytes())


def test_a_pinned_checklist_not_the_one_named_means_no_preview(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    make_workspace(root, sites=2)
    start(root)
    path = root / "inspections" / INSPECTION / "inspection.json"
    data = json.loads(path.read_bytes())
    pinned = next(iter(data["checklist"].values()))
    pinned["toml"] = pinned["toml"].replace("title", "title ", 1)  # still TOML, other bytes
    path.write_text(json.dumps(data, ensure_ascii=False))
    with Workspace.open(root, author="张明") as ws:
        assert ws.preview(INSPECTION) is None  # opening it whole says what is wrong
