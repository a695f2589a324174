"""A FRITZ!Box's TR-064 interface served on loopback, for the router probe's TR-064 path.

There is no FRITZ!Box here, so this serves what one answers, shaped after AVM's published
TR-064 descriptions (tr64desc.xml, one SCPD per service, SOAP responses): the device
description, DeviceInfo, WANCommonInterfaceConfig, WANPPPConnection and the mobile fallback
service X_AVM-DE_WANMobileConnection. The values are set per test. fritzconnection reads it
exactly as it reads a box: the same requests, the same parsing.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# service -> action -> out argument -> (value, dataType)
Actions = dict[str, dict[str, dict[str, tuple[str, str]]]]


def box_actions(
    *,
    access: str = "DSL",
    link: str = "Up",
    connection: str = "Connected",
    external_ip: str = "198.51.100.77",
    mobile: bool = True,
    mobile_status: str = "Ready",
) -> Actions:
    return {
        "DeviceInfo": {
            "GetInfo": {
                "NewSerialNumber": ("3CA62F000001", "string"),
                "NewModelName": ("FRITZ!Box 7590", "string"),
            }
        },
        "WANCommonInterfaceConfig": {
            "GetCommonLinkProperties": {
                "NewWANAccessType": (access, "string"),
                "NewPhysicalLinkStatus": (link, "string"),
                "NewLayer1DownstreamMaxBitRate": ("100000000", "ui4"),
            }
        },
        "WANPPPConnection": {
            "GetStatusInfo": {
                "NewConnectionStatus": (connection, "string"),
                "NewUptime": ("3600", "ui4"),
                "NewLastConnectionError": ("ERROR_NONE", "string"),
            },
            "GetExternalIPAddress": {"NewExternalIPAddress": (external_ip, "string")},
        },
        "X_AVM-DE_WANMobileConnection": {
            "GetInfo": {
                "NewEnabled": ("1" if mobile else "0", "boolean"),
                "NewStatus": (mobile_status, "string"),
            }
        },
    }


def _description(actions: Actions) -> str:
    services = "".join(
        f"<service><serviceType>urn:dslforum-org:service:{name}:1</serviceType>"
        f"<serviceId>urn:{name}-com:serviceId:{name}1</serviceId>"
        f"<controlURL>/upnp/control/{name.lower()}</controlURL><eventSubURL>/upnp/control/{name.lower()}</eventSubURL>"
        f"<SCPDURL>/{name.lower()}SCPD.xml</SCPDURL></service>"
        for name in actions
    )
    return (
        '<?xml version="1.0"?><root xmlns="urn:dslforum-org:device-1-0">'
        "<specVersion><major>1</major><minor>0</minor></specVersion>"
        "<systemVersion><HW>226</HW><Major>154</Major><Minor>7</Minor><Patch>57</Patch>"
        "<Buildnumber>108473</Buildnumber><Display>154.07.57</Display></systemVersion>"
        "<device><deviceType>urn:dslforum-org:device:InternetGatewayDevice:1</deviceType>"
        "<friendlyName>FRITZ!Box 7590</friendlyName><manufacturer>AVM</manufacturer>"
        "<modelName>FRITZ!Box 7590</modelName><UDN>uuid:739f2409-bccb-40e7-8e6c-3ca62f000001</UDN>"
        f"<serviceList>{services}</serviceList></device></root>"
    )


def _scpd(actions: dict[str, dict[str, tuple[str, str]]]) -> str:
    acts, variables = "", {}
    for action, outs in actions.items():
        args = ""
        for arg, (_, dtype) in outs.items():
            var = arg.removeprefix("New")
            variables[var] = dtype
            args += (
                f"<argument><name>{arg}</name><direction>out</direction>"
                f"<relatedStateVariable>{var}</relatedStateVariable></argument>"
            )
        acts += f"<action><name>{action}</name><argumentList>{args}</argumentList></action>"
    table = "".join(
        f'<stateVariable sendEvents="no"><name>{n}</name><dataType>{t}</dataType></stateVariable>'
        for n, t in variables.items()
    )
    return (
        '<?xml version="1.0"?><scpd xmlns="urn:dslforum-org:service-1-0">'
        "<specVersion><major>1</major><minor>0</minor></specVersion>"
        f"<actionList>{acts}</actionList><serviceStateTable>{table}</serviceStateTable></scpd>"
    )


def _soap(service: str, action: str, outs: dict[str, tuple[str, str]]) -> str:
    body = "".join(f"<{k}>{v}</{k}>" for k, (v, _) in outs.items())
    return (
        '<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" '
        's:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"><s:Body>'
        f'<u:{action}Response xmlns:u="urn:dslforum-org:service:{service}:1">{body}</u:{action}Response>'
        "</s:Body></s:Envelope>"
    )


@contextmanager
def tr064_box(actions: Actions) -> Iterator[tuple[int, list[str]]]:
    """(port, requests seen) of a TR-064 box on 127.0.0.1."""
    seen: list[str] = []
    by_path = {f"/{s.lower()}SCPD.xml": _scpd(a) for s, a in actions.items()}
    by_path["/tr64desc.xml"] = _description(actions)
    # The box's UPnP IGD description, which fritzconnection reads first (no services needed here).
    by_path["/igddesc.xml"] = (
        '<?xml version="1.0"?><root xmlns="urn:schemas-upnp-org:device-1-0"><device>'
        "<deviceType>urn:schemas-upnp-org:device:InternetGatewayDevice:1</deviceType>"
        "<modelName>FRITZ!Box 7590</modelName><serviceList></serviceList></device></root>"
    )

    class Handler(BaseHTTPRequestHandler):
        def _send(self, code: int, text: str) -> None:
            data = text.encode()
            self.send_response(code)
            self.send_header("Content-Type", 'text/xml; charset="utf-8"')
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            seen.append(f"GET {self.path}")
            if self.path in by_path:
                self._send(200, by_path[self.path])
            else:
                self._send(404, "")

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            self.rfile.read(length)
            soapaction = self.headers.get("soapaction", "").strip('"')
            service_type, _, action = soapaction.partition("#")
            service = service_type.split(":")[-2]
            seen.append(f"POST {service}#{action}")
            if service in actions and action in actions[service]:
                self._send(200, _soap(service, action, actions[service][action]))
            else:
                self._send(500, "")

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], seen
    finally:
        server.shutdown()
        server.server_close()
