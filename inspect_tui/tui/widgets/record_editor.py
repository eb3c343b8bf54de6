"""The scoring form for one criterion at one site: score, deductions, count, methods, veto,
notes, problems, advice and evidence.

The editor only shows and buffers: edited values wait in `pending` until the screen takes
them to save (it decides when: at once for a toggle, after a pause while typing).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import HorizontalGroup, VerticalGroup
from textual.message import Message
from textual.widgets import Label

from inspect_tui.core.checklist import Criterion, Method
from inspect_tui.core.i18n import t
from inspect_tui.core.records import Record
from inspect_tui.core.scoring import Assessment, TargetStatus, criterion_score, target_status
from inspect_tui.tui.session import field_value
from inspect_tui.tui.text import method_label, number
from inspect_tui.tui.widgets.fields import (
    CheckGroup,
    FieldEdited,
    FieldInvalid,
    FlagField,
    NumberField,
    TextField,
)

EDITABLE = ("points", "deductions", "count", "methods", "veto", "notes", "problems", "advice")


def parse_points(criterion: Criterion):  # type: ignore[no-untyped-def]
    def parse(text: str) -> float | None:
        if not text.strip():
            return None
        try:
            value = float(text)
        except ValueError:
            raise ValueError(t("tui.edit.not_a_number", text=text)) from None
        if not 0 <= value <= criterion.max:
            raise ValueError(t("record.points_range", value=f"{value:g}",
                               max=number(criterion.max)))
        return value
    return parse


def parse_count(text: str) -> int | None:
    if not text.strip():
        return None
    if not text.strip().isdigit():
        raise ValueError(t("tui.edit.not_a_count", text=text))
    return int(text)


class RecordEditor(VerticalGroup):
    @dataclass
    class Edited(Message):
        """Something waits in `pending`; `commit` asks to save it now."""

        commit: bool

    def __init__(self, criterion: Criterion, record: Record,
                 unsaved: dict[str, Any] | None = None) -> None:
        super().__init__(id="editor")
        self.criterion = criterion
        self.record = record
        self.pending: dict[str, Any] = dict(unsaved or {})
        self.state = {name: field_value(record, name) for name in EDITABLE} | self.pending

    def compose(self) -> ComposeResult:
        c, s = self.criterion, self.state
        with HorizontalGroup(classes="field-row"):
            yield Label(t("tui.edit.points"), classes="field-label")
            yield NumberField("points", s["points"], parse_points(c), type="number",
                              placeholder="-")
            yield Label(t("tui.edit.of_max", max=number(c.max)), classes="unit")
            yield Label(id="effective")
        yield Label(id="points-problem", classes="problem")
        if c.deductions:
            yield Label(t("tui.edit.deductions"), classes="group-label")
            yield CheckGroup("deductions", [
                (i, t("tui.edit.deduction", points=number(d.points), reason=d.reason))
                for i, d in enumerate(c.deductions)], s["deductions"])
        if c.target is not None:
            with HorizontalGroup(classes="field-row"):
                yield Label(t("tui.edit.count"), classes="field-label")
                yield NumberField("count", s["count"], parse_count, type="integer",
                                  placeholder="-")
                yield Label(t("tui.edit.target", min=c.target.min, unit=c.target.unit,
                              period=c.target.period), classes="unit")
                yield Label(id="target-status")
            yield Label(id="count-problem", classes="problem")
        yield Label(t("tui.edit.methods"), classes="group-label")
        yield CheckGroup("methods", [(m.value, method_label(m)) for m in Method],
                             s["methods"], horizontal=True)
        if c.veto:
            yield FlagField("veto", t("tui.edit.veto"), s["veto"])
        for name in ("notes", "problems", "advice"):
            yield Label(t(f"tui.edit.{name}"), classes="group-label")
            yield TextField(name, s[name])

    def on_mount(self) -> None:
        for problem in self.query(".problem"):
            problem.display = False
        self._show_derived()

    def take_pending(self) -> dict[str, Any]:
        values, self.pending = self.pending, {}
        return values

    def keep_pending(self, values: dict[str, Any]) -> None:
        """Values that could not be saved wait again (newer edits win)."""
        self.pending = values | self.pending

    def saved(self, record: Record) -> None:
        self.record = record
        self._show_derived()

    @on(FieldEdited)
    def _edited(self, event: FieldEdited) -> None:
        event.stop()
        if event.value != self.state[event.field] or event.field in self.pending:
            self.state[event.field] = event.value
            self.pending[event.field] = event.value
            self._show_derived()
        if self.pending:
            self.post_message(self.Edited(event.commit))

    @on(FieldInvalid)
    def _invalid(self, event: FieldInvalid) -> None:
        event.stop()
        for problem in self.query(f"#{event.field}-problem").results(Label):
            problem.update(event.problem)
            problem.display = bool(event.problem)

    def _show_derived(self) -> None:
        s, c = self.state, self.criterion
        a = Assessment(s["points"], frozenset(s["deductions"]), s["count"], s["veto"])
        score = criterion_score(c, a)
        how = ("tui.edit.typed" if s["points"] is not None else
               "tui.edit.by_deductions" if s["deductions"] else "tui.edit.unscored")
        self.query_one("#effective", Label).update(
            t(how, score=number(score), max=number(c.max)))
        status = target_status(c, s["count"])
        for label in self.query("#target-status").results(Label):
            label.update(t(f"tui.target.{status.value}"))
            label.set_class(status is TargetStatus.MET, "met")
            label.set_class(status is TargetStatus.UNMET, "unmet")
