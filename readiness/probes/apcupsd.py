"""apcupsd's Network Information Server (TCP 3551): the ``status`` report of one UPS.

The protocol: the client sends a record (a 2-byte big-endian length, then the bytes)
holding ``status``; the server answers with one record per ``KEY : VALUE`` line and ends
with a zero-length record. Everything here is bounded: record size, record count, total
bytes and time.
"""

from __future__ import annotations

import asyncio
import re
import struct

from readiness.model import UpsSource, UpsUnit
from readiness.probes.nut import NutAnswer, split_target

APCUPSD_PORT = 3551
MAX_RECORD = 512  # apcupsd's own lines are under 100 bytes
MAX_RECORDS = 200
MAX_TOTAL = 32 * 1024

# apcupsd STATUS words -> the NUT flags the rest of the tool speaks.
_STATUS_MAP = {
    "ONLINE": "OL",
    "ONBATT": "OB",
    "LOWBATT": "LB",
    "REPLACEBATT": "RB",
    "OVERLOAD": "OVER",
    "CAL": "CAL",
    "TRIM": "TRIM",
    "BOOST": "BOOST",
    "CHARGING": "CHRG",
    "COMMLOST": "COMMLOST",
    "SHUTTING": "FSD",
    "SLAVE": "SLAVE",
    "SLAVEDOWN": "SLAVEDOWN",
}

_NUMBER = re.compile(r"^\s*(-?\d+(?:\.\d+)?)")


class NisError(Exception):
    """The peer broke the NIS protocol or a bound."""


def encode_record(payload: bytes) -> bytes:
    return struct.pack(">H", len(payload)) + payload


def parse_status_lines(lines: list[str]) -> dict[str, str]:
    """``["STATUS   : ONLINE ", ...]`` -> ``{"STATUS": "ONLINE"}``. Pure; junk lines ignored."""
    out: dict[str, str] = {}
    for line in lines:
        key, sep, value = line.partition(":")
        key = key.strip().upper()
        if not sep or not key or len(key) > 16 or not key.replace(" ", "").isalnum():
            continue
        out[key] = value.strip()[:256]
    return out


def _leading_number(raw: str | None) -> float | None:
    if not raw:
        return None
    m = _NUMBER.match(raw)
    return float(m.group(1)) if m else None


def apc_flags(raw: str | None) -> list[str]:
    flags: list[str] = []
    for word in (raw or "").upper().split():
        flag = _STATUS_MAP.get(word)
        if flag and flag not in flags:
            flags.append(flag)
    return flags


def unit_from_status(host: str, fields: dict[str, str]) -> UpsUnit:
    """Turn an apcupsd status report into a :class:`UpsUnit`. Pure."""
    minutes = _leading_number(fields.get("TIMELEFT"))
    charge = _leading_number(fields.get("BCHARGE"))
    load = _leading_number(fields.get("LOADPCT"))
    return UpsUnit(
        source=UpsSource.APCUPSD,
        host=host,
        name=fields.get("UPSNAME") or None,
        model=fields.get("MODEL") or fields.get("APCMODEL") or None,
        manufacturer="APC" if fields.get("MODEL") or fields.get("APCMODEL") else None,
        status=apc_flags(fields.get("STATUS")),
        charge_pct=charge if charge is not None and 0 <= charge <= 100 else None,
        runtime_s=minutes * 60 if minutes is not None and minutes >= 0 else None,
        load_pct=load if load is not None and 0 <= load <= 1000 else None,
        battery_date=fields.get("BATTDATE") or None,
        last_selftest=fields.get("SELFTEST") or None,
    )


async def read_records(reader: asyncio.StreamReader) -> list[str]:
    """Read records until the zero-length one, within the bounds above."""
    lines: list[str] = []
    total = 0
    while True:
        header = await reader.readexactly(2)
        (size,) = struct.unpack(">H", header)
        if size == 0:
            return lines
        if size > MAX_RECORD:
            raise NisError(f"record of {size} bytes is larger than {MAX_RECORD}")
        total += size + 2
        if total > MAX_TOTAL or len(lines) >= MAX_RECORDS:
            raise NisError("answer larger than any real apcupsd status report")
        body = await reader.readexactly(size)
        lines.append(body.decode("ascii", errors="replace"))


async def query_apcupsd(target: str, timeout_s: float) -> NutAnswer:
    """Ask the apcupsd NIS at ``target``. Never raises; bounded by ``timeout_s``."""
    try:
        host, port = split_target(target, APCUPSD_PORT)
    except ValueError:
        return NutAnswer(target, "error", error="not a host or host:port")
    writer: asyncio.StreamWriter | None = None
    try:
        async with asyncio.timeout(timeout_s):
            reader, writer = await asyncio.open_connection(host, port, limit=MAX_RECORD * 2)
            writer.write(encode_record(b"status"))
            await writer.drain()
            lines = await read_records(reader)
    except ConnectionRefusedError:
        return NutAnswer(target, "absent")
    except TimeoutError:
        return NutAnswer(target, "error", error=f"no complete answer within {timeout_s:g} s")
    except asyncio.IncompleteReadError:
        return NutAnswer(target, "error", error="connection closed in the middle of the answer")
    except (NisError, OSError) as exc:
        return NutAnswer(target, "error", error=f"{type(exc).__name__}: {exc}"[:200])
    finally:
        if writer is not None:
            writer.close()
    fields = parse_status_lines(lines)
    if "STATUS" not in fields:
        return NutAnswer(target, "error", error="the answer holds no STATUS line: not an apcupsd status")
    return NutAnswer(target, "ok", units=[unit_from_status(target, fields)])
