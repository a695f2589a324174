"""What every screen of an open audit shares: the session, a status line, a footer."""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING, cast

from textual import events
from textual.geometry import Size
from textual.screen import Screen

from readiness.tui.session import AuditSession

if TYPE_CHECKING:
    from readiness.tui.app import ReadinessApp
    from readiness.tui.widgets.answer import AnswerField


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
    _styled_for: tuple[Hashable, object] | None = None  # the app when this screen went away

    def _style_inputs(self) -> tuple[Hashable, object]:
        """What, outside this screen, decides the styles of its widgets.

        The theme and CSS generation (Textual bumps it when the theme's CSS changes), the
        app's own classes and pseudo-classes (dark, focus/blur, inline, ...), its ANSI
        mode, and the parsed stylesheet itself: Textual replaces its rule list each time
        it (re)parses, e.g. when another screen's CSS file is loaded on its first show.
        """
        app = self.app
        values = (
            app.theme,
            getattr(app, "_css_update_count", None),
            app.ansi_color,
            app.app_focus,
            app.classes,
            app.pseudo_classes,
        )
        return values, app.stylesheet.rules

    def _styles_current(self) -> bool:
        """True when nothing around this screen changed since its styles were last set."""
        if self._styled_for is None:
            return False
        values, rules = self._style_inputs()
        return self._styled_for[0] == values and self._styled_for[1] is rules

    def on_screen_suspend(self) -> None:
        self._styled_for = self._style_inputs()

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        # Textual restyles every widget of a screen each time it comes back (about half the
        # cost of an F2/F3 switch). The widgets kept their styles while away, and changes
        # to them (classes, new widgets) are styled as they happen; only a change in the
        # app around them (a theme, the stylesheet) can leave them stale. So restyle only
        # then. A first show (nothing recorded) keeps Textual's choice.
        if self._styles_current():
            event.refresh_styles = False
        self._styled_for = None
        self.sync()

    def ready(self) -> None:
        """Called at the end of a screen's on_mount: from now on it can redraw."""
        self._ready = True
        if not self.is_current:  # built in the background (see ReadinessApp._prebuild_next)
            self._styled_for = self._style_inputs()
            self.set_timer(0.1, self.restyle_if_stale)
        self.sync()
        self.rapp.screen_built(self)

    def restyle_if_stale(self) -> None:
        """Catch up, while hidden, with stylesheet changes made since this screen was styled.

        The widgets a screen mounts as it is built add their own CSS to the app's
        stylesheet, which is then parsed again; the restyle that would follow on the first
        show is done now, in the background, instead.
        """
        if self.is_attached and not self.is_current and not self._styles_current():
            self.update_node_styles(animate=False)
            self._styled_for = self._style_inputs()

    def warm_up(self, size: Size, *, draw: bool) -> None:
        """Do, while hidden, a part of what this screen's first show would do.

        Each screen built after this one brought new widget types, whose CSS renewed the
        stylesheet: restyle if that left this one stale. Then, without ``draw``, Textual's
        own layout pass at the app's size (it paints only the current screen); with
        ``draw``, a render of every line into the widgets' caches, discarded here. The
        first show then finds both done; what changed meanwhile is redone as usual.
        """
        self.restyle_if_stale()
        if not self.is_attached or self.is_current:
            return
        if draw:
            self._compositor.render_update(full=True)
        else:
            self._refresh_layout(size)

    def sync(self) -> None:
        """Redraw from the session, once the screen is built and while it is not being
        taken down (no-op otherwise): a worker's last message (a discovery cancelled as the
        app quits) can arrive while Textual removes the screen's widgets."""
        if self._ready and not (self._pruning or self._closing or self._closed):
            self.redraw()

    def record_answer(self, event: AnswerField.Answered) -> None:
        """Save what an answer field settled on, or that it was cleared (saved at once)."""
        if event.cleared:
            self.session.clear_answer(event.question_id)
        else:
            self.session.set_answer(event.question_id, event.value, event.prefilled_from)

    def redraw(self) -> None:
        """Screens extend this; the status line is shared."""
        from readiness.tui.widgets.status import StatusLine

        for status in self.query(StatusLine):
            status.update_from(self.rapp)
