"""Rules about who notices and who acts (OPS-xxx)."""

from __future__ import annotations

from readiness.rules.base import RuleInput, RuleResult, rule
from readiness.rules.judge import Judge
from readiness.rules.watch_history import alerting_kinds, days_watched, usable


@rule("OPS-001")
def monitoring(inp: RuleInput) -> RuleResult:
    j = Judge(inp)
    how = j.choice("monitoring")
    ops = inp.facts.operations
    agents = ops.monitoring_agents if ops is not None else None
    if agents:
        j.fact("operations.monitoring_agents", agents)
    if how == "alerts":
        return j.passed("Monitoring alerts a person when a line fails.")
    # History path: the watcher's own alerting, set up where it runs, is seen, not declared.
    tell, feed = alerting_kinds(inp.history)
    if tell:
        j.watch("watch.alerting", tell + feed)
        conflict = f"Answered '{how}', but the line watcher alerts by {' and '.join(tell)}." if how else None
        return j.passed("The line watcher tells someone when the line fails or switches.", conflict)
    if feed:
        j.watch("watch.alerting", feed)
    conflict = None
    if agents and how is not None:
        conflict = f"Answered '{how}', but a monitoring agent ({', '.join(agents)}) runs on this computer."
    if how == "provider":
        return j.warn("Only the provider watches the line; nobody in the office is told.", conflict)
    if how == "users":
        return j.failed("Outages are noticed when work stops.", conflict)
    if agents:
        return j.warn("A monitoring agent runs here, but whether it alerts a person is not known.")
    if feed:
        return j.warn(
            "The line watcher feeds a monitoring system, but whether it alerts a person is not known."
        )
    if agents is None:
        j.need("facts.operations")
    return j.unknown("How outages are noticed is not known.")


@rule("OPS-002")
def named_responder(inp: RuleInput) -> RuleResult:
    j = Judge(inp)
    ans = inp.answer("responder")
    who = j.text("responder")
    if who is not None:
        return j.passed(f"{who} responds to outages.")
    if ans is not None and isinstance(ans.value, str):
        return j.failed("Nobody is named to handle an outage.")
    return j.unknown("Who handles an outage is not known.")


@rule("OPS-003")
def written_procedure(inp: RuleInput) -> RuleResult:
    j = Judge(inp)
    return j.by_answer(
        "procedure_written",
        yes="A written outage procedure exists.",
        no="There is no written outage procedure.",
        unknown="Whether a written procedure exists is not known.",
    )


@rule("OPS-004")
def outage_history(inp: RuleInput) -> RuleResult:
    j = Judge(inp)
    count = j.number("outages_per_year")
    minutes = j.number("outage_minutes")
    asked = [inp.answer(q) for q in ("outages_per_year", "outage_minutes")]
    # History path: days of watching measure what the answers guess; both are shown.
    history = usable(inp.history)
    if history is not None and history.outages_per_year is not None:
        low, high = history.outages_per_year_low, history.outages_per_year_high
        j.watch("watch.observed_days", round(history.observed_s / 86400, 1), history.note)
        j.watch("watch.outages_per_year", history.outages_per_year, f"95 % range {low:g}-{high:g}")
        if history.typical_outage_minutes is not None:
            j.watch("watch.typical_outage_minutes", history.typical_outage_minutes)
        conflict = None
        if count is not None and low is not None and high is not None and not low <= count <= high:
            conflict = (
                f"Answered about {count:g} outages a year; the watcher's record puts it between "
                f"{low:g} and {high:g}."
            )
        seen = history.primary_failures
        typical = (
            f", typically {history.typical_outage_minutes:g} minutes each"
            if history.typical_outage_minutes is not None
            else ""
        )
        return j.passed(
            f"Measured over {days_watched(history)}: the main line failed {seen} time(s){typical}.", conflict
        )
    if count is not None and minutes is not None:
        return j.passed(f"About {count:g} outages a year, typically {minutes:g} minutes each.")
    if count is not None or minutes is not None:
        return j.warn("Past outages are only partly known (how often or how long is missing).")
    if all(a is not None for a in asked):
        # Both questions were put and the answer was "don't know": that is the finding.
        return j.failed("Nobody knows how often or how long the line fails.")
    return j.unknown("The outage history was not asked yet.")
