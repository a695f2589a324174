"""Table-driven tests of the FO-xxx rules (switching), including answers the drill contradicts."""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit._rulekit import check, drill, ev_keys, run

OK = drill("failover_ok", blackout_s=8.0)
SLOW = drill("failover_slow", blackout_s=400.0)
NONE = drill("no_failover", blackout_s=None)
ABORTED = drill("aborted", days_ago=1)
VOIP = {"services": [{"id": "sipgate", "name": "Sipgate", "category": "telephony"}]}


@pytest.mark.parametrize(
    ("answers", "drills", "verdict", "conflict"),
    [
        ({}, [], "unknown", False),
        ({"failover_mode": "automatic"}, [], "pass", False),
        ({"failover_mode": "manual"}, [], "fail", False),
        ({"failover_mode": "none"}, [], "fail", False),
        ({"backup_line": False}, [], "fail", False),
        ({}, [OK], "pass", False),
        ({}, [SLOW], "warn", False),
        ({}, [NONE], "fail", False),
        # measured beats declared
        ({"failover_mode": "automatic"}, [NONE], "fail", True),
        ({"failover_mode": "manual"}, [OK], "pass", True),
        # blackout longer than what the office can bear
        ({"failover_mode": "automatic", "max_outage_minutes": 5}, [SLOW], "fail", False),
        ({"max_outage_minutes": 10}, [SLOW], "warn", False),
        ({"max_outage_minutes": 0.1}, [OK], "fail", False),
        # an aborted drill says nothing: the answer decides
        ({"failover_mode": "automatic"}, [ABORTED], "pass", False),
        # the latest conclusive drill wins over an older one
        (
            {},
            [drill("no_failover", days_ago=100), drill("failover_ok", days_ago=5, blackout_s=3.0)],
            "pass",
            False,
        ),
        (
            {},
            [drill("failover_ok", days_ago=100, blackout_s=3.0), drill("no_failover", days_ago=5)],
            "fail",
            False,
        ),
    ],
)
def test_fo_001_automatic_failover(
    answers: dict[str, Any], drills: list[Any], verdict: str, conflict: bool
) -> None:
    check(run("FO-001", answers, {}, drills), verdict, conflict)


def test_fo_001_contradiction_shows_both_sides() -> None:
    r = run("FO-001", {"failover_mode": "automatic"}, {}, [NONE])
    assert {"answers.failover_mode", "drill.outcome"} <= ev_keys(r)
    assert r.conflict is not None and "automatic" in r.conflict


@pytest.mark.parametrize(
    ("answers", "drills", "as_of_none", "verdict", "conflict"),
    [
        ({}, [], False, "unknown", False),
        ({"last_failover_test": None}, [], False, "unknown", False),
        ({"last_failover_test": "never"}, [], False, "fail", False),
        ({"last_failover_test": ""}, [], False, "fail", False),
        ({"last_failover_test": "never", "backup_line": False}, [], False, "not_applicable", False),
        ({"backup_line": False}, [], False, "not_applicable", False),
        ({"last_failover_test": "2026-06-01"}, [], False, "pass", False),
        ({"failover_tested_ever": False}, [], False, "fail", False),
        ({"failover_tested_ever": None}, [], False, "unknown", False),
        ({"failover_tested_ever": True}, [], False, "unknown", False),  # but when?
        ({"failover_tested_ever": False, "backup_line": False}, [], False, "not_applicable", False),
        ({"failover_tested_ever": False}, [drill("failover_ok", days_ago=30)], False, "pass", True),
        ({"failover_tested_ever": True, "last_failover_test": "2025-01-01"}, [], False, "warn", False),
        ({"last_failover_test": "2025-06-01"}, [], False, "warn", False),
        ({"last_failover_test": "2023-06-01"}, [], False, "fail", False),
        ({"last_failover_test": "not a date"}, [], False, "unknown", False),
        ({}, [drill("failover_ok", days_ago=30)], False, "pass", False),
        ({}, [drill("no_failover", days_ago=30)], False, "pass", False),  # tested, even if it failed
        ({}, [drill("failover_ok", days_ago=500)], False, "warn", False),
        ({}, [drill("no_outage", days_ago=3)], False, "unknown", False),  # the cut missed this path
        ({"last_failover_test": "never"}, [drill("failover_ok", days_ago=30)], False, "pass", True),
        ({"last_failover_test": "2026-10-01"}, [drill("failover_ok", days_ago=900)], False, "pass", False),
        ({"last_failover_test": "2026-06-01"}, [], True, "unknown", False),
    ],
)
def test_fo_002_tested(
    answers: dict[str, Any], drills: list[Any], as_of_none: bool, verdict: str, conflict: bool
) -> None:
    kwargs: dict[str, Any] = {"as_of": None} if as_of_none else {}
    check(run("FO-002", answers, {}, drills, **kwargs), verdict, conflict)


