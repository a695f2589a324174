"""Every binding id the TUI declares, and which ids in a config's keymap none has.

Apart from readiness/tui/keymap.py because it needs every screen and dialog, and those
import keymap.py for their keys. The app passes its own class in (it imports this module).
"""

from __future__ import annotations

from textual.binding import Binding
from textual.dom import DOMNode

from readiness.tui.dialogs.confirm import ConfirmDialog
from readiness.tui.dialogs.waiver import WaiverDialog
from readiness.tui.screens import SCREEN_SPECS, screen_class
from readiness.tui.screens.help import HelpScreen


def binding_classes(app: type[DOMNode]) -> list[type[DOMNode]]:
    """The app, every screen and every dialog: each class that can declare bindings."""
    # late: the start screen adds 9 ms to a saved
    # audit's first frame when the config has a keymap (the app checks it on mount)
    from readiness.tui.screens.start import StartScreen

    audit_screens: list[type[DOMNode]] = [screen_class(spec.name) for spec in SCREEN_SPECS]
    return [app, StartScreen, *audit_screens, HelpScreen, ConfirmDialog, WaiverDialog]


def declared_ids(app: type[DOMNode]) -> dict[str, Binding]:
    """Every binding id the TUI declares, with its default binding."""
    out: dict[str, Binding] = {}
    for cls in binding_classes(app):
        for b in cls.BINDINGS:
            if isinstance(b, Binding) and b.id is not None:
                out.setdefault(b.id, b)
    return out


def unknown_ids(keymap: dict[str, str], app: type[DOMNode]) -> list[str]:
    """Ids in a config keymap that no binding has (most likely a typo)."""
    known = declared_ids(app)
    return sorted(k for k in keymap if k not in known)
