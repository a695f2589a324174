"""The owner's headline as plain values: the fit, the need, the plan and how verified.

One view-model for every output that shows the verdict (the Markdown partial
reports/_verdict.md.j2, the HTML export, the TUI's findings screen), so they say the same
thing in the same words. A function of the Audit (and the catalogue for finding titles)
alone; no check ids, data keys, weights or factors: this is the owner's part.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from readiness.catalogue import Catalogue
from readiness.export import format as fmt
from readiness.export.escape import MdSafe
from readiness.judgement.scoring import NOT_ASSESSED
from readiness.judgement.strength import verification_sentence
from readiness.model import Audit, Finding, FitVerdict, PlanAction, Severity, Verdict

PLAN_HEADLINE_MAX = 3  # the first sentence names at most this many actions


@dataclass(frozen=True)
class FindingLine:
    """One finding under the action that fixes it, in words."""

    title: str
    summary: str
    severity: Severity
    verdict_words: str


@dataclass(frozen=True)
class ActionLine:
    number: int
    title: str
    why: str
    cost: str  # "80-250 EUR once, nothing monthly"
    effect: str  # "score 31 -> 40, Exposed"
    money: str  # "avoids about 4 EUR a year; never pays for itself at these figures", or ""
    recommendation: str
    recommended: bool
    findings: list[FindingLine] = field(default_factory=list)


@dataclass(frozen=True)
class VerdictView:
    headline: str  # "Adequate for this office's needs"
    why: str
    fit: str  # FitVerdict value, for styling
    money: str | None  # whether a backup line pays, with the figures
    need: str  # "Low", "Not known yet"
    need_text: str
    need_reasons: list[str]
    readiness: str  # "Exposed, score 31 / 100"
    plan_sentence: str  # "Do these 3 things: ...; score 31 -> 40, Exposed; ..."
    still_worth: list[str]  # for an office already adequate: the cheap things still worth doing
    actions: list[ActionLine]
    other_findings: list[FindingLine]  # problems no action fixes
    verified: str  # "6 of 7 passes rest on answers; ..."
    drill_offer: str | None


def _score(value: float | None) -> str:
    return "not scored" if value is None else f"{value:.0f}"


def _effect(before: float | None, after: float | None, level: str) -> str:
    if after is None:
        return f"level {level}" if level else ""
    if before is not None and round(before) == round(after):
        # "score 80 -> 80" read as a step that does nothing: the fix is real, the score is
        # held where it is by a limit elsewhere (or moves by less than a point).
        return f"score stays at {_score(after)}, {level}"
    return f"score {_score(before)} -> {_score(after)}, {level}"


def _cost(a: PlanAction) -> str:
    once = fmt.cost_range(a.one_off[0], a.one_off[1], a.currency, "once")
    monthly = fmt.cost_range(a.monthly[0], a.monthly[1], a.currency, "a month")
    if once == "nothing" and monthly == "nothing":
        return "no cost but some time"
    if monthly == "nothing":
        return f"{once}, nothing monthly"
    if once == "nothing":
        return monthly
    return f"{once}, then {monthly}"


def _money(a: PlanAction) -> str:
    if a.yearly_loss_avoided is None:
        return ""
    avoided = f"avoids about {fmt.amount(a.yearly_loss_avoided, a.currency)} of losses a year"
    return f"{avoided}; {fmt.payback_words(a.payback_months, a.net_yearly)}"


def _finding_line(f: Finding, titles: dict[str, str]) -> FindingLine:
    return FindingLine(
        title=titles.get(f.check_id, f.title),
        summary=f.summary,
        severity=f.severity,
        verdict_words=fmt.VERDICT_WORDS[f.verdict],
    )


def _by_severity(findings: list[Finding]) -> list[Finding]:
    """Most severe first; a failure before a warning of the same severity."""
    return sorted(findings, key=lambda f: (-f.severity.rank, 0 if f.verdict is Verdict.FAIL else 1))


def _totals(actions: list[PlanAction]) -> str:
    currency = actions[0].currency if actions else "EUR"
    once = fmt.cost_range(
        sum(a.one_off[0] for a in actions), sum(a.one_off[1] for a in actions), currency, "once"
    )
    monthly = fmt.cost_range(
        sum(a.monthly[0] for a in actions), sum(a.monthly[1] for a in actions), currency, "a month"
    )
    parts = [p for p in (once, monthly) if p != "nothing"]
    text = " and ".join(parts) if parts else "no cost but some time"
    priced = [a for a in actions if a.yearly_loss_avoided is not None]
    if priced:
        avoided = sum(a.yearly_loss_avoided or 0.0 for a in priced)
        monthly_high = sum(a.monthly[1] for a in priced)
        one_off_high = sum(a.one_off[1] for a in priced)
        net_monthly = avoided / 12.0 - monthly_high
        payback = one_off_high / net_monthly if net_monthly > 0 else None
        text += f"; {fmt.payback_words(payback, avoided - 12.0 * monthly_high)}"
    return text


def verdict_view(audit: Audit, catalogue: Catalogue) -> VerdictView:
    titles = {c.id: c.title for c in catalogue.checks}
    by_id = {f.check_id: f for f in audit.findings}
    score = audit.score
    plan = audit.plan
    fit = audit.fit
    need = audit.need
    readiness = "not scored"
    if score is not None:
        readiness = (
            score.level if score.overall is None else f"{score.level}, score {score.overall:.0f} / 100"
        )

    actions: list[ActionLine] = []
    grouped: set[str] = set()
    running = plan.score_before if plan else None  # the plan's score before each advised step
    for i, a in enumerate(plan.actions if plan else [], start=1):
        if a.recommended:
            # An advised step is shown as a step of the plan: from where the steps before
            # it leave the office to where it takes it.
            effect = _effect(running, a.plan_score_after, a.plan_level_after)
            running = a.plan_score_after
        else:
            effect = _effect(a.score_before, a.score_after, a.level_after)
            effect += " on its own" if a.score_after is not None else ""
        lines = [_finding_line(by_id[c], titles) for c in a.findings if c in by_id]
        grouped.update(a.findings)
        actions.append(
            ActionLine(
                number=i,
                title=a.title,
                why=a.why,
                cost=_cost(a),
                effect=effect,
                money=_money(a),
                recommendation=a.recommendation,
                recommended=a.recommended,
                findings=sorted(lines, key=lambda f: -f.severity.rank),
            )
        )
    problems = [f for f in audit.findings if f.verdict in (Verdict.FAIL, Verdict.WARN)]
    others = [_finding_line(f, titles) for f in _by_severity(problems) if f.check_id not in grouped]

    todo = [a for a in (plan.actions if plan else []) if a.recommended]
    if (plan is None or not plan.actions) and score is not None and score.level == NOT_ASSESSED:
        plan_sentence = "No plan yet: too little is known. Answer the open questions first."
    elif plan is None or not plan.actions:
        plan_sentence = "Nothing to do: no check found a problem that an action in the plan fixes."
    elif not todo:
        plan_sentence = (
            "Nothing in the plan is advised for this office at these figures; the options are listed below."
        )
    else:
        named = "; ".join(fmt.first_lower(a.title) for a in todo[:PLAN_HEADLINE_MAX])
        more = f" (and {len(todo) - PLAN_HEADLINE_MAX} more)" if len(todo) > PLAN_HEADLINE_MAX else ""
        things = "this" if len(todo) == 1 else f"these {len(todo)} things"
        effect = _effect(plan.score_before, plan.score_after, plan.level_after)
        adequate = fit is not None and fit.verdict in (FitVerdict.ADEQUATE, FitVerdict.MORE)
        lead = (
            f"Still worth doing, {things}"
            if adequate and len(todo) > 1
            else ("Still worth doing" if adequate else f"Do {things}")
        )
        plan_sentence = f"{lead}: {named}{more}. {effect[0].upper()}{effect[1:]}; {_totals(todo)}."

    still_worth: list[str] = []
    if fit is not None and fit.verdict in (FitVerdict.ADEQUATE, FitVerdict.MORE):
        still_worth = [a.title for a in todo]

    verified = ""
    drill_offer = None
    if audit.verification is not None:
        verified = verification_sentence(audit.verification)
        if audit.verification.drill_would_verify:
            drill_offer = MdSafe(  # the program's own words, code span meant (export/escape.py)
                "Run a failover drill (and a power drill where there is a UPS) to turn these answers"
                " into measurements: `readiness drill`, or F7 in the app."
            )
    return VerdictView(
        headline=fit.headline if fit else "Not judged yet",
        why=fit.why if fit else "This audit has not been judged yet.",
        fit=fit.verdict.value if fit else FitVerdict.UNKNOWN.value,
        money=fit.money_sentence if fit else None,
        need=need.name if need else "Not known yet",
        need_text=need.text if need and need.level is not None else "",
        need_reasons=[r.text for r in need.reasons] if need else [],
        readiness=readiness,
        plan_sentence=plan_sentence,
        still_worth=still_worth,
        actions=actions,
        other_findings=others,
        verified=verified,
        drill_offer=drill_offer,
    )