@pytest.mark.parametrize(
    ("answers", "facts", "verdict", "conflict"),
    [
        ({}, {}, "unknown", False),
        ({}, {"services": []}, "unknown", False),
        ({"telephony_type": "onprem"}, {}, "not_applicable", False),
        ({"telephony_type": "none"}, {"services": []}, "not_applicable", False),
        ({"telephony_type": "cloud"}, {}, "unknown", False),
        ({"telephony_type": "cloud", "backup_line": False}, {}, "fail", False),
        (
            {"telephony_type": "cloud", "backup_line": True, "telephony_failover_ready": True},
            {},
            "pass",
            False,
        ),
        (
            {"telephony_type": "cloud", "backup_line": True, "telephony_failover_ready": False},
            {},
            "fail",
            False,
        ),
        ({"backup_line": True, "telephony_failover_ready": True}, VOIP, "pass", False),
        (
            {"telephony_type": "onprem", "backup_line": True, "telephony_failover_ready": True},
            VOIP,
            "pass",
            True,
        ),
        ({"telephony_type": "none", "backup_line": False}, VOIP, "fail", True),
    ],
)
def test_fo_003_telephony(
    answers: dict[str, Any], facts: dict[str, Any], verdict: str, conflict: bool
) -> None:
    check(run("FO-003", answers, facts), verdict, conflict)


TUNNEL: dict[str, Any] = {"operations": {"tunnels": ["wg0"]}}
NO_OPS: dict[str, Any] = {"operations": {}}


@pytest.mark.parametrize(
    ("answers", "facts", "drills", "verdict", "conflict"),
    [
        ({}, {}, [], "unknown", False),
        ({}, NO_OPS, [], "unknown", False),
        ({"vpn_used": False}, NO_OPS, [], "not_applicable", False),
        ({"vpn_used": True, "backup_line": False}, {}, [], "fail", False),
        ({"vpn_used": True, "backup_line": True, "vpn_failover_ready": True}, {}, [], "pass", False),
        ({"vpn_used": True, "backup_line": True, "vpn_failover_ready": False}, {}, [], "fail", False),
        ({"vpn_used": True, "backup_line": True}, {}, [], "unknown", False),
        ({"vpn_used": False, "backup_line": True, "vpn_failover_ready": True}, TUNNEL, [], "pass", True),
        ({}, TUNNEL, [drill("failover_ok", vpn_dropped=["wg0"], vpn_recovered=["wg0"])], "pass", False),
        (
            {"vpn_used": False, "backup_line": False},
            {"services": [{"id": "fortinet", "name": "FortiClient", "category": "vpn"}]},
            [],
            "fail",
            True,
        ),
        ({}, TUNNEL, [drill("failover_ok", vpn_dropped=["wg0"], vpn_recovered=[])], "fail", False),
        ({"vpn_failover_ready": True}, TUNNEL, [drill("failover_ok", vpn_dropped=["wg0"])], "fail", True),
        (
            {"vpn_failover_ready": False},
            TUNNEL,
            [drill("failover_ok", vpn_dropped=["wg0"], vpn_recovered=["wg0"])],
            "pass",
            True,
        ),
    ],
)
def test_fo_004_vpn(
    answers: dict[str, Any], facts: dict[str, Any], drills: list[Any], verdict: str, conflict: bool
) -> None:
    check(run("FO-004", answers, facts, drills), verdict, conflict)


@pytest.mark.parametrize(
    ("answers", "verdict"),
    [
        ({}, "unknown"),
        ({"backup_line": False}, "not_applicable"),
        ({"backup_line": True}, "unknown"),
        ({"backup_line": True, "firewall_failover_ready": True}, "pass"),
        ({"backup_line": True, "firewall_failover_ready": False}, "fail"),
        ({"backup_line": True, "firewall_failover_ready": None}, "unknown"),
    ],
)
def test_fo_005_firewall(answers: dict[str, Any], verdict: str) -> None:
    check(run("FO-005", answers), verdict)
