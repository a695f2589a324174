"""A scripted walkthrough that autosaves after every answer, for the kill -9 test.

``python -m tests.hardening.autosave_child AUDIT.json START`` resumes the saved audit (or
starts one), then answers step START, START+1, ... through the TUI's own AuditSession,
which evaluates and saves after every change. After each save returns it prints
``saved N`` (the acknowledgement the test relies on) and flushes.
"""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path

from readiness.audit_session import AuditSession
from readiness.catalogue import Catalogue, Question, QuestionType, default_catalogue
from readiness.model import AnswerValue
from readiness.store import load_audit, new_audit


def value_for(q: Question, n: int) -> AnswerValue:
    """A valid answer to ``q`` that depends on the step, so steps can be told apart."""
    if q.type == QuestionType.YESNO:
        return n % 2 == 0
    if q.type == QuestionType.NUMBER:
        low = q.min if q.min is not None else 0
        high = q.max if q.max is not None else low + 1000
        span = max(int(high - low), 1)
        return int(low + n % span) if q.integer or span > 1 else low
    if q.type == QuestionType.CHOICE:
        return q.choices[n % len(q.choices)].value
    if q.type == QuestionType.MULTI:
        return [q.choices[n % len(q.choices)].value]
    if q.type == QuestionType.DATE:
        return (date(2025, 1, 1) + timedelta(days=n % 300)).isoformat()
    return f"step {n}"


def step(catalogue: Catalogue, n: int) -> tuple[str, AnswerValue]:
    """(question id, value) answered at step ``n``."""
    q = catalogue.questions[n % len(catalogue.questions)]
    return q.id, value_for(q, n)


def main() -> None:
    path, start = Path(sys.argv[1]), int(sys.argv[2])
    catalogue = default_catalogue()
    audit = load_audit(path) if path.exists() else new_audit("Kill -9 office", technician="Sam")
    session = AuditSession(audit, path, catalogue)
    n = start
    while True:
        qid, value = step(catalogue, n)
        session.set_answer(qid, value)
        session.save()  # set_answer skips an unchanged value; the acknowledgement needs a save
        print(f"saved {n}", flush=True)
        n += 1


if __name__ == "__main__":
    main()
