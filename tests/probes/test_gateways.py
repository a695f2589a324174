from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import pytest

from readiness.model import Gateway
from readiness.probes.gateways import build_gateways, check_gateways, merge_routes
from readiness.probes.linux_routes import (
    DefaultRoute,
    Neighbour,
    parse_ip_neigh_json,
    parse_ip_route_json,
    parse_proc_net_arp,
    parse_proc_net_ipv6_route,
    parse_proc_net_route,
)
from readiness.probes.quality import parse_ping_group_range, tcp_rtt


def test_recorded_ip_route_and_proc_agree(fixtures: Path) -> None:
    from_ip = parse_ip_route_json((fixtures / "ip_route_host.json").read_text(), 4)
    from_proc = parse_proc_net_route((fixtures / "proc_net_route_host.txt").read_text())
    assert from_ip == [DefaultRoute(4, "192.0.2.1", "eth0", 0)]
    assert from_proc == from_ip


def test_recorded_ipv6_routes(fixtures: Path) -> None:
    from_ip = parse_ip_route_json((fixtures / "ip6_route_host.json").read_text(), 6)
    from_proc = parse_proc_net_ipv6_route((fixtures / "proc_net_ipv6_route_host.txt").read_text())
    assert from_ip == [DefaultRoute(6, "fd00::1", "eth0", 1024)]
    assert from_proc == from_ip  # the loopback 'unreachable' default is left out


def test_dual_wan_routes_and_the_preferred_default(fixtures: Path) -> None:
    routes = parse_ip_route_json((fixtures / "ip_route_dual_wan.json").read_text(), 4)
    assert [(r.gateway, r.interface, r.metric) for r in routes] == [
        ("192.168.1.1", "enp3s0", 100),
        ("172.20.10.1", "wlp2s0", 600),
    ]
    gws = build_gateways(routes, [Neighbour("192.168.1.1", "enp3s0", "00:1a:11:aa:bb:cc", "REACHABLE")])
    preferred = [g for g in gws if g.preferred]
    assert [g.address for g in preferred] == ["192.168.1.1"]
    assert gws[0].mac == "00:1a:11:aa:bb:cc" and gws[0].vendor == "Google, Inc."
    assert gws[1].mac is None and not gws[1].preferred


def test_multipath_and_point_to_point_defaults(fixtures: Path) -> None:
    routes = parse_ip_route_json((fixtures / "ip_route_multipath.json").read_text(), 4)
    assert [(r.gateway, r.interface, r.metric) for r in routes] == [
        ("10.0.0.1", "eth0", 10),
        ("10.1.0.1", "eth1", 10),
        (None, "wwan0", 700),
    ]
    gws = build_gateways(routes, None)
    assert gws[-1].address == "wwan0 (point-to-point)"


def test_neighbour_tables(fixtures: Path) -> None:
    neigh = parse_ip_neigh_json((fixtures / "ip_neigh_host.json").read_text())
    assert neigh[0] == Neighbour("192.0.2.1", "eth0", "02:fc:00:00:00:05", "STALE")
    assert neigh[1].mac is None  # FAILED entry has no lladdr
    arp = parse_proc_net_arp((fixtures / "proc_net_arp_host.txt").read_text())
    assert arp == [Neighbour("192.0.2.1", "eth0", "02:fc:00:00:00:05", None)]


def test_parsers_survive_garbage() -> None:
    assert parse_ip_route_json("not json", 4) == []
    assert parse_ip_route_json('{"dst": "default"}', 4) == []
    assert parse_ip_route_json('[1, "x", {"dst": "default", "nexthops": [3]}]', 4) == []
    assert parse_proc_net_route("header\nshort line\neth0 zz yy") == []
    assert parse_ip_neigh_json("[") == []


def test_merge_prefers_the_kernel_table() -> None:
    kernel = [DefaultRoute(4, "192.168.1.1", "eth0", 100)]
    portable = [DefaultRoute(4, "192.168.1.1", "eth0", 0), DefaultRoute(6, "fe80::1", "eth0", 0)]
    assert merge_routes(kernel, portable) == [*kernel, DefaultRoute(6, "fe80::1", "eth0", 0)]
    assert merge_routes(None, portable) == portable


def test_ping_group_range() -> None:
    assert parse_ping_group_range("0\t2147483647\n", {1000})
    assert not parse_ping_group_range("1\t0\n", {0, 1000})  # the kernel's "nobody" default
    assert not parse_ping_group_range("garbage", {0})


def test_reachability_of_a_loopback_gateway() -> None:
    """A gateway on 127.0.0.1 (never the host's real router) answers; the RTT is recorded."""
    gws = [Gateway(address="127.0.0.1", family=4, interface="lo", preferred=True)]
    endpoints = asyncio.run(check_gateways(gws, timeout=0.5))
    assert gws[0].reachable is True and gws[0].rtt_ms is not None
    assert endpoints[0].target == "127.0.0.1"


def test_tcp_connect_fallback_to_a_listener_and_a_closed_port() -> None:
    with socket.socket() as srv:
        srv.bind(("127.0.0.1", 0))
        srv.listen(1)
        port = srv.getsockname()[1]
        assert asyncio.run(tcp_rtt("127.0.0.1", port, 0.5)) is not None
    # A closed port answers with a reset: still proof the host is alive.
    assert asyncio.run(tcp_rtt("127.0.0.1", port, 0.5)) is not None


def test_degrades_to_netifaces_without_linux(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading only (no traffic): without the kernel table the portable netifaces view is used."""
    from readiness.probes.gateways import netifaces_defaults, read_routes_and_neighbours

    monkeypatch.setattr("sys.platform", "win32")
    routes, neighbours, diagnostics = read_routes_and_neighbours()
    assert neighbours is None and diagnostics
    assert routes == (netifaces_defaults() or [])
