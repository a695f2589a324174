"""The line at the top of every audit screen: where you are, and the keys to go elsewhere.

Each entry is also a link, so the mouse works as well as the function keys.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

ENTRIES: list[tuple[str, str, str]] = [
    ("discovery", "F2", "Discovery"),
    ("checklist", "F3", "Checklist"),
    ("impact", "F4", "Impact"),
    ("findings", "F5", "Findings"),
    ("export", "F6", "Export"),
    ("drill", "F7", "Drill"),
]


class NavBar(Static):
    DEFAULT_CSS = """
    NavBar { height: 1; background: $primary-background; color: $text; padding: 0 1; }
    """

    def __init__(self, current: str) -> None:
        super().__init__(id="nav")
        self.current = current

    def on_mount(self) -> None:
        parts: list[Content] = [Content.styled("readiness ", "bold")]
        for name, key, label in ENTRIES:
            style = "reverse bold" if name == self.current else ""
            parts.append(
                Content.from_markup(
                    f"[@click=app.goto('{name}')][$accent]{key}[/] {label}[/]",
                ).stylize(style)
            )
        self.update(Content(" ").join(parts))
