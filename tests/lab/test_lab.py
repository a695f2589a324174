"""The office lab itself: topology, services, failover, UPS and hygiene."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.lab import Lab, scenarios
from tests.lab.cleanup import lab_prefixes
from tests.lab.netns import list_netns

pytestmark = pytest.mark.lab
LabFactory = Callable[[str], Lab]

REPO = Path(__file__).resolve().parents[2]

# Small clients run inside the office namespace with the venv's Python (dnspython, httpx).
DNS_A = """
import sys, dns.message, dns.query
r = dns.query.udp(dns.message.make_query(sys.argv[1], sys.argv[3]), sys.argv[2], timeout=float(sys.argv[4]))
print(" ".join(rr.to_text() for rrset in r.answer for rr in rrset) or "rcode=" + str(r.rcode()))
"""
DNS_TCP = """
import sys, dns.message, dns.query
r = dns.query.tcp(dns.message.make_query(sys.argv[1], "A"), sys.argv[2], timeout=2)
print(" ".join(rr.to_text() for rrset in r.answer for rr in rrset))
"""
RESOLVE = """
import sys, socket
try:
    print(socket.gethostbyname(sys.argv[1]))
except OSError as exc:
    print("error", exc)
"""
HTTP_GET = """
import sys, httpx
print(httpx.get(sys.argv[1], verify=sys.argv[2] if len(sys.argv) > 2 else True, timeout=2).text)
"""
# A client that connects to the HTTPS echo and goes silent without closing (as one does
# when a drill cuts the line mid-handshake), then an ordinary HTTPS request beside it.
HTTPS_BESIDE_A_SILENT_CLIENT = """
import socket, sys, httpx
silent = socket.create_connection((sys.argv[1], 443), timeout=2)
print(httpx.get(sys.argv[2], verify=sys.argv[3], timeout=2).text)
silent.close()
"""
TCP = """
import socket, sys
for target in sys.argv[1:]:
    host, port = target.rsplit(":", 1)
    socket.create_connection((host, int(port)), timeout=1).close()
