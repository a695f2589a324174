"""The first hops toward the path target (with each public hop's ASN) and link quality."""

from __future__ import annotations

import asyncio
import os

import dns.asyncresolver
from icmplib import traceroute

from readiness.addresses import is_private
from readiness.model import Endpoint, Hop, PathFacts, ProbeStatus
from readiness.probes import cymru, linux_traceroute
from readiness.probes.base import ProbeContext, ProbeOutcome
from readiness.probes.echo import resolve_host
from readiness.probes.linux_traceroute import TraceHop
from readiness.probes.quality import icmp_fallback_note, measure_quality, split_host_port
from readiness.probes.resolvconf import make_lookup_resolver

MAX_HOPS = 8
HOP_TIMEOUT_S = 1.0


async def _icmplib_trace(target: str) -> list[TraceHop]:
    """Privileged fallback (root, not Linux): icmplib's blocking traceroute in a thread."""
    hops = await asyncio.to_thread(
        traceroute, target, count=1, interval=0.05, timeout=HOP_TIMEOUT_S, max_hops=MAX_HOPS, fast=True
    )
    return [TraceHop(h.distance, h.address, float(h.avg_rtt), h.address == target) for h in hops]


async def trace(target: str) -> tuple[list[TraceHop] | None, str | None]:
    """(hops, why not). Never raises."""
    try:
        if linux_traceroute.available():
            return await linux_traceroute.udp_trace(target, max_hops=MAX_HOPS, timeout=HOP_TIMEOUT_S), None
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            return await _icmplib_trace(target), None
    except OSError as exc:
        return None, f"no path to {target}: {exc.strerror or exc}"
    except Exception as exc:
        return None, f"trace to {target} failed: {exc}"
    return None, "tracing hops without root needs Linux"


async def resolve_target(target: str, resolver: dns.asyncresolver.Resolver | None) -> str | None:
    """The trace target's address: ``host`` or ``host:port`` as configured, resolved as the
    echo probe resolves its hosts (one A question, None when it cannot be)."""
    host, _ = split_host_port(target, 0) if target.count(":") == 1 else (target, 0)
    return await resolve_host(host, resolver)


async def hop_asns(hops: list[Hop], resolver: dns.asyncresolver.Resolver, v4_zone: str, v6_zone: str) -> None:
    async def one(hop: Hop) -> None:
        if hop.address and hop.private is False:
            origin = await cymru.lookup_origin(resolver, hop.address, v4_zone, v6_zone)
            hop.asn = origin.asn if origin else None

    await asyncio.gather(*(one(h) for h in hops))


async def discover_path(
    ctx: ProbeContext, *, nameservers: list[tuple[str, int]] | None = None
) -> ProbeOutcome[PathFacts]:
    if ctx.offline:
        return ProbeOutcome.skipped("offline: no public lookups")
    ep = ctx.config.endpoints
    raw_target = ep.path_target or (ep.anchors[0] if ep.anchors else None)
    if raw_target is None:
        return ProbeOutcome.unknown("no path target or anchor configured")
    try:
        resolver: dns.asyncresolver.Resolver | None = make_lookup_resolver(
            ctx.resolv_conf, ctx.config.timeouts.connect_s, nameservers
        )
    except Exception:
        resolver = None
    target = await resolve_target(raw_target, resolver)
    diagnostics: list[str] = []
    note = icmp_fallback_note()
    if note:
        diagnostics.append(note)
    endpoints = [
        Endpoint(kind="udp", target=raw_target, purpose="first hops toward the internet (TTL-limited)")
    ]

    async def no_trace() -> tuple[list[TraceHop] | None, str | None]:
        return None, f"cannot resolve the path target {raw_target}"

    (traced, why), quality = await asyncio.gather(
        trace(target) if target else no_trace(), measure_quality(ep.anchors, ep.tcp_anchors)
    )
    endpoints += [
        Endpoint(kind=q.method, target=q.target, purpose="latency, jitter and loss") for q in quality
    ]
    hops: list[Hop] = []
    if traced is not None:
        hops = [
            Hop(
                ttl=h.ttl,
                address=h.address,
                rtt_ms=h.rtt_ms,
                private=is_private(h.address) if h.address else None,
            )
            for h in traced
        ]
        if resolver is not None and any(h.private is False for h in hops):
            await hop_asns(hops, resolver, ep.cymru_origin_zone, ep.cymru_origin6_zone)
            endpoints.append(
                Endpoint(kind="dns", target=ep.cymru_origin_zone, purpose="the network (ASN) of each hop")
            )
    else:
        diagnostics.append(why or "no hops")
    facts = PathFacts(target=target or raw_target, hops=hops, quality=quality)
    status = ProbeStatus.OK if traced is not None else ProbeStatus.PARTIAL
    return ProbeOutcome(
        value=facts,
        status=status,
        reason=None if traced is not None else why,
        diagnostics=diagnostics,
        endpoints=endpoints,
    )


async def probe_path(ctx: ProbeContext) -> ProbeOutcome[PathFacts]:
    try:
        return await discover_path(ctx)
    except Exception as exc:
        return ProbeOutcome.unknown(f"path probe failed: {exc}")
