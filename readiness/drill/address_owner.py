"""Who owns a public address: its ASN and AS name through the Team Cymru DNS zones."""

from __future__ import annotations

import dns.asyncresolver

from readiness.config import Config
from readiness.model.drill import WanSnapshot
from readiness.probes.cymru import lookup_as_name, lookup_origin


def make_resolver(
    nameservers: list[str] | None, port: int = 53, lifetime_s: float = 2.0
) -> dns.asyncresolver.Resolver:
    """The system resolver, or explicit servers (tests and the lab give loopback/lab servers)."""
    if nameservers:
        resolver = dns.asyncresolver.Resolver(configure=False)
        resolver.nameservers = list(nameservers)
        resolver.port = port
    else:
        resolver = dns.asyncresolver.Resolver()
    resolver.lifetime = lifetime_s
    resolver.timeout = lifetime_s
    return resolver


async def lookup_wan(
    address: str, config: Config, resolver: dns.asyncresolver.Resolver, rtt_ms: float | None = None
) -> WanSnapshot:
    """The snapshot of ``address``; ASN fields stay None when the zones do not answer."""
    ep = config.endpoints
    origin = await lookup_origin(resolver, address, ep.cymru_origin_zone, ep.cymru_origin6_zone)
    if origin is None:
        return WanSnapshot(public_ip=address, rtt_ms=rtt_ms)
    name = await lookup_as_name(resolver, origin.asn, ep.cymru_asn_zone)
    return WanSnapshot(public_ip=address, asn=origin.asn, as_name=name, rtt_ms=rtt_ms)
