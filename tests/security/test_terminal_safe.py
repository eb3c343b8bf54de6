"""Which characters never reach a terminal or a printed page, and which always do."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from inspect_tui.terminal_safe import has_controls, safe_segments, strip_controls

REMOVED = ["\x00", "\x07", "\x08", "\r", "\x1b", "\x7f", "\x85", "\x9b",  # C0, DEL, C1 (CSI)
           "\u202e", "\u202a", "\u2066", "\u2069", "\u200e", "\u200f", "\u061c",  # bidi
           "\u2028", "\u2029"]


def test_each_control_is_removed_and_tab_and_newline_stay() -> None:
    for c in REMOVED:
        assert has_controls(f"甲{c}乙") and strip_controls(f"甲{c}乙") == "甲乙", repr(c)
    text = "马涧镇\t兰江街道\n[bold]<b>&amp; \u3000全角空格 emoji 🙂"
    assert not has_controls(text) and strip_controls(text) == text


@given(st.text())
def test_the_result_is_clean_and_keeps_every_other_character(text: str) -> None:
    clean = strip_controls(text)
    assert not has_controls(clean) and strip_controls(clean) == clean
    assert [c for c in text if c not in REMOVED and not has_controls(c)] == list(clean)


def test_segments_lose_controls_from_their_text_but_keep_rendering_codes() -> None:
    from rich.segment import ControlType, Segment
    from rich.style import Style

    bold = Style(bold=True)
    cursor = Segment("", None, [(ControlType.CURSOR_UP, 1)])
    text = Segment("站\x1b]0;pwned\x07点", bold)
    assert list(safe_segments([cursor, text])) == [cursor, Segment("站]0;pwned点", bold)]
