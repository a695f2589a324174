"""The audit pipeline: rules -> findings -> waivers -> points -> score and cost.

``evaluate`` is the one call the CLI, the exports and the TUI make after any change to an
audit. It is pure: no clock (the audit's own ``updated_at`` is the reference date for
"recent" tests and for waiver expiry), no I/O beyond the catalogue the caller may pass.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import readiness.rules  # noqa: F401  (registers every rule in RULES)
from readiness.catalogue import Catalogue, Check, default_catalogue
from readiness.cost import cost_from_answers
from readiness.localtime import office_day
from readiness.model import Audit, Evidence, Finding, Severity, Verdict, Waiver
from readiness.rules.base import RULES, RuleInput, RuleResult
from readiness.scoring import apply_points, profile_factors, score


def _judge(check: Check, inp: RuleInput) -> RuleResult:
    fn = RULES.get(check.id)
    if fn is None:
        return RuleResult(Verdict.UNKNOWN, "No rule judges this check yet.", missing=["rule"])
    return fn(inp)


def _finding(check: Check, result: RuleResult, waiver: Waiver | None, as_of: date) -> Finding:
    verdict = result.verdict
    evidence = list(result.evidence)
    applied: Waiver | None = None
    if waiver is not None:
        if waiver.expires >= as_of:
            verdict, applied = Verdict.WAIVED, waiver
            evidence.append(
                Evidence(
                    source="computed",
                    key="waiver",
                    value=f"until {waiver.expires.isoformat()}",
                    note=f"judged {result.verdict.value} before the waiver: {waiver.reason}",
                )
            )
        else:
            evidence.append(
                Evidence(
                    source="computed",
                    key="waiver",
                    value=f"expired on {waiver.expires.isoformat()}",
                    note="the waiver no longer applies",
                )
            )
    return Finding(
        check_id=check.id,
        title=check.title,
        category=check.category,
        severity=check.severity,
        verdict=verdict,
        summary=result.summary,
        evidence=evidence,
        missing=list(result.missing),
        conflict=result.conflict,
        waiver=applied,
        guide_points=list(check.guide_points),
    )


def judge_all(audit: Audit, catalogue: Catalogue) -> list[Finding]:
    """One finding per check, in catalogue order, waivers applied, points not yet set."""
    timezone = audit.site.timezone
    as_of = office_day(audit.updated_at, timezone)
    inp = RuleInput(
        facts=audit.facts,
        answers=audit.answers,
        drills=tuple(audit.drills),
        service_categories={s.id: s.category for s in catalogue.services},
        as_of=as_of,
        day_of=lambda instant: office_day(instant, timezone),
    )
    return [
        _finding(check, _judge(check, inp), audit.waivers.get(check.id), as_of) for check in catalogue.checks
    ]


def evaluate(audit: Audit, catalogue: Catalogue | None = None) -> Audit:
    """A copy of ``audit`` with findings, score and cost recomputed from its inputs.

    Everything is copied except the drill results, which are shared: a finished drill is
    a record that nothing edits, and a ten-minute timeline holds 30,000 samples whose deep
    copy would double the memory of every evaluation (bench/memory.py).
    """
    cat = catalogue if catalogue is not None else default_catalogue()
    findings = judge_all(audit, cat)
    findings = apply_points(findings, cat, profile_factors(audit.answers, audit.facts))
    without_drills = audit.model_copy(update={"drills": []})  # shallow: nothing copied yet
    return without_drills.model_copy(
        deep=True,
        update={
            "findings": findings,
            "score": score(findings, cat, audit.answers, audit.facts),
            "cost": cost_from_answers(audit.answers, audit.drills),
            "drills": list(audit.drills),
        },
    )


ACTIONABLE = frozenset({Verdict.FAIL, Verdict.WARN})


def findings_by_severity(
    audit: Audit, verdicts: Iterable[Verdict] = ACTIONABLE
) -> list[tuple[Severity, list[Finding]]]:
    """Findings with the given verdicts grouped by severity, most severe first (empty groups left out)."""
    wanted = frozenset(verdicts)
    groups: list[tuple[Severity, list[Finding]]] = []
    for sev in sorted(Severity, key=lambda s: s.rank, reverse=True):
        hits = [f for f in audit.findings if f.severity is sev and f.verdict in wanted]
        if hits:
            groups.append((sev, hits))
    return groups
