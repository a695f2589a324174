"""Probe kinds for the drill: each sends one small probe and says whether it came back.

Every sampler has its own time limit, so a slow target only ever costs its own sample.
Sample names carry the kind as a prefix, which is how the analysis tells them apart:

- ``icmp:HOST`` and ``tcp:HOST:PORT``: reachability probes. These alone decide whether
  the connection is up (see :mod:`readiness.drill.analysis` for the majority rule).
- ``dns:NAME``: a name resolved through the office's resolver (or a given server); it is
  recorded, never used to decide "up", because a LAN resolver answers from its cache.
- ``echo:URL`` and ``dnsecho:NAME@SERVER``: the public address seen from outside; the
  address (in ``detail``) tells which line carries the traffic.
- ``vpn:IFNAME``: a local tunnel interface's up flag (psutil), no traffic sent.
- ``ups:NAME@HOST``: a NUT UPS status (see :mod:`readiness.drill.power_drill`).

Nothing here changes the machine's network configuration.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import ssl
import time
from abc import ABC, abstractmethod
from dataclasses import dataclass, field

import dns.asyncquery
import dns.asyncresolver
import dns.exception
import dns.message
import dns.rdatatype
import dns.resolver
import httpx
import psutil
from icmplib import ICMPv4Socket, async_ping
from icmplib.exceptions import ICMPLibError

from readiness.config import Config, DnsEcho
from readiness.drill.address_owner import make_resolver
from readiness.drill.sample_names import VPN_PREFIX
from readiness.probes.echo import EchoReading, read_dns_echo, read_https_echo

# Interface name prefixes of VPN tunnels: OpenVPN/tun, WireGuard, PPP/L2TP, IPsec VTI, GRE...
VPN_IF_PREFIXES = ("tun", "tap", "wg", "ppp", "ipsec", "vti", "utun", "gre", "tailscale", "zt", "nordlynx")


@dataclass(frozen=True)
class ProbeResult:
    ok: bool
    rtt_ms: float | None = None
    detail: str | None = None


class Sampler(ABC):
    """One probe target.

    ``period_s`` None means every interval. ``fast_when_unsteady`` samplers (the echoes) run
    every interval while the connection is down or has just changed, so the moment the
    public address changes is seen at the drill's full resolution.
    """

    name: str
    period_s: float | None = None
    fast_when_unsteady: bool = False
    counts_as_probe: bool = True  # False for local reads (interfaces) that send nothing
    timeout_factor: float = 1.0  # echoes get twice the probe timeout (TLS needs round trips)

    @abstractmethod
    async def probe(self, timeout_s: float) -> ProbeResult: ...

    async def sample(self, timeout_s: float) -> list[tuple[str, ProbeResult]]:
        """Run one probe, never raising: any failure becomes a failed result with a reason."""
        try:
            result = await asyncio.wait_for(self.probe(timeout_s), timeout_s + 0.2)
        except TimeoutError:
            result = ProbeResult(False, detail="timeout")
        except Exception as exc:  # a probe must never take the drill down
            result = ProbeResult(False, detail=_reason(exc))
        return [(self.name, result)]

    async def close(self) -> None:  # noqa: B027 - optional hook, most samplers hold nothing
        """Release what the sampler holds (clients, sockets)."""


def _reason(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return " ".join(text.split())[:120]


def _ms_since(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 2)


class IcmpSampler(Sampler):
    """One ICMP echo (icmplib): raw socket as root, the kernel's ping socket otherwise."""

    def __init__(self, host: str, privileged: bool) -> None:
        self.host = host
        self.name = f"icmp:{host}"
        self.privileged = privileged

    async def probe(self, timeout_s: float) -> ProbeResult:
        start = time.perf_counter()
        host = await async_ping(self.host, count=1, timeout=timeout_s, privileged=self.privileged)
        if host.is_alive:
            return ProbeResult(True, rtt_ms=round(float(host.avg_rtt), 2))
        elapsed = time.perf_counter() - start
        return ProbeResult(False, detail="timeout" if elapsed >= timeout_s * 0.9 else "unreachable")


def icmp_available(privileged: bool) -> str | None:
    """None when ICMP sockets can be opened here, else the reason (to fall back to TCP)."""
    try:
        sock = ICMPv4Socket(privileged=privileged)
        sock.close()
    except ICMPLibError as exc:
        return _reason(exc)
    except OSError as exc:
        return _reason(exc)
    return None


