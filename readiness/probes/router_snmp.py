"""Ask the router over SNMP (v2c or v3, read-only): who it is, its interfaces, addresses and
default routes.

Every walk is bounded twice: by a row budget shared by all walks (``router.snmp_max_rows``)
and by the caller's deadline. A walk that goes backwards or repeats an OID (a looping agent)
stops at once. Only numeric OIDs are sent (no MIB files are loaded).

pysnmp is imported here only, when the router probe runs: it costs ~0.2 s to import.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

from pysnmp.hlapi.v3arch.asyncio import (
    CommunityData,
    ContextData,
    ObjectIdentity,
    ObjectType,
    SnmpEngine,
    UdpTransportTarget,
    UsmUserData,
    bulk_cmd,
    get_cmd,
    usmAesCfb128Protocol,
    usmAesCfb256Protocol,
    usmDESPrivProtocol,
    usmHMAC192SHA256AuthProtocol,
    usmHMAC384SHA512AuthProtocol,
    usmHMACMD5AuthProtocol,
    usmHMACSHAAuthProtocol,
    usmNoAuthProtocol,
    usmNoPrivProtocol,
)

from readiness.config import SnmpV3User
from readiness.probes.router_wan import AskFailure, IfRow, SnmpView

SYS = {
    "description": (1, 3, 6, 1, 2, 1, 1, 1, 0),
    "object_id": (1, 3, 6, 1, 2, 1, 1, 2, 0),
    "uptime": (1, 3, 6, 1, 2, 1, 1, 3, 0),
    "name": (1, 3, 6, 1, 2, 1, 1, 5, 0),
}
# IF-MIB ifTable / ifXTable columns, IP-MIB ipAdEntIfIndex (IPv4) and ipAddressIfIndex,
# IP-FORWARD-MIB inetCidrRouteIfIndex.
COLUMNS = {
    "descr": (1, 3, 6, 1, 2, 1, 2, 2, 1, 2),
    "type": (1, 3, 6, 1, 2, 1, 2, 2, 1, 3),
    "speed": (1, 3, 6, 1, 2, 1, 2, 2, 1, 5),
    "oper": (1, 3, 6, 1, 2, 1, 2, 2, 1, 8),
    "name": (1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 1),
    "high_speed": (1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 15),
    "alias": (1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 18),
    "ipv4_addr": (1, 3, 6, 1, 2, 1, 4, 20, 1, 2),
    "route_if": (1, 3, 6, 1, 2, 1, 4, 24, 7, 1, 7),
}
BULK = 25  # rows asked per GETBULK
AUTH = {
    "md5": usmHMACMD5AuthProtocol,
    "sha": usmHMACSHAAuthProtocol,
    "sha256": usmHMAC192SHA256AuthProtocol,
    "sha512": usmHMAC384SHA512AuthProtocol,
}
PRIV = {"des": usmDESPrivProtocol, "aes": usmAesCfb128Protocol, "aes256": usmAesCfb256Protocol}


class SnmpFailure(AskFailure):
    """The agent did not answer usefully; the message says why, in words."""


@dataclass
class _Budget:
    rows_left: int
    deadline: float

    def seconds(self) -> float:
        return self.deadline - time.monotonic()


def credentials(communities: list[str], users: list[SnmpV3User]) -> list[tuple[str, Any]]:
    """(words for the report, pysnmp auth data), v3 users first: they are what an admin set up."""
    out: list[tuple[str, Any]] = []
    for n, user in enumerate(users, 1):
        auth = user.auth_key.get_secret_value() if user.auth_key else None
        priv = user.priv_key.get_secret_value() if user.priv_key else None
        out.append(
            (
                f"SNMP v3 user {n} of the config",
                UsmUserData(
                    user.user,
                    auth,
                    priv,
                    authProtocol=AUTH[user.auth_protocol] if auth else usmNoAuthProtocol,
                    privProtocol=PRIV[user.priv_protocol] if priv else usmNoPrivProtocol,
                ),
            )
        )
    for n, community in enumerate(communities, 1):
        words = (
            "the default SNMP v2c community"
            if communities == ["public"]
            else f"SNMP v2c community {n} of the config"
        )
        out.append((words, CommunityData(community, mpModel=1)))
    return out


def _text(value: Any) -> str:
    raw = value.asOctets() if hasattr(value, "asOctets") else str(value).encode()
    return raw.decode("utf-8", "replace").strip("\x00 ")[:200]


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


async def _request(coro: Any, budget: _Budget) -> list[tuple[tuple[int, ...], Any]]:
    if budget.seconds() <= 0:
        coro.close()
        raise SnmpFailure("the SNMP time budget ran out")
    try:
        error, status, _, binds = await asyncio.wait_for(coro, max(budget.seconds(), 0.01))
    except TimeoutError as exc:
        raise SnmpFailure("the SNMP time budget ran out") from exc
    if error:
        raise SnmpFailure(f"no SNMP answer ({error})")
    if status:
        raise SnmpFailure(
            f"the agent refused: {status.prettyPrint() if hasattr(status, 'prettyPrint') else status}"
        )
    return [(tuple(oid), value) for oid, value in binds]


async def _walk(
    engine: SnmpEngine, auth: Any, target: Any, root: tuple[int, ...], budget: _Budget
) -> list[tuple[tuple[int, ...], Any]]:
    """The rows under ``root`` (suffix, value); stops at the subtree's end, a loop or the budget."""
    rows: list[tuple[tuple[int, ...], Any]] = []
    current = root
    while True:
        binds = await _request(
            bulk_cmd(
                engine,
                auth,
                target,
                ContextData(),
                0,
                BULK,
                ObjectType(ObjectIdentity(current)),
                lookupMib=False,
            ),
            budget,
        )
        if not binds:
            return rows
        for oid, value in binds:
            if oid[: len(root)] != root or type(value).__name__ in ("EndOfMibView", "NoSuchObject"):
                return rows
            if oid <= current:
                raise SnmpFailure("the router's SNMP walk went backwards (a looping agent): stopped")
            budget.rows_left -= 1
            if budget.rows_left < 0:
                raise SnmpFailure("the router's SNMP tables are larger than the row limit: stopped")
            rows.append((oid[len(root) :], value))
            current = oid


