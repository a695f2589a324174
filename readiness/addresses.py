"""Which addresses belong to a local network.

Python's ``ipaddress.is_private`` also counts the documentation and benchmark ranges
(192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 198.18.0.0/15) as private. Those are
routed like public space in labs and by some providers, so "private" here means only what
an office router hands out or a provider keeps to itself: RFC 1918, CGNAT (RFC 6598),
link-local, loopback and IPv6 unique-local.

Pure functions, no I/O: the probes, the exports' redaction and anything else that needs
to tell local from public addresses use this one definition.
"""

from __future__ import annotations

import ipaddress

PRIVATE_NETS = [
    ipaddress.ip_network(n)
    for n in (
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "100.64.0.0/10",
        "169.254.0.0/16",
        "127.0.0.0/8",
        "fc00::/7",
        "fe80::/10",
        "::1/128",
    )
]
CGNAT = ipaddress.ip_network("100.64.0.0/10")


def _parse(address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        ip = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def is_private(address: str) -> bool:
    """True for local-network addresses (see the module doc); False for anything else, even garbage."""
    ip = _parse(address)
    return ip is not None and any(ip.version == net.version and ip in net for net in PRIVATE_NETS)


def is_office_local(address: str) -> bool:
    """Private and on the office's side: the provider's CGNAT range is beyond the office."""
    ip = _parse(address)
    return ip is not None and is_private(str(ip)) and not (ip.version == 4 and ip in CGNAT)


def is_unspecified(address: str) -> bool:
    ip = _parse(address)
    return ip is not None and ip.is_unspecified


def is_cgnat(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return ip.version == 4 and ip in CGNAT
