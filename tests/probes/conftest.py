"""Fixtures for the probe tests: recorded outputs and real loopback peers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from readiness.config import Config, DnsEcho
from tests.probes.peers.dns_server import CLIENT, DnsPeer
from tests.probes.peers.http_echo import HttpEcho

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


def lab_like_records(peer: DnsPeer) -> DnsPeer:
    """What a provider-side DNS would answer for 127.0.0.1 in the IP, ASN and PTR zones."""
    return (
        peer.add("myip.test", "A", CLIENT)
        .add("myaddr.test", "TXT", CLIENT)
        .add("1.0.0.127.origin.asn.test", "TXT", "64500 | 127.0.0.0/8 | ZZ | test | 2024-01-01")
        .add("AS64500.asn.test", "TXT", "64500 | ZZ | test | 2024-01-01 | LOOPNET - Loopback Fibre Ltd, ZZ")
        .add("1.0.0.127.in-addr.arpa", "PTR", "cust-12.ftth.loopnet.test.")
        .add("www.example.test", "A", "192.0.2.80")
    )


@pytest.fixture
def dns_peer() -> Iterator[DnsPeer]:
    with lab_like_records(DnsPeer()) as peer:
        yield peer


@pytest.fixture
def http_echo() -> Iterator[HttpEcho]:
    with HttpEcho() as echo:
        yield echo


def loopback_config(dns_port: int, echo_urls: list[str], *, tcp_port: int | None = None) -> Config:
    """A config whose every endpoint is on 127.0.0.1 (never the host's resolver or gateway)."""
    cfg = Config()
    ep = cfg.endpoints
    ep.anchors = ["127.0.0.1"]
    ep.tcp_anchors = [f"127.0.0.1:{tcp_port}"] if tcp_port else []
    ep.echo_urls = echo_urls
    ep.dns_echo = [
        DnsEcho(name="myip.test", server=f"127.0.0.1:{dns_port}", rdtype="A"),
        DnsEcho(name="myaddr.test", server=f"127.0.0.1:{dns_port}", rdtype="TXT"),
    ]
    ep.cymru_origin_zone = "origin.asn.test"
    ep.cymru_origin6_zone = "origin6.asn.test"
    ep.cymru_asn_zone = "asn.test"
    ep.dns_test_name = "www.example.test"
    ep.path_target = "127.0.0.1"
    cfg.timeouts.connect_s = 0.5
    return cfg


@pytest.fixture
def resolv_conf(tmp_path: Path) -> Path:
    """A resolv.conf that names only loopback (the real /etc/resolv.conf is never used)."""
    path = tmp_path / "resolv.conf"
    path.write_text("nameserver 127.0.0.1\n")
    return path
