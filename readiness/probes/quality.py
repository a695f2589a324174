"""Round trips: ICMP echo when the OS allows it, TCP connect otherwise.

Also used by the gateway probe for reachability. ``icmp_mode`` decides once how to ping:
raw sockets as root, datagram ICMP sockets when ``net.ipv4.ping_group_range`` admits our
group, otherwise no ICMP at all (callers fall back to TCP connects).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from pathlib import Path
from typing import Literal

from icmplib import async_ping

from readiness.model import AnchorQuality

IcmpMode = Literal["privileged", "unprivileged"]
PING_GROUP_RANGE = Path("/proc/sys/net/ipv4/ping_group_range")


def parse_ping_group_range(text: str, gids: set[int]) -> bool:
    """True when one of ``gids`` falls inside the kernel's ``low high`` range."""
    try:
        low, high = (int(x) for x in text.split()[:2])
    except ValueError:
        return False
    return any(low <= g <= high for g in gids)


def icmp_mode() -> IcmpMode | None:
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        return "privileged"
    try:
        text = PING_GROUP_RANGE.read_text()
    except OSError:
        return None
    gids = {os.getgid(), *os.getgroups()} if hasattr(os, "getgid") else set()
    return "unprivileged" if parse_ping_group_range(text, gids) else None


def icmp_fallback_note() -> str | None:
    """Why ICMP is not used, in words for the report; None when it is."""
    if icmp_mode() is not None:
        return None
    try:
        allowed = " ".join(PING_GROUP_RANGE.read_text().split()[:2])
    except OSError:
        allowed = "unreadable"
    return (
        "ICMP echo needs root or a group inside net.ipv4.ping_group_range"
        f" (now {allowed}): round trips were measured with TCP connects instead"
    )


async def tcp_rtt(host: str, port: int, timeout: float) -> float | None:
    """Milliseconds to complete (or be refused by) a TCP handshake; None when nothing answered.

    A refusal (RST) still proves the host is alive and gives a round trip.
    """
    start = time.perf_counter()
    try:
        _, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
    except ConnectionRefusedError:
        return (time.perf_counter() - start) * 1000
    except (OSError, TimeoutError, ValueError):
        return None
    elapsed = (time.perf_counter() - start) * 1000
    writer.close()
    with contextlib.suppress(OSError, TimeoutError):
        await asyncio.wait_for(writer.wait_closed(), 0.2)
    return elapsed


async def icmp_rtts(
    host: str, count: int, interval: float, timeout: float, mode: IcmpMode
) -> list[float] | None:
    """RTTs of the echoes answered; None when ICMP could not be used at all."""
    async def one(delay: float) -> list[float]:
        await asyncio.sleep(delay)
        result = await async_ping(host, count=1, timeout=timeout, privileged=(mode == "privileged"))
        return [float(r) for r in result.rtts]

    # One echo per coroutine, started ``interval`` apart: a lost echo costs its own timeout
    # once, not once per echo as a sequential ping would (10 lost echoes = 10 timeouts).
    try:
        results = await asyncio.gather(*(one(i * interval) for i in range(count)))
    except Exception:  # icmplib raises its own errors (permissions, name lookup, socket)
        return None
    return [rtt for r in results for rtt in r]


def split_host_port(value: str, default_port: int) -> tuple[str, int]:
    """ "host:port", "[v6]:port", "v6" or "host" -> (host, port)."""
    value = value.strip()
    if value.startswith("["):
        host, _, rest = value[1:].partition("]")
        return host, int(rest[1:]) if rest.startswith(":") and rest[1:].isdigit() else default_port
    if value.count(":") == 1:
        host, _, port = value.partition(":")
        if port.isdigit():
            return host, int(port)
    return value, default_port


async def measure_anchor(
    target: str, *, count: int, interval: float, timeout: float, mode: IcmpMode | None, tcp_port: int | None
) -> AnchorQuality:
    if mode is not None:
        rtts = await icmp_rtts(target, count, interval, timeout, mode)
        if rtts is not None:
            return AnchorQuality(target=target, method="icmp", sent=count, received=len(rtts), rtts_ms=rtts)
    port = tcp_port or 443
    results: list[float | None] = []
    for i in range(count):
        if i:
            await asyncio.sleep(interval)
        results.append(await tcp_rtt(target, port, timeout))
    got = [r for r in results if r is not None]
    return AnchorQuality(target=f"{target}:{port}", method="tcp", sent=count, received=len(got), rtts_ms=got)


async def measure_quality(
    anchors: list[str],
    tcp_anchors: list[str],
    *,
    count: int = 10,
    interval: float = 0.06,
    timeout: float = 0.8,
) -> list[AnchorQuality]:
    """Ping every anchor concurrently; anchors not pingable fall back to their TCP port."""
    mode = icmp_mode()
    tcp_ports = dict(split_host_port(a, 443) for a in tcp_anchors)
    targets = list(anchors)
    jobs = [
        measure_anchor(
            t, count=count, interval=interval, timeout=timeout, mode=mode, tcp_port=tcp_ports.get(t)
        )
        for t in targets
    ]
    # TCP-only anchors that are not also ICMP anchors are measured with TCP.
    for host, port in tcp_ports.items():
        if host not in targets:
            jobs.append(
                measure_anchor(
                    host, count=count, interval=interval, timeout=timeout, mode=None, tcp_port=port
                )
            )
    return list(await asyncio.gather(*jobs))
