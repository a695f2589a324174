"""What every screen of an open audit shares: the session, a status line, a footer."""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING, cast

from textual import events
from textual.screen import Screen

from readiness.audit_session import AuditSession
from readiness.tui.widgets.answer import AnswerField
from readiness.tui.widgets.status import StatusLine

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
    _styled_for: Hashable | None = None  # the app around it when this screen went away

    def _style_inputs(self) -> Hashable:
        """What, outside this screen, decides the styles of its widgets.

        The theme (and whether it is dark), the app's own classes and pseudo-classes
        (dark, focus/blur, inline, ...), its ANSI mode, and the stylesheets read from
        files (all at start-up; a file read later would change the rules for everyone).
        Not the widgets' default CSS, which Textual adds as each new widget type first
        mounts: scoped to that type, it styles only widgets this screen does not have
        yet, and Textual itself does not restyle the widgets on the screen shown when
        it comes. All of it through Textual's public API.
        """
        app = self.app
        return (
            app.theme,
            app.current_theme.dark,
            app.ansi_color,
            app.app_focus,
            app.classes,
            app.pseudo_classes,
            tuple(
                (where, source.content)
                for where, source in app.stylesheet.source.items()
                if not source.is_defaults
            ),
        )

    def _styles_current(self) -> bool:
        """True when nothing around this screen changed since its styles were last set."""
        return self._styled_for is not None and self._styled_for == self._style_inputs()

    def on_screen_suspend(self) -> None:
        self._styled_for = self._style_inputs()

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        # Textual restyles every widget of a screen each time it comes back (about half the
        # cost of an F2/F3 switch). The widgets kept their styles while away, and changes
        # to them (classes, new widgets) are styled as they happen; only a change in the
        # app around them (a theme, the stylesheet) can leave them stale. So restyle only
        # then. The same holds for a first show: its widgets were styled as they mounted,
        # for the app as ``ready`` recorded it (the checklist's first visit: 10-30 ms less).
        if self._styles_current():
            event.refresh_styles = False
        self._styled_for = None
        self.sync()

    def ready(self) -> None:
        """Called at the end of a screen's on_mount: from now on it can redraw."""
        self._ready = True
        self._styled_for = self._style_inputs()  # its widgets were just styled, for this app
        self.sync()
        self.rapp.screen_built(self)

    def sync(self) -> None:
        """Redraw from the session, once the screen is built and while the app runs (no-op
        otherwise): a worker's last message (a discovery cancelled as the app quits) can
        arrive while Textual removes the screen's widgets, and Textual marks the app as no
        longer running before it starts removing them."""
        if self._ready and self.app.is_running and self.is_attached:
            self.redraw()

    def record_answer(self, event: AnswerField.Answered) -> None:
        """Save what an answer field settled on, or that it was cleared (saved at once)."""
        if event.cleared:
            self.session.clear_answer(event.question_id)
        else:
            self.session.set_answer(event.question_id, event.value, event.prefilled_from)

    def show_suggestions(self) -> None:
        """Bring each answer field's suggestion up to date: a discovery or a drill may have
        ended since the field was built (in the background, well before it is shown)."""
        session = self.session
        suggestions = session.suggestions()
        for field in self.query(AnswerField):
            qid = field.question.id
            field.show_suggestion(suggestions.get(qid), session.answer(qid))

    def redraw(self) -> None:
        """Screens extend this; the status line is shared."""
        for status in self.query(StatusLine):
            status.update_from(self.rapp)
