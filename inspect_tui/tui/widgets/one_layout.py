"""Widgets that do not make Textual lay the whole screen out a second time after a change.

After laying a screen out, Textual tells every widget its new size; a widget whose size
changed then asks for another layout of the whole screen (`virtual_size` is a layout
reactive). On the scoring screen every key changes the size of the criterion text, the form
and its rows, so every key cost two full layouts. The first layout already placed these
widgets at their new size, their repaint is still scheduled, and a scrolling container's
scrollbars are updated (and ask for a layout themselves when they appear or go): for them the
second layout is redundant, and these classes skip it.
"""

from __future__ import annotations

from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Checkbox, Label


class OneLayout(Widget):
    """Put after the Textual widget class, `class X(Static, OneLayout)`: CSS type selectors
    and default styles follow each class's first base only, and must see Static's."""

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size,
                      layout: bool = True) -> bool:
        return super()._size_updated(size, virtual_size, container_size, layout=False)


class SteadyLabel(Label, OneLayout):
    """A Label whose text changes as the cursor moves."""


class SteadyCheckbox(Checkbox, OneLayout):
    """A Checkbox whose label changes as the cursor moves."""
