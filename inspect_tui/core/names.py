"""People's names as the app uses them: authors, key holders and trusted signers.

A name ends up as a principal in allowed_signers files, so it may hold no space, comma, quote
or pattern character (`*` or `?` would match other people), no control or invisible character,
and must not look like an option.
"""

from __future__ import annotations

import unicodedata

MAX_NAME = 64
_BAD_NAME_CHARS = set(' \t,"\'*?!#\\/')


def normalise_name(name: str) -> str | None:
    """The name in NFC without surrounding blanks, or None if it cannot be used."""
    name = unicodedata.normalize("NFC", name.strip())
    if (not name or len(name) > MAX_NAME or any(c in _BAD_NAME_CHARS for c in name)
            or any(unicodedata.category(c).startswith(("C", "Z")) for c in name)
            or name.startswith("-")):
        return None
    return name
