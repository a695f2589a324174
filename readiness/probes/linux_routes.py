"""Linux-only readers of the kernel routing and neighbour tables.

Each parser is a pure function over text so it can be tested on recorded outputs; the
``read_*`` functions do the (blocking, local) I/O and return ``None`` when the source is
missing, which callers turn into "not on this platform".
"""

from __future__ import annotations

import ipaddress
import json
import socket
import struct
import subprocess
from dataclasses import dataclass
from pathlib import Path

IP_TIMEOUT_S = 1.5


@dataclass(frozen=True)
class DefaultRoute:
    family: int  # 4 or 6
    gateway: str | None  # None: a point-to-point default (ppp, wwan, tun)
    interface: str | None
    metric: int


@dataclass(frozen=True)
class Neighbour:
    address: str
    interface: str | None
    mac: str | None
    state: str | None


def parse_proc_net_route(text: str) -> list[DefaultRoute]:
    """Default IPv4 routes from /proc/net/route (addresses are little-endian hex)."""
    routes: list[DefaultRoute] = []
    for line in text.splitlines()[1:]:
        cols = line.split()
        if len(cols) < 8:
            continue
        try:
            dest, gw, flags, metric, mask = (
                int(cols[1], 16),
                int(cols[2], 16),
                int(cols[3], 16),
                int(cols[6]),
                int(cols[7], 16),
            )
        except ValueError:
            continue
        if dest != 0 or mask != 0 or not flags & 0x1:  # RTF_UP
            continue
        gateway = socket.inet_ntoa(struct.pack("<I", gw)) if flags & 0x2 and gw else None  # RTF_GATEWAY
        routes.append(DefaultRoute(4, gateway, cols[0], metric))
    return routes


def parse_proc_net_ipv6_route(text: str) -> list[DefaultRoute]:
    """Default IPv6 routes from /proc/net/ipv6_route (skips the loopback 'unreachable' entry)."""
    routes: list[DefaultRoute] = []
    for line in text.splitlines():
        cols = line.split()
        if len(cols) < 10:
            continue
        try:
            dest, plen, nexthop = int(cols[0], 16), int(cols[1], 16), cols[4]
            metric, flags = int(cols[5], 16), int(cols[8], 16)
            if plen != 0 or dest != 0 or not flags & 0x1 or flags & 0x200:  # RTF_UP, not RTF_REJECT
                continue
            gateway = str(ipaddress.IPv6Address(bytes.fromhex(nexthop))) if int(nexthop, 16) else None
        except ValueError:  # not a route line (AddressValueError is a ValueError)
            continue
        routes.append(DefaultRoute(6, gateway, cols[9], metric))
    return routes


def parse_ip_route_json(text: str, family: int) -> list[DefaultRoute]:
    """Default routes from ``ip -j [-6] route`` (a missing metric is 0 for IPv4, as the kernel says)."""
    try:
        data = json.loads(text or "[]")
    except json.JSONDecodeError:
        return []
    routes: list[DefaultRoute] = []
    if not isinstance(data, list):
        return routes
    for entry in data:
        if not isinstance(entry, dict) or entry.get("dst") not in ("default", "0.0.0.0/0", "::/0"):
            continue
        if entry.get("type") in ("unreachable", "blackhole", "prohibit"):
            continue
        metric = entry.get("metric", 0)
        hops = entry.get("nexthops") or [entry]  # multipath defaults list their hops
        if not isinstance(hops, list):
            hops = [entry]
        for hop in hops:
            if not isinstance(hop, dict):
                continue
            gw = hop.get("gateway")
            dev = hop.get("dev")
            routes.append(
                DefaultRoute(
                    family,
                    str(gw) if gw else None,
                    str(dev) if dev else None,
                    int(metric) if isinstance(metric, int) else 0,
                )
            )
    return routes


def parse_proc_net_arp(text: str) -> list[Neighbour]:
    neighbours: list[Neighbour] = []
    for line in text.splitlines()[1:]:
        cols = line.split()
        if len(cols) < 6:
            continue
        mac = cols[3].lower()
        try:
            complete = int(cols[2], 16) & 0x2 if cols[2].startswith("0x") else True
        except ValueError:  # not a flags field: not an ARP table line
            continue
        neighbours.append(
            Neighbour(cols[0], cols[5], mac if complete and mac != "00:00:00:00:00:00" else None, None)
        )
    return neighbours


def parse_ip_neigh_json(text: str) -> list[Neighbour]:
    try:
        data = json.loads(text or "[]")
    except json.JSONDecodeError:
        return []
    out: list[Neighbour] = []
    for entry in data if isinstance(data, list) else []:
        if not isinstance(entry, dict) or "dst" not in entry:
            continue
        state = entry.get("state")
        state_s = ",".join(state) if isinstance(state, list) else (str(state) if state else None)
        mac = entry.get("lladdr")
        out.append(Neighbour(str(entry["dst"]), entry.get("dev"), str(mac).lower() if mac else None, state_s))
    return out


def _run_ip(args: list[str]) -> str | None:
    try:
        done = subprocess.run(  # noqa: S603 - fixed argv list, no shell
            ["ip", "-j", *args], capture_output=True, text=True, timeout=IP_TIMEOUT_S, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def _read(path: str) -> str | None:
    try:
        return Path(path).read_text()
    except OSError:
        return None


def read_default_routes() -> list[DefaultRoute] | None:
    """The kernel's default routes, both families; None when neither /proc nor ``ip`` is there."""
    v4: list[DefaultRoute] | None = None
    v6: list[DefaultRoute] | None = None
    out = _run_ip(["route", "show", "table", "main"])
    if out is not None:
        v4 = parse_ip_route_json(out, 4)
    else:
        text = _read("/proc/net/route")
        v4 = parse_proc_net_route(text) if text is not None else None
    out6 = _run_ip(["-6", "route", "show", "table", "main"])
    if out6 is not None:
        v6 = parse_ip_route_json(out6, 6)
    else:
        text6 = _read("/proc/net/ipv6_route")
        v6 = parse_proc_net_ipv6_route(text6) if text6 is not None else None
    if v4 is None and v6 is None:
        return None
    return (v4 or []) + (v6 or [])


def read_neighbours() -> list[Neighbour] | None:
    out = _run_ip(["neigh", "show"])
    if out is not None:
        return parse_ip_neigh_json(out)
    text = _read("/proc/net/arp")
    return parse_proc_net_arp(text) if text is not None else None
