"""Readers of the watcher's history for the rules (OPS-001, OPS-004, FO-001, FO-002).

The history is a measurement over days: where it says something, it beats the answer,
and the rule shows both (the answer as evidence, a conflict when they disagree).
"""

from __future__ import annotations

from datetime import date, timedelta

from readiness.model.history import History, HistoryFailover, HistoryOutage

# Less watched time than this says too little about a year to judge by.
MIN_OBSERVED_S = 86400.0


def usable(history: History | None) -> History | None:
    """The history when it covers enough watched time to judge by, else None."""
    if history is None or history.observed_s < MIN_OBSERVED_S:
        return None
    return history


def last_failover(history: History | None) -> HistoryFailover | None:
    """The latest switch to the backup the watcher saw (a real failover is a test)."""
    if history is None:
        return None
    seen = [f for f in history.failovers if f.kind == "failover"]
    return max(seen, key=lambda f: f.at) if seen else None


# A switch the watcher dates this little before an outage belongs to it (one clock for both).
SWITCH_SLACK_S = 5.0


def unswitched_outage(history: History | None, min_s: float) -> HistoryOutage | None:
    """The longest outage of the line itself (the router answered, the internet did not),
    ``min_s`` or longer, that began after the last switch to the backup the watcher saw:
    traffic never moved during it, and no later switch says the backup works since. An
    outage of the router (cause ``gateway``) or of unknown cause says nothing about
    switching, and is not counted."""
    if history is None:
        return None
    last = last_failover(history)
    since = None if last is None else last.at + timedelta(seconds=SWITCH_SLACK_S)
    found = [
        o
        for o in history.outages
        if o.cause == "upstream" and (o.length_s or 0.0) >= min_s and (since is None or o.start > since)
    ]
    return max(found, key=lambda o: o.length_s or 0.0) if found else None


def failover_day(history: History | None) -> date | None:
    f = last_failover(history)
    return f.at.date() if f is not None else None


def days_watched(history: History) -> str:
    days = history.observed_s / 86400
    return f"{days:.0f} days" if days >= 2 else f"{history.observed_s / 3600:.0f} hours"


def alerting_kinds(history: History | None) -> tuple[list[str], list[str]]:
    """(ways that tell a person: command/webhook, ways that feed a monitoring system)."""
    if history is None:
        return [], []
    tell = [a for a in history.alerting if a in ("command", "webhook")]
    feed = [a for a in history.alerting if a in ("metrics", "textfile")]
    return tell, feed
