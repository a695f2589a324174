"""Where this machine sends its DNS queries: resolv.conf and systemd-resolved's upstreams."""

from __future__ import annotations

import ipaddress
import re
import subprocess
from pathlib import Path

import dns.asyncresolver
import dns.exception
import dns.nameserver
import dns.resolver

RESOLVED_UPSTREAM_FILE = Path("/run/systemd/resolve/resolv.conf")
STUB_ADDRESSES = {"127.0.0.53", "127.0.0.54"}
RESOLVECTL_TIMEOUT_S = 1.5


def read_resolv_conf(path: Path) -> list[str]:
    """Nameserver addresses from a resolv.conf file, via dnspython.

    Raises OSError on a missing file and NoResolverConfiguration when there is no usable
    nameserver, including a file dnspython cannot read (not UTF-8, a bad search name).
    """
    resolver = dns.resolver.Resolver(configure=False)
    try:
        resolver.read_resolv_conf(str(path))
    except (ValueError, dns.exception.DNSException) as exc:  # NoResolverConfiguration is one too
        if isinstance(exc, dns.resolver.NoResolverConfiguration):
            raise
        unreadable = dns.resolver.NoResolverConfiguration(f"unreadable: {type(exc).__name__}")  # type: ignore[no-untyped-call]
        raise unreadable from exc
    return [str(ns).split("%")[0] for ns in resolver.nameservers]


def parse_resolvectl_dns(text: str) -> list[str]:
    """Addresses from ``resolvectl dns`` output ("Global: 1.1.1.1", "Link 2 (eth0): 192.168.1.1")."""
    found: list[str] = []
    for line in text.splitlines():
        _, sep, rest = line.partition(":")
        if not sep:
            continue
        if not re.match(r"\s*(Global|Link \d+)", line):
            continue
        for token in rest.split():
            addr = token.split("#")[0]  # 1.1.1.1#cloudflare-dns.com (DNS over TLS names)
            if addr.startswith("[") and "]" in addr:  # [2001:db8::1]:53
                addr = addr[1 : addr.index("]")]
            addr = addr.split("%")[0]
            try:
                ipaddress.ip_address(addr)
            except ValueError:
                continue
            if addr not in found:
                found.append(addr)
    return found


def resolved_upstreams() -> tuple[list[str], str] | None:
    """systemd-resolved's real upstream servers, or None when they cannot be read."""
    try:
        done = subprocess.run(
            ["resolvectl", "dns"], capture_output=True, text=True, timeout=RESOLVECTL_TIMEOUT_S, check=False
        )
        if done.returncode == 0:
            found = parse_resolvectl_dns(done.stdout)
            if found:
                return found, "systemd-resolved"
    except (OSError, subprocess.SubprocessError):
        pass
    if RESOLVED_UPSTREAM_FILE.exists():
        try:
            found = [a for a in read_resolv_conf(RESOLVED_UPSTREAM_FILE) if a not in STUB_ADDRESSES]
        except (OSError, dns.resolver.NoResolverConfiguration):
            return None
        return found, "systemd-resolved"
    return None


def make_lookup_resolver(
    resolv_conf: Path, timeout: float, nameservers: list[tuple[str, int]] | None = None
) -> dns.asyncresolver.Resolver:
    """An async resolver for our own look-ups (Cymru, PTR, echo server names).

    It uses the system's resolvers from ``resolv_conf`` unless explicit ``nameservers``
    (address, port) are given (tests point it at a loopback server that way).
    Raises ``dns.resolver.NoResolverConfiguration`` / ``OSError`` when there is none.
    """
    resolver = dns.asyncresolver.Resolver(configure=False)
    if nameservers:
        resolver.nameservers = [dns.nameserver.Do53Nameserver(a, p) for a, p in nameservers]
    else:
        resolver.read_resolv_conf(str(resolv_conf))
    resolver.timeout = timeout
    resolver.lifetime = timeout * 1.5
    resolver.retry_servfail = False
    return resolver
