"""Rules about the internet lines themselves (WAN-xxx)."""

from __future__ import annotations

from readiness.catalogue import Band
from readiness.model import AccessHint, InterfaceKind, Verdict
from readiness.rules.base import RuleInput, RuleResult, rule
from readiness.rules.common import backup_state, latest_failover_drill, tethering_links
from readiness.rules.judge import Judge
from readiness.rules.router_lines import router_kinds

# The bandwidth estimate (WAN-005) and the voice/video thresholds (WAN-007) are data:
# checks.toml [backup_bandwidth] and [line_quality], reached through ``inp.thresholds``.

RADIO_TYPES = frozenset({"mobile", "fixed_wireless", "satellite", "phone_tethering"})


@rule("WAN-001")
def second_line(inp: RuleInput) -> RuleResult:
    j = Judge(inp)
    backup = backup_state(j)
    if backup.present is None:
        return j.unknown("Nobody said whether there is a second line, and none was seen.")
    if backup.present is False:
        return j.failed("The office depends on a single internet line.", backup.conflict)
    btype = j.choice("backup_type")
    if btype == "phone_tethering":
        return j.warn("The only second way out is staff phones.", backup.conflict)
    how = "measured" if backup.measured else ("seen on the router" if backup.observed else "declared")
    return j.passed(f"The office has a second internet line ({how}).", backup.conflict)


@rule("WAN-002")
def different_provider(inp: RuleInput) -> RuleResult:
    j = Judge(inp)
    backup = backup_state(j)
    if backup.present is False:
        return j.not_applicable("There is no backup line to compare.")
    declared_same = j.yes("backup_same_provider")
    measured_same: bool | None = None
    drill = latest_failover_drill(list(inp.drills))
    if drill is not None and drill.primary and drill.backup and drill.primary.asn and drill.backup.asn:
        j.drill("drill.primary.asn", f"AS{drill.primary.asn} {drill.primary.as_name or ''}".strip())
        j.drill("drill.backup.asn", f"AS{drill.backup.asn} {drill.backup.as_name or ''}".strip())
        measured_same = drill.primary.asn == drill.backup.asn
    elif drill is not None and drill.same_provider is not None:
        j.drill("drill.same_provider", drill.same_provider)
        measured_same = drill.same_provider
    elif inp.facts.wan:
        asns = {w.asn for w in inp.facts.wan if w.family == 4 and w.public_ip and w.asn}
        ips = {w.public_ip for w in inp.facts.wan if w.family == 4 and w.public_ip}
        if len(ips) >= 2 and asns:
            j.fact("wan.asn", sorted(f"AS{a}" for a in asns))
            measured_same = len(asns) == 1
    if measured_same is not None:
        conflict = None
        if declared_same is not None and declared_same != measured_same:
            said = "the same provider" if declared_same else "different providers"
            conflict = f"Answered {said}, but the measured networks say otherwise."
        if measured_same:
            return j.failed("Both lines run over the same provider's network (measured).", conflict)
        return j.passed("The two lines come from different networks (measured).", conflict)
    if backup.present is None:
        return j.unknown("It is not known whether there is a backup line.")
    if declared_same is True:
        return j.failed("Both lines come from the same provider (declared).")
    if declared_same is False:
        return j.passed("The backup comes from another provider (declared, not measured).")
    j.need("drill.backup.asn")
    return j.unknown("The providers of the two lines are not known.")


@rule("WAN-003")
def separate_route(inp: RuleInput) -> RuleResult:
    j = Judge(inp)
    backup = backup_state(j)
    if backup.present is False:
        return j.not_applicable("There is no backup line.")
    entry = j.choice("backup_entry")
    btype = j.choice("backup_type")
    if entry in ("shared_duct", "same_building_provider"):
        return j.failed("The backup shares the building entry or building network with the main line.")
    if entry == "separate":
        return j.passed("The backup reaches the building by its own route.")
    if entry == "radio" or btype in RADIO_TYPES:
        return j.passed("The backup is a radio link and shares no cable with the main line.")
    cellular = [i.name for i in inp.facts.interfaces or [] if i.is_up and i.kind is InterfaceKind.CELLULAR]
    if cellular:
        j.fact("interfaces.cellular", cellular)
        return j.passed("A cellular link is up: the backup needs no shared cable.")
    if backup.present is None:
        return j.unknown("It is not known whether there is a backup line.")
    return j.unknown("How the backup enters the building is not known.")


def _hint_to_type(hint: AccessHint) -> str | None:
    return None if hint is AccessHint.UNKNOWN else hint.value


