"""Score one site: the checklist tree on the left, the chosen criterion and its form on the right.

Moving between criteria only reads; saving, undo and retry are in `saving.SavingScreen`.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.reactive import Reactive
from textual.widget import Widget
from textual.widgets import Header, Input, Tree

from inspect_tui.core.checklist import Criterion
from inspect_tui.core.i18n import t
from inspect_tui.core.records import Site
from inspect_tui.tui import key_trace
from inspect_tui.tui.bindings import localize_bindings
from inspect_tui.tui.commands import search_literal
from inspect_tui.tui.idle_gc import IdleCollector
from inspect_tui.tui.key_gate import KeyGate
from inspect_tui.tui.screens.history import HistoryDialog
from inspect_tui.tui.screens.saving import SavingScreen
from inspect_tui.tui.screens.summary import SummaryScreen
from inspect_tui.tui.session import Session
from inspect_tui.tui.text import HEADER_ICON
from inspect_tui.tui.widgets.criterion_detail import CriterionDetail
from inspect_tui.tui.widgets.criterion_tree import CriterionTree
from inspect_tui.tui.widgets.evidence_panel import EvidencePanel
from inspect_tui.tui.widgets.record_editor import RecordEditor
from inspect_tui.tui.widgets.site_bar import SiteBar
from inspect_tui.tui.widgets.steady_footer import SteadyFooter

UNSCORED = Binding.Group("tui.key.unscored", compact=True)


class ScoringScreen(SavingScreen):
    """Focus moves made by keys use `set_focus` (at once), not `focus()` (queued after the
    keys already typed): "3 Enter" typed in one burst must reach the score field."""

    CSS_PATH = "scoring.tcss"
    # Textual repaints the whole screen when the focus moves (twice per typed score); what
    # looks different focused repaints itself as its styles change, the rest needs nothing
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)
    BINDINGS: ClassVar[list[BindingType]] = [
        # j/k are the screen's, not the tree's: the Footer then shows the same keys wherever
        # the focus is (and is not rebuilt each time a score is typed); a text field still
        # takes the letters typed into it
        Binding("j", "move(1)", "tui.key.move", key_display="j/k"),
        Binding("k", "move(-1)", show=False),
        Binding("escape", "back", "tui.key.back"),
        Binding("n", "next_unscored", "tui.key.next_unscored", group=UNSCORED),
        Binding("p", "previous_unscored", "tui.key.previous_unscored", group=UNSCORED),
        Binding("0", "type_score('0')", "tui.key.score", key_display="0-9"),
        *(Binding(str(d), f"type_score('{d}')", show=False) for d in range(1, 10)),
        Binding("slash", "search", "tui.key.search", key_display="/"),
        Binding("e", "attach", "tui.key.attach", show=False),
        Binding("u", "not_applicable", "tui.key.not_applicable", show=False),
        Binding("h", "history", "tui.key.history", show=False),
        Binding("v", "summary", "tui.key.summary", show=False),
        Binding("ctrl+z", "undo", "tui.key.undo", show=False),
        Binding("ctrl+s", "retry", "tui.key.retry"),
    ]

    def __init__(self, session: Session, site: Site) -> None:
        super().__init__(session, site)
        localize_bindings(self)
        self.sub_title = self.site.name
        self._collector: IdleCollector | None = None

    def compose(self) -> ComposeResult:
        inspection = self.session.inspection
        unsaved = {cid for (sid, cid) in self.session.unsaved if sid == self.site.site_id}
        yield Header(icon=HEADER_ICON)
        yield SiteBar(self.site, id="site-bar")
        with Horizontal(id="body"):
            yield CriterionTree(inspection.checklist, inspection.records(self.site.site_id),
                                unsaved, self.site.kind or None, id="tree")
            yield CriterionDetail(self.session, self.site.site_id, id="detail")
        yield SteadyFooter(compact=True)

    def on_mount(self) -> None:
        key_trace.install(self.app)  # only with INSPECT_TUI_TRACE_KEYS set
        gate = getattr(self.app, "key_gate", None)
        if isinstance(gate, KeyGate):  # full collections wait for a pause in the typing
            self._collector = IdleCollector(self, gate.quiet_since)
            self._collector.start()
        self._show_progress()
        self.query_one(SiteBar).saved(self.session.saved_at)
        self.query_one(RecordEditor).on_enter = self._entered
        tree = self.tree
        tree.focus()
        tree.select_criterion(tree.find_unscored() or tree.criteria[0].id)
        self.call_after_refresh(self._scroll_tree)

    def on_unmount(self) -> None:
        if self._collector is not None:
            self._collector.stop()

    def _scroll_tree(self) -> None:
        """Before the first layout the tree scrolled blindly; show the cursor from the top."""
        tree = self.tree
        tree.scroll_home(animate=False, immediate=True)
        if tree.cursor_node is not None:
            tree.scroll_to_node(tree.cursor_node, animate=False)

    # ---- moving ------------------------------------------------------------------------

    @on(Tree.NodeHighlighted)
    async def _moved(self) -> None:
        """The cursor moved (the mouse, Home/End...); the keys below show the item at once."""
        node = self.tree.cursor_node
        if node is not None and node.data is self.query_one(CriterionDetail).item:
            return  # the key that moved the cursor showed it
        self.flush_edits()
        await self.show_item()

    @on(Tree.NodeSelected)
    def _chosen(self, event: Tree.NodeSelected[object]) -> None:
        if isinstance(event.node.data, Criterion):
            self.set_focus(self.query_one("#points"))

    def _entered(self) -> None:
        """Enter saves what was typed at once (its field's own messages then find it saved)
        and the keys move around again: the screen shows both in one frame. (The form calls
        this itself as Enter reaches it: `RecordEditor.on_enter`.)"""
        self.flush_edits()
        self.set_focus(self.tree)

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

    async def _go_now(self, criterion_id: str | None) -> None:
        """Go there and show it before the screen is next drawn: the cursor and the item it
        is on appear in one frame, not the cursor first and the item a frame later."""
        self.flush_edits()
        self._go(criterion_id)
        await self.show_item()

    async def action_move(self, step: int) -> None:
        self.flush_edits()
        if step > 0:
            self.tree.action_cursor_down()
        else:
            self.tree.action_cursor_up()
        await self.show_item()

    async def action_next_unscored(self) -> None:
        await self._go_now(self.tree.find_unscored(forward=True))

    async def action_previous_unscored(self) -> None:
        await self._go_now(self.tree.find_unscored(forward=False))

    def action_type_score(self, digit: str) -> None:
        if self.editor is None:
            self.app.bell()
            return
        points = self.query_one("#points", Input)
        points.value = digit
        points.cursor_position = len(points.value)
        self.set_focus(points)

    def action_not_applicable(self) -> None:
        """To the 不适用 reason: writing one records the criterion as not applicable."""
        na = self.query_one("#na", Input)
        if self.editor is None or not na.display or not na.parent or not na.parent.display:
            self.app.bell()
            return
        self.set_focus(na)

    def action_search(self) -> None:
        search_literal(
            self.app, [(f"{c.id} {c.title}", partial(self._go, c.id), c.requirement[:60])
                       for c in self.tree.criteria],
            placeholder=t("tui.scoring.search_placeholder"))

    def action_history(self) -> None:
        if self.criterion is not None:
            self.flush_edits()
            self.app.push_screen(HistoryDialog(self.session, self.site, self.criterion))

    def action_summary(self) -> None:
        self.flush_edits()
        self.app.push_screen(SummaryScreen(self.session, self.site))

    def action_attach(self) -> None:
        if self.editor is not None:
            self.flush_edits()
            self.query_one(EvidencePanel).attach(Path.cwd())