print("ok")
"""


def py(lab: Lab, script: str, *args: str, timeout: float = 15) -> subprocess.CompletedProcess[str]:
    return lab.exec([sys.executable, "-c", script, *args], timeout=timeout)


def dns_echo(lab: Lab, timeout: float = 1.0) -> str:
    r = py(lab, DNS_A, scenarios.DNS_ECHO_A, scenarios.DNS_AUTH, "A", str(timeout))
    return r.stdout.strip() if r.returncode == 0 else f"failed: {r.stderr.strip().splitlines()[-1:]}"


@pytest.mark.parametrize("lab", ["dual"], indirect=True)
class TestDual:
    def test_office_reaches_anchors_over_icmp_and_tcp(self, lab: Lab) -> None:
        for anchor in lab.truth["anchors"]:
            r = lab.exec(["ping", "-c", "1", "-W", "1", anchor])
            assert r.returncode == 0, r.stdout + r.stderr
        r = py(
            lab, TCP, *(f"{a}:443" for a in lab.truth["anchors"]), *(f"{a}:80" for a in lab.truth["anchors"])
        )
        assert r.stdout.strip() == "ok", r.stderr

    def test_office_sees_one_gateway_and_the_router_resolver(self, lab: Lab) -> None:
        route = lab.exec(["ip", "-4", "route", "show", "default"]).stdout
        assert route.split()[:3] == ["default", "via", scenarios.LAN_ROUTER]
        resolv = lab.exec(["cat", "/etc/resolv.conf"]).stdout
        assert f"nameserver {scenarios.LAN_ROUTER}" in resolv
        assert py(lab, RESOLVE, scenarios.DNS_TEST_NAME).stdout.strip() == scenarios.ECHO

    def test_public_address_echoes_say_provider_a(self, lab: Lab) -> None:
        a = lab.truth["public_ips"]["primary"]
        assert dns_echo(lab) == a
        txt = py(lab, DNS_A, scenarios.DNS_ECHO_TXT, scenarios.DNS_AUTH2, "TXT", "1").stdout.strip()
        assert txt == f'"{a}"'
        assert py(lab, HTTP_GET, f"http://{scenarios.ECHO}/").stdout.strip() == a
        https = py(lab, HTTP_GET, f"https://{scenarios.ECHO_HOST}/ip", lab.truth["tls_ca_file"])
        assert https.stdout.strip() == a, https.stderr

    def test_a_silent_client_does_not_hold_up_the_https_echo(self, lab: Lab) -> None:
        """The lab is pooled: a stalled HTTPS echo would fail every later test on port 443."""
        a = lab.truth["public_ips"]["primary"]
        r = py(
            lab,
            HTTPS_BESIDE_A_SILENT_CLIENT,
            scenarios.ECHO,
            f"https://{scenarios.ECHO_HOST}/ip",
            lab.truth["tls_ca_file"],
        )
        assert r.stdout.strip() == a, r.stderr

    def test_cymru_and_reverse_names(self, lab: Lab) -> None:
        a = lab.truth["lines"]["primary"]
        rev = ".".join(reversed(a["public_ip"].split(".")))
        origin = py(
            lab, DNS_A, f"{rev}.{scenarios.CYMRU_ORIGIN_ZONE}", scenarios.LAN_ROUTER, "TXT", "1"
        ).stdout
        assert origin.strip() == f'"{a["asn"]} | {a["prefix"]} | ZZ | lab | 2024-01-01"'
        asn = py(
            lab, DNS_A, f"AS{a['asn']}.{scenarios.CYMRU_ASN_ZONE}", scenarios.LAN_ROUTER, "TXT", "1"
        ).stdout
        assert asn.strip() == f'"{a["asn"]} | ZZ | lab | 2024-01-01 | {a["as_name"]}, ZZ"'
        ptr = py(lab, DNS_A, f"{rev}.in-addr.arpa", scenarios.LAN_ROUTER, "PTR", "1").stdout
        assert ptr.strip() == a["reverse_dns"] + "."
        assert a["reverse_dns"].startswith("fibre-")
        assert lab.truth["lines"]["backup"]["reverse_dns"].startswith("mobile-")

    def test_cloud_hosts_resolve_into_the_lab(self, lab: Lab) -> None:
        hosts = list(lab.truth["cloud_hosts"].items())
        for host, addr in hosts[:5]:
            assert py(lab, RESOLVE, host).stdout.strip() == addr
        host = hosts[0][0]
        https = py(lab, HTTP_GET, f"https://{host}/", lab.truth["tls_ca_file"])
        assert https.stdout.strip() == lab.truth["public_ips"]["primary"], https.stderr

    def test_dns_answers_over_tcp_too(self, lab: Lab) -> None:
        r = py(lab, DNS_TCP, scenarios.DNS_ECHO_A, scenarios.DNS_AUTH)
        assert r.stdout.strip() == lab.truth["public_ips"]["primary"], r.stderr

    def test_cut_primary_fails_over_to_b_and_back(self, lab: Lab) -> None:
        cut = lab.cut("primary")
        assert lab.wait_active("backup", timeout=5)
        assert dns_echo(lab) == lab.truth["public_ips"]["backup"]
        events = lab.router_events()
        failover = [e for e in events if e["event"] == "failover"]
        assert failover and failover[-1]["wall"] >= cut
        restored = lab.restore("primary")
        assert lab.wait_active("primary", timeout=5)
        assert dns_echo(lab) == lab.truth["public_ips"]["primary"]
        assert any(e["event"] == "failback" and e["wall"] >= restored for e in lab.router_events())

    def test_cut_by_link_down_also_fails_over(self, lab: Lab) -> None:
        lab.cut("primary", how="link")
        assert lab.wait_active("backup", timeout=5)
        assert dns_echo(lab) == lab.truth["public_ips"]["backup"]

    def test_ups_goes_on_battery_and_back(self, lab: Lab) -> None:
        def status() -> str:
            return lab.exec(
                ["upsc", f"{scenarios.UPS_NAME}@{scenarios.LAN_ROUTER}", "ups.status"]
            ).stdout.strip()

        assert status() == "OL"
        lab.ups_on_battery()
        assert _eventually(lambda: status() == "OB DISCHRG")
        lab.ups_on_line()
        assert _eventually(lambda: status() == "OL")


@pytest.mark.parametrize("lab", ["manual"], indirect=True)
class TestManual:
    def test_cut_never_switches_by_itself(self, lab: Lab) -> None:
        lab.cut("primary")
        time.sleep(1.5)  # longer than the automatic router would take
        assert lab.active_line() == "primary"
        assert dns_echo(lab, timeout=0.5).startswith("failed")

    def test_the_technician_switch_brings_b(self, lab: Lab) -> None:
        lab.cut("primary")
        lab.switch("backup")
        assert dns_echo(lab) == lab.truth["public_ips"]["backup"]


@pytest.mark.parametrize("lab", ["dual-shared"], indirect=True)
def test_shared_provider_has_one_asn(lab: Lab) -> None:
    lines = lab.truth["lines"]
    assert lines["primary"]["asn"] == lines["backup"]["asn"]
    lab.cut("primary")
    assert lab.wait_active("backup")
    b = dns_echo(lab)
    assert b == lines["backup"]["public_ip"]
    rev = ".".join(reversed(b.split(".")))
    origin = py(lab, DNS_A, f"{rev}.{scenarios.CYMRU_ORIGIN_ZONE}", scenarios.LAN_ROUTER, "TXT", "1").stdout
    assert origin.strip().strip('"').split(" | ")[0] == str(lines["primary"]["asn"])


@pytest.mark.parametrize("lab", ["single"], indirect=True)
def test_single_has_one_line_and_no_ups(lab: Lab) -> None:
    assert dns_echo(lab) == lab.truth["public_ips"]["primary"]
    assert lab.truth["ups"] is None
    r = lab.exec(["upsc", f"{scenarios.UPS_NAME}@{scenarios.LAN_ROUTER}", "ups.status"])
    assert r.returncode != 0
    assert "ispb" not in lab.ns


@pytest.mark.parametrize("lab", ["tethered"], indirect=True)
def test_tethered_backup_is_a_phone_hotspot(lab: Lab) -> None:
    addrs = json.loads(lab.exec(["ip", "-j", "-4", "addr", "show", "usb0"]).stdout)
    assert addrs[0]["addr_info"][0]["local"] == scenarios.TETHER_OFFICE
    routes = lab.exec(["ip", "-4", "route", "show", "default"]).stdout
    assert "dev eth0 metric 100" in routes and "dev usb0 metric 600" in routes
    assert dns_echo(lab) == lab.truth["public_ips"]["primary"]
    # Traffic sent out of the hotspot leaves with the mobile provider's address.
    via_phone = lab.exec(["ip", "route", "get", scenarios.DNS_AUTH, "oif", "usb0"]).stdout
    assert "via 172.20.10.1 dev usb0" in via_phone
    lab.exec(["ip", "route", "del", "default", "dev", "eth0"])
    try:
        assert dns_echo(lab) == lab.truth["public_ips"]["tether"]
    finally:
        lab.exec(
            ["ip", "route", "add", "default", "via", scenarios.LAN_ROUTER, "dev", "eth0", "metric", "100"]
        )


def test_dead_has_no_route_and_dns_times_out(lab_factory: LabFactory) -> None:
    lab = lab_factory("dead")
    assert lab.active_line() is None
    assert lab.exec(["ping", "-c", "1", "-W", "1", lab.truth["anchors"][0]]).returncode != 0
    started = time.monotonic()
    r = py(lab, DNS_A, scenarios.DNS_TEST_NAME, scenarios.LAN_ROUTER, "A", "1")
    assert r.returncode != 0 and "Timeout" in r.stderr
    assert time.monotonic() - started < 10
    # The LAN itself is fine: the router answers.
    assert lab.exec(["ping", "-c", "1", "-W", "1", scenarios.LAN_ROUTER]).returncode == 0


# ---- hygiene ---------------------------------------------------------------------------


def _eventually(cond: Callable[[], bool], timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return True
        time.sleep(0.1)
    return False


def _host_view() -> tuple[str, str, str, str]:
    def out(*argv: str) -> str:
        return subprocess.run(list(argv), capture_output=True, text=True).stdout

    return (
        out("ip", "-br", "link"),
        out("ip", "route"),
        out("nft", "list", "tables"),
        Path("/etc/resolv.conf").read_text(),
    )


def test_teardown_removes_everything_and_leaves_the_host_alone() -> None:
    from tests.lab.lab import lab_available

    ok, why = lab_available()
    if not ok:
        pytest.skip(why)
    before = _host_view()
    with Lab.up("dual") as lab:
        prefix = lab.prefix
        pids = [p.pid for p in lab._procs.values()]
        assert _host_view() == before
        # The lab's internet is a dead end: no default route anywhere past the providers.
        assert lab.exec(["ip", "-4", "route", "show", "default"], ns="inet").stdout == ""
    assert not [n for n in list_netns() if n.startswith(prefix + "-")]
    assert not Path(f"/run/readiness-lab/{prefix}").exists()
    assert not list(Path("/etc/netns").glob(f"{prefix}-*"))
    assert all(not Path(f"/proc/{p}").exists() for p in pids)
    assert _host_view() == before


def test_teardown_happens_when_the_test_body_fails(lab_factory: LabFactory) -> None:
    prefix = ""
    with pytest.raises(RuntimeError), Lab.up("single") as lab:
        prefix = lab.prefix
        raise RuntimeError("a failing test")
    assert prefix and prefix not in lab_prefixes()


CHILD = """
import sys, time
sys.path.insert(0, {repo!r})
from tests.lab import Lab
lab = Lab.up("single")
print(lab.prefix, flush=True)
time.sleep(60)
"""

CHILD_WITH = """
import sys, time
sys.path.insert(0, {repo!r})
from tests.lab import Lab
with Lab.up("single") as lab:
    print(lab.prefix, flush=True)
    time.sleep(60)
