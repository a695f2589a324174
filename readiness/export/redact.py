"""Redaction: mask public IP addresses, MAC addresses and host names in an audit.

The same value always becomes the same token (``ip-1``, ``mac-1``, ``host-1``, ``ssid-1``), so a
redacted report still shows that two findings talk about the same address. Private
addresses stay readable because they identify nothing outside the office: RFC 1918,
IPv6 unique-local, loopback, link-local, unspecified and the RFC 6598 shared range
(100.64.0.0/10, which is how CGNAT shows up). Documentation and benchmark ranges
(192.0.2/24, 198.18/15, 198.51.100/24, 203.0.113/24), which the office lab uses as its
"internet", count as public here.

Redaction works on the JSON form of the audit, so both exports (rendered from the
redacted audit) carry the same tokens.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from typing import Any

from readiness.addresses import is_private, is_unspecified
from readiness.model.audit import Audit
from readiness.probes.registry import specs

MAC_RE = re.compile(r"(?<![0-9A-Fa-f:-])(?:[0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}(?![0-9A-Fa-f:-])")
IPV4_RE = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.]*\d)")
# Provider reverse names often spell the address with dashes: cust-203-0-113-45.isp.example.
DASHED_IPV4_RE = re.compile(
    r"(?<![\w-])(?:\d{1,3}-){3}\d{1,3}(?![\w-])"  # standing alone
    r"|(?<=-)(?:\d{1,3}-){3}\d{1,3}(?=[.-]|$)"  # inside a name: cust-203-0-113-45.isp
)
# A run of hex digits, colons and dots with at least two colons: an IPv6 candidate,
# confirmed (or not) by the ipaddress module. Times like 03:38:05 fail that check.
IPV6_CANDIDATE_RE = re.compile(r"(?<![0-9A-Fa-f:.])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f.]{0,39}){2,}")

# Fields whose whole value is a host name, an SSID or another identifier of the office: the
# audit's own host name, and each probe spec's ``redact`` list (readiness/probes/specs/).
# Paths use "*" for every element of a list.
HOST_FIELDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("host", ("facts", "hostname")),
    *((kind, ("facts", spec.field, *path)) for spec in specs() for kind, path in spec.redact),
)


def is_kept_ip(value: str) -> bool:
    """True for addresses redaction leaves readable (private, loopback, link-local...)."""
    return is_private(value) or is_unspecified(value)


class Redactor:
    """Hands out stable tokens and rewrites strings. One instance per redacted audit."""

    def __init__(self) -> None:
        self._tokens: dict[tuple[str, str], str] = {}
        self._counts: dict[str, int] = {}
        self.host_names: dict[str, str] = {}
        self._seen: dict[str, str] = {}  # text() results: a drill repeats the same strings thousands of times

    def token(self, kind: str, key: str) -> str:
        found = self._tokens.get((kind, key))
        if found is None:
            self._counts[kind] = self._counts.get(kind, 0) + 1
            found = f"{kind}-{self._counts[kind]}"
            self._tokens[(kind, key)] = found
        return found

    def host(self, name: str, kind: str = "host") -> str:
        """Token for a host name; the name is then also masked wherever it appears in text.

        A ``host:port`` keeps its port; a value that is really an address is treated as one.
        """
        base, sep, port = name.rpartition(":")
        if not (sep and port.isdigit() and base.count(":") == 0):
            base, sep, port = name, "", ""
        key = base.strip().rstrip(".").lower()
        if not key or _is_address(key):
            return self.text(name)
        if key not in self.host_names:
            self.host_names[key] = self.token(kind, key)
            self._seen.clear()  # earlier results did not know this name
        return self.host_names[key] + sep + port

    def _mac(self, m: re.Match[str]) -> str:
        return self.token("mac", m.group(0).lower().replace("-", ":"))

    def _ip(self, raw: str) -> str | None:
        try:
            addr = ipaddress.ip_address(raw.split("%", 1)[0])
        except ValueError:
            return None
        if is_kept_ip(raw):
            return raw
        return self.token("ip", str(addr))

    def _ipv4(self, m: re.Match[str]) -> str:
        return self._ip(m.group(0)) or m.group(0)

    def _dashed(self, m: re.Match[str]) -> str:
        dotted = m.group(0).replace("-", ".")
        replaced = self._ip(dotted)
        return m.group(0) if replaced is None or replaced == dotted else replaced

    def _ipv6(self, m: re.Match[str]) -> str:
        text = m.group(0)
        # The match may carry a prefix (":::2" from "tcp:::2") or a tail (":443"): the
        # address is the longest piece that parses, starting at the beginning or after a colon.
        best: tuple[int, int] | None = None
        for start in [0] + [i + 1 for i, ch in enumerate(text) if ch == ":"]:
            for end in range(len(text), start + 1, -1):
                if _is_address(text[start:end]):
                    if best is None or end - start > best[1] - best[0]:
                        best = (start, end)
                    break
        if best is None:
            return text
        start, end = best
        return text[:start] + (self._ip(text[start:end]) or text[start:end]) + text[end:]

    def text(self, value: str) -> str:
        """Mask MACs, public addresses and known host names inside any string."""
        done = self._seen.get(value)
        if done is None:
            done = self._seen[value] = self._text(value)
        return done

    def _text(self, value: str) -> str:
        out = MAC_RE.sub(self._mac, value)
        out = IPV6_CANDIDATE_RE.sub(self._ipv6, out)
        out = IPV4_RE.sub(self._ipv4, out)
        out = DASHED_IPV4_RE.sub(self._dashed, out)
        for name, tok in sorted(self.host_names.items(), key=lambda kv: -len(kv[0])):
            if _free_text_safe(name):
                out = re.sub(rf"(?<![\w.-]){re.escape(name)}\.?(?![\w-])", tok, out, flags=re.IGNORECASE)
            elif out.strip().rstrip(".").lower() == name:
                out = tok
        return out


def _is_address(value: str) -> bool:
    try:
        ipaddress.ip_address(value.split("%", 1)[0])
    except ValueError:
        return False
    return True


def _free_text_safe(name: str) -> bool:
    """A bare word such as "office" is only masked where it is the whole value.

    Replacing it inside sentences would turn "The office has..." into nonsense; names with
    a dot, a digit or a hyphen are specific enough to mask wherever they appear.
    """
    return any(c in name for c in ".-_") or any(c.isdigit() for c in name)


def _walk_hosts(node: Any, path: tuple[str, ...], red: Redactor, kind: str) -> Any:
    if not path:
        return red.host(node, kind) if isinstance(node, str) else node
    head, rest = path[0], path[1:]
    if head == "*" and isinstance(node, list):
        return [_walk_hosts(item, rest, red, kind) for item in node]
    if isinstance(node, dict) and head in node and node[head] is not None:
        node[head] = _walk_hosts(node[head], rest, red, kind)
    return node


def _map_strings(node: Any, fn: Callable[[str], str]) -> Any:
    if isinstance(node, str):
        return fn(node)
    if isinstance(node, list):
        return [_map_strings(item, fn) for item in node]
    if isinstance(node, dict):
        return {key: _map_strings(value, fn) for key, value in node.items()}
    return node


def redact(audit: Audit) -> Audit:
    """A copy of ``audit`` with public IPs, MACs and host names masked, marked redacted."""
    red = Redactor()
    data = audit.model_dump(mode="json")
    for kind, path in HOST_FIELDS:
        data = _walk_hosts(data, path, red, kind)
    data = _map_strings(data, red.text)
    data["redacted"] = True
    return Audit.model_validate(data)
