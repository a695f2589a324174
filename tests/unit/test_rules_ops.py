"""Table-driven tests of the OPS-xxx rules."""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit._rulekit import check, run

AGENT = {"operations": {"monitoring_agents": ["zabbix_agentd"]}}


@pytest.mark.parametrize(
    ("answers", "facts", "verdict", "conflict"),
    [
        ({}, {}, "unknown", False),
        ({}, {"operations": {}}, "unknown", False),
        ({"monitoring": "alerts"}, {}, "pass", False),
        ({"monitoring": "provider"}, {}, "warn", False),
        ({"monitoring": "users"}, {}, "fail", False),
        ({}, AGENT, "warn", False),
        ({"monitoring": "users"}, AGENT, "fail", True),
        ({"monitoring": "alerts"}, AGENT, "pass", False),
    ],
)
def test_ops_001_monitoring(
    answers: dict[str, Any], facts: dict[str, Any], verdict: str, conflict: bool
) -> None:
    check(run("OPS-001", answers, facts), verdict, conflict)


@pytest.mark.parametrize(
    ("answers", "verdict"),
    [
        ({}, "unknown"),
        ({"responder": None}, "unknown"),
        ({"responder": ""}, "fail"),
        ({"responder": "   "}, "fail"),
        ({"responder": "Anna, office manager"}, "pass"),
    ],
)
def test_ops_002_responder(answers: dict[str, Any], verdict: str) -> None:
    check(run("OPS-002", answers), verdict)


@pytest.mark.parametrize(
    ("answers", "verdict"),
    [
        ({}, "unknown"),
        ({"procedure_written": True}, "pass"),
        ({"procedure_written": False}, "fail"),
        ({"procedure_written": None}, "unknown"),
    ],
)
def test_ops_003_procedure(answers: dict[str, Any], verdict: str) -> None:
    check(run("OPS-003", answers), verdict)


@pytest.mark.parametrize(
    ("answers", "verdict"),
    [
        ({}, "unknown"),
        ({"outages_per_year": 4, "outage_minutes": 90}, "pass"),
        ({"outages_per_year": 0, "outage_minutes": 0}, "pass"),
        ({"outages_per_year": 4}, "warn"),
        ({"outages_per_year": 4, "outage_minutes": None}, "warn"),
        ({"outages_per_year": None, "outage_minutes": None}, "fail"),  # asked, nobody knows
        ({"outages_per_year": None}, "unknown"),
    ],
)
def test_ops_004_history(answers: dict[str, Any], verdict: str) -> None:
    check(run("OPS-004", answers), verdict)