"""


CLEANUP_LIMIT_S = 60


def _child(script: str) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", script.format(repo=str(REPO))],
        # SIGINT as at a terminal: a suite started as a background job hands its children
        # SIGINT ignored, and the child then slept through the test's Ctrl-C.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        stdout=subprocess.PIPE,
        text=True,
        cwd=str(REPO),
    )
    assert proc.stdout is not None
    prefix = proc.stdout.readline().strip()
    assert prefix.startswith("rdy-"), prefix
    return proc, prefix


@pytest.mark.parametrize(("script", "sig"), [(CHILD_WITH, signal.SIGINT), (CHILD, signal.SIGTERM)])
def test_interrupted_run_cleans_up(lab_factory: LabFactory, script: str, sig: signal.Signals) -> None:
    proc, prefix = _child(script)
    assert prefix in lab_prefixes()
    proc.send_signal(sig)
    # A bound against a hang, not a speed.
    proc.wait(timeout=CLEANUP_LIMIT_S)
    assert prefix not in lab_prefixes()


def test_leftovers_of_a_killed_run_are_removed_by_the_next_run(lab_factory: LabFactory) -> None:
    proc, prefix = _child(CHILD)
    netns = [n for n in list_netns() if n.startswith(prefix + "-")]
    proc.kill()  # no chance to clean up
    proc.wait(timeout=10)
    assert prefix in lab_prefixes()
    # Its daemons died with it (PR_SET_PDEATHSIG); its namespaces remain until the next run.
    lab_factory("single")
    assert prefix not in lab_prefixes()
    assert not set(netns) & set(list_netns())


def test_control_command(tmp_path: Path, lab_factory: LabFactory) -> None:
    env = {**os.environ, "READINESS_LAB_CURRENT": str(tmp_path / "current"), "PYTHONPATH": str(REPO)}

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "tests.lab", *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=str(REPO),
            timeout=60,
        )

    up = cli("up", "single")
    assert up.returncode == 0, up.stderr
    prefix = (tmp_path / "current").read_text().strip()
    try:
        assert prefix in lab_prefixes()
        # A new run must not remove a lab brought up by the control command.
        from tests.lab.cleanup import cleanup_stale

        assert prefix not in cleanup_stale()
        cut = cli("cut", "primary")
        assert cut.returncode == 0 and cut.stdout.startswith("cut primary at "), cut.stderr
        status = json.loads(cli("status").stdout)
        assert status["last_event"]["kind"] == "cut"
        echo = cli("exec", "--", "ping", "-c", "1", "-W", "1", scenarios.ANCHORS[0])
        assert echo.returncode != 0
        restore = cli("restore", "primary")
        assert restore.stdout.startswith("restore primary at ")
        echo = cli("exec", "--", "ping", "-c", "1", "-W", "1", scenarios.ANCHORS[0])
        assert echo.returncode == 0, echo.stdout
    finally:
        down = cli("down")
    assert down.returncode == 0, down.stderr
    assert prefix not in lab_prefixes()
