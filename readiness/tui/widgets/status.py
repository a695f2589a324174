"""The one-line summary at the top of every audit screen: where the audit stands."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

from readiness.judgement.scoring import NOT_ASSESSED

if TYPE_CHECKING:
    from readiness.model import Score
    from readiness.tui.app import ReadinessApp


def score_brief(score: Score | None) -> str | None:
    """The score in a few words, for a status line or a table cell; None when there is none.

    Below half the checklist judged the score has a number but no level: "50 Not assessed"
    would read as a contradiction, so it says that the level is still to come.
    """
    if score is None or score.overall is None:
        return None
    if score.level == NOT_ASSESSED:
        return f"{score.overall:.0f}, no level yet"
    return f"{score.overall:.0f} {score.level}"


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
        brief = score_brief(session.audit.score)
        if brief is not None:
            text.append(f" · score {brief}", style="bold")
        if app.discovery_running:
            done = sum(1 for e in app.probe_events.values() if e.state == "done")
            text.append(f" · discovery {done}/{len(app.probe_events)}…", style="italic")
        if session.last_error:
            text.append(f" · ! {session.last_error}", style="bold red")
        # One line across the screen whatever it says: no relayout of the screen (~10 ms)
        # each time a probe moves on.
        self.update(text, layout=False)
