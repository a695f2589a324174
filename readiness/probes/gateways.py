"""Default gateways per family, which one is preferred, reachability and router vendor."""

from __future__ import annotations

import asyncio
import socket
import sys

try:
    import netifaces
except ImportError:  # pragma: no cover - a C extension; without it, only Linux's own tables
    netifaces = None  # type: ignore[assignment]

from readiness.model import Endpoint, Gateway
from readiness.probes import linux_routes
from readiness.probes.base import ProbeContext, ProbeOutcome
from readiness.probes.linux_routes import DefaultRoute, Neighbour
from readiness.probes.oui import vendor_for_mac
from readiness.probes.quality import icmp_fallback_note, icmp_mode, icmp_rtts, tcp_rtt

TCP_PORTS = (80, 443, 53)


def netifaces_defaults() -> list[DefaultRoute] | None:
    """Portable default gateways (no metric: netifaces does not report it)."""
    if netifaces is None:
        return None
    try:
        table = netifaces.gateways()
    except Exception:
        return None
    out: list[DefaultRoute] = []
    for fam_const, fam in ((netifaces.AF_INET, 4), (netifaces.AF_INET6, 6)):
        for entry in table.get(fam_const, []) or []:
            if isinstance(entry, tuple) and len(entry) >= 2 and entry[0]:
                out.append(DefaultRoute(fam, str(entry[0]).split("%")[0], str(entry[1]), 0))
    return out


def merge_routes(
    kernel: list[DefaultRoute] | None, portable: list[DefaultRoute] | None
) -> list[DefaultRoute]:
    """The kernel table wins (it has metrics); netifaces fills in what the kernel read missed."""
    merged: list[DefaultRoute] = list(kernel or [])
    seen = {(r.family, r.gateway, r.interface) for r in merged}
    for r in portable or []:
        if (r.family, r.gateway, r.interface) not in seen and not (
            kernel is not None and any(k.family == r.family for k in kernel)
        ):
            merged.append(r)
            seen.add((r.family, r.gateway, r.interface))
    return merged


def build_gateways(routes: list[DefaultRoute], neighbours: list[Neighbour] | None) -> list[Gateway]:
    """One Gateway per default route; the lowest metric of each family is the preferred one."""
    macs = {(n.address, n.interface): n.mac for n in neighbours or [] if n.mac}
    by_addr = {n.address: n.mac for n in neighbours or [] if n.mac}
    out: list[Gateway] = []
    for fam in (4, 6):
        fam_routes = sorted((r for r in routes if r.family == fam), key=lambda r: r.metric)
        for i, r in enumerate(fam_routes):
            address = r.gateway or f"{r.interface} (point-to-point)"
            mac = macs.get((r.gateway or "", r.interface)) or by_addr.get(r.gateway or "")
            out.append(
                Gateway(
                    address=address,
                    family=fam,
                    interface=r.interface,
                    metric=r.metric,
                    preferred=(i == 0),
                    mac=mac,
                    vendor=vendor_for_mac(mac),
                )
            )
    return out


def read_routes_and_neighbours() -> tuple[list[DefaultRoute], list[Neighbour] | None, list[str]]:
    """Blocking local reads. Linux: kernel table + neighbour table; elsewhere netifaces only."""
    diagnostics: list[str] = []
    kernel: list[DefaultRoute] | None = None
    neighbours: list[Neighbour] | None = None
    if sys.platform.startswith("linux"):
        kernel = linux_routes.read_default_routes()
        neighbours = linux_routes.read_neighbours()
        if kernel is None:
            diagnostics.append("kernel routing table not readable")
    else:
        diagnostics.append("route metrics and gateway MAC need Linux; using netifaces")
    return merge_routes(kernel, netifaces_defaults()), neighbours, diagnostics


async def gateway_rtt(address: str, timeout: float, interface: str | None = None) -> tuple[float | None, str]:
    """Round trip to the gateway by ICMP when allowed, else by TCP connect to 80/443/53."""
    target = address
    if ":" in address and address.lower().startswith("fe80") and interface:
        target = f"{address}%{interface}"
    mode = icmp_mode()
    if mode is not None:
        rtts = await icmp_rtts(target, 3, 0.05, timeout, mode)
        if rtts:
            return min(rtts), "icmp"
    tries = [tcp_rtt(target, port, timeout) for port in TCP_PORTS]
    for done in asyncio.as_completed(tries):
        rtt = await done
        if rtt is not None:
            return rtt, "tcp"
    return None, "icmp" if mode else "tcp"


async def check_gateways(gateways: list[Gateway], timeout: float) -> list[Endpoint]:
    endpoints: list[Endpoint] = []

    async def one(gw: Gateway) -> None:
        try:
            socket.inet_pton(socket.AF_INET6 if gw.family == 6 else socket.AF_INET, gw.address)
        except OSError:
            return  # point-to-point default: no address to test
        rtt, method = await gateway_rtt(gw.address, timeout, gw.interface)
        gw.reachable = rtt is not None
        gw.rtt_ms = round(rtt, 3) if rtt is not None else None
        endpoints.append(Endpoint(kind=method, target=gw.address, purpose="is the office router reachable"))

    await asyncio.gather(*(one(g) for g in gateways))
    return endpoints


async def probe_gateways(ctx: ProbeContext) -> ProbeOutcome[list[Gateway]]:
    try:
        routes, neighbours, diagnostics = await asyncio.to_thread(read_routes_and_neighbours)
        gateways = build_gateways(routes, neighbours)
        endpoints = await check_gateways(gateways, ctx.config.timeouts.connect_s)
        note = icmp_fallback_note()
        if note and gateways:
            diagnostics.append(note)
    except Exception as exc:
        return ProbeOutcome.unknown(f"cannot read the default gateways: {exc}")
    return ProbeOutcome(value=gateways, diagnostics=diagnostics, endpoints=endpoints)
