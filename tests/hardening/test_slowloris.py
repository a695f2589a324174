"""A slow-loris against every TCP-speaking probe entry point, on loopback.

The peer accepts and then dribbles one byte every 100 ms and never finishes (see
slowloris.py). Per-read timeouts never fire against it (each read gets a byte in time):
only an overall bound ends the exchange. Each case asserts that the entry point returns
within its own configured limit plus a generous slack (a bound, not a benchmark) and that
the Python heap peak (tracemalloc) stays below a cap while it waits.

The probe helpers' own hostile-peer suites (tests/probes/test_nut.py, test_apcupsd.py,
test_wan.py, test_services.py) cover garbage, floods and silence; NUT already had a
"drip" peer. This file adds the same slow-loris to every entry point, with a memory cap.
"""

from __future__ import annotations

import asyncio
import time
import tracemalloc
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dns.asyncresolver
import pytest

from readiness.catalogue import Service
from readiness.config import Config, Endpoints, Timeouts
from readiness.model import ProbeStatus
from readiness.probes.apcupsd import query_apcupsd
from readiness.probes.base import ProbeContext
from readiness.probes.nut import query_nut
from readiness.probes.quality import tcp_rtt
from readiness.probes.services import _Check, check_services
from readiness.probes.wan import probe_wan
from tests.hardening.slowloris import Mode, SlowLoris, make_cert
from tests.probes.peers.dns_server import DnsPeer

SLACK_S = 3.0  # generous: a loaded CI machine, TLS set-up, thread start-up
MEMORY_CAP = 8 * 1024 * 1024  # bytes of Python heap at peak while waiting on the peer
HTTP_HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Slow: "
HTTP_BODY = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100000\r\n\r\n"


@dataclass(frozen=True)
class Case:
    id: str
    mode: Mode
    prefix: bytes
    filler: bytes
    limit_s: float  # the entry point's own configured bound
    call: Callable[[int, Path], Awaitable[Any]]
    check: Callable[[Any], None]


