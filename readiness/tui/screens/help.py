"""Help: how the walkthrough goes, and every key binding with the id to remap it."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from readiness.tui.keymap import live_key, live_rows
from readiness.tui.screens import SCREEN_SPECS

INTRO = "A walkthrough goes left to right along the function keys:"
OUTRO = """\
In the checklist: Enter on a check goes to its questions, Escape back to
the list, Tab from the list to the text and the fields; u jumps to the
next check still waiting for an answer, s accepts what was suggested.
Everything is saved as you go: quit at any time, resume from the start.
Ctrl+P opens the command palette. Change keys in the config file:
[keymap] then binding-id = "key", with the ids below."""


def guide(app: App[Any]) -> str:
    """The walkthrough, one line a screen from the screen registry, with the keys as they
    are now (the config's keymap may have moved them)."""
    keys = [live_key(app, spec.binding_id, spec.key) for spec in SCREEN_SPECS]
    width = max(len(k) for k in keys)
    lines = [
        f" {key:<{width}} {spec.label:<12}{spec.summary}"
        for key, spec in zip(keys, SCREEN_SPECS, strict=True)
    ]
    return "\n".join([INTRO, *lines, OUTRO])


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
            yield Static(Text(guide(self.app)), id="guide")
            yield Static(id="keys")

    def on_mount(self) -> None:
        self.query_one("#help-body").border_title = "Help"
        below = self.app.screen_stack[-2] if len(self.app.screen_stack) > 1 else self.app.screen
        rows = live_rows(self.app, [below, self.app])
        self.query_one("#keys", Static).update(bindings_table(rows))

    def action_dismiss_help(self) -> None:
        self.dismiss(None)
