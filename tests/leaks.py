"""What a redacted export must not contain: public addresses and MAC addresses.

One scanner for every privacy test (unit, CLI, hardening, lab), so that they all hold
the exports to the same patterns.
"""

from __future__ import annotations

import ipaddress
import re

from readiness.export.redact import is_kept_ip

MAC = re.compile(r"(?<![0-9A-Fa-f:-])(?:[0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}(?![0-9A-Fa-f:-])")
IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.]*\d)")
IPV6 = re.compile(r"(?<![0-9A-Fa-f:.])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f.]{0,39}){2,}")


def public_addresses(text: str) -> list[str]:
    """Every address in ``text`` that redaction should have masked, sorted, once each."""
    found: set[str] = set()
    for pattern in (IPV4, IPV6):
        for m in pattern.finditer(text):
            try:
                ipaddress.ip_address(m.group(0))
            except ValueError:
                continue
            if not is_kept_ip(m.group(0)):
                found.add(m.group(0))
    return sorted(found)
