"""Redaction: mask public IP addresses, MAC addresses, host names and Wi-Fi names in an audit.

The same value always becomes the same token (``ip-1``, ``mac-1``, ``host-1``, ``ssid-1``), so a
redacted report still shows that two findings talk about the same address. Private
addresses stay readable because they identify nothing outside the office: RFC 1918,
IPv6 unique-local, loopback, link-local, unspecified and the RFC 6598 shared range
(100.64.0.0/10, which is how CGNAT shows up). Documentation and benchmark ranges
(192.0.2/24, 198.18/15, 198.51.100/24, 203.0.113/24), which the office lab uses as its
"internet", count as public here.

It is structural, in two passes over the JSON form of the audit (so every export rendered
from the redacted audit carries the same tokens):

1. every field that holds an identifier is masked by its type, whatever its spelling
   (``HOST_FIELDS``: host names and Wi-Fi names; ``MAC_FIELDS``), and the names seen there
   become the set of known identifiers;
2. every other string is scanned once by one combined matcher: MAC addresses in every
   notation (``3c:97:0e:50:00:0c``, ``3c-97-…``, ``3c97.0e50.000c``, ``3c970e50000d``),
   IPv4 however spelled (zero-padded ``081.002.069.165``, ``static81-2-69-173``,
   ``81_2_69_174``), IPv6, and every known name, wherever it appears (a Wi-Fi name in a
   hint, a host name without a dot in a note).

The known names are compiled into one regular expression shaped as a trie, so the scan
costs the same whatever the number of names: linear in the size of the audit
(``python -m bench redact``).
"""

from __future__ import annotations

import functools
import ipaddress
import re
from collections.abc import Callable, Iterable
from typing import Any

from readiness.addresses import is_private, is_unspecified
from readiness.model.audit import Audit
from readiness.probes.registry import specs

MAC_PATTERN = (  # 3c:97:0e:50:00:0c, 3c-97-0e-50-00-0c, 3c97.0e50.000c (one prefix: a faster scan)
    r"(?<![0-9A-Fa-f:.-])[0-9A-Fa-f]{2}(?:(?:[:-][0-9A-Fa-f]{2}){5}(?![0-9A-Fa-f:-])"
    r"|[0-9A-Fa-f]{2}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}(?![0-9A-Fa-f]|\.[0-9A-Fa-f]))"
)
# Twelve hex digits standing alone: a MAC written without separators (3c970e50000d). Not
# looked for in ``id`` fields, which hold the tool's own 12-hex-digit identifiers.
BARE_MAC_PATTERN = r"(?<![0-9A-Za-z_-])[0-9A-Fa-f]{12}(?![0-9A-Za-z_-])"
MAC_RE = re.compile(MAC_PATTERN + "|" + BARE_MAC_PATTERN)
IPV4_PATTERN = (
    r"(?<![0-9.])(?:[0-9]{1,3}\.){3}[0-9]{1,3}(?![0-9.]*[0-9])"  # 81.2.69.165, 081.002.069.165
    # the address spelled with dashes or underscores, as provider reverse names do:
    # cust-203-0-113-45.isp, static81-2-69-173, 81_2_69_174
    r"|(?<![0-9])(?<![0-9][-_])[0-9]{1,3}(?P<sep>[-_])[0-9]{1,3}(?P=sep)[0-9]{1,3}(?P=sep)[0-9]{1,3}"
    r"(?![0-9])(?![-_][0-9])"
)
IPV4_RE = re.compile(IPV4_PATTERN)
# A run of hex digits, colons and dots with at least two colons: an IPv6 candidate,
# confirmed (or not) by the ipaddress module. Times like 03:38:05 fail that check.
IPV6_PATTERN = r"(?<![0-9A-Fa-f:.])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f.]{0,39}){2,}"
MIN_NAME = 3  # a known name shorter than this is masked where it is a field, not inside text

# Fields whose whole value is a host name, an SSID or another identifier of the office: the
# audit's own host name, and each probe spec's ``redact`` list (readiness/probes/specs/).
# Paths use "*" for every element of a list.
HOST_FIELDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("host", ("facts", "hostname")),
    *((kind, ("facts", spec.field, *path)) for spec in specs() for kind, path in spec.redact),
)
# Fields whose whole value is a MAC address, in whatever notation the source used.
MAC_FIELDS: tuple[tuple[str, ...], ...] = (
    ("facts", "interfaces", "*", "mac"),
    ("facts", "gateways", "*", "mac"),
)
# Fields that hold the tool's own identifiers, never an address.
ID_KEYS = frozenset({"id", "schema_version", "tool_version"})
TOKEN_RE = re.compile(r"(?:ip|mac|host|ssid)-[0-9]+")


