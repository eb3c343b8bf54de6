"""Dataclasses to plain JSON-ready data, fast: what `dataclasses.asdict` gives, as JSON sees it.

`asdict` deep-copies every leaf and looks each class's fields up again for every object; a
960-record report went through it three times (each record's digest, the report id, the
report's bytes), about half the time of building report.json. Here a class's field names are
looked up once, leaves (str, numbers, None, enums) are shared rather than copied, tuples become
lists (JSON makes no difference), and objects already converted can be passed in `known` (by
identity) so a record is turned into a dict only once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from typing import Any

_NAMES: dict[type, tuple[str, ...]] = {}


def _names(cls: type) -> tuple[str, ...]:
    names = _NAMES.get(cls)
    if names is None:
        names = _NAMES[cls] = tuple(f.name for f in fields(cls))
    return names


def plain(value: Any, known: Mapping[int, Any] | None = None) -> Any:
    """`value` as dicts, lists and leaves; an object whose id is in `known` becomes that."""
    if known and id(value) in known:
        return known[id(value)]
    kind = type(value)
    if kind in (str, int, float, bool) or value is None:
        return value
    if kind in (tuple, list):
        return [plain(v, known) for v in value]
    if isinstance(value, dict):
        return {plain(k, known): plain(v, known) for k, v in value.items()}
    if is_dataclass(value) and not isinstance(value, type):
        return {name: plain(getattr(value, name), known) for name in _names(kind)}
    if isinstance(value, tuple):  # a named tuple: asdict keeps it a tuple, JSON a list
        return [plain(v, known) for v in value]
    return value
