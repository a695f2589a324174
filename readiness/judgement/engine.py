"""The audit pipeline: rules -> findings -> waivers -> points -> score and cost, then
need, the action plan (each action a what-if: the same pipeline on a changed copy) and the
fit of readiness against need.

``evaluate`` is the one call the CLI, the exports and the TUI make after any change to an
audit. It is pure: no clock (the audit's own ``updated_at`` is the reference date for
"recent" tests and for waiver expiry), no I/O beyond the catalogue the caller may pass.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import readiness.rules  # noqa: F401  (registers every rule in RULES)
from readiness.catalogue import Catalogue, Check, default_catalogue
from readiness.judgement.cost import cost_from_answers
from readiness.judgement.need import judge_fit, judge_need
from readiness.judgement.plan import build_plan
from readiness.judgement.scoring import apply_points, profile_factors, score
from readiness.judgement.strength import strongest, verification
from readiness.localtime import office_day
from readiness.model import Audit, Evidence, Finding, Severity, Verdict, Waiver
from readiness.rules.base import RULES, RuleInput, RuleResult
from readiness.rules.common import backup_state
from readiness.rules.judge import Judge


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
        strength=strongest(evidence),
        follows=result.follows,
    )


def _follow_waivers(findings: list[Finding]) -> list[Finding]:
    """A problem that only repeats a waived one is accepted with it: waiving "one line" also
    accepts "no backup line to switch to"."""
    by_id = {f.check_id: f for f in findings}
    out = []
    for f in findings:
        root = by_id.get(f.follows) if f.follows else None
        if root is not None and root.verdict is Verdict.WAIVED and f.verdict in ACTIONABLE and root.waiver:
            note = f"judged {f.verdict.value} before the waiver of {root.check_id}, which it follows from"
            f = f.model_copy(
                update={
                    "verdict": Verdict.WAIVED,
                    "waiver": root.waiver,
                    "evidence": [
                        *f.evidence,
                        Evidence(source="computed", key="waiver", value=root.check_id, note=note),
                    ],
                }
            )
        out.append(f)
    return out


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
        history=audit.history,
        thresholds=catalogue.thresholds,
    )
    return _follow_waivers(
        [
            _finding(check, _judge(check, inp), audit.waivers.get(check.id), as_of)
            for check in catalogue.checks
        ]
    )


def backup_present(audit: Audit) -> bool | None:
    """Whether the office has a backup line, as the rules judge it (measured beats declared)."""
    inp = RuleInput(facts=audit.facts, answers=audit.answers, drills=tuple(audit.drills))
    return backup_state(Judge(inp)).present


def what_if(audit: Audit, catalogue: Catalogue) -> Audit:
    """Readiness of a changed copy, for the plan: a shallow copy, since nothing keeps it,
    and no points on the findings (the score computes its own): a plan runs a dozen of these
    on every change, so each must stay a few milliseconds."""
    findings = judge_all(audit, catalogue)
    return audit.model_copy(
        update={
            "findings": findings,
            "score": score(findings, catalogue, audit.answers, audit.facts),
            "cost": cost_from_answers(audit.answers, audit.drills, backup_present(audit)),
        }
    )


def evaluate_readiness(audit: Audit, catalogue: Catalogue | None = None) -> Audit:
    """A copy of ``audit`` with findings, score and cost recomputed: what the setup survives.

    The plan's what-ifs call this on changed copies; ``evaluate`` adds need, plan and fit.
    Drills are shared, not copied (see ``evaluate``).
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
            "cost": cost_from_answers(audit.answers, audit.drills, backup_present(audit), audit.history),
            "drills": list(audit.drills),
        },
    )


def evaluate(audit: Audit, catalogue: Catalogue | None = None) -> Audit:
    """A copy of ``audit`` with findings, score and cost recomputed from its inputs.

    Everything is copied except the drill results, which are shared: a finished drill is
    a record that nothing edits, and a ten-minute timeline holds 30,000 samples whose deep
    copy would double the memory of every evaluation (bench/memory.py).
    """
    cat = catalogue if catalogue is not None else default_catalogue()
    judged = evaluate_readiness(audit, cat)
    need = judge_need(audit.answers, audit.facts, judged.cost, cat)
    plan = build_plan(audit, judged, cat, need, what_if)
    fit = judge_fit(need, judged.score, judged.cost, plan, cat, backup_present(audit))
    return judged.model_copy(
        update={
            "need": need,
            "plan": plan,
            "fit": fit,
            "verification": verification(judged.findings, cat),
        }
    )


ACTIONABLE = frozenset({Verdict.FAIL, Verdict.WARN})

# After the problems, the rest by verdict: what is not known before what is settled.
_VERDICT_ORDER = {
    Verdict.FAIL: 0,
    Verdict.WARN: 1,
    Verdict.UNKNOWN: 2,
    Verdict.WAIVED: 3,
    Verdict.PASS: 4,
    Verdict.NOT_APPLICABLE: 5,
}


def _fix_first_key(f: Finding) -> tuple[int, int, int, str]:
    if f.verdict in ACTIONABLE:
        return (0, -f.severity.rank, _VERDICT_ORDER[f.verdict], f.check_id)
    return (1, _VERDICT_ORDER[f.verdict], -f.severity.rank, f.check_id)


def fix_first(findings: Iterable[Finding]) -> list[Finding]:
    """What to fix first: problems, the most severe first (a failure before a warning of the
    same severity, never a "high" after a "medium"), then the rest by verdict. The one
    "fix first" order: the findings screen lists by it, ``findings_by_severity`` groups by it."""
    return sorted(findings, key=_fix_first_key)


def findings_by_severity(
    audit: Audit, verdicts: Iterable[Verdict] = ACTIONABLE
) -> list[tuple[Severity, list[Finding]]]:
    """Findings with the given verdicts grouped by severity, most severe first (empty groups
    left out), each group in ``fix_first`` order."""
    wanted = frozenset(verdicts)
    ranked = [f for f in fix_first(audit.findings) if f.verdict in wanted]
    groups: list[tuple[Severity, list[Finding]]] = []
    for sev in sorted(Severity, key=lambda s: s.rank, reverse=True):
        hits = [f for f in ranked if f.severity is sev]
        if hits:
            groups.append((sev, hits))
    return groups