@rule("WAN-004")
def different_technology(inp: RuleInput) -> RuleResult:
    j = Judge(inp)
    backup = backup_state(j)
    if backup.present is False:
        return j.not_applicable("There is no backup line.")
    primary = j.choice("primary_type")
    btype = j.choice("backup_type")
    conflict = None
    wan4 = [w for w in inp.facts.wan or [] if w.family == 4 and w.public_ip]
    if len(wan4) == 1:
        seen = _hint_to_type(wan4[0].access_hint)
        if seen is not None:
            j.fact("wan.access_hint", seen, wan4[0].reverse_dns)
            if primary is not None and primary != seen:
                conflict = f"Answered that the main line is {primary}, but its address looks like {seen}."
            primary = seen
    if btype is None:
        kinds = {i.kind for i in inp.facts.interfaces or [] if i.is_up}
        if InterfaceKind.CELLULAR in kinds or InterfaceKind.TETHERING in kinds:
            j.fact("interfaces.kind", "cellular/tethering link up")
            btype = "mobile"
    if btype == "phone_tethering":
        btype = "mobile"
    if primary is None or btype is None:
        on_router = router_kinds(j)
        if on_router is not None:
            primary, btype = primary or on_router[0], btype or on_router[1]
    if backup.present is None:
        return j.unknown("It is not known whether there is a backup line.")
    if primary is None or btype is None:
        return j.unknown("The access technology of one of the lines is not known.")
    if primary == btype:
        return j.failed(f"Both lines use the same technology ({primary}).", conflict)
    return j.passed(f"The lines use different technologies ({primary} and {btype}).", conflict)


@rule("WAN-005")
def backup_capacity(inp: RuleInput) -> RuleResult:
    j = Judge(inp)
    backup = backup_state(j)
    if backup.present is False:
        return j.not_applicable("There is no backup line.")
    bandwidth = j.number("backup_bandwidth_mbps")
    users = j.number("users_on_backup")
    workloads = j.multi("workloads_on_backup") or []
    if backup.present is None:
        return j.unknown("It is not known whether there is a backup line.")
    if bandwidth is None or users is None:
        return j.unknown("The backup's speed or the number of people on it is not known.")
    est = inp.thresholds.backup_bandwidth
    need = users * est.mbps_per_user
    need += sum(users * est.mbps_per_user_by_workload.get(w, 0.0) for w in workloads)
    need += sum(est.mbps_fixed_by_workload.get(w, 0.0) for w in workloads)
    j.computed("needed_mbps", round(need, 1), "1 Mbit/s per person plus the declared workloads")
    if bandwidth >= need:
        return j.passed(f"The backup ({bandwidth:g} Mbit/s) covers the estimated need ({need:.0f} Mbit/s).")
    if bandwidth >= need / 2:
        return j.warn(
            f"The backup ({bandwidth:g} Mbit/s) is tight for the estimated need ({need:.0f} Mbit/s)."
        )
    return j.failed(f"The backup ({bandwidth:g} Mbit/s) is far below the estimated need ({need:.0f} Mbit/s).")


@rule("WAN-006")
def not_phone_tethering(inp: RuleInput) -> RuleResult:
    j = Judge(inp)
    btype = j.choice("backup_type")
    used = j.yes("tethering_used")
    links = tethering_links(inp.facts)
    if links:
        j.fact("interfaces.tethering", links)
    if btype == "phone_tethering":
        return j.failed("The office's backup is staff phones.")
    real_backup = btype is not None and btype not in ("phone_tethering", "none")
    if links or used:
        conflict = None
        if links and used is False:
            conflict = (
                "Answered that staff do not use their phones, but a tethering link is up on this computer."
            )
        if real_backup:
            return j.warn("There is a backup line, but staff still fall back to their phones.", conflict)
        return j.failed("Staff rely on their phones when the line fails.", conflict)
    if used is False or real_backup:
        return j.passed("The office does not depend on staff phones for its backup.")
    if links is None:
        j.need("facts.interfaces")
    return j.unknown("Whether staff fall back to their phones is not known.")


def _grade(value: float, band: Band) -> Verdict:
    if value < band.warn_from:
        return Verdict.PASS
    if value < band.fail_from:
        return Verdict.WARN
    return Verdict.FAIL


@rule("WAN-007")
def path_quality(inp: RuleInput) -> RuleResult:
    j = Judge(inp)
    path = inp.facts.path
    quality = path.quality if path is not None else []
    if not quality:
        j.need("facts.path.quality")
        return j.unknown("The line's quality was not measured.")
    sent = sum(q.sent for q in quality)
    received = sum(q.received for q in quality)
    if received == 0:
        j.fact("path.quality", f"0 of {sent} answered")
        j.need("facts.path.quality")
        return j.unknown("No anchor answered, so quality could not be measured.")
    loss = 100.0 * (sent - received) / sent
    avgs = [q.avg_ms for q in quality if q.avg_ms is not None]
    jitters = [q.jitter_ms for q in quality if q.jitter_ms is not None]
    rtt = sum(avgs) / len(avgs) if avgs else 0.0
    jitter = sum(jitters) / len(jitters) if jitters else 0.0
    j.fact("path.quality.loss_pct", round(loss, 2), f"{len(quality)} anchors, {sent} probes")
    j.fact("path.quality.avg_ms", round(rtt, 1))
    j.fact("path.quality.jitter_ms", round(jitter, 1))
    limits = inp.thresholds.line_quality
    grades = [
        _grade(loss, limits.loss_pct),
        _grade(jitter, limits.jitter_ms),
        _grade(rtt, limits.round_trip_ms),
    ]
    figures = f"loss {loss:.1f}%, jitter {jitter:.0f} ms, round trip {rtt:.0f} ms"
    if Verdict.FAIL in grades:
        return j.failed(f"The line is too poor for reliable calls ({figures}).")
    if Verdict.WARN in grades:
        return j.warn(f"The line is borderline for calls ({figures}).")
    return j.passed(f"The line is clean enough for calls ({figures}).")
