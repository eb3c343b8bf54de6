"""Joining from the lead's setup pack, and asking once who is at the keyboard.

Both dialogs pick a name from the team list (names are outside text: shown literally). The
join itself runs on the UI thread, which owns the store: a setup pack holds one small file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from inspect_tui.core.errors import InspectError
from inspect_tui.core.i18n import t
from inspect_tui.store.identity import valid_name
from inspect_tui.store.setup_pack import SetupInfo, read_setup
from inspect_tui.tui.screens.dialog import Dialog
from inspect_tui.tui.text import literal
from inspect_tui.tui.widgets.path_suggester import PathSuggester

Join = Callable[[Path, str], str]  # (setup pack, name) -> the joined inspection's id


def _names(names: tuple[str, ...] | list[str]) -> OptionList:
    return OptionList(*[Option(literal(n), id=f"name-{i}") for i, n in enumerate(names)],
                      id="choices")


class JoinDialog(Dialog[str]):
    """Read a setup pack by path, pick your name from its team, join; returns the inspection
    id (None if cancelled)."""

    def __init__(self, join: Join) -> None:
        super().__init__(t("team.tui.join_title"))
        self.join = join
        self.info: SetupInfo | None = None

    def body(self) -> ComposeResult:
        yield Label(t("team.tui.join_path"))
        yield Input(id="join-path", placeholder=t("team.tui.join_path_hint"),
                    suggester=PathSuggester(), compact=True)
        yield Label(id="join-pack")
        yield Label(t("team.tui.join_who"))
        yield _names([])

    def on_mount(self) -> None:
        self.query_one("#join-path").focus()

    @on(Input.Submitted, "#join-path")
    def read_pack(self, event: Input.Submitted) -> None:
        names = self.query_one(OptionList)
        names.clear_options()
        self.info = None
        self.query_one("#join-pack", Label).update("")
        try:
            info = read_setup(Path(event.value.strip()).expanduser())
        except InspectError as exc:
            self.show_problem(str(exc))
            return
        self.show_problem("")
        self.info = info
        self.query_one("#join-pack", Label).update(literal(t(
            "team.tui.join_pack", title=info.title, sites=len(info.sites), lead=info.lead.name,
            fingerprint=info.lead.fingerprint)))
        names.add_options([Option(literal(n), id=f"name-{i}")
                           for i, n in enumerate(info.names)])
        names.highlighted = 0
        names.focus()

    @on(OptionList.OptionSelected)
    def picked(self) -> None:
        self.submit()

    def submit(self) -> None:
        names = self.query_one(OptionList)
        if self.info is None or names.highlighted is None:
            self.show_problem(t("team.tui.join_no_pack"))
            return
        name = self.info.names[names.highlighted]
        try:
            inspection_id = self.join(self.info.path, name)
        except InspectError as exc:
            self.show_problem(str(exc))
            return
        self.dismiss(inspection_id)


class WhoDialog(Dialog[str]):
    """Who is at the keyboard: a name from the team, or typed; returns it (None: cancelled)."""

    def __init__(self, team: list[str]) -> None:
        super().__init__(t("team.tui.who_title"))
        self.team = team

    def body(self) -> ComposeResult:
        yield Label(t("team.tui.who_note"))
        if self.team:
            yield _names(self.team)
        yield Label(t("team.tui.who_other"))
        yield Input(id="who-name", compact=True)

    def on_mount(self) -> None:
        if self.team:
            names = self.query_one(OptionList)
            names.highlighted = 0
            names.focus()
        else:
            self.query_one("#who-name").focus()

    @on(OptionList.OptionSelected)
    def picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.team[event.option_index])

    @on(Input.Submitted, "#who-name")
    def typed(self) -> None:
        self.submit()

    def submit(self) -> None:
        typed = self.query_one("#who-name", Input).value
        if not typed.strip() and self.team:
            highlighted = self.query_one(OptionList).highlighted
            if highlighted is not None:
                self.dismiss(self.team[highlighted])
                return
        if not typed.strip():
            self.show_problem(t("team.tui.who_none"))
            return
        try:
            self.dismiss(valid_name(typed))
        except InspectError as exc:
            self.show_problem(str(exc))
