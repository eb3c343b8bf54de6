"""Who changed what and when, for one criterion at one site (newest first)."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from inspect_tui.core.checklist import Criterion
from inspect_tui.core.i18n import t
from inspect_tui.core.records import Site
from inspect_tui.tui.history_text import describe_entry, local_time
from inspect_tui.tui.screens.dialog import Dialog
from inspect_tui.tui.session import Session
from inspect_tui.tui.text import literal


class HistoryDialog(Dialog[None]):
    BUTTONS: ClassVar[tuple[str, ...]] = ("close",)

    def __init__(self, session: Session, site: Site, criterion: Criterion) -> None:
        super().__init__(t("tui.history.title", site=site.name, id=criterion.id,
                           title=criterion.title))
        self.session = session
        self.site = site
        self.criterion = criterion

    def body(self) -> ComposeResult:
        entries = self.session.inspection.history(self.site.site_id, self.criterion.id)
        record_id = self.session.inspection.record_id(self.site.site_id, self.criterion.id)
        yield Static(Text(t("tui.history.record_id", id=record_id), style="dim"))
        if not entries:
            yield Static(t("tui.history.empty"))
            return
        # No box lines: box-drawing glyphs are East Asian "ambiguous width" and would skew CJK.
        table = Table(expand=True, show_edge=False, pad_edge=False, box=None,
                      header_style="bold underline")
        table.add_column(t("tui.history.when"), no_wrap=True)
        # A long inspector name folds inside its column rather than squeezing the values out.
        table.add_column(t("tui.history.who"), max_width=16, overflow="fold")
        table.add_column(t("tui.history.field"), no_wrap=True)
        table.add_column(t("tui.history.value"), ratio=1, min_width=16, overflow="fold")
        for entry in reversed(entries):
            for n, (field, value) in enumerate(describe_entry(self.criterion, entry)):
                first = n == 0
                table.add_row(local_time(entry.hlc.isoformat()) if first else "",
                              literal(f"{entry.author}（{entry.device[:6]}）") if first else "",
                              field, Text(value))
        with VerticalScroll(id="history-list"):
            yield Static(table)

    def on_mount(self) -> None:
        self.query_one("#close").focus()

    def submit(self) -> None:
        self.dismiss(None)
