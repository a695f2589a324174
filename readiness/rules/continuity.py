"""Rules for the guide's points the first checklist missed (issue 15).

The contracted repair time against the tolerable outage (BIZ-005), a mobile backup's
signal and data allowance (WAN-008, WAN-009), payments without internet (DEP-003),
telling staff (OPS-005), the router's saved settings (NET-002) and busy periods
(BIZ-006). Each is one pure function of facts, answers and drills, like every rule.
"""

from __future__ import annotations

from readiness.localtime import add_months
from readiness.model import DrillResult
from readiness.rules.base import RuleInput, RuleResult, rule
from readiness.rules.common import backup_state, drill_moved, last_failover_test, latest_failover_drill
from readiness.rules.judge import Judge

# Data used per person and hour on the backup, in GB, by the work that must continue
# (the choices of `workloads_on_backup`). Rough, stated figures: mail and calls are light
# (a call is about 0.1 Mbit/s each way), cloud applications moderate, video and large
# files heavy (a video meeting is about 2 Mbit/s, ~0.9 GB an hour). CCTV is counted per
# person too, which over-counts for many people: the estimate errs towards a finding.
GB_PER_PERSON_HOUR: dict[str, float] = {
    "mail": 0.05,
    "telephony": 0.05,
    "cloud_apps": 0.2,
    "vpn": 0.3,
    "large_files": 1.0,
    "video_calls": 0.9,
    "pos": 0.01,
    "cctv": 1.0,
}
# One outage needing more than this share of the monthly allowance leaves too little for
# the rest of the month (a second outage, the backup's own tests): it warns.
DATA_WARN_SHARE = 0.5


def _mobile_backup(j: Judge) -> bool | None:
    """Whether the backup is a mobile line: True, False, or None when not known."""
    if j.inp.answer("backup_type") is not None:
        kind = j.choice("backup_type")
        if kind is not None:
            return kind == "mobile"
    if backup_state(j).present is False:
        return False
    j.need("answers.backup_type")
    return None


def _gb(amount: float) -> str:
    return f"{amount:.1f}" if amount < 10 else f"{amount:.0f}"


def _hours(hours: float) -> str:
    if hours < 1:
        return f"{hours * 60:.0f} minutes"
    return f"{hours:g} hour{'s' if hours != 1 else ''}"


@rule("BIZ-005")
def repair_time_vs_tolerance(inp: RuleInput) -> RuleResult:
    j = Judge(inp)
    tolerance = j.number("max_outage_minutes")
    repair = j.number("primary_repair_hours")
    if tolerance is None or repair is None:
        return j.unknown(
            "The main line's guaranteed repair time or the outage the office can bear is not known."
        )
    if repair * 60 <= tolerance:
        return j.passed(
            f"The provider repairs the main line within {_hours(repair)}, within the"
            f" {tolerance:g} minutes the office can bear."
        )
    backup = backup_state(j)
    gap = (
        f"The provider may take up to {_hours(repair)} to repair the main line; the office"
        f" can bear {tolerance:g} minutes offline"
    )
    if backup.present is True:
        backup_repair = j.number("backup_repair_hours")
        if backup_repair is not None and backup_repair * 60 > tolerance:
            j.computed("backup_repair_time", _hours(backup_repair), "also longer than the tolerance")
        return j.warn(f"{gap}, so the backup line must carry the office for that long.", backup.conflict)
    if backup.present is False:
        return j.failed(f"{gap}, and there is no backup line.", backup.conflict)
    return j.failed(f"{gap}, and no backup line is known to bridge it.")


@rule("WAN-008")
def mobile_signal(inp: RuleInput) -> RuleResult:
    j = Judge(inp)
    mobile = _mobile_backup(j)
    if mobile is False:
        return j.not_applicable("There is no mobile backup line.")
    if mobile is None:
        return j.unknown("What kind of line the backup is, is not known.")
    signal = j.choice("backup_signal")
    drill: DrillResult | None = latest_failover_drill(list(inp.drills))
    carried = drill_moved(drill)
    if carried:
        assert drill is not None
        j.drill("drill.outcome", drill.outcome.value, f"drill {drill.id}: the backup carried traffic")
    if signal == "good":
        return j.passed("The mobile signal where the backup router stands was checked and is good.")
    if signal == "none":
        conflict = (
            "Answered that there is little or no signal, but the drill saw the backup carry traffic."
            if carried
            else None
        )
        if carried:
            return j.warn("The signal is poor, though the backup carried traffic in the drill.", conflict)
        return j.failed("There is little or no mobile signal where the backup router stands.")
    if signal == "weak":
        return j.warn("The mobile signal where the backup router stands is weak or unsteady.")
    if carried:
        return j.passed("The mobile backup carried the office's traffic in the drill (measured).")
    if signal == "not_checked":
        return j.warn("Nobody has checked the mobile signal where the backup router stands.")
    return j.unknown("How good the mobile signal is where the backup stands is not known.")


