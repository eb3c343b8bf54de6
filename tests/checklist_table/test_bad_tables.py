"""Every bad table: one paragraph naming file, sheet, row and column; exit 2; nothing written."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

from tests.checklist_table.tables import TOWNSHIP_MERGES, TOWNSHIP_ROWS, write_table
from tests.test_cli import cli

OLE = bytes.fromhex("D0CF11E0A1B11AE1")


def run_import(table: Path, tmp_path: Path, *extra: str) -> tuple[str, Path]:
    out = tmp_path / "out.toml"
    r = cli("checklist", "import", str(table), "--out", str(out), *extra)
    assert r.returncode == 2, r.stdout + r.stderr
    assert "Traceback" not in r.stderr and r.stdout == ""
    assert not out.exists()  # nothing written on failure
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".tmp")] == []
    return r.stderr, out


def test_no_header_row(tmp_path: Path) -> None:
    table = write_table(tmp_path / "t.xlsx", {"表1": ([["考核表"], ["甲", "乙", "丙"],
                                                      ["领导小组", 5, "未建立的扣5分"]], [])})
    err, _ = run_import(table, tmp_path)
    assert "t.xlsx" in err and "表1" in err and "找不到表头行" in err and "分值" in err


def test_points_not_a_number(tmp_path: Path) -> None:
    rows = [list(r) for r in TOWNSHIP_ROWS]
    rows[3][2] = "若干"
    table = write_table(tmp_path / "t.xlsx", {"考核表": (rows, TOWNSHIP_MERGES)})
    err, _ = run_import(table, tmp_path)
    assert "工作表“考核表”第 4 行 C 列" in err and "若干" in err


def test_points_missing(tmp_path: Path) -> None:
    rows = [list(r) for r in TOWNSHIP_ROWS]
    rows[4][2] = None
    table = write_table(tmp_path / "t.xlsx", {"考核表": (rows, TOWNSHIP_MERGES)})
    err, _ = run_import(table, tmp_path)
    assert "第 5 行 C 列" in err and "没有填写分值" in err


def test_merged_cell_across_sections(tmp_path: Path) -> None:
    # 评分标准 merged from row 5 (组织领导) into row 7 (工作保障)
    table = write_table(tmp_path / "t.xlsx",
                        {"考核表": (TOWNSHIP_ROWS, [*TOWNSHIP_MERGES, (5, 4, 7, 4)])})
    err, _ = run_import(table, tmp_path)
    assert "第 5 行 D 列" in err and "跨越了两个考核项目" in err and "组织领导" in err


def test_merged_points(tmp_path: Path) -> None:
    table = write_table(tmp_path / "t.xlsx",
                        {"考核表": (TOWNSHIP_ROWS, [*TOWNSHIP_MERGES, (7, 3, 8, 3)])})
    err, _ = run_import(table, tmp_path)
    assert "第 7 行 C 列" in err and "分值单元格合并了多个考核内容" in err


def test_empty_sheet(tmp_path: Path) -> None:
    table = write_table(tmp_path / "t.xlsx", {"考核表": (TOWNSHIP_ROWS, TOWNSHIP_MERGES),
                                              "空表": ([], [])})
    err, _ = run_import(table, tmp_path, "--sheet", "空表")
    assert "工作表“空表”" in err and "空的" in err
    err, _ = run_import(table, tmp_path, "--sheet", "没有这张")
    assert "没有名为“没有这张”的工作表" in err and "考核表、空表" in err


@pytest.mark.parametrize(("name", "says"), [("old.xls", "另存为”Excel 工作簿（.xlsx）"),
                                            ("wps.et", "WPS 表格专用格式（.et）")])
def test_old_binary_formats(tmp_path: Path, name: str, says: str) -> None:
    table = tmp_path / name
    table.write_bytes(OLE + b"\0" * 504 + "Workbook".encode("utf-16-le") + b"\0" * 1000)
    err, _ = run_import(table, tmp_path)
    assert name in err and says in err and ".xlsx" in err


def test_password_protected(tmp_path: Path) -> None:
    """An encrypted .xlsx is an OLE file with EncryptionInfo and EncryptedPackage streams."""
    table = tmp_path / "secret.xlsx"
    table.write_bytes(OLE + b"\0" * 504 + "EncryptionInfo".encode("utf-16-le") + b"\0" * 64
                      + "EncryptedPackage".encode("utf-16-le") + b"\0" * 1000)
    err, _ = run_import(table, tmp_path)
    assert "secret.xlsx" in err and "密码" in err


@pytest.mark.parametrize("content", [b"not a table at all\n", b""])
def test_not_a_spreadsheet(tmp_path: Path, content: bytes) -> None:
    table = tmp_path / "notes.xlsx"
    table.write_bytes(content)
    err, _ = run_import(table, tmp_path)
    assert "notes.xlsx" in err and "不是 Excel/WPS 表格文件" in err


def test_a_word_document(tmp_path: Path) -> None:
    table = tmp_path / "doc.xlsx"
    with zipfile.ZipFile(table, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    err, _ = run_import(table, tmp_path)
    assert "Word/WPS 文字文档" in err


def test_missing_file(tmp_path: Path) -> None:
    err, _ = run_import(tmp_path / "nowhere.xlsx", tmp_path)
    assert "nowhere.xlsx" in err and "不存在" in err


def test_xlsb(tmp_path: Path) -> None:
    table = tmp_path / "b.xlsb"
    with zipfile.ZipFile(table, "w") as z:
        z.writestr("xl/workbook.bin", b"\0")
    err, _ = run_import(table, tmp_path)
    assert ".xlsb" in err


def test_several_sheets_without_kinds(tmp_path: Path) -> None:
    rows = [["考核内容", "分值"], ["领导小组", 5]]
    table = write_table(tmp_path / "t.xlsx", {"甲": (rows, []), "乙": (rows, [])})
    err, _ = run_import(table, tmp_path)
    assert "--kind" in err and "甲、乙" in err


def test_never_overwrites_without_force(tmp_path: Path) -> None:
    table = write_table(tmp_path / "t.xlsx", {"考核表": (TOWNSHIP_ROWS, TOWNSHIP_MERGES)})
    out = tmp_path / "kept.toml"
    out.write_text("# mine\n", encoding="utf-8")
    r = cli("checklist", "import", str(table), "--out", str(out))
    assert r.returncode == 2 and "已存在" in r.stderr and out.read_text() == "# mine\n"
    r = cli("checklist", "import", str(table), "--out", str(out), "--force")
    assert r.returncode == 0 and out.read_text(encoding="utf-8").startswith("format = 2")
    xlsx = tmp_path / "kept.xlsx"
    xlsx.write_bytes(b"mine")
    r = cli("checklist", "template", "--xlsx", str(xlsx))
    assert r.returncode == 2 and xlsx.read_bytes() == b"mine"


def test_report_on_success_and_in_english(tmp_path: Path) -> None:
    table = write_table(tmp_path / "t.xlsx", {"考核表": (TOWNSHIP_ROWS, TOWNSHIP_MERGES)})
    out = tmp_path / "t.toml"
    r = cli("checklist", "import", str(table), "--out", str(out))
    assert r.returncode == 0 and "导入报告（4 条）" in r.stdout
    assert "第 9 行 D 列" in r.stdout and "已作为说明保留" in r.stdout
    assert cli("checklist", "validate", str(out)).returncode == 0
    r = cli("--lang", "en", "checklist", "import", str(table), "--out", str(tmp_path / "e.toml"))
    assert r.returncode == 0 and "import report (4 notes)" in r.stdout
    wb = openpyxl.load_workbook(table)
    assert wb.sheetnames == ["考核表"]  # the table itself is left as it was
