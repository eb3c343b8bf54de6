"""The scoring form for one criterion at one site: score, deductions, count, methods, veto,
notes, problems and advice.

The form is built once and shows criterion after criterion (`show`), so moving is quick and
never looks like an edit. It only shows and buffers: edited values wait in `pending` until
the screen takes them to save (at once for a toggle, after a pause while typing).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import HorizontalGroup, VerticalGroup
from textual.message import Message
from textual.widgets import Input, Label

from inspect_tui.core.checklist import Criterion, Method
from inspect_tui.core.i18n import t
from inspect_tui.core.records import Record
from inspect_tui.core.scoring import TargetStatus, target_status
from inspect_tui.core.scoring_rules import Assessment, Outcome, outcome
from inspect_tui.tui.session import field_value
from inspect_tui.tui.text import literal, method_label, number
from inspect_tui.tui.widgets.fields import (
    CheckGroup,
    FieldEdited,
    FieldInvalid,
    FlagField,
    LineField,
    NumberField,
    Parse,
    TextField,
)
from inspect_tui.tui.widgets.one_layout import OneLayout, SteadyLabel
from inspect_tui.tui.widgets.rule_group import RuleGroup

EDITABLE = ("points", "deductions", "count", "methods", "veto", "notes", "problems", "advice",
            "na", "reason", "self_points")
TEXTS = ("notes", "problems", "advice")
LINES = ("na", "reason")


def parse_points(criterion: Criterion) -> Parse:
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


def why_text(o: Outcome) -> str:
    """Where every lost point went, and what still needs doing (one line each)."""
    lines = []
    for loss in o.losses:
        if loss.typed:
            lines.append(t("tui.why.typed", points=number(loss.points),
                           reason=loss.reason or t("tui.why.no_reason")))
        else:
            lines.append(t("tui.why.rule", points=number(loss.points), reason=loss.reason,
                           times=loss.times) + (t("tui.why.capped") if loss.capped else ""))
    if o.capped:
        lines.append(t("tui.why.criterion_capped"))
    if o.zeroed:
        lines.append(t("tui.why.zeroed"))
    if o.unexplained:
        lines.append(t("tui.why.unexplained"))
    if o.target_unmet_full:
        lines.append(t("tui.why.target_unmet_full"))
    if o.vetoed:
        lines.append(t("tui.why.vetoed"))
    return "\n".join(lines)


class RecordEditor(VerticalGroup, OneLayout):
    @dataclass
    class Edited(Message):
        """Something waits in `pending`; `commit` asks to save it now."""

        commit: bool

    def __init__(self, rules: int = 0) -> None:
        """`rules`: the most deduction rules a criterion of the checklist has."""
        super().__init__(id="editor")
        self.rules = rules
        # what Enter in a field does (the screen's: save at once and move on); called here,
        # the first container the field's Submitted reaches, not four message queues later
        self.on_enter: Callable[[], None] | None = None
        self.criterion: Criterion | None = None
        self.record: Record | None = None
        self.pending: dict[str, Any] = {}
        self.state: dict[str, Any] = {}

    def compose(self) -> ComposeResult:
        with HorizontalGroup(classes="field-row"):
            yield Label(t("tui.edit.points"), classes="field-label")
            yield NumberField("points", type="number")
            yield SteadyLabel(id="of-max", classes="unit")
            yield SteadyLabel(id="effective")
        yield SteadyLabel(id="points-problem", classes="problem")
        with HorizontalGroup(classes="field-row", id="reason-row"):
            yield Label(t("tui.edit.reason"), classes="field-label")
            yield LineField("reason", t("tui.edit.reason_placeholder"))
        with HorizontalGroup(classes="field-row", id="na-row"):
            yield Label(t("tui.edit.na"), classes="field-label")
            yield LineField("na", t("tui.edit.na_placeholder"))
        yield SteadyLabel(id="why", classes="why")
        yield SteadyLabel(t("tui.edit.deductions"), classes="group-label", id="deductions-label")
        yield RuleGroup("deductions", rows=self.rules)
        with HorizontalGroup(classes="field-row", id="count-row"):
            yield Label(t("tui.edit.count"), classes="field-label")
            yield NumberField("count", type="integer")
            yield SteadyLabel(id="target-text", classes="unit")
            yield SteadyLabel(id="target-status")
        yield SteadyLabel(id="count-problem", classes="problem")
        with HorizontalGroup(classes="field-row", id="self-row"):
            yield Label(t("tui.edit.self_points"), classes="field-label")
            yield NumberField("self_points", type="number")
        yield SteadyLabel(id="self_points-problem", classes="problem")
        yield Label(t("tui.edit.methods"), classes="group-label")
        yield CheckGroup("methods", [(m.value, method_label(m)) for m in Method],
                         horizontal=True)
        yield FlagField("veto", t("tui.edit.veto"))
        for name in TEXTS:
            yield Label(t(f"tui.edit.{name}"), classes="group-label")
            yield TextField(name)

    async def show(self, criterion: Criterion, record: Record,
                   unsaved: dict[str, Any] | None = None) -> None:
        """Show a record (with values a failed write left behind laid over it)."""
        self.criterion, self.record = criterion, record
        self.pending = dict(unsaved or {})
        s = self.state = {name: field_value(record, name) for name in EDITABLE} | self.pending
        c = criterion
        self.query_one("#points", NumberField).show(s["points"], parse_points(c))
        self.query_one("#of-max", Label).update(t("tui.edit.of_max", max=number(c.max)))
        await self.query_one(RuleGroup).show(c, s["deductions"])
        self.query_one("#deductions-label").display = bool(c.deductions)
        self.query_one("#deductions-label", Label).update(
            t("tui.edit.bonus_items" if c.bonus else "tui.edit.deductions"))
        v2 = c.format >= 2
        self.query_one("#reason-row").display = v2 and not c.bonus
        self.query_one("#na-row").display = c.na_allowed and not c.bonus
        self.query_one("#self-row").display = v2
        for name in LINES:
            self.query_one(f"#{name}", LineField).show(s[name])
        self.query_one("#self_points", NumberField).show(s["self_points"], parse_points(c))
        for part in ("#count-row", "#count-problem"):
            self.query_one(part).display = c.target is not None
        if c.target is not None:
            self.query_one("#count", NumberField).show(s["count"], parse_count)
            self.query_one("#target-text", Label).update(literal(t(
                "tui.edit.target", min=c.target.min, unit=c.target.unit, period=c.target.period)))
        self.query_one("#methods", CheckGroup).show(s["methods"])
        veto = self.query_one("#veto", FlagField)
        veto.display = c.veto
        veto.show(s["veto"])
        for name in TEXTS:
            self.query_one(f"#{name}", TextField).show(s[name])
        for problem in self.query(".problem"):
            problem.display = False
        self._show_derived()

    def take_pending(self) -> dict[str, Any]:
        """What waits to be saved, including what is on screen but not yet reported by its
        widget (a key typed just before quitting or closing the terminal)."""
        self.pending |= {name: value for name, value in self._on_screen().items()
                         if value != self.state[name]}
        values, self.pending = self.pending, {}
        self.state |= values
        return values

    def _on_screen(self) -> dict[str, Any]:
        """The typed values as the widgets hold them now (invalid numbers left out)."""
        shown: dict[str, Any] = {name: self.query_one(f"#{name}", TextField).text
                                 for name in TEXTS}
        shown |= {name: self.query_one(f"#{name}", LineField).value.strip() for name in LINES}
        fields = ["points", "self_points"] + (
            ["count"] if self.criterion and self.criterion.target else [])
        for name in fields:
            field = self.query_one(f"#{name}", NumberField)
            with contextlib.suppress(ValueError):  # an invalid number is not saved
                shown[name] = field.parse(field.value)
        return shown

    def keep_pending(self, values: dict[str, Any]) -> None:
        """Values that could not be saved wait again (newer edits win)."""
        self.pending = values | self.pending

    def saved(self, record: Record) -> None:
        self.record = record
        self._show_derived()

    @on(FieldEdited)
    def _edited(self, event: FieldEdited) -> None:
        event.stop()
        if self.criterion is None:
            return
        if event.value != self.state[event.field] or event.field in self.pending:
            self.state[event.field] = event.value
            self.pending[event.field] = event.value
            if event.field not in TEXTS:  # the score and target status follow these
                self._show_derived()
        if self.pending:
            self.post_message(self.Edited(event.commit))

    @on(Input.Submitted, "#points, #count, #reason, #na, #self_points")
    def _entered(self, event: Input.Submitted) -> None:
        if self.on_enter is not None:
            event.stop()
            self.on_enter()

    @on(FieldInvalid)
    def _invalid(self, event: FieldInvalid) -> None:
        event.stop()
        problem = self.query_one(f"#{event.field}-problem", Label)
        if not event.problem and not problem.display:
            return  # still valid: nothing to redraw (each key in the field says so)
        problem.update(literal(event.problem))  # it quotes what was typed
        problem.display = bool(event.problem)

    def _show_derived(self) -> None:
        s, c = self.state, self.criterion
        assert c is not None
        o = outcome(c, Assessment(s["points"], tuple(s["deductions"]), s["count"], s["veto"],
                                  na=s["na"], reason=s["reason"]))
        how = ("tui.edit.na_shown" if o.na else
               "tui.edit.typed" if s["points"] is not None else
               "tui.edit.by_deductions" if o.score is not None else "tui.edit.unscored")
        self.query_one("#effective", Label).update(
            t(how, score=number(o.score), max=number(c.max)))
        why = why_text(o)
        self.query_one("#why", Label).update(literal(why))
        self.query_one("#why").display = bool(why)
        status = target_status(c, s["count"])
        label = self.query_one("#target-status", Label)
        label.update(t(f"tui.target.{status.value}"))
        label.set_class(status is TargetStatus.MET, "met")
        label.set_class(status is TargetStatus.UNMET, "unmet")
