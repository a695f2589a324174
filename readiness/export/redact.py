"""Redaction: mask public IP addresses, MAC addresses, host names, Wi-Fi names, people, phone
numbers, e-mail addresses and contract numbers in an audit.

The same value always becomes the same token (``ip-1``, ``mac-1``, ``host-1``, ``ssid-1``,
``person-1``, ``phone-1``, ``email-1``, ``contract-1``, ``site-1``, ``address-1``), so a
redacted report still shows that two findings talk about the same address, or that the
person who ran the last test is the responder. Private
addresses stay readable because they identify nothing outside the office: RFC 1918,
IPv6 unique-local, loopback, link-local, unspecified and the RFC 6598 shared range
(100.64.0.0/10, which is how CGNAT shows up). Documentation and benchmark ranges
(192.0.2/24, 198.18/15, 198.51.100/24, 203.0.113/24), which the office lab uses as its
"internet", count as public here.

It is structural, in two passes over the JSON form of the audit (so every export rendered
from the redacted audit carries the same tokens):

1. every field that holds an identifier is masked by its type, whatever its spelling
   (``HOST_FIELDS``: host names and Wi-Fi names; ``MAC_FIELDS``; ``PERSON_FIELDS``: the
   technician and whoever answered, wrote a note or waived a check; ``SITE_FIELDS``; and
   the answers to the questions that checks/questions.toml marks ``personal``: the
   responder, the deputy, the contract numbers and support lines), and the values seen
   there become the set of known identifiers. A person field that names a role
   (``ROLES``: "Owner", "the front desk") identifies nobody and stays;
2. every other string is scanned once by one combined matcher: MAC addresses in every
   notation (``3c:97:0e:50:00:0c``, ``3c-97-…``, ``3c97.0e50.000c``, ``3c970e50000d``),
   IPv4 however spelled (zero-padded ``081.002.069.165``, ``static81-2-69-173``,
   ``81_2_69_174``), IPv6, e-mail addresses, phone numbers (``PHONE_PATTERN``: written
   conservatively, so that dates, times, amounts, ports and ids stay), and every known
   value, wherever it appears (a Wi-Fi name in a hint, a host name without a dot in a
   note, the responder's name in a waiver's reason). A known value shorter than
   ``MIN_NAME``, or of digits only and shorter than ``MIN_NUMBER``, is masked in its
   field only.

The office's own name and street address are masked too: the owner's copy keeps
everything, and a redacted copy is made to be shared outside (a vendor, a forum, an
insurer), where the office's name identifies the customer as surely as its host names
do. The kind of business and the time zone stay: they identify nobody and the report
needs them to read sensibly.

The known names are compiled into one regular expression shaped as a trie, so the scan
costs the same whatever the number of names: linear in the size of the audit
(``python -m bench redact``).
"""

from __future__ import annotations

