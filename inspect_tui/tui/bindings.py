"""Key bindings whose descriptions are catalogue keys, translated when a screen is built.

Textual merges `BINDINGS` once per class, when the module is imported, but the language is
chosen later (`--lang en`, or a test switching language). So `BINDINGS` descriptions name a
catalogue key (`"tui.key.…"`) and each screen translates its own copy in `__init__`; the key
becomes the binding's `id`, which is also how the command palette finds our bindings.
"""

from __future__ import annotations

from dataclasses import replace

from textual.binding import Binding
from textual.dom import DOMNode

from inspect_tui.core.i18n import t

KEY_PREFIX = "tui.key."


def localize_bindings(node: DOMNode) -> None:
    """Translate the catalogue-key descriptions of this node's (per-instance) bindings."""
    table = node._bindings.key_to_bindings
    for key, bindings in table.items():
        table[key] = [_localized(binding) for binding in bindings]


def _localized(binding: Binding) -> Binding:
    if not binding.description.startswith(KEY_PREFIX):
        return binding
    group = binding.group
    if group is not None and group.description.startswith(KEY_PREFIX):
        group = replace(group, description=t(group.description))
    return replace(binding, description=t(binding.description), id=binding.description,
                   group=group)


def is_ours(binding: Binding) -> bool:
    """A binding of this app (not one of Textual's built-in widget bindings)."""
    return bool(binding.id and binding.id.startswith(KEY_PREFIX))
