"""Each probe kind against real peers on 127.0.0.1 (started and stopped by the tests)."""

from __future__ import annotations

import asyncio
import os
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import NoReturn

import pytest

from readiness.config import Config, DnsEcho, Drill, Endpoints
from readiness.drill.address_owner import make_resolver
from readiness.drill.samplers import (
    DnsEchoSampler,
    DnsSampler,
    DrillTargets,
    HttpEchoSampler,
    IcmpSampler,
    TcpSampler,
    VpnSampler,
    build_samplers,
    icmp_available,
    split_host_port,
)
from readiness.probes.echo import parse_address
from tests.drill.peers import MYIP_NAME, TEST_NAME, Peers

T = 0.5  # each probe's own time limit in these tests


async def test_tcp_handshake_then_refused(peers: Peers) -> None:
    s = TcpSampler("127.0.0.1", peers.tcp[0].port)
    ok = await s.sample(T)
    assert ok[0][0] == f"tcp:127.0.0.1:{peers.tcp[0].port}" and ok[0][1].ok and ok[0][1].rtt_ms is not None
    peers.tcp[0].stop()
    res = (await s.sample(T))[0][1]
    assert not res.ok and res.detail == "refused"


async def test_dns_resolves_then_times_out(peers: Peers) -> None:
    s = DnsSampler(TEST_NAME, ["127.0.0.1"], peers.dns.port)
    res = (await s.sample(T))[0][1]
    assert res.ok and res.detail == "127.0.0.1"
    nx = DnsSampler("nothing.drill.test", ["127.0.0.1"], peers.dns.port)
    assert (await nx.sample(T))[0][1].detail == "NXDOMAIN"  # the resolver answered: resolution works
    peers.dns.stop()
    res = (await s.sample(T))[0][1]
    assert not res.ok


async def test_dns_silent_server_costs_only_its_own_sample() -> None:
    """A server that never answers: the sample fails with a timeout, it does not hang."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as silent:
        silent.bind(("127.0.0.1", 0))
        s = DnsSampler(TEST_NAME, ["127.0.0.1"], silent.getsockname()[1])
        res = (await s.sample(0.2))[0][1]
    assert not res.ok and res.detail == "timeout"


async def test_http_echo_reads_the_address(peers: Peers) -> None:
    s = HttpEchoSampler(f"http://127.0.0.1:{peers.http.port}/")
    try:
        assert (await s.sample(T))[0][1].detail == "192.0.2.10"
        peers.public_ip = "198.51.100.7"
        assert (await s.sample(T))[0][1].detail == "198.51.100.7"  # a fresh connection each time
        peers.http.stop()
        assert not (await s.sample(T))[0][1].ok
    finally:
        await s.close()


def _serve(body: bytes, status: int = 200) -> tuple[ThreadingHTTPServer, int]:
    class H(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(status)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), H)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server.server_address[1]


@pytest.mark.parametrize(
    ("body", "status", "detail"),
    [
        (b"not an address" * 100_000, 200, "no address in the answer"),  # bounded read, then rejected
        (b"192.0.2.1", 500, "HTTP 500"),
    ],
)
async def test_http_echo_rejects_bad_answers(body: bytes, status: int, detail: str) -> None:
    server, port = _serve(body, status)
    s = HttpEchoSampler(f"http://127.0.0.1:{port}/")
    try:
        res = (await s.sample(T))[0][1]
    finally:
        await s.close()
        server.shutdown()
        server.server_close()
    assert not res.ok and res.detail == detail


async def test_dns_echo_reads_the_address(peers: Peers) -> None:
    s = DnsEchoSampler(DnsEcho(name=MYIP_NAME, server=f"127.0.0.1:{peers.dns.port}"))
    assert (await s.sample(T))[0][1].detail == "192.0.2.10"
    other = DnsEchoSampler(DnsEcho(name="nothing.drill.test", server=f"127.0.0.1:{peers.dns.port}"))
    assert (await other.sample(T))[0][1].detail == "no address in the answer"


@pytest.fixture
def no_getaddrinfo(monkeypatch: pytest.MonkeyPatch) -> None:
    """getaddrinfo blocks a thread for the libc resolver's whole retry cycle when the DNS
    is dead, beyond any timeout: the echo samplers must never call it."""

    def refuse(*args: object, **kwargs: object) -> NoReturn:
        raise AssertionError(f"getaddrinfo{args[:2]} called")

    async def refuse_async(*args: object, **kwargs: object) -> NoReturn:
        refuse(*args)

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(asyncio.BaseEventLoop, "getaddrinfo", refuse_async)


@pytest.mark.usefixtures("no_getaddrinfo")
async def test_echo_names_resolve_through_the_drills_resolver(peers: Peers) -> None:
    resolver = make_resolver(["127.0.0.1"], peers.dns.port)
    http = HttpEchoSampler(f"http://{TEST_NAME}:{peers.http.port}/", resolver=resolver)
    try:
        assert (await http.sample(T))[0][1].detail == "192.0.2.10"
    finally:
        await http.close()
    echo = DnsEchoSampler(DnsEcho(name=MYIP_NAME, server=f"{TEST_NAME}:{peers.dns.port}"), resolver)
    assert (await echo.sample(T))[0][1].detail == "192.0.2.10"


@pytest.mark.usefixtures("no_getaddrinfo")
async def test_echo_names_with_the_dns_dead_cost_only_their_own_sample() -> None:
    """A resolver that never answers: each echo fails within its own time limit, saying
    why, instead of waiting on the system's resolver."""
    silent = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    silent.bind(("127.0.0.1", 0))
    try:
        resolver = make_resolver(["127.0.0.1"], silent.getsockname()[1])
        http = HttpEchoSampler("http://echo.drill.test/", resolver=resolver)
        echo = DnsEchoSampler(DnsEcho(name=MYIP_NAME, server="ns.drill.test"), resolver)
        try:
            start = time.monotonic()
            ((_, by_http),) = await http.sample(T)
            ((_, by_dns),) = await echo.sample(T)
            took = time.monotonic() - start
        finally:
            await http.close()
    finally:
        silent.close()
    assert not by_http.ok and by_http.detail == "cannot resolve echo.drill.test"
    assert not by_dns.ok and by_dns.detail == "cannot resolve the echo server ns.drill.test"
    assert took < 2 * (T * 2 + 0.2) + 5.0  # each within its limit; generous for a busy machine


