"""The command palette: the main actions under namespaced names ("export: markdown")."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from readiness.export.formats import menu
from readiness.tui.runner import probe_list
from readiness.tui.screens import SCREEN_SPECS

if TYPE_CHECKING:
    from readiness.tui.app import ReadinessApp

Entry = tuple[str, Callable[[], object], str]
MAIN_ACTIONS = ("discovery: rerun all", "export:", "drill:", "theme:")


class ReadinessCommands(Provider):
    """Actions on the open audit: discovery, checks, export, the drill, the screens."""

    def _entries(self) -> list[Entry]:
        app = cast("ReadinessApp", self.app)
        session = app.session
        if session is None:
            return []
        entries: list[Entry] = [
            ("discovery: rerun all probes", app.run_discovery, "Run every probe again"),
        ]

        for name, title in probe_list(session.audit.facts):
            entries.append(
                (f"discovery: rerun {name}", partial(app.run_discovery, [name]), f"Run '{title}' again")
            )
        for check in session.catalogue.checks:
            entries.append(
                (
                    f"check: {check.id} {check.title}",
                    partial(app.jump_to_check, check.id),
                    "Open this check in the checklist",
                )
            )
        for fmt, _, description in menu():
            entries.append(
                (
                    f"export: {fmt}",
                    partial(app.export_now, fmt),
                    f"Write {description}, to the path on the export screen",
                )
            )
        entries.append(
            ("drill: start", app.start_drill, "Cut the main line on purpose and watch the failover")
        )
        for spec in SCREEN_SPECS:
            entries.append(
                (f"go: {spec.name}", partial(app.action_goto, spec.name), f"Show the {spec.name} screen")
            )
        entries.append(
            ("theme: toggle light/dark", app.action_toggle_theme, "Switch between the light and dark theme")
        )
        return entries

    async def discover(self) -> Hits:
        """With nothing typed: the main actions (checks and single probes come by search)."""
        for name, callback, help_text in self._entries():
            if name.startswith(MAIN_ACTIONS):
                yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in self._entries():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
