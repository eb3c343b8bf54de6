"""A merge report and open conflicts in words and tables, for the CLI and the TUI alike."""

from __future__ import annotations

from collections.abc import Callable

from rich.table import Table
from rich.text import Text

from inspect_tui.core.conflicts import OpenConflict, show_value
from inspect_tui.core.i18n import t
from inspect_tui.store.merge_report import MergeReport, SourceReport


def signature_text(s: SourceReport) -> str:
    return t(f"merge.sig.{s.signature}", signer=s.signer) if s.signature else "—"


def report_table(report: MergeReport) -> Table:
    """Paths, authors and signer names come from other laptops: cells are Text, never markup."""
    table = Table(t("merge.col.source"), t("merge.col.sender"), t("merge.col.signature"),
                  t("merge.col.status"), t("merge.col.records"), t("merge.col.fields"),
                  t("merge.col.evidence"), t("merge.col.conflicts"),
                  title=Text(t("merge.title", inspection=report.inspection,
                               workspace=report.workspace), style="table.title"))
    for column in table.columns:  # a long path or name wraps; Rich would end it in "…"
        column.overflow = "fold"
    for s in report.sources:
        sender = f"{s.author} · {s.device}" if s.device else "—"
        table.add_row(Text(s.source), Text(sender), Text(signature_text(s)),
                      t(f"merge.status.{s.status}"),
                      str(s.new_records), str(s.updated_fields), str(s.evidence_files),
                      str(len(s.conflicts)))
    return table


def report_notes(report: MergeReport) -> list[str]:
    """Why sources were skipped, where the report went, and what is left to settle."""
    notes = [f"✗ {s.reason}" for s in report.skipped]
    notes.append(t("merge.saved", path=report.saved_to) if report.saved_to
                 else t("merge.unchanged"))
    if report.open_conflicts:
        notes.append(t("merge.open_conflicts", count=report.open_conflicts))
    return notes


def rival_lines(conflict: OpenConflict, when: Callable[[str], str] = str) -> list[str]:
    """`1. value — who (device, when)` for every value of a conflict, the shown one first."""
    return [t("conflict.value", n=n, value=show_value(r.value, t("conflict.empty")),
              author=r.author, device=r.device, when=when(r.when))
            for n, r in enumerate(conflict.rivals, start=1)]
