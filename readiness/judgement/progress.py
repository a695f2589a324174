"""How far a walkthrough has come: which checks still wait for answers, which questions
are still open.

A question is open while a check that asks it waits for its answer: the check is not
judged yet, or it was judged unknown for want of that answer (its finding says what it
lacks). A check judged otherwise (pass, fail, warn, not applicable) or waived asks nothing
more, so its questions stop counting: once an office says it has no backup line, the
questions about the backup line's provider, entry point and bandwidth belong to checks
that no longer apply, and the walkthrough is done without them; once a drill saw traffic
move to a backup line, nobody needs to be asked whether there is one. An answer given
stays counted whatever happens to its checks. Questions no check asks (the optional extra
costs of an outage on the impact screen) are not counted either way: answering one would
otherwise grow both numbers.

Judged from the audit's findings as last evaluated: the TUI re-evaluates on every
change, and a saved audit holds the findings of its last save.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from readiness.catalogue import Catalogue, Check
from readiness.model import Audit, Verdict

UNANSWERED: Final = "unanswered"
CheckState = Verdict | Literal["unanswered"]


def wanted_questions(audit: Audit, check: Check) -> list[str]:
    """The check's questions whose answers it still waits for (see the module)."""
    if check.id in audit.waivers:
        return []
    unanswered = [q for q in check.questions if q not in audit.answers]
    finding = next((f for f in audit.findings if f.check_id == check.id), None)
    if finding is None:
        return unanswered
    if finding.verdict != Verdict.UNKNOWN:
        return []
    lacking = {m.removeprefix("answers.") for m in finding.missing}
    return [q for q in unanswered if q in lacking]


def check_state(audit: Audit, check: Check) -> CheckState:
    """Unanswered while the check waits for answers (see the module), else its verdict."""
    if check.id in audit.waivers:
        return Verdict.WAIVED
    verdict = next((f.verdict for f in audit.findings if f.check_id == check.id), None)
    if verdict is None or wanted_questions(audit, check):
        return UNANSWERED
    return verdict


@dataclass(frozen=True)
class Progress:
    answered: int  # questions answered, of those the checks ask
    questions: int  # answered + still open
    judged: int  # checks with a verdict other than unknown
    checks: int


def open_questions(audit: Audit, catalogue: Catalogue) -> list[str]:
    """The questions still open (see the module), in the catalogue's order."""
    wanted = {qid for check in catalogue.checks for qid in wanted_questions(audit, check)}
    return [q.id for q in catalogue.questions if q.id in wanted]


def progress(audit: Audit, catalogue: Catalogue) -> Progress:
    asked = {qid for check in catalogue.checks for qid in check.questions}
    answered = sum(1 for q in catalogue.questions if q.id in asked and q.id in audit.answers)
    judged = sum(
        1
        for check in catalogue.checks
        if (state := check_state(audit, check)) != UNANSWERED and state != Verdict.UNKNOWN
    )
    return Progress(answered, answered + len(open_questions(audit, catalogue)), judged, len(catalogue.checks))
