from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from readiness.config import Config
from readiness.model import Facts, Gateway, ProbeStatus, ResolverRole
from readiness.probes.base import ProbeContext
from readiness.probes.dns import classify_resolver, gather_resolvers, query_resolver
from readiness.probes.resolvconf import parse_resolvectl_dns, read_resolv_conf
from tests.probes.peers.dns_server import DnsPeer


def test_resolv_conf_via_dnspython(tmp_path: Path) -> None:
    f = tmp_path / "resolv.conf"
    f.write_text(
        "# generated\nsearch office.lan\nnameserver 192.168.1.1\nnameserver fe80::1%eth0\noptions edns0\n"
    )
    assert read_resolv_conf(f) == ["192.168.1.1", "fe80::1"]


def test_resolvectl_outputs(fixtures: Path) -> None:
    assert parse_resolvectl_dns((fixtures / "resolvectl_dns.txt").read_text()) == [
        "192.168.1.1",
        "fd00:1::1",
        "172.20.10.1",
        "100.100.100.100",
    ]
    assert parse_resolvectl_dns((fixtures / "resolvectl_dns_dot.txt").read_text()) == [
        "1.1.1.1",
        "9.9.9.9",
        "192.168.178.1",
        "2001:db8::53",
    ]


@pytest.mark.parametrize(
    ("address", "role"),
    [
        ("127.0.0.53", ResolverRole.LOCAL_STUB),
        ("192.168.1.1", ResolverRole.ROUTER_PROXY),
        ("192.168.1.10", ResolverRole.LAN),
        ("1.1.1.1", ResolverRole.PUBLIC),
        ("2001:4860:4860::8888", ResolverRole.PUBLIC),
        ("208.67.222.222", ResolverRole.PUBLIC),
        ("195.186.1.111", ResolverRole.PROVIDER),
        ("198.51.100.53", ResolverRole.PROVIDER),  # documentation range: routed like public space in the lab
        ("not-an-ip", ResolverRole.UNKNOWN),
    ],
)
def test_roles(address: str, role: ResolverRole) -> None:
    assert classify_resolver(address, ["192.168.1.1"]) is role


def _ctx(resolv_conf: Path, *, offline: bool = False, gateways: list[Gateway] | None = None) -> ProbeContext:
    cfg = Config()
    cfg.endpoints.dns_test_name = "www.example.test"
    cfg.timeouts.connect_s = 0.4
    return ProbeContext(config=cfg, offline=offline, resolv_conf=resolv_conf, facts=Facts(gateways=gateways))


def test_a_real_resolver_answers(dns_peer: DnsPeer, resolv_conf: Path) -> None:
    outcome = asyncio.run(gather_resolvers(_ctx(resolv_conf), port=dns_peer.port))
    assert outcome.status is ProbeStatus.OK and outcome.value is not None
    (r,) = outcome.value
    assert (r.address, r.source, r.role) == ("127.0.0.1", "resolv.conf", ResolverRole.LOCAL_STUB)
    assert r.reachable is True and r.latency_ms is not None and r.error is None
    assert ("udp", "www.example.test", "A") in dns_peer.queries
    assert [e.target for e in outcome.endpoints] == ["127.0.0.1"]


def test_router_role_comes_from_the_gateways(dns_peer: DnsPeer, resolv_conf: Path) -> None:
    gws = [Gateway(address="127.0.0.1", family=4)]
    outcome = asyncio.run(gather_resolvers(_ctx(resolv_conf, gateways=gws), port=dns_peer.port))
    assert outcome.value is not None
    # Loopback is still "local stub": this machine comes first.
    assert outcome.value[0].role is ResolverRole.LOCAL_STUB
    assert classify_resolver("10.0.0.1", ["10.0.0.1"]) is ResolverRole.ROUTER_PROXY


@pytest.mark.parametrize("mode", ["silent", "malformed", "truncated"])
def test_hostile_resolvers_are_unreachable_with_a_reason(mode: str, resolv_conf: Path) -> None:
    with DnsPeer(mode=mode) as peer:  # type: ignore[arg-type]
        outcome = asyncio.run(gather_resolvers(_ctx(resolv_conf), port=peer.port))
    assert outcome.value is not None
    (r,) = outcome.value
    assert r.reachable is False and r.error


def test_offline_never_queries_public_resolvers(tmp_path: Path, dns_peer: DnsPeer) -> None:
    conf = tmp_path / "resolv.conf"
    # 8.8.8.8 is listed but must not be contacted; 127.0.0.1 (this machine) is only connected to.
    conf.write_text("nameserver 8.8.8.8\nnameserver 127.0.0.1\n")
    outcome = asyncio.run(gather_resolvers(_ctx(conf, offline=True), port=dns_peer.port))
    assert outcome.value is not None
    public, local = outcome.value
    assert public.role is ResolverRole.PUBLIC and public.reachable is None
    assert public.error is not None and "offline" in public.error
    assert local.reachable is True
    assert [e.target for e in outcome.endpoints] == [f"127.0.0.1:{dns_peer.port}"]
    # No question at all: a forwarder would pass even "localhost" upstream.
    assert dns_peer.queries == []


def test_non_recursive_query_is_flagged() -> None:
    """--offline asks a resolver not to recurse: the query leaves with its RD flag clear
    (and a normal one with it set), and the answer still counts as one."""
    with DnsPeer() as peer:
        latency, error = asyncio.run(query_resolver("127.0.0.1", "x.test", port=peer.port, recursive=False))
        asyncio.run(query_resolver("127.0.0.1", "x.test", port=peer.port, recursive=True))
    assert latency is not None and error is None  # NXDOMAIN is an answer
    assert peer.recursion_desired == [False, True]


def test_missing_resolv_conf_is_unknown(tmp_path: Path) -> None:
    outcome = asyncio.run(gather_resolvers(_ctx(tmp_path / "absent.conf")))
    assert outcome.status is ProbeStatus.UNKNOWN and outcome.reason
