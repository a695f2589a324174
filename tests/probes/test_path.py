from __future__ import annotations

import asyncio
import socket
import struct
from pathlib import Path

import pytest

from readiness.model import AnchorQuality, ProbeStatus
from readiness.probes.base import ProbeContext
from readiness.probes.linux_traceroute import (
    IP_RECVERR,
    IPV6_RECVERR,
    SOL_IP,
    SOL_IPV6,
    ErrqueueEntry,
    is_final,
    is_time_exceeded,
    parse_errqueue_cmsg,
    parse_tracepath,
    udp_trace,
)
from readiness.probes.path import discover_path
from readiness.probes.quality import measure_anchor, measure_quality, split_host_port
from tests.probes.conftest import loopback_config
from tests.probes.peers.dns_server import DnsPeer


def _cmsg_v4(origin: int, icmp_type: int, code: int, offender: str) -> bytes:
    ee = struct.pack("=IBBBBII", 113, origin, icmp_type, code, 0, 0, 0)
    sin = struct.pack("=HH", socket.AF_INET, 0) + socket.inet_aton(offender) + b"\0" * 8
    return ee + sin


def test_errqueue_time_exceeded_v4() -> None:
    entry = parse_errqueue_cmsg(SOL_IP, IP_RECVERR, _cmsg_v4(2, 11, 0, "192.168.1.1"))
    assert entry == ErrqueueEntry(2, 11, 0, "192.168.1.1")
    assert is_time_exceeded(entry) and not is_final(entry)


def test_errqueue_port_unreachable_v6() -> None:
    ee = struct.pack("=IBBBBII", 111, 3, 1, 4, 0, 0, 0)
    sin6 = (
        struct.pack("=HHI", socket.AF_INET6, 0, 0)
        + socket.inet_pton(socket.AF_INET6, "2001:db8::9")
        + b"\0" * 4
    )
    entry = parse_errqueue_cmsg(SOL_IPV6, IPV6_RECVERR, ee + sin6)
    assert entry is not None and entry.offender == "2001:db8::9" and is_final(entry)


def test_errqueue_garbage() -> None:
    assert parse_errqueue_cmsg(SOL_IP, IP_RECVERR, b"\x01\x02") is None
    assert parse_errqueue_cmsg(SOL_IP, 99, _cmsg_v4(2, 11, 0, "10.0.0.1")) is None
    entry = parse_errqueue_cmsg(SOL_IP, IP_RECVERR, _cmsg_v4(2, 11, 0, "10.0.0.1")[:16])
    assert entry is not None and entry.offender is None


def test_recorded_tracepath(fixtures: Path) -> None:
    hops = parse_tracepath((fixtures / "tracepath_n.txt").read_text())
    assert [(h.ttl, h.address) for h in hops] == [
        (1, "192.168.1.1"),
        (2, "100.64.12.1"),
        (3, None),
        (4, "198.51.100.9"),
        (5, "203.0.113.1"),
    ]
    assert hops[0].rtt_ms == 0.612 and hops[-1].reached


def test_recorded_tracepath_from_the_lab(fixtures: Path) -> None:
    hops = parse_tracepath((fixtures / "tracepath_lab_dual.txt").read_text())
    assert [h.address for h in hops] == ["192.168.50.1", "198.51.100.1", "198.18.10.1"]
    assert hops[0].rtt_ms == 0.234 and hops[-1].reached and not hops[0].reached


@pytest.mark.parametrize("target", ["127.0.0.1", "::1"])
def test_unprivileged_udp_trace_reaches_loopback(target: str) -> None:
    hops = asyncio.run(udp_trace(target, max_hops=4, timeout=0.5))
    assert len(hops) == 1 and hops[0].address == target and hops[0].reached


def test_anchor_quality_statistics() -> None:
    q = AnchorQuality(
        target="x", method="icmp", sent=10, received=8, rtts_ms=[10, 12, 11, 15, 10, 10, 12, 14]
    )
    assert q.loss_pct == 20.0
    assert q.avg_ms == pytest.approx(11.75)
    assert q.jitter_ms == pytest.approx((2 + 1 + 4 + 5 + 0 + 2 + 2) / 7)


def test_tcp_quality_when_icmp_is_not_allowed() -> None:
    with socket.socket() as srv:
        srv.bind(("127.0.0.1", 0))
        srv.listen(32)
        port = srv.getsockname()[1]
        q = asyncio.run(
            measure_anchor("127.0.0.1", count=5, interval=0.01, timeout=0.5, mode=None, tcp_port=port)
        )
    assert q.method == "tcp" and q.sent == 5 and q.received == 5 and len(q.rtts_ms) == 5
    assert q.target == f"127.0.0.1:{port}"


def test_quality_against_three_loopback_anchors() -> None:
    got = asyncio.run(measure_quality(["127.0.0.1", "127.0.0.2", "127.0.0.3"], [], count=4, interval=0.01))
    assert [q.target for q in got] == ["127.0.0.1", "127.0.0.2", "127.0.0.3"]
    assert all(q.received == q.sent == 4 for q in got)


def test_split_host_port() -> None:
    assert split_host_port("1.1.1.1:443", 80) == ("1.1.1.1", 443)
    assert split_host_port("[2606:4700::1111]:53", 80) == ("2606:4700::1111", 53)
    assert split_host_port("2606:4700::1111", 80) == ("2606:4700::1111", 80)
    assert split_host_port("example.com", 80) == ("example.com", 80)


def test_path_probe_on_loopback(dns_peer: DnsPeer, resolv_conf: Path) -> None:
    cfg = loopback_config(dns_peer.port, [])
    outcome = asyncio.run(
        discover_path(
            ProbeContext(config=cfg, resolv_conf=resolv_conf), nameservers=[("127.0.0.1", dns_peer.port)]
        )
    )
    assert outcome.status is ProbeStatus.OK and outcome.value is not None
    assert outcome.value.target == "127.0.0.1"
    assert [(h.ttl, h.address, h.private) for h in outcome.value.hops] == [(1, "127.0.0.1", True)]
    assert outcome.value.quality and outcome.value.quality[0].received > 0


def test_path_probe_offline_is_skipped(resolv_conf: Path) -> None:
    cfg = loopback_config(9, [])
    outcome = asyncio.run(discover_path(ProbeContext(config=cfg, offline=True, resolv_conf=resolv_conf)))
    assert outcome.status is ProbeStatus.SKIPPED


def test_path_to_an_unroutable_target_is_partial(dns_peer: DnsPeer, resolv_conf: Path) -> None:
    """A target whose name does not resolve: no hops, but quality still measured; the reason says why."""
    cfg = loopback_config(dns_peer.port, [])
    cfg.endpoints.path_target = "nowhere.test"
    outcome = asyncio.run(
        discover_path(
            ProbeContext(config=cfg, resolv_conf=resolv_conf), nameservers=[("127.0.0.1", dns_peer.port)]
        )
    )
    assert outcome.status is ProbeStatus.PARTIAL
    assert outcome.reason is not None and "nowhere.test" in outcome.reason


def test_trace_without_linux_uses_icmplib_as_root_or_says_why(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from readiness.probes import linux_traceroute
    from readiness.probes.path import trace

    monkeypatch.setattr(linux_traceroute, "available", lambda: False)
    hops, why = asyncio.run(trace("127.0.0.1"))
    if os.geteuid() == 0:
        assert why is None and hops is not None and hops[0].address == "127.0.0.1"
    else:
        assert hops is None and why == "tracing hops without root needs Linux"
