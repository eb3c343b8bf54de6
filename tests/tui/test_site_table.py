"""SiteTable measures rows of PlainCells itself: its columns come out exactly as wide, and the
table exactly as large, as a DataTable measuring every cell through rich."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import DataTable

from inspect_tui.tui.plain_cell import table_cell
from inspect_tui.tui.widgets.site_table import SiteTable

WORDS = ["检查点00001", "市教育局", "98.5", "-", "0/33", "", "Ünïcødé", "emoji 👍", "x" * 30,
         "tab\there", "line\nbreak"]  # the last two are Text cells (not printable)


class Tables(App[None]):
    def compose(self) -> ComposeResult:
        yield SiteTable(id="ours")
        yield DataTable(id="reference")


def filled(table: DataTable[object], rows: list[list[str]]) -> None:
    for n in range(3):
        table.add_column(f"列{n}", key=str(n))
    for i, row in enumerate(rows):
        table.add_row(*(table_cell(v, right=n == 1) for n, v in enumerate(row)), key=f"r{i}")


def shape(table: DataTable[object]) -> tuple[object, ...]:
    return (tuple(c.content_width for c in table.ordered_columns), table.virtual_size,
            [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)])


ROWS = st.lists(st.lists(st.sampled_from(WORDS), min_size=3, max_size=3), max_size=12)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ROWS, ROWS, st.booleans())
def test_measured_as_a_datatable_measures(rows: list[list[str]], later: list[list[str]],
                                          remove_first: bool) -> None:
    import asyncio

    async def run() -> None:
        app = Tables()
        async with app.run_test(size=(120, 30)) as pilot:
            ours, reference = app.query_one("#ours", SiteTable), app.query_one("#reference",
                                                                              DataTable)
            for table in (ours, reference):
                filled(table, rows)
                if remove_first and rows:  # removed before the table was idle
                    table.remove_row("r0")
            await pilot.pause()
            assert shape(ours) == shape(reference)
            for table in (ours, reference):  # rows added to a table already measured
                for i, row in enumerate(later):
                    table.add_row(*(Text(v) if i % 4 == 3 else table_cell(v) for v in row))
                table.add_row("a", "b", "c", label="label")  # a labelled row: as DataTable
            await pilot.pause()
            assert shape(ours) == shape(reference)
            assert len(ours.ordered_columns) == 3

    asyncio.run(run())


class Shown(App[None]):
    def compose(self) -> ComposeResult:
        yield SiteTable(id="ours", cursor_type="row", zebra_stripes=True)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ROWS, st.integers(min_value=0, max_value=2), st.integers(min_value=0, max_value=2),
       st.sampled_from(["row", "cell", "none"]))
def test_cells_drawn_as_a_datatable_draws_them(rows: list[list[str]], fixed_rows: int,
                                               fixed_columns: int, cursor: str) -> None:
    """Every cell (header, PlainCell, Text) in every state, each drawn afresh both ways."""
    import asyncio

    from rich.style import Style

    async def run() -> None:
        app = Shown()
        async with app.run_test(size=(120, 30)) as pilot:
            table = app.query_one(SiteTable)
            filled(table, rows)
            table.add_row("a", "b", "c", height=2)  # not one line: as DataTable
            table.fixed_rows = min(fixed_rows, len(rows))  # (more: DataTable itself fails)
            table.fixed_columns = fixed_columns
            table.cursor_type = cursor  # type: ignore[assignment]
            await pilot.pause()
            for base in (table.rich_style, Style.parse("bold #ff0000 on #000000")):
                for r in range(-1, table.row_count):
                    for c in range(len(table.columns)):
                        width = table.ordered_columns[c].get_render_width(table)
                        for flags in ((False, False), (True, False), (False, True)):
                            for w in (width, 2, 1):
                                table._cell_render_cache.clear()
                                ours = table._render_cell(r, c, base, w, *flags)
                                table._cell_render_cache.clear()
                                theirs = DataTable._render_cell(table, r, c, base, w, *flags)
                                assert ours == theirs, (r, c, flags, w)

    asyncio.run(run())
