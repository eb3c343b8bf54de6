"""What the CLI writes: text from outside is shown as it is, and cannot steer the terminal.

The CLI prints checklist titles, site names, notes, QR texts, paths and errors that quote them.
Printed naively, two things go wrong: Rich reads a `str` as markup ("[/]" raises MarkupError, a
"[link=…]" plants a hyperlink, ":warning:" becomes an emoji), and the terminal obeys control
characters ("\\x1b]0;…" retitles the window, "\\x1b[2J" clears it). So every CLI module writes
lines with `say` and Rich tables and trees through `console()`: no markup, no emoji codes, and
control characters removed from every text segment (Rich's own styling is added after that).
"""

from __future__ import annotations

import sys
from functools import cache
from typing import TYPE_CHECKING

from inspect_tui.terminal_safe import safe_segments, strip_controls

if TYPE_CHECKING:  # Rich is imported by the commands that print tables, not at start-up
    from rich.console import Console
    from rich.table import Table


def say(text: str = "", *, err: bool = False) -> None:
    """Print one message (to stderr with `err`), its control characters removed."""
    print(strip_controls(text), file=sys.stderr if err else sys.stdout)


@cache
def _safe_console_class() -> type[Console]:
    from collections.abc import Iterable

    from rich.console import Console, ConsoleOptions, RenderableType
    from rich.segment import Segment

    class SafeConsole(Console):
        """A Console whose text segments never carry control characters to the terminal."""

        def render(self, renderable: RenderableType,
                   options: ConsoleOptions | None = None) -> Iterable[Segment]:
            return safe_segments(super().render(renderable, options))

    return SafeConsole


def console(*, err: bool = False) -> Console:
    """For tables and trees whose cells quote outside text: plain strings are never markup."""
    return _safe_console_class()(highlight=False, markup=False, emoji=False, stderr=err)


def wrapping(table: Table, *whole: int) -> Table:
    """`table` with cells that wrap instead of being cut: a piped command gets 80 columns
    (or $COLUMNS), where Rich would end a long site name in "…". Columns in `whole` (IDs)
    stay on one line as long as the width allows, and fold rather than lose characters."""
    for n, column in enumerate(table.columns):
        column.overflow = "fold"
        column.no_wrap = n in whole
    return table
