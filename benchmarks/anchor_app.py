"""The anchor for key-to-screen figures: a plain Textual app shaped like the scoring screen.

    python -m benchmarks.anchor_app      # run it yourself (j/k move, digits then Enter score)

A Tree of sections and criteria on the left (the shipped checklist's titles, so lines are as
long and as Chinese as in the real app) and, on the right, a form of the same widgets: the
criterion's text in a Label, a score Input, a row of check boxes per rule and for the
methods, and three TextAreas — all updated in place when the tree's cursor moves. Enter in
the score field marks the criterion in the tree and counts it in the line above ("已评 n/m"),
with the time in a "已保存" label. Nothing is read from or written to disk while it runs.

`benchmarks.terminal_keys` runs it in tmux beside the real app, the same way, in the same run.
"""

from __future__ import annotations

import time
from typing import Any, ClassVar

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, HorizontalGroup, VerticalScroll
from textual.widgets import Checkbox, Footer, Header, Input, Label, TextArea, Tree

from inspect_tui.tui import key_trace

RULES = 4  # check boxes for deduction rules (the checklist's criteria have up to 4)
METHODS = ("查阅资料", "实地查看", "个别访谈", "问卷测试")

CSS = """
#bar { height: 1; background: $boost; }
#bar Label { margin-right: 2; }
#tree { width: 42%; max-width: 56; border-right: vkey $primary-background; }
#form { width: 1fr; padding: 0 1; }
#heading { text-style: bold; }
#text { margin-bottom: 1; }
#points { width: 8; }
TextArea { height: 3; }
Checkbox { margin-right: 2; }
Checkbox.rule { width: 100%; }
"""


def load_items() -> list[tuple[str, str, str, list[str]]]:
    """(id, title, text, rule labels) of every section and criterion of the benchmark's
    checklist, in tree order; sections have no rules."""
    from benchmarks.workspace_builder import CHECKLIST
    from inspect_tui.core.checklist_loader import load_checklist
    from inspect_tui.paths import find_checklist

    path = find_checklist(CHECKLIST)
    assert path is not None
    checklist = load_checklist(path)
    items = []
    for section in checklist.sections:
        items.append((section.id, section.title, section.title, []))
        for c in section.criteria:
            text = f"要求 {c.requirement}\n评分标准 {c.guide}\n出处 {c.source}"
            items.append((c.id, c.title, text, [d.reason for d in c.deductions]))
    return items


class AnchorApp(App[None]):
    CSS = CSS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "down", "下移"), Binding("k", "up", "上移"),
        *(Binding(str(d), f"digit('{d}')", show=False) for d in range(10)),
        Binding("ctrl+q", "quit", "退出", priority=True),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.items = load_items()
        self.scored: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        with HorizontalGroup(id="bar"):
            yield Label("基准检查点", id="name")
            yield Label(self._progress(), id="progress")
            yield Label("", id="saved")
        with Horizontal():
            tree: Tree[int] = Tree("清单", id="tree")
            tree.show_root = False
            branch = tree.root
            for n, (item_id, title, _, rules) in enumerate(self.items):
                if not rules and "." not in item_id:
                    branch = tree.root.add(f"{item_id}      {title}", data=n, expand=True)
                else:
                    branch.add_leaf(f"- {item_id:<5}    - {title}", data=n)
            yield tree
            with VerticalScroll(id="form"):
                yield Label(id="heading")
                yield Label(id="text")
                with HorizontalGroup():
                    yield Label("得分 ")
                    yield Input(id="points", compact=True, placeholder="-")
                    yield Label(id="of-max")
                for n in range(RULES):
                    yield Checkbox(compact=True, id=f"rule{n}", classes="rule")
                with HorizontalGroup():
                    for n, method in enumerate(METHODS):
                        yield Checkbox(method, compact=True, id=f"method{n}")
                for name in ("notes", "problems", "advice"):
                    yield Label(name)
                    yield TextArea(id=name, soft_wrap=True, compact=True)
        yield Footer()

    def _progress(self) -> str:
        count = sum(1 for item in self.items if item[3] or "." in item[0])
        return f"已评 {len(self.scored)}/{count}"

    def on_mount(self) -> None:
        key_trace.install(self)  # only with INSPECT_TUI_TRACE_KEYS set, as in the real app
        tree = self.query_one(Tree)
        tree.focus()
        tree.move_cursor(tree.root.children[0].children[0])  # the first criterion

    @on(Tree.NodeHighlighted)
    def _moved(self, event: Tree.NodeHighlighted[int]) -> None:
        if event.node.data is not None:
            self._show(event.node.data)

    def _show(self, index: int) -> None:
        item_id, title, text, rules = self.items[index]
        self.query_one("#heading", Label).update(f"{item_id} {title}")
        self.query_one("#text", Label).update(text)
        self.query_one("#points", Input).value = self.scored.get(item_id, "")
        self.query_one("#of-max", Label).update(" / 满分")
        for n in range(RULES):
            box = self.query_one(f"#rule{n}", Checkbox)
            box.display = n < len(rules)
            box.label = rules[n] if n < len(rules) else ""
            box.value = False
        for n in range(len(METHODS)):
            self.query_one(f"#method{n}", Checkbox).value = n % 2 == len(item_id) % 2
        for name in ("notes", "problems", "advice"):
            self.query_one(f"#{name}", TextArea).load_text(f"{title[:8]}的{name}")

    def action_down(self) -> None:
        self.query_one(Tree).action_cursor_down()

    def action_up(self) -> None:
        self.query_one(Tree).action_cursor_up()

    def action_digit(self, digit: str) -> None:
        points = self.query_one("#points", Input)
        points.value = digit
        points.cursor_position = 1
        self.set_focus(points)

    @on(Input.Submitted, "#points")
    def _entered(self, event: Input.Submitted) -> None:
        tree: Tree[Any] = self.query_one(Tree)
        node = tree.cursor_node
        if node is not None and node.data is not None:
            item_id, title, _, _ = self.items[node.data]
            self.scored[item_id] = event.value
            node.set_label(f"✓ {item_id:<5} {event.value:>4} {title}")
            self.query_one("#progress", Label).update(self._progress())
            self.query_one("#saved", Label).update(time.strftime("已保存 %H:%M:%S"))
        self.set_focus(tree)


if __name__ == "__main__":
    AnchorApp().run()
