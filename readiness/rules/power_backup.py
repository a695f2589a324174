"""Rules about power (PWR-xxx). This computer's own battery never counts as a UPS."""

from __future__ import annotations

from readiness.judgement.dependence import telephony_in_use
from readiness.model import DrillOutcome, DrillResult, UpsUnit
from readiness.rules.base import RuleInput, RuleResult, rule
from readiness.rules.judge import Judge

NETWORK_GEAR = ("modem", "router", "switch")
RUNTIME_MINUTES = (5.0, 15.0)  # under the first fails, under the second warns


def _ups_units(j: Judge) -> list[UpsUnit] | None:
    power = j.inp.facts.power
    if power is None:
        return None
    if power.local_battery is not None:
        j.fact(
            "power.local_battery",
            f"{power.local_battery.percent:g}%" if power.local_battery.percent is not None else "present",
            "this computer's own battery: it does not keep the router running",
        )
    if power.ups:
        j.fact("power.ups", [u.model or u.name or u.source.value for u in power.ups])
    return power.ups


def _ups_present(j: Judge) -> tuple[bool | None, str | None]:
    units = _ups_units(j)
    declared = j.yes("ups_present")
    if units:
        conflict = None
        if declared is False:
            conflict = "Answered that there is no UPS, but a UPS answered on the network."
        return True, conflict
    return declared, None


def latest_power_drill(drills: tuple[DrillResult, ...] | list[DrillResult]) -> DrillResult | None:
    """The latest power drill that ended with connectivity held or lost."""
    done = [
        d
        for d in drills
        if d.kind == "power" and d.outcome in (DrillOutcome.POWER_HELD, DrillOutcome.POWER_LOST)
    ]
    return max(done, key=lambda d: d.started_at) if done else None


@rule("PWR-001")
def ups_on_network_gear(inp: RuleInput) -> RuleResult:
    j = Judge(inp)
    present, conflict = _ups_present(j)
    drill = latest_power_drill(list(inp.drills))
    if drill is not None:
        # Measured: mains was cut and the office either stayed online or did not.
        j.drill("drill.outcome", drill.outcome.value, f"power drill {drill.id}")
        feeds = j.multi("ups_feeds")
        if drill.outcome is DrillOutcome.POWER_LOST:
            said = None
            if present is True and feeds is not None and all(g in feeds for g in NETWORK_GEAR):
                said = "Answered that the UPS powers the network gear, but the power drill lost connectivity."
            return j.failed("In the power drill the office lost its connection.", said or conflict)
        if present is False and conflict is None:
            conflict = "Answered that there is no UPS, but in the power drill the connection held."
        return j.passed("In the power drill the connection held on battery (measured).", conflict)
    if present is False:
        return j.failed("The network equipment has no battery backup.", conflict)
    if present is None:
        if inp.facts.power is None:
            j.need("facts.power")
        return j.unknown("Whether a UPS protects the network is not known.")
    feeds = j.multi("ups_feeds")
    if feeds is None:
        return j.unknown("A UPS exists, but what it powers is not known.")
    covered = [g for g in NETWORK_GEAR if g in feeds]
    uncovered = [g for g in NETWORK_GEAR if g not in feeds]
    if not uncovered:
        return j.passed("Modem, router and switch are on the UPS.", conflict)
    if "modem" not in feeds and "router" not in feeds:
        return j.failed("The UPS does not power the modem or the router.", conflict)
    return j.warn(f"The UPS powers the {', '.join(covered)} but not the {', '.join(uncovered)}.", conflict)


@rule("PWR-002")
def ups_runtime(inp: RuleInput) -> RuleResult:
    j = Judge(inp)
    present, _ = _ups_present(j)
    if present is False:
        return j.not_applicable("There is no UPS.")
    declared = j.number("ups_runtime_minutes")
    units = [u for u in (inp.facts.power.ups if inp.facts.power else []) if u.runtime_s is not None]
    flags = sorted({f for u in (inp.facts.power.ups if inp.facts.power else []) for f in u.status})
    trouble = [f for f in flags if f in ("OB", "LB", "RB")]
    if flags:
        j.fact("power.ups.status", flags)
    conflict = None
    if units:
        runtime_s = min(u.runtime_s for u in units if u.runtime_s is not None)
        minutes = runtime_s / 60.0
        j.fact("power.ups.runtime_s", round(runtime_s), "shortest runtime reported")
        if declared is not None and abs(declared - minutes) > max(5.0, 0.5 * minutes):
            conflict = f"Answered {declared:g} minutes, but the UPS itself reports {minutes:.0f} minutes."
        how = "reported by the UPS"
    elif declared is not None:
        minutes = declared
        how = "declared"
    else:
        if present is None:
            return j.unknown("Whether there is a UPS is not known.")
        j.need("facts.power.ups.runtime_s")
        return j.unknown("How long the UPS lasts is not known.")
    if minutes < RUNTIME_MINUTES[0]:
        return j.failed(f"The UPS lasts about {minutes:.0f} minutes ({how}).", conflict)
    if minutes < RUNTIME_MINUTES[1]:
        return j.warn(f"The UPS lasts about {minutes:.0f} minutes ({how}); 15 or more is advised.", conflict)
    if trouble:
        return j.warn(
            f"The UPS lasts about {minutes:.0f} minutes ({how}), but it reports {', '.join(trouble)}.",
            conflict,
        )
    return j.passed(f"The UPS lasts about {minutes:.0f} minutes ({how}).", conflict)


@rule("PWR-003")
def phones_powered(inp: RuleInput) -> RuleResult:
    j = Judge(inp)
    j.choice("telephony_type")  # shown as evidence, or listed as missing
    phones = telephony_in_use(inp.answers, inp.facts)
    if phones.services:
        j.fact("services.telephony", phones.services, strength=phones.strength)
    if phones.kind in ("mobile", "none"):
        return j.not_applicable("There are no desk phones to keep powered.")
    if phones.kind is None:
        return j.unknown("The kind of telephony is not known.")
    present, conflict = _ups_present(j)
    if present is False:
        return j.failed("Desk phones go dark in a power cut: there is no UPS.", conflict)
    feeds = j.multi("ups_feeds")
    if feeds is None:
        return j.unknown("What the UPS powers is not known.")
    if "phones" in feeds:
        return j.passed("The phones (or the switch that powers them) are on the UPS.", conflict)
    return j.failed("The UPS does not power the phones.", conflict)