@rule("WAN-009")
def mobile_data_cap(inp: RuleInput) -> RuleResult:
    j = Judge(inp)
    mobile = _mobile_backup(j)
    if mobile is False:
        return j.not_applicable("There is no mobile backup line.")
    if mobile is None:
        return j.unknown("What kind of line the backup is, is not known.")
    cap = j.number("backup_data_cap_gb")
    if cap is not None and cap == 0:
        return j.passed("The backup's plan has no data limit.")
    users = j.number("users_on_backup")
    work = j.multi("workloads_on_backup")
    repair = j.number("primary_repair_hours")
    hours: float | None = repair
    basis = "the main line's guaranteed repair time"
    if hours is None:
        typical = j.number("outage_minutes")
        if typical is not None:
            hours, basis = typical / 60.0, "a typical outage"
    if cap is None or users is None or work is None or hours is None:
        return j.unknown("The backup's data allowance or the work and time it must carry is not known.")
    per_hour = users * sum(GB_PER_PERSON_HOUR.get(w, 0.0) for w in work)
    need = per_hour * hours
    each = per_hour / users if users else 0.0
    j.computed(
        "needed_data_gb",
        f"{need:.1f} GB",
        f"{users:g} people x {each:.2f} GB an hour each x {hours:g} h ({basis})",
    )
    if need > cap:
        return j.failed(
            f"One outage as long as {basis} needs about {_gb(need)} GB; the plan includes {cap:g} GB a month."
        )
    if need > cap * DATA_WARN_SHARE:
        return j.warn(
            f"One outage as long as {basis} uses about {_gb(need)} of the plan's {cap:g} GB a month."
        )
    return j.passed(f"One outage as long as {basis} needs about {_gb(need)} GB of the plan's {cap:g} GB.")


def _takes_payments(j: Judge) -> bool | None:
    """Whether payments are taken on site: a till or card terminal declared, seen or listed."""
    inp = j.inp
    seen = [s.name for s in inp.facts.services or [] if s.category == "pos"]
    if seen:
        j.fact("services", seen, "point of sale seen")
        return True
    lists = [inp.answer(q) for q in ("cloud_dependencies", "workloads_on_backup")]
    if any(a is not None and isinstance(a.value, list) and "pos" in a.value for a in lists):
        return True
    sales = inp.answer("affected_processes")
    if sales is not None and isinstance(sales.value, list) and "sales" in sales.value:
        return True
    deps = inp.answer("cloud_dependencies")
    if deps is not None and isinstance(deps.value, list):
        return False  # the online services were listed, and no till among them
    return None


@rule("DEP-003")
def payments_offline(inp: RuleInput) -> RuleResult:
    j = Judge(inp)
    answer = j.choice("pos_offline")
    if answer == "no_pos":
        return j.not_applicable("The office takes no payments on site.")
    if answer == "full":
        return j.passed("The till and card payments keep working without internet.")
    if answer is None:
        takes = _takes_payments(j)
        if takes is False:
            return j.not_applicable("No till or card payments were declared, seen or listed.")
        return j.unknown("Whether the till and card payments work without internet is not known.")
    backup = backup_state(j)
    needs = "Card payments need" if answer == "cash_only" else "Sales need"
    if backup.present is True:
        return j.warn(
            f"{needs} the internet: they go on only while the backup line carries them.", backup.conflict
        )
    if answer == "cash_only":
        return j.warn("Without internet only cash can be taken: card payments stop.", backup.conflict)
    return j.failed("Without internet sales stop, and no backup line carries them.", backup.conflict)


@rule("OPS-005")
def staff_informed(inp: RuleInput) -> RuleResult:
    j = Judge(inp)
    how = j.choice("staff_informed")
    if how == "planned":
        return j.passed("Staff are told through an agreed way that works without the office internet.")
    if how == "office_chat":
        return j.warn("Staff are told by e-mail or office chat, which may stop with the line.")
    if how == "ad_hoc":
        return j.warn("Staff hear about an outage from whoever notices it first.")
    if how == "none":
        return j.failed("Nobody tells the staff what is happening during an outage.")
    return j.unknown("How staff are told during an outage is not known.")


@rule("NET-002")
def router_config_saved(inp: RuleInput) -> RuleResult:
    j = Judge(inp)
    saved = j.choice("router_config_backup")
    if saved == "current":
        return j.passed("A copy of the router's settings is kept off the router and kept up to date.")
    if saved == "old":
        return j.warn("A copy of the router's settings exists but may be out of date.")
    if saved == "none":
        return j.failed("The router's settings exist only on the router.")
    return j.unknown("Whether the router's settings are saved elsewhere is not known.")


