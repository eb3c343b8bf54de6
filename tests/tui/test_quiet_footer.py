"""The overview's footer shows the screen's keys in their state, and is built again only
when they change (Textual's Footer was built three times with the same keys as the overview
was first drawn)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets._footer import FooterKey

from inspect_tui.tui.widgets.quiet_footer import QuietFooter
from inspect_tui.tui.widgets.steady_footer import shown_keys
from tests.tui.helpers import app_on, until_screen, wait_for


def keys(footer: QuietFooter) -> dict[str, bool]:
    """Each action the footer shows and whether it is enabled (but the palette's key, which
    Footer adds of its own)."""
    return {key.action: not key.has_class("-disabled") for key in footer.query(FooterKey)
            if not key.has_class("-command-palette")}


def expected(footer: QuietFooter) -> dict[str, bool]:
    shown: dict[str, bool] = {}
    for _, binding, enabled, _ in shown_keys(footer.screen):
        shown.setdefault(binding.action, enabled)  # one key per action, as Footer shows
    return shown


async def test_the_footer_follows_the_keys_and_only_them(demo: Path) -> None:
    app = app_on(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await until_screen(pilot, "OverviewScreen")
        await wait_for(pilot, lambda: app.session is not None)
        footer = app.screen.query_one(QuietFooter)
        await wait_for(pilot, lambda: keys(footer) == expected(footer))
        assert keys(footer)["select_cursor"] and keys(footer)["add_site"]  # loaded: enabled
        built = list(footer.query(FooterKey))
        assert all(key.has_class("-compact") and key.compact for key in built)  # as Footer's
        for _ in range(3):
            app.screen.refresh_bindings()  # nothing changed
            await pilot.pause(0.05)
        assert list(footer.query(FooterKey)) == built  # the same widgets: not built again
        await pilot.press("slash")  # the filter has the focus: the table's Enter is gone
        await wait_for(pilot, lambda: "select_cursor" not in keys(footer))
        assert keys(footer) == expected(footer)
        await pilot.press("escape")
        await wait_for(pilot, lambda: "select_cursor" in keys(footer))
        assert keys(footer) == expected(footer)
