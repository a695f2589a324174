"""Network UPS Tools: ask an upsd (TCP 3493) which UPS units it serves and their state.

The talking is done by ``aionut`` (the maintained asyncio NUT client); this module bounds
it and turns its answers into :class:`UpsUnit`. Why aionut is safe to use here:

* its stream keeps asyncio's default 64 KiB limit, so an endless line or a huge value
  ends in an error instead of filling memory;
* every read has its own timeout and :func:`query_nut` wraps the whole conversation
  with one more, so a silent or dripping server costs at most ``timeout_s``;
* anything it raises (including a ``UnicodeDecodeError`` on garbage) is caught here.

What aionut does not do, done here instead: values are NUT-escaped (``\\"`` and ``\\\\``)
and aionut leaves the escapes in; the number of UPS units asked about is capped.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Literal

from aionut import AIONUTClient

from readiness.model import UpsSource, UpsUnit

NUT_PORT = 3493
MAX_UPS_PER_HOST = 16
MAX_VALUE_CHARS = 256


@dataclass
class NutAnswer:
    """What one upsd said. ``state`` ``absent`` means nothing listens there (not an error)."""

    target: str
    state: Literal["ok", "absent", "error"]
    units: list[UpsUnit] = field(default_factory=list)
    error: str | None = None


def split_target(target: str, default_port: int) -> tuple[str, int]:
    """``host``, ``host:port``, ``[v6]:port`` or a bare IPv6 address -> (host, port)."""
    target = target.strip()
    if target.startswith("["):
        host, _, rest = target[1:].partition("]")
        port = rest.removeprefix(":")
        return host, int(port) if port else default_port
    if target.count(":") == 1:
        host, port = target.split(":")
        return host, int(port)
    return target, default_port


def unescape(value: str) -> str:
    """Undo NUT's quoting escapes (``\\"`` and ``\\\\``) and cap the length."""
    out: list[str] = []
    it = iter(value)
    for ch in it:
        if ch == "\\":
            nxt = next(it, "")
            out.append(nxt)
        else:
            out.append(ch)
    return "".join(out)[:MAX_VALUE_CHARS]


def status_flags(raw: str | None) -> list[str]:
    """``"OL CHRG"`` -> ``["OL", "CHRG"]``; unknown words kept (upper case), order kept."""
    if not raw:
        return []
    seen: list[str] = []
    for word in raw.upper().split():
        if word not in seen and word.isascii() and word.isprintable():
            seen.append(word[:16])
    return seen


def _number(raw: str | None) -> float | None:
    if raw is None:
        return None
    try:
        value = float(raw.strip())
    except ValueError:
        return None
    if value != value or value in (float("inf"), float("-inf")):  # NaN or infinite
        return None
    return value


def _percent(raw: str | None) -> float | None:
    value = _number(raw)
    return value if value is not None and 0 <= value <= 1000 else None


def _hex_id(raw: str | None) -> str | None:
    """usbhid-ups publishes ``ups.vendorid`` as 4 hex digits; anything else is dropped."""
    if raw is None:
        return None
    raw = raw.strip().lower().removeprefix("0x")
    return raw if len(raw) == 4 and all(c in "0123456789abcdef" for c in raw) else None


def unit_from_vars(name: str, host: str, variables: dict[str, str]) -> UpsUnit:
    """Turn the variables of one UPS (``LIST VAR``) into a :class:`UpsUnit`. Pure."""
    v = {k: unescape(val) for k, val in variables.items()}
    runtime = _number(v.get("battery.runtime"))
    charge = _percent(v.get("battery.charge"))
    return UpsUnit(
        source=UpsSource.NUT,
        host=host,
        name=name[:MAX_VALUE_CHARS],
        model=v.get("ups.model") or v.get("device.model"),
        manufacturer=v.get("ups.mfr") or v.get("device.mfr"),
        status=status_flags(v.get("ups.status")),
        charge_pct=charge if charge is not None and charge <= 100 else None,  # a charge is 0-100 %
        runtime_s=runtime if runtime is not None and runtime >= 0 else None,
        load_pct=_percent(v.get("ups.load")),
        battery_date=v.get("battery.date") or v.get("battery.mfr.date"),
        last_selftest=v.get("ups.test.result"),
        usb_vendor_id=_hex_id(v.get("ups.vendorid")),
        usb_product_id=_hex_id(v.get("ups.productid")),
    )


def _refused(exc: BaseException) -> bool:
    """aionut wraps OSErrors: look down the cause chain for a refused connection."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ConnectionRefusedError):
            return True
        seen = seen.__cause__
    return False


def _describe(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0][:160] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


async def _converse(client: AIONUTClient, host: str) -> list[UpsUnit]:
    names = await client.list_ups()
    units: list[UpsUnit] = []
    for name in sorted(names)[:MAX_UPS_PER_HOST]:
        variables = await client.list_vars(name)
        units.append(unit_from_vars(name, host, variables))
    return units


async def query_nut(target: str, timeout_s: float) -> NutAnswer:
    """Ask the upsd at ``target`` (``host[:port]``). Never raises; bounded by ``timeout_s``."""
    try:
        host, port = split_target(target, NUT_PORT)
    except ValueError:
        return NutAnswer(target, "error", error="not a host or host:port")
    client = AIONUTClient(host=host, port=port, timeout=timeout_s, persistent=True)
    try:
        async with asyncio.timeout(timeout_s):
            units = await _converse(client, target)
    except TimeoutError:
        return NutAnswer(target, "error", error=f"no complete answer within {timeout_s:g} s")
    except Exception as exc:  # aionut, OSError, decoding, stream limits: all end here
        if _refused(exc):
            return NutAnswer(target, "absent")
        return NutAnswer(target, "error", error=_describe(exc))
    finally:
        client.shutdown()
    return NutAnswer(target, "ok", units=units)
