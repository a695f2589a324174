"""The services probe against real peers on loopback: dnsmasq for DNS, a TLS web server.

The services live at 127.88.0.1, an address no other test uses, so connection evidence is
ours. Names are under ``.test`` (reserved, never delegated), answered by the dnsmasq the
test starts; the probe never uses the OS resolver, so nothing leaves the machine.
"""

from __future__ import annotations

import asyncio
import http.server
import os
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from readiness.catalogue import Catalogue, Service, default_catalogue
from readiness.config import Config, Endpoints, Timeouts
from readiness.model import ProbeStatus
from readiness.probes import services as services_probe
from readiness.probes.base import ProbeContext
from readiness.probes.services import _Check, check_services, detect, probe_services

SERVICE_IP = "127.88.0.1"
DNS_IP_ROOT = "127.88.0.53"  # port 53 here needs root; resolv.conf cannot name a port
DNSMASQ = shutil.which("dnsmasq") or "/usr/sbin/dnsmasq"


def _free_port(host: str, kind: int = socket.SOCK_STREAM) -> int:
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


# --- peers ---------------------------------------------------------------------------------


class Dns:
    def __init__(self, address: str, port: int) -> None:
        self.address, self.port = address, port


@pytest.fixture(scope="module")
def dns_server() -> Iterator[Dns]:
    if not Path(DNSMASQ).exists():
        pytest.skip("dnsmasq is missing: install the Debian package dnsmasq-base")
    root = os.geteuid() == 0
    address, port = (DNS_IP_ROOT, 53) if root else ("127.0.0.1", _free_port("127.0.0.1", socket.SOCK_DGRAM))
    proc = subprocess.Popen(
        [
            DNSMASQ,
            "--keep-in-foreground",
            "--conf-file=/dev/null",
            "--no-hosts",
            "--no-resolv",
            "--bind-interfaces",
            f"--listen-address={address}",
            f"--port={port}",
            "--pid-file=",
            "--local=/test/",  # everything under .test answered here, NXDOMAIN otherwise
            f"--address=/svc.test/{SERVICE_IP}",
            f"--address=/alias.svc.test/{SERVICE_IP}",
            f"--address=/huge.test/{SERVICE_IP}",
            f"--address=/closed.test/{SERVICE_IP}",
            *(["--user=root"] if root else []),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_udp(address, port, proc)
        yield Dns(address, port)
    finally:
        proc.terminate()
        proc.wait(timeout=5)


def _wait_udp(address: str, port: int, proc: subprocess.Popen[bytes]) -> None:
    import dns.message
    import dns.query

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"dnsmasq exited: {proc.stderr.read() if proc.stderr else b''!r}")
        try:
            dns.query.udp(dns.message.make_query("svc.test", "A"), address, port=port, timeout=0.3)
            return
        except Exception:
            time.sleep(0.05)
    raise RuntimeError("dnsmasq did not answer")


class Tls:
    def __init__(self, cert: Path, port: int, huge_port: int) -> None:
        self.cert, self.port, self.huge_port = cert, port, huge_port
        self.hosts: list[str] = []
        self.huge_sent = 0


def _make_cert(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", "/CN=svc.test", "-addext",
            "subjectAltName=DNS:svc.test,DNS:alias.svc.test,DNS:huge.test",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tls]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is missing: cannot make a test certificate")
    cert, key = _make_cert(tmp_path_factory.mktemp("tls"))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    state = Tls(cert, 0, 0)

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.hosts.append(self.headers.get("Host", ""))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    class Huge(Handler):
        """An endpoint that streams a gigabyte: the probe must read none of it."""

        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", str(1 << 30))
            self.end_headers()
            chunk = b"x" * 65536
            try:
                for _ in range((1 << 30) // len(chunk)):
                    self.wfile.write(chunk)
                    state.huge_sent += len(chunk)
            except (OSError, ssl.SSLError):
                pass

    servers = []
    for handler in (Handler, Huge):
        srv = http.server.ThreadingHTTPServer((SERVICE_IP, 0), handler)
        srv.daemon_threads = True
        srv.socket = context.wrap_socket(srv.socket, server_side=True)
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        servers.append(srv)
    state.port = servers[0].server_address[1]
    state.huge_port = servers[1].server_address[1]
    try:
        yield state
    finally:
        for srv in servers:
            srv.shutdown()
            srv.server_close()


def _service(
    sid: str, url: str | None, hostnames: list[str], process_names: list[str] | None = None
) -> Service:
    return Service(
        id=sid,
        name=f"Test {sid}",
        category="telephony",
        process="test calls",
        stops="test calls stop",
        process_names=process_names or [],
        hostnames=hostnames,
        check_url=url,
    )


def _catalogue(*services: Service) -> Catalogue:
    shipped = default_catalogue()
    return Catalogue(
        line_quality=shipped.line_quality,
        backup_bandwidth=shipped.backup_bandwidth,
        categories=[],
        checks=[],
        questions=[],
        levels=[],
        services=list(services),
    )


def _resolver(dns_peer: Dns) -> object:
    import dns.asyncresolver

    r = dns.asyncresolver.Resolver(configure=False)
    r.nameservers = [dns_peer.address]
    r.port = dns_peer.port
    r.lifetime = r.timeout = 1.0
    return r


# --- tests ---------------------------------------------------------------------------------


async def test_reachable_service_resolved_by_our_dns_and_pinned_sni(dns_server: Dns, tls_server: Tls) -> None:
    svc = _service("ok", f"https://svc.test:{tls_server.port}/health", ["svc.test", "alias.svc.test"])
    [obs] = await check_services(
        [_Check(svc, ["declared"])],
        _resolver(dns_server),  # type: ignore[arg-type]
        tls_ca_file=str(tls_server.cert),
        timeout_s=2.0,
        budget_s=5.0,
    )
    assert obs.error is None, obs.error
    assert obs.dns_ok is True and obs.reachable is True
    assert obs.http_status == 204 and obs.latency_ms is not None
    assert f"svc.test:{tls_server.port}" in tls_server.hosts  # real name in Host, cert checked on SNI


async def test_failures_are_told_apart(dns_server: Dns, tls_server: Tls) -> None:
    closed = _free_port(SERVICE_IP)
    plan = [
        _Check(_service("nx", "https://nothere.test/", ["nothere.test"]), ["declared"]),
        _Check(_service("closed", f"https://closed.test:{closed}/", ["closed.test"]), ["declared"]),
        _Check(_service("untrusted", f"https://svc.test:{tls_server.port}/", ["svc.test"]), ["declared"]),
        _Check(_service("vpn", None, []), ["declared"]),
    ]
    nx, refused, untrusted, vpn = await check_services(
        plan,
        _resolver(dns_server),  # type: ignore[arg-type]
        tls_ca_file=None,  # the test CA is not trusted: TLS must fail
        timeout_s=2.0,
        budget_s=5.0,
    )
    assert (nx.dns_ok, nx.reachable) == (False, False) and nx.error and "no such name" in nx.error
    assert (refused.dns_ok, refused.reachable) == (True, False) and refused.error
    assert (untrusted.dns_ok, untrusted.reachable) == (True, False)
    assert untrusted.error and "CERTIFICATE" in untrusted.error.upper()
    assert vpn.dns_ok is None and vpn.reachable is None and vpn.error and "nothing to check" in vpn.error


async def test_huge_body_is_never_read(dns_server: Dns, tls_server: Tls) -> None:
    svc = _service("huge", f"https://huge.test:{tls_server.huge_port}/", ["huge.test"])
    [obs] = await check_services(
        [_Check(svc, ["declared"])],
        _resolver(dns_server),  # type: ignore[arg-type]
        tls_ca_file=str(tls_server.cert),
        timeout_s=2.0,
        budget_s=5.0,
    )
    assert obs.reachable is True and obs.http_status == 200
    assert tls_server.huge_sent < 64 * 1024 * 1024  # the client hung up long before a gigabyte


def test_detect_matches_names_case_insensitively() -> None:
    svc = _service("x", None, [], ["AnyDesk.exe", "anydesk"])
    assert detect([svc], {"anydesk.exe": "ANYDESK.EXE"}) == {"x": ["process:ANYDESK.EXE"]}
    assert detect([svc], {"anydesk-helper": "anydesk-helper"}) == {}


@pytest.fixture
def fake_anydesk(tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A real process called ``anydesk``: /bin/sleep under that name."""
    exe = tmp_path / "anydesk"
    shutil.copy("/bin/sleep", exe)
    proc = subprocess.Popen([str(exe), "60"])
    try:
        yield proc
    finally:
        proc.kill()
        proc.wait()


async def test_offline_detects_from_processes_with_the_real_catalogue(
    fake_anydesk: subprocess.Popen[bytes],
) -> None:
    ctx = ProbeContext(config=Config(services=["xero"]), offline=True)
    outcome = await probe_services(ctx)
    assert outcome.status is ProbeStatus.OK
    assert outcome.value is not None
    by_id = {o.id: o for o in outcome.value}
    assert by_id["anydesk"].detected_by == ["process:anydesk"]
    assert by_id["xero"].detected_by == ["declared"]
    assert all(o.error == "offline: not checked" and o.dns_ok is None for o in outcome.value)
    assert outcome.endpoints == []


async def test_whole_probe_through_resolv_conf(
    dns_server: Dns, tls_server: Tls, tmp_path: Path, fake_anydesk: subprocess.Popen[bytes]
) -> None:
    if dns_server.port != 53:
        pytest.skip(
            "resolv.conf cannot name a port: needs root to serve DNS on port 53 of a loopback address"
        )
    resolv = tmp_path / "resolv.conf"
    resolv.write_text(f"nameserver {dns_server.address}\n")
    detected = _service("detected", f"https://svc.test:{tls_server.port}/", ["svc.test"], ["anydesk"])
    declared = _service("declared_one", f"https://alias.svc.test:{tls_server.port}/", ["alias.svc.test"])
    unused = _service("unused", "https://nothere.test/", ["nothere.test"], ["no-such-program"])
    cfg = Config(
        endpoints=Endpoints(tls_ca_file=str(tls_server.cert)), timeouts=Timeouts(probe_s=3.0, connect_s=1.0)
    )
    ctx = ProbeContext(
        config=cfg,
        catalogue=_catalogue(detected, declared, unused),
        resolv_conf=resolv,
        declared_services=frozenset({"declared_one", "not_in_catalogue"}),
    )
    # Hold a connection to the service address open, as a running client would (to a plain
    # listener: a bare TCP connection to the TLS server would stall its handshake in accept).
    with socket.create_server((SERVICE_IP, 0)) as listener, socket.create_connection(listener.getsockname()):
        accepted, _ = listener.accept()
        with accepted:
            outcome = await probe_services(ctx)
    assert outcome.status is ProbeStatus.OK, outcome.reason
    assert outcome.value is not None
    by_id = {o.id: o for o in outcome.value}
    assert set(by_id) == {"detected", "declared_one"}  # the unused service is never looked up
    assert by_id["detected"].detected_by[0] == "process:anydesk"
    assert "connection:svc.test" in by_id["detected"].detected_by
    assert by_id["declared_one"].detected_by[0] == "declared"
    assert all(o.reachable and o.http_status == 204 for o in outcome.value), outcome.value
    assert any("not_in_catalogue" in d for d in outcome.diagnostics)
    assert {e.target for e in outcome.endpoints if e.kind == "dns"} == {"svc.test", "alias.svc.test"}


async def test_the_boundary_never_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> dict[str, str]:
        raise RuntimeError("boom")

    def broken_catalogue() -> Catalogue:
        raise RuntimeError("catalogue unreadable")

    monkeypatch.setattr(services_probe, "default_catalogue", broken_catalogue)
    outcome = await probe_services(ProbeContext(config=Config(), offline=True))
    assert (
        outcome.status is ProbeStatus.UNKNOWN and outcome.reason and "catalogue unreadable" in outcome.reason
    )

    monkeypatch.setattr(services_probe, "running_process_names", broken)
    outcome = await probe_services(
        ProbeContext(config=Config(services=["xero"]), offline=True, catalogue=default_catalogue())
    )
    assert outcome.status is ProbeStatus.PARTIAL and outcome.value and outcome.value[0].id == "xero"


def test_real_catalogue_is_complete() -> None:
    services = default_catalogue().services
    assert len(services) >= 40
    required = {
        "telephony", "productivity", "crm", "erp", "accounting", "banking",
        "remote_desktop", "file_sync", "pos", "video", "vpn",
    }  # fmt: skip
    assert required <= {s.category for s in services}
    for s in services:
        assert s.process and s.stops and s.guide_points, s.id
        if s.check_url:
            host = s.check_url.split("/")[2].split(":")[0]
            assert s.check_url.startswith("https://") and host in s.hostnames, s.id
        assert all(h == h.lower() and "." in h and " " not in h for h in s.hostnames), s.id


async def test_a_silent_service_is_cut_at_the_budget(dns_server: Dns) -> None:
    """A server that accepts and never speaks TLS: the budget, not httpx's 5 s, ends the check."""
    with socket.create_server((SERVICE_IP, 0)) as silent:
        port = silent.getsockname()[1]
        plan = [
            _Check(_service(f"silent{i}", f"https://svc.test:{port}/", ["svc.test"]), ["declared"])
            for i in range(40)
        ]
        observations = await asyncio.wait_for(
            check_services(
                plan,
                _resolver(dns_server),  # type: ignore[arg-type]
                tls_ca_file=None,
                timeout_s=5.0,
                budget_s=0.5,
            ),
            10.0,  # hang guard only
        )
    assert len(observations) == 40
    assert all(o.reachable is None and o.error == "not finished within 0.5 s" for o in observations)