def _route_if(suffix: tuple[int, ...], value: Any) -> int | None:
    """ifIndex of a default route (0.0.0.0/0 or ::/0) in inetCidrRouteTable, else None.

    Index: destType, len, dest..., pfxLen, policy (length, subids), nextHopType, len, nextHop...
    """
    if len(suffix) < 3:
        return None
    length = suffix[1]
    dest = suffix[2 : 2 + length]
    if len(dest) != length or len(suffix) < 3 + length:
        return None
    prefix_len = suffix[2 + length]
    if prefix_len == 0 and not any(dest):
        return _int(value)
    return None


async def read_snmp(
    host: str,
    port: int,
    creds: list[tuple[str, Any]],
    *,
    deadline: float,
    max_rows: int,
    tried: list[str],
) -> SnmpView:
    """Ask ``host`` with each credential until one answers, then read its tables."""
    budget = _Budget(rows_left=max_rows, deadline=deadline)
    engine = SnmpEngine()
    try:
        per_try = max(min(0.4, budget.seconds() / max(len(creds), 1)), 0.05)
        target = await UdpTransportTarget.create((host, port), timeout=per_try, retries=0)
        system: dict[str, Any] | None = None
        used = ""
        for words, auth in creds:
            try:
                binds = await _request(
                    get_cmd(
                        engine,
                        auth,
                        target,
                        ContextData(),
                        *(ObjectType(ObjectIdentity(oid)) for oid in SYS.values()),
                        lookupMib=False,
                    ),
                    budget,
                )
            except SnmpFailure as exc:
                tried.append(f"{words}: {exc}")
                continue
            values = dict(zip(SYS, (v for _, v in binds), strict=False))
            system = {
                "description": _text(values["description"]) if "description" in values else None,
                "name": _text(values["name"]) if "name" in values else None,
                "object_id": str(values.get("object_id", "")) or None,
                "uptime_s": (_int(values.get("uptime")) or 0) // 100 if "uptime" in values else None,
            }
            used = words
            break
        if system is None:
            raise SnmpFailure("no SNMP answer with any configured credential")
        view = SnmpView(credential=used, system=system)
        walk_target = await UdpTransportTarget.create(
            (host, port), timeout=max(min(0.5, budget.seconds()), 0.05), retries=0
        )
        auth = dict(creds)[used]
        names = list(COLUMNS)
        results = await asyncio.gather(
            *(_walk(engine, auth, walk_target, COLUMNS[n], budget) for n in names), return_exceptions=True
        )
        tables: dict[str, list[tuple[tuple[int, ...], Any]]] = {}
        for name, result in zip(names, results, strict=True):
            if isinstance(result, SnmpFailure):
                raise result
            if isinstance(result, BaseException):
                raise SnmpFailure(f"SNMP walk failed: {type(result).__name__}") from result
            tables[name] = result
        _fill(view, tables)
        return view
    finally:
        engine.close_dispatcher()


def _fill(view: SnmpView, tables: dict[str, list[tuple[tuple[int, ...], Any]]]) -> None:
    def row(suffix: tuple[int, ...]) -> IfRow | None:
        if len(suffix) != 1:
            return None
        return view.interfaces.setdefault(suffix[0], IfRow(index=suffix[0]))

    for column in ("descr", "name", "alias"):
        for suffix, value in tables[column]:
            r = row(suffix)
            if r is not None:
                setattr(r, column, _text(value) or None)
    for suffix, value in tables["type"]:
        if (r := row(suffix)) is not None:
            r.if_type = _int(value)
    for suffix, value in tables["oper"]:
        if (r := row(suffix)) is not None:
            r.oper = _int(value)
    for suffix, value in tables["speed"]:
        if (r := row(suffix)) is not None and (bps := _int(value)):
            r.speed_mbps = bps / 1e6
    for suffix, value in tables["high_speed"]:
        if (r := row(suffix)) is not None and (mbps := _int(value)):
            r.speed_mbps = float(mbps)
    for suffix, value in tables["ipv4_addr"]:
        index = _int(value)
        if len(suffix) == 4 and index is not None:
            view.addresses.setdefault(index, []).append(".".join(str(b) for b in suffix))
    for suffix, value in tables["route_if"]:
        index = _route_if(suffix, value)
        if index:
            view.default_routes.add(index)
