"""The project's own errors: each renders as one clear paragraph in the user's language."""

from __future__ import annotations

from typing import Any

from inspect_tui.core.i18n import t


class InspectError(Exception):
    """A user-facing error. `key` names a message in the catalogue; params fill it in."""

    exit_code = 2

    def __init__(self, key: str, **params: Any) -> None:
        self.key = key
        self.params = params
        super().__init__(key)

    def __str__(self) -> str:
        return t(self.key, **self.params)


class ChecklistError(InspectError):
    """A checklist file that cannot be used; `problems` lists every finding."""

    def __init__(self, path: str, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        super().__init__("checklist.invalid", path=path, count=len(problems))

    def __str__(self) -> str:
        head = t(self.key, **self.params)
        return head + "\n" + "\n".join(f"  - {p}" for p in self.problems)
