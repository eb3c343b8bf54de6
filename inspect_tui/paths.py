"""Where shipped data lives: the checklists folder (installed copy or source checkout)."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def checklist_dirs() -> list[Path]:
    """Folders searched for `<id>.toml`, most specific first."""
    dirs = []
    if env := os.environ.get("INSPECT_TUI_CHECKLISTS"):
        dirs.append(Path(env))
    dirs.append(Path.cwd() / "checklists")
    dirs.append(_PACKAGE / "_checklists")  # wheel install
    dirs.append(_PACKAGE.parent / "checklists")  # source checkout / editable install
    seen: list[Path] = []
    for d in dirs:
        if d.is_dir() and d.resolve() not in seen:
            seen.append(d.resolve())
    return seen


def shipped_checklists() -> list[Path]:
    found: dict[str, Path] = {}
    for d in checklist_dirs():
        for f in sorted(d.glob("*.toml")):
            found.setdefault(f.stem, f)
    return list(found.values())


def find_checklist(name: str) -> Path | None:
    """A checklist by id (file stem) or by path."""
    as_path = Path(name)
    if as_path.suffix == ".toml" and as_path.exists():
        return as_path
    return next((p for p in shipped_checklists() if p.stem == name), None)
