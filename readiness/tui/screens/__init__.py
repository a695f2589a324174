"""The app's screens, one module each, with its stylesheet beside it."""

from __future__ import annotations

from collections.abc import Callable

from textual.screen import Screen

ScreenFactory = Callable[[], Screen[None]]


def screen_factories() -> dict[str, ScreenFactory]:
    """How to make each screen of one open audit, by name.

    Factories rather than screens: a screen's module (and the widgets it needs: the
    drill's chart library, the findings' tables) is imported when the screen is first
    wanted, after the first frame, not before it (~110 ms of imports on a new audit).
    """

    def discovery() -> Screen[None]:
        from readiness.tui.screens.discovery import DiscoveryScreen

        return DiscoveryScreen(id="discovery")

    def checklist() -> Screen[None]:
        from readiness.tui.screens.checklist import ChecklistScreen

        return ChecklistScreen(id="checklist")

    def impact() -> Screen[None]:
        from readiness.tui.screens.impact import ImpactScreen

        return ImpactScreen(id="impact")

    def findings() -> Screen[None]:
        from readiness.tui.screens.findings import FindingsScreen

        return FindingsScreen(id="findings")

    def export() -> Screen[None]:
        from readiness.tui.screens.export import ExportScreen

        return ExportScreen(id="export")

    def drill() -> Screen[None]:
        from readiness.tui.screens.drill import DrillScreen

        return DrillScreen(id="drill")

    return {
        "discovery": discovery,
        "checklist": checklist,
        "impact": impact,
        "findings": findings,
        "export": export,
        "drill": drill,
    }
