"""Starting out: pick one of the workspace's inspections, or create one from a checklist."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Input, Label, OptionList, Select
from textual.widgets.option_list import Option

from inspect_tui.core.checklist_loader import load_checklist
from inspect_tui.core.errors import ChecklistError
from inspect_tui.core.i18n import t
from inspect_tui.paths import shipped_checklists
from inspect_tui.tui.screens.dialog import Dialog
from inspect_tui.tui.text import literal

NEW = "\0new"  # the "create a new inspection" choice


class PickInspectionDialog(Dialog[str]):
    """Returns an inspection id, or NEW."""

    def __init__(self, inspection_ids: list[str]) -> None:
        super().__init__(t("tui.start.pick_title"))
        self.inspection_ids = inspection_ids

    def body(self) -> ComposeResult:
        options = [Option(literal(i), id=i) for i in self.inspection_ids]  # folder names
        yield OptionList(*options, Option(t("tui.start.new_option"), id=NEW), id="choices")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def submit(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None:
            self.dismiss(options.get_option_at_index(options.highlighted).id)


def checklist_choices() -> list[tuple[Text, Path]]:
    choices = []
    for path in shipped_checklists():
        with contextlib.suppress(ChecklistError):
            checklist = load_checklist(path)
            choices.append((literal(f"{checklist.title}（{checklist.id}）"), path))
    return choices


Create = Callable[[Path, str, list[str]], object]


class NewInspectionDialog(Dialog[bool]):
    """Create an inspection from a shipped checklist: title and team are asked for."""

    def __init__(self, create: Create, author: str) -> None:
        super().__init__(t("tui.start.new_title"))
        self.create = create
        self.author = author

    def body(self) -> ComposeResult:
        choices = checklist_choices()
        yield Label(t("tui.start.checklist"))
        yield Select(choices, id="checklist", allow_blank=False, compact=True,
                     value=choices[0][1] if choices else Select.BLANK)
        yield Label(t("tui.start.inspection_title"))
        yield Input(id="title", placeholder=t("tui.start.title_hint"), compact=True)
        yield Label(t("tui.start.team"))
        yield Input(self.author, id="team", placeholder=t("tui.start.team_hint"),
                    compact=True)

    def on_mount(self) -> None:
        self.query_one("#title").focus()

    @on(Input.Submitted)
    def submit(self) -> None:
        checklist = self.query_one("#checklist", Select).value
        title = self.query_one("#title", Input).value.strip()
        team = [n.strip() for n in self.query_one("#team", Input).value.replace("，", ",")
                .split(",") if n.strip()]
        if not isinstance(checklist, Path):
            self.show_problem(t("tui.start.no_checklist"))
        elif not title:
            self.show_problem(t("tui.start.no_title"))
        elif self.attempt(self.create, checklist, title, team):
            self.dismiss(True)
