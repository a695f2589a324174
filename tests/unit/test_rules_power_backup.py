"""Table-driven tests of the PWR-xxx rules. A laptop battery never counts as a UPS."""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit._rulekit import check, drill, ev_keys, run


def _ups(runtime_s: float | None = None, status: list[str] | None = None) -> dict[str, Any]:
    return {
        "power": {
            "ups": [
                {
                    "source": "nut",
                    "name": "ups",
                    "model": "Back-UPS 700",
                    "runtime_s": runtime_s,
                    "status": status or ["OL"],
                }
            ]
        }
    }


LAPTOP_ONLY = {"power": {"ups": [], "local_battery": {"percent": 80.0, "plugged": True}}}
GEAR = ["modem", "router", "switch"]


@pytest.mark.parametrize(
    ("answers", "facts", "verdict", "conflict"),
    [
        ({}, {}, "unknown", False),
        ({}, LAPTOP_ONLY, "unknown", False),  # the laptop's battery is not a UPS
        ({"ups_present": False}, LAPTOP_ONLY, "fail", False),
        ({"ups_present": False}, {}, "fail", False),
        ({"ups_present": True}, {}, "unknown", False),
        ({"ups_present": True, "ups_feeds": GEAR}, {}, "pass", False),
        ({"ups_present": True, "ups_feeds": ["modem", "router"]}, {}, "warn", False),
        ({"ups_present": True, "ups_feeds": ["servers", "switch"]}, {}, "fail", False),
        ({"ups_feeds": GEAR}, _ups(1200), "pass", False),
        ({"ups_present": False, "ups_feeds": GEAR}, _ups(1200), "pass", True),
        ({}, _ups(1200), "unknown", False),
    ],
)
def test_pwr_001_ups_on_gear(
    answers: dict[str, Any], facts: dict[str, Any], verdict: str, conflict: bool
) -> None:
    check(run("PWR-001", answers, facts), verdict, conflict)


def test_pwr_001_laptop_battery_is_reported_but_never_counts() -> None:
    r = run("PWR-001", {}, LAPTOP_ONLY)
    assert "power.local_battery" in ev_keys(r)
    assert r.verdict.value == "unknown"


@pytest.mark.parametrize(
    ("answers", "facts", "verdict", "conflict"),
    [
        ({}, {}, "unknown", False),
        ({"ups_present": False}, {}, "not_applicable", False),
        ({"ups_present": True}, {}, "unknown", False),
        ({"ups_present": True, "ups_runtime_minutes": 30}, {}, "pass", False),
        ({"ups_present": True, "ups_runtime_minutes": 10}, {}, "warn", False),
        ({"ups_present": True, "ups_runtime_minutes": 3}, {}, "fail", False),
        ({}, _ups(1800), "pass", False),
        ({}, _ups(600), "warn", False),
        ({}, _ups(120), "fail", False),
        ({"ups_runtime_minutes": 60}, _ups(240), "fail", True),  # measured 4 min beats 60 declared
        ({"ups_runtime_minutes": 30}, _ups(1700), "pass", False),  # close enough: no conflict
        ({}, _ups(1800, ["OB", "DISCHRG"]), "warn", False),
        ({}, _ups(None), "unknown", False),
        ({"ups_runtime_minutes": 20}, LAPTOP_ONLY, "pass", False),
    ],
)
def test_pwr_002_runtime(
    answers: dict[str, Any], facts: dict[str, Any], verdict: str, conflict: bool
) -> None:
    check(run("PWR-002", answers, facts), verdict, conflict)


@pytest.mark.parametrize(
    ("answers", "facts", "verdict", "conflict"),
    [
        ({}, {}, "unknown", False),
        ({"telephony_type": "mobile"}, {}, "not_applicable", False),
        ({"telephony_type": "none"}, {}, "not_applicable", False),
        ({"telephony_type": "cloud"}, {}, "unknown", False),
        ({"telephony_type": "cloud", "ups_present": False}, {}, "fail", False),
        (
            {"telephony_type": "onprem", "ups_present": True, "ups_feeds": ["router", "phones"]},
            {},
            "pass",
            False,
        ),
        ({"telephony_type": "cloud", "ups_present": True, "ups_feeds": ["router"]}, {}, "fail", False),
        (
            {"ups_present": True, "ups_feeds": ["phones"]},
            {"services": [{"id": "x", "name": "3CX", "category": "telephony"}]},
            "pass",
            False,
        ),
        ({"telephony_type": "cloud", "ups_present": False, "ups_feeds": ["phones"]}, _ups(900), "pass", True),
    ],
)
def test_pwr_003_phones(answers: dict[str, Any], facts: dict[str, Any], verdict: str, conflict: bool) -> None:
    check(run("PWR-003", answers, facts), verdict, conflict)


def _power_drill(outcome: str) -> dict[str, Any]:
    return drill(outcome, kind="power")


@pytest.mark.parametrize(
    ("answers", "facts", "drills", "verdict", "conflict"),
    [
        ({"ups_present": False}, {}, [_power_drill("power_held")], "pass", True),
        ({}, {}, [_power_drill("power_held")], "pass", False),
        ({"ups_present": True, "ups_feeds": GEAR}, {}, [_power_drill("power_lost")], "fail", True),
        ({"ups_present": True, "ups_feeds": ["modem"]}, {}, [_power_drill("power_lost")], "fail", False),
        # an aborted power drill and a failover drill say nothing about power
        (
            {"ups_present": True, "ups_feeds": GEAR},
            {},
            [_power_drill("aborted"), drill("no_failover")],
            "pass",
            False,
        ),
        # the latest power drill wins
        (
            {},
            {},
            [drill("power_lost", days_ago=90, kind="power"), drill("power_held", days_ago=3, kind="power")],
            "pass",
            False,
        ),
    ],
)
def test_pwr_001_power_drill_beats_answers(
    answers: dict[str, Any], facts: dict[str, Any], drills: list[Any], verdict: str, conflict: bool
) -> None:
    check(run("PWR-001", answers, facts, drills), verdict, conflict)
