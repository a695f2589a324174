"""Team Cymru's IP-to-ASN DNS service: query names and TXT parsing.

origin:  ``4.3.2.1.origin.asn.cymru.com``  -> "ASN [ASN...] | prefix | CC | registry | date"
origin6: 32 reversed nibbles + ``.origin6.asn.cymru.com`` (same answer format)
AS name: ``AS<n>.asn.cymru.com``           -> "ASN | CC | registry | date | NAME - Org, CC"
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

import dns.asyncresolver
import dns.exception
import dns.resolver
import dns.reversename

MAX_FIELD = 200  # a TXT string is at most 255 bytes; we keep less and never more


@dataclass(frozen=True)
class Origin:
    asn: int
    prefix: str | None
    country: str | None


def origin_query_name(address: str, v4_zone: str, v6_zone: str) -> str:
    ip = ipaddress.ip_address(address)
    rev = dns.reversename.from_address(str(ip)).to_text(omit_final_dot=True)
    if ip.version == 4:
        return rev.removesuffix("in-addr.arpa") + v4_zone.strip(".")
    return rev.removesuffix("ip6.arpa") + v6_zone.strip(".")


def asn_query_name(asn: int, zone: str) -> str:
    return f"AS{asn}.{zone.strip('.')}"


def _fields(txt: str) -> list[str]:
    return [f.strip()[:MAX_FIELD] for f in txt.strip().strip('"').split("|")]


def parse_origin_txt(txt: str) -> Origin | None:
    """First ASN, the prefix and country; None when the text is not in Cymru's format."""
    fields = _fields(txt)
    if len(fields) < 2:
        return None
    asns = fields[0].split()
    if not asns or not (asns[0].isascii() and asns[0].isdigit()) or len(asns[0]) > 10:  # "²" is a digit
        return None
    asn = int(asns[0])
    if asn > 0xFFFFFFFF:
        return None
    prefix: str | None
    try:
        prefix = str(ipaddress.ip_network(fields[1], strict=False))
    except ValueError:
        prefix = None
    country = fields[2] if len(fields) > 2 and fields[2].isalpha() and len(fields[2]) <= 3 else None
    return Origin(asn, prefix, country.upper() if country else None)


def parse_asn_txt(txt: str) -> str | None:
    """The AS name (last field) from an ``AS<n>`` answer."""
    fields = _fields(txt)
    if len(fields) < 5 or not fields[-1]:
        return None
    name = "".join(ch for ch in fields[-1] if ch.isprintable())
    # Cymru appends the registry country ("GOOGLE, US"); the country is reported apart.
    name = re.sub(r",\s*[A-Z]{2}$", "", name).strip()
    return name or None


async def _txt(resolver: dns.asyncresolver.Resolver, qname: str) -> list[str]:
    try:
        answer = await resolver.resolve(qname, "TXT")
    except (dns.exception.DNSException, OSError, EOFError, ValueError):
        return []
    out: list[str] = []
    for rr in answer:
        strings = getattr(rr, "strings", ())
        out.append(b"".join(strings)[:1024].decode("utf-8", "replace"))
    return out


async def lookup_origin(
    resolver: dns.asyncresolver.Resolver, address: str, v4_zone: str, v6_zone: str
) -> Origin | None:
    try:
        qname = origin_query_name(address, v4_zone, v6_zone)
    except ValueError:
        return None
    for txt in await _txt(resolver, qname):
        origin = parse_origin_txt(txt)
        if origin is not None:
            return origin
    return None


async def lookup_as_name(resolver: dns.asyncresolver.Resolver, asn: int, zone: str) -> str | None:
    for txt in await _txt(resolver, asn_query_name(asn, zone)):
        name = parse_asn_txt(txt)
        if name:
            return name
    return None
