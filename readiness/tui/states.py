"""How a check's state is shown on every screen: a mark, words and a style.

Its own module so that the screens that show states do not import each other (the
findings screen importing the checklist's would pay for its answer widgets and rules).
"""

from __future__ import annotations

from readiness.judgement.progress import UNANSWERED
from readiness.model import Verdict

STATE_STYLE: dict[str, tuple[str, str, str]] = {
    # state: (mark, words, style)
    UNANSWERED: ("○", "unanswered", "dim"),
    Verdict.PASS: ("✓", "pass", "green"),
    Verdict.FAIL: ("✗", "fail", "bold red"),
    Verdict.WARN: ("!", "warn", "yellow"),
    Verdict.UNKNOWN: ("?", "unknown", "magenta"),
    Verdict.NOT_APPLICABLE: ("–", "not applicable", "dim"),
    Verdict.WAIVED: ("w", "waived", "cyan"),
}
