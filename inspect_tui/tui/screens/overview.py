"""The inspection at a glance: every site with its progress, score, grade and open problems.

Sort with `s` (next column) and `S` (reverse); filter by typing after `/`. Removing a site
hides it and keeps its history.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Label
from textual.worker import get_current_worker

from inspect_tui.core.checklist import Checklist
from inspect_tui.core.errors import InspectError
from inspect_tui.core.history import Entry, verify_chains
from inspect_tui.core.i18n import t
from inspect_tui.core.records import Site, SiteKind
from inspect_tui.tui.bindings import localize_bindings
from inspect_tui.tui.plain_cell import table_cell
from inspect_tui.tui.session import Session
from inspect_tui.tui.site_rows import Column, SiteRow, arrange, site_row, site_rows
from inspect_tui.tui.text import HEADER_ICON, literal
from inspect_tui.tui.widgets.quiet_footer import QuietFooter
from inspect_tui.tui.widgets.site_table import SiteTable

if TYPE_CHECKING:  # (the checks, dialogs and their imports come after the first frame)
    from inspect_tui.core.history import ChainProblem
    from inspect_tui.core.integrity import BadValue
    from inspect_tui.tui.screens.site_dialog import SiteForm

RIGHT = {Column.PROGRESS, Column.SCORE, Column.PROBLEMS}


@dataclass
class IntegrityChecked(Message):
    """The history of the open inspection was checked (in a worker thread)."""

    problems: Sequence[ChainProblem]
    bad: Sequence[BadValue]


class OverviewScreen(Screen[None]):
    CSS_PATH = "overview.tcss"
    # The table has the focus from the first frame: focusing the first focusable widget
    # (the filter) and then the table drew the table twice and rebuilt the footer each time.
    AUTO_FOCUS = "#sites"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("v", "summary", "tui.key.summary"),
        Binding("e", "export", "tui.key.export", show=False),  # in the palette and help
        Binding("d", "documents", "tui.key.documents", show=False),
        Binding("m", "merge", "tui.key.merge", show=False),  # the team lead's
        Binding("c", "conflicts", "tui.key.conflicts", show=False),
        Binding("p", "problems", "tui.key.ledger_problems"),
        Binding("i", "visit", "tui.key.ledger_visit"),
        Binding("a", "add_site", "tui.key.add_site"),
        Binding("r", "rename_site", "tui.key.rename_site"),
        Binding("delete,x", "remove_site", "tui.key.remove_site", key_display="x"),
        Binding("s", "sort", "tui.key.sort"),
        Binding("S", "reverse", "tui.key.reverse", show=False),
        Binding("slash", "filter", "tui.key.filter", key_display="/"),
        Binding("escape", "clear_filter", show=False),
        Binding("q", "app.quit", "tui.key.quit", show=False),
    ]

    # what can be done while the overview is shown from the summary and the inspection is
    # still being read (keys wait for it anyway; this holds off clicks)
    BEFORE_LOADED: ClassVar[frozenset[str]] = frozenset(
        {"sort", "reverse", "filter", "clear_filter", "quit", "help", "command_palette"})

    def __init__(self, session: Session | None, rows: list[SiteRow], *,
                 grades: Sequence[str] = (), title: str = "") -> None:
        """Without a session, the rows come from the summary (store/summary.py) and the
        screen waits for `attach`; `grades` (the checklist's, in its order) and `title` are
        then the inspection's."""
        super().__init__()
        localize_bindings(self)
        self._session = session
        self.rows = rows
        if session is not None:
            title = session.inspection.title
        self._grades = list(grades)
        self.sort_column: Column | None = None
        self.reverse = False
        self._opened_site: str | None = None
        self._integrity_text = ""
        self.sub_title = title

    def attach(self, session: Session, rows: list[SiteRow] | None) -> None:
        """The inspection is read: from now on the screen works on it (`rows`: new figures,
        if the files changed since the summary was read)."""
        self._session = session
        if rows is not None:
            self.rows = rows
            self.fill()
        self.refresh_bindings()
        self.call_after_refresh(self._check_integrity)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return True if self.loaded or action in self.BEFORE_LOADED else None

    @property
    def loaded(self) -> bool:
        return self._session is not None

    @property
    def session(self) -> Session:
        """The open inspection's session (actions that need it wait for `attach`)."""
        assert self._session is not None, "the inspection is still being read"
        return self._session

    def compose(self) -> ComposeResult:
        yield Header(icon=HEADER_ICON)
        yield Label(id="integrity-banner")  # shown only when the history does not verify
        yield Input(id="filter", placeholder=t("tui.overview.filter_hint"), compact=True)
        yield SiteTable(id="sites", cursor_type="row", zebra_stripes=True)
        yield Label(id="overview-status")
        yield QuietFooter(compact=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for column in Column:
            table.add_column(t(f"tui.col.{column.name.lower()}"), key=column.name)
        self.fill()
        table.focus()

    @staticmethod
    def warm_up() -> None:
        """Import the screens a site opens (off the start's path: the loading worker calls
        this once the overview is drawn, so the first Enter does not wait for them)."""
        import inspect_tui.tui.screens.confirm
        import inspect_tui.tui.screens.scoring
        import inspect_tui.tui.screens.site_dialog
        import inspect_tui.tui.screens.summary  # noqa: F401

    # ---- table ---------------------------------------------------------------------------

    @property
    def table(self) -> DataTable[str | Text]:
        return self.query_one(DataTable)

    @property
    def site(self) -> Site | None:
        if not self.table.row_count:
            return None
        key = self.table.coordinate_to_cell_key(self.table.cursor_coordinate).row_key.value
        return next((row.site for row in self.rows if row.site.site_id == key), None)

    def fill(self, select: str | None = None) -> None:
        """Show the rows matching the filter in the chosen order; keep (or move) the cursor."""
        table = self.table
        current = self.site
        select = select or (current.site_id if current else None)
        grades = ([g.name for g in self.session.inspection.checklist.grades] if self.loaded
                  else self._grades)
        shown = arrange(self.rows, self.query_one("#filter", Input).value, self.sort_column,
                        self.reverse, grades)
        table.clear()
        for row in shown:
            table.add_row(*(table_cell(cell, right=col in RIGHT)
                            for col, cell in zip(Column, row.cells(), strict=True)),
                          key=row.site.site_id)
        keys = [row.site.site_id for row in shown]
        if select in keys:
            table.move_cursor(row=keys.index(select))
        self._show_status(len(shown))

    def _show_status(self, shown: int) -> None:
        status = t("tui.overview.count", shown=shown, total=len(self.rows))
        if self.sort_column is not None:
            order = t("tui.overview.descending" if self.reverse else "tui.overview.ascending")
            column = t(f"tui.col.{self.sort_column.name.lower()}")
            status += "  " + t("tui.overview.sorted", column=column, order=order)
        if not self.rows:
            status = t("tui.overview.empty")
        self.query_one("#overview-status", Label).update(status)

    def refresh_site(self, site_id: str) -> None:
        inspection = self.session.inspection
        self.rows = [site_row(inspection, inspection.site(site_id))
                     if row.site.site_id == site_id else row for row in self.rows]
        self.fill()

    def on_screen_resume(self) -> None:
        if self._opened_site is not None:
            self.refresh_site(self._opened_site)
        # on opening, and after scoring or merging changed things; after the table is drawn,
        # so that hashing every entry (in a thread, but holding the GIL) does not delay it
        if self.loaded:  # else once attached
            self.call_after_refresh(self._check_integrity)

    # ---- integrity: an altered history or an impossible value is flagged, never hidden ---

    def _check_integrity(self) -> None:
        inspection = self.session.inspection
        self._verify(inspection.all_entries(), inspection.checklist)

    @work(thread=True, exclusive=True, exit_on_error=False, group="integrity")
    def _verify(self, entries: list[Entry], checklist: Checklist) -> None:
        """Off the UI thread (hashing every entry takes a while on a large inspection); the
        entries are an immutable snapshot taken on the UI thread."""
        from inspect_tui.core.integrity import bad_values_in_history

        problems = verify_chains(entries)
        bad = bad_values_in_history(checklist, entries)
        if not get_current_worker().is_cancelled:
            self.post_message(IntegrityChecked(problems, bad))

    @on(IntegrityChecked)
    def _integrity_checked(self, event: IntegrityChecked) -> None:
        from inspect_tui.store import integrity

        inspection = self.session.inspection
        lines = []
        if event.problems:
            findings = integrity.locate(inspection, event.problems)
            lines.append(integrity.chain_warning(inspection, findings))
        if event.bad:
            lines.append(integrity.value_warning(inspection, event.bad[0]))
            if len(event.bad) > 1:
                lines.append(t("integrity.tui_values", count=len(event.bad)))
        text = "\n".join(lines)
        banner = self.query_one("#integrity-banner", Label)
        banner.update(literal(text))
        banner.display = bool(text)
        if text and text != self._integrity_text:
            self.notify(text, severity="error", timeout=30)
        self._integrity_text = text

    # ---- open a site ---------------------------------------------------------------------

    @on(DataTable.RowSelected)
    def action_score(self) -> None:
        if not self.loaded:  # a click before the inspection is read
            return
        if site := self.site:
            from inspect_tui.tui.screens.scoring import ScoringScreen  # see `warm_up`

            self._opened_site = site.site_id
            self.app.push_screen(ScoringScreen(self.session, site))

    def action_summary(self) -> None:
        if site := self.site:
            from inspect_tui.tui.screens.summary import SummaryScreen  # see `warm_up`

            self._opened_site = site.site_id
            self.app.push_screen(SummaryScreen(self.session, site))

    def action_export(self) -> None:
        from inspect_tui.tui.screens.export import ExportDialog  # heavy (crypto, PDF): on use

        self.app.push_screen(ExportDialog(self.session))

    def action_documents(self) -> None:
        from inspect_tui.tui.screens.documents import DocumentsDialog  # heavy: on use

        self.app.push_screen(DocumentsDialog(self.session))

    def action_merge(self) -> None:
        from inspect_tui.tui.screens.merge import MergeScreen

        self.app.push_screen(MergeScreen(self.session.workspace, self.session.inspection),
                             self._refresh_all)

    def action_conflicts(self) -> None:
        from inspect_tui.tui.screens.conflicts import ConflictsScreen

        self.app.push_screen(ConflictsScreen(self.session.inspection), self._refresh_all)

    def action_problems(self) -> None:
        from inspect_tui.tui.screens.problems import ProblemsScreen

        self.app.push_screen(ProblemsScreen(self.session.inspection))

    def action_visit(self) -> None:
        from inspect_tui.tui.screens.visit_dialog import VisitDialog

        site = self.site
        if site is None:
            return

        def saved(visit: object | None) -> None:
            if visit is not None:
                self.notify(t("ledger.tui.visit_saved", site=site.name))

        self.app.push_screen(VisitDialog(self.session.inspection, site), saved)

    def _refresh_all(self, changed: bool | None) -> None:
        if changed:  # a merge can add sites and change any score
            self.rows = site_rows(self.session.inspection)
            self.fill()

    # ---- sites ---------------------------------------------------------------------------

    def _groups(self) -> list[str]:
        return [row.site.group for row in self.rows]

    def _kinds(self) -> list[str]:
        """The site kinds the inspection's checklist has criteria for."""
        checklist = self.session.inspection.checklist
        return [k.value for k in SiteKind if checklist.criteria_for(k.value)]

    def action_add_site(self) -> None:
        from inspect_tui.tui.screens.site_dialog import SiteDialog

        def add(form: SiteForm) -> None:
            site = self.session.inspection.add_site(form.name, form.kind, form.group)
            self.rows.append(site_row(self.session.inspection, site))
            self.fill(select=site.site_id)

        self.app.push_screen(SiteDialog(t("tui.site.add_title"), add, self._groups(),
                                        kinds=self._kinds()))

    def action_rename_site(self) -> None:
        from inspect_tui.tui.screens.site_dialog import SiteDialog

        site = self.site
        if site is None:
            return

        def rename(form: SiteForm) -> None:
            self.session.inspection.update_site(site.site_id, name=form.name, kind=form.kind,
                                                group=form.group)
            self.refresh_site(site.site_id)

        self.app.push_screen(SiteDialog(t("tui.site.edit_title"), rename, self._groups(), site,
                                        kinds=self._kinds()))

    def action_remove_site(self) -> None:
        from inspect_tui.tui.screens.confirm import ConfirmDialog

        site = self.site
        if site is None:
            return

        def remove(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.session.inspection.remove_site(site.site_id)
            except InspectError as exc:
                self.notify(str(exc), severity="error", timeout=15)
                return
            self.rows = [row for row in self.rows if row.site.site_id != site.site_id]
            self.fill()
            self.notify(t("tui.site.removed", name=site.name))

        self.app.push_screen(ConfirmDialog(t("tui.site.remove_title"),
                                           t("tui.site.remove_text", name=site.name)), remove)

    # ---- sort and filter -----------------------------------------------------------------

    def action_sort(self) -> None:
        columns = list(Column)
        self.sort_column = (columns[0] if self.sort_column is None else
                            columns[(columns.index(self.sort_column) + 1) % len(columns)])
        self.fill()

    def action_reverse(self) -> None:
        self.reverse = not self.reverse
        self.fill()

    @on(DataTable.HeaderSelected)
    def _header_clicked(self, event: DataTable.HeaderSelected) -> None:
        column = Column[str(event.column_key.value)]
        self.reverse = not self.reverse if column == self.sort_column else False
        self.sort_column = column
        self.fill()

    def action_filter(self) -> None:
        self.set_focus(self.query_one("#filter"))

    def action_clear_filter(self) -> None:
        self.query_one("#filter", Input).value = ""
        self.set_focus(self.table)

    @on(Input.Changed, "#filter")
    def _filtered(self) -> None:
        self.fill()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.set_focus(self.table)
