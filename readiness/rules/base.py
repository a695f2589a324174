"""The contract every rule follows: a pure function of facts, answers and drills.

A rule reads nothing else (no clock, no files, no network) and returns a verdict with the
evidence that decided it. ``@rule("WAN-001")`` registers it for the check of that id.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from readiness.catalogue import Thresholds, default_catalogue
from readiness.model import Answer, DrillResult, Evidence, Facts, History, Verdict


@dataclass(frozen=True)
class RuleInput:
    facts: Facts
    answers: Mapping[str, Answer]
    drills: Sequence[DrillResult]
    # Catalogue service ids to their category, so rules can reason about dependencies
    # without importing the catalogue loader.
    service_categories: Mapping[str, str] = field(default_factory=dict)
    # The day the audit is judged on (the engine passes audit.updated_at.date()); rules
    # that reason about "recently" compare against it and never read the clock.
    as_of: date | None = None
    # The office's day of an instant (its time zone applied; the engine passes it). A rule
    # asks ``day`` instead of ``instant.date()``, so a drill just before midnight UTC falls
    # on the office's own date; None: the instant's own date.
    day_of: Callable[[datetime], date] | None = None
    # The figures the line rules judge by (checks.toml); the engine passes the audit's
    # catalogue's, others get the shipped catalogue's.
    thresholds: Thresholds = field(default_factory=lambda: default_catalogue().thresholds)

    # What `readiness watch` measured over days, when the audit was given its database.
    history: History | None = None

    def day(self, instant: datetime) -> date:
        return self.day_of(instant) if self.day_of is not None else instant.date()

    def answer(self, question_id: str) -> Answer | None:
        """The answer, or None when the question was not answered at all."""
        return self.answers.get(question_id)


@dataclass
class RuleResult:
    verdict: Verdict
    summary: str
    evidence: list[Evidence] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    conflict: str | None = None
    # The check whose failure this verdict only repeats (one root cause, reported once).
    follows: str | None = None


RuleFn = Callable[[RuleInput], RuleResult]

RULES: dict[str, RuleFn] = {}


def rule(check_id: str) -> Callable[[RuleFn], RuleFn]:
    def register(fn: RuleFn) -> RuleFn:
        if check_id in RULES:
            raise ValueError(f"two rules for {check_id}")
        RULES[check_id] = fn
        return fn

    return register
