"""Plain renderings of discovered facts, one block per group, readable at a glance.

Each probe's block is its spec's ``view`` (readiness/probes/specs/). ``None`` in the facts
means the probe could not see; it is shown as "not known" with the probe's reason, never as
"none found".
"""

from __future__ import annotations

from rich.text import Text

from readiness.model import Facts, ProbeReport
from readiness.probes.registry import specs

GROUPS: list[tuple[str, str, str]] = [
    # (group id: the Facts field, title, the probe whose report explains an unknown)
    (s.field, s.view_title or s.title, s.name)
    for s in specs()
    if s.view is not None
]


def _unknown(report: ProbeReport | None) -> Text:
    reason = report.reason if report and report.reason else "the probe has not run"
    return Text(f"not known: {reason}", style="italic dim")


def render_group(group: str, facts: Facts) -> Text:
    """The block for ``group``; when its facts are unknown, the reason the probe gave."""
    spec = next(s for s in specs() if s.field == group)
    text = spec.view(facts) if spec.view is not None else None
    if text is None:
        return _unknown(facts.probes.get(spec.name))
    text.rstrip()
    return text
