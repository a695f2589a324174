from __future__ import annotations

import asyncio

import pytest

from readiness.probes import cymru
from readiness.probes.resolvconf import make_lookup_resolver
from tests.probes.peers.dns_server import DnsPeer


def test_query_names() -> None:
    assert cymru.origin_query_name("8.8.4.4", "origin.asn.cymru.com", "x") == "4.4.8.8.origin.asn.cymru.com"
    name6 = cymru.origin_query_name("2001:db8::1", "o4", "origin6.asn.cymru.com")
    assert name6.endswith(".8.b.d.0.1.0.0.2.origin6.asn.cymru.com")
    assert name6.startswith("1.0.0.0.") and name6.count(".") == 32 + 3
    assert cymru.asn_query_name(15169, "asn.cymru.com.") == "AS15169.asn.cymru.com"


@pytest.mark.parametrize(
    ("txt", "expect"),
    [
        ("15169 | 8.8.8.0/24 | US | arin | 2014-03-14", cymru.Origin(15169, "8.8.8.0/24", "US")),
        (
            '"3303 6730 | 195.186.0.0/16 | CH | ripencc | 1996-03-18"',
            cymru.Origin(3303, "195.186.0.0/16", "CH"),
        ),
        ("13335 | 2606:4700::/32 | US | arin | 2011-11-01", cymru.Origin(13335, "2606:4700::/32", "US")),
        ("not | cymru", None),
        ("", None),
        ("99999999999 | 1.2.3.0/24 | XX", None),
    ],
)
def test_parse_origin(txt: str, expect: cymru.Origin | None) -> None:
    assert cymru.parse_origin_txt(txt) == expect


def test_parse_asn() -> None:
    assert (
        cymru.parse_asn_txt("15169 | US | arin | 2000-03-30 | GOOGLE - Google LLC, US")
        == "GOOGLE - Google LLC"
    )
    assert cymru.parse_asn_txt("garbage") is None


def test_lookups_against_a_real_dns_server(dns_peer: DnsPeer) -> None:
    async def go() -> tuple[cymru.Origin | None, str | None]:
        r = make_lookup_resolver(
            __import__("pathlib").Path("/nonexistent"), 0.5, [("127.0.0.1", dns_peer.port)]
        )
        origin = await cymru.lookup_origin(r, "127.0.0.1", "origin.asn.test", "origin6.asn.test")
        name = await cymru.lookup_as_name(r, 64500, "asn.test")
        return origin, name

    origin, name = asyncio.run(go())
    assert origin == cymru.Origin(64500, "127.0.0.0/8", "ZZ")
    assert name == "LOOPNET - Loopback Fibre Ltd"


@pytest.mark.parametrize("mode", ["huge_txt", "malformed", "silent", "truncated"])
def test_hostile_zone_servers_give_nothing_and_stay_bounded(mode: str) -> None:
    with DnsPeer(mode=mode) as peer:  # type: ignore[arg-type]

        async def go() -> tuple[cymru.Origin | None, str | None]:
            r = make_lookup_resolver(
                __import__("pathlib").Path("/nonexistent"), 0.3, [("127.0.0.1", peer.port)]
            )
            return (
                await cymru.lookup_origin(r, "127.0.0.1", "origin.asn.test", "o6"),
                await cymru.lookup_as_name(r, 64500, "asn.test"),
            )

        assert asyncio.run(go()) == (None, None)
    if mode == "huge_txt":  # the client really fetched the ~60 kB answer over TCP and coped
        assert any(transport == "tcp" for transport, _, _ in peer.queries)