import functools
import ipaddress
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from readiness.addresses import is_private, is_unspecified
from readiness.catalogue import Catalogue, default_catalogue
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
# An e-mail address: a local part starting where a word starts (so a long word is not
# rescanned from each of its letters), a dotted domain, a top-level domain of letters.
EMAIL_PATTERN = (
    r"(?<![\w.%+-])[\w.%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2,24}(?![\w-])"
)
# A phone number, conservatively: international (+ and 10 to 15 digits), national (a
# leading 0, one separator used throughout, 10 or 11 digits) or North American
# ((555) 123-4567). Digits glued to a word, a dot, a colon or a dash on the left (a check id
# WAN-004, a time, an address, a version) start no number, and the digit count is checked
# after the match (``_phone_key``): a date 04.12.2026 (8 digits), a time, an amount without a
# leading 0 or +, a port or a 12-digit id is not a phone number.
# The groups of digits are atomic ``(?>...)``: a long run of digits that turns out not to be
# a number is given up at once, not split again in every way (the scan stays linear).
PHONE_PATTERN = (
    r"(?<![\w.+-])\+[1-9](?>[0-9]{0,2}(?:[ .-]?\(?[0-9]{1,4}\)?){2,7})(?![\w)]|[.:/-][0-9])"
    r"|(?<![\w.:/+-])(?:0(?>[0-9]{1,4}(?P<psep>[ .-]?)[0-9]{2,8}(?:(?P=psep)[0-9]{2,8}){0,4})"
    r"|\([0-9]{3}\) ?[0-9]{3}[ .-][0-9]{4})(?![\w]|[.:/-][0-9])"
)
CONTACT_RE = re.compile(f"(?P<email>{EMAIL_PATTERN})|(?P<phone>{PHONE_PATTERN})")
ALIAS_TRIM = " \t,;:-()"
MIN_NAME = 3  # a known name shorter than this is masked where it is a field, not inside text
MIN_NUMBER = 6  # likewise for a known value of digits only (a contract "123" would eat figures)

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
# Fields whose whole value names a person: the technician, whoever ran a drill, answered,
# wrote a note or waived a check. ("*" is every element of a list or every value of a map.)
PERSON_FIELDS: tuple[tuple[str, ...], ...] = (
    ("technician",),
    ("drills", "*", "technician"),
    ("answers", "*", "by"),
    ("waivers", "*", "by"),
    ("notes", "*", "by"),
)
# The office's own name and street address (see the module's docstring).
SITE_FIELDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("site", ("site", "name")),
    ("address", ("site", "address")),
)
# Answers that name a role, not a person ("Owner", "the front desk", "our IT partner"): they
# identify nobody and stay readable, in their field and in the tool's own sentences ("The
# owner said..."). Anything not in this list is masked: a miss costs readability, not privacy.
ROLES = frozenset({
    "owner", "technician", "me", "myself", "us", "we", "nobody", "no one", "none", "unknown",
    "reception", "receptionist", "front desk", "office manager", "manager", "boss", "director",
    "it", "it partner", "it support", "it department", "it team", "staff", "everyone", "anyone",
    "admin", "administrator", "provider", "support",
})  # fmt: skip
ROLE_PREFIXES = ("the ", "our ", "my ")
# Fields that hold the tool's own identifiers, never an address.
ID_KEYS = frozenset({"id", "schema_version", "tool_version"})
# Every kind of token redaction writes; a value that already is one is left as it is.
TOKEN_KINDS = ("ip", "mac", "host", "ssid", "person", "phone", "email", "contract", "site", "address")
TOKEN_RE = re.compile(rf"(?:{'|'.join(TOKEN_KINDS)})-[0-9]+")


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

    def known(self, value: str, kind: str) -> str:
        """Token for a field that names a person, a phone, a contract, an e-mail or the site;
        the value is then also masked wherever it appears in text. A phone number is one
        token whatever its spacing; an e-mail address whatever its case. A person's field
        may carry more ("Marc (reception) 06 12 34 56 78", as the interview suggests): the
        phone numbers and e-mail addresses in it get their own tokens, and the name alone
        ("Marc", before a bracket or a comma) is masked in text as the whole value is."""
        if TOKEN_RE.fullmatch(value.strip()):
            return value  # already redacted
        key = _name_key(value)
        if not key or (kind == "person" and _is_role(key)):
            return value
        if kind == "phone":
            digits = _phone_key(value)
            token = self.token("phone", digits) if digits else self.token(kind, key)
        else:
            token = self.token(kind, key)
        aliases = [key]
        if kind == "person":
            for m in CONTACT_RE.finditer(value):
                if m.lastgroup == "email" or _phone_key(m.group(0)):
                    self.known(m.group(0), m.lastgroup or "phone")
            rest = CONTACT_RE.sub(" ", value)
            head = re.split(r"[(,;/]", rest)[0]
            aliases += [_name_key(rest.strip(ALIAS_TRIM)), _name_key(head.strip(ALIAS_TRIM))]
        for alias in aliases:
            if len(alias) < MIN_NAME or _is_role(alias) or alias in self.host_names:
                continue
            if alias.isdigit() and len(alias) < MIN_NUMBER:  # a short number: "123" in "123 ms"
                continue
            self.host_names[alias] = token
            self._matcher = None  # earlier matches did not know this value
            self._seen.clear()
            self._replaced.clear()
        return token

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
            parts.insert(0, f"(?P<email>{EMAIL_PATTERN})")  # before a known domain inside it
            parts += [
                f"(?P<mac>{MAC_PATTERN})",
                f"(?P<bare>{BARE_MAC_PATTERN})",
                f"(?P<ip6>{IPV6_PATTERN})",
                f"(?P<ip4>{IPV4_PATTERN})",
                f"(?P<phone>{PHONE_PATTERN})",  # last: an address or a MAC is not a phone
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
        if kind == "email":
            return self.token("email", text.lower())
        if kind == "phone":
            digits = _phone_key(text)
            return self.token("phone", digits) if digits else text
        return self._ipv4(text)

    def text(self, value: str, *, bare_macs: bool = True) -> str:
        """Mask MACs, public addresses and known names inside any string, in one scan."""
        key = (value, bare_macs)
        done = self._seen.get(key)
        if done is None:
            done = self._pattern().sub(lambda m: self._replace(m, bare_macs), value)
            self._seen[key] = done
        return done


def _is_role(key: str) -> bool:
    for prefix in ROLE_PREFIXES:
        key = key.removeprefix(prefix)
    return key in ROLES


def _phone_key(value: str) -> str | None:
    """The digits of a phone number (with its + when international), or None when the count
    is not a phone's: 10 to 15 digits after a +, 10 or 11 from a leading 0, 10 in (555) 123-4567."""
    text = value.strip()
    digits = re.sub(r"[^0-9]", "", text)
    if text.startswith("+"):
        return "+" + digits if 10 <= len(digits) <= 15 else None
    if text.startswith("("):
        return digits if len(digits) == 10 else None
    return digits if text.startswith("0") and 10 <= len(digits) <= 11 else None


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
    if head == "*" and isinstance(node, dict):
        return {key: _at(value, rest, fn) for key, value in node.items()}
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


def personal_questions(catalogue: Catalogue) -> dict[str, str]:
    """The questions whose answer is personal, by id, with what they hold (``person``...)."""
    return {q.id: q.personal for q in catalogue.questions if q.personal is not None}


def redact_data(data: dict[str, Any], personal: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The JSON form of an audit with every identifier masked (see the module's docstring).
    ``personal``: the personal questions (``personal_questions``); the default catalogue's
    when not given."""
    if personal is None:
        personal = personal_questions(default_catalogue())
    red = Redactor()
    for kind, path in HOST_FIELDS:  # pass 1: fields by type; their values become known
        data = _at(data, path, functools.partial(red.host, kind=kind))
    for path in MAC_FIELDS:
        data = _at(data, path, red.mac)
    for kind, path in SITE_FIELDS:
        data = _at(data, path, functools.partial(red.known, kind=kind))
    for path in PERSON_FIELDS:
        data = _at(data, path, functools.partial(red.known, kind="person"))
    answers = data.get("answers")
    if isinstance(answers, dict):
        for qid, kind in personal.items():
            data = _at(data, ("answers", qid, "value"), functools.partial(red.known, kind=kind))
    out: dict[str, Any] = _map_strings(data, lambda v, bare: red.text(v, bare_macs=bare))  # pass 2
    out["redacted"] = True
    return out


def redact(audit: Audit, catalogue: Catalogue | None = None) -> Audit:
    """A copy of ``audit`` with public IPs, MACs, host and Wi-Fi names, people, phone numbers,
    e-mail addresses, contract numbers and the site masked, marked redacted. ``catalogue``
    says which answers are personal (the default catalogue when not given)."""
    personal = personal_questions(catalogue or default_catalogue())
    return Audit.model_validate(redact_data(audit.model_dump(mode="json"), personal))


def leftover_identifiers(audit: Audit, catalogue: Catalogue | None = None) -> list[str]:
    """What redaction would still mask in ``audit``: empty for a copy that is truly
    redacted. Checked before a report prints the "redacted" banner over a saved audit."""
    data = audit.model_dump(mode="json")
    data.pop("redacted", None)
    before = _strings(data)
    personal = personal_questions(catalogue or default_catalogue())
    after = _strings(redact_data(audit.model_dump(mode="json"), personal))
    return sorted({a for a, b in zip(before, after, strict=True) if a != b})[:5]


def _strings(node: Any) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, list):
        return [s for item in node for s in _strings(item)]
    if isinstance(node, dict):
        return [s for key, value in node.items() if key != "redacted" for s in _strings(value)]
    return []
