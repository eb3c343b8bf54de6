"""Who is at the keyboard: the inspector's name, remembered per workspace.

Every history entry, conflict resolution and pack names its author. The name comes from, in
order: `INSPECT_TUI_INSPECTOR` (an override for scripts and tests), the workspace's
`inspector.json` (set by `join --as`, `inspector set` or the app's first start), and only then
the computer's login name, which on a shared laptop says nothing ("root").

Like device.json, the file names the host and folder it was made for: a workspace folder copied
to another laptop does not pass its owner's name on to whoever opens the copy.
"""

from __future__ import annotations

import getpass
import json
import os
import socket
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from inspect_tui.core.names import MAX_NAME, normalise_name
from inspect_tui.safe_read import SMALL_FILE_LIMIT, ReadRefused, read_limited
from inspect_tui.store.durable_storage import atomic_write_bytes
from inspect_tui.store.errors import StoreError

ENV_INSPECTOR = "INSPECT_TUI_INSPECTOR"
IDENTITY_FILE = "inspector.json"
IDENTITY_FORMAT = "inspect-tui/inspector"
FROM_ENV, FROM_WORKSPACE, FROM_LOGIN = "env", "workspace", "login"


@dataclass(frozen=True)
class Inspector:
    name: str
    source: str  # FROM_ENV, FROM_WORKSPACE or FROM_LOGIN

    @property
    def chosen(self) -> bool:
        """Someone said who they are (not the login name guessed for them)."""
        return self.source != FROM_LOGIN


def valid_name(name: str) -> str:
    """The name, normalised; it also names keys and trusted signers, so the same rules hold."""
    checked = normalise_name(name)
    if checked is None:
        raise StoreError("team.bad_name", name=name.strip()[:MAX_NAME], max=MAX_NAME)
    return checked


def remembered(root: Path) -> str | None:
    """The name saved in the workspace, or None; a damaged file is an error naming it."""
    path = root / IDENTITY_FILE
    try:
        raw = read_limited(path, SMALL_FILE_LIMIT)
    except FileNotFoundError:
        return None
    except (ReadRefused, OSError) as exc:
        reason = exc.reason if isinstance(exc, ReadRefused) else exc.strerror or str(exc)
        raise StoreError("team.identity_damaged", path=str(path), reason=reason) from None
    try:
        data = json.loads(raw)
        if not isinstance(data, dict) or data.get("format") != IDENTITY_FORMAT:
            raise ValueError("not an inspect-tui inspector file")
        name = normalise_name(str(data["name"]))
        if name is None:
            raise ValueError(f"unusable name {str(data['name'])[:MAX_NAME]!r}")
    except (ValueError, KeyError, RecursionError) as exc:
        raise StoreError("team.identity_damaged", path=str(path),
                         reason=str(exc).splitlines()[0][:120]) from None
    # a copy of someone else's workspace: its owner is not the one at this keyboard
    return name if all(data.get(k) == v for k, v in _here(root).items()) else None


def _here(root: Path) -> dict[str, str]:
    return {"host": socket.gethostname(), "path": str(root.resolve())}


def remember(root: Path, name: str) -> str:
    """Save `name` as this workspace's inspector (atomically); returns it normalised."""
    name = valid_name(name)
    data = {"format": IDENTITY_FORMAT, "name": name, **_here(root),
            "since": datetime.now().astimezone().isoformat(timespec="seconds")}
    path = root / IDENTITY_FILE
    try:
        atomic_write_bytes(path, json.dumps(data, ensure_ascii=False).encode("utf-8"))
    except OSError as exc:
        raise StoreError("team.identity_unwritable", path=str(path),
                         reason=exc.strerror or str(exc)) from None
    return name


def current(root: Path | None) -> Inspector:
    """Who writes in the workspace at `root` (see the module docstring for the order)."""
    if forced := os.environ.get(ENV_INSPECTOR):
        return Inspector(forced, FROM_ENV)
    if root is not None and (name := remembered(root)) is not None:
        return Inspector(name, FROM_WORKSPACE)
    return Inspector(getpass.getuser(), FROM_LOGIN)
