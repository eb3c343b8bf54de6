"""A table cell of plain, one-line text: what a `rich.text.Text` of it would draw, for less.

The overview's DataTable measures every cell of every row once filled and renders each cell
shown, more than once while the screen settles: with Text, a cell is split into lines and
words and justified each time (a third of the time to draw the overview of 300 sites). A
PlainCell knows its width and draws one segment. Like `literal` text it is never markup.
"""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.text import Text


def table_cell(text: str, *, right: bool = False) -> PlainCell | Text:
    """The cell showing `text` (right-aligned or left): a PlainCell, or Text for anything
    but printable characters (tabs, line breaks, unusual spaces: Text knows how to draw
    them)."""
    if text.isprintable():
        return PlainCell(text, right=right)
    return Text(text, justify="right") if right else Text(text)


class PlainCell:
    __slots__ = ("_right", "_width", "text")

    def __init__(self, text: str, *, right: bool = False) -> None:
        self.text = text  # printable: one line, every character drawn as it is
        self._right = right
        self._width = cell_len(self.text)

    @property
    def width(self) -> int:
        """The cells the text takes on screen."""
        return self._width

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"PlainCell({self.text!r}, right={self._right})"

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, PlainCell) and other.text == self.text
                and other._right == self._right)

    def __hash__(self) -> int:
        return hash((self.text, self._right))

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(self._width, self._width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield Segment(self.fitted(options.max_width))

    def fitted(self, width: int) -> str:
        """The text as drawn `width` cells wide: padded on its side, or cropped."""
        own = self._width
        if own > width:
            return set_cell_size(self.text, width)
        if own == width:
            return self.text
        if self._right:
            return " " * (width - own) + self.text
        return self.text + " " * (width - own)
