"""The test log, its sign-off and the contact card (issue 15, item 5): the view models and
the Markdown partials that print them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from readiness.export.markdown import render_markdown
from readiness.export.records_view import contact_view, log_view
from readiness.localtime import add_months
from readiness.model import Answer, Audit, DrillOutcome, DrillResult, Facts, Site, WanIdentity
from tests.unit import audit_fixtures as fx

NOW = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


def _audit(answers: dict[str, Any] | None = None, drills: list[DrillResult] | None = None,
           timezone: str | None = None, now: datetime = NOW, facts: Facts | None = None) -> Audit:
    return Audit(
        id="t1",
        site=Site(name="Shop", timezone=timezone),
        started_at=now,
        updated_at=now,
        tool_version="0",
        answers={k: Answer(value=v) for k, v in (answers or {}).items()},
        drills=drills or [],
        facts=facts or Facts(),
    )


def _drill(outcome: DrillOutcome, started: datetime, **kw: Any) -> DrillResult:
    return DrillResult(id=f"d-{started:%m%d%H}", outcome=outcome, started_at=started, **kw)


@pytest.mark.parametrize(
    ("day", "months", "due"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2026, 11, 20), 12, date(2027, 11, 20)),
        (date(2026, 11, 20), 2, date(2027, 1, 20)),
        (date(2026, 3, 15), 60, date(2031, 3, 15)),
    ],
)
def test_add_months(day: date, months: int, due: date) -> None:
    assert add_months(day, months) == due


def test_each_drill_and_the_declared_test_is_an_entry_newest_first() -> None:
    drills = [
        _drill(DrillOutcome.NO_FAILOVER, datetime(2026, 11, 20, 8, 0, tzinfo=UTC), technician="Alex"),
        _drill(
            DrillOutcome.POWER_HELD, datetime(2026, 11, 19, 8, 0, tzinfo=UTC), unattended=True, kind="power"
        ),
    ]
    answers = {
        "last_failover_test": "2026-05-02",
        "last_test_by": "Sam",
        "last_test_scope": "Unplugged the fibre; checked calls",
        "last_test_result": "partial",
    }
    log = log_view(_audit(answers, drills))
    rows = [(e.day.isoformat(), e.who, e.result, e.source) for e in log.entries]
    assert rows == [
        ("2026-11-20", "Alex", "failed", "recorded by this audit"),
        ("2026-11-19", "ran unattended", "passed", "recorded by this audit"),
        ("2026-05-02", "Sam", "partly", "declared"),
    ]
    assert log.entries[2].what == "Unplugged the fibre; checked calls"
    assert log.entries[0].what.startswith("Switching") and log.entries[1].what.startswith("Power")
    # a failed drill of switching is still a test: the cadence restarts from it
    assert log.last_test == date(2026, 11, 20)
    assert log.next_due == date(2027, 11, 20) and not log.cadence_answered
    assert log.sign_off.tested_by == "Alex"


@pytest.mark.parametrize(
    ("answers", "next_due", "status"),
    [
        ({}, None, "no test on record"),
        ({"failover_tested_ever": False}, None, "never tested"),
        ({"last_failover_test": "2026-01-10"}, date(2027, 1, 10), "on schedule"),
        ({"last_failover_test": "2025-12-10"}, date(2026, 12, 10), "due soon"),
        ({"last_failover_test": "2025-06-01"}, date(2026, 6, 1), "overdue"),
        ({"last_failover_test": "2026-06-01", "test_cadence_months": 3}, date(2026, 9, 1), "overdue"),
        ({"last_failover_test": "2026-10-01", "test_cadence_months": 3}, date(2027, 1, 1), "on schedule"),
    ],
)
def test_next_test_due_is_the_last_test_plus_the_cadence(
    answers: dict[str, Any], next_due: date | None, status: str
) -> None:
    log = log_view(_audit(answers))
    assert (log.next_due, log.status) == (next_due, status)
    assert log.cadence_months == answers.get("test_cadence_months", 12)


def test_a_declared_test_on_a_day_still_to_come_is_not_a_test() -> None:
    log = log_view(_audit({"last_failover_test": "2026-12-01", "last_test_result": "passed"}))
    assert log.entries == [] and log.planned == date(2026, 12, 1)
    assert log.last_test is None and log.status == "no test on record"
    md = render_markdown(_audit({"last_failover_test": "2026-12-01"}), fx.catalogue())
    assert "2026-12-01, a day still to come: it is not counted as a test." in md
    assert "**Next test due: now.** No test of switching to the backup is on record." in md
    never = render_markdown(_audit({"failover_tested_ever": False}), fx.catalogue())
    assert "**Next test due: now.** Switching to the backup has never been tested." in never


def test_dates_are_the_offices_own_days() -> None:
    # 22:30 UTC on 20 November is 21 November in Sydney: the drill, "today" and the next
    # test due are Sydney's days; the declared test of 21 November is not in the future.
    late = datetime(2026, 11, 20, 22, 30, tzinfo=UTC)
    drills = [_drill(DrillOutcome.FAILOVER_OK, late)]
    answers = {"last_failover_test": "2026-11-21"}
    sydney = log_view(_audit(answers, drills, timezone="Australia/Sydney", now=late))
    assert sydney.today == date(2026, 11, 21)
    assert [e.day for e in sydney.entries] == [date(2026, 11, 21), date(2026, 11, 21)]
    assert sydney.planned is None and sydney.next_due == date(2027, 11, 21)
    utc = log_view(_audit(answers, drills, now=late))
    assert utc.today == date(2026, 11, 20) and utc.planned == date(2026, 11, 21)
    assert [e.day for e in utc.entries] == [date(2026, 11, 20)]


def test_contact_card_per_line_and_the_people() -> None:
    answers = {
        "backup_line": True,
        "primary_provider": "Fibre One",
        "primary_contract": "C-1",
        "primary_support_phone": "+33 1 00 00 00 01",
        "primary_repair_hours": 24,
        "backup_support_phone": "+33 1 00 00 00 02",
        "backup_repair_hours": 0.5,
        "max_outage_minutes": 60,
        "responder": "Anna",
        "responder_deputy": "Marc",
    }
    card = contact_view(_audit(answers))
    main, backup = card.lines
    assert (main.provider, main.contract, main.support_phone, main.repair_hours) == (
        "Fibre One", "C-1", "+33 1 00 00 00 01", 24.0
    )
    assert main.longer_than_tolerance is True and backup.longer_than_tolerance is False
    assert backup.provider is None and backup.contract is None
    assert (card.responder, card.deputy) == ("Anna", "Marc") and not card.empty
    md = render_markdown(_audit(answers), fx.catalogue())
    assert "| Main line | Fibre One | C-1 | +33 1 00 00 00 01 | 24 hours, longer than the 60 minutes" in md
    assert "| Backup line | not recorded | not recorded | +33 1 00 00 00 02 | 0.5 hours |" in md
    assert "- Handles an outage: Anna" in md and "- Stands in when they are away: Marc" in md


def test_contact_card_without_a_backup_and_with_the_provider_seen() -> None:
    facts = Facts(wan=[WanIdentity(family=4, public_ip="203.0.113.7", asn=64500, as_name="EXAMPLE-NET")])
    card = contact_view(_audit({"backup_line": False}, facts=facts))
    assert [line.line for line in card.lines] == ["Main line"]
    assert card.lines[0].provider == "EXAMPLE-NET" and card.lines[0].provider_seen
    assert card.lines[0].longer_than_tolerance is None


def test_an_empty_card_says_what_to_do() -> None:
    assert contact_view(_audit()).empty
    md = render_markdown(_audit(), fx.catalogue())
    assert "No provider, contract number, support line or responder was recorded." in md


def test_sign_off_block_names_who_signs() -> None:
    answers = {"last_failover_test": "2026-10-01", "last_test_by": "Sam", "responder": "Anna"}
    md = render_markdown(_audit(answers), fx.catalogue())
    block = md.split("### Sign-off", 1)[1].split("## ", 1)[0]
    assert "| Ran the test | Sam | | |" in block
    assert "| Handles outages | Anna | | |" in block
    assert "| Stands in |  | | |" in block
    assert "Next test to be run by 2027-10-01." in block