@rule("BIZ-006")
def peak_periods_known(inp: RuleInput) -> RuleResult:
    j = Judge(inp)
    periods = j.multi("peak_periods")
    if periods is None:
        return j.unknown("Whether busy periods make outages dearer is not known.")
    real = [p for p in periods if p != "none"]
    if not real:
        return j.passed("No busy season or deadline makes an outage dearer.")
    weeks = j.number("peak_weeks_per_year")
    times = j.number("peak_cost_multiplier")
    words = ", ".join(p.replace("_", " ") for p in real)
    if weeks is not None and times is not None:
        return j.passed(
            f"Busy periods ({words}) are known: about {weeks:g} weeks a year when an hour offline"
            f" costs {times:g} times as much; the yearly figures count them."
        )
    return j.warn(
        f"Busy periods ({words}) are known, but not how long they last or what an outage costs then."
    )


# Test the switch to the backup at least this often unless the office set its own rhythm.
DEFAULT_TEST_CADENCE_MONTHS = 12


@rule("OPS-006")
def tests_logged(inp: RuleInput) -> RuleResult:
    j = Judge(inp)
    last = last_failover_test(j)
    cadence = j.number("test_cadence_months") if inp.answer("test_cadence_months") else None
    months = int(cadence) if cadence is not None else DEFAULT_TEST_CADENCE_MONTHS
    if last.day is None:
        if last.future is not None:
            return j.unknown(
                f"The last test is given as {last.future.isoformat()}, a day still to come: there is"
                " nothing to log yet."
            )
        if last.never:
            return j.not_applicable("Switching to the backup was never tested: there is no test to log.")
        return j.unknown("When switching to the backup was last tested is not known.")
    when = last.day.isoformat()
    overdue = ""
    if inp.as_of is not None:
        due = add_months(last.day, months)
        j.computed("next_test_due", due.isoformat(), f"{months} months after the last test")
        if due < inp.as_of:
            overdue = f" The next test was due on {due.isoformat()}."
    if last.measured:
        drill = latest_failover_drill(list(inp.drills))
        assert drill is not None
        who = drill.technician or ("an unattended run" if drill.unattended else None)
        if overdue:
            return j.warn(f"The last test, the drill of {when}, is in this audit's log.{overdue}")
        by = f", run by {who}" if who else ""
        return j.passed(f"The last test is the drill of {when}{by}, logged with its result by this audit.")
    result = j.choice("last_test_result")
    who = j.text("last_test_by")
    what = j.text("last_test_scope")
    if result == "failed":
        return j.failed(f"The last test, on {when}, did not work, and no later test is logged.{overdue}")
    asked = [inp.answer(q) for q in ("last_test_result", "last_test_by", "last_test_scope")]
    if result is None and any(a is None for a in asked):
        return j.unknown(
            f"A test on {when} is declared; who ran it, what it covered or how it went was not asked."
        )
    lacking = [
        words
        for value, words in ((who, "who ran it"), (what, "what it covered"), (result, "how it went"))
        if value is None
    ]
    if lacking:
        return j.warn(f"The test of {when} is not logged: {', '.join(lacking)} is not known.{overdue}")
    if result == "partial":
        return j.warn(f"The last test, on {when} by {who}, worked only in part.{overdue}")
    if overdue:
        return j.warn(f"The last test, on {when} by {who}, is logged.{overdue}")
    return j.passed(f"The last test, on {when} by {who}, is logged: {what}; it worked.")


@rule("OPS-007")
def contacts_at_hand(inp: RuleInput) -> RuleResult:
    j = Judge(inp)
    backup = backup_state(j)
    lines = [("primary", "the main line")]
    if backup.present is not False:
        lines.append(("backup", "the backup line"))
    asked = [f"{p}_{k}" for p, _ in lines for k in ("contract", "support_phone")]
    asked.append("responder_deputy")
    values = {qid: j.text(qid) for qid in asked}
    if all(inp.answer(q) is None for q in asked):
        return j.unknown("Whom to call about a line, and who stands in for the responder, was not asked.")
    lacking: list[str] = []
    for prefix, name in lines:
        for key, words in (("support_phone", "fault line"), ("contract", "contract number")):
            if values[f"{prefix}_{key}"] is None:
                lacking.append(f"{name}'s {words}")
    if values["responder_deputy"] is None:
        lacking.append("a deputy for the responder")
    if not lacking:
        return j.passed("The fault lines and contract numbers of the lines, and a deputy, are written down.")
    if all(v is None for v in values.values()):
        return j.failed("No fault line, contract number or deputy is written down.")
    return j.warn(f"Not written down: {', '.join(lacking)}.")
