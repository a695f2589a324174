"""Unprivileged first-hops trace on Linux: UDP probes with IP_RECVERR.

Each TTL gets its own UDP socket; the kernel queues the ICMP "time exceeded" (or "port
unreachable" from the target) on the socket's error queue, which any user may read with
``recvmsg(MSG_ERRQUEUE)``. All TTLs are sent at once, so the trace takes one timeout, not
one per hop. Linux only: elsewhere ``available()`` is False.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import ipaddress
import socket
import struct
import sys
import time
from dataclasses import dataclass

SOL_IP = 0
SOL_IPV6 = 41
IP_RECVERR = getattr(socket, "IP_RECVERR", 11)
IPV6_RECVERR = getattr(socket, "IPV6_RECVERR", 25)
SO_EE_ORIGIN_ICMP = 2
SO_EE_ORIGIN_ICMP6 = 3
SOCK_EXTENDED_ERR = struct.Struct("=IBBBBII")
BASE_PORT = 33434


@dataclass(frozen=True)
class ErrqueueEntry:
    origin: int
    icmp_type: int
    icmp_code: int
    offender: str | None


@dataclass(frozen=True)
class TraceHop:
    ttl: int
    address: str | None
    rtt_ms: float | None
    reached: bool  # the target itself answered


def available() -> bool:
    return sys.platform.startswith("linux")


def parse_errqueue_cmsg(level: int, ctype: int, data: bytes) -> ErrqueueEntry | None:
    """Decode one ``struct sock_extended_err`` plus the offender's sockaddr."""
    if len(data) < SOCK_EXTENDED_ERR.size:
        return None
    if not ((level == SOL_IP and ctype == IP_RECVERR) or (level == SOL_IPV6 and ctype == IPV6_RECVERR)):
        return None
    _errno, origin, icmp_type, icmp_code, _pad, _info, _data = SOCK_EXTENDED_ERR.unpack_from(data)
    rest = data[SOCK_EXTENDED_ERR.size :]
    offender: str | None = None
    if len(rest) >= 8:
        family = struct.unpack_from("=H", rest)[0]
        if family == socket.AF_INET:
            offender = str(ipaddress.IPv4Address(rest[4:8]))
        elif family == socket.AF_INET6 and len(rest) >= 24:
            offender = str(ipaddress.IPv6Address(rest[8:24]))
    return ErrqueueEntry(origin, icmp_type, icmp_code, offender)


def is_time_exceeded(e: ErrqueueEntry) -> bool:
    return (e.origin == SO_EE_ORIGIN_ICMP and e.icmp_type == 11) or (
        e.origin == SO_EE_ORIGIN_ICMP6 and e.icmp_type == 3
    )


def is_final(e: ErrqueueEntry) -> bool:
    """Destination unreachable of any kind ends the path (port unreachable = target reached)."""
    return (e.origin == SO_EE_ORIGIN_ICMP and e.icmp_type == 3) or (
        e.origin == SO_EE_ORIGIN_ICMP6 and e.icmp_type == 1
    )


def is_target_reached(e: ErrqueueEntry, target: str) -> bool:
    return is_final(e) and e.offender == target


async def _one_ttl(target: str, family: int, ttl: int, timeout: float) -> TraceHop:
    loop = asyncio.get_running_loop()
    sock = socket.socket(family, socket.SOCK_DGRAM)
    sock.setblocking(False)
    try:
        if family == socket.AF_INET6:
            sock.setsockopt(SOL_IPV6, IPV6_RECVERR, 1)
            sock.setsockopt(SOL_IPV6, socket.IPV6_UNICAST_HOPS, ttl)
        else:
            sock.setsockopt(SOL_IP, IP_RECVERR, 1)
            sock.setsockopt(SOL_IP, socket.IP_TTL, ttl)
        sock.connect((target, BASE_PORT + ttl))
        fut: asyncio.Future[tuple[ErrqueueEntry | None, float]] = loop.create_future()

        def on_ready() -> None:
            if fut.done():
                return
            try:
                _msg, anc, _flags, _addr = sock.recvmsg(512, 1024, socket.MSG_ERRQUEUE)
            except BlockingIOError:
                return
            except OSError as exc:
                if exc.errno in (errno.EAGAIN,):
                    return
                fut.set_result((None, time.perf_counter()))
                return
            for level, ctype, data in anc:
                entry = parse_errqueue_cmsg(level, ctype, data)
                if entry is not None:
                    fut.set_result((entry, time.perf_counter()))
                    return

        loop.add_reader(sock.fileno(), on_ready)
        start = time.perf_counter()
        with contextlib.suppress(OSError):  # an immediate local error is queued too; on_ready reads it
            sock.send(b"readiness-trace")
        try:
            entry, at = await asyncio.wait_for(fut, timeout)
        except TimeoutError:
            return TraceHop(ttl, None, None, False)
        finally:
            loop.remove_reader(sock.fileno())
        if entry is None or entry.offender is None or not (is_time_exceeded(entry) or is_final(entry)):
            return TraceHop(ttl, None, None, False)
        return TraceHop(ttl, entry.offender, round((at - start) * 1000, 3), is_final(entry))
    finally:
        sock.close()


async def udp_trace(target: str, *, max_hops: int = 8, timeout: float = 1.0) -> list[TraceHop]:
    """Hops 1..max_hops toward ``target`` (an IP address). Raises OSError when there is no route."""
    family = socket.AF_INET6 if ipaddress.ip_address(target).version == 6 else socket.AF_INET
    # Fail fast (and clearly) when there is no route at all.
    with socket.socket(family, socket.SOCK_DGRAM) as probe:
        probe.connect((target, BASE_PORT))
    hops = await asyncio.gather(*(_one_ttl(target, family, ttl, timeout) for ttl in range(1, max_hops + 1)))
    out: list[TraceHop] = []
    for hop in hops:
        out.append(hop)
        if hop.reached or (hop.address is not None and hop.address == target):
            break
    return out


def parse_tracepath(text: str) -> list[TraceHop]:
    """Hops from ``tracepath -n`` output (used to compare with, and by the benchmark)."""
    hops: dict[int, TraceHop] = {}
    for line in text.splitlines():
        parts = line.split()
        if not parts or not parts[0].endswith(":") or not parts[0][:-1].isdigit():
            continue
        ttl = int(parts[0][:-1])
        if len(parts) < 2 or parts[1] == "no" or parts[1].startswith("["):
            hops.setdefault(ttl, TraceHop(ttl, None, None, False))
            continue
        address = parts[1]
        try:
            ipaddress.ip_address(address)
        except ValueError:
            continue
        rtt = None
        for p in parts[2:]:
            if p.endswith("ms"):
                try:
                    rtt = float(p[:-2])
                except ValueError:
                    rtt = None
                break
        reached = "reached" in line
        if ttl not in hops or hops[ttl].address is None:
            hops[ttl] = TraceHop(ttl, address, rtt, reached)
    return [hops[k] for k in sorted(hops)]