def is_kept_ip(value: str) -> bool:
    """True for addresses redaction leaves readable (private, loopback, link-local...)."""
    return is_private(value) or is_unspecified(value)


def _name_key(name: str) -> str:
    return name.strip().rstrip(".").lower()


def _trie_pattern(words: Iterable[str]) -> str:
    """One regular expression matching any of ``words`` (lower case), shaped as a trie
    (a radix tree), so that matching costs the length of a name, not the number of names."""
    root: dict[str, Any] = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        branches = []
        for ch in sorted(k for k in node if k):
            child, literal = node[ch], ch
            while len(child) == 1 and "" not in child:  # a chain with no branching: one literal
                (nxt, child), = child.items()
                literal += nxt
            branches.append(re.escape(literal) + build(child))
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(root)


class Redactor:
    """Hands out stable tokens and rewrites strings. One instance per redacted audit."""

    def __init__(self) -> None:
        self._tokens: dict[tuple[str, str], str] = {}
        self._counts: dict[str, int] = {}
        self.host_names: dict[str, str] = {}
        self._matcher: re.Pattern[str] | None = None
        self._ips: dict[str, str | None] = {}
        self._known_macs: set[str] = set()  # from MAC fields: then even 12 decimal digits are one
        self._replaced: dict[tuple[str, str, bool], str] = {}
        self._seen: dict[tuple[str, bool], str] = {}  # a drill repeats the same strings thousands of times

    def token(self, kind: str, key: str) -> str:
        found = self._tokens.get((kind, key))
        if found is None:
            self._counts[kind] = self._counts.get(kind, 0) + 1
            found = f"{kind}-{self._counts[kind]}"
            self._tokens[(kind, key)] = found
        return found

    def host(self, name: str, kind: str = "host") -> str:
        """Token for a host name (or Wi-Fi name); the name is then also masked wherever it
        appears in text. A ``host:port`` keeps its port; an address is treated as one."""
        base, sep, port = name.rpartition(":")
        if not (sep and port.isdigit() and base.count(":") == 0):
            base, sep, port = name, "", ""
        if TOKEN_RE.fullmatch(base.strip()):
            return name  # already redacted (``host-1``, ``ip-2:3493``)
        key = _name_key(base)
        if not key or _is_address(key):
            return self.text(name)
        if key not in self.host_names:
            self.host_names[key] = self.token(kind, key)
            self._matcher = None  # earlier matches did not know this name
            self._seen.clear()
            self._replaced.clear()
        return self.host_names[key] + sep + port

    def mac(self, value: str) -> str:
        """Token for a MAC field: any notation of the same address, the same token."""
        digits = re.sub(r"[^0-9A-Fa-f]", "", value).lower()
        if len(digits) != 12:
            return self.text(value)
        self._known_macs.add(digits)
        return self.token("mac", ":".join(digits[i : i + 2] for i in range(0, 12, 2)))

    def _pattern(self) -> re.Pattern[str]:
        if self._matcher is None:
            names = [n for n in self.host_names if len(n) >= MIN_NAME]
            parts = []
            if names:
                parts.append(rf"(?P<name>(?<![\w.-])(?:{_trie_pattern(names)})\.?(?![\w-]))")
            parts += [
                f"(?P<mac>{MAC_PATTERN})",
                f"(?P<bare>{BARE_MAC_PATTERN})",
                f"(?P<ip6>{IPV6_PATTERN})",
                f"(?P<ip4>{IPV4_PATTERN})",
            ]
            self._matcher = re.compile("|".join(parts), re.IGNORECASE)
        return self._matcher

    def _ip(self, raw: str) -> str | None:
        """The token for a public address, ``raw`` for a kept one, None for no address."""
        if raw not in self._ips:  # the same addresses recur through a whole audit
            self._ips[raw] = self._classify_ip(raw)
        return self._ips[raw]

    def _classify_ip(self, raw: str) -> str | None:
        try:
            addr = ipaddress.ip_address(raw.split("%", 1)[0])
        except ValueError:
            return None
        if is_kept_ip(raw):
            return raw
        return self.token("ip", str(addr))

    def _ipv4(self, text: str) -> str:
        octets = re.split(r"[._-]", text)
        if any(int(o) > 255 for o in octets):
            return text
        plain = ".".join(str(int(o)) for o in octets)
        replaced = self._ip(plain)
        return text if replaced is None or replaced == plain else replaced

    def _ipv6(self, text: str) -> str:
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

    def _replace(self, m: re.Match[str], bare_macs: bool) -> str:
        key = (m.lastgroup or "", m.group(0), bare_macs)
        found = self._replaced.get(key)
        if found is None:
            found = self._replaced[key] = self._replacement(*key)
        return found

    def _replacement(self, kind: str, text: str, bare_macs: bool) -> str:
        if kind == "name":
            return self.host_names.get(_name_key(text), text)
        if kind == "mac":
            return self.mac(text)
        if kind == "bare":
            # Twelve decimal digits are a number (a phone number, a count) unless a MAC
            # field held that very address.
            known = text.lower() in self._known_macs
            return self.mac(text) if bare_macs and (known or not text.isdigit()) else text
        if kind == "ip6":
            return self._ipv6(text)
        return self._ipv4(text)

    def text(self, value: str, *, bare_macs: bool = True) -> str:
        """Mask MACs, public addresses and known names inside any string, in one scan."""
        key = (value, bare_macs)
        done = self._seen.get(key)
        if done is None:
            done = self._pattern().sub(lambda m: self._replace(m, bare_macs), value)
            self._seen[key] = done
        return done


