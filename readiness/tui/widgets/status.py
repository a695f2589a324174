"""The one-line summary at the top of every audit screen: where the audit stands."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

if TYPE_CHECKING:
    from readiness.tui.app import ReadinessApp


class StatusLine(Static):
    """Site, progress through the checklist, the score and what discovery is doing."""

    DEFAULT_CSS = """
    StatusLine { width: 1fr; height: 1; background: $panel; color: $text; padding: 0 1; }
    """

    def update_from(self, app: ReadinessApp) -> None:
        session = app.session
        if session is None:
            self.update("", layout=False)
            return
        p = session.progress()
        text = Text()
        text.append(session.audit.site.name, style="bold")
        text.append(f" · answered {p.answered}/{p.questions}")
        text.append(f" · judged {p.judged}/{p.checks}")
        score = session.audit.score
        if score is not None and score.overall is not None:
            text.append(f" · score {score.overall:.0f} {score.level}", style="bold")
        if app.discovery_running:
            done = sum(1 for e in app.probe_events.values() if e.state == "done")
            text.append(f" · discovery {done}/{len(app.probe_events)}…", style="italic")
        if session.last_error:
            text.append(f" · ! {session.last_error}", style="bold red")
        # One line across the screen whatever it says: no relayout of the screen (~10 ms)
        # each time a probe moves on.
        self.update(text, layout=False)
