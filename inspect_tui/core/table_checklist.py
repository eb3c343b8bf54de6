"""An office's 考核评分表 (grids of cells) → checklist data (format 2) and an import report.

Sections come from the merged 考核项目 cells (or rows that name only a section), their stated
totals from "工作保障（28分）"; each row with a 分值 is one criterion whose 评分标准 becomes
rules (`table_rules`). Sums that differ from stated totals are reported with their rows, never
adjusted. Each criterion cites its row: source "001 第14行", with [[sources]] 001 naming the
file and sheet.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from inspect_tui.core.checklist import Method
from inspect_tui.core.i18n import t
from inspect_tui.core.records import SiteKind
from inspect_tui.core.table_grid import Grid, Header, Note, TableError, find_header
from inspect_tui.core.table_rules import number, parse_methods, parse_rules

_SECTION_TOTAL = re.compile(r"\s*[（(]\s*(?:共|计|满分)?\s*(?P<n>[\d０-９.．]+)\s*分\s*[）)]\s*$")
_NUMBERING = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]"
                        r"|\d+[、.．](?!\d))\s*")
_TOTAL_ROW = ("合计", "总计", "总分", "合 计", "总 计")
_GRADE = re.compile(r"(?P<name>[^\s；;：:\d，,]+?)\s*(?P<lo>\d+(?:\.\d+)?)\s*[–—\-~至]\s*"
                    r"(?P<hi>\d+(?:\.\d+)?)\s*分?")
_DOTTED_ID = re.compile(r"^\d+(\.\d+)+$")
_KIND_WORDS = ((SiteKind.TOWNSHIP, ("乡镇街道", "乡镇", "街道")),
               (SiteKind.DEPARTMENT, ("部门",)), (SiteKind.GRASSROOTS, ("基层单位", "基层")),
               (SiteKind.VILLAGE, ("村(社区)", "村（社区）", "村", "社区")))
DEFAULT_METHODS = (Method.RECORDS,)


def kind_in(name: str) -> str | None:
    """The site kind a sheet name or 适用对象 word names ("乡镇街道表" → 乡镇街道)."""
    return next((k.value for k, words in _KIND_WORDS if any(w in name for w in words)), None)


def kinds_in(cell: str) -> list[str]:
    found = [k.value for k, words in _KIND_WORDS if any(w in cell for w in words)]
    return found


def section_title(cell: str) -> tuple[str, float | None]:
    """"一、工作保障（28分）" → ("工作保障", 28.0)."""
    stated = None
    match = _SECTION_TOTAL.search(cell)
    if match:
        stated = number(match.group("n"))
        cell = cell[: match.start()]
    return _NUMBERING.sub("", cell).strip(), stated


def split_content(cell: str) -> tuple[str, str]:
    """考核内容 → (short title, requirement): the first line, "标题：…", or the first clause."""
    first, _, rest = cell.partition("\n")
    if rest.strip() and len(first) <= 30:
        return first.strip(), rest.strip()
    head, colon, tail = cell.partition("：")
    if colon and 0 < len(head) <= 16 and tail.strip():
        return head.strip(), tail.strip()
    clause = re.split(r"[，。；,;]", cell, maxsplit=1)[0].strip()
    return (clause if len(clause) <= 20 else clause[:18] + "…"), cell.strip()


@dataclass
class _Section:
    title: str
    stated: float | None
    first_row: int
    criteria: list[dict[str, Any]] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)
    maxes: list[float] = field(default_factory=list)


@dataclass
class SheetResult:
    sections: list[_Section]
    title: str
    grades: list[dict[str, Any]]
    stated_total: tuple[int, float] | None  # (row, value) of a 合计 row
    bonus_cap: float | None = None
    kinds: list[str] = field(default_factory=list)  # 适用对象 line above the header


@dataclass
class ImportResult:
    data: dict[str, Any]
    notes: list[Note]


class _Sheet:
    """Reads one grid; `notes` collects the report lines."""

    def __init__(self, file: str, grid: Grid, code: str, kind: str | None,
                 notes: list[Note]) -> None:
        self.file, self.grid, self.code, self.kind, self.notes = file, grid, code, kind, notes
        self.cells = grid.filled()

    def fail(self, row: int, col: int, key: str, **params: Any) -> TableError:
        return TableError(self.file, self.grid.sheet, row, col, t(key, **params))

    def note(self, row: int, col: int, key: str, **params: Any) -> None:
        self.notes.append(Note(self.grid.sheet, row, col, t(key, **params)))

    def read(self) -> SheetResult:
        if not any(any(c for c in row) for row in self.cells):
            raise self.fail(0, 0, "ctable.empty_sheet")
        header = find_header(self.cells)
        if header is None:
            raise self.fail(0, 0, "ctable.no_header", rows=min(len(self.cells), 20))
        title = next((c for row in self.cells[: header.row - 1] for c in row if c),
                     self.grid.sheet)
        result = SheetResult([], title, [], None)
        lead = [c for row in self.cells[: header.row - 1] for c in row if c]
        result.kinds = next((kinds_in(c.partition("：")[2]) for c in lead
                             if c.startswith(("适用对象", "适用单位", "适用范围"))), [])
        self._rows(header, result)
        if not any(s.criteria for s in result.sections):
            raise self.fail(header.row, header.columns["points"], "ctable.no_items")
        self._check_merged(header, result)
        self._check_totals(result)
        return result

    def cell(self, row: int, header: Header, role: str) -> str:
        col = header.columns.get(role)
        return self.cells[row - 1][col - 1] if col else ""

    def _rows(self, header: Header, result: SheetResult) -> None:
        current: _Section | None = None
        last_section_cell = ""
        for row in range(header.row + 1, len(self.cells) + 1):
            values = [c for c in self.cells[row - 1] if c]
            if not values:
                continue  # blank spacer row
            first = values[0]
            points_cell = self.cell(row, header, "points")
            if first.replace(" ", "") in _TOTAL_ROW or first.startswith("等次"):
                self._footer(row, header, first, points_cell, result)
                continue
            section_cell = self.cell(row, header, "section")
            content = self.cell(row, header, "content")
            standard = self.cell(row, header, "standard")
            # A row that names only a section: one text (merged across), or 考核项目 alone.
            only_one = len(set(values)) == 1 and number(values[0]) is None
            if only_one or (not points_cell and section_cell and not content):
                current = self._new_section(values[0], row, result)  # a section-name row
                last_section_cell = section_cell
                continue
            if section_cell and (section_cell != last_section_cell or current is None):
                current = self._new_section(section_cell, row, result)
                last_section_cell = section_cell
            if not content and not standard:
                continue
            if current is None:
                current = self._new_section(self.grid.sheet, row, result)
            self._criterion(row, header, current, content or standard, points_cell, result)

    def _new_section(self, cell: str, row: int, result: SheetResult) -> _Section:
        title, stated = section_title(cell)
        section = _Section(title or cell, stated, row)
        result.sections.append(section)
        return section

    def _footer(self, row: int, header: Header, first: str, points_cell: str,
                result: SheetResult) -> None:
        if first.startswith("等次"):
            result.grades = [{"name": m.group("name"), "min": _plain(float(m.group("lo"))),
                              "max": _plain(float(m.group("hi")))}
                             for m in _GRADE.finditer(first.partition("：")[2] or first[2:])]
            return
        value = number(points_cell) if points_cell else None
        if value is not None:
            result.stated_total = (row, value)

    def _criterion(self, row: int, header: Header, section: _Section, content: str,
                   points_cell: str, result: SheetResult) -> None:
        col = header.columns["points"]
        if not points_cell:
            raise self.fail(row, col, "ctable.no_points", content=content[:30])
        points = number(points_cell)
        if points is None or points <= 0:
            raise self.fail(row, col, "ctable.bad_points", value=points_cell[:20])
        title, requirement = split_content(content)
        standard = self.cell(row, header, "standard")
        rules = parse_rules(standard, points)
        item: dict[str, Any] = {
            "id": "", "title": title, "requirement": requirement,
            "guide": standard or t("ctable.no_standard_guide"), "max": _plain(points),
            "methods": [m.value for m in self._methods(row, header)],
            "source": f"{self.code} 第{row}行",
        }
        if rules.target is not None:
            target = {"min": rules.target.min, "unit": rules.target.unit}
            if rules.target.period:
                target["period"] = rules.target.period
            item["target"] = target
        item["deductions"] = [_deduction(d) for d in rules.deductions]
        if rules.deduction_cap is not None:
            item["deduction_cap"] = _plain(rules.deduction_cap)
        if rules.veto:
            item["veto"] = True
        if rules.na is False:
            item["na"] = False
        if rules.bonus:
            item["bonus"] = True
            result.bonus_cap = rules.bonus_cap if rules.bonus_cap is not None else \
                result.bonus_cap
        kinds = self._kinds(row, header)
        if kinds:
            item["applies_to"] = kinds
        given = self.cell(row, header, "id")
        if _DOTTED_ID.match(given):
            item["id"] = given
        std_col = header.columns.get("standard", 0)
        if rules.leftover:
            self.note(row, std_col, "ctable.note.leftover", text="；".join(rules.leftover)[:60])
        elif standard and not rules.deductions and rules.target is None:
            self.note(row, std_col, "ctable.note.leftover", text=standard[:60])
        section.criteria.append(item)
        section.rows.append(row)
        section.maxes.append(0.0 if rules.bonus else points)

    def _methods(self, row: int, header: Header) -> tuple[Method, ...]:
        cell = self.cell(row, header, "method")
        methods = parse_methods(cell)
        if cell and not methods:
            self.note(row, header.columns["method"], "ctable.note.method", text=cell[:30])
        return methods or DEFAULT_METHODS

    def _kinds(self, row: int, header: Header) -> list[str]:
        cell = self.cell(row, header, "kinds")
        if cell:
            return kinds_in(cell)
        return [self.kind] if self.kind else []

    def _check_merged(self, header: Header, result: SheetResult) -> None:
        """A merged cell below the section column that reaches into another section."""
        section_of = {r: i for i, s in enumerate(result.sections) for r in s.rows}
        starts = {s.first_row: i for i, s in enumerate(result.sections)}
        for r1, c1, r2, c2 in self.grid.merged:
            if r2 <= header.row or r1 == r2 or c1 == header.columns.get("section"):
                continue
            inside = {section_of[r] for r in range(r1, r2 + 1) if r in section_of}
            inside |= {starts[r] for r in range(r1 + 1, r2 + 1) if r in starts}
            if len(inside) > 1:
                names = "、".join(result.sections[i].title for i in sorted(inside))
                raise self.fail(r1, c1, "ctable.merged_overlap", rows=f"{r1}–{r2}",
                                sections=names)
            if c1 <= header.columns["points"] <= c2 and len(
                    [r for r in range(r1, r2 + 1) if r in section_of]) > 1:
                raise self.fail(r1, c1, "ctable.merged_points", rows=f"{r1}–{r2}")

    def _check_totals(self, result: SheetResult) -> None:
        for s in result.sections:
            total = sum(s.maxes)
            if s.stated is not None and s.criteria and abs(total - s.stated) > 1e-6:
                self.note(s.first_row, 0, "ctable.note.section_sum", section=s.title,
                          stated=f"{s.stated:g}", sum=f"{total:g}",
                          rows=f"{s.rows[0]}–{s.rows[-1]}")
        if result.stated_total is not None:
            row, stated = result.stated_total
            total = sum(sum(s.maxes) for s in result.sections)
            if abs(total - stated) > 1e-6:
                self.note(row, 0, "ctable.note.total_sum", stated=f"{stated:g}",
                          sum=f"{total:g}")


def _plain(x: float) -> int | float:
    return int(x) if float(x).is_integer() else float(x)


def _deduction(d: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"reason": d.reason, "points": _plain(d.points)}
    if d.per:
        out["per"] = d.per
    if d.cap is not None:
        out["cap"] = _plain(d.cap)
    if d.zero:
        out["zero"] = True
    if d.veto:
        out["veto"] = True
    if d.shortfall:
        out["shortfall"] = d.shortfall.value
    return out


def default_grades(total: float) -> list[dict[str, Any]]:
    """优秀 ≥ 90%, 良好 ≥ 80%, 合格 ≥ 60% of the total: the usual 百分制 bands."""
    cuts = [("优秀", 0.9, 1.0), ("良好", 0.8, 0.9), ("合格", 0.6, 0.8), ("不合格", 0.0, 0.6)]
    return [{"name": n, "min": _plain(round(lo * total, 2)), "max": _plain(round(hi * total, 2))}
            for n, lo, hi in cuts]


def import_table(file: str, grids: Sequence[tuple[Grid, str | None]], *,
                 checklist_id: str) -> ImportResult:
    """Checklist data from the sheets (each with its site kind, or None); TableError if a
    sheet cannot be read. One sheet per kind makes one checklist of per-kind tables."""
    notes: list[Note] = []
    sheets = []
    for index, (grid, kind) in enumerate(grids, 1):
        sheets.append((grid, _Sheet(file, grid, f"{index:03d}", kind, notes).read()))
    sections_data: list[dict[str, Any]] = []
    for _grid, result in sheets:
        for s in result.sections:
            if not s.criteria:
                continue
            sid = str(len(sections_data) + 1)
            for n, item in enumerate(s.criteria, 1):
                item["id"] = item["id"] if item["id"] and len(sheets) == 1 else f"{sid}.{n}"
            sections_data.append({"id": sid, "title": s.title, "criteria": s.criteria})
    _unique_ids(sections_data)
    total = sum(c["max"] for s in sections_data for c in s["criteria"] if not c.get("bonus"))
    first = sheets[0][1]
    # The kinds the table names (适用对象), else those of its per-kind sheets.
    named = {k for _, r in sheets for k in r.kinds} | {k for _, k in grids if k}
    kinds = [k.value for k in SiteKind if k.value in named]
    data: dict[str, Any] = {
        "format": 2, "id": checklist_id, "title": first.title, "version": "1.0",
        "total": _plain(total),
        "scoring_note": t("ctable.scoring_note", file=file,
                          sheets="、".join(g.sheet for g, _ in sheets)),
    }
    if kinds:
        data["site_kinds"] = kinds
    bonus_max = sum(c["max"] for s in sections_data for c in s["criteria"] if c.get("bonus"))
    if bonus_max:
        cap = next((r.bonus_cap for _, r in sheets if r.bonus_cap is not None), None)
        data["bonus_cap"] = _plain(cap if cap is not None else bonus_max)
        if cap is None:
            notes.append(Note(sheets[0][0].sheet, 0, 0, t("ctable.note.bonus_cap",
                                                          cap=f"{bonus_max:g}")))
    data["sources"] = [{"code": f"{i:03d}", "file": file,
                        "title": t("ctable.source_title", file=file, sheet=g.sheet)}
                       for i, (g, _) in enumerate(sheets, 1)]
    data["grades"] = first.grades if first.grades else default_grades(total)
    data["sections"] = sections_data
    return ImportResult(data, notes)


def _unique_ids(sections: list[dict[str, Any]]) -> None:
    """Given 序号 that repeat fall back to the position (1.1, 1.2, …)."""
    ids = [c["id"] for s in sections for c in s["criteria"]]
    if len(set(ids)) != len(ids):
        for s in sections:
            for n, c in enumerate(s["criteria"], 1):
                c["id"] = f"{s['id']}.{n}"
