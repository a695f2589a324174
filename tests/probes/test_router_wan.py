"""The WAN rule (readiness/probes/router_wan.py): which of a router's interfaces are lines."""

from __future__ import annotations

import pytest

from readiness.model import RouterSource, WanKind, WanState
from readiness.probes.router_snmp import _route_if
from readiness.probes.router_wan import IfRow, IgdLine, SnmpView, merge, snmp_lines, why_wan


@pytest.mark.parametrize(
    ("row", "addresses", "default", "why"),
    [
        (IfRow(1, name="ether1", if_type=6), ["192.168.88.2"], True, "carries a default route"),
        (IfRow(2, name="ether2", if_type=6), ["203.0.113.9"], False, "public or carrier-grade NAT"),
        (IfRow(3, name="ether3", if_type=6), ["100.64.3.4"], False, "public or carrier-grade NAT"),
        (IfRow(4, name="pppoe-out1", if_type=23), [], False, "type is ppp"),
        (IfRow(5, name="wwan0", if_type=243), [], False, "type is cellular"),
        (IfRow(6, name="eth5", alias="WAN2 backup", if_type=6), [], False, "names it as a WAN"),
        (IfRow(7, name="bridge", if_type=209), ["192.168.88.1"], False, None),  # the LAN
        (IfRow(8, name="eth1", if_type=6), ["10.0.0.2"], False, None),  # the documented limit
    ],
)
def test_the_wan_rule(row: IfRow, addresses: list[str], default: bool, why: str | None) -> None:
    found = why_wan(row, addresses, default)
    if why is None:
        assert found is None
    else:
        assert found is not None and why in found


def test_snmp_lines_skip_loopback_and_lan_and_keep_state() -> None:
    view = SnmpView(credential="x")
    view.interfaces = {
        1: IfRow(1, name="lo", if_type=24, oper=1),
        2: IfRow(2, name="lan0", if_type=6, oper=1),
        3: IfRow(3, name="wana", if_type=6, oper=1, speed_mbps=1000.0),
        4: IfRow(4, name="lte1", if_type=6, oper=7),
    }
    view.addresses = {1: ["127.0.0.1"], 2: ["192.168.50.1"], 3: ["198.51.100.10"], 4: ["100.80.1.2"]}
    view.default_routes = {3}
    lines = {x.interface: x for x in snmp_lines(view)}
    assert list(lines) == ["wana", "lte1"]
    assert lines["wana"].state is WanState.UP and lines["wana"].default_route
    assert lines["lte1"].state is WanState.DOWN and lines["lte1"].kind is WanKind.CELLULAR


def test_igd_lines_join_snmp_by_address_or_stand_alone() -> None:
    view = SnmpView(credential="x")
    view.interfaces = {3: IfRow(3, name="wana", if_type=6, oper=1)}
    view.addresses = {3: ["198.51.100.10"]}
    view.default_routes = {3}
    joined = merge(
        snmp_lines(view), [IgdLine("WANIPConnection", "Ethernet", "Up", "Connected", "198.51.100.10")]
    )
    assert len(joined) == 1 and joined[0].seen_by == [RouterSource.SNMP, RouterSource.IGD]
    alone = merge(
        [], [IgdLine("WANPPPConnection", "DSL", "Down", "Disconnected", None, last_error="ERROR_NO_CARRIER")]
    )
    assert alone[0].kind is WanKind.PPP and alone[0].state is WanState.DOWN
    assert alone[0].last_error == "ERROR_NO_CARRIER"


def test_default_routes_are_read_from_the_inet_cidr_route_index() -> None:
    # 0.0.0.0/0, policy 0.0, next hop 192.0.2.1 -> ifIndex 4 (as net-snmp answers)
    assert _route_if((1, 4, 0, 0, 0, 0, 0, 2, 0, 0, 1, 4, 192, 0, 2, 1), 4) == 4
    # 192.0.2.0/24 is not a default route
    assert _route_if((1, 4, 192, 0, 2, 0, 24, 3, 0, 0, 4, 1, 4, 0, 0, 0, 0), 4) is None
    assert _route_if((2, 16, *([0] * 16), 0, 2, 0, 0, 2, 16, 254, 128, *([0] * 14)), 7) == 7  # ::/0
    assert _route_if((1,), 4) is None


def test_an_igd_line_without_an_address_is_not_counted_twice() -> None:
    # The lab's `dead` office: no default route, one WAN interface, miniupnpd gives no address.
    view = SnmpView(credential="x")
    view.interfaces = {3: IfRow(3, name="wana", if_type=6, oper=2)}
    view.addresses = {3: ["198.51.100.10"]}
    lines = merge(snmp_lines(view), [IgdLine("WANIPConnection", "Cable", "Down", "Disconnected")])
    assert [x.interface for x in lines] == ["wana"] and RouterSource.IGD in lines[0].seen_by
    # Two lines, neither routed: the IGD cannot be placed, SNMP's two lines stand.
    view.interfaces[4] = IfRow(4, name="wanb", if_type=6, oper=1)
    view.addresses[4] = ["203.0.113.10"]
    assert [x.interface for x in merge(snmp_lines(view), [IgdLine("WANIPConnection")])] == ["wana", "wanb"]
