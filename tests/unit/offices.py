"""Literal offices for the need, fit, plan and contradiction tests (issue 15).

Each is a dict of answers as an answers file would give them; ``office()`` builds the audit
and runs the real engine on it, so every test below goes through the same pipeline as
`readiness audit`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from readiness.catalogue import default_catalogue
from readiness.judgement.engine import evaluate
from readiness.model import Answer, Audit, DrillResult, Facts, Site, Waiver
from readiness.replay import load_facts

WHEN = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

# A café whose till works offline for a day (the first case): one line, one
# outage a year costing about 4 EUR, a backup quoted at 60 EUR a month.
CAFE: dict[str, Any] = {
    "backup_line": False,
    "primary_type": "dsl",
    "tethering_used": False,
    "failover_mode": "none",
    "router_spare": "provider_swap",
    "vpn_used": False,
    "telephony_type": "mobile",
    "cloud_dependencies": ["pos"],
    "affected_processes": ["sales"],
    "ups_present": False,
    "failover_tested_ever": False,
    "monitoring": "users",
    "responder": "Marie",
    "procedure_written": False,
    "continuity_plan": False,
    "max_outage_minutes": 1440,
    "offline_fallback": "full",
    "obligations": ["none"],
    "growth_plans": ["none"],
    "currency": "EUR",
    "staff_affected": 2,
    "hourly_cost_per_person": 20,
    "work_blocked_pct": 10,
    "revenue_per_hour": 0,
    "missed_calls_cost": 0,
    "late_delivery_cost": 0,
    "penalties_cost": 0,
    "outages_per_year": 1,
    "outage_minutes": 60,
    "backup_monthly_cost": 60,
}

# A practice that cannot be offline for long and must stay reachable, with a real,
# independent, automatic, tested backup and everything around it.
PREPARED: dict[str, Any] = {
    "backup_line": True,
    "primary_type": "fibre",
    "backup_type": "mobile",
    "tethering_used": False,
    "backup_same_provider": False,
    "backup_entry": "radio",
    "backup_bandwidth_mbps": 50,
    "users_on_backup": 6,
    "workloads_on_backup": ["mail", "telephony"],
    "failover_mode": "automatic",
    "router_spare": "ha_pair",
    "firewall_failover_ready": True,
    "vpn_used": False,
    "dns_on_backup": True,
    "telephony_type": "cloud",
    "telephony_failover_ready": True,
    "cloud_dependencies": ["office_suite", "crm", "accounting"],
    "affected_processes": ["customer_service", "finance"],
    "ups_present": True,
    "ups_feeds": ["modem", "router", "switch", "backup_modem", "phones"],
    "ups_runtime_minutes": 30,
    "failover_tested_ever": True,
    "last_failover_test": "2026-09-15",
    "monitoring": "alerts",
    "responder": "Practice manager",
    "procedure_written": True,
    "continuity_plan": True,
    "max_outage_minutes": 15,
    "offline_fallback": "partial",
    "obligations": ["regulation"],
    "growth_plans": ["more_cloud"],
    "currency": "EUR",
    "staff_affected": 8,
    "hourly_cost_per_person": 45,
    "work_blocked_pct": 70,
    "revenue_per_hour": 400,
    "missed_calls_cost": 150,
    "late_delivery_cost": 0,
    "penalties_cost": 0,
    "outages_per_year": 3,
    "outage_minutes": 120,
    "backup_monthly_cost": 35,
    "failover_minutes": 1,
}

# The same practice with one line and nothing around it.
SINGLE: dict[str, Any] = {
    **PREPARED,
    "backup_line": False,
    "failover_mode": "none",
    "router_spare": "provider_swap",
    "ups_present": False,
    "ups_feeds": [],
    "failover_tested_ever": False,
    "last_failover_test": "never",
    "monitoring": "users",
    "procedure_written": False,
    "continuity_plan": False,
}
for _key in (
    "backup_type",
    "backup_same_provider",
    "backup_entry",
    "backup_bandwidth_mbps",
    "users_on_backup",
    "workloads_on_backup",
    "firewall_failover_ready",
    "dns_on_backup",
    "telephony_failover_ready",
    "ups_runtime_minutes",
    "failover_minutes",
):
    SINGLE.pop(_key)


def office(
    answers: dict[str, Any],
    facts: Facts | dict[str, Any] | None = None,
    drills: list[DrillResult] | None = None,
    waivers: dict[str, Waiver] | None = None,
) -> Audit:
    """The audit of an office with these answers, judged by the real engine."""
    fx = facts if isinstance(facts, Facts) else Facts.model_validate(facts or {})
    audit = Audit(
        id="t",
        site=Site(name="Test office"),
        started_at=WHEN,
        updated_at=WHEN,
        tool_version="test",
        facts=fx,
        answers={k: Answer(value=v) for k, v in answers.items()},
        drills=drills or [],
        waivers=waivers or {},
    )
    return evaluate(audit, default_catalogue())


def recorded(name: str) -> Facts:
    """The facts of a recorded office under examples/, named as from the repository's root so
    that goldens do not depend on where the checkout lives."""
    facts = load_facts(EXAMPLES / f"{name}.json")
    return facts.model_copy(update={"replayed_from": f"examples/{name}.json"})


def verdicts(audit: Audit) -> dict[str, str]:
    return {f.check_id: f.verdict.value for f in audit.findings}
