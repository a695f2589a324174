"""Ask a FRITZ!Box over TR-064 (fritzconnection), only when the config gives its password:
its WAN access type, whether it is online, and its mobile fallback where it has one.

fritzconnection is synchronous (requests); it runs in a worker thread bounded by the probe's
deadline, with its own HTTP timeout set to the time left.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

from readiness.model import RouterSource, RouterWanLine, WanKind, WanState
from readiness.probes.router_wan import IGD_ACCESS, AskFailure


class Tr064Failure(AskFailure):
    """The box did not answer usefully; the message says why, in words."""


@dataclass
class Tr064View:
    model: str | None = None
    firmware: str | None = None
    serial: str | None = None
    access_type: str | None = None
    link_status: str | None = None
    connection_status: str | None = None
    external_ip: str | None = None
    mobile: dict[str, Any] = field(default_factory=dict)  # X_AVM-DE_WANMobileConnection:GetInfo

    def merge_into(self, lines: list[RouterWanLine]) -> list[RouterWanLine]:
        out = [line.model_copy(deep=True) for line in lines]
        main = next((x for x in out if self.external_ip and self.external_ip in x.addresses), None)
        state = WanState.UNKNOWN
        if (self.connection_status or "").lower() == "connected":
            state = WanState.UP
        elif (self.link_status or "").lower() in ("down", "unavailable") or self.connection_status:
            state = WanState.DOWN
        if main is not None:
            main.seen_by.append(RouterSource.TR064)
        elif self.access_type or self.connection_status:
            out.append(
                RouterWanLine(
                    interface=f"{self.access_type or 'WAN'} line",
                    kind=IGD_ACCESS.get((self.access_type or "").lower(), WanKind.OTHER),
                    state=state,
                    addresses=[self.external_ip] if self.external_ip else [],
                    why="the FRITZ!Box reports it as its internet line (TR-064)",
                    seen_by=[RouterSource.TR064],
                )
            )
        if self.mobile.get("NewEnabled") in ("1", 1, True, "true"):
            status = str(self.mobile.get("NewConnectionStatus") or self.mobile.get("NewStatus") or "")
            out.append(
                RouterWanLine(
                    interface="mobile fallback",
                    kind=WanKind.CELLULAR,
                    state=WanState.UP
                    if status.lower() in ("connected", "up", "ready")
                    else (WanState.DOWN if status else WanState.UNKNOWN),
                    why="the FRITZ!Box has its mobile fallback turned on (TR-064)",
                    seen_by=[RouterSource.TR064],
                )
            )
        return out


def _read(host: str, port: int, user: str | None, password: str, timeout: float) -> Tr064View:
    # late: fritzconnection adds 62 ms to loading the probes
    # (on discovery's loop); it is used only with a TR-064 password, here in a thread
    from fritzconnection import FritzConnection
    from fritzconnection.core.exceptions import FritzConnectionException

    try:
        fc = FritzConnection(address=host, port=port, user=user, password=password, timeout=timeout)
        view = Tr064View(model=fc.modelname, firmware=fc.system_version)
        info = fc.call_action("DeviceInfo1", "GetInfo")
        view.serial = info.get("NewSerialNumber")
        link = fc.call_action("WANCommonInterfaceConfig1", "GetCommonLinkProperties")
        view.access_type = link.get("NewWANAccessType")
        view.link_status = link.get("NewPhysicalLinkStatus")
        for service in ("WANPPPConnection1", "WANIPConnection1"):
            if service in fc.services:
                status = fc.call_action(service, "GetStatusInfo")
                view.connection_status = status.get("NewConnectionStatus")
                view.external_ip = fc.call_action(service, "GetExternalIPAddress").get("NewExternalIPAddress")
                break
        if "X_AVM-DE_WANMobileConnection1" in fc.services:
            view.mobile = dict(fc.call_action("X_AVM-DE_WANMobileConnection1", "GetInfo"))
    except FritzConnectionException as exc:
        raise Tr064Failure(f"the box refused or did not answer ({type(exc).__name__})") from None
    except OSError as exc:
        raise Tr064Failure(f"the box could not be reached ({type(exc).__name__})") from None
    except (
        SyntaxError,
        KeyError,
        IndexError,
        AttributeError,
        ValueError,
    ) as exc:  # ParseError is a SyntaxError
        raise Tr064Failure(f"the box's answers could not be read ({type(exc).__name__})") from None
    return view


async def read_tr064(host: str, port: int, user: str | None, password: str, *, deadline: float) -> Tr064View:
    left = deadline - time.monotonic()
    if left <= 0:
        raise Tr064Failure("the TR-064 time budget ran out")
    try:
        return await asyncio.wait_for(asyncio.to_thread(_read, host, port, user, password, left), left)
    except TimeoutError:
        raise Tr064Failure("the box did not answer within the time budget") from None
