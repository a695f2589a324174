"""The key footer of every screen: one widget that draws the keys as one line of text.

Textual's ``Footer`` makes a widget for each key it shows (3-8 on a screen here) and
throws them away and makes new ones every time its screen says "bindings updated": on
every focus change, and twice for each screen switch. Each key widget is mounted, styled
(its own style and two component styles) and laid out, and restyled again as its classes
are set: about 10 ms a footer on a small machine, paid for every screen built in the
background and again on many keys. Here the keys are spans of one line, drawn when what
the footer would show (keys, labels, enabled state) changes; a click on a key presses it,
as on Textual's footer.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from textual import events
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget

KEY_STYLE = "bold $footer-key-foreground on $footer-key-background"
DESCRIPTION_STYLE = "$footer-description-foreground on $footer-description-background"
HOVER_STYLE = "on $block-hover-background"
EDGE_STYLE = "$foreground 20%"  # the rule left of the command palette key, as Footer draws it


@dataclass(frozen=True)
class FooterKeySpan:
    """One key of the footer: the key it presses, how it is shown, and whether it is enabled."""

    key: str
    key_display: str
    description: str
    enabled: bool
    compact: bool = False  # the key without its padding (the palette's, as Footer has it)

    @cached_property
    def width(self) -> int:
        return self.content(hovered=False).cell_length

    def content(self, hovered: bool) -> Content:
        key = self.key_display if self.compact else f" {self.key_display} "
        described = f" {self.description} " if self.compact else f"{self.description} "
        parts = [Content.styled(key, KEY_STYLE)]
        if self.description:
            parts.append(Content.styled(described, DESCRIPTION_STYLE))
        drawn = Content("").join(parts)
        if not self.enabled:
            drawn = drawn.stylize("dim")
        return drawn.stylize(HOVER_STYLE) if hovered else drawn


class KeyFooter(Widget, can_focus=False):
    """The keys of the screen it is on, with the command palette key at the right."""

    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
    }
    """
    ALLOW_SELECT = False

    def __init__(self) -> None:
        super().__init__()
        self._keys: tuple[FooterKeySpan, ...] = ()
        self._palette: FooterKeySpan | None = None
        self._hovered: FooterKeySpan | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def bindings_changed(self, screen: Screen[object]) -> None:
        # As Footer: an app without focus has no focused widget, so fewer keys; keeping
        # the keys it had avoids a footer that flickers as the terminal loses focus.
        if not screen.app.app_focus:
            return
        keys, palette = self._keys_now()
        if (keys, palette) != (self._keys, self._palette):
            self._keys, self._palette = keys, palette
            self._hovered = None
            self.refresh()

    def _keys_now(self) -> tuple[tuple[FooterKeySpan, ...], FooterKeySpan | None]:
        """What ``Footer.compose`` would show: the first shown binding of each action,
        and the command palette's key apart."""
        app = self.app
        active = self.screen.active_bindings
        by_action: dict[str, FooterKeySpan] = {}
        for _, binding, enabled, _tooltip in active.values():
            if binding.show and binding.action not in by_action:
                by_action[binding.action] = FooterKeySpan(
                    binding.key, app.get_key_display(binding), binding.description, enabled
                )
        palette: FooterKeySpan | None = None
        if app.ENABLE_COMMAND_PALETTE and app.COMMAND_PALETTE_BINDING in active:
            _, binding, enabled, _tooltip = active[app.COMMAND_PALETTE_BINDING]
            palette = FooterKeySpan(
                binding.key, app.get_key_display(binding), binding.description, enabled, compact=True
            )
        return tuple(by_action.values()), palette

    def _layout(self, width: int) -> tuple[list[tuple[int, FooterKeySpan]], int]:
        """Where each key starts on a line this wide, and where the palette's rule is (or
        -1). The palette key keeps the right end, after a one-cell rule; the others take
        the room left of it, and those that do not fit are left out (Footer would scroll
        them out of sight)."""
        palette = self._palette
        if palette is not None and palette.width + 1 > width:
            palette = None
        room = width - palette.width - 1 if palette is not None else width
        placed: list[tuple[int, FooterKeySpan]] = []
        x = 0
        for span in self._keys:
            if x + span.width > room:
                break
            placed.append((x, span))
            x += span.width
        if palette is None:
            return placed, -1
        placed.append((room + 1, palette))
        return placed, room

    def render(self) -> Content:
        placed, rule = self._layout(self.size.width)
        line = Content("")
        for start, span in placed:
            if start > line.cell_length:
                if start - 1 == rule:
                    line += Content(" " * (rule - line.cell_length)) + Content.styled("▏", EDGE_STYLE)
                else:
                    line += Content(" " * (start - line.cell_length))
            line += span.content(span is self._hovered)
        return line

    def _span_at(self, x: int) -> FooterKeySpan | None:
        placed, _ = self._layout(self.size.width)
        return next((s for start, s in placed if start <= x < start + s.width), None)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        span = self._span_at(event.x)
        if span is None:
            return
        if span.enabled:
            self.app.simulate_key(span.key)
        else:
            self.app.bell()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        span = self._span_at(event.x)
        if span is not self._hovered:
            self._hovered = span
            self.refresh()

    def on_leave(self, event: events.Leave) -> None:
        if self._hovered is not None:
            self._hovered = None
            self.refresh()