class TcpSampler(Sampler):
    """A TCP handshake. Only a completed handshake counts: a refusal is a failure."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.name = f"tcp:{host}:{port}"

    async def probe(self, timeout_s: float) -> ProbeResult:
        start = time.perf_counter()
        try:
            _reader, writer = await asyncio.wait_for(asyncio.open_connection(self.host, self.port), timeout_s)
        except TimeoutError:
            return ProbeResult(False, detail="timeout")
        except ConnectionRefusedError:
            return ProbeResult(False, detail="refused")
        except OSError as exc:
            return ProbeResult(False, detail=_reason(exc))
        rtt = _ms_since(start)
        writer.close()
        with contextlib.suppress(TimeoutError, OSError):
            await asyncio.wait_for(writer.wait_closed(), 0.2)
        return ProbeResult(True, rtt_ms=rtt)


class DnsSampler(Sampler):
    """Resolve a name (A) through the system resolver or explicit servers; no cache here."""

    def __init__(self, qname: str, nameservers: list[str] | None = None, port: int = 53) -> None:
        self.qname = qname
        self.name = f"dns:{qname}"
        self.nameservers = nameservers
        self.port = port
        self._resolver: dns.asyncresolver.Resolver | None = None

    def _get_resolver(self) -> dns.asyncresolver.Resolver:
        if self._resolver is None:
            if self.nameservers:
                res = dns.asyncresolver.Resolver(configure=False)
                res.nameservers = list(self.nameservers)
                res.port = self.port
            else:
                res = dns.asyncresolver.Resolver()
            res.cache = None
            self._resolver = res
        return self._resolver

    async def probe(self, timeout_s: float) -> ProbeResult:
        start = time.perf_counter()
        try:
            answer = await self._get_resolver().resolve(self.qname, "A", lifetime=timeout_s, search=False)
        except dns.resolver.NXDOMAIN:
            # The resolver answered: resolution works even if the test name does not exist.
            return ProbeResult(True, rtt_ms=_ms_since(start), detail="NXDOMAIN")
        except dns.exception.Timeout:
            return ProbeResult(False, detail="timeout")
        except dns.exception.DNSException as exc:
            return ProbeResult(False, detail=_reason(exc))
        first = next(iter(answer), None)
        return ProbeResult(True, rtt_ms=_ms_since(start), detail=first.to_text() if first else None)


def _echo_result(reading: EchoReading) -> ProbeResult:
    """A drill sample from an echo reading (readiness/probes/echo.py, shared with the WAN probe)."""
    if reading.address is not None:
        return ProbeResult(True, rtt_ms=reading.rtt_ms, detail=reading.address)
    if reading.failure == "timeout":
        return ProbeResult(False, detail="timeout")
    if reading.failure == "no_address":
        return ProbeResult(False, rtt_ms=reading.rtt_ms, detail="no address in the answer")
    if reading.failure == "status":
        return ProbeResult(False, rtt_ms=reading.rtt_ms, detail=reading.detail)
    return ProbeResult(False, detail=reading.detail)


class HttpEchoSampler(Sampler):
    """GET an echo URL on a fresh connection (it must follow a line change); bounded body.

    A host name in the URL is resolved through ``resolver`` (the office's, with the probe's
    time limit), never getaddrinfo, which blocks a thread when the DNS is dead."""

    period_s = 0.5
    fast_when_unsteady = True
    timeout_factor = 2.0

    def __init__(
        self, url: str, ca_file: str | None = None, resolver: dns.asyncresolver.Resolver | None = None
    ) -> None:
        self.url = url
        self.name = f"echo:{url}"
        self.resolver = resolver
        verify: ssl.SSLContext | bool = True
        if ca_file:
            verify = ssl.create_default_context(cafile=ca_file)
        # No keep-alive: a pooled connection would stay pinned to the old line after failover.
        self._client = httpx.AsyncClient(
            verify=verify,
            trust_env=False,
            follow_redirects=False,
            limits=httpx.Limits(max_keepalive_connections=0, max_connections=8),
            headers={"User-Agent": "readiness-drill", "Connection": "close"},
        )

    async def probe(self, timeout_s: float) -> ProbeResult:
        return _echo_result(await read_https_echo(self.url, self._client, self.resolver, timeout_s))

    async def close(self) -> None:
        await self._client.aclose()


class DnsEchoSampler(Sampler):
    """Ask an authoritative server for a name that answers with the querier's address.

    The server's name is resolved once through ``resolver`` (see HttpEchoSampler), and
    again after a failure to."""

    period_s = 0.5
    fast_when_unsteady = True

    def __init__(self, echo: DnsEcho, resolver: dns.asyncresolver.Resolver | None = None) -> None:
        self.echo = echo
        self.name = f"dnsecho:{echo.name}@{echo.server}"
        self.resolver = resolver
        self._server_ip: str | None = None

    async def probe(self, timeout_s: float) -> ProbeResult:
        reading, self._server_ip = await read_dns_echo(
            self.echo, self.resolver, timeout_s, server_ip=self._server_ip
        )
        return _echo_result(reading)


class VpnSampler(Sampler):
    """The up flag of every VPN-like interface, read locally (psutil). Sends no traffic."""

    name = "vpn"
    period_s = 1.0
    counts_as_probe = False

    def __init__(self, prefixes: tuple[str, ...] = VPN_IF_PREFIXES) -> None:
        self.prefixes = prefixes
        self._seen: set[str] = set()

    async def probe(self, timeout_s: float) -> ProbeResult:  # pragma: no cover - sample() is used
        raise NotImplementedError

    async def sample(self, timeout_s: float) -> list[tuple[str, ProbeResult]]:
        try:
            stats = psutil.net_if_stats()
        except OSError as exc:
            return [(VPN_PREFIX + "?", ProbeResult(False, detail=_reason(exc)))]
        out: list[tuple[str, ProbeResult]] = []
        for name, st in sorted(stats.items()):
            if name.startswith(self.prefixes):
                self._seen.add(name)
                out.append(
                    (VPN_PREFIX + name, ProbeResult(bool(st.isup), detail="up" if st.isup else "down"))
                )
        for name in sorted(self._seen - set(stats)):
            out.append((VPN_PREFIX + name, ProbeResult(False, detail="gone")))
        return out


@dataclass
class DrillTargets:
    """What the drill probes. Built from the config; tests point it at loopback peers."""

    icmp: list[str] = field(default_factory=list)
    tcp: list[tuple[str, int]] = field(default_factory=list)
    dns_name: str | None = None
    dns_servers: list[str] | None = None  # None: the system resolver (/etc/resolv.conf)
    dns_port: int = 53
    echo_urls: list[str] = field(default_factory=list)
    dns_echo: list[DnsEcho] = field(default_factory=list)
    tls_ca_file: str | None = None
    watch_vpn: bool = True

    @classmethod
    def from_config(cls, config: Config) -> DrillTargets:
        """Two ICMP anchors, one TCP anchor, the DNS test name, one HTTP echo, one IPv4 DNS echo."""
        ep = config.endpoints
        servers, port = None, 53
        if config.drill.dns_server:
            host, port = split_host_port(config.drill.dns_server, 53)
            servers = [host]
        return cls(
            icmp=list(ep.anchors[:2]),
            tcp=[split_host_port(x, 443) for x in ep.tcp_anchors[:1]],
            dns_name=ep.dns_test_name,
            dns_servers=servers,
            dns_port=port,
            echo_urls=list(ep.echo_urls[:1]),
            dns_echo=[e for e in ep.dns_echo if e.family == 4][:1],
            tls_ca_file=ep.tls_ca_file,
        )


def split_host_port(text: str, default_port: int) -> tuple[str, int]:
    """``host:port``, ``[v6]:port`` or a bare host."""
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        return host, int(rest.lstrip(":") or default_port)
    if text.count(":") == 1:
        host, port = text.split(":")
        return host, int(port)
    return text, default_port


def build_samplers(targets: DrillTargets, privileged: bool | None = None) -> tuple[list[Sampler], list[str]]:
    """The samplers for ``targets`` and notes on what was substituted (e.g. TCP for ICMP)."""
    if privileged is None:
        privileged = hasattr(os, "geteuid") and os.geteuid() == 0
    notes: list[str] = []
    samplers: list[Sampler] = []
    icmp_problem = icmp_available(privileged) if targets.icmp else None
    if icmp_problem and privileged:
        privileged, icmp_problem = False, icmp_available(False)
    for host in targets.icmp:
        if icmp_problem:
            samplers.append(TcpSampler(host, 443))
            notes.append(f"ICMP not permitted here ({icmp_problem}); TCP 443 to {host} instead")
        else:
            samplers.append(IcmpSampler(host, privileged))
    samplers.extend(TcpSampler(h, p) for h, p in targets.tcp)
    if targets.dns_name:
        samplers.append(DnsSampler(targets.dns_name, targets.dns_servers, targets.dns_port))
    # Echo hosts are resolved through the drill's resolver (the office's, or the one the
    # config names), with a time limit: never through getaddrinfo.
    resolver = make_resolver(targets.dns_servers, targets.dns_port)
    samplers.extend(HttpEchoSampler(u, targets.tls_ca_file, resolver) for u in targets.echo_urls)
    samplers.extend(DnsEchoSampler(e, resolver) for e in targets.dns_echo)
    if targets.watch_vpn:
        samplers.append(VpnSampler())
    return samplers, notes
