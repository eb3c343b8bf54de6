"""The deduction (or bonus) rules of one criterion: a tick box for a rule that counts once, a
times field for one that repeats (每…扣N分), and a read-only line for one the count drives.

The value is the multiset of ticked rule indices the store keeps ([0, 0, 3]: rule 0 twice,
rule 3 once), so repeats set elsewhere (the CLI, another laptop) survive any edit here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import HorizontalGroup, VerticalGroup
from textual.widgets import Checkbox, Input, Label

from inspect_tui.core.checklist import Criterion, Shortfall
from inspect_tui.core.i18n import t
from inspect_tui.tui.text import literal, number
from inspect_tui.tui.widgets.fields import FieldEdited
from inspect_tui.tui.widgets.one_layout import OneLayout, SteadyCheckbox, SteadyLabel


def _label(criterion: Criterion, index: int) -> Text:
    d = criterion.deductions[index]
    key = "tui.rules.bonus" if criterion.bonus else "tui.edit.deduction"
    text = t(key, points=number(d.points), reason=d.reason)
    if d.per:
        text += t("tui.rules.per", unit=d.per)
    if d.cap is not None:
        text += t("tui.rules.cap", cap=number(d.cap))
    if d.zero:
        text += t("tui.rules.zero")
    if d.veto:
        text += t("tui.rules.veto")
    if d.shortfall is not Shortfall.NONE:
        text += t("tui.rules.by_count")
    return literal(text)


def _row_kind(criterion: Criterion, index: int) -> str:
    d = criterion.deductions[index]
    if d.shortfall is not Shortfall.NONE and criterion.format >= 2:
        return "auto"  # the count drives it: shown, not edited
    return "times" if d.repeats else "box"


class RuleRow(HorizontalGroup, OneLayout):
    """Rule `index`'s row, with the parts of every kind of row; `show` displays one kind's.

    Built once: moving between criteria only fills and hides parts (no mounting, which
    would cost a frame or two per key). The parts are kept, so a row can be filled before
    it is mounted."""

    def __init__(self, index: int) -> None:
        super().__init__(classes="rule-row")
        self.box = SteadyCheckbox(compact=True, name=str(index))
        self.field = Input(compact=True, type="integer", placeholder="0", name=str(index),
                           classes="rule-times")
        self.unit = Label(t("tui.rules.times"), classes="times-unit")
        self.label = SteadyLabel(classes="rule-label")

    def compose(self) -> ComposeResult:
        yield from (self.box, self.field, self.unit, self.label)

    def show(self, kind: str, label: Text, times: int) -> None:
        self.box.display = kind == "box"
        self.field.display = self.unit.display = kind == "times"
        self.label.display = kind != "box"
        if kind == "box":
            self.box.label, self.box.value = label, times > 0
        else:
            self.label.update(label)
        if kind == "times":
            self.field.value = str(times or "")


class RuleGroup(VerticalGroup, OneLayout):
    def __init__(self, field: str = "deductions", rows: int = 0) -> None:
        """`rows`: the most rules any criterion has (more are added if one has more)."""
        super().__init__(id=field)
        self.field = field
        self.criterion: Criterion | None = None
        self.times: Counter[int] = Counter()
        self._rows = rows

    def compose(self) -> ComposeResult:
        yield from (RuleRow(i) for i in range(self._rows))

    async def show(self, criterion: Criterion, ticked: Sequence[int]) -> None:
        """Offer this criterion's rules with these ticks, in the rows already there (awaits
        only when a criterion has more rules than any before it)."""
        self.criterion, self.times = criterion, Counter(ticked)
        rows = list(self.query_children(RuleRow))
        if len(rows) < len(criterion.deductions):
            more = [RuleRow(i) for i in range(len(rows), len(criterion.deductions))]
            await self.mount_all(more)
            rows += more
        with self.prevent(Checkbox.Changed, Input.Changed):
            for i, row in enumerate(rows):
                row.display = i < len(criterion.deductions)
                if row.display:
                    row.show(_row_kind(criterion, i), _label(criterion, i), self.times[i])

    @property
    def value(self) -> list[int]:
        return sorted(self.times.elements())

    def _post(self, commit: bool) -> None:
        self.post_message(FieldEdited(self.field, self.value, commit))

    @on(Checkbox.Changed)
    def _toggled(self, event: Checkbox.Changed) -> None:
        event.stop()
        self.times[int(event.checkbox.name or 0)] = int(event.value)
        self._post(commit=True)

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        text = event.value.strip()
        self.times[int(event.input.name or 0)] = int(text) if text.isdigit() else 0
        self._post(commit=False)

    @on(Input.Submitted)
    @on(Input.Blurred)
    def _done(self, event: Any) -> None:
        if isinstance(event, Input.Blurred):
            event.stop()
        self._post(commit=True)
