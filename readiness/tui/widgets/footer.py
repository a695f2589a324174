"""The key footer of every screen, rebuilt only when the keys it shows change.

Textual's ``Footer`` throws its keys away and composes new ones every time its screen
says "bindings updated": on every focus change, and twice for each screen switch (the
screen that goes and the one that comes). Each rebuild mounts and styles a handful of
widgets and lays the footer out again, 10-20 ms each on a small machine, right after the
frame of a screen switch - so a technician who presses F2, F3 quickly waits for the
footers of the switch before. Here the rebuild happens only when what the footer would
show (keys, labels, enabled state, tooltips) is different from what it shows now, and
several updates in one refresh cycle make at most one rebuild.
"""

from __future__ import annotations

from collections.abc import Hashable

from textual.screen import Screen
from textual.widgets import Footer


class KeyFooter(Footer):
    """A ``Footer`` that recomposes only when its visible bindings changed."""

    _shown: Hashable | None = None
    _pending = False

    def bindings_changed(self, screen: Screen[object]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._pending:
            self._pending = True
            self.call_after_refresh(self._recompose_if_changed)

    def _shows(self) -> Hashable:
        """Everything ``Footer.compose`` reads to decide which keys to show, and how."""
        app = self.app
        keys = tuple(
            (
                key,
                binding,
                app.get_key_display(binding),
                enabled,
                tooltip,
            )
            for key, (_, binding, enabled, tooltip) in self.screen.active_bindings.items()
            if binding.show or key == app.COMMAND_PALETTE_BINDING
        )
        return keys, self.show_command_palette, app.ENABLE_COMMAND_PALETTE

    async def _recompose_if_changed(self) -> None:
        self._pending = False
        if not self.is_attached:
            return
        shows = self._shows()
        if shows == self._shown:
            return
        self._shown = shows
        await self.recompose()
