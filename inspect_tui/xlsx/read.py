"""An .xlsx file → `Grid`s, with one clear error for every file that is not one.

The first bytes tell the formats apart before openpyxl sees the file: an OLE compound file
(D0 CF 11 E0 A1 B1 1A E1) is an old .xls/.et, or an encrypted .xlsx when it holds an
"EncryptionInfo" stream; a zip without xl/workbook.xml is some other document.
"""

from __future__ import annotations

import datetime
import zipfile
from pathlib import Path
from typing import Any

from inspect_tui.core.errors import InspectError
from inspect_tui.core.i18n import t
from inspect_tui.core.table_grid import CellValue, Grid

OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
ZIP_MAGIC = b"PK\x03\x04"
ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")
MAX_BYTES = 50 * 1024 * 1024


class TableFileError(InspectError):
    def __init__(self, path: Path | str, key: str, **params: Any) -> None:
        super().__init__("ctable.file_error", file=str(path), problem=t(key, **params))


def _check_format(path: Path) -> None:
    try:
        with path.open("rb") as f:
            head = f.read(8)
            data = head + f.read(MAX_BYTES) if head == OLE_MAGIC else head
    except OSError as exc:
        raise TableFileError(path, "ctable.missing", reason=exc.strerror or exc) from None
    if head == OLE_MAGIC:
        if ENCRYPTION_STREAM in data:
            raise TableFileError(path, "ctable.encrypted")
        raise TableFileError(path, "ctable.et" if path.suffix.lower() == ".et"
                             else "ctable.old_xls")
    if head[:4] != ZIP_MAGIC:
        raise TableFileError(path, "ctable.not_spreadsheet", detail="")
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise TableFileError(path, "ctable.not_spreadsheet", detail=f"（{exc}）") from None
    if "xl/workbook.bin" in names:
        raise TableFileError(path, "ctable.xlsb")
    if "xl/workbook.xml" not in names:
        detail = t("ctable.word_doc") if "word/document.xml" in names else ""
        raise TableFileError(path, "ctable.not_spreadsheet", detail=detail)


def _value(v: Any) -> CellValue:
    if isinstance(v, (datetime.datetime, datetime.date, datetime.time)):
        return v.isoformat()
    if v is None or isinstance(v, (str, int, float, bool)):
        return v
    return str(v)


def read_grids(path: Path | str, sheets: list[str] | None = None) -> list[Grid]:
    """The named sheets (default: all) as grids, in workbook order."""
    import openpyxl  # type: ignore[import-untyped]  # loaded only by the table commands

    path = Path(path)
    _check_format(path)
    try:
        book = openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged package
        raise TableFileError(path, "ctable.not_spreadsheet",
                             detail=f"（{type(exc).__name__}）") from None
    names = book.sheetnames
    for wanted in sheets or []:
        if wanted not in names:
            raise TableFileError(path, "ctable.unknown_sheet", sheet=wanted,
                                 known="、".join(names))
    grids = []
    for name in sheets or names:
        ws = book[name]
        rows = tuple(tuple(_value(c) for c in row) for row in ws.iter_rows(values_only=True))
        merged = tuple((m.min_row, m.min_col, m.max_row, m.max_col)
                       for m in ws.merged_cells.ranges)
        grids.append(Grid(name, rows, merged))
    return grids


def is_empty(grid: Grid) -> bool:
    return not any(v not in (None, "") for row in grid.rows for v in row)
