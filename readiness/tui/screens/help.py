"""Help: how the walkthrough goes, and every key binding with the id to remap it."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

GUIDE = """\
A walkthrough goes left to right along the function keys:
 F2 Discovery   what this machine can see of the network (runs by itself)
 F3 Checklist   each check and its questions; accept what was discovered
 F4 Impact      what an hour offline costs the business
 F5 Findings    the score, and what to fix first
 F6 Export      write the report (Markdown) and the audit (JSON)
 F7 Drill       cut the main line on purpose and watch the failover
In the checklist: Enter on a check goes to its questions, Escape back to
the list, Tab from the list to the text and the fields; u jumps to the
next check still waiting for an answer, s accepts what was suggested.
Everything is saved as you go: quit at any time, resume from the start.
Ctrl+P opens the command palette. Change keys in the config file:
[keymap] then binding-id = "key", with the ids below."""


def bindings_table(rows: list[tuple[str, str, str]]) -> Table:
    table = Table(box=None, padding=(0, 2), header_style="bold")
    table.add_column("Key")
    table.add_column("Does")
    table.add_column("Binding id", style="dim")
    for key, description, binding_id in rows:
        table.add_row(key, description, binding_id)
    return table


class HelpScreen(ModalScreen[None]):
    CSS_PATH = "help.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,question_mark", "dismiss_help", "Close", id="help.close"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Static(Text(GUIDE), id="guide")
            yield Static(id="keys")

    def on_mount(self) -> None:
        self.query_one("#help-body").border_title = "Help"
        from readiness.tui.keymap import live_rows

        below = self.app.screen_stack[-2] if len(self.app.screen_stack) > 1 else self.app.screen
        rows = live_rows(self.app, [below, self.app])
        self.query_one("#keys", Static).update(bindings_table(rows))

    def action_dismiss_help(self) -> None:
        self.dismiss(None)
