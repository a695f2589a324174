"""The cost of downtime against the cost of a backup line (guide points G1, G7, G22).

Pure arithmetic over a small typed input; no I/O, no clock.

    staff cost per hour   = staff affected x loaded hourly cost x share of work blocked
    hourly cost           = staff cost per hour + revenue at risk per hour
    per-incident cost     = missed calls + late deliveries/payments + penalties (per outage)
    expected yearly loss  = outages/year x (outage hours x hourly cost + per-incident cost)
    residual yearly loss  = outages/year x failover hours x hourly cost
                            (a working backup avoids the per-incident costs: the office stays
                            reachable, calls come in, deliveries leave)
    yearly saving         = expected - residual
    payback months        = months of saving needed to pay one year of backup
                            (12 or less: the backup pays for itself within the year)
    break-even minutes    = minutes offline per year whose cost equals a year of backup
    busy-period factor    = 1 + (multiplier - 1) x busy weeks / 52: outages fall in busy weeks
                            as often as in others, so a year's hour offline costs on average
                            this many ordinary hours; it scales the time-based losses above
                            (and the break-even), not the per-incident costs. 1 when unknown.

A backup that shares the main line's provider or its way into the building does not survive
every outage (G13). The model credits it only with the share it survives (documented
assumptions, ``SURVIVAL_*`` below): the outages it does not survive cost the office as if
it had one line.

    residual yearly loss  = outages/year x (survived x failover hours x hourly cost
                            + (1 - survived) x (outage hours x hourly cost + per-incident cost))
    yearly loss now       = expected with one line, residual with a backup

A part of the hourly cost whose inputs are missing is left out (its field is None) and the
question ids are listed in ``missing``; figures that cannot be computed at all are None.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from readiness.model import Answer, CostEstimate, DrillOutcome, DrillResult, History

DEFAULT_FAILOVER_MINUTES_AUTOMATIC = 1.0
DEFAULT_FAILOVER_MINUTES_MANUAL = 30.0

# Share of line outages a backup survives (assumptions, stated in the report and README):
# about half of the outages a small office sees are faults in the provider's own network
# (access network, DNS, routing), which a backup from the same provider shares; about a
# third are cuts or faults on the way into the building (digging, building distribution),
# which a backup through the same duct or building network shares.
SURVIVAL_SAME_PROVIDER = 0.5
SURVIVAL_SHARED_ROUTE = 0.7

COST_QUESTIONS = (
    "currency",
    "staff_affected",
    "hourly_cost_per_person",
    "work_blocked_pct",
    "revenue_per_hour",
    "missed_calls_cost",
    "late_delivery_cost",
    "penalties_cost",
    "outages_per_year",
    "outage_minutes",
    "backup_monthly_cost",
    "failover_minutes",
    "peak_weeks_per_year",
    "peak_cost_multiplier",
)


@dataclass(frozen=True)
class CostInputs:
    """Everything the model needs; None means not known."""

    currency: str = "EUR"
    staff_affected: float | None = None
    hourly_cost_per_person: float | None = None
    work_blocked_pct: float | None = None
    revenue_per_hour: float | None = None
    missed_calls_cost: float | None = None
    late_delivery_cost: float | None = None
    penalties_cost: float | None = None
    outages_per_year: float | None = None
    outage_minutes: float | None = None
    backup_monthly_cost: float | None = None
    failover_minutes: float = DEFAULT_FAILOVER_MINUTES_AUTOMATIC
    failover_basis: str = "assumed: automatic switching in about 1 minute"
    survival: float = 1.0  # share of outages the backup survives
    survival_basis: str = "an independent backup"
    backup_present: bool | None = None  # whether the office has a backup now; None: not known

    peak_weeks_per_year: float | None = None
    peak_cost_multiplier: float | None = None
    outages_basis: str | None = None


def round_money(value: float) -> float:
    """Rounded as people quote prices: 4, 35, 720, 12,400 (tens above a thousand)."""
    return float(round(value, -1) if abs(value) >= 1000 else round(value))


def staff_cost_per_hour(staff: float, loaded_hourly_cost: float, blocked_pct: float) -> float:
    return staff * loaded_hourly_cost * blocked_pct / 100.0


def expected_yearly_loss(
    outages_per_year: float, outage_hours: float, hourly_cost: float, per_incident: float
) -> float:
    return outages_per_year * (outage_hours * hourly_cost + per_incident)


def residual_yearly_loss(
    outages_per_year: float,
    failover_hours: float,
    hourly_cost: float,
    survival: float = 1.0,
    outage_hours: float = 0.0,
    per_incident: float = 0.0,
) -> float:
    """The loss left with a backup: switching time on the outages it survives, the whole
    outage on the ones it shares with the main line."""
    survived = survival * failover_hours * hourly_cost
    shared = (1.0 - survival) * (outage_hours * hourly_cost + per_incident)
    return outages_per_year * (survived + shared)


def payback_months(backup_yearly_cost: float, yearly_saving: float) -> float | None:
    """Months of avoided losses that pay for one year of backup; None if it never pays."""
    if yearly_saving <= 0:
        return None
    return backup_yearly_cost / (yearly_saving / 12.0)


def break_even_minutes_per_year(backup_yearly_cost: float, hourly_cost: float) -> float | None:
    """Minutes offline per year that cost as much as a year of backup; None if an hour is free."""
    if hourly_cost <= 0:
        return None
    return backup_yearly_cost / hourly_cost * 60.0


def peak_factor(weeks_per_year: float | None, multiplier: float | None) -> float | None:
    """How many ordinary hours an average hour offline is worth, busy weeks counted (G7)."""
    if weeks_per_year is None or multiplier is None:
        return None
    return 1.0 + (multiplier - 1.0) * min(max(weeks_per_year, 0.0), 52.0) / 52.0


def estimate(inp: CostInputs) -> CostEstimate:
    missing: list[str] = []

    staff_cost: float | None = None
    staff_parts = {
        "staff_affected": inp.staff_affected,
        "hourly_cost_per_person": inp.hourly_cost_per_person,
        "work_blocked_pct": inp.work_blocked_pct,
    }
    if (
        inp.staff_affected is not None
        and inp.hourly_cost_per_person is not None
        and inp.work_blocked_pct is not None
    ):
        staff_cost = staff_cost_per_hour(inp.staff_affected, inp.hourly_cost_per_person, inp.work_blocked_pct)
    else:
        missing += [k for k, v in staff_parts.items() if v is None]
    if inp.revenue_per_hour is None:
        missing.append("revenue_per_hour")

    hourly: float | None = None
    if staff_cost is not None or inp.revenue_per_hour is not None:
        hourly = (staff_cost or 0.0) + (inp.revenue_per_hour or 0.0)

    incident_parts = {
        "missed_calls_cost": inp.missed_calls_cost,
        "late_delivery_cost": inp.late_delivery_cost,
        "penalties_cost": inp.penalties_cost,
    }
    missing += [k for k, v in incident_parts.items() if v is None]
    known_incident = [v for v in incident_parts.values() if v is not None]
    per_incident = sum(known_incident) if known_incident else None

    if inp.outages_per_year is None:
        missing.append("outages_per_year")
    if inp.outage_minutes is None:
        missing.append("outage_minutes")
    if inp.backup_monthly_cost is None:
        missing.append("backup_monthly_cost")

    peak = peak_factor(inp.peak_weeks_per_year, inp.peak_cost_multiplier)
    # The hour the yearly figures count: an ordinary one, made dearer by the busy weeks.
    year_hourly = hourly * peak if hourly is not None and peak is not None else hourly
    expected: float | None = None
    residual: float | None = None
    if year_hourly is not None and inp.outages_per_year is not None and inp.outage_minutes is not None:
        expected = expected_yearly_loss(
            inp.outages_per_year, inp.outage_minutes / 60.0, year_hourly, per_incident or 0.0
        )
        # Switching cannot take longer than the outage it bridges.
        failover_minutes = min(inp.failover_minutes, inp.outage_minutes)
        residual = residual_yearly_loss(
            inp.outages_per_year,
            failover_minutes / 60.0,
            year_hourly,
            inp.survival,
            inp.outage_minutes / 60.0,
            per_incident or 0.0,
        )

    backup_yearly = inp.backup_monthly_cost * 12.0 if inp.backup_monthly_cost is not None else None
    saving = expected - residual if expected is not None and residual is not None else None
    payback = (
        payback_months(backup_yearly, saving) if backup_yearly is not None and saving is not None else None
    )
    break_even = (
        break_even_minutes_per_year(backup_yearly, year_hourly)
        if backup_yearly is not None and year_hourly is not None
        else None
    )
    loss_now: float | None = None
    if inp.backup_present is False:
        loss_now = expected
    elif inp.backup_present is True:
        loss_now = residual
    return CostEstimate(
        currency=inp.currency,
        hourly_cost=hourly,
        staff_cost_per_hour=staff_cost,
        revenue_at_risk_per_hour=inp.revenue_per_hour,
        per_incident_cost=per_incident,
        outages_per_year=inp.outages_per_year,
        outage_hours=inp.outage_minutes / 60.0 if inp.outage_minutes is not None else None,
        expected_yearly_loss=expected,
        residual_yearly_loss=residual,
        failover_minutes_assumed=inp.failover_minutes,
        failover_basis=inp.failover_basis,
        outages_basis=inp.outages_basis,
        backup_yearly_cost=backup_yearly,
        yearly_saving=saving,
        payback_months=payback,
        break_even_minutes_per_year=break_even,
        peak_factor=peak,
        missing=missing,
        backup_survival_share=inp.survival,
        backup_survival_basis=inp.survival_basis,
        yearly_loss_now=loss_now,
    )


def _number(answers: Mapping[str, Answer], qid: str) -> float | None:
    ans = answers.get(qid)
    if ans is None or isinstance(ans.value, bool) or not isinstance(ans.value, int | float):
        return None
    return float(ans.value)


def measured_failover(drills: Sequence[DrillResult]) -> DrillResult | None:
    """The latest failover drill in which traffic moved and the blackout was timed."""
    timed = [
        d
        for d in drills
        if d.kind == "failover"
        and d.outcome in (DrillOutcome.FAILOVER_OK, DrillOutcome.FAILOVER_SLOW)
        and (d.blackout_s is not None or d.failover_s is not None)
    ]
    return max(timed, key=lambda d: d.started_at) if timed else None


def failover_minutes(
    answers: Mapping[str, Answer], drills: Sequence[DrillResult], history: History | None = None
) -> tuple[float, str]:
    """Switching time for the residual loss: measured, else answered, else a stated default."""
    drill = measured_failover(drills)
    if drill is not None:
        seconds = drill.blackout_s if drill.blackout_s is not None else drill.failover_s
        assert seconds is not None
        return seconds / 60.0, f"measured by drill {drill.id} on {drill.started_at.date().isoformat()}"
    if history is not None and history.failover_s is not None:
        seen = sum(1 for f in history.failovers if f.kind == "failover")
        return history.failover_s / 60.0, f"measured by the watcher ({seen} real failover(s), median)"
    answered = _number(answers, "failover_minutes")
    if answered is not None:
        return answered, "answered"
    mode = answers.get("failover_mode")
    if mode is not None and mode.value == "manual":
        return DEFAULT_FAILOVER_MINUTES_MANUAL, "assumed: manual switching in about 30 minutes"
    return DEFAULT_FAILOVER_MINUTES_AUTOMATIC, "assumed: automatic switching in about 1 minute"


def survival_share(answers: Mapping[str, Answer], drills: Sequence[DrillResult]) -> tuple[float, str]:
    """The share of outages the office's backup survives, and why.

    A drill that measured the two lines' providers beats the answer. With no backup (or
    none known) the figure prices a new, independent backup: the one the report advises.
    """
    backup = answers.get("backup_line")
    if backup is not None and backup.value is False:
        return 1.0, "a new, independent backup"
    same: bool | None = None
    measured = [
        d for d in drills if d.kind == "failover" and d.same_provider is not None
    ]
    if measured:
        same = max(measured, key=lambda d: d.started_at).same_provider
    else:
        ans = answers.get("backup_same_provider")
        same = ans.value if ans is not None and isinstance(ans.value, bool) else None
    entry = answers.get("backup_entry")
    shared_route = entry is not None and entry.value in ("shared_duct", "same_building_provider")
    share, why = 1.0, []
    if same:
        share *= SURVIVAL_SAME_PROVIDER
        why.append(f"the same provider ({SURVIVAL_SAME_PROVIDER:.0%} of outages survived)")
    if shared_route:
        share *= SURVIVAL_SHARED_ROUTE
        why.append(f"the same way into the building ({SURVIVAL_SHARED_ROUTE:.0%} survived)")
    if not why:
        return 1.0, "an independent backup"
    return share, "a backup sharing " + " and ".join(why)


# A watched record is trusted for the yearly count once it saw a failure or ran this long;
# before that, none seen in a few days says little about a year.
MEASURED_MIN_DAYS_WITHOUT_FAILURES = 30.0


def measured_outages(history: History | None) -> tuple[float, float | None, str] | None:
    """(outages a year, typical minutes, basis) from the watcher, when it can stand for a year."""
    if history is None or history.outages_per_year is None or history.observed_s < 86400:
        return None
    days = history.observed_s / 86400
    if history.primary_failures == 0 and days < MEASURED_MIN_DAYS_WITHOUT_FAILURES:
        return None
    basis = (
        f"measured by the watcher over {days:.0f} days (95 % range "
        f"{history.outages_per_year_low:g}-{history.outages_per_year_high:g} a year)"
    )
    return history.outages_per_year, history.typical_outage_minutes, basis


def inputs_from_answers(
    answers: Mapping[str, Answer],
    drills: Sequence[DrillResult],
    backup_present: bool | None = None,
    history: History | None = None,
) -> CostInputs:
    cur = answers.get("currency")
    currency = cur.value if cur is not None and isinstance(cur.value, str) and cur.value else "EUR"
    minutes, basis = failover_minutes(answers, drills, history)
    survival, survival_basis = survival_share(answers, drills)
    outages_per_year = _number(answers, "outages_per_year")
    outage_minutes = _number(answers, "outage_minutes")
    outages_basis = "answered" if outages_per_year is not None else None
    measured = measured_outages(history)
    if measured is not None:
        outages_per_year, typical, outages_basis = measured
        if typical is not None:
            outage_minutes = typical
    return CostInputs(
        currency=currency,
        staff_affected=_number(answers, "staff_affected"),
        hourly_cost_per_person=_number(answers, "hourly_cost_per_person"),
        work_blocked_pct=_number(answers, "work_blocked_pct"),
        revenue_per_hour=_number(answers, "revenue_per_hour"),
        missed_calls_cost=_number(answers, "missed_calls_cost"),
        late_delivery_cost=_number(answers, "late_delivery_cost"),
        penalties_cost=_number(answers, "penalties_cost"),
        outages_per_year=outages_per_year,
        outage_minutes=outage_minutes,
        backup_monthly_cost=_number(answers, "backup_monthly_cost"),
        failover_minutes=minutes,
        failover_basis=basis,
        survival=survival,
        survival_basis=survival_basis,
        backup_present=backup_present,
        peak_weeks_per_year=_peak_weeks(answers),
        peak_cost_multiplier=_number(answers, "peak_cost_multiplier"),
        outages_basis=outages_basis,
    )


def cost_from_answers(
    answers: Mapping[str, Answer],
    drills: Sequence[DrillResult],
    backup_present: bool | None = None,
    history: History | None = None,
) -> CostEstimate:
    """The cost estimate of an audit, from its answers, its drills and the watcher's history;
    ``backup_present`` (as the rules judged it) sets what outages cost the office now."""
    return estimate(inputs_from_answers(answers, drills, backup_present, history))


def _peak_weeks(answers: Mapping[str, Answer]) -> float | None:
    """Busy weeks a year; none when the owner said there are no busy periods."""
    periods = answers.get("peak_periods")
    if periods is not None and isinstance(periods.value, list) and not [
        p for p in periods.value if p != "none"
    ]:
        return 0.0
    return _number(answers, "peak_weeks_per_year")


def net_saving(cost: CostEstimate) -> float | None:
    """What a backup saves a year once it is paid for: the loss it avoids
    (``yearly_saving``) less its own yearly cost."""
    if cost.yearly_saving is None or cost.backup_yearly_cost is None:
        return None
    return cost.yearly_saving - cost.backup_yearly_cost
