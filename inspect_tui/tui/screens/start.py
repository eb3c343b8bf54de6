"""Starting out: pick one of the workspace's inspections, or create one from a checklist."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Button, Input, Label, OptionList, Select
from textual.widgets.option_list import Option

from inspect_tui.core.checklist_loader import load_checklist
from inspect_tui.core.errors import ChecklistError
from inspect_tui.core.i18n import t
from inspect_tui.paths import shipped_checklists
from inspect_tui.tui.screens.dialog import Dialog
from inspect_tui.tui.text import literal

NEW = "\0new"  # the "create a new inspection" choice
JOIN = "\0join"  # the "join from the lead's setup pack" choice


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


Create = Callable[[Path, str, list[str], str], object]  # checklist, title, team, your name


class NewInspectionDialog(Dialog[bool | str]):
    """Create an inspection from a shipped checklist: title and team are asked for, and your
    name when the workspace does not know it yet (`ask_name`). In an empty workspace
    (`can_join`) a button offers to join from the lead's setup pack instead: returns JOIN."""

    def __init__(self, create: Create, author: str, *, can_join: bool = False,
                 ask_name: bool = False) -> None:
        super().__init__(t("tui.start.new_title"))
        self.create = create
        self.author = author
        self.ask_name = ask_name
        if can_join:
            self.BUTTONS = ("ok", "join", "cancel")

    def body(self) -> ComposeResult:
        if self.ask_name:
            yield Label(t("team.tui.your_name"))
            yield Input(id="who-name", compact=True)
        choices = checklist_choices()
        yield Label(t("tui.start.checklist"))
        yield Select(choices, id="checklist", allow_blank=False, compact=True,
                     value=choices[0][1] if choices else Select.BLANK)
        yield Button(t("ctable.tui.button"), id="table-import", compact=True)
        yield Label(t("tui.start.inspection_title"))
        yield Input(id="title", placeholder=t("tui.start.title_hint"), compact=True)
        yield Label(t("tui.start.team"))
        yield Input(self.author, id="team", placeholder=t("tui.start.team_hint"),
                    compact=True)

    def on_mount(self) -> None:
        self.query_one("#who-name" if self.ask_name else "#title").focus()

    @on(Button.Pressed, "#join")
    def join(self) -> None:
        self.dismiss(JOIN)

    @on(Button.Pressed, "#table-import")
    def import_table(self) -> None:
        """从 Excel/WPS 表导入…: the checklist it saves becomes the one chosen here."""
        from inspect_tui.tui.screens.table_import import TableImportDialog  # loads openpyxl

        def imported(path: Path | None) -> None:
            if path is None:
                return
            select = self.query_one("#checklist", Select)
            checklist = load_checklist(path)
            select.set_options([*checklist_choices(),
                                (literal(f"{checklist.title}（{path.name}）"), path)])
            select.value = path
            self.query_one("#title", Input).focus()

        self.app.push_screen(TableImportDialog(), imported)

    @on(Input.Submitted)
    def submit(self) -> None:
        name = self.query_one("#who-name", Input).value.strip() if self.ask_name else ""
        checklist = self.query_one("#checklist", Select).value
        title = self.query_one("#title", Input).value.strip()
        team = [n.strip() for n in self.query_one("#team", Input).value.replace("，", ",")
                .split(",") if n.strip()]
        if self.ask_name and not name:
            self.show_problem(t("team.tui.who_none"))
        elif not isinstance(checklist, Path):
            self.show_problem(t("tui.start.no_checklist"))
        elif not title:
            self.show_problem(t("tui.start.no_title"))
        elif self.attempt(self.create, checklist, title, team, name):
            self.dismiss(True)
