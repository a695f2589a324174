"""Table-driven tests of issue 15's checks: repair time vs tolerance, a mobile backup's
signal and data, payments offline, telling staff, the router's saved settings, busy periods;
and a declared test date still to come (FO-002)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit._rulekit import check, drill, ev_keys, run

OK = drill("failover_ok", blackout_s=8.0)
NONE = drill("no_failover", blackout_s=None)
MOBILE = {"backup_type": "mobile"}


@pytest.mark.parametrize(
    ("answers", "drills", "verdict", "conflict"),
    [
        ({}, [], "unknown", False),
        ({"max_outage_minutes": 30}, [], "unknown", False),
        ({"primary_repair_hours": 4}, [], "unknown", False),
        ({"primary_repair_hours": None, "max_outage_minutes": 30}, [], "unknown", False),
        # within the tolerance
        ({"primary_repair_hours": 4, "max_outage_minutes": 240}, [], "pass", False),
        ({"primary_repair_hours": 0.25, "max_outage_minutes": 15}, [], "pass", False),
        # longer than the tolerance: single line fails, a backup bridges it (warn)
        ({"primary_repair_hours": 24, "max_outage_minutes": 60, "backup_line": False}, [], "fail", False),
        ({"primary_repair_hours": 24, "max_outage_minutes": 60}, [], "fail", False),
        ({"primary_repair_hours": 24, "max_outage_minutes": 60, "backup_line": True}, [], "warn", False),
        ({"primary_repair_hours": 24, "max_outage_minutes": 60}, [OK], "warn", False),
        # a drill that saw the traffic move contradicts "no backup line"
        ({"primary_repair_hours": 24, "max_outage_minutes": 60, "backup_line": False}, [OK], "warn", True),
    ],
)
def test_biz_005_repair_time_vs_tolerance(
    answers: dict[str, Any], drills: list[Any], verdict: str, conflict: bool
) -> None:
    check(run("BIZ-005", answers, {}, drills), verdict, conflict)


def test_biz_005_says_both_figures() -> None:
    r = run("BIZ-005", {"primary_repair_hours": 24, "max_outage_minutes": 60, "backup_line": False})
    assert "24 hours" in r.summary and "60 minutes" in r.summary
    assert {"answers.primary_repair_hours", "answers.max_outage_minutes"} <= ev_keys(r)


@pytest.mark.parametrize(
    ("answers", "drills", "verdict", "conflict"),
    [
        ({}, [], "unknown", False),
        ({"backup_type": "fibre", "backup_signal": "none"}, [], "not_applicable", False),
        ({"backup_type": "none"}, [], "not_applicable", False),
        ({"backup_line": False}, [], "not_applicable", False),
        (MOBILE, [], "unknown", False),
        ({**MOBILE, "backup_signal": None}, [], "unknown", False),
        ({**MOBILE, "backup_signal": "good"}, [], "pass", False),
        ({**MOBILE, "backup_signal": "weak"}, [], "warn", False),
        ({**MOBILE, "backup_signal": "not_checked"}, [], "warn", False),
        ({**MOBILE, "backup_signal": "none"}, [], "fail", False),
        # the drill saw the mobile backup carry the office
        (MOBILE, [OK], "pass", False),
        ({**MOBILE, "backup_signal": "not_checked"}, [OK], "pass", False),
        ({**MOBILE, "backup_signal": "none"}, [OK], "warn", True),
        # a drill that saw no failover proves nothing about the signal
        ({**MOBILE, "backup_signal": "not_checked"}, [NONE], "warn", False),
    ],
)
def test_wan_008_mobile_signal(
    answers: dict[str, Any], drills: list[Any], verdict: str, conflict: bool
) -> None:
    check(run("WAN-008", answers, {}, drills), verdict, conflict)


WORK = {**MOBILE, "users_on_backup": 5, "workloads_on_backup": ["mail", "telephony", "cloud_apps"]}
# 5 people x 0.3 GB an hour = 1.5 GB an hour


@pytest.mark.parametrize(
    ("answers", "verdict"),
    [
        ({}, "unknown"),
        ({"backup_type": "dsl", "backup_data_cap_gb": 1}, "not_applicable"),
        ({"backup_line": False}, "not_applicable"),
        ({**MOBILE, "backup_data_cap_gb": 0}, "pass"),  # no limit
        ({**WORK, "backup_data_cap_gb": 50}, "unknown"),  # how long it must carry: unknown
        ({**WORK, "primary_repair_hours": 8}, "unknown"),  # the allowance: unknown
        ({**WORK, "backup_data_cap_gb": 50, "primary_repair_hours": 8}, "pass"),  # 12 GB
        ({**WORK, "backup_data_cap_gb": 20, "primary_repair_hours": 8}, "warn"),  # 12 of 20
        ({**WORK, "backup_data_cap_gb": 10, "primary_repair_hours": 8}, "fail"),  # 12 > 10
        # the typical outage stands in when the repair time is not known
        ({**WORK, "backup_data_cap_gb": 10, "outage_minutes": 120}, "pass"),  # 3 GB
        ({**WORK, "backup_data_cap_gb": 10, "outage_minutes": 480}, "fail"),  # 12 GB
        # the repair time wins over the typical outage: the backup must last the repair
        ({**WORK, "backup_data_cap_gb": 10, "outage_minutes": 60, "primary_repair_hours": 48}, "fail"),
    ],
)
def test_wan_009_mobile_data_cap(answers: dict[str, Any], verdict: str) -> None:
    check(run("WAN-009", answers), verdict)


def test_wan_009_shows_the_estimate() -> None:
    r = run("WAN-009", {**WORK, "backup_data_cap_gb": 10, "primary_repair_hours": 8})
    est = next(e for e in r.evidence if e.key == "needed_data_gb")
    assert est.value == "12.0 GB"


POS_SEEN = {"services": [{"id": "sumup", "name": "SumUp", "category": "pos"}]}


@pytest.mark.parametrize(
    ("answers", "facts", "verdict", "conflict"),
    [
        ({}, {}, "unknown", False),
        ({"pos_offline": "no_pos"}, {}, "not_applicable", False),
        ({"cloud_dependencies": ["office_suite"]}, {}, "not_applicable", False),
        ({"cloud_dependencies": ["pos"]}, {}, "unknown", False),
        ({"affected_processes": ["sales"], "cloud_dependencies": ["crm"]}, {}, "unknown", False),
        ({"cloud_dependencies": ["crm"]}, POS_SEEN, "unknown", False),
        ({"pos_offline": "full"}, {}, "pass", False),
        ({"pos_offline": "cash_only"}, {}, "warn", False),
        ({"pos_offline": "none", "backup_line": False}, {}, "fail", False),
        ({"pos_offline": "none"}, {}, "fail", False),
        ({"pos_offline": "none", "backup_line": True}, {}, "warn", False),
    ],
)
def test_dep_003_payments_offline(
    answers: dict[str, Any], facts: dict[str, Any], verdict: str, conflict: bool
) -> None:
    check(run("DEP-003", answers, facts), verdict, conflict)


@pytest.mark.parametrize(
    ("check_id", "qid", "answer", "verdict"),
    [
        ("OPS-005", "staff_informed", None, "unknown"),
        ("OPS-005", "staff_informed", "planned", "pass"),
        ("OPS-005", "staff_informed", "office_chat", "warn"),
        ("OPS-005", "staff_informed", "ad_hoc", "warn"),
        ("OPS-005", "staff_informed", "none", "fail"),
        ("NET-002", "router_config_backup", None, "unknown"),
        ("NET-002", "router_config_backup", "current", "pass"),
        ("NET-002", "router_config_backup", "old", "warn"),
        ("NET-002", "router_config_backup", "none", "fail"),
    ],
)
def test_single_answer_checks(check_id: str, qid: str, answer: str | None, verdict: str) -> None:
    check(run(check_id, {qid: answer}), verdict)
    check(run(check_id, {}), "unknown")


@pytest.mark.parametrize(
    ("answers", "verdict"),
    [
        ({}, "unknown"),
        ({"peak_periods": None}, "unknown"),
        ({"peak_periods": ["none"]}, "pass"),
        ({"peak_periods": ["month_end"]}, "warn"),
        ({"peak_periods": ["month_end"], "peak_weeks_per_year": 4}, "warn"),
        (
            {"peak_periods": ["month_end", "seasonal"], "peak_weeks_per_year": 8, "peak_cost_multiplier": 3},
            "pass",
        ),
    ],
)
def test_biz_006_busy_periods(answers: dict[str, Any], verdict: str) -> None:
    check(run("BIZ-006", answers), verdict)


# AS_OF is 2026-11-01: a declared test on a day still to come is a plan, not a test.
@pytest.mark.parametrize(
    ("answers", "drills", "verdict"),
    [
        ({"last_failover_test": "2026-12-15"}, [], "unknown"),
        ({"last_failover_test": "2026-11-02"}, [], "unknown"),
        ({"last_failover_test": "2026-11-01"}, [], "pass"),
        # a drill recorded in the audit still counts; the future date does not replace it
        ({"last_failover_test": "2027-01-01"}, [drill("failover_ok", days_ago=30)], "pass"),
        ({"last_failover_test": "2027-01-01"}, [drill("failover_ok", days_ago=500)], "warn"),
    ],
)
def test_fo_002_a_future_test_date_is_not_a_pass(
    answers: dict[str, Any], drills: list[Any], verdict: str
) -> None:
    r = run("FO-002", answers, {}, drills)
    check(r, verdict)
    if verdict == "unknown":
        assert "still to come" in r.summary


def test_biz_001_a_future_test_date_is_not_a_recent_test() -> None:
    answers = {"obligations": ["regulation"], "backup_line": True, "last_failover_test": "2027-02-01"}
    r = run("BIZ-001", answers)
    check(r, "unknown")


LOGGED = {"last_test_by": "Sam", "last_test_scope": "Unplugged the fibre", "last_test_result": "passed"}


@pytest.mark.parametrize(
    ("answers", "drills", "verdict"),
    [
        ({}, [], "unknown"),
        ({"failover_tested_ever": False}, [], "not_applicable"),
        # a declared test needs who, what and the result
        ({"last_failover_test": "2026-09-01"}, [], "unknown"),
        ({"last_failover_test": "2026-09-01", **LOGGED}, [], "pass"),
        ({"last_failover_test": "2026-09-01", **LOGGED, "last_test_by": None}, [], "warn"),
        ({"last_failover_test": "2026-09-01", **LOGGED, "last_test_result": "partial"}, [], "warn"),
        ({"last_failover_test": "2026-09-01", **LOGGED, "last_test_result": "failed"}, [], "fail"),
        ({"last_failover_test": "2026-09-01", "last_test_result": "failed"}, [], "fail"),
        # overdue at the office's own rhythm (AS_OF is 2026-11-01)
        ({"last_failover_test": "2026-09-01", **LOGGED, "test_cadence_months": 1}, [], "warn"),
        ({"last_failover_test": "2026-09-01", **LOGGED, "test_cadence_months": 3}, [], "pass"),
        ({"last_failover_test": "2025-09-01", **LOGGED}, [], "warn"),
        # a drill of this audit is a logged test; overdue still warns
        ({}, [drill("no_failover", days_ago=20, technician="Alex")], "pass"),
        ({"test_cadence_months": 1}, [drill("failover_ok", days_ago=60)], "warn"),
        # a date still to come is nothing to log
        ({"last_failover_test": "2027-01-01", **LOGGED}, [], "unknown"),
    ],
)
def test_ops_006_tests_logged(answers: dict[str, Any], drills: list[Any], verdict: str) -> None:
    r = run("OPS-006", answers, {}, drills)
    check(r, verdict)


def test_ops_006_says_when_the_next_test_was_due() -> None:
    r = run("OPS-006", {"last_failover_test": "2026-08-31", **LOGGED, "test_cadence_months": 1})
    assert "The next test was due on 2026-09-30." in r.summary
    assert next(e for e in r.evidence if e.key == "next_test_due").value == "2026-09-30"


CONTACTS = {
    "primary_contract": "C-1",
    "primary_support_phone": "+33 1 00 00 00 01",
    "backup_contract": "C-2",
    "backup_support_phone": "+33 1 00 00 00 02",
    "responder_deputy": "Marc",
}


@pytest.mark.parametrize(
    ("answers", "verdict"),
    [
        ({}, "unknown"),
        (CONTACTS, "pass"),
        ({**CONTACTS, "backup_line": False, "backup_contract": None, "backup_support_phone": None}, "pass"),
        ({**CONTACTS, "backup_contract": None}, "warn"),
        ({**CONTACTS, "responder_deputy": None}, "warn"),
        ({"primary_contract": None, "responder_deputy": None}, "fail"),
    ],
)
def test_ops_007_contacts_at_hand(answers: dict[str, Any], verdict: str) -> None:
    check(run("OPS-007", answers), verdict)


def test_ops_007_names_what_is_missing() -> None:
    r = run("OPS-007", {**CONTACTS, "backup_support_phone": None, "responder_deputy": None})
    assert r.summary == "Not written down: the backup line's fault line, a deputy for the responder."
