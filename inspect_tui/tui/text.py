"""Small formatting helpers shared by the screens (numbers, times, labels, widths)."""

from __future__ import annotations

from datetime import datetime

from rich.cells import cell_len, set_cell_size
from rich.style import StyleType
from rich.text import Text

from inspect_tui.core.checklist import Method
from inspect_tui.core.i18n import t

METHOD_KEYS = {Method.REPORT: "report", Method.RECORDS: "records", Method.ON_SITE: "on_site"}


def literal(text: str, style: StyleType = "") -> Text:
    """Text from outside (a checklist, a site name, a note, a path, an error quoting them) for
    a widget. Widgets read a plain `str` as markup: "[/]" would crash the app and
    "[@click=app.quit]…" would run an action when clicked. A `Text` is shown as it is."""
    return Text(text, style=style)


def number(value: float | None) -> str:
    """3.0 → "3", 3.5 → "3.5", None → "-"."""
    return "-" if value is None else f"{value:g}"


def method_label(method: Method | str) -> str:
    return t(f"tui.method.{METHOD_KEYS[Method(method)]}")


def clock_time(moment: datetime) -> str:
    return moment.strftime("%H:%M:%S")


def fit(text: str, width: int) -> str:
    """Cut or pad `text` to exactly `width` terminal cells (CJK characters take two)."""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(text, width - 1) + "…"

HEADER_ICON = "☰"  # one cell wide everywhere (Textual's default ⭘ is East Asian ambiguous)
