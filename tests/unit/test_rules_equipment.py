"""Table-driven tests of NET-001 (single router) and DNS-001 (name resolution)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit._rulekit import check, drill, gateways, run


@pytest.mark.parametrize(
    ("answers", "facts", "verdict", "conflict"),
    [
        ({}, {}, "unknown", False),
        ({}, {"gateways": gateways("192.168.1.1")}, "unknown", False),
        ({"router_spare": "ha_pair"}, {}, "pass", False),
        ({"router_spare": "spare_on_site"}, {}, "warn", False),
        ({"router_spare": "provider_swap"}, {}, "fail", False),
        ({"router_spare": "none"}, {"gateways": gateways("192.168.1.1")}, "fail", False),
        ({}, {"gateways": gateways("192.168.1.1", "192.168.1.2")}, "pass", False),
        ({"router_spare": "none"}, {"gateways": gateways("192.168.1.1", "192.168.1.2")}, "pass", True),
        # a phone's hotspot gateway is not a second router
        (
            {"router_spare": "none"},
            {
                "gateways": [
                    {"address": "192.168.1.1", "family": 4, "interface": "eth0"},
                    {"address": "172.20.10.1", "family": 4, "interface": "usb0"},
                ],
                "interfaces": [{"name": "usb0", "kind": "tethering", "is_up": True}],
            },
            "fail",
            False,
        ),
    ],
)
def test_net_001_router(answers: dict[str, Any], facts: dict[str, Any], verdict: str, conflict: bool) -> None:
    check(run("NET-001", answers, facts), verdict, conflict)


def _res(*roles: str) -> dict[str, Any]:
    return {
        "resolvers": [
            {"address": f"10.0.0.{i}", "source": "resolv.conf", "role": r} for i, r in enumerate(roles, 1)
        ]
    }


@pytest.mark.parametrize(
    ("answers", "facts", "drills", "verdict", "conflict"),
    [
        ({}, {}, [], "unknown", False),
        ({"backup_line": True}, {}, [], "unknown", False),
        ({"backup_line": False}, {}, [], "not_applicable", False),
        ({"backup_line": True}, _res("provider"), [], "fail", False),
        ({"backup_line": True, "dns_on_backup": True}, _res("provider", "provider"), [], "fail", True),
        ({"backup_line": True}, _res("router_proxy"), [], "pass", False),
        ({"backup_line": True}, _res("public", "lan"), [], "pass", False),
        ({"backup_line": True}, _res("provider", "public"), [], "warn", False),
        ({"backup_line": True}, _res("local_stub"), [], "unknown", False),
        ({"backup_line": True, "dns_on_backup": True}, _res("local_stub"), [], "pass", False),
        ({"backup_line": True, "dns_on_backup": False}, {"resolvers": []}, [], "fail", False),
        ({}, {}, [drill("failover_ok", dns_during_blackout=True)], "pass", False),
        ({}, {}, [drill("failover_ok", dns_during_blackout=False)], "fail", False),
        (
            {"dns_on_backup": True},
            _res("router_proxy"),
            [drill("failover_ok", dns_during_blackout=False)],
            "fail",
            True,
        ),
        ({"dns_on_backup": False}, {}, [drill("failover_ok", dns_during_blackout=True)], "pass", True),
        # every resolver silent during the audit (the dead line): measured, so it fails
        (
            {"backup_line": True},
            {
                "resolvers": [
                    {
                        "address": "192.168.1.1",
                        "source": "resolv.conf",
                        "role": "router_proxy",
                        "reachable": False,
                    }
                ]
            },
            [],
            "fail",
            False,
        ),
        (
            {"backup_line": False, "dns_on_backup": True},
            {
                "resolvers": [
                    {
                        "address": "192.168.1.1",
                        "source": "resolv.conf",
                        "role": "router_proxy",
                        "reachable": False,
                    }
                ]
            },
            [],
            "fail",
            True,
        ),
        # one silent, one answering: the roles decide as before
        (
            {"backup_line": True},
            {
                "resolvers": [
                    {
                        "address": "192.168.1.1",
                        "source": "resolv.conf",
                        "role": "router_proxy",
                        "reachable": False,
                    },
                    {"address": "9.9.9.9", "source": "resolv.conf", "role": "public", "reachable": True},
                ]
            },
            [],
            "pass",
            False,
        ),
    ],
)
def test_dns_001(
    answers: dict[str, Any], facts: dict[str, Any], drills: list[Any], verdict: str, conflict: bool
) -> None:
    check(run("DNS-001", answers, facts, drills), verdict, conflict)
