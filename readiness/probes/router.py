"""The router probe: ask each default gateway what it knows about itself and its lines.

LAN side and read-only: a unicast UPnP IGD search and its description, SNMP GET/GETBULK
(v3 users and v2c communities from the config; ``public`` only by default), and TR-064 when
the config gives its password. Only the default gateways are asked, never another address;
nothing is sent beyond the office network, so the probe runs with ``--offline`` too. The
three are asked concurrently within the probe's own budget (``router.time_s``).
"""

from __future__ import annotations

import asyncio
import importlib
import ipaddress
import time

from readiness.config import Router
from readiness.model import (
    Endpoint,
    ProbeStatus,
    RouterFacts,
    RouterSource,
    RouterWanLine,
)
from readiness.probes.base import ProbeContext, ProbeOutcome
from readiness.probes.router_igd import IgdView, read_igd
from readiness.probes.router_tr064 import Tr064View, read_tr064
from readiness.probes.router_wan import AskFailure, SnmpView, merge, snmp_lines

# sysObjectID enterprise numbers (IANA) of the makers small offices meet.
ENTERPRISES: dict[int, str] = {
    9: "Cisco",
    11: "HP",
    171: "D-Link",
    872: "AVM",
    2011: "Huawei",
    2636: "Juniper",
    4413: "Ubiquiti (EdgeOS)",
    4526: "Netgear",
    7367: "DrayTek",
    8072: "Net-SNMP (Linux)",
    8741: "SonicWall",
    11863: "TP-Link",
    12325: "pfSense / OPNsense (FreeBSD)",
    12356: "Fortinet",
    14988: "MikroTik",
    25461: "Palo Alto Networks",
    25506: "H3C",
    30803: "Vyatta / VyOS",
    41112: "Ubiquiti",
}


def _maker(object_id: str | None) -> str | None:
    if not object_id or not object_id.startswith("1.3.6.1.4.1."):
        return None
    parts = object_id.split(".")
    try:
        return ENTERPRISES.get(int(parts[6]))
    except (IndexError, ValueError):
        return None


async def _ask_igd(gateway: str, cfg: Router, deadline: float) -> object:
    return await read_igd(gateway, cfg.ssdp_port, deadline=deadline, cap=cfg.igd_max_bytes)


async def _ask_snmp(gateway: str, cfg: Router, deadline: float, tried: list[str]) -> object:
    """SNMP runs in a worker thread with its own event loop: pysnmp's engine set-up (~0.1 s
    of MIB loading) and its BER decoding are CPU work that would otherwise hold discovery's
    loop, and with it the other probes' timers. read_snmp ends at the deadline on its own."""
    # late: pysnmp adds 69 ms to loading the probes;
    # probe_router loads it in a thread, off discovery's loop (loaded by now)
    from readiness.probes.router_snmp import credentials, read_snmp

    creds = credentials([c.get_secret_value() for c in cfg.snmp_communities], cfg.snmp_v3)

    def run() -> object:
        return asyncio.run(
            read_snmp(
                gateway, cfg.snmp_port, creds, deadline=deadline, max_rows=cfg.snmp_max_rows, tried=tried
            )
        )

    return await asyncio.to_thread(run)


async def _ask_tr064(gateway: str, cfg: Router, deadline: float) -> object:
    assert cfg.tr064_password is not None
    return await read_tr064(
        gateway, cfg.tr064_port, cfg.tr064_user, cfg.tr064_password.get_secret_value(), deadline=deadline
    )


