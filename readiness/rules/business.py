"""Rules about dependencies and business impact (DEP-xxx, BIZ-xxx)."""

from __future__ import annotations

from readiness.judgement.cost import cost_from_answers, round_money
from readiness.judgement.dependence import observed, online_services, service_strength
from readiness.model import Strength
from readiness.rules.base import RuleInput, RuleResult, rule
from readiness.rules.common import RECENT_DAYS, backup_state, last_failover_test
from readiness.rules.judge import Judge


def _words(values: list[str]) -> str:
    """Choice values as plain words: ``customer_contracts`` -> ``customer contracts``."""
    return ", ".join(v.replace("_", " ") for v in values)


def _services(n: int) -> str:
    return "1 online service" if n == 1 else f"{n} online services"


def _real(values: list[str] | None) -> list[str] | None:
    """A multi answer without the 'none' choice; None stays None."""
    return None if values is None else [v for v in values if v != "none"]


@rule("DEP-001")
def cloud_vs_single_line(inp: RuleInput) -> RuleResult:
    j = Judge(inp)
    declared = _real(j.multi("cloud_dependencies"))
    services = inp.facts.services
    deps = online_services(inp.answers, inp.facts)
    if deps.services:
        j.fact("services", [s.name for s in deps.services], strength=service_strength(deps.services))
    conflict = None
    if deps.services and declared == []:
        conflict = "Answered that the office depends on no online service, but some were seen in use."
    if not deps.count:
        if declared == [] or (declared is None and services == []):
            return j.not_applicable("No cloud dependency was declared or seen.")
        if services is None:
            j.need("facts.services")
        return j.unknown("The office's online services are not known.")
    backup = backup_state(j)
    if backup.present is False:
        return j.failed(
            f"{_services(deps.count)} {'depends' if deps.count == 1 else 'depend'} on a single line.",
            conflict or backup.conflict,
            follows="WAN-001",
        )
    if backup.present is True:
        return j.passed(
            f"{_services(deps.count)} {'is' if deps.count == 1 else 'are'} reachable over two lines.",
            conflict or backup.conflict,
        )
    return j.unknown("The office uses online services, but whether a second line exists is not known.")


@rule("DEP-002")
def processes_known(inp: RuleInput) -> RuleResult:
    j = Judge(inp)
    processes = j.multi("affected_processes")
    if processes is None:
        return j.unknown("Which processes stop without internet is not known.")
    seen = [s for s in inp.facts.services or [] if observed(s)]
    detected = [s.name for s in seen]
    if _real(processes) == [] and detected:
        j.fact("services", detected, strength=Strength.OBSERVED)
        return j.warn(
            "Answered that nothing important stops, yet online services are in use.",
            "Declared no dependent process, but cloud services were detected.",
        )
    return j.passed(f"The processes that stop are known: {_words(processes)}.")


@rule("BIZ-001")
def obligations_met(inp: RuleInput) -> RuleResult:
    j = Judge(inp)
    obligations = _real(j.multi("obligations"))
    if obligations == []:
        return j.not_applicable("The office has no continuity obligations.")
    if obligations is None:
        return j.unknown("Whether the office has continuity obligations is not known.")
    backup = backup_state(j)
    if backup.present is False:
        return j.failed(
            f"Obligations ({_words(obligations)}) but a single line.", backup.conflict, follows="WAN-001"
        )
    last = last_failover_test(j)
    if backup.present is None:
        return j.unknown("Obligations exist, but whether a backup line exists is not known.")
    if last.age_days is not None and last.age_days <= RECENT_DAYS:
        return j.passed("Obligations are backed by a backup line tested in the last year.")
    if last.never or last.age_days is not None:
        return j.warn("Obligations are backed by a backup line that was not tested in the last year.")
    return j.unknown("Obligations exist, but when the backup was last tested is not known.")


@rule("BIZ-002")
def tolerance_known(inp: RuleInput) -> RuleResult:
    j = Judge(inp)
    tolerance = j.number("max_outage_minutes")
    fallback = j.choice("offline_fallback")
    asked = [inp.answer(q) for q in ("max_outage_minutes", "offline_fallback")]
    if tolerance is not None and fallback is not None:
        # Both known is what this check asks. That work stops offline raises the office's
        # need (readiness.judgement.need), it does not make the answer less known.
        words = {
            "none": "work stops without internet",
            "full": "most work continues offline",
            "partial": "some work continues offline",
        }
        return j.passed(
            f"The office can bear {tolerance:g} minutes offline; {words.get(fallback, fallback)}."
        )
    if any(a is not None and a.value is None for a in asked):
        return j.failed("Nobody knows how long the office can be offline or what staff would do.")
    return j.unknown("The tolerable outage or the offline fallback was not answered.")


def _m(value: float) -> str:
    """An amount rounded as people say it: 4,360 rather than 4362."""
    return f"{round_money(value):,.0f}"


@rule("BIZ-003")
def cost_justified(inp: RuleInput) -> RuleResult:
    j = Judge(inp)
    est = cost_from_answers(inp.answers, list(inp.drills), history=inp.history)
    if est.expected_yearly_loss is None or est.backup_yearly_cost is None:
        for key in est.missing:
            j.need(f"answers.{key}")
        return j.unknown("The figures needed to price downtime are incomplete.")
    loss, cost = est.expected_yearly_loss, est.backup_yearly_cost
    # What a backup is worth is the loss it avoids: the outages, less the minutes still
    # lost while traffic switches over (known whenever the yearly loss is).
    saved = est.yearly_saving if est.yearly_saving is not None else loss
    cur = est.currency
    j.computed("cost.expected_yearly_loss", f"{loss:.0f} {cur}")
    j.computed("cost.yearly_saving", f"{saved:.0f} {cur}")
    j.computed("cost.backup_yearly_cost", f"{cost:.0f} {cur}")
    backup = backup_state(j)
    if backup.present is None:
        return j.unknown("The figures are known, but whether a backup line exists is not.")
    if backup.present is False:
        if saved > cost:
            return j.failed(
                f"Outages cost about {_m(loss)} {cur} a year; a backup ({_m(cost)})"
                f" would avoid {_m(saved)} of it.",
                follows="WAN-001",
            )
        return j.passed(
            f"At these figures a backup ({_m(cost)}) costs more than the {_m(saved)} it would avoid."
        )
    if saved >= cost:
        return j.passed(
            f"The backup ({_m(cost)}/year) costs less than the loss it avoids ({_m(saved)}/year)."
        )
    return j.warn(
        f"The backup ({_m(cost)}/year) costs more than the loss it avoids"
        f" ({_m(saved)}/year) at these figures."
    )


@rule("BIZ-004")
def continuity_plan(inp: RuleInput) -> RuleResult:
    j = Judge(inp)
    plan = j.yes("continuity_plan")
    growth = _real(j.multi("growth_plans"))
    if plan is True:
        return j.passed("Backup internet is part of a written continuity plan.")
    if plan is False:
        if growth:
            return j.failed(f"No continuity plan, while the office is growing ({_words(growth)}).")
        return j.warn("There is no written continuity plan.")
    return j.unknown("Whether a continuity plan exists is not known.")
