"""Units, money and dates as an owner reads them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from readiness.catalogue import Question, QuestionType
from readiness.export import format as fmt
from readiness.model import Evidence


@pytest.mark.parametrize(
    ("value", "said"),
    [(0, "EUR 0"), (33.4, "EUR 33"), (113, "EUR 113"), (9487, "EUR 9,490"), (12_345, "EUR 12,340"),
     (123_456, "EUR 123,460"), (-8887, "EUR -8,890")],
)  # fmt: skip
def test_money_is_rounded_as_people_say_it(value: float, said: str) -> None:
    assert fmt.money(value, "EUR") == said


def test_facts_and_drills_carry_their_units() -> None:
    def words(key: str, value: str) -> str:
        return fmt.evidence_words(Evidence(source="fact", key=key, value=value), {})[1]

    assert words("path.quality.avg_ms", "10") == "10 ms"
    assert words("path.quality.loss_pct", "2.5") == "2.5%"
    assert words("power.ups.runtime_s", "1") == "1 second"
    assert words("drill.blackout_s", "4") == "4 seconds"
    assert words("needed_mbps", "12.5") == "12.5 Mbit/s"
    assert words("cost.expected_yearly_loss", "10187 EUR") == "EUR 10,190"
    assert words("gateways", "192.168.1.1") == "192.168.1.1"  # not a number: left as it is


def test_answers_take_their_questions_unit() -> None:
    def q(unit: str) -> Question:
        return Question(id="q", text="How many?", type=QuestionType.NUMBER, unit=unit)

    def said(unit: str, value: str) -> str:
        return fmt.evidence_words(
            Evidence(source="answer", key="answers.q", value=value), {"q": q(unit)}, "CHF"
        )[1]

    assert said("outages/year", "10") == "10 outages a year"
    assert said("outages/year", "1") == "1 outage a year"
    assert said("minutes", "15") == "15 minutes"
    assert said("currency/hour", "850") == "CHF 850 an hour"
    assert said("currency/month", "35") == "CHF 35 a month"
    assert said("Mbit/s", "50") == "50 Mbit/s"


def test_dates_on_the_office_clock() -> None:
    t = datetime(2026, 11, 20, 23, 30, tzinfo=UTC)
    assert fmt.office_when(t, "Europe/Paris") == "21 November 2026, 00:30"  # the office's date, not UTC's
    assert fmt.office_date(t, "America/New_York") == "20 November 2026"
    assert fmt.office_when(t, None) == "20 November 2026, 23:30 UTC"  # no time zone recorded
    # A zone this machine does not know is no reason to guess.
    assert fmt.office_when(t, "Mars/Olympus_Mons") == "20 November 2026, 23:30 UTC"


def test_a_step_that_leaves_the_score_where_it_is_says_so_instead_of_80_to_80() -> None:
    from readiness.export.verdict_view import _effect

    assert _effect(80.2, 79.9, "Prepared") == "score stays at 80, Prepared"
    assert _effect(31.0, 40.0, "Exposed") == "score 31 -> 40, Exposed"