def _is_address(value: str) -> bool:
    try:
        ipaddress.ip_address(value.split("%", 1)[0])
    except ValueError:
        return False
    return True


def _at(node: Any, path: tuple[str, ...], fn: Callable[[str], str]) -> Any:
    """Apply ``fn`` to the string(s) at ``path`` inside ``node`` (in place where possible)."""
    if not path:
        return fn(node) if isinstance(node, str) else node
    head, rest = path[0], path[1:]
    if head == "*" and isinstance(node, list):
        return [_at(item, rest, fn) for item in node]
    if isinstance(node, dict) and head in node and node[head] is not None:
        node[head] = _at(node[head], rest, fn)
    return node


def _map_strings(node: Any, fn: Callable[[str, bool], str], bare_macs: bool = True) -> Any:
    if isinstance(node, str):
        return fn(node, bare_macs)
    if isinstance(node, list):
        return [_map_strings(item, fn, bare_macs) for item in node]
    if isinstance(node, dict):
        return {key: _map_strings(value, fn, key not in ID_KEYS) for key, value in node.items()}
    return node


def redact_data(data: dict[str, Any]) -> dict[str, Any]:
    """The JSON form of an audit with every identifier masked (see the module's docstring)."""
    red = Redactor()
    for kind, path in HOST_FIELDS:  # pass 1: fields by type; their names become known
        data = _at(data, path, functools.partial(red.host, kind=kind))
    for path in MAC_FIELDS:
        data = _at(data, path, red.mac)
    out: dict[str, Any] = _map_strings(data, lambda v, bare: red.text(v, bare_macs=bare))  # pass 2
    out["redacted"] = True
    return out


def redact(audit: Audit) -> Audit:
    """A copy of ``audit`` with public IPs, MACs, host names and Wi-Fi names masked, marked redacted."""
    return Audit.model_validate(redact_data(audit.model_dump(mode="json")))


def leftover_identifiers(audit: Audit) -> list[str]:
    """What redaction would still mask in ``audit``: empty for a copy that is truly
    redacted. Checked before a report prints the "redacted" banner over a saved audit."""
    data = audit.model_dump(mode="json")
    data.pop("redacted", None)
    before = _strings(data)
    after = _strings(redact_data(audit.model_dump(mode="json")))
    return sorted({a for a, b in zip(before, after, strict=True) if a != b})[:5]


def _strings(node: Any) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, list):
        return [s for item in node for s in _strings(item)]
    if isinstance(node, dict):
        return [s for key, value in node.items() if key != "redacted" for s in _strings(value)]
    return []
