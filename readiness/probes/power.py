"""Power: UPS units seen through NUT, apcupsd and USB, and this computer's own battery.

Hosts asked: this machine, each default gateway (routers and NAS boxes often run upsd)
when ``config.power.try_gateway``, and the hosts named in the config. All of them are on
the office network, so ``--offline`` changes nothing here; a configured host outside the
private ranges is still asked (the user named it) and a diagnostic says so.
"""

from __future__ import annotations

import asyncio
import ipaddress
from collections.abc import Callable, Coroutine
from typing import Any

import psutil

from readiness.addresses import is_office_local
from readiness.model import Endpoint, Gateway, LocalBattery, PowerFacts, ProbeStatus, UpsUnit
from readiness.probes.apcupsd import APCUPSD_PORT, query_apcupsd
from readiness.probes.base import ProbeContext, ProbeOutcome
from readiness.probes.nut import NUT_PORT, NutAnswer, query_nut, split_target
from readiness.probes.usb_ups import scan_usb_ups

LOCALHOST = "127.0.0.1"

Query = Callable[[str, float], Coroutine[Any, Any, NutAnswer]]


def _gateway_host(gw: Gateway) -> str:
    addr = gw.address
    if gw.family == 6 and "%" not in addr and gw.interface and addr.lower().startswith("fe80"):
        addr = f"{addr}%{gw.interface}"
    return f"[{addr}]" if ":" in addr else addr


def _targets(extra: list[str], gateways: list[Gateway] | None, try_gateway: bool, port: int) -> list[str]:
    """Every ``host:port`` to ask, without duplicates, this machine first."""
    raw = [LOCALHOST]
    if try_gateway and gateways:
        raw += [_gateway_host(g) for g in gateways]
    raw += extra
    out: list[str] = []
    for t in raw:
        try:
            host, p = split_target(t, port)
        except ValueError:
            out.append(t)  # kept: query_* reports it as unusable
            continue
        norm = f"[{host}]:{p}" if ":" in host else f"{host}:{p}"
        if norm not in out:
            out.append(norm)
    return out


def _is_local_network(target: str) -> bool | None:
    try:
        host, _ = split_target(target, 0)
        ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        return None  # a host name: cannot tell without resolving it
    return is_office_local(host)


def _local_battery() -> tuple[LocalBattery | None, str | None]:
    sensors = getattr(psutil, "sensors_battery", None)
    if sensors is None:
        return None, "psutil cannot read batteries on this platform"
    try:
        bat = sensors()
    except Exception as exc:  # psutil raises platform-specific errors here
        return None, f"reading this computer's battery failed: {exc}"
    if bat is None:
        return None, "this computer has no battery (or the OS does not show it)"
    secs = bat.secsleft
    secs_left = float(secs) if isinstance(secs, int | float) and secs >= 0 else None
    return LocalBattery(percent=float(bat.percent), plugged=bat.power_plugged, secs_left=secs_left), None


def _same_unit(usb: UpsUnit, seen: list[UpsUnit]) -> bool:
    """A USB UPS already reported by a local upsd or apcupsd (they talk to it over USB)."""
    for u in seen:
        if not (u.host or "").startswith(LOCALHOST):
            continue
        if u.usb_vendor_id and u.usb_vendor_id == usb.usb_vendor_id:
            return True
        if u.source == "apcupsd" and usb.usb_vendor_id == "051d":
            return True
    return False


async def probe_power(ctx: ProbeContext) -> ProbeOutcome[PowerFacts]:
    try:
        return await _probe(ctx)
    except Exception as exc:  # the boundary: a probe never raises
        return ProbeOutcome.unknown(f"power probe failed: {type(exc).__name__}: {exc}")


async def _probe(ctx: ProbeContext) -> ProbeOutcome[PowerFacts]:
    cfg = ctx.config
    per_host = min(cfg.timeouts.probe_s * 0.8, cfg.timeouts.connect_s * 1.5)
    gateways = ctx.facts.gateways
    plan: list[tuple[str, str, Query]] = []
    for kind, extra, port, query in (
        ("nut", cfg.power.nut_hosts, NUT_PORT, query_nut),
        ("apcupsd", cfg.power.apcupsd_hosts, APCUPSD_PORT, query_apcupsd),
    ):
        for target in _targets(extra, gateways, cfg.power.try_gateway, port):
            plan.append((kind, target, query))
    answers = await asyncio.gather(*(q(t, per_host) for _, t, q in plan))

    diagnostics: list[str] = []
    endpoints: list[Endpoint] = []
    facts = PowerFacts()
    failed: list[str] = []
    configured = set(cfg.power.nut_hosts) | set(cfg.power.apcupsd_hosts)
    for (kind, target, _), answer in zip(plan, answers, strict=True):
        facts.hosts_tried.append(f"{kind}:{target}")
        endpoints.append(Endpoint(kind=kind, target=target, purpose=f"ask {kind} for the state of its UPS"))
        if answer.state == "ok":
            facts.ups.extend(answer.units)
            diagnostics.append(f"{kind} at {target}: {len(answer.units)} UPS")
        elif answer.state == "absent":
            diagnostics.append(f"{kind} at {target}: nothing listening")
        else:
            failed.append(f"{kind} at {target}")
            diagnostics.append(f"{kind} at {target}: {answer.error}")
    if ctx.offline:
        for host in sorted(configured):
            if _is_local_network(host) is False:
                diagnostics.append(
                    f"offline: {host} is outside the local network; asked because the config names it"
                )

    usb, usb_reason = scan_usb_ups()
    if usb is None:
        diagnostics.append(f"USB UPS: not looked at: {usb_reason}")
    else:
        facts.ups.extend(u for u in usb if not _same_unit(u, facts.ups))

    facts.local_battery, battery_note = _local_battery()
    if battery_note:
        diagnostics.append(battery_note)

    if failed:
        return ProbeOutcome(
            value=facts,
            status=ProbeStatus.PARTIAL,
            reason=f"no usable answer from {', '.join(failed)}",
            diagnostics=diagnostics,
            endpoints=endpoints,
        )
    return ProbeOutcome(value=facts, diagnostics=diagnostics, endpoints=endpoints)
