"""Ask the gateway's UPnP Internet Gateway Device about its WAN side, read-only.

One SSDP M-SEARCH sent to the gateway's own address (unicast, never a multicast search of
the LAN), then its device description and three read-only SOAP actions per WAN device:
GetCommonLinkProperties, GetStatusInfo, GetExternalIPAddress. Only URLs on the gateway's
own address are followed. Every body is read with a size cap (``router.igd_max_bytes``) and
parsed with defusedxml, which refuses DTDs, entities and external references: an entity bomb
is an error, not a gigabyte.

async-upnp-client (Home Assistant's) was considered: its requester reads whole bodies with
no size cap and it brings aiohttp in; the four requests here need neither.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit
from xml.etree.ElementTree import Element

import httpx
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from readiness.probes.router_wan import AskFailure, IgdLine

IGD_ST = "urn:schemas-upnp-org:device:InternetGatewayDevice:1"
WAN_COMMON = "urn:schemas-upnp-org:service:WANCommonInterfaceConfig:1"
CONNECTIONS = (
    "urn:schemas-upnp-org:service:WANIPConnection:1",
    "urn:schemas-upnp-org:service:WANIPConnection:2",
    "urn:schemas-upnp-org:service:WANPPPConnection:1",
)
DEVICE_NS = "urn:schemas-upnp-org:device-1-0"
SSDP_MAX = 2048  # one SSDP answer is a datagram of a few hundred bytes


class IgdFailure(AskFailure):
    """The IGD did not answer usefully; the message says why, in words."""


@dataclass
class IgdView:
    manufacturer: str | None = None
    model: str | None = None
    firmware: str | None = None
    serial: str | None = None
    friendly_name: str | None = None
    lines: list[IgdLine] = field(default_factory=list)


def _remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise IgdFailure("the UPnP time budget ran out")
    return left


class _Search(asyncio.DatagramProtocol):
    def __init__(self) -> None:
        self.answers: asyncio.Queue[bytes] = asyncio.Queue()

    def datagram_received(self, data: bytes, addr: Any) -> None:
        self.answers.put_nowait(data[:SSDP_MAX])

    def error_received(self, exc: Exception) -> None:
        # ICMP port unreachable on the connected socket: nothing listens for SSDP there.
        self.answers.put_nowait(b"")


async def ssdp_location(gateway: str, port: int, deadline: float) -> str:
    """The description URL the gateway gives for its IGD; only a URL on the gateway counts."""
    loop = asyncio.get_running_loop()
    transport, proto = await loop.create_datagram_endpoint(_Search, remote_addr=(gateway, port))
    try:
        request = (
            "M-SEARCH * HTTP/1.1\r\n"
            f"HOST: {gateway}:{port}\r\n"
            'MAN: "ssdp:discover"\r\n'
            "MX: 1\r\n"
            f"ST: {IGD_ST}\r\n\r\n"
        ).encode()
        transport.sendto(request)
        resent = False
        while True:
            wait = min(_remaining(deadline), 0.3)
            try:
                data = await asyncio.wait_for(proto.answers.get(), wait)
            except TimeoutError:
                if resent:
                    raise IgdFailure("no UPnP IGD answered the search") from None
                transport.sendto(request)  # UDP: one retry
                resent = True
                continue
            if not data:
                raise IgdFailure("the gateway has no UPnP IGD (its SSDP port is closed)")
            headers = _headers(data)
            location = headers.get("location")
            if location and urlsplit(location).hostname == gateway:
                return location
    finally:
        transport.close()


def _headers(data: bytes) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in data.decode("latin-1").split("\r\n")[1:]:
        name, sep, value = line.partition(":")
        if sep:
            out[name.strip().lower()] = value.strip()
    return out


async def _read(client: httpx.AsyncClient, request: httpx.Request, cap: int, deadline: float) -> bytes:
    async def fetch() -> bytes:
        response = await client.send(request, stream=True)
        try:
            if response.status_code != 200:
                raise IgdFailure(f"the IGD answered HTTP {response.status_code}")
            body = bytearray()
            async for chunk in response.aiter_raw():
                body += chunk
                if len(body) > cap:
                    raise IgdFailure(f"the IGD's answer is larger than {cap // 1024} KiB: not read")
            return bytes(body)
        finally:
            await response.aclose()

    try:
        return await asyncio.wait_for(fetch(), _remaining(deadline))
    except TimeoutError:
        raise IgdFailure("the IGD did not answer within the time budget") from None
    except httpx.HTTPError as exc:
        raise IgdFailure(f"the IGD could not be read ({type(exc).__name__})") from None


def _parse(body: bytes) -> Element:
    try:
        root: Element = fromstring(body, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise IgdFailure(f"the IGD's XML was refused ({type(exc).__name__}: a DTD or entities)") from None
    except Exception as exc:  # ParseError and friends: malformed XML
        raise IgdFailure(f"the IGD's XML is malformed ({type(exc).__name__})") from None
    return root


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child_text(node: Element, name: str) -> str | None:
    for child in node:
        if _local(child.tag) == name:
            return (child.text or "").strip()[:200] or None
    return None


def _devices(node: Element) -> list[Element]:
    return [e for e in node.iter() if _local(e.tag) == "device"]


def _services(device: Element) -> list[tuple[str, str]]:
    """(serviceType, controlURL) of this device only (not of its embedded devices)."""
    out = []
    for child in device:
        if _local(child.tag) != "serviceList":
            continue
        for svc in child:
            stype, ctrl = _child_text(svc, "serviceType"), _child_text(svc, "controlURL")
            if stype and ctrl:
                out.append((stype, ctrl))
    return out


def describe(body: bytes) -> tuple[IgdView, list[list[tuple[str, str]]]]:
    """The identity and, per WANDevice, its services, from a device description."""
    root = _parse(body)
    devices = _devices(root)
    if not devices:
        raise IgdFailure("the IGD's description holds no device")
    top = devices[0]
    view = IgdView(
        manufacturer=_child_text(top, "manufacturer"),
        model=" ".join(x for x in (_child_text(top, "modelName"), _child_text(top, "modelNumber")) if x)
        or None,
        firmware=_child_text(top, "firmwareVersion"),
        serial=_child_text(top, "serialNumber"),
        friendly_name=_child_text(top, "friendlyName"),
    )
    wan_devices = [d for d in devices if "WANDevice" in (_child_text(d, "deviceType") or "")]
    groups: list[list[tuple[str, str]]] = []
    for wan in wan_devices:
        services = [s for d in _devices(wan) for s in _services(d)]
        groups.append(services)
    return view, groups


async def _soap(
    client: httpx.AsyncClient, url: str, service: str, action: str, cap: int, deadline: float
) -> dict[str, str]:
    envelope = (
        '<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" '
        's:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"><s:Body>'
        f'<u:{action} xmlns:u="{service}"/></s:Body></s:Envelope>'
    )
    request = client.build_request(
        "POST",
        url,
        content=envelope.encode(),
        headers={"Content-Type": 'text/xml; charset="utf-8"', "SOAPAction": f'"{service}#{action}"'},
    )
    root = _parse(await _read(client, request, cap, deadline))
    for node in root.iter():
        if _local(node.tag) == f"{action}Response":
            return {_local(c.tag): (c.text or "").strip()[:200] for c in node}
    raise IgdFailure(f"the IGD gave no answer to {action}")


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text else None
    except ValueError:
        return None


async def read_igd(gateway: str, port: int, *, deadline: float, cap: int) -> IgdView:
    location = await ssdp_location(gateway, port, deadline)
    async with httpx.AsyncClient(follow_redirects=False, trust_env=False) as client:
        body = await _read(client, client.build_request("GET", location), cap, deadline)
        view, groups = describe(body)
        for services in groups:
            line = IgdLine(service="WANConnection")
            for stype, ctrl in services:
                url = urljoin(location, ctrl)
                if urlsplit(url).hostname != gateway:
                    continue  # never follow the IGD elsewhere
                if stype == WAN_COMMON:
                    props = await _soap(client, url, stype, "GetCommonLinkProperties", cap, deadline)
                    line.access_type = props.get("NewWANAccessType")
                    line.link_status = props.get("NewPhysicalLinkStatus")
                    up, down = (
                        _int(props.get("NewLayer1UpstreamMaxBitRate")),
                        _int(props.get("NewLayer1DownstreamMaxBitRate")),
                    )
                    line.up_mbps = up / 1e6 if up else None
                    line.down_mbps = down / 1e6 if down else None
                elif stype in CONNECTIONS:
                    line.service = stype.split(":")[-2]
                    status = await _soap(client, url, stype, "GetStatusInfo", cap, deadline)
                    line.connection_status = status.get("NewConnectionStatus")
                    line.last_error = status.get("NewLastConnectionError") or None
                    if line.last_error in ("ERROR_NONE",):
                        line.last_error = None
                    line.uptime_s = _int(status.get("NewUptime"))
                    ext = await _soap(client, url, stype, "GetExternalIPAddress", cap, deadline)
                    line.external_ip = ext.get("NewExternalIPAddress") or None
            if line.link_status or line.connection_status:
                view.lines.append(line)
        return view
