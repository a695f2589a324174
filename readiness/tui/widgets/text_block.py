"""A Static that changes only when what it shows changes."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class TextBlock(Static):
    """Screens redraw from the session on every change (a probe moving on, an answer), and
    each ``Static.update`` relayouts the whole screen (8-15 ms) even when the text is the
    same: ``show`` skips an update that would draw the same text again."""

    _shown: Text | str | None = None

    def show(self, content: Text | str) -> None:
        if content != self._shown:
            self._shown = content
            self.update(content)
