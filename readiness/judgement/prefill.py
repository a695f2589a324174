"""Suggested answers from what was discovered or measured, for the interview to pre-fill.

A suggestion is only a starting point the person confirms or changes; the rules still treat
the answer as declared and the facts as measured. Pure: no I/O, no clock.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from readiness.model import (
    AccessHint,
    AnswerValue,
    DrillOutcome,
    DrillResult,
    Facts,
    InterfaceKind,
)
from readiness.rules.common import latest_failover_drill, second_path_seen, tethering_links


@dataclass(frozen=True)
class Suggestion:
    value: AnswerValue
    from_fact: str  # the fact or drill value that suggested it, e.g. "gateways"
    explanation: str  # plain words shown next to the pre-filled answer


Suggester = Callable[[Facts, Sequence[DrillResult]], Suggestion | None]

# Service categories (checks/services.toml) to choices of the cloud_dependencies question.
CATEGORY_TO_DEPENDENCY = {
    "productivity": "office_suite",
    "erp": "erp",
    "crm": "crm",
    "accounting": "accounting",
    "banking": "accounting",
    "remote_desktop": "remote_desktop",
    "file_sync": "file_sync",
    "pos": "pos",
    "vpn": "vpn_head_office",
}


def _moved(drills: Sequence[DrillResult]) -> DrillResult | None:
    d = latest_failover_drill(list(drills))
    if d is not None and d.outcome in (DrillOutcome.FAILOVER_OK, DrillOutcome.FAILOVER_SLOW):
        return d
    return None


def _cellular(facts: Facts) -> list[str]:
    return [i.name for i in facts.interfaces or [] if i.is_up and i.kind is InterfaceKind.CELLULAR]


def backup_line(facts: Facts, drills: Sequence[DrillResult]) -> Suggestion | None:
    d = _moved(drills)
    if d is not None:
        return Suggestion(True, "drill.outcome", f"In drill {d.id} traffic moved to another line.")
    seen, how = second_path_seen(facts)
    if seen:
        return Suggestion(True, "gateways", f"This computer sees {how}.")
    return None


def backup_type(facts: Facts, drills: Sequence[DrillResult]) -> Suggestion | None:
    if _cellular(facts):
        return Suggestion(
            "mobile", "interfaces", f"A mobile data link is up ({', '.join(_cellular(facts))})."
        )
    links = tethering_links(facts)
    if links:
        return Suggestion(
            "phone_tethering", "interfaces", f"A phone is sharing its connection ({', '.join(links)})."
        )
    return None


def tethering_used(facts: Facts, drills: Sequence[DrillResult]) -> Suggestion | None:
    links = tethering_links(facts)
    if links:
        return Suggestion(
            True, "interfaces", f"A phone is sharing its connection right now ({', '.join(links)})."
        )
    return None


def primary_type(facts: Facts, drills: Sequence[DrillResult]) -> Suggestion | None:
    wan4 = [w for w in facts.wan or [] if w.family == 4 and w.public_ip]
    if len(wan4) == 1 and wan4[0].access_hint is not AccessHint.UNKNOWN:
        w = wan4[0]
        why = (
            f"the provider's name for the address ({w.reverse_dns})"
            if w.reverse_dns
            else "the public address"
        )
        return Suggestion(w.access_hint.value, "wan.access_hint", f"Suggested by {why}.")
    return None


def backup_same_provider(facts: Facts, drills: Sequence[DrillResult]) -> Suggestion | None:
    d = _moved(drills)
    if d is not None and d.primary and d.backup and d.primary.asn and d.backup.asn:
        same = d.primary.asn == d.backup.asn
        return Suggestion(
            same, "drill.asn", f"In drill {d.id} the lines were AS{d.primary.asn} and AS{d.backup.asn}."
        )
    return None


def backup_entry(facts: Facts, drills: Sequence[DrillResult]) -> Suggestion | None:
    if _cellular(facts):
        return Suggestion("radio", "interfaces", "The backup looks like a mobile link, which needs no cable.")
    return None


def failover_mode(facts: Facts, drills: Sequence[DrillResult]) -> Suggestion | None:
    d = _moved(drills)
    if d is not None and d.unattended:
        return Suggestion(
            "automatic", "drill.outcome", f"In drill {d.id} traffic moved with nobody touching it."
        )
    return None


def vpn_used(facts: Facts, drills: Sequence[DrillResult]) -> Suggestion | None:
    ops = facts.operations
    seen = (ops.tunnels + ops.vpn_clients) if ops is not None else []
    seen += [s.name for s in facts.services or [] if s.category == "vpn"]
    if seen:
        return Suggestion(True, "operations", f"VPN software or tunnels seen: {', '.join(seen)}.")
    return None


def dns_on_backup(facts: Facts, drills: Sequence[DrillResult]) -> Suggestion | None:
    d = latest_failover_drill(list(drills))
    if d is not None and d.dns_during_blackout is not None:
        word = "kept working" if d.dns_during_blackout else "failed"
        return Suggestion(
            d.dns_during_blackout, "drill.dns_during_blackout", f"In drill {d.id} name lookups {word}."
        )
    return None


def telephony_type(facts: Facts, drills: Sequence[DrillResult]) -> Suggestion | None:
    phones = [s.name for s in facts.services or [] if s.category == "telephony"]
    if phones:
        return Suggestion("cloud", "services", f"Internet telephony detected: {', '.join(phones)}.")
    return None


def cloud_dependencies(facts: Facts, drills: Sequence[DrillResult]) -> Suggestion | None:
    choices = sorted(
        {
            CATEGORY_TO_DEPENDENCY[s.category]
            for s in facts.services or []
            if s.category in CATEGORY_TO_DEPENDENCY
        }
    )
    if choices:
        names = ", ".join(s.name for s in facts.services or [])
        return Suggestion(choices, "services", f"Online services detected: {names}.")
    return None


def ups_present(facts: Facts, drills: Sequence[DrillResult]) -> Suggestion | None:
    if facts.power is not None and facts.power.ups:
        u = facts.power.ups[0]
        label = u.model or u.name or "a UPS"
        return Suggestion(True, "power.ups", f"{label} answered through {u.source.value}.")
    return None


def ups_runtime_minutes(facts: Facts, drills: Sequence[DrillResult]) -> Suggestion | None:
    runtimes = [u.runtime_s for u in (facts.power.ups if facts.power else []) if u.runtime_s is not None]
    if runtimes:
        minutes = round(min(runtimes) / 60.0)
        return Suggestion(
            minutes, "power.ups.runtime_s", f"The UPS reports about {minutes} minutes at today's load."
        )
    return None


def last_failover_test(facts: Facts, drills: Sequence[DrillResult]) -> Suggestion | None:
    d = latest_failover_drill(list(drills))
    if d is not None:
        day = d.started_at.date().isoformat()
        return Suggestion(day, "drill.started_at", f"Drill {d.id} tested failover on {day}.")
    return None


def failover_tested_ever(facts: Facts, drills: Sequence[DrillResult]) -> Suggestion | None:
    d = latest_failover_drill(list(drills))
    if d is not None:
        return Suggestion(True, "drill.started_at", f"Drill {d.id} tested failover.")
    return None


def failover_minutes(facts: Facts, drills: Sequence[DrillResult]) -> Suggestion | None:
    d = _moved(drills)
    if d is not None and d.blackout_s is not None:
        minutes = round(d.blackout_s / 60.0, 1)
        return Suggestion(
            minutes, "drill.blackout_s", f"Drill {d.id} measured a blackout of {d.blackout_s:.0f} s."
        )
    return None


SUGGESTERS: dict[str, Suggester] = {
    "backup_line": backup_line,
    "backup_type": backup_type,
    "tethering_used": tethering_used,
    "primary_type": primary_type,
    "backup_same_provider": backup_same_provider,
    "backup_entry": backup_entry,
    "failover_mode": failover_mode,
    "vpn_used": vpn_used,
    "dns_on_backup": dns_on_backup,
    "telephony_type": telephony_type,
    "cloud_dependencies": cloud_dependencies,
    "ups_present": ups_present,
    "ups_runtime_minutes": ups_runtime_minutes,
    "failover_tested_ever": failover_tested_ever,
    "last_failover_test": last_failover_test,
    "failover_minutes": failover_minutes,
}


def suggest(facts: Facts, drills: Sequence[DrillResult]) -> dict[str, Suggestion]:
    """Suggested answers keyed by question id (the ``prefill`` id equals the question id)."""
    out: dict[str, Suggestion] = {}
    for qid, fn in SUGGESTERS.items():
        s = fn(facts, drills)
        if s is not None:
            out[qid] = s
    return out
