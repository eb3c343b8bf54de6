"""Every key description and every computed message key of the TUI is in the catalogue."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

from textual.binding import Binding
from textual.dom import DOMNode

import inspect_tui.tui as tui
from inspect_tui.core.checklist import Method
from inspect_tui.core.i18n import catalogue
from inspect_tui.core.records import SiteKind
from inspect_tui.core.scoring import TargetStatus
from inspect_tui.tui.bindings import KEY_PREFIX
from inspect_tui.tui.site_rows import Column
from inspect_tui.tui.text import METHOD_KEYS
from inspect_tui.tui.widgets.record_editor import EDITABLE, TEXTS


def tui_classes() -> list[type[DOMNode]]:
    found = []
    for info in pkgutil.walk_packages(tui.__path__, "inspect_tui.tui."):
        module = importlib.import_module(info.name)
        found += [c for _, c in inspect.getmembers(module, inspect.isclass)
                  if issubclass(c, DOMNode) and c.__module__ == module.__name__]
    return found


def test_binding_descriptions_are_catalogue_keys() -> None:
    keys = set()
    for cls in tui_classes():
        for binding in Binding.make_bindings(cls.__dict__.get("BINDINGS", [])):
            for text in (binding.description, binding.group.description if binding.group
                         else ""):
                if text.startswith(KEY_PREFIX):
                    keys.add(text)
    assert len(keys) > 20
    assert not keys - set(catalogue())


def test_computed_keys_exist() -> None:
    keys = {f"tui.col.{c.name.lower()}" for c in Column}
    keys |= {f"tui.kind.{k.name.lower()}" for k in SiteKind}
    keys |= {f"tui.method.{METHOD_KEYS[m]}" for m in Method}
    keys |= {f"tui.target.{s.value}" for s in TargetStatus}
    keys |= {f"tui.field.{name}" for name in EDITABLE} | {"tui.field.evidence"}
    keys |= {f"tui.edit.{name}" for name in TEXTS}
    keys |= {f"tui.dialog.{name}" for name in ("ok", "cancel", "close")}
    assert not keys - set(catalogue())
