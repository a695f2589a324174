"""Table-driven tests of the WAN-xxx rules (lines)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit._rulekit import check, drill, ev_keys, gateways, run

TWO_GW = {"gateways": gateways("192.168.1.1", "192.168.8.1")}
ONE_GW = {"gateways": gateways("192.168.1.1")}
MOVED = drill("failover_ok", blackout_s=4.0, primary={"asn": 3320}, backup={"asn": 6805})
MOVED_SAME = drill("failover_ok", blackout_s=4.0, primary={"asn": 3320}, backup={"asn": 3320})


@pytest.mark.parametrize(
    ("answers", "facts", "drills", "verdict", "conflict"),
    [
        ({}, {}, [], "unknown", False),
        ({"backup_line": None}, {}, [], "unknown", False),
        ({"backup_line": True}, {}, [], "pass", False),
        ({"backup_line": False}, {}, [], "fail", False),
        ({"backup_line": False}, ONE_GW, [], "fail", False),
        ({}, TWO_GW, [], "pass", False),
        ({"backup_line": False}, TWO_GW, [], "pass", True),  # measured beats declared
        ({"backup_line": False}, {}, [MOVED], "pass", True),
        ({"backup_line": True, "backup_type": "phone_tethering"}, {}, [], "warn", False),
        (
            {},
            {"wan": [{"family": 4, "public_ip": "203.0.113.5"}, {"family": 4, "public_ip": "198.51.100.7"}]},
            [],
            "pass",
            False,
        ),
        # A drill that saw no failover does not prove there is no backup.
        ({"backup_line": True}, {}, [drill("no_failover")], "pass", False),
    ],
)
def test_wan_001_second_line(
    answers: dict[str, Any], facts: dict[str, Any], drills: list[Any], verdict: str, conflict: bool
) -> None:
    check(run("WAN-001", answers, facts, drills), verdict, conflict)


def test_wan_001_evidence_names_the_gateways() -> None:
    r = run("WAN-001", {}, TWO_GW)
    assert "gateways/wan" in ev_keys(r)
    assert "2 IPv4 default gateways" in r.evidence[0].value


@pytest.mark.parametrize(
    ("answers", "facts", "drills", "verdict", "conflict"),
    [
        ({"backup_line": False}, {}, [], "not_applicable", False),
        ({"backup_line": True}, {}, [], "unknown", False),
        ({"backup_line": True, "backup_same_provider": True}, {}, [], "fail", False),
        ({"backup_line": True, "backup_same_provider": False}, {}, [], "pass", False),
        ({}, {}, [MOVED], "pass", False),
        ({}, {}, [MOVED_SAME], "fail", False),
        ({"backup_same_provider": False}, {}, [MOVED_SAME], "fail", True),
        ({"backup_same_provider": True}, {}, [MOVED], "pass", True),
        ({}, {}, [drill("failover_ok", same_provider=True)], "fail", False),
        (
            {},
            {
                "wan": [
                    {"family": 4, "public_ip": "203.0.113.5", "asn": 64500},
                    {"family": 4, "public_ip": "198.51.100.7", "asn": 64501},
                ]
            },
            [],
            "pass",
            False,
        ),
        (
            {},
            {
                "wan": [
                    {"family": 4, "public_ip": "203.0.113.5", "asn": 64500},
                    {"family": 4, "public_ip": "198.51.100.7", "asn": 64500},
                ]
            },
            [],
            "fail",
            False,
        ),
        ({}, {}, [], "unknown", False),
    ],
)
def test_wan_002_different_provider(
    answers: dict[str, Any], facts: dict[str, Any], drills: list[Any], verdict: str, conflict: bool
) -> None:
    check(run("WAN-002", answers, facts, drills), verdict, conflict)


@pytest.mark.parametrize(
    ("answers", "facts", "verdict"),
    [
        ({"backup_line": False}, {}, "not_applicable"),
        ({"backup_line": True}, {}, "unknown"),
        ({}, {}, "unknown"),
        ({"backup_line": True, "backup_entry": "separate"}, {}, "pass"),
        ({"backup_line": True, "backup_entry": "shared_duct"}, {}, "fail"),
        ({"backup_line": True, "backup_entry": "same_building_provider"}, {}, "fail"),
        ({"backup_line": True, "backup_entry": "radio"}, {}, "pass"),
        ({"backup_line": True, "backup_type": "mobile"}, {}, "pass"),
        (
            {"backup_line": True},
            {"interfaces": [{"name": "wwan0", "kind": "cellular", "is_up": True}]},
            "pass",
        ),
        (
            {"backup_line": True},
            {"interfaces": [{"name": "wwan0", "kind": "cellular", "is_up": False}]},
            "unknown",
        ),
    ],
)
def test_wan_003_separate_route(answers: dict[str, Any], facts: dict[str, Any], verdict: str) -> None:
    check(run("WAN-003", answers, facts), verdict)


FIBRE_WAN = {
    "wan": [
        {"family": 4, "public_ip": "203.0.113.5", "access_hint": "fibre", "reverse_dns": "ftth-5.example.net"}
    ]
}


@pytest.mark.parametrize(
    ("answers", "facts", "verdict", "conflict"),
    [
        ({"backup_line": False}, {}, "not_applicable", False),
        ({"backup_line": True}, {}, "unknown", False),
        ({"backup_line": True, "primary_type": "fibre"}, {}, "unknown", False),
        ({"backup_line": True, "primary_type": "fibre", "backup_type": "mobile"}, {}, "pass", False),
        ({"backup_line": True, "primary_type": "dsl", "backup_type": "dsl"}, {}, "fail", False),
        (
            {"backup_line": True, "primary_type": "mobile", "backup_type": "phone_tethering"},
            {},
            "fail",
            False,
        ),
        ({"backup_line": True, "backup_type": "mobile"}, FIBRE_WAN, "pass", False),
        ({"backup_line": True, "primary_type": "dsl", "backup_type": "fibre"}, FIBRE_WAN, "fail", True),
        (
            {"backup_line": True, "primary_type": "fibre"},
            {"interfaces": [{"name": "usb0", "kind": "tethering", "is_up": True}]},
            "pass",
            False,
        ),
    ],
)
def test_wan_004_different_technology(
    answers: dict[str, Any], facts: dict[str, Any], verdict: str, conflict: bool
) -> None:
    check(run("WAN-004", answers, facts), verdict, conflict)


@pytest.mark.parametrize(
    ("answers", "verdict", "needed"),
    [
        ({"backup_line": False}, "not_applicable", None),
        ({"backup_line": True}, "unknown", None),
        ({"backup_line": True, "backup_bandwidth_mbps": 50}, "unknown", None),
        ({"backup_line": True, "backup_bandwidth_mbps": 50, "users_on_backup": 10}, "pass", "10"),
        # 10 users x (1 + 1.5 video) + 5 vpn + 20 large files = 50
        (
            {
                "backup_line": True,
                "backup_bandwidth_mbps": 50,
                "users_on_backup": 10,
                "workloads_on_backup": ["video_calls", "vpn", "large_files"],
            },
            "pass",
            "50",
        ),
        (
            {
                "backup_line": True,
                "backup_bandwidth_mbps": 30,
                "users_on_backup": 10,
                "workloads_on_backup": ["video_calls", "vpn", "large_files"],
            },
            "warn",
            "50",
        ),
        (
            {
                "backup_line": True,
                "backup_bandwidth_mbps": 10,
                "users_on_backup": 10,
                "workloads_on_backup": ["video_calls", "vpn", "large_files"],
            },
            "fail",
            "50",
        ),
        (
            {
                "backup_line": True,
                "backup_bandwidth_mbps": 2,
                "users_on_backup": 20,
                "workloads_on_backup": ["telephony"],
            },
            "fail",
            "22",
        ),
    ],
)
def test_wan_005_capacity(answers: dict[str, Any], verdict: str, needed: str | None) -> None:
    r = run("WAN-005", answers)
    check(r, verdict)
    if needed is not None:
        assert [e.value for e in r.evidence if e.key == "needed_mbps"] == [needed]


TETHER = {
    "interfaces": [{"name": "usb0", "kind": "ethernet", "is_up": True, "tethering_hint": "rndis_host driver"}]
}
NO_TETHER = {"interfaces": [{"name": "eth0", "kind": "ethernet", "is_up": True}]}


@pytest.mark.parametrize(
    ("answers", "facts", "verdict", "conflict"),
    [
        ({}, {}, "unknown", False),
        ({}, NO_TETHER, "unknown", False),  # nothing now does not prove nothing during outages
        ({"backup_type": "phone_tethering"}, {}, "fail", False),
        ({"tethering_used": True}, {}, "fail", False),
        ({"tethering_used": True, "backup_type": "mobile"}, {}, "warn", False),
        ({"tethering_used": False}, {}, "pass", False),
        ({"backup_type": "fibre"}, {}, "pass", False),
        ({"tethering_used": False}, TETHER, "fail", True),
        ({"tethering_used": False, "backup_type": "mobile"}, TETHER, "warn", True),
        ({"backup_type": "none"}, {}, "unknown", False),
    ],
)
def test_wan_006_not_phone_tethering(
    answers: dict[str, Any], facts: dict[str, Any], verdict: str, conflict: bool
) -> None:
    check(run("WAN-006", answers, facts), verdict, conflict)


def _q(sent: int, rtts: list[float]) -> dict[str, Any]:
    return {"target": "198.18.0.10", "method": "icmp", "sent": sent, "received": len(rtts), "rtts_ms": rtts}


@pytest.mark.parametrize(
    ("facts", "verdict"),
    [
        ({}, "unknown"),
        ({"path": {"quality": []}}, "unknown"),
        ({"path": {"quality": [_q(10, [])]}}, "unknown"),
        ({"path": {"quality": [_q(10, [20.0] * 10)]}}, "pass"),
        ({"path": {"quality": [_q(100, [20.0] * 98)]}}, "warn"),  # 2% loss
        ({"path": {"quality": [_q(10, [20.0] * 8)]}}, "fail"),  # 20% loss
        ({"path": {"quality": [_q(4, [20.0, 60.0, 20.0, 60.0])]}}, "warn"),  # jitter 40 ms
        ({"path": {"quality": [_q(4, [20.0, 120.0, 20.0, 120.0])]}}, "fail"),  # jitter 100 ms
        ({"path": {"quality": [_q(4, [150.0, 150.0, 150.0, 150.0])]}}, "warn"),  # rtt 150 ms
        ({"path": {"quality": [_q(10, [20.0] * 10), _q(10, [30.0] * 10)]}}, "pass"),
    ],
)
def test_wan_007_path_quality(facts: dict[str, Any], verdict: str) -> None:
    check(run("WAN-007", {}, facts), verdict)


def test_wan_001_a_phone_hotspot_gateway_is_not_a_second_line() -> None:
    facts = {
        "gateways": [
            {"address": "192.168.1.1", "family": 4, "interface": "eth0"},
            {"address": "172.20.10.1", "family": 4, "interface": "usb0"},
        ],
        "interfaces": [
            {"name": "eth0", "kind": "ethernet", "is_up": True},
            {"name": "usb0", "kind": "tethering", "is_up": True},
        ],
    }
    check(run("WAN-001", {}, facts), "unknown")
    check(run("WAN-001", {"backup_line": False}, facts), "fail")


@pytest.mark.parametrize("measured", [{"facts": TWO_GW}, {"drills": [MOVED]}], ids=["two gateways", "drill"])
@pytest.mark.parametrize("answer", [{}, {"backup_line": None}], ids=["unanswered", "don't know"])
def test_a_measured_backup_line_is_not_listed_as_missing(
    measured: dict[str, Any], answer: dict[str, Any]
) -> None:
    """Once a drill or two paths showed the backup line, asking about it is not what keeps
    WAN-004 unknown: its access technologies are."""
    r = run("WAN-004", answer, measured.get("facts", {}), measured.get("drills", []))
    check(r, "unknown")
    assert "answers.backup_line" not in r.missing
    assert "answers.backup_type" in r.missing


def test_an_unmeasured_backup_line_is_still_asked() -> None:
    r = run("WAN-004", {}, ONE_GW)
    check(r, "unknown")
    assert "answers.backup_line" in r.missing
