"""The right side of the scoring screen: the criterion's text, its form and its evidence
(or, on a section, the section's outline)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalGroup, VerticalScroll

from inspect_tui.core.checklist import Criterion, Section
from inspect_tui.tui.session import Session
from inspect_tui.tui.widgets.criterion_text import CriterionText
from inspect_tui.tui.widgets.evidence_panel import EvidencePanel
from inspect_tui.tui.widgets.kept_scrollbar import KeptScrollBars
from inspect_tui.tui.widgets.one_layout import OneLayout
from inspect_tui.tui.widgets.record_editor import RecordEditor


class EditorSlot(VerticalGroup, OneLayout):
    """The form and the evidence (hidden on a section)."""


class CriterionDetail(VerticalScroll, OneLayout, KeptScrollBars):
    def __init__(self, session: Session, site_id: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.session = session
        self.site_id = site_id
        self.item: Criterion | Section | None = None  # what is shown

    def compose(self) -> ComposeResult:
        yield CriterionText(self.session.inspection.checklist, id="criterion-text")
        with EditorSlot(id="editor-slot"):
            rules = max((len(c.deductions) for c in self.session.inspection.checklist.criteria),
                        default=0)
            yield RecordEditor(rules)
            yield EvidencePanel(self.session)

    @property
    def editor(self) -> RecordEditor | None:
        """The form, when a criterion (not a section) is shown."""
        editor = self.query_one(RecordEditor)
        return editor if editor.criterion is not None else None

    async def show(self, item: Criterion | Section) -> None:
        """Show a criterion with its record (and any values a failed save left), or a section."""
        self.item = item
        self.query_one(CriterionText).show(item)
        editor = self.query_one(RecordEditor)
        self.query_one("#editor-slot").display = isinstance(item, Criterion)
        if isinstance(item, Criterion):
            key = (self.site_id, item.id)
            await editor.show(item, self.session.record(*key), self.session.unsaved.get(key))
            await self.query_one(EvidencePanel).show(*key)
        else:
            editor.criterion = None
        self.scroll_home(animate=False)
