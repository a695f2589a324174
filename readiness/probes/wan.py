"""WAN identity: the office's public address(es) and who provides them.

Public address by DNS echo (a name whose answer is the querier's address) and by HTTPS
echo; then ASN / prefix / country / AS name from Team Cymru, reverse DNS and an access
type hint from the provider's naming. CGNAT and double NAT need the path probe's hops and
are filled in by ``nat_flags`` once both are known.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
import ssl
from collections.abc import Coroutine, Iterable
from dataclasses import dataclass
from typing import Any

import dns.asyncquery
import dns.asyncresolver
import dns.exception
import dns.message
import dns.rdatatype
import dns.reversename
import httpx

from readiness.addresses import is_cgnat, is_private
from readiness.config import DnsEcho
from readiness.model import AccessHint, Endpoint, Gateway, Hop, ProbeStatus, WanIdentity
from readiness.probes import cymru
from readiness.probes.base import ProbeContext, ProbeOutcome
from readiness.probes.echo import ECHO_MAX_BYTES as ECHO_MAX_BYTES  # one echo, shared with the drill
from readiness.probes.echo import parse_address as parse_address
from readiness.probes.echo import read_dns_echo, read_https_echo
from readiness.probes.resolvconf import make_lookup_resolver

# Words providers put in customer reverse-DNS names, in order of precedence.
ACCESS_WORDS: list[tuple[AccessHint, re.Pattern[str]]] = [
    (AccessHint.FIBRE, re.compile(r"ftth|fttp|fttb|fib(er|re)|gpon|xgs|glasfaser|optic")),
    (AccessHint.CABLE, re.compile(r"cable|docsis|hfc|cmts|\bcpe-|catv|kabel")),
    (AccessHint.DSL, re.compile(r"v?dsl|adsl|xdsl|sdsl|bras|dialup|dyn-?ip|pppoe|\bdsl")),
    (
        AccessHint.MOBILE,
        re.compile(r"mobile|\blte\b|\b[345]g\b|-lte|lte-|4g-|5g-|-4g|-5g|gprs|umts|cellular|wwan|ue\."),
    ),
    (AccessHint.SATELLITE, re.compile(r"starlink|satellite|\bsat\b|viasat|hughes")),
    (AccessHint.FIXED_WIRELESS, re.compile(r"wisp|fixed-?wireless|fwa|wimax|radio")),
]


def access_hint(reverse_name: str | None) -> AccessHint:
    if not reverse_name:
        return AccessHint.UNKNOWN
    name = reverse_name.lower().rstrip(".")
    spaced = re.sub(r"[.\-_]", " ", name)
    for hint, pattern in ACCESS_WORDS:
        if pattern.search(name) or pattern.search(spaced):
            return hint
    return AccessHint.UNKNOWN


@dataclass(frozen=True)
class Sighting:
    family: int
    address: str
    method: str


async def dns_echo(
    entry: DnsEcho, resolver: dns.asyncresolver.Resolver, timeout: float
) -> tuple[Sighting | None, str | None]:
    """Ask ``entry.server`` for ``entry.name``; (sighting, error). See readiness/probes/echo.py."""
    reading, _ = await read_dns_echo(entry, resolver, timeout)
    where = f"dns echo {entry.name}@{entry.server}"
    if reading.address is not None:
        return Sighting(
            ipaddress.ip_address(reading.address).version, reading.address, f"dns:{entry.name}"
        ), None
    if reading.failure == "unresolved":
        return None, reading.detail
    if reading.failure == "no_address":
        return None, f"{where}: no address in the answer"
    return None, f"{where}: {reading.exc_type}"


async def https_echo(
    url: str, client: httpx.AsyncClient, resolver: dns.asyncresolver.Resolver | None = None
) -> tuple[Sighting | None, str | None]:
    """GET ``url`` and read at most ECHO_MAX_BYTES of its body. See readiness/probes/echo.py."""
    reading = await read_https_echo(url, client, resolver)
    if reading.address is not None:
        return Sighting(ipaddress.ip_address(reading.address).version, reading.address, f"https:{url}"), None
    if reading.failure == "no_address":
        return None, f"{url}: the answer is not an address"
    if reading.failure in ("unresolved", "status"):
        return None, f"{url}: {reading.detail}"
    return None, f"{url}: {reading.exc_type}"


def combine(sightings: Iterable[Sighting]) -> list[WanIdentity]:
    """One WanIdentity per family; the most-seen address wins, others are a disagreement."""
    out: list[WanIdentity] = []
    seen = list(sightings)
    for fam in (4, 6):
        mine = [s for s in seen if s.family == fam]
        if not mine:
            continue
        counts: dict[str, list[str]] = {}
        for s in mine:
            counts.setdefault(s.address, []).append(s.method)
        best = max(counts, key=lambda a: len(counts[a]))
        others = {a: m for a, m in counts.items() if a != best}
        disagreement = "; ".join(f"{', '.join(m)} saw {a}" for a, m in others.items()) if others else None
        out.append(
            WanIdentity(
                family=fam,
                public_ip=best,
                methods=counts[best],
                disagreement=disagreement,
            )
        )
    return out


def local_source_address(target: str) -> str | None:
    """The address this machine would send from toward ``target`` (UDP connect sends nothing)."""
    try:
        fam = socket.AF_INET6 if ipaddress.ip_address(target).version == 6 else socket.AF_INET
        with socket.socket(fam, socket.SOCK_DGRAM) as s:
            s.connect((target, 9))
            return str(s.getsockname()[0])
    except (OSError, ValueError):
        return None


def nat_flags(
    hops: list[Hop] | None, gateways: list[Gateway] | None, public_ip: str | None
) -> tuple[bool | None, bool | None]:
    """(cgnat, double_nat) from the first hops.

    CGNAT: a 100.64.0.0/10 hop (or public address). Double NAT: more than one private hop
    before the first public one (the office router is the first). Without a public hop
    in sight, only a positive answer can be given; otherwise None (cannot tell).
    """
    if public_ip and is_cgnat(public_ip):
        return True, None
    if not hops:
        return None, None
    cgnat = False
    private_before_public = 0
    saw_public = False
    for hop in hops:
        if hop.address is None:
            continue
        if is_cgnat(hop.address):
            cgnat = True
        elif is_private(hop.address):
            private_before_public += 1
        else:
            saw_public = True
            break
    double_nat: bool | None = True if private_before_public > 1 else (False if saw_public else None)
    return (True if cgnat else (False if saw_public else None)), double_nat


async def enrich(
    identity: WanIdentity, resolver: dns.asyncresolver.Resolver, ctx: ProbeContext
) -> list[Endpoint]:
    """ASN, prefix, country, AS name and reverse DNS of the public address."""
    ep = ctx.config.endpoints
    if identity.public_ip is None:
        return []
    address = identity.public_ip
    endpoints = [
        Endpoint(
            kind="dns",
            target=ep.cymru_origin6_zone if identity.family == 6 else ep.cymru_origin_zone,
            purpose="which network (ASN) the public address belongs to",
        ),
        Endpoint(
            kind="dns", target=f"PTR {address}", purpose="reverse name of the public address (access type)"
        ),
    ]

    async def ptr() -> str | None:
        try:
            ans = await resolver.resolve(dns.reversename.from_address(address), "PTR")
        except (dns.exception.DNSException, OSError, ValueError):
            return None
        for rr in ans:
            return str(rr).rstrip(".")[:253]
        return None

    origin, reverse = await asyncio.gather(
        cymru.lookup_origin(resolver, address, ep.cymru_origin_zone, ep.cymru_origin6_zone), ptr()
    )
    identity.reverse_dns = reverse
    identity.access_hint = access_hint(reverse)
    if origin is not None:
        identity.asn, identity.prefix, identity.country = origin.asn, origin.prefix, origin.country
        identity.as_name = await cymru.lookup_as_name(resolver, origin.asn, ep.cymru_asn_zone)
        endpoints.append(
            Endpoint(kind="dns", target=ep.cymru_asn_zone, purpose="the provider's name (AS name)")
        )
    return endpoints


async def _bounded(
    job: Coroutine[Any, Any, tuple[Sighting | None, str | None]], limit: float
) -> tuple[Sighting | None, str | None]:
    """An echo that trickles its answer must not hold the probe: hard limit per echo."""
    try:
        return await asyncio.wait_for(job, limit)
    except TimeoutError:
        return None, f"an echo took longer than {limit:g} s"


async def discover_wan(
    ctx: ProbeContext, *, nameservers: list[tuple[str, int]] | None = None
) -> ProbeOutcome[list[WanIdentity]]:
    if ctx.offline:
        return ProbeOutcome.skipped("offline: no public lookups")
    ep = ctx.config.endpoints
    timeout = ctx.config.timeouts.connect_s
    try:
        resolver = make_lookup_resolver(ctx.resolv_conf, timeout, nameservers)
    except Exception as exc:
        return ProbeOutcome.unknown(f"no resolver for the look-ups: {exc}")
    endpoints: list[Endpoint] = []
    diagnostics: list[str] = []
    verify: ssl.SSLContext | bool = True
    if ep.tls_ca_file:
        try:
            verify = ssl.create_default_context(cafile=ep.tls_ca_file)
        except (OSError, ssl.SSLError) as exc:
            return ProbeOutcome.unknown(f"cannot load the CA file {ep.tls_ca_file}: {exc}")
    limits = httpx.Timeout(timeout, read=timeout)
    async with httpx.AsyncClient(
        timeout=limits, verify=verify, follow_redirects=False, trust_env=False
    ) as client:
        jobs = [dns_echo(e, resolver, timeout) for e in ep.dns_echo] + [
            https_echo(u, client, resolver) for u in ep.echo_urls
        ]
        results = await asyncio.gather(*(_bounded(j, 2 * timeout) for j in jobs))
    for e in ep.dns_echo:
        endpoints.append(
            Endpoint(kind="dns", target=f"{e.name} @ {e.server}", purpose="public address by DNS echo")
        )
    for u in ep.echo_urls:
        endpoints.append(Endpoint(kind="https", target=u, purpose="public address by HTTPS echo"))
    sightings = [s for s, _ in results if s is not None]
    diagnostics += [err for _, err in results if err]
    identities = combine(sightings)
    if not identities:
        return ProbeOutcome(
            value=None,
            status=ProbeStatus.UNKNOWN,
            reason="no echo service answered",
            diagnostics=diagnostics,
            endpoints=endpoints,
        )
    enriched = await asyncio.gather(*(enrich(i, resolver, ctx) for i in identities))
    for eps in enriched:
        endpoints += [e for e in eps if e not in endpoints]
    for ident in identities:
        target = ident.public_ip or ""
        ident.local_address = await asyncio.to_thread(local_source_address, target) if target else None
        ident.cgnat, ident.double_nat = nat_flags(
            ctx.facts.path.hops if ctx.facts.path else None, ctx.facts.gateways, ident.public_ip
        )
    return ProbeOutcome(value=identities, diagnostics=diagnostics, endpoints=endpoints)


async def probe_wan(ctx: ProbeContext) -> ProbeOutcome[list[WanIdentity]]:
    try:
        return await discover_wan(ctx)
    except Exception as exc:
        return ProbeOutcome.unknown(f"WAN probe failed: {exc}")
