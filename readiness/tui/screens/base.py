"""What every screen of an open audit shares: the session, a status line, a footer."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.screen import Screen

from readiness.tui.session import AuditSession

if TYPE_CHECKING:
    from readiness.tui.app import ReadinessApp


class AuditScreen(Screen[None]):
    """A screen that shows part of the open audit and redraws itself from the session."""

    @property
    def rapp(self) -> ReadinessApp:
        return cast("ReadinessApp", self.app)

    @property
    def session(self) -> AuditSession:
        session = self.rapp.session
        assert session is not None, "an audit screen is only shown with an open audit"
        return session

    _ready = False

    def on_screen_resume(self) -> None:
        self.sync()

    def ready(self) -> None:
        """Called at the end of a screen's on_mount: from now on it can redraw."""
        self._ready = True
        self.sync()

    def sync(self) -> None:
        """Redraw from the session, once the screen is built (no-op before)."""
        if self._ready:
            self.redraw()

    def redraw(self) -> None:
        """Screens extend this; the status line is shared."""
        from readiness.tui.widgets.status import StatusLine

        for status in self.query(StatusLine):
            status.update_from(self.rapp)
