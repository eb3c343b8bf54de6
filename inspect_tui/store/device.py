"""Which device is writing: a random id per workspace copy, so each laptop has its own chain.

The id is kept in the workspace's `device.json` together with the host and the folder it was
made for. A workspace copied to another laptop (or another folder) sees a different host or
path and makes a fresh id, so two copies never extend the same chain.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
from pathlib import Path

from inspect_tui.core.record_id import ALPHABET
from inspect_tui.store.durable_storage import atomic_write_bytes
from inspect_tui.store.errors import StoreError

DEVICE_FILE = "device.json"


def new_device_id() -> str:
    return "D" + "".join(secrets.choice(ALPHABET) for _ in range(8))


def device_for(root: Path) -> str:
    """This copy's device id (env INSPECT_TUI_DEVICE overrides it, for tests and simulations)."""
    if forced := os.environ.get("INSPECT_TUI_DEVICE"):
        return forced
    path = root / DEVICE_FILE
    here = {"host": socket.gethostname(), "path": str(root.resolve())}
    try:
        saved = json.loads(path.read_text("utf-8"))
        if isinstance(saved, dict) and all(saved.get(k) == v for k, v in here.items()):
            return str(saved["device"])
    except (OSError, ValueError, KeyError):
        pass
    return renew_device(root)


def renew_device(root: Path) -> str:
    """Give this copy a fresh device id (a new chain), e.g. after a backup was restored: the
    old chain's last numbers may already be with the team lead, so they must not be reused."""
    path = root / DEVICE_FILE
    here = {"host": socket.gethostname(), "path": str(root.resolve())}
    device = new_device_id()
    try:
        atomic_write_bytes(path, json.dumps({"device": device, **here}).encode())
    except OSError as exc:  # e.g. a copy made onto a full or read-only disk
        raise StoreError("store.device_unwritable", path=str(path),
                         reason=exc.strerror or str(exc)) from None
    return device
