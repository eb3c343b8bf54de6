"""Visit details of one site: date, inspectors present, the unit's contact and phone, notes.

Saved through `Inspection.set_visit` (a bad date is refused inside the dialog, what was typed
stays); dismissed with the visit as saved.
"""

from __future__ import annotations

from functools import partial

from textual import on
from textual.app import ComposeResult
from textual.widgets import Input, Label

from inspect_tui.core.i18n import t
from inspect_tui.core.records import Site
from inspect_tui.core.visit import Visit
from inspect_tui.store.inspection import Inspection
from inspect_tui.tui.screens.dialog import Dialog

# input id -> the visit field it edits
FIELDS = {"visit-date": "date", "visit-inspectors": "inspectors", "visit-contact": "contact",
          "visit-phone": "contact_phone", "visit-notes": "notes"}


class VisitDialog(Dialog[Visit]):
    def __init__(self, inspection: Inspection, site: Site) -> None:
        super().__init__(t("ledger.tui.visit_title", site=site.name))
        self.inspection = inspection
        self.site = site
        self.visit = inspection.visit(site.site_id)

    def body(self) -> ComposeResult:
        v = self.visit
        shown = {"date": v.date, "inspectors": "，".join(v.inspectors), "contact": v.contact,
                 "contact_phone": v.contact_phone, "notes": v.notes}
        for input_id, name in FIELDS.items():
            yield Label(t(f"ledger.tui.visit.{name}"))
            yield Input(shown[name], id=input_id, compact=True,
                        placeholder=t(f"ledger.tui.visit_hint.{name}"))

    def on_mount(self) -> None:
        self.query_one("#visit-date").focus()

    @on(Input.Submitted)
    def submit(self) -> None:
        values = {name: self.query_one(f"#{input_id}", Input).value
                  for input_id, name in FIELDS.items()}
        if self.attempt(partial(self.inspection.set_visit, self.site.site_id, **values)):
            self.dismiss(self.inspection.visit(self.site.site_id))
