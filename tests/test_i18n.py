"""One catalogue: every key has zh and en with the same placeholders, every used key exists."""

from __future__ import annotations

import re
import string

from inspect_tui.core.i18n import catalogue, set_language, t
from tests.conftest import REPO


def _fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


def test_every_entry_has_both_languages_with_same_placeholders() -> None:
    for key, entry in catalogue().items():
        assert set(entry) == {"zh", "en"}, key
        assert _fields(entry["zh"]) == _fields(entry["en"]), key


def test_every_key_used_in_code_exists() -> None:
    used: set[str] = set()
    pattern = re.compile(r"""\b(?:t|add|InspectError|_t)\(\s*["']([a-z][a-z0-9_.-]+)["']""")
    for path in (REPO / "inspect_tui").rglob("*.py"):
        used |= set(pattern.findall(path.read_text("utf-8")))
    missing = sorted(k for k in used if k not in catalogue())
    assert not missing, f"keys used but not in inspect_tui/locale/*.toml: {missing}"
    assert len(used) > 20


def test_language_switch() -> None:
    assert t("key.quit") == "退出"
    set_language("en")
    assert t("key.quit") == "Quit"
