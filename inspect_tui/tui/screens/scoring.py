"""Score one site: the checklist tree on the left, the chosen criterion and its form on the right.

Every edit is saved through the session at once (a toggle, Enter, leaving a field) or after a
short pause in typing; moving between criteria only reads. A failed write keeps the value on
screen and marks the criterion, so nothing typed is lost.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Header, Input, Tree

from inspect_tui.core.checklist import Criterion
from inspect_tui.core.errors import InspectError
from inspect_tui.core.i18n import t
from inspect_tui.core.records import Record, Site
from inspect_tui.store.errors import WriteFailed
from inspect_tui.tui.bindings import localize_bindings
from inspect_tui.tui.screens.history import HistoryDialog
from inspect_tui.tui.screens.summary import SummaryScreen
from inspect_tui.tui.session import Session
from inspect_tui.tui.text import HEADER_ICON
from inspect_tui.tui.widgets.criterion_detail import CriterionDetail
from inspect_tui.tui.widgets.criterion_tree import CriterionTree
from inspect_tui.tui.widgets.evidence_panel import EvidencePanel
from inspect_tui.tui.widgets.record_editor import RecordEditor
from inspect_tui.tui.widgets.site_bar import SiteBar

UNSCORED = Binding.Group("tui.key.unscored", compact=True)
SAVE_PAUSE = 0.8  # seconds of no typing after which typed text is saved


class ScoringScreen(Screen[None]):
    """Focus moves made by keys use `set_focus` (at once), not `focus()` (queued after the
    keys already typed): "3 Enter" typed in one burst must reach the score field."""

    CSS_PATH = "scoring.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "tui.key.back"),
        Binding("n", "next_unscored", "tui.key.next_unscored", group=UNSCORED),
        Binding("p", "previous_unscored", "tui.key.previous_unscored", group=UNSCORED),
        Binding("0", "type_score('0')", "tui.key.score", key_display="0-9"),
        *(Binding(str(d), f"type_score('{d}')", show=False) for d in range(1, 10)),
        Binding("slash", "search", "tui.key.search", key_display="/"),
        Binding("e", "attach", "tui.key.attach", show=False),
        Binding("h", "history", "tui.key.history", show=False),
        Binding("v", "summary", "tui.key.summary", show=False),
        Binding("ctrl+z", "undo", "tui.key.undo", show=False),
        Binding("ctrl+s", "retry", "tui.key.retry"),
    ]

    def __init__(self, session: Session, site: Site) -> None:
        super().__init__()
        localize_bindings(self)
        self.session = session
        self.site = site
        self._save_timer: Timer | None = None
        self._retry_offered = False
        self.sub_title = self.site.name

    def compose(self) -> ComposeResult:
        inspection = self.session.inspection
        unsaved = {cid for (sid, cid) in self.session.unsaved if sid == self.site.site_id}
        yield Header(icon=HEADER_ICON)
        yield SiteBar(self.site, id="site-bar")
        with Horizontal(id="body"):
            yield CriterionTree(inspection.checklist, inspection.records(self.site.site_id),
                                unsaved, id="tree")
            yield CriterionDetail(self.session, self.site.site_id, id="detail")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._show_progress()
        self.query_one(SiteBar).saved(self.session.saved_at)
        tree = self.tree
        tree.focus()
        tree.select_criterion(tree.find_unscored() or self.session.inspection.checklist
                              .criteria[0].id)
        self.call_after_refresh(self._scroll_tree)

    def _scroll_tree(self) -> None:
        """Before the first layout the tree scrolled blindly; show the cursor from the top."""
        tree = self.tree
        tree.scroll_home(animate=False, immediate=True)
        if tree.cursor_node is not None:
            tree.scroll_to_node(tree.cursor_node, animate=False)

    # ---- parts ---------------------------------------------------------------------------

    @property
    def tree(self) -> CriterionTree:
        return self.query_one(CriterionTree)

    @property
    def editor(self) -> RecordEditor | None:
        return self.query_one(CriterionDetail).editor

    @property
    def criterion(self) -> Criterion | None:
        return self.tree.criterion

    def _show_progress(self) -> None:
        self.query_one(SiteBar).show_result(self.session.inspection.result(self.site.site_id))

    async def show_item(self) -> None:
        """Show what the tree cursor is on."""
        node = self.tree.cursor_node
        if node is not None and node.data is not None:
            await self.query_one(CriterionDetail).show(node.data)

    @on(Tree.NodeHighlighted)
    async def _moved(self) -> None:
        self.flush_edits()
        await self.show_item()

    @on(Tree.NodeSelected)
    def _chosen(self, event: Tree.NodeSelected[object]) -> None:
        if isinstance(event.node.data, Criterion):
            self.set_focus(self.query_one("#points"))

    @on(Input.Submitted, "#points, #count")
    def _entered(self) -> None:
        self.set_focus(self.tree)  # Enter saves the number; the keys move around again

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

    # ---- actions -------------------------------------------------------------------------

    def action_back(self) -> None:
        if self.focused is not self.tree:
            self.set_focus(self.tree)
            return
        self.flush_edits()
        self.dismiss()

    def _go(self, criterion_id: str | None) -> None:
        if criterion_id is None:
            self.notify(t("tui.scoring.all_scored"))
            return
        self.tree.select_criterion(criterion_id)
        self.set_focus(self.tree)

    def action_next_unscored(self) -> None:
        self._go(self.tree.find_unscored(forward=True))

    def action_previous_unscored(self) -> None:
        self._go(self.tree.find_unscored(forward=False))

    def action_type_score(self, digit: str) -> None:
        if self.editor is None:
            self.app.bell()
            return
        points = self.query_one("#points", Input)
        points.value = digit
        points.cursor_position = len(points.value)
        self.set_focus(points)

    def action_search(self) -> None:
        self.app.search_commands(
            [(f"{c.id} {c.title}", partial(self._go, c.id), c.requirement[:60])
             for c in self.session.inspection.checklist.criteria],
            placeholder=t("tui.scoring.search_placeholder"))

    def action_history(self) -> None:
        if self.criterion is not None:
            self.flush_edits()
            self.app.push_screen(HistoryDialog(self.session, self.site, self.criterion))

    def action_summary(self) -> None:
        self.flush_edits()
        self.app.push_screen(SummaryScreen(self.session, self.site))

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

    def action_attach(self) -> None:
        if self.editor is not None:
            self.flush_edits()
            self.query_one(EvidencePanel).attach(Path.cwd())