async def ask_router(gateway: str, cfg: Router, deadline: float) -> RouterFacts:
    """Everything the router at ``gateway`` says; what did not answer is in ``tried``."""
    tried: list[str] = []
    asks: dict[RouterSource, asyncio.Task[object]] = {}
    if cfg.igd:
        asks[RouterSource.IGD] = asyncio.create_task(_ask_igd(gateway, cfg, deadline))
    if cfg.snmp:
        asks[RouterSource.SNMP] = asyncio.create_task(_ask_snmp(gateway, cfg, deadline, tried))
    if cfg.tr064_password is not None:
        asks[RouterSource.TR064] = asyncio.create_task(_ask_tr064(gateway, cfg, deadline))
    results: dict[RouterSource, object] = {}
    for source, task in asks.items():
        try:
            # Each ask stops itself at the deadline with its own reason; this is the backstop.
            results[source] = await asyncio.wait_for(task, max(deadline - time.monotonic(), 0.01) + 0.5)
        except AskFailure as exc:
            tried.append(f"{source.value}: {exc}")
        except TimeoutError:
            tried.append(f"{source.value}: no answer within the probe's budget")
        except OSError as exc:
            tried.append(f"{source.value}: {type(exc).__name__}: {exc.strerror or exc}")
        except Exception as exc:  # a library's own bug must not take the probe down
            tried.append(f"{source.value}: failed ({type(exc).__name__})")
    facts = RouterFacts(gateway=gateway, tried=tried)
    ident = facts.identity
    snmp = results.get(RouterSource.SNMP)
    igd = results.get(RouterSource.IGD)
    tr064 = results.get(RouterSource.TR064)
    lines: list[RouterWanLine] = []
    if isinstance(snmp, SnmpView):
        facts.answered.append(RouterSource.SNMP)
        facts.credential = snmp.credential
        ident.description = snmp.system.get("description")
        ident.name = snmp.system.get("name")
        ident.object_id = snmp.system.get("object_id")
        ident.uptime_s = snmp.system.get("uptime_s")
        ident.manufacturer = _maker(ident.object_id)
        lines = snmp_lines(snmp)
    if isinstance(igd, IgdView):
        facts.answered.append(RouterSource.IGD)
        ident.manufacturer = igd.manufacturer or ident.manufacturer
        ident.model = igd.model
        ident.firmware = igd.firmware
        ident.serial = igd.serial
        ident.name = ident.name or igd.friendly_name
        lines = merge(lines, igd.lines)
    if isinstance(tr064, Tr064View):
        facts.answered.append(RouterSource.TR064)
        ident.model = ident.model or tr064.model
        ident.firmware = ident.firmware or tr064.firmware
        ident.serial = ident.serial or tr064.serial
        ident.manufacturer = ident.manufacturer or "AVM"
        lines = tr064.merge_into(lines)
    if ident.model is None and ident.description:
        ident.model = ident.description.splitlines()[0][:80]
    facts.wan_lines = lines
    return facts


def _gateways(ctx: ProbeContext) -> list[str] | None:
    if ctx.facts.gateways is None:
        return None
    out: list[str] = []
    for g in ctx.facts.gateways:
        try:
            ip = ipaddress.ip_address(g.address.split("%", 1)[0])
        except ValueError:
            continue
        if ip.version == 4 and g.address not in out:
            out.append(g.address)
    return out


async def probe_router(ctx: ProbeContext) -> ProbeOutcome[list[RouterFacts]]:
    cfg = ctx.config.router
    if not cfg.enabled:
        return ProbeOutcome.skipped("asking the router is turned off in the config ([router] enabled)")
    gateways = _gateways(ctx)
    if gateways is None:
        return ProbeOutcome.unknown("the default gateways are not known, so there is no router to ask")
    if not gateways:
        return ProbeOutcome(value=[], reason="no IPv4 default gateway: no router to ask")
    # Load SNMP before the budget starts: the budget is for the router. pysnmp takes ~0.2 s
    # to import: in a thread, so the other probes' timers keep running. (IGD and TR-064 are
    # imported with this module.)
    if cfg.snmp:
        await asyncio.to_thread(importlib.import_module, "readiness.probes.router_snmp")

    budget = min(cfg.time_s, max(ctx.config.timeouts.probe_s - 0.3, 0.2))
    deadline = time.monotonic() + budget
    routers = list(await asyncio.gather(*(ask_router(g, cfg, deadline) for g in gateways)))
    endpoints: list[Endpoint] = []
    for g in gateways:
        if cfg.igd:
            endpoints.append(
                Endpoint(kind="ssdp", target=f"{g}:{cfg.ssdp_port}", purpose="ask the router's UPnP IGD")
            )
        if cfg.snmp:
            endpoints.append(
                Endpoint(kind="snmp", target=f"{g}:{cfg.snmp_port}", purpose="ask the router over SNMP")
            )
        if cfg.tr064_password is not None:
            endpoints.append(
                Endpoint(kind="tr064", target=f"{g}:{cfg.tr064_port}", purpose="ask the router over TR-064")
            )
    diagnostics = [f"{r.gateway}: {t}" for r in routers for t in r.tried]
    answered = [r for r in routers if r.answered]
    if not answered:
        reasons = "; ".join(diagnostics) or "nothing to ask"
        return ProbeOutcome(
            value=None,
            status=ProbeStatus.UNKNOWN,
            reason=f"no router answered: {reasons}"[:300],
            diagnostics=diagnostics,
            endpoints=endpoints,
        )
    status = ProbeStatus.PARTIAL if diagnostics else ProbeStatus.OK
    reason = None
    if diagnostics:
        reason = "not every way of asking answered: " + "; ".join(diagnostics)
    return ProbeOutcome(
        value=routers,
        status=status,
        reason=reason[:300] if reason else None,
        diagnostics=diagnostics,
        endpoints=endpoints,
    )
