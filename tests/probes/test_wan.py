from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest

from readiness.model import AccessHint, Hop, ProbeStatus
from readiness.probes.base import ProbeContext
from readiness.probes.resolvconf import make_lookup_resolver
from readiness.probes.wan import (
    ECHO_MAX_BYTES,
    Sighting,
    access_hint,
    combine,
    discover_wan,
    https_echo,
    nat_flags,
    parse_address,
)
from tests.probes.conftest import loopback_config
from tests.probes.peers.dns_server import DnsPeer
from tests.probes.peers.http_echo import HttpEcho


def _ctx(cfg_port: int, urls: list[str], resolv_conf: Path, *, offline: bool = False) -> ProbeContext:
    return ProbeContext(config=loopback_config(cfg_port, urls), offline=offline, resolv_conf=resolv_conf)


def test_public_identity_from_real_peers(dns_peer: DnsPeer, http_echo: HttpEcho, resolv_conf: Path) -> None:
    ctx = _ctx(dns_peer.port, [http_echo.url], resolv_conf)
    outcome = asyncio.run(discover_wan(ctx, nameservers=[("127.0.0.1", dns_peer.port)]))
    assert outcome.status is ProbeStatus.OK, outcome.diagnostics
    assert outcome.value is not None
    (v4,) = outcome.value
    assert v4.public_ip == "127.0.0.1"
    assert sorted(v4.methods) == sorted(["dns:myip.test", "dns:myaddr.test", f"https:{http_echo.url}"])
    assert v4.disagreement is None
    assert (v4.asn, v4.prefix, v4.country) == (64500, "127.0.0.0/8", "ZZ")
    assert v4.as_name == "LOOPNET - Loopback Fibre Ltd"
    assert v4.reverse_dns == "cust-12.ftth.loopnet.test"
    assert v4.access_hint is AccessHint.FIBRE
    assert v4.local_address == "127.0.0.1"
    kinds = {(e.kind, e.target) for e in outcome.endpoints}
    assert ("https", http_echo.url) in kinds and ("dns", "origin.asn.test") in kinds


def test_echo_by_name_is_resolved_by_dnspython_and_keeps_its_host_header(dns_peer: DnsPeer) -> None:
    """No getaddrinfo (it cannot be timed out): the name goes through our resolver, Host stays."""
    dns_peer.add("echo.test", "A", "127.0.0.1")
    with HttpEcho() as echo:

        async def go() -> tuple[Sighting | None, str | None]:
            resolver = make_lookup_resolver(Path("/nonexistent"), 0.5, [("127.0.0.1", dns_peer.port)])
            async with httpx.AsyncClient(timeout=httpx.Timeout(0.5)) as client:
                return await https_echo(f"http://echo.test:{echo.port}/ip", client, resolver)

        sighting, error = asyncio.run(go())
        assert error is None and sighting is not None and sighting.address == "127.0.0.1"
        assert echo.hosts == [f"echo.test:{echo.port}"]
    assert ("udp", "echo.test", "A") in dns_peer.queries


def test_echo_name_that_does_not_resolve(dns_peer: DnsPeer) -> None:
    async def go() -> tuple[Sighting | None, str | None]:
        resolver = make_lookup_resolver(Path("/nonexistent"), 0.3, [("127.0.0.1", dns_peer.port)])
        async with httpx.AsyncClient(timeout=httpx.Timeout(0.3)) as client:
            return await https_echo("https://nowhere.test/ip", client, resolver)

    sighting, error = asyncio.run(go())
    assert sighting is None and error == "https://nowhere.test/ip: cannot resolve nowhere.test"


def test_methods_that_disagree_are_reported(dns_peer: DnsPeer, resolv_conf: Path) -> None:
    with HttpEcho(answer="203.0.113.7") as echo:
        ctx = _ctx(dns_peer.port, [echo.url], resolv_conf)
        outcome = asyncio.run(discover_wan(ctx, nameservers=[("127.0.0.1", dns_peer.port)]))
    assert outcome.value is not None
    (v4,) = outcome.value
    assert v4.public_ip == "127.0.0.1"  # two DNS echoes against one HTTPS echo
    assert v4.disagreement is not None and "203.0.113.7" in v4.disagreement


@pytest.mark.parametrize("mode", ["stream_forever", "garbage", "silent"])
def test_hostile_https_echo_is_bounded(mode: str) -> None:
    with HttpEcho(mode=mode) as echo:  # type: ignore[arg-type]

        async def go() -> tuple[Sighting | None, str | None]:
            async with httpx.AsyncClient(timeout=httpx.Timeout(0.5)) as client:
                return await https_echo(echo.url, client)

        sighting, error = asyncio.run(go())
    assert sighting is None and error


