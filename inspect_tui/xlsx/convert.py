"""Table file → checklist TOML (validated by the real loader), shared by the CLI and the TUI."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from inspect_tui.core.checklist import Checklist
from inspect_tui.core.checklist_loader import ID_RE, parse_checklist
from inspect_tui.core.errors import ChecklistError, InspectError
from inspect_tui.core.records import SiteKind
from inspect_tui.core.table_checklist import import_table, kind_in
from inspect_tui.core.table_grid import Grid, Note
from inspect_tui.xlsx.read import TableFileError, is_empty, read_grids


@dataclass(frozen=True)
class Imported:
    toml: bytes
    checklist: Checklist
    notes: list[Note]


def default_id(path: Path, data: bytes) -> str:
    """The file name when it makes an id ("xihu-2024.xlsx"), else one from its content."""
    stem = re.sub(r"[^a-z0-9-]+", "-", path.stem.lower()).strip("-")
    return stem if stem and ID_RE.match(stem) and stem == path.stem.lower() else \
        "table-" + hashlib.sha256(data).hexdigest()[:8]


def _kinds(path: Path, grids: list[Grid], kinds: list[str]) -> list[str | None]:
    known = [k.value for k in SiteKind]
    for kind in kinds:
        if kind not in known:
            raise TableFileError(path, "ctable.bad_kind", kind=kind, known="、".join(known))
    if kinds:
        if len(kinds) != len(grids):
            raise TableFileError(path, "ctable.kind_count", kinds=len(kinds), sheets=len(grids))
        return list(kinds)
    if len(grids) == 1:
        return [None]
    found = [kind_in(g.sheet) for g in grids]
    if None in found or len(set(found)) != len(found):
        raise TableFileError(path, "ctable.kind_needed", count=len(grids),
                             sheets="、".join(g.sheet for g in grids))
    return list(found)


def import_file(path: Path | str, *, sheets: list[str] | None = None,
                kinds: list[str] | None = None, checklist_id: str | None = None) -> Imported:
    """Read the table and build a checklist that passes validation; InspectError otherwise."""
    import tomli_w

    path = Path(path)
    grids = read_grids(path, sheets or None)
    if not sheets:  # Excel's default empty Sheet2, Sheet3 are not tables
        grids = [g for g in grids if not is_empty(g)] or grids[:1]
    chosen = checklist_id or default_id(path, path.read_bytes())
    if not ID_RE.match(chosen):
        raise InspectError("ctable.bad_id", value=chosen)
    result = import_table(path.name, list(zip(grids, _kinds(path, grids, kinds or []),
                                              strict=True)), checklist_id=chosen)
    data = tomli_w.dumps(result.data, multiline_strings=True).encode("utf-8")
    try:
        checklist = parse_checklist(data, path.name)
    except ChecklistError as exc:
        raise InspectError("ctable.invalid_result", file=str(path),
                           problems="\n".join(f"  - {p}" for p in exc.problems)) from None
    return Imported(data, checklist, result.notes)


def write_new(path: Path | str, data: bytes, *, force: bool = False) -> None:
    """Write `data` to `path` whole or not at all; an existing file only with `force`."""
    path = Path(path)
    if path.exists() and not force:
        raise InspectError("ctable.exists", path=str(path))
    try:
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent if str(path.parent) else ".")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        if force:
            os.replace(tmp, path)
        else:
            os.link(tmp, path)
    except FileExistsError:
        raise InspectError("ctable.exists", path=str(path)) from None
    except OSError as exc:
        raise InspectError("ctable.cannot_write", path=str(path),
                           reason=exc.strerror or exc) from None
    finally:
        if "tmp" in locals() and os.path.exists(tmp):
            os.unlink(tmp)
