"""The scoring screen's footer has its keys in its first frame, is not built again while
they stay the same, and follows them when they change (the retry key after a failed
save)."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets._footer import FooterKey

from inspect_tui.store.errors import WriteFailed
from inspect_tui.store.inspection import Inspection
from inspect_tui.tui.screens.scoring import ScoringScreen
from inspect_tui.tui.widgets.steady_footer import SETTLE, SteadyFooter
from tests.tui.helpers import app_on, until_screen, wait_for
from tests.tui.test_scoring import open_site


async def test_keys_are_built_with_the_screen_and_kept(demo: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    mounted: list[set[str]] = []  # the footer's keys when the screen is mounted
    on_mount = ScoringScreen.on_mount

    def spy(self: ScoringScreen) -> None:
        mounted.append({key.key for key in self.query_one(SteadyFooter).query(FooterKey)})
        on_mount(self)

    monkeypatch.setattr(ScoringScreen, "on_mount", spy)
    app = app_on(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_site(pilot, 15)
        assert {"j", "n", "p", "0", "slash"} <= mounted[0]
        footer = app.screen.query_one(SteadyFooter)
        first = list(footer.query(FooterKey))
        assert {key.key for key in first} == mounted[0]
        await pilot.press("j", "3", "enter", "k")  # the focus goes to the form and back
        await pilot.pause(SETTLE + 0.3)
        assert list(footer.query(FooterKey)) == first  # the same widgets: not rebuilt


async def test_keys_follow_a_change(demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def disk_full(self: Inspection, *args: object, **kwargs: object) -> object:
        raise WriteFailed("sites/x.json", "No space left on device")

    app = app_on(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_site(pilot, 15)
        footer = app.screen.query_one(SteadyFooter)
        assert "ctrl+s" not in {key.key for key in footer.query(FooterKey)}
        monkeypatch.setattr(Inspection, "set_fields", disk_full)
        await pilot.press("2", "enter")
        await wait_for(pilot, lambda: "ctrl+s" in {key.key for key in footer.query(FooterKey)})


async def test_not_rebuilt_under_a_dialog(demo: Path) -> None:
    app = app_on(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_site(pilot, 15)
        footer = app.screen.query_one(SteadyFooter)
        first = list(footer.query(FooterKey))
        await pilot.press("v")  # the site's summary over the scoring screen
        await until_screen(pilot, "SummaryScreen")
        await pilot.pause(SETTLE + 0.3)
        assert list(footer.query(FooterKey)) == first
        await pilot.press("escape")
        await until_screen(pilot, "ScoringScreen")
        await pilot.pause(SETTLE + 0.3)
        assert list(footer.query(FooterKey)) == first  # back: the same keys, kept



class Under(Screen[None]):
    """A screen whose retry key is shown only while `offered`."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("j", "move", "move"),
                                             Binding("x", "retry", "retry")]

    def __init__(self) -> None:
        super().__init__()
        self.offered = False

    def compose(self) -> ComposeResult:
        yield SteadyFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.offered if action == "retry" else True

    def action_move(self) -> None:
        pass

    def action_retry(self) -> None:
        pass


async def test_a_change_under_another_screen_is_followed_once_back() -> None:
    under = Under()
    app: App[None] = App()
    async with app.run_test(size=(80, 10)) as pilot:
        await app.push_screen(under)
        await pilot.pause(SETTLE + 0.2)
        footer = under.query_one(SteadyFooter)
        first = list(footer.query(FooterKey))
        assert [key.key for key in first] == ["j", "ctrl+p"]
        await app.push_screen(Screen())
        under.offered = True
        under.refresh_bindings()
        await pilot.pause(SETTLE + 0.3)
        assert list(footer.query(FooterKey)) == first  # not rebuilt while not seen
        app.pop_screen()
        await wait_for(pilot, lambda: "x" in [key.key for key in footer.query(FooterKey)])
