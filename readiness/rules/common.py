"""Small readers shared by the rules: typed answers, the latest drill, lines seen.

Every reader returns ``None`` when the value is not known (not answered, or answered "I
don't know"), so a rule can turn it into ``unknown`` with the question id in ``missing``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from readiness.model import (
    DrillOutcome,
    DrillResult,
    Evidence,
    Facts,
    InterfaceKind,
)
from readiness.rules.judge import Judge, render
from readiness.rules.router_lines import router_backup

# Drill outcomes that say something about failover (the others prove nothing either way).
CONCLUSIVE = frozenset({DrillOutcome.FAILOVER_OK, DrillOutcome.FAILOVER_SLOW, DrillOutcome.NO_FAILOVER})
MOVED = frozenset({DrillOutcome.FAILOVER_OK, DrillOutcome.FAILOVER_SLOW})


def latest_failover_drill(drills: list[DrillResult] | tuple[DrillResult, ...]) -> DrillResult | None:
    """The most recent failover drill whose outcome says something about failover."""
    useful = [d for d in drills if d.kind == "failover" and d.outcome in CONCLUSIVE]
    return max(useful, key=lambda d: d.started_at) if useful else None


def second_path_seen(facts: Facts) -> tuple[bool | None, str]:
    """Whether this machine sees two ways out: two default gateways or two public addresses.

    Returns (True, how) when seen, (False, how) when looked and saw one, (None, why) when
    nothing was observed. A single gateway does not prove a single line (a router can hold
    two uplinks), so callers treat False as "not seen", never as proof. A gateway reached
    through a phone's hotspot is not an office line (WAN-006 judges that) and is not counted.
    """
    if facts.gateways is None and facts.wan is None:
        return None, "gateways and public address were not observed"
    if facts.gateways:
        phones = set(tethering_links(facts) or [])
        v4 = {g.address for g in facts.gateways if g.family == 4 and g.interface not in phones}
        if len(v4) >= 2:
            return True, f"{len(v4)} IPv4 default gateways"
    if facts.wan:
        ips = {w.public_ip for w in facts.wan if w.family == 4 and w.public_ip}
        if len(ips) >= 2:
            return True, f"{len(ips)} public IPv4 addresses"
    return False, "one way out seen from this computer"


def tethering_links(facts: Facts) -> list[str] | None:
    """Names of up interfaces that look like a phone (tethering/hotspot), None if unknown."""
    if facts.interfaces is None:
        return None
    out = []
    for i in facts.interfaces:
        if not i.is_up:
            continue
        if i.kind is InterfaceKind.TETHERING or i.tethering_hint:
            out.append(i.name)
    return out


def drill_moved(d: DrillResult | None) -> bool:
    return d is not None and d.outcome in MOVED


@dataclass(frozen=True)
class Backup:
    """Whether the office has a backup line, and how sure we are."""

    present: bool | None
    measured: bool  # decided by a drill or facts, not only by an answer
    conflict: str | None = None
    observed: bool = False  # seen on the router (readiness/rules/router_lines.py): beats an answer


def backup_state(j: Judge) -> Backup:
    """Combine drill, facts and the answer about a backup line. Measured beats declared."""
    inp = j.inp
    drill = latest_failover_drill(list(inp.drills))
    seen, how = second_path_seen(inp.facts)
    measured = drill_moved(drill) or bool(seen)
    answer = inp.answer("backup_line")
    declared: bool | None = None
    if not measured or (answer is not None and answer.value is not None):
        # Read (and shown as evidence) when given; when a drill or two paths settled it,
        # the question is not needed, so an unanswered one is not listed as missing.
        declared = j.yes("backup_line")
    if drill_moved(drill):
        assert drill is not None
        j.drill("drill.outcome", drill.outcome.value, f"drill {drill.id}")
        conflict = None
        if declared is False:
            conflict = (
                "Answered that there is no backup line, but the drill saw traffic move to another line."
            )
        return Backup(True, True, conflict)
    if seen:
        j.fact("gateways/wan", how)
        conflict = None
        if declared is False:
            conflict = f"Answered that there is no backup line, but this computer sees {how}."
        return Backup(True, True, conflict)
    on_router, words = router_backup(j)
    if on_router:
        conflict = None
        if declared is False:
            conflict = f"Answered that there is no backup line, but the router reports {words}."
        return Backup(True, False, conflict, observed=True)
    if declared is not None:
        conflict = None
        if declared and on_router is False:
            conflict = f"Answered that there is a backup line, but the router reports {words}."
        return Backup(declared, False, conflict)
    return Backup(None, False)


# A test is "recent" within a year; older than two years counts as never tested.
RECENT_DAYS = 365
STALE_DAYS = 730


@dataclass(frozen=True)
class LastTest:
    """When failover was last tried. ``never``: the answer said "never tested"."""

    day: date | None
    measured: bool
    never: bool = False
    age_days: int | None = None
    # A declared date after the audit's day: a planned test, not one that happened. It is
    # kept out of ``day`` so no rule counts it as tested.
    future: date | None = None


def last_failover_test(j: Judge) -> LastTest:
    """The latest conclusive drill, else the declared date.

    "Never tested" is answered with failover_tested_ever = no (or, in a date field that
    accepts it, "never" or an empty string).
    """
    drill = latest_failover_drill(list(j.inp.drills))
    ans = j.inp.answer("last_failover_test")
    declared: date | None = None
    never = j.inp.answer("failover_tested_ever") is not None and j.yes("failover_tested_ever") is False
    if ans is not None:
        j.evidence.append(
            Evidence(source="answer", key="answers.last_failover_test", value=render(ans.value))
        )
        if isinstance(ans.value, str) and ans.value.strip().lower() in ("", "never"):
            never = True
        elif isinstance(ans.value, str):
            try:
                declared = date.fromisoformat(ans.value)
            except ValueError:
                j.need("answers.last_failover_test")
        else:
            j.need("answers.last_failover_test")
    elif not never:
        j.need("answers.last_failover_test")
    as_of = j.inp.as_of
    future: date | None = None
    if declared is not None and as_of is not None and declared > as_of:
        future, declared = declared, None
        j.need("answers.last_failover_test")
    if drill is not None:
        day = j.inp.day(drill.started_at)
        j.drill("drill.started_at", day.isoformat(), f"drill {drill.id}: {drill.outcome.value}")
        if declared is not None and declared > day:
            day, measured = declared, False
        else:
            measured = True
        age = (as_of - day).days if as_of else None
        # ``never`` kept so the caller can show the answer the drill contradicts.
        return LastTest(day, measured, never, age, future)
    if declared is not None:
        age = (as_of - declared).days if as_of else None
        return LastTest(declared, False, False, age)
    return LastTest(None, False, never, future=future)
