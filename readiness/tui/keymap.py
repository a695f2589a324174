"""Bindings and the config's keymap: which ids exist, and which keys each one has now.

Every Binding in the TUI has an id (``area.action``); ``Config.keymap`` maps ids to keys
and is applied with ``App.set_keymap``. The help screen lists the live keys from here.
"""

from __future__ import annotations

import re
from typing import Any

from textual.app import App
from textual.binding import Binding, BindingsMap, BindingType
from textual.dom import DOMNode

FUNCTION_KEY = re.compile(r"f\d{1,2}")


def app_keymap(app: App[Any]) -> dict[str, str]:
    """The keymap the app applied (``App.set_keymap`` from the config), by binding id."""
    config = getattr(app, "config", None)
    return dict(config.keymap) if config is not None else {}


def live_key(app: App[Any], binding_id: str, default: str) -> str:
    """How the key bound to ``binding_id`` is shown now: "F3", or the config's key for it
    (the first, when it names several)."""
    keys = app_keymap(app).get(binding_id, default)
    shown = app.get_key_display(Binding(keys.split(",")[0].strip(), ""))
    return shown.upper() if FUNCTION_KEY.fullmatch(shown) else shown  # "F3", as the guide writes them


def class_bindings(node: DOMNode) -> BindingsMap:
    """The bindings ``node``'s class declares, with those of its bases (a subclass's
    binding for a key added after its base's), as Textual gathers them."""
    declared: list[BindingType] = []
    for cls in reversed(type(node).__mro__):
        declared.extend(cls.__dict__.get("BINDINGS", ()))
    return BindingsMap(declared)


def live_rows(app: App[Any], nodes: list[DOMNode]) -> list[tuple[str, str, str]]:
    """(keys, description, id) for the bindings of ``nodes``, after the config's keymap."""
    keymap = app_keymap(app)
    rows: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    for node in nodes:
        bindings = class_bindings(node)
        if keymap:
            bindings.apply_keymap(keymap)
        by_id: dict[str, list[Binding]] = {}
        for binding_list in bindings.key_to_bindings.values():
            for b in binding_list:
                if b.id is not None:
                    by_id.setdefault(b.id, []).append(b)
        for binding_id, found in by_id.items():
            if binding_id in seen:
                continue
            seen.add(binding_id)
            keys = ", ".join(app.get_key_display(b) for b in found)
            rows.append((keys, found[0].description or found[0].action, binding_id))
    return rows
