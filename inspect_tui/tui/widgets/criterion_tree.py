"""The checklist as a tree: sections with subtotals, criteria with a status mark and score."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import ClassVar

from rich.text import Text
from textual.widget import Widget
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from inspect_tui.core.checklist import Checklist, Criterion, Section
from inspect_tui.core.records import Record
from inspect_tui.core.scoring_rules import outcome
from inspect_tui.tui.bindings import localize_bindings
from inspect_tui.tui.status import MARKS, done, score_of, status_of
from inspect_tui.tui.text import literal, number
from inspect_tui.tui.widgets.kept_scrollbar import KeptScrollBars

Item = Criterion | Section


class CriterionTree(Tree[Item], KeptScrollBars):
    """j/k are the scoring screen's bindings (see ScoringScreen.BINDINGS).

    The tree is drawn as focused even while a field of the form has the focus: its cursor
    stays on the criterion being scored, and the field shows its own focus. Textual's Tree
    otherwise restyles itself and draws every line afresh at each focus change — twice per
    typed score ("3" to the score field, Enter back to the tree)."""

    _PSEUDO_CLASSES: ClassVar[dict[str, Callable[[Widget], bool]]] = {  # type: ignore[assignment]
        **Tree._PSEUDO_CLASSES, "focus": lambda _: True, "blur": lambda _: False}  # (as Widget's)

    def watch_has_focus(self, has_focus: bool) -> None:
        """Its styles do not depend on the focus (above): only the guides under a section's
        cursor, which Tree draws brighter while it has the focus, are drawn again."""
        if self.cursor_node is not None:
            self._refresh_node(self.cursor_node)

    def __init__(self, checklist: Checklist, records: Mapping[str, Record],
                 unsaved: set[str], kind: str | None = None, *, id: str | None = None) -> None:
        super().__init__(literal(checklist.title), id=id)
        localize_bindings(self)
        self.show_root = False
        self.guide_depth = 2
        self.checklist = checklist
        self.records = dict(records)
        self.unsaved = set(unsaved)
        self._criterion_nodes: dict[str, TreeNode[Item]] = {}
        self._section_nodes: dict[str, TreeNode[Item]] = {}
        self.criteria = checklist.criteria_for(kind)  # the site's table: what applies to it
        shown = {c.id for c in self.criteria}
        for section in checklist.sections:
            if not any(c.id in shown for c in section.criteria):
                continue
            branch = self.root.add(self._section_label(section), data=section, expand=True)
            self._section_nodes[section.id] = branch
            for criterion in section.criteria:
                if criterion.id not in shown:
                    continue
                self._criterion_nodes[criterion.id] = branch.add_leaf(
                    self._criterion_label(criterion), data=criterion)

    @property
    def criterion(self) -> Criterion | None:
        node = self.cursor_node
        return node.data if node is not None and isinstance(node.data, Criterion) else None

    def update_record(self, record: Record, unsaved: bool = False) -> None:
        """Show a criterion's new state and its section's new subtotal."""
        cid = record.criterion_id
        self.records[cid] = record
        (self.unsaved.add if unsaved else self.unsaved.discard)(cid)
        criterion = self.checklist.criterion(cid)
        self._criterion_nodes[cid].set_label(self._criterion_label(criterion))
        section = self.checklist.section_of(cid)
        self._section_nodes[section.id].set_label(self._section_label(section))

    def select_criterion(self, criterion_id: str) -> None:
        node = self._criterion_nodes[criterion_id]
        if node.parent is not None and not node.parent.is_expanded:
            node.parent.expand()  # (expanding redraws the whole tree, even when open)
        self.move_cursor(node)

    def find_unscored(self, forward: bool = True) -> str | None:
        """The next (or previous) unscored criterion after the cursor, wrapping around."""
        order = [c.id for c in self.criteria]
        current = self.criterion
        start = order.index(current.id) if current and current.id in order else -1
        steps = range(1, len(order) + 1)
        for step in steps:
            cid = order[(start + (step if forward else -step)) % len(order)]
            if not done(self.checklist.criterion(cid), self.records[cid]):
                return cid
        return None

    def _criterion_label(self, criterion: Criterion) -> Text:
        record = self.records[criterion.id]
        mark, style = MARKS[status_of(criterion, record, criterion.id in self.unsaved)]
        score = number(score_of(criterion, record))
        return Text.assemble((mark, style), f" {criterion.id:<5}", (f"{score:>4} ", "bold"),
                             criterion.title)

    def _section_label(self, section: Section) -> Text:
        shown = [c for c in section.criteria if c in self.criteria]
        base = [c for c in shown if not c.bonus]
        outcomes = [outcome(c, self.records[c.id].assessment()) for c in base or shown]
        got = sum(o.score for o in outcomes if o.score is not None)
        # a 加分 section shows what it adds out of its caps; others, the score out of the max
        most = sum(o.max for o in outcomes) if base else sum(c.max for c in shown)
        subtotal = f"{number(got)}/{number(most)}"
        return Text.assemble((f"{section.id} ", "bold"), (f"{subtotal:>9} ", "bold cyan"),
                             section.title)
