"""The app's screens, one module each, with its stylesheet beside it."""

from __future__ import annotations

from textual.screen import Screen


def build_screens() -> dict[str, Screen[None]]:
    """A fresh set of the screens of one open audit, by name."""
    from readiness.tui.screens.checklist import ChecklistScreen
    from readiness.tui.screens.discovery import DiscoveryScreen
    from readiness.tui.screens.drill import DrillScreen
    from readiness.tui.screens.export import ExportScreen
    from readiness.tui.screens.findings import FindingsScreen
    from readiness.tui.screens.impact import ImpactScreen

    return {
        "discovery": DiscoveryScreen(id="discovery"),
        "checklist": ChecklistScreen(id="checklist"),
        "impact": ImpactScreen(id="impact"),
        "findings": FindingsScreen(id="findings"),
        "export": ExportScreen(id="export"),
        "drill": DrillScreen(id="drill"),
    }
