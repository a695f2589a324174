"""The public-address echoes, written once: the WAN probe and the drill both read them here.

Two kinds: a DNS name whose answer is the querier's address (``myip.opendns.com`` at
OpenDNS's server, a TXT at Google's), and an HTTPS URL whose body is the caller's address.
Names (the echo server's, the URL's host) are resolved with dnspython through the
resolver the caller gives (the office's, with its time limit), never with getaddrinfo:
with the DNS dead, getaddrinfo blocks a thread for the libc resolver's whole retry cycle
(10 s and more) that no timeout can stop. At most ECHO_MAX_BYTES of an answer are read.
"""

from __future__ import annotations

import ipaddress
import time
from dataclasses import dataclass
from typing import Literal

import dns.asyncquery
import dns.asyncresolver
import dns.exception
import dns.message
import dns.rdatatype
import dns.resolver
import httpx

from readiness.config import DnsEcho
from readiness.probes.quality import split_host_port

ECHO_MAX_BYTES = 256  # an address is at most 45 characters; we never read more than this
Failure = Literal["unresolved", "timeout", "error", "status", "no_address"]


@dataclass(frozen=True)
class EchoReading:
    """What one echo said: the address, or why there is none (``failure``, with the
    exception or the HTTP status in ``detail``)."""

    address: str | None = None
    rtt_ms: float | None = None
    failure: Failure | None = None
    detail: str = ""  # the exception's text (or its type's name when it has none), "HTTP 500"
    exc_type: str = ""  # the exception's type's name, when one ended it


def parse_address(text: str) -> str | None:
    """A single IP address from an echo answer (tolerating quotes and whitespace)."""
    token = text.strip().strip('"').strip()
    try:
        return str(ipaddress.ip_address(token))
    except ValueError:
        return None


def _failed(failure: Failure, exc: BaseException | None = None, detail: str = "") -> EchoReading:
    if exc is not None:
        detail = " ".join((str(exc) or type(exc).__name__).split())[:120]
    return EchoReading(failure=failure, detail=detail, exc_type=type(exc).__name__ if exc else "")


def _ms_since(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 2)


async def resolve_host(
    host: str,
    resolver: dns.asyncresolver.Resolver | None,
    *,
    families: tuple[int, ...] = (4,),
    lifetime: float | None = None,
) -> str | None:
    """``host`` itself when it is an address, else its first A (then, for an IPv6-only
    name, AAAA) record through ``resolver``; None when it cannot be resolved, when the
    resolver does not answer in time (no second question then), or with no resolver."""
    try:
        ipaddress.ip_address(host)
        return host
    except ValueError:
        pass
    if resolver is None:
        return None
    for family in families:
        try:
            answer = await resolver.resolve(host, "AAAA" if family == 6 else "A", lifetime=lifetime)
        except (dns.resolver.NoAnswer, dns.resolver.NXDOMAIN):
            continue  # the resolver answered: perhaps the other family has it
        except (dns.exception.DNSException, OSError):
            return None  # timed out or failed: asking again would only double the wait
        for rr in answer:
            return str(rr)
    return None


async def read_dns_echo(
    entry: DnsEcho,
    resolver: dns.asyncresolver.Resolver | None,
    timeout: float,
    *,
    server_ip: str | None = None,
) -> tuple[EchoReading, str | None]:
    """Ask ``entry.server`` for ``entry.name``: (reading, the server's address to reuse)."""
    host, port = split_host_port(entry.server, 53)
    if server_ip is None:
        server_ip = await resolve_host(host, resolver, families=(entry.family,), lifetime=timeout)
    if server_ip is None:
        return _failed("unresolved", detail=f"cannot resolve the echo server {entry.server}"), None
    start = time.perf_counter()
    try:
        rdtype = dns.rdatatype.from_text(entry.rdtype)
        query = dns.message.make_query(entry.name, rdtype)
        response, _ = await dns.asyncquery.udp_with_fallback(query, server_ip, timeout=timeout, port=port)
    except (dns.exception.Timeout, TimeoutError) as exc:
        return _failed("timeout", exc), server_ip
    except (dns.exception.DNSException, OSError, EOFError, ValueError) as exc:
        return _failed("error", exc), server_ip
    rtt = _ms_since(start)
    for rrset in response.answer:
        if rrset.rdtype != rdtype:
            continue
        for rr in rrset:
            if rdtype == dns.rdatatype.TXT:
                text = b"".join(getattr(rr, "strings", ()))[:64].decode("ascii", "replace")
            else:
                text = str(rr)
            found = parse_address(text)
            if found is not None:
                return EchoReading(address=found, rtt_ms=rtt), server_ip
    return EchoReading(rtt_ms=rtt, failure="no_address"), server_ip


async def pinned_request(
    url: str, resolver: dns.asyncresolver.Resolver | None, lifetime: float | None = None
) -> tuple[str, dict[str, str], dict[str, str]] | None:
    """(url with the host's address, headers, extensions), resolving the host name with dnspython.

    Host header and TLS SNI keep the original name, so virtual hosting and certificate
    checks are unchanged. None when the host cannot be resolved.
    """
    parsed = httpx.URL(url)
    host = parsed.host
    try:
        ipaddress.ip_address(host)
        return url, {}, {}
    except ValueError:
        pass
    address = await resolve_host(host, resolver, families=(4, 6), lifetime=lifetime)
    if address is None:
        return None
    headers = {"Host": host if parsed.port is None else f"{host}:{parsed.port}"}
    return str(parsed.copy_with(host=address)), headers, {"sni_hostname": host}


async def read_https_echo(
    url: str,
    client: httpx.AsyncClient,
    resolver: dns.asyncresolver.Resolver | None,
    timeout: float | None = None,
) -> EchoReading:
    """GET ``url`` (its host resolved through ``resolver``) and read at most ECHO_MAX_BYTES.
    ``timeout`` None: the client's own."""
    pinned = await pinned_request(url, resolver, lifetime=timeout)
    if pinned is None:
        return _failed("unresolved", detail=f"cannot resolve {httpx.URL(url).host}")
    target, headers, extensions = pinned
    start = time.perf_counter()
    try:
        if timeout is None:  # the client's own
            stream = client.stream("GET", target, headers=headers, extensions=extensions)
        else:
            stream = client.stream("GET", target, headers=headers, extensions=extensions, timeout=timeout)
        async with stream as response:
            if response.status_code != 200:
                return EchoReading(
                    rtt_ms=_ms_since(start), failure="status", detail=f"HTTP {response.status_code}"
                )
            body = b""
            async for chunk in response.aiter_raw():
                body += chunk
                if len(body) >= ECHO_MAX_BYTES:
                    break
    except httpx.TimeoutException as exc:
        return _failed("timeout", exc)
    except (httpx.HTTPError, OSError, ValueError) as exc:
        return _failed("error", exc)
    rtt = _ms_since(start)
    found = parse_address(body[:ECHO_MAX_BYTES].decode("ascii", "replace"))
    if found is None:
        return EchoReading(rtt_ms=rtt, failure="no_address")
    return EchoReading(address=found, rtt_ms=rtt)
