"""Saving for the scoring screen: every edit goes through the session at once (a toggle,
Enter, leaving a field) or after a short pause in typing; undo; retry after a failed write.

A failed write keeps the value on screen and marks the criterion, and the retry key appears
in the Footer until everything is saved.
"""

from __future__ import annotations

from textual import on
from textual.screen import Screen
from textual.timer import Timer

from inspect_tui.core.checklist import Criterion
from inspect_tui.core.errors import InspectError
from inspect_tui.core.i18n import t
from inspect_tui.core.records import Record, Site
from inspect_tui.store.errors import WriteFailed
from inspect_tui.tui.session import Session
from inspect_tui.tui.widgets.criterion_detail import CriterionDetail
from inspect_tui.tui.widgets.criterion_tree import CriterionTree
from inspect_tui.tui.widgets.evidence_panel import EvidencePanel
from inspect_tui.tui.widgets.record_editor import RecordEditor
from inspect_tui.tui.widgets.site_bar import SiteBar

SAVE_PAUSE = 0.8  # seconds of no typing after which typed text is saved


class SavingScreen(Screen[None]):
    """The scoring screen's saving half (the layout and the moving are in ScoringScreen)."""

    def __init__(self, session: Session, site: Site) -> None:
        super().__init__()
        self.session = session
        self.site = site
        self._save_timer: Timer | None = None
        self._retry_offered = False

    @property
    def tree(self) -> CriterionTree:
        return self.query_one(CriterionTree)

    @property
    def editor(self) -> RecordEditor | None:
        return self.query_one(CriterionDetail).editor

    @property
    def criterion(self) -> Criterion | None:
        return self.tree.criterion

    async def show_item(self) -> None:
        """Show what the tree cursor is on."""
        node = self.tree.cursor_node
        if node is not None and node.data is not None:
            await self.query_one(CriterionDetail).show(node.data)

    def _show_progress(self) -> None:
        self.query_one(SiteBar).show_result(self.session.inspection.result(self.site.site_id))

    # ---- saving --------------------------------------------------------------------------

    @on(RecordEditor.Edited)
    def _edited(self, event: RecordEditor.Edited) -> None:
        if self._save_timer is not None:
            self._save_timer.stop()
        if event.commit:
            self.flush_edits()
        else:
            self._save_timer = self.set_timer(SAVE_PAUSE, self.flush_edits)

    def flush_edits(self) -> None:
        """Save what the form holds unsaved (nothing is written when nothing changed)."""
        editor = self.editor
        values = editor.take_pending() if editor else {}
        if editor is None or not values:
            return
        try:
            record = self.session.save(self.site.site_id, editor.criterion.id, values)
        except WriteFailed as exc:
            editor.keep_pending(values)
            self._failed(exc, editor.record)
        except InspectError as exc:
            self.notify(str(exc), severity="error", timeout=8)
        else:
            editor.saved(record)
            self._saved(record)

    @on(EvidencePanel.Changed)
    def _evidence_changed(self, event: EvidencePanel.Changed) -> None:
        self._saved(event.record)

    def _saved(self, record: Record) -> None:
        self.tree.update_record(record)
        self.query_one(SiteBar).saved(self.session.saved_at)
        self._show_progress()
        self._offer_retry()

    def _failed(self, exc: InspectError, record: Record) -> None:
        self.tree.update_record(record, unsaved=True)
        self.query_one(SiteBar).failed()
        self.notify(str(exc), severity="error", timeout=15)
        self._offer_retry()

    def _offer_retry(self) -> None:
        """The retry key is in the Footer only while a failed save waits."""
        if self._retry_offered != bool(self.session.unsaved):
            self._retry_offered = bool(self.session.unsaved)
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "retry":
            return bool(self.session.unsaved)  # shown only after a failed save
        return True

    async def action_undo(self) -> None:
        self.flush_edits()
        try:
            undone = self.session.undo()
        except InspectError as exc:
            self.notify(str(exc), severity="error", timeout=15)
            return
        if undone is None:
            self.notify(t("tui.scoring.nothing_to_undo"))
            return
        (site_id, criterion_id), record = undone
        site = self.session.inspection.site(site_id).name
        self.notify(t("tui.scoring.undone", site=site, id=criterion_id))
        if site_id != self.site.site_id:
            return
        self._saved(record)
        if self.criterion is not None and self.criterion.id == criterion_id:
            await self.show_item()
        else:
            self.tree.select_criterion(criterion_id)

    async def action_retry(self) -> None:
        self.flush_edits()
        try:
            self.session.retry_unsaved()
        except InspectError as exc:
            self.notify(str(exc), severity="error", timeout=15)
            return
        for cid in list(self.tree.unsaved):
            self._saved(self.session.record(self.site.site_id, cid))
        await self.show_item()