@pytest.mark.skipif(icmp_available(os.geteuid() == 0) is not None, reason="ICMP sockets not permitted here")
async def test_icmp_to_loopback() -> None:
    res = (await IcmpSampler("127.0.0.1", os.geteuid() == 0).sample(T))[0][1]
    assert res.ok and res.rtt_ms is not None


async def test_vpn_sampler_reads_interfaces_locally() -> None:
    s = VpnSampler(prefixes=("lo",))  # the loopback stands in for a tunnel: same psutil read
    out = dict(await s.sample(T))
    assert out["vpn:lo"].ok
    s._seen.add("wg-gone")
    assert dict(await s.sample(T))["vpn:wg-gone"].detail == "gone"
    assert not VpnSampler().counts_as_probe


def test_targets_from_config() -> None:
    cfg = Config(
        endpoints=Endpoints(
            anchors=["198.18.10.1", "198.18.20.1", "198.19.30.1"],
            tcp_anchors=["198.18.10.1:443", "[2001:db8::1]:8443"],
            echo_urls=["https://echo.test/ip", "http://198.18.0.80/ip"],
            dns_echo=[DnsEcho(name="v6.test", server="x", family=6), DnsEcho(name="v4.test", server="y")],
        ),
        drill=Drill(dns_server="192.168.50.1:5353"),
    )
    t = DrillTargets.from_config(cfg)
    assert t.icmp == ["198.18.10.1", "198.18.20.1"]
    assert t.tcp == [("198.18.10.1", 443)]
    assert t.echo_urls == ["https://echo.test/ip"]
    assert [e.name for e in t.dns_echo] == ["v4.test"]
    assert (t.dns_servers, t.dns_port) == (["192.168.50.1"], 5353)
    assert DrillTargets.from_config(Config()).dns_servers is None  # the system resolver
    assert split_host_port("[2001:db8::1]:8443", 1) == ("2001:db8::1", 8443)
    assert split_host_port("host", 7) == ("host", 7)


def test_icmp_falls_back_to_tcp_when_not_permitted() -> None:
    targets = DrillTargets(icmp=["127.0.0.1"], watch_vpn=False)
    samplers, notes = build_samplers(targets, privileged=os.geteuid() == 0)
    if icmp_available(os.geteuid() == 0) is None:
        assert samplers[0].name == "icmp:127.0.0.1" and not notes
    else:
        assert samplers[0].name == "tcp:127.0.0.1:443" and "TCP 443" in notes[0]


def test_parse_address() -> None:
    assert parse_address(' "192.0.2.1"\n') == "192.0.2.1"
    assert parse_address("2001:DB8::1") == "2001:db8::1"
    assert parse_address("<html>") is None
