"""What every screen of an open audit shares: the session, a status line, a footer."""

from __future__ import annotations

from collections.abc import Hashable
from time import perf_counter
from typing import TYPE_CHECKING, cast

from textual import events
from textual.geometry import Region, Size
from textual.screen import Screen
from textual.widget import Widget

from readiness.tui.session import AuditSession

if TYPE_CHECKING:
    from readiness.tui.app import ReadinessApp
    from readiness.tui.widgets.answer import AnswerField


WARM_LAYOUTS = 4  # layouts at most while hidden: two or three settle every screen here
DRAW_SLICE_S = 0.006  # a warm-up draw step stops after this long (one widget at least)


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
    _warm_size: Size | None = None  # the size it was last laid out at while hidden
    _warm_layouts = 0  # layouts done while hidden (see warm_up)
    _warm_drawn = False  # drawn while hidden since its last layout
    _warm_to_draw: list[tuple[Widget, Region]] | None = None  # and what is left to draw

    def _style_inputs(self) -> Hashable:
        """What, outside this screen, decides the styles of its widgets.

        The theme and CSS generation (Textual bumps it when the theme's CSS changes), the
        app's own classes and pseudo-classes (dark, focus/blur, inline, ...), its ANSI
        mode, and the stylesheets read from files (all at start-up; a file read later
        would change the rules for everyone). Not the widgets' default CSS, which
        Textual adds as each new widget type first mounts: scoped to that type, it styles
        only widgets this screen does not have yet, and Textual itself does not restyle
        the widgets on the screen shown when it comes.
        """
        app = self.app
        return (
            app.theme,
            getattr(app, "_css_update_count", None),
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
        # then. A first show (nothing recorded) keeps Textual's choice.
        if self._styles_current():
            event.refresh_styles = False
        self._styled_for = None
        self.sync()

    def ready(self) -> None:
        """Called at the end of a screen's on_mount: from now on it can redraw."""
        self._ready = True
        if not self.is_current:  # built in the background (see readiness/tui/preparation.py)
            self._styled_for = self._style_inputs()
        self.sync()
        self.rapp.screen_built(self)

    def restyle_if_stale(self) -> bool:
        """Catch up, while hidden, with what changed around this screen since it was
        styled (see _style_inputs: the theme, say); say whether anything had.

        The restyle its next show would do is done now, in the background, instead.
        """
        if self.is_attached and not self.is_current and not self._styles_current():
            self.update_node_styles(animate=False)
            self._styled_for = self._style_inputs()
            self._warm_drawn, self._warm_to_draw, self._warm_layouts = False, None, 0  # laid out anew
            return True
        return False

    def warm_up(self, size: Size, *, lay_out: bool = True) -> bool:
        """Do, while hidden, one step of what this screen's first show would do; say
        whether there was one to do.

        A step is one of: a restyle, if something around the screen changed (see
        restyle_if_stale); Textual's own layout pass at the app's size (it lays out only
        the current screen); the drawing of the next few widgets. A layout sends the
        widgets resize events, and some ask for another layout in answer (a scroll bar
        appears, a text wraps anew); so the screen is laid out again until none is asked
        for (at most WARM_LAYOUTS times), then drawn: each widget shown renders its lines
        into its own cache, as the compositor's full render would have it do, for
        DRAW_SLICE_S a step (the whole checklist at once took 20-35 ms, which a key could
        wait for). The first show finds all that done; what changes meanwhile is redone
        as usual. Without ``lay_out``, only the restyle.
        """
        if not self.is_attached or self.is_current:
            return False
        if self.restyle_if_stale():
            return True
        if not lay_out:
            return False
        if (self._layout_required or self._warm_size != size) and self._warm_layouts < WARM_LAYOUTS:
            self._refresh_layout(size)
            # What Textual's own update does after a layout; without it the first show
            # would lay the whole screen out once more (11-15 ms for the checklist).
            self._layout_required = False
            self._dirty_widgets.clear()
            self._warm_size, self._warm_drawn, self._warm_to_draw = size, False, None
            self._warm_layouts += 1
            return True
        if not self._warm_drawn:
            self._draw_some()
            return True
        return False

    def _draw_some(self) -> None:
        """Render the next widgets' lines, as the compositor would for a full frame
        (each widget's region within its clip), for DRAW_SLICE_S at most."""
        if self._warm_to_draw is None:
            self._warm_to_draw = [
                (widget, region.intersection(clip).translate(-region.offset))
                for widget, (region, clip) in self._compositor.visible_widgets.items()
            ]
        deadline = perf_counter() + DRAW_SLICE_S
        while self._warm_to_draw:
            widget, crop = self._warm_to_draw.pop()
            if crop:
                widget.render_lines(crop)
            if perf_counter() >= deadline:
                break
        if not self._warm_to_draw:
            self._warm_drawn, self._warm_to_draw = True, None

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

    def show_suggestions(self) -> None:
        """Bring each answer field's suggestion up to date: a discovery or a drill may have
        ended since the field was built (in the background, well before it is shown)."""
        from readiness.tui.widgets.answer import AnswerField

        session = self.session
        suggestions = session.suggestions()
        for field in self.query(AnswerField):
            qid = field.question.id
            field.show_suggestion(suggestions.get(qid), session.answer(qid))

    def redraw(self) -> None:
        """Screens extend this; the status line is shared."""
        from readiness.tui.widgets.status import StatusLine

        for status in self.query(StatusLine):
            status.update_from(self.rapp)
