"""Laptops for merge tests: a lead workspace, copies of it (each its own device), snapshots."""

from __future__ import annotations

import io
import shutil
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from inspect_tui.core.history import Entry
from inspect_tui.store.inspection import Inspection
from inspect_tui.store.merge import merge_into
from inspect_tui.store.merge_report import MergeReport
from inspect_tui.store.workspace import Workspace
from tests.checklist_samples import VALID

INSPECTION = "insp-1"


def make_lead(root: Path, sites: tuple[str, ...] = ("马涧镇",), *,
              checklist: bytes = VALID.encode(), inspection_id: str = INSPECTION) -> list[str]:
    """A workspace with one inspection and its sites; returns the site ids."""
    with Workspace.open(root, author="组长") as ws:
        insp = ws.create_inspection(checklist, "sample.toml", title="样例检查",
                                    inspection_id=inspection_id)
        return [insp.add_site(name, "乡镇街道", "第一检查组").site_id for name in sites]


def copy_laptop(lead: Path, to: Path) -> Path:
    """A copy of a workspace, as handed to an inspector (it gets its own device id)."""
    shutil.copytree(lead, to)
    (to / ".lock").unlink(missing_ok=True)
    return to


@contextmanager
def opened(root: Path, author: str = "张明",
           inspection_id: str = INSPECTION) -> Iterator[Inspection]:
    with Workspace.open(root, author=author) as ws:
        yield ws.inspection(inspection_id)


def merge(dest: Path, *sources: Path, **options: object) -> MergeReport:
    with Workspace.open(dest, author="组长") as ws:
        return merge_into(ws, list(sources), **options)  # type: ignore[arg-type]


def entries(root: Path) -> dict[str, Entry]:
    with opened(root) as insp:
        return {e.hash: e for e in insp.all_entries()}


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file's bytes (the lock file changes on every open and is left out)."""
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file() and p.name != ".lock"}


def rewrite_zip(path: Path, change: Callable[[dict[str, bytes]], dict[str, bytes]]) -> None:
    """Rewrite a zip with its members changed by `change` (names may be anything)."""
    with zipfile.ZipFile(path) as zf:
        members = {info.filename: zf.read(info) for info in zf.infolist()}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in change(members).items():
            zf.writestr(zipfile.ZipInfo(name), data, zipfile.ZIP_DEFLATED)
    path.write_bytes(buffer.getvalue())
