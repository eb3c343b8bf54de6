"""Store errors: each names the file and says what to do; all exit with code 2."""

from __future__ import annotations

from inspect_tui.core.errors import InspectError


class StoreError(InspectError):
    pass


class CorruptDatabase(StoreError):
    """A database file that cannot be read; it is never overwritten."""

    def __init__(self, path: str, reason: str, backup: str | None) -> None:
        self.path, self.backup = path, backup
        key = "store.corrupt_with_backup" if backup else "store.corrupt"
        super().__init__(key, path=path, reason=reason, backup=backup or "")


class ForeignDatabase(StoreError):
    def __init__(self, path: str, expected: str, found: str) -> None:
        self.path = path
        super().__init__("store.foreign", path=path, expected=expected, found=found)


class WriteFailed(StoreError):
    """Saving failed (disk full, read-only…); the file on disk is the previous good version."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        super().__init__("store.write_failed", path=path, reason=reason)


class WorkspaceLocked(StoreError):
    def __init__(self, path: str, host: str, pid: int, since: str, who: str) -> None:
        super().__init__("store.locked", path=path, host=host, pid=pid, since=since, who=who)
