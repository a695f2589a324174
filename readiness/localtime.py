"""The office's own calendar: which day an instant falls on where the office is.

Audits record instants in UTC. A test log, a "next test due" date and the question
"is this declared test in the future?" are about the office's days, so they are read in
the office's time zone (``site.timezone``, an IANA name such as "Europe/Paris") when it
is known, and in the instant's own offset otherwise (UTC for what this tool records).
"""

from __future__ import annotations

import calendar
from datetime import date, datetime
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


@cache
def zone(name: str) -> ZoneInfo | None:
    """The zone of that IANA name, or None when this machine does not know it."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def office_day(instant: datetime, timezone: str | None) -> date:
    """The office's date at ``instant``."""
    tz = zone(timezone) if timezone else None
    if tz is None or instant.tzinfo is None:
        return instant.date()
    return instant.astimezone(tz).date()


def add_months(day: date, months: int) -> date:
    """``day`` plus whole calendar months, clamped to the month's end (31 Jan + 1 = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