@pytest.fixture(scope="module")
def cert(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    made = make_cert(tmp_path_factory.mktemp("slowcert"))
    if made is None:
        pytest.skip("openssl is needed to make the TLS peer's certificate")
    return made


@pytest.fixture(scope="module")
def dns_peer() -> Iterator[DnsPeer]:
    with DnsPeer().add("slow.test", "A", "127.0.0.1") as peer:
        yield peer


# --- entry points -------------------------------------------------------------------------


async def _nut(port: int, cert: Path) -> Any:
    return await query_nut(f"127.0.0.1:{port}", 1.0)


async def _apcupsd(port: int, cert: Path) -> Any:
    return await query_apcupsd(f"127.0.0.1:{port}", 1.0)


def _wan_ctx(port: int, cert: Path, tmp: Path) -> ProbeContext:
    resolv = tmp / "resolv.conf"
    resolv.write_text("nameserver 127.0.0.1\n")  # never asked: the echo URL is an address
    config = Config(
        endpoints=Endpoints(echo_urls=[f"https://127.0.0.1:{port}/ip"], dns_echo=[], tls_ca_file=str(cert)),
        timeouts=Timeouts(connect_s=0.5),
    )
    return ProbeContext(config=config, resolv_conf=resolv)


async def _wan(port: int, cert: Path) -> Any:
    return await probe_wan(_wan_ctx(port, cert, cert.parent))


def _nut_is_error(answer: Any) -> None:
    assert answer.state == "error" and answer.error


def _wan_is_unknown(outcome: Any) -> None:
    assert outcome.status is ProbeStatus.UNKNOWN and outcome.value is None
    assert any("longer than" in d or "Timeout" in d for d in outcome.diagnostics), outcome.diagnostics


CASES = [
    Case("nut", "plain", b'BEGIN LIST UPS\nUPS slow "', b"U", 1.0, _nut, _nut_is_error),
    Case("apcupsd", "plain", b"\x02\x00", b"A", 1.0, _apcupsd, _nut_is_error),
    Case("wan-https-handshake", "tls_handshake", b"", b"\x00", 1.0, _wan, _wan_is_unknown),
    Case("wan-https-headers", "tls", HTTP_HEAD, b"a", 1.0, _wan, _wan_is_unknown),
    Case("wan-https-body", "tls", HTTP_BODY, b"9", 1.0, _wan, _wan_is_unknown),
]


def _bounded_run(job: Callable[[], Awaitable[Any]]) -> tuple[Any, float, int]:
    """Run ``job`` in a fresh loop: (result, seconds, tracemalloc peak in bytes)."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    start = time.perf_counter()
    try:
        result = asyncio.run(job())  # type: ignore[arg-type]
        took = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, took, peak


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_probe_entry_point_against_a_slow_loris(case: Case, cert: tuple[Path, Path]) -> None:
    with SlowLoris(case.mode, case.prefix, case.filler, cert=cert) as peer:
        result, took, peak = _bounded_run(lambda: case.call(peer.port, cert[0]))
    assert peer.connections >= 1, "the probe never reached the peer"
    assert took < case.limit_s + SLACK_S, f"{case.id}: {took:.2f} s for a {case.limit_s} s limit"
    assert peak < MEMORY_CAP, f"{case.id}: heap peak {peak / 1e6:.1f} MB"
    case.check(result)


@pytest.mark.parametrize(
    ("mode", "prefix"), [("tls_handshake", b""), ("tls", HTTP_HEAD)], ids=["handshake", "headers"]
)
def test_services_https_against_a_slow_loris(
    mode: Mode, prefix: bytes, cert: tuple[Path, Path], dns_peer: DnsPeer
) -> None:
    budget = 1.0
    with SlowLoris(mode, prefix, b"a", cert=cert) as peer:
        svc = Service(
            id="slow", name="Slow service", category="telephony", process="calls", stops="calls stop",
            hostnames=["slow.test"], check_url=f"https://slow.test:{peer.port}/",
        )  # fmt: skip

        async def job() -> Any:
            resolver = dns.asyncresolver.Resolver(configure=False)
            resolver.nameservers = [dns_peer.host]
            resolver.port = dns_peer.port
            resolver.lifetime = resolver.timeout = 0.5
            return await check_services(
                [_Check(svc, ["declared"])],
                resolver,
                tls_ca_file=str(cert[0]),
                timeout_s=0.5,
                budget_s=budget,
            )

        result, took, peak = _bounded_run(job)
    assert peer.connections >= 1
    assert took < budget + SLACK_S
    assert peak < MEMORY_CAP
    (obs,) = result
    # The budget cut reports the service as not checked (what DNS said is not kept).
    assert obs.reachable is not True and obs.error


def test_gateway_and_anchor_tcp_fallback_against_a_slow_loris() -> None:
    """tcp_rtt (gateway fallback, TCP anchors) only shakes hands: the drip cannot hold it."""
    with SlowLoris("plain", b"", b"x") as peer:
        rtt, took, peak = _bounded_run(lambda: tcp_rtt("127.0.0.1", peer.port, 0.5))
    assert rtt is not None and rtt >= 0
    assert took < 0.5 + SLACK_S and peak < MEMORY_CAP


drill_samplers = pytest.importorskip("readiness.drill.samplers")


@pytest.mark.parametrize(
    ("mode", "prefix", "filler", "scheme"),
    [
        ("plain", HTTP_HEAD, b"a", "http"),
        ("plain", HTTP_BODY, b"9", "http"),
        ("tls_handshake", b"", b"\x00", "https"),
        ("tls", HTTP_HEAD, b"a", "https"),
    ],
    ids=["http-headers", "http-body", "https-handshake", "https-headers"],
)
def test_drill_http_echo_sampler_against_a_slow_loris(
    mode: Mode, prefix: bytes, filler: bytes, scheme: str, cert: tuple[Path, Path]
) -> None:
    timeout = 0.4
    with SlowLoris(mode, prefix, filler, cert=cert) as peer:
        sampler = drill_samplers.HttpEchoSampler(f"{scheme}://127.0.0.1:{peer.port}/", ca_file=str(cert[0]))

        async def job() -> Any:
            try:
                return await sampler.sample(timeout * sampler.timeout_factor)
            finally:
                await sampler.close()

        result, took, peak = _bounded_run(job)
    assert peer.connections >= 1
    assert took < timeout * sampler.timeout_factor + 0.2 + SLACK_S
    assert peak < MEMORY_CAP
    ((_, res),) = result
    assert res.ok is False and res.detail


def test_drill_tcp_sampler_against_a_slow_loris() -> None:
    with SlowLoris("plain", b"", b"x") as peer:
        sampler = drill_samplers.TcpSampler("127.0.0.1", peer.port)
        result, took, peak = _bounded_run(lambda: sampler.sample(0.4))
    ((_, res),) = result
    assert res.ok is True  # a completed handshake is all it measures
    assert took < 0.4 + 0.2 + SLACK_S and peak < MEMORY_CAP
