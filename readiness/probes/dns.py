"""DNS: which resolvers are in use, what role each plays, and whether each answers."""

from __future__ import annotations

import asyncio
import ipaddress
import time
from collections.abc import Iterable
from pathlib import Path

import dns.asyncquery
import dns.exception
import dns.flags
import dns.message
import dns.rcode
import dns.resolver

from readiness.addresses import is_private
from readiness.model import Endpoint, Resolver, ResolverRole
from readiness.probes.base import ProbeContext, ProbeOutcome
from readiness.probes.quality import tcp_rtt
from readiness.probes.resolvconf import STUB_ADDRESSES, read_resolv_conf, resolved_upstreams

# Well-known anycast public resolvers (data, not logic): Cloudflare, Google, Quad9,
# OpenDNS, AdGuard, CleanBrowsing, Control D, DNS.WATCH, Level3/Lumen, Comodo, Yandex.
PUBLIC_RESOLVERS: frozenset[str] = frozenset(
    {
        "1.1.1.1",
        "1.0.0.1",
        "1.1.1.2",
        "1.0.0.2",
        "1.1.1.3",
        "1.0.0.3",
        "2606:4700:4700::1111",
        "2606:4700:4700::1001",
        "8.8.8.8",
        "8.8.4.4",
        "2001:4860:4860::8888",
        "2001:4860:4860::8844",
        "9.9.9.9",
        "149.112.112.112",
        "9.9.9.10",
        "9.9.9.11",
        "2620:fe::fe",
        "2620:fe::9",
        "208.67.222.222",
        "208.67.220.220",
        "208.67.222.123",
        "208.67.220.123",
        "2620:119:35::35",
        "2620:119:53::53",
        "94.140.14.14",
        "94.140.15.15",
        "185.228.168.9",
        "185.228.169.9",
        "76.76.2.0",
        "76.76.10.0",
        "84.200.69.80",
        "84.200.70.40",
        "4.2.2.1",
        "4.2.2.2",
        "8.26.56.26",
        "8.20.247.20",
        "77.88.8.8",
        "77.88.8.1",
    }
)




def classify_resolver(
    address: str, gateway_addresses: Iterable[str], local_addresses: Iterable[str] = ()
) -> ResolverRole:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return ResolverRole.UNKNOWN
    if ip.is_loopback or address in STUB_ADDRESSES or address in set(local_addresses):
        return ResolverRole.LOCAL_STUB
    if address in set(gateway_addresses):
        return ResolverRole.ROUTER_PROXY
    if address in PUBLIC_RESOLVERS:
        return ResolverRole.PUBLIC
    if is_private(address):
        return ResolverRole.LAN
    if ip.is_multicast or ip.is_unspecified or ip.is_reserved:
        return ResolverRole.UNKNOWN
    return ResolverRole.PROVIDER


async def query_resolver(
    address: str, name: str, *, port: int = 53, timeout: float = 1.0, recursive: bool = True
) -> tuple[float | None, str | None]:
    """(latency ms, error). Any DNS answer (even NXDOMAIN or REFUSED without recursion) is 'reachable'.

    With ``recursive=False`` the server is asked not to go further than its own cache, so
    nothing leaves the local network (used for ``--offline``).
    """
    q = dns.message.make_query(name, "A")
    if not recursive:
        q.flags &= ~dns.flags.RD
    start = time.perf_counter()
    try:
        resp, _ = await dns.asyncquery.udp_with_fallback(q, address, timeout=timeout, port=port)
    except (dns.exception.Timeout, TimeoutError):
        return None, f"no answer within {timeout:g} s"
    except (OSError, EOFError, dns.exception.DNSException, ValueError) as exc:
        return None, f"{type(exc).__name__}: {exc}"
    latency = (time.perf_counter() - start) * 1000
    rcode = resp.rcode()
    if recursive and rcode not in (dns.rcode.NOERROR, dns.rcode.NXDOMAIN):
        return latency, f"answered {dns.rcode.to_text(rcode)}"
    return latency, None


