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
from textual.containers import HorizontalGroup, VerticalGroup
from textual.widgets import Checkbox, Input, Label

from inspect_tui.core.checklist import Criterion, Shortfall
from inspect_tui.core.i18n import t
from inspect_tui.tui.text import literal, number
from inspect_tui.tui.widgets.fields import FieldEdited


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


def _row(kind: str, index: int) -> HorizontalGroup:
    """An empty row for rule `index` (its name says which rule it edits)."""
    if kind == "box":
        return HorizontalGroup(Checkbox(compact=True, name=str(index)), classes="rule-row")
    if kind == "times":
        return HorizontalGroup(Input(compact=True, type="integer", placeholder="0",
                                     name=str(index), classes="rule-times"),
                               Label(t("tui.rules.times")), Label(classes="rule-label"),
                               classes="rule-row")
    return HorizontalGroup(Label(classes="rule-label"), classes="rule-row")


class RuleGroup(VerticalGroup):
    def __init__(self, field: str = "deductions") -> None:
        super().__init__(id=field)
        self.field = field
        self.criterion: Criterion | None = None
        self.times: Counter[int] = Counter()
        self._layout: tuple[str, ...] | None = None

    async def show(self, criterion: Criterion, ticked: Sequence[int]) -> None:
        """Offer this criterion's rules with these ticks. Rows are rebuilt only when the
        kinds of rows differ from the last criterion's (moving must stay quick)."""
        self.criterion, self.times = criterion, Counter(ticked)
        layout = tuple(_row_kind(criterion, i) for i in range(len(criterion.deductions)))
        if layout != self._layout:
            await self.remove_children()
            await self.mount_all(_row(kind, i) for i, kind in enumerate(layout))
            self._layout = layout
        with self.prevent(Checkbox.Changed, Input.Changed):
            for i, (kind, row) in enumerate(zip(layout, self.children, strict=True)):
                label = _label(criterion, i)
                if kind == "box":
                    box = row.query_one(Checkbox)
                    box.label, box.value = label, self.times[i] > 0
                    continue
                row.query_one(".rule-label", Label).update(label)
                if kind == "times":
                    field = row.query_one(Input)
                    field.value = str(self.times[i] or "")

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
