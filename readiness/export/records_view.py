"""The test log, its sign-off and the contact card, as plain values (issue 15, item 5).

The guide asks for a managed approach: regular tests that are written down, and a named
person who knows whom to call (G10, G21). These functions turn an Audit into the rows a
report prints; the Markdown partials (reports/_test_log.md.j2, _sign_off.md.j2,
_contact_card.md.j2) and any other renderer (HTML) lay them out. Nothing here reads the
clock: "today" is the audit's own day, in the office's time zone (readiness.localtime).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from readiness.localtime import add_months, office_day
from readiness.model import Answer, Audit, DrillOutcome, DrillResult
from readiness.rules.continuity import DEFAULT_TEST_CADENCE_MONTHS as DEFAULT_CADENCE_MONTHS

DUE_SOON_DAYS = 30

# A drill's outcome as a test result: (result word, what happened). The word is "passed",
# "partly", "failed" or "no result"; only a failover drill that moved traffic counts as
# a passed test of switching.
DRILL_RESULTS: dict[DrillOutcome, tuple[str, str]] = {
    DrillOutcome.FAILOVER_OK: ("passed", "traffic moved to the backup line in time"),
    DrillOutcome.FAILOVER_SLOW: ("partly", "traffic moved to the backup line, but too slowly"),
    DrillOutcome.NO_FAILOVER: ("failed", "the office stayed offline until the main line came back"),
    DrillOutcome.NO_OUTAGE: ("no result", "the cut did not affect this computer's connection"),
    DrillOutcome.POWER_HELD: ("passed", "the connection held on battery power"),
    DrillOutcome.POWER_LOST: ("failed", "the connection was lost on battery power"),
    DrillOutcome.ABORTED: ("no result", "stopped before the end"),
    DrillOutcome.INCONCLUSIVE: ("no result", "no conclusion could be drawn"),
}
DECLARED_RESULTS = {
    "passed": ("passed", "work went on over the backup"),
    "partial": ("partly", "some things stopped"),
    "failed": ("failed", "it did not work"),
}
# Outcomes that tested switching to the backup, whatever the result: they restart the
# cadence (a failed test is still a test, and its result is in the log).
SWITCH_TESTED = frozenset({DrillOutcome.FAILOVER_OK, DrillOutcome.FAILOVER_SLOW, DrillOutcome.NO_FAILOVER})


@dataclass(frozen=True)
class LogEntry:
    """One test in the log: when, who ran it, what was tested, and how it went."""

    day: date
    who: str  # a name, or words saying it is not recorded
    what: str
    result: str  # passed / partly / failed / no result / not recorded
    detail: str  # what happened, in words
    source: str  # "recorded by this audit" (a drill), "watched" (the line watcher) or "declared"


@dataclass(frozen=True)
class SignOff:
    """Who signs the log: the person who ran the latest test and the responder."""

    tested_by: str | None
    responder: str | None
    deputy: str | None
    next_due: date | None


@dataclass(frozen=True)
class LogView:
    entries: list[LogEntry]  # newest first
    today: date
    last_test: date | None  # the latest test of switching (drill or declared), never a future day
    cadence_months: int
    cadence_answered: bool
    next_due: date | None  # None: never tested, a test is due now
    status: str  # "overdue", "due soon", "on schedule", "never tested", "no test on record"
    planned: date | None  # a declared "last test" on a day still to come: a plan, not a test
    sign_off: SignOff
    never: bool = False  # the owner said switching was never tested


@dataclass(frozen=True)
class LineContact:
    line: str  # "Main line" / "Backup line"
    provider: str | None
    provider_seen: bool  # the provider's name came from discovery, not from an answer
    contract: str | None
    support_phone: str | None
    repair_hours: float | None
    longer_than_tolerance: bool | None  # None when either figure is unknown


@dataclass(frozen=True)
class ContactCard:
    lines: list[LineContact] = field(default_factory=list)
    responder: str | None = None
    deputy: str | None = None
    tolerance_minutes: float | None = None

    @property
    def empty(self) -> bool:
        """Nothing to call and nobody named: the card would be all blanks."""
        known = [
            v
            for line in self.lines
            for v in (line.provider, line.contract, line.support_phone, line.repair_hours)
        ]
        return all(v is None for v in known) and self.responder is None and self.deputy is None


def _text(answers: dict[str, Answer], qid: str) -> str | None:
    a = answers.get(qid)
    return a.value.strip() if a is not None and isinstance(a.value, str) and a.value.strip() else None


def _number(answers: dict[str, Answer], qid: str) -> float | None:
    a = answers.get(qid)
    if a is None or isinstance(a.value, bool) or not isinstance(a.value, int | float):
        return None
    return float(a.value)


def _declared_day(answers: dict[str, Answer]) -> date | None:
    a = answers.get("last_failover_test")
    if a is None or not isinstance(a.value, str):
        return None
    try:
        return date.fromisoformat(a.value.strip())
    except ValueError:
        return None


def _drill_entry(d: DrillResult, timezone: str | None) -> LogEntry:
    result, detail = DRILL_RESULTS.get(d.outcome, ("no result", d.outcome.value))
    if d.summary:
        detail = d.summary
    who = d.technician or ("ran unattended" if d.unattended else "not recorded")
    what = (
        "Power: the network gear on battery, connection watched"
        if d.kind == "power"
        else "Switching: main line cut, connection watched every"
        f" {d.interval_ms} ms until it came back"
    )
    return LogEntry(office_day(d.started_at, timezone), who, what, result, detail, "recorded by this audit")


def _watched_entries(audit: Audit, timezone: str | None) -> list[LogEntry]:
    """Real failovers the line watcher saw: each is a test of switching, with its date."""
    if audit.history is None:
        return []
    out = []
    for f in audit.history.failovers:
        if f.kind != "failover":
            continue
        took = f"{f.blackout_s:.0f} s offline" if f.blackout_s else "no loss seen"
        detail = f"traffic moved from {f.from_ip} to {f.to_ip} ({took})"
        what = "Switching: the main line failed for real, seen by the line watcher"
        day = office_day(f.at, timezone)
        out.append(LogEntry(day, "the line watcher", what, "passed", detail, "watched"))
    return out


def log_view(audit: Audit) -> LogView:
    """The office's test log: every drill of this audit, the real failovers the line watcher
    saw, and the declared last test."""
    tz = audit.site.timezone
    answers = audit.answers
    today = office_day(audit.updated_at, tz)
    entries = [_drill_entry(d, tz) for d in audit.drills]
    switch_days = [office_day(d.started_at, tz) for d in audit.drills if d.outcome in SWITCH_TESTED]
    watched = _watched_entries(audit, tz)
    entries += watched
    switch_days += [e.day for e in watched]
    declared = _declared_day(answers)
    planned: date | None = None
    if declared is not None and declared > today:
        planned, declared = declared, None
    if declared is not None:
        result = answers.get("last_test_result")
        words = DECLARED_RESULTS.get(result.value if result and isinstance(result.value, str) else "")
        entries.append(
            LogEntry(
                day=declared,
                who=_text(answers, "last_test_by") or "not recorded",
                what=_text(answers, "last_test_scope") or "Switching to the backup line",
                result=words[0] if words else "not recorded",
                detail=words[1] if words else "",
                source="declared",
            )
        )
        switch_days.append(declared)
    entries.sort(key=lambda e: (e.day, e.source), reverse=True)
    cadence_answer = _number(answers, "test_cadence_months")
    cadence = int(cadence_answer) if cadence_answer is not None else DEFAULT_CADENCE_MONTHS
    last = max(switch_days) if switch_days else None
    next_due = add_months(last, cadence) if last is not None else None
    tested = answers.get("failover_tested_ever")
    never = last is None and tested is not None and tested.value is False
    if next_due is None:
        status = "never tested" if never else "no test on record"
    elif next_due < today:
        status = "overdue"
    elif (next_due - today).days <= DUE_SOON_DAYS:
        status = "due soon"
    else:
        status = "on schedule"
    latest_who = next((e.who for e in entries if e.who not in ("not recorded", "ran unattended")), None)
    sign_off = SignOff(
        tested_by=latest_who,
        responder=_text(answers, "responder"),
        deputy=_text(answers, "responder_deputy"),
        next_due=next_due,
    )
    return LogView(
        entries=entries,
        today=today,
        last_test=last,
        cadence_months=cadence,
        cadence_answered=cadence_answer is not None,
        next_due=next_due,
        status=status,
        planned=planned,
        sign_off=sign_off,
        never=never,
    )


def _seen_provider(audit: Audit) -> str | None:
    """The main line's provider as discovery saw it (the AS name of the public address)."""
    for w in audit.facts.wan or []:
        if w.as_name:
            return w.as_name
    return None


def contact_view(audit: Audit) -> ContactCard:
    """Who to call, per line, and who acts: the one-glance card for the wall."""
    answers = audit.answers
    tolerance = _number(answers, "max_outage_minutes")
    lines: list[LineContact] = []
    backup = answers.get("backup_line")
    no_backup = backup is not None and backup.value is False
    for prefix, name in (("primary", "Main line"), ("backup", "Backup line")):
        if prefix == "backup" and no_backup:
            continue
        provider = _text(answers, f"{prefix}_provider")
        seen = False
        if provider is None and prefix == "primary":
            provider = _seen_provider(audit)
            seen = provider is not None
        repair = _number(answers, f"{prefix}_repair_hours")
        over = repair * 60 > tolerance if repair is not None and tolerance is not None else None
        lines.append(
            LineContact(
                line=name,
                provider=provider,
                provider_seen=seen,
                contract=_text(answers, f"{prefix}_contract"),
                support_phone=_text(answers, f"{prefix}_support_phone"),
                repair_hours=repair,
                longer_than_tolerance=over,
            )
        )
    return ContactCard(
        lines=lines,
        responder=_text(answers, "responder"),
        deputy=_text(answers, "responder_deputy"),
        tolerance_minutes=tolerance,
    )