def find_resolvers(resolv_conf: object) -> tuple[list[tuple[str, str]], list[str]]:
    """[(address, source)] from resolv.conf, replacing the local stub by its real upstreams."""
    path = Path(str(resolv_conf))
    diagnostics: list[str] = []
    try:
        listed = read_resolv_conf(path)
    except (OSError, dns.resolver.NoResolverConfiguration) as exc:
        raise LookupError(f"no resolvers configured in {path}: {exc}") from exc
    found = [(a, "resolv.conf") for a in listed]
    if any(a in STUB_ADDRESSES for a in listed):
        upstream = resolved_upstreams()
        if upstream is None:
            diagnostics.append(
                "the systemd-resolved stub is configured but its upstream servers are not readable"
            )
        else:
            addrs, source = upstream
            found += [(a, source) for a in addrs if all(a != f[0] for f in found)]
    return found, diagnostics


async def check_resolvers(
    resolvers: list[Resolver], name: str, *, offline: bool, port: int = 53, timeout: float = 1.0
) -> list[Endpoint]:
    """Query each resolver; offline, only those on this machine or the local network, without recursion."""
    endpoints: list[Endpoint] = []
    local_roles = {ResolverRole.LOCAL_STUB, ResolverRole.ROUTER_PROXY, ResolverRole.LAN}

    async def one(r: Resolver) -> None:
        if offline and r.role not in local_roles:
            r.error = "not queried: offline mode contacts only the local network"
            return
        if offline:
            # Offline, send no DNS question at all: a forwarder without a hosts file passes
            # even "localhost" upstream (the lab's capture caught dnsmasq doing it). A TCP
            # connect to port 53 proves the resolver is there and goes no further.
            rtt = await tcp_rtt(r.address, port, timeout)
            r.reachable = rtt is not None
            r.latency_ms = round(rtt, 3) if rtt is not None else None
            r.error = None if rtt is not None else f"port {port} did not accept a connection"
            endpoints.append(
                Endpoint(kind="tcp", target=f"{r.address}:{port}", purpose="is this resolver there (offline)")
            )
            return
        latency, error = await query_resolver(r.address, name, port=port, timeout=timeout)
        r.reachable = latency is not None
        r.latency_ms = round(latency, 3) if latency is not None else None
        r.error = error
        endpoints.append(
            Endpoint(kind="dns", target=r.address, purpose=f"does this resolver answer ({name})")
        )

    await asyncio.gather(*(one(r) for r in resolvers))
    return endpoints


async def gather_resolvers(ctx: ProbeContext, *, port: int = 53) -> ProbeOutcome[list[Resolver]]:
    try:
        found, diagnostics = await asyncio.to_thread(find_resolvers, ctx.resolv_conf)
    except LookupError as exc:
        return ProbeOutcome.unknown(str(exc))
    gw_addrs = [g.address for g in ctx.facts.gateways or []]
    local = [a.address for i in ctx.facts.interfaces or [] for a in i.addresses]
    if ctx.facts.gateways is None:
        diagnostics.append("gateways unknown: a router's DNS proxy may be reported as a LAN resolver")
    resolvers = [
        Resolver(address=a, source=src, role=classify_resolver(a, gw_addrs, local)) for a, src in found
    ]
    endpoints = await check_resolvers(
        resolvers,
        ctx.config.endpoints.dns_test_name,
        offline=ctx.offline,
        port=port,
        timeout=ctx.config.timeouts.connect_s,
    )
    return ProbeOutcome(value=resolvers, diagnostics=diagnostics, endpoints=endpoints)


async def probe_dns(ctx: ProbeContext) -> ProbeOutcome[list[Resolver]]:
    try:
        return await gather_resolvers(ctx)
    except Exception as exc:
        return ProbeOutcome.unknown(f"DNS probe failed: {exc}")
