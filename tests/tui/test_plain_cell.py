"""A PlainCell draws and measures exactly as the Text it stands in for, in a DataTable's cell
(padded, one line, styled), at every width: wider, exact, and narrower than its text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console
from rich.measure import Measurement
from rich.padding import Padding
from rich.style import Style
from rich.text import Text
from textual.renderables.styled import Styled

from inspect_tui.tui.plain_cell import PlainCell, table_cell

CONSOLE = Console(width=120, height=30, force_terminal=True, color_system="truecolor")
BASE = Style.parse("#e0e0e0 on #1e1e1e")


def drawn(cell: object, width: int) -> list[tuple[str, Style | None]]:
    """Each terminal cell's character and style, as the DataTable renders a cell."""
    options = CONSOLE.options.update_dimensions(width, 1).update(no_wrap=True)
    lines = CONSOLE.render_lines(Styled(Padding(cell, (0, 1)), pre_style=BASE,  # type: ignore[arg-type]
                                        post_style=Style(bold=True)), options)
    return [(ch, seg.style) for line in lines for seg in line for ch in seg.text]


def text_of(value: str, right: bool) -> Text:
    return Text(value, justify="right") if right else Text(value)


SAMPLES = ["检查点00001", "市教育局", "98.5", "-", "0/33", "a", "", "Ünïcødé ok", "第一检查组",
           "emoji 👍 here", "x" * 40]


def test_samples_draw_like_text_at_every_width() -> None:
    for value in SAMPLES:
        for right in (False, True):
            cell = table_cell(value, right=right)
            assert isinstance(cell, PlainCell) and str(cell) == value
            for width in range(2, Text(value).cell_len + 6):
                assert drawn(cell, width) == drawn(text_of(value, right), width), (value, width)


PRINTABLE = st.characters(whitelist_categories=("L", "M", "N", "P", "S"))  # mostly PlainCell


@given(st.one_of(st.text(alphabet=PRINTABLE, max_size=12),
                 st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)),
       st.booleans(), st.integers(min_value=2, max_value=30))
def test_any_text_draws_and_measures_like_text(value: str, right: bool, width: int) -> None:
    cell = table_cell(value, right=right)
    text = text_of(value, right)
    assert str(cell) == str(text)  # (Text drops control characters)
    assert drawn(cell, width) == drawn(text, width)
    measured = Measurement.get(CONSOLE, CONSOLE.options, cell).maximum
    assert measured == Measurement.get(CONSOLE, CONSOLE.options, text).maximum


def test_unprintable_text_stays_text() -> None:
    assert isinstance(table_cell("a\tb"), Text) and isinstance(table_cell("a\nb"), Text)
    assert table_cell("x") == PlainCell("x") != PlainCell("x", right=True)
