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

from rich.cells import cell_len
from textual.content import Content
from textual.geometry import Size
from textual.visual import VisualType, visualize
from textual.widget import Widget
from textual.widgets import Checkbox, Label


class OneLayout(Widget):
    """Put after the Textual widget class, `class X(Static, OneLayout)`: CSS type selectors
    and default styles follow each class's first base only, and must see Static's."""

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size,
                      layout: bool = True) -> bool:
        return super()._size_updated(size, virtual_size, container_size, layout=False)


class SteadyLabel(Label, OneLayout):
    """A Label whose text changes as the cursor moves or a score is saved.

    The same text again is not drawn again, and a text of the same shape (the same width
    of each line, as a clock's "已保存 10:41:07" after "已保存 10:40:52") that fits the
    label's width unwrapped is drawn in place without a layout of the screen: it takes the
    same room as the text before."""

    def update(self, content: VisualType = "", *, layout: bool = True) -> None:
        new, old = visualize(self, content, markup=self._render_markup), self.visual
        if isinstance(new, Content) and isinstance(old, Content):
            if new.is_same(old):
                return
            shape = _shape(new)
            # not wrapped now, nor then: every line fits the width the label has
            layout = layout and (shape != _shape(old) or max(shape) > self.content_size.width)
        super().update(content, layout=layout)


def _shape(content: Content) -> tuple[int, ...]:
    """The width of each line."""
    return tuple(cell_len(line) for line in content.plain.split("\n"))


class SteadyCheckbox(Checkbox, OneLayout):
    """A Checkbox whose label changes as the cursor moves."""
