"""Rules about switching to the backup line (FO-xxx)."""

from __future__ import annotations

from datetime import UTC

from readiness.judgement.dependence import observed, service_strength, telephony_in_use
from readiness.model import DrillOutcome, Strength
from readiness.model.drill import beyond_tolerance
from readiness.rules.base import RuleInput, RuleResult, rule
from readiness.rules.common import (
    RECENT_DAYS,
    STALE_DAYS,
    backup_state,
    last_failover_test,
    latest_failover_drill,
)
from readiness.rules.judge import Judge
from readiness.rules.watch_history import last_failover, unswitched_outage


def _minutes(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 120 else f"{seconds / 60:.0f} min"


@rule("FO-001")
def automatic_failover(inp: RuleInput) -> RuleResult:
    j = Judge(inp)
    drill = latest_failover_drill(list(inp.drills))
    mode = j.choice("failover_mode")
    if drill is not None:
        tolerance = j.number("max_outage_minutes")
        j.drill("drill.outcome", drill.outcome.value, f"drill {drill.id}")
        if drill.blackout_s is not None:
            j.drill("drill.blackout_s", round(drill.blackout_s, 1))
        if drill.outcome is DrillOutcome.NO_FAILOVER:
            conflict = None
            if mode == "automatic":
                conflict = (
                    "Answered that switching is automatic, but in the drill the office stayed"
                    " offline until the main line came back."
                )
            return j.failed("In the drill, traffic did not move to a backup line.", conflict)
        conflict = None
        if mode in ("manual", "none"):
            conflict = f"Answered that switching is {mode}, but the drill saw traffic move to the backup."
        blackout = drill.blackout_s
        if blackout is not None and tolerance is not None and beyond_tolerance(blackout, tolerance * 60):
            return j.failed(
                f"Switching took {_minutes(blackout)}, longer than the {tolerance:g} minutes"
                " the office can bear.",
                conflict,
            )
        if drill.outcome is DrillOutcome.FAILOVER_SLOW:
            took = f" ({_minutes(blackout)})" if blackout is not None else ""
            return j.warn(f"Traffic moved to the backup, but slowly{took}.", conflict)
        took = f" in {_minutes(blackout)}" if blackout is not None else ""
        return j.passed(f"Traffic moved to the backup on its own{took} (measured).", conflict)
    # History path: the line down for long with no switch, after the last switch seen.
    # With no backup line at all, the answer path below says so (and follows WAN-001).
    stuck = unswitched_outage(inp.history, inp.thresholds.failover.unswitched_outage_minutes * 60)
    if stuck is not None and stuck.length_s is not None and backup_state(Judge(inp)).present is not False:
        start = stuck.start.astimezone(UTC)
        when = start.date().isoformat()
        lasted = ("at least " if stuck.cut_short else "") + _minutes(stuck.length_s)
        j.watch("watch.outage", f"{lasted} from {start:%Y-%m-%d %H:%M} UTC", "router answered, no switch")
        conflict = None
        if mode == "automatic":
            conflict = (
                f"Answered that switching is automatic, but on {when} the watcher saw the line down"
                f" for {lasted} and traffic never moved to another line."
            )
        return j.failed(
            f"On {when} the line was down for {lasted} and traffic never moved to another line:"
            " nothing switched, or the backup was down too (seen by the watcher).",
            conflict,
        )
    # History path: a real failover seen by the watcher is a measurement too.
    seen = last_failover(inp.history)
    if seen is not None:
        when = seen.at.date().isoformat()
        j.watch("watch.failover", f"{seen.from_ip} -> {seen.to_ip} on {when}")
        blackout = seen.blackout_s
        if blackout is not None:
            j.watch("watch.blackout_s", round(blackout, 1))
        conflict = None
        if mode in ("manual", "none"):
            conflict = f"Answered that switching is {mode}, but the watcher saw traffic move to the backup."
        tolerance = j.number("max_outage_minutes")
        if tolerance is not None and blackout is not None and blackout > tolerance * 60:
            return j.failed(
                f"Switching took {_minutes(blackout)} on {when}, longer than the {tolerance:g} minutes"
                " the office can bear.",
                conflict,
            )
        took = f" in {_minutes(blackout)}" if blackout else ""
        return j.passed(
            f"Traffic moved to the backup on its own{took} on {when} (seen by the watcher).", conflict
        )
    backup = backup_state(j)
    if backup.present is False:
        return j.failed("There is no backup line to switch to.", backup.conflict, follows="WAN-001")
    if mode == "automatic":
        return j.passed("Switching is automatic (declared; not yet measured by a drill).")
    if mode == "manual":
        return j.failed("Switching to the backup needs a person.")
    if mode == "none":
        return j.failed("Nothing switches traffic to the backup line.")
    j.need("drill")
    return j.unknown("How traffic reaches the backup is neither known nor measured.")


@rule("FO-002")
def failover_tested(inp: RuleInput) -> RuleResult:
    j = Judge(inp)
    last = last_failover_test(j)
    # History path: a real failover seen by the watcher counts as a test, with its date.
    seen = last_failover(inp.history)
    if seen is not None and (last.day is None or seen.at.date() >= last.day):
        day = seen.at.date()
        j.watch("watch.failover", day.isoformat(), f"{seen.from_ip} -> {seen.to_ip}, a real failover")
        conflict = (
            "Answered that failover was never tested, but the watcher saw one happen." if last.never else None
        )
        age = (inp.as_of - day).days if inp.as_of else None
        if age is not None and age <= RECENT_DAYS:
            return j.passed(
                f"Failover happened for real on {day.isoformat()} (seen by the watcher).", conflict
            )
    if last.day is None and not last.never:
        backup = backup_state(j)
        if backup.present is False:
            return j.not_applicable("There is no backup line to test.")
        if last.future is not None:
            return j.unknown(
                f"The last test is given as {last.future.isoformat()}, a day still to come:"
                " a planned test is not a test."
            )
        return j.unknown("When failover was last tested is not known.")
    if last.day is None:
        backup = backup_state(j)
        if backup.present is False:
            return j.not_applicable("There is no backup line to test.")
        return j.failed("Failover has never been tested.")
    if last.age_days is None:
        j.need("as_of")
        return j.unknown("No reference date to judge how recent the test is.")
    if last.age_days < 0:  # a test "on 2999-01-01" is a typo or a guess, not a recent test
        return j.unknown(f"The last failover test is dated {last.day.isoformat()}, after this audit: "
                         "the date cannot be right.")
    how = "measured by a drill" if last.measured else "declared"
    conflict = None
    if last.measured and last.never:
        conflict = "Answered that failover was never tested, but this audit holds a drill."
    when = last.day.isoformat()
    if last.age_days <= RECENT_DAYS:
        return j.passed(f"Failover was tested on {when} ({how}).", conflict)
    if last.age_days <= STALE_DAYS:
        return j.warn(f"The last failover test was on {when}, more than a year ago ({how}).", conflict)
    return j.failed(f"The last failover test was on {when}, over two years ago ({how}).", conflict)


def _telephony(j: Judge) -> tuple[bool | None, str | None]:
    """(cloud telephony in use?, conflict). Telephony the tool saw in use beats the answer;
    the answer beats a telephony service only listed in the config."""
    j.choice("telephony_type")  # shown as evidence, or listed as missing
    phones = telephony_in_use(j.inp.answers, j.inp.facts)
    if phones.services:
        j.fact("services.telephony", phones.services, strength=phones.strength)
    if phones.kind is None:
        if j.inp.facts.services is None:
            j.need("facts.services")
        return None, None
    return phones.kind == "cloud", phones.conflict


@rule("FO-003")
def telephony_ready(inp: RuleInput) -> RuleResult:
    j = Judge(inp)
    cloud, conflict = _telephony(j)
    if cloud is False:
        return j.not_applicable("The office has no internet telephony.")
    if cloud is None:
        return j.unknown("The kind of telephony is not known.")
    backup = backup_state(j)
    if backup.present is False:
        return j.failed("Internet telephony stops with the only line.", conflict, follows="WAN-001")
    return j.by_answer(
        "telephony_failover_ready",
        yes="Phones keep working after a switch to the backup (declared).",
        no="Phones do not work after a switch to the backup.",
        unknown="Whether phones work over the backup is not known.",
        conflict=conflict,
    )


@rule("FO-004")
def vpn_ready(inp: RuleInput) -> RuleResult:
    j = Judge(inp)
    used = j.yes("vpn_used")
    ops = inp.facts.operations
    seen = (ops.tunnels + ops.vpn_clients) if ops is not None else None
    vpn_services = [s for s in inp.facts.services or [] if s.category == "vpn"]
    # A VPN service only listed in the config fills the gap of an unanswered question; it
    # never overrides the answer.
    vpn_services = [s for s in vpn_services if observed(s) or used is None]
    if vpn_services:
        seen = [*(seen or []), *(s.name for s in vpn_services)]
    conflict = None
    if seen:
        strength = Strength.CONFIGURED if not ops or not (ops.tunnels or ops.vpn_clients) else None
        if vpn_services and strength is not None:
            strength = service_strength(vpn_services)
        j.fact("operations.vpn", seen, strength=strength or Strength.OBSERVED)
        if used is False:
            conflict = "Answered that no VPN is used, but VPN software or tunnels were seen."
        used = True
    if used is False:
        return j.not_applicable("The office uses no VPN.")
    drill = latest_failover_drill(list(inp.drills))
    if drill is not None and drill.vpn_dropped:
        j.drill("drill.vpn_dropped", drill.vpn_dropped)
        j.drill("drill.vpn_recovered", drill.vpn_recovered)
        declared = j.yes("vpn_failover_ready")
        lost = [v for v in drill.vpn_dropped if v not in drill.vpn_recovered]
        if lost:
            if declared is True:
                conflict = "Answered that the VPN reconnects, but in the drill it did not come back."
            return j.failed(f"In the drill, VPN {', '.join(lost)} did not come back.", conflict)
        if declared is False:
            conflict = "Answered that the VPN does not reconnect, but in the drill it came back."
        return j.passed("In the drill, the VPN reconnected over the backup (measured).", conflict)
    if used is None:
        if seen is None:
            j.need("facts.operations")
        return j.unknown("Whether the office uses a VPN is not known.")
    backup = backup_state(j)
    if backup.present is False:
        return j.failed("The VPN depends on the only line.", conflict, follows="WAN-001")
    return j.by_answer(
        "vpn_failover_ready",
        yes="The VPN reconnects over the backup (declared).",
        no="The VPN does not reconnect over the backup.",
        unknown="Whether the VPN works over the backup is not known.",
        conflict=conflict,
    )


@rule("FO-005")
def firewall_ready(inp: RuleInput) -> RuleResult:
    j = Judge(inp)
    backup = backup_state(j)
    if backup.present is False:
        return j.not_applicable("There is no backup line.")
    return j.by_answer(
        "firewall_failover_ready",
        yes="The firewall is set up for the backup line (declared).",
        no="The firewall is set up for the main line only.",
        unknown="Whether the firewall is set up for the backup is not known.",
    )
