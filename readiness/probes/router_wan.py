"""Which of the router's interfaces are internet lines (the WAN rule), from what SNMP and
UPnP IGD said.

The rule, in the order it is tried (the first that holds is kept in ``why``):

1. the interface carries one of the router's default routes;
2. it holds a public address, or a carrier-grade NAT one (100.64.0.0/10);
3. its type is a WAN type: PPP, a DSL, cable or fibre (GPON) line, or a cellular (WWAN) modem;
4. the router itself names it as one (``wan``, ``lte``, ``4g``/``5g``, ``dsl``, ``isp``,
   ``backup`` in its name or description).

Limits, said in the report's words: a backup line with no carrier, a private address
(double NAT behind a provider's box), an Ethernet type and a name such as ``eth1`` matches
none of these and is missed; a VPN tunnel with a public address is counted as a line.
UPnP IGD describes the lines it routes through (usually the active one only): each of its
lines joins SNMP's line with the same address, else the one with the default route or the
only one; it stands as a line of its own only when SNMP did not answer.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from typing import Any

from readiness.model import RouterSource, RouterWanLine, WanKind, WanState

CGNAT = ipaddress.ip_network("100.64.0.0/10")
# IANAifType values of WAN media.
WAN_TYPES: dict[int, WanKind] = {
    23: WanKind.PPP,
    94: WanKind.DSL,  # adsl
    95: WanKind.DSL,  # radsl
    96: WanKind.DSL,  # sdsl
    97: WanKind.DSL,  # vdsl
    230: WanKind.DSL,  # adsl2
    238: WanKind.DSL,  # adsl2plus
    251: WanKind.DSL,  # vdsl2
    127: WanKind.CABLE,  # docsCableMaclayer
    250: WanKind.FIBRE,  # gpon
    243: WanKind.CELLULAR,  # wwanPP (3GPP)
    244: WanKind.CELLULAR,  # wwanPP2 (3GPP2)
}
ETHERNET_TYPES = {6, 62, 69, 117}
NAMED_WAN = re.compile(
    r"(?<![a-z])(wan\d*|lte|[45]g|wwan\d*|dsl|vdsl|adsl|pppoe?\d*|isp\d*|backup|cell\w*)(?![a-z])", re.I
)
NAMED_CELLULAR = re.compile(r"(?<![a-z])(lte|[45]g|wwan\d*|cell\w*|mobile)(?![a-z])", re.I)
IGD_ACCESS: dict[str, WanKind] = {
    "dsl": WanKind.DSL,
    "pots": WanKind.DSL,
    "cable": WanKind.CABLE,
    "ethernet": WanKind.ETHERNET,
    "fiber": WanKind.FIBRE,
    "fibre": WanKind.FIBRE,
    "mobile": WanKind.CELLULAR,
    "lte": WanKind.CELLULAR,
    "umts": WanKind.CELLULAR,
}


class AskFailure(Exception):
    """One way of asking the router (SNMP, IGD, TR-064) got no usable answer; the message says
    why, in words."""


@dataclass
class IfRow:
    index: int
    name: str | None = None
    descr: str | None = None
    alias: str | None = None
    if_type: int | None = None
    oper: int | None = None  # 1 up, 2 down, 7 lowerLayerDown...
    speed_mbps: float | None = None


@dataclass
class SnmpView:
    credential: str
    system: dict[str, Any] = field(default_factory=dict)
    interfaces: dict[int, IfRow] = field(default_factory=dict)
    addresses: dict[int, list[str]] = field(default_factory=dict)
    default_routes: set[int] = field(default_factory=set)  # ifIndex of each default route
    notes: list[str] = field(default_factory=list)


@dataclass
class IgdLine:
    """One WAN device as UPnP IGD describes it."""

    service: str  # "WANIPConnection" / "WANPPPConnection"
    access_type: str | None = None
    link_status: str | None = None  # Up, Down, Initializing, Unavailable
    connection_status: str | None = None  # Connected, Disconnected, ...
    external_ip: str | None = None
    uptime_s: int | None = None
    last_error: str | None = None
    up_mbps: float | None = None
    down_mbps: float | None = None


def is_public_or_cgnat(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    if ip.version == 4 and ip in CGNAT:
        return True
    # Documentation and benchmark ranges are "public" here, as in redaction: the lab's internet.
    if ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_unspecified:
        return False
    private = ip.is_private and not _documentation(ip)
    return not private


def _documentation(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    nets = ("192.0.2.0/24", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32")
    return any(ip in ipaddress.ip_network(n) for n in nets if ipaddress.ip_network(n).version == ip.version)


def _kind(row: IfRow) -> WanKind:
    if row.if_type in WAN_TYPES:
        return WAN_TYPES[row.if_type]
    label = " ".join(x for x in (row.name, row.descr, row.alias) if x)
    if NAMED_CELLULAR.search(label):
        return WanKind.CELLULAR
    if row.if_type in ETHERNET_TYPES:
        return WanKind.ETHERNET
    return WanKind.OTHER


def _state(oper: int | None) -> WanState:
    if oper == 1:
        return WanState.UP
    if oper in (2, 5, 6, 7):  # down, dormant, notPresent, lowerLayerDown
        return WanState.DOWN
    return WanState.UNKNOWN


def why_wan(row: IfRow, addresses: list[str], default_route: bool) -> str | None:
    """The first part of the WAN rule that holds for this interface, in words; else None."""
    if default_route:
        return "carries a default route"
    public = [a for a in addresses if is_public_or_cgnat(a)]
    if public:
        return "holds a public or carrier-grade NAT address"
    if row.if_type in WAN_TYPES:
        return f"its type is {WAN_TYPES[row.if_type].value}"
    label = " ".join(x for x in (row.name, row.descr, row.alias) if x)
    if NAMED_WAN.search(label):
        return "the router names it as a WAN line"
    return None


def snmp_lines(view: SnmpView) -> list[RouterWanLine]:
    lines: list[RouterWanLine] = []
    for index, row in sorted(view.interfaces.items()):
        if row.if_type == 24:  # softwareLoopback
            continue
        addresses = view.addresses.get(index, [])
        default = index in view.default_routes
        why = why_wan(row, addresses, default)
        if why is None:
            continue
        lines.append(
            RouterWanLine(
                interface=row.name or row.descr or f"interface {index}",
                kind=_kind(row),
                state=_state(row.oper),
                addresses=addresses,
                speed_mbps=row.speed_mbps,
                default_route=default,
                why=why,
                seen_by=[RouterSource.SNMP],
            )
        )
    return lines


def igd_state(line: IgdLine) -> WanState:
    link = (line.link_status or "").lower()
    conn = (line.connection_status or "").lower()
    if link == "up" and conn in ("connected", ""):
        return WanState.UP
    if link in ("down", "unavailable") or conn in ("disconnected", "unconfigured", "pendingdisconnect"):
        return WanState.DOWN
    if conn == "connected":
        return WanState.UP
    return WanState.UNKNOWN


def merge(snmp: list[RouterWanLine], igd: list[IgdLine]) -> list[RouterWanLine]:
    """SNMP's lines, each IGD line joined to the one with its external address (else added)."""
    lines = [line.model_copy(deep=True) for line in snmp]
    for g in igd:
        match = next((x for x in lines if g.external_ip and g.external_ip in x.addresses), None)
        if match is None and snmp:
            # SNMP listed the router's lines: the IGD's connection is one of them. Without its
            # address, it is the line with the default route, or the only line; if neither
            # tells, SNMP's view stands alone rather than counting one line twice.
            routed = [x for x in lines if x.default_route]
            candidates = routed if routed else lines
            if len(candidates) != 1:
                continue
            match = candidates[0]
        state = igd_state(g)
        if match is not None:
            match.seen_by.append(RouterSource.IGD)
            match.uptime_s = g.uptime_s
            match.last_error = g.last_error
            if match.state is WanState.UNKNOWN:
                match.state = state
            if match.speed_mbps is None and g.down_mbps:
                match.speed_mbps = g.down_mbps
            continue
        kind = IGD_ACCESS.get((g.access_type or "").lower(), WanKind.OTHER)
        if g.service == "WANPPPConnection" and kind in (WanKind.OTHER, WanKind.DSL):
            kind = WanKind.PPP
        lines.append(
            RouterWanLine(
                interface=g.service,
                kind=kind,
                state=state,
                addresses=[g.external_ip] if g.external_ip else [],
                speed_mbps=g.down_mbps,
                why="the router's UPnP IGD describes it as its WAN connection",
                seen_by=[RouterSource.IGD],
                uptime_s=g.uptime_s,
                last_error=g.last_error,
            )
        )
    return lines
