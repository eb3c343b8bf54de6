"""Enter in a field of the form is acted on by the form itself (saved at once, the focus back
on the tree), not after its message has gone through four more queues to the screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.message import Message
from textual.message_pump import MessagePump
from textual.widgets import Input

from inspect_tui.tui.screens.scoring import ScoringScreen
from tests.tui.helpers import app_on
from tests.tui.test_scoring import open_site


async def test_enter_is_handled_where_it_first_arrives(demo: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    reached: list[str] = []  # the widgets an Input.Submitted was handled by
    dispatch = MessagePump._dispatch_message

    async def spy(self: MessagePump, message: Message) -> None:
        if isinstance(message, Input.Submitted):
            reached.append(type(self).__name__)
        await dispatch(self, message)

    monkeypatch.setattr(MessagePump, "_dispatch_message", spy)
    app = app_on(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        tree = await open_site(pilot, 15)
        screen = app.screen
        assert isinstance(screen, ScoringScreen)
        criterion = tree.criterion
        assert criterion is not None and app.session is not None
        await pilot.press("2", "enter")
        assert reached == ["NumberField", "HorizontalGroup", "RecordEditor"]  # and no further
        assert app.session.record(screen.site.site_id, criterion.id).points == 2.0
        assert app.focused is tree
        assert "已保存" in str(screen.query_one("#save-state").render())
        await pilot.press("j", "1")  # keys move around again, and the next score goes in
        assert tree.criterion is not criterion
        assert screen.query_one("#points", Input).value == "1"
