"""The line at the top of every audit screen: where you are, and the keys to go elsewhere.

Each entry is also a link, so the mouse works as well as the function keys. The entries
and their keys come from the screen registry and the config's keymap.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from readiness.tui.keymap import live_key
from readiness.tui.screens import SCREEN_SPECS


class NavBar(Static):
    DEFAULT_CSS = """
    NavBar { height: 1; background: $primary-background; color: $text; padding: 0 1; }
    """

    def __init__(self, current: str) -> None:
        super().__init__(id="nav")
        self.current = current

    def on_mount(self) -> None:
        parts: list[Content] = [Content.styled("readiness ", "bold")]
        for spec in SCREEN_SPECS:
            style = "reverse bold" if spec.name == self.current else ""
            key = live_key(self.app, spec.binding_id, spec.key)
            parts.append(
                Content.from_markup(
                    f"[@click=app.goto('{spec.name}')][$accent]{key}[/] {spec.label}[/]",
                ).stylize(style)
            )
        self.update(Content(" ").join(parts))
