"""Pre-filled answers: suggested from facts and drills, typed like the questions they fill."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from readiness.catalogue import Catalogue, QuestionType, load_catalogue
from readiness.judgement.prefill import Suggestion, suggest
from readiness.model import DrillResult, Facts

RICH_FACTS: dict[str, Any] = {
    "interfaces": [
        {"name": "eth0", "kind": "ethernet", "is_up": True},
        {"name": "wwan0", "kind": "cellular", "is_up": True},
    ],
    "gateways": [
        {"address": "192.168.1.1", "family": 4, "interface": "eth0"},
        {"address": "10.64.0.1", "family": 4, "interface": "wwan0"},
    ],
    "wan": [
        {"family": 4, "public_ip": "203.0.113.5", "access_hint": "fibre", "reverse_dns": "ftth.example.net"}
    ],
    "power": {"ups": [{"source": "nut", "model": "Back-UPS 700", "runtime_s": 1500}]},
    "services": [
        {"id": "m365", "name": "Microsoft 365", "category": "productivity"},
        {"id": "sipgate", "name": "Sipgate", "category": "telephony"},
        {"id": "bank", "name": "E-banking", "category": "banking"},
    ],
    "operations": {"tunnels": ["wg0"], "vpn_clients": []},
}
DRILL: dict[str, Any] = {
    "id": "d1",
    "outcome": "failover_ok",
    "unattended": True,
    "started_at": datetime(2026, 10, 2, 9, 0, tzinfo=UTC),
    "blackout_s": 42.0,
    "primary": {"asn": 3320},
    "backup": {"asn": 6805},
    "dns_during_blackout": True,
}


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return load_catalogue()


def _suggest(facts: dict[str, Any], drills: list[dict[str, Any]] | None = None) -> dict[str, Suggestion]:
    return suggest(Facts.model_validate(facts), [DrillResult.model_validate(d) for d in drills or []])


def test_nothing_known_suggests_nothing() -> None:
    assert _suggest({}) == {}
    assert _suggest({"interfaces": [], "gateways": [], "services": [], "power": {}}) == {}


def test_rich_facts_and_a_drill(cat: Catalogue) -> None:
    s = _suggest(RICH_FACTS, [DRILL])
    values = {k: v.value for k, v in s.items()}
    assert values == {
        "backup_line": True,
        "backup_type": "mobile",
        "primary_type": "fibre",
        "backup_same_provider": False,
        "backup_entry": "radio",
        "failover_mode": "automatic",
        "vpn_used": True,
        "dns_on_backup": True,
        "telephony_type": "cloud",
        "cloud_dependencies": ["accounting", "office_suite"],
        "ups_present": True,
        "ups_runtime_minutes": 25,
        "failover_tested_ever": True,
        "last_failover_test": "2026-10-02",
        "failover_minutes": 0.7,
    }
    assert s["backup_line"].from_fact == "drill.outcome"
    assert all(v.explanation for v in s.values())


def test_every_suggestion_fits_its_question(cat: Catalogue) -> None:
    tether = {"interfaces": [{"name": "usb0", "kind": "tethering", "is_up": True}]}
    for s in (_suggest(RICH_FACTS, [DRILL]), _suggest(tether)):
        for qid, sug in s.items():
            q = cat.question(qid)
            v = sug.value
            if q.type is QuestionType.YESNO:
                assert isinstance(v, bool), qid
            elif q.type is QuestionType.CHOICE:
                assert v in {c.value for c in q.choices}, qid
            elif q.type is QuestionType.MULTI:
                assert isinstance(v, list) and set(v) <= {c.value for c in q.choices}, qid
            elif q.type is QuestionType.NUMBER:
                assert isinstance(v, int | float) and not isinstance(v, bool), qid
                assert q.min is not None and q.max is not None and q.min <= v <= q.max, qid
            elif q.type is QuestionType.DATE:
                assert isinstance(v, str) and len(v) == 10, qid


@pytest.mark.parametrize(
    ("facts", "drills", "qid", "value"),
    [
        (
            {"gateways": [{"address": "192.168.1.1", "family": 4}, {"address": "192.168.8.1", "family": 4}]},
            [],
            "backup_line",
            True,
        ),
        ({"gateways": [{"address": "192.168.1.1", "family": 4}]}, [], "backup_line", None),
        (
            {"interfaces": [{"name": "usb0", "kind": "tethering", "is_up": True}]},
            [],
            "backup_type",
            "phone_tethering",
        ),
        ({"interfaces": [{"name": "usb0", "kind": "tethering", "is_up": True}]}, [], "tethering_used", True),
        ({"interfaces": [{"name": "usb0", "kind": "tethering", "is_up": False}]}, [], "tethering_used", None),
        (
            {"power": {"ups": [], "local_battery": {"percent": 90.0}}},
            [],
            "ups_present",
            None,
        ),  # laptop battery
        (
            {"wan": [{"family": 4, "public_ip": "203.0.113.5", "access_hint": "unknown"}]},
            [],
            "primary_type",
            None,
        ),
        ({}, [{**DRILL, "unattended": False}], "failover_mode", None),  # someone may have switched by hand
        ({}, [{**DRILL, "outcome": "no_failover"}], "backup_line", None),
        ({}, [{**DRILL, "outcome": "no_failover"}], "last_failover_test", "2026-10-02"),
        ({}, [{**DRILL, "primary": {"asn": 3320}, "backup": {"asn": 3320}}], "backup_same_provider", True),
        ({"services": [{"id": "x", "name": "Zoom", "category": "video"}]}, [], "cloud_dependencies", None),
    ],
)
def test_single_suggestions(
    facts: dict[str, Any], drills: list[dict[str, Any]], qid: str, value: object
) -> None:
    s = _suggest(facts, drills)
    assert (s[qid].value if qid in s else None) == value