def test_streaming_echo_reads_only_a_few_hundred_bytes() -> None:
    """The endless body is cut after ECHO_MAX_BYTES: it is not an address, and memory stays flat."""
    with HttpEcho(mode="stream_forever") as echo:

        async def go() -> tuple[Sighting | None, str | None]:
            async with httpx.AsyncClient(timeout=httpx.Timeout(0.5)) as client:
                return await https_echo(echo.url, client)

        sighting, error = asyncio.run(go())
    assert sighting is None and error is not None and "not an address" in error
    assert ECHO_MAX_BYTES <= 512


@pytest.mark.parametrize("mode", ["malformed", "silent", "huge_txt"])
def test_hostile_dns_echo_gives_unknown(mode: str, resolv_conf: Path) -> None:
    with DnsPeer(mode=mode) as peer:  # type: ignore[arg-type]
        ctx = _ctx(peer.port, [], resolv_conf)
        ctx.config.timeouts.connect_s = 0.3
        outcome = asyncio.run(discover_wan(ctx, nameservers=[("127.0.0.1", peer.port)]))
    assert outcome.status is ProbeStatus.UNKNOWN
    assert outcome.reason == "no echo service answered" and outcome.diagnostics


def test_offline_contacts_nothing(dns_peer: DnsPeer, http_echo: HttpEcho, resolv_conf: Path) -> None:
    ctx = _ctx(dns_peer.port, [http_echo.url], resolv_conf, offline=True)
    outcome = asyncio.run(discover_wan(ctx, nameservers=[("127.0.0.1", dns_peer.port)]))
    assert outcome.status is ProbeStatus.SKIPPED and outcome.reason == "offline: no public lookups"
    assert dns_peer.queries == [] and http_echo.requests == 0


@pytest.mark.parametrize(
    ("name", "hint"),
    [
        ("dslb-084-056-012-034.084.056.pools.vodafone-ip.de", AccessHint.DSL),
        ("adsl-75-18-220-1.dsl.pltn13.sbcglobal.net", AccessHint.DSL),
        ("cpe-98-14-1-1.nyc.res.rr.com", AccessHint.CABLE),
        ("c-73-22-1-1.hsd1.il.comcast.net.docsis.example", AccessHint.CABLE),
        ("ftth-1-2-3-4.init7.net", AccessHint.FIBRE),
        ("host-1-2.gpon.example.ch", AccessHint.FIBRE),
        ("ue.tmodns.net", AccessHint.MOBILE),
        ("mobile-166-1-2-3.mycingular.net", AccessHint.MOBILE),
        ("customer.lte.example.org", AccessHint.MOBILE),
        ("customer.starlinkisp.net", AccessHint.SATELLITE),
        ("mail.example.com", AccessHint.UNKNOWN),
        (None, AccessHint.UNKNOWN),
    ],
)
def test_access_hints(name: str | None, hint: AccessHint) -> None:
    assert access_hint(name) is hint


def test_parse_address_and_combine() -> None:
    assert parse_address(' "198.51.100.7"\n') == "198.51.100.7"
    assert parse_address("2001:db8::1") == "2001:db8::1"
    assert parse_address("<html>") is None
    ids = combine([Sighting(4, "198.51.100.7", "dns:a"), Sighting(6, "2001:db8::1", "https:b")])
    assert [(i.family, i.public_ip) for i in ids] == [(4, "198.51.100.7"), (6, "2001:db8::1")]


def _hops(*addrs: str | None) -> list[Hop]:
    return [Hop(ttl=i + 1, address=a) for i, a in enumerate(addrs)]


def test_nat_flags() -> None:
    assert nat_flags(_hops("192.168.1.1", "198.51.100.1"), None, "198.51.100.7") == (False, False)
    assert nat_flags(_hops("192.168.1.1", "192.168.0.1", "198.51.100.1"), None, "x") == (False, True)
    assert nat_flags(_hops("192.168.1.1", "100.64.3.1", "198.51.100.1"), None, "x") == (True, False)
    assert nat_flags(_hops("192.168.1.1", None, None), None, "x") == (None, None)  # cannot tell
    assert nat_flags(_hops("192.168.1.1", "10.0.0.1", None), None, "x") == (None, True)
    assert nat_flags(None, None, "100.72.0.9") == (True, None)
