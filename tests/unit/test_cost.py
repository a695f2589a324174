"""The cost model with worked numbers (G1, G7, G22)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from readiness.judgement.cost import (
    COST_QUESTIONS,
    CostInputs,
    break_even_minutes_per_year,
    cost_from_answers,
    estimate,
    expected_yearly_loss,
    net_saving,
    payback_months,
    residual_yearly_loss,
    staff_cost_per_hour,
)
from readiness.model import Answer, DrillOutcome, DrillResult


def _answers(**values: object) -> dict[str, Answer]:
    return {k: Answer.model_validate({"value": v}) for k, v in values.items()}


def _drill(outcome: str, day: int, blackout_s: float | None, failover_s: float | None = None) -> DrillResult:
    return DrillResult(
        id=f"d{day}",
        outcome=DrillOutcome(outcome),
        started_at=datetime(2026, 10, day, tzinfo=UTC),
        blackout_s=blackout_s,
        failover_s=failover_s,
    )


def test_the_guides_example_twenty_people_idle_for_an_hour() -> None:
    # 20 people at a loaded 35/hour, all work blocked, one one-hour outage a year,
    # a backup at 30/month.
    est = estimate(
        CostInputs(
            staff_affected=20,
            hourly_cost_per_person=35,
            work_blocked_pct=100,
            revenue_per_hour=0,
            missed_calls_cost=0,
            late_delivery_cost=0,
            penalties_cost=0,
            outages_per_year=1,
            outage_minutes=60,
            backup_monthly_cost=30,
        )
    )
    assert est.staff_cost_per_hour == 700
    assert est.hourly_cost == 700
    assert est.expected_yearly_loss == 700  # one hour of 20 idle people
    assert est.residual_yearly_loss == pytest.approx(700 / 60)  # one minute of failover instead
    assert est.backup_yearly_cost == 360
    assert est.yearly_saving == pytest.approx(700 - 700 / 60)
    assert est.payback_months == pytest.approx(360 / ((700 - 700 / 60) / 12))  # about 6.3 months
    assert est.break_even_minutes_per_year == pytest.approx(360 / 700 * 60)  # about 31 minutes
    assert est.failover_minutes_assumed == 1
    assert est.missing == []


def test_worked_example_with_revenue_incidents_and_a_measured_drill() -> None:
    answers = _answers(
        currency="CHF",
        staff_affected=10,
        hourly_cost_per_person=50,
        work_blocked_pct=80,  # 10 x 50 x 0.8 = 400/h
        revenue_per_hour=500,  # hourly = 900
        missed_calls_cost=150,
        late_delivery_cost=100,
        penalties_cost=0,  # per incident = 250
        outages_per_year=6,
        outage_minutes=90,  # 6 x (1.5 x 900 + 250) = 9600
        backup_monthly_cost=60,  # 720/year
        failover_minutes=10,  # declared, but the drill measured 30 s
    )
    est = cost_from_answers(answers, [_drill("failover_ok", 3, blackout_s=30.0)])
    assert est.currency == "CHF"
    assert est.staff_cost_per_hour == 400
    assert est.hourly_cost == 900
    assert est.per_incident_cost == 250
    assert est.outage_hours == 1.5
    assert est.expected_yearly_loss == 9600
    assert est.failover_minutes_assumed == 0.5
    assert est.failover_basis == "measured by drill d3 on 2026-10-03"
    assert est.residual_yearly_loss == pytest.approx(6 * 0.5 / 60 * 900)  # 45
    assert est.yearly_saving == pytest.approx(9555)
    assert est.payback_months == pytest.approx(720 / (9555 / 12))
    assert est.break_even_minutes_per_year == pytest.approx(48)
    # The saving is the loss avoided; once the backup's 720 a year are paid, 8835 are left.
    assert net_saving(est) == pytest.approx(9555 - 720)
    assert net_saving(est.model_copy(update={"backup_yearly_cost": None})) is None


@pytest.mark.parametrize(
    ("answers", "drills", "minutes", "basis"),
    [
        ({}, [], 1.0, "assumed: automatic switching in about 1 minute"),
        ({"failover_mode": "manual"}, [], 30.0, "assumed: manual switching in about 30 minutes"),
        ({"failover_minutes": 4}, [], 4.0, "answered"),
        (
            {"failover_minutes": 4},
            [_drill("failover_ok", 5, 90.0)],
            1.5,
            "measured by drill d5 on 2026-10-05",
        ),
        ({}, [_drill("failover_slow", 5, None, failover_s=300.0)], 5.0, "measured by drill d5 on 2026-10-05"),
        # the latest timed drill wins; a drill where nothing moved gives no failover time
        (
            {},
            [_drill("failover_ok", 1, 60.0), _drill("failover_ok", 9, 6.0)],
            0.1,
            "measured by drill d9 on 2026-10-09",
        ),
        ({"failover_minutes": 4}, [_drill("no_failover", 9, None)], 4.0, "answered"),
    ],
)
def test_failover_time_measured_beats_declared_beats_default(
    answers: dict[str, object], drills: list[DrillResult], minutes: float, basis: str
) -> None:
    est = cost_from_answers(_answers(**answers), drills)
    assert est.failover_minutes_assumed == pytest.approx(minutes)
    assert est.failover_basis == basis


def test_nothing_answered_gives_no_figures_and_lists_every_input() -> None:
    est = cost_from_answers({}, [])
    assert est.hourly_cost is None and est.expected_yearly_loss is None
    assert est.residual_yearly_loss is None and est.payback_months is None
    assert est.break_even_minutes_per_year is None and est.backup_yearly_cost is None
    assert set(est.missing) == set(COST_QUESTIONS) - {
        "currency", "failover_minutes", "peak_weeks_per_year", "peak_cost_multiplier"
    }
    assert est.currency == "EUR"


def test_partial_inputs_compute_what_they_can() -> None:
    est = cost_from_answers(_answers(revenue_per_hour=300, backup_monthly_cost=25), [])
    assert est.staff_cost_per_hour is None
    assert est.hourly_cost == 300
    assert est.expected_yearly_loss is None  # outage history missing
    assert est.break_even_minutes_per_year == pytest.approx(300 / 300 * 60)
    assert {"staff_affected", "outages_per_year", "outage_minutes"} <= set(est.missing)
    assert "revenue_per_hour" not in est.missing


def test_unknown_answers_count_as_missing() -> None:
    est = cost_from_answers(_answers(staff_affected=None, hourly_cost_per_person=True), [])
    assert est.staff_cost_per_hour is None
    assert "staff_affected" in est.missing and "hourly_cost_per_person" in est.missing


def test_failover_cannot_exceed_the_outage() -> None:
    est = estimate(
        CostInputs(revenue_per_hour=600, outages_per_year=2, outage_minutes=10, failover_minutes=30)
    )
    assert est.expected_yearly_loss == pytest.approx(2 * 10 / 60 * 600)
    assert est.residual_yearly_loss == est.expected_yearly_loss
    assert est.yearly_saving == 0


def test_formulas() -> None:
    assert staff_cost_per_hour(20, 40, 50) == 400
    assert expected_yearly_loss(3, 2, 100, 50) == 750
    assert residual_yearly_loss(3, 0.5, 100) == 150
    assert payback_months(600, 1200) == 6
    assert payback_months(600, 0) is None
    assert payback_months(600, -5) is None
    assert break_even_minutes_per_year(600, 1200) == 30
    assert break_even_minutes_per_year(600, 0) is None


def test_busy_weeks_raise_the_yearly_figures_plainly() -> None:
    # An ordinary hour offline costs 700; 13 busy weeks a year (a quarter) at 3 times that:
    # the average hour is worth 1 + 2 x 13/52 = 1.5 ordinary hours.
    base = dict(
        staff_affected=20, hourly_cost_per_person=35, work_blocked_pct=100, revenue_per_hour=0,
        missed_calls_cost=100, late_delivery_cost=0, penalties_cost=0, outages_per_year=2,
        outage_minutes=60, backup_monthly_cost=30,
    )
    plain = estimate(CostInputs(**base))  # type: ignore[arg-type]
    busy = estimate(CostInputs(**base, peak_weeks_per_year=13, peak_cost_multiplier=3))  # type: ignore[arg-type]
    assert plain.peak_factor is None
    assert busy.peak_factor == pytest.approx(1.5)
    assert busy.hourly_cost == plain.hourly_cost == 700  # an ordinary hour stays an ordinary hour
    # the hours are dearer, the per-incident costs (missed calls) are not
    assert busy.expected_yearly_loss == pytest.approx(2 * (700 * 1.5 + 100))
    assert busy.residual_yearly_loss == pytest.approx(plain.residual_yearly_loss * 1.5)  # type: ignore[operator]
    assert busy.break_even_minutes_per_year == pytest.approx(360 / (700 * 1.5) * 60)


def test_busy_periods_from_the_answers() -> None:
    answers = _answers(peak_periods=["month_end"], peak_weeks_per_year=52, peak_cost_multiplier=2)
    assert cost_from_answers(answers, []).peak_factor == pytest.approx(2.0)
    # "no busy periods" needs no weeks: the factor stays 1 once the multiplier is given
    none = _answers(peak_periods=["none"], peak_weeks_per_year=10, peak_cost_multiplier=2)
    assert cost_from_answers(none, []).peak_factor == pytest.approx(1.0)
    # half the answers: no factor, and nothing listed as lacking (the inputs are optional)
    half = cost_from_answers(_answers(peak_weeks_per_year=10), [])
    assert half.peak_factor is None
    assert "peak_cost_multiplier" not in half.missing
