"""Plain renderings of discovered facts, one block per group, readable at a glance.

``None`` in the facts means the probe could not see; it is shown as "not known" with the
probe's reason, never as "none found".
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text

from readiness.model import Facts, InterfaceKind, ProbeReport

GROUPS: list[tuple[str, str, str]] = [
    # (group id, title, the probe whose report explains an unknown)
    ("interfaces", "Interfaces", "interfaces"),
    ("gateways", "Gateways", "gateways"),
    ("resolvers", "DNS", "dns"),
    ("wan", "WAN and provider", "wan"),
    ("path", "Path quality", "path"),
    ("power", "UPS and power", "power"),
    ("services", "Cloud services", "services"),
    ("operations", "Monitoring and VPN", "operations"),
]


def _unknown(report: ProbeReport | None) -> Text:
    reason = report.reason if report and report.reason else "the probe has not run"
    return Text(f"not known: {reason}", style="italic dim")


def _yes(v: bool | None, yes: str = "yes", no: str = "no") -> str:
    return "?" if v is None else (yes if v else no)


def _interfaces(f: Facts) -> Text | None:
    if f.interfaces is None:
        return None
    t = Text()
    shown = [i for i in f.interfaces if i.kind != InterfaceKind.LOOPBACK]
    if not shown:
        return Text("no network interface besides loopback")
    for i in shown:
        addrs = ", ".join(f"{a.address}/{a.prefixlen}" if a.prefixlen else a.address for a in i.addresses)
        t.append(f"{i.name:<10}", style="bold")
        t.append(f" {i.kind.value:<9} {'up' if i.is_up else 'down':<4} ")
        if i.speed_mbps:
            t.append(f"{i.speed_mbps} Mb/s ")
        t.append(addrs or "no address", style="" if addrs else "dim")
        if i.tethering_hint:
            t.append(f"  (phone hotspot? {i.tethering_hint})", style="yellow")
        t.append("\n")
    return t


def _gateways(f: Facts) -> Text | None:
    if f.gateways is None:
        return None
    if not f.gateways:
        return Text("no default gateway: this machine has no route out", style="yellow")
    t = Text()
    for g in f.gateways:
        t.append(("★ " if g.preferred else "  ") + g.address, style="bold")
        t.append(f" via {g.interface or '?'}")
        if g.metric is not None:
            t.append(f" metric {g.metric}")
        if g.reachable is not None:
            t.append(
                "  answers" if g.reachable else "  does not answer", style="green" if g.reachable else "red"
            )
        if g.rtt_ms is not None:
            t.append(f" {g.rtt_ms:.1f} ms")
        if g.vendor:
            t.append(f"  {g.vendor}", style="dim")
        t.append("\n")
    if len(f.gateways) > 1:
        t.append(f"{len(f.gateways)} default gateways seen\n", style="green")
    return t


def _resolvers(f: Facts) -> Text | None:
    if f.resolvers is None:
        return None
    if not f.resolvers:
        return Text("no DNS resolver configured", style="yellow")
    t = Text()
    for r in f.resolvers:
        t.append(f"{r.address:<16}", style="bold")
        t.append(f" {r.role.value.replace('_', ' '):<13}")
        if r.reachable is not None:
            t.append(" answers" if r.reachable else " no answer", style="green" if r.reachable else "red")
        if r.latency_ms is not None:
            t.append(f" {r.latency_ms:.0f} ms")
        if r.error:
            t.append(f" ({r.error})", style="dim")
        t.append("\n")
    return t


def _wan(f: Facts) -> Text | None:
    if f.wan is None:
        return None
    if not f.wan:
        return Text("no public address could be seen", style="yellow")
    t = Text()
    for w in f.wan:
        t.append(f"IPv{w.family} ", style="dim")
        t.append(w.public_ip or "unknown", style="bold")
        if w.asn:
            t.append(f"  AS{w.asn} {w.as_name or ''}")
        if w.access_hint.value != "unknown":
            t.append(f"  looks like {w.access_hint.value.replace('_', ' ')}")
        if w.cgnat:
            t.append("  carrier-grade NAT", style="yellow")
        if w.double_nat:
            t.append("  double NAT", style="yellow")
        if w.disagreement:
            t.append(f"  ({w.disagreement})", style="dim")
        t.append("\n")
    return t


def _path(f: Facts) -> Text | None:
    if f.path is None:
        return None
    t = Text()
    if f.path.hops:
        hops = len(f.path.hops)
        t.append(f"{hops} {'hop' if hops == 1 else 'hops'} to {f.path.target or '?'}\n")
    for q in f.path.quality:
        t.append(f"{q.target:<16}", style="bold")
        avg = f"{q.avg_ms:.1f} ms" if q.avg_ms is not None else "no reply"
        jitter = f" jitter {q.jitter_ms:.1f} ms" if q.jitter_ms is not None else ""
        t.append(f" {q.method} {avg}{jitter} loss {q.loss_pct:.0f}%\n")
    return t if t.plain else Text("nothing measured")


def _power(f: Facts) -> Text | None:
    if f.power is None:
        return None
    t = Text()
    if not f.power.ups:
        t.append("no UPS answered", style="yellow")
        if f.power.hosts_tried:
            t.append(f" (asked {', '.join(f.power.hosts_tried)})", style="dim")
        t.append("\n")
    for u in f.power.ups:
        t.append(f"{u.manufacturer or ''} {u.model or u.name or 'UPS'}".strip(), style="bold")
        t.append(f" on {u.host or 'this machine'} ({u.source.value})")
        if u.status:
            t.append(f"  {' '.join(u.status)}", style="red" if u.on_battery else "green")
        if u.charge_pct is not None:
            t.append(f"  {u.charge_pct:.0f}%")
        if u.runtime_s is not None:
            t.append(f"  {u.runtime_s / 60:.0f} min left")
        t.append("\n")
    if f.power.local_battery and f.power.local_battery.percent is not None:
        t.append(f"this computer's battery {f.power.local_battery.percent:.0f}%\n", style="dim")
    return t


def _services(f: Facts) -> Text | None:
    if f.services is None:
        return None
    if not f.services:
        return Text("no cloud service detected or declared")
    t = Text()
    for s in f.services:
        t.append(f"{s.name:<22}", style="bold")
        t.append(f" {s.category:<12}")
        reach = _yes(s.reachable, "reachable", "unreachable")
        t.append(f" {reach}", style={"reachable": "green", "unreachable": "red"}.get(reach, "dim"))
        if s.latency_ms is not None:
            t.append(f" {s.latency_ms:.0f} ms")
        if s.error:
            t.append(f" ({s.error})", style="dim")
        t.append("\n")
    return t


def _operations(f: Facts) -> Text | None:
    ops = f.operations
    if ops is None:
        return None
    t = Text()
    for label, items in (
        ("monitoring", ops.monitoring_agents),
        ("VPN clients", ops.vpn_clients),
        ("tunnels up", ops.tunnels),
    ):
        t.append(f"{label:<12}", style="bold")
        t.append((", ".join(items) if items else "none seen") + "\n", style="" if items else "dim")
    return t


_RENDER: dict[str, Callable[[Facts], Text | None]] = {
    "interfaces": _interfaces,
    "gateways": _gateways,
    "resolvers": _resolvers,
    "wan": _wan,
    "path": _path,
    "power": _power,
    "services": _services,
    "operations": _operations,
}


def render_group(group: str, facts: Facts) -> Text:
    """The block for ``group``; when its facts are unknown, the reason the probe gave."""
    text = _RENDER[group](facts)
    if text is None:
        probe = next((p for g, _, p in GROUPS if g == group), group)
        return _unknown(facts.probes.get(probe))
    text.rstrip()
    return text
